import { describe, expect, it } from 'vitest';
import { catalogTranslator, LANGS, readCatalogs } from '../../support/catalog';
import { TARGET_SCREENS } from '../../support/screens';
import { fits } from '../../../core/screens/fit';
import { homeView, type HomeModel } from '../../../core/screens/home';
import type { Translate } from '../../../core/base/i18n';
import { memoryStore, type KeyValueStore } from '../../../core/base/kv';
import { readQuarantine } from '../../../core/base/quarantine';
import { insideScreen, layoutFor } from '../../../core/screens/layout';
import { DEFAULT_PRESCRIPTION } from '../../../core/plan/prescription';
import {
  alarmParam,
  ALARMS_KEY,
  LAST_RANG_KEY,
  plan,
  PLAN_DAYS,
  readAlarms,
  readRang,
  reconcile,
  REMINDER_URL,
  reminderOfLaunch,
  syncReminders,
  type AlarmPort,
  type StoredAlarm,
} from '../../../core/watch/reminders';
import {
  remindersModel,
  remindersOf,
  remindersView,
  shiftTime,
  updateReminders,
  type RemindersModel,
} from '../../../core/screens/reminders';
import { dayOf } from '../../../core/log/session-log';
import type { View, Widget } from '../../../core/screens/widgets';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const Q = 'quarantine';

/** Local wall time "YYYY-MM-DD HH:MM" of a UTC instant at an offset. */
const wall = (ms: number, offset: number): string =>
  new Date(ms + offset * MIN).toISOString().slice(0, 16).replace('T', ' ');
/** The UTC instant of a local wall time at an offset. */
const utc = (local: string, offset: number): number =>
  Date.parse(`${local.replace(' ', 'T')}:00Z`) - offset * MIN;

describe('plan: one-shot alarms for the next days at local wall time', () => {
  it('arms the next PLAN_DAYS occurrences of each reminder, soonest first', () => {
    const now = utc('2026-11-25 10:00', 60);
    const p = plan(['15:00'], now, 60);
    expect(p).toHaveLength(PLAN_DAYS);
    expect(p.map((a) => wall(a.at * 1000, 60))).toEqual([
      '2026-11-25 15:00',
      '2026-11-26 15:00',
      '2026-11-27 15:00',
    ]);
    expect(p[0]).toEqual({
      at: utc('2026-11-25 15:00', 60) / 1000,
      time: '15:00',
      date: '2026-11-25',
      utcOffsetMin: 60,
    });
    const two = plan(['18:30', '09:00'], now, 60);
    expect(two.map((a) => `${a.date} ${a.time}`)).toEqual([
      '2026-11-25 18:30',
      '2026-11-26 09:00',
      '2026-11-26 18:30',
      '2026-11-27 09:00',
      '2026-11-27 18:30',
      '2026-11-28 09:00',
    ]);
  });

  it('starts tomorrow once today’s time has passed, or is less than a minute away', () => {
    expect(plan(['15:00'], utc('2026-11-25 15:00', 60), 60)[0]!.date).toBe('2026-11-26');
    expect(plan(['15:00'], utc('2026-11-25 14:59', 60) + 30_000, 60)[0]!.date).toBe('2026-11-26');
    expect(plan(['15:00'], utc('2026-11-25 14:58', 60), 60)[0]!.date).toBe('2026-11-25');
  });

  it('drops a day whose target is met, and the occurrence that just rang, still arming PLAN_DAYS', () => {
    const now = utc('2026-11-25 10:00', 60);
    const skipped = plan(['15:00'], now, 60, { skipDate: '2026-11-25' });
    expect(skipped.map((a) => a.date)).toEqual(['2026-11-26', '2026-11-27', '2026-11-28']);
    const rang = plan(['15:00', '18:00'], now, 60, { rang: { time: '15:00', date: '2026-11-25' } });
    expect(rang.filter((a) => a.time === '15:00').map((a) => a.date)).toEqual([
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
    ]);
    expect(rang.filter((a) => a.time === '18:00')[0]!.date).toBe('2026-11-25');
  });

  it('uses the offset it is given, east or west, across midnight UTC', () => {
    const tokyo = plan(['07:30'], utc('2026-11-25 06:00', 540), 540);
    expect(new Date(tokyo[0]!.at * 1000).toISOString()).toBe('2026-11-24T22:30:00.000Z');
    const hawaii = plan(['21:00'], utc('2026-11-25 06:00', -600), -600);
    expect(new Date(hawaii[0]!.at * 1000).toISOString()).toBe('2026-11-26T07:00:00.000Z');
    const nepal = plan(['15:00'], utc('2026-11-25 06:00', 345), 345);
    expect(wall(nepal[0]!.at * 1000, 345)).toBe('2026-11-25 15:00');
  });

  it('ignores what is not a reminder time, and nothing throws', () => {
    expect(plan([], Date.UTC(2026, 0, 1), 0)).toEqual([]);
    expect(plan(['24:00', 'x', '15:00', '15:00'], Date.UTC(2026, 0, 1), 0)).toHaveLength(PLAN_DAYS);
  });

  it('names the reminder in the alarm param, and reads it back from the launch', () => {
    const a = plan(['15:00'], utc('2026-11-25 10:00', 60), 60)[0]!;
    expect(reminderOfLaunch(alarmParam(a))).toEqual({ time: '15:00', date: '2026-11-25' });
    for (const other of [undefined, '', '{', '{"reminder":"25:00","date":"2026-11-25"}', 42, '{"date":"x"}'])
      expect(reminderOfLaunch(other)).toBeNull();
    expect(readRang(JSON.stringify({ time: '15:00', date: '2026-11-25' }))).toEqual({
      time: '15:00',
      date: '2026-11-25',
    });
    expect(readRang('garbage')).toBeNull();
  });
});

describe('reconcile', () => {
  const stored = (id: number, at: number, time = '15:00'): StoredAlarm => ({
    id,
    at,
    time,
    date: 'd',
    utcOffsetMin: 0,
  });
  const wanted = (at: number, time = '15:00') => ({ at, time, date: 'd', utcOffsetMin: 0 });

  it('keeps what is still wanted, cancels the rest, sets what is missing', () => {
    const r = reconcile(
      [stored(1, 100), stored(2, 200), stored(3, 300)],
      [wanted(200), wanted(300), wanted(400)],
    );
    expect(r.keep.map((a) => a.id)).toEqual([2, 3]);
    expect(r.cancel).toEqual([1]);
    expect(r.set).toEqual([wanted(400)]);
  });

  it('forgets alarms the system no longer has (rang or lost) without cancelling them', () => {
    const r = reconcile([stored(1, 100), stored(2, 200)], [wanted(200), wanted(300)], [2, 99]);
    expect(r).toEqual({ cancel: [], keep: [stored(2, 200)], set: [wanted(300)] });
  });

  it('cancels duplicates and a reminder moved to another time', () => {
    const r = reconcile([stored(1, 100), stored(2, 100), stored(3, 100, '16:00')], [wanted(100)]);
    expect(r.keep.map((a) => a.id)).toEqual([1]);
    expect(r.cancel.sort()).toEqual([2, 3]);
  });
});

/**
 * An `@zos/alarm` double with a clock: one-shot alarms ring when the clock passes them and are then
 * gone from getAllAlarms; `store: true` alarms survive a reboot; ids are never reused.
 */
class AlarmDouble implements AlarmPort {
  alarms = new Map<number, { at: number; url: string; param: string; store: boolean }>();
  private next = 1;
  calls: string[] = [];
  refuse = false;
  set(o: { url: string; time: number; param: string; store: true }): number {
    this.calls.push(`set ${o.time}`);
    if (this.refuse) return 0;
    const id = this.next++;
    this.alarms.set(id, { at: o.time * 1000, url: o.url, param: o.param, store: o.store });
    return id;
  }
  cancel(id: number): void {
    this.calls.push(`cancel ${id}`);
    this.alarms.delete(id);
  }
  list(): number[] {
    return [...this.alarms.keys()];
  }
  /** Alarms due by `until`, in time order, each removed as it rings. */
  ringUntil(until: number): { id: number; at: number; param: string; url: string }[] {
    const due = [...this.alarms.entries()]
      .filter(([, a]) => a.at <= until)
      .sort((a, b) => a[1].at - b[1].at)
      .map(([id, a]) => ({ id, ...a }));
    for (const d of due) this.alarms.delete(d.id);
    return due;
  }
  reboot(): void {
    for (const [id, a] of this.alarms) if (!a.store) this.alarms.delete(id);
  }
}

/** What the shell does on every app start: note the launching reminder, re-plan, sync. */
function appStart(
  store: KeyValueStore,
  alarms: AlarmDouble,
  now: number,
  offset: number,
  reminders: readonly string[] = ['15:00'],
  param?: string,
) {
  const rang = reminderOfLaunch(param);
  if (rang) store.set(LAST_RANG_KEY, JSON.stringify(rang));
  const wanted = plan(reminders, now, offset, { rang: readRang(store.get(LAST_RANG_KEY)) });
  return syncReminders(store, alarms, wanted, now, Q);
}

describe('syncReminders against an @zos/alarm double', () => {
  const now = utc('2026-11-25 10:00', 60);

  it('arms persistent alarms that open the home page, and records their ids', () => {
    const store = memoryStore();
    const alarms = new AlarmDouble();
    expect(appStart(store, alarms, now, 60)).toEqual({ set: 3, cancelled: 0, kept: 0, failed: 0 });
    expect([...alarms.alarms.values()].every((a) => a.store && a.url === REMINDER_URL)).toBe(true);
    expect(readAlarms(store, now, Q).map((a) => a.id)).toEqual([1, 2, 3]);
    // A second start changes nothing.
    alarms.calls = [];
    expect(appStart(store, alarms, now + MIN, 60)).toEqual({ set: 0, cancelled: 0, kept: 3, failed: 0 });
    expect(alarms.calls).toEqual([]);
  });

  it('moves the alarms when the reminder changes, and cancels all of ours when reminders are off', () => {
    const store = memoryStore();
    const alarms = new AlarmDouble();
    appStart(store, alarms, now, 60);
    expect(appStart(store, alarms, now, 60, ['16:30', '09:00'])).toMatchObject({ set: 6, cancelled: 3 });
    expect(new Set([...alarms.alarms.values()].map((a) => wall(a.at, 60).slice(11)))).toEqual(
      new Set(['16:30', '09:00']),
    );
    expect(appStart(store, alarms, now, 60, [])).toMatchObject({ set: 0, cancelled: 6 });
    expect(alarms.alarms.size).toBe(0);
    expect(readAlarms(store, now, Q)).toEqual([]);
  });

  it('cancels only our reminder alarms, never another alarm of the app', () => {
    const store = memoryStore();
    const alarms = new AlarmDouble();
    const foreign = alarms.set({
      url: 'page/summary/index.page',
      time: now / 1000 + 3600,
      param: 'x',
      store: true,
    });
    appStart(store, alarms, now, 60);
    appStart(store, alarms, now, 60, []);
    expect(alarms.list()).toEqual([foreign]);
  });

  it('a refused alarm (id 0) is counted as failed and tried again at the next start', () => {
    const store = memoryStore();
    const alarms = new AlarmDouble();
    alarms.refuse = true;
    expect(appStart(store, alarms, now, 60)).toMatchObject({ set: 0, failed: 3 });
    expect(readAlarms(store, now, Q)).toEqual([]);
    alarms.refuse = false;
    expect(appStart(store, alarms, now, 60)).toMatchObject({ set: 3, failed: 0 });
  });

  it('survives a throwing platform and a corrupt record without throwing', () => {
    const store = memoryStore({ [ALARMS_KEY]: '{broken' });
    const throwing: AlarmPort = {
      set: () => {
        throw new Error('no permission');
      },
      cancel: () => {
        throw new Error('x');
      },
      list: () => {
        throw new Error('x');
      },
    };
    expect(syncReminders(store, throwing, plan(['15:00'], now, 60), now, Q)).toMatchObject({
      set: 0,
      failed: 3,
    });
    expect(readQuarantine(store, Q).items.map((i) => i.key)).toContain(ALARMS_KEY);
  });

  it('a crash between arming and recording leaves at most one unknown alarm, and a complete plan after restart', () => {
    for (let crashAt = 1; crashAt <= 3; crashAt++) {
      const inner = memoryStore();
      const alarms = new AlarmDouble();
      let writes = 0;
      const crashing: KeyValueStore = {
        get: (k) => inner.get(k),
        remove: (k) => inner.remove(k),
        set: (k, v) => {
          if (k === ALARMS_KEY && ++writes === crashAt) throw new Error('power lost');
          inner.set(k, v);
        },
      };
      try {
        syncReminders(crashing, alarms, plan(['15:00'], now, 60), now, Q);
      } catch {
        // syncReminders never throws; a crash is the store failing mid-way
      }
      appStart(inner, alarms, now, 60);
      const known = new Set(readAlarms(inner, now, Q).map((a) => a.id));
      expect(known.size).toBe(3);
      expect(alarms.list().filter((id) => !known.has(id)).length).toBeLessThanOrEqual(1);
    }
  });

  it('store: true alarms survive a reboot and keep the chain going with no app start', () => {
    const store = memoryStore();
    const alarms = new AlarmDouble();
    appStart(store, alarms, now, 60);
    alarms.reboot();
    expect(alarms.alarms.size).toBe(3);
  });
});

/**
 * A month of a patient who never opens the app: each reminder that rings launches it, and the launch
 * re-plans. The watch's offset changes at `change` (daylight saving or a flight).
 */
function simulate(opts: {
  start: string;
  startOffset: number;
  change: number;
  newOffset: number;
  days: number;
  reminders?: string[];
}): { rang: string[]; offAt: string[] } {
  const reminders = opts.reminders ?? ['15:00'];
  const store = memoryStore();
  const alarms = new AlarmDouble();
  const offsetAt = (t: number) => (t < opts.change ? opts.startOffset : opts.newOffset);
  let now = utc(opts.start, opts.startOffset);
  appStart(store, alarms, now, offsetAt(now), reminders);
  const end = now + opts.days * DAY;
  const rang: string[] = [];
  const offAt: string[] = [];
  while (now < end) {
    const next = Math.min(...[...alarms.alarms.values()].map((a) => a.at), end);
    now = next;
    for (const a of alarms.ringUntil(now)) {
      const local = wall(a.at, offsetAt(a.at));
      rang.push(local);
      if (!reminders.includes(local.slice(11))) offAt.push(local);
      appStart(store, alarms, a.at + 2000, offsetAt(a.at), reminders, a.param);
    }
    if (alarms.alarms.size === 0) break;
  }
  return { rang, offAt };
}

const daysOf = (rang: string[]) => new Set(rang.map((r) => r.slice(0, 10)));

describe('reminders across daylight saving and time-zone changes (nobody opens the app)', () => {
  it('with no change, every day at 15:00 for a month', () => {
    const { rang, offAt } = simulate({
      start: '2026-11-01 09:00',
      startOffset: 60,
      change: Infinity,
      newOffset: 60,
      days: 30,
    });
    expect(rang).toHaveLength(30);
    expect(offAt).toEqual([]);
  });

  it('EU spring forward (29 Mar 2026, +1 → +2): one reminder an hour late, then 15:00 again, no day missed', () => {
    const { rang, offAt } = simulate({
      start: '2026-03-20 09:00',
      startOffset: 60,
      change: Date.UTC(2026, 2, 29, 1),
      newOffset: 120,
      days: 20,
    });
    expect(offAt).toEqual(['2026-03-29 16:00']);
    expect(daysOf(rang).size).toBe(20);
    expect(rang.filter((r) => r > '2026-03-29 16:00').every((r) => r.endsWith('15:00'))).toBe(true);
  });

  it('EU fall back (25 Oct 2026, +2 → +1): one reminder an hour early, not repeated at 15:00 that day', () => {
    const { rang, offAt } = simulate({
      start: '2026-10-20 09:00',
      startOffset: 120,
      change: Date.UTC(2026, 9, 25, 1),
      newOffset: 60,
      days: 12,
    });
    expect(offAt).toEqual(['2026-10-25 14:00']);
    expect(rang.filter((r) => r.startsWith('2026-10-25'))).toEqual(['2026-10-25 14:00']);
    expect(daysOf(rang).size).toBe(12);
  });

  it('US spring forward (8 Mar 2026, −5 → −4) with two reminders: only the first to ring is off', () => {
    const { rang, offAt } = simulate({
      start: '2026-03-05 07:00',
      startOffset: -300,
      change: Date.UTC(2026, 2, 8, 7),
      newOffset: -240,
      days: 8,
      reminders: ['09:00', '17:30'],
    });
    expect(offAt).toEqual(['2026-03-08 10:00']);
    expect(rang.filter((r) => r.startsWith('2026-03-08'))).toEqual(['2026-03-08 10:00', '2026-03-08 17:30']);
  });

  it('a flight west (Madrid → New York, +1 → −5): one reminder at the old zone’s time, then local 15:00', () => {
    const { rang, offAt } = simulate({
      start: '2026-11-20 09:00',
      startOffset: 60,
      change: Date.UTC(2026, 10, 23, 20),
      newOffset: -300,
      days: 8,
    });
    // 15:00 Madrid is 09:00 in New York: it rings there once, and is not rung again that day.
    expect(offAt).toEqual(['2026-11-24 09:00']);
    expect(rang.filter((r) => r > '2026-11-24 09:00').every((r) => r.endsWith('15:00'))).toBe(true);
  });

  it('a flight east (New York → Tokyo, −5 → +9): the reminder rings in the night once, then at 15:00', () => {
    const { rang, offAt } = simulate({
      start: '2026-11-20 09:00',
      startOffset: -300,
      change: Date.UTC(2026, 10, 22, 12),
      newOffset: 540,
      days: 8,
    });
    expect(offAt).toEqual(['2026-11-23 05:00']);
    expect(rang.filter((r) => r > '2026-11-23 05:00').every((r) => r.endsWith('15:00'))).toBe(true);
  });

  it('opening the app after the change and before the reminder fixes it: none is off', () => {
    const store = memoryStore();
    const alarms = new AlarmDouble();
    appStart(store, alarms, utc('2026-03-27 09:00', 60), 60);
    const after = utc('2026-03-29 10:00', 120);
    expect(alarms.ringUntil(after - 1).map((a) => wall(a.at, 60))).toEqual([
      '2026-03-27 15:00',
      '2026-03-28 15:00',
    ]);
    appStart(store, alarms, after, 120);
    expect(alarms.ringUntil(after + 3 * DAY).map((a) => wall(a.at, 120))).toEqual([
      '2026-03-29 15:00',
      '2026-03-30 15:00',
      '2026-03-31 15:00',
    ]);
  });

  it('the chain survives a reboot: persistent alarms ring and re-plan', () => {
    const store = memoryStore();
    const alarms = new AlarmDouble();
    let now = utc('2026-11-25 09:00', 60);
    appStart(store, alarms, now, 60);
    const rang: string[] = [];
    for (let day = 0; day < 10; day++) {
      alarms.reboot();
      now += DAY;
      for (const a of alarms.ringUntil(now)) {
        rang.push(wall(a.at, 60));
        appStart(store, alarms, a.at + 1000, 60, ['15:00'], a.param);
      }
    }
    expect(rang).toHaveLength(10);
    expect(dayOf(now, 60)).toBe('2026-12-05');
  });
});

// ---- the watch's reminders screen, on every target screen ----------------------------------------

const catalogs = readCatalogs('page');
const recording = (asked: Set<string>): Translate => catalogTranslator(catalogs['en-US'], asked);

const SCREENS = TARGET_SCREENS;

const models: RemindersModel[] = [
  remindersModel(DEFAULT_PRESCRIPTION),
  remindersModel({ ...DEFAULT_PRESCRIPTION, reminders: ['09:00', '17:45'] }, 'saved'),
  ...(['duplicate', 'sending', 'pending', 'superseded'] as const).map((s) =>
    remindersModel(DEFAULT_PRESCRIPTION, s),
  ),
];
const home: HomeModel = {
  plan: { rounds: 3, totalMs: 240_000 },
  today: { done: 0, target: 1 },
  unsent: 2,
  outboxFull: false,
  streak: 12,
  reminders: ['09:00', '17:45'],
};
const boxOf = (w: Widget) => (w.type === 'text' || w.type === 'button' ? w.box : null);
const overlap = (a: { x: number; y: number; w: number; h: number }, b: typeof a) =>
  !(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y);

describe.each(SCREENS)('reminders screen on %o', (screen) => {
  const asked = new Set<string>();
  const layout = layoutFor(screen);
  const views: [string, View][] = [
    ...models.map((m, i) => [`reminders ${i}`, remindersView(m, layout, recording(asked))] as [string, View]),
    ['home with reminders', homeView(home, layout, recording(asked))],
  ];

  it('keeps every text and button inside the visible area, apart from each other, ≥ 20 px, unique ids', () => {
    for (const [name, view] of views) {
      expect(new Set(view.map((w) => w.id)).size, name).toBe(view.length);
      const boxes = view.map((w) => [w, boxOf(w)] as const).filter(([, b]) => b !== null);
      for (const [w, box] of boxes) {
        expect(insideScreen(screen, box!), `${name}: ${w.id} ${JSON.stringify(box)}`).toBe(true);
        if (w.type === 'text' || w.type === 'button') expect(w.size).toBeGreaterThanOrEqual(20);
      }
      const buttons = boxes.filter(([w]) => w.type === 'button');
      for (const [i, [a, ba]] of buttons.entries())
        for (const [b, bb] of buttons.slice(i + 1))
          expect(overlap(ba!, bb!), `${name}: ${a.id} / ${b.id}`).toBe(false);
    }
  });

  it.each(LANGS)('every key it asks for is translated in %s, and fits its box', (lang) => {
    for (const key of asked) expect(catalogs[lang].get(key), `${lang} lacks ${key}`).toBeTruthy();
    const t = catalogTranslator(catalogs[lang]);
    const overflowing: string[] = [];
    for (const m of models)
      for (const w of remindersView(m, layout, t))
        if ((w.type === 'text' || w.type === 'button') && !fits(w)) overflowing.push(`${w.id} "${w.text}"`);
    const chip = homeView(home, layout, t).find((w) => w.id === 'reminders');
    if (chip && chip.type === 'button' && !fits(chip)) overflowing.push(`home chip "${chip.text}"`);
    expect(overflowing).toEqual([]);
  });
});

describe('reminders screen: taps', () => {
  const start = remindersModel(DEFAULT_PRESCRIPTION);

  it('shows the prescription: the 15:00 reminder on, the second off', () => {
    expect(start.slots).toEqual([
      { on: true, time: '15:00' },
      { on: false, time: '18:00' },
    ]);
    expect(remindersOf(start)).toEqual(['15:00']);
  });

  it('toggles and shifts in 15-minute steps, round the clock', () => {
    let m = updateReminders(start, { type: 'later', slot: 1 }).model;
    expect(m.slots[1]).toEqual({ on: true, time: '18:15' });
    m = updateReminders(m, { type: 'toggle', slot: 0 }).model;
    expect(remindersOf(m)).toEqual(['18:15']);
    expect(shiftTime('00:00', -15)).toBe('23:45');
    expect(shiftTime('23:50', 15)).toBe('00:05');
  });

  it('saves the times switched on, sorted; refuses the same time twice', () => {
    const both = updateReminders(updateReminders(start, { type: 'toggle', slot: 1 }).model, {
      type: 'earlier',
      slot: 1,
    }).model;
    expect(updateReminders(both, { type: 'save' })).toEqual({
      model: { ...both, status: 'sending' },
      effects: [{ type: 'save', reminders: ['15:00', '17:45'] }],
    });
    const same = { ...both, slots: [both.slots[0], { on: true, time: '15:00' }] as const };
    expect(updateReminders(same, { type: 'save' })).toEqual({
      model: { ...same, status: 'duplicate' },
      effects: [],
    });
    const sending = updateReminders(both, { type: 'save' }).model;
    expect(updateReminders(sending, { type: 'save' }).effects).toEqual([]);
  });

  it('shows what the phone said, with the prescription now in force', () => {
    const sent = updateReminders(start, {
      type: 'sent',
      outcome: 'superseded',
      prescription: { ...DEFAULT_PRESCRIPTION, reminders: ['10:00'] },
    }).model;
    expect(sent).toEqual({
      slots: [
        { on: true, time: '10:00' },
        { on: false, time: '18:00' },
      ],
      status: 'superseded',
    });
  });

  it('each button carries its event, for its slot', () => {
    const view = remindersView(remindersModel(DEFAULT_PRESCRIPTION), layoutFor(TARGET_SCREENS[0]!), (k) => k);
    expect(view.flatMap((w) => (w.type === 'button' ? [[w.id, w.msg]] : []))).toEqual([
      ['earlier-0', { type: 'earlier', slot: 0 }],
      ['toggle-0', { type: 'toggle', slot: 0 }],
      ['later-0', { type: 'later', slot: 0 }],
      ['earlier-1', { type: 'earlier', slot: 1 }],
      ['toggle-1', { type: 'toggle', slot: 1 }],
      ['later-1', { type: 'later', slot: 1 }],
      ['save', { type: 'save' }],
    ]);
  });
});
