import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DONE_SPOKEN_MS } from '../../../core/engine/voice';
import {
  MANIFEST,
  staleClips,
  VOICE_DIR,
  VOICE_LANGS,
  voiceTexts,
  type Manifest,
} from '../../../scripts/lib/voice';
import { mp3Info } from '../../runtime/zos/media';

// The committed phrases (assets/voice) against the catalogue they were made from: a text changed and
// its clip not remade fails here, naming it. Remake with `npx tsx scripts/voice.ts` (README).
const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
const files = (lang: string): string[] => readdirSync(join(VOICE_DIR, lang));

describe.each(VOICE_LANGS)('%s phrases', (lang) => {
  it('every clip was made from the catalogue’s text as it is now', () => {
    expect(staleClips(lang, voiceTexts(lang), manifest, files(lang))).toEqual([]);
  });

  it('each file is MP3 the double can prepare: mono-rate speech, and the last phrase fits its wait', () => {
    for (const f of files(lang)) {
      const info = mp3Info(readFileSync(join(VOICE_DIR, lang, f)));
      expect(info, f).not.toBeNull();
      expect(info!.ms, f).toBeGreaterThan(200);
      expect(info!.ms, f).toBeLessThan(6000);
    }
    const done = mp3Info(readFileSync(join(VOICE_DIR, lang, 'session-done.mp3')))!;
    // PREPARE (150 ms in the double) then the clip, within the wait before the page or service goes.
    expect(done.ms + 150).toBeLessThanOrEqual(DONE_SPOKEN_MS);
  });
});

describe('the check itself', () => {
  it('names a clip whose text changed, one never made, and a file no longer said', () => {
    const texts = { ...voiceTexts('en-US'), 'breath-inhale': 'Breathe in slowly', 'new-clip': 'New' };
    const stale = staleClips('en-US', texts, manifest, [...files('en-US'), 'gone.mp3']);
    expect(stale).toEqual([
      'en-US/breath-inhale: says "Breathe in", the catalogue "Breathe in slowly"',
      'en-US/new-clip: never made',
      'en-US/gone.mp3: no longer said',
    ]);
  });

  it('all three languages together stay small (each package carries them all)', () => {
    const bytes = VOICE_LANGS.flatMap((l) => files(l).map((f) => statSync(join(VOICE_DIR, l, f)).size));
    expect(bytes.reduce((a, b) => a + b, 0)).toBeLessThan(160 * 1024);
  });
});
