import { mount, type Run } from '../../core/base/program';
import {
  beforeProgram,
  type SummaryEffect,
  type SummaryEvent,
  type SummaryModel,
} from '../../core/screens/summary';
import { askHeartRatePermission } from '../lib/heart-rate';
import { watchClock, watchStore } from '../lib/platform';
import { crown, keys } from '../lib/input';
import { ratingScreen } from '../lib/rating';
import { open } from '../lib/router';
import type { Requester } from '../lib/sync';
import { talkToPhone } from '../lib/talk';
import { messagingPage } from '../lib/messaging-page';
import type { PageShell } from '../lib/page-shell';

/**
 * Before a session (home's Start): the 0–10 pain rating, then the session page. Meanwhile the page
 * reaches the phone (page/lib/talk): the logs waiting, the prescription both ways, the phone's pushes
 * and its word on the day. Apart from the summary so that the page opened before every session carries
 * none of the engine the summary needs to log a finished one.
 */
function beforePage(request: Requester): PageShell {
  const store = watchStore();
  const clock = watchClock();
  const talk = talkToPhone(request, store, clock);
  let run: Run<SummaryModel, SummaryEvent> | undefined;

  const dispatch = (event: SummaryEvent): void => run?.dispatch(event);
  // Before the session the question only ever begins it (core/screens/summary `updateBefore`).
  const interpret = (effect: SummaryEffect): void => {
    if (effect.type === 'open') open(effect.route);
  };
  const screen = ratingScreen(dispatch);

  return {
    start() {
      run = mount(beforeProgram, interpret, screen.draw, { keys, crown });
      askHeartRatePermission();
      // Every log waiting goes now: the session page sends nothing.
      talk.sync('app_started');
    },
    stop() {
      dispatch({ type: 'leave' });
      run?.stop();
      talk.stop();
      screen.clear();
    },
    received: (data) => talk.received(data),
  };
}

messagingPage(beforePage);
