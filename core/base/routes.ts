/**
 * The app's pages, by name: the one typed table of them. A page's path follows from its name
 * (`pathOf`): app.json lists exactly these paths (`test/build/inputs.test.ts` holds the two together),
 * and no other file writes one. Core's effects name a page and carry its params as that page's own
 * codec writes them (core/screens/summary: the session's and the summary's); the router adapter
 * (page/lib/router.ts) turns a route into the platform's call.
 */
export type PageName =
  | 'home'
  | 'resume'
  | 'before'
  | 'session'
  | 'service-session'
  | 'summary'
  | 'cues'
  | 'reminders'
  | 'voice'
  | 'check';

/** The page's path, as app.json and `@zos/router` name it. */
export const pathOf = (page: PageName): string => `page/${page}/index.page`;

/** A page to open: in place of this one (router `replace`), or above it (`push`: Back returns here). */
export interface Route {
  readonly page: PageName;
  readonly params?: string;
  readonly above?: true;
}
