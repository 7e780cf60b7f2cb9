/**
 * The clinic's sending loop against a real FHIR server (Medplum's router and validator) and a real
 * OAuth server (oidc-provider), both on loopback: what reaches the clinic is read back by the server's
 * own FHIR search, and what the patient sees is the Settings section's own text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '@medplum/fhirtypes';
import { memoryStore } from '../../../core/base/kv';
import { CLINIC_SCOPES, readClinicLink } from '../../../core/phone/clinic-link';
import { markForClinic } from '../../../core/phone/clinic-queue';
import { openHistory } from '../../../core/phone/history';
import { acceptSignIn, clinicView, editClinic, resendRefused } from '../../../core/screens/clinic';
import type { SessionLog } from '../../../core/log/session-log';
import { authorizationCodeFlow } from '../../runtime/auth';
import { clinicLoop } from '../../support/clinic-loop';
import { CLIENT_ID, startClinicServer, type ClinicServer } from '../../support/clinic-server';
import { catalogTranslator, readCatalogs } from '../../support/catalog';
import { DAY, makeLog, seededRandom, T0 } from '../../support/sync-fixtures';

const t = catalogTranslator(readCatalogs('setting')['en-US']);
type KV = ReturnType<typeof memoryStore>;

function sessions(
  n: number,
  seed: number,
  start = T0 - 10 * DAY,
  outcome: SessionLog['outcome'] = 'completed',
): SessionLog[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, (_, i) =>
    makeLog(random, start + i * (DAY / 2), { outcome, hrStart: 70, hrEnd: 64, painBefore: 3 }),
  );
}

/** The Side Service storing logs from the watch: the clinic's months marked first, then the history. */
function store(kv: KV, logs: readonly SessionLog[], now: number): void {
  markForClinic(kv, logs, now);
  const stored = openHistory(kv, { now }).appendAll(logs);
  if (!stored.ok) throw new Error(stored.error);
}

async function setUp(clinic: ClinicServer, account: string, logs: readonly SessionLog[]) {
  const kv = memoryStore();
  store(kv, logs, T0);
  const loop = clinicLoop(kv, T0);
  editClinic(kv, 'base', clinic.fhirBase);
  editClinic(kv, 'clientId', CLIENT_ID);
  await loop.wake('settings');
  const { discovery } = readClinicLink(kv);
  if (!discovery || 'problem' in discovery) throw new Error(`no discovery: ${JSON.stringify(discovery)}`);
  const view = () =>
    clinicView(
      { store: kv, logs: openHistory(kv, { now: loop.now() }).all(), now: loop.now(), utcOffsetMin: 60 },
      t,
    );
  const signIn = async () => {
    const offer = view().signIn!;
    const { token } = await authorizationCodeFlow({ ...offer, pkce: true }, clinic.userAgent(account));
    acceptSignIn(kv, token, loop.now());
    await loop.wake('settings');
  };
  return { kv, loop, view, signIn };
}

const idsOf = (resources: readonly Resource[]): string[] =>
  resources
    .map((r) => ((r as { identifier?: { value?: string }[] }).identifier ?? [])[0]?.value ?? '')
    .sort();

describe('sending to a FHIR server (Medplum) signed in with an OAuth server (oidc-provider)', () => {
  let clinic: ClinicServer;
  beforeAll(async () => {
    clinic = await startClinicServer();
  });
  afterAll(() => clinic.close());

  it('sends nothing before the sign-in, then every session once: the server finds exactly them', async () => {
    const patient = await clinic.addPatient('ana');
    const logs = sessions(6, 1);
    const { loop, view, signIn } = await setUp(clinic, 'ana', logs);
    // Before the sign-in: only the public SMART configuration was read.
    expect(loop.sent.map((s) => s.request.url)).toEqual([
      `${clinic.fhirBase}/.well-known/smart-configuration`,
    ]);
    expect(view().status).toContain('Not signed in: nothing is sent.');
    expect(view().signIn).toMatchObject({ clientId: CLIENT_ID, scope: CLINIC_SCOPES });

    await signIn();
    const procedures = await clinic.search(`Procedure?subject=Patient/${patient}&_count=1000`);
    expect(idsOf(procedures)).toEqual(logs.map((l) => l.id).sort());
    // Duration, pain before, heart rate at start and end for each; pain after where rated.
    const observations = await clinic.search(`Observation?subject=Patient/${patient}&_count=1000`);
    expect(observations).toHaveLength(logs.reduce((n, l) => n + 4 + (l.pain === undefined ? 0 : 1), 0));
    for (const o of observations)
      expect((o as { partOf?: { reference?: string }[] }).partOf?.[0]?.reference).toMatch(
        /^Procedure\/[0-9a-f-]{36}$/,
      );
    expect(view().status).toEqual(
      expect.arrayContaining([
        `Signed in at ${clinic.fhirBase} as Patient/${patient}.`,
        'Waiting to be sent: 0.',
        expect.stringMatching(/^Sent: 6 sessions, the last at 2026-11-25 15:00\.$/),
      ]),
    );
  });

  it('sends a session again (its answer lost, or a later pain rating) without a second record', async () => {
    const patient = await clinic.addPatient('ben');
    const logs = sessions(3, 2);
    const { kv, loop, signIn } = await setUp(clinic, 'ben', logs);
    await signIn();
    const before = await clinic.search(`Observation?subject=Patient/${patient}&_count=1000`);
    // The phone forgets what it sent (the answers lost): everything goes again.
    for (const key of Object.keys(kv.dump())) if (key.startsWith('clinic.sent.')) kv.remove(key);
    kv.set('clinic.todo', JSON.stringify({ scan: true, months: {} }));
    const posts = loop.sent.filter((s) => s.request.method === 'POST').length;
    await loop.wake('settings');
    expect(loop.sent.filter((s) => s.request.method === 'POST').length - posts).toBe(3);
    expect(await clinic.search(`Procedure?subject=Patient/${patient}&_count=1000`)).toHaveLength(3);
    expect(await clinic.search(`Observation?subject=Patient/${patient}&_count=1000`)).toHaveLength(
      before.length,
    );

    // A rating given later: the session goes again and only its new Observation is made.
    const rated = { ...logs[0]!, pain: 9, painAt: logs[0]!.endedAt + 60_000 };
    store(kv, [rated], loop.now());
    await loop.wake('stored');
    const pains = await clinic.search(`Observation?subject=Patient/${patient}&code=72514-3&_count=1000`);
    expect(pains.length).toBe(
      before.filter((o) => JSON.stringify(o).includes('72514-3')).length +
        (logs[0]!.pain === undefined ? 1 : 0),
    );
    expect(await clinic.search(`Procedure?subject=Patient/${patient}&_count=1000`)).toHaveLength(3);
  });

  it('keeps sessions while the server is down, retries with backoff, and sends them when it is back', async () => {
    const patient = await clinic.addPatient('cleo');
    const { kv, loop, view, signIn } = await setUp(clinic, 'cleo', sessions(1, 3));
    await signIn();
    clinic.down();
    const later = sessions(2, 4, T0 - DAY);
    store(kv, later, loop.now());
    await loop.wake('stored');
    expect(loop.sent.at(-1)!.status).toBe('network error');
    const lines = view().status;
    expect(lines).toContain('Waiting to be sent: 2.');
    expect(lines.find((l) => l.startsWith('Last try failed'))).toMatch(
      /^Last try failed \(could not reach the clinic: fetch failed\); next try at 2026-11-25 15:00\.$/,
    );
    // The retry finds the server still down, then up.
    await loop.advance(13_000);
    expect(loop.sent.at(-1)!.status).toBe('network error');
    clinic.up();
    await loop.advance(40_000);
    expect(view().status).toContain('Waiting to be sent: 0.');
    expect(view().status.some((l) => l.startsWith('Last try failed'))).toBe(false);
    expect(await clinic.search(`Procedure?subject=Patient/${patient}&_count=1000`)).toHaveLength(3);
  });

  it('refreshes an ended token once and sends on; asks the patient to sign in again when that is refused', async () => {
    const patient = await clinic.addPatient('dora');
    const { kv, loop, view, signIn } = await setUp(clinic, 'dora', sessions(1, 5));
    await signIn();
    // The server ends the access token (as its expiry does): a 401, one refresh, the session sent.
    await clinic.expireAccessTokens();
    store(kv, sessions(1, 6, T0 - DAY), loop.now());
    const from = loop.sent.length;
    await loop.wake('stored');
    expect(loop.sent.slice(from).map((s) => [s.request.url.replace(clinic.origin, ''), s.status])).toEqual([
      ['/fhir', 401],
      ['/token', 200],
      ['/fhir', 200],
    ]);
    // The token's own end, by the phone's clock: refreshed before it is used.
    const token = JSON.parse(kv.get('clinic.token')!) as { expiresAt: number };
    await loop.advance(token.expiresAt - loop.now());
    store(kv, sessions(1, 7, T0 - 2 * DAY), loop.now());
    const from2 = loop.sent.length;
    await loop.wake('stored');
    expect(loop.sent.slice(from2).map((s) => s.request.url.replace(clinic.origin, ''))).toEqual([
      '/token',
      '/fhir',
    ]);

    // The clinic withdraws the sign-in: the refresh is refused, nothing more is sent.
    await clinic.revokeSignIns();
    store(kv, sessions(1, 8, T0 - 3 * DAY), loop.now());
    const from3 = loop.sent.length;
    await loop.wake('stored');
    expect(loop.sent.slice(from3).map((s) => [s.request.url.replace(clinic.origin, ''), s.status])).toEqual([
      ['/fhir', 401],
      ['/token', 400],
    ]);
    expect(view().status).toContain(
      'Sign in again: the clinic refused to renew your sign-in (HTTP 400: grant request is invalid). Nothing is sent until you do.',
    );
    expect(view().signIn).toBeDefined();
    expect(view().status).toContain('Waiting to be sent: 1.');
    await loop.advance(3_600_000);
    expect(loop.sent.length).toBe(from3 + 2);
    await signIn();
    expect(view().status).toContain('Waiting to be sent: 0.');
    expect(await clinic.search(`Procedure?subject=Patient/${patient}&_count=1000`)).toHaveLength(4);
  });
});

describe('a clinic whose server refuses what its profile does not allow', () => {
  let clinic: ClinicServer;
  beforeAll(async () => {
    clinic = await startClinicServer({ codedStopReason: true });
  });
  afterAll(() => clinic.close());

  it('keeps a refused session with the server\u2019s words, sends the others, retries only when asked', async () => {
    const patient = await clinic.addPatient('eve');
    const done = sessions(2, 9);
    const stopped = sessions(1, 10, T0 - 20 * DAY, 'ended_early');
    const { kv, loop, view, signIn } = await setUp(clinic, 'eve', [...done, ...stopped]);
    const history = JSON.stringify(openHistory(kv, { now: T0 }).all());
    await signIn();
    expect(idsOf(await clinic.search(`Procedure?subject=Patient/${patient}&_count=1000`))).toEqual(
      done.map((l) => l.id).sort(),
    );
    expect(view().refused).toEqual([
      'Refused by the clinic: session of 2026-11-05 15:00, HTTP 400: Constraint clinic-1 not met: A stopped procedure needs a coded reason (statusReason.coding) (Procedure)',
    ]);
    expect(view().status).toContain('Waiting to be sent: 0.');
    // Never dropped: the history is as it was; never retried blindly: waking sends nothing.
    expect(JSON.stringify(openHistory(kv, { now: T0 }).all())).toBe(history);
    const posts = loop.sent.length;
    await loop.wake('stored');
    await loop.advance(DAY);
    expect(loop.sent.length).toBe(posts);
    // The patient asks: it goes again once (and is refused again, the clinic unchanged).
    resendRefused(kv, openHistory(kv, { now: T0 }).all(), loop.now());
    await loop.wake('settings');
    // (The day that passed ended the token: a refresh comes first.)
    expect(loop.sent.slice(posts).map((s) => [s.request.url.replace(clinic.origin, ''), s.status])).toEqual([
      ['/token', 200],
      ['/fhir', 400],
    ]);
    expect(view().refused).toHaveLength(1);
  });
});
