import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { longestMs } from '../../core/engine/cue-length';
import { playMs, type Haptics } from '../../core/engine/haptics';
import { BOUNDS, STRENGTHS, type NumericField, type Prescription } from '../../core/plan/prescription';
import { sessionMs } from '../../core/plan/routine';
import type { Result } from '../../core/base/result';
import { QUIET_MS, STALE_MS } from '../../core/engine/schedule';
import {
  createSession,
  deadlineOf,
  elapsedMs,
  end,
  factsOf,
  originOf,
  pause,
  positionOf,
  restoreSession,
  resume,
  serialiseSession,
  skip,
  start,
  wake,
  type Session,
  type Update,
} from '../../core/engine/session';
import { buildTimeline, startsStep, type Cue, type CueKind } from '../../core/engine/timeline';
import { positionAt } from '../../core/engine/position';

function must<T, E>(r: Result<T, E>): T {
  if (!r.ok) throw new Error(`unexpected error: ${JSON.stringify(r.error)}`);
  return r.value;
}

const TIMING: NumericField[] = [
  'rounds',
  'sweeps',
  'holdBreaths',
  'inhaleSec',
  'exhaleSec',
  'setupSec',
  'lengthenSec',
  'halfSweepSec',
  'returnSec',
  'relaxSec',
];

const prescriptionArb: fc.Arbitrary<Partial<Prescription>> = fc.record(
  {
    ...(Object.fromEntries(
      TIMING.map((f) => [f, fc.integer({ min: BOUNDS[f].min, max: BOUNDS[f].max })]),
    ) as {
      [K in NumericField]: fc.Arbitrary<number>;
    }),
    strength: fc.constantFrom(...STRENGTHS),
  },
  { requiredKeys: [] },
);

/** What happens between two handlings of the session: the platform's timer, the patient, the OS. */
type Action =
  | { type: 'wake'; late: number }
  | { type: 'stall'; ms: number }
  | { type: 'early'; fraction: number }
  | { type: 'pause'; after: number; length: number }
  | { type: 'skip'; after: number }
  | { type: 'relaunch'; gone: number }
  | { type: 'end'; after: number };

const punctual: fc.Arbitrary<Action> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 250 }).map((late) => ({ type: 'wake' as const, late })) },
  {
    weight: 1,
    arbitrary: fc
      .double({ min: 0, max: 1, noNaN: true })
      .map((fraction) => ({ type: 'early' as const, fraction })),
  },
);
/** Everything that must never pass a cue over: late timers, early wakes, pauses taken within a second. */
const steady: fc.Arbitrary<Action> = fc.oneof(
  { weight: 8, arbitrary: punctual },
  {
    weight: 2,
    arbitrary: fc
      .record({ after: fc.integer({ min: 0, max: 1_000 }), length: fc.integer({ min: 0, max: 120_000 }) })
      .map((a) => ({ type: 'pause' as const, ...a })),
  },
);
/** The same for the 3.0–3.5 motor, whose longest pattern (1.45 s) leaves 250 ms of lateness in a 2 s phase. */
const steadyTimed: fc.Arbitrary<Action> = fc.oneof(
  { weight: 8, arbitrary: punctual },
  {
    weight: 2,
    arbitrary: fc
      .record({ after: fc.integer({ min: 0, max: 250 }), length: fc.integer({ min: 0, max: 120_000 }) })
      .map((a) => ({ type: 'pause' as const, ...a })),
  },
);
const disturbed: fc.Arbitrary<Action> = fc.oneof(
  { weight: 10, arbitrary: punctual },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 1_000, max: 12_000 }).map((ms) => ({ type: 'stall' as const, ms })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ after: fc.integer({ min: 0, max: 4_000 }), length: fc.integer({ min: 0, max: 120_000 }) })
      .map((a) => ({ type: 'pause' as const, ...a })),
  },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 0, max: 4_000 }).map((after) => ({ type: 'skip' as const, after })),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0, max: 30_000 }).map((gone) => ({ type: 'relaunch' as const, gone })),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0, max: 4_000 }).map((after) => ({ type: 'end' as const, after })),
  },
);

interface Run {
  readonly session: Session;
  /** Every cue handled, in the order handled, with how it was handled. */
  readonly handled: { cue: Cue; played: boolean; at: number }[];
  readonly pauseSpans: number[];
  readonly actions: Action[];
  /** The most any event came after the deadline armed before it: how stale the worst wake was. */
  readonly worstOverdueMs: number;
}

/**
 * Drives a session through the actions as a shell would (one timer, re-armed from each update), then
 * with a punctual timer to the end, checking after every event what must hold after every event.
 */
function drive(prescription: unknown, t0: number, actions: Action[], haptics: Haptics = 'sequence'): Run {
  const L = (kind: CueKind): number => playMs(kind, haptics);
  let s = must(createSession(prescription));
  const cues = s.timeline.cues;
  const handled: Run['handled'] = [];
  const pauseSpans: number[] = [];
  let now = t0;
  let worstOverdueMs = 0;

  const apply = (r: Result<Update, unknown>, at: number): Update => {
    const u = must(r);
    const before = s;
    const armed = deadlineOf(before);
    if (armed !== null) worstOverdueMs = Math.max(worstOverdueMs, at - armed);
    s = u.session;
    // Handled exactly once, in order: passed ones first, the played one last.
    // A cue's place in the timeline, found by its time (a relaunch rebuilds the timeline: new objects).
    const at_ = (c: Cue | undefined): number => (c ? cues.findIndex((x) => x.atMs === c.atMs) : -1);
    const got = [...u.passed, ...(u.play ? [u.play] : [])].map(at_);
    const want = cues.slice(before.nextCue, s.nextCue).map(at_);
    check(got.join() === want.join(), `handled ${got.join()} but expected ${want.join()}`);
    for (const c of u.passed) handled.push({ cue: c, played: false, at });
    const origin = originOf(s) as number;
    if (u.play) {
      handled.push({ cue: u.play, played: true, at });
      const late = at - (origin + u.play.atMs);
      check(late >= 0, `cue ${at_(u.play)} played ${-late} ms early`);
      check(u.play.kind === 'sessionDone' || late <= STALE_MS, `cue ${at_(u.play)} played ${late} ms late`);
      const next = cues[s.nextCue];
      check(
        next === undefined || at + L(u.play.kind) + QUIET_MS <= origin + next.atMs,
        `cue ${at_(u.play)}'s pattern runs into cue ${at_(next)}`,
      );
    }
    // One timer, armed for the next cue's absolute deadline, derived only from the state.
    check(u.deadline === deadlineOf(s), 'deadline differs from the state');
    check(
      u.deadline === null || u.deadline === origin + (cues[s.nextCue] as Cue).atMs,
      'deadline is not origin + offset',
    );
    check(
      (u.finished !== null) === (s.status === 'finished' && before.status !== 'finished'),
      'finished flag',
    );
    // Serialisable after any event, landing on the same state and position.
    const back = must(restoreSession(serialiseSession(s)));
    check(
      isDeepStrictEqual(back, s),
      `restore(serialise(s)) differs from s after ${JSON.stringify(before.status)}`,
    );
    check(isDeepStrictEqual(positionOf(back, at), positionOf(s, at)), 'restored position differs');
    // Active time (pauses out) plus skipped time is where the session is.
    const e = elapsedMs(s, at);
    check(factsOf(s, at).activeMs + s.skippedMs === e, 'active + skipped time is not the elapsed time');
    return u;
  };

  let deadline = apply(start(s, now, L), now).deadline;
  for (const action of actions) {
    if (s.status === 'finished') break;
    const d = deadline ?? now;
    switch (action.type) {
      case 'wake':
        now = Math.max(now, d + action.late);
        deadline = apply(wake(s, now, L), now).deadline;
        break;
      case 'stall':
        now = Math.max(now, d + action.ms);
        deadline = apply(wake(s, now, L), now).deadline;
        break;
      case 'early':
        now += Math.floor(Math.max(d - now - 1, 0) * action.fraction);
        deadline = apply(wake(s, now, L), now).deadline;
        break;
      case 'pause': {
        now += action.after;
        const p = apply(pause(s, now, L), now);
        if (p.finished) break;
        const frozen = positionOf(s, now);
        const frozenMs = elapsedMs(s, now);
        now += action.length;
        check(isDeepStrictEqual(positionOf(s, now), frozen), 'position moved during a pause');
        pauseSpans.push(action.length);
        const resumed = must(resume(s, now, L));
        check(elapsedMs(resumed.session, now) === frozenMs, 'resume moved the position');
        deadline = apply(ok(resumed), now).deadline;
        break;
      }
      case 'skip': {
        now += action.after;
        const before = s;
        const u = apply(skip(s, now, L), now);
        deadline = u.deadline;
        // One more step skipped, unless the session had already run out before the skip.
        const added = s.skippedSteps.length - before.skippedSteps.length;
        check(added === 1 || (added === 0 && u.finished === 'completed'), `skip added ${added} steps`);
        check(
          !u.play || startsStep(s.timeline, u.play) || u.play.kind === 'sessionDone',
          'skip landed off a step start',
        );
        break;
      }
      case 'relaunch': {
        // The app was closed: only the stored text survives. The new shell re-arms from it and wakes late.
        const restored = must(restoreSession(serialiseSession(s)));
        now += action.gone;
        s = restored;
        deadline = apply(
          wake(s, Math.max(now, deadlineOf(s) ?? now), L),
          Math.max(now, deadlineOf(s) ?? now),
        ).deadline;
        now = Math.max(now, s.lastAt ?? now);
        break;
      }
      case 'end':
        now += action.after;
        deadline = apply(end(s, now, 'endedEarly', L), now).deadline;
        break;
    }
  }
  if (s.status === 'paused') deadline = apply(resume(s, now, L), now).deadline;
  for (let guard = 0; s.status !== 'finished' && guard < 10_000; guard++) {
    now = Math.max(now, deadline ?? now);
    deadline = apply(wake(s, now, L), now).deadline;
  }
  expect(s.status).toBe('finished');
  return { session: s, handled, pauseSpans, actions, worstOverdueMs };
}

const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });

/** A plain check: expect() is too slow to call tens of thousands of times per property. */
function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}
const t0Arb = fc.integer({ min: 0, max: 2_000_000_000_000 });

describe('timeline properties', () => {
  it('for any valid prescription: steps end to end, cues strictly ordered and apart, one start cue per step', () => {
    fc.assert(
      fc.property(prescriptionArb, (p) => {
        const tl = must(buildTimeline(p));
        const sum = tl.steps.reduce((ms, s) => ms + (s.endMs - s.startMs), 0);
        expect(tl.totalMs).toBe(sum);
        // Home's plan line takes the length without building the timeline.
        expect(sessionMs(tl.prescription)).toBe(tl.totalMs);
        expect(tl.cues[0]?.atMs).toBe(0);
        expect(tl.cues.at(-1)).toMatchObject({ kind: 'sessionDone', atMs: tl.totalMs });
        for (let i = 1; i < tl.cues.length; i++) {
          const gap = (tl.cues[i] as Cue).atMs - (tl.cues[i - 1] as Cue).atMs;
          expect(gap).toBeGreaterThanOrEqual(2_000);
          expect(gap).toBeGreaterThanOrEqual(longestMs((tl.cues[i - 1] as Cue).kind) + QUIET_MS + 250);
        }
        expect(tl.cues.filter((c) => startsStep(tl, c)).map((c) => c.atMs)).toEqual(
          tl.steps.map((s) => s.startMs),
        );
        expect(tl.cues.filter((c) => c.kind === 'roundDone')).toHaveLength(tl.rounds.length - 1);
        const rounds = tl.rounds.length;
        const perRound = 1 + 2 * tl.prescription.sweeps + 1 + 2 * tl.prescription.holdBreaths + 2;
        expect(tl.cues).toHaveLength(1 + rounds * perRound + 1);
      }),
      { numRuns: 200 },
    );
  });

  it('position never goes back and agrees with the cues', () => {
    fc.assert(
      fc.property(
        prescriptionArb,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 5, maxLength: 30, size: 'max' }),
        (p, fractions) => {
          const tl = must(buildTimeline(p));
          const times = fractions.map((f) => Math.floor(f * tl.totalMs)).sort((a, b) => a - b);
          let last = positionAt(tl, 0);
          for (const t of times) {
            const pos = positionAt(tl, t);
            expect(pos.round).toBeGreaterThanOrEqual(last.round);
            expect(pos.roundsDone).toBeGreaterThanOrEqual(last.roundsDone);
            // The latest cue at or before t says the same thing the position shows, in its step.
            const cue = [...tl.cues].reverse().find((c) => c.atMs <= t) as Cue;
            const step = tl.steps[cue.stepIndex];
            // The session-done cue is past the last step.
            if (step) {
              expect([pos.round, pos.step]).toEqual([step.round, step.kind]);
              expect(pos.msLeftInStep).toBe(step.endMs - t);
            } else expect([pos.step, t]).toEqual(['done', tl.totalMs]);
            expect(pos.doKey).toBe(cue.textKey);
            last = pos;
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('session properties under random schedules', () => {
  it('with a timer up to 250 ms late: every cue played once, in order, on its own deadline, none shifted', () => {
    fc.assert(
      fc.property(prescriptionArb, t0Arb, actions(punctual), (p, t0, actions) => {
        lengths.punctual.push(actions.length);
        const run = drive(p, t0, actions);
        const cues = run.session.timeline.cues;
        expect(run.handled.map((h) => h.cue)).toEqual(cues);
        expect(run.handled.every((h) => h.played)).toBe(true);
        // No pause, no skip: the origin never moves, so each deadline is the start plus the offset.
        const lateness = run.handled.map((h) => h.at - (t0 + h.cue.atMs));
        expect(Math.min(...lateness)).toBeGreaterThanOrEqual(0);
        expect(Math.max(...lateness)).toBeLessThanOrEqual(250);
        const facts = factsOf(run.session, 0);
        expect(facts.outcome).toBe('completed');
        expect(facts.activeMs).toBe(run.session.timeline.totalMs);
        expect(run.session.endedAt).toBe(t0 + run.session.timeline.totalMs);
      }),
      { numRuns: 100 },
    );
  });

  it('with pauses, skips, stalls, relaunches and early ends: no cue lost or doubled, order kept, time adds up', () => {
    fc.assert(
      fc.property(prescriptionArb, t0Arb, actions(disturbed), (p, t0, actions) => {
        lengths.disturbed.push(actions.length);
        const run = drive(p, t0, actions);
        const s = run.session;
        const cues = s.timeline.cues;
        // Each handled once, in timeline order, and nothing handled beyond the cursor.
        expect(run.handled.map((h) => h.cue)).toEqual(cues.slice(0, s.nextCue));
        const facts = factsOf(s, 0);
        expect(facts.cuesPlayed).toBe(run.handled.filter((h) => h.played).length);
        expect(facts.cuesPassed).toBe(run.handled.filter((h) => !h.played).length);
        expect(facts.pauses).toBe(run.pauseSpans.length);
        expect(facts.pausedMs).toBe(run.pauseSpans.reduce((a, b) => a + b, 0));
        if (s.outcome === 'completed') {
          expect(s.nextCue).toBe(cues.length);
          expect(run.handled.at(-1)).toMatchObject({ played: true, cue: { kind: 'sessionDone' } });
          // Total active time is the timeline's length, less what was skipped.
          expect(facts.activeMs + s.skippedMs).toBe(s.timeline.totalMs);
          expect(facts.roundsCompleted).toBe(s.timeline.rounds.length);
        } else {
          expect(s.outcome).toBe('endedEarly');
          expect(facts.activeMs + s.skippedMs).toBe(elapsedMs(s, 0));
        }
        // Only a skip, an end, or a wake a second or more overdue may pass a cue over; late timers never do.
        const jumps = run.actions.some((a) => a.type === 'skip' || a.type === 'end');
        if (!jumps && run.worstOverdueMs <= 1_000) expect(facts.cuesPassed).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('with late timers, early wakes and pauses taken within a second: no cue is ever passed over', () => {
    fc.assert(
      fc.property(prescriptionArb, t0Arb, actions(steady), (p, t0, actions) => {
        lengths.steady.push(actions.length);
        const run = drive(p, t0, actions);
        // Checked on every sequence: none of these actions is allowed to pass a cue.
        expect(run.worstOverdueMs).toBeLessThanOrEqual(1_000);
        expect(factsOf(run.session, 0).cuesPassed).toBe(0);
        expect(run.handled.every((h) => h.played)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('on an API 3.0–3.5 motor (scenes, exhale 1.45 s): timers up to 250 ms late and pauses within 250 ms never pass a cue over', () => {
    fc.assert(
      fc.property(prescriptionArb, t0Arb, actions(steadyTimed), (p, t0, actions) => {
        const run = drive(p, t0, actions, 'timed');
        expect(run.worstOverdueMs).toBeLessThanOrEqual(250);
        expect(factsOf(run.session, 0).cuesPassed).toBe(0);
        expect(run.handled.every((h) => h.played)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('the sequences reach the sizes they are stated at (fast-check stops at 10 items unless told)', () => {
    for (const [name, seen] of Object.entries(lengths)) {
      expect(seen.length, name).toBeGreaterThanOrEqual(100);
      const long = seen.filter((n) => n >= 100).length;
      expect(Math.max(...seen), name).toBeGreaterThanOrEqual(250);
      expect(long / seen.length, name).toBeGreaterThan(0.5);
    }
  });
});

/** A sequence of 20–300 actions, spread over the whole range (not fast-check's default small sizes). */
function actions(action: fc.Arbitrary<Action>): fc.Arbitrary<Action[]> {
  return fc.array(action, { minLength: 20, maxLength: 300, size: 'max' });
}

/** How long the generated sequences were, per property: the last test checks they were long. */
const lengths: Record<'punctual' | 'disturbed' | 'steady', number[]> = {
  punctual: [],
  disturbed: [],
  steady: [],
};
