import { describe, expect, it } from 'vitest';
import { openHistory } from '../../core/phone/history';
import { memoryStore, type KeyValueStore } from '../../core/base/kv';
import { readQuarantine } from '../../core/base/quarantine';
import { DEFAULT_PRESCRIPTION, type Prescription } from '../../core/plan/prescription';
import {
  prescriptionPush,
  PRESCRIPTION_PUSH_METHOD,
  readPrescriptionPush,
} from '../../core/link/prescription-push';
import { decodeResponse, PROTOCOL_VERSION, type PrescriptionRecord } from '../../core/link/protocol';
import { createSession, end, serialiseSession, start, wake } from '../../core/engine/session';
import { encodeStart, logOfSession, readRunning, RUNNING_KEYS } from '../../core/engine/session-record';
import { applyEdit, EMPTY_FORM } from '../../core/screens/settings';
import { handleRequest, isPrescriptionChange } from '../../core/phone/side-handler';
import {
  adoptPhoneRecord,
  editRequest,
  pendingEdit,
  PENDING_EDIT_KEY,
  saveWatchEdit,
  settleWatchEdit,
} from '../../core/watch/edits';
import { loadPrescription, PRESCRIPTION_KEY } from '../../core/watch/prescription';

const NOW = Date.UTC(2026, 10, 25, 14, 0);

/** The phone: settingsStorage with change notifications, as the Side Service sees it. */
function phone() {
  const store = memoryStore();
  const changes: string[] = [];
  const watched: KeyValueStore = {
    get: (k) => store.get(k),
    set: (k, v) => {
      store.set(k, v);
      changes.push(k);
    },
    remove: (k) => store.remove(k),
  };
  return { store: watched, changes };
}

/** The Settings App page editing one field, against the revision it shows. */
function settingsEdit(store: KeyValueStore, field: 'rounds' | 'reminder1', text: string): void {
  const history = openHistory(store, { now: NOW });
  const form = applyEdit(history, history.prescription().revision, EMPTY_FORM, field, text);
  store.set('settings.form', JSON.stringify(form));
}

/** A request through "zml": JSON out, JSON back, as the bytes would go. */
const ask = (store: KeyValueStore, message: object): unknown =>
  JSON.parse(JSON.stringify(handleRequest(store, JSON.parse(JSON.stringify(message)), NOW, '1.0.0')));

/** What the Side Service does on a settings change: push the prescription if that is what changed. */
function sideServicePushes(p: ReturnType<typeof phone>): unknown[] {
  return p.changes
    .filter(isPrescriptionChange)
    .map(() =>
      JSON.parse(JSON.stringify(prescriptionPush(openHistory(p.store, { now: NOW }).prescription()))),
    );
}

/** The home page's start: fetch the phone's prescription and keep it if newer. */
function watchFetches(watch: KeyValueStore, p: KeyValueStore): boolean {
  const answer = decodeResponse(
    ask(p, { v: PROTOCOL_VERSION, type: 'prescription.get' }),
    'prescription.get',
  );
  if (!answer.ok) throw new Error(answer.error.message);
  return adoptPhoneRecord(watch, answer.value as unknown as PrescriptionRecord, NOW);
}

describe('prescription: phone → Side Service → watch', () => {
  it('a change saved in the Settings App is pushed to an open watch app, which keeps it', () => {
    const p = phone();
    const watch = memoryStore();
    settingsEdit(p.store, 'rounds', '4');
    // The page's own state key changes too, but only the prescription key is pushed.
    expect(p.changes).toEqual(['history.prescription', 'settings.form']);
    const pushes = sideServicePushes(p);
    expect(pushes).toHaveLength(1);
    expect(pushes[0]).toMatchObject({ method: PRESCRIPTION_PUSH_METHOD, params: { revision: 1 } });
    const record = readPrescriptionPush(pushes[0]);
    expect(record).toEqual({ revision: 1, prescription: { ...DEFAULT_PRESCRIPTION, rounds: 4 } });
    expect(adoptPhoneRecord(watch, record!, NOW)).toBe(true);
    expect(loadPrescription(watch, NOW)).toEqual({
      revision: 1,
      prescription: { ...DEFAULT_PRESCRIPTION, rounds: 4 },
    });
  });

  it('a push that was lost is fetched at the next start', () => {
    const p = phone();
    const watch = memoryStore();
    settingsEdit(p.store, 'rounds', '5');
    settingsEdit(p.store, 'reminder1', '16:30');
    expect(watchFetches(watch, p.store)).toBe(true);
    expect(loadPrescription(watch, NOW)).toEqual({
      revision: 2,
      prescription: { ...DEFAULT_PRESCRIPTION, rounds: 5, reminders: ['16:30'] },
    });
    // Asking again changes nothing.
    expect(watchFetches(watch, p.store)).toBe(false);
  });

  it('an old push arriving late does not undo a newer record', () => {
    const p = phone();
    const watch = memoryStore();
    settingsEdit(p.store, 'rounds', '4');
    const first = sideServicePushes(p)[0];
    settingsEdit(p.store, 'rounds', '5');
    expect(watchFetches(watch, p.store)).toBe(true);
    expect(adoptPhoneRecord(watch, readPrescriptionPush(first)!, NOW)).toBe(false);
    expect(loadPrescription(watch, NOW).prescription.rounds).toBe(5);
  });

  it('ignores whatever else reaches onCall, and malformed pushes', () => {
    expect(readPrescriptionPush(null)).toBeNull();
    expect(readPrescriptionPush({ method: 'other', params: {} })).toBeNull();
    expect(
      readPrescriptionPush({
        method: PRESCRIPTION_PUSH_METHOD,
        params: { v: 1, type: 'prescription.get', revision: 1 },
      }),
    ).toBeNull();
    const bad = prescriptionPush({
      revision: 2,
      prescription: { ...DEFAULT_PRESCRIPTION, rounds: 40 } as Prescription,
    });
    expect(readPrescriptionPush(JSON.parse(JSON.stringify(bad)))).toBeNull();
    const hostile = {
      get method() {
        throw new Error('boom');
      },
    };
    expect(readPrescriptionPush(hostile)).toBeNull();
    expect(isPrescriptionChange('history.m.2026-11.0')).toBe(false);
  });

  it('a running session keeps the prescription it started with; the next session takes the new one', () => {
    const p = phone();
    const watch = memoryStore();
    // The session starts with the defaults (3 rounds) and is stored as the session page stores it.
    const session = createSession(loadPrescription(watch, NOW).prescription);
    if (!session.ok) throw new Error('no session');
    const started = start(session.value, NOW);
    if (!started.ok) throw new Error('no start');
    watch.set(
      RUNNING_KEYS.started,
      encodeStart({
        logId: '0mww6xfk0-qrq382sh1c',
        startedAt: NOW,
        utcOffsetMin: 60,
        prescription: DEFAULT_PRESCRIPTION,
      }),
    );
    watch.set(RUNNING_KEYS.current, serialiseSession(started.value.session));

    // Mid-session, the therapist sets 5 rounds on the phone, and the push reaches the watch.
    settingsEdit(p.store, 'rounds', '5');
    expect(adoptPhoneRecord(watch, readPrescriptionPush(sideServicePushes(p)[0])!, NOW + 60_000)).toBe(true);

    // The session in memory, and as a relaunch would restore it, still runs 3 rounds.
    const later = wake(started.value.session, NOW + 90_000);
    if (!later.ok) throw new Error('wake failed');
    expect(later.value.session.timeline.prescription.rounds).toBe(3);
    const running = readRunning(watch.get(RUNNING_KEYS.current), watch.get(RUNNING_KEYS.started));
    expect(running.type).toBe('resumable');
    if (running.type !== 'resumable') throw new Error('not resumable');
    expect(running.session.timeline.prescription.rounds).toBe(3);
    expect(running.session.timeline.rounds).toHaveLength(3);

    // Its log records the prescription it was done with.
    const ended = end(later.value.session, NOW + 120_000);
    if (!ended.ok) throw new Error('end failed');
    const log = logOfSession(ended.value.session, NOW + 120_000, {
      logId: '0mww6xfk0-qrq382sh1c',
      utcOffsetMin: 60,
      appVersion: '1.0.0',
    });
    expect(log.ok && log.value.prescription.rounds).toBe(3);

    // The next session is built from the new one.
    const next = createSession(loadPrescription(watch, NOW + 200_000).prescription);
    expect(next.ok && next.value.timeline.prescription.rounds).toBe(5);
  });
});

describe('prescription: a reminder change made on the watch → phone', () => {
  const withReminders = (r: string[]): Prescription => ({ ...DEFAULT_PRESCRIPTION, reminders: r });

  it('applies at once on the watch, reaches the phone, and shows in the Settings App', () => {
    const p = phone();
    const watch = memoryStore();
    const local = saveWatchEdit(watch, withReminders(['16:00', '19:30']), NOW);
    expect(local).toEqual({ revision: 0, prescription: withReminders(['16:00', '19:30']) });
    expect(loadPrescription(watch, NOW).prescription.reminders).toEqual(['16:00', '19:30']);
    const edit = pendingEdit(watch, NOW)!;
    const answer = ask(p.store, editRequest(edit));
    expect(settleWatchEdit(watch, edit, answer, NOW)).toBe('saved');
    expect(pendingEdit(watch, NOW)).toBeNull();
    expect(loadPrescription(watch, NOW)).toEqual({
      revision: 1,
      prescription: withReminders(['16:00', '19:30']),
    });
    expect(openHistory(p.store, { now: NOW }).prescription()).toEqual(loadPrescription(watch, NOW));
    // The Side Service would push it back: the watch already has it.
    expect(adoptPhoneRecord(watch, readPrescriptionPush(sideServicePushes(p)[0])!, NOW)).toBe(false);
  });

  it('the phone away: the change stays in force and pending, and a fetch does not undo it', () => {
    const p = phone();
    const watch = memoryStore();
    const edit = (saveWatchEdit(watch, withReminders(['17:00']), NOW), pendingEdit(watch, NOW)!);
    expect(settleWatchEdit(watch, edit, undefined, NOW)).toBe('retry');
    expect(
      settleWatchEdit(
        watch,
        edit,
        { v: 1, type: 'error', code: 'storage', message: 'x', supported: [1] },
        NOW,
      ),
    ).toBe('retry');
    expect(pendingEdit(watch, NOW)).toEqual(edit);
    expect(watchFetches(watch, p.store)).toBe(false);
    expect(loadPrescription(watch, NOW).prescription.reminders).toEqual(['17:00']);
    // Back in range: sent again, taken.
    expect(settleWatchEdit(watch, edit, ask(p.store, editRequest(edit)), NOW)).toBe('saved');
    expect(openHistory(p.store, { now: NOW }).prescription().prescription.reminders).toEqual(['17:00']);
  });

  it("a conflict: the phone's newer record wins and the watch's change is dropped", () => {
    const p = phone();
    const watch = memoryStore();
    saveWatchEdit(watch, withReminders(['08:00']), NOW);
    settingsEdit(p.store, 'rounds', '6'); // the therapist, meanwhile, at revision 1
    const edit = pendingEdit(watch, NOW)!;
    const answer = ask(p.store, editRequest(edit));
    expect(answer).toMatchObject({ type: 'error', code: 'conflict' });
    expect(settleWatchEdit(watch, edit, answer, NOW)).toBe('superseded');
    expect(pendingEdit(watch, NOW)).toBeNull();
    expect(watchFetches(watch, p.store)).toBe(true);
    expect(loadPrescription(watch, NOW)).toEqual({
      revision: 1,
      prescription: { ...DEFAULT_PRESCRIPTION, rounds: 6 },
    });
  });

  it('a second change made while the first was in flight stays pending, on top of the new revision', () => {
    const p = phone();
    const watch = memoryStore();
    saveWatchEdit(watch, withReminders(['10:00']), NOW);
    const first = pendingEdit(watch, NOW)!;
    const answer = ask(p.store, editRequest(first));
    saveWatchEdit(watch, withReminders(['11:00']), NOW);
    expect(settleWatchEdit(watch, first, answer, NOW)).toBe('saved');
    const second = pendingEdit(watch, NOW)!;
    expect(second).toEqual({ baseRevision: 1, prescription: withReminders(['11:00']) });
    expect(loadPrescription(watch, NOW)).toEqual({ revision: 1, prescription: withReminders(['11:00']) });
    expect(settleWatchEdit(watch, second, ask(p.store, editRequest(second)), NOW)).toBe('saved');
    expect(loadPrescription(watch, NOW)).toEqual({ revision: 2, prescription: withReminders(['11:00']) });
  });

  it('a corrupt pending change is quarantined, not sent', () => {
    const watch = memoryStore();
    watch.set(PENDING_EDIT_KEY, '{"baseRevision":"x"}');
    expect(pendingEdit(watch, NOW)).toBeNull();
    expect(watch.get(PENDING_EDIT_KEY)).toBeUndefined();
    expect(readQuarantine(watch, 'quarantine').items.map((i) => i.key)).toContain(PENDING_EDIT_KEY);
    expect(watch.get(PRESCRIPTION_KEY)).toBeUndefined();
  });
});
