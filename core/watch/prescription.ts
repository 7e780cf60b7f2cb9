import type { KeyValueStore } from '../base/kv';
import { DEFAULT_PRESCRIPTION, parsePrescription } from '../plan/prescription';
import type { PrescriptionRecord } from '../link/protocol';
import { moveToQuarantine } from '../base/quarantine';

/** The watch's copy of the phone's prescription, with the phone's revision number. */
export const PRESCRIPTION_KEY = 'prescription';
/** Where a copy that cannot be read goes, to be looked at rather than lost. */
export const WATCH_QUARANTINE_KEY = 'quarantine';

const DEFAULT_RECORD: PrescriptionRecord = { revision: 0, prescription: DEFAULT_PRESCRIPTION };

/**
 * The prescription the next session uses. A missing copy means the defaults (revision 0); a corrupt one
 * is quarantined and the defaults are used, so a broken byte never stops a session from starting.
 */
export function loadPrescription(store: KeyValueStore, now: number): PrescriptionRecord {
  const raw = store.get(PRESCRIPTION_KEY);
  if (raw === undefined) return DEFAULT_RECORD;
  let reason: string;
  try {
    const value = JSON.parse(raw) as { revision?: unknown; prescription?: unknown };
    const p = parsePrescription(value.prescription);
    if (Number.isSafeInteger(value.revision) && (value.revision as number) >= 0 && p.ok) {
      return { revision: value.revision as number, prescription: p.value };
    }
    reason = p.ok ? 'revision is not a whole number ≥ 0' : p.error.map((e) => e.message).join(' ');
  } catch {
    reason = 'not valid JSON';
  }
  moveToQuarantine(store, WATCH_QUARANTINE_KEY, { key: PRESCRIPTION_KEY, raw, reason, at: now });
  return DEFAULT_RECORD;
}

/**
 * Keeps a record the phone sent if it is newer than ours. Returns whether it changed anything. A
 * running session is not affected: it carries the prescription it started with.
 */
export function savePrescription(store: KeyValueStore, record: PrescriptionRecord, now: number): boolean {
  const current = loadPrescription(store, now);
  if (record.revision <= current.revision && current.revision !== 0) return false;
  const checked = parsePrescription(record.prescription);
  if (!checked.ok) return false;
  store.set(PRESCRIPTION_KEY, JSON.stringify({ revision: record.revision, prescription: checked.value }));
  return true;
}
