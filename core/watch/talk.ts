import type { Program, Step } from '../base/program';
import { readPrescriptionPush } from '../link/prescription-push';
import {
  decodeAnswer,
  PROTOCOL_VERSION,
  readSummaryAnswer,
  type PrescriptionRecord,
  type Request,
} from '../link/protocol';
import type { Summary } from '../log/stats';

/**
 * What a page that reaches the phone says to it besides the logs (the summary page, both before and
 * after a session, and the resume page when it syncs): the prescription both ways, the phone's pushes,
 * and the phone's word on the patient's day, kept for home (core/watch/phone-day), which talks to nobody.
 *
 * The day is asked when the page opens the talk and again each time the phone took logs (the sync loop
 * changed the outbox), so that home counts the session the phone has just been given. Answers may come
 * back in any order: only one to a later question than the last kept is kept.
 */
export interface TalkState {
  readonly opened: boolean;
  /** Questions asked so far (summary.get); each answer comes back with its question's number. */
  readonly asked: number;
  /** The number of the question whose answer was kept last; 0: none yet. */
  readonly kept: number;
}

/** When the page asks, on the watch's clock. */
interface Asked {
  readonly now: number;
  readonly utcOffsetMin: number;
}

export type TalkEvent =
  /** The page reaches out to the phone (idempotent: a page opens the talk once). */
  | ({ readonly type: 'open' } & Asked)
  /** The phone took (or refused) logs: the outbox changed. */
  | ({ readonly type: 'logsTaken' } & Asked)
  /** The phone's answer to question `ask` (summary.get). */
  | { readonly type: 'summary'; readonly ask: number; readonly body: unknown }
  /** What the phone pushed with zml `call` (a prescription saved in the Settings App). */
  | { readonly type: 'pushed'; readonly data: unknown }
  /** The watch's copy of the prescription changed. */
  | { readonly type: 'prescriptionChanged' };

export type TalkEffect =
  /** Send a change made on the watch if one waits, else fetch the phone's prescription. */
  | { readonly type: 'exchangePrescription' }
  /** Ask the phone; its answer comes back as a `summary` event with the same `ask`. */
  | { readonly type: 'askSummary'; readonly ask: number; readonly message: Request }
  /** Keep the phone's day for home (core/watch/phone-day `keepPhoneDay`). */
  | { readonly type: 'keepPhoneDay'; readonly summary: Summary }
  /** Keep a record the phone pushed, unless a change made on the watch waits (edits `adoptPhoneRecord`). */
  | { readonly type: 'adopt'; readonly record: PrescriptionRecord }
  | { readonly type: 'replanReminders' };

const ask = (state: TalkState, at: Asked): Step<TalkState, TalkEffect> => {
  const n = state.asked + 1;
  return {
    model: { ...state, asked: n },
    effects: [
      {
        type: 'askSummary',
        ask: n,
        message: { v: PROTOCOL_VERSION, type: 'summary.get', now: at.now, utcOffsetMin: at.utcOffsetMin },
      },
    ],
  };
};

export function updateTalk(state: TalkState, event: TalkEvent): Step<TalkState, TalkEffect> {
  const none = { model: state, effects: [] };
  switch (event.type) {
    case 'open': {
      if (state.opened) return none;
      const asked = ask({ ...state, opened: true }, event);
      return { model: asked.model, effects: [{ type: 'exchangePrescription' }, ...asked.effects] };
    }
    case 'logsTaken':
      return state.opened ? ask(state, event) : none;
    case 'summary': {
      if (event.ask <= state.kept) return none;
      const answer = decodeAnswer(event.body, 'summary.get', readSummaryAnswer);
      return answer.ok
        ? {
            model: { ...state, kept: event.ask },
            effects: [{ type: 'keepPhoneDay', summary: answer.value.summary }],
          }
        : none;
    }
    case 'pushed': {
      const record = readPrescriptionPush(event.data);
      return record ? { model: state, effects: [{ type: 'adopt', record }] } : none;
    }
    case 'prescriptionChanged':
      // The reminder times may have changed, and so the alarms to arm.
      return { model: state, effects: [{ type: 'replanReminders' }] };
  }
}

export const talkProgram: Program<TalkState, TalkEvent, TalkEffect> = {
  init: { model: { opened: false, asked: 0, kept: 0 }, effects: [] },
  update: updateTalk,
};
