import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../../core/base/kv';
import { mount, type Source, type SubOf } from '../../../core/base/program';
import { openOutbox, type PendingLog } from '../../../core/watch/outbox';
import {
  backoffDelay,
  BACKOFF_CAP_MS,
  INITIAL_SYNC,
  stepSync,
  syncProgram,
  type SyncEffect,
  type SyncEvent,
  type SyncState,
} from '../../../core/watch/sync';
import { toPlain } from '../../../core/log/session-log';
import { makeLog, seededRandom, T0 } from '../../support/sync-fixtures';

const random = seededRandom(8);
const box = () => openOutbox(memoryStore(), { now: T0 }).outbox;
const ctx = (pending: PendingLog[], r = 0.5) => ({ pending: () => pending, random: () => r });
const sendOf = (effects: readonly SyncEffect[]) => effects.find((e) => e.type === 'send');
/** The timer the state asks for (its `wake` subscription): its time, or null for none. */
const timerOf = (state: SyncState) => {
  const subs = syncProgram(ctx([])).subscriptions!(state);
  expect(subs.length).toBeLessThanOrEqual(1);
  return subs[0]?.at ?? null;
};

function withLogs(n: number) {
  const outbox = box();
  for (let i = 0; i < n; i++) outbox.append(makeLog(random, T0 + i * 60_000));
  return outbox;
}

describe('sync state machine', () => {
  it('stays idle with nothing to send', () => {
    const step = stepSync(INITIAL_SYNC, { type: 'app_started', now: T0 }, ctx([]));
    expect(step.model.phase).toBe('idle');
    expect(step.effects).toEqual([]);
    expect(timerOf(step.model)).toBeNull();
  });

  it('sends on app start, one batch in flight, and arms a deadline past the request timeout', () => {
    const outbox = withLogs(3);
    const step = stepSync(INITIAL_SYNC, { type: 'app_started', now: T0 }, ctx(outbox.pending()));
    const send = sendOf(step.effects);
    expect(send?.type === 'send' && send.refs.length).toBe(3);
    expect(step.effects).toHaveLength(1);
    expect(timerOf(step.model)).toBe(T0 + 65_000);
    // A session logged meanwhile does not start a second request.
    const again = stepSync(step.model, { type: 'session_logged', now: T0 + 1 }, ctx(outbox.pending()));
    expect(again.effects).toEqual([]);
  });

  it('acknowledges what the phone took and sends the rest right away', () => {
    const outbox = withLogs(40);
    const small = (p: PendingLog[]) => ({ ...ctx(p), budgetBytes: 2_000 });
    let state: SyncState = INITIAL_SYNC;
    let step = stepSync(state, { type: 'app_started', now: T0 }, small(outbox.pending()));
    state = step.model;
    const first = sendOf(step.effects);
    if (first?.type !== 'send') throw new Error('no send');
    expect(first.refs.length).toBeLessThan(40);
    const ids = first.refs.map((r) => r.id);
    const body = { v: 1, type: 'logs.batch', accepted: ids.slice(1), known: ids.slice(0, 1), rejected: [] };
    step = stepSync(
      state,
      { type: 'response', now: T0 + 900, requestId: first.requestId, body },
      small(outbox.pending()),
    );
    const ack = step.effects[0];
    expect(ack?.type).toBe('acknowledge');
    const byId = (r: { id: string }) => r.id;
    expect(ack?.type === 'acknowledge' && ack.refs.map(byId).sort()).toEqual(first.refs.map(byId).sort());
    const second = sendOf(step.effects);
    expect(second?.type === 'send' && second.refs[0]?.id).toBe(outbox.pending()[first.refs.length]?.id);
    expect(step.model.failures).toBe(0);
  });

  it('parks rejected logs and ignores ids it did not send', () => {
    const outbox = withLogs(2);
    const p = outbox.pending();
    const s1 = stepSync(INITIAL_SYNC, { type: 'app_started', now: T0 }, ctx(p));
    const [x, y] = p as [PendingLog, PendingLog];
    const other = makeLog(random, T0 - 1).id;
    const body = {
      v: 1,
      type: 'logs.batch',
      accepted: [x.id, other],
      known: [],
      rejected: [{ id: null, index: 1, reason: 'bad' }],
    };
    const s2 = stepSync(s1.model, { type: 'response', now: T0 + 1, requestId: 1, body }, ctx(p));
    expect(s2.effects.slice(0, 2)).toEqual([
      { type: 'acknowledge', refs: [{ id: x.id, rev: 1 }] },
      { type: 'reject', items: [{ id: y.id, rev: 1, reason: 'bad' }] },
    ]);
    // Both settled: nothing left, so idle.
    expect(s2.model.phase).toBe('idle');
  });

  it('falls back to the logs.push of 1.0 at once when the phone does not know logs.batch', () => {
    const outbox = withLogs(3);
    const p = outbox.pending();
    const s1 = stepSync(INITIAL_SYNC, { type: 'app_started', now: T0 }, ctx(p));
    const first = sendOf(s1.effects);
    expect(first?.type === 'send' && first.request.type).toBe('logs.batch');
    // What a phone of 1.0 answers to a type it does not know (test/fixtures/format-1.0.0/wire.json).
    const unknown = {
      v: 1,
      type: 'error',
      code: 'unknown_type',
      message: 'Unknown request type "logs.batch".',
      supported: [1],
    };
    const s2 = stepSync(s1.model, { type: 'response', now: T0 + 1, requestId: 1, body: unknown }, ctx(p));
    const again = sendOf(s2.effects);
    expect(again?.type === 'send' && again.request.type).toBe('logs.push');
    expect(again?.type === 'send' && again.refs).toEqual(first?.type === 'send' && first.refs);
    expect(s2.model).toMatchObject({ phase: 'in_flight', failures: 0, legacy: true });
    // Answered in kind, and every later push of this run goes as logs.push too.
    const ids = p.map((x) => x.id);
    const body = { v: 1, type: 'logs.push', accepted: ids.slice(0, 2), known: [], rejected: [] };
    const s3 = stepSync(s2.model, { type: 'response', now: T0 + 2, requestId: 2, body }, ctx(p));
    const rest = sendOf(s3.effects);
    expect(rest?.type === 'send' && rest.request.type).toBe('logs.push');
    expect(rest?.type === 'send' && rest.refs.map((r) => r.id)).toEqual([ids[2]]);
    // The same answer to logs.push is a failure like any other, not a loop.
    const s4 = stepSync(s3.model, { type: 'response', now: T0 + 3, requestId: 3, body: unknown }, ctx(p));
    expect(s4.model).toMatchObject({ phase: 'backoff', failures: 1, legacy: true });
  });

  it('sends the batch again at once with its prescriptions whole when the phone lacks one, and only once', () => {
    const outbox = withLogs(3);
    const p = outbox.pending();
    const s1 = stepSync(INITIAL_SYNC, { type: 'app_started', now: T0 }, ctx(p));
    const first = sendOf(s1.effects);
    expect(first?.type === 'send' && first.request.type === 'logs.batch' && first.request.rx).toBeUndefined();
    const needed = { v: 1, type: 'error', code: 'prescription_needed', message: 'x', supported: [1] };
    const s2 = stepSync(s1.model, { type: 'response', now: T0 + 1, requestId: 1, body: needed }, ctx(p));
    const again = sendOf(s2.effects);
    expect(again?.type === 'send' && again.request.type === 'logs.batch' && again.request.rx).toEqual([
      toPlain(p[0]!.log).prescription,
    ]);
    expect(again?.type === 'send' && again.refs).toEqual(first?.type === 'send' && first.refs);
    expect(s2.model).toMatchObject({ phase: 'in_flight', failures: 0 });
    // Asked again although they went whole: a failure (backoff), not a loop.
    const s3 = stepSync(s2.model, { type: 'response', now: T0 + 2, requestId: 2, body: needed }, ctx(p));
    expect(s3.model).toMatchObject({ phase: 'backoff', failures: 1 });
    // The retry after the backoff names them by reference again: the phone may have stored one since.
    const s4 = stepSync(s3.model, { type: 'wake', now: T0 + 60_000 }, ctx(p));
    const retry = sendOf(s4.effects);
    expect(retry?.type === 'send' && retry.request.type === 'logs.batch' && retry.request.rx).toBeUndefined();
  });

  it('falls back to logs.push when the phone knows no such column list', () => {
    const p = withLogs(2).pending();
    const s1 = stepSync(INITIAL_SYNC, { type: 'app_started', now: T0 }, ctx(p));
    const body = { v: 1, type: 'error', code: 'unknown_columns', message: 'x', supported: [1] };
    const s2 = stepSync(s1.model, { type: 'response', now: T0 + 1, requestId: 1, body }, ctx(p));
    const push = sendOf(s2.effects);
    expect(push?.type === 'send' && push.request.type).toBe('logs.push');
    expect(s2.model).toMatchObject({ phase: 'in_flight', failures: 0, legacy: true });
  });

  it('sends a phone still on 1.0 only the logs it can store; the others wait, pending', () => {
    const outbox = box();
    const plain = makeLog(random, T0);
    const withHeartRate = makeLog(random, T0 + 60_000, { hrStart: 72, hrEnd: 80, painBefore: 3 });
    outbox.append(plain);
    outbox.append(withHeartRate);
    const p = outbox.pending();
    const s1 = stepSync(INITIAL_SYNC, { type: 'app_started', now: T0 }, ctx(p));
    const unknown = { v: 1, type: 'error', code: 'unknown_type', message: 'x', supported: [1] };
    const s2 = stepSync(s1.model, { type: 'response', now: T0 + 1, requestId: 1, body: unknown }, ctx(p));
    const push = sendOf(s2.effects);
    expect(push?.type === 'send' && push.request.type === 'logs.push' && push.request.logs).toEqual([
      toPlain(plain),
    ]);
    // Once the 1.0 phone took it, the log with heart rates is not sent (1.0 would reject it): idle.
    const body = { v: 1, type: 'logs.push', accepted: [plain.id], known: [], rejected: [] };
    const s3 = stepSync(s2.model, { type: 'response', now: T0 + 2, requestId: 2, body }, ctx(p));
    expect(sendOf(s3.effects)).toBeUndefined();
    expect(s3.model.phase).toBe('idle');
    // The next run asks in logs.batch again, and sends it.
    const next = stepSync(INITIAL_SYNC, { type: 'app_started', now: T0 + 3 }, ctx([p[1]!]));
    const batch = sendOf(next.effects);
    expect(batch?.type === 'send' && batch.request.type).toBe('logs.batch');
    expect(batch?.type === 'send' && batch.refs).toEqual([{ id: withHeartRate.id, rev: 1 }]);
  });

  it('resends a log amended while in flight', () => {
    const outbox = withLogs(1);
    const s1 = stepSync(INITIAL_SYNC, { type: 'app_started', now: T0 }, ctx(outbox.pending()));
    const log = outbox.pending()[0]?.log;
    if (!log) throw new Error('no log');
    outbox.append({ ...log, pain: 9 });
    const body = { v: 1, type: 'logs.batch', accepted: [log.id], known: [], rejected: [] };
    const s2 = stepSync(
      s1.model,
      { type: 'response', now: T0 + 1, requestId: 1, body },
      ctx(outbox.pending()),
    );
    const resend = sendOf(s2.effects);
    expect(resend?.type === 'send' && resend.refs).toEqual([{ id: log.id, rev: 2 }]);
  });

  it('backs off 5 s, 15 s, 1 min, 5 min, 5 min on failures and timeouts; a timeout is a retry', () => {
    const outbox = withLogs(1);
    let state: SyncState = INITIAL_SYNC;
    let now = T0;
    let step = stepSync(state, { type: 'app_started', now }, ctx(outbox.pending()));
    state = step.model;
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const id = state.inFlight?.requestId ?? -1;
      step =
        i % 2 === 0
          ? stepSync(
              state,
              { type: 'failed', now, requestId: id, reason: 'disconnected' },
              ctx(outbox.pending()),
            )
          : stepSync(
              state,
              { type: 'wake', now: (now = state.inFlight?.deadline ?? now) },
              ctx(outbox.pending()),
            );
      state = step.model;
      expect(state.phase).toBe('backoff');
      expect(step.effects).toEqual([]);
      const at = timerOf(state)!;
      delays.push(at - now);
      now = at;
      step = stepSync(state, { type: 'wake', now }, ctx(outbox.pending()));
      state = step.model;
      expect(state.phase).toBe('in_flight');
    }
    expect(delays).toEqual([5_000, 15_000, 60_000, 300_000, 300_000]);
    expect(outbox.pending()).toHaveLength(1);
  });

  it('keeps one timer, armed and cancelled through mount: the deadline in flight, the retry in backoff', () => {
    const outbox = withLogs(1);
    const [log] = outbox.pending() as [PendingLog];
    const timers: string[] = [];
    let fire = (_event: SyncEvent): void => undefined;
    const wake: Source<SubOf<'wake'>, SyncEvent> = (sub, dispatch) => {
      const { at } = sub;
      timers.push(`arm +${at - T0}`);
      fire = (event) => dispatch(event, sub);
      return () => void timers.push(`cancel +${at - T0}`);
    };
    const none = () => undefined;
    const run = mount(syncProgram(ctx(outbox.pending())), none, undefined, { wake });
    expect(timers).toEqual([]);
    // Sent at T0: its deadline is the request timeout (60 s) and 5 s of grace later.
    run.dispatch({ type: 'app_started', now: T0 });
    expect(timers).toEqual(['arm +65000']);
    // Failed at +1 s: backoff 5 s (jitter 0 at random 0.5), so the deadline's timer goes for the retry's.
    run.dispatch({ type: 'failed', now: T0 + 1_000, requestId: 1, reason: 'disconnected' });
    expect(timers).toEqual(['arm +65000', 'cancel +65000', 'arm +6000']);
    // The retry's timer fires (done: nothing to cancel): sent again, deadline 65 s after it.
    fire({ type: 'wake', now: T0 + 6_000 });
    expect(run.model.phase).toBe('in_flight');
    expect(timers.slice(3)).toEqual(['arm +71000']);
    // Acknowledged, nothing left: idle, no timer.
    const body = { v: 1, type: 'logs.batch', accepted: [log.id], known: [], rejected: [] };
    run.dispatch({ type: 'response', now: T0 + 7_000, requestId: 2, body });
    expect(run.model.phase).toBe('idle');
    expect(timers.slice(4)).toEqual(['cancel +71000']);
    // Stopping the run cancels the timer armed (the log logged again: this outbox is not acknowledged).
    run.dispatch({ type: 'session_logged', now: T0 + 8_000 });
    run.stop();
    expect(timers.slice(5)).toEqual(['arm +73000', 'cancel +73000']);
  });

  it('jitters the backoff within ±20% and never past the cap', () => {
    expect(backoffDelay(1, () => 0)).toBe(4_000);
    expect(backoffDelay(1, () => 1)).toBe(6_000);
    expect(backoffDelay(9, () => 1)).toBe(BACKOFF_CAP_MS);
    expect(backoffDelay(2, () => NaN)).toBe(15_000);
  });

  it('ignores stale answers, duplicate answers and early wakes', () => {
    const outbox = withLogs(1);
    const s1 = stepSync(INITIAL_SYNC, { type: 'app_started', now: T0 }, ctx(outbox.pending()));
    const stale = stepSync(
      s1.model,
      { type: 'response', now: T0 + 1, requestId: 99, body: {} },
      ctx(outbox.pending()),
    );
    expect(stale).toEqual({ model: s1.model, effects: [] });
    expect(stepSync(s1.model, { type: 'wake', now: T0 + 10 }, ctx(outbox.pending())).effects).toEqual([]);
    const failedStale = stepSync(
      s1.model,
      { type: 'failed', now: T0, requestId: 0, reason: 'timeout' },
      ctx([]),
    );
    expect(failedStale.model).toBe(s1.model);
  });

  it('treats a malformed answer, or one that settles nothing, as a failure', () => {
    const outbox = withLogs(1);
    const s1 = stepSync(INITIAL_SYNC, { type: 'app_started', now: T0 }, ctx(outbox.pending()));
    const empty = { v: 1, type: 'logs.batch', accepted: [], known: [], rejected: [] };
    expect(
      stepSync(s1.model, { type: 'response', now: T0, requestId: 1, body: empty }, ctx(outbox.pending()))
        .model.phase,
    ).toBe('backoff');
    expect(
      stepSync(s1.model, { type: 'response', now: T0, requestId: 1, body: 'x' }, ctx(outbox.pending())).model
        .phase,
    ).toBe('backoff');
  });

  it('reads the outbox only when it sends', () => {
    let reads = 0;
    const counting = { pending: () => (reads++, []), random: () => 0.5 };
    stepSync({ ...INITIAL_SYNC, phase: 'backoff', retryAt: T0 + 10 }, { type: 'wake', now: T0 }, counting);
    expect(reads).toBe(0);
  });

  it('reads the pending logs in every step that acknowledges or rejects any (property, 300 runs)', () => {
    // The page carries an acknowledgement out on the outbox its step read (page/lib/sync), so a step
    // that settles logs must have read them: answers here take, know or refuse what was sent.
    const outbox = withLogs(6);
    let settling = 0;
    const answer = fc.record({
      take: fc.array(fc.constantFrom('accepted', 'known', 'rejected', 'none'), {
        minLength: 6,
        maxLength: 6,
      }),
      now: fc.integer({ min: T0, max: T0 + 1e6 }),
    });
    fc.assert(
      fc.property(fc.array(fc.oneof(answer, fc.constant('wake' as const)), { maxLength: 12 }), (events) => {
        let state: SyncState = INITIAL_SYNC;
        let reads = 0;
        const counting = { pending: () => (reads++, outbox.pending()), random: () => 0.5 };
        state = stepSync(state, { type: 'app_started', now: T0 }, counting).model;
        for (const e of events) {
          reads = 0;
          const inFlight = state.inFlight;
          const step =
            e === 'wake'
              ? stepSync(state, { type: 'wake', now: T0 + 1e7 }, counting)
              : stepSync(
                  state,
                  {
                    type: 'response',
                    now: e.now,
                    requestId: inFlight?.requestId ?? 0,
                    body: {
                      v: 1,
                      type: inFlight?.type ?? 'logs.batch',
                      accepted: (inFlight?.refs ?? [])
                        .filter((_, i) => e.take[i] === 'accepted')
                        .map((r) => r.id),
                      known: (inFlight?.refs ?? []).filter((_, i) => e.take[i] === 'known').map((r) => r.id),
                      rejected: (inFlight?.refs ?? [])
                        .filter((_, i) => e.take[i] === 'rejected')
                        .map((r) => ({ id: r.id, reason: 'invalid' })),
                    },
                  },
                  counting,
                );
          if (step.effects.some((x) => x.type === 'acknowledge' || x.type === 'reject')) {
            settling++;
            expect(reads).toBeGreaterThan(0);
          }
          state = step.model;
        }
      }),
      { numRuns: 300, seed: 7 },
    );
    // Not vacuous: many steps settled logs.
    expect(settling).toBeGreaterThan(20);
  });

  it('never throws and never sends twice at once, whatever events arrive (property, 1,000 runs)', () => {
    const outbox = withLogs(5);
    const event = fc.oneof(
      fc.record({
        type: fc.constantFrom('app_started' as const, 'session_logged' as const, 'wake' as const),
        now: fc.integer({ min: T0, max: T0 + 1e7 }),
      }),
      fc.record({
        type: fc.constant('response' as const),
        now: fc.integer({ min: T0, max: T0 + 1e7 }),
        requestId: fc.integer({ min: 0, max: 5 }),
        body: fc.jsonValue(),
      }),
      fc.record({
        type: fc.constant('failed' as const),
        now: fc.integer({ min: T0, max: T0 + 1e7 }),
        requestId: fc.integer({ min: 0, max: 5 }),
        reason: fc.constantFrom('timeout' as const, 'disconnected' as const),
      }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 30 }), (events) => {
        let state: SyncState = INITIAL_SYNC;
        for (const e of events) {
          const step = stepSync(state, e, ctx(outbox.pending(), 0.3));
          const sends = step.effects.filter((x) => x.type === 'send').length;
          expect(sends).toBeLessThanOrEqual(1);
          if (sends === 1) expect(step.model.phase).toBe('in_flight');
          expect(step.effects.filter((x) => x.type === 'acknowledge')).toHaveLength(0);
          state = step.model;
        }
      }),
      { numRuns: 1000, seed: 31 },
    );
  });
});
