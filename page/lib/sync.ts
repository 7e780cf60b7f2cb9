import { mount } from '../../core/base/program';
import type { KeyValueStore } from '../../core/base/kv';
import type { Request } from '../../core/link/protocol';
import { openOutbox, type Outbox, type PendingLog } from '../../core/watch/outbox';
import { syncProgram, type FailureReason, type SyncEffect, type SyncEvent } from '../../core/watch/sync';
import { wake } from './wake';

/** zml's `request`, as a page instance built with BasePage has it. */
export type Requester = (
  data: { method: string; params: Request },
  options?: { timeout?: number },
) => Promise<unknown>;

/** zml's error codes (messaging): 1 handshake timeout, 2 BLE closed, 3 side service not running, 4 request timeout. */
function failureOf(error: unknown): FailureReason {
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
 * Runs core/watch/sync's program on a page: one request in flight, its timer a `wake` (page/lib/wake),
 * the outbox changed only by the phone's answers. `changed` is called after the outbox changed, so the
 * page can redraw.
 */
export function startSync(
  request: Requester,
  store: KeyValueStore,
  now: () => number,
  changed: (outbox: Outbox) => void,
): { kick(event: 'app_started' | 'session_logged'): void; stop(): void } {
  // Opened afresh by each step that reads the pending logs (the events that send nothing cost no
  // storage reads on the watch). An acknowledgement or a rejection is carried out on the outbox its own
  // step read: the loop reads the pending logs in every step that settles any (core/watch/sync `answer`).
  let outbox: Outbox;
  const pending = (): readonly PendingLog[] => (outbox = openOutbox(store, { now: now() }).outbox).pending();

  const interpret = (effect: SyncEffect, dispatch: (event: SyncEvent) => void): void => {
    switch (effect.type) {
      case 'send': {
        const id = effect.requestId;
        send(request, effect.request, effect.timeoutMs).then(
          (body) => dispatch({ type: 'response', now: now(), requestId: id, body }),
          (error: unknown) =>
            dispatch({ type: 'failed', now: now(), requestId: id, reason: failureOf(error) }),
        );
        return;
      }
      case 'acknowledge':
        outbox.acknowledge(effect.refs);
        return changed(outbox);
      case 'reject':
        outbox.reject(effect.items);
        return changed(outbox);
    }
  };
  const loop = mount(syncProgram({ pending, random: Math.random }), interpret, undefined, { wake });
  return {
    kick: (type) => loop.dispatch({ type, now: now() }),
    stop: loop.stop,
  };
}
