import { describe, expect, it } from 'vitest';
import { hapticsFor } from '../../../core/engine/haptics';
import { beginFlow, updateFlow, type FlowResult } from '../../../core/engine/session-flow';
import { createSession } from '../../../core/engine/session';
import { buildTimeline, type Timeline } from '../../../core/engine/timeline';
import { clipTexts } from '../../../core/engine/voice-clips';
import {
  nextClip,
  phraseOf,
  speak,
  SPEAKER_IDLE,
  spokenAfter,
  spokenOnTakeover,
  type BreathVoice,
  type Speaker,
  type SpeakerCommand,
  type SpeakerEvent,
} from '../../../core/engine/voice';
import { BOUNDS, DEFAULT_PRESCRIPTION } from '../../../core/plan/prescription';
import { decodeVoice, encodeVoice, nextVoice, nextVolume } from '../../../core/watch/voice';
import { catalogTranslator, readCatalogs } from '../../support/catalog';

const timeline = (over: object = {}): Timeline => {
  const built = buildTimeline({ ...DEFAULT_PRESCRIPTION, ...over });
  if (!built.ok) throw new Error('bad prescription');
  return built.value;
};

/** Every cue that says something, as `seconds: clips`. */
const spoken = (t: Timeline, breaths: BreathVoice): string[] =>
  t.cues
    .map((c) => ({ at: c.atMs / 1000, clips: phraseOf(t, c, breaths) }))
    .filter((c) => c.clips.length > 0)
    .map((c) => `${c.at}: ${c.clips.join(' ')}`);

describe('which phrase goes with which cue (the README routine, default pacing)', () => {
  // The README's table: get ready 10 s, lengthen 8 s, 3 sweeps of 3 s halves, one 6 s exhale,
  // a hold of 3 breaths (4 s in, 6 s out), return 4 s, relax 3 s; 3 rounds.
  const round1 = [
    '0: step-setup',
    '10: round-1 of-3 step-lengthen',
    '18: name-sweeps sweep-overhead',
    '21: sweep-toSky',
    '24: sweep-overhead',
    '27: sweep-toSky',
    '30: sweep-overhead',
    '33: sweep-restOverhead',
    '36: step-ribsDown',
    '42: name-hold breath-inhale',
    '46: breath-exhale',
    '52: breath-inhale',
    '56: breath-exhale',
    '62: breath-inhale',
    '66: breath-exhale',
    '72: step-return',
    '76: step-relax',
  ];

  it('the first hold only: breaths are spoken in round 1, later holds say their name alone', () => {
    const said = spoken(timeline(), 'first');
    expect(said.slice(0, round1.length)).toEqual(round1);
    // Round 2 starts 69 s after round 1 (8 + 18 + 6 + 30 + 4 + 3).
    expect(said.slice(round1.length, round1.length + 12)).toEqual([
      '79: round-2 of-3 step-lengthen',
      '87: name-sweeps sweep-overhead',
      '90: sweep-toSky',
      '93: sweep-overhead',
      '96: sweep-toSky',
      '99: sweep-overhead',
      '102: sweep-restOverhead',
      '105: step-ribsDown',
      '111: name-hold',
      '141: step-return',
      '145: step-relax',
      '148: round-3 of-3 step-lengthen',
    ]);
    // The session's end: 10 + 3 × 69 = 217 s.
    expect(said[said.length - 1]).toBe('217: session-done');
  });

  it('every breath: each hold speaks its six breaths', () => {
    const said = spoken(timeline(), 'every');
    expect(said.filter((s) => /breath-inhale/.test(s))).toHaveLength(9);
    expect(said.filter((s) => /breath-exhale/.test(s))).toHaveLength(9);
    expect(said).toContain('111: name-hold breath-inhale');
    expect(said).toContain('115: breath-exhale');
  });

  it('a single round says no round number', () => {
    const said = spoken(timeline({ rounds: 1 }), 'first');
    expect(said.some((s) => /round-|of-/.test(s))).toBe(false);
    expect(said[1]).toBe('10: step-lengthen');
  });

  it('the clip prepared ahead is the next phrase’s first', () => {
    const t = timeline();
    expect(nextClip(t, 0, 'first')).toBe('round-1');
    // After round 2's second exhale cue (115 s), the first mode is silent until "Return" at 141 s.
    const i = t.cues.findIndex((c) => c.atMs === 115_000);
    expect(nextClip(t, i, 'first')).toBe('step-return');
    expect(nextClip(t, i, 'every')).toBe('breath-inhale');
    expect(nextClip(t, t.cues.length - 1, 'first')).toBeNull();
  });

  it('every clip any prescription asks for has a text (so scripts/voice.ts makes it)', () => {
    const texts = clipTexts((key) => key);
    for (let rounds = BOUNDS.rounds.min; rounds <= BOUNDS.rounds.max; rounds++)
      for (const breaths of ['first', 'every'] as const) {
        const t = timeline({ rounds, sweeps: 1, holdBreaths: 2 });
        for (const c of t.cues)
          for (const clip of phraseOf(t, c, breaths)) expect(texts).toHaveProperty(clip);
      }
  });
});

describe('the clips say the screen’s own words', () => {
  const catalogs = readCatalogs('page');
  it('in en-US, es-ES and zh-CN, from page/i18n/*.po', () => {
    const en = clipTexts(catalogTranslator(catalogs['en-US']));
    expect(en['step-lengthen']).toBe('Lengthen. Walk your shoulders away from your hips');
    expect(en['breath-inhale']).toBe('Breathe in');
    expect(en['session-done']).toBe('Well done. Rest a moment');
    expect(`${en['round-2']} ${en['of-3']}`).toBe('Round 2 of 3');
    const es = clipTexts(catalogTranslator(catalogs['es-ES']));
    expect(`${es['round-2']} ${es['of-3']}`).toBe('Ronda 2 de 3');
    const zh = clipTexts(catalogTranslator(catalogs['zh-CN']));
    expect(`${zh['round-2']}，${zh['of-3']}`).toBe('第2轮，共3轮');
    for (const texts of [en, es, zh])
      for (const [clip, text] of Object.entries(texts)) {
        expect(text, clip).not.toMatch(/\{|\}|^step\.|^voice\.|^sweep\.|^breath\./);
      }
  });
});

/**
 * A player on a fake clock: PREPARE answers `prepareMs` after prepare() (false for a clip in `bad`),
 * COMPLETE `clipMs` after start(). Returns when each clip started.
 */
function simulate(
  cues: readonly { at: number; say: string[]; ahead: string | null }[],
  opts: { prepareMs?: number; clipMs?: number; bad?: readonly string[] } = {},
) {
  const prepareMs = opts.prepareMs ?? 150;
  const clipMs = opts.clipMs ?? 1000;
  let s: Speaker = SPEAKER_IDLE;
  let loaded: string | null = null;
  const started: { clip: string; at: number }[] = [];
  const commands: { at: number; c: SpeakerCommand }[] = [];
  let pending: { at: number; event: SpeakerEvent } | null = null;
  const run = (at: number, event: SpeakerEvent): void => {
    const step = speak(s, event);
    s = step.speaker;
    for (const c of step.commands) {
      commands.push({ at, c });
      if (c.type === 'load') {
        loaded = c.clip;
        pending = { at: at + prepareMs, event: { type: 'prepared', ok: !(opts.bad ?? []).includes(c.clip) } };
      } else if (c.type === 'start') {
        started.push({ clip: loaded!, at });
        pending = { at: at + clipMs, event: { type: 'complete' } };
      } else pending = null;
    }
  };
  const queue = [...cues];
  for (;;) {
    const cue = queue[0];
    const p = pending as { at: number; event: SpeakerEvent } | null;
    if (p && (!cue || p.at < cue.at)) {
      pending = null;
      run(p.at, p.event);
    } else if (cue) {
      queue.shift();
      run(cue.at, { type: 'cue', say: cue.say, ahead: cue.ahead });
    } else break;
  }
  return { started, commands, speaker: s };
}

describe('the player: each next phrase prepared ahead, started at its cue', () => {
  it('the first phrase waits for PREPARE; the next one, prepared ahead, starts at its cue', () => {
    const { started, commands } = simulate([
      { at: 0, say: ['step-setup'], ahead: 'round-1' },
      { at: 10_000, say: ['round-1', 'of-3', 'step-lengthen'], ahead: 'name-sweeps' },
      { at: 18_000, say: ['name-sweeps', 'sweep-overhead'], ahead: 'sweep-toSky' },
    ]);
    expect(started).toEqual([
      { clip: 'step-setup', at: 150 },
      { clip: 'round-1', at: 10_000 },
      // The rest of a phrase follows each clip's end, once prepared.
      { clip: 'of-3', at: 11_150 },
      { clip: 'step-lengthen', at: 12_300 },
      { clip: 'name-sweeps', at: 18_000 },
      { clip: 'sweep-overhead', at: 19_150 },
    ]);
    // At 10 s only a start: the load was done ahead, after the first phrase ended (1 150 ms).
    expect(commands.filter((c) => c.at === 10_000).map((c) => c.c)).toEqual([{ type: 'start' }]);
    expect(commands.find((c) => c.c.type === 'load' && c.c.clip === 'round-1')?.at).toBe(1150);
  });

  it('a cue that finds the last phrase still speaking cuts it and says its own', () => {
    const { started, commands } = simulate(
      [
        { at: 0, say: ['name-sweeps', 'sweep-overhead'], ahead: 'sweep-toSky' },
        { at: 2000, say: ['sweep-toSky'], ahead: null },
      ],
      { clipMs: 1900 },
    );
    // "Arm sweeps" (150 → 2 050 ms) is still speaking at 2 s: "Arms overhead" is never said.
    expect(started.map((s) => s.clip)).toEqual(['name-sweeps', 'sweep-toSky']);
    expect(started[1]!.at).toBe(2150);
    expect(commands.find((c) => c.at === 2000)?.c).toEqual({ type: 'load', clip: 'sweep-toSky' });
  });

  it('a clip that cannot be prepared is skipped in silence, and the rest still said', () => {
    const { started } = simulate(
      [
        { at: 0, say: ['round-1', 'of-3', 'step-lengthen'], ahead: null },
        { at: 8000, say: ['name-sweeps'], ahead: null },
      ],
      { bad: ['of-3'] },
    );
    expect(started.map((s) => s.clip)).toEqual(['round-1', 'step-lengthen', 'name-sweeps']);
  });

  it('nothing said: a resting player only prepares the next phrase, and rests after the last', () => {
    const { speaker, commands } = simulate([
      { at: 0, say: [], ahead: 'step-return' },
      { at: 5000, say: ['step-return'], ahead: null },
    ]);
    expect(commands[0]).toEqual({ at: 0, c: { type: 'load', clip: 'step-return' } });
    expect(commands.filter((c) => c.at === 5000).map((c) => c.c)).toEqual([{ type: 'start' }]);
    expect(speaker.clip).toBeNull();
  });
});

describe('the cue a transition just played, and its phrase (what the App Service says)', () => {
  const T0 = 1_000_000;
  const played = (r: FlowResult) => r.effects.find((e) => e.type === 'play');

  it('at the start, at each wake, and after a skip', () => {
    const created = createSession(DEFAULT_PRESCRIPTION);
    if (!created.ok) throw new Error('no session');
    let r = beginFlow(created.value, { logId: 'x', utcOffsetMin: 0 }, hapticsFor(4.4), T0, null);
    const say = (): readonly string[] | undefined => {
      const p = played(r);
      return p?.type === 'play' ? spokenAfter(r.model.session, p.cue, 'first')?.say : undefined;
    };
    expect(say()).toEqual(['step-setup']);
    r = updateFlow(r.model, { type: 'wake', now: T0 + 10_000 });
    expect(say()).toEqual(['round-1', 'of-3', 'step-lengthen']);
    r = updateFlow(r.model, { type: 'wake', now: T0 + 18_000 });
    expect(say()).toEqual(['name-sweeps', 'sweep-overhead']);
    // Skipping the sweeps: ribs down's exhale plays at once.
    r = updateFlow(r.model, { type: 'skip', now: T0 + 19_000 });
    expect(say()).toEqual(['step-ribsDown']);
    // Taken over by the App Service 1.5 s after the page played ribs down's cue: its phrase is said;
    // 2.5 s after, it is stale (the late-wake rule's 2 s) and nothing is.
    expect(spokenOnTakeover(r.model.session, T0 + 20_500, 'first')?.say).toEqual(['step-ribsDown']);
    expect(spokenOnTakeover(r.model.session, T0 + 21_500, 'first')).toBeNull();
    // A wake with nothing due plays nothing and says nothing.
    r = updateFlow(r.model, { type: 'wake', now: T0 + 20_000 });
    expect(played(r)).toBeUndefined();
  });
});

describe('the voice settings, kept on the watch', () => {
  it('round-trip, with the default for anything unreadable', () => {
    const v = { on: false, breaths: 'every' as const, volume: 40 };
    expect(decodeVoice(encodeVoice(v))).toEqual(v);
    expect(decodeVoice('on every 170')).toEqual({ on: true, breaths: 'first', volume: 70 });
    expect(decodeVoice(undefined)).toEqual({ on: true, breaths: 'first', volume: 70 });
  });

  it('the buttons cycle: first hold → every breath → off → first hold; volume 40 → 70 → 100 → 40', () => {
    const a = { on: true, breaths: 'first' as const, volume: 70 };
    const b = nextVoice(a);
    const c = nextVoice(b);
    expect([b.on, b.breaths, c.on, nextVoice(c)]).toEqual([true, 'every', false, a]);
    expect([nextVolume(40), nextVolume(70), nextVolume(100), nextVolume(55)]).toEqual([70, 100, 40, 70]);
  });
});
