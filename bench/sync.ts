/**
 * Sync and history figures for docs/sync.md and the README: `npx tsx bench/sync.ts`.
 * Seeded data; byte and key counts are exact and repeatable, times depend on the machine.
 */
import { sessionsCsv } from '../core/log/csv';
import { openHistory } from '../core/phone/history';
import { memoryStore, type KeyValueStore } from '../core/base/kv';
import { openOutbox } from '../core/watch/outbox';
import { BATCH_BUDGET_BYTES, messageBytes, ZML_CHUNK_BYTES } from '../core/link/protocol';
import { handleRequest } from '../core/phone/side-handler';
import { runProgram, type Interpret } from '../core/base/program';
import { syncProgram, type SyncEffect, type SyncEvent } from '../core/watch/sync';
import { DAY, HOUR, makeLog, seededRandom, T0 } from '../test/support/sync-fixtures';

function countingStore(inner: KeyValueStore) {
  const counts = { gets: 0, sets: 0, removes: 0, bytesWritten: 0, bytesRead: 0 };
  const store: KeyValueStore = {
    get(key) {
      counts.gets++;
      const v = inner.get(key);
      counts.bytesRead += v?.length ?? 0;
      return v;
    },
    set(key, value) {
      counts.sets++;
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

// ---- 1. 1,000 queued logs through the in-memory link ----
{
  const random = seededRandom(2026);
  const watch = memoryStore();
  const { store: phone, counts: phoneCounts } = countingStore(memoryStore());
  let maxWrites = 0;
  const { outbox } = openOutbox(watch, { now: T0, capacity: 1000 });
  for (let i = 0; i < 1000; i++) outbox.append(makeLog(random, T0 + i * 12 * HOUR));
  let now = T0 + 1000 * 12 * HOUR;
  let roundTrips = 0;
  let requestBytes = 0;
  let responseBytes = 0;
  let maxBatch = 0;
  let maxRequest = 0;
  // The watch's sync program, with an interpreter whose "link" answers at once from the phone's handler.
  const interpret: Interpret<SyncEvent, SyncEffect> = (effect, dispatch) => {
    if (effect.type === 'acknowledge') outbox.acknowledge(effect.refs);
    if (effect.type === 'reject') outbox.reject(effect.items);
    if (effect.type !== 'send') return;
    roundTrips++;
    const text = JSON.stringify(effect.request);
    const bytes = messageBytes(effect.request);
    requestBytes += bytes;
    maxRequest = Math.max(maxRequest, bytes);
    maxBatch = Math.max(maxBatch, effect.refs.length);
    const before = phoneCounts.sets + phoneCounts.removes;
    const response = handleRequest(phone, JSON.parse(text), now, '1.0.0');
    maxWrites = Math.max(maxWrites, phoneCounts.sets + phoneCounts.removes - before);
    responseBytes += messageBytes(response);
    now += 500;
    dispatch({
      type: 'response',
      now,
      requestId: effect.requestId,
      body: JSON.parse(JSON.stringify(response)),
    });
  };
  runProgram(syncProgram({ pending: () => outbox.pending(64), random }), interpret).dispatch({
    type: 'app_started',
    now,
  });
  const stored = openHistory(phone, { now }).all().length;
  console.log('## 1,000 queued logs through the in-memory link');
  console.log(`batch budget ${BATCH_BUDGET_BYTES} B (zml chunk ${ZML_CHUNK_BYTES} B)`);
  console.log(
    `round trips ${roundTrips}; logs per batch up to ${maxBatch}; largest request ${maxRequest} B = ${(maxRequest / ZML_CHUNK_BYTES).toFixed(2)} chunks`,
  );
  console.log(
    `request bytes per log ${(requestBytes / 1000).toFixed(0)}; response bytes per log ${(responseBytes / 1000).toFixed(0)}`,
  );
  console.log(`left in outbox ${outbox.status().pending}; stored on phone ${stored}`);
  console.log(
    `phone storage writes per batch: at most ${maxWrites} (one per history part the batch touches)`,
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
