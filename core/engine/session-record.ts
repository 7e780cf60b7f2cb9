import { parsePrescription, type Prescription } from '../plan/prescription';
import { err, ok, type Result } from '../base/result';
import { ROUTINE_ID, ROUTINE_VERSION } from '../plan/routine';
import { RUNNING_KEYS } from './running-keys';
import { end, factsOf, restoreSession, type Outcome as SessionOutcome, type Session } from './session';
import {
  heartRateReading,
  painRating,
  parseSessionLog,
  repairSessionLog,
  SESSION_LOG_VERSION,
  sessionLogId,
  type Outcome,
  type SessionLog,
} from '../log/session-log';

/**
 * What the watch keeps while a session runs, so a relaunch resumes it or logs it for what it was.
 * Two keys (./running-keys), both whole-value writes: `started` is written at the start (the facts that
 * make a log even if everything else is lost), and once more, whole, when the first heart rate arrives;
 * `current` is rewritten after every event.
 */
export { RUNNING_KEYS };

/**
 * What the patient and the sensor said around the session, kept in the start record: the rating before
 * the first round (known when the session starts), the heart rate at the start (written into the start
 * record again when the first reading arrives), and the heart rate at the end of a session the App
 * Service finished (its hand-back, written in by the page that logs it: core/watch/service).
 */
export interface SessionExtras {
  readonly painBefore?: number;
  readonly hrStart?: number;
  readonly hrEnd?: number;
}

export interface SessionStart extends SessionExtras {
  readonly logId: string;
  readonly startedAt: number;
  readonly utcOffsetMin: number;
  readonly prescription: Prescription;
}

export interface SessionMeta extends SessionExtras {
  readonly logId: string;
  readonly utcOffsetMin: number;
  readonly appVersion: string;
  /** The heart rate at the end, known only when the session ends. */
  readonly hrEnd?: number;
}

/** The extras of a start record, each only if it holds what a log takes. */
function extrasOf(o: Record<string, unknown>): SessionExtras {
  const out: { -readonly [K in keyof SessionExtras]: SessionExtras[K] } = {};
  const pain = painRating(o.painBefore);
  if (pain !== undefined) out.painBefore = pain;
  for (const key of HR_KEYS) {
    const bpm = heartRateReading(o[key]);
    if (bpm !== undefined) out[key] = bpm;
  }
  return out;
}

const HR_KEYS = ['hrStart', 'hrEnd'] as const;

/** The extras a log takes, only those set (a log has no field for "not measured"). */
const logExtras = (m: SessionExtras): SessionExtras => {
  const out: { -readonly [K in keyof SessionExtras]: SessionExtras[K] } = {};
  for (const key of ['painBefore', ...HR_KEYS] as const) if (m[key] !== undefined) out[key] = m[key];
  return out;
};

const OUTCOME: { readonly [O in SessionOutcome]: Outcome } = {
  completed: 'completed',
  endedEarly: 'ended_early',
  interrupted: 'interrupted',
};

/**
 * The log of a record the engine built. A record the schema refuses (a broken clock, a pause longer than
 * a log holds) is still kept, its numbers brought within bounds and the changes named in `repairs`:
 * a session's log is never dropped for a number.
 */
function logOf(record: Record<string, unknown>): Result<SessionLog, string> {
  const log = parseSessionLog(record);
  if (log.ok) return ok(log.value);
  const repaired = repairSessionLog(record);
  return repaired ? ok(repaired) : err(log.error.map((e) => e.message).join(' '));
}

/** The log of a finished session (or of one being given up as interrupted at `now`). */
export function logOfSession(session: Session, now: number, meta: SessionMeta): Result<SessionLog, string> {
  const facts = factsOf(session, now);
  if (facts.startedAt === null) return err('A session that never started has nothing to log.');
  const outcome = facts.outcome ?? 'interrupted';
  const endedAt = facts.endedAt ?? Math.max(now, facts.startedAt);
  return logOf({
    v: SESSION_LOG_VERSION,
    id: meta.logId,
    routineId: session.timeline.routineId,
    routineVersion: session.timeline.routineVersion,
    prescription: session.timeline.prescription,
    startedAt: facts.startedAt,
    endedAt,
    utcOffsetMin: meta.utcOffsetMin,
    activeMs: Math.min(facts.activeMs, endedAt - facts.startedAt),
    pausedMs: facts.pausedMs,
    pauses: facts.pauses,
    roundsDone: facts.roundsCompleted,
    roundsPlanned: facts.roundsPlanned,
    stepsSkipped: facts.skippedSteps.length,
    outcome: OUTCOME[outcome],
    ...logExtras(meta),
    appVersion: meta.appVersion,
    ...measuredFields(session, facts.activeMs),
  });
}

/**
 * What the session measured of itself (core/engine/session `late`), as log fields: the cues by path,
 * the seconds of screen on (at most the active time: both from one clock), and of the cues the page
 * played (whose lateness it knows) the latest and the 95th percentile (nearest rank: the
 * (⌊n / 20⌋ + 1)-th latest of n). None of it for a session stored before it measured, when too few
 * latenesses are kept for the cues the page played (one updated mid-session may report its later
 * part). The service's count is clamped to the cues played: a stored session's is not checked
 * against them.
 */
function measuredFields(session: Session, activeMs: number): Record<string, number> {
  const out: Record<string, number> = {};
  const played = session.nextCue - session.passedCues;
  const byService = Math.min(session.byService, played);
  const byPage = played - byService;
  // Largest first, as the session keeps them (a stored session's order is not checked: out of order,
  // the figures are off, never invalid).
  const { late } = session;
  const p95 = late[Math.floor(byPage / 20)];
  // Too few kept for the cues the page played: stored before it measured.
  if (byPage > 0 && p95 === undefined) return out;
  out.cuesPage = byPage;
  out.cuesService = byService;
  out.screenOnS = Math.round(Math.min(session.litMs, activeMs) / 1000);
  if (byPage > 0) {
    out.lateMaxMs = late[0]!;
    out.lateP95Ms = p95!;
  }
  return out;
}

/** What a summary screen shows of a session: these fields of its log. */
export type SessionSummary = Pick<
  SessionLog,
  'id' | 'outcome' | 'roundsDone' | 'roundsPlanned' | 'activeMs' | 'painBefore' | 'hrStart' | 'hrEnd'
>;

/**
 * The summary of a finished session as its log will say it (`logOfSession` at its end), without building
 * or checking the log: for the App Service's notification, whose page logs the session itself.
 */
export function summaryOfSession(session: Session, meta: Omit<SessionMeta, 'appVersion'>): SessionSummary {
  // Taken at the session's end, where a finished session's facts stand still.
  const facts = factsOf(session, session.endedAt ?? session.lastAt ?? 0);
  return {
    id: meta.logId,
    outcome: OUTCOME[facts.outcome ?? 'interrupted'],
    roundsDone: facts.roundsCompleted,
    roundsPlanned: facts.roundsPlanned,
    // For an ended session within its span already, as the log's is held to.
    activeMs: facts.activeMs,
    ...logExtras(meta),
  };
}

/**
 * The log of a session whose running state was lost or corrupt: all that is known is that it started,
 * with which prescription. Nothing is made up: no rounds, no active time.
 */
function logOfLostSession(start: SessionStart, appVersion: string): Result<SessionLog, string> {
  return logOf({
    v: SESSION_LOG_VERSION,
    id: start.logId,
    routineId: ROUTINE_ID,
    routineVersion: ROUTINE_VERSION,
    prescription: start.prescription,
    startedAt: start.startedAt,
    endedAt: start.startedAt,
    utcOffsetMin: start.utcOffsetMin,
    activeMs: 0,
    pausedMs: 0,
    pauses: 0,
    roundsDone: 0,
    roundsPlanned: start.prescription.rounds,
    stepsSkipped: 0,
    outcome: 'interrupted',
    ...logExtras(start),
    appVersion,
  });
}

export const encodeStart = (start: SessionStart): string => JSON.stringify(start);

/**
 * The start record `text` with the end reading written in, or undefined when it is no readable start
 * record of the session `logId` (the reading then belongs to no session the keys hold).
 */
export function startWithEnd(text: string | undefined, logId: string, hrEnd: number): string | undefined {
  const start = decodeStart(text);
  // A rate outside 25-250 bpm is dropped when the record is read back (extrasOf).
  return start.ok && start.value.logId === logId ? encodeStart({ ...start.value, hrEnd }) : undefined;
}

function decodeStart(text: unknown): Result<SessionStart, string> {
  if (typeof text !== 'string') return err('No session start is stored.');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return err('The stored session start is not valid JSON.');
  }
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const prescription = parsePrescription(o.prescription);
  if (
    typeof o.logId !== 'string' ||
    !Number.isSafeInteger(o.startedAt) ||
    !Number.isInteger(o.utcOffsetMin)
  ) {
    return err('The stored session start lacks its id, start time or UTC offset.');
  }
  if (!prescription.ok) return err('The stored session start has an invalid prescription.');
  return ok({
    logId: o.logId,
    startedAt: o.startedAt as number,
    utcOffsetMin: o.utcOffsetMin as number,
    prescription: prescription.value,
    ...extrasOf(o),
  });
}

/** What the running keys hold when a page opens. */
export type Running =
  | { readonly type: 'none' }
  /**
   * A session can be picked up (`resumable`), or it finished but the keys were not cleared (the app died
   * between logging and clearing: log it again, the same bytes). `logId`, `utcOffsetMin` and `extras`
   * are its start record's; `adopt` is set when the start record is missing, unreadable or another
   * session's: the id is then its start and ten zeros (`sessionLogId` without randomness), the same at
   * every read, and the offset is the caller's
   * until a start record is written for it (core/watch/running `adoptRunning`).
   */
  | {
      readonly type: 'resumable' | 'finished';
      readonly session: Session;
      readonly logId: string;
      readonly utcOffsetMin?: number;
      readonly extras?: SessionExtras;
      readonly adopt?: true;
    }
  /**
   * The running state is unreadable, missing, or never started, but the start record says a session
   * began: it cannot be resumed, only logged. `unreadable`: the state key holds text that does not decode
   * (kept in the quarantine before the keys are cleared).
   */
  | {
      readonly type: 'lost';
      readonly start: SessionStart;
      readonly reason: string;
      readonly unreadable?: boolean;
    }
  /** Nothing readable: the shell quarantines both keys and says so. */
  | { readonly type: 'corrupt'; readonly reason: string };

/**
 * Reads the two running keys. The running state wins over a start record of another session: it is
 * the one written last.
 */
export function readRunning(current: string | undefined, started: string | undefined): Running {
  if (current === undefined && started === undefined) return { type: 'none' };
  const session = current === undefined ? null : restoreSession(current);
  const start = started === undefined ? null : decodeStart(started);
  if (session?.ok && session.value.startedAt !== null) {
    const s = session.value;
    const own = start?.ok && start.value.startedAt === s.startedAt ? start.value : null;
    return {
      type: s.status === 'finished' ? 'finished' : 'resumable',
      session: s,
      ...(own
        ? { logId: own.logId, utcOffsetMin: own.utcOffsetMin, extras: extrasOf(own as never) }
        : { logId: sessionLogId(s.startedAt as number), extras: {}, adopt: true }),
    };
  }
  const reason = session && !session.ok ? session.error.message : 'The running session was not stored.';
  if (start?.ok)
    return {
      type: 'lost',
      start: start.value,
      reason,
      ...(session && !session.ok ? { unreadable: true } : {}),
    };
  return { type: 'corrupt', reason: start && !start.ok ? `${reason} ${start.error}` : reason };
}

/** Gives up a restored session as interrupted, ending it where it was lost. */
export function interruptedLog(session: Session, meta: SessionMeta): Result<SessionLog, string> {
  if (session.status === 'finished') return logOfSession(session, session.endedAt ?? 0, meta);
  const lostAt = session.pausedAt ?? session.lastAt;
  if (lostAt === null) return err('A session that never started has nothing to log.');
  const ended = end(session, lostAt, 'interrupted');
  return ended.ok ? logOfSession(ended.value.session, lostAt, meta) : err(ended.error.message);
}

/**
 * The log to keep for a session the patient chose not to resume (or one already finished), at the
 * offset its start record holds; `utcOffsetMin` (the clock's now) only for one that has none.
 */
export function logOfRunning(
  running: Running,
  appVersion: string,
  utcOffsetMin: number,
): Result<SessionLog, string> | null {
  switch (running.type) {
    case 'resumable':
    case 'finished':
      return interruptedLog(running.session, {
        logId: running.logId,
        utcOffsetMin: running.utcOffsetMin ?? utcOffsetMin,
        appVersion,
        ...running.extras,
      });
    case 'lost':
      return logOfLostSession(running.start, appVersion);
    case 'none':
    case 'corrupt':
      return null;
  }
}
