import { deadlineOf, originOf, type Session } from './session';

/**
 * ONE-TIMER RULE. A running session needs waking for two reasons: its next cue is due, or what the
 * screen shows has changed (the seconds counter, which turns over on every whole second of active
 * time, since every step starts on a whole second). Two timers for the two would wake the watch twice
 * whenever both fall together (every cue does); one timer armed for the earlier of the two wakes it once.
 *
 * `tickMs` is how often the screen needs redrawing; null where nothing is drawn (a service running
 * the session with no page), and then the timer follows the cues alone. Ticks are counted from the
 * session's origin, not from `now`, so a late wake never shifts the ones after it and a tick due with a
 * cue is that same wake. Returns an absolute time on the `now` scale, or null (nothing to wake for: not
 * running, or no cue left).
 */
export function nextWake(session: Session, now: number, tickMs: number | null): number | null {
  const cue = deadlineOf(session);
  const origin = originOf(session);
  if (cue === null || origin === null || tickMs === null) return cue;
  if (!(tickMs > 0)) throw new RangeError(`tickMs ${tickMs}: > 0 or null`);
  const t = Math.max(now, session.lastAt ?? now);
  const tick = origin + (Math.floor((t - origin) / tickMs) + 1) * tickMs;
  return Math.min(cue, tick);
}

/** True when a wake at `now` is for the screen only: the session's next cue is not yet due. */
export function onlyTick(session: Session, now: number): boolean {
  const cue = deadlineOf(session);
  return cue !== null && now < cue;
}
