import { Screen } from '@zos/sensor';
import type { Source, SubOf } from '../../core/base/program';
import { nowMs } from './clock';

/** Whether the screen is on (`@zos/sensor` Screen, docs/platform-facts.md S6: 2 is off); on if unread. */
export function screenLit(): boolean {
  try {
    return new Screen().getStatus() !== 2;
  } catch {
    return true;
  }
}

/**
 * The `wake` subscription on a page: one `setTimeout` for its time (a page's timers end with it, T4),
 * on the Time sensor's clock.
 */
export const wake: Source<SubOf<'wake'>, { type: 'wake'; now: number }> = (sub, dispatch) =>
  clearTimeout.bind(
    null,
    setTimeout(() => dispatch({ type: 'wake', now: nowMs() }, sub), Math.max(0, sub.at - nowMs())),
  );

/**
 * `wake`, with the screen's state read as it fires (the session's time on screen, the wrist check's
 * dark). Apart, so that the pages that have no use for it (the sync loop's) do not carry the Screen.
 */
export const litWake: Source<SubOf<'wake'>, { type: 'wake'; now: number; lit: boolean }> = (sub, dispatch) =>
  clearTimeout.bind(
    null,
    setTimeout(
      () => dispatch({ type: 'wake', now: nowMs(), lit: screenLit() }, sub),
      Math.max(0, sub.at - nowMs()),
    ),
  );
