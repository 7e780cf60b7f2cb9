import { summaryView, type SummaryEvent, type SummaryModel } from '../../core/screens/summary';
import { screenLayout, t } from './platform';
import { createRenderer } from './render';
import { boxesMeet } from '../../core/screens/stacking';

export interface RatingScreen {
  draw(model: SummaryModel | null): void;
  /** Removes the screen's widgets. */
  clear(): void;
}

/**
 * The pain rating's screen, before a session (page/before) and after one (page/summary): the summary
 * view drawn, and its buttons dispatched as its events (the keys and the crown are the program's
 * subscriptions, core/screens/summary `RATING_SUBS`).
 */
export function ratingScreen(dispatch: (event: SummaryEvent) => void): RatingScreen {
  const layout = screenLayout();
  const renderer = createRenderer(dispatch, boxesMeet);
  return {
    draw(model) {
      if (model) renderer.render(summaryView(model, layout, t));
    },
    clear: renderer.clear,
  };
}
