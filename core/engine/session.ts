import { positionAt, type Position } from './position';
import type { PrescriptionError } from '../plan/prescription';
import { err, ok, type Result } from '../base/result';
import { longestMs } from './cue-length';
import { due } from './schedule';
import { buildTimeline, cueIndexFrom, stepIndexAt, type Cue, type CueKind, type Timeline } from './timeline';

const SESSION_STATUSES = ['idle', 'running', 'paused', 'finished'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
/** `interrupted` is for a session the app lost (closed, crashed) and the shell chose to log as it was. */
const SESSION_OUTCOMES = ['completed', 'endedEarly', 'interrupted'] as const;
export type Outcome = (typeof SESSION_OUTCOMES)[number];

/**
 * A session is its timeline plus a handful of numbers; its position is never stored, only derived
 * from active time (`now − originMs`), so pauses, late timers and relaunches cannot make it drift.
 * All times are the shell's `now()` values in ms.
 */
export interface Session {
  readonly timeline: Timeline;
  readonly status: SessionStatus;
  readonly startedAt: number | null;
  /** When the pause in progress began; null unless paused. */
  readonly pausedAt: number | null;
  /** Sum of finished pauses. */
  readonly pausedMs: number;
  readonly pauses: number;
  /** Active time jumped over by skips. */
  readonly skippedMs: number;
  /** Indices (into timeline.steps) of the steps skipped, in order. */
  readonly skippedSteps: readonly number[];
  /** Cues before this index have been handled: played, or passed over (see schedule). */
  readonly nextCue: number;
  /** How many of the handled cues were passed over rather than played. */
  readonly passedCues: number;
  /** The latest `now` seen; a `now` before it is taken as it, so the session never runs backwards. */
  readonly lastAt: number | null;
  /** For a completed session, the moment the last cue was due, not when the wake noticed it. */
  readonly endedAt: number | null;
  readonly outcome: Outcome | null;
  // What the session measures of itself (issue 23), stored with it, into its log
  // (core/engine/session-record). Lateness: from a cue's due moment to the wake that played it
  // (core/engine/schedule `lateMs`), for every cue the page played. Only the largest ⌊n / 20⌋ + 1 of
  // a timeline of n cues are kept: enough for the 95th percentile by nearest rank (of n played cues,
  // the one at rank ⌈0.95 n⌉ from the earliest is the (⌊n / 20⌋ + 1)-th latest). The App Service's
  // cues are counted where a page follows the clock after it (`wake`'s `theirs`): its own flow is
  // never stored. Screen: sampled at each event (core/engine/session-flow `apply`), the time since the
  // one before counted as lit when the screen is on at it and the session ran in between.
  /** The largest latenesses of the cues the page played, ms, largest first. */
  readonly late: readonly number[];
  /** Cues handed to the App Service: found due when a page followed the clock after it. */
  readonly byService: number;
  /** How long the screen was on while the session ran, ms (sampled at each wake and touch). */
  readonly litMs: number;
}

/**
 * How long a cue's pattern plays on the motor at hand (haptics `playMs`): the late-wake rule leaves
 * room for it. Without one, transitions assume the longer of the two forms (`longestMs`).
 */
export type LengthOf = (kind: CueKind) => number;

/** What a transition asks of the shell, Elm-style: the new state and the effects to carry out. */
export interface Update {
  readonly session: Session;
  /** Play this cue's pattern now. */
  readonly play: Cue | null;
  /** Cues handled without being played, oldest first: stale after a late wake, or jumped by a skip. */
  readonly passed: readonly Cue[];
  /** The next cue's absolute time, which the one timer wakes for (the flow's `wakeAt`); null: none left. */
  readonly deadline: number | null;
  /** Set when this transition finished the session: write the log before anything else. */
  readonly finished: Outcome | null;
}

export interface SessionError {
  readonly message: string;
}

export function createSession(prescription: unknown): Result<Session, PrescriptionError[]> {
  const timeline = buildTimeline(prescription);
  if (!timeline.ok) return timeline;
  return ok({
    timeline: timeline.value,
    status: 'idle',
    startedAt: null,
    pausedAt: null,
    pausedMs: 0,
    pauses: 0,
    skippedMs: 0,
    skippedSteps: [],
    nextCue: 0,
    passedCues: 0,
    lastAt: null,
    endedAt: null,
    outcome: null,
    late: [],
    byService: 0,
    litMs: 0,
  });
}

/** The absolute time at which active time was 0; null before the start. */
export function originOf(session: Session): number | null {
  return session.startedAt === null ? null : session.startedAt + session.pausedMs - session.skippedMs;
}

/** Active time at `now`, pauses excluded and skips included, clamped to the timeline. */
export function elapsedMs(session: Session, now: number): number {
  const origin = originOf(session);
  if (origin === null) return 0;
  const t = session.pausedAt ?? session.endedAt ?? Math.max(now, session.lastAt ?? now);
  const e = Number.isFinite(t) ? t - origin : 0;
  return Math.min(Math.max(e, 0), session.timeline.totalMs);
}

export function positionOf(session: Session, now: number): Position {
  return positionAt(session.timeline, elapsedMs(session, now));
}

export interface SessionFacts {
  readonly outcome: Outcome | null;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  /** Time spent in the routine: wall time minus pauses (skipped time is not counted as done). */
  readonly activeMs: number;
  readonly pauses: number;
  readonly pausedMs: number;
  readonly skippedSteps: readonly number[];
  readonly roundsCompleted: number;
  readonly roundsPlanned: number;
  readonly cuesPlayed: number;
  readonly cuesPassed: number;
}

/** What the session log records, as of `now` (or as of the end, once finished). */
export function factsOf(session: Session, now: number): SessionFacts {
  const t = session.endedAt ?? Math.max(now, session.lastAt ?? now);
  const openPause = session.pausedAt === null ? 0 : Math.max(t - session.pausedAt, 0);
  const pausedMs = session.pausedMs + openPause;
  return {
    outcome: session.outcome,
    startedAt: session.startedAt,
    endedAt: session.endedAt,
    activeMs: session.startedAt === null ? 0 : Math.max(t - session.startedAt - pausedMs, 0),
    pauses: session.pauses,
    pausedMs,
    skippedSteps: session.skippedSteps,
    roundsCompleted: positionOf(session, now).roundsDone,
    roundsPlanned: session.timeline.rounds.length,
    cuesPlayed: session.nextCue - session.passedCues,
    cuesPassed: session.passedCues,
  };
}

type Transition = Result<Update, SessionError>;

const illegal = (action: string, session: Session): Transition =>
  err({ message: `Cannot ${action} a session that is ${session.status}.` });

/**
 * Guards `now` and applies the never-backwards rule. Whole milliseconds only (what Date.now() gives):
 * then every sum of spans is exact and a wake right on a deadline always finds its cue due.
 */
function timeOf(session: Session, now: number): Result<number, SessionError> {
  if (!Number.isSafeInteger(now)) {
    return err({ message: `now must be a whole number of ms; got ${String(now)}.` });
  }
  return ok(session.lastAt === null ? now : Math.max(now, session.lastAt));
}

const settled = (session: Session): Update => ({
  session,
  play: null,
  passed: [],
  deadline: null,
  finished: null,
});

/**
 * Brings a running session up to `t` under the late-wake rule. With `playStale` false, an overdue cue
 * is passed over instead of played, because the action under way (skip, end) gives its own signal;
 * the session-done cue is the exception, since a session that has in fact completed should say so.
 */
function catchUp(
  session: Session,
  t: number,
  playStale: boolean,
  lengthOf: LengthOf,
  theirs = false,
): Update {
  const origin = originOf(session);
  if (session.status !== 'running' || origin === null) return settled({ ...session, lastAt: t });
  const d = due({ timeline: session.timeline, nextCue: session.nextCue, originMs: origin }, t, lengthOf);
  const play = d.play !== null && (playStale || d.play.kind === 'sessionDone') ? d.play : null;
  const passed = play === null && d.play !== null ? [...d.passed, d.play] : d.passed;
  const done = d.nextCue >= session.timeline.cues.length;
  const next: Session = {
    ...session,
    nextCue: d.nextCue,
    // After the App Service ran it (`theirs`), the cues found due were the service's, not passed over.
    passedCues: session.passedCues + (theirs ? 0 : passed.length),
    byService: session.byService + (theirs ? passed.length : 0),
    lastAt: t,
    // Its lateness noted, the largest ⌊cues / 20⌋ + 1 kept, largest first (see `late`).
    late: play
      ? [...session.late, d.lateMs]
          .sort((a, b) => b - a)
          .slice(0, Math.floor(session.timeline.cues.length / 20) + 1)
      : session.late,
    ...(done
      ? {
          status: 'finished' as const,
          outcome: 'completed' as const,
          endedAt: origin + session.timeline.totalMs,
        }
      : {}),
  };
  return {
    session: next,
    play,
    passed,
    deadline: done ? null : d.deadline,
    finished: done ? 'completed' : null,
  };
}

/**
 * The timer fired (or the app came back): play what is due and say when to wake next. `theirs`: a page
 * picks up (or logs) a session the App Service ran, which cannot store while the screen is on
 * (core/watch/service): the cues found due were the service's, counted as its (`byService`), not as
 * passed. How late it played them the page cannot know: only a cue the page plays has its lateness
 * noted.
 */
export function wake(
  session: Session,
  now: number,
  lengthOf: LengthOf = longestMs,
  theirs = false,
): Transition {
  const t = timeOf(session, now);
  if (!t.ok) return t;
  if (session.status === 'idle' || session.status === 'finished') return ok(settled(session));
  return ok(catchUp(session, t.value, true, lengthOf, theirs));
}

export function start(session: Session, now: number, lengthOf: LengthOf = longestMs): Transition {
  const t = timeOf(session, now);
  if (!t.ok) return t;
  if (session.status !== 'idle') return illegal('start', session);
  return ok(
    catchUp({ ...session, status: 'running', startedAt: t.value, lastAt: t.value }, t.value, true, lengthOf),
  );
}

export function pause(session: Session, now: number, lengthOf: LengthOf = longestMs): Transition {
  const t = timeOf(session, now);
  if (!t.ok) return t;
  if (session.status !== 'running') return illegal('pause', session);
  const caught = catchUp(session, t.value, true, lengthOf);
  if (caught.finished !== null) return ok(caught);
  return ok({
    ...caught,
    session: { ...caught.session, status: 'paused', pausedAt: t.value, pauses: session.pauses + 1 },
    deadline: null,
  });
}

export function resume(session: Session, now: number, lengthOf: LengthOf = longestMs): Transition {
  const t = timeOf(session, now);
  if (!t.ok) return t;
  if (session.status !== 'paused' || session.pausedAt === null) return illegal('resume', session);
  const running: Session = {
    ...session,
    status: 'running',
    pausedMs: session.pausedMs + (t.value - session.pausedAt),
    pausedAt: null,
  };
  return ok(catchUp(running, t.value, true, lengthOf));
}

/**
 * Moves active time to the start of the next step (the end of the session from the last step). The
 * cues jumped over are passed; the new step's first cue plays at once if running, or on resume.
 */
export function skip(session: Session, now: number, lengthOf: LengthOf = longestMs): Transition {
  const t = timeOf(session, now);
  if (!t.ok) return t;
  if (session.status !== 'running' && session.status !== 'paused') return illegal('skip', session);
  const caught = catchUp(session, t.value, false, lengthOf);
  if (caught.finished !== null) return ok(caught);
  const s = caught.session;
  const e = elapsedMs(s, t.value);
  const index = stepIndexAt(s.timeline, e);
  const step = s.timeline.steps[index];
  if (step === undefined) return ok(caught);
  const landing = cueIndexFrom(s.timeline, step.endMs);
  const jumped = s.timeline.cues.slice(s.nextCue, landing);
  const moved: Session = {
    ...s,
    skippedMs: s.skippedMs + (step.endMs - e),
    skippedSteps: [...s.skippedSteps, index],
    nextCue: landing,
    passedCues: s.passedCues + jumped.length,
  };
  const passed = [...caught.passed, ...jumped];
  if (moved.status === 'paused') return ok({ ...settled(moved), passed });
  const after = catchUp(moved, t.value, true, lengthOf);
  return ok({ ...after, passed: [...passed, ...after.passed] });
}

/** Ends before the last cue: by the patient (`endedEarly`) or by the shell for a lost session (`interrupted`). */
export function end(
  session: Session,
  now: number,
  outcome: Exclude<Outcome, 'completed'> = 'endedEarly',
  lengthOf: LengthOf = longestMs,
): Transition {
  const t = timeOf(session, now);
  if (!t.ok) return t;
  if (session.status !== 'running' && session.status !== 'paused') return illegal('end', session);
  const caught = catchUp(session, t.value, false, lengthOf);
  if (caught.finished !== null) return ok(caught);
  const s = caught.session;
  const ended: Session = {
    ...s,
    status: 'finished',
    pausedMs: s.pausedAt === null ? s.pausedMs : s.pausedMs + (t.value - s.pausedAt),
    pausedAt: null,
    endedAt: t.value,
    outcome,
  };
  return ok({ ...caught, session: ended, deadline: null, finished: outcome });
}

/** The deadline to re-arm after a relaunch, without handling anything: null unless running. */
export function deadlineOf(session: Session): number | null {
  const origin = originOf(session);
  const cue = session.timeline.cues[session.nextCue];
  return session.status === 'running' && origin !== null && cue !== undefined ? origin + cue.atMs : null;
}

// ---- Serialised form: written after every event, read back on relaunch ---------------------------------

/** Bump when the stored shape changes; a stored session of another schema is refused, not guessed at. */
export const SESSION_SCHEMA = 1;

export interface RestoreError {
  readonly message: string;
  /** For bad_prescription: every violation found. */
  readonly prescription?: readonly PrescriptionError[];
}

export function serialiseSession(session: Session): string {
  const { timeline } = session;
  // The timeline is rebuilt from the prescription on restore: left out (JSON drops an undefined value).
  // Written without a rest pattern, whose ES2015 helper the pages would carry for this alone.
  return JSON.stringify({
    schema: SESSION_SCHEMA,
    routine: { id: timeline.routineId, version: timeline.routineVersion },
    prescription: timeline.prescription,
    ...session,
    timeline: undefined,
  });
}

const fail = (message: string): Result<never, RestoreError> => err({ message });

/**
 * Reads back what serialiseSession wrote, from any untrusted value (a stored string may be truncated,
 * edited or from another version). Checks every field and how they fit together, so that whatever it
 * accepts, every transition on it is well defined.
 */
export function restoreSession(text: unknown): Result<Session, RestoreError> {
  let raw: unknown;
  try {
    raw = JSON.parse(text as string);
  } catch {
    // Not JSON: refused below with the rest.
  }
  if (typeof text !== 'string' || typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    const got = typeof text === 'string' ? JSON.stringify(text.slice(0, 40)) : typeof text;
    return fail(`A stored session is a JSON object, as text; got ${got}.`);
  }
  // A session stored before it measured itself (issue 23) measured nothing.
  const o: Record<string, unknown> = { late: [], byService: 0, litMs: 0, ...(raw as object) };
  if (o.schema !== SESSION_SCHEMA) {
    return fail(`Stored session schema ${JSON.stringify(o.schema)} is not ${SESSION_SCHEMA}.`);
  }
  const routine = o.routine as Record<string, unknown> | null | undefined;
  if (typeof routine !== 'object' || routine === null) return fail('The routine is missing.');
  const timeline = buildTimeline(o.prescription);
  if (!timeline.ok) {
    return err({
      message: `The stored prescription is invalid: ${timeline.error.map((e) => e.message).join(' ')}`,
      prescription: timeline.error,
    });
  }
  const tl = timeline.value;
  if (routine.id !== tl.routineId || routine.version !== tl.routineVersion) {
    return fail(
      `Stored for routine ${JSON.stringify(routine.id)} v${JSON.stringify(routine.version)}; this is ${tl.routineId} v${tl.routineVersion}.`,
    );
  }

  // The numbers serialiseSession writes: instants (or null) and counts ≥ 0, by name (one list each, not
  // an object that names each twice: the pages carry this).
  const times = ['startedAt', 'pausedAt', 'lastAt', 'endedAt'];
  const counts = ['pausedMs', 'pauses', 'skippedMs', 'nextCue', 'passedCues', 'byService', 'litMs'];
  const known = [
    'schema',
    'routine',
    'prescription',
    'status',
    'skippedSteps',
    'outcome',
    'late',
    ...times,
    ...counts,
  ];
  const unknown = Object.keys(o).filter((k) => !known.includes(k));
  if (unknown.length > 0) return fail(`Unknown field(s) in stored session: ${unknown.join(', ')}.`);

  const status = o.status;
  if (typeof status !== 'string' || !(SESSION_STATUSES as readonly string[]).includes(status)) {
    return fail(`status must be one of ${SESSION_STATUSES.join(', ')}; got ${JSON.stringify(status)}.`);
  }
  const bad = [
    ...times.filter((k) => o[k] !== null && !Number.isSafeInteger(o[k])),
    ...counts.filter((k) => !(Number.isSafeInteger(o[k]) && (o[k] as number) >= 0)),
  ];
  if (bad.length > 0) {
    return fail(`Not a whole number of ms (or a count ≥ 0) where one is needed: ${bad.join(', ')}.`);
  }
  const outcome = o.outcome;
  if (
    outcome !== null &&
    (typeof outcome !== 'string' || !(SESSION_OUTCOMES as readonly string[]).includes(outcome))
  ) {
    return fail(
      `outcome must be null or one of ${SESSION_OUTCOMES.join(', ')}; got ${JSON.stringify(outcome)}.`,
    );
  }
  const steps = o.skippedSteps;
  if (
    !Array.isArray(steps) ||
    !steps.every(
      (s, i) =>
        Number.isSafeInteger(s) && s >= 0 && s < tl.steps.length && (i === 0 || s > (steps[i - 1] as number)),
    )
  ) {
    return fail(`skippedSteps must be increasing step indices below ${tl.steps.length}.`);
  }

  const late = o.late;
  // Whole numbers ≥ 0 (Math.min of 0 and them is 0), without a function of its own: heap on the page.
  // More of them than it keeps harms nothing: the next cue keeps the largest.
  if (!Array.isArray(late) || !late.every(Number.isSafeInteger) || Math.min(0, ...late) < 0) {
    return fail('late must be whole numbers of ms ≥ 0.');
  }

  const session: Record<string, unknown> = {
    timeline: tl,
    status,
    skippedSteps: steps,
    outcome,
    late,
  };
  for (const k of [...times, ...counts]) session[k] = o[k];
  // Every field checked above: a Session.
  const problem = inconsistency(session as unknown as Session);
  return problem === null
    ? ok(session as unknown as Session)
    : fail(`The stored session does not hold together: ${problem}.`);
}

/** The invariants every transition keeps; a stored value that breaks one was not written by us. */
function inconsistency(s: Session): string | null {
  const cues = s.timeline.cues;
  const total = s.timeline.totalMs;
  if (s.passedCues > s.nextCue || s.nextCue > cues.length) return 'cue counters out of range';
  if (s.skippedMs > total) return 'more time skipped than the session has';
  // A skip always jumps forward by more than 0 ms, so skipped time and skipped steps come together.
  if (s.skippedMs > 0 !== s.skippedSteps.length > 0) return 'skipped time and skipped steps disagree';
  if (s.status === 'idle') {
    const untouched =
      s.startedAt === null &&
      s.pausedAt === null &&
      s.lastAt === null &&
      s.endedAt === null &&
      s.outcome === null &&
      s.pausedMs + s.pauses + s.skippedMs + s.nextCue + s.passedCues + s.byService + s.litMs === 0 &&
      s.skippedSteps.length + s.late.length === 0;
    return untouched ? null : 'an idle session carries progress';
  }
  if (s.startedAt === null || s.lastAt === null || s.lastAt < s.startedAt)
    return 'start and last times disagree';
  if ((s.status === 'paused') !== (s.pausedAt !== null)) return 'pausedAt and status disagree';
  if (
    (s.status === 'finished') !== (s.endedAt !== null) ||
    (s.status === 'finished') !== (s.outcome !== null)
  ) {
    return 'end fields and status disagree';
  }
  if (s.status !== 'finished' && s.nextCue >= cues.length) return 'every cue handled but not finished';
  if (s.outcome === 'completed' && s.nextCue !== cues.length) return 'completed with cues left';
  if (s.pausedAt !== null && (s.pausedAt < s.startedAt || s.pausedAt > s.lastAt))
    return 'pausedAt out of range';
  if (s.endedAt !== null && (s.endedAt < s.startedAt || s.endedAt > s.lastAt)) return 'endedAt out of range';
  if (s.pausedMs > s.lastAt - s.startedAt) return 'paused longer than the session ran';
  if (s.pauses === 0 && (s.pausedMs > 0 || s.pausedAt !== null)) return 'paused time without a pause';
  const origin = s.startedAt + s.pausedMs - s.skippedMs;
  const e = (s.pausedAt ?? s.endedAt ?? s.lastAt) - origin;
  if (e < 0 || e > total) return 'active time outside the session';
  const lastHandled = cues[s.nextCue - 1];
  if (lastHandled !== undefined && lastHandled.atMs > e) return 'a cue handled before its time';
  return null;
}
