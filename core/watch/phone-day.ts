import type { KeyValueStore } from '../base/kv';
import { addDays, MAX_STREAK_DAYS, type Summary } from '../log/stats';

/**
 * What the phone last said of the patient's day, kept on the watch by the page that asked it (one that
 * talks to the phone), for home, which does not: today's counted sessions and the streak. The phone
 * knows the whole history; the watch's own recent days cover a week, so a longer streak comes from here.
 * A convenience copy: unreadable, it is ignored and the next answer replaces it.
 */
export const PHONE_DAY_KEY = 'phone.day';

export interface PhoneDay {
  /** The phone's local day when it answered. */
  readonly date: string;
  /** Sessions that counted toward the target that day. */
  readonly today: number;
  /** Consecutive days with a counted session, ending that day, or the day before if it had none yet. */
  readonly streak: number;
}

export function keepPhoneDay(store: KeyValueStore, summary: Summary): void {
  const day: PhoneDay = { date: summary.date, today: summary.today, streak: summary.streak };
  store.set(PHONE_DAY_KEY, JSON.stringify(day));
}

const count = (x: unknown, max: number): x is number =>
  Number.isInteger(x) && (x as number) >= 0 && (x as number) <= max;

export function readPhoneDay(store: KeyValueStore): PhoneDay | null {
  const raw = store.get(PHONE_DAY_KEY);
  if (raw === undefined) return null;
  try {
    const d = JSON.parse(raw) as Partial<PhoneDay> | null;
    return d &&
      typeof d.date === 'string' &&
      /^\d{4}-\d{2}-\d{2}$/.test(d.date) &&
      addDays(d.date, 0) === d.date &&
      count(d.today, 100_000) &&
      count(d.streak, MAX_STREAK_DAYS)
      ? { date: d.date, today: d.today, streak: d.streak }
      : null;
  } catch {
    return null;
  }
}

/**
 * What the phone's day says of `today` (the watch's local day), given how many counted sessions the
 * watch itself logged today (it may have logged one the phone has not heard of yet). The phone's streak
 * ends on its day once that day has a counted session, else the day before; a session today extends a
 * streak that reaches yesterday. Said today: today's count and that streak. Said yesterday after a
 * counted session: that streak. Anything older says nothing.
 */
export function phoneToday(
  day: PhoneDay | null,
  today: string,
  ownCountedToday: number,
): { readonly today: number; readonly streak: number } {
  const yesterday = addDays(today, -1);
  // The last day the phone's streak covers, if it reaches yesterday or today.
  const through =
    day?.date === today
      ? day.today > 0
        ? today
        : yesterday
      : day?.date === yesterday && day.today > 0
        ? yesterday
        : null;
  if (!day || through === null) return { today: 0, streak: 0 };
  const grows = through === yesterday && ownCountedToday > 0 && day.streak > 0 ? 1 : 0;
  return {
    today: day.date === today ? day.today : 0,
    streak: Math.min(MAX_STREAK_DAYS, day.streak + grows) || (ownCountedToday > 0 ? 1 : 0),
  };
}
