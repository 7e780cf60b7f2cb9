/**
 * npx tsx bench/footprint.ts [--zab path] — the watch app's footprint against a floor page (one TEXT
 * widget and one vibration, bench/floor) built in the same run with the same settings, per target and
 * per page: JavaScript bytes (minified, as packaged), bytecode bytes (the builder's own qjsc), heap after
 * the page is built (QuickJS memory after a forced collection, above the runtime's baseline), and for
 * one default session the timer callbacks and widget property writes; each with its ratio to the floor,
 * then issue 13's goals, pass or fail. Builds both apps (`npm run build`'s pipeline) unless `--zab`
 * names our built .zab. About a minute.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildZab, defaultPaths } from '../scripts/lib/pipeline';
import { buildFloor, goals, measureTarget, PAGES, TARGETS, type TargetFigures } from './lib/footprint';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const kb = (n: number): string => (Number.isNaN(n) ? '-' : `${(n / 1024).toFixed(1)}`);
const ratio = (n: number, floor: number): string =>
  Number.isNaN(n) || !floor ? '-' : `${(n / floor).toFixed(1)}×`;

function table(t: TargetFigures): string[] {
  const floor = t.pages.floor;
  const head = [
    'page',
    'JS KB',
    '× floor',
    'bytecode KB',
    '× floor',
    'heap KB',
    '× floor',
    'of it source KB',
  ];
  const rows = PAGES.map((name) => {
    const p = t.pages[name];
    return [
      name,
      kb(p.jsBytes),
      ratio(p.jsBytes, floor.jsBytes),
      kb(p.bytecodeBytes),
      ratio(p.bytecodeBytes, floor.bytecodeBytes),
      kb(p.heapBytes),
      ratio(p.heapBytes, floor.heapBytes),
      Number.isNaN(p.heapBytes) ? '-' : kb(p.sourceBytes),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: readonly string[]): string =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const s = t.session;
  const f = t.floorWrites;
  return [
    `${t.device} (${t.screen}, API ${t.api}); zml's messaging in: ${t.messagingIn.join(', ') || 'none'}`,
    fmt(head),
    ...rows.map(fmt),
    `default session: ${s.callbacks} timer callbacks at ${s.moments} distinct moments (${(s.callbacks / s.moments).toFixed(2)}× ; the floor sets no timer); ` +
      `${s.written} widget property writes for ${s.changed} changed (${(s.written / s.changed).toFixed(2)}× ; the floor ${f.written} for ${f.changed}, ${(f.written / f.changed).toFixed(2)}×)`,
  ];
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--zab');
  const started = Date.now();
  const appZab = i > 0 ? process.argv[i + 1]! : (await buildZab('plain', defaultPaths(root, 'plain'))).zab;
  const floorZab = await buildFloor(root);
  console.log(
    `built ${i > 0 ? 'the floor' : 'ours and the floor'} in ${((Date.now() - started) / 1000).toFixed(0)} s; ` +
      'heap: QuickJS memory_used_size after a forced collection, above the runtime double’s own baseline (its context and prelude);\n' +
      'of it source: the text of the page’s live functions, which the double’s QuickJS keeps and the watch’s bytecode does not\n' +
      '(bench/lib/source-held.ts): the watch holds about heap minus source. The goals are judged on the heap as measured.\n',
  );
  const all: TargetFigures[] = [];
  for (const device of TARGETS) {
    const t = await measureTarget(root, device, appZab, floorZab);
    all.push(t);
    console.log(`${table(t).join('\n')}\n`);
  }
  console.log('issue 13 goals');
  let failed = 0;
  for (const t of all) {
    for (const g of goals(t)) {
      if (!g.pass) failed++;
      console.log(
        `${g.pass ? 'pass' : 'FAIL'}  ${g.target.padEnd(20)} ${g.what.padEnd(62)} ${g.figure.padStart(9)}  ${g.limit}`,
      );
    }
  }
  console.log(failed ? `\n${failed} goal(s) not met` : '\nevery goal met');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
