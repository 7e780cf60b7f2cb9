/**
 * The clinic's link, Bundle, queue and sending loop on their own: fake clocks, an in-memory store and
 * hand-written server answers (the real servers are in clinic-server.test.ts). Expected values are
 * worked out by hand here, or come from the two R4 validators.
 */
import { describe, expect, it } from 'vitest';
import { memoryStore, type KeyValueStore } from '../../../core/base/kv';
import { mount, type Source, type SubOf } from '../../../core/base/program';
import { sessionsFhirBundle } from '../../../core/log/fhir';
import type { SessionLog } from '../../../core/log/session-log';
import { IDENTIFIER_SYSTEM, sessionTransaction, transactionUrl } from '../../../core/phone/clinic-bundle';
import {
  CLINIC_KEYS,
  ledgerId,
  parseClinicServer,
  parseServerUrl,
  readClinicLink,
  readToken,
  saveClinicServer,
  saveSignIn,
} from '../../../core/phone/clinic-link';
import {
  clinicReport,
  ledgerKey,
  markForClinic,
  monthDone,
  readTodo,
} from '../../../core/phone/clinic-queue';
import {
  applyClinicChange,
  clinicProgram,
  outcomeMessage,
  readResponse,
  retryDelay,
  tokenEnding,
  type ClinicEffect,
  type ClinicEvent,
  type HttpRequest,
} from '../../../core/phone/clinic-send';
import { openHistory } from '../../../core/phone/history';
import { validateR4 } from '../../support/fhir';
import { DAY, makeLog, seededRandom, T0 } from '../../support/sync-fixtures';

const BASE = 'https://fhir.clinic.test/r4';

describe('the clinic link', () => {
  it('takes https addresses, and http only to the loopback; says what is wrong otherwise', () => {
    expect(parseServerUrl(' https://fhir.clinic.test/r4/ ', 'X')).toEqual({ ok: true, value: BASE });
    expect(parseServerUrl('http://127.0.0.1:8103/fhir', 'X')).toEqual({
      ok: true,
      value: 'http://127.0.0.1:8103/fhir',
    });
    expect(parseServerUrl('http://fhir.clinic.test/r4', 'The address')).toEqual({
      ok: false,
      error:
        'The address must start with https:// (http:// only for this phone\u2019s own address 127.0.0.1, for testing); got "http://fhir.clinic.test/r4".'.replace(
          '\u2019',
          "'",
        ),
    });
    expect(parseServerUrl('fhir.clinic.test', 'X').ok).toBe(false);
    expect(parseServerUrl('https://fhir.clinic.test/r4?x=1', 'X').ok).toBe(false);
    expect(parseServerUrl('https://a b/', 'X').ok).toBe(false);
    expect(parseClinicServer(BASE, 'has space')).toMatchObject({ ok: false });
    expect(parseClinicServer(BASE, 'decompress')).toEqual({
      ok: true,
      value: { base: BASE, clientId: 'decompress' },
    });
  });

  it('reads a token however Auth hands it, and only with the server\u2019s patient', () => {
    const answer = { access_token: 'a1', refresh_token: 'r1', expires_in: 3600, patient: 'p-7', scope: 's' };
    const expected = {
      access: 'a1',
      refresh: 'r1',
      expiresAt: T0 + 3_600_000,
      obtainedAt: T0,
      patient: 'Patient/p-7',
      scope: 's',
      base: BASE,
    };
    expect(readToken(answer, T0, BASE)).toEqual({ ok: true, value: expected });
    expect(readToken(JSON.stringify(answer), T0, BASE)).toEqual({ ok: true, value: expected });
    expect(readToken('a1', T0, BASE)).toEqual({ ok: false, error: 'no_patient' });
    expect(readToken({ patient: 'p' }, T0, BASE)).toEqual({ ok: false, error: 'no_token' });
    expect(readToken({ access_token: 'a', patient: '../x' }, T0, BASE)).toEqual({
      ok: false,
      error: 'bad_patient',
    });
    // A refresh that leaves out the patient and the refresh token keeps the ones it replaces.
    const refreshed = readToken({ access_token: 'a2', expires_in: 60 }, T0 + 1000, BASE, expected);
    expect(refreshed).toEqual({
      ok: true,
      value: { ...expected, access: 'a2', expiresAt: T0 + 61_000, obtainedAt: T0 + 1000 },
    });
  });

  it('refreshes a token a minute before its end, or half-way through a short one, never in a loop', () => {
    const token = {
      access: 'a',
      patient: 'Patient/1',
      base: BASE,
      obtainedAt: T0,
      expiresAt: T0 + 3_600_000,
    };
    expect(tokenEnding(token, T0 + 3_539_999)).toBe(false);
    expect(tokenEnding(token, T0 + 3_540_000)).toBe(true);
    const short = { ...token, expiresAt: T0 + 30_000 };
    expect(tokenEnding(short, T0 + 14_999)).toBe(false);
    expect(tokenEnding(short, T0 + 15_000)).toBe(true);
    expect(
      tokenEnding({ access: 'a', patient: 'Patient/1', base: BASE, obtainedAt: T0 }, T0 + 10 * DAY),
    ).toBe(false);
  });

  it('forgets the sign-in when the patient names another server, keeps it for the same', () => {
    const kv = memoryStore();
    saveClinicServer(kv, { base: BASE, clientId: 'c' });
    saveSignIn(kv, { access: 'a', patient: 'Patient/1', base: BASE, obtainedAt: T0 });
    saveClinicServer(kv, { base: BASE, clientId: 'c' });
    expect(readClinicLink(kv).token?.access).toBe('a');
    saveClinicServer(kv, { base: 'https://other.test/fhir', clientId: 'c' });
    expect(readClinicLink(kv).token).toBeUndefined();
  });
});

const log = (seed: number, startedAt = T0 - DAY, extra: Partial<SessionLog> = {}): SessionLog =>
  makeLog(seededRandom(seed), startedAt, { hrStart: 70, hrEnd: 60, painBefore: 2, pain: 4, ...extra });

describe('a session as a transaction Bundle', () => {
  const one = log(1);
  const tx = sessionTransaction(one, 'Patient/p-7');

  it('validates against the R4 definitions (FHIR.js and the official JSON Schema)', () => {
    expect(validateR4(tx)).toEqual({ structure: [], schema: [] });
  });

  it('creates each resource only if the patient has none with its identifier', () => {
    const exported = sessionsFhirBundle([one], 0, 0).entry.slice(1);
    expect(tx.entry).toHaveLength(exported.length);
    tx.entry.forEach((e, i) => {
      const url = exported[i]!.fullUrl;
      // e.g. urn:uuid:01a1ac02-6300-8001-… → …-8801-…: the fullUrl is not the identifier.
      expect(e.fullUrl).toBe(
        url.replace(
          /-8(\w)(\w\w)-/,
          (_, a: string, b: string) => `-8${(parseInt(a, 16) | 8).toString(16)}${b}-`,
        ),
      );
      expect(e.fullUrl).not.toBe(url);
      expect(e.resource.identifier).toContainEqual({ system: IDENTIFIER_SYSTEM, value: url });
      expect(e.request).toEqual({
        method: 'POST',
        url: e.resource.resourceType,
        ifNoneExist: `identifier=${encodeURIComponent(`urn:ietf:rfc:3986|${url}`)}&subject=Patient%2Fp-7`,
      });
      expect(e.resource.subject).toEqual({ reference: 'Patient/p-7' });
    });
    const procedure = tx.entry[0]!;
    for (const e of tx.entry.slice(1)) expect(e.resource.partOf).toEqual([{ reference: procedure.fullUrl }]);
    expect(transactionUrl(exported[0]!.fullUrl)).toBe(procedure.fullUrl);
    // The same session makes the same bytes at every send.
    expect(JSON.stringify(sessionTransaction(one, 'Patient/p-7'))).toBe(JSON.stringify(tx));
  });
});

describe('reading what the server answers', () => {
  it('takes a body as a string of JSON or an object, and needs a status', () => {
    expect(readResponse({ status: 201, body: '{"a":1}' })).toEqual({ status: 201, body: { a: 1 } });
    expect(readResponse({ status: 201, body: { a: 1 } })).toEqual({ status: 201, body: { a: 1 } });
    expect(readResponse({ status: 502, body: '<html>bad gateway</html>' })).toEqual({
      status: 502,
      body: '<html>bad gateway</html>',
    });
    expect(readResponse({ body: '{}' })).toBeUndefined();
    expect(readResponse('200')).toBeUndefined();
  });

  it('quotes the server\u2019s OperationOutcome, made plain and cut', () => {
    const oo = {
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'invariant',
          details: { text: 'Constraint x not met' },
          expression: ['Procedure'],
        },
        { severity: 'error', code: 'required', diagnostics: 'Missing\u0000 value' },
      ],
    };
    expect(outcomeMessage(oo)).toBe('Constraint x not met (Procedure); Missing[U+0000] value');
    expect(outcomeMessage(JSON.stringify({ ...oo, issue: [{ code: 'x'.repeat(400) }] }))?.length).toBe(300);
    expect(outcomeMessage({ resourceType: 'Bundle' })).toBeUndefined();
  });

  it('backs off 10 s, 30 s, 2 min, 10 min, then every 30 min, each \u00b120%', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5, 9].map((n) => retryDelay(n, mid))).toEqual([
      10_000, 30_000, 120_000, 600_000, 1_800_000, 1_800_000,
    ]);
    expect(retryDelay(1, () => 0)).toBe(8_000);
    expect(retryDelay(1, () => 1)).toBe(12_000);
  });
});

/** The loop with a hand-written server: `answers` gives each request's response, in order. */
function harness(kv: KeyValueStore, answers: ((r: HttpRequest) => unknown)[]) {
  let now = T0;
  const requests: HttpRequest[] = [];
  /** The loop's timer (its `wake` subscription), while armed. */
  let timer: { at: number; fire: (event: ClinicEvent) => void } | null = null;
  const wake: Source<SubOf<'wake'>, ClinicEvent> = (sub, dispatch) => {
    const armed = { at: sub.at, fire: (event: ClinicEvent) => dispatch(event, sub) };
    timer = armed;
    return () => void (timer === armed && (timer = null));
  };
  const pending: { requestId: number; request: HttpRequest }[] = [];
  const history = () => openHistory(kv, { now });
  const program = clinicProgram({
    store: kv,
    months: () => history().months(),
    month: (m) => history().month(m),
    random: () => 0.5,
  });
  const run = mount(
    program,
    (effect: ClinicEffect) => {
      if (effect.type === 'fetch') {
        requests.push(effect.request);
        pending.push(effect);
      } else applyClinicChange(kv, effect.change);
    },
    undefined,
    { wake },
  );
  const dispatch = (e: ClinicEvent) => run.dispatch(e);
  /** Answers requests in flight until none is left (timers at `now` fired). */
  const serve = () => {
    for (let guard = 0; guard < 100; guard++) {
      const next = pending.shift();
      if (next) {
        const answer = answers.shift();
        if (!answer) throw new Error(`no answer for ${next.request.method} ${next.request.url}`);
        const response = answer(next.request);
        if (response instanceof Error)
          dispatch({ type: 'failed', now, requestId: next.requestId, error: response.message });
        else dispatch({ type: 'answer', now, requestId: next.requestId, response });
      } else if (timer?.at === now) {
        const { fire } = timer;
        timer = null;
        fire({ type: 'wake', now, reason: 'timer' });
      } else return;
    }
    throw new Error('the loop does not settle');
  };
  return {
    requests,
    /** The time the timer is armed for, or null. */
    timer: () => timer?.at ?? null,
    dispatch,
    serve,
    at: (t: number) => (now = t),
    now: () => now,
    inFlight: () => pending.length,
  };
}

const SMART = () => ({
  status: 200,
  body: JSON.stringify({ authorization_endpoint: `${BASE}/auth`, token_endpoint: `${BASE}/token` }),
});
const txOk = (r: HttpRequest) => {
  const entries = (JSON.parse(r.body!) as { entry: unknown[] }).entry;
  return {
    status: 200,
    body: {
      resourceType: 'Bundle',
      type: 'transaction-response',
      entry: entries.map(() => ({ response: { status: '201 Created' } })),
    },
  };
};

function signedInStore(
  logs: readonly SessionLog[],
  token: Record<string, unknown> = {},
): ReturnType<typeof memoryStore> {
  const kv = memoryStore();
  saveClinicServer(kv, { base: BASE, clientId: 'c' });
  kv.set(
    CLINIC_KEYS.discovery,
    JSON.stringify({ base: BASE, authorize: `${BASE}/auth`, token: `${BASE}/token` }),
  );
  saveSignIn(kv, { access: 'a', refresh: 'r', patient: 'Patient/1', base: BASE, obtainedAt: T0, ...token });
  markForClinic(kv, logs, T0);
  openHistory(kv, { now: T0 }).appendAll(logs);
  return kv;
}

describe('the sending loop', () => {
  it('sends nothing but the discovery before a sign-in, and nothing at all without a server', () => {
    const kv = memoryStore();
    openHistory(kv, { now: T0 }).appendAll([log(1)]);
    const h = harness(kv, [SMART]);
    h.dispatch({ type: 'wake', now: T0, reason: 'start' });
    expect(h.requests).toEqual([]);
    saveClinicServer(kv, { base: BASE, clientId: 'c' });
    h.dispatch({ type: 'wake', now: T0, reason: 'settings' });
    h.serve();
    expect(h.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET ${BASE}/.well-known/smart-configuration`,
    ]);
    expect(h.requests[0]!.headers).toEqual({ Accept: 'application/json' });
    expect(h.timer()).toBeNull();
  });

  it('keeps a log through a 5xx, a 4xx that says nothing, a yes without a transaction-response, a network error and a timeout', () => {
    const one = log(2);
    const kv = signedInStore([one]);
    const h = harness(kv, [
      () => ({ status: 503, body: 'down for maintenance' }),
      () => ({ status: 404, body: '<html>Not Found</html>' }),
      () => ({ status: 200, body: '{}' }),
      () => new Error('Network request failed'),
      txOk,
    ]);
    h.dispatch({ type: 'wake', now: T0, reason: 'start' });
    h.serve();
    const retry = () =>
      JSON.parse(kv.get(CLINIC_KEYS.retry)!) as { failures: number; at: number; problem: unknown };
    expect(retry()).toEqual({
      failures: 1,
      at: T0 + 10_000,
      problem: { code: 'status', status: 503, detail: 'down for maintenance' },
    });
    // Woken before its time (a log stored), it waits for the retry.
    h.dispatch({ type: 'wake', now: T0 + 5000, reason: 'stored' });
    expect(h.requests).toHaveLength(1);
    for (const [t, failures] of [
      [T0 + 10_000, 2],
      [T0 + 40_000, 3],
      [T0 + 160_000, 4],
    ] as const) {
      h.at(t);
      h.dispatch({ type: 'wake', now: t, reason: 'timer' });
      h.serve();
      expect(retry().failures).toBe(failures);
    }
    expect(retry().problem).toEqual({ code: 'network', detail: 'Network request failed' });
    // Then a request that never answers: our own deadline, 30 s.
    h.at(T0 + 760_000);
    h.dispatch({ type: 'wake', now: h.now(), reason: 'timer' });
    expect(h.inFlight()).toBe(1);
    h.dispatch({ type: 'wake', now: h.now() + 30_000, reason: 'timer' });
    expect(retry()).toMatchObject({ failures: 5, problem: { code: 'timeout' } });
    // Its late answer is for a request given up: ignored; the next try sends and is taken.
    h.serve();
    expect(clinicReport(kv, ledgerId(readClinicLink(kv).token!), [one]).waiting).toBe(1);
    h.at(T0 + 760_000 + 30_000 + 1_800_000);
    h.dispatch({ type: 'wake', now: h.now(), reason: 'timer' });
    expect(h.inFlight()).toBe(1);
  });

  it('marks a log refused only on a 4xx with an OperationOutcome, and sends the next', () => {
    const [a, b] = [log(3, T0 - 2 * DAY), log(4, T0 - DAY)];
    const kv = signedInStore([a, b]);
    const oo = {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'processing', details: { text: 'No.' } }],
    };
    const h = harness(kv, [() => ({ status: 422, body: JSON.stringify(oo) }), txOk]);
    h.dispatch({ type: 'wake', now: T0, reason: 'start' });
    h.serve();
    const report = clinicReport(kv, ledgerId(readClinicLink(kv).token!), [a, b]);
    expect(report).toMatchObject({ sent: 1, waiting: 0, refused: [{ log: a, status: 422, message: 'No.' }] });
    // Woken again, nothing goes.
    h.dispatch({ type: 'wake', now: T0 + DAY, reason: 'stored' });
    expect(h.requests).toHaveLength(2);
  });

  it('a log stored while its month is being sent is sent too (the month stays marked)', () => {
    const first = log(5, T0 - 3 * DAY);
    const kv = signedInStore([first]);
    const later = log(6, T0 - 2 * DAY);
    const h = harness(kv, [
      (r) => {
        // The watch's next log arrives while the first is in flight.
        markForClinic(kv, [later], T0);
        openHistory(kv, { now: T0 }).appendAll([later]);
        return txOk(r);
      },
      txOk,
    ]);
    h.dispatch({ type: 'wake', now: T0, reason: 'start' });
    h.serve();
    expect(h.requests).toHaveLength(2);
    expect(readTodo(kv).months).toEqual({});
  });

  it('drops a month from the todo only with the stamp it was read at', () => {
    const kv = memoryStore();
    kv.set(CLINIC_KEYS.token, '{}');
    markForClinic(kv, [log(7)], T0);
    expect(readTodo(kv).months).toEqual({ '2026-11': 1 });
    markForClinic(kv, [log(8)], T0);
    monthDone(kv, '2026-11', 1, T0);
    expect(readTodo(kv).months).toEqual({ '2026-11': 2 });
    monthDone(kv, '2026-11', 2, T0);
    expect(readTodo(kv).months).toEqual({});
  });

  it('keeps an unreadable ledger whole in the quarantine and sends that month again', () => {
    const one = log(9);
    const kv = signedInStore([one]);
    const h = harness(kv, [txOk, txOk]);
    h.dispatch({ type: 'wake', now: T0, reason: 'start' });
    h.serve();
    const key = Object.keys(kv.dump()).find((k) => k.startsWith('clinic.sent.'))!;
    expect(key).toBe(ledgerKey(key.split('.')[2]!, '2026-11'));
    kv.set(key, '{"broken');
    kv.set(CLINIC_KEYS.todo, JSON.stringify({ scan: true, months: {} }));
    h.dispatch({ type: 'wake', now: T0 + 1000, reason: 'settings' });
    h.serve();
    expect(h.requests).toHaveLength(2);
    expect(Object.values(kv.dump()).some((v) => v.includes('{\\"broken'))).toBe(true);
  });
});
