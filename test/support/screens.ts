import type { Screen } from '../../core/screens/layout';

/** Every target screen of the app (scripts/devices.json, API ≥ 3.0). */
export const TARGET_SCREENS: readonly Screen[] = [
  { width: 480, height: 480, round: true },
  { width: 466, height: 466, round: true },
  { width: 454, height: 454, round: true },
  { width: 416, height: 416, round: true },
  { width: 360, height: 360, round: true },
  { width: 390, height: 450, round: false },
  { width: 320, height: 380, round: false },
];
