/// <reference types="@zeppos/device-types" />
import type { Vibrator } from '@zos/sensor';
import { describe, expect, it } from 'vitest';
import {
  LONGEST_BUZZ_MS,
  PATTERNS,
  TICK_MS,
  patternMs,
  renderSequence,
  renderTimed,
  type Part,
  type VibrationTypeName,
  type VibratorCall,
  type VibratorSceneName,
} from '../../../core/engine/haptics';
import { BOUNDS, STRENGTHS } from '../../../core/plan/prescription';
import { QUIET_MS } from '../../../core/engine/schedule';
import { CUE_KINDS, type CueKind } from '../../../core/engine/timeline';

// Compile-time: the names core hands the shell are the platform's own (tsc -p tsconfig.node.json fails otherwise).
type TypeNames = keyof Vibrator.getType.Type;
type SceneNames = keyof typeof import('@zos/sensor');
const typeNamesExist: VibrationTypeName extends TypeNames ? true : never = true;
const sceneNamesExist: VibratorSceneName extends SceneNames ? true : never = true;

const KINDS: CueKind[] = ['stepStart', 'sweepTick', 'inhale', 'exhale', 'roundDone', 'sessionDone'];
const pulses = (parts: readonly Part[]) => parts.filter((p) => p.type !== 'gap');
const signature = (parts: readonly Part[]) =>
  pulses(parts)
    .map((p) => (p.type === 'tick' ? '.' : p.ms >= 500 ? '=' : '-'))
    .join('');

describe('haptic vocabulary', () => {
  it('has one pattern per cue kind, all listed once for the "feel the cues" screen', () => {
    expect(Object.keys(PATTERNS).sort()).toEqual([...KINDS].sort());
    expect(
      CUE_KINDS.map((k) => PATTERNS[k])
        .map((p) => p.cue)
        .sort(),
    ).toEqual([...KINDS].sort());
    for (const p of CUE_KINDS.map((k) => PATTERNS[k])) {
      expect(p.nameKey).toBe(`cue.${p.cue}.name`);
      expect(p.feelKey).toBe(`cue.${p.cue}.feel`);
    }
  });

  it('codes each signal by pulse count and length, and no two feel the same', () => {
    const signatures = Object.fromEntries(KINDS.map((k) => [k, signature(PATTERNS[k].parts)]));
    expect(signatures).toEqual({
      sweepTick: '.',
      stepStart: '..',
      roundDone: '...',
      inhale: '=',
      exhale: '--',
      sessionDone: '....=',
    });
    expect(new Set(Object.values(signatures)).size).toBe(KINDS.length);
  });

  it('makes inhale and exhale differ in count and in continuity', () => {
    const inhale = pulses(PATTERNS.inhale.parts);
    const exhale = pulses(PATTERNS.exhale.parts);
    expect(inhale).toHaveLength(1);
    expect(exhale).toHaveLength(2);
    expect(PATTERNS.exhale.parts.some((p) => p.type === 'gap' && p.ms >= 150)).toBe(true);
    const longest = (ps: Part[]) => Math.max(...ps.map((p) => (p.type === 'buzz' ? p.ms : TICK_MS)));
    expect(longest(inhale)).toBeGreaterThanOrEqual(2 * longest(exhale));
  });

  it('keeps pulses countable: every gap inside a signal is at least 150 ms', () => {
    for (const p of CUE_KINDS.map((k) => PATTERNS[k]))
      for (const part of p.parts) if (part.type === 'gap') expect(part.ms).toBeGreaterThanOrEqual(150);
  });

  it('ends every pattern but the last in time for any prescription, even 250 ms late', () => {
    const shortestGapMs =
      1000 *
      Math.min(
        ...Object.values(BOUNDS)
          .filter((b) => b.unit === 'seconds')
          .map((b) => b.min),
      );
    expect(shortestGapMs).toBe(2_000);
    for (const k of KINDS.filter((k) => k !== 'sessionDone')) {
      expect(250 + patternMs(k) + QUIET_MS).toBeLessThanOrEqual(shortestGapMs);
    }
  });

  it('measures a pattern from its parts', () => {
    expect(patternMs('sweepTick')).toBe(TICK_MS);
    expect(patternMs('stepStart')).toBe(TICK_MS + 200 + TICK_MS);
    expect(patternMs('inhale')).toBe(700);
    expect(patternMs('exhale')).toBe(600);
  });
});

describe('API ≥ 3.6 rendering', () => {
  it('uses getType() names only', () => {
    expect(typeNamesExist && sceneNamesExist).toBe(true);
    for (const k of KINDS) {
      for (const s of STRENGTHS) {
        for (const a of renderSequence(k, s))
          expect(['GENTLE_SHORT', 'STRONG_SHORT', 'CONTINUOUS', 'PAUSE']).toContain(a.type);
      }
    }
  });

  it('renders ticks by strength, buzzes as CONTINUOUS and gaps as PAUSE', () => {
    expect(renderSequence('stepStart', 'light')).toEqual([
      { type: 'GENTLE_SHORT' },
      { type: 'PAUSE', duration: 200 },
      { type: 'GENTLE_SHORT' },
    ]);
    expect(renderSequence('sweepTick', 'strong')).toEqual([{ type: 'STRONG_SHORT' }]);
    expect(renderSequence('sweepTick', 'medium')).toEqual([{ type: 'STRONG_SHORT' }]);
    expect(renderSequence('exhale', 'light')).toEqual([
      { type: 'CONTINUOUS', duration: 200 },
      { type: 'PAUSE', duration: 200 },
      { type: 'CONTINUOUS', duration: 200 },
    ]);
  });

  it('keeps the pattern length', () => {
    for (const k of KINDS) {
      const seq = renderSequence(k, 'medium');
      const ms = seq.reduce((sum, a) => sum + (a.duration ?? TICK_MS), 0);
      expect(ms).toBe(patternMs(k));
    }
  });
});

describe('API 3.0–3.5 rendering', () => {
  /** Plays the calls on a model motor and returns its on-intervals, as a shell would feel them. */
  function play(calls: VibratorCall[]): { from: number; to: number; scene: VibratorSceneName }[] {
    const native: Record<VibratorSceneName, number> = {
      VIBRATOR_SCENE_SHORT_LIGHT: 20,
      VIBRATOR_SCENE_SHORT_MIDDLE: 20,
      VIBRATOR_SCENE_SHORT_STRONG: 20,
      VIBRATOR_SCENE_DURATION: 600,
      VIBRATOR_SCENE_DURATION_LONG: 1000,
    };
    const on: { from: number; to: number; scene: VibratorSceneName }[] = [];
    let mode: VibratorSceneName | null = null;
    let running: { from: number; scene: VibratorSceneName } | null = null;
    const stopAt = (t: number) => {
      if (running)
        on.push({
          from: running.from,
          to: Math.min(t, running.from + native[running.scene]),
          scene: running.scene,
        });
      running = null;
    };
    for (const c of calls) {
      if (c.type === 'stop') stopAt(c.atMs);
      else if (c.type === 'setMode') mode = c.scene;
      else {
        // A start while a scene still runs is the overlap the platform would swallow: forbid it.
        expect(running).toBeNull();
        expect(mode).not.toBeNull();
        running = { from: c.atMs, scene: mode as VibratorSceneName };
      }
    }
    stopAt(Number.POSITIVE_INFINITY);
    return on;
  }

  it('reproduces every pattern, pulse for pulse, at each strength', () => {
    for (const k of KINDS) {
      for (const s of STRENGTHS) {
        const expected: { from: number; to: number }[] = [];
        let t = 0;
        for (const part of PATTERNS[k].parts) {
          const ms = part.type === 'tick' ? TICK_MS : part.ms;
          if (part.type !== 'gap') expected.push({ from: t, to: t + ms });
          t += ms;
        }
        expect(play(renderTimed(k, s)).map(({ from, to }) => ({ from, to }))).toEqual(expected);
      }
    }
  });

  it('calls stop() and setMode() before every start(), at the same moment', () => {
    for (const k of KINDS) {
      const calls = renderTimed(k, 'medium');
      calls.forEach((c, i) => {
        if (c.type !== 'start') return;
        expect(calls[i - 1]).toMatchObject({ type: 'setMode', atMs: c.atMs });
        expect(calls[i - 2]).toMatchObject({ type: 'stop', atMs: c.atMs });
      });
      for (let i = 1; i < calls.length; i++)
        expect((calls[i] as VibratorCall).atMs).toBeGreaterThanOrEqual((calls[i - 1] as VibratorCall).atMs);
      expect(calls.at(-1)?.atMs).toBeLessThanOrEqual(patternMs(k));
    }
  });

  it('picks the tick scene from the strength and a long scene that covers each buzz', () => {
    const scenes = (k: CueKind, s: (typeof STRENGTHS)[number]) =>
      renderTimed(k, s).flatMap((c) => (c.type === 'setMode' ? [c.scene] : []));
    expect(scenes('sweepTick', 'light')).toEqual(['VIBRATOR_SCENE_SHORT_LIGHT']);
    expect(scenes('sweepTick', 'medium')).toEqual(['VIBRATOR_SCENE_SHORT_MIDDLE']);
    expect(scenes('sweepTick', 'strong')).toEqual(['VIBRATOR_SCENE_SHORT_STRONG']);
    expect(scenes('exhale', 'light')).toEqual(['VIBRATOR_SCENE_DURATION', 'VIBRATOR_SCENE_DURATION']);
    expect(scenes('inhale', 'light')).toEqual(['VIBRATOR_SCENE_DURATION_LONG']);
    for (const p of CUE_KINDS.map((k) => PATTERNS[k]))
      for (const part of p.parts)
        if (part.type === 'buzz') expect(part.ms).toBeLessThanOrEqual(LONGEST_BUZZ_MS);
  });
});
