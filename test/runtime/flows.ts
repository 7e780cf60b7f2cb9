/**
 * This app's flows on the driver, so a test or the session script reads as the user's story.
 * (App-specific: the texts are the en-US strings of page/i18n; the routes those of app.json.)
 */
import { batchLogs, type LogBatch } from '../../core/link/protocol';
import type { Watch } from './watch';

export const ROUTES = {
  home: 'page/home/index.page',
  resume: 'page/resume/index.page',
  session: 'page/session/index.page',
  before: 'page/before/index.page',
  summary: 'page/summary/index.page',
  cues: 'page/cues/index.page',
  voice: 'page/voice/index.page',
} as const;

/** Lets the app settle on home after a launch (home talks to nobody; the resume page may come and go first). */
export function settleHome(w: Watch, ms = 200): Watch {
  return w.advance(ms);
}

/**
 * Taps Start on home, answers the question before the session (`painBefore` taps of + from "–", then
 * its Start; none: Skip, one tap), and is on the session page.
 */
export function startSession(w: Watch, painBefore?: number): Watch {
  if (w.page !== ROUTES.home)
    throw new Error(`startSession: expected the home page, on ${w.page ?? '(app closed)'}`);
  const opened: string | undefined = w.tap('Start').page;
  if (opened !== ROUTES.before)
    throw new Error(
      `startSession: Start opened ${opened ?? '(nothing)'}, not the question before the session`,
    );
  if (painBefore === undefined) return w.tap('Skip');
  for (let i = 0; i <= painBefore; i++) w.tap('+');
  return w.tap('Start');
}

/** Starts a session (startSession) and lets it play on the virtual clock until the summary page. */
export function runSession(
  w: Watch,
  maxMs = 30 * 60_000,
  painBefore?: number,
): { startedAt: number; endedAt: number } {
  startSession(w, painBefore);
  const startedAt = w.t;
  w.advanceUntil((x) => x.page === ROUTES.summary || !x.running, maxMs, 1000);
  if (!w.running) throw new Error(`runSession: the app closed during the session (t=${w.t})`);
  return { startedAt, endedAt: w.t };
}

/** On the summary page: taps + `pain + 1` times from "–" (0 needs one tap), then Save. */
export function ratePain(w: Watch, pain: number): Watch {
  for (let i = 0; i <= pain; i++) w.tap('+');
  return w.tap('Save');
}

/** The session logs (as the wire's rows read) the phone received in `logs.batch` requests, in order; a log resent appears again. */
export function logsSent(w: Watch): Record<string, unknown>[] {
  return w.phone
    .requests()
    .filter((r) => (r as { method: string }).method === 'logs.batch')
    .flatMap((r) => batchLogs((r as { params: LogBatch }).params).flatMap((l) => (l.ok ? [l.value] : [])));
}
