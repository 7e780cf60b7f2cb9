import type { KeyValueStore } from '../core/base/kv';

/**
 * settingsStorage (strings only, shared with the Settings App page) as core's key-value store. A read
 * of a key that was never written gives null or undefined depending on the phone: both mean "absent".
 */
export function phoneStore(storage: SettingsStorage = settings.settingsStorage): KeyValueStore {
  return {
    get(key) {
      const value = storage.getItem(key);
      return typeof value === 'string' ? value : undefined;
    },
    set(key, value) {
      storage.setItem(key, value);
    },
    remove(key) {
      storage.removeItem(key);
    },
  };
}
