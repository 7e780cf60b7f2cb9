import type { Program, Step, SubOf } from '../base/program';
import type { OutboxRef, PendingLog } from './outbox';
import {
  BATCH_BUDGET_BYTES,
  columnsFor,
  decodeAnswer,
  encodeLogBatch,
  MAX_LOGS_PER_PUSH,
  messageBytes,
  PROTOCOL_VERSION,
  REQUEST_TIMEOUT_MS,
  storableBy1_0,
  type LogsBatchRequest,
  type LogsPushRequest,
  readPushAnswer,
} from '../link/protocol';
import { toPlain } from '../log/session-log';

/**
 * The watch's sync loop as a pure state machine (Elm-style: state + event → state + effects). Its one
 * timer is a `wake` subscription at the time the state holds (a request's deadline, a retry's time);
 * the shell owns the zml transport, feeds events in and carries effects out. The state lives in memory
 * only: the outbox is the durable part, so losing this state loses nothing.
 *
 * Rules: one batch in flight at a time; send after a session is logged, on app start, and on a backoff
 * schedule while logs are pending; a failure or a timeout is a retry, never a loss, because only an
 * acknowledgement removes anything from the outbox.
 */

/** Seconds before the n-th retry: 5 s, 15 s, 1 min, then every 5 min (the cap). */
const BACKOFF_MS: readonly number[] = [5_000, 15_000, 60_000, 300_000];
export const BACKOFF_CAP_MS = 300_000;
/** ±20%: seeded by the caller, so runs replay exactly. */
const JITTER = 0.2;
/** Our own deadline a little after zml's, in case the transport never settles its promise. */
const DEADLINE_GRACE_MS = 5_000;

export type SyncPhase = 'idle' | 'backoff' | 'in_flight';

export interface SyncState {
  readonly phase: SyncPhase;
  /** Consecutive failed attempts; 0 after any answer that made progress. */
  readonly failures: number;
  readonly nextRequestId: number;
  /**
   * The phone answered logs.batch `unknown_type` (a phone of 1.0, whose Side Service was not updated
   * yet): every push of this run goes as logs.push, and only logs 1.0 can store go. In memory only,
   * so each run asks once.
   */
  readonly legacy?: true;
  /**
   * The newest column list the phone reads, once it answered a later one `unknown_columns` (a phone a
   * version behind the watch): only logs this list carries go, the others wait in the outbox. Absent:
   * every list this watch knows. In memory only, so each run asks once.
   */
  readonly cols?: number;
  /** Only on the way into sendOrIdle: the phone asked for the batch's prescriptions whole. */
  readonly rx?: true;
  readonly inFlight?: {
    readonly requestId: number;
    readonly type: PushType;
    /** The batch carried its prescriptions whole: a second `prescription_needed` is a failure. */
    readonly rx?: true;
    /** The batch's column list, when later than 1. */
    readonly cols?: number;
    readonly refs: readonly OutboxRef[];
    /** The timer's time while in flight: past it, no answer is a timeout. */
    readonly deadline: number;
  };
  /** The timer's time in backoff: the retry. */
  readonly retryAt?: number;
}

/** logs.batch (1.1) carries the same logs as logs.push (1.0) in about a third of the bytes. */
export type PushType = 'logs.batch' | 'logs.push';

export type FailureReason = 'timeout' | 'disconnected' | 'side_service_closed' | 'error';

export type SyncEvent =
  | { readonly type: 'app_started'; readonly now: number }
  | { readonly type: 'session_logged'; readonly now: number }
  /** The timer (`wake` subscription) fired. */
  | { readonly type: 'wake'; readonly now: number }
  | { readonly type: 'response'; readonly now: number; readonly requestId: number; readonly body: unknown }
  | {
      readonly type: 'failed';
      readonly now: number;
      readonly requestId: number;
      readonly reason: FailureReason;
    };

export type SyncEffect =
  | {
      readonly type: 'send';
      readonly requestId: number;
      readonly request: LogsBatchRequest | LogsPushRequest;
      readonly refs: readonly OutboxRef[];
      readonly timeoutMs: number;
    }
  /** Remove these exact copies from the outbox (accepted or already known by the phone). */
  | { readonly type: 'acknowledge'; readonly refs: readonly OutboxRef[] }
  /** Park these in the outbox's rejected list, with the phone's reason. */
  | { readonly type: 'reject'; readonly items: readonly (OutboxRef & { readonly reason: string })[] };

export interface SyncContext {
  /**
   * Every pending log of the outbox, oldest first (not a page of them: a batch may take all it is
   * given, and the loop takes an empty remainder for an empty outbox). A function so that the many events that send nothing
   * (wakes before a deadline, stale answers) cost no storage reads on the watch.
   */
  readonly pending: () => readonly PendingLog[];
  /** [0, 1); only used for backoff jitter. */
  readonly random: () => number;
  readonly budgetBytes?: number;
  readonly timeoutMs?: number;
}

export type SyncStep = Step<SyncState, SyncEffect>;

export const INITIAL_SYNC: SyncState = { phase: 'idle', failures: 0, nextRequestId: 1 };

export function backoffDelay(failures: number, random: () => number): number {
  const base = BACKOFF_MS[Math.min(Math.max(failures, 1), BACKOFF_MS.length) - 1] as number;
  const r = random();
  const jitter = 1 + JITTER * (2 * (Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0.5) - 1);
  return Math.min(BACKOFF_CAP_MS, Math.round(base * jitter));
}

/**
 * The sync loop as a program: the shell supplies the outbox reader, the transport and the timer (a
 * `wake` source). The one timer is at the deadline while in flight, at the retry in backoff; none idle.
 */
export function syncProgram(ctx: SyncContext): Program<SyncState, SyncEvent, SyncEffect, SubOf<'wake'>> {
  return {
    init: { model: INITIAL_SYNC, effects: [] },
    update: (state, event) => stepSync(state, event, ctx),
    subscriptions: ({ inFlight, retryAt }) => {
      const at = inFlight ? inFlight.deadline : retryAt;
      return at === undefined ? [] : [{ type: 'wake', at }];
    },
  };
}

export function stepSync(state: SyncState, event: SyncEvent, ctx: SyncContext): SyncStep {
  switch (event.type) {
    case 'app_started':
    case 'session_logged':
      // Already sending: the answer's handler reads the outbox again and picks the new log up.
      if (state.phase === 'in_flight') return { model: state, effects: [] };
      return sendOrIdle(state, event.now, ctx.pending(), ctx);
    case 'wake':
      if (state.phase === 'in_flight' && state.inFlight && event.now >= state.inFlight.deadline) {
        return fail(state, event.now, ctx);
      }
      if (state.phase === 'backoff' && state.retryAt !== undefined && event.now >= state.retryAt) {
        return sendOrIdle(state, event.now, ctx.pending(), ctx);
      }
      return { model: state, effects: [] };
    case 'failed':
      if (!isCurrent(state, event.requestId)) return { model: state, effects: [] };
      return fail(state, event.now, ctx);
    case 'response':
      if (!isCurrent(state, event.requestId) || !state.inFlight) return { model: state, effects: [] };
      return answer(state, state.inFlight, event.body, event.now, ctx);
  }
}

function isCurrent(state: SyncState, requestId: number): boolean {
  // zml drops answers to requests it gave up on; so do we, a stale answer must not move the machine.
  return state.phase === 'in_flight' && state.inFlight?.requestId === requestId;
}

function answer(
  state: SyncState,
  inFlight: NonNullable<SyncState['inFlight']>,
  body: unknown,
  now: number,
  ctx: SyncContext,
): SyncStep {
  const sent = inFlight.refs;
  const decoded = decodeAnswer(body, inFlight.type, readPushAnswer);
  if (!decoded.ok) {
    const code = decoded.error.code;
    if (inFlight.type === 'logs.batch') {
      // A phone that does not know the batch's column list reads the list before it (a phone of 1.1
      // reads list 1): send at once what that list carries. A phone of 1.0 does not know logs.batch
      // (nor list 1): say the same in logs.push at once. Neither is a failure.
      const cols = inFlight.cols ?? 1;
      if (code === 'unknown_columns' && cols > 1)
        return sendOrIdle({ ...state, cols: cols - 1 }, now, ctx.pending(), ctx);
      if (code === 'unknown_type' || code === 'unknown_columns')
        return sendOrIdle({ ...state, legacy: true }, now, ctx.pending(), ctx);
      // The phone lacks a prescription the batch names (its data cleared, say): send them whole, at once.
      if (code === 'prescription_needed' && !inFlight.rx)
        return sendOrIdle({ ...state, rx: true }, now, ctx.pending(), ctx);
    }
    return fail(state, now, ctx);
  }
  const { accepted, known, rejected } = decoded.value;
  const sentById = new Map(sent.map((r) => [r.id, r]));
  const acks: OutboxRef[] = [];
  const handled = new Set<string>();
  for (const id of [...accepted, ...known]) {
    const ref = sentById.get(id);
    if (ref && !handled.has(id)) {
      acks.push(ref);
      handled.add(id);
    }
  }
  const rejects: (OutboxRef & { reason: string })[] = [];
  for (const r of rejected) {
    const ref = r.id === null ? sent[r.index] : sentById.get(r.id);
    if (ref && !handled.has(ref.id)) {
      rejects.push({ ...ref, reason: r.reason });
      handled.add(ref.id);
    }
  }
  // An answer that settles none of what we sent is a failure, or a phone that ignores a log would
  // have us resend it in a tight loop.
  if (handled.size === 0) return fail(state, now, ctx);
  const effects: SyncEffect[] = [];
  if (acks.length > 0) effects.push({ type: 'acknowledge', refs: acks });
  if (rejects.length > 0) effects.push({ type: 'reject', items: rejects });
  // Compare id AND revision: a log amended while in flight stays pending and goes again.
  const settled = new Set([...acks, ...rejects].map((r) => `${r.id}#${r.rev}`));
  const remaining = ctx.pending().filter((p) => !settled.has(`${p.id}#${p.rev}`));
  const next = sendOrIdle({ ...state, failures: 0 }, now, remaining, ctx);
  return { model: next.model, effects: [...effects, ...next.effects] };
}

function sendOrIdle(state: SyncState, now: number, all: readonly PendingLog[], ctx: SyncContext): SyncStep {
  // A phone of 1.0 would refuse a log with a field added since (heart rate, pain before) as invalid,
  // and the watch would park it as rejected; a phone that reads only an older column list cannot be
  // sent a field added since: such a log waits in the outbox for the phone's update, never sent short.
  const { legacy, cols } = state;
  const pending =
    legacy || cols
      ? all.filter((p) => (legacy ? storableBy1_0(toPlain(p.log)) : columnsFor([p.log]) <= cols!))
      : all;
  if (pending.length === 0) {
    return {
      model: { phase: 'idle', failures: state.failures, nextRequestId: state.nextRequestId, ...kept(state) },
      effects: [],
    };
  }
  const timeoutMs = ctx.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const type: PushType = state.legacy ? 'logs.push' : 'logs.batch';
  const rx = type === 'logs.batch' && state.rx === true;
  const batch = buildPushBatch(pending, ctx.budgetBytes ?? BATCH_BUDGET_BYTES, type, rx);
  const requestId = state.nextRequestId;
  const deadline = now + timeoutMs + DEADLINE_GRACE_MS;
  return {
    model: {
      phase: 'in_flight',
      failures: state.failures,
      nextRequestId: requestId + 1,
      ...kept(state),
      inFlight: {
        requestId,
        type,
        refs: batch.refs,
        deadline,
        ...(rx ? { rx } : {}),
        ...(batch.request.type === 'logs.batch' && batch.request.cols > 1
          ? { cols: batch.request.cols }
          : {}),
      },
    },
    effects: [{ type: 'send', requestId, request: batch.request, refs: batch.refs, timeoutMs }],
  };
}

/** What a state keeps whatever its phase: what it learnt of the phone's version. */
const kept = (state: SyncState): Pick<SyncState, 'legacy' | 'cols'> => ({
  ...(state.legacy ? { legacy: true } : {}),
  ...(state.cols ? { cols: state.cols } : {}),
});

function fail(state: SyncState, now: number, ctx: SyncContext): SyncStep {
  const failures = state.failures + 1;
  const retryAt = now + backoffDelay(failures, ctx.random);
  return {
    model: { phase: 'backoff', failures, nextRequestId: state.nextRequestId, ...kept(state), retryAt },
    effects: [],
  };
}

/**
 * The largest oldest-first prefix of `pending` whose request fits the budget, measured on the encoded
 * JSON itself. Never empty when something is pending: a single log is far below the budget (its fields
 * are bounded), and a batch of one must still go rather than stall the queue.
 */
export function buildPushBatch(
  pending: readonly PendingLog[],
  budget = BATCH_BUDGET_BYTES,
  type: PushType = 'logs.batch',
  withRx = false,
): { request: LogsBatchRequest | LogsPushRequest; refs: OutboxRef[]; bytes: number } {
  return type === 'logs.push' ? buildLogsPush(pending, budget) : buildLogsBatch(pending, budget, withRx);
}

/**
 * A batch's size only grows with each log added (a row more, and a shared value moving into the rows
 * costs at least what it saved), so the longest prefix within the budget is found by bisection: a few
 * encodings, not one per log.
 */
function buildLogsBatch(
  pending: readonly PendingLog[],
  budget: number,
  withRx: boolean,
): { request: LogsBatchRequest; refs: OutboxRef[]; bytes: number } {
  const plain = pending.slice(0, MAX_LOGS_PER_PUSH).map((p) => toPlain(p.log));
  const encode = (n: number) => {
    const request = encodeLogBatch(plain.slice(0, n), withRx);
    return { request, bytes: messageBytes(request) };
  };
  let best = encode(Math.min(1, plain.length));
  let fits = best.request.rows.length;
  let over = plain.length + 1;
  while (over - fits > 1) {
    const n = Math.floor((fits + over) / 2);
    const tried = encode(n);
    if (tried.bytes <= budget) {
      best = tried;
      fits = n;
    } else over = n;
  }
  return { ...best, refs: pending.slice(0, fits).map((p) => ({ id: p.id, rev: p.rev })) };
}

function buildLogsPush(
  pending: readonly PendingLog[],
  budget: number,
): { request: LogsPushRequest; refs: OutboxRef[]; bytes: number } {
  const logs: unknown[] = [];
  const refs: OutboxRef[] = [];
  let bytes = messageBytes({ v: PROTOCOL_VERSION, type: 'logs.push', logs: [] });
  for (const entry of pending) {
    const plain = toPlain(entry.log);
    const size = (entry.bytes > 0 ? entry.bytes : messageBytes(plain)) + (logs.length > 0 ? 1 : 0);
    if (logs.length > 0 && (bytes + size > budget || logs.length >= MAX_LOGS_PER_PUSH)) break;
    logs.push(plain);
    refs.push({ id: entry.id, rev: entry.rev });
    bytes += size;
  }
  return { request: { v: PROTOCOL_VERSION, type: 'logs.push', logs }, refs, bytes };
}
