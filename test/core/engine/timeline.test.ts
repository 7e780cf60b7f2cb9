import { describe, expect, it } from 'vitest';
import { DEFAULT_PRESCRIPTION, MAXIMAL_PRESCRIPTION } from '../../../core/plan/prescription';
import {
  buildTimeline,
  cueIndexFrom,
  startsStep,
  stepIndexAt,
  type Timeline,
} from '../../../core/engine/timeline';

function timeline(input: unknown = DEFAULT_PRESCRIPTION): Timeline {
  const r = buildTimeline(input);
  if (!r.ok) throw new Error(r.error.map((e) => e.message).join(' '));
  return r.value;
}

describe('timeline of the default prescription', () => {
  const tl = timeline();

  it('lasts set-up plus three rounds of 69 s', () => {
    expect(tl.totalMs).toBe(10_000 + 3 * (8_000 + 18_000 + 6_000 + 30_000 + 4_000 + 3_000));
    expect(tl.steps).toHaveLength(1 + 3 * 6);
    expect(tl.stepsInRound).toBe(6);
    expect(tl.rounds.map((r) => [r.round, r.startMs, r.endMs])).toEqual([
      [1, 10_000, 79_000],
      [2, 79_000, 148_000],
      [3, 148_000, 217_000],
    ]);
  });

  it('lays the steps end to end, numbered by round', () => {
    tl.steps.forEach((s, i) => {
      expect(s.startMs).toBe(i === 0 ? 0 : tl.steps[i - 1]?.endMs);
    });
    expect(tl.steps.at(-1)?.endMs).toBe(tl.totalMs);
    expect(tl.steps[0]).toMatchObject({ kind: 'setup', round: 0, stepInRound: 0, def: { tapToSkip: true } });
    expect(Object.keys(tl.steps[0]!)).toHaveLength(6);
    expect(tl.steps[7]).toMatchObject({
      kind: 'lengthen',
      round: 2,
      stepInRound: 1,
      def: { nameKey: 'step.lengthen.name' },
    });
  });

  it('cues the first round move by move', () => {
    const round1 = tl.cues.filter((c) => c.atMs < 79_000).map((c) => [c.atMs, c.kind, c.textKey]);
    expect(round1).toEqual([
      [0, 'stepStart', 'step.setup.do'],
      [10_000, 'stepStart', 'step.lengthen.do'],
      [18_000, 'sweepTick', 'sweep.overhead.do'],
      [21_000, 'sweepTick', 'sweep.toSky.do'],
      [24_000, 'sweepTick', 'sweep.overhead.do'],
      [27_000, 'sweepTick', 'sweep.toSky.do'],
      [30_000, 'sweepTick', 'sweep.overhead.do'],
      [33_000, 'sweepTick', 'sweep.restOverhead.do'],
      [36_000, 'exhale', 'step.ribsDown.do'],
      [42_000, 'inhale', 'breath.inhale.do'],
      [46_000, 'exhale', 'breath.exhale.do'],
      [52_000, 'inhale', 'breath.inhale.do'],
      [56_000, 'exhale', 'breath.exhale.do'],
      [62_000, 'inhale', 'breath.inhale.do'],
      [66_000, 'exhale', 'breath.exhale.do'],
      [72_000, 'stepStart', 'step.return.do'],
      [76_000, 'stepStart', 'step.relax.do'],
    ]);
  });

  it('marks which cues start a step, whatever they signal', () => {
    const starts = tl.cues.filter((c) => startsStep(tl, c));
    expect(starts.map((c) => c.stepIndex)).toEqual(tl.steps.map((_, i) => i));
    expect(starts.map((c) => c.atMs)).toEqual(tl.steps.map((s) => s.startMs));
  });

  it('says "round done" where the next round starts, and "session done" at the end', () => {
    const done = tl.cues.filter((c) => c.kind === 'roundDone' || c.kind === 'sessionDone');
    // [when, what, the round of its step]: a round-done cue opens round 2 and 3, closing 1 and 2.
    const roundOf = (c: (typeof tl.cues)[number]) => tl.steps[c.stepIndex]?.round ?? tl.rounds.length;
    expect(done.map((c) => [c.atMs, c.kind, roundOf(c)])).toEqual([
      [79_000, 'roundDone', 2],
      [148_000, 'roundDone', 3],
      [217_000, 'sessionDone', 3],
    ]);
    expect(tl.cues.at(-1)).toMatchObject({ kind: 'sessionDone', stepIndex: tl.steps.length });
    expect(startsStep(tl, tl.cues.at(-1)!)).toBe(false);
  });

  it('counts sweeps and breaths on their cues', () => {
    const sweeps = tl.cues
      .filter((c) => tl.steps[c.stepIndex]?.round === 1 && c.sweep !== null)
      .map((c) => c.sweep);
    expect(sweeps.at(0)).toEqual({ index: 1, count: 3, half: 'overhead' });
    expect(sweeps.at(-1)).toEqual({ index: 3, count: 3, half: 'restOverhead' });
    const breaths = tl.cues
      .filter((c) => tl.steps[c.stepIndex]?.round === 1 && c.breath !== null)
      .map((c) => c.breath);
    expect(breaths[0]).toEqual({ index: 1, count: 1, phase: 'exhale' });
    expect(breaths.slice(1).map((b) => `${b?.index}${b?.phase[0]}`)).toEqual([
      '1i',
      '1e',
      '2i',
      '2e',
      '3i',
      '3e',
    ]);
  });

  it("holds its cues in order, six fields each (a cue's place is its index)", () => {
    expect(tl.cues).toHaveLength(1 + 3 * 16 + 1);
    tl.cues.forEach((c, i) => i > 0 && expect(c.atMs).toBeGreaterThan(tl.cues[i - 1]!.atMs));
    for (const c of tl.cues)
      expect(Object.keys(c).sort()).toEqual(['atMs', 'breath', 'kind', 'stepIndex', 'sweep', 'textKey']);
  });
});

describe('timeline from other prescriptions', () => {
  it('grows with the maximal prescription', () => {
    const tl = timeline(MAXIMAL_PRESCRIPTION);
    expect(tl.totalMs).toBe(30_000 + 6 * (20_000 + 6 * 2 * 8_000 + 10_000 + 8 * 18_000 + 10_000 + 10_000));
    expect(tl.cues).toHaveLength(1 + 6 * (1 + 12 + 1 + 16 + 1 + 1) + 1);
  });

  it('has one sweep ending overhead when one sweep is prescribed', () => {
    const tl = timeline({ sweeps: 1, rounds: 1 });
    expect(tl.cues.filter((c) => c.sweep).map((c) => c.sweep?.half)).toEqual(['overhead', 'restOverhead']);
  });

  it('refuses a bad prescription with every violation', () => {
    const r = buildTimeline({ rounds: Number.POSITIVE_INFINITY, sweeps: 99 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.map((e) => e.field).sort()).toEqual(['rounds', 'sweeps']);
  });
});

describe('timeline look-ups', () => {
  const tl = timeline();

  it('finds the step at a time, start inclusive and end exclusive', () => {
    expect(stepIndexAt(tl, 0)).toBe(0);
    expect(stepIndexAt(tl, 9_999)).toBe(0);
    expect(stepIndexAt(tl, 10_000)).toBe(1);
    expect(stepIndexAt(tl, tl.totalMs - 1)).toBe(tl.steps.length - 1);
    expect(stepIndexAt(tl, tl.totalMs)).toBe(tl.steps.length);
    expect(stepIndexAt(tl, -5)).toBe(0);
    expect(stepIndexAt(tl, Number.NaN)).toBe(0);
  });

  it('finds the first cue at or after a time', () => {
    expect(cueIndexFrom(tl, 0)).toBe(0);
    expect(cueIndexFrom(tl, 1)).toBe(1);
    expect(cueIndexFrom(tl, 10_000)).toBe(1);
    expect(cueIndexFrom(tl, tl.totalMs)).toBe(tl.cues.length - 1);
    expect(cueIndexFrom(tl, tl.totalMs + 1)).toBe(tl.cues.length);
  });
});
