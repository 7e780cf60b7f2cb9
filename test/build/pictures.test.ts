import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { positionAt } from '../../core/engine/position';
import { buildTimeline } from '../../core/engine/timeline';
import { DEFAULT_PRESCRIPTION } from '../../core/plan/prescription';
import { layoutFor } from '../../core/screens/layout';
import { sessionPicture } from '../../core/screens/session';
import { SHOWN, voicePicture } from '../../core/screens/voice';
import { VOICE_DEFAULT } from '../../core/engine/voice';
import {
  DESIGN_WIDTHS,
  PICTURE_H,
  PICTURE_STEPS,
  PICTURE_W,
  pictureSvg,
  pictureWidth,
  smallPictureWidth,
  PICTURES_DIR,
  picturesHash,
} from '../../scripts/lib/pictures';

// The committed pictures (assets/pictures) against the drawings that make them (scripts/lib/pictures.ts):
// a drawing or a size changed and the PNGs not remade fails here. Remake with `npx tsx scripts/pictures.ts`.
describe('the pictures of the steps', () => {
  it('were made from the drawings as they are now', () => {
    expect(readFileSync(join(PICTURES_DIR, 'hash.txt'), 'utf8').trim()).toBe(picturesHash());
  });

  it('one per step the Voice page shows, for each design width, at half its width and 2 : 1', async () => {
    expect([...PICTURE_STEPS].sort()).toEqual(SHOWN.map((s) => s.kind).sort());
    for (const dw of DESIGN_WIDTHS)
      for (const step of PICTURE_STEPS) {
        const meta = await sharp(readFileSync(join(PICTURES_DIR, `dw${dw}`, `${step}.png`))).metadata();
        expect([meta.format, meta.width, meta.height]).toEqual([
          'png',
          pictureWidth(dw),
          Math.round((pictureWidth(dw) * PICTURE_H) / PICTURE_W),
        ]);
      }
  });

  it('and the session screen’s smaller copy, 21 % of the design width, 2 : 1', async () => {
    // By hand: 480 → 100.8 → 101 × 51; 390 → 81.9 → 82 × 41; 432 → 90.72 → 91 × 46 (45.5 rounded up).
    const want: Record<number, [number, number]> = { 480: [101, 51], 390: [82, 41], 432: [91, 46] };
    for (const dw of DESIGN_WIDTHS) {
      expect(smallPictureWidth(dw)).toBe(want[dw]![0]);
      for (const step of PICTURE_STEPS) {
        const meta = await sharp(
          readFileSync(join(PICTURES_DIR, `dw${dw}`, 'small', `${step}.png`)),
        ).metadata();
        expect([meta.format, meta.width, meta.height], `dw${dw}/small/${step}`).toEqual([
          'png',
          ...want[dw]!,
        ]);
      }
    }
  });

  it('are drawn at the width the screens give them on a screen of their design width', () => {
    // The PNG is scaled by screen width over design width (IM1): at the design width itself, the box the
    // view gives the picture is the PNG's size, or the watch would clip or pad it.
    const tl = buildTimeline(DEFAULT_PRESCRIPTION);
    if (!tl.ok) throw new Error('default prescription');
    const model = { position: positionAt(tl.value, 0), paused: false, prescription: DEFAULT_PRESCRIPTION };
    for (const dw of DESIGN_WIDTHS) {
      const layout = layoutFor({ width: dw, height: dw, round: false, cornerRadius: 0 });
      expect(sessionPicture(model, layout)!.box.w, `dw${dw} session`).toBe(smallPictureWidth(dw));
      const voice = voicePicture({ voice: VOICE_DEFAULT, speaker: true, step: 0 }, layout);
      expect(voice.box.w, `dw${dw} voice`).toBe(pictureWidth(dw));
    }
  });

  it('each step is drawn in its own position: arms to the sky or overhead, and its accent', () => {
    const svgs = PICTURE_STEPS.map(pictureSvg);
    expect(new Set(svgs).size).toBe(PICTURE_STEPS.length - 1); // setup and relax: the same position
    // Arms overhead (a line ending by the floor beyond the head) in the sweeps, ribs down and hold.
    const overhead = PICTURE_STEPS.filter((s) => pictureSvg(s).includes('x2="14"'));
    expect(overhead).toEqual(['sweeps', 'ribsDown', 'hold']);
  });
});
