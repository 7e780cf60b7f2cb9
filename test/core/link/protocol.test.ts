import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../../core/base/kv';
import { openOutbox, type PendingLog } from '../../../core/watch/outbox';
import { DEFAULT_PRESCRIPTION } from '../../../core/plan/prescription';
import {
  BATCH_BUDGET_BYTES,
  decodeRequest,
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
      fc.constantFrom('v', 'type', 'logs', 'now', 'utcOffsetMin', 'prescription', 'baseRevision'),
      fc.jsonValue(),
    )
    .map(([m, k, v]) => ({ ...(m as object), [k]: v })),
);

describe('batches', () => {
  it('fit the byte budget, measured on the encoded request, oldest first', () => {
    const logs = pending(60);
    const batch = buildPushBatch(logs);
    expect(batch.bytes).toBe(utf8Length(JSON.stringify(batch.request)));
    expect(batch.bytes).toBeLessThanOrEqual(BATCH_BUDGET_BYTES);
    expect(batch.refs.map((r) => r.id)).toEqual(logs.slice(0, batch.refs.length).map((l) => l.id));
    // The next log would not have fit: the batch is as full as the budget allows.
    const next = logs[batch.refs.length];
    expect(next && batch.bytes + 1 + next.bytes).toBeGreaterThan(BATCH_BUDGET_BYTES);
    expect(Math.ceil(batch.bytes / ZML_CHUNK_BYTES)).toBeLessThanOrEqual(3);
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
  const types: RequestType[] = ['ping', 'logs.push', 'summary.get', 'prescription.get', 'prescription.set'];

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
