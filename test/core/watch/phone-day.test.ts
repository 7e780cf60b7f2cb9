import { describe, expect, it } from 'vitest';
import { TWELVE_DAY_SUMMARY } from '../../support/sync-fixtures';
import { memoryStore } from '../../../core/base/kv';
import { keepPhoneDay, PHONE_DAY_KEY, phoneToday, readPhoneDay } from '../../../core/watch/phone-day';

const summary = TWELVE_DAY_SUMMARY;

describe('the phone’s day, kept for home', () => {
  it('keeps the date, today’s count and the streak, nothing else', () => {
    const store = memoryStore();
    keepPhoneDay(store, summary);
    expect(store.dump()).toEqual({ [PHONE_DAY_KEY]: '{"date":"2026-11-30","today":1,"streak":12}' });
    expect(readPhoneDay(store)).toEqual({ date: '2026-11-30', today: 1, streak: 12 });
  });

  it('reads nothing from a value it did not write', () => {
    for (const raw of [
      'not json',
      'null',
      '{"date":"2026-02-30","today":1,"streak":3}',
      '{"date":"30/11/2026","today":1,"streak":3}',
      '{"date":"2026-11-30","today":-1,"streak":3}',
      '{"date":"2026-11-30","today":1,"streak":2.5}',
      '{"date":"2026-11-30","today":1,"streak":99999}',
      '{"date":"2026-11-30","today":"1","streak":3}',
    ])
      expect(readPhoneDay(memoryStore({ [PHONE_DAY_KEY]: raw }))).toBeNull();
    expect(readPhoneDay(memoryStore())).toBeNull();
  });

  it('said today: as it is, and a session the phone has not heard of yet extends a streak ending yesterday', () => {
    expect(phoneToday({ date: '2026-11-30', today: 1, streak: 12 }, '2026-11-30', 1)).toEqual({
      today: 1,
      streak: 12,
    });
    // Asked before today's session (the question before it): 11 days through yesterday.
    expect(phoneToday({ date: '2026-11-30', today: 0, streak: 11 }, '2026-11-30', 0)).toEqual({
      today: 0,
      streak: 11,
    });
    expect(phoneToday({ date: '2026-11-30', today: 0, streak: 11 }, '2026-11-30', 1)).toEqual({
      today: 0,
      streak: 12,
    });
    // No streak through yesterday: today's own session starts one.
    expect(phoneToday({ date: '2026-11-30', today: 0, streak: 0 }, '2026-11-30', 1)).toEqual({
      today: 0,
      streak: 1,
    });
  });

  it('said yesterday after a session: the streak holds this morning and grows with today’s session', () => {
    const yesterday = { date: '2026-11-29', today: 1, streak: 11 };
    expect(phoneToday(yesterday, '2026-11-30', 0)).toEqual({ today: 0, streak: 11 });
    expect(phoneToday(yesterday, '2026-11-30', 1)).toEqual({ today: 0, streak: 12 });
    // Across a month's end.
    expect(phoneToday({ date: '2026-11-30', today: 2, streak: 40 }, '2026-12-01', 1)).toEqual({
      today: 0,
      streak: 41,
    });
  });

  it('said yesterday before any session, or earlier: says nothing of today', () => {
    expect(phoneToday({ date: '2026-11-29', today: 0, streak: 11 }, '2026-11-30', 1)).toEqual({
      today: 0,
      streak: 0,
    });
    expect(phoneToday({ date: '2026-11-28', today: 1, streak: 11 }, '2026-11-30', 1)).toEqual({
      today: 0,
      streak: 0,
    });
    expect(phoneToday(null, '2026-11-30', 1)).toEqual({ today: 0, streak: 0 });
  });
});
