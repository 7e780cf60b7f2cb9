import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../../core/base/kv';
import { openOutbox, type PendingLog } from '../../../core/watch/outbox';
import { DEFAULT_PRESCRIPTION } from '../../../core/plan/prescription';
import {
  BATCH_BUDGET_BYTES,
  batchLogs,
  decodeRequest,
  encodeLogBatch,
  decodeResponse,
  messageBytes,
  ZML_CHUNK_BYTES,
  type RequestType,
} from '../../../core/link/protocol';
import { toPlain } from '../../../core/log/session-log';
import { buildPushBatch } from '../../../core/watch/sync';
import { handleRequest } from '../../../core/phone/side-handler';
import { utf8Length } from '../../../core/base/utf8';
import { makeLog, seededRandom, T0 } from '../../support/sync-fixtures';

const random = seededRandom(5);
const pending = (n: number): PendingLog[] => {
  const { outbox } = openOutbox(memoryStore(), { now: T0, capacity: n });
  for (let i = 0; i < n; i++) outbox.append(makeLog(random, T0 + i * 60_000));
  return outbox.pending();
};

const validRequests: unknown[] = [
  { v: 1, type: 'ping' },
  { v: 1, type: 'logs.push', logs: [toPlain(makeLog(random, T0))] },
  { v: 1, type: 'summary.get', now: T0, utcOffsetMin: 60 },
  { v: 1, type: 'prescription.get' },
  { v: 1, type: 'prescription.set', prescription: DEFAULT_PRESCRIPTION, baseRevision: 0 },
  encodeLogBatch([toPlain(makeLog(random, T0)), toPlain(makeLog(random, T0 + 3_600_000))]),
];

/** Anything a broken or hostile peer could send: text, bytes, JSON, and valid messages with one field changed. */
const anyInput = fc.oneof(
  fc.string(),
  fc.uint8Array({ maxLength: 300 }),
  fc.jsonValue(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .tuple(fc.constantFrom(...validRequests), fc.string({ maxLength: 12 }), fc.jsonValue())
    .map(([m, k, v]) => ({
      ...(m as object),
      [k]: v,
    })),
  fc
    .tuple(
      fc.constantFrom(...validRequests),
      fc.constantFrom(
        'v',
        'type',
        'logs',
        'now',
        'utcOffsetMin',
        'prescription',
        'baseRevision',
        'same',
        'fields',
        'tables',
        'rows',
      ),
      fc.jsonValue(),
    )
    .map(([m, k, v]) => ({ ...(m as object), [k]: v })),
);

describe('batches', () => {
  it('fit the byte budget, measured on the encoded request, oldest first', () => {
    const logs = pending(160);
    const batch = buildPushBatch(logs);
    expect(batch.request.type).toBe('logs.batch');
    expect(batch.bytes).toBe(utf8Length(JSON.stringify(batch.request)));
    expect(batch.bytes).toBeLessThanOrEqual(BATCH_BUDGET_BYTES);
    expect(batch.refs.map((r) => r.id)).toEqual(logs.slice(0, batch.refs.length).map((l) => l.id));
    // One log more would not have fit: the batch is as full as the budget allows.
    const more = buildPushBatch(logs.slice(0, batch.refs.length + 1), Infinity);
    expect(more.bytes).toBeGreaterThan(BATCH_BUDGET_BYTES);
    expect(Math.ceil(batch.bytes / ZML_CHUNK_BYTES)).toBeLessThanOrEqual(3);
    // A log in logs.push costs its whole JSON, about 520 bytes: a batch carries far more of them.
    expect(batch.refs.length).toBeGreaterThan(40);
  });

  it('fit the byte budget in the logs.push of 1.0 too, for a phone that knows nothing else', () => {
    const logs = pending(60);
    const batch = buildPushBatch(logs, BATCH_BUDGET_BYTES, 'logs.push');
    expect(batch.request.type).toBe('logs.push');
    expect(batch.bytes).toBe(utf8Length(JSON.stringify(batch.request)));
    expect(batch.bytes).toBeLessThanOrEqual(BATCH_BUDGET_BYTES);
    const next = logs[batch.refs.length];
    expect(next && batch.bytes + 1 + next.bytes).toBeGreaterThan(BATCH_BUDGET_BYTES);
  });

  it('always carry at least one log, even over budget', () => {
    const batch = buildPushBatch(pending(1), 10);
    expect(batch.refs).toHaveLength(1);
  });

  it('count multi-byte text in bytes, not characters', () => {
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('😀')).toBe(4);
    expect(messageBytes({ a: '€' })).toBe(new TextEncoder().encode(JSON.stringify({ a: '€' })).length);
  });
});

describe('requests', () => {
  it('decode every valid request', () => {
    for (const m of validRequests) expect(decodeRequest(m).ok).toBe(true);
    expect(decodeRequest(JSON.stringify(validRequests[0])).ok).toBe(true);
    expect(decodeRequest(new TextEncoder().encode(JSON.stringify(validRequests[0]))).ok).toBe(true);
    // zml's own wrapper field is tolerated.
    expect(decodeRequest({ jsonrpc: 'hmrpcv1', v: 1, type: 'ping' }).ok).toBe(true);
  });

  it('answer bad input with the right typed error', () => {
    expect(decodeRequest('{')).toMatchObject({ ok: false, error: { code: 'not_json' } });
    expect(decodeRequest(new Uint8Array([0xff]))).toMatchObject({ ok: false, error: { code: 'not_json' } });
    expect(decodeRequest([])).toMatchObject({ ok: false, error: { code: 'malformed' } });
    expect(decodeRequest({ v: 2, type: 'ping' })).toMatchObject({
      ok: false,
      error: { code: 'unsupported_version' },
    });
    expect(decodeRequest({ v: 1, type: 'logs.pull' })).toMatchObject({
      ok: false,
      error: { code: 'unknown_type' },
    });
    expect(decodeRequest({ v: 1, type: 'summary.get', now: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'invalid' },
    });
    expect(
      decodeRequest({ v: 1, type: 'prescription.set', prescription: { rounds: 40 }, baseRevision: 0 }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid', message: expect.stringContaining('1–6') },
    });
    expect(decodeRequest({ v: 1, type: 'logs.push', logs: Array(201).fill({}) })).toMatchObject({
      ok: false,
    });
  });

  it('any input to the phone gets a typed answer, never an exception (property, 1,000 runs)', () => {
    const store = memoryStore();
    fc.assert(
      fc.property(anyInput, (input) => {
        const decoded = decodeRequest(input);
        expect(typeof decoded.ok).toBe('boolean');
        const response = handleRequest(store, input, T0, '1.0.0');
        expect(response.v).toBe(1);
        if (!decoded.ok) expect(response).toMatchObject({ type: 'error', code: decoded.error.code });
        // Every answer is plain JSON the transport can carry.
        expect(JSON.parse(JSON.stringify(response))).toEqual(response);
      }),
      { numRuns: 1000, seed: 21 },
    );
  });
});

describe('responses', () => {
  const types: RequestType[] = [
    'ping',
    'logs.push',
    'summary.get',
    'prescription.get',
    'prescription.set',
    'logs.batch',
  ];

  it('decode what the phone answers, for every request type', () => {
    const store = memoryStore();
    validRequests.forEach((m, i) => {
      const type = types[i] as RequestType;
      const decoded = decodeResponse(handleRequest(store, m, T0, '1.0.0'), type);
      expect(decoded.ok, type).toBe(true);
    });
  });

  it('turn an error answer into its typed error, and a mismatched one into malformed', () => {
    expect(decodeResponse({ v: 1, type: 'error', code: 'storage', message: 'x' }, 'ping')).toMatchObject({
      ok: false,
      error: { code: 'storage' },
    });
    expect(decodeResponse({ v: 1, type: 'ping', appVersion: '1', protocol: 1 }, 'logs.push')).toMatchObject({
      ok: false,
      error: { code: 'malformed' },
    });
    expect(
      decodeResponse({ v: 1, type: 'logs.push', accepted: ['nope'], known: [], rejected: [] }, 'logs.push')
        .ok,
    ).toBe(false);
  });

  it('any input to the watch gets a typed answer, never an exception (property, 1,000 runs)', () => {
    const answers = validRequests.map((m) => handleRequest(memoryStore(), m, T0, '1.0.0'));
    const anyAnswer = fc.oneof(
      anyInput,
      fc
        .tuple(fc.constantFrom(...answers), fc.string({ maxLength: 12 }), fc.jsonValue())
        .map(([m, k, v]) => ({ ...m, [k]: v })),
      fc
        .tuple(
          fc.constantFrom(...answers),
          fc.constantFrom('accepted', 'known', 'rejected', 'summary', 'revision', 'prescription'),
          fc.jsonValue(),
        )
        .map(([m, k, v]) => ({ ...m, [k]: v })),
    );
    fc.assert(
      fc.property(anyAnswer, fc.constantFrom(...types), (input, type) => {
        const decoded = decodeResponse(input, type);
        if (decoded.ok) expect(decoded.value.type).toBe(type);
        else expect(decoded.error.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000, seed: 22 },
    );
  });
});

describe('logs.batch', () => {
  const rx4 = { ...DEFAULT_PRESCRIPTION, rounds: 4 };

  it('is the table worked out by hand for two logs', () => {
    const start = Date.UTC(2026, 10, 25, 14); // 1795615200000
    const a = makeLog(seededRandom(1), start, {
      outcome: 'completed',
      roundsDone: 3,
      activeMs: 201_000,
      pausedMs: 30_000,
      pauses: 1,
      stepsSkipped: 0,
      pain: 4,
      painAt: start + 3_600_000,
    });
    const b = makeLog(seededRandom(2), start + 86_400_000, {
      outcome: 'ended_early',
      roundsDone: 2,
      activeMs: 150_000,
      pausedMs: 0,
      pauses: 0,
      stepsSkipped: 1,
      pain: undefined,
      prescription: rx4,
    });
    const batch = encodeLogBatch([toPlain(a), toPlain(b)]);
    expect(batch).toEqual({
      v: 1,
      type: 'logs.batch',
      same: {
        v: 1,
        routineId: 'spinal-self-traction',
        routineVersion: 1,
        utcOffsetMin: 60,
        roundsPlanned: 3,
        appVersion: '1.0.0',
      },
      fields: [
        'id',
        'prescription',
        'startedAt',
        'endedAt',
        'activeMs',
        'pausedMs',
        'pauses',
        'roundsDone',
        'stepsSkipped',
        'outcome',
        'pain',
        'painAt',
      ],
      tables: { prescription: [DEFAULT_PRESCRIPTION, rx4] },
      rows: [
        [a.id, 0, 1795615200000, 1795615431000, 201000, 30000, 1, 3, 0, 'completed', 4, 1795618800000],
        [b.id, 1, 1795701600000, 1795701750000, 150000, 0, 0, 2, 1, 'ended_early', null, null],
      ],
    });
    // Read back: the same two logs, field for field, as the log codec writes them.
    expect(batchLogs(batch)).toEqual([
      { ok: true, value: expect.objectContaining(toPlain(a)) },
      { ok: true, value: expect.objectContaining(toPlain(b)) },
    ]);
  });

  it('reads back every log exactly, for any mix of fields and prescriptions (property, 300 runs)', () => {
    const anyLog = fc
      .record({
        start: fc.integer({ min: 0, max: 60 * 86_400_000 }),
        pain: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
        rounds: fc.integer({ min: 1, max: 6 }),
        offset: fc.constantFrom(-300, 0, 60, 330),
        repairs: fc.option(fc.constant(['The pause was cut to 31 days.']), { nil: undefined }),
        version: fc.constantFrom('1.0.0', '1.1.0'),
        painBefore: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
        hrStart: fc.option(fc.integer({ min: 25, max: 250 }), { nil: undefined }),
        hrEnd: fc.option(fc.integer({ min: 25, max: 250 }), { nil: undefined }),
      })
      .map((o) =>
        makeLog(seededRandom(o.start), T0 - o.start, {
          prescription: { ...DEFAULT_PRESCRIPTION, rounds: o.rounds },
          roundsPlanned: o.rounds,
          utcOffsetMin: o.offset,
          appVersion: o.version,
          ...(o.pain === undefined
            ? { pain: undefined }
            : { pain: o.pain, painAt: T0 - o.start + 3_600_000 }),
          ...(o.repairs ? { repairs: o.repairs } : {}),
          // Fields added to the log after logs.batch was written: they travel with no change to it.
          ...(o.painBefore === undefined ? {} : { painBefore: o.painBefore }),
          ...(o.hrStart === undefined ? {} : { hrStart: o.hrStart }),
          ...(o.hrEnd === undefined ? {} : { hrEnd: o.hrEnd }),
        }),
      );
    fc.assert(
      fc.property(fc.array(anyLog, { minLength: 1, maxLength: 40 }), (logs) => {
        const plain = logs.map(toPlain);
        const wire = JSON.parse(JSON.stringify(encodeLogBatch(plain))) as unknown;
        const decoded = decodeRequest(wire);
        if (!decoded.ok || decoded.value.type !== 'logs.batch') throw new Error('not decoded');
        const back = batchLogs(decoded.value).map((r) => (r.ok ? r.value : r.error));
        // Same fields and values; key order aside, the log codec's own canonical JSON must agree.
        expect(back).toEqual(plain);
      }),
      { numRuns: 300, seed: 31 },
    );
  });

  it('answers a malformed batch with a typed error, and a bad row with that log rejected', () => {
    const ok2 = encodeLogBatch([toPlain(makeLog(random, T0)), toPlain(makeLog(random, T0 + 3_600_000))]);
    for (const bad of [
      { ...ok2, fields: 'id' },
      { ...ok2, fields: [...ok2.fields, ok2.fields[0]] },
      { ...ok2, fields: [...ok2.fields, '__proto__'] },
      { ...ok2, same: { ...ok2.same, ['constructor x']: 1 } },
      { ...ok2, same: [] },
      { ...ok2, tables: { nope: [] } },
      { ...ok2, rows: {} },
    ])
      expect(decodeRequest(bad), JSON.stringify(bad).slice(0, 80)).toMatchObject({
        ok: false,
        error: { code: 'malformed', message: expect.stringContaining('logs.batch') },
      });
    expect(decodeRequest({ ...ok2, rows: Array(201).fill([]) })).toMatchObject({
      ok: false,
      error: { code: 'invalid', message: expect.stringContaining('200') },
    });
    const [first, second] = ok2.rows as [unknown[], unknown[]];
    const prescriptionAt = ok2.fields.indexOf('prescription');
    const rows = [
      first.slice(1),
      second,
      prescriptionAt >= 0 ? second.map((v, i) => (i === prescriptionAt ? 7 : v)) : second,
    ];
    const answer = handleRequest(memoryStore(), { ...ok2, rows }, T0 + 86_400_000, '1.1.0');
    expect(answer).toMatchObject({
      type: 'logs.batch',
      accepted: [second[0]],
      rejected: [{ id: null, index: 0, reason: expect.stringContaining('one per field') }],
    });
  });
});
