import { createModal, MODAL_CONFIRM } from '@zos/interaction';
import { replace } from '@zos/router';
import { openOutbox } from '../../core/watch/outbox';
import { createSession, positionOf } from '../../core/engine/session';
import {
  beginFlow,
  resumeFlow,
  updateFlow,
  type FlowResult,
  type SessionFlow,
  type SessionFlowEvent,
} from '../../core/engine/session-flow';
import { encodeStart, readRunning, RUNNING_KEYS } from '../../core/engine/session-record';
import { sessionLogId } from '../../core/log/session-log';
import { sessionView } from '../../core/screens/session';
import { encodeSummaryParams } from '../../core/screens/summary';
import { loadPrescription } from '../../core/watch/prescription';
import { APP_VERSION } from '../lib/app-version';
import { listen } from '../lib/input';
import { keepAwake } from '../lib/keep-awake';
import { apiLevel, screenLayout, t, watchClock, watchStore } from '../lib/platform';
import { createRenderer } from '../lib/render';
import { cuePlayer } from '../lib/vibration';
import { plainPage, type PageShell } from '../lib/page-shell';

/** Display refresh only: cues never ride on it. */
const FRAME_MS = 1000;

/** The session screen: carries out what core/session-flow decides, and draws core/session-screen. */
function sessionPage(): PageShell {
  const store = watchStore();
  const clock = watchClock();
  const layout = screenLayout();
  const player = cuePlayer(apiLevel());
  let cueTimer: number | undefined;
  let frameTimer: number | undefined;
  let flow: SessionFlow | undefined;
  let stopListening = (): void => undefined;

  const render = (): void => {
    if (!flow) return;
    const { session } = flow;
    const position = positionOf(session, clock.now());
    const paused = session.status === 'paused';
    renderer.render(
      sessionView({ position, paused, prescription: session.timeline.prescription }, layout, t),
    );
  };
  const stopTimers = (): void => {
    if (cueTimer !== undefined) clearTimeout(cueTimer);
    if (frameTimer !== undefined) clearInterval(frameTimer);
    cueTimer = frameTimer = undefined;
  };
  const leave = (url: string, routeParams = ''): void => {
    stopTimers();
    replace({ url, params: routeParams });
  };

  const run = (result: FlowResult): void => {
    flow = result.flow;
    for (const effect of result.effects) {
      switch (effect.type) {
        case 'play':
          player.play(effect.cue, flow.session.timeline.prescription.strength);
          break;
        case 'arm': {
          if (cueTimer !== undefined) clearTimeout(cueTimer);
          const wait = Math.max(0, effect.at - clock.now());
          cueTimer = setTimeout(
            () => dispatch({ type: 'wake', now: clock.now() }),
            wait,
          ) as unknown as number;
          break;
        }
        case 'disarm':
          if (cueTimer !== undefined) clearTimeout(cueTimer);
          cueTimer = undefined;
          break;
        case 'persist':
          store.set(RUNNING_KEYS.current, effect.text);
          break;
        case 'keepAwake':
          keepAwake.hold(effect.ms);
          break;
        case 'askEnd':
          createModal({
            content: t('session.endConfirm'),
            autoHide: true,
            onClick: ({ type }) =>
              dispatch({ type: 'answerEnd', now: clock.now(), end: type === MODAL_CONFIRM }),
          });
          break;
        case 'finish': {
          // The log goes to the outbox first: before the running keys go, before the summary shows.
          const { outbox } = openOutbox(store, { now: clock.now() });
          const stored = outbox.append(effect.log).ok;
          if (stored) {
            store.remove(RUNNING_KEYS.current);
            store.remove(RUNNING_KEYS.started);
          }
          keepAwake.release();
          const { id, outcome, roundsDone, roundsPlanned, activeMs } = effect.log;
          const summary = encodeSummaryParams({ id, stored, outcome, roundsDone, roundsPlanned, activeMs });
          stopTimers();
          render();
          // Leaving stops the motor: the last cue is felt whole first.
          cueTimer = setTimeout(
            () => leave('page/summary/index.page', summary),
            effect.leaveAfterMs,
          ) as unknown as number;
          return;
        }
      }
    }
    render();
  };
  const dispatch = (event: SessionFlowEvent): void => {
    if (flow) run(updateFlow(flow, event));
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
      const utcOffsetMin = clock.utcOffsetMin();
      // A stored session is always picked up, whatever the params say: the system's wake relaunch
      // repeats the params of the first launch, and home offers Start only when none is stored.
      const running = readRunning(store.get(RUNNING_KEYS.current), store.get(RUNNING_KEYS.started), (at) =>
        sessionLogId(at, Math.random),
      );
      if (running.type === 'resumable') {
        run(
          resumeFlow(running.session, { logId: running.logId, utcOffsetMin, appVersion: APP_VERSION }, now),
        );
      } else if (running.type !== 'none') {
        // Lost, corrupt, or finished but not yet stored: home settles it (logs it, or reports it).
        return leave('page/home/index.page');
      } else {
        const { prescription } = loadPrescription(store, now);
        const created = createSession(prescription);
        if (!created.ok) return leave('page/home/index.page');
        const logId = sessionLogId(now, Math.random);
        store.set(RUNNING_KEYS.started, encodeStart({ logId, startedAt: now, utcOffsetMin, prescription }));
        run(beginFlow(created.value, { logId, utcOffsetMin, appVersion: APP_VERSION }, now));
      }
      if (flow && flow.session.status !== 'finished')
        frameTimer = setInterval(render, FRAME_MS) as unknown as number;
    },
    stop() {
      stopListening();
      stopTimers();
      player.stop();
      renderer.clear();
      // A session still running when the system closes the page stays stored for the relaunch; the
      // screen settings go back either way.
      keepAwake.release();
    },
  };
}

plainPage(() => sessionPage());
