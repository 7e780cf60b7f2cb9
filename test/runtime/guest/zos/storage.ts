/** `@zos/storage`: LocalStorage held by the host (it survives the app), SessionStorage in the context. */
import { fail, guardModule, host, strict, type Obj } from '../bridge';

function storageValue(key: unknown, value: unknown): string {
  if (typeof key !== 'string') fail(`LocalStorage.setItem: key must be a string, got ${typeof key}`);
  const json = JSON.stringify(value);
  if (json === undefined)
    fail(`LocalStorage.setItem('${String(key)}', ${typeof value}): the double stores JSON values only`);
  return json!;
}

class LocalStorage {
  constructor() {
    return strict('@zos/storage', 'LocalStorage', this);
  }
  setItem(key: unknown, value: unknown): void {
    host('storage.set', { key, json: storageValue(key, value) });
  }
  getItem(key: unknown, defaultValue?: unknown): unknown {
    const r = host<{ json: string | null }>('storage.get', { key: String(key) });
    return r.json === null ? defaultValue : JSON.parse(r.json);
  }
  removeItem(key: unknown): void {
    host('storage.remove', { key: String(key) });
  }
}

/** Cleared when the app exits: it lives in the app's context, which goes with it. */
const session = new Map<string, string>();
class SessionStorage {
  constructor() {
    return strict('@zos/storage', 'SessionStorage', this);
  }
  setItem(key: unknown, value: unknown): void {
    session.set(String(key), storageValue(key, value));
  }
  getItem(key: unknown, defaultValue?: unknown): unknown {
    const json = session.get(String(key));
    return json === undefined ? defaultValue : JSON.parse(json);
  }
  removeItem(key: unknown): void {
    session.delete(String(key));
  }
}

export const storageModule = (): Obj =>
  guardModule('@zos/storage', {
    LocalStorage,
    SessionStorage,
    localStorage: new LocalStorage(),
    sessionStorage: new SessionStorage(),
  });
