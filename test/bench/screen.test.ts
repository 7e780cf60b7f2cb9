import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measureScreen, screenGoal } from '../../bench/lib/screen';

// Issue 14's goal on the built app (dist/, made by `npm run build` before the tests): an API 4 watch
// lights its screen at most 15 s in a default session; below API 4 the screen stays on but low.
const root = join(__dirname, '..', '..');
const zab = join(root, 'dist', readdirSync(join(root, 'dist')).find((f) => f.endsWith('.zab')) ?? '');

describe('screen time of a default session', () => {
  it('Balance 3 (API 4.4): the App Service plays the cues; the screen is on at most 15 s, the floor all session', async () => {
    const t = await measureScreen('Amazfit Balance 3', zab);
    expect(t.dark.runner).toBe('service');
    expect(screenGoal(t)).toEqual({ applies: true, pass: true });
    expect(t.on.runner).toBe('page');
    // The floor holds the screen for the whole session (over 3 min).
    expect(t.on.screenOnS).toBeGreaterThan(180);
    // Every cue of the session, whoever plays it, and no more wakeups than cues and the first seconds' ticks.
    expect(t.dark.cues).toBe(t.on.cues);
    expect(t.dark.wakeups).toBeLessThan(t.cueMoments + 15);
  });

  it('Bip 5 Unity (API 3.0): the page plays the cues with the screen on and lowered to a sixth of the light', async () => {
    const t = await measureScreen('Amazfit Bip 5 Unity', zab);
    expect(t.dark.runner).toBe('page');
    expect(t.dark.screenOnS).toBe(t.on.screenOnS);
    // Lowered to 10 from the patient's 60 while the cues run.
    expect(t.dark.litS / t.on.litS).toBeLessThan(0.2);
  });
});
