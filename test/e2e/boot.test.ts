import { afterEach, describe, expect, it } from 'vitest';
import { bootWatch, type Watch } from '../runtime';
import { ratePain, ROUTES, runSession, settleHome } from '../runtime/flows';

// The BUILT app (dist/*.zab, written by `npm test`'s build step) on round and square targets, from API
// 3.0 to 4.4, the Bip Max's 432×514 package included.
const TARGETS = [
  { device: 'Amazfit Balance', shape: 'round', w: 480, h: 480, api: '3.7' },
  { device: 'Amazfit Balance 3', shape: 'round', w: 480, h: 480, api: '4.4' },
  { device: 'Amazfit Bip 5 Unity', shape: 'square', w: 320, h: 380, api: '3.0' },
  { device: 'Amazfit Bip Max', shape: 'square', w: 432, h: 514, api: '4.4' },
] as const;

const PING = { method: 'ping', params: { v: 1, type: 'ping' } };

/**
 * The reminders page: one that holds zml's messaging and says nothing to the phone unasked (home and Feel
 * the cues talk to nobody).
 */
const onReminders = (w: Watch): Watch => w.tap(/^Remind/);

let w: Watch | undefined;
afterEach(() => {
  w?.dispose();
  w = undefined;
});

describe.each(TARGETS)('$device ($shape $w×$h, API $api)', (target) => {
  it('opens on the home page with its texts and buttons on screen, and no Mini Program Error', async () => {
    w = await bootWatch({ device: target.device });
    settleHome(w);
    const s = w.screen();
    expect(w.device.api).toBe(target.api);
    expect([s.shape, s.width, s.height]).toEqual([target.shape, target.w, target.h]);
    expect(s.page).toBe(ROUTES.home);
    expect(s.texts).toEqual(expect.arrayContaining(['Decompress', 'Start', 'Feel the cues']));
    expect(s.buttons.map((b) => b.text)).toEqual(expect.arrayContaining(['Start', 'Feel the cues']));
    expect(s.offscreen).toEqual([]);
    expect(w.logs().filter((l) => /Mini Program Error/.test(l.text))).toEqual([]);
    expect(w.failures()).toEqual([]);
  });

  it('carries a ping watch → side service → watch through zml on both ends', async () => {
    w = await bootWatch({ device: target.device });
    settleHome(w);
    onReminders(w);
    const req = w.request(PING);
    expect(req.outcome().state).toBe('pending');
    w.advance(200);
    expect(req.outcome()).toEqual({
      state: 'resolved',
      value: expect.objectContaining({ v: 1, type: 'ping', protocol: 1 }),
    });
    const pings = w.phone
      .traffic()
      .filter((t) => (t.body as { method?: string } | undefined)?.method === 'ping');
    expect(pings).toHaveLength(1);
    expect(pings[0]!.dir).toBe('watch→phone');
  });

  it('keeps LocalStorage across kill and relaunch, and drops SessionStorage', async () => {
    w = await bootWatch({ device: target.device });
    w.exec(`
      var s = __$$R$$__('@zos/storage');
      new s.LocalStorage().setItem('e2e.kept', { n: 42 });
      new s.SessionStorage().setItem('e2e.session', 'gone after exit');
    `);
    w.kill();
    expect(w.running).toBe(false);
    w.relaunch();
    expect(w.page).toBe(ROUTES.home);
    expect(w.exec(`new (__$$R$$__('@zos/storage').LocalStorage)().getItem('e2e.kept')`)).toEqual({ n: 42 });
    expect(w.exec(`new (__$$R$$__('@zos/storage').SessionStorage)().getItem('e2e.session', 'none')`)).toBe(
      'none',
    );
    expect(w.storage()['e2e.kept']).toEqual({ n: 42 });
  });
});

describe('Amazfit Bip Max: the whole 432×514 screen only with the opt-in', () => {
  it('lays out for 432×514 as built; without app._pikeCompatibled the watch gives the app a 390×450 box', async () => {
    w = await bootWatch({ device: 'Amazfit Bip Max' });
    expect(w.exec(`__$$R$$__('@zos/device').getDeviceInfo().height`)).toBe(514);
    w.dispose();
    w = await bootWatch({
      device: 'Amazfit Bip Max',
      patch: { 'app.json': (src) => src.replace(/,\s*"_pikeCompatibled":\s*1/, '') },
    });
    settleHome(w);
    expect(w.exec(`__$$R$$__('@zos/device').getDeviceInfo().height`)).toBe(450);
    expect([w.screen().width, w.screen().height]).toEqual([390, 450]);
    expect(w.screen().offscreen).toEqual([]);
  });
});

describe('messaging faults (Amazfit Balance)', () => {
  it('rejects with zml code 3 when the side service is not running, and recovers when it runs again', async () => {
    w = await bootWatch({ device: 'Amazfit Balance', sideService: false });
    onReminders(settleHome(w));
    const req = w.request(PING);
    w.advance(1000);
    expect(req.outcome()).toMatchObject({ state: 'rejected', error: { code: 3 } });
    w.phone.startSideService();
    const again = w.request(PING);
    w.advance(200);
    expect(again.outcome()).toMatchObject({ state: 'resolved' });
  });

  it('rejects with code 3 after a phone restart closes the side service, then works again', async () => {
    w = await bootWatch({ device: 'Amazfit Balance' });
    onReminders(settleHome(w));
    w.phone.stopSideService();
    w.advance(100);
    const during = w.request(PING);
    w.advance(1000);
    expect(during.outcome()).toMatchObject({ state: 'rejected', error: { code: 3 } });
    w.phone.restart();
    const after = w.request(PING);
    w.advance(200);
    expect(after.outcome()).toMatchObject({ state: 'resolved' });
  });

  it('rejects with code 2 while the phone is away, and answers once it is back', async () => {
    w = await bootWatch({ device: 'Amazfit Balance' });
    onReminders(settleHome(w));
    w.phone.away();
    const away = w.request(PING);
    w.advance(100);
    expect(away.outcome()).toMatchObject({ state: 'rejected', error: { code: 2 } });
    w.phone.back();
    const back = w.request(PING);
    w.advance(200);
    expect(back.outcome()).toMatchObject({ state: 'resolved' });
  });

  it('fails a request whose answer was dropped with code 4 after zml’s 60 s timeout, not before', async () => {
    w = await bootWatch({ device: 'Amazfit Balance', screenTimeoutMs: 120_000 });
    onReminders(settleHome(w));
    w.phone.drop(1, 'phone→watch');
    const req = w.request(PING);
    w.advance(59_000);
    expect(req.outcome().state).toBe('pending');
    w.advance(2_000);
    expect(req.outcome()).toMatchObject({ state: 'rejected', error: { code: 4 } });
    expect(w.phone.traffic().some((t) => t.dropped && t.kind === 'response')).toBe(true);
  });

  // zml leaves its handshake timeout (5 s, armed even with BLE down) and a pending request's timeout
  // (60 s) armed when a page closes its link; a page's timers end with the page (T4), so they fired on a
  // page already gone. page/lib/mount ends them when the page goes (M5).
  it('leaves no timer of zml behind when a syncing page is left quickly with the phone away', async () => {
    w = await bootWatch({ device: 'Amazfit Balance', screenTimeoutMs: 120_000 });
    settleHome(w);
    w.phone.away();
    runSession(w);
    ratePain(w, 0);
    w.advance(300); // the summary tries to send the log and finds BLE down
    w.tap('Home').advance(300);
    onReminders(w).advance(300);
    w.swipe('RIGHT');
    expect(w.page).toBe(ROUTES.home);
    w.advance(70_000); // past both of zml's timeouts: no timer of a page gone fires
    w.phone.back();
    w.tap('Start'); // the question before the next session sends the waiting log
    w.advanceUntil(
      (x) => x.phone.requests().some((r) => (r as { method: string }).method === 'logs.batch'),
      120_000,
      500,
    );
    expect(w.running).toBe(true);
  });

  // A request waits on zml's handshake; a page left while the handshake is in flight (its first 40 ms
  // with the phone near, in the double) used to leave it, and every request chained on it, waiting for
  // good: the page's code stayed in the heap (146 KB more on the session page). page/lib/mount fails the
  // handshake when the page goes (M5).
  it('keeps nothing of a page left during its handshake', async () => {
    const sessionHeap = async (onQuestionMs: number): Promise<number> => {
      const x = await bootWatch({ device: 'Amazfit Balance', measureHeap: true });
      try {
        settleHome(x);
        x.tap('Start');
        expect(x.page).toBe(ROUTES.before); // the question before the session, which talks to the phone
        if (onQuestionMs > 0) x.advance(onQuestionMs);
        x.tap('Skip').advance(100);
        expect(x.page).toBe(ROUTES.session);
        return x.heapBytes() - x.baselineHeap!;
      } finally {
        x.dispose();
      }
    };
    const settled = await sessionHeap(1000);
    expect(Math.abs((await sessionHeap(0)) - settled)).toBeLessThan(4 * 1024);
    expect(Math.abs((await sessionHeap(20)) - settled)).toBeLessThan(4 * 1024);
  });

  it('leaves no request timeout behind when a page goes while its answer is lost', async () => {
    w = await bootWatch({ device: 'Amazfit Balance', screenTimeoutMs: 120_000 });
    settleHome(w);
    runSession(w);
    w.phone.drop(1, 'phone→watch');
    ratePain(w, 0); // the summary sends the rated log; the phone's answer is lost
    w.advance(1000);
    expect(w.phone.traffic().some((t) => t.dropped && t.kind === 'response')).toBe(true);
    w.tap('Home');
    expect(w.page).toBe(ROUTES.home);
    w.advance(65_000); // past zml's 60 s request timeout
    expect(w.running).toBe(true);
    expect(w.page).toBe(ROUTES.home);
  });

  it('delays answers by the configured latency on the virtual clock', async () => {
    w = await bootWatch({ device: 'Amazfit Balance', latencyMs: 500 });
    onReminders(settleHome(w, 3000));
    const req = w.request(PING);
    w.advance(1900); // shake out + back, request out + answer back: 4 × 500 ms
    expect(req.outcome().state).toBe('pending');
    w.advance(200);
    expect(req.outcome().state).toBe('resolved');
  });
});
