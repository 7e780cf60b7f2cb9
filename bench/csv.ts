/**
 * The Settings App page's cost with a long history: `npx tsx bench/csv.ts`.
 * 5,000 seeded sessions (2 a day, ~7 years) stored the way the Side Service stores them; then what one
 * build() of the page does: read the history, and lay out the view model with and without the CSV.
 * Median of 7 runs; times depend on the machine (a phone's JS engine is slower than Node's).
 */
import { sessionsCsv } from '../core/log/csv';
import { openHistory } from '../core/phone/history';
import { translator } from '../core/base/i18n';
import { memoryStore } from '../core/base/kv';
import { EMPTY_FORM, settingsView } from '../core/screens/settings';
import { DAY, HOUR, makeLog, seededRandom, T0 } from '../test/support/sync-fixtures';
import { medianMs } from './lib/median';

const N = 5000;
const RUNS = 7;
const random = seededRandom(5000);
const store = memoryStore();
const now = T0 + (N / 2 + 1) * DAY;
const history = openHistory(store, { now });
for (let n = 0; n < N; n++)
  history.append(makeLog(random, T0 + Math.floor(n / 2) * DAY + (n % 2) * 6 * HOUR));

const t = translator((key) => key);
const median = (f: () => void): number => medianMs(RUNS, f);

let csv = '';
let rows = 0;
const read = median(() => {
  rows = openHistory(store, { now }).all().length;
});
const logs = openHistory(store, { now }).all();
const build = median(() => {
  csv = sessionsCsv(logs);
});
const pageClosed = median(() => {
  const h = openHistory(store, { now });
  settingsView({ logs: h.all(), record: h.prescription(), form: EMPTY_FORM, now, utcOffsetMin: 60 }, t);
});
const pageOpen = median(() => {
  const h = openHistory(store, { now });
  settingsView(
    { logs: h.all(), record: h.prescription(), form: { exportOpen: true }, now, utcOffsetMin: 60 },
    t,
  );
});
const stored = Object.values(store.dump()).reduce((s, v) => s + v.length, 0);

console.log(`## CSV export of ${N.toLocaleString('en')} sessions (median of ${RUNS} runs)`);
console.log(
  `history: ${rows} sessions in ${Object.keys(store.dump()).length} keys, ${(stored / 1024).toFixed(0)} KiB`,
);
console.log(`read history (all parts, decoded and validated)  ${read.toFixed(0)} ms`);
console.log(
  `build CSV                                         ${build.toFixed(0)} ms  ${(csv.length / 1024).toFixed(0)} KiB, ${csv.split('\r\n').length - 2} rows + header`,
);
console.log(`settings page view, export closed                 ${pageClosed.toFixed(0)} ms`);
console.log(`settings page view, export open (history + CSV)   ${pageOpen.toFixed(0)} ms`);
