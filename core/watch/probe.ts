import type { Program, Step, SubOf } from '../base/program';
import { renderForm, type Haptics, type RenderedCue } from '../engine/haptics';

/**
 * The wrist check's probe in the App Service (core/watch/service `encodeProbe`), as a program: at its
 * time, if the screen is off, one session-done cue in the strongest form and PROBE_PATH written
 * (allowed with the screen off) so the check knows it played in the dark, then exit once the pattern
 * is felt whole; while the screen is still on, it looks again every PROBE_AGAIN_MS, and gives up once
 * PROBE_PATIENCE_MS past its time.
 */

/** How long the probe waits for the screen to go off past its time before it gives up. */
export const PROBE_PATIENCE_MS = 60_000;
/** While the screen is on, the probe looks again this much later. */
export const PROBE_AGAIN_MS = 2000;
/** After the cue, the service exits this much later (exiting stops the motor: the pattern is felt whole). */
export const PROBE_LEAVE_MS = 3000;

export interface ProbeModel {
  /** The next wake; null once the probe exits. */
  readonly wake: number | null;
  /** The cue played: the next wake exits. */
  readonly played: boolean;
}

/** The timer fired; `lit`: the screen was on then (absent: on). */
export type ProbeEvent = { readonly type: 'wake'; readonly now: number; readonly lit?: boolean };

export type ProbeEffect =
  | { readonly type: 'play'; readonly pattern: RenderedCue }
  /** Write PROBE_PATH with this text. */
  | { readonly type: 'noteProbe'; readonly text: string }
  | { readonly type: 'exit' };

/** The probe for `at`, its cue rendered for this watch's motor. */
export function probeProgram(
  at: number,
  haptics: Haptics,
): Program<ProbeModel, ProbeEvent, ProbeEffect, SubOf<'wake'>> {
  const update = (m: ProbeModel, { now, lit }: ProbeEvent): Step<ProbeModel, ProbeEffect> => {
    const dark = lit === false;
    if (m.played || (!dark && now - at > PROBE_PATIENCE_MS))
      return { model: { ...m, wake: null }, effects: [{ type: 'exit' }] };
    if (!dark) return { model: { ...m, wake: now + PROBE_AGAIN_MS }, effects: [] };
    return {
      model: { wake: now + PROBE_LEAVE_MS, played: true },
      effects: [
        { type: 'play', pattern: renderForm('sessionDone', 'strong', haptics) },
        { type: 'noteProbe', text: JSON.stringify({ at: now }) },
      ],
    };
  };
  return {
    init: { model: { wake: at, played: false }, effects: [] },
    update,
    subscriptions: (m) => (m.wake === null ? [] : [{ type: 'wake', at: m.wake }]),
  };
}
