import type { Keys, Program, Step, SubOf } from '../base/program';
import type { Result } from '../base/result';
import { heartRateReading, painRating, sessionLogId } from '../log/session-log';
import type { Prescription } from '../plan/prescription';
import { formMs, renderForm, type CueForm, type Haptics, type RenderedCue } from './haptics';
import {
  createSession,
  elapsedMs,
  end,
  pause,
  resume,
  serialiseSession,
  skip,
  start,
  wake,
  type Session,
  type SessionError,
  type Update,
} from './session';
import {
  encodeStart,
  RUNNING_KEYS,
  type Running,
  type SessionExtras,
  type SessionMeta,
} from './session-record';
import type { CueKind } from './timeline';
import { nextWake, onlyTick } from './wake';

/**
 * The session page's logic, Elm-style: state + event → state + effects, and what it listens to (the one
 * timer, the keys, the heart-rate sensor: `flowSubscriptions`). The page only carries the effects out
 * (vibrate, write storage, keep the screen on, navigate), so every rule
 * of the running session is tested here on a fake clock. It builds no log: a session that ends is left
 * in the running keys, finished, and the summary page logs it from there (core/watch/service
 * `logFinished`), so the session page bundles neither the outbox nor the log's codec.
 */
export interface SessionFlow {
  readonly session: Session;
  readonly meta: FlowMeta;
  /** How this watch plays a pattern: the play effect carries the pattern rendered for it. */
  readonly haptics: Haptics;
  /** The end-early question is on screen; the session keeps running under it. */
  readonly confirmingEnd: boolean;
  /** How often the screen needs redrawing while running (wake rule), or null with no screen to draw. */
  readonly tickMs: number | null;
  /**
   * The one timer's time (core/engine/wake `nextWake`: the earlier of the next cue and the screen's next
   * tick); once finished, when the page leaves for the summary. Absent or null: no timer.
   */
  readonly wakeAt?: number | null;
  /**
   * How long a completed session's end waits at least before leaving: "Well done" heard whole
   * (core/engine/voice DONE_SPOKEN_MS where a phrase is said). Absent: the last cue's own length.
   */
  readonly doneMs?: number;
  /** The latest heart rate the sensor gave, and when: the log's end reading if recent at the end. */
  readonly hrLast?: { readonly bpm: number; readonly at: number };
  /**
   * The heart-rate sensor, while the session is not finished: 'on' (the session page, throughout, when
   * allowed); 'waiting' until HR_MEASURE_BEFORE_END_MS before the end, then 'on' (the App Service, which
   * has no start reading to take: the page took it). Absent: not measured (not allowed).
   */
  readonly heartRate?: 'waiting' | 'on';
}

/** Per cue, the form it is played in when not as set. */
export type CueForms = { readonly [K in CueKind]?: CueForm };

/**
 * What the flow knows around the session: its log id, the UTC offset (for the start record it rewrites)
 * and the extras its start record keeps. No app version: the page that logs the session stamps it.
 */
export type FlowMeta = Omit<SessionMeta, 'appVersion'> & {
  /** Cues this watch plays in another form than as set (the wrist check: core/watch/session-path). */
  readonly forms?: CueForms;
};

export type SessionFlowEvent =
  /** The one timer fired (a cue is due, or the screen's next tick), or the page came back: catch up with the clock. */
  | {
      readonly type: 'wake';
      readonly now: number;
      /** Whether the screen is on (`@zos/sensor` Screen): measured (core/engine/session `late`). Absent: on. */
      readonly lit?: boolean;
    }
  /** A tap on the screen, or the select button's click (`KEYS`). */
  | { readonly type: 'toggle'; readonly now: number }
  | { readonly type: 'skip'; readonly now: number }
  /** The back button or a swipe back: ask before ending. */
  | { readonly type: 'askEnd'; readonly now: number }
  | { readonly type: 'answerEnd'; readonly now: number; readonly end: boolean }
  /** The heart-rate sensor gave a value (whatever it is: 0 and noise are not readings). */
  | { readonly type: 'heartRate'; readonly now: number; readonly bpm: unknown };

/** The start reading is the first within this long of the start: later, it says nothing of the start. */
export const HR_START_WINDOW_MS = 60_000;
/** The end reading is the last one, if it is at most this old when the session ends. */
export const HR_END_WINDOW_MS = 30_000;
/**
 * For the end reading alone, the sensor goes on this long before the end: the end window, plus as long
 * again for the sensor's first reading (how long that takes is undocumented: docs/platform-facts.md H1).
 */
export const HR_MEASURE_BEFORE_END_MS = 2 * HR_END_WINDOW_MS;

export type SessionFlowEffect =
  /** Play this pattern now (rendered for the watch's motor at the session's strength). */
  | { readonly type: 'play'; readonly cue: CueKind; readonly pattern: RenderedCue }
  /** Whole-value write of one running key (RUNNING_KEYS). */
  | { readonly type: 'persist'; readonly key: string; readonly text: string }
  /** Keep the screen from switching off (and the app from being closed) for this long. */
  | { readonly type: 'keepAwake'; readonly ms: number }
  | { readonly type: 'askEnd' }
  /**
   * A command of the patient's (pause, resume, skip, the end answered) changed the session, now stored
   * as `session`: the App Service's session page hands it over again (core/watch/hand-over).
   */
  | { readonly type: 'changed'; readonly session: Session }
  /**
   * Nothing to run on this page: a stored session it cannot resume goes to home, which settles it; one
   * already finished (the page closed before the summary opened) to the summary, which logs it. After
   * the finish, at its `wakeAt`, to the summary (the App Service: its end).
   */
  | { readonly type: 'leave'; readonly to: 'home' | 'summary' }
  /**
   * The session is over, and the persist just before this effect left it finished in the running keys,
   * where the summary page logs it from (the outbox first, then the keys cleared: core/watch/running
   * `keepLog`). The shell releases the screen; a service shell hands the summary's params back. The
   * flow's `wakeAt` is then when it leaves for the summary: the cue just played (session done) felt
   * whole, and "Well done" heard (`doneMs`), for leaving the page stops the motor and the speaker.
   */
  | {
      readonly type: 'finish';
      /** The finished session, as the running keys now hold it. */
      readonly session: Session;
      /** Its log id and extras, with the end reading when the sensor gave one in the final 30 s. */
      readonly meta: FlowMeta;
    };

/** Margin on top of the time left, so a slow last cue still finds the screen awake. */
export const KEEP_AWAKE_MARGIN_MS = 60_000;
/** The platform's ceiling for setPageBrightTime (typings: range 1000–2147483000). */
const MAX_BRIGHT_MS = 2_147_483_000;

/** The countdown on screen changes once a second: the page's timer also wakes for that. */
export const DISPLAY_TICK_MS = 1000;

export type FlowResult = Step<SessionFlow, SessionFlowEffect>;

export const keepAwakeFor = (session: Session, now: number): SessionFlowEffect => {
  const left = session.timeline.totalMs - elapsedMs(session, now);
  return { type: 'keepAwake', ms: Math.min(MAX_BRIGHT_MS, Math.max(1000, left + KEEP_AWAKE_MARGIN_MS)) };
};

/**
 * Turns a core transition into the page's effects. At the end, the finished session is stored and its
 * end reading decided here, so the page never decides what the log holds.
 */
function apply(
  flow: SessionFlow,
  result: Result<Update, SessionError>,
  now: number,
  extra: SessionFlowEffect[] = [],
  lit = true,
): FlowResult {
  if (!result.ok) return { model: flow, effects: [] };
  const { session: s } = result.value;
  const was = flow.session;
  // What the flow measures of the session (core/engine/session `late`; the session notes its cues'
  // lateness itself, and a follow-up the App Service's cues): the time since the last event, counted
  // as lit when the screen is on now and the session ran since (a pause's time is not: nothing samples
  // the screen then; a running session has a lastAt).
  const measured: Session = {
    ...s,
    litMs: s.litMs + (lit && was.status === 'running' ? s.lastAt! - was.lastAt! : 0),
  };
  const u = { ...result.value, session: measured };
  const finished = u.finished !== null;
  // The one timer: the next cue or tick; once finished, the summary when the session-done cue is felt
  // (and "Well done" heard, `doneMs`, after a completed session).
  const wakeAt = finished
    ? now +
      Math.max(u.play ? lengthOf(flow)(u.play.kind) : 0, (s.outcome === 'completed' && flow.doneMs) || 0)
    : u.deadline === null
      ? null
      : nextWake(measured, now, flow.tickMs);
  const next: SessionFlow = { ...flow, session: measured, wakeAt };
  const effects: SessionFlowEffect[] = [];
  if (u.play) {
    const { kind } = u.play;
    effects.push({
      type: 'play',
      cue: kind,
      pattern: renderForm(kind, strengthOf(flow), flow.haptics, formOf(flow, kind)),
    });
  }
  if (finished) {
    const last = flow.hrLast;
    const hrEnd = last && now - last.at <= HR_END_WINDOW_MS ? last.bpm : undefined;
    const meta = hrEnd === undefined ? flow.meta : { ...flow.meta, hrEnd };
    effects.push(persistCurrent(u.session));
    // The end reading goes into the start record, written whole from what the page holds (as the first
    // reading's is), where the page that logs the session reads it: whatever the stored record became.
    if (hrEnd !== undefined) effects.push(persistStart(meta, u.session));
    effects.push({ type: 'finish', session: u.session, meta });
    return { model: { ...next, confirmingEnd: false }, effects };
  }
  effects.push(persistCurrent(u.session), ...extra);
  return { model: next, effects };
}

const strengthOf = (flow: SessionFlow) => flow.session.timeline.prescription.strength;

/** The form this watch plays a cue in (the wrist check), if not as set. */
const formOf = (flow: SessionFlow, kind: CueKind): CueForm | undefined => (flow.meta.forms || {})[kind];

const persistCurrent = (session: Session): SessionFlowEffect => ({
  type: 'persist',
  key: RUNNING_KEYS.current,
  text: serialiseSession(session),
});

/**
 * The start record of the session this flow plays, whole, from its meta (an extra it lacks is left out:
 * JSON has no undefined).
 */
const persistStart = (meta: FlowMeta, session: Session): SessionFlowEffect => ({
  type: 'persist',
  key: RUNNING_KEYS.started,
  text: encodeStart({
    logId: meta.logId,
    startedAt: session.startedAt as number,
    utcOffsetMin: meta.utcOffsetMin,
    prescription: session.timeline.prescription,
    painBefore: meta.painBefore,
    hrStart: meta.hrStart,
    hrEnd: meta.hrEnd,
  }),
});

const nothing = (flow: SessionFlow): FlowResult => ({ model: flow, effects: [] });

/** The late-wake rule leaves room for the pattern as this watch's motor plays it. */
const lengthOf =
  (flow: SessionFlow) =>
  (kind: CueKind): number =>
    formMs(kind, flow.haptics, formOf(flow, kind));

/** What a flow is opened with beyond its session: the heart-rate sensor's rule, the finish's wait. */
export type FlowMore = Pick<SessionFlow, 'heartRate' | 'doneMs'>;

const flowOf = (
  session: Session,
  meta: FlowMeta,
  haptics: Haptics,
  tickMs: number | null,
  more?: FlowMore,
): SessionFlow => ({ session, meta, haptics, confirmingEnd: false, tickMs, ...more });

/** Starts a fresh session at `now`. */
export function beginFlow(
  session: Session,
  meta: FlowMeta,
  haptics: Haptics,
  now: number,
  tickMs: number | null = DISPLAY_TICK_MS,
  more?: FlowMore,
): FlowResult {
  const flow = flowOf(session, meta, haptics, tickMs, more);
  const started = start(session, now, lengthOf(flow));
  if (!started.ok) return nothing(flow);
  return apply(flow, started, now, [keepAwakeFor(started.value.session, now)]);
}

/**
 * Picks a restored session back up after a relaunch, at the point it was lost rather than where the
 * clock says it would be now: the time the app was gone counts as one pause (the patient got no cues
 * then). A session that was paused stays paused; the patient resumes it.
 */
export function resumeFlow(
  session: Session,
  meta: FlowMeta,
  haptics: Haptics,
  now: number,
  tickMs: number | null = DISPLAY_TICK_MS,
  more?: FlowMore,
): FlowResult {
  const flow = flowOf(session, meta, haptics, tickMs, more);
  if (session.status === 'paused') {
    return { model: flow, effects: [keepAwakeFor(session, now), persistCurrent(session)] };
  }
  const lostAt = session.lastAt ?? now;
  const held = pause(session, lostAt, lengthOf(flow));
  if (!held.ok) return nothing(flow);
  // Finished while the app was gone: logged (its end reading, none: nothing measured since), and left
  // for the summary once the session-done cue played now is felt.
  if (held.value.finished !== null) return apply(flow, held, now);
  const resumed = resume(held.value.session, now, lengthOf(flow));
  return apply(flow, resumed, now, resumed.ok ? [keepAwakeFor(resumed.value.session, now)] : []);
}

/**
 * Picks a session up where the clock says it is: it was never lost (the App Service kept cueing), so
 * unlike `resumeFlow` no time counts as a pause. The cue the catch-up finds due was the service's.
 */
export function followFlow(
  session: Session,
  meta: FlowMeta,
  haptics: Haptics,
  now: number,
  tickMs: number | null = DISPLAY_TICK_MS,
  more?: FlowMore,
): FlowResult {
  const flow = flowOf(session, meta, haptics, tickMs, more);
  if (session.status === 'paused') return resumeFlow(session, meta, haptics, now, tickMs, more);
  // The cues due since were the service's: counted as its (core/engine/session `wake`). The time since
  // the page last stored the session was the service's too, not a time the page saw the screen on.
  const caught = apply(flow, wake(session, now, lengthOf(flow), true), now, undefined, false);
  const live = caught.model.session.status === 'running';
  return live ? { ...caught, effects: [...caught.effects, keepAwakeFor(caught.model.session, now)] } : caught;
}

/** What a flow listens to (`flowSubscriptions`). */
export type FlowSub = SubOf<'wake' | 'heartRate'>;

/**
 * What a flow listens to: its one timer (`wakeAt`), and the heart-rate sensor while it is on and the
 * session not finished. The session page adds the keys (`sessionProgram`).
 */
export const flowSubscriptions = ({ wakeAt, heartRate, session }: SessionFlow): FlowSub[] => [
  ...(wakeAt == null ? [] : [{ type: 'wake', at: wakeAt } as const]),
  ...(heartRate === 'on' && session.status !== 'finished' ? [{ type: 'heartRate' } as const] : []),
];

export function updateFlow(flow: SessionFlow, event: SessionFlowEvent): FlowResult {
  const step = react(flow, event);
  const after = step.model.session;
  // A patient's command that changed the session: said last, once it is stored (`changed`).
  return event.type !== 'wake' && after !== flow.session
    ? { model: step.model, effects: [...step.effects, { type: 'changed', session: after }] }
    : step;
}

function react(flow: SessionFlow, event: SessionFlowEvent): FlowResult {
  const { session } = flow;
  switch (event.type) {
    case 'wake': {
      // The finish felt (and heard): on to the summary.
      if (session.status === 'finished')
        return { model: { ...flow, wakeAt: null }, effects: [{ type: 'leave', to: 'summary' }] };
      // A tick for the screen alone changes nothing stored: no transition, no storage write; the next wake.
      if (session.status === 'running' && onlyTick(session, event.now))
        return { model: { ...flow, wakeAt: nextWake(session, event.now, flow.tickMs) }, effects: [] };
      return apply(flow, wake(session, event.now, lengthOf(flow)), event.now, undefined, event.lit !== false);
    }
    case 'toggle':
      if (flow.confirmingEnd) return nothing(flow);
      if (session.status === 'running')
        return apply(flow, pause(session, event.now, lengthOf(flow)), event.now);
      if (session.status === 'paused') {
        const resumed = resume(session, event.now, lengthOf(flow));
        return apply(
          flow,
          resumed,
          event.now,
          resumed.ok ? [keepAwakeFor(resumed.value.session, event.now)] : [],
        );
      }
      return nothing(flow);
    case 'skip':
      if (flow.confirmingEnd) return nothing(flow);
      return apply(flow, skip(session, event.now, lengthOf(flow)), event.now);
    case 'askEnd':
      if (session.status !== 'running' && session.status !== 'paused') return nothing(flow);
      return { model: { ...flow, confirmingEnd: true }, effects: [{ type: 'askEnd' }] };
    case 'heartRate':
      return noteHeartRate(flow, event.bpm, event.now);
    case 'answerEnd': {
      const asked = { ...flow, confirmingEnd: false };
      if (!flow.confirmingEnd) return nothing(flow);
      if (!event.end) return nothing(asked);
      return apply(asked, end(session, event.now, 'endedEarly', lengthOf(flow)), event.now);
    }
  }
}

/**
 * `updateFlow` for a shell that measures heart rate for the end reading alone (`heartRate` 'waiting':
 * the App Service). Until HR_MEASURE_BEFORE_END_MS before the end (by the clock, as the session runs
 * now) the one timer also wakes for then; from then on the sensor is on. Apart from the session page's
 * `updateFlow`, so that the page's bundle does not carry it.
 */
export function updateForEndReading(flow: SessionFlow, event: SessionFlowEvent): FlowResult {
  const step = updateFlow(flow, event);
  const { model } = step;
  const { session } = model;
  if (model.heartRate !== 'waiting' || session.status !== 'running') return step;
  const now = event.now;
  const from = now + session.timeline.totalMs - elapsedMs(session, now) - HR_MEASURE_BEFORE_END_MS;
  if (now >= from) return { model: { ...model, heartRate: 'on' }, effects: step.effects };
  return model.wakeAt != null && model.wakeAt > from ? { ...step, model: { ...model, wakeAt: from } } : step;
}

/**
 * A value from the heart-rate sensor: kept as the latest reading, and as the start reading if it is the
 * first within HR_START_WINDOW_MS of the start, which the start record then keeps (so a relaunch keeps it).
 */
function noteHeartRate(flow: SessionFlow, value: unknown, now: number): FlowResult {
  const { session, meta } = flow;
  const bpm = heartRateReading(value);
  if (bpm === undefined || session.startedAt === null) return nothing(flow);
  if (session.status !== 'running' && session.status !== 'paused') return nothing(flow);
  const next: SessionFlow = { ...flow, hrLast: { bpm, at: now } };
  if (meta.hrStart !== undefined || now - session.startedAt > HR_START_WINDOW_MS)
    return { model: next, effects: [] };
  const started: FlowMeta = { ...meta, hrStart: bpm };
  return { model: { ...next, meta: started }, effects: [persistStart(started, session)] };
}

/** What the session page reads when it opens; everything else comes from the clock and the patient. */
export interface SessionOpening {
  /** What the running keys held (RUNNING_KEYS). */
  readonly running: Running;
  /** The prescription a new session follows. */
  readonly prescription: Prescription;
  readonly now: number;
  readonly utcOffsetMin: number;
  readonly haptics: Haptics;
  /** [0, 1): the randomness of a new session's log id. */
  readonly random: () => number;
  /** How often the screen needs redrawing (default DISPLAY_TICK_MS); null where no screen is drawn. */
  readonly tickMs?: number | null;
  /** The rating the patient gave before the first round, for a new session; absent when skipped. */
  readonly painBefore?: number;
  /**
   * The stored session kept running elsewhere (the App Service played its cues): pick it up where the
   * clock says it is, rather than where it was last stored.
   */
  readonly followClock?: boolean;
  /** Cues played in another form than as set (core/watch/session-path). */
  readonly forms?: CueForms;
  /** Heart rate allowed (asked once): the sensor is on while the session is not finished. */
  readonly heartRate?: boolean;
  /** A completed session's least wait before the summary (`SessionFlow.doneMs`). */
  readonly doneMs?: number;
}

/**
 * The session page as a program. A stored session is always picked up, whatever the page's params say:
 * the system's wake relaunch repeats the params of the first launch, and home offers Start only when
 * none is stored. One finished but not yet logged (the page closed between its last write and the
 * summary) goes to the summary, which logs it; one that cannot be resumed here (lost, unreadable) is
 * left for the home page to settle. A new session writes its start record before anything else, so
 * even a crash in its first second leaves something to log.
 */
export function sessionProgram(
  opening: SessionOpening,
): Program<SessionFlow | null, SessionFlowEvent, SessionFlowEffect, FlowSub | typeof KEYS> {
  return {
    init: openSession(opening),
    update: (flow, event) => (flow ? updateFlow(flow, event) : { model: null, effects: [] }),
    // The buttons and swipes the session takes, whatever its state (a finished one answers none).
    subscriptions: (flow) => (flow ? [...flowSubscriptions(flow), KEYS] : []),
  };
}

/**
 * What the buttons and swipes mean while a session runs: select pauses or resumes, back or a swipe right
 * asks to end, a swipe left skips.
 */
const KEYS: Keys<'toggle' | 'askEnd' | 'skip'> = {
  type: 'keys',
  take: { select: 'toggle', back: 'askEnd', swipeRight: 'askEnd', swipeLeft: 'skip' },
};

function openSession(o: SessionOpening): Step<SessionFlow | null, SessionFlowEffect> {
  const leave = (to: 'home' | 'summary'): Step<SessionFlow | null, SessionFlowEffect> => ({
    model: null,
    effects: [{ type: 'leave', to }],
  });
  // A stored session keeps the offset of its start record: a zone changed since does not move its day.
  const meta = (logId: string, extras: SessionExtras, utcOffsetMin = o.utcOffsetMin): FlowMeta => ({
    logId,
    utcOffsetMin,
    ...extras,
    forms: o.forms,
  });
  const tickMs = o.tickMs === undefined ? DISPLAY_TICK_MS : o.tickMs;
  const more: FlowMore = { doneMs: o.doneMs, heartRate: o.heartRate ? 'on' : undefined };
  let opened: FlowResult;
  let recorded: SessionFlowEffect[] = [];
  if (o.running.type === 'resumable') {
    const stored = meta(o.running.logId, o.running.extras ?? {}, o.running.utcOffsetMin);
    opened = o.followClock
      ? followFlow(o.running.session, stored, o.haptics, o.now, tickMs, more)
      : resumeFlow(o.running.session, stored, o.haptics, o.now, tickMs, more);
  } else if (o.running.type === 'finished') {
    return leave('summary');
  } else if (o.running.type !== 'none') {
    return leave('home');
  } else {
    const created = createSession(o.prescription);
    if (!created.ok) return leave('home');
    const logId = sessionLogId(o.now, o.random);
    const { now, utcOffsetMin, prescription } = o;
    const painBefore = painRating(o.painBefore);
    const extras: SessionExtras = painBefore === undefined ? {} : { painBefore };
    recorded = [
      {
        type: 'persist',
        key: RUNNING_KEYS.started,
        text: encodeStart({ logId, startedAt: now, utcOffsetMin, prescription, ...extras }),
      },
    ];
    opened = beginFlow(created.value, meta(logId, extras), o.haptics, now, tickMs, more);
  }
  return { model: opened.model, effects: [...recorded, ...opened.effects] };
}
