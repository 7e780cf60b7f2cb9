/**
 * Where things go on a screen, computed from its size and shape rather than placed by hand per device,
 * so one code base serves round 360–480 and square 320×380–432×514 screens.
 *
 * On a round screen only the inscribed circle is visible: text rows are kept inside the chord at their
 * height. On a square one the corners are rounded off (by 69–106 px on our targets): rows near the top
 * and bottom narrow so that nothing is placed where the panel shows nothing. Sizes scale with the
 * shorter side, with floors so the smallest screen stays legible at arm's length.
 */
export interface Screen {
  readonly width: number;
  readonly height: number;
  readonly round: boolean;
  /** The radius of a square screen's rounded corners, px (nothing is shown outside them); 0 when round. */
  readonly cornerRadius: number;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/**
 * The progress ring: a circle on round screens, an ellipse filling a square screen (the platform's ARC
 * draws an ellipse in its w × h box), so square screens keep their width for text.
 */
export interface Ring {
  readonly cx: number;
  readonly cy: number;
  readonly rx: number;
  readonly ry: number;
  readonly lineWidth: number;
}

export interface Layout {
  readonly screen: Screen;
  /** The progress ring hugging the edge (round) or inset from it (square). */
  readonly ring: Ring;
  /** Text sizes in px: small labels, body text, step names, big numbers. */
  readonly font: {
    readonly small: number;
    readonly body: number;
    readonly title: number;
    readonly big: number;
  };
  /** The horizontal band of text at vertical position `y` (top) and height `h`, kept inside the visible area. */
  row(y: number, h: number): Box;
  /** A row placed by a fraction (0 top … 1 bottom) of the screen height. */
  rowAt(fraction: number, h: number): Box;
  /** A centred button of the given height at a fraction of the height. */
  button(fraction: number, h: number, widthFraction?: number): Box;
}

/**
 * Without `open`, rows stay inside the progress ring (screens that draw one). With it (`openEdge`),
 * rows use the whole visible area: the circle of a round screen, the full width of a square one
 * between its rounded corners. A parameter, so that a page drawing only ringed screens (the session's)
 * carries none of the corners' arithmetic.
 */
export function layoutFor(screen: Screen, open?: typeof openEdge): Layout {
  const { width, height, round } = screen;
  const side = Math.min(width, height);
  const scale = side / 480;
  const lineWidth = Math.max(8, Math.round(14 * scale));
  const inset = Math.round(lineWidth / 2) + 2;
  const ring: Ring = {
    cx: Math.round(width / 2),
    cy: Math.round(height / 2),
    rx: Math.round((round ? side : width) / 2 - inset),
    ry: Math.round((round ? side : height) / 2 - inset),
    lineWidth,
  };
  const font = {
    small: Math.max(20, Math.round(26 * scale)),
    body: Math.max(22, Math.round(30 * scale)),
    title: Math.max(30, Math.round(44 * scale)),
    big: Math.max(40, Math.round(64 * scale)),
  };
  // Text stays inside the ring, with a margin of one line width.
  const textRx = ring.rx - lineWidth * 1.5;
  const textRy = ring.ry - lineWidth * 1.5;
  const margin = Math.round(lineWidth * 1.5);

  const row = (y: number, h: number): Box => {
    const top = Math.round(y);
    const hh = Math.round(h);
    if (open && !round) {
      // A margin from the visible edge, which the rounded corners pull in near the top and bottom.
      const x = open(screen, top, hh) + margin;
      return { x, y: top, w: width - 2 * x, h: hh };
    }
    // The narrower of the chords at the row's top and bottom edges bounds the text.
    const dy = Math.max(Math.abs(top - ring.cy), Math.abs(top + hh - ring.cy));
    const half = dy >= textRy ? 0 : textRx * Math.sqrt(1 - (dy * dy) / (textRy * textRy));
    const w = Math.max(Math.round(2 * half), Math.round(side * 0.3));
    return { x: Math.round(ring.cx - w / 2), y: top, w, h: hh };
  };
  const rowAt = (fraction: number, h: number): Box => row(fraction * height - h / 2, h);
  // A button never reaches past the ring: near the top and bottom of a round screen it narrows.
  const button = (fraction: number, h: number, widthFraction = 0.5): Box => {
    const y = Math.round(fraction * height - h / 2);
    const w = Math.min(Math.round(width * widthFraction), row(y, h).w);
    return { x: Math.round((width - w) / 2), y, w, h: Math.round(h) };
  };
  return { screen, ring, font, row, rowAt, button };
}

/** How far in a square screen's visible edge is along a row from `top`, `h` high: its corners'. */
export const openEdge = (screen: Screen, top: number, h: number): number =>
  Math.ceil(Math.max(cornerInset(screen, top), cornerInset(screen, top + h)));

const cornersOf = (box: Box): readonly (readonly [number, number])[] => [
  [box.x, box.y],
  [box.x + box.w, box.y],
  [box.x, box.y + box.h],
  [box.x + box.w, box.y + box.h],
];

/** True when a box lies wholly inside the ring's inner edge: text and buttons never cross the ring. */
export function insideRing(ring: Ring, box: Box): boolean {
  const rx = ring.rx - ring.lineWidth / 2;
  const ry = ring.ry - ring.lineWidth / 2;
  return cornersOf(box).every(([x, y]) => ((x - ring.cx) / rx) ** 2 + ((y - ring.cy) / ry) ** 2 <= 1.0001);
}

/**
 * How far a square screen's rounded corners pull its visible edge in from the side at height `y`: 0
 * between the corners, up to the corner radius at the very top and bottom. 0 on a round screen.
 */
export function cornerInset(screen: Screen, y: number): number {
  const r = screen.round ? 0 : screen.cornerRadius;
  const dy = y < r ? r - y : y > screen.height - r ? y - (screen.height - r) : 0;
  if (dy <= 0) return 0;
  return r - Math.sqrt(Math.max(0, r * r - dy * dy));
}

/** True when the point is on the visible area: inside the circle of a round screen, or inside a square one's rounded corners. */
export function visibleAt(screen: Screen, x: number, y: number): boolean {
  const { width, height } = screen;
  if (x < 0 || y < 0 || x > width || y > height) return false;
  if (screen.round) {
    const r = Math.min(width, height) / 2;
    return (x - width / 2) ** 2 + (y - height / 2) ** 2 <= r * r + 1;
  }
  const r = screen.cornerRadius;
  const cx = x < r ? r : x > width - r ? width - r : x;
  const cy = y < r ? r : y > height - r ? height - r : y;
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r + 1;
}

/**
 * True when a box lies wholly inside the visible area of the screen: the circle of a round screen, the
 * rounded rectangle of a square one. Both are convex, so the box's four corners decide.
 */
export function insideScreen(screen: Screen, box: Box): boolean {
  return cornersOf(box).every(([x, y]) => visibleAt(screen, x, y));
}
