import { createModal } from '@zos/interaction';
import { mount } from '../../core/base/program';
import { keepAwakeFor } from '../../core/engine/session-flow';
import { handOverProgram, type HandOverEffect, type HandOverEvent } from '../../core/watch/hand-over';
import { ASKED_KEY, handoverOf, refusalText, runByService, RUNNER_KEY } from '../../core/watch/service';
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
 * cannot take it, the page plays it as page/session does, and says why. What to do when is decided by
 * core/watch/hand-over; this page carries it out.
 */
plainPage((params) =>
  sessionShell(params, true, (shell) => {
    const { store } = shell;
    const interpret = (effect: HandOverEffect, dispatch: (event: HandOverEvent) => void): void => {
      switch (effect.type) {
        case 'start': {
          // Nothing to hand over when the keys hold no session.
          const text = handoverOf(store, shell.heartRate, shell.choice.forms);
          if (text !== undefined)
            sessionService.start(text, (refusal) => dispatch({ type: 'started', refusal }));
          return;
        }
        case 'stop':
          return sessionService.stop(() => {
            if (effect.answer) dispatch({ type: 'stopped', permitted: sessionService.permitted() });
          });
        case 'ask':
          store.set(ASKED_KEY, '1');
          // A word of why before the system's own question.
          createModal({
            content: t('service.why'),
            autoHide: true,
            onClick: () => sessionService.ask((granted) => dispatch({ type: 'answered', granted })),
          });
          return;
        case 'view':
          part.viewing = true;
          store.set(RUNNER_KEY, 'service');
          // The screen may go off and the page close: the cues go on in the service.
          keepAwake.release();
          return shell.draw();
        case 'play': {
          part.viewing = false;
          store.remove(RUNNER_KEY);
          const flow = shell.flow();
          if (flow?.session.status === 'running')
            shell.interpret(keepAwakeFor(flow.session, shell.clock.now()));
          shell.draw();
          createModal({ content: t(refusalText(effect.refusal)), autoHide: true, onClick: none });
          return;
        }
      }
    };
    const run = mount(
      // The App Service plays the cues (core/watch/service): this page only shows the session.
      handOverProgram(runByService(store) && sessionService.running(), store.get(ASKED_KEY) !== undefined),
      interpret,
    );
    const part: SessionPart = {
      viewing: run.model.viewing,
      changed: (after) =>
        run.dispatch({
          type: 'changed',
          running: after.status === 'running',
          byService: runByService(store),
          permitted: sessionService.permitted(),
        }),
      finished: (session) => run.dispatch({ type: 'finishing', completed: session.outcome === 'completed' }),
      // The page plays only what the service could not take, with its motor alone (no voice).
      played: none,
      stopped: none,
      opened: (flow) =>
        run.dispatch({
          type: 'opened',
          running: flow?.session.status === 'running',
          permitted: sessionService.permitted(),
        }),
    };
    return part;
  }),
);
