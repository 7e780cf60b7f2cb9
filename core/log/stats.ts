import { countsTowardTarget, flare, localDate, type SessionLog } from './session-log';

/**
 * Adherence in days, as the therapist and remote-monitoring billing count it. Every day is the
 * patient's local calendar day at the offset the watch had for that session.
 */
export interface DayTally {
  readonly date: string;
  /** Sessions logged, whatever the outcome: "data on that day" for monitoring. */
  readonly sessions: number;
  /** Sessions that count toward the daily target (see countsTowardTarget). */
  readonly counted: number;
}

export interface DayAdherence extends DayTally {
  readonly target: number;
  readonly met: boolean;
}

export interface Summary {
  readonly date: string;
  readonly today: number;
  readonly target: number;
  /** Consecutive days with at least one counted session, ending today, or yesterday if today has none yet. */
  readonly streak: number;
  /** Oldest first, ending today. */
  readonly last7: readonly DayTally[];
  /** Days with any session among the last 30 including today. */
  readonly activeDays30: number;
  /** Remote therapeutic monitoring wants data on 16 of 30 days. */
  readonly monitoringMet: boolean;
  /** Sessions flagged as a flare (see `flare`) in the last 30 days. */
  readonly painFlags30: number;
}

const MONITORING_WINDOW_DAYS = 30;
export const MONITORING_DAYS_NEEDED = 16;
/** Streaks longer than ten years are not counted further: the walk back must end somewhere. */
export const MAX_STREAK_DAYS = 3660;

export type TallyOf = (date: string) => DayTally;

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function tallyLogs(logs: Iterable<SessionLog>): Map<string, DayTally> {
  const days = new Map<string, DayTally>();
  for (const log of logs) {
    const date = localDate(log);
    const t = days.get(date) ?? { date, sessions: 0, counted: 0 };
    days.set(date, {
      date,
      sessions: t.sessions + 1,
      counted: t.counted + (countsTowardTarget(log) ? 1 : 0),
    });
  }
  return days;
}

export function lookup(days: ReadonlyMap<string, DayTally>): TallyOf {
  return (date) => days.get(date) ?? { date, sessions: 0, counted: 0 };
}

export function streak(tallyOf: TallyOf, today: string): number {
  let day = tallyOf(today).counted > 0 ? today : addDays(today, -1);
  let n = 0;
  while (n < MAX_STREAK_DAYS && tallyOf(day).counted > 0) {
    n++;
    day = addDays(day, -1);
  }
  return n;
}

/** One row per day from `from` to `to` inclusive, oldest first. */
export function adherence(tallyOf: TallyOf, from: string, to: string, target: number): DayAdherence[] {
  const out: DayAdherence[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const t = tallyOf(day);
    out.push({ ...t, target, met: t.counted >= target });
  }
  return out;
}

export function activeDays(tallyOf: TallyOf, today: string, window = MONITORING_WINDOW_DAYS): number {
  let n = 0;
  for (let i = 0; i < window; i++) if (tallyOf(addDays(today, -i)).sessions > 0) n++;
  return n;
}

/** The sessions flagged as a flare: pain after reached 7, or rose by 2 or more from before. */
export function painFlags(logs: Iterable<SessionLog>): SessionLog[] {
  const out: SessionLog[] = [];
  for (const log of logs) if (flare(log) !== null) out.push(log);
  return out;
}

/** Remote-monitoring day counts a therapist reads (counts only: what they are worth is not ours to say). */
export const MONITORING_PERIOD_DAYS = 30;
export const MONITORING_THRESHOLDS = [2, 16] as const;

export interface MonitoringPeriod {
  /** The period's first day: periods of 30 days follow one another from the first day with data. */
  readonly first: string;
  readonly last: string;
  /** Days with data from `first` to today. */
  readonly daysWithData: number;
  /** Of MONITORING_THRESHOLDS, those `daysWithData` has reached. */
  readonly passed: readonly number[];
  /** Days of the period after today. */
  readonly daysLeft: number;
}

/**
 * The current 30-day monitoring period: periods start on the first day with data and follow one another
 * without gaps, so the one holding today starts a multiple of 30 days after it. Null before any data,
 * or when the first day with data is after today (a watch clock ahead of the phone's).
 */
export function monitoringPeriod(
  tallyOf: TallyOf,
  firstDayWithData: string | undefined,
  today: string,
): MonitoringPeriod | null {
  if (firstDayWithData === undefined || firstDayWithData > today) return null;
  const elapsed = daysBetween(firstDayWithData, today);
  const first = addDays(firstDayWithData, elapsed - (elapsed % MONITORING_PERIOD_DAYS));
  const last = addDays(first, MONITORING_PERIOD_DAYS - 1);
  let daysWithData = 0;
  for (let day = first; day <= today; day = addDays(day, 1)) if (tallyOf(day).sessions > 0) daysWithData++;
  return {
    first,
    last,
    daysWithData,
    passed: MONITORING_THRESHOLDS.filter((n) => daysWithData >= n),
    daysLeft: daysBetween(today, last),
  };
}

/** Whole days from `a` to `b` ("YYYY-MM-DD"), negative when `b` is earlier. */
export function daysBetween(a: string, b: string): number {
  const ms = (d: string) => {
    const [y, m, day] = d.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, day);
  };
  return Math.round((ms(b) - ms(a)) / 86_400_000);
}

export function summarize(tallyOf: TallyOf, today: string, target: number, painFlags30: number): Summary {
  const last7: DayTally[] = [];
  for (let i = 6; i >= 0; i--) last7.push(tallyOf(addDays(today, -i)));
  const active = activeDays(tallyOf, today);
  return {
    date: today,
    today: tallyOf(today).counted,
    target,
    streak: streak(tallyOf, today),
    last7,
    activeDays30: active,
    monitoringMet: active >= MONITORING_DAYS_NEEDED,
    painFlags30,
  };
}
