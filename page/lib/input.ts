import {
  GESTURE_LEFT,
  GESTURE_RIGHT,
  KEY_BACK,
  KEY_EVENT_CLICK,
  KEY_EVENT_LONG_PRESS,
  KEY_HOME,
  KEY_SELECT,
  KEY_SHORTCUT,
  offDigitalCrown,
  offGesture,
  offKey,
  onDigitalCrown,
  onGesture,
  onKey,
} from '@zos/interaction';

/** The physical inputs a screen reacts to, named by what the patient does rather than by key codes. */
export interface Inputs {
  /** Click of the select (or only) button. */
  select?(): void;
  /** Back button, long press of the select button, or a swipe back. */
  back?(): void;
  swipeLeft?(): void;
  crown?(degrees: number): void;
}

/**
 * Registers the handlers (one of each kind is allowed per page) and returns the function that removes
 * them, for onDestroy. A handled event returns true so the system does not also leave the page.
 */
export function listen(inputs: Inputs): () => void {
  onKey({
    callback: (key, event) => {
      if (
        (key === KEY_SELECT || key === KEY_HOME || key === KEY_SHORTCUT) &&
        event === KEY_EVENT_CLICK &&
        inputs.select
      ) {
        inputs.select();
        return true;
      }
      if (
        inputs.back &&
        ((key === KEY_BACK && event === KEY_EVENT_CLICK) || event === KEY_EVENT_LONG_PRESS)
      ) {
        inputs.back();
        return true;
      }
      return false;
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
