import {
  GESTURE_LEFT,
  GESTURE_RIGHT,
  KEY_BACK,
  KEY_DOWN,
  KEY_EVENT_CLICK,
  KEY_EVENT_LONG_PRESS,
  KEY_HOME,
  KEY_SELECT,
  KEY_SHORTCUT,
  KEY_UP,
  offDigitalCrown,
  offGesture,
  offKey,
  onDigitalCrown,
  onGesture,
  onKey,
} from '@zos/interaction';
import type { Input, Keys, Source, SubOf } from '../../core/base/program';
import { nowMs } from './clock';

/**
 * The physical inputs, as core/base/program's subscriptions `keys` and `crown`: named by what the
 * patient does rather than by key codes, so the programs say which they take and what each means.
 *
 * Which keys a watch sends depends on its buttons (docs/platform-facts.md U4): one button sends HOME,
 * two send HOME and SHORTCUT, four send UP, DOWN, SELECT and BACK; three and five are undocumented.
 * So every key means something sensible whatever the watch: a click of SELECT, HOME or SHORTCUT is
 * `select`, BACK or holding any button is `back`, UP and DOWN are `up` and `down`; the swipes are
 * `swipeLeft` and `swipeRight` (the session takes a swipe right as back).
 */
const SELECT_KEYS = [KEY_SELECT, KEY_HOME, KEY_SHORTCUT];

/**
 * What an event of `onKey` (a key and its event) or of `onGesture` (a gesture alone, its one documented
 * parameter) means, or null: none of ours (a double click, a swipe up or down).
 */
export function inputOf(code: number, event?: number): Input | null {
  if (event === undefined)
    return code === GESTURE_LEFT ? 'swipeLeft' : code === GESTURE_RIGHT ? 'swipeRight' : null;
  if (event === KEY_EVENT_LONG_PRESS) return 'back';
  if (event !== KEY_EVENT_CLICK) return null;
  return SELECT_KEYS.includes(code)
    ? 'select'
    : code === KEY_BACK
      ? 'back'
      : code === KEY_UP
        ? 'up'
        : code === KEY_DOWN
          ? 'down'
          : null;
}

/**
 * The `keys` subscription: the key and gesture handlers (one of each is allowed per page), one
 * callback for both. An input the subscription takes is dispatched as the event it names, stamped
 * with the Time sensor's clock, and returns true, so the system does not also act on it (leave the
 * page, or the app for the app list); any other is left to the system.
 */
export const keys = <T extends string>(
  { take }: Keys<T>,
  dispatch: (event: { type: NoInfer<T>; input: Input; now: number }) => void,
): (() => void) => {
  const taken = (code: number, event?: number): boolean => {
    const input = inputOf(code, event);
    const type = input && take[input];
    if (!type) return false;
    dispatch({ type, input: input!, now: nowMs() });
    return true;
  };
  onKey({ callback: taken });
  onGesture({ callback: taken });
  return () => {
    offKey();
    offGesture();
  };
};

/** The `crown` subscription: each turn, in degrees. */
export const crown: Source<SubOf<'crown'>, { type: 'crown'; degrees: number }> = (_sub, dispatch) => {
  onDigitalCrown({ callback: (_key, degrees) => dispatch({ type: 'crown', degrees }) });
  return offDigitalCrown;
};
