/**
 * Draws the picture of each step (scripts/lib/pictures.ts) and writes its PNG for each design width:
 * `npx tsx scripts/pictures.ts` → `assets/pictures/dw<width>/<step>.png` (the Voice page's),
 * `assets/pictures/dw<width>/small/<step>.png` (the session screen's) and `assets/pictures/hash.txt`
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
  smallPictureWidth,
  PICTURES_DIR,
  picturesHash,
} from './lib/pictures';

let bytes = 0;
// Each design width: the Voice page's picture (half the width) and the session screen's (`small/`, 21 %).
for (const [dw, folder, w] of DESIGN_WIDTHS.flatMap((d) => [
  [d, `dw${d}`, pictureWidth(d)] as const,
  [d, `dw${d}/small`, smallPictureWidth(d)] as const,
])) {
  const dir = join(PICTURES_DIR, folder);
  mkdirSync(dir, { recursive: true });
  const h = Math.round((w * PICTURE_H) / PICTURE_W);
  for (const step of PICTURE_STEPS) {
    const png = await sharp(Buffer.from(pictureSvg(step)))
      .resize(w, h)
      .png({ palette: true, colours: 16, compressionLevel: 9 })
      .toBuffer();
    writeFileSync(join(dir, `${step}.png`), png);
    bytes += png.length;
  }
  console.log(`${folder}: ${PICTURE_STEPS.length} pictures of ${w}×${h} (design width ${dw})`);
}
writeFileSync(join(PICTURES_DIR, 'hash.txt'), `${picturesHash()}\n`);
console.log(`${bytes} B in all`);
