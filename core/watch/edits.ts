import type { KeyValueStore } from '../base/kv';
import {
  parsePrescription,
  samePrescription,
  updatePrescription,
  type Prescription,
} from '../plan/prescription';
import {
  decodeAnswer,
  PROTOCOL_VERSION,
  readRecord,
  type PrescriptionRecord,
  type Request,
} from '../link/protocol';
import { moveToQuarantine } from '../base/quarantine';
import { loadPrescription, PRESCRIPTION_KEY, savePrescription, WATCH_QUARANTINE_KEY } from './prescription';
import { none } from '../base/none';

/**
 * A prescription change made on the watch (its reminder times), until the phone has taken it.
 *
 * The watch uses the change at once (its copy keeps the phone's revision it was based on) and keeps
 * it as pending; `prescription.set` with that base revision sends it. The phone answers with the next
 * revision, which the watch then keeps. If the phone's record moved on meanwhile (edited in the Settings
 * App), the phone answers `conflict` and the phone's record wins: the watch drops its change and fetches.
 */
export const PENDING_EDIT_KEY = 'prescription.pending';

export interface PendingEdit {
  readonly baseRevision: number;
  readonly prescription: Prescription;
}

/** Applies a change on the watch now and remembers it for the phone. Returns the record now in force. */
export function saveWatchEdit(
  store: KeyValueStore,
  prescription: Prescription,
  now: number,
): PrescriptionRecord {
  const { revision } = loadPrescription(store, now);
  const pending: PendingEdit = { baseRevision: revision, prescription };
  // Pending first: a crash between the two writes leaves a change that is sent, and then kept.
  store.set(PENDING_EDIT_KEY, JSON.stringify(pending));
  store.set(PRESCRIPTION_KEY, JSON.stringify({ revision, prescription }));
  return { revision, prescription };
}

/**
 * A change the patient made on the watch (vibration strength, reminder times), applied to the watch's
 * copy at once and kept for the phone. Returns the record now in force, or null when the change is not
 * a valid prescription (it is then not applied).
 */
export function changeOnWatch(
  store: KeyValueStore,
  change: Partial<Pick<Prescription, 'strength' | 'reminders'>>,
  now: number,
): PrescriptionRecord | null {
  const next = updatePrescription(loadPrescription(store, now).prescription, change);
  return next.ok ? saveWatchEdit(store, next.value, now) : null;
}

export function pendingEdit(store: KeyValueStore, now: number): PendingEdit | null {
  const raw = store.get(PENDING_EDIT_KEY);
  if (raw === undefined) return null;
  try {
    const v = JSON.parse(raw) as { baseRevision?: unknown; prescription?: unknown };
    const p = parsePrescription(v.prescription);
    if (p.ok && Number.isSafeInteger(v.baseRevision) && (v.baseRevision as number) >= 0) {
      return { baseRevision: v.baseRevision as number, prescription: p.value };
    }
  } catch {
    // quarantined below
  }
  moveToQuarantine(store, WATCH_QUARANTINE_KEY, {
    key: PENDING_EDIT_KEY,
    raw,
    reason: 'pending prescription change unreadable',
    at: now,
  });
  return null;
}

export function editRequest(edit: PendingEdit): Extract<Request, { type: 'prescription.set' }> {
  return {
    v: PROTOCOL_VERSION,
    type: 'prescription.set',
    prescription: edit.prescription,
    baseRevision: edit.baseRevision,
  };
}

export type EditOutcome =
  /** The phone took it: the watch now holds the phone's new revision. */
  | 'saved'
  /** The phone's record is newer (or refused ours): ours is dropped; fetch the phone's. */
  | 'superseded'
  /** No usable answer (away, timeout, phone storage): the change stays pending and is sent again. */
  | 'retry';

/** Settles the pending change `sent` with the phone's answer (or a transport failure: `undefined`). */
export function settleWatchEdit(
  store: KeyValueStore,
  sent: PendingEdit,
  answer: unknown,
  now: number,
): EditOutcome {
  const stillPending = (): boolean => {
    const p = pendingEdit(store, now);
    return p !== null && JSON.stringify(p) === JSON.stringify(sent);
  };
  if (answer === undefined) return 'retry';
  const decoded = decodeAnswer(answer, 'prescription.set', readRecord);
  if (decoded.ok) {
    const record: PrescriptionRecord = decoded.value;
    // A newer change made while this one was in flight stays pending, on top of the phone's revision.
    if (stillPending()) {
      store.remove(PENDING_EDIT_KEY);
      savePrescription(store, record, now);
    } else {
      const later = pendingEdit(store, now);
      if (later) {
        store.set(PENDING_EDIT_KEY, JSON.stringify({ ...later, baseRevision: record.revision }));
        store.set(
          PRESCRIPTION_KEY,
          JSON.stringify({ revision: record.revision, prescription: later.prescription }),
        );
      }
    }
    return 'saved';
  }
  if (decoded.error.code === 'conflict' || decoded.error.code === 'invalid') {
    if (stillPending()) store.remove(PENDING_EDIT_KEY);
    return 'superseded';
  }
  return 'retry';
}

/**
 * Keeps a record the phone sent (a prescription.get answer or a push), unless a change made on the
 * watch is still pending: that one is sent first and the phone decides. For the same revision the
 * phone's content wins (it is the source of record); an older revision is ignored. Returns whether the
 * watch's copy changed.
 */
export function adoptPhoneRecord(store: KeyValueStore, record: PrescriptionRecord, now: number): boolean {
  if (pendingEdit(store, now) !== null) return false;
  const current = loadPrescription(store, now);
  if (record.revision === current.revision && current.revision !== 0) {
    const checked = parsePrescription(record.prescription);
    if (!checked.ok || samePrescription(checked.value, current.prescription)) return false;
    store.set(PRESCRIPTION_KEY, JSON.stringify({ revision: record.revision, prescription: checked.value }));
    return true;
  }
  return savePrescription(store, record, now);
}

export type ExchangeOutcome = EditOutcome | 'fetched' | 'unchanged';

/**
 * Talks prescription with the phone: sends a change made on the watch if one is pending, else (or when
 * the phone's record won) fetches the phone's. `changed` runs when the watch's copy changed. `send`
 * is the transport (zml's request on a page); a failure to reach the phone is never an error here.
 */
export function exchangePrescription(
  send: (message: Request) => Promise<unknown>,
  store: KeyValueStore,
  now: () => number,
  changed: (record: PrescriptionRecord) => void,
): Promise<ExchangeOutcome> {
  const fetch = (): Promise<'fetched' | 'unchanged'> =>
    send({ v: PROTOCOL_VERSION, type: 'prescription.get' }).then(
      (body) => {
        const answer = decodeAnswer(body, 'prescription.get', readRecord);
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
  return (
    send(editRequest(edit))
      // A failure to reach the phone is no answer (undefined), as the edit then settles.
      .then(undefined, none)
      .then((body) => {
        const outcome = settleWatchEdit(store, edit, body, now());
        if (outcome === 'saved') changed(loadPrescription(store, now()));
        if (outcome !== 'superseded') return outcome;
        return fetch().then(() => outcome);
      })
  );
}
