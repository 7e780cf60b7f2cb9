import { afterEach, describe, expect, it } from 'vitest';
import { CHECK_OFFERED_KEY } from '../../core/watch/session-path';
import { memoryStore } from '../../core/base/kv';
import { createSession, serialiseSession, start, wake } from '../../core/engine/session';
import { encodeStart } from '../../core/engine/session-record';
import { DEFAULT_PRESCRIPTION } from '../../core/plan/prescription';
import { openOutbox } from '../../core/watch/outbox';
import { makeLog, seededRandom } from '../support/sync-fixtures';
import { bootWatch, type Watch } from '../runtime';
import { logsSent, ROUTES, settleHome, startSession } from '../runtime/flows';

// A watch used before (its wrist check offered at an earlier launch): these tests are about what was
// left stored, not the first launch (test/e2e/wrist-check.test.ts).
const USED = { [CHECK_OFFERED_KEY]: '1' };

// A stored session is decided about on a page of its own (page/resume): home only sees that the running
// keys hold something and gives way to it. On the BUILT app, from a launch: which pages open, what the
// patient sees, what reaches the phone.
const BOOT = Date.UTC(2026, 11, 1, 14, 0); // 14:00 UTC, the double's watch at UTC
const LOG_ID = 'mip3k2w00-abcdefghjk';
// A default session lasts 217 s (README's table: 10 s to get ready, then 3 rounds of 69 s).
const DEFAULT_MS = 217_000;

let w: Watch | undefined;
afterEach(() => {
  w?.dispose();
  w = undefined;
});

/** The pages built since virtual time `from`, in order. */
const pagesSince = (x: Watch, from: number): string[] =>
  x
    .timeline()
    .filter((e) => e.kind === 'page' && e.t >= from)
    .map((e) => e.text.split(' ')[0]!);

/** The running keys of a default session started 20 min before boot that ran to its end (and was never cleared). */
function finishedKeys(): Record<string, string> {
  const startedAt = BOOT - 20 * 60_000;
  const created = createSession(DEFAULT_PRESCRIPTION);
  if (!created.ok) throw new Error('session');
  const begun = start(created.value, startedAt);
  if (!begun.ok) throw new Error('start');
  const over = wake(begun.value.session, startedAt + DEFAULT_MS + 1_000);
  if (!over.ok || over.value.finished === null) throw new Error('not finished');
  return {
    'session.current': serialiseSession(over.value.session),
    'session.started': encodeStart({
      logId: LOG_ID,
      startedAt,
      utcOffsetMin: 0,
      prescription: DEFAULT_PRESCRIPTION,
    }),
  };
}

/** An outbox holding 100 logs the phone has not acknowledged yet: full. */
function fullOutbox(): Record<string, string> {
  const store = memoryStore();
  const { outbox } = openOutbox(store, { now: BOOT });
  const random = seededRandom(11);
  for (let i = 0; i < 100; i++) outbox.append(makeLog(random, BOOT - (i + 2) * 3_600_000));
  expect(outbox.status().level).toBe('full');
  return store.dump();
}

describe.each(['Amazfit Bip 5 Unity', 'Amazfit Balance'])('a session cut short on %s', (device) => {
  /** Start a session, kill the app a minute in, open it again. */
  async function killedAndRelaunched(): Promise<{ w: Watch; relaunchedAt: number }> {
    const x = await bootWatch({ device, start: BOOT });
    settleHome(x);
    startSession(x);
    x.advance(60_000);
    x.kill();
    x.advance(5_000);
    const relaunchedAt = x.t;
    x.relaunch();
    settleHome(x);
    return { w: x, relaunchedAt };
  }

  it('home gives way to the resume page, which offers Resume and Log as interrupted, and no Start', async () => {
    const r = await killedAndRelaunched();
    w = r.w;
    expect(pagesSince(w, r.relaunchedAt)).toEqual([ROUTES.home, ROUTES.resume]);
    expect(w.page).toBe(ROUTES.resume);
    const texts = w.screen().texts;
    expect(texts).toEqual(
      expect.arrayContaining(['A session was interrupted', 'Resume session', 'Log as interrupted']),
    );
    expect(texts).not.toContain('Start');
  });

  it('Resume: the session page picks the session up where it was, and ends on the summary', async () => {
    const r = await killedAndRelaunched();
    w = r.w;
    w.tap('Resume session');
    expect(w.page).toBe(ROUTES.session);
    expect(w.screen().texts).toContain('Round 1 of 3');
    w.advanceUntil((x) => x.page === ROUTES.summary, 10 * 60_000, 1000);
    expect(w.screen().texts).toContain('Session complete');
  });

  it('Log as interrupted: home, ready for a new session, and the phone gets the log as it was', async () => {
    const r = await killedAndRelaunched();
    w = r.w;
    w.tap('Log as interrupted');
    expect(w.page).toBe(ROUTES.home);
    w.advance(3_000);
    // Home talks to nobody: the log waits for the next page that reaches the phone, and home says so.
    expect(w.screen().texts).toEqual(expect.arrayContaining(['Start', 'Feel the cues', '1 to sync']));
    expect(logsSent(w)).toEqual([]);
    expect(w.storage()['session.current']).toBeUndefined();
    w.tap('Start').advance(1_000); // the question before the next session sends it
    expect(logsSent(w)).toMatchObject([{ outcome: 'interrupted', roundsDone: 0 }]);
    w.swipe('RIGHT').advance(300);
    expect(w.page).toBe(ROUTES.home);
    // The next launch goes straight to home.
    w.exit();
    const again = w.t;
    w.relaunch();
    settleHome(w);
    expect(pagesSince(w, again)).toEqual([ROUTES.home]);
  });
});

describe('what was left stored, on Amazfit Bip 5 Unity', () => {
  const device = 'Amazfit Bip 5 Unity';

  // Only the start record left (the app died between writing it and the first running state, or the state
  // was lost): nothing to resume from. It used to be offered, and Resume led back to the same offer.
  it('a session whose running state is lost: logged as started, and home opens ready for a new one', async () => {
    const { 'session.started': started } = finishedKeys();
    w = await bootWatch({ device, start: BOOT, storage: { ...USED, 'session.started': started! } });
    settleHome(w);
    expect(pagesSince(w, 0)).toEqual([ROUTES.home, ROUTES.resume, ROUTES.home]);
    expect(w.screen().texts).toContain('Start');
    expect(w.storage()['session.started']).toBeUndefined();
    // In the outbox, or already on the phone if a page sent it.
    const waiting = openOutbox(memoryStore(w.storage() as Record<string, string>), {
      now: w.t,
    }).outbox.pending();
    expect([...waiting.map((p) => p.log), ...logsSent(w)]).toMatchObject([
      { id: LOG_ID, outcome: 'interrupted', roundsDone: 0, activeMs: 0, startedAt: BOOT - 20 * 60_000 },
    ]);
  });

  it('a finished session never cleared: logged silently, and home opens as if nothing happened', async () => {
    w = await bootWatch({ device, start: BOOT, storage: { ...USED, ...finishedKeys() } });
    settleHome(w);
    expect(pagesSince(w, 0)).toEqual([ROUTES.home, ROUTES.resume, ROUTES.home]);
    w.advance(3_000);
    expect(w.screen().texts).toEqual(expect.arrayContaining(['Start', 'Today 1 of 1', '1 to sync']));
    expect(logsSent(w)).toEqual([]);
    w.tap('Start').advance(1_000); // the question before the next session sends it
    expect(logsSent(w)).toMatchObject([{ id: LOG_ID, outcome: 'completed', roundsDone: 3 }]);
  });

  it('a finished session and a full outbox: no new session; the page syncs, logs it once the phone made room, and goes home; the next Start sends it', async () => {
    w = await bootWatch({ device, start: BOOT, storage: { ...USED, ...fullOutbox(), ...finishedKeys() } });
    w.advance(50);
    expect(w.page).toBe(ROUTES.resume);
    expect(w.screen().texts).toEqual(
      expect.arrayContaining(['Sync with the phone first: the last session is not saved yet', 'Log full']),
    );
    expect(w.screen().texts).not.toContain('Start');
    w.advanceUntil((x) => x.page === ROUTES.home, 60_000, 200);
    expect(w.storage()['session.current']).toBeUndefined();
    // Logged once the phone made room; home sends nothing, the question before the next session does.
    w.advance(3_000);
    expect(logsSent(w).filter((l) => l.id === LOG_ID)).toEqual([]);
    w.tap('Start');
    w.advanceUntil((x) => logsSent(x).some((l) => l.id === LOG_ID), 60_000, 200);
    expect(logsSent(w).filter((l) => l.id === LOG_ID)).toMatchObject([{ outcome: 'completed' }]);
  });

  it('keys nobody can read: kept aside in the quarantine, whole, and home', async () => {
    w = await bootWatch({ device, start: BOOT, storage: { ...USED, 'session.current': '{"status":"runn' } });
    settleHome(w);
    expect(pagesSince(w, 0)).toEqual([ROUTES.home, ROUTES.resume, ROUTES.home]);
    expect(w.storage()['session.current']).toBeUndefined();
    const quarantined = Object.entries(w.storage()).filter(([k]) => k.startsWith('quarantine.'));
    expect(JSON.stringify(quarantined)).toContain('session.current');
  });
});
