import { cancel, getAllAlarms, REPEAT_ONCE, set } from '@zos/alarm';
import type { KeyValueStore } from '../../core/base/kv';
import { noteLaunchIn, replan, type AlarmPort, type ReminderSync } from '../../core/watch/reminders';

/** `@zos/alarm` as core's AlarmPort: one-shot, persistent (`store: true` survives a reboot). */
const zosAlarms: AlarmPort = {
  set: (option) => set({ ...option, repeat_type: REPEAT_ONCE }),
  cancel: (id) => void cancel(id),
  list: () => {
    const ids = getAllAlarms() as unknown;
    return Array.isArray(ids) ? (ids as number[]) : undefined;
  },
};

/**
 * Re-plans the reminder alarms from the prescription the watch holds (core/watch/reminders `replan`):
 * on the home page, and after the prescription changed. Never throws: a reminder is never worth a crash.
 */
export function replanReminders(
  store: KeyValueStore,
  clock: { now(): number; utcOffsetMin(): number },
): ReminderSync | undefined {
  try {
    return replan(store, zosAlarms, clock.now(), clock.utcOffsetMin());
  } catch {
    return undefined;
  }
}

/** Notes which reminder launched the app (app.js onCreate's param), so that occurrence is not re-armed. */
export function noteLaunch(store: KeyValueStore, param: unknown): void {
  try {
    noteLaunchIn(store, param);
  } catch {
    // Worst case the reminder rings again after an offset change: not worth a failed start.
  }
}
