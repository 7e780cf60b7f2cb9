import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../../core/base/kv';
import { openOutbox, type PendingLog } from '../../../core/watch/outbox';
import { DEFAULT_PRESCRIPTION, type Prescription } from '../../../core/plan/prescription';
import {
  BATCH_BUDGET_BYTES,
  batchLogs,
  decodeRequest,
  encodeLogBatch,
  decodeResponse,
  fnv1a48,
  prescriptionRef,
  messageBytes,
  ZML_CHUNK_BYTES,
  type RequestType,
} from '../../../core/link/protocol';
import { repairSessionLog, toPlain, type SessionLog } from '../../../core/log/session-log';
import { openHistory } from '../../../core/phone/history';
import { buildPushBatch } from '../../../core/watch/sync';
import { handleRequest, prescriptionsByRef } from '../../../core/phone/side-handler';
import { utf8Length } from '../../../core/base/utf8';
import { everyFieldRecord, makeLog, seededRandom, T0 } from '../../support/sync-fixtures';

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
        'cols',
        'same',
        'rx',
        'rows',
      ),
      fc.jsonValue(),
    )
    .map(([m, k, v]) => ({ ...(m as object), [k]: v })),
);

describe('batches', () => {
  it('fit the byte budget, measured on the encoded request, oldest first', () => {
    const logs = pending(200);
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

/** FNV-1a 64 as its authors define it (BigInt, byte by byte), xor-folded to 48 bits: the model of the reference. */
function fnvModel(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text))
    h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return ((h & 0xffffffffffffn) ^ (h >> 48n)).toString(36);
}

describe('prescription references', () => {
  it('are FNV-1a 64 folded to 48 bits: the published test vectors', () => {
    // From the FNV reference (draft-eastlake-fnv): "" cbf29ce484222325, "a" af63dc4c8601ec8c, "foobar" 85944171f73967e8.
    const fold = (h: bigint) => ((h & 0xffffffffffffn) ^ (h >> 48n)).toString(36);
    expect(fnv1a48('')).toBe(fold(0xcbf29ce484222325n));
    expect(fnv1a48('a')).toBe(fold(0xaf63dc4c8601ec8cn));
    expect(fnv1a48('foobar')).toBe(fold(0x85944171f73967e8n));
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'{}[]":,0123456789abcdefghijklmnopqrstuvwxyzABC'.split('')) }),
        (t) => {
          expect(fnv1a48(t)).toBe(fnvModel(t));
        },
      ),
      { numRuns: 500, seed: 3 },
    );
  });

  it('are taken over the canonical JSON, whatever the key order', () => {
    const canonical =
      '{"exhaleSec":6,"halfSweepSec":3,"holdBreaths":3,"inhaleSec":4,"lengthenSec":8,"relaxSec":3,"reminders":["15:00"],"returnSec":4,"rounds":3,"sessionsPerDay":1,"setupSec":10,"strength":"medium","sweeps":3}';
    expect(prescriptionRef(DEFAULT_PRESCRIPTION)).toBe(fnvModel(canonical));
    const reversed = Object.fromEntries(Object.entries(DEFAULT_PRESCRIPTION).reverse());
    expect(prescriptionRef(reversed)).toBe(fnvModel(canonical));
    expect(prescriptionRef({ ...DEFAULT_PRESCRIPTION, rounds: 4 })).not.toBe(fnvModel(canonical));
  });
});

describe('logs.batch', () => {
  const rx4 = { ...DEFAULT_PRESCRIPTION, rounds: 4 };
  const rx4Canonical =
    '{"exhaleSec":6,"halfSweepSec":3,"holdBreaths":3,"inhaleSec":4,"lengthenSec":8,"relaxSec":3,"reminders":["15:00"],"returnSec":4,"rounds":4,"sessionsPerDay":1,"setupSec":10,"strength":"medium","sweeps":3}';
  const defaultCanonical = rx4Canonical.replace('"rounds":4', '"rounds":3');
  const resolve = (ref: string) =>
    ({ [fnvModel(defaultCanonical)]: DEFAULT_PRESCRIPTION, [fnvModel(rx4Canonical)]: rx4 })[ref];

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
    // Two logs share nothing worth naming; each row ends at its last value that is not the fallback
    // (no repairs, log v 1, routine version 1, the spinal self-traction routine).
    expect(batch).toEqual({
      v: 1,
      type: 'logs.batch',
      cols: 1,
      rows: [
        // id, prescription, start − the id's time, end − start, offset, active, paused, pauses, rounds
        // done, planned, skipped, outcome (completed), pain before, pain, its time − end, heart rates, app
        [
          a.id,
          fnvModel(defaultCanonical),
          0,
          231000,
          60,
          201000,
          30000,
          1,
          3,
          3,
          0,
          0,
          null,
          4,
          3369000,
          null,
          null,
          '1.0.0',
        ],
        [
          b.id,
          fnvModel(rx4Canonical),
          0,
          150000,
          60,
          150000,
          0,
          0,
          2,
          3,
          1,
          1,
          null,
          null,
          null,
          null,
          null,
          '1.0.0',
        ],
      ],
    });
    expect(a.id.slice(0, 9)).toBe(start.toString(36).padStart(9, '0'));
    // Read back: the same two logs, field for field, as the log codec writes them.
    expect(batchLogs(batch, resolve)).toEqual([
      { ok: true, value: toPlain(a) },
      { ok: true, value: toPlain(b) },
    ]);
    // With what the phone asks for: the prescriptions whole, once each.
    expect(encodeLogBatch([toPlain(a), toPlain(b), toPlain(a)], true).rx).toEqual([
      DEFAULT_PRESCRIPTION,
      rx4,
    ]);
  });

  it('names once what a week of logs shares', () => {
    const logs = Array.from({ length: 7 }, (_, i) =>
      toPlain(makeLog(seededRandom(i), T0 + i * 86_400_000, { pain: undefined })),
    );
    const batch = encodeLogBatch(logs);
    // Named where the name costs less than the value in seven rows: not the start (0) nor the rounds
    // planned (3), and not the last four columns, at their fallback in every log and so in no row.
    expect(batch.same).toEqual({
      prescription: fnvModel(defaultCanonical),
      utcOffsetMin: 60,
      painBefore: null,
      pain: null,
      painAt: null,
      hrStart: null,
      hrEnd: null,
      appVersion: '1.0.0',
    });
    expect(batch.rows.map((r) => r.length)).toEqual(Array(7).fill(10));
    expect(batchLogs(batch, resolve).map((r) => r.ok && r.value)).toEqual(logs);
  });

  it('sends one session log alone in at most 200 bytes, every field set, a repair included', () => {
    // A pause counted longer than the session had room for: the repair as repairSessionLog writes it.
    const start = Date.UTC(2026, 10, 25, 14);
    const record = everyFieldRecord(start, { prescription: rx4 });
    const log = repairSessionLog(record);
    expect(log?.repairs).toEqual(['pausedMs 50000 was outside what a log holds; stored as 42000.']);
    const request = encodeLogBatch([toPlain(log!)]);
    const bytes = messageBytes(request);
    expect(bytes).toBeLessThanOrEqual(200);
    // The same log in the logs.push of 1.0: over three times the bytes.
    expect(messageBytes({ v: 1, type: 'logs.push', logs: [toPlain(log!)] })).toBeGreaterThan(3 * bytes);
    // And the phone stores it whole: every field the history, CSV and therapist views read.
    const store = memoryStore();
    openHistory(store, { now: start }).setPrescription(rx4, 0);
    const answer = handleRequest(store, JSON.parse(JSON.stringify(request)), start + 86_400_000, '1.1.0');
    expect(answer).toMatchObject({ type: 'logs.batch', accepted: [log!.id] });
    expect(openHistory(store, { now: start }).all()).toEqual([log]);
  });

  it('reads back every log exactly, for any mix of fields and prescriptions (property, 300 runs)', () => {
    const anyLog = fc
      .record({
        start: fc.integer({ min: 0, max: 60 * 86_400_000 }),
        pain: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
        rounds: fc.integer({ min: 1, max: 6 }),
        offset: fc.constantFrom(-300, 0, 60, 330),
        repairs: fc.option(
          fc.constantFrom(
            ['The pause was cut to 31 days.'],
            ['startedAt 1 was outside what a log holds; stored as 1577836800000.', 'pauses 1e9 was outside.'],
          ),
          { nil: undefined },
        ),
        version: fc.constantFrom('1.0.0', '1.1.0'),
        routine: fc.constantFrom(['spinal-self-traction', 1], ['neck-glide', 2]),
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
          routineId: o.routine[0] as string,
          routineVersion: o.routine[1] as number,
          ...(o.pain === undefined
            ? { pain: undefined }
            : { pain: o.pain, painAt: T0 - o.start + 3_600_000 }),
          ...(o.repairs ? { repairs: o.repairs } : {}),
          ...(o.painBefore === undefined ? {} : { painBefore: o.painBefore }),
          ...(o.hrStart === undefined ? {} : { hrStart: o.hrStart }),
          ...(o.hrEnd === undefined ? {} : { hrEnd: o.hrEnd }),
        }),
      );
    const byRef = new Map(
      [1, 2, 3, 4, 5, 6].map((rounds) => {
        const p = { ...DEFAULT_PRESCRIPTION, rounds };
        return [fnvModel(defaultCanonical.replace('"rounds":3', `"rounds":${rounds}`)), p] as const;
      }),
    );
    fc.assert(
      fc.property(fc.array(anyLog, { minLength: 1, maxLength: 40 }), fc.boolean(), (logs, withRx) => {
        const plain = logs.map(toPlain);
        const wire = JSON.parse(JSON.stringify(encodeLogBatch(plain, withRx))) as unknown;
        const decoded = decodeRequest(wire);
        if (!decoded.ok || decoded.value.type !== 'logs.batch') throw new Error('not decoded');
        const back = batchLogs(decoded.value, (ref) => byRef.get(ref)).map((r) => (r.ok ? r.value : r.error));
        expect(back).toEqual(plain);
      }),
      { numRuns: 300, seed: 31 },
    );
  });

  it('answers a malformed batch with a typed error, and a bad row with that log rejected', () => {
    const ok2 = encodeLogBatch([toPlain(makeLog(random, T0)), toPlain(makeLog(random, T0 + 3_600_000))]);
    for (const bad of [
      { ...ok2, same: { ...ok2.same, ['constructor x']: 1 } },
      { ...ok2, same: JSON.parse('{"__proto__":1}') as unknown },
      { ...ok2, same: [] },
      { ...ok2, rx: {} },
      { ...ok2, rows: {} },
    ])
      expect(decodeRequest(bad), JSON.stringify(bad).slice(0, 80)).toMatchObject({
        ok: false,
        error: { code: 'malformed', message: expect.stringContaining('logs.batch') },
      });
    // A column list this phone does not know (a later watch's, or the table of an unreleased build).
    for (const cols of [3, undefined, '1'])
      expect(decodeRequest({ ...ok2, cols })).toMatchObject({
        ok: false,
        error: { code: 'unknown_columns', message: expect.stringContaining('known: 1–2') },
      });
    expect(decodeRequest({ ...ok2, rows: Array(201).fill([]) })).toMatchObject({
      ok: false,
      error: { code: 'invalid', message: expect.stringContaining('200') },
    });
    const [first, second] = ok2.rows as [unknown[], unknown[]];
    const rows = [
      [...first, 1, 2, 3, 4, 5, 6],
      second,
      second.map((v, i) => (i === 11 ? 7 : v)), // outcome 7: no such outcome
    ];
    const answer = handleRequest(memoryStore(), { ...ok2, rows }, T0 + 86_400_000, '1.1.0');
    expect(answer).toMatchObject({
      type: 'logs.batch',
      accepted: [second[0]],
      rejected: [
        { id: first[0], index: 0, reason: expect.stringContaining('one per column') },
        { id: second[0], index: 2, reason: expect.stringContaining('outcome') },
      ],
    });
  });
});

describe('a prescription by reference', () => {
  const rx4: Prescription = { ...DEFAULT_PRESCRIPTION, rounds: 4, strength: 'strong' };
  const day = 86_400_000;
  const logWith = (at: number, prescription = rx4) =>
    makeLog(seededRandom(at), at, { prescription, roundsPlanned: prescription.rounds });
  const send = (store: ReturnType<typeof memoryStore>, logs: SessionLog[], withRx = false) =>
    handleRequest(
      store,
      JSON.parse(JSON.stringify(encodeLogBatch(logs.map(toPlain), withRx))),
      T0 + 40 * day,
      '1.1.0',
    );

  it('a phone with cleared data asks for it whole, stores nothing, then takes it whole', () => {
    const store = memoryStore();
    const log = logWith(T0);
    expect(send(store, [log])).toMatchObject({
      type: 'error',
      code: 'prescription_needed',
      message: expect.stringContaining(prescriptionRef(rx4)),
    });
    expect(store.dump()).toEqual({});
    expect(send(store, [log], true)).toMatchObject({ type: 'logs.batch', accepted: [log.id] });
    expect(openHistory(store, { now: T0 }).all()).toEqual([log]);
  });

  it('a phone that never saw it (its own is another) asks too; one holding a log with it resolves it', () => {
    const store = memoryStore();
    const other = { ...DEFAULT_PRESCRIPTION, sweeps: 4 };
    openHistory(store, { now: T0 }).setPrescription(other, 0);
    const earlier = logWith(T0 - 20 * day, other);
    expect(send(store, [earlier])).toMatchObject({ accepted: [earlier.id] });
    expect(send(store, [logWith(T0)])).toMatchObject({ code: 'prescription_needed' });
    // Once a log with it is stored, the next month's first log names it by reference alone.
    const first = logWith(T0);
    expect(send(store, [first], true)).toMatchObject({ accepted: [first.id] });
    const next = logWith(T0 + 8 * day);
    expect(next.startedAt > Date.UTC(2026, 11, 1)).toBe(true);
    expect(send(store, [next])).toMatchObject({ accepted: [next.id] });
    expect(
      openHistory(store, { now: T0 })
        .all()
        .map((l) => l.prescription),
    ).toEqual([other, rx4, rx4]);
  });

  it('two prescriptions sharing a reference are never confused: the phone asks, and the one carried wins', () => {
    // A deliberately weak reference (rounds odd or even) so that collisions happen.
    const weak = (p: Prescription) => String(p.rounds % 2);
    const a = { ...DEFAULT_PRESCRIPTION, rounds: 3 };
    const b = { ...DEFAULT_PRESCRIPTION, rounds: 5 };
    const c = { ...DEFAULT_PRESCRIPTION, rounds: 4 };
    const needed = new Set(['1', '0']);
    // The phone holds both a and b: reference "1" is theirs, so it answers neither.
    const held = prescriptionsByRef(needed, [], () => [a, b, c, { ...c }], weak);
    expect([...held]).toEqual([['0', c]]);
    // Carried whole, b is what "1" means, whatever the phone holds under the same reference.
    expect(prescriptionsByRef(needed, [b], () => [a, c], weak)).toEqual(
      new Map([
        ['1', b],
        ['0', c],
      ]),
    );
    // The stored ones are read only if the carried ones do not answer.
    let read = false;
    prescriptionsByRef(new Set(['1']), [b], () => ((read = true), [a]), weak);
    expect(read).toBe(false);
    // Two carried ones sharing a reference: neither, so nothing is stored under it.
    expect(prescriptionsByRef(new Set(['1']), [a, b], () => [a], weak).size).toBe(0);
  });

  it('a carried prescription that is not one is refused as invalid', () => {
    const request = { ...encodeLogBatch([toPlain(logWith(T0))], true), rx: [{ rounds: 99 }] };
    expect(handleRequest(memoryStore(), request, T0, '1.1.0')).toMatchObject({
      type: 'error',
      code: 'invalid',
      message: expect.stringContaining('rounds'),
    });
  });
});
