import { sessionsCsv } from '../log/csv';
import { sessionsFhir } from '../log/fhir';
import type { History } from '../phone/history';
import type { Params, Translate } from '../base/i18n';
import {
  BOUNDS,
  MAX_REMINDERS,
  samePrescription,
  updatePrescription,
  type NumericField,
  type Prescription,
} from '../plan/prescription';
import type { PrescriptionRecord } from '../link/protocol';
import {
  dayOf,
  flare,
  localDate,
  painChange,
  PAIN_FLAG_THRESHOLD,
  PAIN_RISE_FLAG,
  type SessionLog,
} from '../log/session-log';
import { addDays, adherence, lookup, monitoringPeriod, painFlags, summarize, tallyLogs } from '../log/stats';

/**
 * The phone's Settings App page as data: what each section says, what each field holds, and what an
 * edit does. The page itself (setting/index.ts) only lays these out with the Settings App components
 * and forwards edits; every rule (bounds, messages, which week, what counts) is here.
 */

/** The page's own state: the last refused edit or notice, and whether the export is open. */
export const SETTINGS_FORM_KEY = 'settings.form';
/** How many of the latest sessions the page lists. */
export const RECENT_SESSIONS = 20;

/** What the therapist edits on the phone, in the order the page shows it. */
export const EDITABLE_FIELDS = [
  'rounds',
  'sweeps',
  'holdBreaths',
  'inhaleSec',
  'exhaleSec',
  'sessionsPerDay',
] as const satisfies readonly NumericField[];
export type EditableField = (typeof EDITABLE_FIELDS)[number];
const REMINDER_FIELDS = ['reminder1', 'reminder2'] as const;
export type ReminderField = (typeof REMINDER_FIELDS)[number];
export type FormField = EditableField | ReminderField;

const FIELD_ERROR_CODES = [
  'not_a_number',
  'not_an_integer',
  'out_of_range',
  'bad_time',
  'duplicate_reminder',
  'unknown_field',
] as const;
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

const NOTICES = ['saved', 'conflict', 'storage'] as const;
type Notice = (typeof NOTICES)[number];

/** Why an edit was refused. Kept as data so the message is translated when shown, not when stored. */
export interface FieldError {
  readonly field: FormField;
  readonly code: FieldErrorCode;
  /** What was typed, trimmed and cut to 40 characters. */
  readonly value: string;
}

export interface FormState {
  /** The last refused edit: its field shows what was typed and why it was refused. */
  readonly refused?: FieldError;
  /** The outcome of the last accepted edit. */
  readonly notice?: Notice;
  readonly exportOpen: boolean;
  /** The FHIR export is open (beside the CSV; each is built only while open). */
  readonly fhirOpen?: boolean;
}

export const EMPTY_FORM: FormState = { exportOpen: false };

const FORM_FIELDS: readonly string[] = [...EDITABLE_FIELDS, ...REMINDER_FIELDS];
const oneOf = <T extends string>(list: readonly T[], value: unknown): value is T =>
  (list as readonly unknown[]).includes(value);

export function encodeForm(form: FormState): string {
  return JSON.stringify(form);
}

/** The stored page state, or an empty one: a broken value only loses a message, never data. */
export function decodeForm(raw: string | undefined): FormState {
  if (raw === undefined) return EMPTY_FORM;
  try {
    const v = JSON.parse(raw) as Record<string, unknown>;
    if (typeof v !== 'object' || v === null) return EMPTY_FORM;
    const r = v.refused as Record<string, unknown> | undefined;
    const refused =
      typeof r === 'object' &&
      r !== null &&
      FORM_FIELDS.includes(r.field as string) &&
      oneOf(FIELD_ERROR_CODES, r.code) &&
      typeof r.value === 'string'
        ? ({ field: r.field, code: r.code, value: r.value.slice(0, 40) } as FieldError)
        : undefined;
    const notice = oneOf(NOTICES, v.notice) ? v.notice : undefined;
    return {
      exportOpen: v.exportOpen === true,
      ...(v.fhirOpen === true ? { fhirOpen: true } : {}),
      ...(refused ? { refused } : {}),
      ...(notice ? { notice } : {}),
    };
  } catch {
    return EMPTY_FORM;
  }
}

const NUMBER = /^[+-]?\d+(\.\d+)?$/;
const TIME = /^(\d{1,2}):(\d{2})$/;

/** "9:30" → "09:30"; anything that is not a 24-hour time is refused. */
export function normaliseTime(text: string): string | undefined {
  const m = TIME.exec(text.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return undefined;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

/**
 * The prescription with one field changed to what was typed, or why that is refused. Numbers are
 * checked by core's own bounds (parsePrescription), never clamped; an empty reminder slot removes it.
 */
export function editPrescription(
  current: Prescription,
  field: FormField,
  text: string,
): { ok: true; value: Prescription } | { ok: false; error: FieldError } {
  const typed = text.trim().slice(0, 40);
  const refuse = (code: FieldErrorCode) => ({ ok: false as const, error: { field, code, value: typed } });
  if (!FORM_FIELDS.includes(field)) return refuse('unknown_field');
  let change: Record<string, unknown>;
  if ((REMINDER_FIELDS as readonly string[]).includes(field)) {
    const slots = [current.reminders[0] ?? '', current.reminders[1] ?? ''];
    const slot = field === 'reminder1' ? 0 : 1;
    if (typed === '') slots[slot] = '';
    else {
      const time = normaliseTime(typed);
      if (time === undefined) return refuse('bad_time');
      slots[slot] = time;
    }
    change = { reminders: slots.filter((s) => s !== '').slice(0, MAX_REMINDERS) };
  } else {
    if (!NUMBER.test(typed)) return refuse('not_a_number');
    change = { [field]: Number(typed) };
  }
  const next = updatePrescription(current, change);
  if (next.ok) return next;
  const code = next.error[0]?.code;
  switch (code) {
    case 'not_an_integer':
    case 'out_of_range':
    case 'duplicate_reminder':
      return refuse(code);
    case 'bad_reminder':
    case 'too_many_reminders':
      return refuse('bad_time');
    // A field the form knows, a number it parsed, an object it built: none of these can come back.
    case 'bad_strength':
    case 'not_a_number':
    case 'not_an_object':
    case 'unknown_field':
    case undefined:
      return refuse('not_a_number');
  }
}

/**
 * Carries out one edit from the page: refused edits are only remembered (to be shown); accepted ones are
 * saved through the history's revisioned write, against the revision the page showed, so an edit made
 * on the watch in the meantime is not overwritten.
 */
export function applyEdit(
  history: Pick<History, 'prescription' | 'setPrescription'>,
  shownRevision: number,
  form: FormState,
  field: FormField,
  text: string,
): FormState {
  const base = { exportOpen: form.exportOpen, ...(form.fhirOpen ? { fhirOpen: true } : {}) };
  const current = history.prescription();
  if (current.revision !== shownRevision) return { ...base, notice: 'conflict' };
  const edited = editPrescription(current.prescription, field, text);
  if (!edited.ok) return { ...base, refused: edited.error };
  if (samePrescription(edited.value, current.prescription)) return base;
  const saved = history.setPrescription(edited.value, shownRevision);
  if (saved.ok) return { ...base, notice: 'saved' };
  return { ...base, notice: saved.error.code };
}

// ---- the view -----------------------------------------------------------------------------------

export interface SettingsInputs {
  /** Every stored session, oldest first (History.all()). */
  readonly logs: readonly SessionLog[];
  readonly record: PrescriptionRecord;
  readonly form: FormState;
  /** The phone's clock and offset: "this week" is the phone user's week. */
  readonly now: number;
  readonly utcOffsetMin: number;
  /** Copies of sessions kept aside by the conflict rule (History.conflicts()); 0 when absent. */
  readonly keptAside?: number;
}

export interface SessionRow {
  readonly id: string;
  /** Local date and time at the watch's offset then, "2026-11-25 15:00". */
  readonly when: string;
  readonly outcome: string;
  readonly rounds: string;
  readonly time: string;
  /** "3 → 5 (+2)", "5", "not rated"; with the flag mark when flagged. */
  readonly pain: string;
  /** A flare: pain after reached 7, or rose by 2 or more from before. */
  readonly painFlag: boolean;
  /** "heart rate 72 → 64 bpm", or which reading was not measured. */
  readonly heartRate: string;
  /** The whole row as one line. */
  readonly text: string;
}

export interface WeekDay {
  readonly date: string;
  readonly label: string;
  readonly counted: number;
  readonly target: number;
  /** null for days of the week still to come. */
  readonly met: boolean | null;
  readonly text: string;
}

export interface FieldView {
  readonly field: FormField;
  readonly label: string;
  /** What the input holds: the stored value, or the refused text so the user sees what was refused. */
  readonly value: string;
  /** The allowed range, e.g. "1–6" or "2–8 s"; for reminders the format. */
  readonly hint: string;
  readonly error?: string;
}

export interface SettingsView {
  readonly title: string;
  readonly adherence: {
    readonly title: string;
    readonly streak: string;
    readonly week: string;
    readonly days: readonly WeekDay[];
    /** Remote-monitoring day counts of the current 30-day period: counts only. */
    readonly monitoring: string;
    readonly painFlags: string;
  };
  /** Every flagged session, newest first (at most RECENT_SESSIONS). */
  readonly flagged: {
    readonly title: string;
    readonly empty?: string;
    readonly rows: readonly SessionRow[];
  };
  readonly recent: {
    readonly title: string;
    readonly empty?: string;
    readonly rows: readonly SessionRow[];
    /** Said when copies of sessions are kept aside (docs/sync.md, "Conflicts"): how many, and why. */
    readonly keptAside?: string;
  };
  readonly prescription: {
    readonly title: string;
    readonly description: string;
    readonly fields: readonly FieldView[];
    readonly notice?: string;
  };
  readonly export: {
    readonly title: string;
    readonly description: string;
    readonly button: string;
    /** The CSV, only while the export is open: 5,000 sessions are ~750 KB to lay out. */
    readonly csv?: string;
    readonly rows: number;
    readonly fhirButton: string;
    /** The FHIR R4 Bundle as JSON, only while open (5,000 sessions are about 20 MB). */
    readonly fhir?: string;
  };
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** 0 = Sunday … 6 = Saturday, of a "YYYY-MM-DD". */
function weekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** Monday of the week holding `date` (ISO weeks start on Monday). */
export function weekStart(date: string): string {
  return addDays(date, -((weekday(date) + 6) % 7));
}

function localDateTime(utcMs: number, utcOffsetMin: number): string {
  return new Date(utcMs + utcOffsetMin * 60_000).toISOString().slice(0, 16).replace('T', ' ');
}

function range(field: EditableField, t: Translate): string {
  const b = BOUNDS[field];
  return t(b.unit === 'seconds' ? 'settings.range.seconds' : 'settings.range.count', {
    min: b.min,
    max: b.max,
  });
}

function label(field: FormField, t: Translate): string {
  return t(`settings.field.${field}`);
}

export function errorMessage(error: FieldError, t: Translate): string {
  const isReminder = (REMINDER_FIELDS as readonly string[]).includes(error.field);
  const params: Params = {
    label: label(error.field, t),
    value: error.value,
    range: isReminder ? '00:00–23:59' : range(error.field as EditableField, t),
  };
  switch (error.code) {
    case 'out_of_range':
      return t('settings.error.range', params);
    case 'bad_time':
      return t('settings.error.time', params);
    case 'duplicate_reminder':
      return t('settings.error.duplicate', params);
    case 'unknown_field':
      return t('settings.error.unknown', params);
    case 'not_a_number':
    case 'not_an_integer':
      return t('settings.error.number', params);
  }
}

/** "+2", "−1", "±0": the change from before to after, as the therapist reads it. */
export function signedChange(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '±0';
}

function painText(log: SessionLog, t: Translate): string {
  const change = painChange(log);
  if (change !== undefined)
    return t('settings.pain.change', {
      before: log.painBefore!,
      after: log.pain!,
      change: signedChange(change),
    });
  if (log.painBefore !== undefined) return t('settings.pain.beforeOnly', { before: log.painBefore });
  return log.pain === undefined ? t('settings.pain.none') : String(log.pain);
}

/** "heart rate 72 → 64 bpm"; a missing reading says "not measured", never 0. */
export function heartRateText(log: Pick<SessionLog, 'hrStart' | 'hrEnd'>, t: Translate): string {
  const { hrStart, hrEnd } = log;
  if (hrStart !== undefined && hrEnd !== undefined)
    return t('settings.hr.both', { start: hrStart, end: hrEnd });
  if (hrStart === undefined && hrEnd === undefined) return t('settings.hr.none');
  const side = (bpm: number | undefined) =>
    bpm === undefined ? t('settings.hr.notMeasured') : t('settings.hr.bpm', { bpm });
  return t('settings.hr.partial', { start: side(hrStart), end: side(hrEnd) });
}

function sessionRow(log: SessionLog, t: Translate): SessionRow {
  const seconds = Math.round(log.activeMs / 1000);
  const when = localDateTime(log.startedAt, log.utcOffsetMin);
  const outcome = t(`settings.outcome.${log.outcome}`);
  const rounds = t('settings.rounds', { done: log.roundsDone, planned: log.roundsPlanned });
  const time = t('settings.duration', { minutes: Math.floor(seconds / 60), seconds: seconds % 60 });
  const painFlag = flare(log) !== null;
  const rated = painText(log, t);
  const pain = painFlag ? t('settings.pain.flagged', { pain: rated }) : rated;
  const heartRate = heartRateText(log, t);
  return {
    id: log.id,
    when,
    outcome,
    rounds,
    time,
    pain,
    painFlag,
    heartRate,
    text: t('settings.session', { when, outcome, rounds, time, pain, hr: heartRate }),
  };
}

function monitoringText(
  logs: readonly SessionLog[],
  tallyOf: ReturnType<typeof lookup>,
  today: string,
  t: Translate,
): string {
  const first = logs.reduce<string | undefined>((lo, l) => {
    const d = localDate(l);
    return lo === undefined || d < lo ? d : lo;
  }, undefined);
  const period = monitoringPeriod(tallyOf, first, today);
  if (period === null) return t('settings.monitoring.none');
  const passed = period.passed.length;
  return t('settings.monitoring', {
    days: period.daysWithData,
    first: period.first,
    last: period.last,
    left: period.daysLeft,
    passed: t(
      passed === 0
        ? 'settings.monitoring.passed0'
        : passed === 1
          ? 'settings.monitoring.passed1'
          : 'settings.monitoring.passed2',
    ),
  });
}

export function settingsView(i: SettingsInputs, t: Translate): SettingsView {
  const { prescription, revision } = i.record;
  const target = prescription.sessionsPerDay;
  const today = dayOf(i.now, i.utcOffsetMin);
  const tallyOf = lookup(tallyLogs(i.logs));
  const from30 = addDays(today, -29);
  const flags = painFlags(i.logs.filter((l) => localDate(l) >= from30 && localDate(l) <= today)).length;
  const summary = summarize(tallyOf, today, target, flags);

  const monday = weekStart(today);
  const days: WeekDay[] = adherence(tallyOf, monday, addDays(monday, 6), target).map((d) => {
    const future = d.date > today;
    const dayLabel = t(`settings.weekday.${WEEKDAYS[weekday(d.date)]}`);
    return {
      date: d.date,
      label: dayLabel,
      counted: d.counted,
      target: d.target,
      met: future ? null : d.met,
      text: future
        ? t('settings.day.future', { day: dayLabel })
        : t(d.met ? 'settings.day.met' : 'settings.day.missed', {
            day: dayLabel,
            done: d.counted,
            target: d.target,
          }),
    };
  });
  const past = days.filter((d) => d.met !== null);

  const recent = i.logs
    .slice(-RECENT_SESSIONS)
    .reverse()
    .map((l) => sessionRow(l, t));

  const flaggedRows = painFlags(i.logs)
    .slice(-RECENT_SESSIONS)
    .reverse()
    .map((l) => sessionRow(l, t));

  const refused = i.form.refused;
  const fields: FieldView[] = [
    ...EDITABLE_FIELDS.map((field) => ({ field, value: String(prescription[field]), hint: range(field, t) })),
    ...REMINDER_FIELDS.map((field, n) => ({
      field,
      value: prescription.reminders[n] ?? '',
      hint: t(n === 0 ? 'settings.hint.reminder1' : 'settings.hint.reminder2'),
    })),
  ].map((f) => ({
    ...f,
    label: label(f.field, t),
    ...(refused && refused.field === f.field
      ? { value: refused.value, error: errorMessage(refused, t) }
      : {}),
  }));

  const notice = i.form.notice;
  return {
    title: t('settings.title'),
    adherence: {
      title: t('settings.adherence.title'),
      streak: t('settings.streak', { days: summary.streak }),
      week: t('settings.week', {
        met: past.filter((d) => d.met).length,
        days: past.length,
        target,
      }),
      days,
      monitoring: monitoringText(i.logs, tallyOf, today, t),
      painFlags: t('settings.painFlags', {
        count: summary.painFlags30,
        threshold: PAIN_FLAG_THRESHOLD,
        rise: PAIN_RISE_FLAG,
      }),
    },
    flagged: {
      title: t('settings.flagged.title'),
      ...(flaggedRows.length === 0 ? { empty: t('settings.flagged.empty') } : {}),
      rows: flaggedRows,
    },
    recent: {
      title: t('settings.recent.title', { count: Math.min(RECENT_SESSIONS, i.logs.length) }),
      ...(recent.length === 0 ? { empty: t('settings.recent.empty') } : {}),
      rows: recent,
      ...(i.keptAside ? { keptAside: t('settings.keptAside', { count: i.keptAside }) } : {}),
    },
    prescription: {
      title: t('settings.prescription.title'),
      description: t('settings.prescription.description', { revision }),
      fields,
      ...(notice ? { notice: t(`settings.notice.${notice}`) } : {}),
    },
    export: {
      title: t('settings.export.title'),
      description: t('settings.export.description', { rows: i.logs.length }),
      button: t(i.form.exportOpen ? 'settings.export.hide' : 'settings.export.show'),
      rows: i.logs.length,
      ...(i.form.exportOpen ? { csv: sessionsCsv(i.logs) } : {}),
      fhirButton: t(i.form.fhirOpen ? 'settings.export.hideFhir' : 'settings.export.showFhir'),
      ...(i.form.fhirOpen ? { fhir: sessionsFhir(i.logs, i.now, i.utcOffsetMin) } : {}),
    },
  };
}
