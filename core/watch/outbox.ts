import type { KeyValueStore } from '../base/kv';
import { moveToQuarantine, quarantineValue, readQuarantine, type Quarantine } from '../base/quarantine';
import { err, ok, type Result } from '../base/result';
import {
  copyThatStands,
  countsTowardTarget,
  laterRating,
  sameSessionApartFromPain,
  encodeSessionLog,
  localDate,
  parseSessionLog,
  type SessionLog,
} from '../log/session-log';
import { utf8Length } from '../base/utf8';
import {
  DEFAULT_OUTBOX_CAPACITY,
  levelOf,
  outboxKeys,
  parseIndex,
  readRecent,
  recentDaysOf,
  sessionsOn,
  RECENT_DAYS,
  RECENT_IDS_PER_DAY,
  type Index,
  type IndexEntry,
  type OutboxLevel,
  type Recent,
  type RecentDay,
  type RecentEntry,
  type RejectedEntry,
} from './outbox-peek';

// Where they were read from before the peek existed.
export { sessionsOn };
export type { OutboxLevel, RecentDay };

/**
 * The watch's outbox: every session log waits here, durably, until the phone acknowledges its id.
 *
 * Layout (all values JSON, each key replaced whole):
 *   `<prefix>.slot.<n>`   one log per slot, n in 0..capacity-1: `{"rev":1,"log":{...}}`
 *   `<prefix>.index`      which slots hold which pending or rejected log
 *   `<prefix>.recent`     sessions per local day over the last few days, for "today" with no phone
 *   `<prefix>.quarantine` stored values that failed to decode, kept for a person to read
 *
 * Slots are numbered, not named by id, because the store cannot list its keys: recovery on open reads
 * every slot and reconciles it with the index, so any crash between two writes is repaired:
 *   - append writes the slot, then the index: a crash between leaves a slot the index lacks → adopted;
 *   - acknowledge writes the index, then removes slots: a crash between leaves slots → adopted and
 *     sent again, which the phone answers with "known" (at-least-once, never at-most-once).
 * The object itself holds no state: every call reads the index, so a page and the app may each open one.
 */

export interface OutboxRef {
  readonly id: string;
  /** Bumped on each amendment (a pain rating after the fact), so an ack for an older copy keeps the newer. */
  readonly rev: number;
}

export interface PendingLog extends OutboxRef {
  readonly log: SessionLog;
  /** UTF-8 size of the log's canonical JSON, so batching need not encode it again. */
  readonly bytes: number;
}

export interface RejectedLog {
  readonly id: string;
  readonly reason: string;
}

export interface OutboxStatus {
  readonly pending: number;
  /** Logs the phone refused: kept, counted against capacity, shown, never deleted by the app. */
  readonly rejected: number;
  readonly capacity: number;
  readonly level: OutboxLevel;
  readonly quarantined: number;
}

export type OutboxError =
  | { readonly type: 'full'; readonly capacity: number; readonly message: string }
  | { readonly type: 'storage'; readonly message: string };

export interface RecoveryReport {
  /** Slots holding a log the index did not list (an interrupted append or acknowledge). */
  readonly adopted: readonly string[];
  /** Index entries whose slot was empty (an append interrupted before its slot was written). */
  readonly missing: readonly string[];
  /** Keys whose value failed to decode and was moved to the quarantine key. */
  readonly quarantined: readonly string[];
  readonly indexRebuilt: boolean;
}

export interface Outbox {
  /** Stores the log (or replaces a pending copy with the same id) before returning. */
  append(log: SessionLog): Result<OutboxRef, OutboxError>;
  /** Oldest first, at most `limit`. */
  pending(limit?: number): PendingLog[];
  /** Removes exactly the acknowledged copies; returns the ids that left. */
  acknowledge(refs: readonly OutboxRef[]): Result<string[], OutboxError>;
  /** Parks logs the phone refused, with its reason, out of the send queue. */
  reject(items: readonly (OutboxRef & { readonly reason: string })[]): Result<string[], OutboxError>;
  rejected(): RejectedLog[];
  status(): OutboxStatus;
  recentDays(): RecentDay[];
  quarantine(): Quarantine;
}

export interface OutboxOptions {
  readonly prefix?: string;
  readonly capacity?: number;
  /** Stamps quarantine items. */
  readonly now: number;
}

interface Slot {
  readonly rev: number;
  readonly log: SessionLog;
  readonly bytes?: number;
}

const EMPTY_INDEX: Index = { entries: [], rejected: [] };

export function openOutbox(
  store: KeyValueStore,
  options: OutboxOptions,
): { outbox: Outbox; report: RecoveryReport } {
  const prefix = options.prefix ?? 'outbox';
  const capacity = options.capacity ?? DEFAULT_OUTBOX_CAPACITY;
  const keys = outboxKeys(prefix);
  const report = recover(store, keys, capacity, options.now);

  // Parsing is the cost of every read; the raw text is still read each time, so a cache keyed by it
  // can never serve a stale log.
  const parsedSlots = new Map<string, Slot>();
  const readIndex = (): Index => parseIndex(store.get(keys.index), capacity) ?? EMPTY_INDEX;
  const writeIndex = (index: Index) => store.set(keys.index, JSON.stringify(index));

  /** Reads one slot; a value that no longer decodes is quarantined on the spot, never skipped silently. */
  const readSlot = (slot: number, at: number): Slot | undefined => {
    const raw = store.get(keys.slot(slot));
    if (raw === undefined) return undefined;
    const cached = parsedSlots.get(raw);
    if (cached) return cached;
    const parsed = parseSlot(raw);
    if (parsed.ok) {
      if (parsedSlots.size >= capacity) parsedSlots.clear();
      parsedSlots.set(raw, parsed.value);
      return parsed.value;
    }
    guard(() => {
      // Removed only once its whole text is kept; a full quarantine leaves it in place, skipped.
      if (!moveToQuarantine(store, keys.quarantine, { key: keys.slot(slot), raw, reason: parsed.error, at }))
        return;
      const index = readIndex();
      writeIndex({
        entries: index.entries.filter((e) => e.slot !== slot),
        rejected: index.rejected.filter((e) => e.slot !== slot),
      });
    });
    return undefined;
  };

  const status = (): OutboxStatus => {
    const index = readIndex();
    const used = index.entries.length + index.rejected.length;
    return {
      pending: index.entries.length,
      rejected: index.rejected.length,
      capacity,
      level: levelOf(used, capacity),
      quarantined: readQuarantine(store, keys.quarantine).items.length,
    };
  };

  const outbox: Outbox = {
    append(log) {
      return guard(() => {
        let index = readIndex();
        const listed =
          index.entries.find((e) => e.id === log.id) ?? index.rejected.find((e) => e.id === log.id);
        // The index is a hint: its slot must hold this very log, or be empty, before it is written.
        const prev = listed && readSlot(listed.slot, options.now);
        const existing =
          listed &&
          (prev === undefined ? store.get(keys.slot(listed.slot)) === undefined : prev.log.id === log.id)
            ? listed
            : undefined;
        if (listed && !existing) index = dropSlot(index, listed.slot);
        // Of two copies of one session that differ in more than the rating (logged as interrupted, then
        // logged again after a kill or a resume), the one that records more of it stays (as on the phone).
        if (prev && !sameSessionApartFromPain(prev.log, log) && copyThatStands(prev.log, log) === 'stored')
          return ok({ id: log.id, rev: prev.rev });
        if (existing) {
          const rev = (prev?.rev ?? 0) + 1;
          store.set(keys.slot(existing.slot), encodeSlot({ rev, log }));
          if (index.rejected.some((e) => e.id === log.id)) {
            // An amended copy of a refused log gets another chance.
            writeIndex({
              entries: [...index.entries, { id: log.id, slot: existing.slot }],
              rejected: index.rejected.filter((e) => e.id !== log.id),
            });
          }
          return ok({ id: log.id, rev });
        }
        const used = new Set([...index.entries, ...index.rejected].map((e) => e.slot));
        if (used.size >= capacity) {
          return err({
            type: 'full' as const,
            capacity,
            message: `The watch holds ${capacity} sessions the phone has not received; open the Zepp app to sync.`,
          });
        }
        // The first slot the index leaves free AND that holds nothing: a slot the index forgot (a stale
        // index) is adopted as it is, never written over.
        let slot = -1;
        const adopted: IndexEntry[] = [];
        for (let n = 0; n < capacity && slot < 0; n++) {
          if (used.has(n)) continue;
          if (store.get(keys.slot(n)) === undefined) {
            slot = n;
            continue;
          }
          const found = readSlot(n, options.now);
          if (found && !used.has(n)) adopted.push({ id: found.log.id, slot: n });
          used.add(n);
        }
        if (slot < 0) {
          if (adopted.length > 0)
            writeIndex({ entries: [...index.entries, ...adopted], rejected: index.rejected });
          return err({
            type: 'full' as const,
            capacity,
            message: `The watch holds ${capacity} sessions the phone has not received; open the Zepp app to sync.`,
          });
        }
        store.set(keys.slot(slot), encodeSlot({ rev: 1, log }));
        writeIndex({
          entries: [...index.entries, ...adopted.filter((a) => a.id !== log.id), { id: log.id, slot }],
          rejected: index.rejected,
        });
        writeRecent(store, keys.recent, addToRecent(readRecent(store.get(keys.recent)), log));
        return ok({ id: log.id, rev: 1 });
      });
    },

    pending(limit = Infinity) {
      const index = readIndex();
      const out: PendingLog[] = [];
      for (const entry of [...index.entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
        if (out.length >= limit) break;
        const slot = readSlot(entry.slot, options.now);
        // A slot the index names for another log (a stale index) is not this log's copy.
        if (slot && slot.log.id === entry.id)
          out.push({ id: entry.id, rev: slot.rev, log: slot.log, bytes: slot.bytes ?? 0 });
      }
      return out;
    },

    acknowledge(refs) {
      return guard(() => {
        const index = readIndex();
        const leaving: IndexEntry[] = [];
        for (const ref of refs) {
          const entry = index.entries.find((e) => e.id === ref.id);
          if (!entry || leaving.includes(entry)) continue;
          const copy = readSlot(entry.slot, options.now);
          if (copy?.log.id === ref.id && copy.rev === ref.rev) leaving.push(entry);
        }
        if (leaving.length === 0) return ok([]);
        writeIndex({ entries: index.entries.filter((e) => !leaving.includes(e)), rejected: index.rejected });
        for (const entry of leaving) store.remove(keys.slot(entry.slot));
        return ok(leaving.map((e) => e.id));
      });
    },

    reject(items) {
      return guard(() => {
        const index = readIndex();
        const moved: RejectedEntry[] = [];
        for (const item of items) {
          const entry = index.entries.find((e) => e.id === item.id);
          if (!entry || moved.some((m) => m.id === entry.id)) continue;
          const copy = readSlot(entry.slot, options.now);
          if (copy?.log.id !== item.id || copy.rev !== item.rev) continue;
          moved.push({ ...entry, reason: item.reason.slice(0, 300) });
        }
        if (moved.length === 0) return ok([]);
        writeIndex({
          entries: index.entries.filter((e) => !moved.some((m) => m.id === e.id)),
          rejected: [...index.rejected, ...moved],
        });
        return ok(moved.map((m) => m.id));
      });
    },

    rejected: () => readIndex().rejected.map(({ id, reason }) => ({ id, reason })),
    status,
    recentDays: () => recentDaysOf(readRecent(store.get(keys.recent))),
    quarantine: () => readQuarantine(store, keys.quarantine),
  };
  return { outbox, report };
}

/**
 * Adds the patient's pain rating to a log still waiting in the outbox: the summary page asks before the
 * log is sent. Returns whether the log was found and amended (a log already sent is not changed here).
 */
export function amendPain(store: KeyValueStore, id: string, pain: number, now: number): boolean {
  const { outbox } = openOutbox(store, { now });
  const log = outbox.pending().find((p) => p.id === id)?.log;
  // When it was rated travels with it: of two ratings of one session, the later one stands (laterRating).
  return log !== undefined && outbox.append({ ...log, pain, painAt: now }).ok;
}

function recover(
  store: KeyValueStore,
  keys: { index: string; recent: string; quarantine: string; slot: (n: number) => string },
  capacity: number,
  now: number,
): RecoveryReport {
  const adopted: string[] = [];
  const missing: string[] = [];
  const quarantined: string[] = [];
  let indexRebuilt = false;
  try {
    const rawIndex = store.get(keys.index);
    let index = parseIndex(rawIndex, capacity);
    if (index === undefined) {
      if (rawIndex !== undefined) {
        quarantineValue(store, keys.quarantine, {
          key: keys.index,
          raw: rawIndex,
          reason: 'index unreadable',
          at: now,
        });
        quarantined.push(keys.index);
        indexRebuilt = true;
      }
      index = EMPTY_INDEX;
    }
    const listed = new Map<number, IndexEntry | RejectedEntry>();
    for (const e of [...index.entries, ...index.rejected]) listed.set(e.slot, e);
    // Only this outbox's slots: the count comes from its capacity, never from what a stored value says.
    const lastSlot = capacity - 1;
    const entries: IndexEntry[] = [];
    const rejected: RejectedEntry[] = [];
    const found = new Map<string, { slot: number; listed: boolean; log?: SessionLog }>();
    const toCount: SessionLog[] = [];
    for (let slot = 0; slot <= lastSlot; slot++) {
      const raw = store.get(keys.slot(slot));
      const entry = listed.get(slot);
      if (raw === undefined) {
        if (entry) missing.push(entry.id);
        continue;
      }
      let id: string;
      let log: SessionLog | undefined;
      // Opening must stay cheap on the watch: a listed slot that names its id is trusted here and
      // fully decoded (and quarantined if need be) when it is read to be sent.
      if (entry && raw.includes(`"id":"${entry.id}"`)) id = entry.id;
      else {
        const parsed = parseSlot(raw);
        if (!parsed.ok) {
          const item = { key: keys.slot(slot), raw, reason: parsed.error, at: now };
          // Removed only once its whole text is kept; a full quarantine leaves it in place, skipped.
          if (moveToQuarantine(store, keys.quarantine, item)) quarantined.push(keys.slot(slot));
          continue;
        }
        log = parsed.value.log;
        id = log.id;
      }
      const isListed = entry !== undefined && entry.id === id;
      const twin = found.get(id);
      if (twin) {
        // Two slots, one id: an acknowledge interrupted before its slot was removed, then the log
        // amended into a new slot, or a stale index. Keep the copy with the later rating, else the
        // later revision, else the listed one; the other copy goes only once the kept one is read whole.
        const mine = parseSlot(raw);
        const theirs = parseSlot(store.get(keys.slot(twin.slot)) ?? '');
        if (!mine.ok || !theirs.ok) continue;
        const keepNew = preferred(mine.value, theirs.value, isListed, twin.listed);
        store.remove(keys.slot(keepNew ? twin.slot : slot));
        if (!keepNew) continue;
        removeEntry(entries, rejected, twin.slot);
      }
      found.set(id, { slot, listed: isListed, ...(log ? { log } : {}) });
      if (entry !== undefined && isListed && 'reason' in entry)
        rejected.push({ id, slot, reason: entry.reason });
      else {
        entries.push({ id, slot });
        if (!isListed) {
          adopted.push(id);
          if (log) toCount.push(log);
        }
      }
    }
    const next: Index = { entries, rejected };
    if (indexRebuilt || JSON.stringify(next) !== JSON.stringify(index))
      store.set(keys.index, JSON.stringify(next));

    // The recent-days list is written after the index, so a crash can leave the newest log uncounted:
    // the last listed entry and any adopted slot are the only candidates.
    const newest = index.entries[index.entries.length - 1];
    let recent = readRecent(store.get(keys.recent));
    const counted = (id: string) => recent.days.some((d) => d.ids.includes(id));
    if (newest && found.get(newest.id)?.slot === newest.slot && !counted(newest.id)) {
      const parsed = parseSlot(store.get(keys.slot(newest.slot)) ?? '');
      if (parsed.ok) toCount.push(parsed.value.log);
    }
    const before = JSON.stringify(recent);
    for (const log of toCount) recent = addToRecent(recent, log);
    if (JSON.stringify(recent) !== before) writeRecent(store, keys.recent, recent);
    return { adopted, missing, quarantined, indexRebuilt };
  } catch {
    // A store that throws while opening: report what was seen; nothing was removed without a copy.
    return { adopted, missing, quarantined, indexRebuilt };
  }
}

/** Whether copy `a` of a log is to be kept over copy `b` (see recover). */
function preferred(a: Slot, b: Slot, aListed: boolean, bListed: boolean): boolean {
  if (laterRating(b.log, a.log)) return true;
  if (laterRating(a.log, b.log)) return false;
  if (a.rev !== b.rev) return a.rev > b.rev;
  return aListed && !bListed;
}

/** The index without whatever it lists in `slot`. */
function dropSlot(index: Index, slot: number): Index {
  return {
    entries: index.entries.filter((e) => e.slot !== slot),
    rejected: index.rejected.filter((e) => e.slot !== slot),
  };
}

function removeEntry(entries: IndexEntry[], rejected: RejectedEntry[], slot: number): void {
  const i = entries.findIndex((e) => e.slot === slot);
  if (i >= 0) entries.splice(i, 1);
  const j = rejected.findIndex((e) => e.slot === slot);
  if (j >= 0) rejected.splice(j, 1);
}

function guard<T>(body: () => Result<T, OutboxError>): Result<T, OutboxError>;
function guard(body: () => void): void;
function guard<T>(body: () => Result<T, OutboxError> | void): Result<T, OutboxError> | void {
  try {
    return body();
  } catch (e) {
    return err({
      type: 'storage',
      message: `Watch storage failed: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
}

function encodeSlot(slot: Slot): string {
  return `{"rev":${slot.rev},"log":${encodeSessionLog(slot.log)}}`;
}

function parseSlot(raw: string): Result<Slot, string> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return err('slot is not JSON');
  }
  if (typeof value !== 'object' || value === null) return err('slot is not an object');
  const { rev, log } = value as { rev?: unknown; log?: unknown };
  if (typeof rev !== 'number' || !Number.isInteger(rev) || rev < 1) return err('slot has no revision');
  const parsed = parseSessionLog(log);
  if (!parsed.ok) return err(`slot log invalid: ${parsed.error.map((e) => e.message).join(' ')}`);
  return ok({ rev, log: parsed.value, bytes: utf8Length(encodeSessionLog(parsed.value)) });
}

function writeRecent(store: KeyValueStore, key: string, recent: Recent): void {
  store.set(key, JSON.stringify(recent));
}

function addToRecent(recent: Recent, log: SessionLog): Recent {
  const date = localDate(log);
  const day = recent.days.find((d) => d.date === date) ?? { date, ids: [], counted: [] };
  if (day.ids.includes(log.id) || day.ids.length >= RECENT_IDS_PER_DAY) return recent;
  const next: RecentEntry = {
    date,
    ids: [...day.ids, log.id],
    counted: countsTowardTarget(log) ? [...day.counted, log.id] : day.counted,
  };
  // Newest days win: a late, old log cannot push today out.
  const days = [...recent.days.filter((d) => d.date !== date), next]
    .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))
    .slice(0, RECENT_DAYS);
  return { days };
}
