/**
 * The fonts that stand in for the watch's, for drawing screens (scripts/screens.ts) and for measuring
 * text (test/core/screens/measured.test.ts). Zepp OS does not publish its system font; these are two
 * Noto faces installed by `npm ci` (devDependencies, SIL Open Font License), Regular weight:
 * Noto Sans for Latin text, Noto Sans S Chinese (the GB2312 subset of Noto Sans CJK SC) for what Noto
 * Sans lacks. A character takes the first face that has it, as Pango does with a family list.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';

interface StandIn {
  /** The family name inside the file, as fontconfig and an SVG's font-family see it. */
  readonly family: string;
  readonly file: string;
}

const require = createRequire(import.meta.url);
/** A font package's fonts/ folder: its main entry is dist/index.cjs, its files are under fonts/. */
const fontsOf = (pkg: string): string => join(dirname(require.resolve(pkg)), '..', 'fonts');

/** In fallback order. */
export const STAND_INS: readonly StandIn[] = [
  { family: 'Noto Sans', file: join(fontsOf('@embedpdf/fonts-latin'), 'NotoSans-Regular.ttf') },
  { family: 'Noto Sans S Chinese', file: join(fontsOf('@embedpdf/fonts-sc'), 'NotoSansHans-Regular.otf') },
];

/** The SVG font-family that asks for the stand-ins, in order. */
export const FONT_FAMILY = STAND_INS.map((f) => `'${f.family}'`).join(', ');

const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * Writes a fontconfig file under `dir` that knows the stand-ins and no other font (none of the
 * machine's), with its cache beside it, and returns its path: set FONTCONFIG_FILE to it before
 * anything in the process starts fontconfig (sharp's librsvg does on its first text).
 */
export function writeFontconfig(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'fonts.conf');
  const folders = [...new Set(STAND_INS.map((f) => dirname(f.file)))];
  const prefer = STAND_INS.map((f) => `<family>${xmlEscape(f.family)}</family>`).join('');
  writeFileSync(
    file,
    `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<!-- Written by scripts/lib/fonts.ts: the fonts npm ci installs, and nothing of the machine's. -->
<fontconfig>
${folders.map((d) => `  <dir>${xmlEscape(d)}</dir>`).join('\n')}
  <cachedir>${xmlEscape(join(dir, 'cache'))}</cachedir>
  <alias><family>sans-serif</family><prefer>${prefer}</prefer></alias>
</fontconfig>
`,
  );
  return file;
}

/** Measures text in the stand-in fonts. */
export interface Measure {
  /** Width in px of `text` on one line at `size` px, kerning included. */
  width(text: string, size: number): number;
  /** The characters no stand-in has a glyph for (drawn as empty boxes). */
  missing(text: string): string[];
  /**
   * How far below the middle of a line its baseline lies, at `size`: half the first face's ascent and
   * descent, so that a line stands centred in its box as an aligned-centre widget places it.
   */
  baseline(size: number): number;
}

let opened: fontkit.Font[] | undefined;
const faces = (): fontkit.Font[] =>
  (opened ??= STAND_INS.map((f) => {
    const font = fontkit.openSync(f.file);
    if (!('layout' in font)) throw new Error(`${f.file}: a font collection, not one font`);
    return font;
  }));

/** The text cut into runs, each drawn by the first face that has all of its characters. */
function runs(text: string): { face: fontkit.Font | undefined; text: string }[] {
  const out: { face: fontkit.Font | undefined; text: string }[] = [];
  for (const ch of text) {
    const face = faces().find((f) => f.hasGlyphForCodePoint(ch.codePointAt(0)!));
    const last = out[out.length - 1];
    if (last && last.face === face) last.text += ch;
    else out.push({ face, text: ch });
  }
  return out;
}

/** Width in em of each text measured so far: a text's width scales with its size. */
const ems = new Map<string, number>();

export const measure: Measure = {
  width(text, size) {
    let em = ems.get(text);
    if (em === undefined) {
      em = 0;
      for (const run of runs(text))
        // A character no face has is drawn as a box about as wide as a CJK glyph.
        em += run.face ? run.face.layout(run.text).advanceWidth / run.face.unitsPerEm : [...run.text].length;
      ems.set(text, em);
    }
    return em * size;
  },
  missing: (text) => runs(text).flatMap((r) => (r.face ? [] : [...r.text])),
  baseline(size) {
    const [first] = faces();
    return first ? (((first.ascent + first.descent) / 2) * size) / first.unitsPerEm : 0;
  },
};

/** Where a line may not begin (closing punctuation) or end (opening), in Chinese and in general. */
const NO_START = /^[，。、：；！？）」』》…·,.:;!?)\]]/u;
const NO_END = /[（「『《([]$/u;
/** Wide (CJK) characters: ideographs, CJK punctuation, full-width forms. A line may break around each. */
const WIDE = '\\u2e80-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef';
/** A Latin word with the spaces after it, one wide character, or spaces. */
const PIECE = new RegExp(`[${WIDE}]|[^\\s${WIDE}]+\\s*|\\s+`, 'gu');

/**
 * Breaks text into lines no wider than `width` at `size`: Latin between words, Chinese between any two
 * characters but not before closing punctuation nor after opening. A word wider than the line stays whole.
 */
export function wrapLines(text: string, size: number, width: number): string[] {
  const pieces = text.match(PIECE) ?? [];
  const units: string[] = [];
  for (const p of pieces) {
    const last = units[units.length - 1];
    if (last !== undefined && (NO_START.test(p) || NO_END.test(last))) units[units.length - 1] = last + p;
    else units.push(p);
  }
  const lines: string[] = [];
  let line = '';
  for (const u of units) {
    const next = line + u;
    if (line !== '' && measure.width(next.trimEnd(), size) > width) {
      lines.push(line.trimEnd());
      line = u;
    } else line = next;
  }
  if (line.trim() !== '') lines.push(line.trimEnd());
  return lines.length > 0 ? lines : [''];
}
