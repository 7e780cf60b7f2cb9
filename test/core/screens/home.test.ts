import { summaryProgram } from '../../../core/screens/summary';
import { describe, expect, it } from 'vitest';
import { homeModel, homeProgram, updateHome, type HomeInputs } from '../../../core/screens/home';
import type { OutboxStatus } from '../../../core/watch/outbox';
import { DEFAULT_PRESCRIPTION } from '../../../core/plan/prescription';
import { prescriptionPush } from '../../../core/link/prescription-push';
import type { Summary } from '../../../core/log/stats';

const NOW = Date.UTC(2026, 10, 25, 16, 0); // 17:00 in UTC+1: the watch's day is 2026-11-25
const OFFSET = 60;

const outbox: OutboxStatus = { pending: 0, rejected: 0, capacity: 100, level: 'ok', quarantined: 0 };
const phoneSummary = (over: Partial<Summary>): Summary => ({
  date: '2026-11-25',
  today: 0,
  target: 1,
  streak: 0,
  last7: [],
  activeDays30: 0,
  monitoringMet: false,
  painFlags30: 0,
  ...over,
});
const inputs = (over: Partial<HomeInputs> = {}): HomeInputs => ({
  prescription: { ...DEFAULT_PRESCRIPTION, sessionsPerDay: 2 },
  outbox,
  recentDays: [],
  phone: null,
  now: NOW,
  utcOffsetMin: OFFSET,
  ...over,
});
const day = (date: string, counted: number) => ({ date, sessions: counted, counted });

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

  it('counts today from the watch while the phone is away, and takes the larger count when both know', () => {
    expect(homeModel(inputs({ recentDays: [day('2026-11-25', 1)] })).today.done).toBe(1);
    const both = inputs({ recentDays: [day('2026-11-25', 1)], phone: phoneSummary({ today: 2 }) });
    expect(homeModel(both).today.done).toBe(2);
  });

  it("ignores a phone summary of another day (the watch's calendar decides)", () => {
    const stale = inputs({ phone: phoneSummary({ date: '2026-11-24', today: 3, streak: 9 }) });
    expect(homeModel(stale).today.done).toBe(0);
    expect(homeModel(stale).streak).toBe(0);
  });

  it('keeps a streak from the watch’s own recent days, ending today or yesterday', () => {
    const days = [day('2026-11-22', 1), day('2026-11-23', 1), day('2026-11-24', 2)];
    expect(homeModel(inputs({ recentDays: days })).streak).toBe(3);
    expect(homeModel(inputs({ recentDays: [day('2026-11-22', 1)] })).streak).toBe(0);
    expect(homeModel(inputs({ recentDays: days, phone: phoneSummary({ streak: 40 }) })).streak).toBe(40);
  });

  it('shows what waits for the phone and whether the outbox is full', () => {
    const m = homeModel(inputs({ outbox: { ...outbox, pending: 100, level: 'full' } }));
    expect(m).toMatchObject({ unsent: 100, outboxFull: true });
  });
});

describe('the home page as a program', () => {
  const opened = homeProgram({ now: NOW, utcOffsetMin: OFFSET });

  it('on opening: starts the sync, asks the phone, re-plans reminders (a stored session never gets here)', () => {
    expect(opened.init).toEqual({
      model: { phone: null },
      effects: [
        { type: 'sync', event: 'app_started' },
        { type: 'exchangePrescription' },
        { type: 'askSummary', message: { v: 1, type: 'summary.get', now: NOW, utcOffsetMin: OFFSET } },
        { type: 'replanReminders' },
      ],
    });
  });

  it('maps each button to its page', () => {
    const tap = (action: string) => updateHome(opened.init.model, { type: 'tap', action }).effects;
    // Start asks the pain rating before the session first; the summary page reads these params so.
    expect(tap('start')).toEqual([
      { type: 'navigate', url: 'page/summary/index.page', params: '{"before":true}' },
    ]);
    expect(summaryProgram('{"before":true}').init.model).toMatchObject({
      before: true,
      stage: 'rate',
      pain: null,
    });
    expect(tap('cues')).toEqual([{ type: 'navigate', url: 'page/cues/index.page' }]);
    expect(tap('reminders')).toEqual([{ type: 'navigate', url: 'page/reminders/index.page' }]);
    // The stored session's buttons are the resume page's (core/screens/resume).
    expect(tap('resume')).toEqual([]);
    expect(tap('discard')).toEqual([]);
    expect(tap('nothing-of-ours')).toEqual([]);
  });

  it('keeps the phone’s summary only when it is a valid answer', () => {
    const last7 = Array.from({ length: 7 }, (_, i) => ({
      date: `2026-11-${19 + i}`,
      sessions: i === 6 ? 1 : 0,
      counted: i === 6 ? 1 : 0,
    }));
    const summary = phoneSummary({ today: 1, streak: 1, activeDays30: 1, last7 });
    const state = opened.init.model;
    expect(
      updateHome(state, { type: 'summary', body: { v: 1, type: 'summary.get', summary } }).model,
    ).toEqual({
      phone: summary,
    });
    expect(
      updateHome(state, { type: 'summary', body: { v: 1, type: 'summary.get', summary: { today: -1 } } })
        .model,
    ).toBe(state);
  });

  it('adopts a pushed prescription record, and ignores anything else zml delivers', () => {
    const record = { revision: 4, prescription: DEFAULT_PRESCRIPTION };
    const state = opened.init.model;
    expect(updateHome(state, { type: 'pushed', data: prescriptionPush(record) }).effects).toEqual([
      { type: 'adopt', record },
    ]);
    expect(updateHome(state, { type: 'pushed', data: { method: 'other' } }).effects).toEqual([]);
    expect(updateHome(state, { type: 'prescriptionChanged' }).effects).toEqual([{ type: 'replanReminders' }]);
  });
});
