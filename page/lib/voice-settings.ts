import { readFileSync } from '@zos/fs';
import type { VoiceSettings } from '../../core/engine/voice';
import { decodeVoice, VOICE_FILE } from '../../core/watch/voice';

/** The voice settings kept on the watch (core/watch/voice, a /data file); the default when none reads. */
export function voiceSettings(): VoiceSettings {
  let text: string | undefined;
  try {
    // undefined when there is no file.
    text = readFileSync({ path: VOICE_FILE, options: { encoding: 'utf8' } }) as string | undefined;
  } catch {
    // Unreadable: the default.
  }
  return decodeVoice(text);
}
