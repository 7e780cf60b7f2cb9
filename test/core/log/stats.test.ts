import { describe, expect, it } from 'vitest';
import { openHistory } from '../../../core/phone/history';
import { memoryStore } from '../../../core/base/kv';
import { DEFAULT_PRESCRIPTION } from '../../../core/plan/prescription';
import {
  activeDays,
  addDays,
  adherence,
  lookup,
  monitoringPeriod,
  painFlags,
  streak,
  tallyLogs,
} from '../../../core/log/stats';
import { DAY, HOUR, makeLog, seededRandom } from '../../support/sync-fixtures';

const random = seededRandom(17);
// Noon local (UTC+1) on 2026-11-25.
const NOON = Date.UTC(2026, 10, 25, 11, 0);
const done = (daysAgo: number, extra = {}) =>
  makeLog(random, NOON - daysAgo * DAY, { outcome: 'completed', roundsDone: 3, ...extra });

describe('stats', () => {
  it('adds days across months and leap years', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('counts a streak ending today, or yesterday while today is still open', () => {
    const days = lookup(tallyLogs([done(1), done(2), done(3), done(5)]));
    expect(streak(days, '2026-11-25')).toBe(3);
    expect(streak(lookup(tallyLogs([done(0), done(1)])), '2026-11-25')).toBe(2);
    expect(streak(lookup(tallyLogs([done(2)])), '2026-11-25')).toBe(0);
  });

  it('does not count sessions that fell short toward the target, but counts them as activity', () => {
    const short = done(0, { outcome: 'ended_early', roundsDone: 1 });
    const days = lookup(tallyLogs([short]));
    expect(days('2026-11-25')).toEqual({ date: '2026-11-25', sessions: 1, counted: 0 });
    expect(streak(days, '2026-11-25')).toBe(0);
    expect(activeDays(days, '2026-11-25')).toBe(1);
  });

  it('rates each day against the daily target', () => {
    const days = lookup(tallyLogs([done(0), done(0, { startedAt: NOON + HOUR }), done(1)]));
    expect(adherence(days, '2026-11-24', '2026-11-25', 2).map((d) => [d.date, d.counted, d.met])).toEqual([
      ['2026-11-24', 1, false],
      ['2026-11-25', 2, true],
    ]);
  });

  it('flags pain of 7 and above', () => {
    expect(
      painFlags([done(0, { pain: 6 }), done(0, { pain: 7 }), done(0, { pain: 10 })]).map((l) => l.pain),
    ).toEqual([7, 10]);
  });

  it('flags a rise of 2 or more from the rating before, below 7 too', () => {
    const logs = [
      done(0, { painBefore: 3, pain: 5 }),
      done(0, { painBefore: 3, pain: 4 }),
      done(0, { painBefore: 8, pain: 6 }),
      done(0, { pain: 5 }),
    ];
    expect(painFlags(logs).map((l) => [l.painBefore, l.pain])).toEqual([[3, 5]]);
  });

  it('counts monitoring days in 30-day periods from the first day with data', () => {
    // Data on 2026-10-01 (first), 10-05, 10-30 (last day of the first period), 10-31, 11-02, 11-02 again.
    const days = ['2026-10-01', '2026-10-05', '2026-10-30', '2026-10-31', '2026-11-02'];
    const tallies = new Map(
      days.map((d) => [d, { date: d, sessions: d === '2026-11-02' ? 2 : 1, counted: 1 }]),
    );
    const tallyOf = lookup(tallies);
    // 10-30 is day 30 of the period that began 10-01: three days with data, so 2 is passed and 16 not.
    expect(monitoringPeriod(tallyOf, '2026-10-01', '2026-10-30')).toEqual({
      first: '2026-10-01',
      last: '2026-10-30',
      daysWithData: 3,
      passed: [2],
      daysLeft: 0,
    });
    // 10-31 starts the second period (10-31 to 11-29); 11-02 has two sessions, one day.
    expect(monitoringPeriod(tallyOf, '2026-10-01', '2026-11-02')).toEqual({
      first: '2026-10-31',
      last: '2026-11-29',
      daysWithData: 2,
      passed: [2],
      daysLeft: 27,
    });
    expect(monitoringPeriod(tallyOf, '2026-10-01', '2026-10-01')).toEqual({
      first: '2026-10-01',
      last: '2026-10-30',
      daysWithData: 1,
      passed: [],
      daysLeft: 29,
    });
    expect(monitoringPeriod(tallyOf, undefined, '2026-10-01')).toBeNull();
    expect(monitoringPeriod(tallyOf, '2026-10-02', '2026-10-01')).toBeNull();
  });

  it('passes 16 days on the sixteenth day with data', () => {
    const first = '2026-03-01';
    const tallies = new Map(
      Array.from({ length: 16 }, (_, i) => addDays(first, i * 2)).map((d) => [
        d,
        { date: d, sessions: 1, counted: 1 },
      ]),
    );
    // Days 1, 3, …, 31 of March: the sixteenth (03-31) falls in the second period (from 03-31).
    const p = monitoringPeriod(lookup(tallies), first, '2026-03-30');
    expect(p).toMatchObject({ first: '2026-03-01', last: '2026-03-30', daysWithData: 15, passed: [2] });
    const q = monitoringPeriod(
      lookup(new Map([...tallies, ['2026-03-30', { date: '2026-03-30', sessions: 1, counted: 1 }]])),
      first,
      '2026-03-30',
    );
    expect(q).toMatchObject({ daysWithData: 16, passed: [2, 16], daysLeft: 0 });
  });

  it("summarizes from the history with the watch's clock and offset", () => {
    const history = openHistory(memoryStore(), { now: NOON });
    history.setPrescription({ ...DEFAULT_PRESCRIPTION, sessionsPerDay: 2 }, 0);
    // 16 active days in the last 30, spread over two months, one painful.
    for (let i = 0; i < 32; i += 2) history.append(done(i, { pain: i === 4 ? 8 : 1 }));
    history.append(done(40));
    const summary = history.summary(NOON, 60);
    expect(summary).toMatchObject({
      date: '2026-11-25',
      today: 1,
      target: 2,
      streak: 1,
      activeDays30: 15,
      monitoringMet: false,
      painFlags30: 1,
    });
    expect(summary.last7.map((d) => d.sessions)).toEqual([1, 0, 1, 0, 1, 0, 1]);
    // Late evening in UTC is already tomorrow at +14:00: a different "today".
    expect(history.summary(Date.UTC(2026, 10, 25, 23, 0), 14 * 60).date).toBe('2026-11-26');
    history.append(done(1));
    expect(history.summary(NOON, 60)).toMatchObject({ streak: 3, activeDays30: 16, monitoringMet: true });
  });
});
