import { afterEach, describe, expect, it } from 'vitest';
import { bootWatch, type Watch } from '../runtime';
import { ROUTES, settleHome } from '../runtime/flows';

// "Feel the cues" on the BUILT app: every cue can be felt, and the strength is the patient's to change.
let w: Watch | undefined;
afterEach(() => {
  w?.dispose();
  w = undefined;
});

const prescriptionSets = (x: Watch): { prescription?: { strength?: string } }[] =>
  x.phone
    .requests()
    .filter((r) => (r as { method: string }).method === 'prescription.set')
    .map((r) => (r as { params: { prescription?: { strength?: string } } }).params);

describe('feel the cues on the square API 3.0 watch', () => {
  it('plays each cue, and a stronger setting is felt at once, used by the next session and sent to the phone before it', async () => {
    w = await bootWatch({ device: 'Amazfit Bip 5 Unity' });
    settleHome(w);
    w.tap('Feel the cues');
    expect(w.page).toBe(ROUTES.cues);
    expect(w.screen().texts).toContain('Strength: medium');

    w.tap('Breathe in');
    w.advance(2000);
    expect(w.vibrations().at(-1)?.scene).toBe('DURATION_LONG');
    w.tap('New step');
    w.advance(2000);
    expect(w.vibrations().at(-1)?.scene).toBe('SHORT_MIDDLE');

    w.tap('Strength: medium');
    w.advance(500);
    expect(w.screen().texts).toContain('Strength: strong');
    expect(w.vibrations().at(-1)?.scene).toBe('SHORT_STRONG');
    // Kept on the watch: the page talks to nobody.
    expect(prescriptionSets(w)).toEqual([]);

    w.swipe('RIGHT').advance(300);
    expect(w.page).toBe(ROUTES.home);
    // The question before the session exchanges the prescription: the change made on the watch goes.
    w.tap('Start').advance(2000);
    expect(prescriptionSets(w).some((p) => p.prescription?.strength === 'strong')).toBe(true);
    w.tap('Skip');
    w.advance(11_000);
    const inSession = w.vibrations().filter((v) => v.page === ROUTES.session);
    expect(inSession.length).toBeGreaterThan(0);
    expect(inSession.every((v) => v.scene === 'SHORT_STRONG')).toBe(true);
  });
});
