import type { Prescription } from './prescription';

/** Stored with every session and log, so a record always says which routine (and which edition) it follows. */
export const ROUTINE_ID = 'spinal-self-traction';
export const ROUTINE_VERSION = 1;

export type StepKind = 'setup' | 'lengthen' | 'sweeps' | 'ribsDown' | 'hold' | 'return' | 'relax';

type SecondsField = 'setupSec' | 'lengthenSec' | 'returnSec' | 'relaxSec';

/**
 * How a step is paced, in terms of the prescription's knobs rather than numbers, so that one routine
 * serves every prescription and a therapist's change never needs a code change.
 */
export type Pacing =
  /** A plain timed step. */
  | { readonly type: 'timed'; readonly seconds: SecondsField }
  /** One exhale of `exhaleSec`: the movement rides on the breath. */
  | { readonly type: 'exhale' }
  /** `sweeps` sweeps of two halves of `halfSweepSec`: overhead, then back to the sky. */
  | { readonly type: 'sweeps' }
  /** `holdBreaths` breaths, each an inhale of `inhaleSec` then an exhale of `exhaleSec`. */
  | { readonly type: 'breaths' };

export interface Step {
  readonly kind: StepKind;
  /** i18n key of the step's short name, e.g. 'step.lengthen.name'. */
  readonly nameKey: string;
  /** i18n key of what the body does, e.g. 'step.lengthen.do'. */
  readonly doKey: string;
  readonly pacing: Pacing;
  /**
   * The get-ready step ends on any tap; every other step is skipped only by the explicit skip action,
   * so a brush of the screen while the arms sweep cannot jump ahead.
   */
  readonly tapToSkip: boolean;
}

export interface Routine {
  readonly id: string;
  readonly version: number;
  /** Done once, before the first round. */
  readonly setup: readonly Step[];
  /** Done `rounds` times. */
  readonly round: readonly Step[];
}

export type SweepHalf = 'overhead' | 'toSky' | 'restOverhead';
export type BreathPhase = 'inhale' | 'exhale';

/** Text keys of the moves inside a step: the last sweep's second half differs ("a different last repetition"). */
export const SWEEP_HALF_KEYS: { readonly [H in SweepHalf]: string } = {
  overhead: 'sweep.overhead.do',
  toSky: 'sweep.toSky.do',
  restOverhead: 'sweep.restOverhead.do',
};
export const BREATH_KEYS: { readonly [P in BreathPhase]: string } = {
  inhale: 'breath.inhale.do',
  exhale: 'breath.exhale.do',
};
export const SESSION_DONE_KEYS = { nameKey: 'session.done.name', doKey: 'session.done.do' } as const;

// Frozen, as the patterns are (core/engine/haptics): measured in the double's heap, unfrozen they cost
// the summary page about 3.5 KB (the routine) and 4 KB (the patterns, with the session page before it).
const step = (kind: StepKind, pacing: Pacing, tapToSkip = false): Step =>
  Object.freeze({ kind, nameKey: `step.${kind}.name`, doKey: `step.${kind}.do`, pacing, tapToSkip });

/** The therapist's seven steps (shared/seed): set up once, then steps 2–6 for each round. */
export const ROUTINE: Routine = Object.freeze({
  id: ROUTINE_ID,
  version: ROUTINE_VERSION,
  setup: Object.freeze([step('setup', { type: 'timed', seconds: 'setupSec' }, true)]),
  round: Object.freeze([
    step('lengthen', { type: 'timed', seconds: 'lengthenSec' }),
    step('sweeps', { type: 'sweeps' }),
    step('ribsDown', { type: 'exhale' }),
    step('hold', { type: 'breaths' }),
    step('return', { type: 'timed', seconds: 'returnSec' }),
    step('relax', { type: 'timed', seconds: 'relaxSec' }),
  ]),
});

/** A step's length under a prescription, in whole milliseconds (prescriptions are whole seconds). */
export function stepMs(pacing: Pacing, p: Prescription): number {
  switch (pacing.type) {
    case 'timed':
      return p[pacing.seconds] * 1000;
    case 'exhale':
      return p.exhaleSec * 1000;
    case 'sweeps':
      return p.sweeps * 2 * p.halfSweepSec * 1000;
    case 'breaths':
      return p.holdBreaths * (p.inhaleSec + p.exhaleSec) * 1000;
  }
}

/**
 * The whole session's active length under a prescription: the set-up once, then every round. What the
 * timeline's last cue comes to (core/engine/timeline `totalMs`), without building it, for a screen that
 * only says how long a session takes.
 */
export function sessionMs(p: Prescription, routine: Routine = ROUTINE): number {
  const sum = (steps: readonly Step[]): number => steps.reduce((ms, s) => ms + stepMs(s.pacing, p), 0);
  return sum(routine.setup) + p.rounds * sum(routine.round);
}
