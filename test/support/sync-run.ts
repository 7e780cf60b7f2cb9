import type { KeyValueStore } from '../../core/base/kv';
import { mount } from '../../core/base/program';
import type { LogsBatchRequest, LogsPushRequest } from '../../core/link/protocol';
import { openOutbox } from '../../core/watch/outbox';
import { syncProgram, type SyncEffect, type SyncEvent } from '../../core/watch/sync';
import { seededRandom } from './sync-fixtures';

export type SentRequest = LogsBatchRequest | LogsPushRequest;

/**
 * Runs the watch's sync loop over the outbox in `watch` from `now` until it settles (at most 20
 * requests), each request answered at once by `phone`, a function of the request as it travels (JSON),
 * the answer a second later; returns the requests sent, as they travelled.
 */
export function syncUntilSettled(
  watch: KeyValueStore,
  phone: (request: SentRequest) => unknown,
  now: number,
): SentRequest[] {
  const sent: SentRequest[] = [];
  let at = now;
  const interpret = (effect: SyncEffect, dispatch: (e: SyncEvent) => void) => {
    const { outbox } = openOutbox(watch, { now: at });
    if (effect.type === 'acknowledge') outbox.acknowledge(effect.refs);
    if (effect.type === 'reject') outbox.reject(effect.items);
    if (effect.type !== 'send' || sent.length > 20) return;
    const request = JSON.parse(JSON.stringify(effect.request)) as SentRequest;
    sent.push(request);
    const body = JSON.parse(JSON.stringify(phone(request))) as unknown;
    at += 1000;
    dispatch({ type: 'response', now: at, requestId: effect.requestId, body });
  };
  const pending = () => openOutbox(watch, { now: at }).outbox.pending();
  // Every request is answered at once: the loop's timer (a deadline, a retry) never comes due here.
  const wake = () => () => undefined;
  mount(syncProgram({ pending, random: seededRandom(3) }), interpret, undefined, { wake }).dispatch({
    type: 'app_started',
    now,
  });
  return sent;
}
