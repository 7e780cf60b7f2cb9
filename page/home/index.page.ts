import { push, replace } from '@zos/router';
import { runProgram, type Run } from '../../core/base/program';
import {
  homeProgram,
  homeView,
  readHome,
  type HomeEffect,
  type HomeEvent,
  type HomeState,
} from '../../core/screens/home';
import { sessionStored } from '../../core/engine/running-keys';
import { adoptPhoneRecord, exchangePrescription } from '../../core/watch/edits';
import { brightness } from '../lib/brightness';
import { screenLayout, t, watchClock, watchStore } from '../lib/platform';
import { createRenderer } from '../lib/render';
import { replanReminders } from '../lib/reminders';
import { send, startSync, type Requester } from '../lib/sync';
import { messagingPage } from '../lib/mount';
import type { PageShell } from '../lib/page-shell';

/** Home: carries out core/screens/home's effects and draws its view from what the watch holds. */
function homePage(request: Requester): PageShell {
  const store = watchStore();
  const clock = watchClock();
  const layout = screenLayout();
  let run: Run<HomeState, HomeEvent> | undefined;

  const dispatch = (event: HomeEvent): void => run?.dispatch(event);
  const sync = startSync(
    request,
    store,
    () => clock.now(),
    () => dispatch({ type: 'outboxChanged' }),
  );
  const draw = (state: HomeState): void => {
    const model = readHome(store, { now: clock.now(), utcOffsetMin: clock.utcOffsetMin() }, state.phone);
    renderer.render(homeView(model, layout, t));
  };
  const interpret = (effect: HomeEffect, dispatch: (event: HomeEvent) => void): void => {
    switch (effect.type) {
      case 'sync':
        return sync.kick(effect.event);
      case 'exchangePrescription':
        void exchangePrescription(
          (message) => send(request, message),
          store,
          () => clock.now(),
          () => dispatch({ type: 'prescriptionChanged' }),
        );
        return;
      case 'askSummary':
        send(request, effect.message).then(
          (body) => dispatch({ type: 'summary', body }),
          () => undefined,
        );
        return;
      case 'replanReminders':
        replanReminders(store, clock);
        return;
      case 'adopt':
        if (adoptPhoneRecord(store, effect.record, clock.now())) dispatch({ type: 'prescriptionChanged' });
        return;
      case 'navigate':
        return push(
          effect.params === undefined ? { url: effect.url } : { url: effect.url, params: effect.params },
        );
    }
  };
  const renderer = createRenderer((action) => dispatch({ type: 'tap', action }));

  return {
    start() {
      // A run that ended with the screen lowered (killed mid-session) left the patient's brightness on
      // record: every launch lands here or on the session page, which lowers it again if it resumes.
      brightness(store, () => clock.now()).want('user');
      // A stored session (cut short, finished but not logged, or run by the App Service) is decided
      // about on a page of its own, which comes back here once nothing is left to decide: home carries
      // none of the code that reads one.
      if (sessionStored(store)) return replace({ url: 'page/resume/index.page' });
      run = runProgram(
        homeProgram({ now: clock.now(), utcOffsetMin: clock.utcOffsetMin() }),
        interpret,
        draw,
      );
    },
    stop() {
      run?.stop();
      sync.stop();
      renderer.clear();
    },
    received: (data) => dispatch({ type: 'pushed', data }),
  };
}

messagingPage((request) => homePage(request));
