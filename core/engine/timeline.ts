import { parsePrescription, type Prescription, type PrescriptionError } from '../plan/prescription';
import { err, ok, type Result } from '../base/result';
import {
  BREATH_KEYS,
  ROUTINE,
  SESSION_DONE_KEYS,
  SWEEP_HALF_KEYS,
  stepMs,
  type BreathPhase,
  type Routine,
  type Step,
  type StepKind,
  type SweepHalf,
} from '../plan/routine';

/**
 * What a cue tells the wrist, in the order a session first meets them (the order "Feel the cues"
 * teaches them). Each kind has one vibration pattern (see haptics).
 */
export const CUE_KINDS = ['stepStart', 'sweepTick', 'inhale', 'exhale', 'roundDone', 'sessionDone'] as const;
export type CueKind = (typeof CUE_KINDS)[number];

/** A step of the session (its place in `Timeline.steps` is its index: the set-up is 0). */
export interface TimelineStep {
  readonly kind: StepKind;
  /** 0 for the set-up, then 1..rounds. */
  readonly round: number;
  /** 1-based place in its round (1..stepsInRound); 0 for the set-up. */
  readonly stepInRound: number;
  readonly startMs: number;
  readonly endMs: number;
  /**
   * The routine's own step (core/plan/routine): its texts (`nameKey`, `doKey`), how it is paced
   * (`pacing.type`: what a screen counts in it, seconds, sweeps or breaths), whether a tap starts it.
   * Shared, not copied: six fields, the slots QuickJS gives an object of five or six.
   */
  readonly def: Step;
}

export interface TimelineRound {
  /** 1-based. */
  readonly round: number;
  readonly startMs: number;
  readonly endMs: number;
}

export interface SweepMark {
  /** 1-based sweep number, of `count`. */
  readonly index: number;
  readonly count: number;
  readonly half: SweepHalf;
}

export interface BreathMark {
  /** 1-based breath number, of `count`. */
  readonly index: number;
  readonly count: number;
  readonly phase: BreathPhase;
}

/**
 * One moment the wrist is told something. There is exactly one cue per instant: where several things
 * begin together, one cue says the most useful of them (see buildTimeline), and the others can be read
 * back (a cue starts its step when it is at the step's `startMs`: `startsStep`; a round-done cue closes
 * the round before its own, the session-done cue the last), so a screen or a log loses nothing.
 *
 * Six fields, no more: a session holds every cue of its timeline, and QuickJS gives an object of seven
 * to nine properties nine slots (its place in `Timeline.cues` is its index, so it holds none).
 */
export interface Cue {
  /** Offset from the start of the session, in active (unpaused) milliseconds. */
  readonly atMs: number;
  readonly kind: CueKind;
  /** The step this cue belongs to (its round is the step's); `steps.length` for the session-done cue. */
  readonly stepIndex: number;
  /** i18n key of what the body does from this cue on. */
  readonly textKey: string;
  readonly sweep: SweepMark | null;
  readonly breath: BreathMark | null;
}

/** Whether `cue` is the first of its step (the session-done cue starts none). */
export const startsStep = (timeline: Timeline, cue: Cue): boolean =>
  timeline.steps[cue.stepIndex]?.startMs === cue.atMs;

export interface Timeline {
  readonly routineId: string;
  readonly routineVersion: number;
  readonly prescription: Prescription;
  readonly steps: readonly TimelineStep[];
  readonly rounds: readonly TimelineRound[];
  /** Strictly increasing `atMs`; first at 0, last the session-done cue at `totalMs`. */
  readonly cues: readonly Cue[];
  readonly stepsInRound: number;
  readonly totalMs: number;
}

type Move = Omit<Cue, 'stepIndex'>;

/**
 * One object for equal marks: the sweeps and breaths of every round share them (they are read-only), so
 * a session holds a round's worth rather than every round's (about 1.3 KB of a small watch's heap).
 */
type Same = <T extends SweepMark | BreathMark>(mark: T) => T;

/**
 * The moves a step asks for, in order. A step whose first move is itself cued (a sweep, a breath)
 * starts on that move's cue rather than on a "new step" cue: the wrist says what to do now, the
 * screen says which step it is. Only steps with no move of their own start on a stepStart cue.
 */
function movesOf(step: Step, p: Prescription, startMs: number, same: Same): Move[] {
  switch (step.pacing.type) {
    case 'timed':
      return [{ atMs: startMs, kind: 'stepStart', textKey: step.doKey, sweep: null, breath: null }];
    case 'exhale':
      return [
        {
          atMs: startMs,
          kind: 'exhale',
          textKey: step.doKey,
          sweep: null,
          breath: same({ index: 1, count: 1, phase: 'exhale' }),
        },
      ];
    case 'sweeps': {
      const half = p.halfSweepSec * 1000;
      const moves: Move[] = [];
      for (let s = 1; s <= p.sweeps; s++) {
        const at = startMs + (s - 1) * 2 * half;
        const back: SweepHalf = s === p.sweeps ? 'restOverhead' : 'toSky';
        moves.push({
          atMs: at,
          kind: 'sweepTick',
          textKey: SWEEP_HALF_KEYS.overhead,
          sweep: same({ index: s, count: p.sweeps, half: 'overhead' }),
          breath: null,
        });
        moves.push({
          atMs: at + half,
          kind: 'sweepTick',
          textKey: SWEEP_HALF_KEYS[back],
          sweep: same({ index: s, count: p.sweeps, half: back }),
          breath: null,
        });
      }
      return moves;
    }
    case 'breaths': {
      const inhale = p.inhaleSec * 1000;
      const cycle = (p.inhaleSec + p.exhaleSec) * 1000;
      const moves: Move[] = [];
      for (let b = 1; b <= p.holdBreaths; b++) {
        const at = startMs + (b - 1) * cycle;
        const count = p.holdBreaths;
        moves.push({
          atMs: at,
          kind: 'inhale',
          textKey: BREATH_KEYS.inhale,
          sweep: null,
          breath: same({ index: b, count, phase: 'inhale' }),
        });
        moves.push({
          atMs: at + inhale,
          kind: 'exhale',
          textKey: BREATH_KEYS.exhale,
          sweep: null,
          breath: same({ index: b, count, phase: 'exhale' }),
        });
      }
      return moves;
    }
  }
}

/**
 * The whole session as data: steps with their spans and every cue with its offset. Takes an untrusted
 * prescription and validates it first, since a count out of bounds (or Infinity) would make the
 * timeline huge or endless.
 */
export function buildTimeline(
  input: unknown,
  routine: Routine = ROUTINE,
): Result<Timeline, PrescriptionError[]> {
  const parsed = parsePrescription(input);
  if (!parsed.ok) return err(parsed.error);
  const p = parsed.value;

  const steps: TimelineStep[] = [];
  const rounds: TimelineRound[] = [];
  const cues: Cue[] = [];
  const marks = new Map<string, SweepMark | BreathMark>();
  const same: Same = (mark) => {
    const key = JSON.stringify(mark);
    if (!marks.has(key)) marks.set(key, mark);
    return marks.get(key) as typeof mark;
  };
  let at = 0;
  const place = (step: Step, round: number, stepInRound: number): void => {
    const index = steps.length;
    const length = stepMs(step.pacing, p);
    steps.push({
      kind: step.kind,
      round,
      stepInRound,
      startMs: at,
      endMs: at + length,
      def: step,
    });
    movesOf(step, p, at, same).forEach((move, i) => {
      const closesRound = i === 0 && stepInRound === 1 && round > 1;
      // Fields listed one by one, not spread: every cue then has one shape, which keeps V8 fast here.
      cues.push({
        atMs: move.atMs,
        // The round boundary outranks the step's own first cue: "round done, and lengthen again".
        kind: closesRound ? 'roundDone' : move.kind,
        stepIndex: index,
        textKey: move.textKey,
        sweep: move.sweep,
        breath: move.breath,
      });
    });
    at += length;
  };

  for (const step of routine.setup) place(step, 0, 0);
  for (let r = 1; r <= p.rounds; r++) {
    const startMs = at;
    routine.round.forEach((step, i) => place(step, r, i + 1));
    rounds.push({ round: r, startMs, endMs: at });
  }
  cues.push({
    atMs: at,
    kind: 'sessionDone',
    stepIndex: steps.length,
    textKey: SESSION_DONE_KEYS.doKey,
    sweep: null,
    breath: null,
  });

  return ok({
    routineId: routine.id,
    routineVersion: routine.version,
    prescription: p,
    steps,
    rounds,
    cues,
    stepsInRound: routine.round.length,
    totalMs: at,
  });
}

/** Index of the step running at `elapsedMs` (start inclusive, end exclusive); `steps.length` once over. */
export function stepIndexAt(timeline: Timeline, elapsedMs: number): number {
  const { steps } = timeline;
  if (!(elapsedMs >= 0)) return 0;
  let lo = 0;
  let hi = steps.length;
  // Invariant: every step before lo ends at or before elapsedMs; every step from hi on starts after it.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((steps[mid] as TimelineStep).endMs <= elapsedMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first cue at or after `elapsedMs`; `cues.length` if none. */
export function cueIndexFrom(timeline: Timeline, elapsedMs: number): number {
  const { cues } = timeline;
  let lo = 0;
  let hi = cues.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cues[mid] as Cue).atMs < elapsedMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
