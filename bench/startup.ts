/**
 * npx tsx bench/startup.ts [runs] — real time to the first frame in QuickJS (quickjs-emscripten), the
 * median of repeated runs per target: app launch → home page built (a fresh context evaluating app.js,
 * onCreate, the page module, build), and the session page built once the question before it is skipped (home's Start opens that question). Run after `npm run build`.
 * Node on a PC is not a watch: read the figures as relative (page A against page B, before against after).
 */
import { bootWatch } from '../test/runtime';
import { ROUTES, settleHome } from '../test/runtime/flows';
import { median } from './lib/median';

const RUNS = Number(process.argv[2] ?? 15);
const TARGETS = ['Amazfit Balance', 'Amazfit Balance 3', 'Amazfit Bip 5 Unity'];

async function main(): Promise<void> {
  console.log(`median of ${RUNS} runs, ms of real time (first boot excluded: it loads the WASM engine)`);
  console.log("context: the double's own QuickJS context + prelude; app.js: evaluate + onCreate;");
  console.log(
    'home: app.js + home page evaluated and built (first frame); session: Skip on the question before the session → session page built\n',
  );
  console.log(
    `${'target'.padEnd(22)} ${'context'.padStart(8)} ${'app.js'.padStart(8)} ${'home'.padStart(8)} ${'session'.padStart(8)}`,
  );
  for (const device of TARGETS) {
    (await bootWatch({ device })).dispose(); // warm-up: engine, prelude bundle, .zab
    const context: number[] = [];
    const appJs: number[] = [];
    const home: number[] = [];
    const session: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const w = await bootWatch({ device });
      context.push(w.startup.contextMs);
      appJs.push(w.startup.appJsMs - w.startup.contextMs);
      home.push(w.startup.firstFrameMs - w.startup.contextMs);
      settleHome(w);
      w.tap('Start'); // home's Start asks the pain rating before the session first
      const t0 = performance.now();
      w.tap('Skip');
      if (w.page !== ROUTES.session) throw new Error(`Start did not open the session page (on ${w.page})`);
      session.push(performance.now() - t0);
      w.dispose();
    }
    console.log(
      `${device.padEnd(22)} ${median(context).toFixed(1).padStart(8)} ${median(appJs).toFixed(1).padStart(8)} ${median(home).toFixed(1).padStart(8)} ${median(session).toFixed(1).padStart(8)}`,
    );
  }
}

void main();
