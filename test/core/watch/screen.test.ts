import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../../core/base/kv';
import {
  decodeUserBrightness,
  moveBrightness,
  screenModeOf,
  SCREEN_KEYS,
  sessionBrightness,
  setScreenMode,
  type BrightnessControl,
} from '../../../core/watch/screen';
import type { SessionFlow } from '../../../core/engine/session-flow';

/** The system setting as display/setBrightness describes it: with auto on, setBrightness does nothing. */
function system(
  level: number,
  auto: boolean,
): BrightnessControl & { calls: string[]; state(): [number, boolean] } {
  const calls: string[] = [];
  return {
    calls,
    state: () => [level, auto],
    level: () => level,
    auto: () => auto,
    set: (l) => {
      calls.push(`set ${l}`);
      if (!auto) level = l;
    },
    setAuto: (a) => {
      calls.push(`auto ${String(a)}`);
      auto = a;
    },
  };
}

describe('moveBrightness', () => {
  it('keeps the patient level before lowering, gives it back and forgets it', () => {
    const store = memoryStore();
    const s = system(70, false);
    expect(moveBrightness(store, s, 'dim', 0).ok).toBe(true);
    expect(s.state()).toEqual([10, false]);
    expect(store.get(SCREEN_KEYS.userBrightness)).toBe('{"level":70,"auto":false}');
    // Lowering again (a relaunch that resumes) must not take the low level for the patient's own.
    moveBrightness(store, s, 'dim', 0);
    expect(store.get(SCREEN_KEYS.userBrightness)).toBe('{"level":70,"auto":false}');
    moveBrightness(store, s, 'user', 0);
    expect(s.state()).toEqual([70, false]);
    expect(store.get(SCREEN_KEYS.userBrightness)).toBeUndefined();
  });

  it('turns auto brightness off before lowering (else the level is ignored) and back on after', () => {
    const store = memoryStore();
    const s = system(55, true);
    moveBrightness(store, s, 'dim', 0);
    expect(s.calls).toEqual(['auto false', 'set 10']);
    expect(s.state()).toEqual([10, false]);
    moveBrightness(store, s, 'user', 0);
    expect(s.state()).toEqual([55, true]);
  });

  it('does nothing on "user" when nothing was lowered', () => {
    const s = system(40, false);
    expect(moveBrightness(memoryStore(), s, 'user', 0).ok).toBe(true);
    expect(s.calls).toEqual([]);
  });

  it('quarantines an unreadable record and gives back the safe setting, auto brightness on', () => {
    const store = memoryStore({ [SCREEN_KEYS.userBrightness]: 'oops' });
    const s = system(10, false);
    const r = moveBrightness(store, s, 'user', 5);
    expect(r).toEqual({ ok: false, error: 'screen.userBrightness: not JSON (oops)' });
    expect(s.calls).toEqual(['auto true']);
    expect(store.get(SCREEN_KEYS.userBrightness)).toBeUndefined();
    expect(JSON.stringify(store.dump())).toContain('oops');
  });
});

describe('decodeUserBrightness', () => {
  it.each([
    ['{"level":101,"auto":false}', 'level 101 is not a whole number 0–100'],
    ['{"level":2.5,"auto":false}', 'level 2.5 is not a whole number 0–100'],
    ['{"level":5}', 'auto must be true or false'],
    ['null', 'not an object'],
  ])('refuses %s', (text, reason) => {
    expect(decodeUserBrightness(text)).toEqual({ ok: false, error: `screen.userBrightness: ${reason}` });
  });
  it('reads 0 and 100', () => {
    expect(decodeUserBrightness('{"level":0,"auto":true}')).toEqual({
      ok: true,
      value: { level: 0, auto: true },
    });
    expect(decodeUserBrightness('{"level":100,"auto":false}').ok).toBe(true);
  });
});

describe('screen mode and the session brightness', () => {
  const flow = (status: string, confirmingEnd = false): SessionFlow =>
    ({ session: { status }, confirmingEnd }) as unknown as SessionFlow;

  it('defaults to dark; anything unreadable counts as dark', () => {
    const store = memoryStore();
    expect(screenModeOf(store)).toBe('dark');
    store.set(SCREEN_KEYS.mode, 'purple');
    expect(screenModeOf(store)).toBe('dark');
    setScreenMode(store, 'on');
    expect(screenModeOf(store)).toBe('on');
  });

  it('is low only while a session runs with no question on screen, in dark mode', () => {
    expect(sessionBrightness(flow('running'), 'dim')).toBe('dim');
    expect(sessionBrightness(flow('running', true), 'dim')).toBe('user');
    expect(sessionBrightness(flow('paused'), 'dim')).toBe('user');
    expect(sessionBrightness(flow('finished'), 'dim')).toBe('user');
    expect(sessionBrightness(null, 'dim')).toBe('user');
    expect(sessionBrightness(flow('running'), 'on')).toBe('user');
    // The service's path, where the page plays it after all (refused): dimmed; the proven dark path: untouched.
    expect(sessionBrightness(flow('running'), 'service')).toBe('dim');
    expect(sessionBrightness(flow('running'), 'dark')).toBe('user');
  });
});
