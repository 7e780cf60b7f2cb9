import { describe, expect, it } from 'vitest';
import { memoryStore, type KeyValueStore } from '../../../core/base/kv';
import { openHistory } from '../../../core/phone/history';
import { handleRequest } from '../../../core/phone/side-handler';
import { toPlain } from '../../../core/log/session-log';
import { decodeResponse } from '../../../core/link/protocol';
import { DAY, makeLog, seededRandom, T0 } from '../../support/sync-fixtures';

// What a crash between two writes, or a damaged key, has left on phones: each case lost or doubled logs.
const NOW = T0 + 40 * DAY;
const NOVEMBER = Date.UTC(2026, 10, 2, 15);

/** A store that counts the keys read, so an unbounded loop shows as a number, not a hang. */
function counting(inner: KeyValueStore) {
  let reads = 0;
  const store: KeyValueStore = {
    get: (k) => {
      reads++;
      if (reads > 100_000) throw new Error('more than 100,000 reads');
      return inner.get(k);
    },
    set: inner.set,
    remove: inner.remove,
  };
  return { store, reads: () => reads };
}

function monthOf(n: number, seed = 5) {
  const random = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => makeLog(random, NOVEMBER + i * 3_600_000));
}

describe('phone history under stale or hostile keys', () => {
  it.each([
    ['the month missing from the index', '{"v":1,"months":{}}'],
    ['the month counted as 0 parts', '{"v":1,"months":{"2026-11":0}}'],
    ['the month counted as 1 part of 2', '{"v":1,"months":{"2026-11":1}}'],
  ])('a readable but stale index (%s) loses nothing on the next append', (_, index) => {
    const store = memoryStore();
    const logs = monthOf(21);
    const history = openHistory(store, { now: NOW });
    for (const log of logs) expect(history.append(log).ok).toBe(true);
    store.set('history.index', index);
    const next = makeLog(seededRandom(77), NOVEMBER + 30 * 3_600_000);
    expect(openHistory(store, { now: NOW }).append(next)).toEqual({ ok: true, value: 'accepted' });
    const ids = openHistory(store, { now: NOW })
      .all()
      .map((l) => l.id);
    expect(ids.sort()).toEqual([...logs, next].map((l) => l.id).sort());
  });

  it('a stale id set never lets the same log be stored twice', () => {
    const store = memoryStore();
    const logs = monthOf(20);
    const history = openHistory(store, { now: NOW });
    for (const log of logs) history.append(log);
    store.set('history.ids.2026-11', '{}');
    expect(openHistory(store, { now: NOW }).append(logs[2]!)).toEqual({ ok: true, value: 'known' });
    expect(openHistory(store, { now: NOW }).all()).toHaveLength(20);
  });

  it('quarantines a damaged part whole, however large', () => {
    const store = memoryStore();
    const logs = monthOf(16);
    const history = openHistory(store, { now: NOW });
    for (const log of logs) history.append(log);
    const key = Object.keys(store.dump()).find((k) => k.startsWith('history.m.2026-11.'))!;
    const broken = store.get(key)!.replace('"outcome":"', '"outcome":"x');
    expect(broken.length).toBeGreaterThan(4000);
    store.set(key, broken);
    const reopened = openHistory(store, { now: NOW });
    expect(reopened.all().length).toBeLessThan(16);
    expect(reopened.quarantine().items.map((i) => i.raw)).toContain(broken);
  });

  it('an index count of a billion costs no more reads than the store has keys', () => {
    const disk = memoryStore();
    const history = openHistory(disk, { now: NOW });
    for (const log of monthOf(5)) history.append(log);
    disk.set('history.index', '{"v":1,"months":{"2026-11":1000000000}}');
    const { store, reads } = counting(disk);
    const reopened = openHistory(store, { now: NOW });
    expect(reopened.all()).toHaveLength(5);
    reopened.summary(NOW, 60);
    // Fixed probes, whatever a stored value says: the marker and part 0 of each of the 962 months from
    // 2019-12 to 2100-01 (80 years of 12, and one month each side), the 64 parts of November for all(),
    // those of November and October for the 30 days of the summary, and the prescription.
    expect(reads()).toBeLessThanOrEqual(2 * 962 + 64 + 2 * 64 + 1);
  });
});

describe('impossible logs are refused with what is wrong; the phone’s clock refuses none', () => {
  const random = seededRandom(9);
  const good = makeLog(random, T0);
  const push = (log: object) =>
    handleRequest(memoryStore(), { v: 1, type: 'logs.push', logs: [log] }, T0 + DAY, '1.0.0');

  it.each([
    ['ended before it started', { endedAt: good.startedAt - 1 }, /ended before it started/],
    [
      'active longer than it lasted',
      { activeMs: good.endedAt - good.startedAt + 1 },
      /longer than the session/,
    ],
  ])('%s', (_, change, reason) => {
    const answer = push({ ...toPlain(good), ...change });
    expect(answer).toMatchObject({ type: 'logs.push', accepted: [], known: [] });
    expect((answer as unknown as { rejected: { reason: string }[] }).rejected[0]?.reason).toMatch(reason);
  });

  it("a log from a watch whose clock ran years ahead is stored as the watch dated it: the phone's clock may be the wrong one", () => {
    const ahead = {
      startedAt: Date.UTC(2099, 0, 1),
      endedAt: Date.UTC(2099, 0, 1) + good.endedAt - good.startedAt,
    };
    const store = memoryStore();
    const answer = handleRequest(
      store,
      { v: 1, type: 'logs.push', logs: [{ ...toPlain(good), ...ahead }] },
      T0 + DAY,
      '1.0.0',
    );
    expect(answer).toMatchObject({ type: 'logs.push', accepted: [good.id], rejected: [] });
    expect(openHistory(store, { now: T0 + DAY }).months()).toEqual(['2099-01']);
  });
});

describe('a pain rating changed later', () => {
  it('the later rating wins, on the phone, whatever order the copies arrive in', () => {
    const store = memoryStore();
    const log = makeLog(seededRandom(4), T0, { pain: undefined });
    const first = { ...log, pain: 4, painAt: T0 + 400_000 };
    const second = { ...log, pain: 6, painAt: T0 + 900_000 };
    const history = openHistory(store, { now: NOW });
    expect(history.append(first)).toEqual({ ok: true, value: 'accepted' });
    expect(history.append(second)).toEqual({ ok: true, value: 'updated' });
    // A replayed older copy changes nothing.
    expect(history.append(first)).toEqual({ ok: true, value: 'known' });
    expect(openHistory(store, { now: NOW }).all()).toEqual([second]);
  });
});

describe('implausible summaries from the phone are refused', () => {
  const random = seededRandom(21);
  const store = memoryStore();
  const history = openHistory(store, { now: NOW });
  for (let d = 0; d < 5; d++) history.append(makeLog(random, NOW - d * DAY, { outcome: 'completed' }));
  const answer = handleRequest(
    store,
    { v: 1, type: 'summary.get', now: NOW, utcOffsetMin: 60 },
    NOW,
    '1.0.0',
  );
  const summary = (answer as unknown as { summary: Record<string, unknown> }).summary;

  it('the real answer reads back', () => {
    expect(decodeResponse(answer, 'summary.get').ok).toBe(true);
  });

  it.each([
    ['month 13', { date: '2026-13-25' }],
    ['a day that does not exist', { date: '2026-02-30' }],
    [
      'more sessions counted than held on a day',
      { last7: (summary.last7 as object[]).map((d, i) => (i === 6 ? { ...d, counted: 9, sessions: 1 } : d)) },
    ],
    ['today not the last of the seven days', { today: 3 }],
    ['days that are not the seven before today', { last7: [...(summary.last7 as object[])].reverse() }],
    ['monitoring met on 2 days', { activeDays30: 2, monitoringMet: true }],
    ['a daily target no prescription allows', { target: 40 }],
  ])('%s', (_, change) => {
    const decoded = decodeResponse({ ...answer, summary: { ...summary, ...change } }, 'summary.get');
    expect(decoded).toMatchObject({ ok: false, error: { code: 'malformed' } });
  });
});
