import { describe, expect, it } from 'vitest';
import {
  cueFinding,
  decodeProfile,
  encodeProfile,
  profileReport,
  profileTime,
  readAnswer,
  readProfile,
  type WatchProfile,
} from '../../../core/link/watch-profile';
import { BALANCE_PROFILE } from '../../support/watch-profile';
import { memoryStore } from '../../../core/base/kv';
import { decodeAnswer, errorResponse, readProfileAnswer } from '../../../core/link/protocol';
import { readProfiles } from '../../../core/phone/watch-profiles';
import { handleRequest } from '../../../core/phone/side-handler';

describe('answers', () => {
  it('takes yes, no and skip, and refuses anything else naming what is allowed', () => {
    expect(['yes', 'no', 'skip'].map((a) => readAnswer(a).ok)).toEqual([true, true, true]);
    for (const bad of ['maybe', 'YES', '', 1, null, undefined, true]) {
      const r = readAnswer(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/^An answer must be yes, no or skip; got /);
    }
    expect(readAnswer('maybe')).toEqual({
      ok: false,
      error: 'An answer must be yes, no or skip; got "maybe".',
    });
  });
});

describe('the profile codec', () => {
  it('reads back what it wrote, byte for byte', () => {
    const text = encodeProfile(BALANCE_PROFILE);
    const back = decodeProfile(text);
    expect(back).toEqual({ ok: true, value: BALANCE_PROFILE });
    expect(encodeProfile((back as { value: WatchProfile }).value)).toBe(text);
  });

  it('refuses each broken field with its rule', () => {
    const broken = (patch: Record<string, unknown>): string => {
      const r = readProfile({ ...BALANCE_PROFILE, ...patch });
      return r.ok ? 'accepted' : r.error;
    };
    expect(broken({ v: 2 })).toBe('watch profile version 2; this app reads 1');
    expect(broken({ api: '3.7' })).toBe('api must be the API level, a number like 3.7; got "3.7"');
    expect(broken({ at: 0 })).toBe('at must be epoch ms in 2020–2100');
    expect(broken({ device: { name: 'x' } })).toMatch(/^device must be/);
    expect(
      broken({ cues: { ...BALANCE_PROFILE.cues, inhale: [{ form: 'asSet', answer: 'perhaps' }] } }),
    ).toBe('cues.inhale: An answer must be yes, no or skip; got "perhaps".');
    expect(broken({ cues: { ...BALANCE_PROFILE.cues, exhale: [{ form: 'loud', answer: 'yes' }] } })).toBe(
      'cues.exhale: each answer names its form (asSet, strong, scenes)',
    );
    expect(broken({ dark: { type: 'page', outlived: 'yes', fired: true, lateMs: null } })).toBe(
      'dark.outlived and dark.fired must each be true, false or null',
    );
    expect(broken({ dark: { type: 'service', felt: 'sort of' } })).toBe(
      'dark.felt: An answer must be yes, no or skip; got "sort of".',
    );
    expect(broken({ lateness: { n: 3, maxMs: 10, p95Ms: 20 } })).toBe(
      'lateness.p95Ms cannot exceed lateness.maxMs',
    );
    expect(broken({ keys: ['HOME', 'CROWN'] })).toBe(
      'keys must be null or a list of HOME, SHORTCUT, SELECT, BACK, UP, DOWN',
    );
    expect(broken({ textTap: 'y' })).toBe('textTap: An answer must be yes, no or skip; got "y".');
    expect(decodeProfile('{"v":1')).toEqual({ ok: false, error: 'watch profile: not JSON' });
  });
});

describe('the report', () => {
  it('cue findings: felt, felt only in another form, not felt, not checked', () => {
    expect(cueFinding(BALANCE_PROFILE.cues.stepStart)).toBe('felt');
    expect(cueFinding(BALANCE_PROFILE.cues.sweepTick)).toBe('not felt; felt as strong');
    expect(cueFinding(BALANCE_PROFILE.cues.exhale)).toBe('not felt');
    expect(cueFinding(BALANCE_PROFILE.cues.roundDone)).toBe('not checked');
    expect(cueFinding(BALANCE_PROFILE.cues.sessionDone)).toBe('not checked');
  });

  it('local time with the offset of the check', () => {
    expect(profileTime(BALANCE_PROFILE)).toBe('2026-11-25 15:30 UTC+1');
    expect(profileTime({ at: Date.UTC(2026, 0, 1, 0, 0), utcOffsetMin: -330 })).toBe(
      '2025-12-31 18:30 UTC−5:30',
    );
  });

  it('is the whole text, line by line, for a Balance', () => {
    expect(profileReport(BALANCE_PROFILE, '1.0.0', { sessions: 12, maxMs: 300, p95Ms: 180 })).toBe(
      [
        'Decompress 1.0.0: watch report',
        'Device: Amazfit Balance (deviceSource 8519936), API level 3.7',
        'Checked: 2026-11-25 15:30 UTC+1',
        '',
        'S1 page still open after the screen was off for 15 s: yes',
        'T4 page timer fired with the screen off: yes, 40 ms late',
        'V2 cue stepStart: felt',
        'V2 cue sweepTick: not felt; felt as strong',
        'V2 cue inhale: not felt; felt as scenes',
        'V2 cue exhale: not felt',
        'V2 cue roundDone: not checked',
        'V2 cue sessionDone: not checked',
        'T1 timer lateness: max 120 ms, 95th percentile 120 ms (10 timers)',
        'U3 a tap on text reaches the button beneath: yes',
        'U4 keys that arrived: HOME, SHORTCUT',
        'Memory and load times: not available (API below 4.0)',
        'Sessions: cue lateness over the last 12: max 300 ms, 95th percentile 180 ms',
      ].join('\n'),
    );
  });

  it('an API 4 watch: the service check and the memory figures', () => {
    const p: WatchProfile = {
      ...BALANCE_PROFILE,
      device: { name: 'Amazfit Balance 3', source: 10092800 },
      api: 4.4,
      dark: { type: 'service', felt: 'no' },
      performance: {
        usedBytes: 2048,
        peakBytes: 3072,
        files: [{ file: 'page/check/index.page', evalMs: 12, createMs: 3, initMs: 1, buildMs: 40 }],
      },
    };
    const lines = profileReport(p, '1.0.0').split('\n');
    expect(lines).toContain('V3 motor in the App Service with the screen off: not felt');
    expect(lines).toContain('Memory: used 2.0 KB, peak 3.0 KB');
    expect(lines).toContain('  page/check/index.page: eval 12 ms, create 3 ms, init 1 ms, build 40 ms');
    expect(lines.some((l) => l.startsWith('S1'))).toBe(false);
  });
});

describe('profile.put (protocol version 1, a request added in issue 23)', () => {
  it('the phone keeps a valid profile and answers kept; the watch reads the answer', () => {
    const store = memoryStore();
    const answer = handleRequest(store, { v: 1, type: 'profile.put', profile: BALANCE_PROFILE }, 0, '1.0.0');
    expect(answer).toEqual({ v: 1, type: 'profile.put', kept: true });
    expect(decodeAnswer(answer, 'profile.put', readProfileAnswer).ok).toBe(true);
    expect(readProfiles(store, 0)).toEqual([BALANCE_PROFILE]);
  });

  it('a profile with an answer other than yes, no or skip is refused with the rule, and nothing is kept', () => {
    const store = memoryStore();
    const bad = { ...BALANCE_PROFILE, textTap: 'sometimes' };
    expect(handleRequest(store, { v: 1, type: 'profile.put', profile: bad }, 0, '1.0.0')).toMatchObject({
      type: 'error',
      code: 'invalid',
      message: 'profile.put: textTap: An answer must be yes, no or skip; got "sometimes".',
    });
    expect(store.dump()).toEqual({});
  });

  it('an older phone answers unknown_type: the watch sees no "kept" and sends it again later', () => {
    const old = errorResponse('unknown_type', 'Unknown request type "profile.put".');
    expect(decodeAnswer(old, 'profile.put', readProfileAnswer)).toMatchObject({
      ok: false,
      error: { code: 'unknown_type' },
    });
  });
});
