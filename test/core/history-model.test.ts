import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readQuarantine } from '../../core/base/quarantine';
import { encodeSessionLog, parseSessionLog, type SessionLog } from '../../core/log/session-log';
import {
  MAX_WRITES_PER_APPEND,
  openHistory,
  type AppendOutcome,
  type History,
} from '../../core/phone/history';
import { Crash, damaged, FaultyStore, type Damage } from '../support/faulty-store';
import { check, idsIn, pick, STEPS, texts, versionsIn } from '../support/model';
import { DAY, seededRandom } from '../support/sync-fixtures';
import {
  drawClock,
  drawOffset,
  makeClock,
  nearMonthEnd,
  otherCopy,
  watchLog,
  type Clock,
  type ClockKind,
} from '../support/world';

/**
 * The phone's history checked against a trivially correct model (a map of id →
 * the versions of that log it may hold), through random sequences of operations in a generated world:
 * watch clocks reset to 1970, set years ahead or behind, thrown back; offsets from UTC−12 to UTC+14 that
 * change between two copies of one session, across a month's end; the phone's own clock as wrong;
 * copies of a session that differ; a crash possible before any storage write; any key damaged from
 * outside (garbage, truncated, stale but valid, hostile, removed). After every step:
 *   - every log the store acknowledged is readable as a version it may hold, or kept whole in the
 *     quarantine, unless the damage itself destroyed every copy of it (counted, and reported), or took
 *     both keys by which its month is found before a read could give one back (counted, reported);
 *   - every copy set aside as the loser of a conflict is kept whole;
 *   - no log is read twice, and none is read that was never stored;
 *   - no operation reads more keys than the store holds (plus its fixed probes), and no write lands on a
 *     key holding data that the operation did not read first.
 */
const SEEDS = [1, 2];
const NOW = Date.UTC(2026, 11, 1, 12);
const DAMAGES: Damage[] = ['garbage', 'truncated', 'stale', 'hostile', 'missing'];
/** Months a log may fall in, 2019-12 to 2100-01 (80 whole years and a month each side). */
const ALL_MONTHS = 80 * 12 + 2;
/** Parts a month may hold: each is probed when the month is read. */
const MAX_PARTS = 64;

/** The local month of an instant at an offset, from the calendar. */
const monthAt = (utcMs: number, offsetMin: number): string =>
  new Date(utcMs + offsetMin * 60_000).toISOString().slice(0, 7);
const monthOf = (log: SessionLog): string => monthAt(log.startedAt, log.utcOffsetMin);
/** Every month a log starting at `startedAt` may be stored under: its own, and those of UTC−12 and UTC+14. */
const candidateMonths = (log: SessionLog): string[] => [
  ...new Set([monthOf(log), monthAt(log.startedAt, -720), monthAt(log.startedAt, 840)]),
];

/**
 * Of two copies of one session that differ in more than the rating, the one that stands
 * (docs/sync.md, "Conflicts"): the later end, then more active time, then more rounds, then more of the
 * ratings and heart rates; else the stored.
 */
function stands(stored: SessionLog, sent: SessionLog): SessionLog {
  if (sent.endedAt !== stored.endedAt) return sent.endedAt > stored.endedAt ? sent : stored;
  if (sent.activeMs !== stored.activeMs) return sent.activeMs > stored.activeMs ? sent : stored;
  if (sent.roundsDone !== stored.roundsDone) return sent.roundsDone > stored.roundsDone ? sent : stored;
  const measured = (l: SessionLog) =>
    [l.painBefore, l.pain, l.hrStart, l.hrEnd].filter((x) => x !== undefined).length;
  return measured(sent) > measured(stored) ? sent : stored;
}

/** A log's encoding, once per object: the history hands back the same objects while a part is unchanged. */
const encodings = new WeakMap<SessionLog, string>();
function encoded(log: SessionLog): string {
  let text = encodings.get(log);
  if (text === undefined) encodings.set(log, (text = encodeSessionLog(log)));
  return text;
}

const unrated = (l: SessionLog): string => encodeSessionLog({ ...l, pain: undefined, painAt: undefined });

/** What a store keeps of `stored` when `sent` arrives: the later rating, or the copy that stands. */
function after(stored: SessionLog, sent: SessionLog): { keep: SessionLog; aside?: SessionLog } {
  if (unrated(stored) === unrated(sent)) {
    const later =
      sent.pain !== undefined && (stored.pain === undefined || (sent.painAt ?? 0) > (stored.painAt ?? 0));
    return { keep: later ? sent : stored };
  }
  const keep = stands(stored, sent);
  return { keep, aside: keep === sent ? stored : sent };
}

/**
 * The copy of `log.id` the history can read now: in each month it may be stored under, every part,
 * the first valid copy of that month; of copies in two months, the one that stands.
 */
function readableCopy(store: FaultyStore, log: SessionLog): string | undefined {
  let found: SessionLog | undefined;
  for (const month of candidateMonths(log)) {
    for (let n = 0; n < MAX_PARTS; n++) {
      const raw = store.peek(`history.m.${month}.${n}`);
      if (raw === undefined || !raw.includes(`"id":"${log.id}"`)) continue;
      const v = versionsIn(raw.startsWith('[') ? raw : '[]', log.id)[0];
      if (v === undefined) continue;
      const copy = JSON.parse(v) as SessionLog;
      if (monthOf(copy) !== month) continue;
      found = found === undefined ? copy : stands(found, copy);
      break;
    }
  }
  return found === undefined ? undefined : encodeSessionLog(found);
}

/**
 * What the model knows: for each acknowledged log, the exact encodings the store may hand back (a stale
 * value may bring back an older rating: that version is then what may be read), and the copies set
 * aside that must be kept whole. `lost` are the logs whose every copy a damage destroyed; `unfound`
 * those whose month lost both its marker and its part 0 to damage between two reads.
 */
class Model {
  readonly may = new Map<string, Set<string>>();
  readonly aside = new Set<string>();
  readonly lost = new Set<string>();
  readonly ever = new Set<string>();

  /**
   * The store took `log`: what it keeps of the copy it could read and this one (`after`), or this one
   * if it could read none (a copy left only in the quarantine is not read). `maybe`: a write that may or
   * may not have happened keeps the versions there were too.
   */
  stored(log: SessionLog, readable: string | undefined, maybe = false): SessionLog | undefined {
    const mine = this.may.get(log.id);
    const now = new Set<string>(maybe && mine ? mine : []);
    let aside: SessionLog | undefined;
    if (readable === undefined) now.add(encodeSessionLog(log));
    else {
      const kept = after(JSON.parse(readable) as SessionLog, log);
      now.add(encodeSessionLog(kept.keep));
      aside = kept.aside;
      if (aside && !maybe) this.aside.add(encodeSessionLog(aside));
    }
    this.may.set(log.id, now);
    // Stored for sure: whatever damage did before, this copy is there now.
    if (!maybe) this.lost.delete(log.id);
    return aside;
  }

  /**
   * After damage to one key (`old` → `value`): the logs it held may now survive only elsewhere (another
   * key, the quarantine) or in the damaged value itself; those nowhere are lost to the damage.
   */
  damaged(store: FaultyStore, old: string, value: string | undefined): void {
    const everything = texts(store);
    for (const s of [...this.aside]) if (!everything.some((v) => v.includes(s))) this.aside.delete(s);
    for (const id of new Set([...idsIn(old), ...idsIn(value ?? '')])) {
      const versions = this.may.get(id);
      if (!versions) continue;
      // A stale value may bring back a copy the store had lost, in whatever version it held then.
      if (this.lost.has(id)) {
        const back = versionsIn(value ?? '', id);
        if (back.length > 0) {
          this.lost.delete(id);
          this.may.set(id, new Set(back));
        }
        continue;
      }
      const left = new Set([...versions].filter((s) => everything.some((v) => v.includes(s))));
      for (const s of versionsIn(value ?? '', id)) left.add(s);
      if (left.size === 0) this.lost.add(id);
      else this.may.set(id, left);
    }
  }
}

/** The months whose marker and part 0 are both gone while another of their parts is there. */
function unfindable(store: FaultyStore): Set<string> {
  const months = new Set<string>();
  for (const k of store.keys()) {
    const m = /^history\.m\.(\d{4}-\d\d)\.\d+$/.exec(k)?.[1];
    if (m && store.peek(`history.m.${m}`) === undefined && store.peek(`history.m.${m}.0`) === undefined)
      months.add(m);
  }
  return months;
}

const CLOCKS: readonly ClockKind[] = ['right', 'reset', 'ahead', 'behind', 'jumpBack'];

describe.each(SEEDS)('the phone history against its model in a generated world (seed %i)', (seed) => {
  it(`${STEPS} steps of appends, copies, ratings, reads, restarts, clocks, zones, crashes and damage: nothing lost, twice or hidden`, () => {
    const random = seededRandom(seed);
    const store = new FaultyStore(random, 0.03);
    const model = new Model();
    const unacked = new Map<string, SessionLog>();
    const logs: SessionLog[] = [];
    const counts = {
      crashes: 0,
      damages: 0,
      removed: 0,
      checks: 0,
      quarantined: 0,
      maxOver: 0,
      deferred: 0,
      conflicts: 0,
      zoneCopies: 0,
      monthEnds: 0,
      unfound: 0,
      watchClocks: Object.fromEntries(CLOCKS.map((k) => [k, 0])) as Record<ClockKind, number>,
      phoneClocks: Object.fromEntries(CLOCKS.map((k) => [k, 0])) as Record<ClockKind, number>,
    };
    // The phone's clock, drawn again at every restart: it stamps quarantine items and nothing else.
    let phoneClock: Clock = makeClock('right', random, NOW);
    const phoneNow = () => phoneClock.read(NOW);
    let history: History = openHistory(store, { now: phoneNow() });
    const restart = () => {
      store.revive();
      phoneClock = drawClock(random, NOW, 0.5);
      counts.phoneClocks[phoneClock.kind]++;
      history = openHistory(store, { now: phoneNow() });
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
      // Two years of a patient's sessions, some near a month's end, each by a watch whose clock may be
      // reset, ahead, behind or thrown back, at any offset in use.
      const atMonthEnd = random() < 0.3;
      const t = atMonthEnd ? nearMonthEnd(random, NOW) : NOW - Math.floor(random() * 730 * DAY);
      if (atMonthEnd) counts.monthEnds++;
      const clock = drawClock(random, t, 0.2);
      counts.watchClocks[clock.kind]++;
      const log = watchLog(random, clock, t, drawOffset(random), { pain: undefined });
      logs.push(log);
      return log;
    };
    const rated = (log: SessionLog): SessionLog => ({
      ...log,
      pain: Math.floor(random() * 11),
      painAt: NOW - Math.floor(random() * 30 * DAY),
    });
    const copyOf = (log: SessionLog): SessionLog => {
      const how = pick(random, ['zone', 'more', 'less'] as const);
      const copy = otherCopy(random, log, how);
      if (how === 'zone') counts.zoneCopies++;
      return parseSessionLog(copy).ok ? copy : log;
    };

    const trace: string[] = [];
    const note = (line: string) => void trace.push(line);
    for (let step = 0; step < STEPS; step++) {
      try {
        const roll = random();
        const keysBefore = store.keys().length;
        store.mark();
        if (roll < 0.45) {
          // The watch pushes a batch: new logs, resends of what it has no ack for, later ratings, and
          // other copies of a session (an older watch's re-log at a new offset, a resumed session).
          const batch: SessionLog[] = [];
          const size = 1 + Math.floor(random() * 8);
          for (let i = 0; i < size; i++) {
            const r = random();
            if (r < 0.15 || logs.length === 0) batch.push(newLog());
            else if (r < 0.65 && unacked.size > 0) batch.push(pick(random, [...unacked.values()]));
            else if (r < 0.9) batch.push(rated(pick(random, logs)));
            else batch.push(copyOf(pick(random, logs)));
          }
          for (const log of batch) {
            model.ever.add(log.id);
            unacked.set(log.id, log);
          }
          note(
            `${step} push ${batch.map((l) => `${l.id}${l.pain === undefined ? '' : `:${l.pain}@${l.painAt}`}@${l.utcOffsetMin}/${l.endedAt}`).join(' ')}`,
          );
          const months = new Set(batch.flatMap(candidateMonths));
          // The copy of each id the store holds before the batch; what each log then lands on is that,
          // changed by the logs before it in the batch that the store took (`landsOn`).
          const before = new Map(batch.map((l) => [l.id, readableCopy(store, l)]));
          const landsOn = (took: (i: number) => boolean): (string | undefined)[] => {
            const seen = new Map(before);
            return batch.map((log, i) => {
              const r = seen.get(log.id);
              if (took(i))
                seen.set(
                  log.id,
                  encodeSessionLog(r === undefined ? log : after(JSON.parse(r) as SessionLog, log).keep),
                );
              return r;
            });
          };
          const done = guarded(() => history.appendAll(batch));
          note(
            `${step}   -> ${done?.ok ? done.value.map((o) => (typeof o === 'string' ? o : `kept ${o.kept}`)).join(',') : 'crashed'}`,
          );
          if (!done?.ok) {
            // A batch cut short by a crash may have stored any of its logs: each as appendAll would.
            const readable = landsOn(() => true);
            for (const [i, log] of batch.entries())
              if (model.may.has(log.id)) model.stored(log, readable[i], true);
          }
          if (done?.ok) {
            // Part writes; a damaged part read on the way is quarantined and rewritten: that is repair.
            const parts = store.written.filter((k) => /^history\.m\.\d{4}-\d\d\.\d+$/.test(k)).length;
            const repairs = store.written.filter((k) => k.startsWith('history.quarantine.')).length;
            const healed = store.written.filter((k) => /\.0$/.test(k) && store.peek(k) === '[]').length;
            expect(
              parts - repairs - healed,
              `step ${step}: wrote ${store.written.join(', ')}`,
            ).toBeLessThanOrEqual(MAX_WRITES_PER_APPEND);
            counts.deferred += done.value.filter((o) => o === 'later').length;
            const readable = landsOn((i) => done.value[i] !== 'later' && done.value[i] !== 'refused');
            for (const [i, log] of batch.entries()) {
              const outcome: AppendOutcome = done.value[i]!;
              // Left for the next push (or refused: no room to set a copy aside): the watch keeps it.
              if (outcome === 'later' || outcome === 'refused') continue;
              const aside = model.stored(log, readable[i]);
              if (typeof outcome === 'object') {
                counts.conflicts++;
                const keep =
                  aside === undefined
                    ? undefined
                    : encodeSessionLog(aside) === encodeSessionLog(log)
                      ? 'stored'
                      : 'sent';
                check(
                  outcome.kept === keep,
                  () =>
                    `step ${step}: ${log.id} (${i}) kept ${outcome.kept}, the rule says ${keep} (sent ${encodeSessionLog(log)}; read before: ${readable[i]}; held in ${store
                      .keys()
                      .filter((k) => store.peek(k)!.includes(log.id))
                      .map(
                        (k) =>
                          `${k} ${versionsIn(store.peek(k)!, log.id)
                            .map((v) => v.slice(-120))
                            .join(' / ')}`,
                      )
                      .join('; ')})`,
                );
              } else check(aside === undefined, `step ${step}: ${log.id} ${outcome}, but it conflicts`);
              if (unacked.get(log.id) === log) unacked.delete(log.id);
            }
            // Keys held, every part of each month read with its marker, every key the copies set aside
            // may take (200, read where a copy is set aside), a free quarantine key.
            const bound = Math.max(keysBefore, store.keys().length) + months.size * (MAX_PARTS + 1) + 200 + 1;
            expect(
              store.distinctReads,
              `step ${step}: appendAll read ${store.distinctReads} keys, bound ${bound}`,
            ).toBeLessThanOrEqual(bound);
          }
        } else if (roll < 0.52) {
          const all = guarded(() => history.all());
          if (!all) continue;
          // The marker and part 0 of every month a log can fall in, every part of each month found.
          const months = new Set(
            store
              .keys()
              .map((k) => /^history\.m\.(\d{4}-\d\d)/.exec(k)?.[1])
              .filter((m) => m !== undefined),
          );
          const bound =
            Math.max(keysBefore, store.keys().length) + 2 * ALL_MONTHS + months.size * MAX_PARTS + 1;
          counts.maxOver = Math.max(counts.maxOver, store.distinctReads - keysBefore);
          expect(
            store.distinctReads,
            `step ${step}: all() read ${store.distinctReads} keys, bound ${bound}`,
          ).toBeLessThanOrEqual(bound);
          const ids = all.map((l) => l.id);
          const seen = new Set<string>();
          const twice = ids.filter((id) => seen.has(id) || (seen.add(id), false));
          expect(twice, `step ${step}: a log read twice`).toEqual([]);
          const kept = guarded(() => [
            ...readQuarantine(store, 'history.quarantine').items.map((i) => i.raw),
            ...history.conflicts().map((i) => i.raw),
          ]);
          if (!kept) continue;
          const read = new Map(all.map((l) => [l.id, encoded(l)]));
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
                    )}): ${got.slice(-160)} not in ${[...versions].map((v) => v.slice(-160)).join(' | ')}`,
              );
            } else {
              const whole = [...versions].some((s) => kept.some((q) => q.includes(s)));
              check(
                whole,
                () =>
                  `step ${step}: ${id} neither readable nor kept whole (held in ${store
                    .keys()
                    .filter((k) => store.peek(k)!.includes(id))
                    .join(', ')})`,
              );
              counts.quarantined++;
            }
          }
          const readSet = new Set(read.values());
          for (const s of model.aside)
            check(
              readSet.has(s) || kept.some((q) => q.includes(s)),
              () => `step ${step}: a copy set aside is gone: ${s.slice(0, 120)}`,
            );
          for (const id of ids) check(model.ever.has(id), `step ${step}: ${id} was never stored`);
          counts.checks++;
        } else if (roll < 0.7) {
          const clock = drawClock(random, NOW, 0.5);
          guarded(() => history.summary(clock.read(NOW), drawOffset(random)));
          // Every part of the one or two months of the 30 days, the prescription, a free quarantine key.
          expect(store.distinctReads).toBeLessThanOrEqual(
            Math.max(keysBefore, store.keys().length) + 2 * (MAX_PARTS + 1) + 2,
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
          const before = unfindable(store);
          store.damage(key, bad);
          model.damaged(store, value, bad);
          // Both keys by which a month is found, taken between two reads of it: the logs of its other
          // parts are out of reach (counted) until a push of that month reads it again.
          for (const m of unfindable(store))
            if (!before.has(m)) {
              counts.unfound++;
              for (const k of store.keys().filter((k) => k.startsWith(`history.m.${m}.`)))
                for (const id of idsIn(store.peek(k)!)) model.lost.add(id);
            }
          if (kind === 'missing') counts.removed++;
          note(
            `${step} damage ${key} (${kind}) -> ${(bad ?? '(removed)').slice(0, 80)}; ids before ${[...idsIn(value)].join(' ')}`,
          );
          counts.damages++;
        }
        if (process.env.MODEL_ID)
          note(
            `${step} may ${[...(model.may.get(process.env.MODEL_ID) ?? [])].map((v) => v.slice(-90)).join(' | ')}`,
          );
        expect(store.blindWrites, `step ${step}: wrote over keys it never read`).toEqual([]);
      } catch (e) {
        const id = /(\w{9}-\w{10})/.exec((e as Error).message)?.[1] ?? '';
        const related = [
          ...trace.filter((l) => id && l.includes(id)).map((l) => l.slice(0, 300)),
          ...trace.filter((l) => l.includes('damage')).slice(-25),
        ];
        const report = `${(e as Error).message}\nsteps that touched it, and the damage done:\n${related.join('\n')}`;
        if (process.env.MODEL_TRACE)
          writeFileSync(process.env.MODEL_TRACE, `${report}\n\nlast steps:\n${trace.slice(-60).join('\n')}`);
        throw new Error(report, { cause: e });
      }
    }
    expect(counts.checks).toBeGreaterThan(STEPS / 40);
    expect(counts.crashes).toBeGreaterThan(STEPS / 100);
    expect(counts.damages).toBeGreaterThan(STEPS / 100);
    expect(counts.removed).toBeGreaterThan(STEPS / 1000);
    // Batches over two years of months: the three-write bound is reached, not just stated.
    expect(counts.deferred).toBeGreaterThan(STEPS / 100);
    // The world was generated, not assumed: every kind of clock, and copies across a zone change.
    for (const kind of CLOCKS) expect(counts.watchClocks[kind], kind).toBeGreaterThan(STEPS / 500);
    for (const kind of CLOCKS) expect(counts.phoneClocks[kind], kind).toBeGreaterThan(STEPS / 500);
    expect(counts.zoneCopies).toBeGreaterThan(STEPS / 200);
    expect(counts.conflicts).toBeGreaterThan(STEPS / 200);
    console.log(
      `history seed ${seed}: ${STEPS} steps, ${model.may.size} logs stored; watch clocks ${JSON.stringify(counts.watchClocks)}, ` +
        `phone clocks ${JSON.stringify(counts.phoneClocks)}; ${counts.monthEnds} sessions near a month's end, ` +
        `${counts.zoneCopies} copies at another offset, ${counts.conflicts} conflicting copies settled; ` +
        `${counts.crashes} crashes, ${counts.damages} damaged keys (${counts.removed} removed; ${model.lost.size} logs whose every copy ` +
        `the damage destroyed, ${counts.unfound} months whose two finding keys it took between reads), ` +
        `${counts.checks} full checks: 0 lost, 0 twice, 0 hidden; at most ${counts.maxOver} reads past the keys held; ` +
        `${counts.deferred} logs left for the next push by the three-write bound`,
    );
    // Tens of seconds a seed on a busy machine: the history reads every month at every check.
  }, 300_000);
});
