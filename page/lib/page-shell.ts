/**
 * What each page file builds: started in `build`, stopped in `onDestroy`. Kept apart from the
 * registration helpers so that the session page, which needs no messaging, does not bundle zml.
 */
export interface PageShell {
  start(): void;
  stop(): void;
  /** A message the phone pushed with zml `call` (only pages that talk to the phone get them). */
  received?(data: unknown): void;
}

/** Registers a page with no messaging (the session page: it must not depend on the phone). */
export function plainPage(make: (params: string | undefined) => PageShell): void {
  let shell: PageShell | undefined;
  let params: string | undefined;
  Page({
    onInit(p?: string) {
      params = p;
    },
    build() {
      shell = make(params);
      shell.start();
    },
    onDestroy() {
      shell?.stop();
      shell = undefined;
    },
  });
}
