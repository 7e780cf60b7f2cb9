/**
 * npx tsx bench/screen.ts [--zab path] — screen-on seconds and timer wakeups of one default session per
 * target, screen dark (the default) against screen on (the floor: the screen held on for the whole
 * session, as before), measured in the same run on the built app (dist/, `npm run build` first, or
 * --zab) in the runtime double; then issue 14's goal (API 4 watches: at most 15 s of screen).
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureScreen, SCREEN_GOAL_S, SCREEN_TARGETS, screenGoal } from './lib/screen';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const i = process.argv.indexOf('--zab');
  const dist = join(root, 'dist');
  const found = readdirSync(dist).find((f) => f.endsWith('.zab'));
  const zab = i > 0 ? process.argv[i + 1]! : found ? join(dist, found) : '';
  if (!zab) throw new Error('no .zab in dist/: run npm run build first, or pass --zab');
  const head = [
    'target',
    'API',
    'cues by',
    'screen on s',
    '× on',
    'lit s',
    '× on',
    'wakeups',
    '× cue moments',
    'goal',
  ];
  const rows: string[][] = [];
  for (const device of SCREEN_TARGETS) {
    const t = await measureScreen(device, zab);
    const g = screenGoal(t);
    rows.push([
      device,
      t.api,
      t.dark.runner,
      t.dark.screenOnS.toFixed(1),
      `${(t.dark.screenOnS / t.on.screenOnS).toFixed(2)}×`,
      t.dark.litS.toFixed(1),
      `${(t.dark.litS / t.on.litS).toFixed(2)}×`,
      String(t.dark.wakeups),
      `${(t.dark.wakeups / t.cueMoments).toFixed(2)}×`,
      g.applies ? (g.pass ? `PASS ≤ ${SCREEN_GOAL_S} s` : `FAIL > ${SCREEN_GOAL_S} s`) : '-',
    ]);
    rows.push([
      '  (floor: screen on)',
      '',
      t.on.runner,
      t.on.screenOnS.toFixed(1),
      '1.00×',
      t.on.litS.toFixed(1),
      '1.00×',
      String(t.on.wakeups),
      `${(t.on.wakeups / t.cueMoments).toFixed(2)}×`,
      '',
    ]);
  }
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const fmt = (r: readonly string[]): string =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  console.log(
    'One default session from Start to its end, the patient leaving the watch alone (screen timeout 10 s);\n' +
      'lit s: screen-on seconds weighted by brightness against the patient’s own (60); wakeups: timer\n' +
      'callbacks of the page and the App Service; cue moments: distinct cue deadlines of the session.\n',
  );
  console.log([fmt(head), ...rows.map(fmt)].join('\n'));
}

await main();
