import type { KeyValueStore } from '../base/kv';
import { quarantineValue, readQuarantine, type Quarantine } from '../base/quarantine';
import { err, ok, type Result } from '../base/result';
import type { PrescriptionRecord } from '../link/protocol';
import { dayOf, localDate, parseSessionLog, laterRating, toPlain, type SessionLog } from '../log/session-log';
import {
  addDays,
  adherence,
  lookup,
  painFlags,
  summarize,
  tallyLogs,
  type DayAdherence,
  type DayTally,
  type Summary,
} from '../log/stats';
import { DEFAULT_PRESCRIPTION, parsePrescription, type Prescription } from '../plan/prescription';

/**
 * The phone's session history, in `settingsStorage` (strings) so the Settings App reads the same keys.
 *
 * Layout (JSON values):
 *   `<prefix>.m.<YYYY-MM>.<n>`   part n of a month: a JSON array of at most `partSize` logs that started
 *                                in that local month (n = 0, 1, … with no gap)
 *   `<prefix>.prescription`      `{"revision":3,"prescription":{...}}`
 *   `<prefix>.quarantine.<n>`    stored values that failed to decode, each whole (core/base/quarantine)
 *
 * There is no index: the part keys themselves say what is stored. A month's parts are found by reading
 * n = 0, 1, … up to the first missing key (at most MAX_PARTS), and the months by reading part 0 of each
 * month from 2020 to a year past the phone's clock. So no key can go stale against another, every count
 * is bounded by the keys that exist, and a crash between two writes leaves only whole parts, each the old
 * or the new value. (Earlier versions kept `<prefix>.index` and `<prefix>.ids.<month>`; they are ignored.)
 *
 * Appending reads the log's month (a few parts: the cost of one month's activity, never the history's
 * size), checks the id against every log of that month, and writes each part it changed, once. A
 * batch's new logs of one month all go to one part (the last, or a new one), so a batch costs one write
 * per month plus one per part holding a log it re-rates, and never more than MAX_WRITES_PER_APPEND: what
 * would need more is answered `later`. A new part is written only to the key just read as free.
 */
const DEFAULT_PART_SIZE = 16;
/**
 * Logs one batch may put into a new part: a part filled by one batch may hold more than the part size
 * (so a batch costs one write per month), but never more than this (about 35 KB of JSON; settingsStorage
 * documents no limit on a value's size, so none is made large without need).
 */
const PART_LOGS_MAX = 64;
/**
 * Parts a month may hold: over 500 logs (two parts in a row hold more than a part's size, or the second
 * would not have been started), far above any patient's month; past it a month takes no more.
 */
const MAX_PARTS = 64;
/** No session log starts before this month (the log schema's earliest start). */
const FIRST_MONTH = '2020-01';
/** Months are looked for up to this far past the phone's clock, in case the clock went back. */
const LOOKAHEAD_DAYS = 366;

/** Where openHistory keeps the prescription with the default prefix: the key the Settings App edits. */
export const PHONE_PRESCRIPTION_KEY = 'history.prescription';

/**
 * Parts one append writes at most, whatever the batch holds: its new logs cost one write per month,
 * and a later rating one write for the part that holds the log. A log that would need a fourth write
 * is left for the next append (`later`): the watch sends what was not answered again at once.
 */
export const MAX_WRITES_PER_APPEND = 3;

/** `later`: not stored by this call, only because the call had made its writes; send it again. */
export type AppendOutcome = 'accepted' | 'known' | 'updated' | 'later';

export interface HistoryOptions {
  readonly prefix?: string;
  readonly partSize?: number;
  /** The phone's clock: stamps quarantine items, and bounds the months looked for. */
  readonly now: number;
}

export interface History {
  /** Idempotent on log id. A later pain rating of a stored log updates it (see `laterRating`). */
  append(log: SessionLog): Result<AppendOutcome, string>;
  /**
   * The same for a batch, in order, in one pass: at most MAX_WRITES_PER_APPEND writes (plus, only where
   * a damaged part is found, its quarantine copy and rewrite).
   */
  appendAll(logs: readonly SessionLog[]): Result<AppendOutcome[], string>;
  /** Every stored log, oldest start first. Reads every part: for the Settings App and exports. */
  all(): SessionLog[];
  months(): string[];
  month(month: string): SessionLog[];
  tally(date: string): DayTally;
  summary(now: number, utcOffsetMin: number): Summary;
  adherence(from: string, to: string): DayAdherence[];
  prescription(): PrescriptionRecord;
  /** Saves a validated prescription if `baseRevision` is the current one. */
  setPrescription(
    prescription: Prescription,
    baseRevision: number,
  ): Result<
    PrescriptionRecord,
    { readonly code: 'conflict' | 'storage'; readonly current: PrescriptionRecord }
  >;
  quarantine(): Quarantine;
}

interface Part {
  readonly n: number;
  logs: SessionLog[];
  /** Damaged, and its text could not be quarantined: read what is readable, never rewrite it. */
  readonly sealed: boolean;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function openHistory(store: KeyValueStore, options: HistoryOptions): History {
  const prefix = options.prefix ?? 'history';
  const partSize = options.partSize ?? DEFAULT_PART_SIZE;
  const keys = {
    part: (month: string, n: number) => `${prefix}.m.${month}.${n}`,
    prescription: `${prefix}.prescription`,
    quarantine: `${prefix}.quarantine`,
  };
  const quarantine = (key: string, raw: string, reason: string): boolean =>
    quarantineValue(store, keys.quarantine, { key, raw, reason, at: options.now });

  // Decoding is most of a read's cost; keyed by the raw text just read, so never stale.
  const parsedParts = new Map<string, SessionLog[]>();
  // Months read during one call; dropped on every write and at the start of every call.
  let monthCache = new Map<string, Part[]>();

  /**
   * Part n of a month as stored. A part holding anything but valid logs of its own month, each once,
   * is quarantined whole and rewritten with what is readable (or sealed, if the quarantine is full).
   */
  function readPart(month: string, n: number, seen: Set<string>): Part | undefined {
    const key = keys.part(month, n);
    const raw = store.get(key);
    if (raw === undefined) return undefined;
    const cached = parsedParts.get(raw);
    if (cached && cached.every((l) => !seen.has(l.id))) {
      for (const l of cached) seen.add(l.id);
      return { n, logs: [...cached], sealed: false };
    }
    let values: unknown;
    try {
      values = JSON.parse(raw);
    } catch {
      values = undefined;
    }
    const logs: SessionLog[] = [];
    const problems: string[] = [];
    if (!Array.isArray(values)) problems.push('not a JSON list');
    for (const v of Array.isArray(values) ? values : []) {
      const parsed = parseSessionLog(v);
      if (!parsed.ok) problems.push(parsed.error[0]?.message ?? 'invalid log');
      else if (localDate(parsed.value).slice(0, 7) !== month)
        problems.push(`log ${parsed.value.id} belongs to ${localDate(parsed.value).slice(0, 7)}`);
      else if (seen.has(parsed.value.id)) problems.push(`log ${parsed.value.id} stored twice`);
      else {
        seen.add(parsed.value.id);
        logs.push(parsed.value);
      }
    }
    if (problems.length === 0) {
      if (parsedParts.size > 1024) parsedParts.clear();
      // The cache keeps its own list: a caller appending to the part must not change what this raw
      // text is remembered to hold (the write may never happen).
      parsedParts.set(raw, [...logs]);
      return { n, logs, sealed: false };
    }
    if (!quarantine(key, raw, `history part: ${problems.slice(0, 3).join('; ')}`.slice(0, 300)))
      return { n, logs, sealed: true };
    writePart(month, n, logs);
    return { n, logs, sealed: false };
  }

  function writePart(month: string, n: number, logs: readonly SessionLog[]): void {
    store.set(keys.part(month, n), JSON.stringify(logs.map(toPlain)));
  }

  function readMonth(month: string): Part[] {
    const cached = monthCache.get(month);
    if (cached) return cached;
    const parts: Part[] = [];
    const seen = new Set<string>();
    for (let n = 0; n < MAX_PARTS; n++) {
      const part = readPart(month, n, seen);
      if (!part) break;
      parts.push(part);
    }
    monthCache.set(month, parts);
    return parts;
  }

  const monthLogs = (month: string): SessionLog[] => readMonth(month).flatMap((p) => p.logs);

  /** Months that hold part 0, oldest first. */
  function months(): string[] {
    const last = dayOf(options.now + LOOKAHEAD_DAYS * 86_400_000, 14 * 60).slice(0, 7);
    const out: string[] = [];
    for (let m = FIRST_MONTH; m <= last; m = nextMonth(m)) {
      if (store.get(keys.part(m, 0)) !== undefined) out.push(m);
    }
    return out;
  }

  function tallyOf(date: string): DayTally {
    return lookup(tallyLogs(monthLogs(date.slice(0, 7)).filter((l) => localDate(l) === date)))(date);
  }

  function appendAll(logs: readonly SessionLog[]): Result<AppendOutcome[], string> {
    monthCache = new Map();
    const outcomes: AppendOutcome[] = [];
    const byMonth = new Map<string, number[]>();
    logs.forEach((log, i) => {
      const month = localDate(log).slice(0, 7);
      byMonth.set(month, [...(byMonth.get(month) ?? []), i]);
    });
    let written = 0;
    for (const [month, indices] of byMonth) {
      const parts = readMonth(month);
      const where = new Map<string, Part>();
      for (const part of parts) for (const l of part.logs) where.set(l.id, part);
      const changed = new Set<Part>();
      const fits = (part: Part) => changed.has(part) || written + changed.size < MAX_WRITES_PER_APPEND;
      // The month's new logs go to the last part if it has room for all of them, else to new parts of
      // up to PART_LOGS_MAX each: one write per month for a batch of up to PART_LOGS_MAX new logs.
      const fresh = new Set(indices.map((i) => (logs[i] as SessionLog).id).filter((id) => !where.has(id)));
      const last = parts[parts.length - 1];
      const intoLast = last !== undefined && !last.sealed && last.logs.length + fresh.size <= partSize;
      const firstNew = parts.length;
      let placed = 0;
      const targetOf = (k: number): Part =>
        intoLast
          ? last
          : (parts[firstNew + Math.floor(k / PART_LOGS_MAX)] ?? {
              n: firstNew + Math.floor(k / PART_LOGS_MAX),
              logs: [],
              sealed: false,
            });
      for (const i of indices) {
        const log = logs[i] as SessionLog;
        const home = where.get(log.id);
        if (home) {
          const at = home.logs.findIndex((l) => l.id === log.id);
          const kept = laterRating(home.logs[at] as SessionLog, log);
          if (!kept || home.sealed) outcomes[i] = 'known';
          else if (!fits(home)) outcomes[i] = 'later';
          else {
            home.logs[at] = kept;
            changed.add(home);
            outcomes[i] = 'updated';
          }
          continue;
        }
        const target = targetOf(placed);
        if (!fits(target)) {
          outcomes[i] = 'later';
          continue;
        }
        if (target.n === parts.length) {
          // The first free key, just read as missing by readMonth: no write lands on stored data.
          if (parts.length >= MAX_PARTS) return err(`The month ${month} holds ${MAX_PARTS} parts already.`);
          parts.push(target);
        }
        placed++;
        target.logs.push(log);
        where.set(log.id, target);
        changed.add(target);
        outcomes[i] = 'accepted';
      }
      for (const part of [...changed].sort((a, b) => a.n - b.n)) writePart(month, part.n, part.logs);
      written += changed.size;
    }
    monthCache = new Map();
    return ok(outcomes);
  }

  function prescription(): PrescriptionRecord {
    const raw = store.get(keys.prescription);
    if (raw === undefined) return { revision: 0, prescription: DEFAULT_PRESCRIPTION };
    try {
      const value = JSON.parse(raw) as { revision?: unknown; prescription?: unknown };
      const p = parsePrescription(value.prescription);
      if (p.ok && Number.isSafeInteger(value.revision) && (value.revision as number) >= 0) {
        return { revision: value.revision as number, prescription: p.value };
      }
    } catch {
      // quarantined below
    }
    if (quarantine(keys.prescription, raw, 'prescription unreadable')) store.remove(keys.prescription);
    return { revision: 0, prescription: DEFAULT_PRESCRIPTION };
  }

  const guarded = <T>(body: () => Result<T, string>): Result<T, string> => {
    try {
      return body();
    } catch (e) {
      monthCache = new Map();
      return err(`Phone storage failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  return {
    append(log) {
      const done = guarded(() => appendAll([log]));
      return done.ok ? ok(done.value[0] as AppendOutcome) : done;
    },
    appendAll: (logs) => guarded(() => appendAll(logs)),
    all() {
      monthCache = new Map();
      const logs = months().flatMap(monthLogs);
      return logs.sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    months,
    month(m) {
      monthCache = new Map();
      return MONTH.test(m) ? monthLogs(m) : [];
    },
    tally(date) {
      monthCache = new Map();
      return tallyOf(date);
    },
    summary(now, utcOffsetMin) {
      monthCache = new Map();
      const today = dayOf(now, utcOffsetMin);
      const from = addDays(today, -29);
      const recent: SessionLog[] = [];
      for (let m = from.slice(0, 7); m <= today.slice(0, 7); m = nextMonth(m)) {
        for (const l of monthLogs(m)) {
          const d = localDate(l);
          if (d >= from && d <= today) recent.push(l);
        }
      }
      return summarize(tallyOf, today, prescription().prescription.sessionsPerDay, painFlags(recent).length);
    },
    adherence(from, to) {
      monthCache = new Map();
      return adherence(tallyOf, from, to, prescription().prescription.sessionsPerDay);
    },
    prescription,
    setPrescription(p, baseRevision) {
      const current = prescription();
      if (baseRevision !== current.revision) return err({ code: 'conflict' as const, current });
      const next = { revision: current.revision + 1, prescription: p };
      try {
        store.set(keys.prescription, JSON.stringify(next));
      } catch {
        return err({ code: 'storage' as const, current });
      }
      return ok(next);
    },
    quarantine: () => readQuarantine(store, keys.quarantine),
  };
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
