import { pathOf } from '../base/routes';
import type { KeyValueStore } from '../base/kv';
import { moveToQuarantine } from '../base/quarantine';
import { dayOf } from '../log/session-log';
import { addDays } from '../log/stats';
import { outboxKeys, readRecent, recentDaysOf, sessionsOn } from './outbox-peek';
import { loadPrescription, WATCH_QUARANTINE_KEY } from './prescription';

/**
 * Daily reminders as one-shot system alarms, planned a few days ahead.
 *
 * The watch knows its current UTC offset but has no time-zone database, so it cannot know when daylight
 * saving or a trip will change it. A repeating alarm would keep its UTC time forever after such a
 * change (15:00 would ring at 16:00 until the app fixed it). Instead each reminder time gets one-shot
 * alarms for its next PLAN_DAYS occurrences at the current offset, and the plan is redone on every app
 * start, every reminder launch (the alarm opens the app) and every prescription change. After an offset
 * change, only the first reminder to ring can be off (by the change, usually one hour): the launch it
 * causes re-plans the rest. See docs/reminders.md.
 */
export const PLAN_DAYS = 3;
/** The page a reminder opens. */
export const REMINDER_URL = pathOf('home');
/** Our alarms, with what each one is for: the system lists ids only. */
export const ALARMS_KEY = 'reminders.alarms';
/** An occurrence closer than this is not (re)armed: the alarm that just launched us, or one a minute away. */
const MIN_LEAD_MS = 60_000;

const MINUTE = 60_000;

export interface PlannedAlarm {
  /** UTC seconds, as `@zos/alarm` set({time}) takes it. */
  readonly at: number;
  /** The reminder time "HH:MM" it is for. */
  readonly time: string;
  /** The local day it rings on, at the offset it was planned with. */
  readonly date: string;
  readonly utcOffsetMin: number;
}

export interface StoredAlarm extends PlannedAlarm {
  readonly id: number;
}

export interface PlanOptions {
  readonly days?: number;
  /** A local date whose reminders are not needed (today, once the daily target is met). */
  readonly skipDate?: string;
  /**
   * The occurrence that last rang (from its alarm's param). It is not armed again: after an offset
   * change it may have rung an hour early, and the same reminder an hour later would ring it twice.
   */
  readonly rang?: Occurrence | null;
}

export interface Occurrence {
  readonly time: string;
  readonly date: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * The alarms wanted from `now` on: for each valid reminder time, its next `days` occurrences at local
 * wall time under `utcOffsetMin`, soonest first. Invalid times are ignored (the prescription's parser
 * has already refused them; a stored copy cannot make planning throw).
 */
export function plan(
  reminders: readonly string[],
  now: number,
  utcOffsetMin: number,
  options: PlanOptions = {},
): PlannedAlarm[] {
  const days = options.days ?? PLAN_DAYS;
  const today = dayOf(now, utcOffsetMin);
  const out: PlannedAlarm[] = [];
  for (const time of new Set(reminders)) {
    const m = HHMM.exec(time);
    if (!m) continue;
    const minutes = Number(m[1]) * 60 + Number(m[2]);
    let found = 0;
    // days + 2 candidates cover a passed occurrence today and a skipped date.
    for (let d = 0; d < days + 2 && found < days; d++) {
      const date = addDays(today, d);
      if (date === options.skipDate) continue;
      if (options.rang && options.rang.time === time && options.rang.date === date) continue;
      const [y, mo, da] = date.split('-').map(Number) as [number, number, number];
      const atMs = Date.UTC(y, mo - 1, da) + minutes * MINUTE - utcOffsetMin * MINUTE;
      if (atMs < now + MIN_LEAD_MS) continue;
      out.push({ at: Math.floor(atMs / 1000), time, date, utcOffsetMin });
      found++;
    }
  }
  return out.sort((a, b) => a.at - b.at || (a.time < b.time ? -1 : 1));
}

/**
 * What to change so that exactly `wanted` is armed. `live` is the system's list of our app's alarm ids
 * (getAllAlarms): a stored alarm missing from it has rung or was lost and is neither kept nor
 * cancelled. An alarm is kept when one is wanted at the same instant for the same reminder time.
 */
export function reconcile(
  existing: readonly StoredAlarm[],
  wanted: readonly PlannedAlarm[],
  live?: readonly number[],
): { cancel: number[]; set: PlannedAlarm[]; keep: StoredAlarm[] } {
  const alive = live ? new Set(live) : undefined;
  const present = existing.filter((a) => !alive || alive.has(a.id));
  const keep: StoredAlarm[] = [];
  const cancel: number[] = [];
  const set: PlannedAlarm[] = [];
  const unmatched = [...present];
  for (const w of wanted) {
    const i = unmatched.findIndex((a) => a.at === w.at && a.time === w.time);
    if (i >= 0) {
      keep.push(unmatched[i]!);
      unmatched.splice(i, 1);
    } else set.push(w);
  }
  for (const a of unmatched) cancel.push(a.id);
  return { cancel, set, keep };
}

/** What the alarm hands to app.js onCreate: which reminder rang. */
export function alarmParam(alarm: PlannedAlarm): string {
  return JSON.stringify({ reminder: alarm.time, date: alarm.date });
}

/** The reminder an app launch came from (app.js onCreate's param), or null for any other launch. */
export function reminderOfLaunch(param: unknown): Occurrence | null {
  if (typeof param !== 'string') return null;
  try {
    const v = JSON.parse(param) as { reminder?: unknown; date?: unknown };
    return typeof v.reminder === 'string' &&
      HHMM.test(v.reminder) &&
      typeof v.date === 'string' &&
      /^\d{4}-\d\d-\d\d$/.test(v.date)
      ? { time: v.reminder, date: v.date }
      : null;
  } catch {
    return null;
  }
}

/** Where the last reminder launch is noted, for `plan`'s `rang`. */
export const LAST_RANG_KEY = 'reminders.rang';

export function readRang(raw: string | undefined): Occurrence | null {
  if (raw === undefined) return null;
  try {
    const v = JSON.parse(raw) as { time?: unknown; date?: unknown };
    return reminderOfLaunch(JSON.stringify({ reminder: v.time, date: v.date }));
  } catch {
    return null;
  }
}

const isStored = (a: unknown): a is StoredAlarm => {
  if (typeof a !== 'object' || a === null) return false;
  const o = a as Record<string, unknown>;
  return (
    Number.isSafeInteger(o.id) &&
    (o.id as number) > 0 &&
    Number.isSafeInteger(o.at) &&
    typeof o.time === 'string' &&
    HHMM.test(o.time) &&
    typeof o.date === 'string' &&
    Number.isInteger(o.utcOffsetMin)
  );
};

/** Our stored alarms. A corrupt value is quarantined: its alarms can no longer be told apart. */
export function readAlarms(store: KeyValueStore, now: number, quarantineKey: string): StoredAlarm[] {
  const raw = store.get(ALARMS_KEY);
  if (raw === undefined) return [];
  try {
    const v = JSON.parse(raw) as unknown;
    if (Array.isArray(v) && v.every(isStored)) return v;
  } catch {
    // quarantined below
  }
  moveToQuarantine(store, quarantineKey, {
    key: ALARMS_KEY,
    raw,
    reason: 'reminder alarms unreadable',
    at: now,
  });
  return [];
}

function writeAlarms(store: KeyValueStore, alarms: readonly StoredAlarm[]): void {
  store.set(
    ALARMS_KEY,
    JSON.stringify(
      alarms.map(({ id, at, time, date, utcOffsetMin }) => ({ id, at, time, date, utcOffsetMin })),
    ),
  );
}

/** The three `@zos/alarm` calls we use, as the shell wraps them. */
export interface AlarmPort {
  /** Returns the new alarm's id, 0 when the system refused it. */
  set(option: { url: string; time: number; param: string; store: true }): number;
  cancel(id: number): void;
  /** Ids of all this app's alarms, or undefined when the list cannot be read. */
  list(): readonly number[] | undefined;
}

export interface ReminderSync {
  readonly set: number;
  readonly cancelled: number;
  readonly kept: number;
  /** Alarms the system refused (id 0) or that threw: the next re-plan tries again. */
  readonly failed: number;
}

/**
 * Brings the system's alarms in line with the plan. Write order: cancel the stale ones, record what is
 * left, then arm each new one and record it at once, so a crash leaves at most one armed alarm we do not
 * know of (it rings once, a duplicate of the re-planned one). Never throws.
 */
export function syncReminders(
  store: KeyValueStore,
  port: AlarmPort,
  wanted: readonly PlannedAlarm[],
  now: number,
  quarantineKey: string,
): ReminderSync {
  let failed = 0;
  let live: readonly number[] | undefined;
  try {
    live = port.list();
  } catch {
    live = undefined;
  }
  let stored: StoredAlarm[];
  try {
    stored = readAlarms(store, now, quarantineKey);
  } catch {
    stored = [];
  }
  const { cancel, set, keep } = reconcile(stored, wanted, live);
  for (const id of cancel) {
    try {
      port.cancel(id);
    } catch {
      failed++;
    }
  }
  const armed = [...keep];
  let added = 0;
  try {
    if (cancel.length > 0 || armed.length !== stored.length) writeAlarms(store, armed);
    for (const alarm of set) {
      let id = 0;
      try {
        id = port.set({ url: REMINDER_URL, time: alarm.at, param: alarmParam(alarm), store: true });
      } catch {
        id = 0;
      }
      if (!Number.isSafeInteger(id) || id <= 0) {
        failed++;
        continue;
      }
      armed.push({ ...alarm, id });
      added++;
      writeAlarms(store, armed);
    }
  } catch {
    failed++;
  }
  return { set: added, cancelled: cancel.length, kept: keep.length, failed };
}

/**
 * Re-plans the reminder alarms from the prescription the watch holds: on the home page (every start, a
 * reminder's launch included) and after the prescription changed. Today's reminders are dropped once
 * today's target is met.
 */
export function replan(
  store: KeyValueStore,
  port: AlarmPort,
  now: number,
  utcOffsetMin: number,
): ReminderSync {
  const { prescription } = loadPrescription(store, now);
  const today = dayOf(now, utcOffsetMin);
  const done = sessionsOn(recentDaysOf(readRecent(store.get(outboxKeys().recent))), today).counted;
  const wanted = plan(prescription.reminders, now, utcOffsetMin, {
    ...(done >= prescription.sessionsPerDay ? { skipDate: today } : {}),
    rang: readRang(store.get(LAST_RANG_KEY)),
  });
  return syncReminders(store, port, wanted, now, WATCH_QUARANTINE_KEY);
}

/** Notes which reminder launched the app (app.js onCreate's param), so that occurrence is not re-armed. */
export function noteLaunchIn(store: KeyValueStore, param: unknown): void {
  const rang = reminderOfLaunch(param);
  if (rang) store.set(LAST_RANG_KEY, JSON.stringify(rang));
}
