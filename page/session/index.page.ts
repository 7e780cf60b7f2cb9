import { createModal, MODAL_CONFIRM } from '@zos/interaction';
import { replace } from '@zos/router';
import { runProgram, type Run } from '../../core/base/program';
import { hapticsFor } from '../../core/engine/haptics';
import {
  sessionProgram,
  type SessionFlow,
  type SessionFlowEffect,
  type SessionFlowEvent,
} from '../../core/engine/session-flow';
import { sessionScreenOf, sessionView } from '../../core/screens/session';
import { painBeforeOf, summaryParamsOf } from '../../core/screens/summary';
import { loadPrescription } from '../../core/watch/prescription';
import { keepLog, readRunningKeys } from '../../core/watch/running';
import { screenModeOf, sessionBrightness } from '../../core/watch/screen';
import { APP_VERSION } from '../lib/app-version';
import { listen } from '../lib/input';
import { brightness } from '../lib/brightness';
import { keepAwake } from '../lib/keep-awake';
import { measureHeartRate } from '../lib/heart-rate';
import { apiLevel, screenLayout, t, watchClock, watchStore } from '../lib/platform';
import { createRenderer } from '../lib/render';
import { motor } from '../lib/vibration';
import { plainPage, type PageShell } from '../lib/page-shell';

/** The session screen: carries out core/engine/session-flow's effects, and draws core/screens/session. */
function sessionPage(params: string | undefined): PageShell {
  const store = watchStore();
  const clock = watchClock();
  const layout = screenLayout();
  const wrist = motor();
  // The one timer: the next cue or the screen's next tick, whichever is earlier (core/engine/wake).
  let timer: number | undefined;
  const screen = brightness(store, () => clock.now());
  const mode = screenModeOf(store);
  let run: Run<SessionFlow | null, SessionFlowEvent> | undefined;
  let stopListening = (): void => undefined;
  let stopHeartRate = (): void => undefined;

  const dispatch = (event: SessionFlowEvent): void => run?.dispatch(event);
  const draw = (flow: SessionFlow | null): void => {
    screen.want(sessionBrightness(flow, mode));
    if (flow) renderer.render(sessionView(sessionScreenOf(flow, clock.now()), layout, t));
  };
  const stopTimers = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const leave = (url: string, routeParams = ''): void => {
    stopTimers();
    replace({ url, params: routeParams });
  };

  const interpret = (effect: SessionFlowEffect, dispatch: (event: SessionFlowEvent) => void): void => {
    switch (effect.type) {
      case 'play':
        return wrist.play(effect.pattern);
      case 'arm':
        stopTimers();
        timer = setTimeout(
          () => dispatch({ type: 'wake', now: clock.now() }),
          Math.max(0, effect.at - clock.now()),
        ) as unknown as number;
        return;
      case 'disarm':
        return stopTimers();
      case 'persist':
        return store.set(effect.key, effect.text);
      case 'keepAwake':
        return keepAwake.hold(effect.ms);
      case 'askEnd':
        createModal({
          content: t('session.endConfirm'),
          autoHide: true,
          onClick: ({ type }) =>
            dispatch({ type: 'answerEnd', now: clock.now(), end: type === MODAL_CONFIRM }),
        });
        return;
      case 'leave':
        return leave('page/home/index.page');
      case 'finish': {
        stopHeartRate();
        const stored = keepLog(store, effect.log, clock.now());
        keepAwake.release();
        screen.want('user');
        stopTimers();
        // Leaving stops the motor: the last cue is felt whole first.
        timer = setTimeout(
          () => leave('page/summary/index.page', summaryParamsOf(effect.log, stored)),
          effect.leaveAfterMs,
        ) as unknown as number;
        return;
      }
    }
  };
  const renderer = createRenderer((action) => {
    if (action === 'toggle' || action === 'skip') dispatch({ type: action, now: clock.now() });
  });

  return {
    start() {
      stopListening = listen({
        select: () => dispatch({ type: 'toggle', now: clock.now() }),
        back: () => dispatch({ type: 'askEnd', now: clock.now() }),
        swipeLeft: () => dispatch({ type: 'skip', now: clock.now() }),
      });
      const now = clock.now();
      run = runProgram(
        sessionProgram({
          running: readRunningKeys(store, Math.random),
          prescription: loadPrescription(store, now).prescription,
          now,
          utcOffsetMin: clock.utcOffsetMin(),
          appVersion: APP_VERSION,
          haptics: hapticsFor(apiLevel()),
          random: Math.random,
          painBefore: painBeforeOf(params),
        }),
        interpret,
        draw,
      );
      // Heart rate at the start and at the end of a session this page runs (core keeps which readings).
      if (run.model && run.model.session.status !== 'finished')
        stopHeartRate = measureHeartRate((bpm) => dispatch({ type: 'heartRate', now: clock.now(), bpm }));
    },
    stop() {
      stopHeartRate();
      run?.stop();
      stopListening();
      stopTimers();
      wrist.stop();
      renderer.clear();
      // A session still running when the system closes the page stays stored for the relaunch; the
      // screen settings and the patient's brightness go back either way.
      keepAwake.release();
      screen.want('user');
    },
  };
}

plainPage((params) => sessionPage(params));
