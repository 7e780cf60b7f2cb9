/**
 * npx tsx bench/screen.ts [--zab path] — screen-on seconds and timer wakeups of one default session per
 * target and per path a watch profile can choose, on checked and unchecked watches (bench/lib/screen),
 * measured on the built app (dist/, `npm run build` first, or --zab) in the runtime double; then issue
 * 14's goal (API 4 watches whose check proved the service's buzz in the dark: at most 15 s of screen).
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
    'profile',
    'path',
    'cues by',
    'screen on s',
    'lit s',
    'wakeups',
    '× cue moments',
    'cues',
    'goal',
  ];
  const rows: string[][] = [];
  for (const device of SCREEN_TARGETS) {
    const t = await measureScreen(device, zab);
    const g = screenGoal(t);
    t.cases.forEach((c, i) =>
      rows.push([
        i === 0 ? device : '',
        i === 0 ? t.api : '',
        c.case,
        c.path,
        c.runner,
        c.screenOnS.toFixed(1),
        c.litS.toFixed(1),
        String(c.wakeups),
        `${(c.wakeups / t.cueMoments).toFixed(2)}×`,
        String(c.cues),
        c.case === 'checked, dark proven' && g.applies
          ? g.pass
            ? `PASS ≤ ${SCREEN_GOAL_S} s`
            : `FAIL > ${SCREEN_GOAL_S} s`
          : '-',
      ]),
    );
  }
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const fmt = (r: readonly string[]): string =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  console.log(
    'One default session from Start to its end, the patient leaving the watch alone (screen timeout 10 s),\n' +
      'for each path a watch profile can choose (issue 23): never checked; checked, the dark not proven;\n' +
      'checked, the dark proven (API ≥ 4.0: the App Service; below: the page, under the double’s readings the\n' +
      'check found: S1 the page outlives the screen, T4 its timers fire in the dark); the screen on (floor).\n' +
      'lit s: screen-on seconds weighted by brightness against the patient’s own (60); wakeups: timer\n' +
      'callbacks of the page and the App Service; cue moments: distinct cue deadlines of the session.\n',
  );
  console.log([fmt(head), ...rows.map(fmt)].join('\n'));
}

await main();
