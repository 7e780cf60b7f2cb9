import type { CueForm } from '../engine/haptics';
import type { CueKind } from '../engine/timeline';
import type { KeyValueStore } from '../base/kv';
import { screenModeOf } from './screen';

/**
 * Which way the session goes on this watch, as the session page reads it: the darkest path the wrist
 * check proved here (core/watch/profile), or, on a watch never checked (or whose profile no longer
 * reads, or was made on another watch), the one that relies on nothing unproven: the page plays the
 * session with the screen kept on, dimmed. Small on purpose: the session page carries it, not the
 * profile's codec. The choice is written with the profile and bound to it by the profile's time
 * (`at`): a profile that no longer parses, was removed, or was made again since counts as no check at
 * all (the check page reads it whole, and quarantines it if it does not read: core/watch/profile).
 */
export const SESSION_CHOICE_KEY = 'watch.session';
/**
 * The wrist check is offered once, at the first launch (home gives way to the resume page while this
 * is absent, which opens the check); the check page writes it when it opens.
 */
export const CHECK_OFFERED_KEY = 'check.offered';
/** The profile (core/watch/profile), whose text the choice is bound to. */
export const PROFILE_KEY = 'watch.profile';

/** What a check can prove: the App Service with the screen off (API ≥ 4.0), or the page with the screen off. */
export type ProvenPath = 'service' | 'dark';
/**
 * service: the App Service plays the cues, the screen goes off as usual. dark: the page plays them and
 * lets the screen go off. dim: the page plays them with the screen kept on, lowered. on: the page plays
 * them with the screen kept on at the patient's brightness (the patient's own setting, Feel the cues).
 */
export type SessionPath = ProvenPath | 'dim' | 'on';

export interface SessionChoice {
  readonly path: SessionPath;
  /** Cues played in another form than as set: the ones the check found not felt as set. */
  readonly forms: { readonly [K in CueKind]?: CueForm };
}

/**
 * The session's path and cue forms, from what the store holds (the choice, the profile it was made
 * from, the patient's screen setting) and this watch's deviceSource. Only a check made on API ≥ 4.0 can
 * prove the service path (core/link/watch-profile `provenPath`), and a choice made on another model is
 * not this watch's, so a restored one cannot send a session to a service the watch cannot run.
 */
export function sessionChoice(store: KeyValueStore, source: number): SessionChoice {
  type Stored = { d?: unknown; p?: ProvenPath; f?: SessionChoice['forms']; at?: number };
  let c: Stored = {};
  try {
    const read = JSON.parse(store.get(SESSION_CHOICE_KEY) || '{}') as Stored;
    // Made on this watch, from the profile stored now (which must still parse: JSON.parse throws).
    if (
      read.d === source &&
      read.at! > 0 &&
      read.at === (JSON.parse(store.get(PROFILE_KEY) || '{}') as Stored).at
    )
      c = read;
  } catch {
    // Unreadable: no check counts.
  }
  const proven = c.p === 'dark' || c.p === 'service' ? c.p : 'dim';
  return { path: screenModeOf(store) === 'on' ? 'on' : proven, forms: c.f || {} };
}
