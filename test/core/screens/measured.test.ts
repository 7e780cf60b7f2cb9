import { describe, expect, it } from 'vitest';
import { textWidth } from '../../../core/screens/fit';
import { measure, STAND_INS, wrapLines } from '../../../scripts/lib/fonts';
import { catalogTranslator, LANGS, readCatalogs } from '../../support/catalog';
import { shortfalls, shownTexts, wrappedOverflows, type TextWidth } from '../../support/measured-text';
import { TARGET_SCREENS } from '../../support/screens';

/**
 * core/screens/fit.ts lays text out by an estimate of its width. Here every text every watch screen can
 * show, in every language, at each size its layouts give it, is measured in real fonts (the stand-ins for
 * the watch's, scripts/lib/fonts.ts) with their own advance widths and kerning (fontkit), and the
 * estimate must be at least as wide.
 */
const catalogs = readCatalogs('page');
const translators = Object.fromEntries(LANGS.map((lang) => [lang, catalogTranslator(catalogs[lang])]));
const texts = shownTexts(TARGET_SCREENS, translators);
const measured: TextWidth = (text, size) => measure.width(text, size);

describe('text width: the estimate against the stand-in fonts', () => {
  it('goes through every language and many sizes', () => {
    expect(new Set(texts.map((t) => t.lang))).toEqual(new Set(LANGS));
    expect(new Set(texts.map((t) => t.size)).size).toBeGreaterThan(10);
  });

  it('the stand-in fonts draw every character of every text (no empty boxes)', () => {
    const missing = texts.flatMap((t) => measure.missing(t.text).map((c) => `${t.lang} "${t.text}": ${c}`));
    expect(missing).toEqual([]);
  });

  it('no text is estimated narrower than the stand-in fonts draw it', () => {
    expect(shortfalls(texts, textWidth, measured)).toEqual([]);
  });

  it('a wrapped text, broken between words (or Chinese characters) in these fonts, fits its box and leaves no character alone on a line', () => {
    expect(wrappedOverflows(TARGET_SCREENS, translators, measured, wrapLines)).toEqual([]);
  });

  it('measures with the fonts’ own widths: a CJK glyph is 1 em, Latin letters differ', () => {
    expect(STAND_INS.map((f) => f.family)).toEqual(['Noto Sans', 'Noto Sans S Chinese']);
    expect(measure.width('训练', 30)).toBeCloseTo(60, 6);
    expect(measure.width('m', 100)).toBeGreaterThan(2 * measure.width('i', 100));
  });

  it('fails on an estimate made too small, naming the string, the language and the screen', () => {
    // The estimate before these fonts: 0.52 em a Latin glyph, 1 em a CJK one.
    const before: TextWidth = (text, size) =>
      [...text].reduce((em, ch) => em + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 1 : 0.52), 0) * size;
    const found = shortfalls(texts, before, measured);
    expect(found.length).toBeGreaterThan(0);
    expect(found).toContainEqual(expect.stringMatching(/^en-US "Home" at \d+ px \((round|square) \d+×\d+, /));
    // Today's estimate, 10% narrower: too small in every language.
    const shrunk: TextWidth = (text, size) => 0.9 * textWidth(text, size);
    const short = shortfalls(texts, shrunk, measured);
    for (const lang of LANGS)
      expect(short.filter((s) => s.startsWith(`${lang} "`)).length).toBeGreaterThan(0);
    expect(short).toContainEqual(
      expect.stringMatching(/^zh-CN "脊柱减压" at \d+ px \(.+\): estimated [\d.]+ px < measured [\d.]+ px$/),
    );
  });

  it('finds a wrapped text that needs more lines than its box holds', () => {
    const oneCharALine: typeof wrapLines = (text) => [...text];
    const found = wrappedOverflows(
      [TARGET_SCREENS[4]!],
      { 'zh-CN': translators['zh-CN']! },
      measured,
      oneCharALine,
    );
    expect(found).toContainEqual(
      expect.stringMatching(
        /^zh-CN ".+" at \d+ px \(round 360×360, .+\): \d+ lines, \d+ px in a \d+×\d+ box$/,
      ),
    );
  });
});
