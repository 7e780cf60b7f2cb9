import { describe, expect, it } from 'vitest';
import type { VoiceSettings } from '../../../core/engine/voice';
import type { Haptics } from '../../../core/engine/haptics';
import {
  checkKey,
  checkProgram,
  checkSubs,
  performanceOf,
  TIMER_SERIES,
  updateCheck,
  type CheckEffect,
  type CheckEvent,
  type CheckModel,
} from '../../../core/screens/wrist-check';

const BALANCE_3 = { name: 'Amazfit Balance 3', source: 10092800, api: 4.4, appId: 1093412, utcOffsetMin: 0 };
const BIP = { name: 'Amazfit Bip 5 Unity', source: 7930112, api: 3.0, appId: 1093412, utcOffsetMin: 60 };
const T0 = Date.UTC(2026, 10, 25, 14, 0);

/** Runs events through the program on a fake clock; collects every effect. */
function drive(watch: typeof BIP, haptics: Haptics, progress?: string) {
  const p = checkProgram({ watch, haptics, strength: 'medium', screen: 'dark', now: T0, progress });
  let model = p.init.model;
  const effects: CheckEffect[] = [...p.init.effects];
  const send = (e: CheckEvent): CheckModel => {
    const step = updateCheck(model, e);
    model = step.model;
    effects.push(...step.effects);
    return model;
  };
  return {
    send,
    effects,
    get model() {
      return model;
    },
  };
}

/** Answers the cue questions: `no` for the asked-first forms of the cues named, yes to the rest. */
function answerCues(d: ReturnType<typeof drive>, notFelt: readonly string[] = []): void {
  d.send({ type: 'start', now: T0 });
  while (d.model.step.type === 'cue') {
    const step = d.model.step;
    const first = step.form === 0;
    const cue = ['stepStart', 'sweepTick', 'inhale', 'exhale', 'roundDone', 'sessionDone'][step.cue]!;
    d.send({ type: 'answer', answer: first && notFelt.includes(cue) ? 'no' : 'yes', now: T0 });
  }
}

function timers(d: ReturnType<typeof drive>, now: number, late: (i: number) => number): number {
  let t = now;
  for (let i = 0; i < TIMER_SERIES; i++) {
    const step = d.model.step;
    if (step.type !== 'timers') throw new Error(`expected timers, on ${step.type}`);
    t = step.deadline + late(i);
    d.send({ type: 'wake', now: t, lit: true });
  }
  return t;
}

describe('the wrist check on API 3.0 (scenes)', () => {
  it('asks each cue, a not-felt tick again stronger, and plays each form', () => {
    const d = drive(BIP, 'timed');
    answerCues(d, ['sweepTick']);
    expect(d.model.cues.sweepTick).toEqual([
      { form: 'asSet', answer: 'no' },
      { form: 'strong', answer: 'yes' },
    ]);
    // The sweep was played twice: as set (SHORT_MIDDLE), then strong.
    const plays = d.effects.filter((e) => e.type === 'play');
    expect(plays).toHaveLength(7);
    expect(plays[1]).toEqual({
      type: 'play',
      pattern: { type: 'timed', pulses: [{ atMs: 0, scene: 'VIBRATOR_SCENE_SHORT_MIDDLE' }] },
    });
    expect(plays[2]).toEqual({
      type: 'play',
      pattern: { type: 'timed', pulses: [{ atMs: 0, scene: 'VIBRATOR_SCENE_SHORT_STRONG' }] },
    });
    expect(d.model.step.type).toBe('darkReady');
  });

  it('refuses an answer other than yes, no or skip, and keeps asking', () => {
    const d = drive(BIP, 'timed');
    d.send({ type: 'start', now: T0 });
    const before = d.model.step;
    d.send({ type: 'answer', answer: 'perhaps', now: T0 });
    expect(d.model.step).toEqual(before);
    expect(d.model.refused).toBe('An answer must be yes, no or skip; got "perhaps".');
    d.send({ type: 'answer', answer: 'skip', now: T0 });
    expect(d.model.cues.stepStart).toEqual([{ form: 'asSet', answer: 'skip' }]);
    expect(d.model.refused).toBeNull();
  });

  it('dark check: the page outlived the screen and its timer fired in the dark, 40 ms late', () => {
    const d = drive(BIP, 'timed');
    answerCues(d);
    d.send({ type: 'darkStart', now: T0 + 1000 });
    expect(d.effects.slice(-2)).toEqual([
      { type: 'saveProgress', text: expect.stringContaining('"cues"') },
      { type: 'letScreenOff' },
    ]);
    // The page's own timer, 15 s on; the buttons still skip or say "I'm back".
    expect(checkSubs(d.model)).toEqual([
      { type: 'keys', take: { select: 'input', back: 'input' } },
      { type: 'wake', at: T0 + 16_000 },
    ]);
    d.send({ type: 'wake', now: T0 + 16_040, lit: false });
    // Fired once: no timer is asked for again.
    expect(checkSubs(d.model)).toEqual([{ type: 'keys', take: { select: 'input', back: 'input' } }]);
    d.send({ type: 'back', now: T0 + 30_000 });
    expect(d.model.dark).toEqual({ type: 'page', outlived: true, fired: true, lateMs: 40 });
    expect(d.effects).toContainEqual({ type: 'keepScreen' });
    expect(d.effects).toContainEqual({ type: 'clearProgress' });
  });

  it('dark check: the timer held until the screen came back is no proof (fired: false)', () => {
    const d = drive(BIP, 'timed');
    answerCues(d);
    d.send({ type: 'darkStart', now: T0 });
    d.send({ type: 'wake', now: T0 + 40_000, lit: true });
    d.send({ type: 'back', now: T0 + 41_000 });
    expect(d.model.dark).toEqual({ type: 'page', outlived: true, fired: false, lateMs: 25_000 });
  });

  it('relaunched after the system closed the page in the dark: outlived false, the timer unknown', () => {
    const first = drive(BIP, 'timed');
    answerCues(first, ['inhale']);
    first.send({ type: 'darkStart', now: T0 });
    const saved = first.effects.find((e) => e.type === 'saveProgress');
    const d = drive(BIP, 'timed', saved?.type === 'saveProgress' ? saved.text : undefined);
    expect(d.model.dark).toEqual({ type: 'page', outlived: false, fired: null, lateMs: null });
    expect(d.model.cues).toEqual(first.model.cues);
    expect(d.model.step.type).toBe('timers');
    expect(d.effects.slice(0, 2)).toEqual([{ type: 'keepScreen' }, { type: 'clearProgress' }]);
    // The first timer of the series, 1 s after the relaunch; select does nothing there, back skips.
    expect(checkSubs(d.model)).toEqual([
      { type: 'keys', take: { back: 'input' } },
      { type: 'wake', at: T0 + 1000 },
    ]);
  });

  it('timers, keys and the tap on text make the profile; no getPerformance below 4.0', () => {
    const d = drive(BIP, 'timed');
    answerCues(d);
    d.send({ type: 'skip', now: T0 });
    const lateness = [0, 5, 10, 15, 20, 25, 30, 35, 40, 200];
    const end = timers(d, T0, (i) => lateness[i]!);
    expect(d.model.step.type).toBe('keys');
    d.send({ type: 'key', key: 'HOME' });
    d.send({ type: 'key', key: 'HOME' });
    d.send({ type: 'key', key: 'NOT_A_KEY' });
    d.send({ type: 'textTap' });
    d.send({ type: 'keysDone', now: end + 1000 });
    const profile = d.model.profile!;
    expect(profile.lateness).toEqual({ n: 10, maxMs: 200, p95Ms: 200 });
    expect(profile.keys).toEqual(['HOME']);
    expect(profile.textTap).toBe('yes');
    expect(profile.dark).toBeNull();
    expect(profile.performance).toBeNull();
    expect(profile.at).toBe(end + 1000);
    expect(profile.utcOffsetMin).toBe(60);
    expect(d.effects.at(-1)).toEqual({ type: 'save', profile });
    expect(d.effects.some((e) => e.type === 'readPerformance')).toBe(false);
  });

  it('each timer is armed for its absolute deadline: one late timer does not move the next', () => {
    const d = drive(BIP, 'timed');
    answerCues(d);
    d.send({ type: 'skip', now: T0 });
    expect(checkSubs(d.model)).toContainEqual({ type: 'wake', at: T0 + 1000 });
    d.send({ type: 'wake', now: T0 + 1300, lit: true });
    expect(d.model.step).toEqual({ type: 'timers', next: 1, deadline: T0 + 2000 });
    expect(checkSubs(d.model)).toContainEqual({ type: 'wake', at: T0 + 2000 });
    // Later than a whole spacing: the next no earlier than 1 ms on.
    d.send({ type: 'wake', now: T0 + 3500, lit: true });
    expect(checkSubs(d.model)).toContainEqual({ type: 'wake', at: T0 + 3501 });
  });
});

describe('the wrist check on API 4.4 (the App Service)', () => {
  it('starts the probe, asks after the dark, then reads getPerformance before saving', () => {
    const d = drive(BALANCE_3, 'sequence');
    answerCues(d);
    d.send({ type: 'darkStart', now: T0 });
    expect(d.effects).toContainEqual({ type: 'startProbe', at: T0 + 15_000 });
    // The App Service buzzes, not the page: no timer here.
    expect(checkSubs(d.model)).toEqual([{ type: 'keys', take: { select: 'input', back: 'input' } }]);
    d.send({ type: 'back', now: T0 + 30_000 });
    expect(d.model.step.type).toBe('darkAsk');
    d.send({ type: 'answer', answer: 'yes', now: T0 + 31_000 });
    expect(d.model.dark).toEqual({ type: 'service', felt: 'yes' });
    timers(d, T0 + 31_000, () => 2);
    d.send({ type: 'keysDone', now: T0 + 50_000 });
    expect(d.effects.at(-1)).toEqual({ type: 'readPerformance' });
    d.send({
      type: 'performance',
      now: T0 + 50_001,
      raw: {
        memory: {
          app: [
            { appid: 1, used: 1, peak: 1 },
            { appid: 1093412, used: 5000, peak: 9000 },
          ],
        },
        perf: {
          appid: 1093412,
          modules: [
            { file: 'page/check/index.page', evalTime: 3, createTime: 1, initTime: 2, buildTime: 30 },
          ],
        },
      },
    });
    expect(d.model.profile?.performance).toEqual({
      usedBytes: 5000,
      peakBytes: 9000,
      files: [{ file: 'page/check/index.page', evalMs: 3, createMs: 1, initMs: 2, buildMs: 30 }],
    });
    expect(d.model.profile?.keys).toEqual([]);
  });

  it('relaunched at wake (the page was closed): asks whether the buzz was felt', () => {
    const d = drive(
      BALANCE_3,
      'sequence',
      JSON.stringify({ cues: { inhale: [{ form: 'asSet', answer: 'no' }] } }),
    );
    expect(d.model.step.type).toBe('darkAsk');
    expect(d.model.cues.inhale).toEqual([{ form: 'asSet', answer: 'no' }]);
    expect(checkKey(d.model, 'back', T0)).toEqual({ type: 'answer', answer: 'no', now: T0 });
  });

  it('a getPerformance answer of another shape gives no figures, and the profile is still made', () => {
    expect(performanceOf(undefined, 1)).toBeNull();
    expect(performanceOf({ memory: { app: [{ appid: 1, used: 'x', peak: 2 }] } }, 1)).toBeNull();
    expect(performanceOf({ memory: { app: [{ appid: 1, used: 1, peak: 2 }] } }, 1)).toEqual({
      usedBytes: 1,
      peakBytes: 2,
      files: [],
    });
  });
});

describe('keys and skipping', () => {
  it('the keys step records every key by name instead of select and back, and gives them back after', () => {
    const d = drive(BIP, 'timed');
    answerCues(d);
    d.send({ type: 'skip', now: T0 });
    // The series' first timer, 1 s on; back skips it (select does nothing here).
    expect(checkSubs(d.model)).toEqual([
      { type: 'keys', take: { back: 'input' } },
      { type: 'wake', at: T0 + 1000 },
    ]);
    timers(d, T0, () => 0);
    expect(d.model.step.type).toBe('keys');
    // No timer, no select or back: each key is recorded, none acts.
    expect(checkSubs(d.model)).toEqual([{ type: 'keyNames' }]);
    d.send({ type: 'input', input: 'back', now: T0 + 20_000 });
    expect(d.model.step.type).toBe('keys');
    d.send({ type: 'keysDone', now: T0 + 20_000 });
    expect(d.model.step.type).toBe('done');
    // Done (the profile made): select and back close.
    expect(checkSubs(d.model)).toEqual([{ type: 'keys', take: { select: 'input', back: 'input' } }]);
    d.send({ type: 'input', input: 'select', now: T0 + 21_000 });
    expect(d.effects.at(-1)).toEqual({ type: 'leave', home: false });
  });

  it('on 4.0 the buttons are left to the system while getPerformance is read, then close', () => {
    const d = drive(BALANCE_3, 'sequence');
    d.send({ type: 'start', now: T0 });
    while (d.model.step.type !== 'keys') d.send({ type: 'skip', now: T0 });
    expect(checkSubs(d.model)).toEqual([{ type: 'keyNames' }]);
    d.send({ type: 'keysDone', now: T0 });
    expect(checkSubs(d.model)).toEqual([]);
    d.send({ type: 'performance', raw: null, now: T0 });
    expect(checkSubs(d.model)).toEqual([{ type: 'keys', take: { select: 'input', back: 'input' } }]);
  });

  it('an input taken does what checkKey says: select starts, back answers no', () => {
    const d = drive(BIP, 'timed');
    expect(checkSubs(d.model)).toEqual([{ type: 'keys', take: { select: 'input', back: 'input' } }]);
    d.send({ type: 'input', input: 'select', now: T0 });
    expect(d.model.step).toEqual({ type: 'cue', cue: 0, form: 0 });
    d.send({ type: 'input', input: 'back', now: T0 });
    expect(d.model.cues.stepStart).toEqual([{ form: 'asSet', answer: 'no' }]);
  });

  it('select answers yes and back no; Not now leaves at once', () => {
    const d = drive(BIP, 'timed');
    expect(checkKey(d.model, 'select', T0)).toEqual({ type: 'start', now: T0 });
    d.send({ type: 'skip', now: T0 });
    expect(d.effects).toEqual([{ type: 'keepScreen' }, { type: 'leave', home: false }]);
  });

  it('skipping every step still makes a profile, every answer "skip"', () => {
    const d = drive(BIP, 'timed');
    d.send({ type: 'start', now: T0 });
    while (d.model.step.type !== 'done') d.send({ type: 'skip', now: T0 });
    const p = d.model.profile!;
    expect(Object.values(p.cues).every((a) => a.length === 1 && a[0]!.answer === 'skip')).toBe(true);
    expect(p).toMatchObject({ dark: null, lateness: null, keys: null, textTap: 'skip' });
  });
});

describe('leaving', () => {
  it('Done goes back to the page beneath, or to home after a wake relaunch (nothing beneath)', () => {
    const d = drive(BIP, 'timed');
    d.send({ type: 'start', now: T0 });
    while (d.model.step.type !== 'done') d.send({ type: 'skip', now: T0 });
    d.send({ type: 'close' });
    expect(d.effects.at(-1)).toEqual({ type: 'leave', home: false });
    const r = drive(BIP, 'timed', JSON.stringify({ cues: {} }));
    while (r.model.step.type !== 'done') r.send({ type: 'skip', now: T0 });
    r.send({ type: 'close' });
    expect(r.effects.at(-1)).toEqual({ type: 'leave', home: true });
  });
});

describe('the voice, on a watch with a speaker (issue 25: "Did you hear it?")', () => {
  /** The check on a Balance (API 3.7) with a speaker and the voice settings given, past the cues. */
  function toVoice(voice: VoiceSettings = { on: true, volume: 70, breaths: 'first' }) {
    const p = checkProgram({
      watch: { ...BIP, name: 'Amazfit Balance', api: 3.7 },
      haptics: 'sequence',
      strength: 'medium',
      screen: 'dark',
      now: T0,
      speaker: true,
      voice,
    });
    let model = p.init.model;
    let effects: CheckEffect[] = [];
    const send = (e: CheckEvent): void => {
      const step = updateCheck(model, e);
      model = step.model;
      effects = [...step.effects];
    };
    send({ type: 'start', now: T0 });
    while (model.step.type === 'cue') send({ type: 'answer', answer: 'yes', now: T0 });
    return {
      send,
      get model() {
        return model;
      },
      get effects() {
        return effects;
      },
    };
  }
  // The Voice page's sample: the hold's name and "Breathe in" (core/screens/voice VOICE_SAMPLE).
  const SAMPLE = ['name-hold', 'breath-inhale'];

  it('after the cues, a phrase is said at the volume set: heard, the voice stays on at it', () => {
    const d = toVoice();
    expect(d.model.step).toEqual({ type: 'hear', louder: false });
    expect(d.effects).toEqual([{ type: 'say', clips: SAMPLE, volume: 70 }]);
    d.send({ type: 'answer', answer: 'yes', now: T0 });
    expect(d.effects).toEqual([{ type: 'saveVoice', text: 'on first 70' }]);
    expect(d.model.step.type).toBe('darkReady');
  });

  it('not heard: said again at full volume; heard then, the voice is on at 100', () => {
    const d = toVoice({ on: false, volume: 40, breaths: 'first' });
    d.send({ type: 'answer', answer: 'no', now: T0 });
    expect(d.model.step).toEqual({ type: 'hear', louder: true });
    expect(d.effects).toEqual([{ type: 'say', clips: SAMPLE, volume: 100 }]);
    d.send({ type: 'again' });
    expect(d.effects).toEqual([{ type: 'say', clips: SAMPLE, volume: 100 }]);
    d.send({ type: 'answer', answer: 'yes', now: T0 });
    expect(d.effects).toEqual([{ type: 'saveVoice', text: 'on first 100' }]);
  });

  it('not heard at full volume either: the voice goes off, so no session relies on it', () => {
    const d = toVoice({ on: true, volume: 70, breaths: 'every' });
    d.send({ type: 'answer', answer: 'no', now: T0 });
    d.send({ type: 'answer', answer: 'no', now: T0 });
    expect(d.effects).toEqual([{ type: 'saveVoice', text: 'off every 70' }]);
    expect(d.model.step.type).toBe('darkReady');
  });

  it('skipped, or answered skip: the settings as they were; the keys answer as for a cue', () => {
    const skipped = toVoice();
    skipped.send({ type: 'skip', now: T0 });
    expect(skipped.effects).toEqual([]);
    expect(skipped.model.step.type).toBe('darkReady');
    const answered = toVoice();
    answered.send({ type: 'answer', answer: 'skip', now: T0 });
    expect(answered.effects).toEqual([]);
    expect(checkKey(toVoice().model, 'back', T0)).toEqual({ type: 'answer', answer: 'no', now: T0 });
  });

  it('a watch without a speaker is not asked: from the cues straight to the dark', () => {
    const d = drive({ ...BIP, name: 'Amazfit Balance', api: 3.7 }, 'sequence');
    answerCues(d);
    expect(d.model.step.type).toBe('darkReady');
    expect(d.effects.some((e) => e.type === 'say')).toBe(false);
  });
});
