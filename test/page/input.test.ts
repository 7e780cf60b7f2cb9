import { beforeEach, describe, expect, it, vi } from 'vitest';
import { INTERACTION_CODES } from '../support/interaction-codes';

// page/lib/input.ts against a recording @zos/interaction: what each button of each kind of watch does
// on the session page (select, back, skip) and on the summary (the rating's steps).
const C = INTERACTION_CODES;
const KEY = {
  BACK: C.KEY_BACK,
  SELECT: C.KEY_SELECT,
  HOME: C.KEY_HOME,
  UP: C.KEY_UP,
  DOWN: C.KEY_DOWN,
  SHORTCUT: C.KEY_SHORTCUT,
} as const;
const EVENT = {
  CLICK: C.KEY_EVENT_CLICK,
  LONG_PRESS: C.KEY_EVENT_LONG_PRESS,
  DOUBLE_CLICK: C.KEY_EVENT_DOUBLE_CLICK,
} as const;
type KeyName = keyof typeof KEY;

const registered: {
  key?: (key: number, event: number) => boolean;
  gesture?: (g: number) => boolean;
  crown?: (key: number, degrees: number) => void;
} = {};

vi.mock('@zos/interaction', async () => ({
  ...(await import('../support/interaction-codes')).INTERACTION_CODES,
  onKey: (o: { callback: typeof registered.key }) => void (registered.key = o.callback),
  offKey: () => void (registered.key = undefined),
  onGesture: (o: { callback: typeof registered.gesture }) => void (registered.gesture = o.callback),
  offGesture: () => void (registered.gesture = undefined),
  onDigitalCrown: (o: { callback: typeof registered.crown }) => void (registered.crown = o.callback),
  offDigitalCrown: () => void (registered.crown = undefined),
}));

const { listen } = await import('../../page/lib/input');

/**
 * The keys of each button count, copied from zeppos-docs reference/related-resources/physical-keys.mdx
 * (commit c08725b). Three and five buttons are not documented there: any key may come.
 */
const BUTTONS: Record<number, readonly KeyName[]> = {
  1: ['HOME'],
  2: ['HOME', 'SHORTCUT'],
  3: ['SELECT', 'BACK', 'UP', 'DOWN', 'HOME', 'SHORTCUT'],
  4: ['UP', 'DOWN', 'SELECT', 'BACK'],
  5: ['SELECT', 'BACK', 'UP', 'DOWN', 'HOME', 'SHORTCUT'],
};

let did: string[] = [];
let stop: () => void = () => undefined;
const session = () =>
  listen({
    select: () => did.push('select'),
    back: () => did.push('back'),
    swipeLeft: () => did.push('skip'),
  });
const summary = () =>
  listen({
    select: () => did.push('select'),
    up: () => did.push('up'),
    down: () => did.push('down'),
    crown: (d) => did.push(`crown ${d}`),
  });

/** Presses a key; what the page did, and whether the system may still act on it. */
function press(key: KeyName, event: keyof typeof EVENT = 'CLICK'): { did: string[]; toSystem: boolean } {
  did = [];
  const handled = registered.key!(KEY[key], EVENT[event]);
  return { did, toSystem: !handled };
}

beforeEach(() => {
  stop();
  did = [];
});

describe.each(Object.entries(BUTTONS))('a %s-button watch', (count, keys) => {
  it('on the session page: a click pauses or resumes, holding a button asks to end; none leaves the app', () => {
    stop = session();
    const clicks = keys.map((k) => press(k));
    const holds = keys.map((k) => press(k, 'LONG_PRESS'));
    expect(
      clicks.some((c) => c.did[0] === 'select'),
      `${count}: some click selects`,
    ).toBe(true);
    expect(
      holds.every((h) => h.did[0] === 'back' && !h.toSystem),
      `${count}: every hold asks to end`,
    ).toBe(true);
    // HOME and SHORTCUT would leave the app for the app list or a quick-start app: they are taken.
    for (const k of keys.filter((x) => x === 'HOME' || x === 'SHORTCUT'))
      expect(press(k), k).toEqual({ did: ['select'], toSystem: false });
    if (keys.includes('SELECT')) expect(press('SELECT')).toEqual({ did: ['select'], toSystem: false });
    if (keys.includes('BACK')) expect(press('BACK')).toEqual({ did: ['back'], toSystem: false });
    // UP and DOWN mean nothing here: left to the system, which only scrolls.
    for (const k of keys.filter((x) => x === 'UP' || x === 'DOWN'))
      expect(press(k), k).toEqual({ did: [], toSystem: true });
  });

  it('swipes skip and end, whatever the buttons', () => {
    stop = session();
    did = [];
    expect(registered.gesture!(3)).toBe(true);
    expect(registered.gesture!(4)).toBe(true);
    expect(did).toEqual(['skip', 'back']);
  });

  it('on the summary: UP and DOWN step the rating where the watch has them, a click saves', () => {
    stop = summary();
    if (keys.includes('UP')) expect(press('UP')).toEqual({ did: ['up'], toSystem: false });
    if (keys.includes('DOWN')) expect(press('DOWN')).toEqual({ did: ['down'], toSystem: false });
    expect(keys.map((k) => press(k).did[0])).toContain('select');
    // No back here: holding a button is the system's (the voice app on HOME).
    expect(press(keys[0]!, 'LONG_PRESS')).toEqual({ did: [], toSystem: true });
  });
});

describe('listen', () => {
  it('ignores double clicks and leaves them to the system', () => {
    stop = session();
    expect(press('HOME', 'DOUBLE_CLICK')).toEqual({ did: [], toSystem: true });
  });

  it('registers the crown only for screens that use it, and removes all it registered', () => {
    stop = session();
    expect(registered.crown).toBeUndefined();
    stop();
    stop = summary();
    registered.crown!(KEY.HOME, -30);
    expect(did).toEqual(['crown -30']);
    stop();
    stop = () => undefined;
    expect(registered).toEqual({ key: undefined, gesture: undefined, crown: undefined });
  });
});
