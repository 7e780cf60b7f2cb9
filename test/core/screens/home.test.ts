import { summaryProgram } from '../../../core/screens/summary';
import { describe, expect, it } from 'vitest';
import { homeModel, homeProgram, updateHome, type HomeInputs } from '../../../core/screens/home';
import type { OutboxStatus } from '../../../core/watch/outbox';
import { DEFAULT_PRESCRIPTION } from '../../../core/plan/prescription';
import { createSession, start } from '../../../core/engine/session';
import { prescriptionPush } from '../../../core/link/prescription-push';
import type { Running } from '../../../core/engine/session-record';
import type { Summary } from '../../../core/log/stats';
import { buildTimeline } from '../../../core/engine/timeline';

const NOW = Date.UTC(2026, 10, 25, 16, 0); // 17:00 in UTC+1: the watch's day is 2026-11-25
const OFFSET = 60;
const timeline = buildTimeline(DEFAULT_PRESCRIPTION);
if (!timeline.ok) throw new Error('default prescription');

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
  timeline: timeline.value,
  prescription: { ...DEFAULT_PRESCRIPTION, sessionsPerDay: 2 },
  outbox,
  recentDays: [],
  phone: null,
  running: { type: 'none' },
  now: NOW,
  utcOffsetMin: OFFSET,
  ...over,
});
const day = (date: string, counted: number) => ({ date, sessions: counted, counted });

describe('home model', () => {
  it('plans from the prescription and targets its sessions a day', () => {
    const m = homeModel(inputs());
    expect(m.plan).toEqual({ rounds: 3, totalMs: timeline.value.totalMs });
    expect(m.today).toEqual({ done: 0, target: 2 });
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

  it('offers resume or log for a session cut short, and blocks a new one while a finished one is unstored', () => {
    const session = createSession(DEFAULT_PRESCRIPTION);
    if (!session.ok) throw new Error('session');
    const running = start(session.value, NOW - 60_000);
    if (!running.ok) throw new Error('start');
    const resumable: Running = {
      type: 'resumable',
      session: running.value.session,
      logId: 'mhz3k2w00-abcdefghjk',
    };
    expect(homeModel(inputs({ running: resumable }))).toMatchObject({ interrupted: true, blocked: false });
    const lost: Running = {
      type: 'lost',
      start: {
        logId: 'mhz3k2w00-abcdefghjk',
        startedAt: NOW - 60_000,
        utcOffsetMin: OFFSET,
        prescription: DEFAULT_PRESCRIPTION,
      },
      reason: 'unreadable',
    };
    expect(homeModel(inputs({ running: lost }))).toMatchObject({ interrupted: true, blocked: false });
    const finished: Running = { ...resumable, type: 'finished' };
    expect(homeModel(inputs({ running: finished }))).toMatchObject({ interrupted: false, blocked: true });
  });
});

describe('the home page as a program', () => {
  const opened = homeProgram({ now: NOW, utcOffsetMin: OFFSET });

  it('on opening: settles only what nobody will resume, starts the sync, asks the phone, re-plans reminders', () => {
    expect(opened.init).toEqual({
      model: { phone: null },
      effects: [
        { type: 'settle', which: 'stale' },
        { type: 'sync', event: 'app_started' },
        { type: 'exchangePrescription' },
        { type: 'askSummary', message: { v: 1, type: 'summary.get', now: NOW, utcOffsetMin: OFFSET } },
        { type: 'replanReminders' },
      ],
    });
  });

  it('sends a log it settled, and nothing when there was nothing to log', () => {
    const state = opened.init.model;
    expect(updateHome(state, { type: 'settled', outcome: 'logged' }).effects).toEqual([
      { type: 'sync', event: 'session_logged' },
    ]);
    for (const outcome of ['none', 'kept', 'quarantined'] as const)
      expect(updateHome(state, { type: 'settled', outcome }).effects).toEqual([]);
  });

  it('maps each button to its page; discard logs the cut-short session as it was', () => {
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
    expect(tap('resume')).toEqual([{ type: 'navigate', url: 'page/session/index.page' }]);
    expect(tap('cues')).toEqual([{ type: 'navigate', url: 'page/cues/index.page' }]);
    expect(tap('reminders')).toEqual([{ type: 'navigate', url: 'page/reminders/index.page' }]);
    expect(tap('discard')).toEqual([{ type: 'settle', which: 'any' }]);
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
