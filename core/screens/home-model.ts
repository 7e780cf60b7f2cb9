import type { HomeModel } from './home';
import type { OutboxStatus, RecentDay } from '../watch/outbox';
import { sessionsOn } from '../watch/outbox';
import type { Prescription } from '../plan/prescription';
import { dayOf, type SessionLog } from '../log/session-log';
import { logOfLostSession, type Running } from '../engine/session-record';
import { interruptedLog } from '../engine/session-flow';
import { lookup, streak, type Summary } from '../log/stats';
import type { Timeline } from '../engine/timeline';
import type { Result } from '../base/result';

export interface HomeInputs {
  readonly timeline: Timeline;
  readonly prescription: Prescription;
  readonly outbox: OutboxStatus;
  readonly recentDays: readonly RecentDay[];
  /** The phone's summary when it answered; null while it is away. */
  readonly phone: Summary | null;
  readonly running: Running;
  readonly now: number;
  readonly utcOffsetMin: number;
}

/**
 * Today's count is the larger of the phone's and the watch's own: the phone may not have this morning's
 * log yet, and the watch forgets days it has long sent.
 */
export function homeModel(i: HomeInputs): HomeModel {
  const today = dayOf(i.now, i.utcOffsetMin);
  const own = sessionsOn(i.recentDays, today).counted;
  const phone = i.phone && i.phone.date === today ? i.phone.today : 0;
  // The phone knows the whole history; the watch only its recent days, enough while the phone is away.
  const ownStreak = streak(lookup(new Map(i.recentDays.map((d) => [d.date, d]))), today);
  const phoneStreak = i.phone && i.phone.date === today ? i.phone.streak : 0;
  return {
    plan: { rounds: i.prescription.rounds, totalMs: i.timeline.totalMs },
    today: { done: Math.max(own, phone), target: i.prescription.sessionsPerDay },
    streak: Math.max(ownStreak, phoneStreak),
    unsent: i.outbox.pending,
    outboxFull: i.outbox.level === 'full',
    interrupted: i.running.type === 'resumable' || i.running.type === 'lost',
    blocked: i.running.type === 'finished',
    reminders: i.prescription.reminders,
  };
}

/** The log to keep for a session the patient chose not to resume (or one already finished). */
export function logOfRunning(
  running: Running,
  appVersion: string,
  utcOffsetMin: number,
): Result<SessionLog, string> | null {
  switch (running.type) {
    case 'resumable':
    case 'finished':
      return interruptedLog(running.session, { logId: running.logId, utcOffsetMin, appVersion });
    case 'lost':
      return logOfLostSession(running.start, appVersion);
    default:
      return null;
  }
}
