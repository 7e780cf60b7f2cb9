import { cancel, getAllAlarms, REPEAT_ONCE, set } from '@zos/alarm';
import type { KeyValueStore } from '../../core/base/kv';
import { openOutbox, sessionsOn } from '../../core/watch/outbox';
import { decodeResponse, PROTOCOL_VERSION, type PrescriptionRecord } from '../../core/link/protocol';
import {
  LAST_RANG_KEY,
  plan,
  readRang,
  reminderOfLaunch,
  syncReminders,
  type AlarmPort,
  type ReminderSync,
} from '../../core/watch/reminders';
import { dayOf } from '../../core/log/session-log';
import {
  adoptPhoneRecord,
  editRequest,
  pendingEdit,
  settleWatchEdit,
  type EditOutcome,
} from '../../core/watch/edits';
import { loadPrescription, WATCH_QUARANTINE_KEY } from '../../core/watch/prescription';
import { send, type Requester } from './sync';

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
 * Re-plans the reminder alarms from the prescription the watch holds: on every app start (a reminder
 * launch included), on the home page, and after the prescription changed. Today's reminders are
 * dropped once today's target is met. Never throws: a reminder is never worth a crash.
 */
export function replanReminders(
  store: KeyValueStore,
  clock: { now(): number; utcOffsetMin(): number },
): ReminderSync | undefined {
  try {
    const now = clock.now();
    const offset = clock.utcOffsetMin();
    const { prescription } = loadPrescription(store, now);
    const today = dayOf(now, offset);
    const done = sessionsOn(openOutbox(store, { now }).outbox.recentDays(), today).counted;
    const wanted = plan(prescription.reminders, now, offset, {
      ...(done >= prescription.sessionsPerDay ? { skipDate: today } : {}),
      rang: readRang(store.get(LAST_RANG_KEY)),
    });
    return syncReminders(store, zosAlarms, wanted, now, WATCH_QUARANTINE_KEY);
  } catch {
    return undefined;
  }
}

/** Notes which reminder launched the app (app.js onCreate's param), so that occurrence is not re-armed. */
export function noteLaunch(store: KeyValueStore, param: unknown): void {
  const rang = reminderOfLaunch(param);
  try {
    if (rang) store.set(LAST_RANG_KEY, JSON.stringify(rang));
  } catch {
    // Worst case the reminder rings again after an offset change: not worth a failed start.
  }
}

/**
 * Talks prescription with the phone: sends a change made on the watch if one is pending, else (or when
 * the phone's record won) fetches the phone's. `changed` runs when the watch's copy changed.
 */
export function exchangePrescription(
  request: Requester,
  store: KeyValueStore,
  now: () => number,
  changed: (record: PrescriptionRecord) => void,
): Promise<EditOutcome | 'fetched' | 'unchanged'> {
  const fetch = (): Promise<'fetched' | 'unchanged'> =>
    send(request, { v: PROTOCOL_VERSION, type: 'prescription.get' }).then(
      (body) => {
        const answer = decodeResponse(body, 'prescription.get');
        if (!answer.ok) return 'unchanged';
        const record: PrescriptionRecord = answer.value;
        if (!adoptPhoneRecord(store, record, now())) return 'unchanged';
        changed(loadPrescription(store, now()));
        return 'fetched';
      },
      () => 'unchanged',
    );
  const edit = pendingEdit(store, now());
  if (!edit) return fetch();
  return send(request, editRequest(edit))
    .then(
      (body) => body,
      () => undefined,
    )
    .then((body) => {
      const outcome = settleWatchEdit(store, edit, body, now());
      if (outcome === 'saved') changed(loadPrescription(store, now()));
      if (outcome !== 'superseded') return outcome;
      return fetch().then(() => outcome);
    });
}
