import { Screen } from '@zos/sensor';
import type { Source, Sub } from '../../core/base/program';

/** Whether the screen is on (`@zos/sensor` Screen, docs/platform-facts.md S6: 2 is off); on if unread. */
export function screenLit(): boolean {
  try {
    return new Screen().getStatus() !== 2;
  } catch {
    return true;
  }
}

/**
 * The `wake` subscription on a page: one `setTimeout` for its time (a page's timers end with it, T4).
 * `lit` (screenLit), where the program wants the screen's state with the wake: read as it fires; else
 * the wake says on.
 */
export const wake =
  (
    now: () => number,
    lit?: () => boolean,
  ): Source<Extract<Sub, { type: 'wake' }>, { type: 'wake'; now: number; lit: boolean }> =>
  (sub, dispatch) => {
    const id = setTimeout(
      () => dispatch({ type: 'wake', now: now(), lit: lit ? lit() : true }, sub),
      Math.max(0, sub.at - now()),
    );
    return () => clearTimeout(id);
  };
