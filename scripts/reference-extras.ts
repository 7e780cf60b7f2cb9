/**
 * npx tsx scripts/reference-extras.ts <zeppos-docs checkout> <commit>
 *
 * Writes test/runtime/data/reference-extras.json: what the API reference pages say outside the tables
 * platform-spec.json holds (scripts/lib/reference-extras.ts), read from
 * <checkout>/docs/reference/device-app-api/newAPI/**.mdx. The commit is the one the checkout is at
 * (zepp-health/zeppos-docs c08725b for the file in the project, the same as platform-spec.json); it is
 * written into the file's `source`.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extrasOfPage, type PageExtras } from './lib/reference-extras';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(root, 'test', 'runtime', 'data', 'reference-extras.json');

function pagesUnder(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return pagesUnder(path);
      return /\.mdx?$/.test(name) ? [path] : [];
    })
    .sort();
}

function main(): void {
  const [checkout, commit] = process.argv.slice(2);
  if (!checkout || !commit || !/^[0-9a-f]{7,40}$/.test(commit)) {
    console.error('usage: npx tsx scripts/reference-extras.ts <zeppos-docs checkout> <commit>');
    process.exit(2);
  }
  const base = join(checkout, 'docs', 'reference', 'device-app-api', 'newAPI');
  const pages: Record<string, PageExtras> = {};
  for (const file of pagesUnder(base)) {
    const extras = extrasOfPage(readFileSync(file, 'utf8'));
    if (Object.keys(extras).length) pages[relative(base, file).replace(/\.mdx?$/, '')] = extras;
  }
  const source = `zepp-health/zeppos-docs at commit ${commit}, docs/reference/device-app-api/newAPI: code-example imports, prop.X and widget.X names, widgets created on an instance, get/set columns of prop tables, property-access tables (scripts/reference-extras.ts)`;
  writeFileSync(OUT, `${JSON.stringify({ source, pages }, null, 1)}\n`);
  console.log(`${relative(root, OUT)}: ${Object.keys(pages).length} pages`);
}

main();
