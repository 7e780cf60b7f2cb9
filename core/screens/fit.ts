import type { View, Widget } from './widgets';

/** The smallest text we draw: legible at arm's length on a 320 px screen. */
const MIN_TEXT_PX = 20;
export const LINE_HEIGHT = 1.2;

/**
 * Estimated width of a line of text, glyph by glyph, each counted at about the widest of its kind in
 * Noto Sans: 1 em from U+2026 on (the ellipsis, arrows, CJK and full-width forms: a CJK font draws them
 * 1 em wide) and for m, M, W; 0.8 em for the other capitals and w; 0.34 em for the space, punctuation
 * and i j l f t; 0.5 em for c k r s v x y z; 0.6 em for the rest (other letters, digits). An estimate,
 * so layouts need no font: test/core/screens/measured.test.ts holds it against real fonts
 * (scripts/lib/fonts.ts), and it must never come out narrower than they draw a text.
 */
export function textWidth(text: string, size: number): number {
  let em = 0;
  for (const ch of text)
    em +=
      ch > '\u2025' || 'mMW'.includes(ch)
        ? 1
        : ch !== ch.toLowerCase() || ch === 'w'
          ? 0.8
          : " ,.:;·-()!'ijlft".includes(ch)
            ? 0.34
            : 'crsvxyzk'.includes(ch)
              ? 0.5
              : 0.6;
  return em * size;
}

/**
 * Whether a text or label fits its box at `size`: on one line, or wrapped if the widget wraps. Buttons
 * keep a little padding at their rounded ends. `width` measures a line (scripts/screens.ts passes real
 * fonts' widths).
 */
export function fits(w: Widget & { type: 'text' | 'button' }, size = w.size, width = textWidth): boolean {
  const room = w.type === 'button' ? w.box.w - size * 0.6 : w.box.w;
  const line = width(w.text, size);
  if (line <= room) return size * LINE_HEIGHT <= w.box.h + size * 0.25;
  if (w.type !== 'text' || !w.wrap) return false;
  return Math.ceil(line / room) * size * LINE_HEIGHT <= w.box.h;
}

/**
 * Shrinks each text that would not fit its box (a long translation, a narrow chord near the top of a
 * round screen) one pixel at a time, down to MIN_TEXT_PX; the layout tests check that is enough.
 */
export function fit<Msg>(view: View<Msg>): View<Msg> {
  return view.map((w) => {
    if (w.type !== 'text' && w.type !== 'button') return w;
    let size = w.size;
    while (size > MIN_TEXT_PX && !fits(w, size)) size--;
    return size === w.size ? w : { ...w, size };
  });
}
