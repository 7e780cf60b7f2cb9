import type { KeyValueStore } from '../base/kv';
import { moveToQuarantine } from '../base/quarantine';
import { encodeStart, logOfRunning, readRunning, RUNNING_KEYS, type Running } from '../engine/session-record';
import type { SessionLog } from '../log/session-log';
import { openOutbox } from './outbox';
import { WATCH_QUARANTINE_KEY } from './prescription';

/**
 * The watch's running-session keys (RUNNING_KEYS) and the order in which a session's log leaves them
 * for the outbox. Written once, here, for every shell that logs a session: the summary when it opens on
 * one that finished (the session page and the App Service leave it there, finished), the resume page
 * (opened by home when the running keys hold anything) when it settles one that was cut short or never
 * reached the summary.
 */

/** What the running keys hold now, read only. */
export function readRunningKeys(store: KeyValueStore): Running {
  return readRunning(store.get(RUNNING_KEYS.current), store.get(RUNNING_KEYS.started));
}

/**
 * What the running keys hold, with a start record of its own for a session that has none
 * (`Running.adopt`): the start record's text, if any, goes to the quarantine first, then the record is written with
 * the session's derived id and the clock's offset now. So a log made of it after a kill, or after the
 * zone changed, is the same bytes, and the App Service's end reading (handed back under the same derived
 * id) has a record to go in. With a full quarantine nothing is written: the id is still the same at
 * every read; the offset is the clock's.
 */
export function adoptRunning(
  store: KeyValueStore,
  clock: { readonly now: number; readonly utcOffsetMin: number },
): Running {
  const running = readRunningKeys(store);
  if (!('adopt' in running)) return running;
  const { session, logId } = running;
  if (!setAside(store, RUNNING_KEYS.started, 'replaced', clock.now)) return running;
  // Its derived id, its start and prescription, and the offset now: every later log of it is the same.
  const { utcOffsetMin } = clock;
  const { prescription } = session.timeline;
  const start = { logId, startedAt: session.startedAt as number, utcOffsetMin, prescription };
  store.set(RUNNING_KEYS.started, encodeStart(start));
  return readRunningKeys(store);
}

/**
 * Moves what `key` holds to the watch's quarantine, whole, then removes it; false (and nothing removed)
 * when the quarantine is full. Nothing there: true.
 */
function setAside(store: KeyValueStore, key: string, reason: string, at: number): boolean {
  const raw = store.get(key);
  return raw === undefined || moveToQuarantine(store, WATCH_QUARANTINE_KEY, { key, raw, reason, at });
}

/**
 * Keeps a finished session's log: appended to the outbox FIRST, and only once it is stored are the
 * running keys cleared. A crash between the two leaves a finished session in the running keys, which
 * the next page to open logs again (same id: the outbox and the phone take it once). Returns whether
 * it is stored; when it is not (the outbox is full), the running keys keep the session until there is
 * room.
 */
export function keepLog(store: KeyValueStore, log: SessionLog, now: number): boolean {
  const stored = openOutbox(store, { now }).outbox.append(log).ok;
  if (stored) {
    store.remove(RUNNING_KEYS.current);
    store.remove(RUNNING_KEYS.started);
  }
  return stored;
}

export interface SettleContext {
  readonly now: number;
  readonly utcOffsetMin: number;
  readonly appVersion: string;
}

/**
 * `stale`: only what no page can resume (a finished session never cleared, one whose running state is
 * lost, keys nobody can read); `any`: also a session cut short that the patient chose not to resume.
 */
export type SettleWhich = 'stale' | 'any';

export type Settled =
  /** Nothing to settle. */
  | 'none'
  /** The session's log is in the outbox and the running keys are cleared. */
  | 'logged'
  /** Unreadable running keys were moved to the quarantine. */
  | 'quarantined'
  /** A log could not be stored (the outbox is full): the running keys keep the session. */
  | 'kept';

/** Logs what the running keys hold as it was (or quarantines keys nobody can read). Never throws away a log. */
export function settleRunning(store: KeyValueStore, which: SettleWhich, ctx: SettleContext): Settled {
  const running = adoptRunning(store, ctx);
  // Nobody resumes a session whose running state is lost: it is logged as cut short as soon as it is seen.
  if (which === 'stale' && running.type === 'resumable') return 'none';
  if (running.type === 'none') return 'none';
  // Its text is kept before the log clears the keys; a full quarantine leaves them as they are.
  if (
    running.type === 'lost' &&
    running.unreadable &&
    !setAside(store, RUNNING_KEYS.current, running.reason, ctx.now)
  )
    return 'kept';
  if (running.type === 'corrupt') {
    for (const key of [RUNNING_KEYS.current, RUNNING_KEYS.started])
      if (!setAside(store, key, running.reason, ctx.now)) return 'kept';
    return 'quarantined';
  }
  const log = logOfRunning(running, ctx.appVersion, ctx.utcOffsetMin);
  return log?.ok && keepLog(store, log.value, ctx.now) ? 'logged' : 'kept';
}
