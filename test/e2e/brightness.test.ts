import { afterEach, describe, expect, it } from 'vitest';
import { bootWatch, type Watch } from '../runtime';
import { ROUTES, runSession, settleHome, startSession } from '../runtime/flows';

// Screen dark (the default) where the session runs in the page: the screen is lowered while the
// session runs and the patient's own brightness comes back on every way out (docs/platform-facts.md S5).
// The user's setting here (45, or auto) is the double's system setting, not anything the app wrote.
const device = 'Amazfit Bip 5 Unity'; // API 3.0, one button
const LOW = 10; // core/watch/screen DIM_BRIGHTNESS, restated: the test holds the app to it

let w: Watch | undefined;
afterEach(() => {
  w?.dispose();
  w = undefined;
});

const start = async (opts: { brightness?: number; autoBrightness?: boolean } = {}): Promise<Watch> => {
  const x = await bootWatch({ device, brightness: 45, ...opts });
  settleHome(x);
  return x;
};

describe(`screen dark on ${device}`, () => {
  it('is lowered while the session runs and given back when it finishes', async () => {
    w = await start();
    expect(w.display().brightness).toBe(45);
    startSession(w);
    expect(w.display().brightness).toBe(LOW);
    w.advance(100_000);
    expect(w.display().brightness).toBe(LOW);
    w.advanceUntil((x) => x.page === ROUTES.summary, 10 * 60_000, 1000);
    expect(w.display()).toMatchObject({ brightness: 45, autoBrightness: false });
    expect(w.storage()['screen.userBrightness']).toBeUndefined();
    // Lowered once, given back once: no flicker on every redraw.
    expect(w.display().brightnessLog.map((b) => b.brightness)).toEqual([LOW, 45]);
  });

  it('comes up on a tap (which pauses) and goes low again on resuming', async () => {
    w = await start();
    startSession(w);
    w.advance(20_000);
    w.press('HOME');
    expect(w.screen().texts).toContain('Paused · tap to resume');
    expect(w.display().brightness).toBe(45);
    w.press('HOME');
    expect(w.display().brightness).toBe(LOW);
  });

  it('is given back when the session is ended early', async () => {
    w = await start();
    startSession(w);
    w.advance(30_000);
    w.press('HOME', 'LONG_PRESS');
    // The question is read with the patient's own brightness.
    expect(w.display().brightness).toBe(45);
    w.answerModal('CONFIRM');
    w.advance(500);
    expect(w.page).toBe(ROUTES.summary);
    expect(w.screen().texts).toContain('Ended early');
    expect(w.display().brightness).toBe(45);
  });

  it('is given back when the patient pauses and leaves the app', async () => {
    w = await start();
    startSession(w);
    w.advance(30_000);
    w.press('HOME');
    w.swipe('RIGHT');
    w.answerModal('CANCEL');
    w.exit();
    expect(w.running).toBe(false);
    expect(w.display().brightness).toBe(45);
  });

  it('is given back when the app is left while the session runs', async () => {
    w = await start();
    startSession(w);
    w.advance(30_000);
    expect(w.display().brightness).toBe(LOW);
    w.exit();
    expect(w.display().brightness).toBe(45);
  });

  it('after a crash with the screen lowered, the next launch gives the patient their brightness, not the low one', async () => {
    w = await start();
    startSession(w);
    w.advance(60_000);
    w.kill();
    // Nothing runs while the app is gone: the system setting is still the lowered one.
    expect(w.display().brightness).toBe(LOW);
    w.relaunch();
    settleHome(w);
    // Given back by home, before it gives way to the resume page.
    expect(w.page).toBe(ROUTES.resume);
    expect(w.display().brightness).toBe(45);
    w.tap('Resume session');
    expect(w.display().brightness).toBe(LOW);
    w.advanceUntil((x) => x.page === ROUTES.summary, 10 * 60_000, 1000);
    expect(w.display().brightness).toBe(45);
  });

  it('turns auto brightness off while lowered (it would override the level) and back on after', async () => {
    w = await start({ autoBrightness: true });
    startSession(w);
    expect(w.display()).toMatchObject({ brightness: LOW, autoBrightness: false });
    w.advanceUntil((x) => x.page === ROUTES.summary, 10 * 60_000, 1000);
    expect(w.display()).toMatchObject({ brightness: 45, autoBrightness: true });
  });

  it('with the screen set to stay on, the brightness is never touched', async () => {
    w = await bootWatch({ device, brightness: 45, storage: { 'screen.mode': 'on' } });
    settleHome(w);
    runSession(w);
    expect(w.display().brightnessLog).toEqual([]);
  });

  it('an unreadable kept brightness is quarantined at launch and the screen left as it is', async () => {
    w = await bootWatch({ device, brightness: 30, storage: { 'screen.userBrightness': '{"level":400}' } });
    settleHome(w);
    expect(w.display().brightness).toBe(30);
    expect(w.storage()['screen.userBrightness']).toBeUndefined();
    const quarantined = Object.entries(w.storage()).filter(([k]) => k.startsWith('quarantine.'));
    expect(JSON.stringify(quarantined)).toContain('screen.userBrightness');
    expect(JSON.stringify(quarantined)).toContain('400');
  });
});
