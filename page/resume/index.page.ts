import { mount, type Run } from '../../core/base/program';
import {
  firstLaunchProgram,
  resumeProgram,
  resumeView,
  type ResumeEffect,
  type ResumeEvent,
  type ResumeModel,
} from '../../core/screens/resume';
import { readRunningKeys, settleRunning } from '../../core/watch/running';
import { followClock } from '../../core/watch/service';
import { CHECK_OFFERED_KEY } from '../../core/watch/session-path';
import { APP_VERSION } from '../lib/app-version';
import { messagingPage } from '../lib/messaging-page';
import type { PageShell } from '../lib/page-shell';
import { screenLayout, t, watchClock, watchStore } from '../lib/platform';
import { createRenderer } from '../lib/render';
import { boxesMeet } from '../../core/screens/stacking';
import { open } from '../lib/router';
import type { Requester } from '../lib/sync';
import { talkToPhone } from '../lib/talk';

/**
 * A stored session, decided about (core/screens/resume): home opens this page when the running keys
 * hold anything. It talks to the phone only while a log waits for room in a full outbox: then it also
 * says to it what home does not (page/lib/talk).
 */
function resumePage(request: Requester): PageShell {
  const store = watchStore();
  const clock = watchClock();
  const layout = screenLayout();
  let run: Run<ResumeModel, ResumeEvent> | undefined;

  const dispatch = (event: ResumeEvent): void => run?.dispatch(event);
  const talk = talkToPhone(request, store, clock, () => dispatch({ type: 'outboxChanged' }));
  const interpret = (effect: ResumeEffect, dispatch: (event: ResumeEvent) => void): void => {
    switch (effect.type) {
      case 'follow':
        return dispatch({ type: 'followed', followed: followClock(store, clock.now()) });
      case 'settle': {
        const context = { now: clock.now(), utcOffsetMin: clock.utcOffsetMin(), appVersion: APP_VERSION };
        const outcome = settleRunning(store, effect.which, context);
        return dispatch({ type: 'settled', outcome, left: readRunningKeys(store).type });
      }
      case 'sync':
        return talk.sync('app_started');
      case 'open':
        return open(effect.route);
    }
  };
  const renderer = createRenderer(dispatch, boxesMeet);

  return {
    start() {
      const first = store.get(CHECK_OFFERED_KEY) === undefined;
      run = mount(first ? firstLaunchProgram : resumeProgram, interpret, (model) =>
        renderer.render(resumeView(model, layout, t)),
      );
    },
    stop() {
      run?.stop();
      talk.stop();
      renderer.clear();
    },
    received: (data) => talk.received(data),
  };
}

messagingPage(resumePage);
