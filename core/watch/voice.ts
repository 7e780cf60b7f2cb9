import { VOICE_DEFAULT, VOICE_VOLUMES, type BreathVoice, type VoiceSettings } from '../engine/voice';

/**
 * The voice settings, kept on the watch (the phone does not hold them): on or off, the volume, and which
 * breaths are spoken. They are a file in the Mini Program's /data folder rather than a storage key
 * because the App Service, which speaks, reads them: `@zos/storage` is not in its availability table,
 * `@zos/fs` is (read harshly, as the hand-over is: core/watch/service). One text, `on first 70`;
 * anything unreadable, or no file, reads as the default.
 */
export const VOICE_FILE = 'voice-settings.txt';

export const encodeVoice = (v: VoiceSettings): string => `${v.on ? 'on' : 'off'} ${v.breaths} ${v.volume}`;

export function decodeVoice(text: string | undefined | null): VoiceSettings {
  const [on, breaths, volume] = (text ?? '').split(' ');
  const level = Number(volume);
  if ((on !== 'on' && on !== 'off') || (breaths !== 'every' && breaths !== 'first')) return VOICE_DEFAULT;
  if (!Number.isInteger(level) || level < 0 || level > 100) return VOICE_DEFAULT;
  return { on: on === 'on', breaths: breaths as BreathVoice, volume: level };
}

/** The volume after `v` when the patient taps the volume button: 40 → 70 → 100 → 40. */
export function nextVolume(v: number): number {
  const i = VOICE_VOLUMES.findIndex((x) => x > v);
  return i < 0 ? VOICE_VOLUMES[0] : VOICE_VOLUMES[i]!;
}

/** The voice button's cycle: first hold only → every breath → off → first hold only. */
export function nextVoice(v: VoiceSettings): VoiceSettings {
  if (!v.on) return { ...v, on: true, breaths: 'first' };
  return v.breaths === 'first' ? { ...v, breaths: 'every' } : { ...v, on: false };
}
