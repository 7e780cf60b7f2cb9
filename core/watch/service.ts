import type { KeyValueStore } from '../base/kv';
import { err, ok, type Result } from '../base/result';
import { serialiseSession, wake } from '../engine/session';
import {
  logOfRunning,
  readRunning,
  RUNNING_KEYS,
  startWithEnd,
  type Running,
} from '../engine/session-record';
import type { SessionLog } from '../log/session-log';
import { adoptRunning, keepLog, readRunningKeys } from './running';
import type { CueForms } from '../engine/session-flow';

/**
 * The session in the App Service (API ≥ 4.0, docs/platform-facts.md AS1–AS9). The session page starts
 * the service and stays a view of it; the service plays the cues on `createSysTimer` with the page's
 * own engine.
 *
 * The service cannot be told anything while it runs: the docs give a page no way to message a running
 * service, and a second `start` of it may fail (read harshly, AS4). So the service is a function of
 * one hand-over, written by the page before each start, and of the clock: every change the patient
 * makes (pause, resume, skip, end) stops the service, and, if the session still runs, writes a new
 * hand-over and starts it again. The hand-over is a file (`@zos/fs`), because `@zos/storage` is not in
 * the service's availability table and a restarted service may get no start param (both read
 * harshly); the service only reads it (its file writes are allowed only with the screen off).
 *
 * The page's running keys hold everything the log is made of (the cues follow from the clock), so
 * whichever page opens next brings them up to date with the clock and logs a session the service
 * finished. All but one thing: the heart rate at the end, which only the service measured. That it
 * hands back in a file of its own, written at the finish if the screen is off (its writes are allowed
 * only then), and in the param of its notification's action, both the summary params of its log; the
 * summary page writes it into the start record first (`takeHandback`).
 */

/** The App Service file (app.json module.app-service.services). */
export const SERVICE_FILE = 'app-service/session';
/** The hand-over file in the Mini Program's /data folder. */
export const HANDOVER_PATH = 'session-handover.json';
/** The service's hand-back file (the end reading), in the same folder. */
export const HANDBACK_PATH = 'session-handback.json';
/** The permission a continuously running service needs, granted by the user (app/requestPermission). */
export const BACKGROUND_PERMISSION = 'device:os.bg_service';

/** LocalStorage: who plays the cues of the stored session. Absent: the page. */
export const RUNNER_KEY = 'session.runner';
/** LocalStorage: the background permission was asked once; it is not asked again. */
export const ASKED_KEY = 'service.asked';

const HANDOVER_VERSION = 1;

export interface Handover {
  /** RUNNING_KEYS.current's text: the session as the page left it. */
  readonly current: string;
  /** RUNNING_KEYS.started's text (the log id), when present. */
  readonly started: string | undefined;
  /**
   * The service may measure heart rate: the page found the permission granted and the sensor there (a
   * service cannot ask: only the get* APIs of @zos/app are available to it). Absent: it may not.
   */
  readonly heartRate?: boolean;
  /** Cues played in another form than as set (the wrist check, core/watch/session-path). */
  readonly forms?: CueForms;
}

export function encodeHandover(h: Handover): string {
  return JSON.stringify({
    v: HANDOVER_VERSION,
    current: h.current,
    started: h.started ?? null,
    hr: h.heartRate === true,
    // Absent when every cue plays as set (JSON leaves out undefined).
    forms: h.forms,
  });
}

/** The cue forms a hand-over carries (none, or anything unreadable: every cue as set). */
export function handoverForms(text: string | undefined): CueForms {
  try {
    const forms = (JSON.parse(text ?? '') as { forms?: unknown } | null)?.forms;
    return typeof forms === 'object' && forms !== null ? (forms as CueForms) : {};
  } catch {
    return {};
  }
}

/**
 * The wrist check's probe (API ≥ 4.0): a hand-over that asks the service to buzz once at `at` if the
 * screen is off then, write PROBE_PATH (its writes are allowed only with the screen off) and exit. It
 * is no session: a version-1 session hand-over reader refuses it.
 */
export const PROBE_PATH = 'check-probe.json';
export const encodeProbe = (at: number): string => JSON.stringify({ v: HANDOVER_VERSION, probe: at });
/** The probe's time, if the hand-over is a probe. */
export function probeOf(text: string | undefined): number | undefined {
  try {
    const at = (JSON.parse(text ?? '') as { probe?: unknown } | null)?.probe;
    return typeof at === 'number' && Number.isFinite(at) ? at : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the hand-over lets the service measure heart rate (anything unreadable: it does not). */
export function handoverHeartRate(text: string | undefined): boolean {
  try {
    return (JSON.parse(text ?? '') as { hr?: unknown } | null)?.hr === true;
  } catch {
    return false;
  }
}

/** The hand-over as the running keys would give it, or why it cannot be read. */
export function decodeHandover(text: string | undefined): Result<Running, string> {
  if (text === undefined) return err(`${HANDOVER_PATH}: missing`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return err(`${HANDOVER_PATH}: not JSON`);
  }
  const o = raw as { v?: unknown; current?: unknown; started?: unknown } | null;
  if (typeof o !== 'object' || o === null || o.v !== HANDOVER_VERSION)
    return err(`${HANDOVER_PATH}: not a version ${HANDOVER_VERSION} hand-over`);
  if (typeof o.current !== 'string') return err(`${HANDOVER_PATH}: no session`);
  if (o.started !== null && typeof o.started !== 'string') return err(`${HANDOVER_PATH}: bad start record`);
  const running = readRunning(o.current, o.started ?? undefined);
  if (running.type !== 'resumable')
    return err(`${HANDOVER_PATH}: holds no session that can run (${running.type})`);
  return ok(running);
}

/** The hand-over of what the running keys hold now. */
export function handoverOf(store: KeyValueStore, heartRate = false, forms?: CueForms): string | undefined {
  const current = store.get(RUNNING_KEYS.current);
  return current === undefined
    ? undefined
    : encodeHandover({ current, started: store.get(RUNNING_KEYS.started), heartRate, forms });
}

/** What the service hands back: the end reading of the session `logId`. */
export interface Handback {
  readonly logId: string;
  readonly hrEnd: number;
}

/**
 * Writes the service's end reading into the start record of the session it belongs to (the one whose
 * start record has its log id; a session without a start record of its own is given one first, under
 * the id the service derived too: `adoptRunning`), so that the log made from the running keys carries
 * it. Call after `followClock`, before logging. Returns false (and changes nothing more) when the keys
 * hold no such session.
 */
export function takeHandback(
  store: KeyValueStore,
  h: Handback,
  clock: { readonly now: number; readonly utcOffsetMin: number },
): boolean {
  adoptRunning(store, clock);
  const text = startWithEnd(store.get(RUNNING_KEYS.started), h.logId, h.hrEnd);
  if (text === undefined) return false;
  store.set(RUNNING_KEYS.started, text);
  return true;
}

/** Whether the stored session's cues come from the service. */
export const runByService = (store: KeyValueStore): boolean =>
  store.get(RUNNING_KEYS.current) !== undefined && store.get(RUNNER_KEY) === 'service';

/**
 * Why the service could not take the session, as the page tells the patient (an i18n key). The codes
 * are `@zos/app-service` start's ERROR_CODE (app-service/start), plus the refused permission and a
 * start whose completion said it failed.
 */
export type ServiceRefusal =
  | 'refused'
  | 'param'
  | 'state'
  | 'permission'
  | 'memory'
  | 'unsupported'
  | 'prohibited'
  | 'busy'
  | 'unknown'
  | 'failed';

const START_CODES: { readonly [code: number]: ServiceRefusal } = {
  1: 'param',
  2: 'state',
  3: 'permission',
  4: 'memory',
  5: 'unsupported',
  6: 'prohibited',
  7: 'busy',
  255: 'unknown',
};

/** A non-zero start result, as a refusal (a code the reference does not list counts as unknown). */
export const refusalOfStart = (code: number): ServiceRefusal => START_CODES[code] ?? 'unknown';

/** The i18n key of the patient's explanation. */
export const refusalText = (r: ServiceRefusal): string => `service.${r}`;

export type Followed =
  /** The cues of the stored session (if any) do not come from the service. */
  | 'none'
  /** The service's session is paused: nothing moved. */
  | 'paused'
  /** The stored session is brought up to the clock and still runs. */
  | 'running'
  /** By the clock the session is over: it is stored as finished, for the log. */
  | 'finished';

/**
 * Brings a session the service runs up to the clock in the running keys: the cues due since the page
 * last wrote them were the service's to play. A session that is over by now is stored finished, so
 * the usual settling logs it (completed, ending when its last cue was due).
 */
export function followClock(store: KeyValueStore, now: number): Followed {
  if (!runByService(store)) return 'none';
  const running = readRunningKeys(store);
  if (running.type !== 'resumable') return 'none';
  if (running.session.status === 'paused') return 'paused';
  // The cues due since were the service's, counted as its (core/engine/session `wake`), the one a
  // page would play too: no page plays it here, and its lateness is not the service's.
  const woke = wake(running.session, now, undefined, true);
  if (!woke.ok) return 'none';
  const s = woke.value.session;
  const played = woke.value.play ? { byService: s.byService + 1, late: running.session.late } : {};
  store.set(RUNNING_KEYS.current, serialiseSession({ ...s, ...played }));
  if (woke.value.finished === null) return 'running';
  store.remove(RUNNER_KEY);
  return 'finished';
}

/**
 * Logs a finished session the running keys still hold (the session page left it there for the summary,
 * or the service finished it with no page open) and returns its log for the summary, or null when
 * there is none.
 */
export function logFinished(
  store: KeyValueStore,
  ctx: { readonly now: number; readonly appVersion: string; readonly utcOffsetMin: number },
): { readonly log: SessionLog; readonly stored: boolean } | null {
  const running = adoptRunning(store, ctx);
  if (running.type !== 'finished') return null;
  const log = logOfRunning(running, ctx.appVersion, ctx.utcOffsetMin);
  if (!log?.ok) return null;
  return { log: log.value, stored: keepLog(store, log.value, ctx.now) };
}
