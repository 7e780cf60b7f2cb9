import { describe, expect, it } from 'vitest';
import { DEFAULT_PRESCRIPTION, MAXIMAL_PRESCRIPTION } from '../../../core/plan/prescription';
import {
  BREATH_KEYS,
  ROUTINE,
  ROUTINE_ID,
  ROUTINE_VERSION,
  SWEEP_HALF_KEYS,
  stepMs,
} from '../../../core/plan/routine';

describe('routine', () => {
  it('is identified for logs', () => {
    expect(ROUTINE_ID).toBe('spinal-self-traction');
    expect(ROUTINE_VERSION).toBe(1);
    expect(ROUTINE.id).toBe(ROUTINE_ID);
    expect(ROUTINE.version).toBe(ROUTINE_VERSION);
  });

  it('sets up once, then runs the therapist steps 2–6 in order each round', () => {
    expect(ROUTINE.setup.map((s) => s.kind)).toEqual(['setup']);
    expect(ROUTINE.round.map((s) => s.kind)).toEqual([
      'lengthen',
      'sweeps',
      'ribsDown',
      'hold',
      'return',
      'relax',
    ]);
  });

  it('lets only the get-ready step end on a tap', () => {
    expect([...ROUTINE.setup, ...ROUTINE.round].filter((s) => s.tapToSkip).map((s) => s.kind)).toEqual([
      'setup',
    ]);
  });

  it('gives every step its own name and instruction keys', () => {
    const steps = [...ROUTINE.setup, ...ROUTINE.round];
    for (const s of steps) {
      expect(s.nameKey).toBe(`step.${s.kind}.name`);
      expect(s.doKey).toBe(`step.${s.kind}.do`);
    }
    const keys = [
      ...steps.flatMap((s) => [s.nameKey, s.doKey]),
      ...Object.values(SWEEP_HALF_KEYS),
      ...Object.values(BREATH_KEYS),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('gives the last sweep its own "rest overhead" text', () => {
    expect(SWEEP_HALF_KEYS.restOverhead).toBe('sweep.restOverhead.do');
    expect(SWEEP_HALF_KEYS.restOverhead).not.toBe(SWEEP_HALF_KEYS.toSky);
  });

  it('paces each step from the prescription', () => {
    const ms = Object.fromEntries(
      [...ROUTINE.setup, ...ROUTINE.round].map((s) => [s.kind, stepMs(s.pacing, DEFAULT_PRESCRIPTION)]),
    );
    expect(ms).toEqual({
      setup: 10_000,
      lengthen: 8_000,
      sweeps: 3 * 2 * 3_000,
      ribsDown: 6_000,
      hold: 3 * (4_000 + 6_000),
      return: 4_000,
      relax: 3_000,
    });
    const max = Object.fromEntries(
      ROUTINE.round.map((s) => [s.kind, stepMs(s.pacing, MAXIMAL_PRESCRIPTION)]),
    );
    expect(max.sweeps).toBe(6 * 2 * 8_000);
    expect(max.hold).toBe(8 * (8_000 + 10_000));
  });
});
