import type { Translate } from '../../core/base/i18n';
import { LINE_HEIGHT } from '../../core/screens/fit';
import type { Screen } from '../../core/screens/layout';
import { allViews } from './screen-views';

/** Width in px of a line of text at a size in px. */
export type TextWidth = (text: string, size: number) => number;

/** One text a screen shows, at the size its layout gives it, and where it is first seen. */
export interface ShownText {
  readonly lang: string;
  readonly text: string;
  readonly size: number;
  /** "round 360×360, home: plan": the screen, the view's state and the widget. */
  readonly where: string;
}

export const screenName = (s: Screen): string => `${s.round ? 'round' : 'square'} ${s.width}×${s.height}`;

/**
 * Every text and button label of every screen state (test/support/screen-views), on every screen and in
 * every language given, once per text and size, with the first place it shows.
 */
export function shownTexts(
  screens: readonly Screen[],
  translators: Readonly<Record<string, Translate>>,
): ShownText[] {
  const seen = new Map<string, ShownText>();
  for (const [lang, t] of Object.entries(translators))
    for (const screen of screens)
      for (const [state, view] of allViews(screen, t))
        for (const w of view) {
          if ((w.type !== 'text' && w.type !== 'button') || w.text === '') continue;
          const key = `${lang}\u0000${w.size}\u0000${w.text}`;
          if (!seen.has(key))
            seen.set(key, {
              lang,
              text: w.text,
              size: w.size,
              where: `${screenName(screen)}, ${state.trim()}: ${w.id}`,
            });
        }
  return [...seen.values()];
}

/**
 * The texts `estimate` makes narrower than `measured` draws them: where a layout that trusts the estimate
 * may let text run out of its box. One line each, naming the language, the string, the size and the screen.
 */
export function shortfalls(texts: readonly ShownText[], estimate: TextWidth, measured: TextWidth): string[] {
  return texts.flatMap(({ lang, text, size, where }) => {
    const e = estimate(text, size);
    const m = measured(text, size);
    return e < m
      ? [
          `${lang} "${text}" at ${size} px (${where}): estimated ${e.toFixed(1)} px < measured ${m.toFixed(1)} px`,
        ]
      : [];
  });
}

/** Breaks a text into lines no wider than `width` at `size`, as the drawing does (scripts/lib/fonts.ts). */
export type WrapLines = (text: string, size: number, width: number) => string[];

/**
 * The wrapped texts of every screen state that, broken into lines at word (or, in Chinese, character)
 * boundaries and measured, need more lines than their box holds or a line wider than it (the estimate
 * counts a wrapped text's lines by its whole width alone; breaking between words can take one more), or
 * leave one character alone on the last line (in Chinese, the second half of a word: 耳 / 朵).
 */
export function wrappedOverflows(
  screens: readonly Screen[],
  translators: Readonly<Record<string, Translate>>,
  measured: TextWidth,
  wrap: WrapLines,
): string[] {
  const found = new Set<string>();
  for (const [lang, t] of Object.entries(translators))
    for (const screen of screens)
      for (const [state, view] of allViews(screen, t))
        for (const w of view) {
          if (w.type !== 'text' || !w.wrap || w.text === '') continue;
          const room = w.box.w;
          const lines = wrap(w.text, w.size, room);
          const height = lines.length * w.size * LINE_HEIGHT;
          const where = `${lang} "${w.text}" at ${w.size} px (${screenName(screen)}, ${state.trim()}: ${w.id})`;
          if (lines.length > 1 && (height > w.box.h || lines.some((l) => measured(l, w.size) > room)))
            found.add(
              `${where}: ${lines.length} lines, ${height.toFixed(0)} px in a ${w.box.w}×${w.box.h} box`,
            );
          const last = [...(lines[lines.length - 1] ?? '')];
          if (lines.length > 1 && last.length === 1)
            found.add(`${where}: "${last[0]}" alone on the last line`);
        }
  return [...found];
}
