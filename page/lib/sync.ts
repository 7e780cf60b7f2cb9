import type { KeyValueStore } from '../../core/base/kv';
import { openOutbox, type Outbox } from '../../core/watch/outbox';
import type { Request } from '../../core/link/protocol';
import {
  INITIAL_SYNC,
  stepSync,
  type FailureReason,
  type SyncEvent,
  type SyncState,
} from '../../core/watch/sync';

/** zml's `request`, as a page instance built with BasePage has it. */
export type Requester = (
  data: { method: string; params: Request },
  options?: { timeout?: number },
) => Promise<unknown>;

/** zml's error codes (messaging): 1 handshake timeout, 2 BLE closed, 3 side service not running, 4 request timeout. */
export function failureOf(error: unknown): FailureReason {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 4 || code === 1) return 'timeout';
  if (code === 2) return 'disconnected';
  if (code === 3) return 'side_service_closed';
  return 'error';
}

/** Sends a protocol message through zml the same way for every caller: the message type is the method. */
export const send = (request: Requester, message: Request, timeoutMs?: number): Promise<unknown> =>
  request({ method: message.type, params: message }, timeoutMs === undefined ? {} : { timeout: timeoutMs });

/**
 * Runs core/sync's state machine on a page: one request in flight, one timer, the outbox changed only
 * by the phone's answers. `changed` is called after the outbox changed, so the page can redraw.
 */
export function startSync(
  request: Requester,
  store: KeyValueStore,
  now: () => number,
  changed: (outbox: Outbox) => void,
): { kick(event: 'app_started' | 'session_logged'): void; stop(): void } {
  let state: SyncState = INITIAL_SYNC;
  let timer: number | undefined;
  let stopped = false;
  const outbox = (): Outbox => openOutbox(store, { now: now() }).outbox;

  const step = (event: SyncEvent): void => {
    if (stopped) return;
    let box: Outbox | undefined;
    const ctx = { pending: () => (box ??= outbox()).pending(), random: Math.random };
    const result = stepSync(state, event, ctx);
    state = result.state;
    for (const effect of result.effects) {
      switch (effect.type) {
        case 'send': {
          const id = effect.requestId;
          send(request, effect.request, effect.timeoutMs).then(
            (body) => step({ type: 'response', now: now(), requestId: id, body }),
            (error: unknown) => step({ type: 'failed', now: now(), requestId: id, reason: failureOf(error) }),
          );
          break;
        }
        case 'acknowledge':
          (box ??= outbox()).acknowledge(effect.refs);
          changed(box);
          break;
        case 'reject':
          (box ??= outbox()).reject(effect.items);
          changed(box);
          break;
        case 'timer':
          if (timer !== undefined) clearTimeout(timer);
          timer = undefined;
          if (effect.at !== null) {
            timer = setTimeout(
              () => step({ type: 'tick', now: now() }),
              Math.max(0, effect.at - now()),
            ) as unknown as number;
          }
          break;
      }
    }
  };
  return {
    kick: (type) => step({ type, now: now() }),
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
