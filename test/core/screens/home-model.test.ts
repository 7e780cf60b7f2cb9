import { describe, expect, it } from 'vitest';
import { homeModel, logOfRunning, type HomeInputs } from '../../../core/screens/home-model';
import type { OutboxStatus } from '../../../core/watch/outbox';
import { DEFAULT_PRESCRIPTION } from '../../../core/plan/prescription';
import { createSession, start } from '../../../core/engine/session';
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

describe('logOfRunning', () => {
  const session = createSession(DEFAULT_PRESCRIPTION);
  if (!session.ok) throw new Error('session');
  const started = start(session.value, NOW - 60_000);
  if (!started.ok) throw new Error('start');

  it('logs a session given up as interrupted, where it was last seen', () => {
    const log = logOfRunning(
      { type: 'resumable', session: started.value.session, logId: 'mhz3k2w00-abcdefghjk' },
      '1.0.0',
      OFFSET,
    );
    expect(log?.ok && log.value).toMatchObject({
      id: 'mhz3k2w00-abcdefghjk',
      outcome: 'interrupted',
      startedAt: NOW - 60_000,
      endedAt: NOW - 60_000,
    });
  });

  it('logs a lost session from its start record, claiming no rounds and no time', () => {
    const log = logOfRunning(
      {
        type: 'lost',
        start: {
          logId: 'mhz3k2w00-abcdefghjk',
          startedAt: NOW,
          utcOffsetMin: OFFSET,
          prescription: DEFAULT_PRESCRIPTION,
        },
        reason: 'x',
      },
      '1.0.0',
      OFFSET,
    );
    expect(log?.ok && log.value).toMatchObject({
      outcome: 'interrupted',
      roundsDone: 0,
      activeMs: 0,
      utcOffsetMin: OFFSET,
    });
  });

  it('has nothing to log when nothing was running or nothing could be read', () => {
    expect(logOfRunning({ type: 'none' }, '1.0.0', OFFSET)).toBeNull();
    expect(logOfRunning({ type: 'corrupt', reason: 'x' }, '1.0.0', OFFSET)).toBeNull();
  });
});
