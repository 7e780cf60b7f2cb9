import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StepKind } from '../../core/plan/routine';

/**
 * A picture of each step: the body's position as the therapist teaches it, seen from the side, lying on
 * the back with the knees bent; the arms to the sky or overhead; an accent arrow for what the step does
 * (shoulders away from the hips, the sweep, ribs down, back to the sky). Drawn here as SVG, one stroke
 * width for every line so that it reads at a glance on the smallest screen. `scripts/pictures.ts`
 * writes the PNG of each step for each design width (`assets/pictures/dw<width>/<step>.png`): the watch
 * scales an image by its screen's width over the design width (docs/platform-facts.md B3).
 */
export const PICTURE_STEPS: readonly StepKind[] = [
  'setup',
  'lengthen',
  'sweeps',
  'ribsDown',
  'hold',
  'return',
  'relax',
];

/** The picture's shape, width : height. */
export const PICTURE_W = 300;
export const PICTURE_H = 150;

const BODY = '#e8f6f3';
const ACCENT = '#3fb8af';
const FLOOR = '#5c6b6e';

type Arms = 'sky' | 'overhead';
interface Pose {
  readonly arms: Arms;
  /** The accent: an arrow, and where. */
  readonly show: 'none' | 'lengthen' | 'sweep' | 'ribs' | 'breath' | 'return';
}

const POSES: Readonly<Record<StepKind, Pose>> = {
  setup: { arms: 'sky', show: 'none' },
  lengthen: { arms: 'sky', show: 'lengthen' },
  sweeps: { arms: 'overhead', show: 'sweep' },
  ribsDown: { arms: 'overhead', show: 'ribs' },
  hold: { arms: 'overhead', show: 'breath' },
  return: { arms: 'sky', show: 'return' },
  relax: { arms: 'sky', show: 'none' },
};

const line = (x1: number, y1: number, x2: number, y2: number, color = BODY, w = 12): string =>
  `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${color}" stroke-width="${w}" stroke-linecap="round"/>`;

/** An arrow head at (x, y) pointing at `deg` (0: right, 90: down). */
const head = (x: number, y: number, deg: number): string =>
  `<path d="M0 0 L-16 -10 L-16 10 Z" fill="${ACCENT}" transform="translate(${x} ${y}) rotate(${deg})"/>`;

/** The SVG of one step's picture. */
export function pictureSvg(step: StepKind): string {
  const pose = POSES[step];
  // The floor, then the body lying on it: head at the left, hips at the right, knees up.
  const floorY = 128;
  const torsoY = 112;
  const shoulder = { x: 92, y: torsoY };
  const hip = { x: 180, y: torsoY };
  const knee = { x: 222, y: 62 };
  const foot = { x: 262, y: 120 };
  const parts: string[] = [
    line(20, floorY, 290, floorY, FLOOR, 4),
    `<circle cx="58" cy="${torsoY - 6}" r="18" fill="${BODY}"/>`,
    line(shoulder.x, shoulder.y, hip.x, hip.y),
    line(hip.x, hip.y, knee.x, knee.y),
    line(knee.x, knee.y, foot.x, foot.y),
  ];
  // Arms: straight up to the sky, or overhead along the floor beyond the head.
  if (pose.arms === 'sky') parts.push(line(shoulder.x, shoulder.y, shoulder.x + 4, 26));
  else parts.push(line(shoulder.x, shoulder.y - 10, 14, 62));
  switch (pose.show) {
    case 'none':
      break;
    case 'lengthen':
      // The shoulders walk away from the hips.
      parts.push(line(166, 92, 122, 92, ACCENT, 6), head(114, 92, 180));
      break;
    case 'sweep':
      // From the sky to overhead, and back.
      parts.push(
        `<path d="M${shoulder.x + 20} 30 A 70 70 0 0 0 ${shoulder.x - 66} ${torsoY - 62}" fill="none" stroke="${ACCENT}" stroke-width="6"/>`,
        head(shoulder.x - 66, torsoY - 62, 120),
      );
      break;
    case 'ribs':
      // Ribs down, towards the floor.
      parts.push(line(132, 52, 132, 88, ACCENT, 6), head(132, 94, 90));
      break;
    case 'breath':
      // Breathing in the held position: three waves over the chest.
      for (const dx of [0, 22, 44])
        parts.push(
          `<path d="M${112 + dx} 88 q 6 -10 0 -20 q -6 -10 0 -20" fill="none" stroke="${ACCENT}" stroke-width="5" stroke-linecap="round"/>`,
        );
      break;
    case 'return':
      // From overhead back to the sky.
      parts.push(
        `<path d="M${shoulder.x - 62} ${torsoY - 44} A 70 70 0 0 1 ${shoulder.x + 20} 34" fill="none" stroke="${ACCENT}" stroke-width="6"/>`,
        head(shoulder.x + 24, 36, 20),
      );
      break;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${PICTURE_W} ${PICTURE_H}" width="${PICTURE_W}" height="${PICTURE_H}">${parts.join('')}</svg>`;
}

export const PICTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'assets', 'pictures');

/** The design widths of app.json's platform entries: one set of pictures each. */
export const DESIGN_WIDTHS = [480, 390, 432] as const;

/** The design width of a screen's platform entry (app.json): 480 round, 432 the Bip Max, 390 square. */
export const designWidthOf = (screen: { readonly round: boolean; readonly width: number }): number =>
  screen.round ? 480 : screen.width === 432 ? 432 : 390;

/** The width a picture is drawn at for a design width: half the design's width (core/screens/voice). */
export const pictureWidth = (dw: number): number => Math.round(dw * 0.5);

/**
 * The session screen's smaller copy (`small/<step>.png`), the width core/screens/session
 * `sessionPicture` gives it: 21 % of the design's width.
 */
export const smallPictureWidth = (dw: number): number => Math.round(dw * 0.21);

/** The hash of what made every picture: the SVGs and the sizes. */
export function picturesHash(): string {
  const h = createHash('sha256');
  for (const step of PICTURE_STEPS) h.update(pictureSvg(step));
  h.update(JSON.stringify(DESIGN_WIDTHS.map(pictureWidth)));
  h.update(JSON.stringify(DESIGN_WIDTHS.map(smallPictureWidth)));
  return h.digest('hex').slice(0, 16);
}
