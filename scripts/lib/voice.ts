import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { po } from 'gettext-parser';
import { translator } from '../../core/base/i18n';
import { clipTexts } from '../../core/engine/voice-clips';

/**
 * The spoken phrases (core/engine/voice): one MP3 per clip and language in `assets/voice/<lang>/`, made by
 * `scripts/voice.ts` from the watch's own catalogue (`page/i18n/<lang>.po`), the texts the session screen
 * shows. `assets/voice/manifest.json` keeps, for each file, the text it says and the hash of everything
 * that made it (text, voice, speed, encoding), so a test sees a text changed and its clip not remade.
 */
export const VOICE_LANGS = ['en-US', 'es-ES', 'zh-CN'] as const;
export type VoiceLang = (typeof VOICE_LANGS)[number];

/** The espeak-ng voice of each language, and how fast it speaks (words per minute). */
export const SYNTH: Readonly<Record<VoiceLang, { readonly voice: string; readonly speed: number }>> = {
  'en-US': { voice: 'en-us', speed: 175 },
  'es-ES': { voice: 'es', speed: 175 },
  'zh-CN': { voice: 'cmn', speed: 210 },
};

/**
 * lame's options: mono, MPEG-2 at 16 kHz, 8 kbps constant bit rate. Speech stays clear and all three
 * languages' clips fit in each package (README, "Spoken guidance").
 */
export const ENCODE = ['-m', 'm', '--resample', '16', '-b', '8', '--cbr', '--noreplaygain', '-t'] as const;

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const VOICE_DIR = join(ROOT, 'assets', 'voice');
export const MANIFEST = join(VOICE_DIR, 'manifest.json');

export interface Manifest {
  readonly note: string;
  /** `<lang>/<clip>` → what it says and the hash of what made it. */
  readonly clips: Readonly<Record<string, { readonly text: string; readonly input: string }>>;
}

/** Every clip's text in `lang`, from its catalogue. */
export function voiceTexts(lang: VoiceLang): Record<string, string> {
  const parsed = po.parse(readFileSync(join(ROOT, 'page', 'i18n', `${lang}.po`)));
  const entries = Object.values(parsed.translations[''] ?? {}).filter((e) => e.msgid !== '');
  const catalog = new Map(entries.map((e) => [e.msgid, e.msgstr[0] ?? '']));
  return clipTexts(translator((key) => catalog.get(key) ?? key));
}

/** The hash of one clip's input: language, voice, speed, encoding and text. */
export function inputHash(lang: VoiceLang, text: string): string {
  const { voice, speed } = SYNTH[lang];
  return createHash('sha256')
    .update(JSON.stringify([lang, voice, speed, ENCODE, text]))
    .digest('hex')
    .slice(0, 16);
}

/**
 * What is out of date in `lang`: each clip whose text or input changed since its file was made, whose
 * file is missing, or that is no longer said. Empty when the committed clips match the catalogue.
 */
export function staleClips(
  lang: VoiceLang,
  texts: Readonly<Record<string, string>>,
  manifest: Manifest,
  files: readonly string[],
): string[] {
  const stale: string[] = [];
  for (const [clip, text] of Object.entries(texts)) {
    const made = manifest.clips[`${lang}/${clip}`];
    if (!made) stale.push(`${lang}/${clip}: never made`);
    else if (made.text !== text) stale.push(`${lang}/${clip}: says "${made.text}", the catalogue "${text}"`);
    else if (made.input !== inputHash(lang, text)) stale.push(`${lang}/${clip}: made with other settings`);
    else if (!files.includes(`${clip}.mp3`)) stale.push(`${lang}/${clip}: no ${clip}.mp3`);
  }
  for (const f of files) if (!(f.replace(/\.mp3$/, '') in texts)) stale.push(`${lang}/${f}: no longer said`);
  return stale;
}
