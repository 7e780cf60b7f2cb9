import type { Strength } from '../plan/prescription';
import type { CueKind } from './timeline';

/**
 * The wrist's vocabulary. One motor varies only in timing, so the signals are coded on two axes the
 * skin tells apart eyes closed: element (a ~20 ms tick felt as a tap, or a buzz of hundreds of ms) and
 * count. Taps are for the arms and the steps, buzzes for the breath:
 *
 *   sweepTick   ·            one tap: move the arms
 *   stepStart   · ·          two taps: next step
 *   roundDone   · · ·        three taps: round done, lengthen again
 *   inhale      ━━━━━━━      one long unbroken buzz: breathe in
 *   exhale      ━━  ━━       two short buzzes: breathe out
 *   sessionDone · · · · ━━━━ four taps then a long buzz: finished
 *
 * Inhale and exhale differ in both count and continuity, the first thing breathing-app users ask for.
 */
export type Part =
  | { readonly type: 'tick' }
  | { readonly type: 'buzz'; readonly ms: number }
  | { readonly type: 'gap'; readonly ms: number };

export interface Pattern {
  readonly cue: CueKind;
  readonly parts: readonly Part[];
  /** From the first pulse's start to the last one's end. */
  readonly totalMs: number;
}

/** The platform's short scenes last about 20 ms (VIBRATOR_SCENE_SHORT_*); timing treats a tick as that long. */
export const TICK_MS = 20;
/** Between two taps of one signal: long enough to count them, short enough to read as one signal. */
const TAP_GAP_MS = 200;

const tick: Part = { type: 'tick' };
const gap = (ms: number): Part => ({ type: 'gap', ms });
const buzz = (ms: number): Part => ({ type: 'buzz', ms });
const taps = (n: number): Part[] =>
  Array.from({ length: n }, (_, i) => (i === 0 ? [tick] : [gap(TAP_GAP_MS), tick])).flat();

const partMs = (part: Part): number => (part.type === 'tick' ? TICK_MS : part.ms);

function pattern(cue: CueKind, parts: Part[]): Pattern {
  return Object.freeze({
    cue,
    parts: Object.freeze(parts),
    totalMs: parts.reduce((sum, part) => sum + partMs(part), 0),
  });
}

/**
 * A cue's pattern, made when asked: a page holds no table of them (about 1.5 KB of a small watch's heap
 * for six patterns nobody reads between cues).
 */
export function patternOf(cue: CueKind): Pattern {
  switch (cue) {
    case 'sweepTick':
      return pattern(cue, taps(1));
    case 'stepStart':
      return pattern(cue, taps(2));
    case 'roundDone':
      return pattern(cue, taps(3));
    case 'inhale':
      return pattern(cue, [buzz(700)]);
    case 'exhale':
      return pattern(cue, [buzz(200), gap(200), buzz(200)]);
    case 'sessionDone':
      return pattern(cue, [...taps(4), gap(300), buzz(1000)]);
  }
}

/** Every cue's pattern, as a table (tests and tools). */
export const PATTERNS: { readonly [K in CueKind]: Pattern } = /* @__PURE__ */ (() =>
  Object.freeze({
    sweepTick: patternOf('sweepTick'),
    stepStart: patternOf('stepStart'),
    roundDone: patternOf('roundDone'),
    inhale: patternOf('inhale'),
    exhale: patternOf('exhale'),
    sessionDone: patternOf('sessionDone'),
  }))();

export function patternMs(kind: CueKind): number {
  return patternOf(kind).totalMs;
}

// ---- API ≥ 3.6: one Vibrator.start([...]) call -------------------------------------------------------

/** Keys of `Vibrator.getType()` that the sequences use; the shell maps each to its number. */
export type VibrationTypeName = 'GENTLE_SHORT' | 'STRONG_SHORT' | 'CONTINUOUS' | 'PAUSE';

export interface VibrationAction {
  readonly type: VibrationTypeName;
  readonly duration?: number;
}

/**
 * getType() offers two short strengths, so medium and strong share STRONG_SHORT there; buzzes are
 * CONTINUOUS, whose strength the API does not expose.
 */
const SEQUENCE_TICK: { readonly [S in Strength]: VibrationTypeName } = {
  light: 'GENTLE_SHORT',
  medium: 'STRONG_SHORT',
  strong: 'STRONG_SHORT',
};

export function renderSequence(kind: CueKind, strength: Strength): VibrationAction[] {
  return patternOf(kind).parts.map((part) => {
    switch (part.type) {
      case 'tick':
        return { type: SEQUENCE_TICK[strength] };
      case 'buzz':
        return { type: 'CONTINUOUS', duration: part.ms };
      case 'gap':
        return { type: 'PAUSE', duration: part.ms };
    }
  });
}

// ---- API 3.0–3.5: scenes that end by themselves, at offsets -------------------------------------------

/** `@zos/sensor` scene constants the fallback uses; the shell maps each name to its value. */
export type VibratorSceneName =
  | 'VIBRATOR_SCENE_SHORT_LIGHT'
  | 'VIBRATOR_SCENE_SHORT_MIDDLE'
  | 'VIBRATOR_SCENE_SHORT_STRONG'
  | 'VIBRATOR_SCENE_DURATION'
  | 'VIBRATOR_SCENE_DURATION_LONG';

/** One scene started at `atMs` from the cue: the shell calls setMode({ mode }) then start(). */
export interface ScenePulse {
  readonly atMs: number;
  readonly scene: VibratorSceneName;
}

const TIMED_TICK: { readonly [S in Strength]: VibratorSceneName } = {
  light: 'VIBRATOR_SCENE_SHORT_LIGHT',
  medium: 'VIBRATOR_SCENE_SHORT_MIDDLE',
  strong: 'VIBRATOR_SCENE_SHORT_STRONG',
};

/** The scenes' own lengths, as the Vibrator reference page gives them. */
export const SCENE_MS: { readonly [S in VibratorSceneName]: number } = {
  VIBRATOR_SCENE_SHORT_LIGHT: 20,
  VIBRATOR_SCENE_SHORT_MIDDLE: 20,
  VIBRATOR_SCENE_SHORT_STRONG: 20,
  VIBRATOR_SCENE_DURATION: 600,
  VIBRATOR_SCENE_DURATION_LONG: 1000,
};
/** Silence after a buzz scene before the next pulse of the same signal, so two buzzes are felt as two. */
export const SCENE_GAP_MS = 250;
export const LONGEST_BUZZ_MS = SCENE_MS.VIBRATOR_SCENE_DURATION_LONG;

/**
 * The scenes a 3.0–3.5 shell starts, at offsets from the cue. Nothing here needs `stop()`: the
 * reference never says `stop()` cuts a scene short, so every pulse is a scene that ends by itself, and
 * each starts only after the one before has ended. A buzz becomes the shortest scene that covers it
 * (DURATION 600 ms, or DURATION_LONG 1000 ms), so buzzes grow, never shrink, and the signal keeps its
 * pulse count and its taps-versus-buzzes shape:
 *
 *   sweepTick · / stepStart · · / roundDone · · · / inhale ━━━━━ (1000) / exhale ━━━ ━━━ (600, 600)
 *   sessionDone · · · · ━━━━━ (1000)
 *
 * DISTINCTNESS RULE (both forms): no two signals have the same number of taps and the same number
 * of buzzes, and a tap (20 ms) and a buzz (at least 200 ms on 3.6, 600 ms here) differ at least
 * tenfold in length, so a count of each, eyes closed, names the signal.
 */
export function renderTimed(kind: CueKind, strength: Strength): ScenePulse[] {
  const pulses: ScenePulse[] = [];
  let at = 0;
  let afterBuzz = false;
  for (const part of patternOf(kind).parts) {
    if (part.type === 'gap') {
      at += afterBuzz ? Math.max(part.ms, SCENE_GAP_MS) : part.ms;
      continue;
    }
    const scene =
      part.type === 'tick'
        ? TIMED_TICK[strength]
        : part.ms <= SCENE_MS.VIBRATOR_SCENE_DURATION
          ? 'VIBRATOR_SCENE_DURATION'
          : 'VIBRATOR_SCENE_DURATION_LONG';
    pulses.push({ atMs: at, scene });
    at += SCENE_MS[scene];
    afterBuzz = part.type === 'buzz';
  }
  return pulses;
}

/** From the first scene's start to the last one's end. */
export function timedMs(kind: CueKind): number {
  const pulses = renderTimed(kind, 'medium');
  const last = pulses[pulses.length - 1];
  return last ? last.atMs + SCENE_MS[last.scene] : 0;
}

// ---- what a shell plays ----------------------------------------------------------------------------

/** How the watch plays a pattern: one scene sequence (API ≥ 3.6) or timed setMode/start/stop calls. */
export type Haptics = 'sequence' | 'timed';

/** `Vibrator.start([...])` takes an array of scenes from API 3.6 on (its reference page); below, calls are timed. */
const SEQUENCE_API = 3.6;

export const hapticsFor = (apiLevel: number): Haptics => (apiLevel >= SEQUENCE_API ? 'sequence' : 'timed');

/** A cue's pattern, rendered for the motor at hand: everything the shell needs to play it. */
export type RenderedCue =
  | { readonly type: 'sequence'; readonly actions: readonly VibrationAction[] }
  | { readonly type: 'timed'; readonly pulses: readonly ScenePulse[] };

export function renderCue(kind: CueKind, strength: Strength, haptics: Haptics): RenderedCue {
  return haptics === 'sequence'
    ? { type: 'sequence', actions: renderSequence(kind, strength) }
    : { type: 'timed', pulses: renderTimed(kind, strength) };
}

/** How long a cue plays on this motor. */
export const playMs = (kind: CueKind, haptics: Haptics): number =>
  haptics === 'sequence' ? patternMs(kind) : timedMs(kind);

// ---- forms the wrist check may choose (core/watch/profile) -------------------------------------------

/**
 * How a cue is played: as set (the patient's strength, this watch's motor form); with the strongest tick;
 * or as the API < 3.6 scenes play it with the strongest tick, which relies on no CONTINUOUS or PAUSE
 * duration (docs/platform-facts.md V2). The wrist check asks them in this order until one is felt.
 */
export type CueForm = 'asSet' | 'strong' | 'scenes';

/** A cue in a form (an unknown form plays as set). */
export const renderForm = (
  kind: CueKind,
  strength: Strength,
  haptics: Haptics,
  form?: CueForm,
): RenderedCue =>
  renderCue(
    kind,
    form === 'strong' || form === 'scenes' ? 'strong' : strength,
    form === 'scenes' ? 'timed' : haptics,
  );

/** How long a cue plays in a form. */
export const formMs = (kind: CueKind, haptics: Haptics, form?: CueForm): number =>
  playMs(kind, form === 'scenes' ? 'timed' : haptics);

/**
 * The forms the check asks for a cue, in order: each that plays differently from every one before (a
 * stronger tick where the strength is not already the strongest the motor offers; the scenes only where
 * the motor plays sequences).
 */
export function formsToAsk(kind: CueKind, strength: Strength, haptics: Haptics): CueForm[] {
  const forms: CueForm[] = [];
  const seen = new Set<string>();
  for (const form of ['asSet', 'strong', 'scenes'] as const) {
    const text = JSON.stringify(renderForm(kind, strength, haptics, form));
    if (seen.has(text)) continue;
    seen.add(text);
    forms.push(form);
  }
  return forms;
}
