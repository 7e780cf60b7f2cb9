import type { KeyValueStore } from '../base/kv';

/**
 * The two keys a running session is stored under (what they hold: ./session-record). Kept apart from
 * the record's codec so that a page which only asks whether a session is stored (home) carries none of
 * the engine.
 */
export const RUNNING_KEYS = { started: 'session.started', current: 'session.current' } as const;

/**
 * Whether the running keys hold anything, read but not parsed: a session to resume, to log or to
 * follow, or keys to quarantine. Anything there is for the page that decides about it (page/resume).
 */
export const sessionStored = (store: KeyValueStore): boolean =>
  store.get(RUNNING_KEYS.current) !== undefined || store.get(RUNNING_KEYS.started) !== undefined;
