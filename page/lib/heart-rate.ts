import { queryPermission, requestPermission } from '@zos/app';
import { checkSensor, HeartRate } from '@zos/sensor';
import type { Source, SubOf } from '../../core/base/program';
import { nowMs } from './clock';
import { none } from './none';

/**
 * The heart-rate sensor for a session: continuous measurement while the session page is open (and in
 * the App Service near the end), each value handed on as the sensor gives it (core decides when to
 * measure, what is a reading and which ones the log keeps). Nothing is measured, and the session runs the same, when the
 * permission is not granted, the watch has no sensor, or the sensor throws: the log then says "not
 * measured".
 */
const PERMISSION = 'data:user.hd.heart_rate';
/** queryPermission's "authorised" (typings @zos/app queryPermission: 0 not, 1 unknown, 2 authorised). */
const GRANTED = 2;

const granted = (): boolean => queryPermission({ permissions: [PERMISSION] })[0] === GRANTED;

/** Whether this watch can measure for us now: the permission granted and the sensor there. */
export function heartRateAllowed(): boolean {
  try {
    return granted() && checkSensor(HeartRate);
  } catch {
    return false;
  }
}

/**
 * The `heartRate` subscription (core decides when: the session page throughout when allowed, the App
 * Service near the end): measures, each value dispatched as the sensor gives it; stopping it is safe
 * to do more than once. Where the sensor throws, nothing is measured and the session runs the same.
 */
export const heartRate: Source<SubOf<'heartRate'>, { type: 'heartRate'; now: number; bpm: unknown }> = (
  _sub,
  dispatch,
) => {
  try {
    const sensor = new HeartRate();
    // getCurrent is to be read inside this callback (its reference page).
    const changed = (): void => dispatch({ type: 'heartRate', now: nowMs(), bpm: sensor.getCurrent() });
    sensor.onCurrentChange(changed);
    return () => {
      try {
        sensor.offCurrentChange(changed);
      } catch {
        // Nothing left to stop.
      }
    };
  } catch {
    return none;
  }
};

/**
 * Before a session: if the permission was taken back, asks for it again. Where the firmware cannot ask
 * (its answer 1), or the user says no, the session runs without heart rate.
 */
export function askHeartRatePermission(): void {
  try {
    if (!granted()) requestPermission({ permissions: [PERMISSION], callback: none });
  } catch {
    // No way to ask on this watch: measured only if granted at install.
  }
}
