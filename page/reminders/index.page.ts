import { updatePrescription } from '../../core/plan/prescription';
import {
  remindersAction,
  remindersModel,
  remindersView,
  updateReminders,
  type RemindersEvent,
  type RemindersModel,
} from '../../core/screens/reminders';
import { saveWatchEdit } from '../../core/watch/edits';
import { loadPrescription } from '../../core/watch/prescription';
import { screenLayout, t, watchClock, watchStore } from '../lib/platform';
import { exchangePrescription, replanReminders } from '../lib/reminders';
import { createRenderer } from '../lib/render';
import type { Requester } from '../lib/sync';
import { messagingPage, type PageShell } from '../lib/mount';

/** Reminders: the two daily times on or off, shifted by taps; Save applies them here and tells the phone. */
function remindersPage(request: Requester): PageShell {
  const store = watchStore();
  const clock = watchClock();
  const layout = screenLayout();
  let model: RemindersModel = remindersModel(loadPrescription(store, clock.now()).prescription);
  let stopped = false;

  const dispatch = (event: RemindersEvent): void => {
    if (stopped) return;
    const result = updateReminders(model, event);
    model = result.model;
    renderer.render(remindersView(model, layout, t));
    for (const effect of result.effects) save(effect.reminders);
  };

  const save = (reminders: readonly string[]): void => {
    const now = clock.now();
    const next = updatePrescription(loadPrescription(store, now).prescription, { reminders });
    if (!next.ok) return dispatch({ type: 'sent', outcome: 'superseded' });
    saveWatchEdit(store, next.value, now);
    replanReminders(store, clock);
    void exchangePrescription(
      request,
      store,
      () => clock.now(),
      () => replanReminders(store, clock),
    ).then((outcome) => {
      const prescription = loadPrescription(store, clock.now()).prescription;
      dispatch({
        type: 'sent',
        outcome: outcome === 'saved' ? 'saved' : outcome === 'superseded' ? 'superseded' : 'pending',
        prescription,
      });
    });
  };

  const renderer = createRenderer((action) => {
    const event = remindersAction(action);
    if (event) dispatch(event);
  });

  return {
    start: () => renderer.render(remindersView(model, layout, t)),
    stop() {
      stopped = true;
      renderer.clear();
    },
  };
}

messagingPage((request) => remindersPage(request));
