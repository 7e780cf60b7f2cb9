/**
 * Draws the picture of each step (scripts/lib/pictures.ts) and writes its PNG for each design width:
 * `npx tsx scripts/pictures.ts` → `assets/pictures/dw<width>/<step>.png` and `assets/pictures/hash.txt`
 * (the hash of the drawings and sizes, which test/build/pictures.test.ts holds the PNGs to).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import {
  DESIGN_WIDTHS,
  PICTURE_H,
  PICTURE_STEPS,
  PICTURE_W,
  pictureSvg,
  pictureWidth,
  PICTURES_DIR,
  picturesHash,
} from './lib/pictures';

let bytes = 0;
for (const dw of DESIGN_WIDTHS) {
  const dir = join(PICTURES_DIR, `dw${dw}`);
  mkdirSync(dir, { recursive: true });
  const w = pictureWidth(dw);
  const h = Math.round((w * PICTURE_H) / PICTURE_W);
  for (const step of PICTURE_STEPS) {
    const png = await sharp(Buffer.from(pictureSvg(step)))
      .resize(w, h)
      .png({ palette: true, colours: 16, compressionLevel: 9 })
      .toBuffer();
    writeFileSync(join(dir, `${step}.png`), png);
    bytes += png.length;
  }
  console.log(`dw${dw}: ${PICTURE_STEPS.length} pictures of ${w}×${h}`);
}
writeFileSync(join(PICTURES_DIR, 'hash.txt'), `${picturesHash()}\n`);
console.log(`${bytes} B in all`);
