import { STALE_MS } from './schedule';
import { originOf, type Session } from './session';
import type { Cue, CueKind, Timeline } from './timeline';

/**
 * Spoken guidance: which bundled phrase goes with which cue, and the order the one media player is
 * driven in (prepare the next phrase ahead, start it at its cue). Played together with the cue's
 * vibration, never instead of it: a phrase that cannot be played is skipped in silence.
 *
 * A phrase is a list of clips, each one MP3 file `assets/voice/<language>/<clip>.mp3` spoken from the
 * texts the session screen shows (`page/i18n/*.po`): `scripts/voice.ts` makes them, `clipTexts` says
 * what each one says.
 */

/** Which breaths are spoken: every one, or those of the first hold only (the patient learns the pace). */
export type BreathVoice = 'every' | 'first';

export interface VoiceSettings {
  readonly on: boolean;
  /** The player's volume, 0–100 (`@zos/media` Player `setVolume`). */
  readonly volume: number;
  readonly breaths: BreathVoice;
}

/** The volumes "Feel the cues" steps through. */
export const VOICE_VOLUMES = [40, 70, 100] as const;

export const VOICE_DEFAULT: VoiceSettings = { on: true, volume: 70, breaths: 'first' };

/**
 * How long the last phrase ("Well done…") may take, with the player's PREPARE before it: the page or
 * service that speaks it waits this long before it goes (going stops the player). Held to the
 * committed clips by test/core/engine/voice-assets.test.ts.
 */
export const DONE_SPOKEN_MS = 3500;

/** A text key's clip: `sweep.toSky.do` → `sweep-toSky`, `step.lengthen.do` → `step-lengthen`. */
export const clipOfKey = (key: string): string => key.replace(/\.do$/, '').replace(/\./g, '-');

/** The clip that opens a step: its name and what to do for a timed step, its name alone for one whose moves are spoken. */
export const stepClip = (kind: string, movesSpoken: boolean): string =>
  movesSpoken ? `name-${kind}` : `step-${kind}`;
export const spokenMoves = (pacing: string): boolean => pacing === 'sweeps' || pacing === 'breaths';

/**
 * What is said at a cue, clip by clip: a round's first step says which round it opens ("Round 2 of 3"),
 * a new step its name and, for a timed one, what to do; a sweep its half; a breath "Breathe in/out"
 * (every breath, or only the first hold's); the last cue "Well done".
 */
export function phraseOf(timeline: Timeline, cue: Cue, breaths: BreathVoice): string[] {
  if (cue.kind === 'sessionDone') return [clipOfKey(cue.textKey)];
  const step = timeline.steps[cue.stepIndex];
  if (!step) return [];
  const clips: string[] = [];
  const moves = spokenMoves(step.def.pacing.type);
  // The cue that starts its step (timeline `startsStep`, written out here).
  if (cue.atMs === step.startMs) {
    // "Round 2", then "of 3": said back to back, eleven clips for every round a prescription allows.
    if (step.stepInRound === 1 && timeline.rounds.length > 1)
      clips.push(`round-${step.round}`, `of-${timeline.rounds.length}`);
    clips.push(stepClip(step.kind, moves));
  }
  if (!moves) return clips;
  // The first hold is the first round's (the set-up holds no breath).
  const spoken = cue.breath === null || breaths === 'every' || step.round <= 1;
  if (spoken) clips.push(clipOfKey(cue.textKey));
  return clips;
}

/** The first clip of the next cue that says anything, after cue `index`: the one to prepare ahead. */
export function nextClip(timeline: Timeline, index: number, breaths: BreathVoice): string | null {
  for (const cue of timeline.cues.slice(index + 1)) {
    const first = phraseOf(timeline, cue, breaths)[0];
    if (first !== undefined) return first;
  }
  return null;
}

/** What the play effect carries for the speaker: this cue's clips, and the next phrase's first clip. */
export interface Spoken {
  readonly say: readonly string[];
  readonly ahead: string | null;
}

/** Cue `index` of the timeline: what is said with it. */
export const spokenAt = (timeline: Timeline, index: number, breaths: BreathVoice): Spoken => ({
  say: phraseOf(timeline, timeline.cues[index]!, breaths),
  ahead: nextClip(timeline, index, breaths),
});

/**
 * What is said with the cue a transition of `session` just played: its last handled cue (a played cue
 * is the latest due, `nextCue` the one after it: core/engine/schedule `due`), if that is the cue played.
 */
export function spokenAfter(session: Session, played: CueKind, breaths: BreathVoice): Spoken | null {
  const cue = session.timeline.cues[session.nextCue - 1];
  if (cue?.kind !== played) return null;
  // spokenAt written out: the session page then carries one function less.
  return {
    say: phraseOf(session.timeline, cue, breaths),
    ahead: nextClip(session.timeline, session.nextCue - 1, breaths),
  };
}

/**
 * On taking a running session over (the App Service's start), the phrase of the cue handled last, if it
 * was played at most STALE_MS ago (the late-wake rule's bound): the page played its vibration and does
 * not speak. Null when there is none, or it is older.
 */
export function spokenOnTakeover(session: Session, now: number, breaths: BreathVoice): Spoken | null {
  const cue = session.timeline.cues[session.nextCue - 1];
  const origin = originOf(session);
  if (!cue || origin === null || now - (origin + cue.atMs) > STALE_MS) return null;
  return spokenAt(session.timeline, session.nextCue - 1, breaths);
}

// ---- the one player, as a program -----------------------------------------------------------------

/**
 * The player as the shell sees it (`@zos/media` Player: setSource → prepare → the PREPARE event →
 * start; COMPLETE at the end). One clip is loaded at a time (`clip`, null at rest), `ready` once
 * prepared; `play`: it starts as soon as it is ready (a clip prepared ahead waits for its cue). `queue`
 * is what the current cue still has to say, `ahead` the next cue's first clip, loaded after it.
 */
export interface Speaker {
  readonly clip: string | null;
  readonly ready: boolean;
  readonly play: boolean;
  readonly queue: readonly string[];
  readonly ahead: string | null;
}

export const SPEAKER_IDLE: Speaker = { clip: null, ready: false, play: false, queue: [], ahead: null };

export type SpeakerEvent =
  /** A cue: say these clips now (cutting what still plays), and prepare `ahead` afterwards. */
  | ({ readonly type: 'cue' } & Spoken)
  /** The PREPARE event's result (false: no such file, not a format or bitrate the watch plays). */
  | { readonly type: 'prepared'; readonly ok: boolean }
  /** COMPLETE: the clip was played to its end. */
  | { readonly type: 'complete' };

export type SpeakerCommand =
  /** Stop what is loaded, set this clip as the source and prepare it. */
  | { readonly type: 'load'; readonly clip: string }
  | { readonly type: 'start' }
  /** Stop what is loaded: nothing more to say or prepare. */
  | { readonly type: 'stop' };

export interface SpeakerStep {
  readonly speaker: Speaker;
  readonly commands: readonly SpeakerCommand[];
}

/** Loads the next of `clips` to say now, or else the next cue's first clip, or rests. */
function load(clips: readonly string[], ahead: string | null): SpeakerStep {
  const play = clips.length > 0;
  const [clip, ...queue] = play ? clips : ahead === null ? [] : [ahead];
  if (clip === undefined) return { speaker: SPEAKER_IDLE, commands: [{ type: 'stop' }] };
  return {
    speaker: { clip, ready: false, play, queue, ahead: play ? ahead : null },
    commands: [{ type: 'load', clip }],
  };
}

export function speak(s: Speaker, e: SpeakerEvent): SpeakerStep {
  const same = { speaker: s, commands: [] };
  switch (e.type) {
    case 'cue': {
      const [first, ...queue] = e.say;
      // Nothing to say: a player at rest prepares the next phrase; a busy one finishes what it says.
      if (first === undefined)
        return s.clip === null ? load([], e.ahead) : { ...same, speaker: { ...s, ahead: e.ahead } };
      // Prepared ahead (or being prepared): it starts at once, or as soon as it is ready.
      if (first === s.clip && !s.play)
        return {
          speaker: { ...s, play: true, queue, ahead: e.ahead },
          commands: s.ready ? [{ type: 'start' }] : [],
        };
      return load(e.say, e.ahead);
    }
    case 'prepared':
      if (s.clip === null || s.ready) return same;
      if (!e.ok) return load(s.queue, s.ahead);
      return { speaker: { ...s, ready: true }, commands: s.play ? [{ type: 'start' }] : [] };
    case 'complete':
      return s.play && s.ready ? load(s.queue, s.ahead) : same;
  }
}
