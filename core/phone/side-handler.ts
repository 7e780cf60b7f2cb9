import { openHistory, PHONE_PRESCRIPTION_KEY } from './history';
import type { KeyValueStore } from '../base/kv';
import {
  decodeRequest,
  errorResponse,
  PROTOCOL_VERSION,
  type Rejection,
  type Response,
} from '../link/protocol';
import { isSessionLogId, parseSessionLog } from '../log/session-log';

/**
 * The Side Service's whole answer to one watch request. It keeps nothing in memory between calls (the
 * phone may kill and restart the service at will): every call opens the history over the store.
 * It never throws; the shell passes its result straight back through zml.
 */
export function handleRequest(
  store: KeyValueStore,
  message: unknown,
  now: number,
  appVersion: string,
): Response {
  const decoded = decodeRequest(message);
  if (!decoded.ok) return errorResponse(decoded.error.code, decoded.error.message);
  const request = decoded.value;
  try {
    const history = openHistory(store, { now });
    switch (request.type) {
      case 'ping':
        return { v: PROTOCOL_VERSION, type: 'ping', appVersion, protocol: PROTOCOL_VERSION };
      case 'logs.push': {
        const accepted: string[] = [];
        const known: string[] = [];
        const rejected: Rejection[] = [];
        request.logs.forEach((value, index) => {
          const parsed = parseSessionLog(value);
          if (!parsed.ok) {
            const id =
              typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
            rejected.push({
              id: isSessionLogId(id) ? id : null,
              index,
              reason: parsed.error
                .map((e) => e.message)
                .join(' ')
                .slice(0, 300),
            });
            return;
          }
          const stored = history.append(parsed.value);
          // A storage failure is the phone's problem, not the log's: fail the request so the watch retries.
          if (!stored.ok) throw new Error(stored.error);
          (stored.value === 'accepted' ? accepted : known).push(parsed.value.id);
        });
        return { v: PROTOCOL_VERSION, type: 'logs.push', accepted, known, rejected };
      }
      case 'summary.get':
        return {
          v: PROTOCOL_VERSION,
          type: 'summary.get',
          summary: history.summary(request.now, request.utcOffsetMin),
        };
      case 'prescription.get':
        return { v: PROTOCOL_VERSION, type: 'prescription.get', ...history.prescription() };
      case 'prescription.set': {
        const saved = history.setPrescription(request.prescription, request.baseRevision);
        if (!saved.ok) {
          return saved.error.code === 'conflict'
            ? errorResponse(
                'conflict',
                `The phone's prescription is at revision ${saved.error.current.revision}, not ${request.baseRevision}; fetch it first.`,
              )
            : errorResponse('storage', 'The phone could not save the prescription.');
        }
        return { v: PROTOCOL_VERSION, type: 'prescription.set', ...saved.value };
      }
    }
  } catch (e) {
    return errorResponse(
      'storage',
      `The phone could not complete the request: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** True for the settingsStorage key whose change must be pushed (not history parts, not page state). */
export function isPrescriptionChange(key: unknown): boolean {
  return key === PHONE_PRESCRIPTION_KEY;
}
