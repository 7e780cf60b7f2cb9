/**
 * 5,000 sessions to the clinic from a fresh queue: `npm run build && npx tsx bench/clinic.ts [N]`.
 *
 * The phone is the BUILT app's Side Service in the runtime double (QuickJS, its `fetch` a real request
 * on loopback), its history 5,000 seeded sessions (2 a day, ~7 years) in settingsStorage; the clinic is
 * Medplum's FHIR router and validator behind oidc-provider (test/support/clinic-server.ts). The patient
 * signs in from the Settings App, and the Side Service sends until nothing waits. Printed: the time,
 * the requests, the bytes sent, the Side Service's heap as it goes (after a forced collection), and the
 * queue's own keys in settingsStorage. The floor, built in the same run: the same 5,000 transaction
 * Bundles posted by Node itself, one at a time, to a fresh server of the same kind.
 */
import { memoryStore } from '../core/base/kv';
import { readClinicLink } from '../core/phone/clinic-link';
import { sessionTransaction } from '../core/phone/clinic-bundle';
import { monthOf } from '../core/phone/clinic-queue';
import { openHistory } from '../core/phone/history';
import type { SessionLog } from '../core/log/session-log';
import { bootWatch } from '../test/runtime';
import { CLIENT_ID, startClinicServer } from '../test/support/clinic-server';
import { DAY, HOUR, makeLog, seededRandom, T0 } from '../test/support/sync-fixtures';

const N = Number(process.argv[2] ?? 5000);
const random = seededRandom(5000);
const start = T0 - Math.ceil(N / 2) * DAY;
const logs: SessionLog[] = [];
for (let n = 0; n < N; n++)
  logs.push(
    makeLog(random, start + Math.floor(n / 2) * DAY + (n % 2) * 6 * HOUR, {
      ...(random() < 0.7 ? { painBefore: Math.floor(random() * 11) } : {}),
      ...(random() < 0.8
        ? { hrStart: 55 + Math.floor(random() * 40), hrEnd: 50 + Math.floor(random() * 40) }
        : {}),
    }),
  );

// The phone's history, as the Side Service stores it (a month per append: at most 3 writes each).
const kv = memoryStore();
const byMonth = new Map<string, SessionLog[]>();
for (const l of logs) byMonth.set(monthOf(l), [...(byMonth.get(monthOf(l)) ?? []), l]);
for (const month of byMonth.values()) {
  const r = openHistory(kv, { now: T0 }).appendAll(month);
  if (!r.ok || r.value.some((o) => o !== 'accepted')) throw new Error('the history did not take every log');
}
const historyBytes = Object.values(kv.dump()).reduce((n, v) => n + v.length, 0);

// ---- the floor: Node posts the same Bundles, one at a time -------------------------------------------
const floorClinic = await startClinicServer();
const floorPatient = await floorClinic.addPatient('floor');
const bodies = logs.map((l) => JSON.stringify(sessionTransaction(l, `Patient/${floorPatient}`)));
const floorToken = await (async () => {
  const { authorizationCodeFlow } = await import('../test/runtime/auth');
  const smart = (await (await fetch(`${floorClinic.fhirBase}/.well-known/smart-configuration`)).json()) as {
    authorization_endpoint: string;
    token_endpoint: string;
  };
  const r = await authorizationCodeFlow(
    {
      authorizeUrl: smart.authorization_endpoint,
      requestTokenUrl: smart.token_endpoint,
      clientId: CLIENT_ID,
      scope: 'launch/patient patient/Procedure.write patient/Observation.write',
      pkce: true,
    },
    floorClinic.userAgent('floor'),
  );
  return (r.token as { access_token: string }).access_token;
})();
const f0 = performance.now();
for (const body of bodies) {
  const res = await fetch(floorClinic.fhirBase, {
    method: 'POST',
    headers: { Authorization: `Bearer ${floorToken}`, 'Content-Type': 'application/fhir+json' },
    body,
  });
  if (res.status !== 200) throw new Error(`floor: HTTP ${res.status}`);
  await res.text();
}
const floorMs = performance.now() - f0;
await floorClinic.close();

// ---- the phone ----------------------------------------------------------------------------------------
const clinic = await startClinicServer();
const patient = await clinic.addPatient('pat');
const w = await bootWatch({ device: 'Amazfit Balance', start: T0, settings: kv.dump(), launch: false });
const page = w.phone.openSettings();
page.input(/^Clinic's FHIR address/, clinic.fhirBase);
page.input("Clinic's app ID", CLIENT_ID);
w.advance(10);
await w.phone.network();
w.advance(10);
page.close();
const heap0 = w.phone.heapBytes();
const p0 = performance.now();
const signIn = w.phone.openSettings();
await signIn.signIn('Sign in with my clinic', clinic.userAgent('pat'));
signIn.close();
const heaps: [number, number][] = [];
let sent = 0;
let heapMs = 0;
w.phone.afterFetch = () => {
  if (++sent % Math.max(1, Math.floor(N / 5)) !== 0) return;
  const h0 = performance.now();
  heaps.push([sent, w.phone.heapBytes()]);
  heapMs += performance.now() - h0;
};
for (let before = -1; before !== sent;) {
  before = sent;
  w.advance(1);
  await w.phone.network();
}
const phoneMs = performance.now() - p0 - heapMs;

const store = w.phone.storage.toObject();
const queueKeys = Object.entries(store).filter(([k]) => k.startsWith('clinic.sent.') || k === 'clinic.todo');
const queueBytes = queueKeys.reduce((n, [, v]) => n + v.length, 0);
const found = await clinic.search(`Procedure?subject=Patient/${patient}&_count=10000`);
const posts = w.phone.fetches.filter((f) => f.method === 'POST' && f.url === clinic.fhirBase);
const bodyBytes = posts.map((f) => Buffer.byteLength(f.body ?? '', 'utf8'));
const statuses = new Map<string, number>();
for (const f of w.phone.fetches) {
  const key = `${f.method} ${f.url.replace(clinic.origin, '')} ${'status' in (f.outcome ?? {}) ? (f.outcome as { status: number }).status : 'error'}`;
  statuses.set(key, (statuses.get(key) ?? 0) + 1);
}
const token = readClinicLink({ get: (k) => store[k], set: () => undefined, remove: () => undefined }).token;
w.dispose();
await clinic.close();

const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
console.log(
  `## ${N.toLocaleString('en')} sessions to the clinic from a fresh queue (history ${kb(historyBytes)} in settingsStorage)`,
);
console.log(
  `phone (Side Service in the double): ${(phoneMs / 1000).toFixed(1)} s, ${(phoneMs / N).toFixed(1)} ms a session = ${(phoneMs / floorMs).toFixed(2)}× the floor`,
);
console.log(
  `floor (Node posting the same ${N} Bundles): ${(floorMs / 1000).toFixed(1)} s, ${(floorMs / N).toFixed(1)} ms a session`,
);
console.log(
  `requests: ${w.phone.fetches.length} (${[...statuses].map(([k, n]) => `${k}: ${n}`).join('; ')}); ${(posts.length / N).toFixed(2)} per session`,
);
console.log(
  `request bodies: ${kb(bodyBytes.reduce((a, b) => a + b, 0))} in all, ${(bodyBytes.reduce((a, b) => a + b, 0) / N).toFixed(0)} B a session, the largest ${bodyBytes.reduce((a, b) => Math.max(a, b), 0)} B`,
);
console.log(
  `the server's own search finds ${found.length} Procedures for the patient (${found.length === N ? 'every session, once' : 'NOT every session once'})`,
);
console.log(
  `Side Service heap (after a collection): ${kb(heap0)} before the sign-in; ${heaps.map(([n, h]) => `${kb(h)} at ${n}`).join(', ')}`,
);
console.log(
  `the queue's keys in settingsStorage: ${queueKeys.length} (${kb(queueBytes)}, ${(queueBytes / N).toFixed(0)} B a session); the token ${token ? 'kept' : 'MISSING'}`,
);
if (found.length !== N) process.exitCode = 1;
