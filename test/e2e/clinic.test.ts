/**
 * To the clinic, end to end on the BUILT app: the patient signs in from the Settings App (its `Auth`,
 * PKCE) at an oidc-provider, a session on the watch reaches the phone, and the Side Service's `fetch`
 * delivers it to Medplum's FHIR server, whose own search finds it. Then each failure, with what the
 * patient sees on the Settings page.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bootWatch, type Watch } from '../runtime';
import { authorizationCodeFlow } from '../runtime/auth';
import { logsSent, ratePain, runSession, settleHome, startSession } from '../runtime/flows';
import type { SettingsApp } from '../runtime/settings-app';
import { failureOf } from '../support/double-failure';
import { CLIENT_ID, startClinicServer, type ClinicServer } from '../support/clinic-server';

const START = Date.UTC(2026, 10, 25, 14, 0);
let w: Watch | undefined;
afterEach(() => {
  w?.dispose();
  w = undefined;
});

/** Lets the phone's requests answer, and what they lead to run, a few times over. */
async function network(watch: Watch): Promise<void> {
  for (let i = 0; i < 3; i++) {
    watch.advance(50);
    await watch.phone.network();
  }
}

/** The clinic set up on the Settings page, and the patient signed in as `account`. */
async function signedIn(watch: Watch, clinic: ClinicServer, account: string): Promise<SettingsApp> {
  const page = watch.phone.openSettings();
  page.input(/^Clinic's FHIR address/, clinic.fhirBase);
  page.input("Clinic's app ID", CLIENT_ID);
  await network(watch);
  expect(page.texts()).toContain('Not signed in: nothing is sent.');
  await page.signIn('Sign in with my clinic', clinic.userAgent(account));
  await network(watch);
  return page;
}

/** A whole session on the watch, rated, and the phone's requests answered. */
async function session(watch: Watch, pain = 4): Promise<string> {
  // Each session from a fresh launch, as a patient opens the app for it (and the watch context's heap
  // starts anew: several whole sessions in one launch outgrow it in the double).
  if (watch.running) watch.kill();
  watch.relaunch();
  if (!watch.screen().on) watch.wake();
  settleHome(watch);
  runSession(watch);
  ratePain(watch, pain);
  watch.advance(1000);
  watch.press('HOME'); // the summary's select: Home
  await network(watch);
  return logsSent(watch).at(-1)!.id as string;
}

const statusOf = (page: SettingsApp) =>
  page.texts().filter((t) => /^(Sent|Waiting|Last try|Sign in again|Signed in|Refused)/.test(t));

describe('a session on the watch reaches the clinic through the phone', () => {
  let clinic: ClinicServer;
  beforeAll(async () => {
    clinic = await startClinicServer();
  });
  afterAll(() => clinic.close());

  it.each([false, true])(
    'signs in with PKCE and sends each session; the server finds it (res.body an object: %s)',
    async (asObject) => {
      const account = `ana-${String(asObject)}`;
      const patient = await clinic.addPatient(account);
      w = await bootWatch({
        device: 'Amazfit Balance',
        start: START,
        readings: { fetchBodyAsObject: asObject },
      });
      settleHome(w);
      const before = w.phone.openSettings();
      expect(before.texts()).toContain('Not set up: enter the address and app ID your clinic gave you.');
      expect(before.find('Auth', /.*/)).toHaveLength(0);
      const page = await signedIn(w, clinic, account);
      // Before the sign-in the phone only read where to sign in; the sign-in used PKCE (S256).
      const authorize = clinic.log.find((e) => e.path === '/auth')!;
      expect(new URLSearchParams(authorize.query).get('code_challenge_method')).toBe('S256');
      expect(w.phone.fetches[0]!.url).toBe(`${clinic.fhirBase}/.well-known/smart-configuration`);
      expect(w.phone.fetches).toHaveLength(1);

      const id = await session(w);
      const procedures = await clinic.search(`Procedure?subject=Patient/${patient}`);
      expect(
        procedures.map((p) => (p as { identifier?: { value?: string }[] }).identifier?.[0]?.value),
      ).toEqual([id]);
      const observations = await clinic.search(`Observation?subject=Patient/${patient}&_count=100`);
      // duration, pain after, heart rate at start and end
      expect(observations).toHaveLength(4);
      expect(w.phone.fetches.at(-1)).toMatchObject({
        method: 'POST',
        url: clinic.fhirBase,
        outcome: { status: 200 },
      });
      expect(w.phone.fetches.at(-1)!.headers.Authorization).toMatch(/^Bearer /);
      w.advance(100);
      expect(statusOf(page)).toEqual([
        `Signed in at ${clinic.fhirBase} as Patient/${patient}.`,
        expect.stringMatching(/^Sent: 1 sessions, the last at 2026-11-25 \d\d:\d\d\.$/),
        'Waiting to be sent: 0.',
      ]);
    },
  );

  it('the provider refuses a sign-in without PKCE (what the Auth component must send)', async () => {
    const smart = (await (await fetch(`${clinic.fhirBase}/.well-known/smart-configuration`)).json()) as {
      authorization_endpoint: string;
      token_endpoint: string;
    };
    await clinic.addPatient('nopkce');
    const props = {
      authorizeUrl: smart.authorization_endpoint,
      requestTokenUrl: smart.token_endpoint,
      clientId: CLIENT_ID,
      scope: 'launch/patient',
    };
    await expect(
      authorizationCodeFlow({ ...props, pkce: false }, clinic.userAgent('nopkce')),
    ).rejects.toThrow(/sign-in refused: invalid_request/);
    await expect(
      authorizationCodeFlow({ ...props, pkce: true }, clinic.userAgent('nopkce')),
    ).resolves.toMatchObject({ status: 200 });
  });

  it('server down, then up; the token ended; the sign-in withdrawn: what the patient sees, and nothing lost', async () => {
    const patient = await clinic.addPatient('bo');
    w = await bootWatch({ device: 'Amazfit Balance', start: START });
    settleHome(w);
    const page = await signedIn(w, clinic, 'bo');
    const ids = [await session(w)];

    // Down: the session waits on the phone, the page says why and when the next try is.
    clinic.down();
    ids.push(await session(w, 2));
    w.advance(100);
    expect(statusOf(page)).toEqual([
      expect.stringContaining('Signed in'),
      expect.stringMatching(/^Sent: 1 sessions/),
      'Waiting to be sent: 1.',
      expect.stringMatching(
        /^Last try failed \(could not reach the clinic: Network request failed: fetch failed\); next try at 2026-11-25 \d\d:\d\d\.$/,
      ),
    ]);
    clinic.up();
    w.advance(15_000);
    await network(w);
    expect(statusOf(page)).toEqual([
      expect.stringContaining('Signed in'),
      expect.stringMatching(/^Sent: 2 sessions/),
      'Waiting to be sent: 0.',
    ]);

    // The token ended on the server: one refresh, and the session goes.
    await clinic.expireAccessTokens();
    ids.push(await session(w, 3));
    const statuses = w.phone.fetches.slice(-3).map((f) => [f.url.replace(clinic.origin, ''), f.outcome]);
    expect(statuses).toEqual([
      ['/fhir', { status: 401 }],
      ['/token', { status: 200 }],
      ['/fhir', { status: 200 }],
    ]);

    // The clinic withdrew the sign-in: the patient is asked to sign in again; the session waits.
    await clinic.revokeSignIns();
    ids.push(await session(w, 5));
    w.advance(100);
    expect(statusOf(page)).toEqual([
      expect.stringContaining('Signed in'),
      'Sign in again: the clinic refused to renew your sign-in (HTTP 400: grant request is invalid). Nothing is sent until you do.',
      expect.stringMatching(/^Sent: 3 sessions/),
      'Waiting to be sent: 1.',
    ]);
    await page.signIn('Sign in with my clinic', clinic.userAgent('bo'));
    await network(w);
    expect(statusOf(page)).toContain('Waiting to be sent: 0.');
    const found = await clinic.search(`Procedure?subject=Patient/${patient}&_count=100`);
    expect(
      found.map((p) => (p as { identifier?: { value?: string }[] }).identifier?.[0]?.value).sort(),
    ).toEqual([...ids].sort());
  });
});

describe('a clinic that refuses a session', () => {
  let clinic: ClinicServer;
  beforeAll(async () => {
    clinic = await startClinicServer({ codedStopReason: true });
  });
  afterAll(() => clinic.close());

  it('shows the refusal with the server\u2019s words and keeps the session on the phone', async () => {
    await clinic.addPatient('cy');
    w = await bootWatch({ device: 'Amazfit Balance 3', start: START });
    settleHome(w);
    const page = await signedIn(w, clinic, 'cy');
    startSession(w);
    w.advance(30_000);
    w.press('BACK'); // end early: asks first
    w.answerModal('CONFIRM');
    ratePain(w, 6);
    await network(w);
    w.advance(100);
    expect(page.texts().filter((t) => t.startsWith('Refused'))).toEqual([
      'Refused by the clinic: session of 2026-11-25 14:00, HTTP 400: Constraint clinic-1 not met: A stopped procedure needs a coded reason (statusReason.coding) (Procedure)',
    ]);
    expect(page.buttons()).toContain('Send refused sessions again');
    // Kept on the phone: in the history the page shows.
    expect(page.texts().some((t) => t.includes('ended early'))).toBe(true);
  });
});

describe('the double holds fetch and Auth to their reference pages', () => {
  it('refuses a fetch option the page does not list, a body that is not a string, and any address off this machine', async () => {
    w = await bootWatch({ device: 'Amazfit Balance', start: START });
    const phone = w.phone;
    expect(failureOf(() => phone.exec("fetch({ url: 'http://127.0.0.1:9/', mode: 'cors' })"))).toMatch(
      /fetch: option "mode" is not supported \(only url, method, headers and body\)/,
    );
    expect(
      failureOf(() => phone.exec("fetch({ url: 'http://127.0.0.1:9/', method: 'POST', body: { a: 1 } })")),
    ).toMatch(/fetch: body must be a string/);
    expect(failureOf(() => phone.exec("fetch('https://example.org/')"))).toMatch(
      /reaches only this machine's loopback/,
    );
    // A refused connection rejects, as a network error does on a phone.
    phone.exec(
      "globalThis.r = 'pending'; fetch('http://127.0.0.1:9/').then(() => (globalThis.r = 'resolved'), (e) => (globalThis.r = String(e)))",
    );
    await phone.network();
    expect(phone.exec('globalThis.r')).toMatch(/^TypeError: Network request failed/);
  });
});
