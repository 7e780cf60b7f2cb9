import { describe, expect, it } from 'vitest';
import { openHistory } from '../../../core/phone/history';
import { memoryStore, type KeyValueStore } from '../../../core/base/kv';
import { DEFAULT_PRESCRIPTION } from '../../../core/plan/prescription';
import { toPlain, type SessionLog } from '../../../core/log/session-log';
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
    // A copy that differs in more than the rating (and records less of the session) is set aside.
    expect(history.append({ ...log, activeMs: 1, pain: 8 })).toMatchObject({
      ok: true,
      value: { kept: 'stored', reason: expect.stringMatching(/activeMs/) as unknown },
    });
    expect(history.append({ ...log, pain: 8 })).toEqual({ ok: true, value: 'updated' });
    expect(history.append({ ...log, pain: 2 })).toEqual({ ok: true, value: 'known' });
    expect(history.all()).toEqual([{ ...log, pain: 8 }]);
    expect(history.conflicts().map((c) => JSON.parse(c.raw) as unknown)).toEqual([
      { ...toPlain(log), activeMs: 1, pain: 8 },
    ]);
  });

  it('lays logs out by local month in bounded parts, with no index to go stale', () => {
    const store = memoryStore();
    const history = open(store, 4);
    const logs = Array.from({ length: 10 }, (_, i) => makeLog(random, Date.UTC(2026, 9, 1) + i * DAY));
    logs.push(makeLog(random, Date.UTC(2026, 10, 3)));
    for (const l of [...logs].reverse()) history.append(l);
    const keys = Object.keys(store.dump()).sort();
    // Each month's marker, then its parts.
    expect(keys).toEqual([
      'history.m.2026-10',
      'history.m.2026-10.0',
      'history.m.2026-10.1',
      'history.m.2026-10.2',
      'history.m.2026-11',
      'history.m.2026-11.0',
    ]);
    expect(history.months()).toEqual(['2026-10', '2026-11']);
    expect(history.all().map((l) => l.id)).toEqual(logs.map((l) => l.id));
  });

  it("writes one part per append, however long the history (and a month's marker when it opens one)", () => {
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
    const opened = new Set<string>();
    for (const keys of written) {
      const month = /^history\.m\.(\d{4}-\d\d)\.\d+$/.exec(keys.at(-1) ?? '')?.[1] ?? 'none';
      const marker = opened.has(month) ? [] : [`history.m.${month}`];
      opened.add(month);
      expect(keys).toEqual([...marker, expect.stringMatching(/^history\.m\.\d{4}-\d\d\.\d+$/)]);
    }
  });

  it('stores a batch of one month in one write, whatever its size', () => {
    const disk = memoryStore();
    const writes: string[] = [];
    const counting: KeyValueStore = { ...disk, set: (k, v) => (writes.push(k), disk.set(k, v)) };
    const history = openHistory(counting, { now: T0 + 40 * DAY });
    const batch = Array.from({ length: 19 }, (_, i) => makeLog(random, Date.UTC(2026, 10, 1, 9) + i * HOUR));
    expect(history.appendAll(batch)).toEqual({ ok: true, value: batch.map(() => 'accepted') });
    // 19 new logs of November: one part holds them all, even past the 16 a part takes one by one.
    expect(writes).toEqual(['history.m.2026-11', 'history.m.2026-11.0']);
    writes.length = 0;
    expect(history.appendAll(batch)).toEqual({ ok: true, value: batch.map(() => 'known') });
    expect(writes).toEqual([]);
    // Two more: part 0 is past 16, so they open part 1, together.
    const more = [makeLog(random, Date.UTC(2026, 10, 20, 9)), makeLog(random, Date.UTC(2026, 10, 21, 9))];
    expect(history.appendAll(more)).toEqual({ ok: true, value: ['accepted', 'accepted'] });
    expect(writes).toEqual(['history.m.2026-11.1']);
    expect(history.all().map((l) => l.id)).toEqual([...batch, ...more].map((l) => l.id));
  });

  it('writes at most three parts per batch, and leaves what needs a fourth for the next push', () => {
    const disk = memoryStore();
    const writes: string[] = [];
    const counting: KeyValueStore = { ...disk, set: (k, v) => (writes.push(k), disk.set(k, v)) };
    const history = openHistory(counting, { now: T0 + 400 * DAY, partSize: 4 });
    // Twelve unrated logs of October, one at a time: parts 0, 1 and 2 of October, four each.
    const october = Array.from({ length: 12 }, (_, i) =>
      makeLog(random, Date.UTC(2026, 9, 1 + i, 9), { pain: undefined }),
    );
    for (const l of october) history.append(l);
    expect(disk.get('history.m.2026-10.2')).toBeDefined();
    writes.length = 0;
    // A week away across the month's end: ratings of logs in parts 0 and 2 of October, new logs of
    // October and of November. Five writes one by one; this batch gets three.
    const rate = (l: SessionLog): SessionLog => ({ ...l, pain: 5, painAt: l.endedAt + HOUR });
    const newOctober = makeLog(random, Date.UTC(2026, 9, 30, 9));
    const newNovember = [
      makeLog(random, Date.UTC(2026, 10, 1, 9)),
      makeLog(random, Date.UTC(2026, 10, 2, 9)),
    ];
    const batch = [rate(october[0]!), rate(october[9]!), newOctober, ...newNovember];
    const first = history.appendAll(batch);
    // October: part 0 (the rating), part 2 (full: the new log opens part 3), the rating in part 2 — three
    // writes; November would be a fourth.
    expect(first).toEqual({ ok: true, value: ['updated', 'updated', 'accepted', 'later', 'later'] });
    expect(writes).toEqual(['history.m.2026-10.0', 'history.m.2026-10.2', 'history.m.2026-10.3']);
    writes.length = 0;
    // The watch sends again what was not answered: November in one write; the rest is known.
    expect(history.appendAll(batch)).toEqual({
      ok: true,
      value: ['known', 'known', 'known', 'accepted', 'accepted'],
    });
    expect(writes).toEqual(['history.m.2026-11', 'history.m.2026-11.0']);
    const all = history.all();
    expect(all).toHaveLength(15);
    expect(all.filter((l) => l.pain === 5).map((l) => l.id)).toEqual([october[0]!.id, october[9]!.id]);
  });

  it('puts at most 64 logs into a part, whatever the batch brings', () => {
    const disk = memoryStore();
    const writes: string[] = [];
    const counting: KeyValueStore = { ...disk, set: (k, v) => (writes.push(k), disk.set(k, v)) };
    const history = openHistory(counting, { now: T0 + 400 * DAY });
    // 90 sessions in March 2026, three a day: 64 in part 0, 26 in part 1.
    const march = Array.from({ length: 90 }, (_, i) =>
      makeLog(random, Date.UTC(2026, 2, 1, 7) + i * 8 * HOUR),
    );
    expect(history.appendAll(march)).toEqual({ ok: true, value: march.map(() => 'accepted') });
    expect(writes).toEqual(['history.m.2026-03', 'history.m.2026-03.0', 'history.m.2026-03.1']);
    expect((JSON.parse(disk.get('history.m.2026-03.0')!) as unknown[]).length).toBe(64);
    expect((JSON.parse(disk.get('history.m.2026-03.1')!) as unknown[]).length).toBe(26);
    expect(history.all()).toHaveLength(90);
  });

  it('takes a batch of 200 logs over seven months in passes of at most three writes, losing none', () => {
    const disk = memoryStore();
    let writes = 0;
    // Part writes: a month's marker is written besides, once, when the month is opened.
    const counting: KeyValueStore = {
      ...disk,
      set: (k, v) => (/\.\d+$/.test(k) && writes++, disk.set(k, v)),
    };
    const history = openHistory(counting, { now: T0 + 400 * DAY });
    const logs = Array.from({ length: 200 }, (_, i) =>
      makeLog(random, Date.UTC(2026, 0, 1, 9) + i * 25 * HOUR),
    );
    let left = logs;
    let passes = 0;
    while (left.length > 0 && passes < 10) {
      writes = 0;
      const done = history.appendAll(left);
      if (!done.ok) throw new Error(done.error);
      expect(writes).toBeLessThanOrEqual(3);
      left = left.filter((_, i) => done.value[i] === 'later');
      passes++;
    }
    // 200 days from 1 January: January to July, seven months, three a pass.
    expect(passes).toBe(3);
    expect(history.all().map((l) => l.id)).toEqual(logs.map((l) => l.id));
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
