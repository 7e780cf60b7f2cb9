import { removeListener } from '@zos/ble';
import { appPlugin, type MessagingHost } from '@zeppos/zml/3.0/module/messaging/plugin/app';
import type { PageShell } from './page-shell';
import type { Requester } from './sync';
import { none } from './none';

/**
 * Registers a page that talks to the phone. The page opens its own link to the phone when it is built
 * and closes it when it goes (zml's messaging, the plugin zml's BaseApp would keep in app.js under
 * every page): only the pages that sync hold it, and nothing of it stays while a session runs. The
 * shell is made in `build`, from the route params `onInit` received.
 */
export function messagingPage(make: (request: Requester, params: string | undefined) => PageShell): void {
  let shell: PageShell | undefined;
  let params: string | undefined;
  let close = none;
  Page({
    onInit(p?: string) {
      params = p;
    },
    build(this: { request?: Requester }) {
      const messaging = appPlugin();
      const host: MessagingHost = { globalData: {}, onCall: (data: unknown) => shell?.received?.(data) };
      messaging.onCreate.call(host);
      const request: Requester = (data, options) => messaging.request.call(host, data, options);
      // The page's request, where a test driver reaches it (getCurrentPage().request).
      this.request = request;
      close = () => {
        // zml leaves its timeouts armed when the link closes: the handshake's (5 s, armed at each request
        // even with BLE down) and each pending request's (60 s). A page's timers end with it (T4), so
        // they are ended here: a request settled now is retried by the next page's sync (M5).
        const transport = host.messaging?.transport;
        transport?.clearShakeTimer();
        // A handshake still in flight is failed too: every request waits on it, and would otherwise wait
        // (with all it holds of the page) for an answer no page will read.
        transport?.shakeTask?.reject(new Error('the page closed'));
        transport?.handlers.forEach(({ task }) => task.reject(new Error('the page closed')));
        try {
          messaging.onDestroy.call(host);
        } catch {
          // The close frame could not be sent (phone out of range): nothing is lost, every log stays in
          // the outbox until the phone acknowledges it (docs/platform-facts.md M3).
        }
        // zml adds a BLE status listener per link and never removes it.
        removeListener();
      };
      shell = make(request, params);
      shell.start();
    },
    onDestroy() {
      shell?.stop();
      shell = undefined;
      close();
      close = none;
    },
  });
}
