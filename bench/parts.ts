/**
 * npx tsx bench/parts.ts [page] — what each page's JavaScript is made of: the minified bytes each of our
 * folders adds to the page's bundle (bench/lib/parts: esbuild's metafile, bundled as the build bundles
 * it), per page of app.json. With a page's name (`session`, `home`...), also every module of that page,
 * largest first. zml and the platform's modules are not in these bundles (zpm adds zml to the pages that
 * talk to the phone: bench/footprint.ts measures the pages as packaged). A few seconds; needs no build.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pageParts, PARTS, partOf } from './lib/parts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pages = await pageParts(root);

const kb = (n: number): string => (n / 1024).toFixed(1);
const columns = [...PARTS, 'other'];
const rows = pages.map((o) => {
  const by = new Map<string, number>();
  for (const m of o.modules) by.set(partOf(m.path), (by.get(partOf(m.path)) ?? 0) + m.bytes);
  // esbuild's own glue (module wrappers, helpers) is in the total but in no module.
  by.set('other', (by.get('other') ?? 0) + o.total - o.modules.reduce((s, m) => s + m.bytes, 0));
  return [o.page, kb(o.total), ...columns.map((p) => kb(by.get(p) ?? 0))];
});
const head = ['page', 'total KB', ...columns];
const widths = head.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
const fmt = (r: readonly string[]): string =>
  r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log('minified KB each folder adds to a page (without zml and @zos/*, which zpm adds)\n');
console.log(fmt(head));
for (const r of rows) console.log(fmt(r));

const asked = process.argv[2];
if (asked) {
  const o = pages.find((x) => x.page === asked);
  if (!o) throw new Error(`no page ${asked}; the pages: ${pages.map((x) => x.page).join(', ')}`);
  console.log(`\n${o.page}: ${kb(o.total)} KB, by module`);
  for (const m of [...o.modules].sort((a, b) => b.bytes - a.bytes)) {
    console.log(`${String(m.bytes).padStart(7)}  ${m.path}`);
  }
}
