import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../../core/base/kv';
import {
  homeModel,
  homeProgram,
  homeView,
  readHome,
  updateHome,
  type HomeInputs,
} from '../../../core/screens/home';
import { layoutFor } from '../../../core/screens/layout';
import { TARGET_SCREENS } from '../../support/screens';
import type { OutboxPeek } from '../../../core/watch/outbox-peek';
import { DEFAULT_PRESCRIPTION } from '../../../core/plan/prescription';
import { PHONE_DAY_KEY } from '../../../core/watch/phone-day';

const NOW = Date.UTC(2026, 10, 25, 16, 0); // 17:00 in UTC+1: the watch's day is 2026-11-25
const OFFSET = 60;

const day = (date: string, counted: number) => ({ date, sessions: counted, counted });
const outbox = (over: Partial<OutboxPeek> = {}): OutboxPeek => ({
  queue: { pending: 0, level: 'ok' },
  recentDays: [],
  ...over,
});
const inputs = (over: Partial<HomeInputs> = {}): HomeInputs => ({
  prescription: { ...DEFAULT_PRESCRIPTION, sessionsPerDay: 2 },
  outbox: outbox(),
  phone: null,
  now: NOW,
  utcOffsetMin: OFFSET,
  ...over,
});

describe('home model', () => {
  it('plans from the prescription and targets its sessions a day', () => {
    const m = homeModel(inputs());
    // README's table: 10 s to get ready, then 3 rounds of 69 s (8 + 3 × 6 + 6 + 3 × 10 + 4 + 3).
    expect(m.plan).toEqual({ rounds: 3, totalMs: 217_000 });
    expect(m.today).toEqual({ done: 0, target: 2 });
    // The seed's upper counts: 10 + 4 × (8 + 4 × 6 + 6 + 4 × 10 + 4 + 3) = 350 s.
    const upper = { ...DEFAULT_PRESCRIPTION, rounds: 4, sweeps: 4, holdBreaths: 4 };
    expect(homeModel(inputs({ prescription: upper })).plan).toEqual({ rounds: 4, totalMs: 350_000 });
  });

  it('counts today from the watch while the phone has said nothing, and takes the larger count when both know', () => {
    expect(homeModel(inputs({ outbox: outbox({ recentDays: [day('2026-11-25', 1)] }) })).today.done).toBe(1);
    const both = inputs({
      outbox: outbox({ recentDays: [day('2026-11-25', 1)] }),
      phone: { date: '2026-11-25', today: 2, streak: 1 },
    });
    expect(homeModel(both).today.done).toBe(2);
  });

  it('takes nothing from what the phone said of a day before yesterday', () => {
    const stale = inputs({ phone: { date: '2026-11-23', today: 3, streak: 9 } });
    expect(homeModel(stale).today.done).toBe(0);
    expect(homeModel(stale).streak).toBe(0);
  });

  it('keeps a streak from the watch’s own recent days, ending today or yesterday, or the phone’s if longer', () => {
    const days = [day('2026-11-24', 2), day('2026-11-23', 1), day('2026-11-22', 1)];
    expect(homeModel(inputs({ outbox: outbox({ recentDays: days }) })).streak).toBe(3);
    expect(homeModel(inputs({ outbox: outbox({ recentDays: [day('2026-11-22', 1)] }) })).streak).toBe(0);
    // The phone said 40 days through today this afternoon.
    const phone = { date: '2026-11-25', today: 1, streak: 40 };
    expect(homeModel(inputs({ outbox: outbox({ recentDays: days }), phone })).streak).toBe(40);
    // Said yesterday evening (40 days through yesterday), and a session logged this morning: 41.
    const yesterday = { date: '2026-11-24', today: 1, streak: 40 };
    const thisMorning = [day('2026-11-25', 1), ...days];
    const next = homeModel(inputs({ outbox: outbox({ recentDays: thisMorning }), phone: yesterday }));
    expect(next).toMatchObject({ streak: 41, today: { done: 1, target: 2 } });
  });

  it('shows what waits for the phone and whether the outbox is full; claims nothing when the index does not read', () => {
    expect(homeModel(inputs({ outbox: outbox({ queue: { pending: 100, level: 'full' } }) }))).toMatchObject({
      unsent: 100,
      outboxFull: true,
    });
    expect(homeModel(inputs({ outbox: outbox({ queue: null }) }))).toMatchObject({
      unsent: null,
      outboxFull: false,
    });
  });

  it('reads it all from storage: the outbox’s keys, the phone’s day, the prescription', () => {
    const id = (n: number) => `mhz3k2w0${n}-abcdefghjk`;
    const store = memoryStore({
      'outbox.index': JSON.stringify({
        entries: [
          { id: id(1), slot: 0 },
          { id: id(2), slot: 1 },
        ],
        rejected: [],
      }),
      'outbox.recent': JSON.stringify({
        days: [{ date: '2026-11-25', ids: [id(1), id(2)], counted: [id(1)] }],
      }),
      [PHONE_DAY_KEY]: JSON.stringify({ date: '2026-11-25', today: 0, streak: 20 }),
    });
    // Default prescription (one session a day); the phone's 20 days through yesterday and today's own
    // counted session make 21.
    expect(readHome(store, { now: NOW, utcOffsetMin: OFFSET })).toEqual({
      plan: { rounds: 3, totalMs: 217_000 },
      today: { done: 1, target: 1 },
      streak: 21,
      unsent: 2,
      outboxFull: false,
      reminders: DEFAULT_PRESCRIPTION.reminders,
    });
    expect(
      readHome(memoryStore({ 'outbox.index': 'torn' }), { now: NOW, utcOffsetMin: OFFSET }).unsent,
    ).toBeNull();
  });
});

describe('the home page as a program', () => {
  it('on opening: re-plans reminders, and asks the phone nothing', () => {
    expect(homeProgram(false).init).toEqual({ model: null, effects: [{ type: 'replanReminders' }] });
  });

  it('with a session stored, gives way to the page that decides about it, and re-plans nothing', () => {
    expect(homeProgram(true).init).toEqual({
      model: null,
      effects: [{ type: 'open', route: { page: 'resume' } }],
    });
  });

  it('each button opens its page above home (Back returns here)', () => {
    const view = homeView(homeModel(inputs()), layoutFor(TARGET_SCREENS[0]!), (key) => key);
    const taps = view.flatMap((w) => (w.type === 'button' ? [[w.id, w.msg] as const] : []));
    expect(taps.map(([id, msg]) => [id, updateHome(null, msg).effects])).toEqual([
      ['reminders', [{ type: 'open', route: { page: 'reminders', above: true } }]],
      // Start asks the pain rating before the session first (page/before).
      ['start', [{ type: 'open', route: { page: 'before', above: true } }]],
      ['cues', [{ type: 'open', route: { page: 'cues', above: true } }]],
    ]);
  });
});
