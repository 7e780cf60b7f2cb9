import { BasePage } from '@zeppos/zml/base-page';
import type { PageShell } from './page-shell';
import type { Requester } from './sync';

/**
 * Registers a page that talks to the phone through zml. The shell is made in `build`, after zml's
 * messaging is set up, from the route params `onInit` received.
 */
export function messagingPage(make: (request: Requester, params: string | undefined) => PageShell): void {
  let shell: PageShell | undefined;
  let params: string | undefined;
  Page(
    BasePage({
      onInit(p?: string) {
        params = p;
      },
      build() {
        // zml's typings omit request's second argument (options: { timeout }), which its code takes.
        shell = make(this.request.bind(this) as unknown as Requester, params);
        shell.start();
      },
      onCall(data: unknown) {
        shell?.received?.(data);
      },
      onDestroy() {
        shell?.stop();
        shell = undefined;
      },
    }),
  );
}
