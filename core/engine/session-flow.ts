import { patternMs } from './haptics';
import { err, type Result } from '../base/result';
import { elapsedMs, end, pause, resume, skip, start, wake, type Session, type Update } from './session';
import type { SessionError } from './session';
import { encodeCurrent, logOfSession, type SessionMeta } from './session-record';
import type { SessionLog } from '../log/session-log';
import type { CueKind } from './timeline';

/**
 * The session page's logic, Elm-style: state + event → state + effects. The page only carries the
 * effects out (vibrate, arm the one timer, write storage, keep the screen on, navigate), so every rule
 * of the running session is tested here on a fake clock.
 */
export interface SessionFlow {
  readonly session: Session;
  readonly meta: SessionMeta;
  /** The end-early question is on screen; the session keeps running under it. */
  readonly confirmingEnd: boolean;
}

export type SessionFlowEvent =
  /** The timer fired, or the page came back: catch up with the clock. */
  | { readonly type: 'wake'; readonly now: number }
  /** A tap on the screen or a click of the select button. */
  | { readonly type: 'toggle'; readonly now: number }
  | { readonly type: 'skip'; readonly now: number }
  /** The back button or a swipe back: ask before ending. */
  | { readonly type: 'askEnd'; readonly now: number }
  | { readonly type: 'answerEnd'; readonly now: number; readonly end: boolean };

export type SessionFlowEffect =
  | { readonly type: 'play'; readonly cue: CueKind }
  /** Arm the page's one timer for this absolute time, replacing any armed one. */
  | { readonly type: 'arm'; readonly at: number }
  | { readonly type: 'disarm' }
  /** Whole-value write of the running session (RUNNING_KEYS.current). */
  | { readonly type: 'persist'; readonly text: string }
  /** Keep the screen from switching off (and the app from being closed) for this long. */
  | { readonly type: 'keepAwake'; readonly ms: number }
  | { readonly type: 'askEnd' }
  /**
   * The session is over: append the log to the outbox FIRST, then clear the running keys, release the
   * screen and show the summary. One effect, so a shell cannot do these in another order.
   */
  | {
      readonly type: 'finish';
      readonly log: SessionLog;
      /**
       * How long the summary waits after the log is stored: the cue just played (session done) must
       * be felt whole, and leaving the page stops the motor.
       */
      readonly leaveAfterMs: number;
    };

/** Margin on top of the time left, so a slow last cue still finds the screen awake. */
export const KEEP_AWAKE_MARGIN_MS = 60_000;
/** The platform's ceiling for setPageBrightTime (typings: range 1000–2147483000). */
export const MAX_BRIGHT_MS = 2_147_483_000;

export type FlowResult = { readonly flow: SessionFlow; readonly effects: readonly SessionFlowEffect[] };

const keepAwakeFor = (session: Session, now: number): SessionFlowEffect => {
  const left = session.timeline.totalMs - elapsedMs(session, now);
  return { type: 'keepAwake', ms: Math.min(MAX_BRIGHT_MS, Math.max(1000, left + KEEP_AWAKE_MARGIN_MS)) };
};

/** Turns a core transition into the page's effects; the log is built here so the page never decides it. */
function apply(
  flow: SessionFlow,
  result: Result<Update, SessionError>,
  now: number,
  extra: SessionFlowEffect[] = [],
): FlowResult {
  if (!result.ok) return { flow, effects: [] };
  const u = result.value;
  const next: SessionFlow = { ...flow, session: u.session };
  const effects: SessionFlowEffect[] = [];
  if (u.play) effects.push({ type: 'play', cue: u.play.kind });
  if (u.finished !== null) {
    const log = logOfSession(u.session, now, flow.meta);
    effects.push({ type: 'disarm' });
    if (log.ok)
      effects.push({ type: 'finish', log: log.value, leaveAfterMs: u.play ? patternMs(u.play.kind) : 0 });
    return { flow: { ...next, confirmingEnd: false }, effects };
  }
  effects.push(u.deadline === null ? { type: 'disarm' } : { type: 'arm', at: u.deadline });
  effects.push({ type: 'persist', text: encodeCurrent(u.session) }, ...extra);
  return { flow: next, effects };
}

/** Starts a fresh session at `now`. */
export function beginFlow(session: Session, meta: SessionMeta, now: number): FlowResult {
  const flow: SessionFlow = { session, meta, confirmingEnd: false };
  const started = start(session, now);
  if (!started.ok) return { flow, effects: [] };
  return apply(flow, started, now, [keepAwakeFor(started.value.session, now)]);
}

/**
 * Picks a restored session back up after a relaunch, at the point it was lost rather than where the
 * clock says it would be now: the time the app was gone counts as one pause (the patient got no cues
 * then). A session that was paused stays paused; the patient resumes it.
 */
export function resumeFlow(session: Session, meta: SessionMeta, now: number): FlowResult {
  const flow: SessionFlow = { session, meta, confirmingEnd: false };
  if (session.status === 'paused') {
    return { flow, effects: [keepAwakeFor(session, now), { type: 'persist', text: encodeCurrent(session) }] };
  }
  const lostAt = session.lastAt ?? now;
  const held = pause(session, lostAt);
  if (!held.ok) return { flow, effects: [] };
  if (held.value.finished !== null) return apply(flow, held, lostAt);
  const resumed = resume(held.value.session, now);
  return apply(flow, resumed, now, resumed.ok ? [keepAwakeFor(resumed.value.session, now)] : []);
}

/** Gives up a restored session as interrupted, ending it where it was lost. */
export function interruptedLog(session: Session, meta: SessionMeta): Result<SessionLog, string> {
  if (session.status === 'finished') return logOfSession(session, session.endedAt ?? 0, meta);
  const lostAt = session.pausedAt ?? session.lastAt;
  if (lostAt === null) return err('A session that never started has nothing to log.');
  const ended = end(session, lostAt, 'interrupted');
  return ended.ok ? logOfSession(ended.value.session, lostAt, meta) : err(ended.error.message);
}

export function updateFlow(flow: SessionFlow, event: SessionFlowEvent): FlowResult {
  const { session } = flow;
  switch (event.type) {
    case 'wake':
      return apply(flow, wake(session, event.now), event.now);
    case 'toggle':
      if (flow.confirmingEnd) return { flow, effects: [] };
      if (session.status === 'running') return apply(flow, pause(session, event.now), event.now);
      if (session.status === 'paused') {
        const resumed = resume(session, event.now);
        return apply(
          flow,
          resumed,
          event.now,
          resumed.ok ? [keepAwakeFor(resumed.value.session, event.now)] : [],
        );
      }
      return { flow, effects: [] };
    case 'skip':
      if (flow.confirmingEnd) return { flow, effects: [] };
      return apply(flow, skip(session, event.now), event.now);
    case 'askEnd':
      if (session.status !== 'running' && session.status !== 'paused') return { flow, effects: [] };
      return { flow: { ...flow, confirmingEnd: true }, effects: [{ type: 'askEnd' }] };
    case 'answerEnd': {
      const asked = { ...flow, confirmingEnd: false };
      if (!flow.confirmingEnd) return { flow, effects: [] };
      if (!event.end) return { flow: asked, effects: [] };
      return apply(asked, end(session, event.now, 'endedEarly'), event.now);
    }
  }
}
