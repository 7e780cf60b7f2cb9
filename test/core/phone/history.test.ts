import { describe, expect, it } from 'vitest';
import { openHistory } from '../../../core/phone/history';
import { memoryStore, type KeyValueStore } from '../../../core/base/kv';
import { DEFAULT_PRESCRIPTION } from '../../../core/plan/prescription';
import type { SessionLog } from '../../../core/log/session-log';
import { DAY, HOUR, makeLog, seededRandom, T0 } from '../../support/sync-fixtures';

const random = seededRandom(13);
const open = (store: KeyValueStore, partSize = 4) => openHistory(store, { now: T0 + 400 * DAY, partSize });

describe('history store', () => {
  it('is idempotent on log id', () => {
    const store = memoryStore();
    const history = open(store);
    const log = makeLog(random, T0);
    expect(history.append(log)).toEqual({ ok: true, value: 'accepted' });
    expect(history.append(log)).toEqual({ ok: true, value: 'known' });
    expect(history.all()).toEqual([log]);
  });

  it('takes a later pain rating for a stored log, and nothing else', () => {
    const history = open(memoryStore());
    const log = makeLog(random, T0, { pain: undefined });
    history.append(log);
    expect(history.append({ ...log, activeMs: 1, pain: 8 })).toEqual({ ok: true, value: 'known' });
    expect(history.append({ ...log, pain: 8 })).toEqual({ ok: true, value: 'updated' });
    expect(history.append({ ...log, pain: 2 })).toEqual({ ok: true, value: 'known' });
    expect(history.all()).toEqual([{ ...log, pain: 8 }]);
  });

  it('lays logs out by local month in bounded parts, with no index to go stale', () => {
    const store = memoryStore();
    const history = open(store, 4);
    const logs = Array.from({ length: 10 }, (_, i) => makeLog(random, Date.UTC(2026, 9, 1) + i * DAY));
    logs.push(makeLog(random, Date.UTC(2026, 10, 3)));
    for (const l of [...logs].reverse()) history.append(l);
    const keys = Object.keys(store.dump()).sort();
    expect(keys).toEqual([
      'history.m.2026-10.0',
      'history.m.2026-10.1',
      'history.m.2026-10.2',
      'history.m.2026-11.0',
    ]);
    expect(history.months()).toEqual(['2026-10', '2026-11']);
    expect(history.all().map((l) => l.id)).toEqual(logs.map((l) => l.id));
  });

  it('writes one part per append, however long the history', () => {
    const disk = memoryStore();
    const written: string[][] = [];
    let current: string[] = [];
    const counting: KeyValueStore = { ...disk, set: (k, v) => (current.push(k), disk.set(k, v)) };
    const history = openHistory(counting, { now: T0 });
    for (let i = 0; i < 600; i++) {
      current = [];
      history.append(makeLog(random, T0 + i * 12 * HOUR));
      written.push(current);
    }
    for (const keys of written)
      expect(keys).toEqual([expect.stringMatching(/^history\.m\.\d{4}-\d\d\.\d+$/)]);
  });

  it('stores a batch with one write per part it touches', () => {
    const disk = memoryStore();
    const writes: string[] = [];
    const counting: KeyValueStore = { ...disk, set: (k, v) => (writes.push(k), disk.set(k, v)) };
    const history = openHistory(counting, { now: T0 + 40 * DAY });
    const batch = Array.from({ length: 19 }, (_, i) => makeLog(random, Date.UTC(2026, 10, 1, 9) + i * HOUR));
    expect(history.appendAll(batch)).toEqual({ ok: true, value: batch.map(() => 'accepted') });
    // 19 logs of one month, 16 to a part: parts 0 and 1, one write each.
    expect(writes).toEqual(['history.m.2026-11.0', 'history.m.2026-11.1']);
    writes.length = 0;
    expect(history.appendAll(batch)).toEqual({ ok: true, value: batch.map(() => 'known') });
    expect(writes).toEqual([]);
  });

  it('stores a log exactly once across a crash before any of its writes', () => {
    const logs = Array.from({ length: 6 }, (_, i) => makeLog(random, T0 + i * HOUR));
    for (let k = 0; k < 20; k++) {
      const disk = memoryStore();
      let n = 0;
      const dying: KeyValueStore = {
        ...disk,
        set: (key, v) => {
          if (n++ === k) throw new Error('crash');
          disk.set(key, v);
        },
      };
      const first = open(dying, 2);
      const stored = new Set<string>();
      for (const l of logs) if (first.append(l).ok) stored.add(l.id);
      // The watch resends everything it has no ack for (and some it has): still once each.
      const second = open(disk, 2);
      for (const l of logs) expect(second.append(l).ok).toBe(true);
      const ids = second.all().map((l) => l.id);
      expect(ids.sort(), `crash at write ${k}`).toEqual(logs.map((l) => l.id).sort());
    }
  });

  it('quarantines a corrupt part, keeps its readable logs, and reports it', () => {
    const store = memoryStore();
    const history = open(store, 4);
    const [x, y] = [makeLog(random, T0), makeLog(random, T0 + HOUR)] as [SessionLog, SessionLog];
    history.append(x);
    history.append(y);
    const key = 'history.m.2026-11.0';
    const parts = JSON.parse(store.get(key) ?? '[]') as unknown[];
    store.set(key, JSON.stringify([parts[0], { broken: true }]));
    expect(open(store).all()).toEqual([x]);
    expect(history.quarantine().items[0]).toMatchObject({ key, raw: expect.stringContaining('broken') });
    store.set(key, '][');
    expect(open(store).all()).toEqual([]);
    expect(history.quarantine().items).toHaveLength(2);
  });

  it('ignores the keys earlier versions kept beside the parts (an index, id sets), whatever they hold', () => {
    const store = memoryStore();
    const history = open(store, 2);
    const logs = [0, 1, 2, 40].map((d) => makeLog(random, T0 + d * DAY));
    for (const l of logs) history.append(l);
    store.set('history.index', '{"v":1,"months":7}');
    store.set('history.ids.2026-11', 'x');
    const reopened = open(store, 2);
    expect(reopened.all()).toEqual(logs);
    expect(reopened.append(logs[1]!)).toEqual({ ok: true, value: 'known' });
    expect(reopened.quarantine().items).toEqual([]);
  });

  it('keeps the prescription with a revision, refusing stale writers', () => {
    const history = open(memoryStore());
    expect(history.prescription()).toEqual({ revision: 0, prescription: DEFAULT_PRESCRIPTION });
    const next = { ...DEFAULT_PRESCRIPTION, rounds: 4 };
    expect(history.setPrescription(next, 0)).toEqual({
      ok: true,
      value: { revision: 1, prescription: next },
    });
    expect(history.setPrescription(DEFAULT_PRESCRIPTION, 0)).toMatchObject({
      ok: false,
      error: { code: 'conflict', current: { revision: 1 } },
    });
    expect(history.prescription().prescription.rounds).toBe(4);
  });

  it('reports a throwing store as an error, not an exception', () => {
    const history = openHistory(
      {
        get: () => undefined,
        set: () => {
          throw new Error('quota');
        },
        remove: () => {},
      },
      { now: T0 },
    );
    expect(history.append(makeLog(random, T0))).toMatchObject({
      ok: false,
      error: expect.stringContaining('quota'),
    });
  });
});
