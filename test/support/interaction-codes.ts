/**
 * Numbers for `@zos/interaction`'s key, event and gesture constants in the page tests' mocks. The
 * values are arbitrary (the platform's are not published); the code under test reads them by name.
 */
export const INTERACTION_CODES = {
  KEY_BACK: 8,
  KEY_SELECT: 13,
  KEY_HOME: 36,
  KEY_UP: 38,
  KEY_DOWN: 40,
  KEY_SHORTCUT: 48,
  KEY_EVENT_CLICK: 1,
  KEY_EVENT_LONG_PRESS: 2,
  KEY_EVENT_DOUBLE_CLICK: 3,
  GESTURE_LEFT: 3,
  GESTURE_RIGHT: 4,
} as const;
