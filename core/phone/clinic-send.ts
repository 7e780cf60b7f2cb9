import type { KeyValueStore } from '../base/kv';
import type { Program, Step, SubOf } from '../base/program';
import { plainText } from '../log/plain-text';
import type { SessionLog } from '../log/session-log';
import { sessionTransaction } from './clinic-bundle';
import {
  asFields,
  CLINIC_KEYS,
  ledgerId,
  readClinicLink,
  readDiscovery,
  readToken,
  type ClinicToken,
  type Discovery,
  type SignInReason,
} from './clinic-link';
import {
  fingerprint,
  monthDone,
  readLedger,
  readTodo,
  record,
  scanned,
  unsent,
  type LedgerEntry,
} from './clinic-queue';

/**
 * The Side Service's loop that delivers the history to the clinic, as a program
 * (`update(model, event) → {model, effects}`, run by core/base/program.ts; its one timer is a `wake`
 * subscription at the time the model holds, and the shell owns the platform's `fetch`). One request
 * in flight at a time, in this order of need: the server's SMART configuration (where to sign in), a
 * token refresh when the token has ended, then one session per request, a transaction Bundle whose
 * conditional creates make a resend harmless.
 *
 * - 2xx with a transaction-response: the session is delivered (its fingerprint kept in the ledger).
 * - 401: the token is refreshed once for that session and the session sent again; a second 401, or a
 *   refresh the server refuses, asks the patient to sign in again, and nothing is sent until they do.
 * - 4xx with an OperationOutcome: the clinic refused that session; it is kept refused with the
 *   server's words, never sent again as it is, never dropped (the history is not touched).
 * - Network errors, timeouts, 5xx, 408, 429, a 4xx that says nothing, an answer that does not read:
 *   retried with backoff (10 s, 30 s, 2 min, 10 min, then every 30 min, ±20%), kept across restarts.
 *
 * The model lives in memory (a restart loses only the month being sent, read again); everything that
 * must survive is written by `save` effects (applyClinicChange), each one whole key.
 */

/** Our own limit on a request: the platform's fetch has no timeout option (fetch.mdx). */
export const REQUEST_DEADLINE_MS = 30_000;
/** A token this close to its end is refreshed before it is used. */
export const EXPIRY_MARGIN_MS = 60_000;
const RETRY_MS: readonly number[] = [10_000, 30_000, 120_000, 600_000, 1_800_000];
const JITTER = 0.2;

export interface HttpRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** Why the last attempt failed, for the Settings page. */
export type SendProblem =
  | { readonly code: 'network'; readonly detail: string }
  | { readonly code: 'timeout' }
  | { readonly code: 'status'; readonly status: number; readonly detail: string }
  | { readonly code: 'malformed'; readonly detail: string };

export interface Retry {
  readonly failures: number;
  readonly at: number;
  readonly problem: SendProblem;
}

export type ClinicChange =
  | { readonly type: 'discovered'; readonly discovery: Discovery }
  | { readonly type: 'token'; readonly token: ClinicToken }
  | { readonly type: 'signIn'; readonly reason: SignInReason }
  | { readonly type: 'scanned'; readonly months: readonly string[]; readonly at: number }
  | { readonly type: 'monthDone'; readonly month: string; readonly stamp: number; readonly at: number }
  | {
      readonly type: 'answered';
      readonly ledger: string;
      readonly month: string;
      readonly id: string;
      readonly entry: LedgerEntry;
    }
  | { readonly type: 'retry'; readonly retry: Retry | null };

export type ClinicEffect =
  | { readonly type: 'fetch'; readonly requestId: number; readonly request: HttpRequest }
  | { readonly type: 'save'; readonly change: ClinicChange };

export type ClinicEvent =
  /**
   * Look at what is to do: the service started, the timer (the `wake` subscription), logs stored, or
   * the patient changed a setting.
   */
  | {
      readonly type: 'wake';
      readonly now: number;
      readonly reason: 'start' | 'timer' | 'stored' | 'settings';
    }
  /** What `fetch` resolved with, as it came (its body a string or an object). */
  | { readonly type: 'answer'; readonly now: number; readonly requestId: number; readonly response: unknown }
  | { readonly type: 'failed'; readonly now: number; readonly requestId: number; readonly error: string };

type InFlight = { readonly requestId: number; readonly deadline: number } & (
  | { readonly kind: 'discover'; readonly base: string }
  | { readonly kind: 'refresh'; readonly token: ClinicToken }
  | { readonly kind: 'send'; readonly ledger: string; readonly month: string; readonly log: SessionLog }
);

/** The month being sent: its stamp in the todo when read, and the logs of it the clinic lacks. */
interface Work {
  readonly month: string;
  readonly stamp: number;
  readonly logs: readonly SessionLog[];
}

export interface ClinicModel {
  readonly nextRequestId: number;
  readonly failures: number;
  /**
   * When to look again, nothing in flight (the timer's time then): a failure's retry, or an answer's
   * own time, so that the next step reads the store its saves wrote.
   */
  readonly retryAt?: number;
  /** The request in flight: the timer is at its deadline. */
  readonly inFlight?: InFlight;
  readonly work?: Work;
  /** The session a 401 already refreshed the token for: a second 401 asks the patient to sign in. */
  readonly refreshedFor?: string;
}

export interface ClinicContext {
  /** settingsStorage: read here, written only through `save` effects. */
  readonly store: KeyValueStore;
  /** The phone's history: the months it holds, and one month's logs. */
  readonly months: () => readonly string[];
  readonly month: (month: string) => readonly SessionLog[];
  /** [0, 1): backoff jitter only. */
  readonly random: () => number;
}

type ClinicStep = Step<ClinicModel, ClinicEffect>;

export function retryDelay(failures: number, random: () => number): number {
  const base = RETRY_MS[Math.min(Math.max(failures, 1), RETRY_MS.length) - 1]!;
  const r = random();
  const spread = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) * 2 - 1 : 0;
  return Math.round(base * (1 + JITTER * spread));
}

/** Reads the stored backoff so that a restart does not hammer a server that is down. */
export function readRetry(store: KeyValueStore): Retry | undefined {
  const f = asFields(store.get(CLINIC_KEYS.retry));
  return f && typeof f.failures === 'number' && typeof f.at === 'number' && typeof f.problem === 'object'
    ? (f as unknown as Retry)
    : undefined;
}

export function clinicProgram(
  ctx: ClinicContext,
): Program<ClinicModel, ClinicEvent, ClinicEffect, SubOf<'wake'>> {
  const retry = readRetry(ctx.store);
  return {
    init: {
      model: { nextRequestId: 1, failures: retry?.failures ?? 0, ...(retry ? { retryAt: retry.at } : {}) },
      effects: [],
    },
    update: (model, event) => updateClinic(model, event, ctx),
    subscriptions: clinicWake,
  };
}

/** The loop's one timer: the deadline of the request in flight, else the time to look again, if any. */
export function clinicWake({ inFlight, retryAt }: ClinicModel): SubOf<'wake'>[] {
  const at = inFlight ? inFlight.deadline : retryAt;
  return at === undefined ? [] : [{ type: 'wake', at }];
}

export function updateClinic(model: ClinicModel, event: ClinicEvent, ctx: ClinicContext): ClinicStep {
  switch (event.type) {
    case 'wake': {
      const f = model.inFlight;
      if (f) return event.now >= f.deadline ? fail(model, event.now, { code: 'timeout' }, ctx) : same(model);
      // The patient acted (signed in, changed the server, asked to send refused ones again): now, and
      // from a fresh reading of the store.
      if (event.reason === 'settings') {
        const { retryAt: _r, work: _w, ...rest } = model;
        return advance(rest, event.now, ctx);
      }
      return advance(model, event.now, ctx);
    }
    case 'failed':
      if (model.inFlight?.requestId !== event.requestId) return same(model);
      return fail(model, event.now, { code: 'network', detail: event.error.slice(0, 200) }, ctx);
    case 'answer':
      if (model.inFlight?.requestId !== event.requestId) return same(model);
      return answer(model, model.inFlight, event.response, event.now, ctx);
  }
}

const same = (model: ClinicModel): ClinicStep => ({ model, effects: [] });
const save = (change: ClinicChange): ClinicEffect => ({ type: 'save', change });

/** Nothing to do until woken (no timer: `ready` models hold no `retryAt`). */
const idle = (model: ClinicModel, effects: ClinicEffect[] = []): ClinicStep => ({ model, effects });

function request(
  model: ClinicModel,
  now: number,
  what: InFlight extends infer F ? (F extends unknown ? Omit<F, 'requestId' | 'deadline'> : never) : never,
  http: HttpRequest,
  effects: ClinicEffect[] = [],
): ClinicStep {
  const requestId = model.nextRequestId;
  const deadline = now + REQUEST_DEADLINE_MS;
  return {
    model: { ...model, nextRequestId: requestId + 1, inFlight: { ...what, requestId, deadline } as InFlight },
    effects: [...effects, { type: 'fetch', requestId, request: http }],
  };
}

/** What to do next, from what the store holds: the heart of the loop. */
function advance(model: ClinicModel, now: number, ctx: ClinicContext): ClinicStep {
  if (model.retryAt !== undefined && now < model.retryAt) return same(model);
  const ready: ClinicModel = (({ retryAt: _r, ...rest }) => rest)(model);
  const { server, discovery, token, signIn } = readClinicLink(ctx.store);
  if (!server) return idle(ready);
  if (!discovery)
    return request(
      ready,
      now,
      { kind: 'discover', base: server.base },
      {
        url: `${server.base}/.well-known/smart-configuration`,
        method: 'GET',
        headers: { Accept: 'application/json' },
      },
    );
  // Nothing leaves the phone until the patient signs in, nor after the server asked them to again.
  if ('problem' in discovery || !token || signIn) return idle(ready);
  if (tokenEnding(token, now)) {
    if (token.refresh === undefined)
      return idle(ready, [save({ type: 'signIn', reason: { code: 'expired' } })]);
    return request(
      ready,
      now,
      { kind: 'refresh', token },
      refreshRequest(discovery.token, server.clientId, token.refresh),
    );
  }
  const ledger = ledgerId(token);
  const effects: ClinicEffect[] = [];
  const work = nextWork(ready, ledger, now, ctx, effects);
  if (!work) return idle({ ...ready, work: undefined }, effects);
  const log = work.logs[0]!;
  return request(
    { ...ready, work },
    now,
    { kind: 'send', ledger, month: work.month, log },
    {
      url: server.base,
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token.access}`,
        'Content-Type': 'application/fhir+json',
        Accept: 'application/fhir+json',
        Prefer: 'return=minimal',
      },
      body: JSON.stringify(sessionTransaction(log, token.patient)),
    },
    effects,
  );
}

/** The month to send from: the one in hand, else the oldest month of the todo that holds unsent logs. */
function nextWork(
  model: ClinicModel,
  ledger: string,
  now: number,
  ctx: ClinicContext,
  effects: ClinicEffect[],
): Work | undefined {
  const held = model.work;
  if (held && held.logs.length > 0) return held;
  if (held) effects.push(save({ type: 'monthDone', month: held.month, stamp: held.stamp, at: now }));
  const todo = readTodo(ctx.store, now);
  const months: Record<string, number> = { ...todo.months };
  if (todo.scan) {
    const found = ctx.months();
    for (const m of found) months[m] = (months[m] ?? 0) + 1;
    effects.push(save({ type: 'scanned', months: found, at: now }));
  }
  for (const month of Object.keys(months).sort()) {
    const stamp = months[month]!;
    if (held && held.month === month && held.stamp === stamp) continue;
    const logs = unsent(ctx.month(month), readLedger(ctx.store, ledger, month, now));
    if (logs.length > 0) return { month, stamp, logs };
    effects.push(save({ type: 'monthDone', month, stamp, at: now }));
  }
  return undefined;
}

/**
 * The token has ended, or is about to: within a minute of its end, or within half its life for a short
 * one (so that a fresh token is never taken for an ending one, and refreshed in a loop).
 */
export function tokenEnding(token: ClinicToken, now: number): boolean {
  if (token.expiresAt === undefined) return false;
  const margin = Math.min(EXPIRY_MARGIN_MS, (token.expiresAt - token.obtainedAt) / 2);
  return now >= token.expiresAt - margin;
}

function refreshRequest(tokenUrl: string, clientId: string, refresh: string): HttpRequest {
  const form = { grant_type: 'refresh_token', refresh_token: refresh, client_id: clientId };
  return {
    url: tokenUrl,
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: Object.entries(form)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('&'),
  };
}

function fail(model: ClinicModel, now: number, problem: SendProblem, ctx: ClinicContext): ClinicStep {
  const failures = model.failures + 1;
  const at = now + retryDelay(failures, ctx.random);
  const { inFlight: _f, ...rest } = model;
  return {
    model: { ...rest, failures, retryAt: at },
    effects: [save({ type: 'retry', retry: { failures, at, problem } })],
  };
}

/** The parts of a fetch result the loop reads: its status, and its body as JSON when it is JSON. */
export function readResponse(raw: unknown): { status: number; body: unknown } | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { status, body } = raw as { status?: unknown; body?: unknown };
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599)
    return undefined;
  return { status, body: asFields(body) ?? body ?? null };
}

/** The server's own words from an OperationOutcome, made plain and cut to 300 characters. */
export function outcomeMessage(body: unknown): string | undefined {
  const f = asFields(body);
  if (f?.resourceType !== 'OperationOutcome' || !Array.isArray(f.issue)) return undefined;
  const parts = (f.issue as unknown[]).map((i) => {
    const issue = (asFields(i) ?? {}) as {
      details?: { text?: unknown };
      diagnostics?: unknown;
      code?: unknown;
      expression?: unknown;
    };
    const what = [issue.details?.text, issue.diagnostics, issue.code].find(
      (x) => typeof x === 'string' && x !== '',
    );
    const where = Array.isArray(issue.expression)
      ? issue.expression.filter((x) => typeof x === 'string').join(', ')
      : '';
    return [what, where && `(${where})`].filter(Boolean).join(' ');
  });
  return plainText(parts.filter(Boolean).join('; ') || 'no reason given').text.slice(0, 300);
}

/** Whether a 2xx body confirms every entry of the transaction. */
function confirms(body: unknown, entries: number): boolean {
  const f = asFields(body);
  if (f?.resourceType !== 'Bundle' || f.type !== 'transaction-response' || !Array.isArray(f.entry))
    return false;
  if (f.entry.length !== entries) return false;
  return f.entry.every((e) =>
    /^2\d\d/.test(String((asFields(e)?.response as { status?: unknown })?.status ?? '')),
  );
}

const detailOf = (body: unknown): string =>
  (outcomeMessage(body) ?? (typeof body === 'string' ? plainText(body).text : '')).slice(0, 200);

function answer(model: ClinicModel, f: InFlight, raw: unknown, now: number, ctx: ClinicContext): ClinicStep {
  const { inFlight: _f, ...rest } = model;
  const res = readResponse(raw);
  if (!res) return fail(model, now, { code: 'malformed', detail: 'the answer has no HTTP status' }, ctx);
  const { status, body } = res;
  const transient = status >= 500 || status === 408 || status === 429;
  const settled: ClinicModel = { ...rest, failures: 0 };
  // The saves are carried out before the loop looks again (the timer, at now, wakes it): the next
  // step reads the store they wrote.
  const proceed = (next: ClinicModel, ...changes: ClinicChange[]): ClinicStep => ({
    model: { ...next, retryAt: now },
    effects: [...(model.failures > 0 ? [save({ type: 'retry', retry: null })] : []), ...changes.map(save)],
  });
  switch (f.kind) {
    case 'discover': {
      if (transient) return fail(model, now, { code: 'status', status, detail: detailOf(body) }, ctx);
      const discovery: Discovery =
        status === 200 ? readDiscovery(f.base, body) : { base: f.base, problem: { code: 'status', status } };
      return proceed(settled, { type: 'discovered', discovery });
    }
    case 'refresh': {
      if (transient) return fail(model, now, { code: 'status', status, detail: detailOf(body) }, ctx);
      const token = status === 200 ? readToken(body, now, f.token.base, f.token) : undefined;
      if (token?.ok) return proceed(settled, { type: 'token', token: token.value });
      const words = asFields(body);
      const said = words?.error_description ?? words?.error ?? (token ? 'its answer holds no token' : '');
      const detail = plainText(String(said)).text.slice(0, 200);
      return proceed(settled, { type: 'signIn', reason: { code: 'refresh_refused', status, detail } });
    }
    case 'send': {
      const { log, ledger, month } = f;
      const done = (entry: LedgerEntry): ClinicStep => {
        const { refreshedFor: _r, ...next } = settled;
        const work = next.work && { ...next.work, logs: next.work.logs.filter((l) => l.id !== log.id) };
        return proceed(
          { ...next, ...(work ? { work } : {}) },
          { type: 'answered', ledger, month, id: log.id, entry },
        );
      };
      if (status >= 200 && status < 300) {
        if (!confirms(body, sessionTransaction(log, 'Patient/x').entry.length))
          return fail(
            model,
            now,
            { code: 'malformed', detail: 'a 2xx without a transaction-response for every entry' },
            ctx,
          );
        return done({ f: fingerprint(log), t: now });
      }
      if (status === 401) {
        const { server, discovery, token } = readClinicLink(ctx.store);
        if (
          !server ||
          !discovery ||
          'problem' in discovery ||
          token?.refresh === undefined ||
          model.refreshedFor === log.id
        )
          return proceed(settled, { type: 'signIn', reason: { code: 'unauthorized' } });
        return request(
          { ...rest, refreshedFor: log.id },
          now,
          { kind: 'refresh', token },
          refreshRequest(discovery.token, server.clientId, token.refresh),
        );
      }
      const refusal = transient ? undefined : outcomeMessage(body);
      if (status >= 400 && refusal !== undefined)
        return done({ f: fingerprint(log), t: now, s: status, m: refusal });
      return fail(model, now, { code: 'status', status, detail: detailOf(body) }, ctx);
    }
  }
}

/** Carries out a `save` effect: each change one whole key (the ledger's month, the todo, a link key). */
export function applyClinicChange(store: KeyValueStore, change: ClinicChange): void {
  switch (change.type) {
    case 'discovered':
      return store.set(CLINIC_KEYS.discovery, JSON.stringify(change.discovery));
    case 'token':
      return store.set(CLINIC_KEYS.token, JSON.stringify(change.token));
    case 'signIn':
      return store.set(CLINIC_KEYS.signIn, JSON.stringify(change.reason));
    case 'scanned':
      return scanned(store, change.months, change.at);
    case 'monthDone':
      return monthDone(store, change.month, change.stamp, change.at);
    case 'answered':
      return record(store, change.ledger, change.month, change.id, change.entry);
    case 'retry':
      if (change.retry === null) return store.remove(CLINIC_KEYS.retry);
      return store.set(CLINIC_KEYS.retry, JSON.stringify(change.retry));
  }
}
