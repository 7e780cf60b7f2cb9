import { repairSessionLog, sessionLogId, toPlain, type SessionLog } from '../../core/log/session-log';
import { DEFAULT_PRESCRIPTION } from '../../core/plan/prescription';
import { DAY, HOUR } from './sync-fixtures';

/**
 * The world the model tests generate, as real watches and phones leave it: clocks that a flat battery
 * reset to 1970, clocks set years ahead or thrown back, UTC offsets that change (travel, daylight saving)
 * across a month's end. Every figure here comes from the calendar and the zones in use, not from the
 * code under test.
 */

export const YEAR = 365 * DAY;

/** How a clock reads relative to the true time. */
export const CLOCK_KINDS = ['right', 'reset', 'ahead', 'behind', 'jumpBack'] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];

/** A clock: how it reads the true time `t`, fixed once drawn (a reset clock counts up from 1970). */
export interface Clock {
  readonly kind: ClockKind;
  read(t: number): number;
}

/**
 * A clock of the given kind, its error drawn once: `reset` reads as if set to 1 January 1970 at a
 * moment up to a month ago; `ahead` 1–75 years fast; `behind` 1–5 years slow; `jumpBack` an hour to
 * 40 days slow (a manual correction, a bad network time).
 */
export function makeClock(kind: ClockKind, random: () => number, t0: number): Clock {
  switch (kind) {
    case 'right':
      return { kind, read: (t) => t };
    case 'reset': {
      const since = t0 - Math.floor(random() * 30 * DAY);
      return { kind, read: (t) => Math.max(0, t - since) };
    }
    case 'ahead': {
      const by = (1 + Math.floor(random() * 75)) * YEAR;
      return { kind, read: (t) => t + by };
    }
    case 'behind': {
      const by = (1 + Math.floor(random() * 5)) * YEAR;
      return { kind, read: (t) => t - by };
    }
    case 'jumpBack': {
      const by = HOUR + Math.floor(random() * 40 * DAY);
      return { kind, read: (t) => t - by };
    }
  }
}

/** A clock drawn with the given weight of trouble: most clocks are right. */
export function drawClock(random: () => number, t0: number, trouble = 0.3): Clock {
  const kind = random() < trouble ? CLOCK_KINDS[1 + Math.floor(random() * 4)]! : 'right';
  return makeClock(kind, random, t0);
}

/** Offsets in use, minutes east of UTC: the extremes, the halves and quarters, and the common ones. */
export const OFFSETS = [-720, -600, -570, -300, -240, -180, 0, 60, 120, 330, 345, 480, 525, 570, 780, 840];

export const drawOffset = (random: () => number): number => OFFSETS[Math.floor(random() * OFFSETS.length)]!;

/**
 * A zone change between two moments of one session's life, drawn so that it crosses a month's end
 * where it can: the instant `t` read at `before` and at `after` falls in two local months (e.g. 23:30
 * UTC on 30 November is 1 December at UTC+1, still 30 November at UTC−5). Else a daylight-saving hour.
 */
export function zoneChange(random: () => number, t: number): { before: number; after: number } {
  const month = (off: number) => new Date(t + off * 60_000).toISOString().slice(0, 7);
  for (let i = 0; i < 8; i++) {
    const before = drawOffset(random);
    const after = drawOffset(random);
    if (month(before) !== month(after)) return { before, after };
  }
  const before = drawOffset(random);
  return { before, after: before === 840 ? 780 : before + 60 };
}

/** An instant within `hours` of a month's end (UTC), in the two years before `t0`. */
export function nearMonthEnd(random: () => number, t0: number, hours = 14): number {
  const d = new Date(t0 - Math.floor(random() * 2 * YEAR));
  const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return end + Math.floor((random() * 2 - 1) * hours * HOUR);
}

/**
 * A session's log as a watch with this clock makes it at the true time `t`: the start its clock read,
 * the offset its zone had, repaired (`repairs`) where the clock is outside what a log holds.
 */
export function watchLog(
  random: () => number,
  clock: Clock,
  t: number,
  utcOffsetMin: number,
  overrides: Partial<SessionLog> = {},
): SessionLog {
  const startedAt = clock.read(t);
  const activeMs = 60_000 + Math.floor(random() * 240_000);
  const pausedMs = random() < 0.3 ? Math.floor(random() * 60_000) : 0;
  const outcomes = ['completed', 'completed', 'ended_early', 'interrupted'] as const;
  const outcome = outcomes[Math.floor(random() * outcomes.length)]!;
  const record = {
    v: 1,
    id: sessionLogId(startedAt, random),
    routineId: 'spinal-self-traction',
    routineVersion: 1,
    prescription: DEFAULT_PRESCRIPTION,
    startedAt,
    endedAt: startedAt + activeMs + pausedMs,
    utcOffsetMin,
    activeMs,
    pausedMs,
    pauses: pausedMs > 0 ? 1 : 0,
    roundsDone: outcome === 'completed' ? 3 : Math.floor(random() * 3),
    roundsPlanned: 3,
    stepsSkipped: 0,
    outcome,
    appVersion: '1.2.0',
    ...overrides,
  };
  const log = repairSessionLog(record);
  if (!log) throw new Error(`no log for ${JSON.stringify(record)}`);
  return log;
}

/**
 * Another copy of the same session, as a watch makes one after a kill: the same bytes from this
 * version; from a watch before it, the offset its clock had when it logged again (`zone`); after a
 * resume of a session already logged as interrupted, more of the session (`more`).
 */
export function otherCopy(
  random: () => number,
  log: SessionLog,
  how: 'same' | 'zone' | 'more' | 'less',
): SessionLog {
  switch (how) {
    case 'same':
      return log;
    case 'zone': {
      const { after } = zoneChange(random, log.startedAt);
      return { ...log, utcOffsetMin: after === log.utcOffsetMin ? (after === 0 ? 60 : 0) : after };
    }
    case 'more': {
      const extra = 30_000 + Math.floor(random() * 60_000);
      const copy = toPlain({
        ...log,
        outcome: 'completed',
        roundsDone: log.roundsPlanned,
        endedAt: log.endedAt + extra,
        activeMs: log.activeMs + extra,
      });
      return repairSessionLog(copy) ?? log;
    }
    case 'less':
      return {
        ...log,
        outcome: 'interrupted',
        roundsDone: 0,
        activeMs: Math.floor(log.activeMs / 2),
        endedAt: log.endedAt - Math.ceil(log.activeMs / 2),
      };
  }
}
