/** Local wall-clock fields as the watch's Time sensor reports them (month 1–12). */
export interface LocalFields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

/**
 * The watch's offset from UTC, in minutes east, from its UTC clock and its local wall clock read at the
 * same moment. Rounded to the quarter hour every real time zone uses, so the seconds between the two
 * readings do not leak in. A clock reading that cannot be a time zone (beyond ±14 h) gives 0.
 */
export function utcOffsetMinutes(utcMs: number, local: LocalFields): number {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const minutes = Math.round((asUtc - utcMs) / 60_000 / 15) * 15;
  return Number.isFinite(minutes) && Math.abs(minutes) <= 14 * 60 ? minutes : 0;
}
