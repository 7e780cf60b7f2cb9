import { describe, expect, it } from 'vitest';
import { openHistory } from '../../../core/phone/history';
import { memoryStore } from '../../../core/base/kv';
import { DEFAULT_PRESCRIPTION } from '../../../core/plan/prescription';
import { toPlain } from '../../../core/log/session-log';
import { handleRequest } from '../../../core/phone/side-handler';
import { encodeLogBatch } from '../../../core/link/protocol';
import { makeLog, seededRandom, T0 } from '../../support/sync-fixtures';

const random = seededRandom(23);

describe('side service request handler', () => {
  it('answers ping with the app and protocol versions', () => {
    expect(handleRequest(memoryStore(), { v: 1, type: 'ping' }, T0, '1.2.0')).toEqual({
      v: 1,
      type: 'ping',
      appVersion: '1.2.0',
      protocol: 1,
    });
  });

  it('sorts a push into accepted, known and rejected, storing each log once', () => {
    const store = memoryStore();
    const [a, b] = [makeLog(random, T0), makeLog(random, T0 + 1000)];
    handleRequest(store, { v: 1, type: 'logs.push', logs: [toPlain(a)] }, T0, '1');
    const bad = { ...toPlain(b), pain: 12 };
    const response = handleRequest(
      store,
      { v: 1, type: 'logs.push', logs: [toPlain(a), toPlain(b), bad, 'junk'] },
      T0,
      '1',
    );
    expect(response).toMatchObject({
      type: 'logs.push',
      accepted: [b.id],
      known: [a.id],
      rejected: [
        { id: b.id, index: 2, reason: expect.stringContaining('pain') },
        { id: null, index: 3 },
      ],
    });
    expect(openHistory(store, { now: T0 }).all()).toEqual([a, b]);
  });

  it('carries pain before and heart rate through logs.push, beside logs without them', () => {
    const store = memoryStore();
    const measured = makeLog(random, T0, { painBefore: 3, pain: 5, hrStart: 72, hrEnd: 64 });
    const older = makeLog(random, T0 + 1000);
    const wire = JSON.stringify({ v: 1, type: 'logs.push', logs: [toPlain(measured), toPlain(older)] });
    expect(wire).toContain('"painBefore":3,"pain":5');
    expect(wire).toContain('"hrStart":72,"hrEnd":64');
    const response = handleRequest(store, wire, T0, '1');
    expect(response).toMatchObject({ accepted: [measured.id, older.id], rejected: [] });
    const stored = openHistory(store, { now: T0 }).all();
    expect(stored).toEqual([measured, older]);
    expect([stored[1]!.hrStart, stored[1]!.painBefore]).toEqual([undefined, undefined]);
    // A heart rate of 0 is a sensor's "no value": refused by its bound, never stored as a reading.
    const zero = handleRequest(
      store,
      { v: 1, type: 'logs.push', logs: [{ ...toPlain(makeLog(random, T0 + 2000)), hrEnd: 0 }] },
      T0,
      '1',
    );
    expect(zero).toMatchObject({
      accepted: [],
      rejected: [{ reason: expect.stringContaining('hrEnd must be 25–250; got 0.') }],
    });
  });

  it('carries pain before and heart rate through logs.batch, the table the watch sends', () => {
    const store = memoryStore();
    const logs = [
      makeLog(random, T0, { painBefore: 3, pain: 5, hrStart: 72, hrEnd: 64 }),
      makeLog(random, T0 + 1000, { painBefore: 3, hrStart: 70 }),
      makeLog(random, T0 + 2000),
    ];
    const request = encodeLogBatch(logs.map(toPlain));
    const response = handleRequest(store, JSON.stringify(request), T0, '1');
    expect(response).toMatchObject({ accepted: logs.map((l) => l.id), rejected: [] });
    expect(openHistory(store, { now: T0 }).all()).toEqual(logs);
  });

  it("answers summary.get for the watch's day", () => {
    const store = memoryStore();
    handleRequest(
      store,
      { v: 1, type: 'logs.push', logs: [toPlain(makeLog(random, T0, { outcome: 'completed' }))] },
      T0,
      '1',
    );
    const r = handleRequest(
      store,
      { v: 1, type: 'summary.get', now: T0 + 3600_000, utcOffsetMin: 60 },
      T0,
      '1',
    );
    expect(r).toMatchObject({
      type: 'summary.get',
      summary: { date: '2026-11-25', today: 1, target: 1, streak: 1 },
    });
  });

  it('gets and sets the prescription with revisions, refusing invalid and stale ones', () => {
    const store = memoryStore();
    expect(handleRequest(store, { v: 1, type: 'prescription.get' }, T0, '1')).toMatchObject({ revision: 0 });
    const next = { ...DEFAULT_PRESCRIPTION, holdBreaths: 4 };
    expect(
      handleRequest(store, { v: 1, type: 'prescription.set', prescription: next, baseRevision: 0 }, T0, '1'),
    ).toMatchObject({ revision: 1, prescription: next });
    expect(
      handleRequest(store, { v: 1, type: 'prescription.set', prescription: next, baseRevision: 0 }, T0, '1'),
    ).toMatchObject({ type: 'error', code: 'conflict' });
    expect(
      handleRequest(
        store,
        { v: 1, type: 'prescription.set', prescription: { holdBreaths: 0 }, baseRevision: 1 },
        T0,
        '1',
      ),
    ).toMatchObject({ type: 'error', code: 'invalid' });
    expect(handleRequest(store, { v: 1, type: 'prescription.get' }, T0, '1')).toMatchObject({
      revision: 1,
      prescription: next,
    });
  });

  it('answers a failing store with a storage error so the watch retries', () => {
    const broken = {
      ...memoryStore(),
      set: () => {
        throw new Error('full');
      },
    };
    const r = handleRequest(
      broken,
      { v: 1, type: 'logs.push', logs: [toPlain(makeLog(random, T0))] },
      T0,
      '1',
    );
    expect(r).toMatchObject({ type: 'error', code: 'storage' });
  });

  it('answers unknown versions and types with typed errors', () => {
    expect(handleRequest(memoryStore(), { v: 9, type: 'ping' }, T0, '1')).toMatchObject({
      type: 'error',
      code: 'unsupported_version',
      supported: [1],
    });
    expect(handleRequest(memoryStore(), '{"v":1,"type":"nope"}', T0, '1')).toMatchObject({
      type: 'error',
      code: 'unknown_type',
    });
  });
});
