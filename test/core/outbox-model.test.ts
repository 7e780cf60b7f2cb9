import { describe, expect, it } from 'vitest';
import { readQuarantine } from '../../core/base/quarantine';
import { encodeSessionLog, type SessionLog } from '../../core/log/session-log';
import { openOutbox, type Outbox } from '../../core/watch/outbox';
import { Crash, damaged, FaultyStore, type Damage } from '../support/faulty-store';
import { check, idsIn, pick, STEPS, texts, versionsIn } from '../support/model';
import { DAY, HOUR, seededRandom } from '../support/sync-fixtures';
import { drawClock, drawOffset, makeClock, watchLog, type Clock, type ClockKind } from '../support/world';

/**
 * The watch's outbox checked against a trivially correct model (a map of id → the versions of that log
 * it may hold), through random sequences of appends, amends, acknowledgements, rejections and restarts
 * in a generated world: a watch clock drawn again at every restart (reset to 1970 by a flat battery,
 * years ahead or behind, thrown back), logs at any offset in use, a crash possible before any storage
 * write, any key damaged from outside (garbage, truncated, stale but valid, hostile, removed). After
 * every step: every log the outbox took and the phone has not acknowledged is pending as a version it
 * may hold, still whole in a slot, or kept whole in the quarantine, unless the damage itself destroyed
 * every copy of it (counted, and reported); no log is pending twice or was never appended; an open
 * reads no more keys than its capacity and fixed probes; no write lands on a key it did not read first.
 */
const SEEDS = [1, 2];
const NOW = Date.UTC(2026, 11, 1, 12);
const DAMAGES: Damage[] = ['garbage', 'truncated', 'stale', 'hostile', 'missing'];
const CLOCKS: readonly ClockKind[] = ['right', 'reset', 'ahead', 'behind', 'jumpBack'];

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
    const counts = {
      crashes: 0,
      damages: 0,
      removed: 0,
      checks: 0,
      acked: 0,
      clocks: Object.fromEntries(CLOCKS.map((k) => [k, 0])) as Record<ClockKind, number>,
    };
    // What happened, to print with a failure.
    const trace: string[] = [];
    // The true time, and the watch's clock: drawn again at every restart (a flat battery resets it).
    let t = NOW;
    let clock: Clock = makeClock('right', random, t);
    let now = t;
    let outbox: Outbox = openOutbox(store, { now, capacity: CAPACITY }).outbox;
    let openReads = 0;
    const restart = () => {
      store.revive();
      clock = drawClock(random, t, 0.5);
      counts.clocks[clock.kind]++;
      now = clock.read(t);
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
        t += Math.floor(random() * HOUR);
        now = clock.read(t);
        const roll = random();
        const label = `step ${step}`;
        trace.push(
          `${step} roll ${roll.toFixed(2)} keys ${store.keys().filter((k) => k.startsWith('outbox.slot')).length} held ${[...held.keys()].join(' ')}`,
        );
        if (roll < 0.3) {
          if (held.size + retry.size < CAPACITY - 2) {
            const at = t - Math.floor(random() * 5 * DAY);
            const log = watchLog(random, clock, at, drawOffset(random), { pain: undefined });
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
          const log = watchLog(random, clock, t, drawOffset(random), { pain: undefined });
          guarded(() => append(log));
          store.crashChance = 0.03;
        } else {
          const keys = store.keys();
          if (keys.length === 0) continue;
          const key = pick(random, keys);
          const kind = pick(random, DAMAGES);
          const bad = damaged(kind, store.peek(key) as string, store.older(key), random);
          const old = store.peek(key) as string;
          store.damage(key, bad);
          if (kind === 'missing') counts.removed++;
          trace.push(
            `${step} damage ${key} -> ${(bad ?? '(removed)').slice(0, 60)} (was ${old.slice(0, 90)})`,
          );
          counts.damages++;
          const everything = texts(store);
          for (const id of new Set([...idsIn(old), ...idsIn(bad ?? '')])) {
            const versions = held.get(id);
            if (!versions) continue;
            if (lost.has(id)) {
              const back = versionsIn(bad ?? '', id);
              if (back.length > 0) {
                lost.delete(id);
                held.set(id, new Set(back));
              }
              continue;
            }
            const left = new Set([...versions].filter((s) => everything.some((v) => v.includes(s))));
            for (const s of versionsIn(bad ?? '', id)) left.add(s);
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
    expect(counts.removed).toBeGreaterThan(STEPS / 1000);
    for (const kind of CLOCKS) expect(counts.clocks[kind], kind).toBeGreaterThan(STEPS / 500);
    console.log(
      `outbox seed ${seed}: ${STEPS} steps, ${ever.size} logs appended, ${counts.acked} acknowledged; ` +
        `watch clocks at restarts ${JSON.stringify(counts.clocks)}; ${counts.crashes} crashes, ` +
        `${counts.damages} damaged keys (${counts.removed} removed; ${lost.size} logs whose every copy ` +
        `the damage destroyed), ${counts.checks} full checks: 0 lost, 0 twice`,
    );
  });
});
