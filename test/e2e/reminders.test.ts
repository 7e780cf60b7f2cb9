import { afterEach, describe, expect, it } from 'vitest';
import { openHistory } from '../../core/phone/history';
import type { KeyValueStore } from '../../core/base/kv';
import { applyEdit, EMPTY_FORM, encodeForm, SETTINGS_FORM_KEY } from '../../core/screens/settings';
import { bootWatch, type Watch } from '../runtime';
import { ROUTES, settleHome } from '../runtime/flows';

// The BUILT app in the runtime double: the Settings App's edit → Side Service → watch, and the
// reminder alarms the watch arms with @zos/alarm. Madrid in November: UTC+1; boot at 10:00 local.
const START = Date.UTC(2026, 10, 25, 9, 0);
const OFFSET = 60;
const HOME = ROUTES.home;
const REMINDERS = 'page/reminders/index.page';

let w: Watch | undefined;
afterEach(() => {
  w?.dispose();
  w = undefined;
});

const local = (ms: number): string =>
  new Date(ms + OFFSET * 60_000).toISOString().slice(0, 16).replace('T', ' ');

/** The phone's settingsStorage as core's store: a write here is one the Settings App makes. */
function settingsApp(watch: Watch): KeyValueStore {
  const s = watch.phone.storage;
  return { get: (k) => s.getItem(k), set: (k, v) => s.setItem(k, v), remove: (k) => s.removeItem(k) };
}

function watchRecord(watch: Watch): {
  revision: number;
  prescription: { reminders: string[]; rounds: number };
} {
  const raw = watch.storage().prescription;
  return (typeof raw === 'string' ? JSON.parse(raw) : raw) as never;
}

const TARGETS = ['Amazfit Balance', 'Amazfit Balance 3', 'Amazfit Bip 5 Unity'];

describe.each(TARGETS)('reminders on %s', (device) => {
  it('arms the default 15:00 reminder for the next days, persistent, opening the home page', async () => {
    w = await bootWatch({ device, start: START, utcOffsetMinutes: OFFSET });
    settleHome(w);
    const alarms = w.alarms();
    expect(alarms.map((a) => local(a.at))).toEqual([
      '2026-11-25 15:00',
      '2026-11-26 15:00',
      '2026-11-27 15:00',
    ]);
    for (const a of alarms) {
      expect(a).toMatchObject({ url: HOME, store: true, repeatType: 0 });
      expect(JSON.parse(a.param!)).toMatchObject({ reminder: '15:00' });
    }
    expect(w.screen().texts).toContain('Remind 15:00');
    expect(w.failures()).toEqual([]);
  });

  it('a prescription saved in the Settings App is pushed to the page that reaches the phone, kept, and re-plans the alarms', async () => {
    w = await bootWatch({ device, start: START, utcOffsetMinutes: OFFSET });
    settleHome(w);
    w.tap('Start').advance(500); // the question before the session reaches the phone
    expect(w.page).toBe(ROUTES.before);
    const phone = settingsApp(w);
    const history = openHistory(phone, { now: w.now() });
    const form = applyEdit(history, 0, EMPTY_FORM, 'reminder1', '16:30');
    phone.set(SETTINGS_FORM_KEY, encodeForm(form));
    expect(form.notice).toBe('saved');
    w.advance(500);
    const pushes = w.phone
      .traffic()
      .filter((t) => (t.body as { method?: string } | undefined)?.method === 'prescription.changed');
    expect(pushes.map((p) => p.dir)).toEqual(['phone→watch']);
    expect(watchRecord(w)).toMatchObject({ revision: 1, prescription: { reminders: ['16:30'] } });
    expect(w.alarms().map((a) => local(a.at))).toEqual([
      '2026-11-25 16:30',
      '2026-11-26 16:30',
      '2026-11-27 16:30',
    ]);
    w.swipe('RIGHT');
    expect(w.page).toBe(HOME);
    expect(w.screen().texts).toContain('Remind 16:30');
    expect(w.failures()).toEqual([]);
  });

  it('home talks to nobody: a prescription saved while it is open reaches the watch at the next Start, and the session uses it', async () => {
    w = await bootWatch({ device, start: START, utcOffsetMinutes: OFFSET });
    settleHome(w);
    applyEdit(openHistory(settingsApp(w), { now: w.now() }), 0, EMPTY_FORM, 'rounds', '4');
    w.advance(5_000);
    // No page listens for the phone's push: home keeps showing what the watch holds.
    expect(watchRecord(w)?.revision ?? 0).toBe(0);
    expect(w.screen().texts).toContain('3 rounds · about 4 min');
    w.tap('Start').advance(500); // the question page fetches the phone's record
    expect(watchRecord(w)).toMatchObject({ revision: 1, prescription: { rounds: 4 } });
    w.tap('Skip');
    expect(w.page).toBe(ROUTES.session);
    w.advance(12_000); // past the 10 s to get ready
    expect(w.screen().texts).toContain('Round 1 of 4');
    expect(w.failures()).toEqual([]);
  });

  it('a change made while the app was closed is fetched at the next Start', async () => {
    w = await bootWatch({ device, start: START, utcOffsetMinutes: OFFSET });
    settleHome(w);
    w.exit();
    const phone = settingsApp(w);
    applyEdit(openHistory(phone, { now: w.now() }), 0, EMPTY_FORM, 'rounds', '4');
    w.advance(60_000);
    expect(watchRecord(w)?.revision ?? 0).toBe(0);
    w.wake();
    w.launch();
    settleHome(w);
    expect(watchRecord(w)?.revision ?? 0).toBe(0);
    w.tap('Start').advance(500);
    expect(watchRecord(w)).toMatchObject({ revision: 1, prescription: { rounds: 4 } });
    w.swipe('RIGHT');
    expect(w.page).toBe(HOME);
    expect(w.screen().texts).toContain('4 rounds · about 5 min');
  });

  it('the reminder launches the app on its home page, which plans the next days again', async () => {
    w = await bootWatch({ device, start: START, utcOffsetMinutes: OFFSET });
    settleHome(w);
    const first = w.alarms()[0]!;
    w.exit();
    w.advanceTo(first.at + 1000);
    expect(w.running).toBe(true);
    expect(w.page).toBe(HOME);
    settleHome(w);
    expect(w.alarms().map((a) => local(a.at))).toEqual([
      '2026-11-26 15:00',
      '2026-11-27 15:00',
      '2026-11-28 15:00',
    ]);
    expect(JSON.parse(w.storage()['reminders.rang'] as string)).toEqual({
      time: '15:00',
      date: '2026-11-25',
    });
    expect(w.failures()).toEqual([]);
  });

  it('when the watch refuses alarms (set returns 0), the app keeps what it got and arms the rest at a later start', async () => {
    // alarm/set: "0 is an invalid ID, which means the timer creation failed". Here the watch holds one.
    w = await bootWatch({ device, start: START, utcOffsetMinutes: OFFSET, alarmCapacity: 1 });
    settleHome(w);
    expect(w.alarms().map((a) => local(a.at))).toEqual(['2026-11-25 15:00']);
    expect(w.failures()).toEqual([]);
    w.exit();
    w.advanceTo(w.alarms()[0]!.at + 1000);
    settleHome(w);
    // The rung one is gone, so the next start arms the earliest still missing.
    expect(w.alarms().map((a) => local(a.at))).toEqual(['2026-11-26 15:00']);
    expect(w.failures()).toEqual([]);
  });

  it('the reminders page turns on the second reminder, applies it at once and sends it to the phone', async () => {
    w = await bootWatch({ device, start: START, utcOffsetMinutes: OFFSET });
    settleHome(w);
    w.tap('Remind 15:00');
    expect(w.page).toBe(REMINDERS);
    expect(w.screen().offscreen).toEqual([]);
    w.tap('Off');
    w.tap('Save');
    w.advance(500);
    expect(w.screen().texts).toContain('Saved');
    expect(watchRecord(w)).toMatchObject({ revision: 1, prescription: { reminders: ['15:00', '18:00'] } });
    expect(openHistory(settingsApp(w), { now: w.now() }).prescription()).toMatchObject({
      revision: 1,
      prescription: { reminders: ['15:00', '18:00'] },
    });
    expect(w.alarms()).toHaveLength(6);
    expect(w.failures()).toEqual([]);
  });

  it('with the phone away, the change is kept on the watch and reaches the phone at the next Start', async () => {
    w = await bootWatch({ device, start: START, utcOffsetMinutes: OFFSET });
    settleHome(w);
    w.tap('Remind 15:00');
    w.phone.away();
    w.tap('Off');
    w.tap('Save');
    w.advance(5_000);
    expect(w.screen().texts).toContain('Saved; phone later');
    expect(w.alarms()).toHaveLength(6);
    expect(openHistory(settingsApp(w), { now: w.now() }).prescription().revision).toBe(0);
    w.phone.back();
    w.exit();
    w.wake();
    w.launch();
    settleHome(w, 1000);
    expect(openHistory(settingsApp(w), { now: w.now() }).prescription().revision).toBe(0);
    w.tap('Start').advance(1000); // the question page sends the change
    expect(openHistory(settingsApp(w), { now: w.now() }).prescription()).toMatchObject({
      revision: 1,
      prescription: { reminders: ['15:00', '18:00'] },
    });
    expect(watchRecord(w).revision).toBe(1);
    expect(w.failures()).toEqual([]);
  });
});
