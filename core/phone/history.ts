import type { KeyValueStore } from '../base/kv';
import { DEFAULT_PRESCRIPTION, parsePrescription, type Prescription } from '../plan/prescription';
import type { PrescriptionRecord } from '../link/protocol';
import { quarantineValue, readQuarantine, type Quarantine } from '../base/quarantine';
import { err, ok, type Result } from '../base/result';
import {
  dayOf,
  localDate,
  parseSessionLog,
  sameSessionApartFromPain,
  toPlain,
  type SessionLog,
} from '../log/session-log';
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

/**
 * The phone's session history, in `settingsStorage` (strings) so the Settings App reads the same keys.
 *
 * Layout (JSON values):
 *   `<prefix>.index`             `{"v":1,"months":{"2026-11":2}}`: parts per local month
 *   `<prefix>.m.<YYYY-MM>.<n>`   part n of a month: a JSON array of at most `partSize` logs
 *   `<prefix>.ids.<YYYY-MM>`     `{"<log id>": n}`: which part of that month holds each log
 *   `<prefix>.prescription`      `{"revision":3,"prescription":{...}}`
 *   `<prefix>.quarantine`        stored values that failed to decode
 *
 * A log lives in the month of its local start day, so its id's month is known from the log itself
 * and the duplicate check reads one small id set. Appending rewrites the month's last part (at most
 * `partSize` logs) and its id set: the cost depends on one month's activity, never on the history's size.
 * The index changes only when a part is added.
 *
 * Write order and what a crash leaves:
 *   - new log into the last part: part, then id set. A crash leaves a log the id set lacks; every
 *     append first reconciles the last part into the id set, so the log is found before a resend
 *     could store it twice.
 *   - new part: part, index, id set. A crash before the index leaves an unlisted part that the
 *     resend (the watch got no ack) overwrites with the same log.
 */
const DEFAULT_PART_SIZE = 16;
/** Where openHistory keeps the prescription with the default prefix: the key the Settings App edits. */
export const PHONE_PRESCRIPTION_KEY = 'history.prescription';
const INDEX_VERSION = 1;

export type AppendOutcome = 'accepted' | 'known' | 'updated';

export interface HistoryOptions {
  readonly prefix?: string;
  readonly partSize?: number;
  /** Stamps quarantine items, and bounds the months probed when the index must be rebuilt. */
  readonly now: number;
}

export interface History {
  /** Idempotent on log id. A later copy that adds a pain rating to a stored log updates it. */
  append(log: SessionLog): Result<AppendOutcome, string>;
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
  /** True when the index was unreadable at open and rebuilt by probing month keys. */
  readonly indexRebuilt: boolean;
}

interface Index {
  readonly months: Readonly<Record<string, number>>;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function openHistory(store: KeyValueStore, options: HistoryOptions): History {
  const prefix = options.prefix ?? 'history';
  const partSize = options.partSize ?? DEFAULT_PART_SIZE;
  const keys = {
    index: `${prefix}.index`,
    part: (month: string, n: number) => `${prefix}.m.${month}.${n}`,
    ids: (month: string) => `${prefix}.ids.${month}`,
    prescription: `${prefix}.prescription`,
    quarantine: `${prefix}.quarantine`,
  };
  const quarantine = (key: string, raw: string, reason: string) =>
    quarantineValue(store, keys.quarantine, { key, raw, reason, at: options.now });

  // Decoding is most of an append's cost; keyed by the raw text just read, so never stale.
  const parsedParts = new Map<string, SessionLog[]>();
  let indexRebuilt = false;
  let index = loadIndex();
  // Tallies of months read during one call; dropped on every write so they never go stale.
  let monthCache = new Map<string, SessionLog[]>();

  function loadIndex(): Index {
    const raw = store.get(keys.index);
    if (raw === undefined) return { months: {} };
    const parsed = parseIndex(raw);
    if (parsed) return parsed;
    quarantine(keys.index, raw, 'history index unreadable');
    indexRebuilt = true;
    const months: Record<string, number> = {};
    const last = dayOf(options.now, 14 * 60).slice(0, 7);
    for (let month = '2020-01'; month <= last; month = nextMonth(month)) {
      let n = 0;
      while (store.get(keys.part(month, n)) !== undefined) n++;
      if (n > 0) months[month] = n;
    }
    const rebuilt = { months };
    store.set(keys.index, JSON.stringify({ v: INDEX_VERSION, ...rebuilt }));
    return rebuilt;
  }

  /** A part that fails to decode is quarantined whole, and its readable logs are kept in place. */
  function readPart(month: string, n: number): SessionLog[] {
    const key = keys.part(month, n);
    const raw = store.get(key);
    if (raw === undefined) return [];
    const cached = parsedParts.get(raw);
    if (cached) return cached;
    let values: unknown;
    try {
      values = JSON.parse(raw);
    } catch {
      values = undefined;
    }
    const logs: SessionLog[] = [];
    let bad = !Array.isArray(values);
    for (const v of Array.isArray(values) ? values : []) {
      const parsed = parseSessionLog(v);
      if (parsed.ok) logs.push(parsed.value);
      else bad = true;
    }
    if (bad) {
      quarantine(key, raw, 'history part unreadable or holding invalid logs');
      writePart(month, n, logs);
    } else {
      if (parsedParts.size > 64) parsedParts.clear();
      parsedParts.set(raw, logs);
    }
    return logs;
  }

  function writePart(month: string, n: number, logs: readonly SessionLog[]): void {
    store.set(keys.part(month, n), JSON.stringify(logs.map(toPlain)));
  }

  function readIds(month: string, parts: number): Map<string, number> {
    const key = keys.ids(month);
    const raw = store.get(key);
    if (raw !== undefined) {
      try {
        const value = JSON.parse(raw) as unknown;
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
          const entries = Object.entries(value as Record<string, unknown>);
          if (entries.every(([, n]) => Number.isInteger(n) && (n as number) >= 0 && (n as number) < parts)) {
            return new Map(entries as [string, number][]);
          }
        }
      } catch {
        // falls through to the rebuild below
      }
      quarantine(key, raw, 'history id set unreadable');
    }
    // Missing (first log of the month) or rebuilt from the parts themselves.
    const ids = new Map<string, number>();
    for (let n = 0; n < parts; n++) for (const log of readPart(month, n)) ids.set(log.id, n);
    return ids;
  }

  function monthLogs(month: string): SessionLog[] {
    let logs = monthCache.get(month);
    if (!logs) {
      logs = [];
      for (let n = 0; n < (index.months[month] ?? 0); n++) logs.push(...readPart(month, n));
      monthCache.set(month, logs);
    }
    return logs;
  }

  function tallyOf(date: string): DayTally {
    return lookup(tallyLogs(monthLogs(date.slice(0, 7)).filter((l) => localDate(l) === date)))(date);
  }

  function append(log: SessionLog): Result<AppendOutcome, string> {
    monthCache = new Map();
    // Re-read: the Settings App may hold another History over the same keys.
    index = loadIndex();
    const month = localDate(log).slice(0, 7);
    const parts = index.months[month] ?? 0;
    const ids = readIds(month, parts);
    const last = parts > 0 ? readPart(month, parts - 1) : [];
    let idsChanged = false;
    for (const l of last) {
      if (!ids.has(l.id)) {
        ids.set(l.id, parts - 1);
        idsChanged = true;
      }
    }
    const where = ids.get(log.id);
    if (where !== undefined) {
      const part = where === parts - 1 ? last : readPart(month, where);
      const stored = part.find((l) => l.id === log.id);
      if (stored) {
        if (idsChanged) writeIds(month, ids);
        if (stored.pain === undefined && log.pain !== undefined && sameSessionApartFromPain(stored, log)) {
          writePart(
            month,
            where,
            part.map((l) => (l === stored ? { ...stored, pain: log.pain } : l)),
          );
          return ok('updated');
        }
        return ok('known');
      }
      // The id set named a part that no longer holds the log (it was quarantined): store it again.
    }
    let n: number;
    if (parts === 0 || last.length >= partSize) {
      n = parts;
      writePart(month, n, [log]);
      index = { months: { ...index.months, [month]: parts + 1 } };
      store.set(keys.index, JSON.stringify({ v: INDEX_VERSION, ...index }));
    } else {
      n = parts - 1;
      writePart(month, n, [...last, log]);
    }
    ids.set(log.id, n);
    writeIds(month, ids);
    return ok('accepted');
  }

  function writeIds(month: string, ids: Map<string, number>): void {
    store.set(keys.ids(month), JSON.stringify(Object.fromEntries(ids)));
  }

  function prescription(): PrescriptionRecord {
    const raw = store.get(keys.prescription);
    if (raw === undefined) return { revision: 0, prescription: DEFAULT_PRESCRIPTION };
    try {
      const value = JSON.parse(raw) as { revision?: unknown; prescription?: unknown };
      const p = parsePrescription(value.prescription);
      if (p.ok && Number.isInteger(value.revision) && (value.revision as number) >= 0) {
        return { revision: value.revision as number, prescription: p.value };
      }
    } catch {
      // quarantined below
    }
    quarantine(keys.prescription, raw, 'prescription unreadable');
    store.remove(keys.prescription);
    return { revision: 0, prescription: DEFAULT_PRESCRIPTION };
  }

  const months = () => Object.keys(index.months).sort();

  return {
    append(log) {
      try {
        return append(log);
      } catch (e) {
        monthCache = new Map();
        index = parseIndex(store.get(keys.index) ?? '') ?? index;
        return err(`Phone storage failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    all() {
      const logs: SessionLog[] = [];
      for (const m of months()) for (let n = 0; n < (index.months[m] ?? 0); n++) logs.push(...readPart(m, n));
      return logs.sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    months,
    month: (m) => [...monthLogs(m)],
    tally: tallyOf,
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
    get indexRebuilt() {
      return indexRebuilt;
    },
  };
}

function parseIndex(raw: string): Index | undefined {
  try {
    const value = JSON.parse(raw) as { v?: unknown; months?: unknown };
    if (value.v !== INDEX_VERSION || typeof value.months !== 'object' || value.months === null)
      return undefined;
    const months = value.months as Record<string, unknown>;
    for (const [m, n] of Object.entries(months)) {
      if (!MONTH.test(m) || !Number.isInteger(n) || (n as number) < 0) return undefined;
    }
    return { months: months as Record<string, number> };
  } catch {
    return undefined;
  }
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
