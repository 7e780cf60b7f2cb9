import { back } from '@zos/router';
import { mount, type Run } from '../../core/base/program';
import {
  summaryParamsOf,
  summaryProgram,
  type SummaryEffect,
  type SummaryEvent,
  type SummaryModel,
} from '../../core/screens/summary';
import { amendPain } from '../../core/watch/outbox';
import { followClock, logFinished } from '../../core/watch/service';
import { takeServiceHandback } from '../lib/handback';
import { APP_VERSION } from '../lib/app-version';
import { watchClock, watchStore } from '../lib/platform';
import { crown, keys } from '../lib/input';
import { ratingScreen } from '../lib/rating';
import { open } from '../lib/router';
import type { Requester } from '../lib/sync';
import { talkToPhone } from '../lib/talk';
import { messagingPage } from '../lib/messaging-page';
import type { PageShell } from '../lib/page-shell';

/**
 * After a session: rounds and time, then an optional 0–10 pain rating that amends the stored log, then
 * heart rate and pain before → after. The page reaches the phone for what home does not (page/lib/talk):
 * the logs, the prescription both ways, the phone's pushes and its word on the day. (The same rating
 * before a session is page/before's.)
 */
function summaryPage(request: Requester, params: string | undefined): PageShell {
  const store = watchStore();
  const clock = watchClock();
  const talk = talkToPhone(request, store, clock);
  let run: Run<SummaryModel | null, SummaryEvent> | undefined;

  const dispatch = (event: SummaryEvent): void => run?.dispatch(event);
  const interpret = (effect: SummaryEffect): void => {
    switch (effect.type) {
      case 'ratePain':
        amendPain(store, effect.id, effect.pain, clock.now());
        return;
      case 'sync':
        return talk.sync('session_logged');
      case 'goHome':
        return back();
      case 'open':
        return open(effect.route);
    }
  };
  const screen = ratingScreen(dispatch);

  return {
    start() {
      // Opened after a session, by the session page or the App Service's notification: the finished
      // session the running keys hold is logged here first (the outbox, then the keys cleared), and
      // shown from its log, even when the notification's param did not reach this page (AS8).
      const now = clock.now();
      const at = { now, utcOffsetMin: clock.utcOffsetMin() };
      followClock(store, now);
      takeServiceHandback(store, at, params);
      const done = logFinished(store, { ...at, appVersion: APP_VERSION });
      // The log just made from the running keys is the whole of it (the session page passes nothing;
      // the service's param lacks the start reading the page took after the hand-over).
      const given = done ? summaryParamsOf(done.log, done.stored) : params;
      // The program takes the keys and the crown while it has a session to sum up.
      run = mount(summaryProgram(given), interpret, screen.draw, { keys, crown });
      if (!run.model) return;
      // The log goes once its rating is given or skipped (the 'sync' effect).
      talk.open();
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

messagingPage(summaryPage);
