import { describe, expect, it } from 'vitest';
import { readQuarantine } from '../../core/base/quarantine';
import { encodeSessionLog, laterRating, parseSessionLog, type SessionLog } from '../../core/log/session-log';
import { MAX_WRITES_PER_APPEND, openHistory, type History } from '../../core/phone/history';
import { openOutbox, type Outbox } from '../../core/watch/outbox';
import { Crash, damaged, FaultyStore, type Damage } from '../support/faulty-store';
import { DAY, HOUR, makeLog, seededRandom } from '../support/sync-fixtures';

/**
 * The phone's history and the watch's outbox checked against a trivially correct model (a map of id →
 * the versions of that log it may hold), through random sequences of operations, with a crash possible
 * before any storage write and any key damaged from outside (garbage, truncated, stale but valid,
 * hostile). After every step:
 *   - every log the store acknowledged is readable as a version it may hold, or kept whole in the
 *     quarantine, unless the damage itself destroyed every copy of it (counted, and reported);
 *   - no log is read twice, and none is read that was never stored;
 *   - no operation reads more keys than the store holds (plus its fixed probes), and no write lands on a
 *     key holding data that the operation did not read first.
 */
const STEPS = Number(process.env.MODEL_STEPS ?? 10_000);
const SEEDS = [1, 2];
const NOW = Date.UTC(2026, 11, 1, 12);
const DAMAGES: Damage[] = ['garbage', 'truncated', 'stale', 'hostile'];
/** Months the history reads part 0 of to find what it holds: 2020-01 to a year past its clock. */
const MONTH_PROBES = 96;

/** A plain check: expect() is far too slow to call for every log on every step. */
function check(condition: boolean, message: string | (() => string)): void {
  if (!condition) throw new Error(typeof message === 'string' ? message : message());
}

const pick = <T>(random: () => number, list: readonly T[]): T =>
  list[Math.floor(random() * list.length)] as T;

/** The versions of `id` a stored value holds (a JSON list of logs, a slot, or anything else). */
function versionsIn(value: string, id: string): string[] {
  if (!value.includes(id)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [];
  }
  const candidates = Array.isArray(parsed) ? parsed : [(parsed as { log?: unknown } | null)?.log];
  return candidates.flatMap((c) => {
    const log = parseSessionLog(c);
    return log.ok && log.value.id === id ? [encodeSessionLog(log.value)] : [];
  });
}

/** The log ids a stored text names, wherever they stand in it. */
function idsIn(text: string): Set<string> {
  return new Set(text.match(/[0-9a-z]{9}-[0-9a-hjkmnp-tv-z]{10}/g) ?? []);
}

/** Every stored text as a reader finds it: a quarantine item's kept value decoded from its record. */
function texts(store: FaultyStore): string[] {
  return store.keys().map((k) => {
    const v = store.peek(k) as string;
    if (!k.includes('quarantine')) return v;
    try {
      const raw = (JSON.parse(v) as { raw?: unknown }).raw;
      return typeof raw === 'string' ? raw : v;
    } catch {
      return v;
    }
  });
}

/** The copy of `id` the history can read now: the first valid one in its month's parts, as it reads them. */
function readableCopy(store: FaultyStore, log: SessionLog): string | undefined {
  const month = new Date(log.startedAt + log.utcOffsetMin * 60_000).toISOString().slice(0, 7);
  for (let n = 0; ; n++) {
    const raw = store.peek(`history.m.${month}.${n}`);
    if (raw === undefined) return undefined;
    if (!raw.includes(`"id":"${log.id}"`)) continue;
    const found = versionsIn(raw.startsWith('[') ? raw : '[]', log.id)[0];
    if (found !== undefined) return found;
  }
}

/**
 * What the model knows: for each acknowledged log, the exact encodings the store may hand back (a stale
 * value may bring back an older rating: that version is then what may be read). `lost` are the logs
 * whose every copy a damage destroyed.
 */
class Model {
  readonly may = new Map<string, Set<string>>();
  readonly lost = new Set<string>();
  readonly ever = new Set<string>();

  /**
   * The store took `log`: it kept the later rating of the copy it could read and this one, or this one
   * if it could read none (a copy left only in the quarantine is not read). `maybe`: a write that may
   * or may not have happened keeps the versions there were too.
   */
  stored(log: SessionLog, readable: string | undefined, maybe = false): void {
    const mine = this.may.get(log.id);
    const now = new Set<string>(maybe && mine ? mine : []);
    if (readable === undefined) now.add(encodeSessionLog(log));
    else {
      const kept = JSON.parse(readable) as SessionLog;
      now.add(encodeSessionLog(laterRating(kept, log) ?? kept));
    }
    this.may.set(log.id, now);
    // Stored for sure: whatever damage did before, this copy is there now.
    if (!maybe) this.lost.delete(log.id);
  }

  /**
   * After damage to one key (`old` → `value`): the logs it held may now survive only elsewhere (another
   * key, the quarantine) or in the damaged value itself; those nowhere are lost to the damage.
   */
  damaged(store: FaultyStore, old: string, value: string): void {
    const everything = texts(store);
    for (const id of new Set([...idsIn(old), ...idsIn(value)])) {
      const versions = this.may.get(id);
      if (!versions) continue;
      // A stale value may bring back a copy the store had lost, in whatever version it held then.
      if (this.lost.has(id)) {
        const back = versionsIn(value, id);
        if (back.length > 0) {
          this.lost.delete(id);
          this.may.set(id, new Set(back));
        }
        continue;
      }
      const left = new Set([...versions].filter((s) => everything.some((v) => v.includes(s))));
      for (const s of versionsIn(value, id)) left.add(s);
      if (left.size === 0) this.lost.add(id);
      else this.may.set(id, left);
    }
  }
}

describe.each(SEEDS)('the phone history against its model (seed %i)', (seed) => {
  it(`${STEPS} steps of appends, rating changes, reads, restarts, crashes and damage: nothing lost, nothing twice`, () => {
    const random = seededRandom(seed);
    const store = new FaultyStore(random, 0.03);
    const model = new Model();
    const unacked = new Map<string, SessionLog>();
    const logs: SessionLog[] = [];
    const counts = { crashes: 0, damages: 0, checks: 0, quarantined: 0, maxOver: 0, deferred: 0 };
    let history: History = openHistory(store, { now: NOW });
    const restart = () => {
      store.revive();
      history = openHistory(store, { now: NOW });
    };
    const guarded = <T>(body: () => T): T | undefined => {
      try {
        return body();
      } catch (e) {
        if (!(e instanceof Crash)) throw e;
        counts.crashes++;
        restart();
        return undefined;
      }
    };
    const newLog = (): SessionLog => {
      // Two years of a patient's sessions: a few a day at most, as the history holds them in life.
      const log = makeLog(random, NOW - Math.floor(random() * 730 * DAY), { pain: undefined });
      logs.push(log);
      return log;
    };
    const rated = (log: SessionLog): SessionLog => ({
      ...log,
      pain: Math.floor(random() * 11),
      painAt: NOW - Math.floor(random() * 30 * DAY),
    });

    const trace: string[] = [];
    const note = (line: string) => void trace.push(line);
    for (let step = 0; step < STEPS; step++) {
      try {
        const roll = random();
        const keysBefore = store.keys().length;
        store.mark();
        if (roll < 0.45) {
          // The watch pushes a batch: new logs, resends of what it has no ack for, later ratings.
          const batch: SessionLog[] = [];
          const size = 1 + Math.floor(random() * 8);
          for (let i = 0; i < size; i++) {
            const r = random();
            if (r < 0.15 || logs.length === 0) batch.push(newLog());
            else if (r < 0.75 && unacked.size > 0) batch.push(pick(random, [...unacked.values()]));
            else batch.push(rated(pick(random, logs)));
          }
          for (const log of batch) {
            model.ever.add(log.id);
            unacked.set(log.id, log);
          }
          note(
            `${step} push ${batch.map((l) => `${l.id}${l.pain === undefined ? '' : `:${l.pain}@${l.painAt}`}`).join(' ')}`,
          );
          const months = new Set(
            batch.map((l) => new Date(l.startedAt + 3_600_000).toISOString().slice(0, 7)),
          );
          // What each log would land on, as the store holds it before the batch (in batch order).
          const readable = new Map<SessionLog, string | undefined>();
          const seen = new Map<string, string>();
          for (const log of batch) {
            const r = seen.get(log.id) ?? readableCopy(store, log);
            readable.set(log, r);
            const after =
              r === undefined ? log : (laterRating(JSON.parse(r) as SessionLog, log) ?? JSON.parse(r));
            seen.set(log.id, encodeSessionLog(after as SessionLog));
          }
          const done = guarded(() => history.appendAll(batch));
          note(`${step}   -> ${done?.ok ? done.value.join(',') : 'crashed'}`);
          if (!done?.ok) {
            // A batch cut short by a crash may have stored any of its logs: each as appendAll would.
            for (const log of batch) if (model.may.has(log.id)) model.stored(log, readable.get(log), true);
          }
          if (done?.ok) {
            // A damaged part read on the way is quarantined and rewritten: that rewrite is repair.
            const parts = store.written.filter((k) => k.startsWith('history.m.')).length;
            const repairs = store.written.filter((k) => k.startsWith('history.quarantine.')).length;
            expect(parts - repairs, `step ${step}: wrote ${store.written.join(', ')}`).toBeLessThanOrEqual(
              MAX_WRITES_PER_APPEND,
            );
            counts.deferred += done.value.filter((o) => o === 'later').length;
            for (const [i, log] of batch.entries()) {
              // Left for the next push: it stays unacknowledged, and the watch sends it again.
              if (done.value[i] === 'later') continue;
              model.stored(log, readable.get(log));
              if (unacked.get(log.id) === log) unacked.delete(log.id);
            }
            // Keys held, one probe past each month's last part, one free quarantine key.
            const bound = Math.max(keysBefore, store.keys().length) + months.size + 1;
            expect(
              store.distinctReads,
              `step ${step}: appendAll read ${store.distinctReads} keys, bound ${bound}`,
            ).toBeLessThanOrEqual(bound);
          }
        } else if (roll < 0.52) {
          const all = guarded(() => history.all());
          if (!all) continue;
          // Part 0 of each month probed, then each month's parts and one probe past its last.
          const months = new Set(
            store
              .keys()
              .filter((k) => k.startsWith('history.m.'))
              .map((k) => k.slice(10, 17)),
          );
          const bound = Math.max(keysBefore, store.keys().length) + MONTH_PROBES + months.size + 1;
          counts.maxOver = Math.max(counts.maxOver, store.distinctReads - keysBefore);
          expect(
            store.distinctReads,
            `step ${step}: all() read ${store.distinctReads} keys, bound ${bound}`,
          ).toBeLessThanOrEqual(bound);
          const ids = all.map((l) => l.id);
          const seen = new Set<string>();
          const twice = ids.filter((id) => seen.has(id) || (seen.add(id), false));
          const where = twice.map(
            (id) =>
              `${id} in ${store
                .keys()
                .filter((k) => store.peek(k)!.includes(id))
                .join(', ')}`,
          );
          expect(twice, `step ${step}: a log read twice (${where.join('; ')})`).toEqual([]);
          const quarantine = guarded(() =>
            readQuarantine(store, 'history.quarantine').items.map((i) => i.raw),
          );
          if (!quarantine) continue;
          const read = new Map(all.map((l) => [l.id, encodeSessionLog(l)]));
          for (const [id, versions] of model.may) {
            if (model.lost.has(id)) continue;
            const got = read.get(id);
            if (got !== undefined) {
              check(
                versions.has(got),
                () =>
                  `step ${step}: ${id} read as a version never stored (held in ${store
                    .keys()
                    .filter((k) => store.peek(k)!.includes(id))
                    .join(
                      ', ',
                    )}): ${got.slice(-120)} not in ${[...versions].map((v) => v.slice(-120)).join(' | ')}`,
              );
            } else {
              const whole = [...versions].some((s) => quarantine.some((q) => q.includes(s)));
              check(whole, `step ${step}: ${id} neither readable nor quarantined whole`);
              counts.quarantined++;
            }
          }
          for (const id of ids) check(model.ever.has(id), `step ${step}: ${id} was never stored`);
          counts.checks++;
        } else if (roll < 0.7) {
          guarded(() => history.summary(NOW, 60));
          // The parts of the months the streak walks back through and a probe past each, this month's
          // part 0, the prescription, a free quarantine key.
          const months = new Set(
            store
              .keys()
              .filter((k) => k.startsWith('history.m.'))
              .map((k) => k.slice(10, 17)),
          );
          expect(store.distinctReads).toBeLessThanOrEqual(
            Math.max(keysBefore, store.keys().length) + months.size + 3,
          );
        } else if (roll < 0.8) {
          note(`${step} restart`);
          restart();
        } else if (roll < 0.97) {
          // A crash at the next write, whatever it is.
          store.crashChance = 1;
          const log = newLog();
          model.ever.add(log.id);
          note(`${step} crash while pushing ${log.id}`);
          guarded(() => history.appendAll([log]));
          store.crashChance = 0.03;
        } else {
          const keys = store.keys();
          if (keys.length === 0) continue;
          const key = pick(random, keys);
          const value = store.peek(key) as string;
          const kind = pick(random, DAMAGES);
          const bad = damaged(kind, value, store.older(key), random);
          store.damage(key, bad);
          model.damaged(store, value, bad);
          note(
            `${step} damage ${key} (${kind}) -> ${bad.slice(0, 80)}; ids before ${[...idsIn(value)].join(' ')}`,
          );
          counts.damages++;
        }
        expect(store.blindWrites, `step ${step}: wrote over keys it never read`).toEqual([]);
      } catch (e) {
        const id = /(\w{9}-\w{10})/.exec((e as Error).message)?.[1] ?? '';
        const related = [
          ...trace.filter((l) => id && l.includes(id)).map((l) => l.slice(0, 200)),
          ...trace.filter((l) => l.includes('damage')).slice(-25),
        ];
        throw new Error(
          `${(e as Error).message}\nsteps that touched it, and the damage done:\n${related.join('\n')}`,
          { cause: e },
        );
      }
    }
    expect(counts.checks).toBeGreaterThan(STEPS / 40);
    expect(counts.crashes).toBeGreaterThan(STEPS / 100);
    expect(counts.damages).toBeGreaterThan(STEPS / 100);
    // Batches over two years of months: the three-write bound is reached, not just stated.
    expect(counts.deferred).toBeGreaterThan(STEPS / 100);
    console.log(
      `history seed ${seed}: ${STEPS} steps, ${model.may.size} logs stored, ${counts.crashes} crashes, ` +
        `${counts.damages} damaged keys (${model.lost.size} logs whose every copy the damage destroyed), ` +
        `${counts.checks} full checks, 0 lost, 0 twice; at most ${counts.maxOver} reads past the keys held; ` +
        `${counts.deferred} logs left for the next push by the three-write bound`,
    );
  });
});

describe.each(SEEDS)('the watch outbox against its model (seed %i)', (seed) => {
  it(`${STEPS} steps of appends, amends, acks, rejects, restarts, crashes and damage: nothing lost, nothing twice`, () => {
    const random = seededRandom(seed + 100);
    const store = new FaultyStore(random, 0.03);
    const CAPACITY = 24;
    // Logs the outbox took (append returned ok) and the phone has not acknowledged: the versions it may hold.
    const held = new Map<string, Set<string>>();
    const lost = new Set<string>();
    const ever = new Set<string>();
    // Logs whose append crashed: the app keeps them in its running keys and appends them again.
    const retry = new Map<string, SessionLog>();
    const counts = { crashes: 0, damages: 0, checks: 0, acked: 0 };
    // What happened, to print with a failure.
    const trace: string[] = [];
    let now = NOW;
    let outbox: Outbox = openOutbox(store, { now, capacity: CAPACITY }).outbox;
    let openReads = 0;
    const restart = () => {
      store.revive();
      store.mark();
      outbox = openOutbox(store, { now, capacity: CAPACITY }).outbox;
      openReads = store.distinctReads;
      for (const log of [...retry.values()]) append(log);
    };
    const guarded = <T>(body: () => T): T | undefined => {
      try {
        const out = body();
        if (store.crashed) throw new Crash('crashed inside');
        return out;
      } catch (e) {
        if (!(e instanceof Crash)) throw e;
        counts.crashes++;
        restart();
        return undefined;
      }
    };
    function append(log: SessionLog): void {
      ever.add(log.id);
      retry.set(log.id, log);
      store.mark();
      const r = outbox.append(log);
      trace.push(
        `  append ${log.id} -> ${r.ok ? `rev ${r.value.rev}` : r.error.type}${store.crashed ? ' (crashed)' : ''}; slots ${store
          .keys()
          .filter((k) => k.startsWith('outbox.slot'))
          .map((k) => `${k.slice(12)}:${(store.peek(k) ?? '').slice(29, 48)}`)
          .join(' ')} index ${store.peek('outbox.index')?.slice(0, 300)}`,
      );
      if (store.crashed) return;
      if (r.ok) {
        retry.delete(log.id);
        held.set(log.id, new Set([encodeSessionLog(log)]));
        lost.delete(log.id);
      } else if (r.error.type === 'full') retry.delete(log.id);
    }
    const verify = (step: string) => {
      const pending = guarded(() => outbox.pending());
      if (!pending) return;
      const ids = pending.map((p) => p.id);
      expect(new Set(ids).size, `${step}: a log pending twice`).toBe(ids.length);
      for (const id of ids) check(ever.has(id), `${step}: ${id} was never appended`);
      const q = readQuarantine(store, 'outbox.quarantine').items.map((i) => i.raw);
      const slots = store
        .keys()
        .filter((k) => k.startsWith('outbox.slot.'))
        .map((k) => store.peek(k) as string);
      for (const [id, versions] of held) {
        if (lost.has(id)) continue;
        const p = pending.find((x) => x.id === id);
        if (p) {
          check(versions.has(encodeSessionLog(p.log)), `${step}: ${id} pending as a version never appended`);
          continue;
        }
        // Not listed: still whole in a slot (the index went stale; the next open adopts it), or quarantined.
        const kept = [...versions].some(
          (s) => slots.some((v) => v.includes(s)) || q.some((v) => v.includes(s)),
        );
        check(kept, `${step}: ${id} neither pending, in a slot, nor quarantined whole`);
      }
      counts.checks++;
    };

    for (let step = 0; step < STEPS; step++) {
      try {
        now += Math.floor(random() * HOUR);
        const roll = random();
        const label = `step ${step}`;
        trace.push(
          `${step} roll ${roll.toFixed(2)} keys ${store.keys().filter((k) => k.startsWith('outbox.slot')).length} held ${[...held.keys()].join(' ')}`,
        );
        if (roll < 0.3) {
          if (held.size + retry.size < CAPACITY - 2) {
            const log = makeLog(random, now - Math.floor(random() * 5 * DAY), { pain: undefined });
            guarded(() => append(log));
          }
        } else if (roll < 0.4) {
          // The summary page amends a log still in the outbox with a rating.
          const id = held.size > 0 ? pick(random, [...held.keys()]) : undefined;
          if (id === undefined || lost.has(id)) continue;
          const current = JSON.parse(pick(random, [...(held.get(id) as Set<string>)])) as SessionLog;
          const amended = { ...current, pain: Math.floor(random() * 11), painAt: now };
          store.mark();
          const r = guarded(() => outbox.append(amended));
          const versions = held.get(id) as Set<string>;
          versions.add(encodeSessionLog(amended));
          if (r?.ok) held.set(id, new Set([encodeSessionLog(amended)]));
        } else if (roll < 0.55) {
          // The phone acknowledges part of what was sent: exactly those copies leave.
          const pending = guarded(() => outbox.pending(10));
          if (!pending || pending.length === 0) continue;
          const refs = pending.filter(() => random() < 0.7).map((p) => ({ id: p.id, rev: p.rev }));
          store.mark();
          const r = guarded(() => outbox.acknowledge(refs));
          trace.push(
            `  ack ${refs.map((x) => `${x.id}#${x.rev}`).join(' ')} -> ${r?.ok ? r.value.join(' ') : 'crashed'}`,
          );
          if (r?.ok) {
            for (const id of r.value) {
              held.delete(id);
              counts.acked++;
            }
          } else {
            // Cut short by a crash: the phone did take these, so each may have left (or be sent again).
            for (const ref of refs) held.delete(ref.id);
          }
        } else if (roll < 0.6) {
          const pending = guarded(() => outbox.pending(3));
          if (!pending || pending.length === 0) continue;
          const p = pick(random, pending);
          guarded(() => outbox.reject([{ id: p.id, rev: p.rev, reason: 'refused by the phone' }]));
        } else if (roll < 0.75) {
          verify(label);
        } else if (roll < 0.83) {
          const keys = store.keys().length;
          guarded(() => restart());
          // Every slot of its capacity, the index, the recent days, the quarantine probe: never more.
          const quarantined = store.keys().filter((k) => k.startsWith('outbox.quarantine')).length;
          const bound = CAPACITY + 3 + quarantined + 1;
          expect(openReads, `${label}: open read ${openReads} keys (${keys} held)`).toBeLessThanOrEqual(
            bound,
          );
          verify(`${label} (after a restart)`);
        } else if (roll < 0.97) {
          store.crashChance = 1;
          const log = makeLog(random, now, { pain: undefined });
          guarded(() => append(log));
          store.crashChance = 0.03;
        } else {
          const keys = store.keys();
          if (keys.length === 0) continue;
          const key = pick(random, keys);
          const bad = damaged(pick(random, DAMAGES), store.peek(key) as string, store.older(key), random);
          const old = store.peek(key) as string;
          store.damage(key, bad);
          trace.push(`${step} damage ${key} -> ${bad.slice(0, 60)} (was ${old.slice(0, 90)})`);
          counts.damages++;
          const everything = texts(store);
          for (const id of new Set([...idsIn(old), ...idsIn(bad)])) {
            const versions = held.get(id);
            if (!versions) continue;
            if (lost.has(id)) {
              const back = versionsIn(bad, id);
              if (back.length > 0) {
                lost.delete(id);
                held.set(id, new Set(back));
              }
              continue;
            }
            const left = new Set([...versions].filter((s) => everything.some((v) => v.includes(s))));
            for (const s of versionsIn(bad, id)) left.add(s);
            if (left.size === 0) lost.add(id);
            else held.set(id, left);
          }
        }
        expect(store.blindWrites, `${label}: wrote over keys it never read`).toEqual([]);
      } catch (e) {
        throw new Error(`${(e as Error).message}\nthe steps before:\n${trace.slice(-40).join('\n')}`, {
          cause: e,
        });
      }
    }
    expect(counts.checks).toBeGreaterThan(STEPS / 20);
    expect(counts.crashes).toBeGreaterThan(STEPS / 100);
    console.log(
      `outbox seed ${seed}: ${STEPS} steps, ${ever.size} logs appended, ${counts.acked} acknowledged, ` +
        `${counts.crashes} crashes, ${counts.damages} damaged keys (${lost.size} logs whose every copy ` +
        `the damage destroyed), ${counts.checks} full checks, 0 lost, 0 twice`,
    );
  });
});
