/**
 * A small string key-value store: `@zos/storage` LocalStorage on the watch, `settingsStorage` on the
 * phone, a Map in tests. Writes replace a whole value, so a crash leaves the old or the new one.
 */
export interface KeyValueStore {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/** An in-memory store, for tests and for the runtime double's defaults. */
export function memoryStore(
  initial: Record<string, string> = {},
): KeyValueStore & { dump(): Record<string, string> } {
  const map = new Map(Object.entries(initial));
  return {
    get: (key) => map.get(key),
    set: (key, value) => void map.set(key, value),
    remove: (key) => void map.delete(key),
    dump: () => Object.fromEntries(map),
  };
}
