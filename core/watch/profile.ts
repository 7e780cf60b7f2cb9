import type { KeyValueStore } from '../base/kv';
import { moveToQuarantine } from '../base/quarantine';
import { err, ok, type Result } from '../base/result';
import type { CueForm as EngineCueForm } from '../engine/haptics';
import type { CueKind } from '../engine/timeline';
import {
  decodeProfile,
  encodeProfile,
  formOf,
  provenPath,
  type CueAnswer,
  type CueForm,
  type ProfileCue,
  type WatchProfile,
} from '../link/watch-profile';
import { WATCH_QUARANTINE_KEY } from './prescription';
import type { ScreenMode } from './screen';
import { CHECK_OFFERED_KEY, PROFILE_KEY, SESSION_CHOICE_KEY, type ProvenPath } from './session-path';

/**
 * The watch profile on the watch: kept under PROFILE_KEY, read back whole (an unreadable one goes to
 * the quarantine whole and the watch counts as never checked; one made on another watch is ignored),
 * and what it decides for the session: the darkest path proven here and the form each cue is played
 * in (core/watch/session-path, which the session page reads).
 */
export { CHECK_OFFERED_KEY, PROFILE_KEY, formOf, provenPath };
/** The text of the profile the phone last acknowledged (`profile.put`): sent again until it matches. */
export const PROFILE_SENT_KEY = 'watch.profile.sent';

// The profile's cue names and forms are the engine's (link and engine sit side by side): held equal here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
export type NamesAgree = Holds<Same<CueKind, ProfileCue>> | Holds<Same<EngineCueForm, CueForm>>;

export interface ThisWatch {
  readonly name: string;
  readonly source: number;
  readonly api: number;
}

export type LoadedProfile =
  | { readonly type: 'none' }
  | { readonly type: 'checked'; readonly profile: WatchProfile }
  /** Made on another watch (deviceSource differs): kept as it is, and ignored. */
  | { readonly type: 'otherWatch'; readonly profile: WatchProfile }
  /** Did not read: moved to the quarantine (when there was room); the watch counts as unchecked. */
  | { readonly type: 'unreadable'; readonly reason: string };

/** The profile this watch made, if any; an unreadable one is quarantined whole and its session choice dropped. */
export function loadProfile(store: KeyValueStore, watch: ThisWatch, now: number): LoadedProfile {
  const text = store.get(PROFILE_KEY);
  if (text === undefined) return { type: 'none' };
  const read = decodeProfile(text);
  if (!read.ok) {
    const kept = moveToQuarantine(store, WATCH_QUARANTINE_KEY, {
      key: PROFILE_KEY,
      raw: text,
      reason: read.error,
      at: now,
    });
    store.remove(SESSION_CHOICE_KEY);
    if (kept) store.remove(PROFILE_KEY);
    return { type: 'unreadable', reason: read.error };
  }
  if (read.value.device.source !== watch.source) return { type: 'otherWatch', profile: read.value };
  return { type: 'checked', profile: read.value };
}

/** What the session page reads: the path proven and the cues' forms, bound to this profile by its time. */
export function sessionChoiceOf(p: WatchProfile): string {
  const forms: { [K in ProfileCue]?: CueForm } = {};
  for (const [cue, answers] of Object.entries(p.cues) as [ProfileCue, readonly CueAnswer[]][]) {
    const form = formOf(answers);
    if (form !== 'asSet') forms[cue] = form;
  }
  return JSON.stringify({ d: p.device.source, p: provenPath(p), f: forms, at: p.at });
}

/**
 * Keeps a new profile: the profile first, then the session's choice made from it (a kill between the two
 * leaves a choice bound to the old profile's time, which the session page then ignores: unchecked, the safe side).
 */
export function saveProfile(store: KeyValueStore, p: WatchProfile): void {
  store.set(PROFILE_KEY, encodeProfile(p));
  store.set(SESSION_CHOICE_KEY, sessionChoiceOf(p));
}

/** The profile's text to send to the phone, unless the phone has it already. */
export function profileToSend(store: KeyValueStore): string | undefined {
  const text = store.get(PROFILE_KEY);
  return text !== undefined && store.get(PROFILE_SENT_KEY) !== text ? text : undefined;
}

/** The path a session takes on this watch, in words for the check's last screen (an i18n key's tail). */
export function pathWord(p: ProvenPath | null, mode: ScreenMode): 'service' | 'dark' | 'dim' | 'on' {
  return mode === 'on' ? 'on' : (p ?? 'dim');
}

/** Lateness figures of a series of timers (T1): n, the largest and the 95th percentile (nearest rank), ms. */
export function latenessOf(
  lateMs: readonly number[],
): Result<{ n: number; maxMs: number; p95Ms: number }, string> {
  if (lateMs.length === 0) return err('no timer fired');
  const sorted = lateMs.map((x) => Math.max(0, Math.round(x))).sort((a, b) => a - b);
  const rank = Math.ceil(0.95 * sorted.length);
  return ok({ n: sorted.length, maxMs: sorted[sorted.length - 1]!, p95Ms: sorted[rank - 1]! });
}
