/**
 * Sync and history figures for docs/sync.md and the README: `npx tsx bench/sync.ts`.
 * Seeded data; byte and key counts are exact and repeatable, times depend on the machine.
 */
import { sessionsCsv } from '../core/log/csv';
import { MAX_WRITES_PER_APPEND, openHistory } from '../core/phone/history';
import { memoryStore, type KeyValueStore } from '../core/base/kv';
import { openOutbox } from '../core/watch/outbox';
import { BATCH_BUDGET_BYTES, errorResponse, messageBytes, ZML_CHUNK_BYTES } from '../core/link/protocol';
import { repairSessionLog, toPlain, type SessionLog } from '../core/log/session-log';
import { handleRequest } from '../core/phone/side-handler';
import { mount, type Interpret } from '../core/base/program';
import { buildPushBatch, syncProgram, type SyncEffect, type SyncEvent } from '../core/watch/sync';
import { DAY, everyFieldRecord, HOUR, makeLog, seededRandom, T0 } from '../test/support/sync-fixtures';

function countingStore(inner: KeyValueStore) {
  // `markers`: a month's marker, written besides its parts when a batch opens the month.
  const counts = { gets: 0, sets: 0, removes: 0, markers: 0, bytesWritten: 0, bytesRead: 0 };
  const store: KeyValueStore = {
    get(key) {
      counts.gets++;
      const v = inner.get(key);
      counts.bytesRead += v?.length ?? 0;
      return v;
    },
    set(key, value) {
      if (/^history\.m\.\d{4}-\d\d$/.test(key)) counts.markers++;
      else counts.sets++;
      counts.bytesWritten += value.length;
      inner.set(key, value);
    },
    remove(key) {
      counts.removes++;
      inner.remove(key);
    },
  };
  return { store, counts };
}

interface LinkRun {
  roundTrips: number;
  maxBatch: number;
  maxRequest: number;
  requestBytes: number;
  responseBytes: number;
  /** Bytes of the logs.push requests alone (the 1.0 format). */
  pushBytes: number;
  /** Writes (and removes) of the phone per request answered; the bytes written per request. */
  /** Part writes per batch (the three-write bound); `markers` beside them. */
  writes: number[];
  markers: number;
  bytesWritten: number[];
  /** Bytes of each request's logs as the history stores them (their JSON): the floor of bytes written. */
  logBytes: number[];
  left: number;
  stored: number;
  types: Set<string>;
}

/**
 * Logs queued on the watch, sent by its sync program through an in-memory link that the phone's
 * handler answers at once. `phone1_0`: the phone answers logs.batch as a phone of 1.0 does
 * (test/fixtures/format-1.0.0/wire.json), so the watch falls back to logs.push.
 */
function throughLink(logs: readonly SessionLog[], phone1_0 = false): LinkRun {
  const random = seededRandom(2026);
  const watch = memoryStore();
  const { store: phone, counts } = countingStore(memoryStore());
  // The phone already holds the four weeks before, synced one by one: a batch lands in parts holding logs.
  const perDay = logs.filter((l) => l.startedAt < logs[0]!.startedAt + DAY).length;
  const before = openHistory(phone, { now: T0 });
  for (const log of away(28, perDay, logs[0]!.startedAt - 28 * DAY)) before.append(log);
  counts.sets = counts.removes = counts.markers = counts.bytesWritten = 0;
  const { outbox } = openOutbox(watch, { now: T0, capacity: Math.max(100, logs.length) });
  for (const log of logs) outbox.append(log);
  let now = Math.max(...logs.map((l) => l.endedAt)) + HOUR;
  const run: LinkRun = {
    roundTrips: 0,
    maxBatch: 0,
    maxRequest: 0,
    requestBytes: 0,
    responseBytes: 0,
    pushBytes: 0,
    writes: [],
    markers: 0,
    bytesWritten: [],
    logBytes: [],
    left: 0,
    stored: 0,
    types: new Set(),
  };
  const byId = new Map(logs.map((l) => [l.id, l]));
  const interpret: Interpret<SyncEvent, SyncEffect> = (effect, dispatch) => {
    if (effect.type === 'acknowledge') outbox.acknowledge(effect.refs);
    if (effect.type === 'reject') outbox.reject(effect.items);
    if (effect.type !== 'send') return;
    run.roundTrips++;
    run.types.add(effect.request.type);
    const bytes = messageBytes(effect.request);
    run.requestBytes += bytes;
    if (effect.request.type === 'logs.push') run.pushBytes += bytes;
    run.maxRequest = Math.max(run.maxRequest, bytes);
    if (!(phone1_0 && effect.request.type === 'logs.batch'))
      run.maxBatch = Math.max(run.maxBatch, effect.refs.length);
    const before = { ...counts };
    const request = JSON.parse(JSON.stringify(effect.request)) as { type: string };
    const response =
      phone1_0 && request.type === 'logs.batch'
        ? errorResponse('unknown_type', 'Unknown request type "logs.batch".')
        : handleRequest(phone, request, now, '1.1.0');
    if (!(phone1_0 && request.type === 'logs.batch')) {
      run.writes.push(counts.sets + counts.removes - before.sets - before.removes);
      run.markers += counts.markers - before.markers;
      run.bytesWritten.push(counts.bytesWritten - before.bytesWritten);
      run.logBytes.push(effect.refs.reduce((n, r) => n + messageBytes(toPlain(byId.get(r.id)!)), 0));
    }
    run.responseBytes += messageBytes(response);
    now += 500;
    dispatch({
      type: 'response',
      now,
      requestId: effect.requestId,
      body: JSON.parse(JSON.stringify(response)),
    });
  };
  // Every request is answered at once: the loop's timer (a deadline, a retry) never comes due here.
  const wake = () => () => undefined;
  mount(syncProgram({ pending: () => outbox.pending(), random }), interpret, undefined, { wake }).dispatch({
    type: 'app_started',
    now,
  });
  run.left = outbox.status().pending;
  run.stored =
    new Set(
      openHistory(phone, { now })
        .all()
        .map((l) => l.id),
    ).size -
    28 * perDay;
  return run;
}

const ratio = (x: number, floor: number) => `${(x / floor).toFixed(2)}×`;
const max = (xs: readonly number[]) => Math.max(0, ...xs);
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * A patient away from the phone `days` days at `perDay` sessions a day, each rated before and after,
 * with both heart rates: every field a log can carry but `repairs`.
 */
function away(days: number, perDay: number, from: number): SessionLog[] {
  const random = seededRandom(days * 10 + perDay);
  return Array.from({ length: days * perDay }, (_, i) =>
    makeLog(random, from + Math.floor(i / perDay) * DAY + (i % perDay) * 4 * HOUR, {
      painBefore: Math.floor(random() * 11),
      pain: Math.floor(random() * 11),
      painAt: from + Math.floor(i / perDay) * DAY + (i % perDay) * 4 * HOUR + 10 * 60_000,
      hrStart: 60 + Math.floor(random() * 40),
      hrEnd: 60 + Math.floor(random() * 40),
    }),
  );
}

// ---- 1. A week away, and 1,000 queued logs, through the in-memory link ----
{
  console.log('## Through the in-memory link: a batch per round trip, answered by the phone handler');
  console.log(
    `batch budget ${BATCH_BUDGET_BYTES} B (zml chunk ${ZML_CHUNK_BYTES} B); goals: ≤ 200 request B/log, ≤ ${MAX_WRITES_PER_APPEND} phone writes per batch`,
  );
  console.log(
    'case (phone holds the 4 weeks before)  | round trips (× fewest) | logs/batch | request B/log (× 1.0) | part writes/batch max, mean (+ month markers) | bytes written (× the logs)',
  );
  const cases: [string, SessionLog[]][] = [
    // From 25 November: the week at three a day crosses into December.
    ['a week away, 1 a day', away(7, 1, T0)],
    ['a week away, 3 a day, across a month', away(7, 3, T0)],
    ['a full outbox: 100 logs, 3 a day', away(34, 3, T0).slice(0, 100)],
    [
      '1,000 queued logs, 2 a day',
      (() => {
        const r = seededRandom(2026);
        return Array.from({ length: 1000 }, (_, i) => makeLog(r, T0 + i * 12 * HOUR));
      })(),
    ],
  ];
  for (const [name, logs] of cases) {
    const batch = throughLink(logs);
    // 1.0 has no heart rate or pain before: it carries the same logs without them.
    const legacy = throughLink(
      logs.map(({ painBefore: _b, hrStart: _s, hrEnd: _e, ...log }) => log),
      true,
    );
    for (const run of [batch, legacy])
      if (run.left !== 0 || run.stored !== logs.length)
        throw new Error(
          `${name}: ${run.left} left on the watch, ${run.stored} of ${logs.length} on the phone`,
        );
    const row = (label: string, run: LinkRun, trips: number, bytes: number) => {
      const fewest = Math.max(1, Math.ceil(bytes / BATCH_BUDGET_BYTES));
      console.log(
        [
          `${name} ${label}`.padEnd(42),
          `${trips} (${ratio(trips, fewest)})`.padStart(22),
          String(run.maxBatch).padStart(10),
          `${(bytes / logs.length).toFixed(0)} (${ratio(bytes, legacy.pushBytes)})`.padStart(21),
          `${max(run.writes)}, ${(sum(run.writes) / run.writes.length).toFixed(1)} (+${run.markers})`.padStart(
            22,
          ),
          `${(sum(run.bytesWritten) / run.writes.length).toFixed(0)} B (${ratio(sum(run.bytesWritten), sum(run.logBytes))})`.padStart(
            26,
          ),
        ].join(' | '),
      );
    };
    row('', batch, batch.roundTrips, batch.requestBytes);
    row('(1.0)', legacy, legacy.roundTrips - 1, legacy.pushBytes);
  }
  console.log(
    '(1.0): the logs.push of 1.0, as this watch sends it to a phone still on 1.0 after one logs.batch answered unknown_type (that round trip not counted), the logs without the fields added since 1.0',
  );
  // The phone in reach after a session: the batch is that one log, and nothing is shared. Every field
  // set: pauses, a skipped step, pain before and after (rated later), both heart rates, and a repair
  // (a pause counted longer than the session had room for).
  const at = T0 + 2 * DAY;
  const lone = repairSessionLog(everyFieldRecord(at))!;
  const pendingLone = [{ id: lone.id, rev: 1, log: lone, bytes: 0 }];
  const alone = buildPushBatch(pendingLone).bytes;
  const alone1_0 = buildPushBatch(pendingLone, BATCH_BUDGET_BYTES, 'logs.push').bytes;
  const withRx = buildPushBatch(pendingLone, BATCH_BUDGET_BYTES, 'logs.batch', true).bytes;
  const plain = away(1, 1, T0);
  const plainAlone = buildPushBatch([{ id: plain[0]!.id, rev: 1, log: plain[0]!, bytes: 0 }]).bytes;
  console.log(
    `one log sent alone, every field set and a repair: ${alone} B (× 1.0: ${ratio(alone, alone1_0)} of ${alone1_0} B); goal ≤ 200 B: ${alone <= 200 ? 'PASS' : 'FAIL'}`,
  );
  console.log(
    `one log of the week above sent alone: ${plainAlone} B; the log above to a phone that lacks its prescription (data cleared): ${alone} B answered prescription_needed, then ${withRx} B with it whole (${ratio(alone + withRx, alone1_0)} of 1.0)`,
  );
}

// ---- 2. Phone cost per append as the history grows to 5,000 logs ----
{
  const random = seededRandom(7);
  const { store, counts } = countingStore(memoryStore());
  const history = openHistory(store, { now: T0 + 4000 * DAY });
  console.log('\n## Phone history: cost per append, in buckets of 1,000 (2 sessions a day, ~7 years)');
  console.log('logs        | bytes written/append | keys read/append | keys written/append | µs/append');
  for (let bucket = 0; bucket < 5; bucket++) {
    const logs = Array.from({ length: 1000 }, (_, i) => {
      const n = bucket * 1000 + i;
      return makeLog(random, T0 + Math.floor(n / 2) * DAY + (n % 2) * 6 * HOUR);
    });
    const before = { ...counts };
    const t = performance.now();
    for (const log of logs) history.append(log);
    const us = ((performance.now() - t) * 1000) / 1000;
    const per = (k: keyof typeof counts) => ((counts[k] - before[k]) / 1000).toFixed(1);
    console.log(
      `${String(bucket * 1000 + 1).padStart(4)}–${String((bucket + 1) * 1000).padEnd(5)} | ${per('bytesWritten').padStart(20)} | ${per('gets').padStart(16)} | ${per('sets').padStart(19)} | ${us.toFixed(0).padStart(9)}`,
    );
  }

  // ---- 3. CSV export of 5,000 sessions ----
  const t0 = performance.now();
  const all = history.all();
  const t1 = performance.now();
  const csv = sessionsCsv(all);
  const t2 = performance.now();
  console.log('\n## CSV export of 5,000 sessions');
  console.log(
    `read history ${(t1 - t0).toFixed(0)} ms; build CSV ${(t2 - t1).toFixed(0)} ms; ${all.length} rows, ${(csv.length / 1024).toFixed(0)} KiB`,
  );
}
