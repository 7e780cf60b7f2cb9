/**
 * The FHIR R4 export of a long history: `npx tsx bench/fhir.ts`.
 * 5,000 seeded sessions (2 a day, ~7 years), most with pain before and after and heart rate at start
 * and end, some not measured. Builds the Bundle the Settings page shows (median of 7 runs, against the
 * CSV of the same sessions built in the same run as the floor), then validates it once with both
 * validators the tests use (FHIR.js on the R4 StructureDefinitions, the official R4 JSON Schema).
 */
import { sessionsCsv } from '../core/log/csv';
import { sessionsFhir } from '../core/log/fhir';
import type { SessionLog } from '../core/log/session-log';
import { validateR4 } from '../test/support/fhir';
import { DAY, HOUR, makeLog, seededRandom, T0 } from '../test/support/sync-fixtures';
import { medianMs } from './lib/median';

const N = 5000;
const RUNS = 7;
const random = seededRandom(5000);
const logs: SessionLog[] = [];
for (let n = 0; n < N; n++) {
  const measured = random() < 0.8;
  logs.push(
    makeLog(random, T0 + Math.floor(n / 2) * DAY + (n % 2) * 6 * HOUR, {
      ...(random() < 0.7 ? { painBefore: Math.floor(random() * 11) } : {}),
      ...(measured ? { hrStart: 55 + Math.floor(random() * 40), hrEnd: 50 + Math.floor(random() * 40) } : {}),
    }),
  );
}
const now = T0 + (N / 2 + 1) * DAY;

const median = (f: () => void): number => medianMs(RUNS, f);

let csv = '';
let fhir = '';
const csvMs = median(() => {
  csv = sessionsCsv(logs);
});
const fhirMs = median(() => {
  fhir = sessionsFhir(logs, now, 60);
});
const bundle = JSON.parse(fhir) as { entry: unknown[] };
const t0 = performance.now();
const found = validateR4(bundle);
const validateMs = performance.now() - t0;
const bytes = Buffer.byteLength(fhir, 'utf8');

console.log(`## FHIR R4 Bundle of ${N.toLocaleString('en')} sessions (median of ${RUNS} runs)`);
console.log(
  `entries ${bundle.entry.length.toLocaleString('en')}; ${(bytes / 2 ** 20).toFixed(1)} MiB (${(bytes / N).toFixed(0)} B a session), ${(bytes / Buffer.byteLength(csv, 'utf8')).toFixed(1)}× the CSV`,
);
console.log(
  `build ${fhirMs.toFixed(0)} ms = ${(fhirMs / csvMs).toFixed(1)}× the CSV of the same sessions (${csvMs.toFixed(0)} ms)`,
);
console.log(
  `validation errors: FHIR.js (R4 StructureDefinitions) ${found.structure.length}, R4 JSON Schema ${found.schema.length}  (${(validateMs / 1000).toFixed(1)} s)`,
);
for (const m of [...found.structure, ...found.schema].slice(0, 10)) console.log(`  ${m}`);
if (found.structure.length + found.schema.length > 0) process.exitCode = 1;
