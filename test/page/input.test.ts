import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Input } from '../../core/base/program';
import { INTERACTION_CODES } from '../support/interaction-codes';

// page/lib/input.ts against a recording @zos/interaction: what each button of each kind of watch does
// through the `keys` source, with the session's take (select, back, skip) and the rating's (its steps,
// and the `crown` source).
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

// The Time sensor the events are stamped with (page/lib/clock): a fixed moment.
vi.mock('@zos/sensor', () => ({
  Time: class {
    getTime = () => NOW;
  },
}));

const { crown, inputOf, keys } = await import('../../page/lib/input');

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

/** What the sources dispatched: each event's type (the one its input is taken as), each crown turn. */
let did: string[] = [];
let events: unknown[] = [];
let stop: () => void = () => undefined;
const NOW = 1_000;
const record = (e: { type: string; input: Input; now: number } | { type: 'crown'; degrees: number }) => {
  events.push(e);
  did.push('degrees' in e ? `crown ${e.degrees}` : e.type);
};
const keysOf = (take: { readonly [I in Input]?: string }) => keys({ type: 'keys', take }, record);
/** The session's keys (core/engine/session-flow): pause or resume, end (back, or a swipe right), skip. */
const session = () => keysOf({ select: 'toggle', back: 'askEnd', swipeRight: 'askEnd', swipeLeft: 'skip' });
/** The rating's (core/screens/summary): save, its steps, and the crown. */
const rating = () => {
  const offKeys = keysOf({ select: 'select', up: 'up', down: 'down' });
  const offCrown = crown({ type: 'crown' }, record);
  return () => (offKeys(), offCrown());
};

/** Presses a key; what the page was given, and whether the system may still act on it. */
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
      clicks.some((c) => c.did[0] === 'toggle'),
      `${count}: some click pauses`,
    ).toBe(true);
    expect(
      holds.every((h) => h.did[0] === 'askEnd' && !h.toSystem),
      `${count}: every hold asks to end`,
    ).toBe(true);
    // HOME and SHORTCUT would leave the app for the app list or a quick-start app: they are taken.
    for (const k of keys.filter((x) => x === 'HOME' || x === 'SHORTCUT'))
      expect(press(k), k).toEqual({ did: ['toggle'], toSystem: false });
    if (keys.includes('SELECT')) expect(press('SELECT')).toEqual({ did: ['toggle'], toSystem: false });
    if (keys.includes('BACK')) expect(press('BACK')).toEqual({ did: ['askEnd'], toSystem: false });
    // UP and DOWN mean nothing here: left to the system, which only scrolls.
    for (const k of keys.filter((x) => x === 'UP' || x === 'DOWN'))
      expect(press(k), k).toEqual({ did: [], toSystem: true });
  });

  it('swipes skip and end, whatever the buttons', () => {
    stop = session();
    did = [];
    expect(registered.gesture!(C.GESTURE_LEFT)).toBe(true);
    expect(registered.gesture!(C.GESTURE_RIGHT)).toBe(true);
    expect(did).toEqual(['skip', 'askEnd']);
  });

  it('on the rating: UP and DOWN step it where the watch has them, a click saves', () => {
    stop = rating();
    if (keys.includes('UP')) expect(press('UP')).toEqual({ did: ['up'], toSystem: false });
    if (keys.includes('DOWN')) expect(press('DOWN')).toEqual({ did: ['down'], toSystem: false });
    expect(keys.map((k) => press(k).did[0])).toContain('select');
    // No back here: holding a button is the system's (the voice app on HOME), and so are the swipes.
    expect(press(keys[0]!, 'LONG_PRESS')).toEqual({ did: [], toSystem: true });
    did = [];
    expect(registered.gesture!(C.GESTURE_LEFT)).toBe(false);
    expect(registered.gesture!(C.GESTURE_RIGHT)).toBe(false);
    expect(did).toEqual([]);
  });
});

describe('inputOf', () => {
  it('names each key event by what it means, or null', () => {
    const { CLICK, LONG_PRESS, DOUBLE_CLICK } = EVENT;
    expect(
      (['SELECT', 'HOME', 'SHORTCUT', 'BACK', 'UP', 'DOWN'] as const).map((k) => inputOf(KEY[k], CLICK)),
    ).toEqual(['select', 'select', 'select', 'back', 'up', 'down']);
    expect(inputOf(KEY.UP, LONG_PRESS)).toBe('back');
    expect(inputOf(KEY.HOME, DOUBLE_CLICK)).toBeNull();
    expect(inputOf(99, CLICK)).toBeNull();
    // A gesture comes alone (onGesture's one parameter): left and right are the swipes, any other none.
    expect([C.GESTURE_LEFT, C.GESTURE_RIGHT, 99].map((g) => inputOf(g))).toEqual([
      'swipeLeft',
      'swipeRight',
      null,
    ]);
  });
});

describe('the keys and crown sources', () => {
  it('dispatch each input taken as the event it names, with the input and the time', () => {
    stop = session();
    events = [];
    press('HOME', 'LONG_PRESS');
    registered.gesture!(C.GESTURE_LEFT);
    expect(events).toEqual([
      { type: 'askEnd', input: 'back', now: NOW },
      { type: 'skip', input: 'swipeLeft', now: NOW },
    ]);
  });

  it('ignore double clicks and leave them to the system', () => {
    stop = session();
    expect(press('HOME', 'DOUBLE_CLICK')).toEqual({ did: [], toSystem: true });
  });

  it('the crown is registered only by its own source, and each stop removes all it registered', () => {
    stop = session();
    expect(registered.crown).toBeUndefined();
    stop();
    expect(registered).toEqual({ key: undefined, gesture: undefined });
    stop = rating();
    registered.crown!(KEY.HOME, -30);
    expect(did).toEqual(['crown -30']);
    stop();
    stop = () => undefined;
    expect(registered).toEqual({ key: undefined, gesture: undefined, crown: undefined });
  });
});
