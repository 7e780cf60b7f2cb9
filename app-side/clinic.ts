import { mount, type Run, type Source, type SubOf } from '../core/base/program';
import type { KeyValueStore } from '../core/base/kv';
import { openHistory } from '../core/phone/history';
import {
  applyClinicChange,
  clinicProgram,
  type ClinicEvent,
  type ClinicModel,
} from '../core/phone/clinic-send';

/**
 * The loop that delivers the history to the clinic (core/phone/clinic-send), on the Side Service's
 * `fetch` and one timer (its `wake` subscription). Nothing here decides: each effect is carried out as
 * it says.
 */
export function startClinic(store: KeyValueStore): Run<ClinicModel, ClinicEvent> {
  const history = () => openHistory(store, { now: Date.now() });
  const run = mount(
    clinicProgram({
      store,
      months: () => history().months(),
      month: (month) => history().month(month),
      random: Math.random,
    }),
    (effect, dispatch) => {
      switch (effect.type) {
        case 'fetch': {
          const { requestId, request } = effect;
          fetch(request).then(
            (response) => dispatch({ type: 'answer', now: Date.now(), requestId, response }),
            (e: unknown) =>
              dispatch({
                type: 'failed',
                now: Date.now(),
                requestId,
                error: e instanceof Error ? e.message : String(e),
              }),
          );
          return;
        }
        case 'save':
          return applyClinicChange(store, effect.change);
      }
    },
    undefined,
    { wake },
  );
  run.dispatch({ type: 'wake', now: Date.now(), reason: 'start' });
  return run;
}

/** The `wake` subscription on the Side Service: one `setTimeout` for its time. */
const wake: Source<SubOf<'wake'>, ClinicEvent> = (sub, dispatch) => {
  const timer = setTimeout(
    () => dispatch({ type: 'wake', now: Date.now(), reason: 'timer' }, sub),
    Math.max(0, sub.at - Date.now()),
  );
  return () => clearTimeout(timer);
};
