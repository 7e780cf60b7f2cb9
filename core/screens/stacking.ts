import type { Widget } from './widgets';

/**
 * Whether two widgets can cover the same pixel, read from their geometry. The renderer asks it when a
 * widget is drawn anew (it lands on top of everything): only the later widgets it may cover must be
 * drawn anew above it. When in doubt the answer is yes: a wrong "no" would hide part of the screen, a
 * wrong "yes" only costs writes.
 *
 * Texts and buttons cover their box, a circle the square around it, an arc the band of its ring between
 * its angles (angles ignored against a box: the band is the bound).
 */
export function overlaps(a: Widget, b: Widget): boolean {
  if (a.type === 'arc') return b.type === 'arc' ? arcsMeet(a, b) : bandMeetsRect(a, rectOf(b));
  if (b.type === 'arc') return bandMeetsRect(b, rectOf(a));
  return rectsMeet(rectOf(a), rectOf(b));
}

/**
 * `overlaps` with each widget taken as its box, an arc as its whole ring's: never a wrong "no", and the
 * same answer as `overlaps` for a view with no arc (every screen but home and the session's). The session
 * screen draws its ring once and changes it in place, so no widget is drawn anew under an arc there
 * either. Cheaper to carry than `overlaps` (about 1 KB of a page, 5 KB of its heap).
 */
export function boxesMeet(a: Widget, b: Widget): boolean {
  const box = (w: Widget): Rect =>
    w.type === 'arc'
      ? {
          x0: w.ring.cx - w.ring.rx - w.ring.lineWidth,
          y0: w.ring.cy - w.ring.ry - w.ring.lineWidth,
          x1: w.ring.cx + w.ring.rx + w.ring.lineWidth,
          y1: w.ring.cy + w.ring.ry + w.ring.lineWidth,
        }
      : rectOf(w);
  return rectsMeet(box(a), box(b));
}

interface Rect {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

type Arc = Extract<Widget, { type: 'arc' }>;

function rectOf(w: Exclude<Widget, Arc>): Rect {
  if (w.type === 'circle') {
    return { x0: w.cx - w.radius, y0: w.cy - w.radius, x1: w.cx + w.radius, y1: w.cy + w.radius };
  }
  return { x0: w.box.x, y0: w.box.y, x1: w.box.x + w.box.w, y1: w.box.y + w.box.h };
}

/** Boxes that only touch along an edge share no pixel. */
const rectsMeet = (a: Rect, b: Rect): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** The band an arc's stroke can reach, from its centre: half the stroke either side of its radii. */
function band(a: Arc): { inner: number; outer: number } {
  const half = a.ring.lineWidth / 2;
  return {
    inner: Math.max(0, Math.min(a.ring.rx, a.ring.ry) - half),
    outer: Math.max(a.ring.rx, a.ring.ry) + half,
  };
}

function bandMeetsRect(a: Arc, r: Rect): boolean {
  const { cx, cy, rx, ry, lineWidth } = a.ring;
  // Nearest point of the box to the centre: farther than the band's outer edge, the stroke cannot reach it.
  const nx = Math.max(r.x0, Math.min(cx, r.x1));
  const ny = Math.max(r.y0, Math.min(cy, r.y1));
  if (Math.hypot(nx - cx, ny - cy) >= band(a).outer) return false;
  // A box with every corner inside the hole lies in it (the hole is convex). The hole is taken as the
  // ellipse a whole stroke inside the ring's, not half: on an oval ring the stroke's inner edge is not
  // quite an ellipse, and a whole stroke keeps clear of it.
  const hx = rx - lineWidth;
  const hy = ry - lineWidth;
  if (hx <= 0 || hy <= 0) return true;
  const inHole = (x: number, y: number): boolean => ((x - cx) / hx) ** 2 + ((y - cy) / hy) ** 2 < 1;
  return !(inHole(r.x0, r.y0) && inHole(r.x1, r.y0) && inHole(r.x0, r.y1) && inHole(r.x1, r.y1));
}

function arcsMeet(a: Arc, b: Arc): boolean {
  if (a.ring.cx !== b.ring.cx || a.ring.cy !== b.ring.cy) return true;
  const ba = band(a);
  const bb = band(b);
  if (ba.outer <= bb.inner || bb.outer <= ba.inner) return false;
  // Same centre, bands that cross: they meet unless their angles are apart. Both within one turn from
  // twelve o'clock, as the views draw them; anything else is taken to meet. A stroke's round end reaches
  // past its angle by half the stroke, taken as an angle at the inner edge, so two ends must be more than
  // that twice apart, the short way round too (through twelve o'clock).
  const within = (x: Arc): boolean => x.from >= 0 && x.to <= 360 && x.from <= x.to;
  if (!within(a) || !within(b)) return true;
  const inner = Math.min(ba.inner, bb.inner);
  if (inner <= 0) return true;
  const reach = (Math.max(a.ring.lineWidth, b.ring.lineWidth) / inner) * (180 / Math.PI);
  const meet = (shift: number): boolean => a.from < b.to + shift + reach && b.from + shift < a.to + reach;
  return meet(0) || meet(360) || meet(-360);
}
