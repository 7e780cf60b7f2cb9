import { describe, expect, it } from 'vitest';
import { memoryStore, type KeyValueStore } from '../../../core/base/kv';
import { openOutbox, sessionsOn } from '../../../core/watch/outbox';
import { localDate, type SessionLog } from '../../../core/log/session-log';
import { HOUR, makeLog, seededRandom, T0 } from '../../support/sync-fixtures';

const random = seededRandom(3);
const logs: SessionLog[] = Array.from({ length: 6 }, (_, i) =>
  makeLog(random, T0 + i * HOUR, { outcome: 'completed', pain: undefined }),
);
const [a, b, c, d] = logs as [SessionLog, SessionLog, SessionLog, SessionLog];
const open = (store: KeyValueStore, capacity = 10) => openOutbox(store, { now: T0, capacity });

describe('outbox', () => {
  it('keeps logs until their exact copy is acknowledged', () => {
    const store = memoryStore();
    const { outbox } = open(store);
    expect(outbox.append(b)).toEqual({ ok: true, value: { id: b.id, rev: 1 } });
    expect(outbox.append(a).ok).toBe(true);
    expect(outbox.pending().map((p) => p.id)).toEqual([a.id, b.id]);
    // A pain rating arrives while the first copy is in flight: the ack of rev 1 must not drop rev 2.
    expect(outbox.append({ ...a, pain: 3 })).toEqual({ ok: true, value: { id: a.id, rev: 2 } });
    expect(
      outbox.acknowledge([
        { id: a.id, rev: 1 },
        { id: b.id, rev: 1 },
      ]),
    ).toEqual({ ok: true, value: [b.id] });
    expect(outbox.pending().map((p) => [p.id, p.rev, p.log.pain])).toEqual([[a.id, 2, 3]]);
    expect(outbox.acknowledge([{ id: a.id, rev: 2 }]).ok).toBe(true);
    expect(outbox.pending()).toEqual([]);
    expect(Object.keys(store.dump()).filter((k) => k.includes('.slot.'))).toEqual([]);
  });

  it('measures each pending log in bytes as batching needs it', () => {
    const { outbox } = open(memoryStore());
    outbox.append(a);
    expect(outbox.pending()[0]?.bytes).toBe(
      new TextEncoder().encode(JSON.stringify(outbox.pending()[0]?.log)).length,
    );
  });

  it('refuses a new log with a typed "full" error when full, and says so in its status', () => {
    const store = memoryStore();
    const { outbox } = open(store, 4);
    for (const log of [a, b, c]) outbox.append(log);
    expect(outbox.status()).toMatchObject({ pending: 3, level: 'filling', capacity: 4 });
    expect(outbox.append(d).ok).toBe(true);
    const before = JSON.stringify(store.dump());
    const refused = outbox.append(logs[4] as SessionLog);
    expect(refused).toMatchObject({ ok: false, error: { type: 'full', capacity: 4 } });
    expect(JSON.stringify(store.dump())).toBe(before);
    expect(outbox.status().level).toBe('full');
    // An amendment of a pending log still fits: it replaces its own slot.
    expect(outbox.append({ ...a, pain: 2 }).ok).toBe(true);
    outbox.acknowledge([{ id: b.id, rev: 1 }]);
    expect(outbox.append(logs[4] as SessionLog).ok).toBe(true);
  });

  it('parks rejected logs out of the queue but keeps them, counted against capacity', () => {
    const { outbox } = open(memoryStore(), 2);
    outbox.append(a);
    outbox.append(b);
    expect(outbox.reject([{ id: a.id, rev: 1, reason: 'bad' }])).toEqual({ ok: true, value: [a.id] });
    expect(outbox.pending().map((p) => p.id)).toEqual([b.id]);
    expect(outbox.rejected()).toEqual([{ id: a.id, reason: 'bad' }]);
    expect(outbox.status()).toMatchObject({ pending: 1, rejected: 1, level: 'full' });
    // Amending a rejected log gives it another chance.
    outbox.append({ ...a, pain: 1 });
    expect(outbox.pending().map((p) => p.id)).toEqual([a.id, b.id]);
  });

  it('counts sessions per local day for "today" without the phone, once per id', () => {
    const { outbox } = open(memoryStore());
    outbox.append(a);
    outbox.append({ ...a, pain: 5 });
    outbox.append({ ...b, outcome: 'ended_early', roundsDone: 1 });
    expect(sessionsOn(outbox.recentDays(), localDate(a))).toEqual({
      date: localDate(a),
      sessions: 2,
      counted: 1,
    });
    expect(sessionsOn(outbox.recentDays(), '2000-01-01').sessions).toBe(0);
  });

  it('keeps only the last days in the recent list', () => {
    const { outbox } = open(memoryStore(), 50);
    for (let i = 0; i < 20; i++) outbox.append(makeLog(random, T0 + i * 24 * HOUR));
    const days = outbox.recentDays();
    expect(days).toHaveLength(8);
    expect(days[0]?.date).toBe(localDate({ startedAt: T0 + 19 * 24 * HOUR, utcOffsetMin: 60 }));
  });

  it('two outboxes over one store see each other (a page and the app)', () => {
    const store = memoryStore();
    const one = open(store).outbox;
    const two = open(store).outbox;
    one.append(a);
    expect(two.pending().map((p) => p.id)).toEqual([a.id]);
    two.acknowledge([{ id: a.id, rev: 1 }]);
    expect(one.status().pending).toBe(0);
  });
});

describe('outbox recovery', () => {
  it('quarantines a corrupt slot, reports it, and keeps the rest', () => {
    const store = memoryStore();
    const { outbox } = open(store);
    outbox.append(a);
    outbox.append(b);
    store.set('outbox.slot.0', '{"rev":1,"log":{"v":1,"id":"garbage');
    const reopened = open(store);
    expect(reopened.report.quarantined).toEqual(['outbox.slot.0']);
    expect(reopened.outbox.pending().map((p) => p.id)).toEqual([b.id]);
    expect(reopened.outbox.quarantine().items[0]).toMatchObject({
      key: 'outbox.slot.0',
      raw: expect.stringContaining('garbage'),
    });
    expect(reopened.outbox.status().quarantined).toBe(1);
  });

  it('quarantines a slot found corrupt at read time (after open)', () => {
    const store = memoryStore();
    const { outbox } = open(store);
    outbox.append(a);
    store.set('outbox.slot.0', JSON.stringify({ rev: 1, log: { ...a, pain: 99 } }));
    expect(outbox.pending()).toEqual([]);
    expect(outbox.quarantine().items).toHaveLength(1);
  });

  it('rebuilds an unreadable index from the slots and quarantines the old one', () => {
    const store = memoryStore();
    const { outbox } = open(store);
    outbox.append(b);
    outbox.append(a);
    store.set('outbox.index', 'not json');
    const reopened = open(store);
    expect(reopened.report.indexRebuilt).toBe(true);
    expect(reopened.outbox.pending().map((p) => p.id)).toEqual([a.id, b.id]);
    expect(reopened.outbox.quarantine().items[0]?.raw).toBe('not json');
  });

  it('survives a crash before any write of every operation: nothing acknowledged-only, nothing lost', () => {
    // The scenario, then the same scenario crashed before its k-th write, for every k.
    const scenario = (store: KeyValueStore) => {
      const durable = new Set<string>();
      const acked = new Set<string>();
      const { outbox } = open(store);
      for (const log of [a, b, c]) if (outbox.append(log).ok) durable.add(log.id);
      // The phone has these: once acknowledge is called they may go, whether or not it completes.
      [a.id, c.id].forEach((id) => acked.add(id));
      outbox.acknowledge([
        { id: a.id, rev: 1 },
        { id: c.id, rev: 1 },
      ]);
      if (outbox.append({ ...b, pain: 6 }).ok) durable.add(b.id);
      if (outbox.append({ ...a, pain: 2 }).ok) acked.delete(a.id);
      if (outbox.append(d).ok) durable.add(d.id);
      return { durable, acked };
    };
    let writes = 0;
    const counter = memoryStore();
    const counting: KeyValueStore = {
      ...counter,
      set: (k, v) => (writes++, counter.set(k, v)),
      remove: (k) => (writes++, counter.remove(k)),
    };
    scenario(counting);
    expect(writes).toBeGreaterThan(10);
    for (let k = 0; k <= writes; k++) {
      const disk = memoryStore();
      let n = 0;
      const dying: KeyValueStore = {
        get: (key) => disk.get(key),
        set: (key, value) => {
          if (n++ >= k) throw new Error('crash');
          disk.set(key, value);
        },
        remove: (key) => {
          if (n++ >= k) throw new Error('crash');
          disk.remove(key);
        },
      };
      const { durable, acked } = scenario(dying);
      const { outbox, report } = open(disk);
      expect(report.quarantined).toEqual([]);
      const pending = outbox.pending().map((p) => p.id);
      expect(new Set(pending).size).toBe(pending.length);
      for (const id of durable) if (!acked.has(id)) expect(pending, `crash at write ${k}`).toContain(id);
      // The recent-days list counts each pending log once, whatever the crash point.
      const counted = outbox.recentDays().reduce((s, day) => s + day.sessions, 0);
      expect(counted).toBeGreaterThanOrEqual(new Set(pending).size);
      expect(counted).toBeLessThanOrEqual(4);
    }
  });

  it('turns a throwing store into a typed storage error, never an exception', () => {
    const store = memoryStore();
    const { outbox } = open(store);
    const broken: KeyValueStore = {
      ...store,
      set: () => {
        throw new Error('disk full');
      },
    };
    const r = openOutbox(broken, { now: T0 }).outbox.append(a);
    expect(r).toMatchObject({ ok: false, error: { type: 'storage' } });
    expect(outbox.pending()).toEqual([]);
  });
});
