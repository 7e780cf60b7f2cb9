/**
 * The clinic's sending loop (core/phone/clinic-send) as the Side Service runs it, in Node: Node's
 * `fetch` for the platform's (each answer's body given as a string, the harsher reading), the one timer
 * on a virtual clock the test moves. `settle()` waits for the requests in flight and fires the timer
 * when it is due, until nothing is left to do at the current time.
 */
import { mount, type Source, type SubOf } from '../../core/base/program';
import type { KeyValueStore } from '../../core/base/kv';
import { openHistory } from '../../core/phone/history';
import {
  applyClinicChange,
  clinicProgram,
  type ClinicEvent,
  type HttpRequest,
} from '../../core/phone/clinic-send';
import { seededRandom } from './sync-fixtures';

export interface SentRequest {
  readonly request: HttpRequest;
  readonly status: number | 'network error';
}

export interface ClinicLoop {
  readonly sent: SentRequest[];
  settle(): Promise<void>;
  /** Moves the virtual clock, then settles. */
  advance(ms: number): Promise<void>;
  now(): number;
  wake(reason: Extract<ClinicEvent, { type: 'wake' }>['reason']): Promise<void>;
  /** The largest number of logs the loop held in memory at once. */
  readonly peakHeld: () => number;
}

export function clinicLoop(store: KeyValueStore, start: number): ClinicLoop {
  let now = start;
  /** The loop's timer (its `wake` subscription), while armed. */
  let timer: { at: number; fire: (event: ClinicEvent) => void } | null = null;
  const wake: Source<SubOf<'wake'>, ClinicEvent> = (sub, dispatch) => {
    const armed = { at: sub.at, fire: (event: ClinicEvent) => dispatch(event, sub) };
    timer = armed;
    return () => void (timer === armed && (timer = null));
  };
  const inFlight = new Set<Promise<void>>();
  const sent: SentRequest[] = [];
  let peak = 0;
  const history = () => openHistory(store, { now });
  const run = mount(
    clinicProgram({
      store,
      months: () => history().months(),
      month: (m) => history().month(m),
      random: seededRandom(7),
    }),
    (effect, dispatch) => {
      switch (effect.type) {
        case 'fetch': {
          const { request, requestId } = effect;
          const p = fetch(request.url, {
            method: request.method,
            headers: request.headers,
            body: request.body ?? null,
          })
            .then(async (res) => ({ status: res.status, body: await res.text() }))
            .then(
              (response) => {
                sent.push({ request, status: response.status });
                dispatch({ type: 'answer', now, requestId, response });
              },
              (e: unknown) => {
                sent.push({ request, status: 'network error' });
                dispatch({
                  type: 'failed',
                  now,
                  requestId,
                  error: e instanceof Error ? e.message : String(e),
                });
              },
            )
            .finally(() => inFlight.delete(p));
          inFlight.add(p);
          return;
        }
        case 'save':
          return applyClinicChange(store, effect.change);
      }
    },
    (model) => (peak = Math.max(peak, model.work?.logs.length ?? 0)),
    { wake },
  );
  const settle = async (): Promise<void> => {
    for (;;) {
      if (inFlight.size > 0) await Promise.all([...inFlight]);
      else if (timer && timer.at <= now) {
        const { fire } = timer;
        timer = null;
        fire({ type: 'wake', now, reason: 'timer' });
      } else return;
    }
  };
  return {
    sent,
    settle,
    now: () => now,
    peakHeld: () => peak,
    advance: async (ms) => {
      now += ms;
      await settle();
    },
    wake: async (reason) => {
      run.dispatch({ type: 'wake', now, reason });
      await settle();
    },
  };
}
