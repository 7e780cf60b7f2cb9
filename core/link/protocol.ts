import { parsePrescription, type Prescription } from '../plan/prescription';
import { err, ok, type Result } from '../base/result';
import { isSessionLogId } from '../log/session-log';
import type { DayTally, Summary } from '../log/stats';
import { decodeUtf8, utf8Length } from '../base/utf8';

/**
 * Watch ↔ phone messages, carried as JSON by zml `request` (the watch asks, the Side Service answers).
 * Both sides validate everything on arrival; decoding never throws and answers malformed input with a
 * typed error.
 */
export const PROTOCOL_VERSION = 1;
export const SUPPORTED_VERSIONS: readonly number[] = [PROTOCOL_VERSION];

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

export type RequestType = 'ping' | 'logs.push' | 'summary.get' | 'prescription.get' | 'prescription.set';
const REQUEST_TYPES: readonly RequestType[] = [
  'ping',
  'logs.push',
  'summary.get',
  'prescription.get',
  'prescription.set',
];

export type Request =
  | { readonly v: 1; readonly type: 'ping' }
  /** Each log is validated one by one by the receiver, so one bad log does not sink its batch. */
  | { readonly v: 1; readonly type: 'logs.push'; readonly logs: readonly unknown[] }
  /** The watch's clock and offset define "today": the phone may be in another zone or wrong. */
  | { readonly v: 1; readonly type: 'summary.get'; readonly now: number; readonly utcOffsetMin: number }
  | { readonly v: 1; readonly type: 'prescription.get' }
  | {
      readonly v: 1;
      readonly type: 'prescription.set';
      readonly prescription: Prescription;
      /** The revision the sender last saw; a stale one is a conflict, not a silent overwrite. */
      readonly baseRevision: number;
    };

export type LogsPushRequest = Extract<Request, { type: 'logs.push' }>;

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

export type ErrorCode =
  'not_json' | 'malformed' | 'unsupported_version' | 'unknown_type' | 'invalid' | 'conflict' | 'storage';

export type ErrorResponse = {
  readonly v: 1;
  readonly type: 'error';
  readonly code: ErrorCode;
  readonly message: string;
  readonly supported: readonly number[];
};

export type Response =
  | { readonly v: 1; readonly type: 'ping'; readonly appVersion: string; readonly protocol: number }
  | {
      readonly v: 1;
      readonly type: 'logs.push';
      readonly accepted: readonly string[];
      readonly known: readonly string[];
      readonly rejected: readonly Rejection[];
    }
  | { readonly v: 1; readonly type: 'summary.get'; readonly summary: Summary }
  // Two members, not one with a union type, so ResponseOf<'prescription.get'> is not never.
  | ({ readonly v: 1; readonly type: 'prescription.get' } & PrescriptionRecord)
  | ({ readonly v: 1; readonly type: 'prescription.set' } & PrescriptionRecord)
  | ErrorResponse;

export type ResponseOf<T extends RequestType> = Extract<Response, { type: T }>;

export interface ProtocolError {
  readonly code: ErrorCode;
  readonly message: string;
}

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

function envelope(input: unknown): Result<Record<string, unknown>, ProtocolError> {
  const value = toValue(input);
  if (!value.ok) return value;
  const v = value.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return err({ code: 'malformed', message: 'A message must be a JSON object.' });
  }
  const raw = v as Record<string, unknown>;
  if (raw.v !== PROTOCOL_VERSION) {
    return err({
      code: 'unsupported_version',
      message: `Protocol version ${safe(raw.v)} is not supported; supported: ${SUPPORTED_VERSIONS.join(', ')}.`,
    });
  }
  if (typeof raw.type !== 'string') return err({ code: 'malformed', message: 'A message needs a "type".' });
  return ok(raw);
}

const isInt = (x: unknown, min: number, max: number): x is number =>
  typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max;
// Same window as session logs: outside it the watch clock is broken and "today" would be meaningless.
const EARLIEST = Date.UTC(2020, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

function safe(value: unknown): string {
  try {
    return (JSON.stringify(value) ?? String(value)).slice(0, 40);
  } catch {
    return '?';
  }
}

/** Phone side: what the watch asked for, or why it cannot be answered. */
export function decodeRequest(input: unknown): Result<Request, ProtocolError> {
  try {
    const env = envelope(input);
    if (!env.ok) return env;
    const raw = env.value;
    const type = raw.type as string;
    if (!(REQUEST_TYPES as string[]).includes(type)) {
      return err({ code: 'unknown_type', message: `Unknown request type ${safe(type)}.` });
    }
    switch (type as RequestType) {
      case 'ping':
        return ok({ v: PROTOCOL_VERSION, type: 'ping' });
      case 'prescription.get':
        return ok({ v: PROTOCOL_VERSION, type: 'prescription.get' });
      case 'logs.push':
        if (!Array.isArray(raw.logs))
          return err({ code: 'malformed', message: 'logs.push needs a "logs" list.' });
        if (raw.logs.length > MAX_LOGS_PER_PUSH) {
          return err({
            code: 'invalid',
            message: `At most ${MAX_LOGS_PER_PUSH} logs per push; got ${raw.logs.length}.`,
          });
        }
        return ok({ v: PROTOCOL_VERSION, type: 'logs.push', logs: raw.logs });
      case 'summary.get':
        if (!isInt(raw.now, EARLIEST, LATEST) || !isInt(raw.utcOffsetMin, -720, 840)) {
          return err({
            code: 'invalid',
            message: 'summary.get needs "now" (epoch ms, 2020–2100) and "utcOffsetMin" (−720…840).',
          });
        }
        return ok({ v: PROTOCOL_VERSION, type: 'summary.get', now: raw.now, utcOffsetMin: raw.utcOffsetMin });
      case 'prescription.set': {
        if (!isInt(raw.baseRevision, 0, Number.MAX_SAFE_INTEGER)) {
          return err({
            code: 'invalid',
            message: 'prescription.set needs "baseRevision", a whole number ≥ 0.',
          });
        }
        const p = parsePrescription(raw.prescription);
        if (!p.ok) return err({ code: 'invalid', message: p.error.map((e) => e.message).join(' ') });
        return ok({
          v: PROTOCOL_VERSION,
          type: 'prescription.set',
          prescription: p.value,
          baseRevision: raw.baseRevision,
        });
      }
    }
  } catch {
    // Getters or proxies in a hostile object: still a typed answer.
    return err({ code: 'malformed', message: 'The message could not be read.' });
  }
}

/** Watch side: the answer to a request of type `expected`, validated, or why it is unusable. */
export function decodeResponse<T extends RequestType>(
  input: unknown,
  expected: T,
): Result<ResponseOf<T>, ProtocolError> {
  try {
    const env = envelope(input);
    if (!env.ok) return env;
    const raw = env.value;
    if (raw.type === 'error') {
      const code = raw.code;
      const known: ErrorCode[] = [
        'not_json',
        'malformed',
        'unsupported_version',
        'unknown_type',
        'invalid',
        'conflict',
        'storage',
      ];
      return err({
        code:
          typeof code === 'string' && (known as string[]).includes(code) ? (code as ErrorCode) : 'malformed',
        message:
          typeof raw.message === 'string' ? raw.message.slice(0, 500) : 'The phone answered with an error.',
      });
    }
    if (raw.type !== expected) {
      return err({ code: 'malformed', message: `Expected a ${expected} answer, got ${safe(raw.type)}.` });
    }
    const bad = (what: string) =>
      err({ code: 'malformed' as const, message: `Malformed ${expected} answer: ${what}.` });
    switch (expected as RequestType) {
      case 'ping':
        if (typeof raw.appVersion !== 'string' || !isInt(raw.protocol, 1, 1000))
          return bad('appVersion/protocol');
        return ok({
          v: PROTOCOL_VERSION,
          type: 'ping',
          appVersion: raw.appVersion,
          protocol: raw.protocol,
        } as ResponseOf<T>);
      case 'logs.push': {
        const ids = (x: unknown): x is string[] => Array.isArray(x) && x.every(isSessionLogId);
        if (!ids(raw.accepted) || !ids(raw.known) || !Array.isArray(raw.rejected)) return bad('id lists');
        const rejected: Rejection[] = [];
        for (const r of raw.rejected as unknown[]) {
          if (typeof r !== 'object' || r === null) return bad('rejection');
          const { id, index, reason } = r as Record<string, unknown>;
          if (
            !(id === null || isSessionLogId(id)) ||
            !isInt(index, 0, MAX_LOGS_PER_PUSH) ||
            typeof reason !== 'string'
          ) {
            return bad('rejection');
          }
          rejected.push({ id, index, reason });
        }
        return ok({
          v: PROTOCOL_VERSION,
          type: 'logs.push',
          accepted: raw.accepted,
          known: raw.known,
          rejected,
        } as ResponseOf<T>);
      }
      case 'summary.get': {
        const summary = parseSummary(raw.summary);
        if (!summary) return bad('summary');
        return ok({ v: PROTOCOL_VERSION, type: 'summary.get', summary } as ResponseOf<T>);
      }
      case 'prescription.get':
      case 'prescription.set': {
        const p = parsePrescription(raw.prescription);
        if (!p.ok || !isInt(raw.revision, 0, Number.MAX_SAFE_INTEGER)) return bad('prescription/revision');
        return ok({
          v: PROTOCOL_VERSION,
          type: expected,
          revision: raw.revision,
          prescription: p.value,
        } as ResponseOf<T>);
      }
    }
    return bad('type');
  } catch {
    return err({ code: 'malformed', message: 'The answer could not be read.' });
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const COUNT = 100_000;

function parseDay(x: unknown): DayTally | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const { date, sessions, counted } = x as Record<string, unknown>;
  if (
    typeof date !== 'string' ||
    !DATE.test(date) ||
    !isInt(sessions, 0, COUNT) ||
    !isInt(counted, 0, COUNT)
  ) {
    return undefined;
  }
  return { date, sessions, counted };
}

function parseSummary(x: unknown): Summary | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const s = x as Record<string, unknown>;
  if (typeof s.date !== 'string' || !DATE.test(s.date)) return undefined;
  if (!isInt(s.today, 0, COUNT) || !isInt(s.target, 1, 100) || !isInt(s.streak, 0, COUNT)) return undefined;
  if (
    !isInt(s.activeDays30, 0, 30) ||
    !isInt(s.painFlags30, 0, COUNT) ||
    typeof s.monitoringMet !== 'boolean'
  ) {
    return undefined;
  }
  if (!Array.isArray(s.last7) || s.last7.length !== 7) return undefined;
  const last7 = s.last7.map(parseDay);
  if (last7.some((d) => d === undefined)) return undefined;
  return {
    date: s.date,
    today: s.today,
    target: s.target,
    streak: s.streak,
    last7: last7 as DayTally[],
    activeDays30: s.activeDays30,
    monitoringMet: s.monitoringMet,
    painFlags30: s.painFlags30,
  };
}
