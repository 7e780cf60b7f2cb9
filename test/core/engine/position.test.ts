import { describe, expect, it } from 'vitest';
import { positionAt } from '../../../core/engine/position';
import { DEFAULT_PRESCRIPTION } from '../../../core/plan/prescription';
import { buildTimeline, type Timeline } from '../../../core/engine/timeline';

const built = buildTimeline(DEFAULT_PRESCRIPTION);
if (!built.ok) throw new Error('default prescription must build');
const tl: Timeline = built.value;
const at = (ms: number) => positionAt(tl, ms);

describe('position', () => {
  it('starts on the get-ready step, before round 1', () => {
    expect(at(0)).toMatchObject({
      round: 0,
      rounds: 3,
      roundsDone: 0,
      step: 'setup',
      nameKey: 'step.setup.name',
      doKey: 'step.setup.do',
      tapToSkip: true,
      msLeftInStep: 10_000,
      roundFraction: 0,
    });
  });

  it('reads round i of N and the step in the round', () => {
    expect(at(10_000)).toMatchObject({
      round: 1,
      step: 'lengthen',
      msLeftInStep: 8_000,
    });
    expect(at(79_000 + 8_000)).toMatchObject({ round: 2, step: 'sweeps', roundsDone: 1 });
  });

  it('follows the sweeps half by half, the last one resting overhead', () => {
    expect(at(18_000).sweep).toEqual({ index: 1, count: 3, half: 'overhead' });
    expect(at(22_500)).toMatchObject({ sweep: { index: 1, half: 'toSky' }, doKey: 'sweep.toSky.do' });
    expect(at(29_999).sweep).toEqual({ index: 2, count: 3, half: 'toSky' });
    expect(at(34_000)).toMatchObject({
      sweep: { index: 3, half: 'restOverhead' },
      doKey: 'sweep.restOverhead.do',
    });
    expect(at(34_000).breath).toBeNull();
  });

  it('counts breaths left and the time left in the phase', () => {
    expect(at(36_000)).toMatchObject({ step: 'ribsDown', doKey: 'step.ribsDown.do' });
    expect(at(36_000).breath).toEqual({ index: 1, count: 1, phase: 'exhale', left: 1, msLeftInPhase: 6_000 });
    expect(at(42_000).breath).toEqual({ index: 1, count: 3, phase: 'inhale', left: 3, msLeftInPhase: 4_000 });
    expect(at(47_000).breath).toEqual({ index: 1, count: 3, phase: 'exhale', left: 3, msLeftInPhase: 5_000 });
    expect(at(62_500)).toMatchObject({
      doKey: 'breath.inhale.do',
      breath: { index: 3, phase: 'inhale', left: 1, msLeftInPhase: 3_500 },
      msLeftInStep: 9_500,
    });
  });

  it('gives the fraction of the round done', () => {
    const mid = at(10_000 + 69_000 / 2);
    expect(mid.roundFraction).toBeCloseTo(0.5, 10);
  });

  it('is finished at the end and past it', () => {
    for (const ms of [217_000, 10_000_000, Number.POSITIVE_INFINITY]) {
      expect(at(ms)).toMatchObject({
        step: 'done',
        round: 3,
        roundsDone: 3,
        msLeftInStep: 0,
        roundFraction: 1,
        doKey: 'session.done.do',
      });
    }
    expect(at(216_999).step).toBe('relax');
  });

  it('lands on the start for times that are not times', () => {
    for (const ms of [-1, Number.NaN, Number.NEGATIVE_INFINITY]) expect(at(ms)).toEqual(at(0));
  });
});
