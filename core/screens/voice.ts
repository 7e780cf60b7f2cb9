import type { Translate } from '../base/i18n';
import type { Program, Step } from '../base/program';
import type { VoiceSettings } from '../engine/voice';
import { encodeVoice, nextVoice, nextVolume } from '../watch/voice';
import { layoutFor, type Layout } from './layout';
import { fit } from './fit';
import { COLOR, type View, type Widget } from './widgets';

/**
 * The voice settings, opened from "Feel the cues": the voice on or off and which breaths it speaks (one
 * button: first hold only → every breath → off), its volume (40 → 70 → 100 %), and a sample to hear it.
 * Every change is kept on the watch at once and heard at once. On a watch where the player cannot be
 * made (no speaker) the voice reads off and the buttons change nothing: no error is shown.
 */
export interface VoiceModel {
  readonly voice: VoiceSettings;
  /** The player could be made: the watch has a speaker. */
  readonly speaker: boolean;
}

export type VoiceEvent = { readonly type: 'voice' } | { readonly type: 'volume' } | { readonly type: 'hear' };

export type VoiceEffect =
  /** Keep the settings (core/watch/voice: the /data file the App Service reads). */
  | { readonly type: 'save'; readonly text: string }
  /** Say these clips now, at this volume. */
  | { readonly type: 'say'; readonly clips: readonly string[]; readonly volume: number };

/** What "hear it" says: the hold's first breath, as a session's first hold says it. */
export const VOICE_SAMPLE = ['name-hold', 'breath-inhale'] as const;

export function voiceProgram(
  voice: VoiceSettings,
  speaker: boolean,
): Program<VoiceModel, VoiceEvent, VoiceEffect> {
  return { init: { model: { voice, speaker }, effects: [] }, update: updateVoice };
}

function updateVoice(model: VoiceModel, event: VoiceEvent): Step<VoiceModel, VoiceEffect> {
  if (!model.speaker) return { model, effects: [] };
  const voice =
    event.type === 'voice'
      ? nextVoice(model.voice)
      : event.type === 'volume'
        ? { ...model.voice, volume: nextVolume(model.voice.volume) }
        : model.voice;
  const say: VoiceEffect[] = voice.on ? [{ type: 'say', clips: VOICE_SAMPLE, volume: voice.volume }] : [];
  if (event.type === 'hear') return { model, effects: say };
  return { model: { ...model, voice }, effects: [{ type: 'save', text: encodeVoice(voice) }, ...say] };
}

/** The voice button's words: off, or which breaths it speaks. */
export const voiceModeKey = (model: VoiceModel): string =>
  !model.speaker || !model.voice.on ? 'voice.off' : `voice.${model.voice.breaths}`;

export function voiceView(model: VoiceModel, ringLayout: Layout, t: Translate): View<VoiceEvent> {
  const layout = layoutFor(ringLayout.screen, 'open');
  const { font } = layout;
  const button = (id: string, at: number, text: string, msg: VoiceEvent): Widget<VoiceEvent> => ({
    type: 'button',
    id,
    box: layout.button(at, Math.round(font.body * 1.9), 0.72),
    text,
    size: font.body,
    color: model.speaker ? COLOR.accent : COLOR.muted,
    background: COLOR.buttonBackground,
    pressed: COLOR.buttonPressed,
    msg,
  });
  return fit([
    {
      type: 'text',
      id: 'title',
      box: layout.rowAt(0.17, font.body * 1.3),
      text: t('voice.title'),
      size: font.body,
      color: COLOR.text,
    },
    button('voice', 0.35, t('cues.voice', { mode: t(voiceModeKey(model)) }), { type: 'voice' }),
    button('volume', 0.55, t('cues.volume', { level: model.voice.volume }), { type: 'volume' }),
    model.speaker
      ? button('hear', 0.75, t('voice.hear'), { type: 'hear' })
      : {
          type: 'text',
          id: 'none',
          box: layout.rowAt(0.75, font.small * 2.6),
          text: t('voice.none'),
          size: font.small,
          color: COLOR.muted,
          wrap: true,
        },
  ]);
}
