import { parsePrescription } from '../plan/prescription';
import { err, ok, type Result } from '../base/result';
import {
  APP_VERSION_PATTERN,
  APP_VERSION_RULE,
  DAY_MS,
  EARLIEST,
  HEART_RATE_BPM,
  ID_PATTERN,
  LATEST,
  LOG_FIELDS,
  MAX_COUNT,
  MAX_PAUSED_MS,
  MAX_REPAIRS,
  OFFSET_MAX,
  OFFSET_MIN,
  OUTCOMES,
  SENTENCE_MAX,
  SESSION_LOG_VERSION,
  type LogFields,
  type LogOf,
  type Outcome,
} from './fields';

export { APP_VERSION_PATTERN, APP_VERSION_RULE, OUTCOMES, SESSION_LOG_VERSION };
export type { Outcome };

/**
 * One exercise session as the watch logged it: the unit the outbox keeps, the protocol carries and the
 * phone's history stores. Its fields are declared once, in core/log/fields (LOG_FIELDS): this type, the
 * checks and the canonical JSON below are that table's.
 */
export type SessionLog = LogOf<typeof LOG_FIELDS>;

export interface SessionLogError {
  /** The field at fault ('' for the value as a whole; `prescription.<field>` inside the prescription). */
  readonly field: string;
  readonly message: string;
}

// Ids sort by start time because the time part is fixed-width: 9 base-36 digits cover every epoch
// millisecond until the year 5188.
const TIME_DIGITS = 9;
const SUFFIX_LENGTH = 10;
const SUFFIX_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * Repair sentences as a log holds them: at most MAX_REPAIRS, each at most SENTENCE_MAX long. A longer
 * list keeps its first MAX_REPAIRS − 1 and names the rest by their first words (the field each changed)
 * in a last sentence, so the newest change is never dropped without a word. A list it returns comes
 * back unchanged. (A plain slice cuts: the watch's sentences are ASCII; the phone cuts what it takes in
 * first, keeping surrogate pairs whole: core/log/plain-text.)
 */
export function foldRepairs(list: readonly string[]): string[] {
  const out: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < list.length; i++) {
    if (list.length <= MAX_REPAIRS || i < MAX_REPAIRS - 1) out.push(list[i]!.slice(0, SENTENCE_MAX));
    else rest.push(list[i]!.split(' ')[0]!);
  }
  if (rest.length > 0) out.push(`Also changed: ${rest.join(', ')}.`.slice(0, SENTENCE_MAX));
  return out;
}

/**
 * A stable id for a session, from its start time and randomness the shell supplies (`random` returns
 * [0, 1), e.g. Math.random on the watch). Without `random`, the suffix is ten zeros: the id of a session
 * whose start record (where its id is kept) is lost or belongs to another session, made from what its
 * running state still holds, so every read of the same keys names it the same way (never drawn anew).
 * One watch runs one session at a time, so no other session of this watch has that start; a random
 * suffix is all zeros once in 2^50. One watch runs one session at a time, so two of its ids share
 * a start millisecond only across devices or reinstalls; there the 10 base-32 characters (50 bits) make
 * a clash a birthday problem over 2^50: at a million sessions in the same millisecond it is still about
 * 4e-4, and real sessions are spread over years of milliseconds.
 */
export function sessionLogId(startedAt: number, random?: () => number): string {
  const time = Math.max(0, Math.floor(startedAt)).toString(36).padStart(TIME_DIGITS, '0');
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) {
    const r = random ? random() : 0;
    const index = Number.isFinite(r) ? Math.floor(Math.abs(r) * 32) % 32 : 0;
    suffix += SUFFIX_ALPHABET[index];
  }
  return `${time}-${suffix}`;
}

export function isSessionLogId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/** A pain rating as the log stores it (a whole number 0–10), or undefined for "not given". */
export const painRating = (value: unknown): number | undefined =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 10
    ? (value as number)
    : undefined;

/** The reading as the log stores it, or undefined for "not measured". */
export function heartRateReading(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const bpm = Math.round(value);
  return bpm >= HEART_RATE_BPM.min && bpm <= HEART_RATE_BPM.max ? bpm : undefined;
}

/** Canonical JSON: the table's field order, no key for an optional field that is absent. */
export function encodeSessionLog(log: SessionLog): string {
  return JSON.stringify(toPlain(log));
}

export function toPlain(log: SessionLog): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f in LOG_FIELDS) {
    const v = (log as Readonly<Record<string, unknown>>)[f];
    // Only an optional field is ever absent from a log.
    if (v === undefined) continue;
    out[f] = Array.isArray(v)
      ? [...v]
      : f === 'prescription'
        ? { ...log.prescription, reminders: [...log.prescription.reminders] }
        : v;
  }
  return out;
}

export function decodeSessionLog(text: string): Result<SessionLog, SessionLogError[]> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return err([{ field: '', message: 'A stored session log is not valid JSON.' }]);
  }
  return parseSessionLog(value);
}

/**
 * One field's value as a log holds it, by the table's check; undefined when it is absent (an optional
 * field's null included) or refused, and then why in `errors`.
 */
function readField(name: string, value: unknown, errors: SessionLogError[]): unknown {
  const spec = (LOG_FIELDS as LogFields)[name]!;
  let why: string | undefined;
  if (value === undefined || (value === null && spec.optional)) {
    if (spec.optional) return undefined;
    why = `${name} is missing.`;
  } else
    switch (spec.is) {
      case 'int':
        if (typeof value !== 'number' || !Number.isInteger(value)) why = `${name} must be a whole number.`;
        else if (value < spec.min || value > spec.max)
          why = `${name} must be ${spec.min}–${spec.max}; got ${value}.`;
        break;
      case 'text':
        if (typeof value !== 'string') why = `${name} must be text.`;
        else if (!spec.pattern.test(value)) why = `${name} must be ${spec.rule}.`;
        break;
      case 'choice':
        if (!spec.of.includes(value as string)) why = `${name} must be one of ${spec.of.join(', ')}.`;
        break;
      case 'sentences': {
        let fit = Array.isArray(value) && value.length > 0 && value.length <= MAX_REPAIRS;
        for (const x of fit ? (value as unknown[]) : [])
          fit &&= typeof x === 'string' && x.length > 0 && x.length <= SENTENCE_MAX;
        if (!fit)
          why = `${name} must be a list of 1–${MAX_REPAIRS} sentences of at most ${SENTENCE_MAX} characters.`;
        break;
      }
      case 'prescription': {
        const parsed = parsePrescription(value);
        if (parsed.ok) return parsed.value;
        for (const e of parsed.error) errors.push({ field: `${name}.${e.field}`, message: e.message });
        return undefined;
      }
      // Checked before every other field: the one version this reads.
      case 'version':
        break;
    }
  if (why === undefined) return value;
  errors.push({ field: name, message: why });
  return undefined;
}

/** Validates an untrusted value (from storage or a message); returns every problem found. */
export function parseSessionLog(input: unknown): Result<SessionLog, SessionLogError[]> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return err([{ field: '', message: 'A session log must be an object.' }]);
  }
  const raw = input as Record<string, unknown>;
  if (raw.v !== SESSION_LOG_VERSION) {
    return err([
      {
        field: 'v',
        message: `Session log version ${JSON.stringify(raw.v)} is not supported; this app reads version ${SESSION_LOG_VERSION}.`,
      },
    ]);
  }
  const errors: SessionLogError[] = [];
  const names = Object.keys(LOG_FIELDS);
  for (const key of Object.keys(raw)) {
    if (!names.includes(key)) {
      errors.push({
        field: key,
        message: `"${key.slice(0, 40)}" is not a session log field.`,
      });
    }
  }
  const log: Record<string, unknown> = {};
  for (const name of names) {
    const value = readField(name, raw[name], errors);
    if (value !== undefined) log[name] = value;
  }
  const { startedAt, endedAt, activeMs, pausedMs, roundsDone, roundsPlanned } = log as SessionLog;
  if (log.painAt !== undefined && raw.pain == null)
    errors.push({ field: 'painAt', message: 'painAt is set but there is no pain rating.' });
  if (errors.length === 0 && roundsDone > roundsPlanned) {
    errors.push({
      field: 'roundsDone',
      message: `roundsDone (${roundsDone}) cannot exceed roundsPlanned (${roundsPlanned}).`,
    });
  }
  if (errors.length === 0 && endedAt < startedAt) {
    errors.push({
      field: 'endedAt',
      message: `The session ended before it started (endedAt ${endedAt} < startedAt ${startedAt}).`,
    });
  }
  if (errors.length === 0 && activeMs + pausedMs > endedAt - startedAt) {
    errors.push({
      field: 'activeMs',
      message: `activeMs + pausedMs (${activeMs + pausedMs} ms) is longer than the session (${endedAt - startedAt} ms).`,
    });
  }
  return errors.length > 0 ? err(errors) : ok(log as SessionLog);
}

/** The patient's calendar day of the session, at the offset the watch had when it started. */
export function localDate(log: Pick<SessionLog, 'startedAt' | 'utcOffsetMin'>): string {
  return dayOf(log.startedAt, log.utcOffsetMin);
}

/** "YYYY-MM-DD" of an instant seen at a UTC offset; calendar arithmetic on shifted UTC, no local zone. */
export function dayOf(utcMs: number, utcOffsetMin: number): string {
  return new Date(utcMs + utcOffsetMin * 60_000).toISOString().slice(0, 10);
}

/** The first and last local months a valid log can fall in ("2019-12" and "2100-01"). */
export const logMonths = (): { readonly first: string; readonly last: string } => ({
  first: dayOf(EARLIEST, OFFSET_MIN).slice(0, 7),
  last: dayOf(LATEST, OFFSET_MAX).slice(0, 7),
});

/** Whether `x` is an instant a log may carry. */
export const isLogTime = (x: unknown): x is number =>
  typeof x === 'number' && Number.isInteger(x) && x >= EARLIEST && x <= LATEST;

/** Whether `x` is an offset a log may carry. */
export const isUtcOffset = (x: unknown): x is number =>
  typeof x === 'number' && Number.isInteger(x) && x >= OFFSET_MIN && x <= OFFSET_MAX;

/**
 * The local months a log starting at `startedAt` may be stored under, whatever offset its watch had:
 * a log made again of the same session keeps its start and can differ in its offset (a watch before
 * 1.2 took it when logging). One or two months.
 */
export function monthsAround(startedAt: number): string[] {
  const first = dayOf(startedAt, OFFSET_MIN).slice(0, 7);
  const last = dayOf(startedAt, OFFSET_MAX).slice(0, 7);
  return first === last ? [first] : [first, last];
}

/** A session counts toward the daily target when every planned round was done, however it ended. */
export function countsTowardTarget(
  log: Pick<SessionLog, 'outcome' | 'roundsDone' | 'roundsPlanned'>,
): boolean {
  return log.outcome === 'completed' || log.roundsDone >= log.roundsPlanned;
}

/** Pain at or above this is flagged to the therapist (home-exercise apps flag ≥ 7). */
export const PAIN_FLAG_THRESHOLD = 7;
/** A rise from the rating before the session to the one after of at least this much is a flare too. */
export const PAIN_RISE_FLAG = 2;

/** After minus before, when both were rated. */
export function painChange(log: Pick<SessionLog, 'painBefore' | 'pain'>): number | undefined {
  return log.pain === undefined || log.painBefore === undefined ? undefined : log.pain - log.painBefore;
}

/**
 * Why a session is flagged to the therapist as a flare, or null: the rating after it reached
 * PAIN_FLAG_THRESHOLD, or rose by PAIN_RISE_FLAG or more from the rating before it.
 */
export function flare(log: Pick<SessionLog, 'painBefore' | 'pain'>): 'reached' | 'rose' | null {
  if (log.pain === undefined) return null;
  if (log.pain >= PAIN_FLAG_THRESHOLD) return 'reached';
  const change = painChange(log);
  return change !== undefined && change >= PAIN_RISE_FLAG ? 'rose' : null;
}

/** Same record, ignoring the pain rating: the one field that may arrive after the session is logged. */
export function sameSessionApartFromPain(a: SessionLog, b: SessionLog): boolean {
  const unrated = (l: SessionLog) => encodeSessionLog({ ...l, pain: undefined, painAt: undefined });
  return unrated(a) === unrated(b);
}

/**
 * Which copy of one session to keep: a pain rating given later (`painAt`) wins, and a rating wins over
 * none; everything else about a session never changes once logged. Returns the copy to store, or null
 * when the stored one stays.
 */
export function laterRating(stored: SessionLog, incoming: SessionLog): SessionLog | null {
  if (incoming.pain === undefined || !sameSessionApartFromPain(stored, incoming)) return null;
  if (stored.pain === undefined) return incoming;
  return (incoming.painAt ?? 0) > (stored.painAt ?? 0) ? incoming : null;
}

/** The fields in which two copies of one session differ, the pain rating apart, in field order. */
export function differingFields(a: SessionLog, b: SessionLog): string[] {
  const pa = toPlain(a);
  const pb = toPlain(b);
  return Object.keys(LOG_FIELDS).filter(
    (f) => f !== 'pain' && f !== 'painAt' && JSON.stringify(pa[f]) !== JSON.stringify(pb[f]),
  );
}

/**
 * Of two copies of one session (one id) that differ in more than the pain rating, the one that stands:
 * the copy that records more of the session (the later end, then more active time, then more rounds
 * done, then more of the measures a log may lack: the ratings and heart rates); where both record as
 * much, the copy stored first. A session logged as interrupted, then resumed and completed after a
 * crash kept its keys, is stored as completed; one logged again once the App Service's end reading
 * arrived keeps the reading. The other copy is never dropped: the phone keeps it whole aside and says
 * so in its answer (docs/sync.md, "Conflicts").
 */
export function copyThatStands(stored: SessionLog, sent: SessionLog): 'stored' | 'sent' {
  const measures = (l: SessionLog) =>
    +(l.painBefore !== undefined) +
    +(l.pain !== undefined) +
    +(l.hrStart !== undefined) +
    +(l.hrEnd !== undefined);
  const more =
    Math.sign(sent.endedAt - stored.endedAt) ||
    Math.sign(sent.activeMs - stored.activeMs) ||
    Math.sign(sent.roundsDone - stored.roundsDone) ||
    Math.sign(measures(sent) - measures(stored));
  return more > 0 ? 'sent' : 'stored';
}

/**
 * The sentence `repairSessionLog` writes for one field: what it held, and what is stored instead
 * (`logs.batch` carries it as its three parts: core/link/protocol).
 */
export const repairSentence = ([field, before, after]: readonly string[]): string =>
  `${field} ${before} was outside what a log holds; stored as ${after}.`;

const clamp = (x: unknown, min: number, max: number): number =>
  Math.min(max, Math.max(min, typeof x === 'number' && Number.isFinite(x) ? Math.round(x) : min));

/**
 * A log for a session whose record the schema refuses as built (a broken clock, a pause longer than a
 * log may hold, a version name the schema refuses): every number is brought within what a log may
 * hold, and `repairs` says, field by field, what was changed, so the session still reaches the
 * therapist and the numbers to distrust are named. Null only when the record names no session at all
 * (no valid id, routine or prescription): nothing the watch's own engine builds.
 */
export function repairSessionLog(record: Readonly<Record<string, unknown>>): SessionLog | null {
  const first = parseSessionLog(record);
  if (first.ok) return first.value;
  const r: Record<string, unknown> = { ...record };
  const repairs: string[] = [];
  const set = (field: string, value: unknown) => {
    if (r[field] === value) return;
    repairs.push(
      repairSentence([field, JSON.stringify(record[field]) ?? 'missing', JSON.stringify(value) ?? 'nothing']),
    );
    if (value === undefined) delete r[field];
    else r[field] = value;
  };
  if (typeof r.appVersion !== 'string' || !APP_VERSION_PATTERN.test(r.appVersion))
    set('appVersion', 'unknown');
  const offset = r.utcOffsetMin as number;
  set('utcOffsetMin', Number.isInteger(offset) && offset >= OFFSET_MIN && offset <= OFFSET_MAX ? offset : 0);
  const startedAt = clamp(r.startedAt, EARLIEST, LATEST - 32 * DAY_MS);
  set('startedAt', startedAt);
  const lasted = clamp((r.endedAt as number) - (record.startedAt as number), 0, LATEST - startedAt);
  const activeMs = clamp(r.activeMs, 0, Math.min(DAY_MS, lasted));
  set('activeMs', activeMs);
  set('pausedMs', clamp(r.pausedMs, 0, Math.min(MAX_PAUSED_MS, lasted - activeMs)));
  set('endedAt', startedAt + lasted);
  set('pauses', clamp(r.pauses, 0, MAX_COUNT));
  set('stepsSkipped', clamp(r.stepsSkipped, 0, MAX_COUNT));
  set('roundsPlanned', clamp(r.roundsPlanned, 1, 100));
  set('roundsDone', clamp(r.roundsDone, 0, r.roundsPlanned as number));
  // An optional field the log cannot hold is dropped, and so is a rating's time without its rating.
  for (const f in LOG_FIELDS) {
    const problems: SessionLogError[] = [];
    const spec = (LOG_FIELDS as LogFields)[f]!;
    if (spec.optional && spec.is !== 'sentences' && (readField(f, r[f], problems), problems.length > 0))
      set(f, undefined);
  }
  if (r.painAt !== undefined && r.pain == null) set('painAt', undefined);
  const kept = [...(Array.isArray(record.repairs) ? (record.repairs as string[]) : []), ...repairs];
  if (kept.length === 0) return null;
  const fixed = parseSessionLog({ ...r, repairs: foldRepairs(kept) });
  return fixed.ok ? fixed.value : null;
}
