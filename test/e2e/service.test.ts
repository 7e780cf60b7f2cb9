import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PRESCRIPTION } from '../../core/plan/prescription';
import { buildTimeline } from '../../core/engine/timeline';
import { bootWatch, type BootOptions, type Watch } from '../runtime';
import { checkedWatch, logsSent, ratePain, ROUTES, settleHome, startSession } from '../runtime/flows';

// The session in the App Service on an API 4 watch (docs/platform-facts.md AS1–AS9), on the BUILT app.
// The expected cue times come from the timeline of the default prescription (core/engine/timeline, held
// to the seed routine by its own tests), not from the service's code.
const timeline = buildTimeline(DEFAULT_PRESCRIPTION);
if (!timeline.ok) throw new Error('the default prescription does not build a timeline');
const { cues, totalMs } = timeline.value;
const device = 'Amazfit Balance 3'; // API 4.4, five buttons
const SERVICE = 'app-service/session';
// A watch whose wrist check felt the service's buzz in the dark (issue 23): the path these tests take.
const PROVEN = checkedWatch(device, 'service');

let w: Watch | undefined;
afterEach(() => {
  w?.dispose();
  w = undefined;
});

async function begin(opts: Partial<BootOptions> = {}): Promise<{ w: Watch; startedAt: number }> {
  const x = await bootWatch({ device, ...opts, storage: { ...PROVEN, ...opts.storage } });
  settleHome(x);
  startSession(x);
  const startedAt = x.t;
  return { w: x, startedAt };
}

/** Each cue felt: its time from the start, and where it came from (the page or the service). */
const felt = (x: Watch, startedAt: number) =>
  x.vibrations().map((v) => ({ at: v.t - startedAt, from: v.page }));

describe(`the session in the App Service on ${device}`, () => {
  it('asks the permission once, with a word first; the screen goes dark, the page is left, every cue is played on time by the service', async () => {
    ({ w } = await (async () => {
      const r = await begin();
      return { w: r.w, startedAt: r.startedAt };
    })());
    const startedAt = w.vibrations()[0]!.t;
    // The explanation, then the system's question (granted here).
    expect(w.screen().modal).toMatchObject({ content: expect.stringContaining('background') });
    w.answerModal('CONFIRM');
    expect(w.service().permissionAsked).toBe(1);
    expect(w.service().running).toBe(SERVICE);
    // 30 s in: the screen off, the page left (the system closes the app after screen-off).
    w.advance(30_000);
    w.wristDown();
    expect(w.display().screenOn).toBe(false);
    w.advance(15_000);
    expect(w.running).toBe(false);
    w.advance(totalMs);
    expect(w.service().running).toBeUndefined();
    const got = felt(w, startedAt);
    expect(got.map((c) => c.at)).toEqual(cues.map((c) => c.atMs));
    // The first cue is the page's (it starts the session); every other one the service's, screen off or not.
    expect(got.slice(1).every((c) => c.from === SERVICE)).toBe(true);
    expect(w.vibrations().filter((v) => !v.screenOn).length).toBeGreaterThan(cues.length - 10);

    // The notification asks for the pain rating; its action opens the summary.
    const [note] = w.service().notifications;
    expect(note).toMatchObject({
      title: 'Session done',
      actions: [{ text: 'Rate pain', file: ROUTES.summary }],
    });
    w.tapNotification(note!.id);
    expect(w.page).toBe(ROUTES.summary);
    expect(w.screen().texts).toContain('Session complete');
    ratePain(w, 3);
    w.advance(5_000);
    const logs = logsSent(w);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ outcome: 'completed' });
    // The next session asks nothing: the permission is granted.
    expect(w.service().permissionAsked).toBe(1);
  });

  it('the rating given before the session goes with it from the session page to the App Service’s page, into the log', async () => {
    w = await bootWatch({ device, backgroundPermission: 'granted', storage: PROVEN });
    settleHome(w);
    startSession(w, 4);
    expect(w.page).toBe(ROUTES.serviceSession);
    expect(
      w
        .timeline()
        .filter((e) => e.kind === 'page')
        .map((e) => e.text)
        .slice(-2),
    ).toEqual([`${ROUTES.session} {"painBefore":4}`, `${ROUTES.serviceSession} {"painBefore":4}`]);
    w.wristDown();
    w.advance(totalMs + 10_000);
    w.tapNotification(w.service().notifications[0]!.id);
    ratePain(w, 2);
    w.advance(5_000);
    expect(logsSent(w)).toMatchObject([{ outcome: 'completed', painBefore: 4, pain: 2 }]);
  });

  it('the permission refused: the page plays the session as without a service, screen on and low, and says why', async () => {
    const r = await begin({ backgroundPermission: 'ask-refuse', brightness: 50 });
    w = r.w;
    const startedAt = w.vibrations()[0]!.t;
    w.answerModal('CONFIRM'); // the explanation; the system's question is refused
    expect(w.service().running).toBeUndefined();
    expect(w.screen().modal).toMatchObject({ content: expect.stringContaining('not allowed') });
    w.answerModal('CONFIRM');
    expect(w.display()).toMatchObject({ dropWristPaused: true, wakeUpRelaunch: true, brightness: 10 });
    w.advanceUntil((x) => x.page === ROUTES.summary, 10 * 60_000, 1000);
    const got = felt(w, startedAt);
    expect(got.map((c) => c.at)).toEqual(cues.map((c) => c.atMs));
    expect(got.every((c) => c.from === ROUTES.serviceSession)).toBe(true);
    expect(w.display().brightness).toBe(50);
    w.tap('Skip');
    w.advance(2000);
    expect(logsSent(w)).toMatchObject([{ outcome: 'completed' }]);
    expect(w.service().notifications).toEqual([]);
  });

  it('asks once: the next session after a refusal goes straight to the page, with the reason', async () => {
    const r = await begin({ backgroundPermission: 'ask-refuse' });
    w = r.w;
    w.answerModal('CONFIRM');
    w.answerModal('CONFIRM');
    w.press('BACK');
    w.answerModal('CONFIRM');
    w.advance(3000);
    w.exit();
    w.relaunch();
    settleHome(w);
    startSession(w);
    expect(w.service().permissionAsked).toBe(1);
    expect(w.screen().modal).toMatchObject({ content: expect.stringContaining('not allowed') });
  });

  it.each([
    [1, 'parameter error'],
    [2, 'wrong state'],
    [3, 'No permission'],
    [4, 'memory'],
    [5, 'cannot run'],
    [6, 'does not allow'],
    [7, 'Another app'],
    [255, 'could not start'],
  ])('start error %i: the page plays the cues and says "%s"', async (code, words) => {
    const r = await begin({ backgroundPermission: 'granted', serviceStartError: code });
    w = r.w;
    expect(w.service().permissionAsked).toBe(0);
    expect(w.screen().modal).toMatchObject({ content: expect.stringContaining(words) });
    w.answerModal('CONFIRM');
    w.advance(60_000);
    expect(w.display().wakeUpRelaunch).toBe(true);
    expect(w.vibrations().every((v) => v.page === ROUTES.serviceSession)).toBe(true);
    expect(w.vibrations().length).toBe(cues.filter((c) => c.atMs <= 60_000).length);
  });

  it("another app's service running: the page keeps the cues", async () => {
    const r = await begin({ backgroundPermission: 'granted', otherService: true });
    w = r.w;
    expect(w.screen().modal).toMatchObject({ content: expect.stringContaining('Another app') });
  });

  it.each([
    ['no param on restart (harsher)', {}],
    ['the start param again', { restartParam: 'same' as const }],
  ])('the service restarted mid-session (%s): every cue on time, none twice', async (_, service) => {
    const r = await begin({ backgroundPermission: 'granted', readings: { service } });
    w = r.w;
    const startedAt = w.vibrations()[0]!.t;
    w.wristDown();
    w.advance(20_000);
    // Between two cues, and again right after one.
    const mid = cues.find((c) => c.atMs > 100_000)!;
    w.advanceTo(w.now() - w.t + startedAt + mid.atMs - 500);
    w.restartService();
    w.advance(600);
    w.restartService();
    w.advance(totalMs);
    expect(w.service().events.filter((e) => e.what.startsWith('ended: restarted'))).toHaveLength(2);
    expect(felt(w, startedAt).map((c) => c.at)).toEqual(cues.map((c) => c.atMs));
    expect(w.service().notifications).toHaveLength(1);
    // The notification leads to the summary, and the log to the phone.
    w.tapNotification(w.service().notifications[0]!.id);
    expect(w.page).toBe(ROUTES.summary);
    expect(w.screen().texts).toContain('Session complete');
    ratePain(w, 2);
    w.advance(5_000);
    expect(logsSent(w)).toMatchObject([{ outcome: 'completed', pauses: 0, pain: 2 }]);
  });

  it('the page is a view: opened mid-session it shows the step, and pause, resume, skip and end reach the service', async () => {
    const r = await begin({ backgroundPermission: 'granted' });
    w = r.w;
    const startedAt = w.vibrations()[0]!.t;
    w.wristDown();
    w.advance(25_000);
    expect(w.running).toBe(false);
    // The patient opens the app: home gives way to the resume page, and it to the running session.
    w.wake();
    const opened = w.t;
    w.relaunch();
    w.advance(100);
    expect(w.page).toBe(ROUTES.serviceSession);
    expect(
      w
        .timeline()
        .filter((e) => e.kind === 'page' && e.t >= opened)
        .map((e) => e.text.split(' ')[0]),
    ).toEqual([ROUTES.home, ROUTES.resume, ROUTES.session, ROUTES.serviceSession]);
    expect(w.screen().texts).toContain('Round 1 of 3');
    // Pause from the page: the service stops, no cue while paused, even once the page is gone.
    w.press('SELECT');
    expect(w.service().running).toBeUndefined();
    const before = w.vibrations().length;
    w.advance(40_000);
    expect(w.running).toBe(false);
    expect(w.vibrations()).toHaveLength(before);
    // Back to the app: the paused session is offered, and resuming hands it to the service again.
    w.wake();
    w.relaunch();
    settleHome(w);
    expect(w.page).toBe(ROUTES.resume);
    w.tap('Resume session');
    expect(w.screen().texts).toContain('Paused · tap to resume');
    w.press('SELECT');
    expect(w.service().running).toBe(SERVICE);
    const next = cues.find((c) => c.atMs > 25_100)!;
    w.advance(next.atMs + 40_500 - (w.t - startedAt));
    const first = w.vibrations()[before]!;
    expect(first.page).toBe(SERVICE);
    // Shifted by the pause (40 s and the moments the taps took), not skipped or played early.
    expect(first.t - startedAt - next.atMs).toBeGreaterThanOrEqual(40_000);
    expect(first.t - startedAt - next.atMs).toBeLessThan(40_500);
    // Skip, then end early, from the page.
    w.swipe('LEFT');
    expect(w.service().running).toBe(SERVICE);
    w.press('BACK');
    w.answerModal('CONFIRM');
    w.advance(3000);
    expect(w.service().running).toBeUndefined();
    expect(w.page).toBe(ROUTES.summary);
    expect(w.screen().texts).toContain('Ended early');
    const after = w.vibrations().length;
    w.advance(totalMs);
    expect(w.vibrations()).toHaveLength(after);
    expect(w.service().notifications).toEqual([]);
  });

  it('a start of the running service delivering its param (the other reading) changes nothing: the page stops it first', async () => {
    const r = await begin({
      backgroundPermission: 'granted',
      readings: { service: { startWhileRunning: 'deliver' } },
    });
    w = r.w;
    w.advance(5_000);
    w.press('SELECT');
    w.press('SELECT');
    w.advance(totalMs + 60_000);
    expect(w.service().notifications).toHaveLength(1);
  });

  it('with the screen set to stay on, or below API 4, no service: the page plays as before and asks nothing', async () => {
    const r = await begin({ storage: { 'screen.mode': 'on' } });
    w = r.w;
    w.advance(30_000);
    expect(w.service()).toMatchObject({ running: undefined, permissionAsked: 0 });
    w.dispose();
    w = await bootWatch({ device: 'Amazfit Balance' }); // API 3.7
    settleHome(w);
    startSession(w);
    w.advance(30_000);
    expect(w.service()).toMatchObject({ running: undefined, permissionAsked: 0 });
    expect(w.screen().modal).toBeUndefined();
  });
});
