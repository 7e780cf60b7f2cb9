import type { KeyValueStore } from '../base/kv';
import { err, ok, type Result } from '../base/result';
import { fnv1a48 } from '../link/protocol';

/**
 * The phone's link with the patient's clinic: which FHIR server, where it signs patients in, the
 * token the patient got by signing in, and what stops sending. All of it lives in settingsStorage
 * (shared by the Settings App and the Side Service, strings only), one small key each, written whole.
 *
 * Nothing leaves the phone until the patient signs in: before a token is stored the only request the
 * phone makes is to read the server's public SMART configuration (where to sign in).
 */

export const CLINIC_KEYS = {
  /** What the patient typed: the FHIR base URL and the app's client id at that clinic. */
  server: 'clinic.server',
  /** The server's sign-in endpoints, read from its SMART configuration, or why they could not be. */
  discovery: 'clinic.discovery',
  /** The token of the signed-in patient. Never shown, never logged. */
  token: 'clinic.token',
  /** Why the patient must sign in again (a refresh refused, a second 401). */
  signIn: 'clinic.signin',
  /** The months whose logs may be unsent, and whether every month must be looked at. */
  todo: 'clinic.todo',
  /** The backoff after failed attempts, and the last problem, kept across restarts. */
  retry: 'clinic.retry',
} as const;

/**
 * What the app asks for when the patient signs in (SMART App Launch scopes): the patient's own
 * context (`launch/patient`: the token answer names the patient), a refresh token (`offline_access`),
 * and writing the two resource types a session becomes.
 */
export const CLINIC_SCOPES =
  'launch/patient offline_access patient/Procedure.write patient/Observation.write';

export interface ClinicServer {
  /** The FHIR base URL, no trailing slash. */
  readonly base: string;
  readonly clientId: string;
}

export type DiscoveryProblem =
  | { readonly code: 'status'; readonly status: number }
  | { readonly code: 'malformed'; readonly detail: string };

export type Discovery =
  | { readonly base: string; readonly authorize: string; readonly token: string }
  | { readonly base: string; readonly problem: DiscoveryProblem };

export interface ClinicToken {
  readonly access: string;
  readonly refresh?: string;
  /** Phone time (ms) at which the server said the access token ends; absent when it did not say. */
  readonly expiresAt?: number;
  /** Phone time (ms) the token was got. */
  readonly obtainedAt: number;
  /** The server's reference of the signed-in patient, `Patient/<id>`. */
  readonly patient: string;
  readonly scope?: string;
  /** The FHIR base URL the token was got for: a token is never sent to another server. */
  readonly base: string;
}

export type SignInReason =
  | { readonly code: 'refresh_refused'; readonly status: number; readonly detail: string }
  | { readonly code: 'unauthorized' }
  | { readonly code: 'expired' };

export type TokenProblem = 'no_token' | 'no_patient' | 'bad_patient';

/** What the link holds, read in one go (a handful of small keys). */
export interface ClinicLink {
  readonly server?: ClinicServer;
  readonly discovery?: Discovery;
  readonly token?: ClinicToken;
  readonly signIn?: SignInReason;
}

const LOOPBACK_HOST = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])(:\d{1,5})?$/;
const HOST = /^([A-Za-z0-9-]+\.)*[A-Za-z0-9-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;
const URL_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#\s]*)([^?#\s]*)$/;

/**
 * An address the phone may send to: https, or http only to the phone's own loopback address (for
 * tests on one machine); no query, no fragment, no user name. The trailing slash is dropped.
 */
export function parseServerUrl(text: string, what: string): Result<string, string> {
  const typed = text.trim();
  const shown = typed.length > 80 ? `${typed.slice(0, 80)}…` : typed;
  const m = URL_PARTS.exec(typed);
  if (!m)
    return err(
      `${what} must be a whole address such as https://fhir.example-clinic.org/r4, with no spaces, "?" or "#"; got "${shown}".`,
    );
  const scheme = m[1]!.toLowerCase();
  const host = m[2]!;
  if (!HOST.test(host)) return err(`${what} has no valid server name in "${shown}".`);
  if (scheme !== 'https' && !(scheme === 'http' && LOOPBACK_HOST.test(host)))
    return err(
      `${what} must start with https:// (http:// only for this phone's own address 127.0.0.1, for testing); got "${shown}".`,
    );
  const path = m[3]!.replace(/\/+$/, '');
  return ok(`${scheme}://${host}${path}`);
}

const CLIENT_ID = /^[\x21-\x7e]{1,200}$/;

/** The patient's entry: the clinic's FHIR base URL and the app's client id there. */
export function parseClinicServer(baseText: string, clientIdText: string): Result<ClinicServer, string> {
  const base = parseServerUrl(baseText, "The clinic's FHIR address");
  if (!base.ok) return base;
  const clientId = clientIdText.trim();
  if (!CLIENT_ID.test(clientId))
    return err(
      `The clinic's app ID must be 1 to 200 visible characters with no spaces, as the clinic gave it; got "${clientId.slice(0, 40)}".`,
    );
  return ok({ base: base.value, clientId });
}

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

type Fields = Readonly<Record<string, unknown>>;

/** A JSON text or an object, as a token answer or a server's body may come (harsher reading: either). */
export function asFields(value: unknown): Fields | undefined {
  if (typeof value === 'string') {
    try {
      const parsed = JSON.parse(value) as unknown;
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? (parsed as Fields)
        : undefined;
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
}

const text = (f: Fields, ...names: string[]): string | undefined => {
  for (const n of names) {
    const v = f[n];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
};

/**
 * The token as the sign-in (the Settings App's `Auth` `onAccessToken`) or a refresh gives it. The
 * reference says only that it receives "the accessToken and anything provided by OAuth (such as
 * refresh tokens and expiration times)", so both the token endpoint's JSON (as an object or as its
 * text) and a bare token are read; the patient comes from the SMART `patient` field of that answer
 * (or, on a refresh that leaves it out, from the token it replaces), never from the patient.
 */
export function readToken(
  value: unknown,
  now: number,
  base: string,
  previous?: ClinicToken,
): Result<ClinicToken, TokenProblem> {
  const f =
    asFields(value) ?? (typeof value === 'string' && /^\S+$/.test(value) ? { access_token: value } : {});
  const access = text(f, 'access_token', 'accessToken');
  if (access === undefined) return err('no_token');
  const id = text(f, 'patient') ?? previous?.patient.replace(/^Patient\//, '');
  if (id === undefined) return err('no_patient');
  if (!FHIR_ID.test(id)) return err('bad_patient');
  const seconds = Number(f.expires_in ?? f.expiresIn);
  const refresh = text(f, 'refresh_token', 'refreshToken') ?? previous?.refresh;
  const scope = text(f, 'scope') ?? previous?.scope;
  return ok({
    access,
    ...(refresh !== undefined ? { refresh } : {}),
    ...(Number.isFinite(seconds) && seconds > 0 ? { expiresAt: now + Math.round(seconds * 1000) } : {}),
    obtainedAt: now,
    patient: `Patient/${id}`,
    ...(scope !== undefined ? { scope } : {}),
    base,
  });
}

/** The SMART configuration's two endpoints, each held to the same rule as the base URL. */
export function readDiscovery(base: string, body: unknown): Discovery {
  const f = asFields(body);
  const malformed = (detail: string): Discovery => ({ base, problem: { code: 'malformed', detail } });
  if (!f) return malformed('its answer is not a JSON object');
  const authorize = parseServerUrl(String(f.authorization_endpoint ?? ''), 'Its authorization_endpoint');
  if (!authorize.ok) return malformed(authorize.error);
  const token = parseServerUrl(String(f.token_endpoint ?? ''), 'Its token_endpoint');
  if (!token.ok) return malformed(token.error);
  return { base, authorize: authorize.value, token: token.value };
}

function readJson(store: KeyValueStore, key: string): Fields | undefined {
  const raw = store.get(key);
  return raw === undefined ? undefined : asFields(raw);
}

/**
 * Everything the link holds. A value that does not read is taken as absent (the patient enters the
 * server again, or signs in again): none of it is a session, so nothing the patient did is lost.
 */
export function readClinicLink(store: KeyValueStore): ClinicLink {
  const s = readJson(store, CLINIC_KEYS.server);
  const server =
    s && typeof s.base === 'string' && typeof s.clientId === 'string'
      ? parseClinicServer(s.base, s.clientId)
      : undefined;
  if (!server?.ok) return {};
  const d = readJson(store, CLINIC_KEYS.discovery);
  const discovery =
    d?.base !== server.value.base
      ? undefined
      : typeof d.authorize === 'string' && typeof d.token === 'string'
        ? { base: server.value.base, authorize: d.authorize, token: d.token }
        : typeof d.problem === 'object' && d.problem !== null
          ? ({ base: server.value.base, problem: d.problem } as Discovery)
          : undefined;
  const t = readJson(store, CLINIC_KEYS.token);
  const token =
    t &&
    t.base === server.value.base &&
    typeof t.access === 'string' &&
    typeof t.patient === 'string' &&
    typeof t.obtainedAt === 'number'
      ? (t as unknown as ClinicToken)
      : undefined;
  const signIn = readJson(store, CLINIC_KEYS.signIn) as SignInReason | undefined;
  return {
    server: server.value,
    ...(discovery ? { discovery } : {}),
    ...(token ? { token } : {}),
    ...(token && signIn && typeof signIn.code === 'string' ? { signIn } : {}),
  };
}

/** The ledger a server and a patient share: sessions delivered to one clinic are not another's. */
export function ledgerId(token: Pick<ClinicToken, 'base' | 'patient'>): string {
  return fnv1a48(`${token.base}|${token.patient}`);
}

/** The patient saved a server: a new one forgets the old one's sign-in (its token is for the old). */
export function saveClinicServer(store: KeyValueStore, server: ClinicServer): void {
  const before = readClinicLink(store).server;
  if (before && before.base === server.base && before.clientId === server.clientId) return;
  store.set(CLINIC_KEYS.server, JSON.stringify(server));
  store.remove(CLINIC_KEYS.discovery);
  store.remove(CLINIC_KEYS.token);
  store.remove(CLINIC_KEYS.signIn);
  store.remove(CLINIC_KEYS.retry);
}

/**
 * The patient signed in: the token is kept, any earlier "sign in again" cleared, and every month
 * looked at again (a first sign-in sends the whole history; the ledger skips what this clinic has).
 */
export function saveSignIn(store: KeyValueStore, token: ClinicToken): void {
  store.set(CLINIC_KEYS.todo, JSON.stringify({ scan: true, months: {} }));
  store.set(CLINIC_KEYS.token, JSON.stringify(token));
  store.remove(CLINIC_KEYS.signIn);
  store.remove(CLINIC_KEYS.retry);
}

/** Sign out: the token goes; the server, and what was sent, stay (signing in again resends nothing). */
export function signOut(store: KeyValueStore): void {
  store.remove(CLINIC_KEYS.token);
  store.remove(CLINIC_KEYS.signIn);
  store.remove(CLINIC_KEYS.retry);
}

/** A settingsStorage key the patient's actions in the Settings App write, which the loop must see at once. */
export function isClinicSetting(key: unknown): boolean {
  return (
    typeof key === 'string' &&
    (key === CLINIC_KEYS.server || key === CLINIC_KEYS.token || key === CLINIC_KEYS.todo)
  );
}
