import { longestMs } from './cue-length';
import type { Cue, CueKind, Timeline } from './timeline';

/** Where a running session stands with its cues, in the shell's clock. */
export interface Cursor {
  readonly timeline: Timeline;
  /** Cues before this index have been played or passed over; none is ever handled twice. */
  readonly nextCue: number;
  /**
   * The absolute time (the shell's `now()` scale) at which active time was 0: start + paused − skipped.
   * Every deadline is `originMs + cue.atMs`, so a late wake cannot move any later deadline.
   */
  readonly originMs: number;
}

export interface Due {
  /** The one cue to play now, if any. */
  readonly play: Cue | null;
  /** How late `play` is against its deadline (0 when on time or none). */
  readonly lateMs: number;
  /** Overdue cues that will never be played (see LATE-WAKE RULE), oldest first. */
  readonly passed: readonly Cue[];
  readonly nextCue: number;
  /** Absolute time to arm the single timer for; null when no cue is left. */
  readonly deadline: number | null;
}

/** Silence kept between the end of one pattern and the next cue, so two signals never run together. */
export const QUIET_MS = 300;

/** Beyond this, a cue no longer says what the body is doing now: the patient has moved on by feel. */
export const STALE_MS = 2_000;

/**
 * LATE-WAKE RULE. On a wake at `now`, every unhandled cue whose deadline (originMs + atMs) has passed
 * is overdue. At most one is played: the latest, because it says what the body should be doing now,
 * and only if it is at most STALE_MS late and its pattern plus QUIET_MS ends before the next cue's
 * deadline, so a pattern never overlaps the next cue. Every other overdue cue is passed over: reported,
 * never played later. The session-done cue is always played (there is no next cue, and the patient
 * must feel the end). A timer late by up to 250 ms never passes a cue over: cues are at least 2 s
 * apart and no pattern but the last is longer than 1,450 ms (the 3.0–3.5 exhale; 700 ms from API 3.6,
 * where ~1 s of lateness is absorbed), plus QUIET_MS. Lengths are the longer form's
 * (`longestMs`, ./cue-length), so the rule holds on either motor. Deadlines are always
 * originMs + atMs, so no wake, however late, moves a later one.
 */
export function due(cursor: Cursor, now: number, lengthOf: (kind: CueKind) => number = longestMs): Due {
  const { cues } = cursor.timeline;
  const at = (cue: Cue): number => cursor.originMs + cue.atMs;
  // Compared as absolute deadlines, exactly as armed, so a wake right on a deadline always finds its cue.
  let end = cursor.nextCue;
  while (end < cues.length && at(cues[end] as Cue) <= now) end++;
  const next = cues[end];
  const deadline = next === undefined ? null : at(next);
  if (end === cursor.nextCue) return { play: null, lateMs: 0, passed: [], nextCue: end, deadline };
  const latest = cues[end - 1] as Cue;
  const fits =
    next === undefined ||
    (now - at(latest) <= STALE_MS && now + lengthOf(latest.kind) + QUIET_MS <= at(next));
  return {
    play: fits ? latest : null,
    lateMs: fits ? now - at(latest) : 0,
    passed: cues.slice(cursor.nextCue, fits ? end - 1 : end),
    nextCue: end,
    deadline,
  };
}
