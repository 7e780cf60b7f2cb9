import { replace } from '@zos/router';
import { runProgram, type Run } from '../../core/base/program';
import {
  resumeProgram,
  resumeView,
  type ResumeEffect,
  type ResumeEvent,
  type ResumeModel,
} from '../../core/screens/resume';
import { readRunningKeys, settleRunning } from '../../core/watch/running';
import { followClock } from '../../core/watch/service';
import { APP_VERSION } from '../lib/app-version';
import { messagingPage } from '../lib/mount';
import type { PageShell } from '../lib/page-shell';
import { screenLayout, t, watchClock, watchStore } from '../lib/platform';
import { createRenderer } from '../lib/render';
import { startSync, type Requester } from '../lib/sync';

/**
 * A stored session, decided about (core/screens/resume): home opens this page when the running keys
 * hold anything. It talks to the phone only while a log waits for room in a full outbox.
 */
function resumePage(request: Requester): PageShell {
  const store = watchStore();
  const clock = watchClock();
  const layout = screenLayout();
  let run: Run<ResumeModel, ResumeEvent> | undefined;

  const dispatch = (event: ResumeEvent): void => run?.dispatch(event);
  const sync = startSync(
    request,
    store,
    () => clock.now(),
    () => dispatch({ type: 'outboxChanged' }),
  );
  const interpret = (effect: ResumeEffect, dispatch: (event: ResumeEvent) => void): void => {
    switch (effect.type) {
      case 'follow':
        return dispatch({ type: 'followed', followed: followClock(store, clock.now(), Math.random) });
      case 'settle': {
        const context = { now: clock.now(), utcOffsetMin: clock.utcOffsetMin(), appVersion: APP_VERSION };
        const outcome = settleRunning(store, effect.which, { ...context, random: Math.random });
        return dispatch({ type: 'settled', outcome, left: readRunningKeys(store, Math.random).type });
      }
      case 'sync':
        return sync.kick('app_started');
      case 'open':
        return replace({ url: effect.url });
    }
  };
  const renderer = createRenderer((action) => dispatch({ type: 'tap', action }));

  return {
    start() {
      run = runProgram(resumeProgram, interpret, (model) => renderer.render(resumeView(model, layout, t)));
    },
    stop() {
      run?.stop();
      sync.stop();
      renderer.clear();
    },
  };
}

messagingPage((request) => resumePage(request));
