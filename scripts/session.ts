/**
 * npm run session [-- --device "Amazfit Bip 5 Unity"] [--pain 3] [--zab dist/x.zab]
 *
 * Runs one whole default session of the BUILT app (dist/*.zab) headless in the runtime double and
 * prints what the patient would feel and see, on the virtual clock: each vibration, and the screen's
 * round/step texts when they change. Needs `npm run build` first. Stops with a clear message where the
 * app does not (yet) offer the next step.
 */
import { parseArgs } from 'node:util';
import { bootWatch, DoubleFailure, fmtT, type Watch } from '../test/runtime';
import { ROUTES, ratePain, settleHome } from '../test/runtime/flows';

const { values } = parseArgs({
  options: {
    device: { type: 'string', default: 'Amazfit Balance' },
    pain: { type: 'string', default: '2' },
    zab: { type: 'string' },
    step: { type: 'string', default: '250' },
  },
});

const STEP_MS = Number(values.step);
const MAX_MS = 30 * 60_000;

function line(t: number, what: string, detail: string): void {
  console.log(`${fmtT(t).padStart(9)}  ${what.padEnd(9)} ${detail}`);
}

function screenLine(w: Watch): string {
  const s = w.screen();
  const texts = s.texts.filter((x) => x.trim() !== '');
  const arc = s.arcs[0];
  const ring = arc
    ? `  ring ${Math.round(Number(arc.props.start_angle))}°→${Math.round(Number(arc.props.end_angle))}°`
    : '';
  return `${texts.join(' | ')}${ring}`;
}

async function main(): Promise<number> {
  const w = await bootWatch({ device: values.device!, ...(values.zab ? { zab: values.zab } : {}) });
  const d = w.device;
  console.log(
    `${d.name}: ${d.shape === 'R' ? 'round' : 'square'} ${d.w}×${d.h}, API ${d.api}, ${d.buttons} button(s)`,
  );
  settleHome(w);
  line(w.t, 'screen', `${w.page}: ${screenLine(w)}`);
  if (!w.screen().texts.includes('Start')) {
    console.log(
      '\nThe home page shows no "Start" button yet: the session cannot be run until the pages land.',
    );
    w.dispose();
    return 2;
  }
  w.tap('Start');
  const startedAt = w.t;
  line(w.t, 'tap', 'Start');
  let seen = 0;
  let lastScreen = '';
  const flush = (): void => {
    const vibes = w.vibrations();
    for (; seen < vibes.length; seen++) {
      const v = vibes[seen]!;
      const pattern = v.sequence
        ? v.sequence.map((a) => `${a.type}${a.duration !== null ? `:${a.duration}ms` : ''}`).join(' ')
        : v.scene;
      line(v.t, 'vibrate', `${pattern}${v.screenOn ? '' : '  (screen off)'}`);
    }
    if (!w.running) return;
    const now = `${w.page}: ${screenLine(w)}`;
    // A countdown ticking is not news: print when the screen changes in more than its numbers.
    const key = now.replace(/\d+/g, '#');
    if (key !== lastScreen) {
      line(w.t, 'screen', now.replace(`${ROUTES.session}: `, ''));
      lastScreen = key;
    }
  };
  while (w.running && w.page === ROUTES.session && w.t - startedAt < MAX_MS) {
    w.advance(STEP_MS);
    flush();
  }
  if (!w.running) {
    console.log('\nThe app closed during the session (see the display events):', w.display().events);
    w.dispose();
    return 1;
  }
  if (w.page !== ROUTES.summary) {
    console.log(`\nThe session did not reach the summary page within ${MAX_MS / 60_000} min (on ${w.page}).`);
    w.dispose();
    return 1;
  }
  console.log(`\nSession: ${fmtT(w.t - startedAt)} of virtual time, ${w.vibrations().length} vibrations.`);
  ratePain(w, Number(values.pain));
  w.advance(1_000);
  line(w.t, 'screen', `${w.page}: ${screenLine(w)}`);
  const pushes = w.phone
    .traffic()
    .filter((t) => t.kind === 'request' && (t.body as { method?: string }).method === 'logs.push');
  line(
    w.t,
    'phone',
    pushes.length
      ? `logs.push sent ${pushes.length}×; phone keys: ${Object.keys(w.phone.storage.toObject()).join(', ')}`
      : 'no log sent yet',
  );
  if (w.screen().texts.includes('Home')) {
    w.tap('Home');
    w.advance(500);
    line(w.t, 'screen', `${w.page}: ${screenLine(w)}`);
  }
  w.dispose();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof DoubleFailure) console.error(`The app failed in the runtime double:\n${e.message}`);
    else console.error(e);
    process.exit(1);
  },
);
