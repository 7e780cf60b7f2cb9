import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore } from '../../core/base/kv';
import { openHistory } from '../../core/phone/history';
import { makeLog, seededRandom } from '../support/sync-fixtures';
import { bootWatch, type Watch } from '../runtime';
import { ratePain, ROUTES, runSession, settleHome } from '../runtime/flows';

// Home talks to nobody (no zml on the page): what it shows of the phone's side (today's count and a
// streak longer than the watch's own 8 recent days) is what the last page that reached the phone kept.
// On the BUILT app. Madrid in November: UTC+1; boot at 15:00 local.
const BOOT = Date.UTC(2026, 10, 25, 14, 0);
const OFFSET = 60;

let w: Watch | undefined;
afterEach(() => {
  w?.dispose();
  w = undefined;
});

/** The phone's history: one completed session each morning of the 20 days before the boot day. */
function twentyDays(): Record<string, string> {
  const store = memoryStore();
  const history = openHistory(store, { now: BOOT });
  const random = seededRandom(7);
  const logs = Array.from({ length: 20 }, (_, i) =>
    makeLog(random, Date.UTC(2026, 10, 24 - i, 9, 0), { outcome: 'completed' }),
  );
  expect(history.appendAll(logs).ok).toBe(true);
  return store.dump();
}

describe('home shows the phone’s day as the last page that reached the phone kept it', () => {
  it('a 21-day streak after the summary reached the phone, and still the next morning; nothing while no page has', async () => {
    w = await bootWatch({
      device: 'Amazfit Balance',
      start: BOOT,
      utcOffsetMinutes: OFFSET,
      settings: twentyDays(),
    });
    settleHome(w, 1_000);
    // Nothing heard from the phone yet, nothing logged on the watch.
    expect(w.screen().texts).toContain('Today 0 of 1');
    expect(w.phone.requests()).toEqual([]);

    // The question before the session asks the phone: 20 days through yesterday.
    w.tap('Start').advance(500);
    w.swipe('RIGHT').advance(100);
    expect(w.page).toBe(ROUTES.home);
    expect(w.screen().texts).toContain('Today 0/1 · 20-day streak');

    // After the session the summary sends its log and asks again once the phone took it.
    runSession(w);
    ratePain(w, 2);
    w.advance(2_000);
    w.tap('Home').advance(500);
    expect(w.page).toBe(ROUTES.home);
    expect(w.screen().texts).toContain('Today 1/1 · 21-day streak');
    expect(w.screen().texts.some((t) => /to sync/.test(t))).toBe(false);

    // The next morning at 08:00: yesterday's 21 days still stand, today has none yet.
    w.exit();
    w.advanceTo(Date.UTC(2026, 10, 26, 7, 0));
    w.wake();
    w.launch();
    settleHome(w);
    expect(w.screen().texts).toContain('Today 0/1 · 21-day streak');
    expect(w.failures()).toEqual([]);
  });
});
