import { err, ok, type Result } from '../base/result';
import { decodeUtf8, utf8Length } from '../base/utf8';
import { LOG_FIELDS, type FirstFieldName, type LogFields } from '../log/fields';
import {
  isLogTime,
  isSessionLogId,
  isUtcOffset,
  OUTCOMES,
  repairSentence,
  type Outcome,
} from '../log/session-log';
import { MAX_STREAK_DAYS, MONITORING_DAYS_NEEDED, type DayTally, type Summary } from '../log/stats';
import { BOUNDS, parsePrescription, type Prescription } from '../plan/prescription';
import { none } from '../base/none';

/**
 * Watch ↔ phone messages, carried as JSON by zml `request` (the watch asks, the Side Service answers).
 * Every request is one entry of RequestFields and AnswerFields: how the phone reads it (READ_REQUEST), how
 * it answers it (core/phone/side-handler), and how the watch reads the answer (READ_ANSWER). Both sides validate everything on arrival; decoding never throws and answers
 * malformed input with a typed error.
 *
 * On the wire a request is `{"v":1,"type":<method>, ...its fields}` and its answer
 * `{"v":1,"type":<method>, ...the answer's fields}`, or `{"v":1,"type":"error",code,message,supported}`.
 */
export const PROTOCOL_VERSION = 1;
const SUPPORTED_VERSIONS: readonly number[] = [PROTOCOL_VERSION];

/** zml 0.0.43 splits every message into 3,584-byte chunks (66 of them its own header: 3,518 of data). */
export const ZML_CHUNK_BYTES = 3584;
/** zml's default request timeout; a batch must be small enough never to come near it. */
export const REQUEST_TIMEOUT_MS = 60_000;
/**
 * One logs.push request at most this many bytes of JSON: three zml chunks less room for zml's own
 * `"jsonrpc":"hmrpcv1"` wrapper, so a batch is ~3 BLE round trips and a lost one costs little to resend.
 */
export const BATCH_BUDGET_BYTES = 10_240;
/** The phone refuses bigger pushes outright; far above what the watch sends, far below a memory problem. */
export const MAX_LOGS_PER_PUSH = 200;

const ERROR_CODES = [
  'not_json',
  'malformed',
  'unsupported_version',
  'unknown_type',
  'invalid',
  'conflict',
  'storage',
  /** logs.batch with a column list the phone does not know: the watch sends logs.push instead. */
  'unknown_columns',
  /** logs.batch naming a prescription the phone does not hold: the watch sends the batch with it whole. */
  'prescription_needed',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ProtocolError {
  readonly code: ErrorCode;
  readonly message: string;
}

export interface Rejection {
  /** The log's id when it had a readable one; null otherwise. */
  readonly id: string | null;
  readonly index: number;
  readonly reason: string;
}

export interface PrescriptionRecord {
  /** 0 until someone saves one; each save adds one. */
  readonly revision: number;
  readonly prescription: Prescription;
}

type Fields = Readonly<Record<string, unknown>>;

type NoFields = Record<never, never>;
const noFields = (): Result<NoFields, ProtocolError> => ok({});

const isInt = (x: unknown, min: number, max: number): x is number =>
  typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max;
const invalid = (message: string) => err({ code: 'invalid' as const, message });

/** The answer to prescription.get and prescription.set (and the phone's push of a prescription). */
export function readRecord(raw: Fields): Result<PrescriptionRecord, string> {
  const p = parsePrescription(raw.prescription);
  if (!p.ok || !isInt(raw.revision, 0, Number.MAX_SAFE_INTEGER)) return err('prescription/revision');
  return ok({ revision: raw.revision, prescription: p.value });
}

/**
 * A log the phone holds another copy of, different in more than its pain rating (docs/sync.md,
 * "Conflicts"): `kept` says which copy stands, the one the phone had (`stored`) or the one just sent
 * (`sent`); the other is set aside whole on the phone, where the Settings page lists it. Its id is in
 * `known` too, so the watch forgets it as it forgets any log the phone holds: a watch keeps nothing of
 * a conflict, and one that knows nothing of them does the same.
 */
export interface Conflict {
  readonly id: string;
  readonly kept: 'stored' | 'sent';
  readonly reason: string;
}

/** How the phone answers a push of logs (logs.push or logs.batch). */
export interface PushAnswer {
  readonly accepted: readonly string[];
  readonly known: readonly string[];
  readonly rejected: readonly Rejection[];
  /** Since 1.2, only when a log conflicted with the copy the phone holds. */
  readonly conflicts?: readonly Conflict[];
}

export function readPushAnswer(raw: Fields): Result<PushAnswer, string> {
  const ids = (x: unknown): x is string[] => Array.isArray(x) && x.every(isSessionLogId);
  if (!ids(raw.accepted) || !ids(raw.known) || !Array.isArray(raw.rejected)) return err('id lists');
  const rejected: Rejection[] = [];
  for (const r of raw.rejected as unknown[]) {
    if (typeof r !== 'object' || r === null) return err('rejection');
    const { id, index, reason } = r as Record<string, unknown>;
    if (
      !(id === null || isSessionLogId(id)) ||
      !isInt(index, 0, MAX_LOGS_PER_PUSH) ||
      typeof reason !== 'string'
    )
      return err('rejection');
    rejected.push({ id, index, reason });
  }
  // `conflicts` is not read: its ids are in `known`, which is all the watch acts on.
  return ok({ accepted: raw.accepted, known: raw.known, rejected });
}

/**
 * A batch of logs as a table (logs.batch): each log is one row of values in an order the protocol
 * fixes (`cols`, a numbered column list: `logColumns`), so no field name travels with a log; what every
 * log of the batch shares is sent once, by name (`same`); the prescription is a checked reference
 * (prescriptionRef).
 *
 *   cols  the column list the rows follow: 1 is LOG_COLUMNS, each later list adds the fields the log
 *         gained since; a phone that knows no such list answers `unknown_columns`, and the watch sends
 *         in the list before it what that list carries (core/watch/sync)
 *   same  columns whose value is the same in every log of the batch, by name, as a row would hold it
 *   rx    only when the phone asked for them (`prescription_needed`): the batch's prescriptions, whole
 *   rows  one list per log: the values of the columns not in `same`, in the list's order; null is
 *         "the log has no such field"; values left off the end take the column's fallback
 *
 * In a row a few columns are held as the difference to another (the start to the time in the id, the
 * end to the start, a pain rating's time to the end), the outcome as its index in OUTCOMES, a repair
 * sentence of the form repairSessionLog writes as its three variable parts: each rebuilds the log's
 * own value exactly (a value of another form travels as it is, and the log codec judges it).
 */
export interface LogBatch {
  readonly cols: number;
  readonly same?: Readonly<Record<string, unknown>>;
  readonly rx?: readonly unknown[];
  readonly rows: readonly (readonly unknown[])[];
}

/**
 * The column list `cols: 1`, fixed for good: the fields of 1.x, in the order 1.1 sent them. A field added
 * to the log names a later list in the field table (core/log/fields `cols`), never this one.
 */
export const LOG_COLUMNS = [
  'id',
  'prescription',
  'startedAt',
  'endedAt',
  'utcOffsetMin',
  'activeMs',
  'pausedMs',
  'pauses',
  'roundsDone',
  'roundsPlanned',
  'stepsSkipped',
  'outcome',
  'painBefore',
  'pain',
  'painAt',
  'hrStart',
  'hrEnd',
  'appVersion',
  'repairs',
  'v',
  'routineVersion',
  'routineId',
] as const satisfies readonly FirstFieldName[];
// And every field of 1.x is a column of list 1: a field that names no later list fails to compile
// here, naming itself.
type NotInList1 = Exclude<FirstFieldName, (typeof LOG_COLUMNS)[number]>;
const _list1Whole: [NotInList1] extends [never] ? true : NotInList1 = true;

/**
 * The columns of list `cols`: those of list 1 (LOG_COLUMNS), with each field of a later list up to
 * `cols`, in the field table's order, before the last three. Those three have a fallback (FALLBACK) and
 * stay last in every list, so that a row still ends at its last value that says something. A phone
 * that reads list n reads every list before it.
 */
export function logColumns(cols: number): string[] {
  const columns = LOG_COLUMNS.slice(0, -3) as string[];
  for (const name in LOG_FIELDS) if (listOf(name) > 1 && listOf(name) <= cols) columns.push(name);
  return columns.concat(LOG_COLUMNS.slice(-3));
}

/** The column list that first carries a field: 1 for those of 1.x (and for a name that is no field). */
const listOf = (name: string): number => (LOG_FIELDS as LogFields)[name]?.cols ?? 1;

/** The oldest column list that carries every field of these logs (JSON values). */
export function columnsFor(logs: readonly Readonly<Record<string, unknown>>[]): number {
  let cols = 1;
  for (const log of logs) for (const name in log) cols = Math.max(cols, listOf(name));
  return cols;
}

/** The newest column list: the highest of the field table. */
const newestColumns = (): number => Math.max(...Object.keys(LOG_FIELDS).map(listOf));

/** What a value left off a row's end stands for (every other column: absent). */
const FALLBACK: Readonly<Record<string, unknown>> = {
  v: 1,
  routineVersion: 1,
  routineId: 'spinal-self-traction',
};
/** The form of repairSessionLog's sentences: field, value before, value stored. */
const REPAIR = /^([A-Za-z]+) (.+) was outside what a log holds; stored as (.+)\.$/;
/** What a column is held as the difference to: the time in the id, the start, the end; or nothing. */
function baseOf(name: string, log: Readonly<Record<string, unknown>>): unknown {
  if (name === 'startedAt') return typeof log.id === 'string' ? parseInt(log.id.slice(0, 9), 36) : undefined;
  return name === 'endedAt' ? log.startedAt : name === 'painAt' ? log.endedAt : undefined;
}

function toCell(name: string, log: Readonly<Record<string, unknown>>): unknown {
  const v = log[name];
  if (v === undefined || v === null) return null;
  const base = baseOf(name, log);
  if (Number.isFinite(base) && typeof v === 'number') return v - (base as number);
  const code = name === 'outcome' ? OUTCOMES.indexOf(v as Outcome) : -1;
  if (code >= 0) return code;
  if (name === 'prescription') return prescriptionRef(v);
  if (name === 'repairs' && Array.isArray(v))
    return v.map((s: unknown) => {
      const m = typeof s === 'string' ? REPAIR.exec(s) : null;
      return m && repairSentence(m.slice(1)) === s ? m.slice(1) : s;
    });
  return v;
}

function fromCell(name: string, cell: unknown, log: Readonly<Record<string, unknown>>): unknown {
  const base = baseOf(name, log);
  if (Number.isFinite(base) && typeof cell === 'number') return (base as number) + cell;
  if (name === 'outcome' && typeof cell === 'number') return OUTCOMES[cell] ?? cell;
  if (name === 'repairs' && Array.isArray(cell))
    return cell.map((r: unknown) =>
      Array.isArray(r) && r.length === 3 && r.every((x) => typeof x === 'string') ? repairSentence(r) : r,
    );
  return cell;
}

/**
 * A prescription's reference in a batch: FNV-1a 64 of its canonical JSON (keys sorted, no spaces),
 * xor-folded to 48 bits, in base 36 (at most 10 characters). The phone resolves it only among the
 * few prescriptions it holds for the batch and refuses one that two of them share (docs/sync.md), so a
 * wrong prescription needs an unknown one to hit one of those few references by chance: about
 * k · 2⁻⁴⁸ (k ≈ 1–3) per such log.
 */
export function prescriptionRef(p: unknown): string {
  return fnv1a48(JSON.stringify(p, Object.keys(p as object).sort()) ?? '');
}

/** FNV-1a 64 of a text's character codes (bytes, for the ASCII a prescription is), xor-folded to 48 bits. */
export function fnv1a48(text: string): string {
  // 64-bit arithmetic in two 32-bit halves: the prime is 2^40 + 435.
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    const x = (lo ^ text.charCodeAt(i)) >>> 0;
    const low = x * 435;
    hi = (hi * 435 + ((x << 8) >>> 0) + Math.floor(low / 0x100000000)) >>> 0;
    lo = low >>> 0;
  }
  return ((hi & 0xffff) * 0x100000000 + ((lo ^ (hi >>> 16)) >>> 0)).toString(36);
}

const REF = /^[0-9a-z]{1,10}$/;
export const isPrescriptionRef = (x: unknown): x is string => typeof x === 'string' && REF.test(x);

const isPlainObject = (x: unknown): x is Fields => typeof x === 'object' && x !== null && !Array.isArray(x);

function readLogBatch(raw: Fields): Result<LogBatch, ProtocolError> {
  const malformed = (message: string) =>
    err({ code: 'malformed' as const, message: `logs.batch: ${message}` });
  const newest = newestColumns();
  const cols = raw.cols;
  if (!isInt(cols, 1, newest))
    return err({
      code: 'unknown_columns',
      message: `logs.batch: column list ${safe(cols)} is unknown; known: ${newest > 1 ? '1–' : ''}${newest}.`,
    });
  const columns = logColumns(cols);
  const same = raw.same ?? {};
  if (!isPlainObject(same) || !Object.keys(same).every((k) => columns.includes(k)))
    return malformed(`"same" must be an object of columns of list ${cols}: ${columns.join(', ')}.`);
  const rx = raw.rx ?? [];
  if (!Array.isArray(rx) || rx.length > MAX_LOGS_PER_PUSH)
    return malformed(`"rx" must be a list of at most ${MAX_LOGS_PER_PUSH} prescriptions.`);
  if (!Array.isArray(raw.rows)) return malformed('it needs a "rows" list.');
  if (raw.rows.length > MAX_LOGS_PER_PUSH)
    return invalid(`At most ${MAX_LOGS_PER_PUSH} logs per push; got ${raw.rows.length}.`);
  return ok({ cols, same, rx, rows: raw.rows as unknown[][] });
}

/**
 * The logs of a batch, one per row: the log's JSON value to validate, or why the row itself cannot
 * be read (with the id, when its id can be read). A log's `prescription` is the prescription `known`
 * gives for its reference, else the reference itself (the phone asks for what it cannot resolve).
 * Never throws.
 */
export function batchLogs(
  batch: LogBatch,
  known: (ref: string) => unknown = none,
): Result<Record<string, unknown>, { readonly id: string | null; readonly reason: string }>[] {
  const same = batch.same ?? {};
  const columns = logColumns(batch.cols);
  const cols = columns.filter((c) => !(c in same));
  return batch.rows.map((row, index) => {
    const rowId = 'id' in same ? same.id : Array.isArray(row) ? row[0] : undefined;
    const id = isSessionLogId(rowId) ? rowId : null;
    if (!Array.isArray(row) || row.length > cols.length)
      return err({ id, reason: `Row ${index} must list at most ${cols.length} values, one per column.` });
    const log: Record<string, unknown> = {};
    for (const name of columns) {
      const at = cols.indexOf(name);
      const cell: unknown = at < 0 ? same[name] : at < row.length ? row[at] : (FALLBACK[name] ?? null);
      if (cell === null) continue;
      const value = fromCell(name, cell, log);
      log[name] = name === 'prescription' && isPrescriptionRef(value) ? (known(value) ?? value) : value;
    }
    return ok(log);
  });
}

/**
 * The log fields a phone of 1.0 takes in logs.push; it refuses a log with any other field as invalid.
 * Fixed here, not read from the log codec: it is what 1.0 shipped, whatever the log gains later: column
 * list 1 (itself fixed for good) less the three fields 1.1 added.
 */
const LOG_FIELDS_1_0: ReadonlySet<string> = /* @__PURE__ */ (() =>
  new Set(LOG_COLUMNS.filter((c) => c !== 'painBefore' && c !== 'hrStart' && c !== 'hrEnd')))();

/** Whether a phone of 1.0 can store this log (its JSON): no field added since. */
export function storableBy1_0(log: Readonly<Record<string, unknown>>): boolean {
  return Object.keys(log).every((k) => LOG_FIELDS_1_0.has(k));
}

/**
 * The batch the phone reads back as exactly these logs (JSON values, as the log codec writes them);
 * with `withRx`, carrying their prescriptions whole (what a phone that lacks one asks for).
 */
export function encodeLogBatch(
  logs: readonly Readonly<Record<string, unknown>>[],
  withRx = false,
): LogsBatchRequest {
  const text = (x: unknown) => JSON.stringify(x) ?? 'null';
  // The oldest list that carries them all: a batch with no field added since 1.x is what 1.1 sent.
  const cols = columnsFor(logs);
  const columns = logColumns(cols);
  const cells = logs.map((l) => columns.map((c) => toCell(c, l)));
  const fallback = (c: number) => text(FALLBACK[columns[c]!] ?? null);
  // The last columns at their fallback in every log go unsaid in every row: not named either.
  let tail = columns.length;
  while (tail > 0 && cells.every((r) => text(r[tail - 1]) === fallback(tail - 1))) tail--;
  const same: Record<string, unknown> = {};
  const kept: number[] = [];
  columns.forEach((name, c) => {
    const t = text(cells[0]?.[c]);
    // Named once only where that is shorter than the value in every row.
    if (
      c < tail &&
      cells.every((r) => text(r[c]) === t) &&
      name.length + t.length + 4 < logs.length * (t.length + 1)
    )
      same[name] = cells[0]?.[c];
    else kept.push(c);
  });
  const rows = cells.map((r) => {
    const row = kept.map((c) => r[c]);
    // Values equal to their column's fallback at the end go unsaid.
    while (row.length > 0 && text(row[row.length - 1]) === fallback(kept[row.length - 1]!)) row.pop();
    return row;
  });
  const rx: unknown[] = [];
  if (withRx)
    for (const l of logs) if (!rx.some((p) => text(p) === text(l.prescription))) rx.push(l.prescription);
  return {
    v: PROTOCOL_VERSION,
    type: 'logs.batch',
    cols,
    ...(Object.keys(same).length > 0 ? { same } : {}),
    ...(rx.length > 0 ? { rx } : {}),
    rows,
  };
}

/**
 * What each request of protocol version 1 carries (besides `v` and `type`), and what its answer carries.
 * A new request is one more entry in both, in READ_REQUEST and READ_ANSWER, and its handler on the phone.
 */
interface RequestFields {
  readonly ping: NoFields;
  /** Each log is validated one by one by the receiver, so one bad log does not sink its batch. */
  readonly 'logs.push': { readonly logs: readonly unknown[] };
  /**
   * The same logs and the same answer as logs.push, in fewer bytes (see LogBatch): what a watch of
   * 1.1 sends. A phone of 1.0 answers it `unknown_type`, and the watch then falls back to logs.push.
   */
  readonly 'logs.batch': LogBatch;
  /** The watch's clock and offset define "today": the phone may be in another zone or wrong. */
  readonly 'summary.get': { readonly now: number; readonly utcOffsetMin: number };
  readonly 'prescription.get': NoFields;
  readonly 'prescription.set': {
    readonly prescription: Prescription;
    /** The revision the sender last saw; a stale one is a conflict, not a silent overwrite. */
    readonly baseRevision: number;
  };
  /**
   * The watch profile the wrist check made (core/link/watch-profile), sent by the check page. A phone
   * before issue 23 answers it `unknown_type`; the watch keeps it and sends it again later, and no log
   * waits on it (logs travel in their own requests).
   */
  readonly 'profile.put': { readonly profile: unknown };
}
interface AnswerFields {
  readonly ping: { readonly appVersion: string; readonly protocol: number };
  readonly 'logs.push': PushAnswer;
  readonly 'logs.batch': PushAnswer;
  readonly 'summary.get': { readonly summary: Summary };
  readonly 'prescription.get': PrescriptionRecord;
  readonly 'prescription.set': PrescriptionRecord;
  /** The profile is kept on the phone (for this watch's deviceSource). */
  readonly 'profile.put': { readonly kept: true };
}

export type RequestType = keyof RequestFields;
type FieldsOf<M extends RequestType> = RequestFields[M];
export type AnswerOf<M extends RequestType> = AnswerFields[M];

/**
 * How the phone reads each request's fields (its `v` and `type` are checked before, once for all). Apart
 * from READ_ANSWER, and both plain tables, so a watch page bundles only the answers it reads and none of
 * the phone's request checks.
 */
const READ_REQUEST: {
  readonly [M in RequestType]: (raw: Fields) => Result<FieldsOf<M>, ProtocolError>;
} = {
  ping: noFields,
  'logs.push': (raw) => {
    if (!Array.isArray(raw.logs))
      return err({ code: 'malformed', message: 'logs.push needs a "logs" list.' });
    if (raw.logs.length > MAX_LOGS_PER_PUSH)
      return invalid(`At most ${MAX_LOGS_PER_PUSH} logs per push; got ${raw.logs.length}.`);
    return ok({ logs: raw.logs });
  },
  'logs.batch': readLogBatch,
  'summary.get': (raw) =>
    // The same window as session logs: outside it the watch's clock is broken and "today" meaningless.
    isLogTime(raw.now) && isUtcOffset(raw.utcOffsetMin)
      ? ok({ now: raw.now, utcOffsetMin: raw.utcOffsetMin })
      : invalid('summary.get needs "now" (epoch ms, 2020–2100) and "utcOffsetMin" (−720…840).'),
  'prescription.get': noFields,
  'prescription.set': (raw) => {
    if (!isInt(raw.baseRevision, 0, Number.MAX_SAFE_INTEGER))
      return invalid('prescription.set needs "baseRevision", a whole number ≥ 0.');
    const p = parsePrescription(raw.prescription);
    if (!p.ok) return invalid(p.error.map((e) => e.message).join(' '));
    return ok({ prescription: p.value, baseRevision: raw.baseRevision });
  },
  // Checked whole by its handler (core/phone/side-handler, core/link/watch-profile readProfile), so that
  // no watch page that reads answers bundles the profile's checks.
  'profile.put': (raw) =>
    'profile' in raw ? ok({ profile: raw.profile }) : invalid('profile.put needs "profile".'),
};

/** Reads an answer's fields (its `v` and `type` are checked before); the error names what is malformed. */
export type AnswerReader<M extends RequestType> = (raw: Fields) => Result<AnswerOf<M>, string>;

export const readProfileAnswer: AnswerReader<'profile.put'> = (raw) =>
  raw.kept === true ? ok({ kept: true }) : err('kept');

export const readSummaryAnswer: AnswerReader<'summary.get'> = (raw) => {
  const summary = parseSummary(raw.summary);
  return summary ? ok({ summary }) : err('summary');
};

/**
 * How the watch reads each answer. Watch code names the one reader it needs (decodeAnswer), so a page
 * bundles only the answers it asks for: no summary check where no page asks for the summary.
 */
const READ_ANSWER: { readonly [M in RequestType]: AnswerReader<M> } = {
  ping: (raw) =>
    typeof raw.appVersion === 'string' && isInt(raw.protocol, 1, 1000)
      ? ok({ appVersion: raw.appVersion, protocol: raw.protocol })
      : err('appVersion/protocol'),
  'logs.push': readPushAnswer,
  'logs.batch': readPushAnswer,
  'summary.get': readSummaryAnswer,
  'prescription.get': readRecord,
  'prescription.set': readRecord,
  'profile.put': readProfileAnswer,
};

export type RequestOf<M extends RequestType> = M extends RequestType
  ? { readonly v: 1; readonly type: M } & FieldsOf<M>
  : never;
export type Request = { [M in RequestType]: RequestOf<M> }[RequestType];
export type LogsPushRequest = RequestOf<'logs.push'>;
export type LogsBatchRequest = RequestOf<'logs.batch'>;

export type ErrorResponse = {
  readonly v: 1;
  readonly type: 'error';
  readonly code: ErrorCode;
  readonly message: string;
  readonly supported: readonly number[];
};
export type ResponseOf<M extends RequestType> = M extends RequestType
  ? { readonly v: 1; readonly type: M } & AnswerOf<M>
  : never;
export type Response = { [M in RequestType]: ResponseOf<M> }[RequestType] | ErrorResponse;

export function errorResponse(code: ErrorCode, message: string): ErrorResponse {
  return { v: PROTOCOL_VERSION, type: 'error', code, message, supported: SUPPORTED_VERSIONS };
}

/** UTF-8 bytes of a message as zml will send it (JSON). */
export function messageBytes(message: unknown): number {
  return utf8Length(JSON.stringify(message) ?? '');
}

/** Accepts what a transport may hand over: an object zml already parsed, JSON text, or raw bytes. */
function toValue(input: unknown): Result<unknown, ProtocolError> {
  if (input instanceof Uint8Array) {
    const text = decodeUtf8(input);
    if (text === undefined) return err({ code: 'not_json', message: 'The message is not UTF-8 text.' });
    input = text;
  }
  if (typeof input === 'string') {
    try {
      return ok(JSON.parse(input));
    } catch {
      return err({ code: 'not_json', message: 'The message is not JSON.' });
    }
  }
  return ok(input);
}

function envelope(input: unknown): Result<Fields & { readonly type: string }, ProtocolError> {
  const value = toValue(input);
  if (!value.ok) return value;
  const v = value.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return err({ code: 'malformed', message: 'A message must be a JSON object.' });
  }
  const raw = v as Fields;
  if (raw.v !== PROTOCOL_VERSION) {
    return err({
      code: 'unsupported_version',
      message: `Protocol version ${safe(raw.v)} is not supported; supported: ${SUPPORTED_VERSIONS.join(', ')}.`,
    });
  }
  if (typeof raw.type !== 'string') return err({ code: 'malformed', message: 'A message needs a "type".' });
  return ok(raw as Fields & { readonly type: string });
}

function safe(value: unknown): string {
  try {
    return (JSON.stringify(value) ?? String(value)).slice(0, 40);
  } catch {
    return '?';
  }
}

const isRequestType = (type: string): type is RequestType =>
  Object.prototype.hasOwnProperty.call(READ_REQUEST, type);

/** The readers with their per-method types erased: each is checked by its own entry. */
type Reader = (raw: Fields) => Result<object, ProtocolError>;

/** Phone side: what the watch asked for, or why it cannot be answered. */
export function decodeRequest(input: unknown): Result<Request, ProtocolError> {
  try {
    const env = envelope(input);
    if (!env.ok) return env;
    const { type } = env.value;
    if (!isRequestType(type))
      return err({ code: 'unknown_type', message: `Unknown request type ${safe(type)}.` });
    const fields = (READ_REQUEST[type] as Reader)(env.value);
    return fields.ok ? ok({ v: PROTOCOL_VERSION, type, ...fields.value } as Request) : fields;
  } catch {
    // Getters or proxies in a hostile object: still a typed answer.
    return err({ code: 'malformed', message: 'The message could not be read.' });
  }
}

/** The answer to a request of type `expected`, validated, or why it is unusable (any type: a table). */
export function decodeResponse<M extends RequestType>(
  input: unknown,
  expected: M,
): Result<ResponseOf<M>, ProtocolError> {
  return decodeAnswer(input, expected, READ_ANSWER[expected] as AnswerReader<M>);
}

/** Watch side: decodeResponse with the answer's reader named, so a page bundles only those it uses. */
export function decodeAnswer<M extends RequestType>(
  input: unknown,
  expected: M,
  read: AnswerReader<M>,
): Result<ResponseOf<M>, ProtocolError> {
  try {
    const env = envelope(input);
    if (!env.ok) return env;
    const raw = env.value;
    if (raw.type === 'error') {
      const code = raw.code;
      return err({
        code:
          typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code)
            ? (code as ErrorCode)
            : 'malformed',
        message:
          typeof raw.message === 'string' ? raw.message.slice(0, 500) : 'The phone answered with an error.',
      });
    }
    if (raw.type !== expected) {
      return err({ code: 'malformed', message: `Expected a ${expected} answer, got ${safe(raw.type)}.` });
    }
    const fields = read(raw);
    return fields.ok
      ? ok({ v: PROTOCOL_VERSION, type: expected, ...fields.value } as ResponseOf<M>)
      : err({ code: 'malformed', message: `Malformed ${expected} answer: ${fields.error}.` });
  } catch {
    return err({ code: 'malformed', message: 'The answer could not be read.' });
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const COUNT = 100_000;

/** A "YYYY-MM-DD" that names a real calendar day (no month 13, no 30 February). */
function realDate(x: unknown): x is string {
  return typeof x === 'string' && DATE.test(x) && new Date(`${x}T00:00:00Z`).toISOString().slice(0, 10) === x;
}

const dayAfter = (date: string): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

function parseDay(x: unknown): DayTally | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const { date, sessions, counted } = x as Record<string, unknown>;
  // A day counts at most the sessions it holds.
  if (!realDate(date) || !isInt(sessions, 0, COUNT) || !isInt(counted, 0, sessions as number))
    return undefined;
  return { date, sessions, counted };
}

/**
 * The phone's summary, if it can be true: real dates, seven consecutive days ending today, today's
 * count that of the last of them, a daily target a prescription allows, monitoring met on 16 days.
 */
function parseSummary(x: unknown): Summary | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const s = x as Record<string, unknown>;
  if (!realDate(s.date)) return undefined;
  if (
    !isInt(s.today, 0, COUNT) ||
    !isInt(s.target, 1, BOUNDS.sessionsPerDay.max) ||
    !isInt(s.streak, 0, MAX_STREAK_DAYS)
  )
    return undefined;
  if (
    !isInt(s.activeDays30, 0, 30) ||
    !isInt(s.painFlags30, 0, COUNT) ||
    typeof s.monitoringMet !== 'boolean'
  )
    return undefined;
  if (s.monitoringMet !== s.activeDays30 >= MONITORING_DAYS_NEEDED) return undefined;
  if (!Array.isArray(s.last7) || s.last7.length !== 7) return undefined;
  const last7 = s.last7.map(parseDay);
  if (last7.some((d) => d === undefined)) return undefined;
  const days = last7 as DayTally[];
  for (let i = 1; i < 7; i++) if (days[i]!.date !== dayAfter(days[i - 1]!.date)) return undefined;
  const today = days[6]!;
  if (today.date !== s.date || today.counted !== s.today) return undefined;
  if (days.filter((d) => d.sessions > 0).length > s.activeDays30) return undefined;
  return {
    date: s.date,
    today: s.today,
    target: s.target,
    streak: s.streak,
    last7: days,
    activeDays30: s.activeDays30,
    monitoringMet: s.monitoringMet,
    painFlags30: s.painFlags30,
  };
}
