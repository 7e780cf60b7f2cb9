import type { Translate } from '../base/i18n';
import type { Program, Step } from '../base/program';
import { DEFAULT_PRESCRIPTION } from '../plan/prescription';
import type { StepKind } from '../plan/routine';
import { buildTimeline } from '../engine/timeline';
import { phraseOf, type VoiceSettings } from '../engine/voice';
import { encodeVoice, nextVoice, nextVolume } from '../watch/voice';
import { layoutFor, openEdge, type Box, type Layout } from './layout';
import { fit } from './fit';
import { COLOR, type View, type Widget } from './widgets';

/**
 * Show and tell, opened from "Feel the cues" (its Voice row): a picture of each step with its name, and
 * the voice settings. Tapping the step's name shows the next step and says what a session says when it
 * starts (its name and what to do, or its first move). The voice button steps through first hold only →
 * every breath → off, the volume one through 40 → 70 → 100 %; each change is kept on the watch at once
 * and heard at once. On a watch where the player cannot be made (no speaker) the voice reads off, its
 * buttons change nothing and a note says why; the pictures are shown all the same. No error is shown.
 */
export interface VoiceModel {
  readonly voice: VoiceSettings;
  /** The player could be made: the watch has a speaker. */
  readonly speaker: boolean;
  /** The step shown: its place in SHOWN. */
  readonly step: number;
}

export type VoiceEvent =
  | { readonly type: 'voice' }
  | { readonly type: 'volume' }
  /** The step's name: the next step, and its phrase. */
  | { readonly type: 'next' };

export type VoiceEffect =
  /** Keep the settings (core/watch/voice: the /data file the App Service reads). */
  | { readonly type: 'save'; readonly text: string }
  /** Say these clips now, at this volume. */
  | { readonly type: 'say'; readonly clips: readonly string[]; readonly volume: number };

/** Every step of the routine once, in its order, with what its first cue says (first hold only). */
export const SHOWN: readonly {
  readonly kind: StepKind;
  readonly nameKey: string;
  readonly clips: readonly string[];
}[] = (() => {
  const built = buildTimeline(DEFAULT_PRESCRIPTION);
  if (!built.ok) return [];
  const tl = built.value;
  return tl.steps
    .map((s, index) => ({ s, index }))
    .filter(({ s, index }) => tl.steps.findIndex((x) => x.kind === s.kind) === index)
    .map(({ s, index }) => {
      const first = tl.cues.find((c) => c.stepIndex === index)!;
      return {
        kind: s.kind,
        nameKey: s.def.nameKey,
        clips: phraseOf(tl, first, 'first').filter((c) => !/^(round|of)-/.test(c)),
      };
    });
})();

/** The sample the voice and volume buttons say: the first hold's first breath. */
export const VOICE_SAMPLE = ['name-hold', 'breath-inhale'] as const;

export function voiceProgram(
  voice: VoiceSettings,
  speaker: boolean,
): Program<VoiceModel, VoiceEvent, VoiceEffect> {
  return { init: { model: { voice, speaker, step: 0 }, effects: [] }, update: updateVoice };
}

function updateVoice(model: VoiceModel, event: VoiceEvent): Step<VoiceModel, VoiceEffect> {
  const say = (voice: VoiceSettings, clips: readonly string[]): VoiceEffect[] =>
    model.speaker && voice.on ? [{ type: 'say', clips, volume: voice.volume }] : [];
  if (event.type === 'next') {
    const step = (model.step + 1) % SHOWN.length;
    return { model: { ...model, step }, effects: say(model.voice, SHOWN[step]!.clips) };
  }
  if (!model.speaker) return { model, effects: [] };
  const voice =
    event.type === 'voice'
      ? nextVoice(model.voice)
      : { ...model.voice, volume: nextVolume(model.voice.volume) };
  return {
    model: { ...model, voice },
    effects: [{ type: 'save', text: encodeVoice(voice) }, ...say(voice, VOICE_SAMPLE)],
  };
}

/** The voice button's words: off, or which breaths it speaks. */
export const voiceModeKey = (model: VoiceModel): string =>
  !model.speaker || !model.voice.on ? 'voice.off' : `voice.${model.voice.breaths}`;

/** The picture on screen: a packaged PNG (scripts/pictures.ts), half the screen wide, 2 : 1. */
export function voicePicture(
  model: VoiceModel,
  ringLayout: Layout,
): { readonly src: string; readonly box: Box } {
  const { width } = ringLayout.screen;
  const w = Math.round(width * 0.5);
  const h = Math.round(w / 2);
  const y = Math.round(ringLayout.screen.height * 0.24 - h / 2);
  return { src: `pictures/${SHOWN[model.step]!.kind}.png`, box: { x: Math.round((width - w) / 2), y, w, h } };
}

export function voiceView(model: VoiceModel, ringLayout: Layout, t: Translate): View<VoiceEvent> {
  const layout = layoutFor(ringLayout.screen, openEdge);
  const { font } = layout;
  const button = (
    id: string,
    at: number,
    text: string,
    msg: VoiceEvent,
    on: boolean,
  ): Widget<VoiceEvent> => ({
    type: 'button',
    id,
    box: layout.button(at, Math.round(font.body * 1.9), 0.8),
    text,
    size: font.body,
    color: on ? COLOR.accent : COLOR.muted,
    background: COLOR.buttonBackground,
    pressed: COLOR.buttonPressed,
    msg,
  });
  const shown = SHOWN[model.step]!;
  const next = button('next', 0.45, `${t(shown.nameKey)} ›`, { type: 'next' }, true);
  const voice = (at: number): Widget<VoiceEvent> =>
    button('voice', at, t('cues.voice', { mode: t(voiceModeKey(model)) }), { type: 'voice' }, model.speaker);
  if (model.speaker)
    return fit([
      next,
      voice(0.61),
      button('volume', 0.77, t('cues.volume', { level: model.voice.volume }), { type: 'volume' }, true),
    ]);
  // No speaker: the note where the row is wide, the voice (off) below it.
  return fit([
    next,
    {
      type: 'text',
      id: 'none',
      box: layout.rowAt(0.62, font.small * 2.6),
      text: t('voice.none'),
      size: font.small,
      color: COLOR.muted,
      wrap: true,
    },
    voice(0.8),
  ]);
}
