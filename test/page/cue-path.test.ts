import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * The path of one cue from the session page's timer to the wrist motor, read off the call stack at the
 * moment the motor is started. The update that decided the cue has already returned by then: the play
 * effect carries the rendered pattern, so carrying it out never reaches back into the model. What is
 * left on the stack is the timer's source (page/lib/wake, the session's `wake` subscription), the
 * program runner, the session shell's interpreter (page/lib/session-shell, which both session pages
 * are made of) and the motor.
 */
const stacks: string[] = [];
const started: unknown[] = [];
let page: Record<string, (...args: unknown[]) => unknown> = {};
const store = new Map<string, unknown>();

vi.mock('@zos/sensor', () => {
  class Vibrator {
    start(option?: unknown): void {
      stacks.push(new Error('motor').stack ?? '');
      started.push(option);
    }
    stop(): void {}
    setMode(): void {}
    getType() {
      return { GENTLE_SHORT: 1, STRONG_SHORT: 2, CONTINUOUS: 9, PAUSE: 10 };
    }
  }
  class Time {
    getTime = () => Date.now();
    getFullYear = () => new Date().getUTCFullYear();
    getMonth = () => new Date().getUTCMonth() + 1;
    getDate = () => new Date().getUTCDate();
    getHours = () => new Date().getUTCHours();
    getMinutes = () => new Date().getUTCMinutes();
  }
  // No heart-rate sensor here: the cue path is the same with or without one.
  class HeartRate {}
  // The screen on (1; 2 is off): read at each wake, for the session's screen-on time.
  class Screen {
    getStatus = () => 1;
  }
  return {
    Vibrator,
    Time,
    Screen,
    HeartRate,
    checkSensor: () => false,
    VIBRATOR_SCENE_SHORT_LIGHT: 23,
    VIBRATOR_SCENE_SHORT_MIDDLE: 24,
    VIBRATOR_SCENE_SHORT_STRONG: 25,
    VIBRATOR_SCENE_DURATION: 28,
    VIBRATOR_SCENE_DURATION_LONG: 27,
  };
});
vi.mock('@zos/app', () => ({ queryPermission: () => [2], requestPermission: () => 2 }));
vi.mock('@zos/storage', () => ({
  LocalStorage: class {
    getItem = (k: string) => store.get(k);
    setItem = (k: string, v: unknown) => void store.set(k, v);
    removeItem = (k: string) => void store.delete(k);
  },
}));
vi.mock('@zos/settings', () => ({ getSystemInfo: () => ({ minAPI: '3.7' }) }));
vi.mock('@zos/device', () => ({
  SCREEN_SHAPE_ROUND: 1,
  getDeviceInfo: () => ({ width: 480, height: 480, screenShape: 1 }),
}));
vi.mock('@zos/i18n', () => ({ getText: (key: string) => key }));
vi.mock('@zos/router', () => ({ replace: () => undefined, push: () => undefined }));
vi.mock('@zos/display', () => ({
  setPageBrightTime: () => 0,
  resetPageBrightTime: () => 0,
  pauseDropWristScreenOff: () => 0,
  resetDropWristScreenOff: () => 0,
  pausePalmScreenOff: () => 0,
  resetPalmScreenOff: () => 0,
  setWakeUpRelaunch: () => undefined,
  getBrightness: () => 60,
  getAutoBrightness: () => false,
  setBrightness: () => 0,
  setAutoBrightness: () => undefined,
}));
vi.mock('@zos/interaction', async () => ({
  ...(await import('../support/interaction-codes')).INTERACTION_CODES,
  MODAL_CONFIRM: 1,
  createModal: () => undefined,
  onKey: () => undefined,
  offKey: () => undefined,
  onGesture: () => undefined,
  offGesture: () => undefined,
  onDigitalCrown: () => undefined,
  offDigitalCrown: () => undefined,
}));
// API 3.7 (getSystemInfo above): the page plays the cues; the App Service is never reached.
vi.mock('@zos/app', () => ({ queryPermission: () => [0], requestPermission: () => 0 }));
vi.mock('@zos/app-service', () => ({ getAllAppServices: () => [], start: () => 0, stop: () => 0 }));
vi.mock('@zos/fs', () => ({ writeFileSync: () => undefined, readFileSync: () => 'off first 70' }));
// The voice off (its settings file above): the player is never made.
vi.mock('@zos/media', () => ({ create: () => undefined, id: { PLAYER: 1 } }));
vi.mock('@zos/ui', () => ({
  widget: { TEXT: 1, BUTTON: 2, ARC: 3, CIRCLE: 4 },
  prop: { MORE: 1 },
  align: { CENTER_H: 1, CENTER_V: 2 },
  text_style: { WRAP: 1, NONE: 0 },
  createWidget: () => ({ setProperty: () => undefined }),
  deleteWidget: () => undefined,
}));

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** Our own source files on a stack, in the order they appear (innermost first), each once. */
function ourFiles(stack: string): string[] {
  const root = join(__dirname, '..', '..') + '/';
  const files = stack
    .split('\n')
    .flatMap((line) => [...line.matchAll(/([^\s(]+\.ts):\d+:\d+/g)].map((m) => m[1]!))
    .filter((f) => f.startsWith(root))
    .map((f) => f.slice(root.length));
  return [...new Set(files.filter((f) => /^(core|page|app-side|setting)\//.test(f)))];
}

describe('one cue, from the session page’s timer to the motor', () => {
  it('touches four files of our own: the timer’s source, the program runner, the session shell and the motor', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 25, 15, 0, 0) });
    vi.stubGlobal('Page', (options: typeof page) => {
      page = options;
    });
    await import('../../page/session/index.page');
    page.onInit!.call(page, undefined);
    page.build!.call(page);
    // The first cue plays on Start itself; the next one comes from the page's one timer.
    expect(started).toHaveLength(1);
    stacks.length = 0;
    vi.advanceTimersByTime(10_000);
    expect(started).toHaveLength(2);
    const files = ourFiles(stacks[0]!);
    expect(files.sort()).toEqual([
      'core/base/program.ts',
      'page/lib/session-shell.ts',
      'page/lib/vibration.ts',
      'page/lib/wake.ts',
    ]);
    // What reached the motor is the pattern core rendered: the set-up's 10 s are over, a step starts (tap-tap).
    expect(started[1]).toEqual([{ type: 2 }, { type: 10, duration: 200 }, { type: 2 }]);
    page.onDestroy!.call(page);
  });
});
