import { err, ok, type Result } from '../base/result';

/**
 * What the therapist prescribes. Counts come from the therapist's write-up (3–4 rounds, 3–4 sweeps,
 * 3–4 hold breaths, 1–2 sessions a day); seconds are our default pacing. Every number has bounds: a
 * value outside them is refused with a message that names the bound, never clamped silently.
 */
export interface Prescription {
  readonly rounds: number;
  readonly sweeps: number;
  readonly holdBreaths: number;
  readonly inhaleSec: number;
  readonly exhaleSec: number;
  readonly setupSec: number;
  readonly lengthenSec: number;
  readonly halfSweepSec: number;
  readonly returnSec: number;
  readonly relaxSec: number;
  readonly sessionsPerDay: number;
  /** Local times "HH:MM" of the daily reminders, at most two, no duplicates. */
  readonly reminders: readonly string[];
  /** Vibration strength the patient chose: light, medium or strong. */
  readonly strength: Strength;
}

export const STRENGTHS = ['light', 'medium', 'strong'] as const;
export type Strength = (typeof STRENGTHS)[number];

export type NumericField = Exclude<keyof Prescription, 'reminders' | 'strength'>;

export interface Bound {
  readonly min: number;
  readonly max: number;
  readonly unit: 'count' | 'seconds';
}

const count = (min: number, max: number): Bound => ({ min, max, unit: 'count' });
const seconds = (min: number, max: number): Bound => ({ min, max, unit: 'seconds' });

export const BOUNDS: { readonly [K in NumericField]: Bound } = {
  rounds: count(1, 6),
  sweeps: count(1, 6),
  holdBreaths: count(1, 8),
  inhaleSec: seconds(2, 8),
  exhaleSec: seconds(2, 10),
  setupSec: seconds(3, 30),
  lengthenSec: seconds(3, 20),
  halfSweepSec: seconds(2, 8),
  returnSec: seconds(2, 10),
  relaxSec: seconds(2, 10),
  sessionsPerDay: count(1, 3),
};

export const MAX_REMINDERS = 2;

// Not frozen: readonly types keep it unchanged at compile time, and the session page's heap (measured in
// the double) is about 0.35 KB smaller without the freeze.
export const DEFAULT_PRESCRIPTION: Prescription = {
  rounds: 3,
  sweeps: 3,
  holdBreaths: 3,
  inhaleSec: 4,
  exhaleSec: 6,
  setupSec: 10,
  lengthenSec: 8,
  halfSweepSec: 3,
  returnSec: 4,
  relaxSec: 3,
  sessionsPerDay: 1,
  reminders: ['15:00'],
  strength: 'medium' as const,
};

/**
 * The largest prescription the bounds allow: benchmarks and tests use it as the worst case. Marked pure
 * so that no page's bundle builds it (no page uses it).
 */
export const MAXIMAL_PRESCRIPTION: Prescription = /* @__PURE__ */ (() =>
  Object.freeze({
    ...DEFAULT_PRESCRIPTION,
    ...(Object.fromEntries(Object.entries(BOUNDS).map(([k, b]) => [k, b.max])) as Record<
      NumericField,
      number
    >),
  }))();

export type PrescriptionErrorCode =
  | 'not_an_object'
  | 'unknown_field'
  | 'not_a_number'
  | 'not_an_integer'
  | 'out_of_range'
  | 'bad_reminder'
  | 'too_many_reminders'
  | 'duplicate_reminder'
  | 'bad_strength';

export interface PrescriptionError {
  readonly field: string;
  readonly code: PrescriptionErrorCode;
  readonly message: string;
}

const FIELDS = Object.keys(DEFAULT_PRESCRIPTION) as (keyof Prescription)[];
const NUMERIC_FIELDS = Object.keys(BOUNDS) as NumericField[];
const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function describeBound(field: NumericField): string {
  const b = BOUNDS[field];
  return `${b.min}–${b.max}${b.unit === 'seconds' ? ' s' : ''}`;
}

/**
 * Checks an untrusted value (a phone setting, a stored record, a message) and returns either a whole
 * prescription or every violation found. Missing fields take the defaults; unknown ones are refused.
 */
export function parsePrescription(input: unknown): Result<Prescription, PrescriptionError[]> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return err([
      { field: '', code: 'not_an_object', message: 'A prescription must be an object of named settings.' },
    ]);
  }
  const raw = input as Record<string, unknown>;
  const errors: PrescriptionError[] = [];
  const refuse = (field: string, code: PrescriptionErrorCode, message: string): void =>
    void errors.push({ field, code, message });
  for (const key of Object.keys(raw)) {
    if (!(FIELDS as string[]).includes(key))
      refuse(key, 'unknown_field', `"${key}" is not a prescription setting; allowed: ${FIELDS.join(', ')}.`);
  }
  const out: Record<string, unknown> = { ...DEFAULT_PRESCRIPTION };
  for (const field of NUMERIC_FIELDS) {
    if (!(field in raw) || raw[field] === undefined) continue;
    const value = raw[field];
    const bound = BOUNDS[field];
    // Only built for a message: every stored log is checked on every read.
    const range = (): string => describeBound(field);
    if (typeof value === 'number' && Number.isInteger(value) && value >= bound.min && value <= bound.max) {
      out[field] = value;
    } else if (!Number.isInteger(value)) {
      // One sentence for a non-number and a fraction (their codes differ): each is not a whole number.
      const code = typeof value !== 'number' || !Number.isFinite(value) ? 'not_a_number' : 'not_an_integer';
      refuse(field, code, `${field} must be a whole number (${range()}).`);
    } else {
      refuse(field, 'out_of_range', `${field} must be ${range()}; got ${value}.`);
    }
  }
  if ('reminders' in raw && raw.reminders !== undefined) {
    const reminders = raw.reminders;
    if (!Array.isArray(reminders)) {
      refuse('reminders', 'bad_reminder', 'reminders must be a list of "HH:MM" times.');
    } else if (reminders.length > MAX_REMINDERS) {
      refuse(
        'reminders',
        'too_many_reminders',
        `At most ${MAX_REMINDERS} reminders a day; got ${reminders.length}.`,
      );
    } else {
      const bad = reminders.filter((r) => typeof r !== 'string' || !HHMM.test(r));
      if (bad.length > 0) {
        refuse(
          'reminders',
          'bad_reminder',
          `Reminder times must be 24-hour "HH:MM" (00:00–23:59); got ${bad.map((b) => JSON.stringify(b)).join(', ')}.`,
        );
      } else if (new Set(reminders).size !== reminders.length) {
        refuse('reminders', 'duplicate_reminder', 'Two reminders at the same time.');
      } else {
        out.reminders = [...(reminders as string[])].sort();
      }
    }
  }
  if ('strength' in raw && raw.strength !== undefined) {
    if (typeof raw.strength !== 'string' || !(STRENGTHS as readonly string[]).includes(raw.strength)) {
      refuse(
        'strength',
        'bad_strength',
        `strength must be one of ${STRENGTHS.join(', ')}; got ${JSON.stringify(raw.strength)}.`,
      );
    } else {
      out.strength = raw.strength;
    }
  }
  return errors.length > 0 ? err(errors) : ok(out as unknown as Prescription);
}

/** Applies a partial change (one edited field on the phone, say) to a valid prescription. */
export function updatePrescription(
  current: Prescription,
  change: Record<string, unknown>,
): Result<Prescription, PrescriptionError[]> {
  return parsePrescription({ ...current, ...change });
}

export function samePrescription(a: Prescription, b: Prescription): boolean {
  return FIELDS.every((f) =>
    f === 'reminders' ? a.reminders.join(',') === b.reminders.join(',') : a[f] === b[f],
  );
}
