import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { bootWatch, type Watch } from '../runtime';
import { ratePain, ROUTES, runSession, settleHome } from '../runtime/flows';

// The BUILT Settings App (setting.js from the .zab) in the double, with the watch and its Side Service:
// what the therapist sees after a real session, an edit refused and one saved, the saved one reaching the
// open watch app, and the CSV.
let w: Watch | undefined;
afterEach(() => {
  w?.dispose();
  w = undefined;
});

describe('the Settings App on the phone', () => {
  it('shows the session the watch logged, refuses a value out of bounds with its bound, saves one within, and exports the CSV', async () => {
    w = await bootWatch({
      device: 'Amazfit Balance',
      start: Date.UTC(2026, 10, 25, 14, 0),
      heartRate: { bpm: () => 70 },
    });
    settleHome(w);
    runSession(w);
    ratePain(w, 4);
    w.advance(1_000);
    w.press('HOME'); // the summary's select: Home
    w.advance(500);
    expect(w.page).toBe(ROUTES.home);

    const page = w.phone.openSettings();
    const texts = page.texts();
    // The session as the therapist reads it (the watch's clock says 14:00 UTC; the phone's is UTC too).
    expect(texts).toContain('Last 1 sessions');
    expect(
      texts.some((t) =>
        /^2026-11-25 14:0\d · completed · 3\/3 rounds · 3 min 37 s · pain 4 · heart rate 70 → 70 bpm$/.test(
          t,
        ),
      ),
    ).toBe(true);
    expect(texts).toContain('Streak: 1 days in a row');

    // A value outside the therapist's bounds is refused, with the bound, and nothing is saved.
    page.input(/^Rounds/, '9');
    w.advance(100);
    expect(page.texts()).toContain('Rounds must be 1–6; got 9.');
    expect(w.phone.storage.getItem('history.prescription')).toBeUndefined();

    // One within is saved with a new revision. Home, open, talks to nobody: the watch takes it at the next
    // Start (the question before the session reaches the phone), and that session runs it.
    page.input(/^Rounds/, '4');
    w.advance(2_000);
    expect(page.texts()).toContain('Saved. The watch uses it from its next session.');
    expect(JSON.parse(w.phone.storage.getItem('history.prescription')!)).toMatchObject({
      revision: 1,
      prescription: { rounds: 4 },
    });
    expect(w.screen().texts).toContain('3 rounds · about 4 min');
    w.tap('Start').advance(500);
    expect(JSON.parse(String(w.storage().prescription))).toMatchObject({
      revision: 1,
      prescription: { rounds: 4 },
    });
    w.swipe('RIGHT').advance(100);
    // 4 rounds of 69 s after a 10 s set-up: 286 s, "about 5 min".
    expect(w.screen().texts).toContain('4 rounds · about 5 min');
    w.tap('Start');
    w.tap('Skip').advance(12_000); // past the 10 s to get ready
    expect(w.screen().texts).toContain('Round 1 of 4');

    // The CSV, opened on demand, holds the session with its rating.
    page.click('Show CSV');
    w.advance(100);
    const [csv] = page.find('TextInput', 'decompress-sessions.csv');
    const rows = Papa.parse<Record<string, string>>(String(csv?.props.value), {
      header: true,
      skipEmptyLines: true,
    });
    expect(rows.errors).toEqual([]);
    expect(rows.data).toHaveLength(1);
    expect(rows.data[0]).toMatchObject({
      outcome: 'completed',
      rounds_done: '3',
      pain_0_10: '4',
      rx_rounds: '3',
      // What the session measured of itself (issue 23), sent by the watch in column list 2: the page
      // played all 50 cues, each as its timer fired (the double fires a timer at its time), with the
      // screen kept on for the 217 s the session ran.
      cue_late_max_ms: '0',
      cue_late_p95_ms: '0',
      cues_by_page: '50',
      cues_by_service: '0',
      screen_on_s: '217',
    });
    // And "This watch" sums it up.
    expect(page.texts()).toEqual(
      expect.arrayContaining([
        'The last 30 sessions, as they measured themselves',
        'Sessions measured: 1',
        'Cue lateness: latest 0 ms, 95th percentile 0 ms (median session)',
        'Cues played by the watch app: 50; handed to its background service: 0',
        'Screen on: 217 s per session',
      ]),
    );
    expect(w.failures()).toEqual([]);
  });
});
