import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PRESCRIPTION } from '../../core/plan/prescription';
import { buildTimeline } from '../../core/engine/timeline';
import { bootWatch, type Watch } from '../runtime';
import { logsSent, ROUTES, settleHome, startSession } from '../runtime/flows';

// The session page's controls on the BUILT app: pause, skip, end early, and the screen settings put back.
const timeline = buildTimeline(DEFAULT_PRESCRIPTION);
if (!timeline.ok) throw new Error('the default prescription does not build a timeline');
const { cues, steps } = timeline.value;

let w: Watch | undefined;
afterEach(() => {
  w?.dispose();
  w = undefined;
});

describe.each([
  // One and two buttons send HOME (and SHORTCUT) and have no back button: holding one ends, as a swipe
  // back does (docs/platform-facts.md U4). Five buttons are undocumented; test/e2e/keys.test.ts tries
  // every key on it, here it is read as the four-button watch's keys.
  { device: 'Amazfit Balance', select: 'HOME', end: (x: Watch) => x.press('HOME', 'LONG_PRESS') },
  { device: 'Amazfit Balance 3', select: 'SELECT', end: (x: Watch) => x.press('BACK') },
  { device: 'Amazfit Bip 5 Unity', select: 'HOME', end: (x: Watch) => x.press('HOME', 'LONG_PRESS') },
] as const)('session controls on $device', ({ device, select, end }) => {
  it('the select button pauses and resumes: no cue while paused, the rest shifted by the pause', async () => {
    w = await bootWatch({ device });
    settleHome(w);
    startSession(w);
    const startedAt = w.t;
    w.advance(15_000);
    w.press(select);
    expect(w.screen().texts).toContain('Paused · tap to resume');
    const before = w.vibrations().length;
    w.advance(60_000);
    expect(w.vibrations()).toHaveLength(before);
    w.press(select);
    w.advanceUntil((x) => x.page === ROUTES.summary, 10 * 60_000, 1000);
    const firstAfter = w.vibrations()[before]!;
    const next = cues.find((c) => c.atMs > 15_000)!;
    expect(firstAfter.t - startedAt).toBe(next.atMs + 60_000);
  });

  it('a swipe left skips the step on screen', async () => {
    w = await bootWatch({ device });
    settleHome(w);
    startSession(w);
    w.advance(2000);
    expect(w.screen().texts).toContain('Get ready');
    w.swipe('LEFT');
    w.advance(300);
    expect(w.screen().texts).toContain(`Round 1 of 3`);
    expect(w.screen().texts).toContain('Lengthen');
  });

  it('the back button (or a long press) asks before ending; confirmed, the log says ended early and the screen is given back', async () => {
    w = await bootWatch({ device });
    settleHome(w);
    startSession(w);
    expect(w.display()).toMatchObject({ dropWristPaused: true, palmPaused: true, wakeUpRelaunch: true });
    expect(w.display().pageBrightTime).toBeGreaterThanOrEqual(timeline.value.totalMs);
    w.advance(steps[3]!.startMs + 1000);
    end(w);
    expect(w.screen().modal).toBeTruthy();
    w.answerModal('CONFIRM');
    w.advance(500);
    expect(w.page).toBe(ROUTES.summary);
    expect(w.screen().texts).toContain('Ended early');
    expect(w.display()).toMatchObject({ dropWristPaused: false, palmPaused: false, wakeUpRelaunch: false });
    expect(w.display().pageBrightTime).toBeUndefined();
    w.tap('Skip');
    w.advance(1000);
    expect(logsSent(w).some((l) => l.outcome === 'ended_early')).toBe(true);
  });
});
