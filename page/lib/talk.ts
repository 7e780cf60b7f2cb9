import { mount } from '../../core/base/program';
import type { KeyValueStore } from '../../core/base/kv';
import { adoptPhoneRecord, exchangePrescription } from '../../core/watch/edits';
import { keepPhoneDay } from '../../core/watch/phone-day';
import { talkProgram, type TalkEffect, type TalkEvent } from '../../core/watch/talk';
import { replanReminders } from './reminders';
import { send, startSync, type Requester } from './sync';
import { none } from './none';

export interface Talk {
  /** The prescription both ways and the phone's day (core/watch/talk), once per page. */
  open(): void;
  /** Sends what the outbox holds (core/watch/sync), and opens the talk if it is not yet. */
  sync(event: 'app_started' | 'session_logged'): void;
  /** What the phone pushed to this page (zml `call`). */
  received(data: unknown): void;
  stop(): void;
}

/**
 * Everything a page that reaches the phone says to it, in one place: the logs (core/watch/sync), the
 * prescription, the phone's pushes and its day, kept for home (core/watch/talk). `changed` runs after
 * the phone took logs (the outbox changed).
 */
export function talkToPhone(
  request: Requester,
  store: KeyValueStore,
  clock: { now(): number; utcOffsetMin(): number },
  changed: () => void = none,
): Talk {
  const asked = () => ({ now: clock.now(), utcOffsetMin: clock.utcOffsetMin() });
  const interpret = (effect: TalkEffect, dispatch: (event: TalkEvent) => void): void => {
    switch (effect.type) {
      case 'exchangePrescription':
        void exchangePrescription(
          (message) => send(request, message),
          store,
          clock.now,
          () => dispatch({ type: 'prescriptionChanged' }),
        );
        return;
      case 'askSummary':
        send(request, effect.message).then(
          (body) => dispatch({ type: 'summary', ask: effect.ask, body }),
          none,
        );
        return;
      case 'keepPhoneDay':
        return keepPhoneDay(store, effect.summary);
      case 'adopt':
        if (adoptPhoneRecord(store, effect.record, clock.now())) dispatch({ type: 'prescriptionChanged' });
        return;
      case 'replanReminders':
        replanReminders(store, clock);
        return;
    }
  };
  const run = mount(talkProgram, interpret);
  const logs = startSync(request, store, clock.now, () => {
    run.dispatch({ type: 'logsTaken', ...asked() });
    changed();
  });
  const open = (): void => run.dispatch({ type: 'open', ...asked() });
  return {
    open,
    sync(event) {
      logs.kick(event);
      open();
    },
    received: (data) => run.dispatch({ type: 'pushed', data }),
    stop() {
      run.stop();
      logs.stop();
    },
  };
}
