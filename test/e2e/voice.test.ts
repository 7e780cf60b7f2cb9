import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PRESCRIPTION } from '../../core/plan/prescription';
import { buildTimeline } from '../../core/engine/timeline';
import { bootWatch, type BootOptions, type Watch } from '../runtime';
import { checkedWatch, ROUTES, runSession, settleHome } from '../runtime/flows';

// Spoken guidance on the BUILT app, in the runtime double's @zos/media Player (test/runtime/zos/media.ts):
// the App Service speaks (API 4 watches, the session handed to it; README "Spoken guidance").
// The cue times come from the timeline of the default prescription; the phrases expected at them are
// written out here from the README's routine and the catalogue's texts, not from core/engine/voice.
const timeline = buildTimeline(DEFAULT_PRESCRIPTION);
if (!timeline.ok) throw new Error('the default prescription does not build a timeline');
const { cues, totalMs } = timeline.value;

/** The default session's first round, cue by cue (seconds from the start), with what is said at it. */
const ROUND_1: readonly (readonly [number, readonly string[]])[] = [
  [0, ['step-setup']],
  [10, ['round-1', 'of-3', 'step-lengthen']],
  [18, ['name-sweeps', 'sweep-overhead']],
  [21, ['sweep-toSky']],
  [24, ['sweep-overhead']],
  [27, ['sweep-toSky']],
  [30, ['sweep-overhead']],
  [33, ['sweep-restOverhead']],
  [36, ['step-ribsDown']],
  [42, ['name-hold', 'breath-inhale']],
  [46, ['breath-exhale']],
  [52, ['breath-inhale']],
  [56, ['breath-exhale']],
  [62, ['breath-inhale']],
  [66, ['breath-exhale']],
  [72, ['step-return']],
  [76, ['step-relax']],
  [79, ['round-2', 'of-3', 'step-lengthen']],
];

let w: Watch | undefined;
afterEach(() => {
  w?.dispose();
  w = undefined;
});

/** The clips heard, in order, with when each started (ms from the first cue) and where it played. */
const heard = (x: Watch, startedAt: number) =>
  x.sounds().map((s) => ({ file: s.file, at: s.t - startedAt, context: s.context, screenOn: s.screenOn }));

/** Each phrase's first clip starts at its cue (prepared ahead), or within its PREPARE (150 ms) of it. */
function expectOnCue(x: Watch, startedAt: number, lang: string): void {
  const got = heard(x, startedAt);
  const firsts = ROUND_1.map(([s, clips]) => ({ s, file: `voice/${lang}/${clips[0]}.mp3` }));
  for (const { s, file } of firsts) {
    // The first phrase waits for the service to start, then for its PREPARE.
    const late = s === 0 ? 400 : 150;
    const at = got.find((g) => g.file === file && g.at >= s * 1000 && g.at <= s * 1000 + late);
    expect(at, `${file} at ${s} s`).toBeDefined();
  }
  // And every clip of every phrase, in order.
  const inOrder = got.filter((g) => g.at < 87_000).map((g) => g.file);
  expect(inOrder).toEqual(ROUND_1.flatMap(([, clips]) => clips.map((c) => `voice/${lang}/${c}.mp3`)));
}

/** Home's Start, then Skip on the question before the session, in the watch's language. */
const START: Record<string, readonly [string, string]> = {
  'en-US': ['Start', 'Skip'],
  'es-ES': ['Empezar', 'Omitir'],
};

async function sessionOn(device: string, opts: Partial<BootOptions> & { language: string }) {
  // A watch whose wrist check felt the service's buzz in the dark (issue 23): the service plays the session.
  const x = await bootWatch({
    device,
    ...opts,
    storage: { ...checkedWatch(device, 'service'), ...opts.storage },
  });
  settleHome(x);
  const [start, skip] = START[opts.language]!;
  x.tap(start);
  expect(x.page).toBe(ROUTES.before);
  x.tap(skip);
  // The session page gives the session to the page of the App Service's path (page/service-session).
  expect(x.page).toBe(ROUTES.serviceSession);
  return x;
}

describe('Amazfit Balance 3 (API 4.4): the App Service speaks with the screen off', () => {
  it.each(['en-US', 'es-ES'])(
    '%s: the service plays every phrase with its cue, screen off, page closed',
    async (lang) => {
      w = await sessionOn('Amazfit Balance 3', { language: lang });
      const startedAt = w.vibrations()[0]!.t;
      w.answerModal('CONFIRM');
      expect(w.service().running).toBe('app-service/session');
      w.advance(5_000);
      w.wristDown();
      w.advance(15_000);
      expect(w.running).toBe(false);
      w.advance(totalMs);
      expect(w.service().running).toBeUndefined();
      expect(w.vibrations().map((v) => v.t - startedAt)).toEqual(cues.map((c) => c.atMs));
      expectOnCue(w, startedAt, lang);
      const got = heard(w, startedAt);
      // The first phrase is the page's (it plays the first cue); from round 1 on, the service's, screen off.
      const fromRound1 = got.filter((g) => g.at >= 10_000);
      expect(fromRound1.every((g) => g.context === 'service' && !g.screenOn)).toBe(true);
      const done = w.sounds().find((s) => s.file === `voice/${lang}/session-done.mp3`)!;
      expect(done.context).toBe('service');
      expect(done.heardMs).toBe(done.ms);
    },
  );
});

/** The src of the picture on screen (the IMG of the Voice page). */
const pictureOn = (x: Watch): unknown => x.screen().widgets.find((g) => g.type === 'IMG')?.props.src;

/** Writes the voice settings file as "Feel the cues" keeps it (core/watch/voice). */
const setVoice = (x: Watch, text: string): void =>
  void x.exec(
    `__$$R$$__('@zos/fs').writeFileSync({ path: 'voice-settings.txt', data: '${text}', options: { encoding: 'utf8' } })`,
  );

/** A session on the Balance 3 handed to the App Service, the screen off, played to its end. */
async function serviceSession(opts: Partial<BootOptions> = {}, voice?: string) {
  const x = await bootWatch({
    device: 'Amazfit Balance 3',
    ...opts,
    storage: { ...checkedWatch('Amazfit Balance 3', 'service'), ...opts.storage },
  });
  settleHome(x);
  if (voice) setVoice(x, voice);
  x.tap('Start');
  x.tap('Skip');
  x.answerModal('CONFIRM');
  x.advance(5_000);
  x.wristDown();
  x.advance(totalMs + 10_000);
  expect(x.service().running).toBeUndefined();
  return x;
}

describe('what leaves the cues alone', () => {
  it('a watch without a speaker: every cue, no sound, no error', async () => {
    w = await serviceSession({ media: { speaker: false } });
    expect(w.vibrations()).toHaveLength(cues.length);
    expect(w.sounds()).toEqual([]);
    expect(w.failures()).toEqual([]);
  });

  it('an unreadable clip is skipped in silence; the rest of its phrase and every cue go on', async () => {
    w = await serviceSession({ media: { unreadable: ['voice/en-US/of-3.mp3'] } });
    expect(w.vibrations()).toHaveLength(cues.length);
    const files = w.sounds().map((s) => s.file);
    expect(files).not.toContain('voice/en-US/of-3.mp3');
    expect(files.filter((f) => f === 'voice/en-US/round-2.mp3')).toHaveLength(1);
    expect(files.filter((f) => f === 'voice/en-US/step-lengthen.mp3')).toHaveLength(3);
  });

  it('voice off in the settings: the cues alone', async () => {
    w = await serviceSession({}, 'off first 70');
    expect(w.vibrations()).toHaveLength(cues.length);
    expect(w.sounds()).toEqual([]);
  });

  it('every breath, at the volume chosen on the Voice page (Feel the cues, last row)', async () => {
    const x = await bootWatch({
      device: 'Amazfit Balance 3',
      storage: checkedWatch('Amazfit Balance 3', 'service'),
    });
    w = x;
    settleHome(x);
    x.tap('Feel the cues');
    x.tap('Voice');
    expect(x.page).toBe(ROUTES.voice);
    expect(x.screen().texts).toEqual(['Get ready ›', 'Voice: first hold', 'Volume: 70%']);
    // Show and tell: the step's picture; its name shows the next step and says it.
    expect(pictureOn(x)).toBe('pictures/setup.png');
    x.tap('Get ready ›');
    x.advance(4000);
    expect(pictureOn(x)).toBe('pictures/lengthen.png');
    expect(x.sounds().map((s) => s.file)).toEqual(['voice/en-US/step-lengthen.mp3']);
    const shown = x.sounds().length;
    x.tap('Voice: first hold');
    x.advance(2000);
    // Heard at once: the sample, at the volume set.
    expect(
      x
        .sounds()
        .slice(shown)
        .map((s) => [s.file, s.volume]),
    ).toEqual([
      ['voice/en-US/name-hold.mp3', 70],
      ['voice/en-US/breath-inhale.mp3', 70],
    ]);
    x.tap('Volume: 70%');
    x.tap('Volume: 100%');
    expect(x.screen().texts).toContain('Volume: 40%');
    expect(x.dataFiles()['voice-settings.txt']).toBe('on every 40');
    x.swipe('RIGHT');
    x.swipe('RIGHT');
    x.advance(500);
    expect(x.page).toBe(ROUTES.home);
    const before = x.sounds().length;
    x.tap('Start');
    x.tap('Skip');
    x.answerModal('CONFIRM');
    x.advance(5_000);
    x.wristDown();
    x.advance(totalMs + 10_000);
    const session = x.sounds().slice(before);
    expect(session.filter((s) => /breath-/.test(s.file))).toHaveLength(18);
    expect(session.every((s) => s.volume === 40 && s.context === 'service')).toBe(true);
  });

  it('the Voice page on a watch without a speaker: off, a note, taps change nothing, no error', async () => {
    w = await bootWatch({
      device: 'Amazfit Balance 3',
      media: { speaker: false },
      storage: checkedWatch('Amazfit Balance 3', 'service'),
    });
    settleHome(w);
    w.tap('Feel the cues');
    w.tap('Voice');
    expect(w.screen().texts).toEqual([
      'Get ready ›',
      'No speaker on this watch: the cues alone',
      'Voice: off',
    ]);
    // The pictures still turn, in silence.
    w.tap('Get ready ›');
    expect(pictureOn(w)).toBe('pictures/lengthen.png');
    w.tap('Voice: off');
    expect(w.screen().texts).toContain('Voice: off');
    expect(w.dataFiles()).not.toHaveProperty('voice-settings.txt');
    expect(w.sounds()).toEqual([]);
    expect(w.failures()).toEqual([]);
  });
});

describe('Amazfit Balance (API 3.7): the session page speaks with the cues it plays', () => {
  it.each(['en-US', 'es-ES'])(
    '%s: every phrase with its cue, from the page, the screen on and low; "Well done" heard whole',
    async (lang) => {
      // The wrist check offered once already (its "Not now" is in the watch's language).
      w = await bootWatch({ device: 'Amazfit Balance', language: lang, storage: { 'check.offered': '1' } });
      settleHome(w);
      const [start, skip] = START[lang]!;
      w.tap(start).tap(skip);
      expect(w.page).toBe(ROUTES.session);
      const startedAt = w.vibrations()[0]!.t;
      w.advanceUntil((x) => x.page === ROUTES.summary, 10 * 60_000, 500);
      expect(w.vibrations().map((v) => v.t - startedAt)).toEqual(cues.map((c) => c.atMs));
      expectOnCue(w, startedAt, lang);
      expect(heard(w, startedAt).every((g) => g.context === 'page' && g.screenOn)).toBe(true);
      const done = w.sounds().find((s) => s.file === `voice/${lang}/session-done.mp3`)!;
      // At its cue, or within its PREPARE where the phrase before it was still being said.
      expect(done.t - startedAt).toBeGreaterThanOrEqual(totalMs);
      expect(done.t - startedAt).toBeLessThanOrEqual(totalMs + 150);
      // The summary opens once it is said, not over it.
      expect(done.heardMs).toBe(done.ms);
    },
  );

  it('voice off on Feel the cues: the page plays the cues alone', async () => {
    w = await bootWatch({ device: 'Amazfit Balance' });
    settleHome(w);
    setVoice(w, 'off first 70');
    runSession(w);
    expect(w.vibrations()).toHaveLength(cues.length);
    expect(w.sounds()).toEqual([]);
  });

  it('a page with no speaker: the cues alone, on time, and the summary at once', async () => {
    w = await bootWatch({ device: 'Amazfit Balance', media: { speaker: false } });
    settleHome(w);
    runSession(w);
    expect(w.vibrations()).toHaveLength(cues.length);
    expect(w.sounds()).toEqual([]);
    expect(w.failures()).toEqual([]);
  });
});
