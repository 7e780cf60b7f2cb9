import type { KeyValueStore } from '../base/kv';
import { moveToQuarantine } from '../base/quarantine';
import { decodeProfile, encodeProfile, type WatchProfile } from '../link/watch-profile';

/**
 * The watch profiles on the phone (settingsStorage): one key per watch, by its deviceSource, holding
 * the latest profile that watch sent (`profile.put`). A phone paired with a new watch keeps the old
 * watch's profile under its own key: each is shown for what it is. A value that no longer reads is
 * moved to the phone's quarantine whole, never shown as a watch's answers.
 */
export const PROFILE_PREFIX = 'watch.profile.';
/** The deviceSources with a profile, as a JSON list: a hint, checked against the keys it names. */
export const PROFILE_INDEX_KEY = 'watch.profiles';
export const PHONE_PROFILE_QUARANTINE = 'watch.quarantine';
/** The index holds at most this many watches. */
const MAX_WATCHES = 20;

function indexOf(store: KeyValueStore): number[] {
  try {
    const list = JSON.parse(store.get(PROFILE_INDEX_KEY) ?? '[]') as unknown;
    return Array.isArray(list)
      ? list.filter((x): x is number => Number.isInteger(x) && x >= 0).slice(0, MAX_WATCHES)
      : [];
  } catch {
    return [];
  }
}

/** Keeps a watch's profile (replacing the one it sent before): the profile first, then the index. */
export function keepProfile(store: KeyValueStore, p: WatchProfile): void {
  const source = p.device.source;
  store.set(`${PROFILE_PREFIX}${source}`, encodeProfile(p));
  const index = indexOf(store);
  if (!index.includes(source))
    store.set(PROFILE_INDEX_KEY, JSON.stringify([...index, source].slice(-MAX_WATCHES)));
}

/** Every readable profile, the most recently checked first; unreadable ones go to the quarantine. */
export function readProfiles(store: KeyValueStore, now: number): WatchProfile[] {
  const out: WatchProfile[] = [];
  for (const source of indexOf(store)) {
    const key = `${PROFILE_PREFIX}${source}`;
    const text = store.get(key);
    if (text === undefined) continue;
    const p = decodeProfile(text);
    if (p.ok && p.value.device.source === source) out.push(p.value);
    else if (
      moveToQuarantine(store, PHONE_PROFILE_QUARANTINE, {
        key,
        raw: text,
        reason: p.ok ? 'another watch under this key' : p.error,
        at: now,
      })
    )
      store.remove(key);
  }
  return out.sort((a, b) => b.at - a.at);
}
