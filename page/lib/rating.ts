import { summaryView, type SummaryEvent, type SummaryModel } from '../../core/screens/summary';
import { listen } from './input';
import { screenLayout, t } from './platform';
import { createRenderer } from './render';
import { boxesMeet } from '../../core/screens/stacking';

export interface RatingScreen {
  draw(model: SummaryModel | null): void;
  /** Starts taking the keys and the crown. */
  listen(): void;
  /** Stops taking them, and removes the screen's widgets. */
  clear(): void;
}

/**
 * The pain rating's screen, before a session (page/before) and after one (page/summary): the summary
 * view drawn, and its buttons, the crown, select, UP and DOWN dispatched as its events.
 */
export function ratingScreen(dispatch: (event: SummaryEvent) => void): RatingScreen {
  const layout = screenLayout();
  let stopListening = (): void => undefined;
  const renderer = createRenderer(dispatch, boxesMeet);
  return {
    draw(model) {
      if (model) renderer.render(summaryView(model, layout, t));
    },
    listen() {
      stopListening = listen({
        crown: (degrees) => dispatch({ type: 'crown', degrees }),
        select: () => dispatch({ type: 'select' }),
        // Four-button watches have no crown: UP and DOWN step the rating as + and − do.
        up: () => dispatch({ type: 'up' }),
        down: () => dispatch({ type: 'down' }),
      });
    },
    clear() {
      stopListening();
      renderer.clear();
    },
  };
}
