import type { KeyValueStore } from './kv';

/**
 * Where a stored value that fails to decode goes instead of being deleted: a person (or a later app
 * version) can still read it, whole, and the count is shown.
 *
 * Layout: one key per item, `<prefix>.<n>` for n = 0 … MAX_ITEMS − 1, each `{"key","reason","at","raw"}`
 * with the value's whole text. Items are found by probing every n (there is no index to go stale, and a
 * key lost from the middle hides none after it), and a new item goes to the first free key, so no write
 * replaces an item. At most MAX_ITEMS:
 * past that nothing is quarantined and the caller leaves the damaged value where it is (a value is only
 * removed or rewritten once its whole text is kept here). An older app version kept a bounded list in
 * the single key `<prefix>`; its items are still read.
 */
export interface QuarantineItem {
  readonly key: string;
  readonly raw: string;
  readonly reason: string;
  readonly at: number;
}

export interface Quarantine {
  readonly items: readonly QuarantineItem[];
  /** No room for another item: damaged values stay where they are. */
  readonly full: boolean;
}

const MAX_ITEMS = 200;

const itemKey = (prefix: string, n: number): string => `${prefix}.${n}`;

function readItem(raw: string, key: string): QuarantineItem {
  try {
    const v = JSON.parse(raw) as Partial<QuarantineItem>;
    if (typeof v.key === 'string' && typeof v.raw === 'string' && typeof v.reason === 'string')
      return { key: v.key, raw: v.raw, reason: v.reason, at: typeof v.at === 'number' ? v.at : 0 };
  } catch {
    // kept as its own text below
  }
  // The item itself is damaged: its text is still what was kept, so it is shown as it is.
  return { key, raw, reason: 'quarantine item unreadable', at: 0 };
}

/** Items of the older single-key layout, if any. */
function legacyItems(store: KeyValueStore, prefix: string): QuarantineItem[] {
  const raw = store.get(prefix);
  if (raw === undefined) return [];
  try {
    const value = JSON.parse(raw) as { items?: unknown };
    if (Array.isArray(value.items)) return value.items.map((i) => readItem(JSON.stringify(i), prefix));
  } catch {
    // falls through
  }
  return [{ key: prefix, raw, reason: 'quarantine unreadable', at: 0 }];
}

export function readQuarantine(store: KeyValueStore, prefix: string): Quarantine {
  const items = legacyItems(store, prefix);
  let free = false;
  for (let n = 0; n < MAX_ITEMS; n++) {
    const raw = store.get(itemKey(prefix, n));
    if (raw === undefined) free = true;
    else items.push(readItem(raw, itemKey(prefix, n)));
  }
  return { items, full: !free };
}

/**
 * Keeps one damaged value, whole. Write it BEFORE removing or rewriting the original, and only go on
 * when this returns true: a crash in between leaves both copies, never neither.
 */
export function quarantineValue(store: KeyValueStore, prefix: string, item: QuarantineItem): boolean {
  for (let n = 0; n < MAX_ITEMS; n++) {
    const key = itemKey(prefix, n);
    if (store.get(key) !== undefined) continue;
    store.set(key, JSON.stringify({ key: item.key, reason: item.reason, at: item.at, raw: item.raw }));
    return true;
  }
  return false;
}

/**
 * Keeps `item` as quarantineValue does, unless an item holding the same text is kept already (a copy
 * set aside twice is kept once). Only items that name `item.key` are decoded. False when it is not kept
 * and there is no room.
 */
export function keepOnce(store: KeyValueStore, prefix: string, item: QuarantineItem): boolean {
  let free: string | undefined;
  for (let n = 0; n < MAX_ITEMS; n++) {
    const key = itemKey(prefix, n);
    const text = store.get(key);
    if (text === undefined) free ??= key;
    else if (text.includes(item.key) && readItem(text, key).raw === item.raw) return true;
  }
  if (free === undefined) return false;
  store.set(free, JSON.stringify({ key: item.key, reason: item.reason, at: item.at, raw: item.raw }));
  return true;
}

/**
 * Moves a damaged value out of the way: kept whole in the quarantine first, then removed from its key.
 * Returns false, leaving the original in place, when the quarantine is full.
 */
export function moveToQuarantine(store: KeyValueStore, prefix: string, item: QuarantineItem): boolean {
  if (!quarantineValue(store, prefix, item)) return false;
  store.remove(item.key);
  return true;
}
