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
  type ScenePulse,
  timedMs,
  type VibratorSceneName,
} from '../../../core/engine/haptics';
import { BOUNDS, STRENGTHS } from '../../../core/plan/prescription';
import { QUIET_MS } from '../../../core/engine/schedule';
import { LONGEST_MS } from '../../../core/engine/cue-length';
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
  it('has one pattern per cue kind, each listed once', () => {
    expect(Object.keys(PATTERNS).sort()).toEqual([...KINDS].sort());
    expect(
      CUE_KINDS.map((k) => PATTERNS[k])
        .map((p) => p.cue)
        .sort(),
    ).toEqual([...KINDS].sort());
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

describe('the longest buzz of each cue, kept as numbers for the pages that only follow the clock', () => {
  it.each(CUE_KINDS)('%s: the longer of its two renderings', (kind) => {
    expect(LONGEST_MS[kind]).toBe(Math.max(patternMs(kind), timedMs(kind)));
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
  /**
   * A model motor of the 3.0–3.5 Vibrator, under either reading of what the reference leaves open:
   * `stop()` cuts a running scene short, or it does not. A scene's own length is its page's figure.
   * A start while a scene still runs is forbidden under both (the platform may drop or restart it).
   */
  function feel(pulses: readonly ScenePulse[], stopCuts: boolean, stops: readonly number[] = []) {
    const native: Record<VibratorSceneName, number> = {
      VIBRATOR_SCENE_SHORT_LIGHT: 20,
      VIBRATOR_SCENE_SHORT_MIDDLE: 20,
      VIBRATOR_SCENE_SHORT_STRONG: 20,
      VIBRATOR_SCENE_DURATION: 600,
      VIBRATOR_SCENE_DURATION_LONG: 1000,
    };
    const on: { from: number; to: number }[] = [];
    for (const p of pulses) {
      const prev = on.at(-1);
      expect(prev === undefined || prev.to <= p.atMs, `start at ${p.atMs} over a running scene`).toBe(true);
      let to = p.atMs + native[p.scene];
      if (stopCuts) for (const s of stops) if (s > p.atMs && s < to) to = s;
      on.push({ from: p.atMs, to });
    }
    return on;
  }
  /** Tap or buzz, by length alone, as the skin tells them: a tap is a 20 ms pulse, a buzz 200 ms or more. */
  const shape = (on: { from: number; to: number }[]) =>
    on.map(({ from, to }) => (to - from <= 20 ? '.' : to - from >= 200 ? '=' : '?')).join('');

  it('starts only scenes that end by themselves, each after the one before has ended, hand-worked', () => {
    const at = (k: CueKind) =>
      renderTimed(k, 'medium').map((p) => [p.atMs, p.scene.replace('VIBRATOR_SCENE_', '')]);
    expect(at('sweepTick')).toEqual([[0, 'SHORT_MIDDLE']]);
    expect(at('stepStart')).toEqual([
      [0, 'SHORT_MIDDLE'],
      [220, 'SHORT_MIDDLE'],
    ]);
    expect(at('roundDone')).toEqual([
      [0, 'SHORT_MIDDLE'],
      [220, 'SHORT_MIDDLE'],
      [440, 'SHORT_MIDDLE'],
    ]);
    expect(at('inhale')).toEqual([[0, 'DURATION_LONG']]);
    // 600 ms scene, 250 ms of silence, 600 ms scene.
    expect(at('exhale')).toEqual([
      [0, 'DURATION'],
      [850, 'DURATION'],
    ]);
    // Four taps 220 ms apart, 300 ms of silence after the last, then the long scene.
    expect(at('sessionDone')).toEqual([
      [0, 'SHORT_MIDDLE'],
      [220, 'SHORT_MIDDLE'],
      [440, 'SHORT_MIDDLE'],
      [660, 'SHORT_MIDDLE'],
      [980, 'DURATION_LONG'],
    ]);
    expect(KINDS.map((k) => timedMs(k))).toEqual([240, 20, 1000, 1450, 460, 1980]);
  });

  it('tells every signal apart by its count of taps and of buzzes, whether or not stop() cuts a scene', () => {
    for (const stopCuts of [true, false]) {
      for (const s of STRENGTHS) {
        // Even a stray stop() 100 ms into each pulse (a page leaving mid-pattern is another matter).
        const felt = Object.fromEntries(
          KINDS.map((k) => {
            const pulses = renderTimed(k, s);
            return [k, shape(feel(pulses, stopCuts))];
          }),
        );
        expect(felt, `stop() ${stopCuts ? 'cuts' : 'does not cut'}, ${s}`).toEqual({
          sweepTick: '.',
          stepStart: '..',
          roundDone: '...',
          inhale: '=',
          exhale: '==',
          sessionDone: '....=',
        });
        const counts = Object.values(felt).map(
          (f) => `${f.split('.').length - 1}/${f.split('=').length - 1}`,
        );
        expect(new Set(counts).size).toBe(KINDS.length);
      }
    }
  });

  it('needs no stop(): the pattern is the same whether stop() cuts scenes or not', () => {
    for (const k of KINDS) {
      const pulses = renderTimed(k, 'strong');
      const stops = pulses.map((p) => p.atMs + 100);
      expect(feel(pulses, false)).toEqual(feel(pulses, true));
      // Had the form relied on stop() (the old one cut a DURATION scene at 200 ms), the readings would differ.
      if (pulses.some((p) => p.scene.includes('DURATION')))
        expect(feel(pulses, true, stops)).not.toEqual(feel(pulses, false, stops));
    }
  });

  it('ends every pattern but the last in time on this motor too, even 250 ms late', () => {
    for (const k of KINDS.filter((x) => x !== 'sessionDone'))
      expect(250 + timedMs(k) + QUIET_MS, k).toBeLessThanOrEqual(2_000);
  });

  it('picks the tick scene from the strength and a long scene that covers each buzz', () => {
    const scenes = (k: CueKind, s: (typeof STRENGTHS)[number]) => renderTimed(k, s).map((c) => c.scene);
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
