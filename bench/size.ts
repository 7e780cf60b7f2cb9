/**
 * npx tsx bench/size.ts [path.zab] — bytes the watch and the phone install, per target screen:
 * app.js, each page, app-side.js (uncompressed, as QuickJS parses them) and the .zpk (compressed).
 * Run after `npm run build`.
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { defaultZabPath, loadZab } from '../test/runtime/package';

const path = process.argv[2] ?? defaultZabPath();
const { zpks } = loadZab(path);
const pages = [
  ...new Set(zpks.flatMap((z) => Object.keys(z.device).filter((f) => /^page\/.+\.js$/.test(f)))),
].sort();
const kb = (n: number | undefined): string => (n === undefined ? '-' : (n / 1024).toFixed(1));
const cols = [
  'screen',
  'app.js',
  ...pages.map((p) => p.replace(/^page\//, '').replace(/\/index\.page\.js$/, '')),
  'app-side.js',
  '.zpk',
];

const rows = zpks.map((z) => [
  `${z.shape} ${z.width}x${z.height}`,
  kb(z.device['app.js']?.length),
  ...pages.map((p) => kb(z.device[p]?.length)),
  kb(z.appSide['app-side.js']?.length),
  kb(z.bytes),
]);
const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
const fmt = (r: readonly string[]): string =>
  r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(
  `${basename(path)}: ${kb(statSync(path).size)} KB, ${zpks.length} packages (KB; JS uncompressed, .zpk compressed)\n`,
);
console.log(fmt(cols));
for (const r of rows) console.log(fmt(r));
