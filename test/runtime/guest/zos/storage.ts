/** `@zos/storage`: LocalStorage held by the host (it survives the app), SessionStorage in the context. */
import { config, guardModule, host, notModelled, refuse, strict, type Obj } from '../bridge';

function storageValue(key: unknown, value: unknown): { key: string; json: string } {
  if (typeof key !== 'string')
    return refuse(
      `LocalStorage.setItem: key must be a string, got ${typeof key}`,
      'a key that is not a string',
      'storage/localStorage',
    );
  const json = JSON.stringify(value);
  if (json === undefined)
    return notModelled(
      `LocalStorage.setItem('${key}', ${typeof value}): the double stores JSON values only`,
      `@zos/storage LocalStorage.setItem of a ${typeof value}`,
    );
  return { key, json };
}

/**
 * LocalStorage (Zepp docs storage/localStorage): "An instance keeps loaded data in memory". The docs
 * do not say when an instance loads or how it writes, so the double takes the harsher reading: an
 * instance loads the whole file when it is created, reads only its own copy, and every write saves
 * its whole copy as the file, so an older instance's write puts back what it loaded. With
 * `readings.storageSharedAcrossInstances` all instances share one map instead.
 */
class LocalStorage {
  private copy: Record<string, string> | undefined;
  constructor() {
    // Assigned either way: the strict proxy below fails on any name the instance does not hold.
    this.copy = config.readings.storageSharedAcrossInstances ? undefined : (host('storage.load') ?? {});
    return strict('@zos/storage', 'LocalStorage', this);
  }
  setItem(key: unknown, value: unknown): void {
    const item = storageValue(key, value);
    if (!this.copy) return void host('storage.set', item);
    this.copy[item.key] = item.json;
    host('storage.save', { entries: this.copy });
  }
  getItem(key: unknown, defaultValue?: unknown): unknown {
    const json = this.copy
      ? this.copy[String(key)]
      : (host('storage.get', { key: String(key) }).json ?? undefined);
    return json === undefined || json === null ? defaultValue : JSON.parse(json);
  }
  removeItem(key: unknown): void {
    if (!this.copy) return void host('storage.remove', { key: String(key) });
    delete this.copy[String(key)];
    host('storage.save', { entries: this.copy });
  }
}

/** Cleared when the app exits: it lives in the app's context, which goes with it. */
const session = new Map<string, string>();
class SessionStorage {
  constructor() {
    return strict('@zos/storage', 'SessionStorage', this);
  }
  setItem(key: unknown, value: unknown): void {
    const item = storageValue(key, value);
    session.set(item.key, item.json);
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
