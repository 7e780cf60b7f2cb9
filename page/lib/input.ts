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

/**
 * The physical inputs a screen reacts to, named by what the patient does rather than by key codes.
 *
 * Which keys a watch sends depends on its buttons (docs/platform-facts.md U4): one button sends HOME,
 * two send HOME and SHORTCUT, four send UP, DOWN, SELECT and BACK; three and five are undocumented.
 * So every key means something sensible whatever the watch: a click of SELECT, HOME or SHORTCUT is
 * `select`, BACK or holding any button is `back`, UP and DOWN are `up` and `down`. On every watch the
 * touch screen and the swipes do the same as well.
 */
export interface Inputs {
  /** Click of the select button, or of the only (HOME) or either (HOME, SHORTCUT) button. */
  select?(): void;
  /** Back button, a long press of any button, or a swipe back. */
  back?(): void;
  swipeLeft?(): void;
  /** UP and DOWN clicks (four-button watches): one step up or down, where a screen has steps. */
  up?(): void;
  down?(): void;
  crown?(degrees: number): void;
}

const SELECT_KEYS = [KEY_SELECT, KEY_HOME, KEY_SHORTCUT];

/**
 * What a key event means on a screen with these inputs; null when the screen has no use for it (`||`:
 * a handler is a function or absent, and it is shorter than `??` lowered to ES2015).
 */
export function keyAction(inputs: Inputs, key: number, event: number): (() => void) | null {
  if (event === KEY_EVENT_CLICK) {
    if (SELECT_KEYS.includes(key)) return inputs.select || null;
    if (key === KEY_BACK) return inputs.back || null;
    if (key === KEY_UP) return inputs.up || null;
    if (key === KEY_DOWN) return inputs.down || null;
  }
  if (event === KEY_EVENT_LONG_PRESS) return inputs.back || null;
  return null;
}

/**
 * Registers the handlers (one of each kind is allowed per page) and returns the function that removes
 * them, for onDestroy. A handled event returns true so the system does not also act on it (leave the
 * page, or the app for the app list); an unhandled one is left to the system.
 */
export function listen(inputs: Inputs): () => void {
  onKey({
    callback: (key, event) => {
      const action = keyAction(inputs, key, event);
      if (!action) return false;
      action();
      return true;
    },
  });
  onGesture({
    callback: (gesture) => {
      if (gesture === GESTURE_LEFT && inputs.swipeLeft) {
        inputs.swipeLeft();
        return true;
      }
      if (gesture === GESTURE_RIGHT && inputs.back) {
        inputs.back();
        return true;
      }
      return false;
    },
  });
  if (inputs.crown) {
    const crown = inputs.crown;
    onDigitalCrown({ callback: (_key, degrees) => crown(degrees) });
  }
  return () => {
    offKey();
    offGesture();
    if (inputs.crown) offDigitalCrown();
  };
}
