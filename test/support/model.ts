import { encodeSessionLog, parseSessionLog } from '../../core/log/session-log';
import type { FaultyStore } from './faulty-store';

/** What the model-based storage tests share (test/core/history-model.test.ts, test/core/outbox-model.test.ts). */

/** Steps per seed; MODEL_STEPS overrides it (a longer run by hand). */
export const STEPS = Number(process.env.MODEL_STEPS ?? 10_000);

/** A plain check: expect() is far too slow to call for every log on every step. */
export function check(condition: boolean, message: string | (() => string)): void {
  if (!condition) throw new Error(typeof message === 'string' ? message : message());
}

export const pick = <T>(random: () => number, list: readonly T[]): T =>
  list[Math.floor(random() * list.length)] as T;

/** The versions of `id` a stored value holds (a JSON list of logs, a slot, a log, or anything else). */
export function versionsIn(value: string, id: string): string[] {
  if (!value.includes(id)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [];
  }
  const candidates = Array.isArray(parsed) ? parsed : [(parsed as { log?: unknown } | null)?.log ?? parsed];
  return candidates.flatMap((c) => {
    const log = parseSessionLog(c);
    return log.ok && log.value.id === id ? [encodeSessionLog(log.value)] : [];
  });
}

/** The log ids a stored text names, wherever they stand in it. */
export function idsIn(text: string): Set<string> {
  return new Set(text.match(/[0-9a-z]{9}-[0-9a-hjkmnp-tv-z]{10}/g) ?? []);
}

/** Every stored text as a reader finds it: a quarantine or set-aside item's kept value decoded from its record. */
export function texts(store: FaultyStore): string[] {
  return store.keys().map((k) => {
    const v = store.peek(k) as string;
    if (!k.includes('quarantine') && !k.includes('conflicts')) return v;
    try {
      const raw = (JSON.parse(v) as { raw?: unknown }).raw;
      return typeof raw === 'string' ? raw : v;
    } catch {
      return v;
    }
  });
}
