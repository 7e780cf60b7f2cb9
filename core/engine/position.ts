import {
  SESSION_DONE_KEYS,
  SWEEP_HALF_KEYS,
  BREATH_KEYS,
  type BreathPhase,
  type Pacing,
  type StepKind,
} from '../plan/routine';
import { stepIndexAt, type SweepMark, type Timeline, type TimelineStep } from './timeline';

/** Where the session is at a given active time: everything the session screen draws, nothing it must work out. */
export interface Position {
  /** 0 during the set-up, then 1..rounds (stays at `rounds` once finished). */
  readonly round: number;
  readonly rounds: number;
  /** Rounds whose end has been reached. */
  readonly roundsDone: number;
  readonly step: StepKind | 'done';
  /** How the current step is paced (null once finished): what the screen counts. */
  readonly pacing: Pacing['type'] | null;
  readonly nameKey: string;
  /** What to do right now: the step's instruction, or the current sweep half's or breath's. */
  readonly doKey: string;
  readonly tapToSkip: boolean;
  readonly sweep: SweepMark | null;
  readonly breath: {
    /** 1-based breath number, of `count`. */
    readonly index: number;
    readonly count: number;
    readonly phase: BreathPhase;
    /** Breaths not yet finished, the current one included. */
    readonly left: number;
    readonly msLeftInPhase: number;
  } | null;
  readonly msLeftInStep: number;
  /** 0..1; 0 during the set-up, 1 once finished. */
  readonly roundFraction: number;
}

/** The session's position as a pure function of active time: `timeline.at(elapsedMs)`. */
export function positionAt(timeline: Timeline, elapsedMs: number): Position {
  const { totalMs, steps, rounds, prescription: p } = timeline;
  // Non-numbers land on the start rather than throwing: a screen must always have something to draw.
  const e = Number.isFinite(elapsedMs)
    ? Math.min(Math.max(elapsedMs, 0), totalMs)
    : elapsedMs > 0
      ? totalMs
      : 0;
  let roundsDone = 0;
  for (const r of rounds) if (r.endMs <= e) roundsDone++;
  const index = stepIndexAt(timeline, e);
  const step: TimelineStep | undefined = steps[index];
  const round = step && rounds[step.round - 1];
  const moves = step
    ? movesAt(step, e - step.startMs, p.sweeps, p.halfSweepSec, p.holdBreaths, p.inhaleSec, p.exhaleSec)
    : NO_MOVES;
  // One literal with every field, never spread-then-override: a screen calls this on every refresh,
  // and objects of one shape built field by field are several times faster in V8.
  return {
    round: step ? step.round : rounds.length,
    rounds: rounds.length,
    roundsDone,
    step: step ? step.kind : 'done',
    pacing: step ? step.def.pacing.type : null,
    nameKey: step ? step.def.nameKey : SESSION_DONE_KEYS.nameKey,
    doKey: step ? (moves.doKey ?? step.def.doKey) : SESSION_DONE_KEYS.doKey,
    tapToSkip: step ? step.def.tapToSkip : false,
    sweep: moves.sweep,
    breath: moves.breath,
    msLeftInStep: step ? step.endMs - e : 0,
    roundFraction: !step ? 1 : round === undefined ? 0 : (e - round.startMs) / (round.endMs - round.startMs),
  };
}

type Moves = { doKey: string | null; sweep: SweepMark | null; breath: Position['breath'] };
const NO_MOVES: Moves = { doKey: null, sweep: null, breath: null };

function movesAt(
  step: TimelineStep,
  into: number,
  sweeps: number,
  halfSweepSec: number,
  holdBreaths: number,
  inhaleSec: number,
  exhaleSec: number,
): Moves {
  const stepLeft = step.endMs - step.startMs - into;
  // By pacing, not by step name: a routine may pace another step the same way.
  switch (step.def.pacing.type) {
    case 'sweeps': {
      const halfIndex = Math.floor(into / (halfSweepSec * 1000));
      const index = Math.floor(halfIndex / 2) + 1;
      const half = halfIndex % 2 === 0 ? 'overhead' : index === sweeps ? 'restOverhead' : 'toSky';
      return { doKey: SWEEP_HALF_KEYS[half], sweep: { index, count: sweeps, half }, breath: null };
    }
    case 'exhale':
      return {
        doKey: null,
        sweep: null,
        breath: { index: 1, count: 1, phase: 'exhale', left: 1, msLeftInPhase: stepLeft },
      };
    case 'breaths': {
      const cycle = (inhaleSec + exhaleSec) * 1000;
      const index = Math.floor(into / cycle) + 1;
      const inCycle = into - (index - 1) * cycle;
      const phase: BreathPhase = inCycle < inhaleSec * 1000 ? 'inhale' : 'exhale';
      const msLeftInPhase = (phase === 'inhale' ? inhaleSec * 1000 : cycle) - inCycle;
      return {
        doKey: BREATH_KEYS[phase],
        sweep: null,
        breath: { index, count: holdBreaths, phase, left: holdBreaths - index + 1, msLeftInPhase },
      };
    }
    case 'timed':
      return NO_MOVES;
  }
}
