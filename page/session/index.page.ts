import { getDeviceInfo } from '@zos/device';
import { createModal, MODAL_CONFIRM } from '@zos/interaction';
import { runProgram, type Run } from '../../core/base/program';
import { hapticsFor } from '../../core/engine/haptics';
import {
  keepAwakeFor,
  sessionProgram,
  type SessionFlow,
  type SessionFlowEffect,
  type SessionFlowEvent,
} from '../../core/engine/session-flow';
import { sessionScreenOf, sessionView, type SessionTap } from '../../core/screens/session';
import { painBeforeOf } from '../../core/screens/summary';
import { loadPrescription } from '../../core/watch/prescription';
import { readRunningKeys } from '../../core/watch/running';
import { sessionBrightness } from '../../core/watch/screen';
import {
  ASKED_KEY,
  handoverOf,
  refusalText,
  runByService,
  RUNNER_KEY,
  type ServiceRefusal,
} from '../../core/watch/service';
import { sessionChoice } from '../../core/watch/session-path';
import { listen } from '../lib/input';
import { brightness } from '../lib/brightness';
import { keepAwake } from '../lib/keep-awake';
import { heartRateAllowed, measureHeartRate } from '../lib/heart-rate';
import { apiLevel } from '../lib/api-level';
import { screenLayout, t, watchClock, watchStore } from '../lib/platform';
import { createRenderer } from '../lib/render';
import { open } from '../lib/router';
import { sessionService } from '../lib/service';
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
  // The darkest path the wrist check proved on this watch (unchecked: the page, screen dimmed).
  const choice = sessionChoice(store, getDeviceInfo().deviceSource);
  const service = choice.path === 'service';
  // The App Service plays the cues (core/watch/service): this page only shows the session.
  let viewing = false;
  let run: Run<SessionFlow | null, SessionFlowEvent> | undefined;
  let stopListening = (): void => undefined;
  let stopHeartRate = (): void => undefined;
  // Asked once: the page measures with it, and tells the service in the hand-over.
  const heartRate = heartRateAllowed();

  const dispatch = (event: SessionFlowEvent): void => run?.dispatch(event);
  const draw = (flow: SessionFlow | null): void => {
    screen.want(viewing ? 'user' : sessionBrightness(flow, choice.path));
    if (flow) renderer.render(sessionView(sessionScreenOf(flow, clock.now()), layout, t));
  };
  const stopTimers = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const leave = (page: 'home' | 'summary'): void => {
    stopTimers();
    open({ page });
  };

  const interpret = (effect: SessionFlowEffect, dispatch: (event: SessionFlowEvent) => void): void => {
    switch (effect.type) {
      // The page measures throughout (page/lib/heart-rate, started below): only the App Service's flow,
      // which measures for the end reading alone, asks for it.
      case 'measureHeartRate':
        return;
      case 'play':
        if (!viewing) wrist.play(effect.pattern);
        return;
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
        if (!viewing && choice.path !== 'dark') keepAwake.hold(effect.ms);
        return;
      case 'askEnd':
        createModal({
          content: t('session.endConfirm'),
          autoHide: true,
          onClick: ({ type }) =>
            command({ type: 'answerEnd', now: clock.now(), end: type === MODAL_CONFIRM }),
        });
        return;
      case 'leave':
        return leave(effect.to);
      case 'finish': {
        stopHeartRate();
        // The session is stored finished (its end reading in its start record): the summary logs it
        // from the running keys.
        store.remove(RUNNER_KEY);
        // A completed session ends the service by itself, after its last cue; one ended early is stopped.
        if (viewing && effect.session.outcome !== 'completed') sessionService.stop(() => undefined);
        keepAwake.release();
        screen.want('user');
        stopTimers();
        // Leaving stops the motor: the last cue is felt whole first.
        timer = setTimeout(() => leave('summary'), effect.leaveAfterMs) as unknown as number;
        return;
      }
    }
  };
  const tell = (refusal: ServiceRefusal): void =>
    void createModal({ content: t(refusalText(refusal)), autoHide: true, onClick: () => undefined });
  const becomeView = (): void => {
    viewing = true;
    store.set(RUNNER_KEY, 'service');
    // The screen may go off and the page close: the cues go on in the service.
    keepAwake.release();
    draw(run?.model ?? null);
  };
  /** The service could not take the session: the page plays it, as without a service, and says why. */
  const stayInPage = (refusal: ServiceRefusal): void => {
    const flow = run?.model;
    viewing = false;
    store.remove(RUNNER_KEY);
    if (flow?.session.status === 'running') interpret(keepAwakeFor(flow.session, clock.now()), dispatch);
    draw(flow ?? null);
    tell(refusal);
  };
  const handOver = (): void => {
    const text = handoverOf(store, heartRate, choice.forms);
    if (text === undefined) return;
    const go = (): void => sessionService.start(text, (r) => (r === null ? becomeView() : stayInPage(r)));
    if (sessionService.permitted()) return go();
    // Asked once, with a word of why before the system's own question.
    if (store.get(ASKED_KEY) !== undefined) return stayInPage('refused');
    store.set(ASKED_KEY, '1');
    createModal({
      content: t('service.why'),
      autoHide: true,
      onClick: () => sessionService.ask((granted) => (granted ? go() : stayInPage('refused'))),
    });
  };
  /** A change made on the page reaches the service: stopped, and started again on the new hand-over. */
  const command = (event: SessionFlowEvent): void => {
    const before = run?.model?.session;
    dispatch(event);
    const after = run?.model?.session;
    if (!service || after === undefined || after === before) return;
    if (viewing)
      sessionService.stop(() => {
        if (after.status === 'running') handOver();
      });
    // A session the service ran, paused and left: resumed here, it goes back to the service.
    else if (runByService(store) && after.status === 'running') handOver();
  };
  const renderer = createRenderer((tap: SessionTap) => {
    command({ type: tap.type, now: clock.now() });
  });

  return {
    start() {
      stopListening = listen({
        select: () => command({ type: 'toggle', now: clock.now() }),
        back: () => dispatch({ type: 'askEnd', now: clock.now() }),
        swipeLeft: () => command({ type: 'skip', now: clock.now() }),
      });
      const now = clock.now();
      const byService = runByService(store);
      viewing = byService && service && sessionService.running();
      run = runProgram(
        sessionProgram({
          running: readRunningKeys(store),
          prescription: loadPrescription(store, now).prescription,
          now,
          utcOffsetMin: clock.utcOffsetMin(),
          haptics: hapticsFor(apiLevel()),
          random: Math.random,
          painBefore: painBeforeOf(params),
          followClock: byService,
          forms: choice.forms,
        }),
        interpret,
        draw,
      );
      // Heart rate at the start and at the end of a session this page runs (core keeps which readings).
      if (run.model && run.model.session.status !== 'finished')
        stopHeartRate = measureHeartRate(
          (bpm) => dispatch({ type: 'heartRate', now: clock.now(), bpm }),
          heartRate,
        );
      // A new session, a resumed one, or one whose service was lost: the service takes it over.
      if (service && !viewing && run.model?.session.status === 'running') handOver();
      else if (!service && byService) store.remove(RUNNER_KEY);
    },
    stop() {
      stopHeartRate();
      run?.stop();
      stopListening();
      stopTimers();
      // With the service playing the cues, the motor is not this page's to stop.
      if (!viewing) wrist.stop();
      renderer.clear();
      // A session still running when the system closes the page stays stored for the relaunch; the
      // screen settings and the patient's brightness go back either way.
      keepAwake.release();
      screen.want('user');
    },
  };
}

plainPage((params) => sessionPage(params));
