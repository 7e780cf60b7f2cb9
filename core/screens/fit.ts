import type { View, Widget } from './widgets';

/** The smallest text we draw: legible at arm's length on a 320 px screen. */
const MIN_TEXT_PX = 20;
export const LINE_HEIGHT = 1.2;

/**
 * Estimated width of a line of text: 0.52 em per Latin glyph (a little wider than the average of the
 * watch's sans-serif), 1 em per CJK glyph. An estimate, so layouts keep a margin rather than measuring.
 */
function textWidth(text: string, size: number): number {
  let em = 0;
  for (const ch of text) em += /[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 1 : 0.52;
  return em * size;
}

/** Room for a label inside a box: buttons keep a little padding at their rounded ends. */
export const roomOf = (w: Widget & { type: 'text' | 'button' }, size: number): number =>
  w.type === 'button' ? w.box.w - size * 0.6 : w.box.w;

/** Whether a text or label fits its box at `size`: on one line, or wrapped if the widget wraps. */
export function fits(w: Widget & { type: 'text' | 'button' }, size = w.size): boolean {
  const room = roomOf(w, size);
  const width = textWidth(w.text, size);
  if (width <= room) return size * LINE_HEIGHT <= w.box.h + size * 0.25;
  if (w.type !== 'text' || !w.wrap) return false;
  return Math.ceil(width / room) * size * LINE_HEIGHT <= w.box.h;
}

/**
 * Shrinks each text that would not fit its box (a long translation, a narrow chord near the top of a
 * round screen) one pixel at a time, down to MIN_TEXT_PX; the layout tests check that is enough.
 */
export function fit(view: View): View {
  return view.map((w) => {
    if (w.type !== 'text' && w.type !== 'button') return w;
    let size = w.size;
    while (size > MIN_TEXT_PX && !fits(w, size)) size--;
    return size === w.size ? w : { ...w, size };
  });
}
