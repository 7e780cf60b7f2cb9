import type { Screen } from '../../core/screens/layout';

/**
 * Every target screen of the app: the distinct screens of the watches with API_LEVEL ≥ 3.0, copied by
 * hand from the official device list (zeppos-docs docs/reference/related-resources/device-list.mdx at
 * commit c08725b: "Screen resolution" and, for square screens, "Screen radius size"). A test checks
 * that scripts/devices.json gives the same screens.
 */
export const TARGET_SCREENS: readonly Screen[] = [
  { width: 480, height: 480, round: true, cornerRadius: 0 },
  { width: 466, height: 466, round: true, cornerRadius: 0 },
  { width: 454, height: 454, round: true, cornerRadius: 0 },
  { width: 416, height: 416, round: true, cornerRadius: 0 },
  { width: 360, height: 360, round: true, cornerRadius: 0 },
  { width: 432, height: 514, round: false, cornerRadius: 106 },
  { width: 390, height: 450, round: false, cornerRadius: 86 },
  { width: 320, height: 380, round: false, cornerRadius: 69 },
];
