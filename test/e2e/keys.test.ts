import { afterEach, describe, expect, it } from 'vitest';
import { bootWatch, type Key, type Watch } from '../runtime';
import { ROUTES, runSession, settleHome, startSession } from '../runtime/flows';

// The BUILT app's buttons on a watch of each button count. The keys each count sends are copied from
// zeppos-docs reference/related-resources/physical-keys.mdx (commit c08725b); three and five buttons
// are not documented there, so on those watches every key code is tried.
const EVERY_KEY: Key[] = ['SELECT', 'BACK', 'UP', 'DOWN', 'HOME', 'SHORTCUT'];
const WATCHES: { device: string; buttons: number; keys: Key[] }[] = [
  { device: 'Amazfit Bip 5 Unity', buttons: 1, keys: ['HOME'] },
  { device: 'Amazfit Balance', buttons: 2, keys: ['HOME', 'SHORTCUT'] },
  { device: 'Amazfit Cheetah (Square)', buttons: 3, keys: EVERY_KEY },
  { device: 'Amazfit T-Rex 3', buttons: 4, keys: ['UP', 'DOWN', 'SELECT', 'BACK'] },
  { device: 'Amazfit Balance 3', buttons: 5, keys: EVERY_KEY },
];
const PAUSED = 'Paused · tap to resume';

let w: Watch | undefined;
afterEach(() => {
  w?.dispose();
  w = undefined;
});

describe.each(WATCHES)('$device ($buttons buttons)', ({ device, buttons, keys }) => {
  it('the double offers exactly its keys', async () => {
    w = await bootWatch({ device });
    expect(w.device.buttons).toBe(buttons);
    for (const key of EVERY_KEY.filter((k) => !keys.includes(k)))
      expect(() => w!.press(key)).toThrow(new RegExp(`${buttons} button\\(s\\) .*; no ${key}`));
  });

  it('in a session, each button clicked pauses, resumes or asks to end, and held asks to end; the session goes on', async () => {
    w = await bootWatch({ device });
    settleHome(w);
    startSession(w);
    w.advance(12_000);
    for (const key of keys) {
      w.press(key);
      expect(w.page, `${key} click`).toBe(ROUTES.session);
      if (key === 'UP' || key === 'DOWN') {
        expect(w.screen().texts, `${key} click`).not.toContain(PAUSED);
      } else if (key === 'BACK') {
        expect(w.screen().modal, 'BACK click').toBeTruthy();
        w.answerModal('CANCEL');
      } else {
        expect(w.screen().texts, `${key} click`).toContain(PAUSED);
        w.press(key);
        expect(w.screen().texts, `${key} click again`).not.toContain(PAUSED);
      }
      w.press(key, 'LONG_PRESS');
      expect(w.screen().modal, `${key} held`).toBeTruthy();
      w.answerModal('CANCEL');
      expect(w.page).toBe(ROUTES.session);
    }
    w.swipe('RIGHT');
    expect(w.screen().modal, 'swipe back').toBeTruthy();
    w.answerModal('CONFIRM');
    w.advance(500);
    expect(w.page).toBe(ROUTES.summary);
    expect(w.failures()).toEqual([]);
  });

  it('on the summary, UP and DOWN step the pain rating where the watch has them', async () => {
    w = await bootWatch({ device });
    settleHome(w);
    runSession(w);
    const pain = (): string | undefined => w!.screen().texts.find((t) => /^(–|\d+)$/.test(t));
    expect(pain()).toBe('–');
    if (!keys.includes('UP')) return;
    w.press('UP').press('UP').press('UP');
    expect(pain()).toBe('2');
    w.press('DOWN');
    expect(pain()).toBe('1');
  });
});

describe('what the system does with a key the app leaves alone', () => {
  it('HOME clicked on the home page opens the app list: the app is left (1- and 2-button watches)', async () => {
    w = await bootWatch({ device: 'Amazfit Balance' });
    settleHome(w);
    w.press('HOME');
    expect(w.running).toBe(false);
    expect(w.timeline().map((e) => e.text)).toContain('exit (HOME pressed (app list))');
  });

  it('BACK clicked on a page with no use for it goes back (4-button watches)', async () => {
    w = await bootWatch({ device: 'Amazfit T-Rex 3' });
    settleHome(w);
    w.tap('Feel the cues');
    expect(w.page).toBe(ROUTES.cues);
    w.press('BACK');
    expect(w.page).toBe(ROUTES.home);
  });

  it('a watch with four buttons has no crown', async () => {
    w = await bootWatch({ device: 'Amazfit T-Rex 3' });
    expect(() => w!.crown(30)).toThrow(/Amazfit T-Rex 3 \(4 buttons\) has no crown/);
  });
});
