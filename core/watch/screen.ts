import type { KeyValueStore } from '../base/kv';
import { moveToQuarantine } from '../base/quarantine';
import { err, ok, type Result } from '../base/result';
import type { SessionFlow } from '../engine/session-flow';
import type { SessionPath } from './session-path';
import { WATCH_QUARANTINE_KEY } from './prescription';

/**
 * The screen during a session. "dark" (the default): the patient lies with eyes closed or on the
 * ceiling, so the screen is of no use most of the time; where the session runs in the page the screen
 * stays on but low, and where it runs in the App Service the screen may go off. "on": the screen stays
 * on at the patient's own brightness, as before.
 */
export type ScreenMode = 'dark' | 'on';

export const SCREEN_KEYS = {
  /** The patient's choice (ScreenMode as plain text). */
  mode: 'screen.mode',
  /**
   * The patient's own brightness, kept while the session page has lowered it, so that any later launch
   * (after a crash too) can give it back. Present only while it is lowered.
   */
  userBrightness: 'screen.userBrightness',
} as const;

/** Low enough to save the battery and not light the room, still readable when the patient looks. */
export const DIM_BRIGHTNESS = 10;

export function screenModeOf(store: KeyValueStore): ScreenMode {
  return store.get(SCREEN_KEYS.mode) === 'on' ? 'on' : 'dark';
}

export function setScreenMode(store: KeyValueStore, mode: ScreenMode): void {
  store.set(SCREEN_KEYS.mode, mode);
}

export interface UserBrightness {
  /** 0–100, display/getBrightness. */
  readonly level: number;
  /** Auto brightness was on: setBrightness takes no effect until it is turned off (display/setBrightness). */
  readonly auto: boolean;
}

export function encodeUserBrightness(b: UserBrightness): string {
  return JSON.stringify({ level: b.level, auto: b.auto });
}

export function decodeUserBrightness(text: string): Result<UserBrightness, string> {
  const refuse = (why: string): Result<UserBrightness, string> =>
    err(`${SCREEN_KEYS.userBrightness}: ${why}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return refuse(`not JSON (${text.slice(0, 40)})`);
  }
  const o = raw as { level?: unknown; auto?: unknown } | null;
  if (typeof o !== 'object' || o === null) return refuse('not an object');
  const { level, auto } = o;
  if (typeof level !== 'number' || !Number.isInteger(level) || level < 0 || level > 100)
    return refuse(`level ${String(level)} is not a whole number 0–100`);
  if (typeof auto !== 'boolean') return refuse('auto must be true or false');
  return ok({ level, auto });
}

/** What the screen's brightness should be now: the patient's own, or lowered. */
export type Brightness = 'user' | 'dim';

/**
 * The session page's brightness on the paths that keep the screen on and dimmed (core/watch/session-path:
 * `dim`, and `service` when the page plays it after all): lowered while the session runs; the patient's
 * own while it is paused (a tap pauses, so a tap brings the screen up), while the end-early question is
 * asked, and once it is over. On the `on` path (the patient's choice) and the `dark` one (the screen goes
 * off) it is never touched.
 */
export function sessionBrightness(flow: SessionFlow | null, path: SessionPath): Brightness {
  if ((path !== 'dim' && path !== 'service') || flow === null) return 'user';
  return flow.session.status === 'running' && !flow.confirmingEnd ? 'dim' : 'user';
}

/**
 * The platform side of the brightness: the system setting, read and written as display/getBrightness,
 * setBrightness, getAutoBrightness and setAutoBrightness do.
 */
export interface BrightnessControl {
  level(): number;
  auto(): boolean;
  set(level: number): void;
  setAuto(auto: boolean): void;
}

/**
 * Moves the screen to `want`. The patient's own setting is changed only after a valid record of it is
 * kept: what the platform reports is checked first (a whole number 0–100, and auto true or false), and a
 * value outside that, a kept record that does not read, or no room to keep one leaves the screen as it
 * is (the error says why). On `user` the record is given back first and forgotten after, so a kill at
 * any point leaves it for the next launch to give back again. A record that does not read gives back
 * the safe setting, auto brightness on, and goes to the quarantine whole (with a full quarantine it
 * stays where it is, and the next launch does the same). Storage never throws out of it.
 */
export function moveBrightness(
  store: KeyValueStore,
  control: BrightnessControl,
  want: Brightness,
  now: number,
): Result<void, string> {
  const KEY = SCREEN_KEYS.userBrightness;
  try {
    const kept = store.get(KEY);
    if (want === 'dim') {
      // What the platform reports is held to what a record holds before anything is changed.
      const text = kept ?? encodeUserBrightness({ level: control.level(), auto: control.auto() });
      const record = decodeUserBrightness(text);
      if (!record.ok) return record;
      if (kept === undefined) store.set(KEY, text);
      // Auto brightness would override the lowered level.
      if (control.auto()) control.setAuto(false);
      control.set(DIM_BRIGHTNESS);
      return ok(undefined);
    }
    if (kept === undefined) return ok(undefined);
    const user = decodeUserBrightness(kept);
    if (!user.ok) {
      control.setAuto(true);
      moveToQuarantine(store, WATCH_QUARANTINE_KEY, { key: KEY, raw: kept, reason: user.error, at: now });
      return user;
    }
    control.set(user.value.level);
    if (user.value.auto) control.setAuto(true);
    store.remove(KEY);
    return ok(undefined);
  } catch (e) {
    // Storage (or the display) failed: nothing after it was done, and a record kept is given back at
    // the next launch.
    return err(`${KEY}: ${String(e)}; nothing more was changed`);
  }
}
