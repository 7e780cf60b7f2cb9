import { describe, expect, it } from 'vitest';
import { overlaps } from '../../../core/screens/stacking';
import type { Widget } from '../../../core/screens/widgets';

const text = (x: number, y: number, w: number, h: number): Widget => ({
  type: 'text',
  id: `t${x},${y}`,
  box: { x, y, w, h },
  text: '',
  size: 20,
  color: 0,
});
const circle = (cx: number, cy: number, radius: number): Widget => ({
  type: 'circle',
  id: 'c',
  cx,
  cy,
  radius,
  color: 0,
});
// A round 480 ring: centre (240, 240), radius 200, stroke 10 → the band reaches 195 … 205 from the centre.
const arc = (from: number, to: number, rx = 200, ry = 200, lineWidth = 10): Widget => ({
  type: 'arc',
  id: `a${from}`,
  ring: { cx: 240, cy: 240, rx, ry, lineWidth },
  from,
  to,
  color: 0,
});

describe('which widgets can cover the same pixel', () => {
  it('boxes: overlapping ones meet, ones that only share an edge do not', () => {
    expect(overlaps(text(0, 0, 100, 50), text(90, 40, 100, 50))).toBe(true);
    expect(overlaps(text(0, 0, 100, 50), text(100, 0, 100, 50))).toBe(false);
    expect(overlaps(text(0, 0, 100, 50), text(0, 50, 100, 50))).toBe(false);
  });

  it('a circle covers the square around it', () => {
    // Radius 30 at (100, 100): its square is 70 … 130.
    expect(overlaps(circle(100, 100, 30), text(129, 129, 10, 10))).toBe(true);
    expect(overlaps(circle(100, 100, 30), text(130, 60, 10, 80))).toBe(false);
  });

  it('a box in the hole of the ring does not meet the ring; one reaching its band does', () => {
    // (140, 200)–(340, 280): farthest corner 100² + 40² → 107.7 from the centre, inside the hole of a
    // ring whose stroke keeps 190 clear (200 less a whole stroke of 10).
    expect(overlaps(arc(0, 120), text(140, 200, 200, 80))).toBe(false);
    // (240, 30)–(260, 50): nearest point (240, 50) is 190 from the centre; the band begins at 195 and
    // the corner (260, 30) is 210.9 away: the box crosses the band.
    expect(overlaps(arc(0, 120), text(240, 30, 20, 20))).toBe(true);
  });

  it('a box beyond the band does not meet the ring', () => {
    // (440, 230)–(470, 250): nearest point (440, 240) is 200 from the centre... inside the band: meets.
    expect(overlaps(arc(0, 120), text(440, 230, 30, 20))).toBe(true);
    // (450, 230)–(470, 250): nearest point 210 away, past the band's outer edge at 205.
    expect(overlaps(arc(0, 120), text(450, 230, 20, 20))).toBe(false);
  });

  it('an oval ring: the hole is the ellipse a whole stroke inside it', () => {
    // rx 150, ry 180, stroke 10 → hole semi-axes 140 × 170. A box whose corner is (240 ± 100, 240 ± 120):
    // (100/140)² + (120/170)² = 0.510 + 0.498 = 1.008 — just outside the hole: meets.
    expect(overlaps(arc(0, 90, 150, 180), text(140, 120, 200, 240))).toBe(true);
    // Corners at (±95, ±115): 0.460 + 0.458 = 0.918 — inside.
    expect(overlaps(arc(0, 90, 150, 180), text(145, 125, 190, 230))).toBe(false);
  });

  it('arcs of one ring meet only where their angles come within a stroke of each other', () => {
    // Stroke 10 at an inner edge of 195: the two round ends reach 10/195 rad = 2.94° between them.
    expect(overlaps(arc(3, 117), arc(123, 237))).toBe(false); // 6° apart
    expect(overlaps(arc(3, 117), arc(119, 237))).toBe(true); // 2° apart
    expect(overlaps(arc(3, 117), arc(3, 60))).toBe(true); // the same stretch
    // Through twelve o'clock: 357° and 3° are 6° apart.
    expect(overlaps(arc(243, 357), arc(3, 117))).toBe(false);
    expect(overlaps(arc(243, 359), arc(1, 117))).toBe(true);
  });

  it('arcs on rings that do not cross, or on other centres (taken to meet)', () => {
    expect(overlaps(arc(0, 90, 200, 200), arc(0, 90, 150, 150))).toBe(false);
    const elsewhere: Widget = {
      ...(arc(0, 90) as Extract<Widget, { type: 'arc' }>),
      ring: { cx: 100, cy: 240, rx: 200, ry: 200, lineWidth: 10 },
    };
    expect(overlaps(arc(200, 260), elsewhere)).toBe(true);
  });

  it('angles outside one turn are taken to meet', () => {
    expect(overlaps(arc(-10, 30), arc(100, 200))).toBe(true);
  });
});
