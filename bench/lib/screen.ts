/**
 * The screen and the timer wakeups of one default session for each path a watch profile can choose
 * (issue 23, core/watch/session-path), measured in the same run on the built app in the runtime double:
 * a watch never checked (the page plays it, screen kept on and dimmed); checked and the dark not proven
 * (the same); checked and the dark proven (API ≥ 4.0: the App Service with the screen off; below: the
 * page with the screen allowed off, run under the double's readings that the check found: the page
 * outlives the screen (S1) and its timers fire in the dark (T4)); and the screen on at the patient's
 * brightness (the floor, the patient's own choice). The patient taps Start, allows the background
 * service when asked, and then leaves the watch alone. Used by bench/screen.ts (prints it) and
 * test/bench/screen.test.ts (holds the goal).
 */
import { DEFAULT_PRESCRIPTION } from '../../core/plan/prescription';
import { buildTimeline } from '../../core/engine/timeline';
import { bootWatch, type Watch } from '../../test/runtime';
import { findDevice } from '../../test/runtime/package';
import { checkedWatch, ROUTES, settleHome, startSession } from '../../test/runtime/flows';
import type { Readings } from '../../test/runtime/options';

/** API 4.4, 4.2 (round 480, square 390×450), 3.7 and 3.0 (the smallest screen). */
export const SCREEN_TARGETS = [
  'Amazfit Balance 3',
  'Amazfit Active 2 (Square)',
  'Amazfit Balance',
  'Amazfit Bip 5 Unity',
] as const;

/** The patient's own brightness in the runs (the double's default system setting). */
const USER_BRIGHTNESS = 60;
/** Issue 14: an API 4 watch lights its screen at most this long in a default session. */
export const SCREEN_GOAL_S = 15;

/** The ways a profile can send a session, and the watch it is measured on. */
export const SCREEN_CASES = [
  'unchecked',
  'checked, dark not proven',
  'checked, dark proven',
  'screen on (floor)',
] as const;
export type ScreenCase = (typeof SCREEN_CASES)[number];

export interface SessionScreen {
  readonly case: ScreenCase;
  /** The path core/watch/session-path chose: service, dark, dim or on. */
  readonly path: 'service' | 'dark' | 'dim' | 'on';
  /** Who played the cues: the page or the App Service. */
  readonly runner: 'page' | 'service';
  /** Seconds the screen was on from Start to the session's end. */
  readonly screenOnS: number;
  /** Screen-on seconds weighted by brightness / the patient's own (a dimmed second counts less). */
  readonly litS: number;
  /** Timer callbacks (page and service) from Start to the session's end. */
  readonly wakeups: number;
  /** Cues played. */
  readonly cues: number;
}

export interface TargetScreen {
  readonly device: string;
  readonly api: string;
  readonly cases: readonly SessionScreen[];
  /** Distinct cue deadlines of the default session: the fewest wakeups that play every cue. */
  readonly cueMoments: number;
}

function cueMoments(): number {
  const t = buildTimeline(DEFAULT_PRESCRIPTION);
  if (!t.ok) throw new Error('the default prescription does not build a timeline');
  return new Set(t.value.cues.map((c) => c.atMs)).size;
}

/** On-time and brightness-weighted on-time between two moments, from the display's own event log. */
function screenTime(w: Watch, from: number, to: number): { on: number; lit: number } {
  const d = w.display();
  let on = 0;
  let lit = 0;
  let level = USER_BRIGHTNESS;
  for (const b of d.brightnessLog) if (b.t <= from) level = b.brightness;
  const changes = [
    ...d.events
      .filter((e) => e.t > from && e.t <= to && /^(on|off) /.test(e.what))
      .map((e) => ({ t: e.t, screen: e.what.startsWith('on') })),
    ...d.brightnessLog.filter((b) => b.t > from && b.t <= to).map((b) => ({ t: b.t, level: b.brightness })),
  ].sort((a, b) => a.t - b.t);
  let lastT = from;
  let screenOn = true; // the patient has just tapped Start
  for (const c of changes) {
    if (screenOn) {
      on += c.t - lastT;
      lit += ((c.t - lastT) * level) / USER_BRIGHTNESS;
    }
    lastT = c.t;
    if ('screen' in c) screenOn = c.screen;
    else level = c.level;
  }
  if (screenOn) {
    on += to - lastT;
    lit += ((to - lastT) * level) / USER_BRIGHTNESS;
  }
  return { on: on / 1000, lit: lit / 1000 };
}

/** What a case boots with: the stored check (or none) and the double's readings. */
function bootOf(
  device: string,
  c: ScreenCase,
): { storage: Record<string, string>; readings?: Readings; exitAfterScreenOffMs?: number } {
  switch (c) {
    case 'unchecked':
      // "Not now" at the first launch's offer: no profile.
      return { storage: { 'check.offered': '1', 'screen.mode': 'dark' } };
    case 'checked, dark not proven':
      return { storage: { ...checkedWatch(device, 'none'), 'screen.mode': 'dark' } };
    case 'checked, dark proven': {
      const api = Number.parseFloat(findDevice(device).api);
      if (api >= 4) return { storage: { ...checkedWatch(device, 'service'), 'screen.mode': 'dark' } };
      // Proven only where the double reads S1 and T4 the kinder way: what the check found on this watch.
      return {
        storage: { ...checkedWatch(device, 'dark'), 'screen.mode': 'dark' },
        readings: { timersWhileScreenOff: true },
        exitAfterScreenOffMs: 60 * 60_000,
      };
    }
    case 'screen on (floor)':
      return { storage: { ...checkedWatch(device, 'none'), 'screen.mode': 'on' } };
  }
}

async function oneSession(device: string, zab: string, c: ScreenCase): Promise<SessionScreen> {
  const boot = bootOf(device, c);
  const w = await bootWatch({ device, zab, brightness: USER_BRIGHTNESS, ...boot });
  try {
    settleHome(w);
    const wakesBefore = w.timerCallbacks().length;
    const vibesBefore = w.vibrations().length;
    startSession(w);
    const from = w.t;
    // The explanation before the system's question: the patient reads it and allows.
    if (w.screen().modal) w.answerModal('CONFIRM');
    const runner = w.service().running ? 'service' : 'page';
    const done = (x: Watch): boolean =>
      runner === 'service' ? x.service().notifications.length > 0 : x.page === ROUTES.summary;
    w.advanceUntil(done, 30 * 60_000, 1000);
    const to = w.t;
    const { on, lit } = screenTime(w, from, to);
    const dimmed = w
      .display()
      .brightnessLog.some((b) => b.t >= from && b.t <= to && b.brightness < USER_BRIGHTNESS);
    return {
      case: c,
      path: runner === 'service' ? 'service' : c === 'screen on (floor)' ? 'on' : dimmed ? 'dim' : 'dark',
      runner,
      screenOnS: on,
      litS: lit,
      wakeups: w.timerCallbacks().length - wakesBefore,
      cues: w.vibrations().length - vibesBefore,
    };
  } finally {
    w.dispose();
  }
}

export async function measureScreen(device: string, zab: string): Promise<TargetScreen> {
  const cases: SessionScreen[] = [];
  for (const c of SCREEN_CASES) cases.push(await oneSession(device, zab, c));
  return { device, api: findDevice(device).api, cases, cueMoments: cueMoments() };
}

export const caseOf = (t: TargetScreen, c: ScreenCase): SessionScreen => t.cases.find((x) => x.case === c)!;

/** Issue 14's goal, for API 4 watches whose check proved the service's buzz in the dark. */
export function screenGoal(t: TargetScreen): { pass: boolean; applies: boolean } {
  const applies = Number.parseFloat(t.api) >= 4;
  return { applies, pass: !applies || caseOf(t, 'checked, dark proven').screenOnS <= SCREEN_GOAL_S };
}
