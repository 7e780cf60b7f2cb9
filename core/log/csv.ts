import { LATER_EXPORTS, laterFields, LOG_FIELDS } from './fields';
import { flare, localDate, painChange, type SessionLog } from './session-log';

/** What a missing heart rate reads as, everywhere the therapist sees it: never 0. */
export const NOT_MEASURED = 'not measured';

/**
 * The therapist's export: one row per session, raw timestamps first, RFC 4180 (CRLF line ends, a
 * header row, fields quoted when they hold a comma, quote or line break, quotes doubled). The columns of
 * 1.x, in the order a spreadsheet may already read them by, each built by hand (sessionRow).
 */
const FIRST_COLUMNS = [
  'started_at',
  'ended_at',
  'local_date',
  'session_id',
  'routine_id',
  'routine_version',
  'outcome',
  'rounds_done',
  'rounds_planned',
  'active_s',
  'paused_s',
  'pauses',
  'steps_skipped',
  'pain_before_0_10',
  'pain_0_10',
  'pain_change',
  'pain_flag',
  'hr_start_bpm',
  'hr_end_bpm',
  'rx_rounds',
  'rx_sweeps',
  'rx_hold_breaths',
  'rx_inhale_s',
  'rx_exhale_s',
  'rx_sessions_per_day',
  'app_version',
  'repairs',
] as const;

/**
 * Every column: those of 1.x, then one per field added to the log since, as the field table names it
 * (core/log/fields LATER_EXPORTS `csv`), holding the field's value as it is, empty when the log lacks it.
 */
export const CSV_COLUMNS: readonly string[] = [
  ...FIRST_COLUMNS,
  ...laterFields(LOG_FIELDS, LATER_EXPORTS).map(([, f]) => f.csv),
];

/** ISO 8601 local time with the watch's offset, e.g. 2026-11-25T15:03:12+01:00. */
export function isoWithOffset(utcMs: number, utcOffsetMin: number): string {
  const local = new Date(utcMs + utcOffsetMin * 60_000).toISOString().slice(0, 19);
  const sign = utcOffsetMin < 0 ? '-' : '+';
  const abs = Math.abs(utcOffsetMin);
  return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * One cell. A text a spreadsheet would read as a formula (one that starts with =, +, -, @, a tab or a
 * carriage return: OWASP's list) is prefixed with an apostrophe, so it shows as the text it is; a
 * number is written as it is (a negative change of pain stays a number).
 */
export function csvField(value: string | number): string {
  const text = typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function seconds(ms: number): string {
  // One decimal: durations are what a therapist reads, milliseconds are noise.
  return (Math.round(ms / 100) / 10).toString();
}

function sessionRow(log: SessionLog, later: readonly string[]): string {
  const p = log.prescription;
  const cells: (string | number)[] = [
    isoWithOffset(log.startedAt, log.utcOffsetMin),
    isoWithOffset(log.endedAt, log.utcOffsetMin),
    localDate(log),
    log.id,
    log.routineId,
    log.routineVersion,
    log.outcome,
    log.roundsDone,
    log.roundsPlanned,
    seconds(log.activeMs),
    seconds(log.pausedMs),
    log.pauses,
    log.stepsSkipped,
    log.painBefore ?? '',
    log.pain ?? '',
    // After minus before, unsigned when positive: a number, never read as a formula.
    painChange(log) ?? '',
    // A flare: pain after reached 7, or rose by 2 or more from before.
    flare(log) !== null ? 'yes' : '',
    log.hrStart ?? NOT_MEASURED,
    log.hrEnd ?? NOT_MEASURED,
    p.rounds,
    p.sweeps,
    p.holdBreaths,
    p.inhaleSec,
    p.exhaleSec,
    p.sessionsPerDay,
    log.appVersion,
    // What the watch changed to store a session the schema would refuse (a broken clock, say).
    (log.repairs ?? []).join(' | '),
  ];
  for (const name of later)
    cells.push(((log as Readonly<Record<string, unknown>>)[name] as string | number | undefined) ?? '');
  return cells.map(csvField).join(',');
}

export function sessionsCsv(logs: Iterable<SessionLog>): string {
  const rows = [CSV_COLUMNS.join(',')];
  const later = laterFields(LOG_FIELDS, LATER_EXPORTS).map(([name]) => name);
  for (const log of logs) rows.push(sessionRow(log, later));
  return rows.join('\r\n') + '\r\n';
}
