import type { KeyValueStore } from '../base/kv';
import { err, ok, type Result } from '../base/result';
import {
  batchLogs,
  isPrescriptionRef,
  prescriptionRef,
  decodeRequest,
  errorResponse,
  PROTOCOL_VERSION,
  type AnswerOf,
  type Conflict,
  type ProtocolError,
  type PushAnswer,
  type Rejection,
  type Request,
  type RequestOf,
  type RequestType,
  type Response,
} from '../link/protocol';
import {
  dayOf,
  isLogTime,
  isSessionLogId,
  isUtcOffset,
  parseSessionLog,
  type SessionLog,
} from '../log/session-log';
import {
  DEFAULT_PRESCRIPTION,
  parsePrescription,
  samePrescription,
  type Prescription,
} from '../plan/prescription';
import { plainLog } from '../log/plain-text';
import { markForClinic } from './clinic-queue';
import { keepProfile } from './watch-profiles';
import { readProfile } from '../link/watch-profile';
import { openHistory, PHONE_PRESCRIPTION_KEY, type History } from './history';

/** The phone as a handler sees it. */
interface Phone {
  readonly history: History;
  readonly appVersion: string;
  /** The phone's clock: a session starting well after it is from a broken clock. */
  readonly now: number;
  /** settingsStorage: the clinic's queue is marked there before the history stores (clinic-queue). */
  readonly store: KeyValueStore;
}

type Handler<M extends RequestType> = (
  request: RequestOf<M>,
  phone: Phone,
) => Result<AnswerOf<M>, ProtocolError>;

/**
 * How the phone answers each request of core/link/protocol's RequestFields: one key per method, so a request
 * added there without its handler here fails the type check.
 */
const HANDLERS: { readonly [M in RequestType]: Handler<M> } = {
  ping: (_, phone) => ok({ appVersion: phone.appVersion, protocol: PROTOCOL_VERSION }),

  'logs.push': ({ logs }, phone) =>
    storeLogs(
      logs.map((log) => ok(log)),
      phone,
    ),

  'logs.batch': (batch, phone) => {
    const carried: Prescription[] = [];
    for (const p of batch.rx ?? []) {
      const parsed = parsePrescription(p);
      if (!parsed.ok)
        return err({
          code: 'invalid',
          message: `logs.batch: a prescription in "rx" is invalid: ${parsed.error[0]?.message}`,
        });
      carried.push(parsed.value);
    }
    const refs = batchLogs(batch);
    const needed = new Set<string>();
    for (const r of refs)
      if (r.ok && isPrescriptionRef(r.value.prescription)) needed.add(r.value.prescription);
    const found = prescriptionsByRef(needed, carried, () => storedPrescriptions(refs, phone.history));
    const missing = [...needed].filter((ref) => !found.has(ref));
    if (missing.length > 0)
      return err({
        code: 'prescription_needed',
        message: `The phone holds no single prescription for ${missing.join(', ')}; send the batch with its prescriptions in "rx".`,
      });
    return storeLogs(
      batchLogs(batch, (ref) => found.get(ref)),
      phone,
    );
  },

  'summary.get': ({ now, utcOffsetMin }, { history }) => ok({ summary: history.summary(now, utcOffsetMin) }),

  'prescription.get': (_, { history }) => ok(history.prescription()),

  'prescription.set': ({ prescription, baseRevision }, { history }) => {
    const saved = history.setPrescription(prescription, baseRevision);
    if (saved.ok) return saved;
    return saved.error.code === 'conflict'
      ? err({
          code: 'conflict',
          message: `The phone's prescription is at revision ${saved.error.current.revision}, not ${baseRevision}; fetch it first.`,
        })
      : err({ code: 'storage', message: 'The phone could not save the prescription.' });
  },

  'profile.put': ({ profile }, { store }) => {
    const read = readProfile(profile);
    if (!read.ok) return err({ code: 'invalid', message: `profile.put: ${read.error.replace(/\.$/, '')}.` });
    try {
      keepProfile(store, read.value);
      return ok({ kept: true });
    } catch {
      return err({ code: 'storage', message: 'The phone could not keep the watch profile.' });
    }
  },
};

/**
 * The prescriptions a batch's references stand for, among those it carries and then those the phone
 * holds (`stored`, read only if the carried ones do not answer every reference). A reference two
 * different prescriptions share is answered by neither: the phone cannot tell which one the watch
 * meant, so it asks for them whole, and one carried whole is taken over any stored one.
 */
export function prescriptionsByRef(
  needed: ReadonlySet<string>,
  carried: readonly Prescription[],
  stored: () => Iterable<Prescription>,
  refOf: (p: Prescription) => string = prescriptionRef,
): Map<string, Prescription> {
  const collect = (list: Iterable<Prescription>) => {
    const by = new Map<string, Prescription | null>();
    for (const p of list) {
      const ref = refOf(p);
      if (!needed.has(ref)) continue;
      const had = by.get(ref);
      by.set(ref, had === undefined || (had !== null && samePrescription(had, p)) ? p : null);
    }
    return by;
  };
  const found = new Map<string, Prescription>();
  const fromRx = collect(carried);
  for (const ref of needed) {
    const p = fromRx.get(ref);
    if (p) found.set(ref, p);
  }
  if (found.size === needed.size) return found;
  const fromStore = collect(stored());
  for (const ref of needed) {
    const p = fromStore.get(ref);
    if (!found.has(ref) && fromRx.get(ref) !== null && p) found.set(ref, p);
  }
  return found;
}

/**
 * What the phone holds that a watch's log may name: the defaults, the current prescription, and the
 * prescriptions of the stored logs of each log's month and the month before (where the watch's last
 * prescription is, unless the phone's data was cleared: then it asks for it whole). All of them, not
 * just the first that answers, so two that share a reference are found; the months read are the ones
 * the append reads next anyway.
 */
function* storedPrescriptions(
  logs: readonly Result<Record<string, unknown>, unknown>[],
  history: History,
): Generator<Prescription> {
  yield DEFAULT_PRESCRIPTION;
  yield history.prescription().prescription;
  const months = new Set<string>();
  for (const r of logs) {
    if (!r.ok) continue;
    const { startedAt, utcOffsetMin } = r.value;
    // Only a time a log may hold names a month (a hostile one could not even be turned into a date).
    if (!isLogTime(startedAt) || !isUtcOffset(utcOffsetMin)) continue;
    const month = dayOf(startedAt as number, utcOffsetMin as number).slice(0, 7);
    months.add(month);
    months.add(monthBefore(month));
  }
  for (const month of months) for (const log of history.month(month)) yield log.prescription;
}

function monthBefore(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/**
 * Validates each log on its own (one bad log, or one that cannot even be read, does not sink its batch)
 * and appends the valid ones in one pass: at most MAX_WRITES_PER_APPEND part writes. A log the pass left
 * `later` is in no list of the answer, so the watch sends it again at once. A storage failure is the
 * phone's problem, not the logs': the request fails and the watch sends them again. The phone's clock
 * judges no log: it may be the wrong one (a log's own checks are in parseSessionLog).
 */
function storeLogs(
  logs: readonly Result<unknown, { readonly id: string | null; readonly reason: string }>[],
  { history, store, now }: Phone,
): Result<PushAnswer, ProtocolError> {
  const valid: SessionLog[] = [];
  // The index in the request of each valid log.
  const at: number[] = [];
  const rejected: Rejection[] = [];
  logs.forEach((entry, index) => {
    try {
      if (!entry.ok)
        return void rejected.push({ ...entry.error, index, reason: entry.error.reason.slice(0, 300) });
      const value = entry.value;
      // Free text made plain where it enters: the exports take it as it is stored.
      const parsed = parseSessionLog(plainLog(value));
      if (parsed.ok) return void (valid.push(parsed.value), at.push(index));
      const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
      const why = parsed.error.map((e) => e.message).join(' ');
      rejected.push({ id: isSessionLogId(id) ? id : null, index, reason: why.slice(0, 300) });
    } catch (e) {
      const what = e instanceof Error ? e.message : String(e);
      rejected.push({ id: null, index, reason: `Log ${index} could not be read: ${what}`.slice(0, 300) });
    }
  });
  markForClinic(store, valid, now);
  const stored = history.appendAll(valid);
  if (!stored.ok)
    return err({ code: 'storage', message: `The phone could not complete the request: ${stored.error}` });
  const accepted: string[] = [];
  const known: string[] = [];
  const conflicts: Conflict[] = [];
  stored.value.forEach((outcome, i) => {
    const id = valid[i]!.id;
    if (outcome === 'accepted') accepted.push(id);
    else if (outcome === 'known' || outcome === 'updated') known.push(id);
    else if (outcome === 'refused')
      rejected.push({
        id,
        index: at[i]!,
        reason: 'The phone holds another copy of this session and has no room left to keep this one aside.',
      });
    else if (outcome !== 'later') {
      known.push(id);
      conflicts.push({ id, kept: outcome.kept, reason: outcome.reason.slice(0, 300) });
    }
  });
  return ok({ accepted, known, rejected, ...(conflicts.length > 0 ? { conflicts } : {}) });
}

/** The answer to a decoded request, or the error answer its handler gave. */
function answer(request: Request, phone: Phone): Response {
  const handle = HANDLERS[request.type] as Handler<RequestType>;
  const answered = handle(request as RequestOf<RequestType>, phone);
  return answered.ok
    ? ({ v: PROTOCOL_VERSION, type: request.type, ...answered.value } as Response)
    : errorResponse(answered.error.code, answered.error.message);
}

/**
 * The Side Service's whole answer to one watch request. It keeps nothing in memory between calls (the
 * phone may kill and restart the service at will): every call opens the history over the store. It
 * never throws; the shell passes its result straight back through zml.
 */
export function handleRequest(
  store: KeyValueStore,
  message: unknown,
  now: number,
  appVersion: string,
): Response {
  const decoded = decodeRequest(message);
  if (!decoded.ok) return errorResponse(decoded.error.code, decoded.error.message);
  try {
    return answer(decoded.value, { history: openHistory(store, { now }), appVersion, now, store });
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
