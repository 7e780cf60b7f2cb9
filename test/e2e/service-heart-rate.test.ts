import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PRESCRIPTION } from '../../core/plan/prescription';
import { buildTimeline } from '../../core/engine/timeline';
import { bootWatch, type BootOptions, type Watch } from '../runtime';
import type { HeartRateOptions } from '../runtime/zos/heart-rate';
import { checkedWatch, logsSent, ratePain, ROUTES, settleHome, startSession } from '../runtime/flows';

// Heart rate in a session the App Service runs (docs/platform-facts.md H1, AS2, AS7, AS8, AS10), on
// the BUILT app. The wrist's heart rate is the test's own: 72 bpm for the first two minutes, 64 after,
// so the start reading must be 72 and the end reading 64. The default session's length comes from the
// timeline of the default prescription (held to the seed routine by its own tests).
const timeline = buildTimeline(DEFAULT_PRESCRIPTION);
if (!timeline.ok) throw new Error('the default prescription does not build a timeline');
const { totalMs } = timeline.value;
const device = 'Amazfit Balance 3'; // API 4.4
const SERVICE = 'app-service/session';
// A watch whose wrist check felt the service's buzz in the dark (issue 23): the path these tests take.
const PROVEN = checkedWatch(device, 'service');
const SLOWING: HeartRateOptions = { bpm: (t) => (t < 120_000 ? 72 : 64) };

let w: Watch | undefined;
afterEach(() => {
  w?.dispose();
  w = undefined;
});

/** Start on the page, grant the background permission, screen off 30 s in, the page left, to the end. */
async function sessionInService(opts: Partial<BootOptions>): Promise<{ w: Watch; startedAt: number }> {
  const x = await bootWatch({
    device,
    backgroundPermission: 'ask-grant',
    ...opts,
    storage: { ...PROVEN, ...opts.storage },
  });
  settleHome(x);
  startSession(x);
  const startedAt = x.t;
  x.answerModal('CONFIRM');
  expect(x.service().running).toBe(SERVICE);
  x.advance(30_000);
  x.wristDown();
  x.advance(15_000);
  expect(x.running).toBe(false);
  x.advanceUntil((y) => y.service().running === undefined, totalMs, 1000);
  x.advance(5_000);
  return { w: x, startedAt };
}

describe(`heart rate in a session the App Service runs on ${device}`, () => {
  it('72 at the start, 64 at the end: the summary shows "72 → 64 bpm" and the phone gets both', async () => {
    const r = await sessionInService({ heartRate: SLOWING });
    w = r.w;
    // The service measured only near the end: from 60 s before it (the first reading 8 s later), never after.
    const fromService = w.heartReadings().filter((h) => h.page === SERVICE);
    expect(fromService.length).toBeGreaterThan(0);
    expect(fromService[0]!.t - r.startedAt).toBeGreaterThanOrEqual(totalMs - 60_000 + 8_000);
    expect(fromService.at(-1)!.t - r.startedAt).toBeLessThanOrEqual(totalMs);
    // The screen was off at the finish: the end reading is in the hand-back file.
    expect(Object.keys(w.dataFiles())).toContain('session-handback.json');
    const [note] = w.service().notifications;
    w.tapNotification(note!.id);
    expect(w.page).toBe(ROUTES.summary);
    ratePain(w, 3);
    // The summary once the rating is saved.
    expect(w.screen().texts).toEqual(expect.arrayContaining(['Session complete', '72 → 64 bpm']));
    w.advance(5_000);
    expect(logsSent(w)).toMatchObject([{ outcome: 'completed', hrStart: 72, hrEnd: 64, pain: 3 }]);
    w.check();
  });

  it('the notification left alone: the app, opened later, shows the summary, which logs the end reading from the file', async () => {
    const r = await sessionInService({ heartRate: SLOWING });
    w = r.w;
    w.advance(10 * 60_000);
    w.wake();
    const opened = w.t;
    w.relaunch();
    w.advance(100);
    expect(w.page).toBe(ROUTES.summary);
    // Home gives way to the resume page, which sends a session the service finished to its summary.
    expect(
      w
        .timeline()
        .filter((e) => e.kind === 'page' && e.t >= opened)
        .map((e) => e.text.split(' ')[0]),
    ).toEqual([ROUTES.home, ROUTES.resume, ROUTES.summary]);
    ratePain(w, 4);
    expect(w.screen().texts).toEqual(expect.arrayContaining(['Session complete', '72 → 64 bpm']));
    w.advance(5_000);
    expect(logsSent(w)).toMatchObject([{ outcome: 'completed', hrStart: 72, hrEnd: 64, pain: 4 }]);
    w.check();
  });

  it('the screen on at the finish: no file is written, the param carries the end reading when it reaches the page', async () => {
    const x = await bootWatch({
      device,
      storage: PROVEN,
      backgroundPermission: 'ask-grant',
      heartRate: SLOWING,
      readings: { notificationParamTo: 'page' },
    });
    w = x;
    settleHome(x);
    startSession(x);
    const startedAt = x.t;
    x.answerModal('CONFIRM');
    x.advance(30_000);
    x.wristDown();
    x.advance(15_000);
    // The patient looks at the watch face as the session ends.
    x.advanceTo(x.now() - x.t + startedAt + totalMs - 2_000);
    x.wake();
    x.advanceUntil((y) => y.service().running === undefined, 60_000, 500);
    expect(Object.keys(x.dataFiles())).not.toContain('session-handback.json');
    x.tapNotification(x.service().notifications[0]!.id);
    ratePain(x, 2);
    expect(x.screen().texts).toContain('72 → 64 bpm');
    x.advance(5_000);
    expect(logsSent(x)).toMatchObject([{ hrStart: 72, hrEnd: 64 }]);
    x.check();
  });

  it('the heart-rate permission refused: the session runs in the service, and the log says "not measured"', async () => {
    const r = await sessionInService({ heartRate: { ...SLOWING, permission: 'refused' } });
    w = r.w;
    expect(w.heartReadings()).toEqual([]);
    expect(Object.keys(w.dataFiles())).not.toContain('session-handback.json');
    w.tapNotification(w.service().notifications[0]!.id);
    ratePain(w, 1);
    expect(w.screen().texts).toEqual(expect.arrayContaining(['Session complete', 'Heart rate not measured']));
    w.advance(5_000);
    const [log] = logsSent(w);
    expect(log).toMatchObject({ outcome: 'completed', roundsDone: 3, pain: 1 });
    // What it measured of itself (issue 23): the page played the set-up's cue as Start was tapped (on
    // time: the double fires a timer at its time) and handed the session over; the other 49 of the 50
    // were the service's, counted when the summary brought the stored session up to the clock. The
    // page stored nothing more while it only showed the session, so it sampled no screen time.
    expect(log).toMatchObject({ cuesPage: 1, cuesService: 49, lateMaxMs: 0, lateP95Ms: 0, screenOnS: 0 });
    expect(log).not.toHaveProperty('hrStart');
    expect(log).not.toHaveProperty('hrEnd');
    w.check();
  });
});
