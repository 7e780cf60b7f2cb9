import { afterEach, describe, expect, it } from 'vitest';
import { decodeProfile, profileReport, type WatchProfile } from '../../core/link/watch-profile';
import { bootWatch, type Watch } from '../runtime';
import { checkedWatch, ROUTES, settleHome, startSession } from '../runtime/flows';
import type { BootOptions } from '../runtime/options';

// The wrist check on the BUILT app (issue 23): the answers decide the session's path on each watch.
let w: Watch | undefined;
afterEach(() => {
  w?.dispose();
  w = undefined;
});

const CUES = 6;

/** From the first-launch offer: every cue answered `felt(i)` (and "yes" to a stronger form), up to the dark step. */
function answerCues(x: Watch, felt: (i: number) => boolean = () => true): void {
  expect(x.page).toBe(ROUTES.check);
  x.tap('Start').advance(500);
  let asked = 0;
  while (x.screen().texts.some((t) => /felt it\?/i.test(t))) {
    const stronger = x.screen().texts.some((t) => t.startsWith('Stronger'));
    x.tap(stronger || felt(asked) ? 'Yes' : 'No').advance(1500);
    if (!stronger) asked++;
  }
  expect(asked).toBe(CUES);
  // A watch with a speaker (every one the double boots but with media.speaker false): the voice, heard.
  if (x.screen().texts.includes('Heard it?')) x.tap('Yes').advance(300);
  expect(x.screen().texts).toContain('Go');
}

/** The timers, the keys step (one click of `key`, the words tapped), and Done: back on home. */
function finishCheck(x: Watch, key: Parameters<Watch['press']>[0] = 'HOME'): void {
  x.advanceUntil((y) => y.screen().texts.includes('Nothing'), 20_000, 200);
  x.press(key).tap('Tap these words').tap('Next').advance(300);
  x.advanceUntil((y) => y.screen().texts.includes('Done'), 5_000, 100);
}

const stored = (x: Watch): WatchProfile => {
  const p = decodeProfile(String(x.storage()['watch.profile']));
  if (!p.ok) throw new Error(p.error);
  return p.value;
};

/** A session from home, left alone for 60 s: who played the cues, and the screen. */
function sixtySeconds(x: Watch): {
  byPage: number;
  byService: number;
  screenOn: boolean;
  brightness: number;
} {
  x.tap('Done').advance(300);
  expect(x.page).toBe(ROUTES.home);
  startSession(x);
  if (x.screen().modal) x.answerModal('CONFIRM');
  const from = x.vibrations().length;
  x.advance(60_000);
  const played = x.vibrations().slice(from);
  return {
    byPage: played.filter((v) => v.page !== undefined && !String(v.page).startsWith('app-service')).length,
    byService: played.filter((v) => String(v.page).startsWith('app-service')).length,
    screenOn: x.display().screenOn,
    brightness: x.display().brightness,
  };
}

describe('Balance 3 (API 4.4): the App Service buzzes after the screen went off', () => {
  const darkAnswer = async (answer: 'Yes' | 'No'): Promise<Watch> => {
    const x = await bootWatch({ device: 'Amazfit Balance 3' });
    x.advance(300);
    answerCues(x);
    x.tap('Go').advance(500);
    // The patient lowers the wrist; the page lets the screen go off; the system closes the app (S1).
    x.advance(25_000);
    expect(x.display().screenOn).toBe(false);
    expect(Object.keys(x.dataFiles())).toContain('check-probe.json');
    x.wake().advance(500);
    expect(x.page).toBe(ROUTES.check);
    expect(x.screen().texts).toContain('Did you feel a buzz while the screen was dark?');
    x.tap(answer).advance(300);
    finishCheck(x, 'SELECT');
    return x;
  };

  it('"felt": the profile says so and the next session runs in the service with the screen off', async () => {
    w = await darkAnswer('Yes');
    const p = stored(w);
    expect(p.dark).toEqual({ type: 'service', felt: 'yes' });
    expect(p.device).toEqual({ name: 'Amazfit Balance 3', source: expect.any(Number) });
    expect(p.api).toBe(4.4);
    expect(p.keys).toEqual(['SELECT']);
    expect(p.textTap).toBe('yes');
    expect(p.lateness?.n).toBe(10);
    expect(p.performance?.usedBytes).toBeGreaterThan(0);
    expect(w.screen().texts.join(' ')).toMatch(/screen off/);
    // The profile reached the phone.
    const sent = w.phone.requests().filter((r) => (r as { method: string }).method === 'profile.put');
    expect(sent).toHaveLength(1);
    expect(w.phone.storage.toObject()[`watch.profile.${p.device.source}`]).toBe(
      String(w.storage()['watch.profile']),
    );
    const s = sixtySeconds(w);
    expect(w.service().running).toBe('app-service/session');
    expect(s.screenOn).toBe(false);
  });

  it('"not felt": the page plays the session with the screen kept on, dimmed', async () => {
    w = await darkAnswer('No');
    expect(stored(w).dark).toEqual({ type: 'service', felt: 'no' });
    const s = sixtySeconds(w);
    expect(w.service().running).toBeUndefined();
    expect(s.byPage).toBeGreaterThan(5);
    expect(s.screenOn).toBe(true);
    expect(s.brightness).toBe(10);
  });

  it('never checked ("Not now"): the page plays it, dimmed, not the service', async () => {
    w = await bootWatch({ device: 'Amazfit Balance 3' });
    w.advance(300).tap('Not now').advance(300);
    expect(w.page).toBe(ROUTES.home);
    startSession(w);
    w.advance(60_000);
    expect(w.service().running).toBeUndefined();
    expect(w.display().screenOn).toBe(true);
    expect(w.display().brightness).toBe(10);
  });
});

describe('Balance (API 3.7): the page lets the screen go off with a timer 15 s ahead', () => {
  const run = async (readings: Partial<BootOptions>): Promise<Watch> => {
    const x = await bootWatch({ device: 'Amazfit Balance', ...readings });
    x.advance(300);
    answerCues(x);
    x.tap('Go').advance(500);
    x.advance(25_000);
    expect(x.display().screenOn).toBe(false);
    x.wake().advance(500);
    if (x.screen().texts.includes('I’m back')) x.tap('I’m back').advance(300);
    finishCheck(x, 'HOME');
    return x;
  };

  it('S1 and T4 proven (page outlives the screen, its timers fire in the dark): the screen goes off in the session', async () => {
    w = await run({ exitAfterScreenOffMs: 10 * 60_000, readings: { timersWhileScreenOff: true } });
    const p = stored(w);
    expect(p.dark).toMatchObject({ type: 'page', outlived: true, fired: true });
    const s = sixtySeconds(w);
    expect(s.byPage).toBeGreaterThan(5);
    expect(s.screenOn).toBe(false);
    expect(w.page).toBe(ROUTES.session);
  });

  it('the harsher readings (closed 10 s after screen-off; timers wait for the screen): dimmed, as today', async () => {
    w = await run({});
    expect(stored(w).dark).toEqual({ type: 'page', outlived: false, fired: null, lateMs: null });
    const s = sixtySeconds(w);
    expect(s.screenOn).toBe(true);
    expect(s.brightness).toBe(10);
  });

  it('the page outlives the screen but its timer waits for the wake (T4 harsh): not proven, dimmed', async () => {
    w = await run({ exitAfterScreenOffMs: 10 * 60_000 });
    expect(stored(w).dark).toMatchObject({ type: 'page', outlived: true, fired: false });
    const s = sixtySeconds(w);
    expect(s.screenOn).toBe(true);
    expect(s.brightness).toBe(10);
  });
});

describe('Bip 5 Unity (API 3.0): a pattern not felt is never played', () => {
  it('the sweep tick "not felt" at medium, felt strong: the session plays every sweep with the strong scene', async () => {
    w = await bootWatch({ device: 'Amazfit Bip 5 Unity' });
    w.advance(300);
    // Order of the check: stepStart, sweepTick, …: the second cue is the sweep tick.
    answerCues(w, (i) => i !== 1);
    w.tap('Skip').advance(300);
    finishCheck(w, 'HOME');
    const p = stored(w);
    expect(p.cues.sweepTick).toEqual([
      { form: 'asSet', answer: 'no' },
      { form: 'strong', answer: 'yes' },
    ]);
    expect(p.dark).toBeNull();
    w.tap('Done').advance(300);
    startSession(w);
    w.advanceUntil((x) => x.page === ROUTES.summary, 30 * 60_000, 1000);
    const lone = w
      .vibrations()
      .filter((v) => v.page === ROUTES.session)
      .filter((v, i, all) => {
        // A lone tick: no other pulse within 1 s either side (a sweep), as the patient would feel it.
        const near = all.filter((o) => o !== v && Math.abs(o.t - v.t) < 1000);
        return near.length === 0 && v.scene.startsWith('SHORT');
      });
    expect(lone.length).toBeGreaterThan(0);
    expect(lone.every((v) => v.scene === 'SHORT_STRONG')).toBe(true);
  });
});

describe('the watch report', () => {
  it('names the device, the API level, each fact with its answer, and the figures', async () => {
    w = await bootWatch({ device: 'Amazfit Bip 5 Unity' });
    w.advance(300);
    answerCues(w, (i) => i !== 3);
    w.tap('Skip').advance(300);
    finishCheck(w, 'HOME');
    const p = stored(w);
    const report = profileReport(p, '1.0.0');
    const lateness = p.lateness!;
    expect(report.split('\n')).toEqual([
      'Decompress 1.0.0: watch report',
      `Device: Amazfit Bip 5 Unity (deviceSource ${p.device.source}), API level 3`,
      `Checked: ${new Date(p.at).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      '',
      'S1 page still open after the screen was off for 15 s: not checked',
      'T4 page timer fired with the screen off: not checked',
      'V2 cue stepStart: felt',
      'V2 cue sweepTick: felt',
      'V2 cue inhale: felt',
      'V2 cue exhale: not felt',
      'V2 cue roundDone: felt',
      'V2 cue sessionDone: felt',
      `T1 timer lateness: max ${lateness.maxMs} ms, 95th percentile ${lateness.p95Ms} ms (10 timers)`,
      'U3 a tap on text reaches the button beneath: yes',
      'U4 keys that arrived: HOME',
      'Memory and load times: not available (API below 4.0)',
    ]);
    // The same text on the phone, under "This watch" in the Settings App, with the answers in words.
    const page = w.phone.openSettings();
    const [field] = page.find('TextInput', 'Watch report (select and copy)');
    expect(field?.props.value).toBe(report);
    expect(page.texts()).toContain('Breathe out: not felt');
    expect(page.texts()).toContain(
      'Sessions keep the screen on, dimmed: the dark was not proven on this watch.',
    );
  });
});

describe('a profile that does not hold', () => {
  it('unreadable: the session runs as on a watch never checked; the check page sets it aside whole', async () => {
    const storage = checkedWatch('Amazfit Balance 3', 'service');
    const damaged = storage['watch.profile']!.slice(0, 40);
    w = await bootWatch({ device: 'Amazfit Balance 3', storage: { ...storage, 'watch.profile': damaged } });
    settleHome(w);
    startSession(w);
    w.advance(30_000);
    expect(w.service().running).toBeUndefined();
    expect(w.display()).toMatchObject({ screenOn: true, brightness: 10 });
    w.dispose();
    w = await bootWatch({ device: 'Amazfit Balance 3', storage: { ...storage, 'watch.profile': damaged } });
    settleHome(w);
    w.tap('Feel the cues').advance(300).tap('Wrist check').advance(300);
    expect(w.page).toBe(ROUTES.check);
    const kept = Object.entries(w.storage()).filter(([k]) => k.startsWith('quarantine.'));
    expect(kept.map(([, v]) => JSON.parse(String(v)) as { key: string; raw: string })).toEqual([
      expect.objectContaining({ key: 'watch.profile', raw: damaged }),
    ]);
    expect(w.storage()['watch.profile']).toBeUndefined();
    expect(w.storage()['watch.session']).toBeUndefined();
  });

  it('made on another watch (a Balance’s, restored onto a Balance 3): ignored, the session dimmed on the page', async () => {
    w = await bootWatch({ device: 'Amazfit Balance 3', storage: checkedWatch('Amazfit Balance', 'dark') });
    settleHome(w);
    startSession(w);
    w.advance(30_000);
    expect(w.service().running).toBeUndefined();
    expect(w.display()).toMatchObject({ screenOn: true, brightness: 10 });
  });
});

describe('the voice in the wrist check (issue 25: "Did you hear it?")', () => {
  it('Balance (API 3.7): the phrase said after the cues; not heard even louder, the voice goes off', async () => {
    w = await bootWatch({ device: 'Amazfit Balance' });
    w.advance(300);
    expect(w.page).toBe(ROUTES.check);
    w.tap('Start').advance(500);
    while (w.screen().texts.some((t) => /felt it\?/i.test(t))) w.tap('Yes').advance(1500);
    // The Voice page's sample, at the volume set (70 % by default), then the question.
    expect(w.screen().texts).toEqual(expect.arrayContaining(['Voice', 'Heard it?']));
    const said = w.sounds().map((s) => s.file);
    expect(said).toEqual(['voice/en-US/name-hold.mp3', 'voice/en-US/breath-inhale.mp3']);
    w.tap('No').advance(3000);
    expect(w.screen().texts).toContain('Louder: heard it?');
    expect(
      w
        .sounds()
        .map((s) => s.file)
        .slice(2),
    ).toEqual(said);
    w.tap('No').advance(300);
    expect(w.dataFiles()['voice-settings.txt']).toBe('off first 70');
    expect(w.screen().texts).toContain('Go');
  });

  it('heard at full volume: the voice on at 100 %', async () => {
    w = await bootWatch({ device: 'Amazfit Balance' });
    w.advance(300).tap('Start').advance(500);
    while (w.screen().texts.some((t) => /felt it\?/i.test(t))) w.tap('Yes').advance(1500);
    w.tap('No').advance(3000).tap('Yes').advance(300);
    expect(w.dataFiles()['voice-settings.txt']).toBe('on first 100');
  });

  it('a watch without a speaker is not asked, and nothing is written', async () => {
    w = await bootWatch({ device: 'Amazfit Balance', media: { speaker: false } });
    w.advance(300).tap('Start').advance(500);
    while (w.screen().texts.some((t) => /felt it\?/i.test(t))) w.tap('Yes').advance(1500);
    expect(w.screen().texts).toContain('Go');
    expect(w.screen().texts).not.toContain('Heard it?');
    expect(w.dataFiles()).not.toHaveProperty('voice-settings.txt');
    expect(w.sounds()).toEqual([]);
  });
});
