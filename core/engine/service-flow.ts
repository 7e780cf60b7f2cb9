import type { Program } from '../base/program';
import type { Haptics } from './haptics';
import type { Session } from './session';
import type { SessionExtras } from './session-record';
import {
  flowSubscriptions,
  type FlowSub,
  updateForEndReading,
  type CueForms,
  type SessionFlow,
  type SessionFlowEffect,
  type SessionFlowEvent,
} from './session-flow';
import type { CueKind } from './timeline';

/**
 * The session as the App Service plays it (app-service/session.ts), Elm-style like the page's: the same
 * flow (`updateForEndReading`: the page's rules, and the sensor switched on for the end reading alone),
 * taken over from the page's hand-over. The service shell only carries the effects out, through the
 * one runner (core/base/program `mount`).
 */

/** What the App Service starts from: the hand-over (core/watch/service) and its own watch. */
export interface ServiceOpening {
  /** The session handed over, as the page's running keys held it (a `resumable` Running). */
  readonly running: {
    readonly session: Session;
    readonly logId: string;
    readonly utcOffsetMin?: number;
    readonly extras?: SessionExtras;
  };
  readonly now: number;
  /** The watch's offset now: for a session whose start record holds none. */
  readonly utcOffsetMin: number;
  readonly haptics: Haptics;
  /** Cues played in another form than as set (the wrist check's, handed over). */
  readonly forms: CueForms;
  /** Heart rate allowed (asked by the page): the sensor goes on for the end reading. */
  readonly heartRate: boolean;
  /** How long the end waits at least, "Well done" heard (core/engine/voice DONE_SPOKEN_MS), if spoken. */
  readonly doneMs?: number;
}

export type ServiceEffect =
  | SessionFlowEffect
  /**
   * The session is taken over. `cue`: one already due then, handled but not played (the hand-over
   * cannot say whether the page, or a previous instance of the service, played it: a restart never
   * plays one twice, AS6), whose phrase is said, the page not speaking; null when none was due (the
   * shell then says the phrase of the cue the page played just before, if that was recent).
   */
  | { readonly type: 'takenOver'; readonly cue: CueKind | null };

/**
 * Takes the session over at `now` and plays it from there. With no screen to draw, the timer follows
 * the cues alone (core/engine/wake); it listens to nothing else but the heart-rate sensor near the end.
 * Its `leave` (after the finish, the session-done cue felt) is the service's exit.
 */
export function serviceProgram(
  o: ServiceOpening,
): Program<SessionFlow, SessionFlowEvent, ServiceEffect, FlowSub> {
  const { running } = o;
  const flow: SessionFlow = {
    session: running.session,
    meta: {
      logId: running.logId,
      utcOffsetMin: running.utcOffsetMin ?? o.utcOffsetMin,
      ...running.extras,
      forms: o.forms,
    },
    haptics: o.haptics,
    confirmingEnd: false,
    tickMs: null,
    doneMs: o.doneMs,
    ...(o.heartRate ? { heartRate: 'waiting' as const } : {}),
  };
  const first = updateForEndReading(flow, { type: 'wake', now: o.now });
  const effects: ServiceEffect[] = first.effects.map((e) =>
    e.type === 'play' ? { type: 'takenOver', cue: e.cue } : e,
  );
  if (!effects.some((e) => e.type === 'takenOver')) effects.push({ type: 'takenOver', cue: null });
  return {
    init: { model: first.model, effects },
    update: updateForEndReading,
    subscriptions: flowSubscriptions,
  };
}
