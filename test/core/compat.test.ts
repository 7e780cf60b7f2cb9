/**
 * A watch and a phone holding data of version 1.0.0, and each talking to the other side before it was
 * updated. The fixtures were captured from the code of 1.0.0 (test/fixtures/format-1.0.0/README.md):
 * every expected value here is what 1.0.0 itself read, sent or answered.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memoryStore, type KeyValueStore } from '../../core/base/kv';
import { messageBytes } from '../../core/link/protocol';
import { toPlain } from '../../core/log/session-log';
import { MAX_WRITES_PER_APPEND, openHistory } from '../../core/phone/history';
import { handleRequest } from '../../core/phone/side-handler';
import { openOutbox } from '../../core/watch/outbox';
import { syncUntilSettled } from '../support/sync-run';

const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../fixtures/format-1.0.0/${name}`, import.meta.url), 'utf8')) as T;

type Plain = Record<string, unknown>;
const watchStore = fixture<Record<string, string>>('watch-store.json');
const watchState = fixture<{
  now: number;
  pending: { id: string; rev: number; log: Plain }[];
  rejected: unknown[];
  recentDays: unknown[];
}>('watch-state.json');
const phoneStore = fixture<Record<string, string>>('phone-store.json');
const phoneHistory = fixture<{ now: number; logs: Plain[]; prescription: unknown }>('phone-history.json');
const wire = fixture<{
  now: number;
  next: { request: { logs: Plain[] }; answer: unknown; historyAfter: Plain[] };
  unknownType: unknown;
}>('wire.json');
const now = wire.now;

/** Counts the writes of each request the phone answers. */
/**
 * Counts the writes of history parts (`history.m.<month>.<n>`): the three-write bound. The months'
 * markers, which a 1.0.0 history lacks, are written besides, once, when a month is first read.
 */
function countingStore(initial: Record<string, string>) {
  const inner = memoryStore(initial);
  let writes = 0;
  const part = (k: string) => /^history\.m\.\d{4}-\d\d\.\d+$/.test(k);
  const store: KeyValueStore = {
    get: (k) => inner.get(k),
    set: (k, v) => (part(k) && writes++, inner.set(k, v)),
    remove: (k) => (part(k) && writes++, inner.remove(k)),
  };
  const take = () => {
    const n = writes;
    writes = 0;
    return n;
  };
  return { store, inner, take };
}

/** The watch's sync loop over `watch` until it settles, each request answered by `phone`. */
const syncAll = (watch: KeyValueStore, phone: (request: unknown) => unknown) =>
  syncUntilSettled(watch, phone, now);

describe('data stored by 1.0.0, read by this version', () => {
  it('the phone reads every log and the prescription that 1.0.0 stored', () => {
    const history = openHistory(memoryStore(phoneStore), { now: phoneHistory.now });
    expect(history.all().map(toPlain)).toEqual(phoneHistory.logs);
    expect(phoneHistory.logs).toHaveLength(25);
    expect(history.prescription()).toEqual(phoneHistory.prescription);
    expect(history.quarantine().items).toEqual([]);
  });

  it('the watch reads the same pending logs, revisions, rejected logs and days from its outbox', () => {
    const { outbox, report } = openOutbox(memoryStore(watchStore), { now: watchState.now });
    expect(outbox.pending().map((p) => ({ id: p.id, rev: p.rev, log: toPlain(p.log) }))).toEqual(
      watchState.pending,
    );
    expect(watchState.pending).toHaveLength(16);
    expect(outbox.rejected()).toEqual(watchState.rejected);
    expect(outbox.recentDays()).toEqual(watchState.recentDays);
    expect(report).toEqual({ adopted: [], missing: [], quarantined: [], indexRebuilt: false });
  });
});

describe('a watch and a phone of different versions', () => {
  it('a watch of 1.0.0 pushing to this phone gets the answer 1.0.0 gave, and the same history', () => {
    const phone = memoryStore(phoneStore);
    const answer = handleRequest(phone, wire.next.request, now, '1.1.0');
    expect(answer).toEqual(wire.next.answer);
    expect(openHistory(phone, { now }).all().map(toPlain)).toEqual(wire.next.historyAfter);
  });

  it('this watch with a phone still on 1.0.0 falls back to its logs.push, the very request 1.0.0 sent', () => {
    const watch = memoryStore(watchStore);
    // The 1.0.0 phone, as captured: it does not know logs.batch, and answers the 1.0.0 push as recorded.
    const sent = syncAll(watch, (request) =>
      (request as { type: string }).type === 'logs.batch'
        ? wire.unknownType
        : (expect(request).toEqual(wire.next.request), wire.next.answer),
    );
    expect(sent.map((s) => s.type)).toEqual(['logs.batch', 'logs.push']);
    const { outbox } = openOutbox(watch, { now });
    expect(outbox.pending()).toEqual([]);
    expect(outbox.rejected()).toEqual(watchState.rejected);
  });

  it('both updated: the 1.0.0 outbox reaches the 1.0.0 history in logs.batch, nothing lost, three writes at most', () => {
    const watch = memoryStore(watchStore);
    const phone = countingStore(phoneStore);
    const writes: number[] = [];
    const sent = syncAll(watch, (request) => {
      const answer = handleRequest(phone.store, request, now, '1.1.0');
      writes.push(phone.take());
      return answer;
    });
    expect(sent.every((s) => s.type === 'logs.batch')).toBe(true);
    expect(Math.max(...writes)).toBeLessThanOrEqual(MAX_WRITES_PER_APPEND);
    // What 1.0.0 held after the same push: the rated copy of the log sent earlier included.
    expect(openHistory(phone.inner, { now }).all().map(toPlain)).toEqual(wire.next.historyAfter);
    expect(openOutbox(watch, { now }).outbox.pending()).toEqual([]);
    // The same 16 logs for well under half the bytes.
    const bytes = sent.reduce((n, s) => n + messageBytes(s), 0);
    expect(bytes / 16).toBeLessThanOrEqual(200);
    expect(bytes).toBeLessThan(messageBytes(wire.next.request) / 2);
  });

  it('a message of a later protocol version gets a typed answer naming the versions this phone reads', () => {
    expect(handleRequest(memoryStore(), { v: 2, type: 'logs.push', logs: [] }, now, '1.1.0')).toEqual(
      fixture<{ laterVersion: unknown }>('wire.json').laterVersion,
    );
  });
});
