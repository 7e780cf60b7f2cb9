/**
 * This app's flows on the driver, so a test or the session script reads as the user's story.
 * (App-specific: the texts are the en-US strings of page/i18n; the routes those of app.json.)
 */
import { memoryStore } from '../../core/base/kv';
import { batchLogs, type LogBatch } from '../../core/link/protocol';
import { PROFILE_VERSION, type WatchProfile } from '../../core/link/watch-profile';
import { CHECK_OFFERED_KEY, saveProfile } from '../../core/watch/profile';
import { findDevice } from './package';
import type { Watch } from './watch';

export const ROUTES = {
  home: 'page/home/index.page',
  resume: 'page/resume/index.page',
  session: 'page/session/index.page',
  serviceSession: 'page/service-session/index.page',
  before: 'page/before/index.page',
  summary: 'page/summary/index.page',
  cues: 'page/cues/index.page',
  voice: 'page/voice/index.page',
  check: 'page/check/index.page',
} as const;

/** Lets the app settle on home after a launch (home talks to nobody; the resume page may come and go first). */
export function settleHome(w: Watch, ms = 200): Watch {
  w.advance(ms);
  // First launch: home offers the wrist check once; the patient says "Not now" (test/e2e/wrist-check.test.ts takes it).
  if (w.page === ROUTES.check && w.screen().texts.includes('Not now')) w.tap('Not now').advance(ms);
  return w;
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

/**
 * LocalStorage of a watch whose wrist check is done (core/watch/profile saveProfile): the dark path
 * proven (`service`: its buzz felt in the dark, API ≥ 4.0; `dark`: the page outlived the screen and its
 * timer fired in the dark; `none`: neither), every cue felt as set unless `forms` says otherwise. For
 * boot options: tests of what a checked watch does, without walking through the check each time.
 */
export function checkedWatch(
  device: string,
  proven: 'service' | 'dark' | 'none',
  cues: Partial<WatchProfile['cues']> = {},
): Record<string, string> {
  const d = findDevice(device);
  const felt = [{ form: 'asSet', answer: 'yes' }] as const;
  const profile: WatchProfile = {
    v: PROFILE_VERSION,
    device: { name: d.name, source: d.deviceSources[0]! },
    api: Number(d.api),
    at: Date.UTC(2026, 10, 24, 12),
    utcOffsetMin: 0,
    cues: {
      stepStart: felt,
      sweepTick: felt,
      inhale: felt,
      exhale: felt,
      roundDone: felt,
      sessionDone: felt,
      ...cues,
    },
    dark:
      Number(d.api) >= 4
        ? { type: 'service', felt: proven === 'service' ? 'yes' : 'no' }
        : {
            type: 'page',
            outlived: proven === 'dark',
            fired: proven === 'dark',
            lateMs: proven === 'dark' ? 20 : null,
          },
    lateness: { n: 10, maxMs: 30, p95Ms: 25 },
    keys: [],
    textTap: 'yes',
    performance: null,
  };
  const store = memoryStore({ [CHECK_OFFERED_KEY]: '1' });
  saveProfile(store, profile);
  return store.dump();
}
