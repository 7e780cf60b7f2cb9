import { decodeAnswer, PROTOCOL_VERSION, readRecord, type PrescriptionRecord } from './protocol';

/**
 * The phone telling the watch, unasked, that the prescription changed (zml `call`: no answer, may be
 * lost). The payload is the very answer `prescription.get` gives, so the watch validates it with the
 * same decoder and keeps it with the same rule (newer revision wins). If it is lost, the watch's own
 * `prescription.get` at its next start fetches the same record.
 */
export const PRESCRIPTION_PUSH_METHOD = 'prescription.changed';

export interface PrescriptionPush {
  readonly method: typeof PRESCRIPTION_PUSH_METHOD;
  readonly params: {
    readonly v: typeof PROTOCOL_VERSION;
    readonly type: 'prescription.get';
  } & PrescriptionRecord;
}

export function prescriptionPush(record: PrescriptionRecord): PrescriptionPush {
  return {
    method: PRESCRIPTION_PUSH_METHOD,
    params: { v: PROTOCOL_VERSION, type: 'prescription.get', ...record },
  };
}

/** The record a push carries, or null for anything else zml delivers to onCall. Never throws. */
export function readPrescriptionPush(data: unknown): PrescriptionRecord | null {
  try {
    if (typeof data !== 'object' || data === null) return null;
    const { method, params } = data as { method?: unknown; params?: unknown };
    if (method !== PRESCRIPTION_PUSH_METHOD) return null;
    const answer = decodeAnswer(params, 'prescription.get', readRecord);
    if (!answer.ok) return null;
    const { revision, prescription } = answer.value;
    return { revision, prescription };
  } catch {
    return null;
  }
}
