import type { Program, Step } from '../base/program';
import type { ServiceRefusal } from './service';

/**
 * The decisions of the App Service's session page (page/service-session), as a program: when the
 * session goes to the App Service, the background permission asked once, what a change made on the
 * page does to a service that plays it, and the page taking the cues back when the service cannot have
 * them. The page only carries the effects out (page/lib/service, the runner key, the screen) and feeds
 * the platform's answers back in.
 */
export interface HandOver {
  /** The App Service plays the cues; the page only shows the session. */
  readonly viewing: boolean;
  /** The permission's question was asked already (core/watch/service ASKED_KEY): never twice. */
  readonly asked: boolean;
  /** After the service stops, hand the session over again (it was left running by a change). */
  readonly again: boolean;
}

export type HandOverEvent =
  /** The session is open (`running`: it runs); `permitted`: the background permission is granted now. */
  | { readonly type: 'opened'; readonly running: boolean; readonly permitted: boolean }
  /**
   * A command of the patient's changed the session (pause, resume, skip, end): it is `running` now or
   * not; `byService`: the runner key says the service played it before.
   */
  | {
      readonly type: 'changed';
      readonly running: boolean;
      readonly byService: boolean;
      readonly permitted: boolean;
    }
  /** The service stopped, as asked. */
  | { readonly type: 'stopped'; readonly permitted: boolean }
  /** The service's start answered: null when it runs, else why not. */
  | { readonly type: 'started'; readonly refusal: ServiceRefusal | null }
  /** The system's question answered. */
  | { readonly type: 'answered'; readonly granted: boolean }
  /** The session finished: `completed`, or ended early. */
  | { readonly type: 'finishing'; readonly completed: boolean };

export type HandOverEffect =
  /** Write the hand-over and start the service, then `started` (nothing when the keys hold no session). */
  | { readonly type: 'start' }
  /** Stop the service; then `stopped` when `answer`. */
  | { readonly type: 'stop'; readonly answer: boolean }
  /** Note the question as asked (ASKED_KEY), say why, then ask the system's question; then `answered`. */
  | { readonly type: 'ask' }
  /** The service plays: the runner key says so, the screen is let go, the page shows the session. */
  | { readonly type: 'view' }
  /** The page plays the cues (motor alone): the runner key cleared, the screen held again, and why said. */
  | { readonly type: 'play'; readonly refusal: ServiceRefusal };

type HandOverStep = Step<HandOver, HandOverEffect>;

const stay = (model: HandOver): HandOverStep => ({ model, effects: [] });

/** The service cannot have the cues: the page plays them, and says why. */
const toPage = (model: HandOver, refusal: ServiceRefusal): HandOverStep => ({
  model: { ...model, viewing: false },
  effects: [{ type: 'play', refusal }],
});

/** Hand the session to the service: started if permitted, else the question, asked once. */
function handOver(model: HandOver, permitted: boolean): HandOverStep {
  if (permitted) return { model, effects: [{ type: 'start' }] };
  if (model.asked) return toPage(model, 'refused');
  return { model: { ...model, asked: true }, effects: [{ type: 'ask' }] };
}

export function updateHandOver(model: HandOver, event: HandOverEvent): HandOverStep {
  switch (event.type) {
    case 'opened':
      // A new session, a resumed one, or one whose service was lost: the service takes it over.
      return !model.viewing && event.running ? handOver(model, event.permitted) : stay(model);
    case 'changed':
      // A service playing it is stopped, and started again on the new hand-over if it still runs.
      if (model.viewing)
        return { model: { ...model, again: event.running }, effects: [{ type: 'stop', answer: true }] };
      // A session the service ran, paused and left: resumed here, it goes back to the service.
      return event.byService && event.running ? handOver(model, event.permitted) : stay(model);
    case 'stopped':
      return model.again ? handOver({ ...model, again: false }, event.permitted) : stay(model);
    case 'started':
      return event.refusal === null
        ? { model: { ...model, viewing: true }, effects: [{ type: 'view' }] }
        : toPage(model, event.refusal);
    case 'answered':
      return event.granted ? { model, effects: [{ type: 'start' }] } : toPage(model, 'refused');
    case 'finishing':
      // A completed session ends the service by itself, after its last cue; one ended early is stopped.
      return model.viewing && !event.completed
        ? { model, effects: [{ type: 'stop', answer: false }] }
        : stay(model);
  }
}

/**
 * `viewing`: the runner key says the service plays the session and the service runs (the page opened
 * on a session the service is playing); `asked`: the question was asked before.
 */
export const handOverProgram = (
  viewing: boolean,
  asked: boolean,
): Program<HandOver, HandOverEvent, HandOverEffect> => ({
  init: { model: { viewing, asked, again: false }, effects: [] },
  update: updateHandOver,
});
