import type { KeyValueStore } from '../base/kv';
import {
  keepOnce,
  quarantineValue,
  readQuarantine,
  type Quarantine,
  type QuarantineItem,
} from '../base/quarantine';
import { err, ok, type Result } from '../base/result';
import type { PrescriptionRecord } from '../link/protocol';
import { plainLog } from '../log/plain-text';
import {
  copyThatStands,
  dayOf,
  differingFields,
  encodeSessionLog,
  laterRating,
  localDate,
  logMonths,
  monthsAround,
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
import { DEFAULT_PRESCRIPTION, parsePrescription, type Prescription } from '../plan/prescription';

/**
 * The phone's session history, in `settingsStorage` (strings) so the Settings App reads the same keys.
 *
 * Layout (JSON values):
 *   `<prefix>.m.<YYYY-MM>`       the month's marker: written before the month's first part, so the
 *                                month is found even if its part 0 is lost
 *   `<prefix>.m.<YYYY-MM>.<n>`   part n of a month (n = 0 … MAX_PARTS − 1): a JSON array of logs that
 *                                started in that local month
 *   `<prefix>.prescription`      `{"revision":3,"prescription":{...}}`
 *   `<prefix>.quarantine.<n>`    stored values that failed to decode, each whole (core/base/quarantine)
 *   `<prefix>.conflicts.<n>`     copies of a stored session that differ from the one that stands, each
 *                                whole (`copyThatStands`), in the quarantine's layout
 *
 * There is no index that could go stale: the keys themselves say what is stored. A month is found by
 * its marker or its part 0, probed for every month a log can fall in (`logMonths`, whatever the phone's
 * clock says); a month's parts are all probed, 0 to MAX_PARTS − 1, so a missing part hides nothing
 * after it. Reading a month gives back what a single lost key took from the finding: a missing marker
 * or part 0 is written again (part 0 as an empty list), so no one further loss can hide a month.
 *
 * Appending reads the months a log may be stored under (its own, and the one or two its start falls in
 * at any offset: `monthsAround`), finds the id wherever it is, and writes each part it changed, once. A
 * batch's new logs of one month all go to one part (the last, or a new one), so a batch costs one part
 * write per month plus one per part holding a log it re-rates or replaces, and never more than
 * MAX_WRITES_PER_APPEND part writes: what would need more is answered `later`. A new part is written
 * only to a key just read as free.
 */
const DEFAULT_PART_SIZE = 16;
/**
 * Logs one batch may put into a new part: a part filled by one batch may hold more than the part size
 * (so a batch costs one write per month), but never more than this (about 35 KB of JSON; settingsStorage
 * documents no limit on a value's size, so none is made large without need).
 */
const PART_LOGS_MAX = 64;
/** Parts a month may hold: over 1,000 logs, far above any patient's month; past it a month takes no more. */
const MAX_PARTS = 64;

/** Where openHistory keeps the prescription with the default prefix: the key the Settings App edits. */
export const PHONE_PRESCRIPTION_KEY = 'history.prescription';

/**
 * Parts one append writes at most, whatever the batch holds: its new logs cost one write per month,
 * and a later rating one write for the part that holds the log. A log that would need a fourth write
 * is left for the next append (`later`): the watch sends what was not answered again at once. (A
 * month's marker, a copy set aside and the repair of a damaged part are written besides.)
 */
export const MAX_WRITES_PER_APPEND = 3;

/**
 * What became of one log of an append. `later`: not stored by this call, only because the call had made
 * its writes; send it again. A conflict (`kept`): the log differs from the copy stored before in more
 * than its rating; `stored`: that copy stands and this one was set aside whole; `sent`: this copy now
 * stands and the one stored before was set aside whole. `refused`: a conflict with no room left to
 * set a copy aside: nothing changed (the watch keeps its copy).
 */
export type AppendOutcome =
  | 'accepted'
  | 'known'
  | 'updated'
  | 'later'
  | 'refused'
  | { readonly kept: 'stored' | 'sent'; readonly reason: string };

export interface HistoryOptions {
  readonly prefix?: string;
  readonly partSize?: number;
  /** The phone's clock: stamps quarantine items. Nothing about which months are read depends on it. */
  readonly now: number;
}

export interface History {
  /** Idempotent on log id. A later pain rating of a stored log updates it (see `laterRating`). */
  append(log: SessionLog): Result<AppendOutcome, string>;
  /**
   * The same for a batch, in order, in one pass: at most MAX_WRITES_PER_APPEND part writes (plus, only
   * where needed, a month's marker, a copy set aside, a damaged part's quarantine copy and rewrite).
   */
  appendAll(logs: readonly SessionLog[]): Result<AppendOutcome[], string>;
  /** Every stored log, oldest start first. Reads every part: for the Settings App and exports. */
  all(): SessionLog[];
  /** The months that hold a log, oldest first. */
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
  /** The copies set aside because another copy of the same session stands, each whole with why. */
  conflicts(): readonly QuarantineItem[];
}

interface Part {
  readonly month: string;
  readonly n: number;
  logs: SessionLog[];
  /** Damaged, and its text could not be quarantined: read what is readable, never rewrite it. */
  readonly sealed: boolean;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
/** What a month's marker holds: its presence is what counts. */
const MARKER = '1';

export function openHistory(store: KeyValueStore, options: HistoryOptions): History {
  const prefix = options.prefix ?? 'history';
  const partSize = options.partSize ?? DEFAULT_PART_SIZE;
  const keys = {
    marker: (month: string) => `${prefix}.m.${month}`,
    part: (month: string, n: number) => `${prefix}.m.${month}.${n}`,
    prescription: `${prefix}.prescription`,
    quarantine: `${prefix}.quarantine`,
    conflicts: `${prefix}.conflicts`,
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
      return { month, n, logs: [...cached], sealed: false };
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
      const parsed = parseSessionLog(plainLog(v));
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
      return { month, n, logs, sealed: false };
    }
    if (!quarantine(key, raw, `history part: ${problems.slice(0, 3).join('; ')}`.slice(0, 300)))
      return { month, n, logs, sealed: true };
    writePart(month, n, logs);
    return { month, n, logs, sealed: false };
  }

  function writePart(month: string, n: number, logs: readonly SessionLog[]): void {
    store.set(keys.part(month, n), JSON.stringify(logs.map(toPlain)));
  }

  /**
   * Every part of a month, gaps and all. A month that holds a part but lacks its marker or its part 0
   * gets them back (part 0 as an empty list), each written only to a key just read as free.
   */
  function readMonth(month: string): Part[] {
    const cached = monthCache.get(month);
    if (cached) return cached;
    const parts: Part[] = [];
    const seen = new Set<string>();
    for (let n = 0; n < MAX_PARTS; n++) {
      const part = readPart(month, n, seen);
      if (part) parts.push(part);
    }
    if (parts.length > 0) {
      if (store.get(keys.marker(month)) === undefined) store.set(keys.marker(month), MARKER);
      if (parts[0]!.n !== 0) {
        store.set(keys.part(month, 0), '[]');
        parts.unshift({ month, n: 0, logs: [], sealed: false });
      }
    }
    monthCache.set(month, parts);
    return parts;
  }

  const monthLogs = (month: string): SessionLog[] => readMonth(month).flatMap((p) => p.logs);

  /** Months whose marker or part 0 is there, oldest first: every month a log can fall in is probed. */
  function foundMonths(): string[] {
    const out: string[] = [];
    const { first, last } = logMonths();
    for (let m = first; m <= last; m = nextMonth(m)) {
      if (store.get(keys.marker(m)) !== undefined || store.get(keys.part(m, 0)) !== undefined) out.push(m);
    }
    return out;
  }

  function tallyOf(date: string): DayTally {
    return lookup(tallyLogs(monthLogs(date.slice(0, 7)).filter((l) => localDate(l) === date)))(date);
  }

  /** The copies set aside, as stored (the quarantine's layout under its own prefix). */
  const conflicts = (): readonly QuarantineItem[] => readQuarantine(store, keys.conflicts).items;

  /**
   * Sets `log` aside as a copy of a session another copy of which stands. A copy set aside before is
   * not set aside again. False when there is no room left to keep it.
   */
  const setAside = (log: SessionLog, reason: string): boolean =>
    keepOnce(store, keys.conflicts, { key: log.id, raw: encodeSessionLog(log), reason, at: options.now });

  function appendAll(logs: readonly SessionLog[]): Result<AppendOutcome[], string> {
    monthCache = new Map();
    const outcomes: AppendOutcome[] = [];
    // Where each id is stored now, across every month a log of the batch may be stored under.
    const where = new Map<string, Part>();
    const locate = (month: string): Part[] => {
      const parts = readMonth(month);
      for (const part of parts)
        for (const l of part.logs) {
          const other = where.get(l.id);
          // Two months holding one id (damage brought an old part back): the copy that stands counts.
          if (!other || copyThatStands(copyIn(other, l.id), l) === 'sent') where.set(l.id, part);
        }
      return parts;
    };
    const copyIn = (part: Part, id: string): SessionLog => part.logs.find((l) => l.id === id) as SessionLog;
    const byMonth = new Map<string, number[]>();
    logs.forEach((log, i) => {
      const month = localDate(log).slice(0, 7);
      byMonth.set(month, [...(byMonth.get(month) ?? []), i]);
    });
    const looked = new Set<string>();
    for (const log of logs)
      for (const m of [localDate(log).slice(0, 7), ...monthsAround(log.startedAt)])
        if (!looked.has(m)) {
          looked.add(m);
          locate(m);
        }

    const changed = new Set<Part>();
    // Parts written before the end of the pass (a log moved out of its old month): in the budget too.
    let early = 0;
    const fits = (part: Part) => changed.has(part) || changed.size + early < MAX_WRITES_PER_APPEND;

    for (const [month, indices] of byMonth) {
      const parts = readMonth(month);
      // The month's new logs go to the last part if it has room for all of them, else to new parts of
      // up to PART_LOGS_MAX each: one write per month for a batch of up to PART_LOGS_MAX new logs.
      const fresh = new Set(indices.map((i) => (logs[i] as SessionLog).id).filter((id) => !where.has(id)));
      const last = parts[parts.length - 1];
      const intoLast = last !== undefined && !last.sealed && last.logs.length + fresh.size <= partSize;
      const firstNew = last === undefined ? 0 : last.n + 1;
      let placed = 0;
      const targetOf = (k: number): Part => {
        if (intoLast) return last;
        const n = firstNew + Math.floor(k / PART_LOGS_MAX);
        return parts.find((p) => p.n === n) ?? { month, n, logs: [], sealed: false };
      };
      const place = (log: SessionLog): boolean => {
        const target = targetOf(placed);
        if (!fits(target)) return false;
        if (!parts.includes(target)) {
          // The first free key past the month's last part, just read as missing: no write lands on
          // stored data. A new month gets its marker first, so it is found even if this part is lost.
          if (target.n >= MAX_PARTS) return false;
          if (parts.length === 0 && store.get(keys.marker(month)) === undefined)
            store.set(keys.marker(month), MARKER);
          parts.push(target);
        }
        placed++;
        target.logs.push(log);
        where.set(log.id, target);
        changed.add(target);
        return true;
      };
      for (const i of indices) {
        const log = logs[i] as SessionLog;
        const home = where.get(log.id);
        if (!home) {
          outcomes[i] = place(log) ? 'accepted' : 'later';
          continue;
        }
        const at = home.logs.findIndex((l) => l.id === log.id);
        const stored = home.logs[at] as SessionLog;
        if (sameSessionApartFromPain(stored, log) || home.sealed) {
          const kept = laterRating(stored, log);
          if (!kept || home.sealed) outcomes[i] = 'known';
          else if (!fits(home)) outcomes[i] = 'later';
          else {
            home.logs[at] = kept;
            changed.add(home);
            outcomes[i] = 'updated';
          }
          continue;
        }
        const differs = `differs from the one stored in ${differingFields(stored, log).join(', ')}`;
        if (copyThatStands(stored, log) === 'stored') {
          const reason = `The copy sent ${differs}; the one stored records as much of the session or more and stands, and the copy sent is kept aside.`;
          outcomes[i] = setAside(log, reason) ? { kept: 'stored', reason } : 'refused';
          continue;
        }
        const reason = `The copy sent ${differs} and records more of the session: it stands, and the one stored before is kept aside.`;
        // The copy sent records more of the session: it stands, and the stored one is set aside first.
        const sameMonth = home.month === month;
        if (sameMonth ? !fits(home) : changed.size + early + 2 > MAX_WRITES_PER_APPEND) {
          outcomes[i] = 'later';
          continue;
        }
        if (!setAside(stored, reason)) {
          outcomes[i] = 'refused';
          continue;
        }
        if (sameMonth) {
          home.logs[at] = log;
          changed.add(home);
          outcomes[i] = { kept: 'sent', reason };
          continue;
        }
        // Out of its old month first, so a crash between leaves it once (set aside, and sent again),
        // never twice.
        home.logs.splice(at, 1);
        where.delete(log.id);
        writePart(home.month, home.n, home.logs);
        early++;
        outcomes[i] = place(log) ? { kept: 'sent', reason } : 'later';
      }
    }
    const order = (a: Part, b: Part) => (a.month < b.month ? -1 : a.month > b.month ? 1 : a.n - b.n);
    for (const part of [...changed].sort(order)) writePart(part.month, part.n, part.logs);
    monthCache = new Map();
    return ok(outcomes);
  }

  /** Every stored log once: where damage left one id in two months, the copy that stands. */
  function all(): SessionLog[] {
    monthCache = new Map();
    const byId = new Map<string, SessionLog>();
    for (const month of foundMonths())
      for (const log of monthLogs(month)) {
        const other = byId.get(log.id);
        if (!other || copyThatStands(other, log) === 'sent') byId.set(log.id, log);
      }
    return [...byId.values()].sort(
      (a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
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
    all,
    months() {
      monthCache = new Map();
      return foundMonths().filter((m) => monthLogs(m).length > 0);
    },
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
    conflicts,
  };
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
