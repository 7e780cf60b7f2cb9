import { DEFAULT_PRESCRIPTION } from '../../core/plan/prescription';
import { sessionLogId, toPlain, type Outcome, type SessionLog } from '../../core/log/session-log';
import type { Summary } from '../../core/log/stats';

/** mulberry32: tiny, fast, and the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const T0 = Date.UTC(2026, 10, 25, 14, 0, 0);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** A plausible session log; every field can be overridden. */
export function makeLog(
  random: () => number,
  startedAt: number,
  overrides: Partial<SessionLog> = {},
): SessionLog {
  const outcomes: Outcome[] = ['completed', 'completed', 'completed', 'ended_early', 'interrupted'];
  const outcome = overrides.outcome ?? (outcomes[Math.floor(random() * outcomes.length)] as Outcome);
  const roundsPlanned = overrides.roundsPlanned ?? 3;
  const roundsDone = outcome === 'completed' ? roundsPlanned : Math.floor(random() * roundsPlanned);
  const activeMs = 60_000 + Math.floor(random() * 240_000);
  const pausedMs = random() < 0.3 ? Math.floor(random() * 60_000) : 0;
  const pain = random() < 0.6 ? Math.floor(random() * 11) : undefined;
  const log: SessionLog = {
    v: 1,
    id: sessionLogId(startedAt, random),
    routineId: 'spinal-self-traction',
    routineVersion: 1,
    prescription: DEFAULT_PRESCRIPTION,
    startedAt,
    endedAt: startedAt + activeMs + pausedMs,
    utcOffsetMin: 60,
    activeMs,
    pausedMs,
    pauses: pausedMs > 0 ? 1 + Math.floor(random() * 3) : 0,
    roundsDone,
    roundsPlanned,
    stepsSkipped: Math.floor(random() * 2),
    outcome,
    ...(pain === undefined ? {} : { pain }),
    appVersion: '1.0.0',
    ...overrides,
  };
  // A real session lasts its active plus its paused time, whatever was overridden.
  return 'endedAt' in overrides ? log : { ...log, endedAt: log.startedAt + log.activeMs + log.pausedMs };
}

/**
 * One session log with every field set, as a stored record before its repair: pauses, a skipped step,
 * pain before and after (rated later), both heart rates, and a pause counted longer than the session had
 * room for (so `repairSessionLog` adds a repair). The largest lone log a watch sends.
 */
export function everyFieldRecord(
  startedAt: number,
  overrides: Partial<SessionLog> = {},
): Record<string, unknown> {
  return {
    ...toPlain(
      makeLog(seededRandom(9), startedAt, {
        outcome: 'ended_early',
        roundsDone: 2,
        activeMs: 189_000,
        pausedMs: 42_000,
        pauses: 2,
        stepsSkipped: 1,
        painBefore: 5,
        pain: 3,
        painAt: startedAt + 231_000 + 95_000,
        hrStart: 74,
        hrEnd: 91,
        appVersion: '1.1.0',
        utcOffsetMin: -300,
        ...overrides,
      }),
    ),
    pausedMs: 50_000,
  };
}

/**
 * The phone's summary of 30 November 2026 for a patient with a session a day for 12 days (one a day
 * prescribed), as summary.get answers it (docs/sync.md).
 */
export const TWELVE_DAY_SUMMARY: Summary = {
  date: '2026-11-30',
  today: 1,
  target: 1,
  streak: 12,
  last7: [
    { date: '2026-11-24', sessions: 1, counted: 1 },
    { date: '2026-11-25', sessions: 1, counted: 1 },
    { date: '2026-11-26', sessions: 1, counted: 1 },
    { date: '2026-11-27', sessions: 1, counted: 1 },
    { date: '2026-11-28', sessions: 1, counted: 1 },
    { date: '2026-11-29', sessions: 1, counted: 1 },
    { date: '2026-11-30', sessions: 1, counted: 1 },
  ],
  activeDays30: 12,
  monitoringMet: false,
  painFlags30: 0,
};
