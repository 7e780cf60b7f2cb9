import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../../core/base/kv';
import { type SessionLog } from '../../../core/log/session-log';
import { openOutbox } from '../../../core/watch/outbox';
import { peekOutbox } from '../../../core/watch/outbox-peek';
import { HOUR, makeLog, seededRandom, T0 } from '../../support/sync-fixtures';

// A watch's storage as version 1.0.0 left it (test/fixtures/format-1.0.0): 16 logs waiting, 1 refused,
// and eight recent days (counted from the fixture's own text).
const watchStore = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'fixtures', 'format-1.0.0', 'watch-store.json'), 'utf8'),
) as Record<string, string>;

/** n distinct log ids of the outbox's format, for index entries. */
const ids = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `0mx0rysg0-${String(i).padStart(10, '0')}`);
const index = (entries: number, rejected = 0): string =>
  JSON.stringify({
    entries: ids(entries).map((id, slot) => ({ id, slot })),
    rejected: ids(entries + rejected)
      .slice(entries)
      .map((id, i) => ({ id, slot: entries + i, reason: 'refused' })),
  });

describe('peekOutbox: what home and the reminders read of the outbox, writing nothing', () => {
  it('reads a 1.0.0 watch’s outbox: logs waiting and the recent days', () => {
    const store = memoryStore(watchStore);
    expect(peekOutbox(store)).toEqual({
      queue: { pending: 16, level: 'ok' },
      recentDays: [
        { date: '2026-12-09', sessions: 1, counted: 1 },
        { date: '2026-12-06', sessions: 1, counted: 0 },
        { date: '2026-12-05', sessions: 2, counted: 2 },
        { date: '2026-12-04', sessions: 2, counted: 1 },
        { date: '2026-12-03', sessions: 2, counted: 1 },
        { date: '2026-12-02', sessions: 2, counted: 1 },
        { date: '2026-12-01', sessions: 2, counted: 1 },
        { date: '2026-11-30', sessions: 2, counted: 1 },
      ],
    });
    expect(store.dump()).toEqual(watchStore);
  });

  it('an outbox never written: nothing waiting, no days', () => {
    expect(peekOutbox(memoryStore())).toEqual({ queue: { pending: 0, level: 'ok' }, recentDays: [] });
  });

  it('warns from 75 of 100 slots used, refused logs included, and is full at 100', () => {
    const level = (entries: number, rejected: number) =>
      peekOutbox(memoryStore({ 'outbox.index': index(entries, rejected) })).queue;
    expect(level(74, 0)).toEqual({ pending: 74, level: 'ok' });
    expect(level(70, 5)).toEqual({ pending: 70, level: 'filling' });
    expect(level(99, 1)).toEqual({ pending: 99, level: 'full' });
  });

  it('an index that does not read claims nothing, and is left for the outbox to rebuild', () => {
    for (const raw of [
      '{"entries":[{"id":"0mx0rysg0-chehek2jsc","slot":1}',
      '{"entries":[{"id":"0mx0rysg0-chehek2jsc","slot":1},{"id":"0mx1wou80-cw14540cpd","slot":1}],"rejected":[]}',
      '{"entries":[{"id":"not an id","slot":1}],"rejected":[]}',
      '{"entries":[{"id":"0mx0rysg0-chehek2jsc","slot":100}],"rejected":[]}',
    ]) {
      const store = memoryStore({ 'outbox.index': raw, 'outbox.recent': '{"days":"garbage"}' });
      expect(peekOutbox(store)).toEqual({ queue: null, recentDays: [] });
      expect(store.dump()).toEqual({ 'outbox.index': raw, 'outbox.recent': '{"days":"garbage"}' });
    }
  });

  it('agrees with the outbox it peeks at, through appends, acknowledgements and refusals', () => {
    const random = seededRandom(11);
    const logs: SessionLog[] = Array.from({ length: 5 }, (_, i) =>
      makeLog(random, T0 + i * 7 * HOUR, { outcome: i === 2 ? 'ended_early' : 'completed' }),
    );
    const store = memoryStore();
    const { outbox } = openOutbox(store, { now: T0 });
    const agree = (): void => {
      const peek = peekOutbox(store);
      expect(peek.queue).toEqual({ pending: outbox.status().pending, level: outbox.status().level });
      expect(peek.recentDays).toEqual(outbox.recentDays());
    };
    for (const log of logs) {
      outbox.append(log);
      agree();
    }
    outbox.acknowledge([{ id: logs[0]!.id, rev: 1 }]);
    outbox.reject([{ id: logs[1]!.id, rev: 1, reason: 'unknown routine' }]);
    agree();
    expect(peekOutbox(store).queue).toEqual({ pending: 3, level: 'ok' });
  });

  it('after a crash between a slot and the index it counts the log once the outbox has repaired it', () => {
    const random = seededRandom(12);
    const log = makeLog(random, T0, { outcome: 'completed' });
    const store = memoryStore();
    // The slot written, the index not: what an append cut short leaves.
    store.set('outbox.slot.0', JSON.stringify({ rev: 1, log }));
    expect(peekOutbox(store).queue).toEqual({ pending: 0, level: 'ok' });
    openOutbox(store, { now: T0 });
    expect(peekOutbox(store).queue).toEqual({ pending: 1, level: 'ok' });
    expect(peekOutbox(store).recentDays.map((d) => d.sessions)).toEqual([1]);
  });
});
