import { createModal } from '@zos/interaction';
import {
  ASKED_KEY,
  handoverOf,
  refusalText,
  runByService,
  RUNNER_KEY,
  type ServiceRefusal,
} from '../../core/watch/service';
import { keepAwakeFor } from '../../core/engine/session-flow';
import { keepAwake } from '../lib/keep-awake';
import { none } from '../lib/none';
import { plainPage } from '../lib/page-shell';
import { t } from '../lib/platform';
import { sessionService } from '../lib/service';
import { sessionShell, type SessionPart } from '../lib/session-shell';

/**
 * The session on a watch whose wrist check proved the App Service's cues with the screen off
 * (core/watch/session-path): this page starts the session and hands it to the service, then only shows
 * it, following the clock; a change made here (pause, skip, end) reaches the service. Where the service
 * cannot take it, the page plays it as page/session does, and says why.
 */
plainPage((params) =>
  sessionShell(params, true, (shell) => {
    const { store } = shell;
    const tell = (refusal: ServiceRefusal): void =>
      void createModal({ content: t(refusalText(refusal)), autoHide: true, onClick: () => undefined });
    const becomeView = (): void => {
      part.viewing = true;
      store.set(RUNNER_KEY, 'service');
      // The screen may go off and the page close: the cues go on in the service.
      keepAwake.release();
      shell.draw();
    };
    /** The service could not take the session: the page plays it, as without a service, and says why. */
    const stayInPage = (refusal: ServiceRefusal): void => {
      part.viewing = false;
      store.remove(RUNNER_KEY);
      const flow = shell.flow();
      if (flow?.session.status === 'running') shell.interpret(keepAwakeFor(flow.session, shell.clock.now()));
      shell.draw();
      tell(refusal);
    };
    const handOver = (): void => {
      const text = handoverOf(store, shell.heartRate, shell.choice.forms);
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
    const part: SessionPart = {
      // The App Service plays the cues (core/watch/service): this page only shows the session.
      viewing: runByService(store) && sessionService.running(),
      /** A change made on the page reaches the service: stopped, and started again on the new hand-over. */
      changed(after) {
        if (part.viewing)
          sessionService.stop(() => {
            if (after.status === 'running') handOver();
          });
        // A session the service ran, paused and left: resumed here, it goes back to the service.
        else if (runByService(store) && after.status === 'running') handOver();
      },
      // A completed session ends the service by itself, after its last cue; one ended early is stopped.
      finishing(ms, session) {
        if (part.viewing && session.outcome !== 'completed') sessionService.stop(() => undefined);
        return ms;
      },
      // The page plays only what the service could not take, with its motor alone (no voice).
      played: none,
      stopped: none,
      // A new session, a resumed one, or one whose service was lost: the service takes it over.
      opened(flow) {
        if (!part.viewing && flow?.session.status === 'running') handOver();
      },
    };
    return part;
  }),
);
