import type { CueKind } from './timeline';

/**
 * How long each cue buzzes at most, in ms: the longer of its two renderings (./haptics: the 3.6 scene
 * sequence and the timed scenes below it), which the late-wake rule (./schedule) leaves room for. Kept
 * here as numbers so that the pages which only follow a session's clock (the summary, resume) carry
 * none of the vibration patterns; test/core/engine/haptics.test.ts holds each to the patterns, so a
 * pattern changed there fails it until this table is made again.
 */
export const LONGEST_MS: { readonly [K in CueKind]: number } = {
  stepStart: 240,
  sweepTick: 20,
  inhale: 1000,
  exhale: 1450,
  roundDone: 460,
  sessionDone: 1980,
};

export const longestMs = (kind: CueKind): number => LONGEST_MS[kind];
