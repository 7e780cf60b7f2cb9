import { removeListener } from '@zos/ble';
import { appPlugin } from '@zeppos/zml/3.0/module/messaging/plugin/app';
import type { PageShell } from './page-shell';
import type { Requester } from './sync';

/**
 * Registers a page that talks to the phone. The page opens its own link to the phone when it is built
 * and closes it when it goes (zml's messaging, the plugin zml's BaseApp would keep in app.js under
 * every page): only the pages that sync hold it, and nothing of it stays while a session runs. The
 * shell is made in `build`, from the route params `onInit` received.
 */
export function messagingPage(make: (request: Requester, params: string | undefined) => PageShell): void {
  let shell: PageShell | undefined;
  let params: string | undefined;
  let close = (): void => undefined;
  Page({
    onInit(p?: string) {
      params = p;
    },
    build(this: { request?: Requester }) {
      const messaging = appPlugin();
      const host = { globalData: {}, onCall: (data: unknown) => shell?.received?.(data) };
      messaging.onCreate.call(host);
      const request: Requester = (data, options) => messaging.request.call(host, data, options);
      // The page's request, where a test driver reaches it (getCurrentPage().request).
      this.request = request;
      close = () => {
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
      close = () => undefined;
    },
  });
}
