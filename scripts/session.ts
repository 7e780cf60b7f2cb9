/**
 * npm run session [-- --device "Amazfit Bip 5 Unity"] [--checked service|dark|none] [--pain 3] [--zab dist/x.zab] [--stop-cuts]
 *
 * Runs one whole default session of the BUILT app (dist/*.zab) headless in the runtime double and
 * prints what the patient would feel, hear and see, on the virtual clock: each vibration, each phrase
 * spoken with it (where the App Service plays the session: a watch of API 4 whose wrist check proved the
 * service's buzz in the dark, `--device "Amazfit Balance 3" --checked service`), and the
 * screen's round/step texts when they change; then the cue list as this watch played it, pulse by pulse, with
 * each cue's count of taps and buzzes. `--stop-cuts` takes the reading that Vibrator.stop() cuts a
 * scene short (the default is the harsher one: it does not). `--checked` boots a watch whose wrist check
 * has run (every cue felt; `service`: the App Service's buzz felt in the dark, `dark`: below API 4 the page
 * outlived the screen and its timer fired, `none`: neither); without it the watch was never checked, and
 * the page plays the session, dimmed. Needs `npm run build` first.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_PRESCRIPTION } from '../core/plan/prescription';
import { buildTimeline } from '../core/engine/timeline';
import { bootWatch, DoubleFailure, fmtT, type Vibration, type Watch } from '../test/runtime';
import { checkedWatch, ROUTES, ratePain, settleHome, startSession } from '../test/runtime/flows';
import { MANIFEST, type Manifest } from './lib/voice';

const { values } = parseArgs({
  options: {
    device: { type: 'string', default: 'Amazfit Balance' },
    pain: { type: 'string', default: '2' },
    zab: { type: 'string' },
    step: { type: 'string', default: '250' },
    'stop-cuts': { type: 'boolean', default: false },
    checked: { type: 'string' },
  },
});

const STEP_MS = Number(values.step);
/** What each spoken clip says (`en-US/step-setup` → its text), from the phrases' manifest. */
const phrases: Record<string, string> = Object.fromEntries(
  Object.entries((JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest).clips).map(([k, v]) => [k, v.text]),
);
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
  // The step's picture (an IMG of the package's pictures/), where the screen shows one.
  const picture = s.widgets.find((g) => g.type === 'IMG')?.props.src;
  return `${texts.join(' | ')}${ring}${picture === undefined ? '' : `  picture ${String(picture)}`}`;
}

/** "━ 600 · 250 · ━ 600": pulses as felt (· for a 20 ms tap), with the silences between them. */
function feltPulses(vibes: readonly Vibration[]): { text: string; taps: number; buzzes: number } {
  const pulses = vibes.flatMap((v) => (v.pulses ?? []).map((p) => ({ from: v.at + p.fromMs, ms: p.ms })));
  let text = '';
  pulses.forEach((p, i) => {
    if (i > 0) text += ` ${p.from - pulses[i - 1]!.from - pulses[i - 1]!.ms} `;
    text += p.ms <= 20 ? `tap ${p.ms}` : `BUZZ ${p.ms}`;
  });
  return {
    text: `${text} (ms)`,
    taps: pulses.filter((p) => p.ms <= 20).length,
    buzzes: pulses.filter((p) => p.ms >= 200).length,
  };
}

function printCueList(w: Watch, startedAt: number): void {
  const timeline = buildTimeline(DEFAULT_PRESCRIPTION);
  if (!timeline.ok) return;
  const cues = timeline.value.cues;
  const vibes = w.vibrations().filter((v) => v.t >= startedAt);
  const stopNote = values['stop-cuts'] ? 'stop() cuts a scene' : 'stop() does not cut a scene';
  console.log(`\nCues as this watch played them (API ${w.device.api}; reading: ${stopNote}):`);
  for (const kind of ['inhale', 'exhale', 'sweepTick', 'stepStart', 'roundDone', 'sessionDone'] as const) {
    const i = cues.findIndex((c) => c.kind === kind);
    if (i < 0) continue;
    const from = startedAt + cues[i]!.atMs;
    const to = i + 1 < cues.length ? startedAt + cues[i + 1]!.atMs : Number.POSITIVE_INFINITY;
    const f = feltPulses(vibes.filter((v) => v.t >= from && v.t < to));
    console.log(`  ${kind.padEnd(12)} ${String(f.taps)} tap(s), ${String(f.buzzes)} buzz(es)   ${f.text}`);
  }
}

async function main(): Promise<number> {
  const checked = values.checked;
  if (checked !== undefined && checked !== 'service' && checked !== 'dark' && checked !== 'none') {
    console.error(`--checked ${checked}: allowed are service, dark and none (what the wrist check proved)`);
    return 2;
  }
  const w = await bootWatch({
    device: values.device!,
    ...(checked ? { storage: checkedWatch(values.device!, checked) } : {}),
    ...(values.zab ? { zab: values.zab } : {}),
    readings: { stopCutsScene: values['stop-cuts'] === true },
  });
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
  startSession(w);
  const startedAt = w.t;
  line(w.t, 'tap', 'Start, then Skip (no rating before)');
  let seen = 0;
  let heard = 0;
  let lastScreen = '';
  const flush = (): void => {
    // What the wrist felt and what the speaker said, in time order (a phrase starts with its cue, or
    // just after it once its clip is prepared).
    const felt: [number, string, string][] = [];
    const vibes = w.vibrations();
    for (; seen < vibes.length; seen++) {
      const v = vibes[seen]!;
      const pattern = v.sequence
        ? v.sequence.map((a) => `${a.type}${a.duration !== null ? `:${a.duration}ms` : ''}`).join(' ')
        : v.scene;
      felt.push([v.t, 'vibrate', `${pattern}${v.screenOn ? '' : '  (screen off)'}`]);
    }
    const sounds = w.sounds();
    for (; heard < sounds.length; heard++) {
      const s = sounds[heard]!;
      const clip = s.file.replace(/^voice\//, '').replace(/\.mp3$/, '');
      const cut = s.heardMs < s.ms ? `, cut at ${s.heardMs} ms` : '';
      felt.push([s.t, 'say', `"${phrases[clip] ?? clip}"  (${s.file}, ${s.ms} ms${cut}, ${s.context})`]);
    }
    for (const [t, what, detail] of felt.sort((a, b) => a[0] - b[0])) line(t, what, detail);
    if (w.screen().modal) {
      // The App Service's permission, asked once before the first session it would run: granted.
      line(w.t, 'tap', `${w.screen().modal?.content ?? ''} → allow`);
      w.answerModal('CONFIRM');
    }
    if (!w.running) return;
    const now = `${w.page}: ${screenLine(w)}`;
    // A countdown ticking is not news: print when the screen changes in more than its numbers.
    const key = now.replace(/\d+/g, '#');
    if (key !== lastScreen) {
      line(w.t, 'screen', now.replace(`${ROUTES.session}: `, '').replace(`${ROUTES.serviceSession}: `, ''));
      lastScreen = key;
    }
  };
  // Where the App Service plays the session (API 4), the screen goes dark and the app closes: the cues
  // (and phrases) go on in the service, whose notification opens the summary at the end.
  const service = (): boolean => w.service().running !== undefined;
  const onSession = (): boolean => w.page === ROUTES.session || w.page === ROUTES.serviceSession;
  while ((w.running ? onSession() : service()) && w.t - startedAt < MAX_MS) {
    w.advance(STEP_MS);
    flush();
  }
  const [done] = w.service().notifications;
  if (!w.running && done) {
    line(w.t, 'tap', `the notification "${done.title}": its action`);
    w.tapNotification(done.id);
    w.advance(1_000);
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
  console.log(
    `\nSession: ${fmtT(w.t - startedAt)} of virtual time, ${w.vibrations().length} vibrations, ${w.sounds().length} clips spoken.`,
  );
  w.advance(3_000);
  printCueList(w, startedAt);
  ratePain(w, Number(values.pain));
  w.advance(1_000);
  line(w.t, 'screen', `${w.page}: ${screenLine(w)}`);
  const pushes = w.phone
    .traffic()
    .filter((t) => t.kind === 'request' && /^logs\./.test(String((t.body as { method?: string }).method)));
  line(
    w.t,
    'phone',
    pushes.length
      ? `logs sent in ${pushes.length} request(s) (${[...new Set(pushes.map((t) => (t.body as { method: string }).method))].join(', ')}); phone keys: ${Object.keys(w.phone.storage.toObject()).join(', ')}`
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
