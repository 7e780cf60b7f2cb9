/**
 * Makes the spoken phrases: `npx tsx scripts/voice.ts` (needs espeak-ng and lame, e.g.
 * `apt-get install espeak-ng lame`). Each clip of core/engine/voice, in each language, is spoken by
 * espeak-ng from the watch's catalogue and encoded to MP3 by lame into `assets/voice/<lang>/<clip>.mp3`;
 * `assets/voice/manifest.json` records each text and the hash of its input. Only clips whose input
 * changed are remade (`--all` remakes every one). A recorded voice may replace any file, file for file:
 * keep the manifest as it is.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ENCODE,
  inputHash,
  MANIFEST,
  SYNTH,
  VOICE_DIR,
  VOICE_LANGS,
  voiceTexts,
  type Manifest,
} from './lib/voice';

const all = process.argv.includes('--all');
const before: Manifest['clips'] = existsSync(MANIFEST)
  ? (JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest).clips
  : {};
const clips: Record<string, { text: string; input: string }> = {};
const tmp = mkdtempSync(join(tmpdir(), 'voice-'));
let made = 0;
let bytes = 0;
try {
  for (const lang of VOICE_LANGS) {
    const dir = join(VOICE_DIR, lang);
    mkdirSync(dir, { recursive: true });
    const texts = voiceTexts(lang);
    for (const [clip, text] of Object.entries(texts)) {
      const input = inputHash(lang, text);
      const file = join(dir, `${clip}.mp3`);
      clips[`${lang}/${clip}`] = { text, input };
      if (!all && before[`${lang}/${clip}`]?.input === input && existsSync(file)) {
        bytes += statSync(file).size;
        continue;
      }
      const wav = join(tmp, 'clip.wav');
      const { voice, speed } = SYNTH[lang];
      execFileSync('espeak-ng', ['-v', voice, '-s', String(speed), '-w', wav, text]);
      execFileSync('lame', [...ENCODE, wav, file]);
      made++;
      bytes += statSync(file).size;
      console.log(`${lang}/${clip}.mp3  ${statSync(file).size} B  "${text}"`);
    }
    // A clip no longer said is removed.
    for (const f of readdirSync(dir))
      if (!(f.replace(/\.mp3$/, '') in texts)) {
        rmSync(join(dir, f));
        console.log(`${lang}/${f} removed`);
      }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const manifest: Manifest = {
  note: 'Made by scripts/voice.ts (espeak-ng, lame) from page/i18n/*.po; input: a hash of language, voice, speed, encoding and text. A recorded voice may replace any MP3 file for file.',
  clips,
};
writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`${made} clip(s) made, ${Object.keys(clips).length} in all, ${bytes} B`);
