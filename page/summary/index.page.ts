import { back, replace } from '@zos/router';
import { openOutbox } from '../../core/watch/outbox';
import {
  decodeSummaryParams,
  summaryModel,
  summaryView,
  updateSummary,
  type SummaryEvent,
  type SummaryModel,
} from '../../core/screens/summary';
import { listen } from '../lib/input';
import { screenLayout, t, watchClock, watchStore } from '../lib/platform';
import { createRenderer } from '../lib/render';
import { startSync, type Requester } from '../lib/sync';
import { messagingPage, type PageShell } from '../lib/mount';

/** After a session: rounds and time, then an optional 0–10 pain rating that amends the stored log. */
function summaryPage(params: string | undefined, request: Requester): PageShell {
  const store = watchStore();
  const clock = watchClock();
  const layout = screenLayout();
  const sync = startSync(
    request,
    store,
    () => clock.now(),
    () => undefined,
  );
  const given = decodeSummaryParams(params);
  let model: SummaryModel | null = given && summaryModel(given);
  let stopListening = (): void => undefined;

  const dispatch = (event: SummaryEvent): void => {
    if (!model || !given) return;
    const result = updateSummary(model, event);
    model = result.model;
    for (const effect of result.effects) {
      if (effect.type === 'goHome') return back();
      const { outbox } = openOutbox(store, { now: clock.now() });
      const log = outbox.pending().find((p) => p.id === given.id)?.log;
      // The rating amends the log while it is still on the watch; it is sent only after the question.
      if (log && effect.pain !== null) outbox.append({ ...log, pain: effect.pain });
      sync.kick('session_logged');
    }
    renderer.render(summaryView(model, layout, t));
  };
  const renderer = createRenderer((action) => dispatch({ type: action } as SummaryEvent));

  return {
    start() {
      if (!model) return replace({ url: 'page/home/index.page' });
      stopListening = listen({
        crown: (degrees) => dispatch({ type: 'crown', degrees }),
        select: () => dispatch({ type: model?.stage === 'rate' ? 'save' : 'home' }),
      });
      renderer.render(summaryView(model, layout, t));
    },
    stop() {
      // Leaving without answering sends the log as it is: the rating is optional, the log is not.
      if (model?.stage === 'rate') sync.kick('session_logged');
      stopListening();
      sync.stop();
      renderer.clear();
    },
  };
}

messagingPage((request, params) => summaryPage(params, request));
