import type { KeyValueStore } from './kv';

/**
 * Where a stored value that fails to decode goes instead of being deleted: a person (or a later app
 * version) can still read it, and the count is shown. Bounded so a storm of corruption cannot fill the
 * store: past `MAX_ITEMS` the oldest item goes and `dropped` says how many went.
 */
export interface QuarantineItem {
  readonly key: string;
  readonly raw: string;
  readonly reason: string;
  readonly at: number;
}

export interface Quarantine {
  readonly items: readonly QuarantineItem[];
  readonly dropped: number;
}

const MAX_QUARANTINE_ITEMS = 20;
const MAX_QUARANTINE_RAW = 4000;

export function readQuarantine(store: KeyValueStore, key: string): Quarantine {
  const raw = store.get(key);
  if (raw === undefined) return { items: [], dropped: 0 };
  try {
    const value = JSON.parse(raw) as { items?: unknown; dropped?: unknown };
    const items = Array.isArray(value.items)
      ? value.items.filter(
          (i): i is QuarantineItem =>
            typeof i === 'object' &&
            i !== null &&
            typeof i.key === 'string' &&
            typeof i.raw === 'string' &&
            typeof i.reason === 'string' &&
            typeof i.at === 'number',
        )
      : [];
    const dropped = typeof value.dropped === 'number' && Number.isInteger(value.dropped) ? value.dropped : 0;
    return { items, dropped };
  } catch {
    // The quarantine itself is damaged: keep its text as the first item of a fresh one.
    return {
      items: [{ key, raw: raw.slice(0, MAX_QUARANTINE_RAW), reason: 'quarantine unreadable', at: 0 }],
      dropped: 0,
    };
  }
}

/** Adds one item. Write this BEFORE removing the original, so a crash in between keeps both. */
export function quarantineValue(store: KeyValueStore, key: string, item: QuarantineItem): Quarantine {
  const current = readQuarantine(store, key);
  const items = [...current.items, { ...item, raw: item.raw.slice(0, MAX_QUARANTINE_RAW) }];
  const overflow = Math.max(0, items.length - MAX_QUARANTINE_ITEMS);
  const next = { items: items.slice(overflow), dropped: current.dropped + overflow };
  store.set(key, JSON.stringify(next));
  return next;
}
