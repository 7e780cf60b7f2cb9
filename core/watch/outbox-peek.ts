import type { KeyValueStore } from '../base/kv';
import { isSessionLogId } from '../log/session-log';

/**
 * The outbox's two small keys read as they are: what a page that only shows the outbox needs (home's
 * "n sessions not sent yet", today's count, the streak; the reminders' "target met today"), without the
 * outbox's slots, its recovery or the log codec (core/watch/outbox.ts, which reads and writes them).
 * A peek writes nothing: after a crash between two outbox writes it may count one log short until a page
 * that opens the outbox (one that logs or syncs) has repaired it.
 */

export const DEFAULT_OUTBOX_CAPACITY = 100;
/** The home screen warns from this share of capacity on, long before anything is refused. */
const FILLING_SHARE = 0.75;
export const RECENT_DAYS = 8;
/** Per day; far above any real day, there only so the key stays small whatever happens. */
export const RECENT_IDS_PER_DAY = 40;

export const outboxKeys = (prefix = 'outbox') => ({
  index: `${prefix}.index`,
  recent: `${prefix}.recent`,
  quarantine: `${prefix}.quarantine`,
  slot: (n: number) => `${prefix}.slot.${n}`,
});

export interface IndexEntry {
  readonly id: string;
  readonly slot: number;
}
export interface RejectedEntry extends IndexEntry {
  readonly reason: string;
}
export interface Index {
  readonly entries: readonly IndexEntry[];
  readonly rejected: readonly RejectedEntry[];
}
/** Ids rather than counts, so adding the same log twice (a retried append, recovery) counts it once. */
export interface RecentEntry {
  readonly date: string;
  readonly ids: readonly string[];
  readonly counted: readonly string[];
}
export interface Recent {
  readonly days: readonly RecentEntry[];
}

export type OutboxLevel = 'ok' | 'filling' | 'full';

export interface RecentDay {
  readonly date: string;
  /** Every session logged that day, whatever its outcome. */
  readonly sessions: number;
  /** Sessions that count toward the daily target. */
  readonly counted: number;
}

export function levelOf(used: number, capacity: number): OutboxLevel {
  return used >= capacity ? 'full' : used >= capacity * FILLING_SHARE ? 'filling' : 'ok';
}

export const recentDaysOf = (recent: Recent): RecentDay[] =>
  recent.days.map((d) => ({ date: d.date, sessions: d.ids.length, counted: d.counted.length }));

/** Sessions logged on `date` according to the watch's own recent history. */
export function sessionsOn(days: readonly RecentDay[], date: string): RecentDay {
  return days.find((d) => d.date === date) ?? { date, sessions: 0, counted: 0 };
}

export interface OutboxPeek {
  /**
   * Logs waiting for the phone and how full the outbox is; null when the index does not read (a page
   * that opens the outbox rebuilds it from the slots): nothing is claimed then.
   */
  readonly queue: { readonly pending: number; readonly level: OutboxLevel } | null;
  /** Sessions per local day over the last few days, newest first. */
  readonly recentDays: readonly RecentDay[];
}

/** Reads the outbox's index and recent days, writing nothing. */
export function peekOutbox(
  store: KeyValueStore,
  prefix?: string,
  capacity: number = DEFAULT_OUTBOX_CAPACITY,
): OutboxPeek {
  const keys = outboxKeys(prefix);
  const raw = store.get(keys.index);
  // No index yet: nothing was ever logged, or the first log's index write was cut short (then its slot
  // waits for the next page that opens the outbox).
  const index = raw === undefined ? { entries: [], rejected: [] } : parseIndex(raw, capacity);
  return {
    queue: index
      ? {
          pending: index.entries.length,
          level: levelOf(index.entries.length + index.rejected.length, capacity),
        }
      : null,
    recentDays: recentDaysOf(readRecent(store.get(keys.recent))),
  };
}

/** The index, if it is readable and lists only slots of this outbox, each once: else it is rebuilt. */
export function parseIndex(raw: string | undefined, capacity: number): Index | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(raw) as { entries?: unknown; rejected?: unknown };
    if (!Array.isArray(value.entries) || !Array.isArray(value.rejected)) return undefined;
    const isEntry = (e: unknown): e is IndexEntry =>
      typeof e === 'object' &&
      e !== null &&
      isSessionLogId((e as IndexEntry).id) &&
      Number.isInteger((e as IndexEntry).slot) &&
      (e as IndexEntry).slot >= 0 &&
      (e as IndexEntry).slot < capacity;
    if (!value.entries.every(isEntry)) return undefined;
    if (!value.rejected.every((e) => isEntry(e) && typeof (e as RejectedEntry).reason === 'string'))
      return undefined;
    const all = [...value.entries, ...value.rejected] as IndexEntry[];
    if (
      new Set(all.map((e) => e.slot)).size !== all.length ||
      new Set(all.map((e) => e.id)).size !== all.length
    )
      return undefined;
    return { entries: value.entries, rejected: value.rejected as RejectedEntry[] };
  } catch {
    return undefined;
  }
}

export function readRecent(raw: string | undefined): Recent {
  if (raw === undefined) return { days: [] };
  try {
    const value = JSON.parse(raw) as { days?: unknown };
    const ids = (x: unknown): x is string[] => Array.isArray(x) && x.every(isSessionLogId);
    const days = Array.isArray(value.days)
      ? value.days
          .slice(0, RECENT_DAYS)
          .filter(
            (d): d is RecentEntry =>
              typeof d === 'object' &&
              d !== null &&
              typeof d.date === 'string' &&
              ids(d.ids) &&
              ids(d.counted) &&
              d.ids.length <= RECENT_IDS_PER_DAY &&
              d.counted.length <= d.ids.length,
          )
      : [];
    return { days };
  } catch {
    // A convenience copy: the logs themselves are in the slots and on the phone; start it afresh.
    return { days: [] };
  }
}
