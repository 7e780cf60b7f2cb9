import { mount, type Run } from '../../core/base/program';
import {
  remindersProgram,
  remindersView,
  type RemindersEffect,
  type RemindersEvent,
  type RemindersModel,
} from '../../core/screens/reminders';
import { changeOnWatch, exchangePrescription } from '../../core/watch/edits';
import { loadPrescription } from '../../core/watch/prescription';
import { screenLayout, t, watchClock, watchStore } from '../lib/platform';
import { replanReminders } from '../lib/reminders';
import { createRenderer } from '../lib/render';
import { boxesMeet } from '../../core/screens/stacking';
import { send, type Requester } from '../lib/sync';
import { messagingPage } from '../lib/messaging-page';
import type { PageShell } from '../lib/page-shell';

/** Reminders: carries out core/screens/reminders' effects and draws its view. */
function remindersPage(request: Requester): PageShell {
  const store = watchStore();
  const clock = watchClock();
  const layout = screenLayout();
  let run: Run<RemindersModel, RemindersEvent> | undefined;

  const dispatch = (event: RemindersEvent): void => run?.dispatch(event);
  const interpret = (effect: RemindersEffect, dispatch: (event: RemindersEvent) => void): void => {
    // Applied on the watch at once (the alarms follow), then offered to the phone.
    if (changeOnWatch(store, { reminders: effect.reminders }, clock.now()) === null)
      return dispatch({ type: 'sent', outcome: 'refused' });
    replanReminders(store, clock);
    void exchangePrescription(
      (message) => send(request, message),
      store,
      clock.now,
      () => replanReminders(store, clock),
    ).then((outcome) =>
      dispatch({ type: 'sent', outcome, prescription: loadPrescription(store, clock.now()).prescription }),
    );
  };
  const draw = (model: RemindersModel): void => renderer.render(remindersView(model, layout, t));
  const renderer = createRenderer(dispatch, boxesMeet);

  return {
    start() {
      run = mount(remindersProgram(loadPrescription(store, clock.now()).prescription), interpret, draw);
    },
    stop() {
      run?.stop();
      renderer.clear();
    },
  };
}

messagingPage(remindersPage);
