import type { KeyValueStore } from '../base/kv';
import { keepOnce } from '../base/quarantine';
import { fnv1a48 } from '../link/protocol';
import { encodeSessionLog, localDate, type SessionLog } from '../log/session-log';
import { asFields, CLINIC_KEYS } from './clinic-link';

/**
 * What the clinic has of the history, and what it still needs. The phone's history is never written
 * here: the queue is two kinds of keys of its own beside it.
 *
 * - `clinic.todo`: the months that may hold a log the clinic lacks, each with a stamp that grows at
 *   every mark, and `scan` (look at every month: set at sign-in). The Side Service marks a log's month
 *   before the history stores it, so a crash between leaves a month looked at for nothing, never a log
 *   unsent; a month is dropped only with the stamp it was read at, so a log stored while its month was
 *   being sent marks it again.
 * - `clinic.sent.<ledger>.<YYYY-MM>`: per session id of that month, the fingerprint of the copy the
 *   clinic took (`f`) and when (`t`), or the copy it refused, with the HTTP status (`s`) and the
 *   server's message (`m`). A log is unsent when its fingerprint is not there: a new log, or one the
 *   watch amended (a pain rating given later), which the conditional creates add without doubling.
 *   The ledger is per server and patient (`ledgerId`).
 *
 * A sending loop holds at most one month of logs in memory.
 */

export const LEDGER_PREFIX = 'clinic.sent';
/** Where an unreadable ledger or todo value is kept whole before it is replaced. */
export const CLINIC_QUARANTINE = 'clinic.quarantine';

export interface Todo {
  readonly scan: boolean;
  readonly months: Readonly<Record<string, number>>;
}

export interface LedgerEntry {
  /** Fingerprint of the copy sent. */
  readonly f: string;
  /** When the clinic answered (phone time, ms). */
  readonly t: number;
  /** Refused: the HTTP status, and the server's own words. */
  readonly s?: number;
  readonly m?: string;
}
export type Ledger = Readonly<Record<string, LedgerEntry>>;

const MONTH = /^\d{4}-\d{2}$/;

/** A log's fingerprint: any change to what is stored of it gives another. */
export const fingerprint = (log: SessionLog): string => fnv1a48(encodeSessionLog(log));

export const monthOf = (log: SessionLog): string => localDate(log).slice(0, 7);

export const ledgerKey = (ledger: string, month: string): string => `${LEDGER_PREFIX}.${ledger}.${month}`;

/** Reads a value, keeping it whole in the quarantine when it does not read (then taken as empty). */
function readOrKeep<T>(
  store: KeyValueStore,
  key: string,
  at: number,
  read: (f: Record<string, unknown>) => T | undefined,
): T | undefined {
  const raw = store.get(key);
  if (raw === undefined) return undefined;
  const fields = asFields(raw) as Record<string, unknown> | undefined;
  const value = fields ? read(fields) : undefined;
  if (value === undefined)
    keepOnce(store, CLINIC_QUARANTINE, { key, raw, reason: 'not a clinic record', at });
  return value;
}

export function readTodo(store: KeyValueStore, at = 0): Todo {
  const todo = readOrKeep(store, CLINIC_KEYS.todo, at, (f) => {
    const months: Record<string, number> = {};
    const m = f.months;
    if (typeof m !== 'object' || m === null) return undefined;
    for (const [k, v] of Object.entries(m)) if (MONTH.test(k) && typeof v === 'number') months[k] = v;
    return { scan: f.scan === true, months };
  });
  // An unreadable todo is read as "look at everything": the cost is a scan, never a log unsent.
  return todo ?? { scan: store.get(CLINIC_KEYS.todo) !== undefined, months: {} };
}

function writeTodo(store: KeyValueStore, todo: Todo): void {
  store.set(CLINIC_KEYS.todo, JSON.stringify(todo));
}

/** Marks the months of logs about to be stored, if a patient is signed in (else sign-in scans all). */
export function markForClinic(store: KeyValueStore, logs: readonly SessionLog[], at: number): void {
  if (logs.length === 0 || store.get(CLINIC_KEYS.token) === undefined) return;
  const todo = readTodo(store, at);
  const months = { ...todo.months };
  for (const m of new Set(logs.map(monthOf))) months[m] = (months[m] ?? 0) + 1;
  writeTodo(store, { scan: todo.scan, months });
}

/** The scan is done: every month with data is to be looked at. */
export function scanned(store: KeyValueStore, found: readonly string[], at: number): void {
  const todo = readTodo(store, at);
  const months = { ...todo.months };
  for (const m of found) months[m] = (months[m] ?? 0) + 1;
  writeTodo(store, { scan: false, months });
}

/** A month holds nothing unsent, as read at `stamp`; marked again since, it stays. */
export function monthDone(store: KeyValueStore, month: string, stamp: number, at: number): void {
  const todo = readTodo(store, at);
  if (todo.months[month] !== stamp) return;
  const months = { ...todo.months };
  delete months[month];
  writeTodo(store, { scan: todo.scan, months });
}

export function readLedger(store: KeyValueStore, ledger: string, month: string, at = 0): Ledger {
  return (
    readOrKeep(store, ledgerKey(ledger, month), at, (f) => {
      const out: Record<string, LedgerEntry> = {};
      for (const [id, e] of Object.entries(f)) {
        const v = e as Partial<LedgerEntry> | null;
        if (typeof v !== 'object' || v === null || typeof v.f !== 'string' || typeof v.t !== 'number')
          continue;
        out[id] = {
          f: v.f,
          t: v.t,
          ...(typeof v.s === 'number' ? { s: v.s } : {}),
          ...(typeof v.m === 'string' ? { m: v.m } : {}),
        };
      }
      return out;
    }) ?? {}
  );
}

/** Records what the clinic answered for one session (one write: the month's ledger, whole). */
export function record(
  store: KeyValueStore,
  ledger: string,
  month: string,
  id: string,
  entry: LedgerEntry,
): void {
  const current = readLedger(store, ledger, month, entry.t);
  store.set(ledgerKey(ledger, month), JSON.stringify({ ...current, [id]: entry }));
}

/** The logs of a month the clinic lacks, oldest first: neither taken nor refused as they are now. */
export function unsent(logs: readonly SessionLog[], ledger: Ledger): SessionLog[] {
  return logs.filter((log) => ledger[log.id]?.f !== fingerprint(log));
}

/**
 * The patient asks to send the refused sessions again (after the clinic fixed its side): their
 * entries go and their months are looked at again. Nothing is retried without this.
 */
export function forgetRefused(
  store: KeyValueStore,
  ledger: string,
  months: readonly string[],
  at: number,
): void {
  const again: string[] = [];
  for (const month of new Set(months)) {
    const current = readLedger(store, ledger, month, at);
    const kept = Object.fromEntries(Object.entries(current).filter(([, e]) => e.s === undefined));
    if (Object.keys(kept).length === Object.keys(current).length) continue;
    store.set(ledgerKey(ledger, month), JSON.stringify(kept));
    again.push(month);
  }
  scanned(store, again, at);
}

export interface RefusedSession {
  readonly log: SessionLog;
  readonly status: number;
  readonly message: string;
  readonly at: number;
}

/** What the Settings page says of the clinic: sent, waiting, refused and why. */
export interface ClinicReport {
  readonly sent: number;
  readonly lastSentAt?: number;
  readonly waiting: number;
  readonly refused: readonly RefusedSession[];
}

export function clinicReport(
  store: KeyValueStore,
  ledger: string,
  logs: readonly SessionLog[],
): ClinicReport {
  const byMonth = new Map<string, SessionLog[]>();
  for (const log of logs) {
    const m = monthOf(log);
    const list = byMonth.get(m);
    if (list) list.push(log);
    else byMonth.set(m, [log]);
  }
  let sent = 0;
  let waiting = 0;
  let lastSentAt: number | undefined;
  const refused: RefusedSession[] = [];
  for (const [month, list] of byMonth) {
    const ledgerOfMonth = readLedger(store, ledger, month);
    for (const log of list) {
      const e = ledgerOfMonth[log.id];
      if (e === undefined || e.f !== fingerprint(log)) waiting++;
      else if (e.s !== undefined) refused.push({ log, status: e.s, message: e.m ?? '', at: e.t });
      else {
        sent++;
        if (lastSentAt === undefined || e.t > lastSentAt) lastSentAt = e.t;
      }
    }
  }
  return { sent, waiting, refused, ...(lastSentAt !== undefined ? { lastSentAt } : {}) };
}
