/**
 * `@zos/storage` LocalStorage, host side: the app's file of JSON values, kept by the host so that it
 * survives the app (kill, exit, relaunch) as it does until uninstall. How an instance loads and writes it
 * is the guest's (guest/zos/storage.ts: a copy per instance, or one shared map under the other reading).
 */
import type { HostHandlers, HostOpsOf } from '../ops';

export class LocalStorageFile {
  /** Key → JSON text of the value. */
  private readonly entries: Map<string, string>;

  constructor(initial: Record<string, unknown> = {}) {
    this.entries = new Map(Object.entries(initial).map(([k, v]) => [k, JSON.stringify(v)]));
  }

  get(key: string): string | null {
    return this.entries.get(key) ?? null;
  }

  set(key: string, json: string): void {
    this.entries.set(key, json);
  }

  remove(key: string): void {
    this.entries.delete(key);
  }

  /** The whole file, as an instance loads it. */
  load(): Record<string, string> {
    return Object.fromEntries(this.entries);
  }

  /** An instance saves its whole copy as the file. */
  save(entries: Record<string, string>): void {
    this.entries.clear();
    for (const [k, v] of Object.entries(entries)) this.entries.set(k, v);
  }

  /** Parsed values, for a test to read. */
  values(): Record<string, unknown> {
    return Object.fromEntries([...this.entries].map(([k, v]) => [k, JSON.parse(v) as unknown]));
  }
}

export function storageOps(file: LocalStorageFile): HostHandlers<HostOpsOf<'storage'>> {
  return {
    'storage.get': ({ key }) => ({ json: file.get(key) }),
    'storage.set': ({ key, json }) => file.set(key, json),
    'storage.remove': ({ key }) => file.remove(key),
    'storage.load': () => file.load(),
    'storage.save': ({ entries }) => file.save(entries),
  };
}
