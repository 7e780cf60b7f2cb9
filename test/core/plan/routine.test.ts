import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../../core/engine/timeline';
import {
  BOUNDS,
  DEFAULT_PRESCRIPTION,
  MAXIMAL_PRESCRIPTION,
  type NumericField,
  type Prescription,
} from '../../../core/plan/prescription';
import {
  BREATH_KEYS,
  ROUTINE,
  ROUTINE_ID,
  ROUTINE_VERSION,
  SWEEP_HALF_KEYS,
  sessionMs,
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

describe('the length of a whole session', () => {
  const MINIMAL: Prescription = {
    ...DEFAULT_PRESCRIPTION,
    ...(Object.fromEntries(Object.entries(BOUNDS).map(([k, b]) => [k, b.min])) as Record<
      NumericField,
      number
    >),
  };
  // The seed's upper counts ("3-4 times", "3-4 breaths", "3-4 rounds") at the default pacing.
  const SEED_UPPER: Prescription = { ...DEFAULT_PRESCRIPTION, rounds: 4, sweeps: 4, holdBreaths: 4 };

  it('is the figure worked by hand from the README table and the bounds', () => {
    // README: get ready 10 s, then 3 rounds of lengthen 8 s, 3 sweeps of 3 s a half, one 6 s exhale,
    // 3 breaths of 4 s in and 6 s out, return 4 s, relax 3 s: 10 + 3 × 69 = 217 s ("3 min 37 s").
    expect(sessionMs(DEFAULT_PRESCRIPTION)).toBe(217_000);
    // 30 + 6 × (20 + 6 × 2 × 8 + 10 + 8 × (8 + 10) + 10 + 10) = 30 + 6 × 290 = 1,770 s.
    expect(sessionMs(MAXIMAL_PRESCRIPTION)).toBe(1_770_000);
    // 3 + 1 × (3 + 1 × 2 × 2 + 2 + 1 × (2 + 2) + 2 + 2) = 3 + 17 = 20 s.
    expect(sessionMs(MINIMAL)).toBe(20_000);
    // 10 + 4 × (8 + 4 × 2 × 3 + 6 + 4 × 10 + 4 + 3) = 10 + 4 × 85 = 350 s.
    expect(sessionMs(SEED_UPPER)).toBe(350_000);
  });

  it('is where the timeline puts the session-done cue, for the default and the extreme prescriptions', () => {
    for (const p of [DEFAULT_PRESCRIPTION, MAXIMAL_PRESCRIPTION, MINIMAL, SEED_UPPER]) {
      const timeline = buildTimeline(p);
      if (!timeline.ok) throw new Error('a prescription within its bounds');
      expect(sessionMs(p)).toBe(timeline.value.totalMs);
    }
  });
});
