import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../../core/base/kv';
import { readQuarantine } from '../../../core/base/quarantine';
import { formsToAsk, renderForm } from '../../../core/engine/haptics';
import { encodeProfile, type WatchProfile } from '../../../core/link/watch-profile';
import {
  formOf,
  latenessOf,
  loadProfile,
  PROFILE_KEY,
  provenPath,
  saveProfile,
} from '../../../core/watch/profile';
import { SESSION_CHOICE_KEY, sessionChoice } from '../../../core/watch/session-path';
import { BALANCE_PROFILE } from '../../support/watch-profile';

const BALANCE = { name: 'Amazfit Balance', source: 8519936, api: 3.7 };

describe('the forms a cue is asked in (core/engine/haptics formsToAsk)', () => {
  it('API ≥ 3.6 at medium: a tap cue as set, then the scenes (STRONG_SHORT is already the strongest tick)', () => {
    expect(formsToAsk('sweepTick', 'medium', 'sequence')).toEqual(['asSet', 'scenes']);
    expect(formsToAsk('sweepTick', 'light', 'sequence')).toEqual(['asSet', 'strong', 'scenes']);
    // Buzzes have no strength in the sequence form: as set, then the scenes (no CONTINUOUS duration).
    expect(formsToAsk('inhale', 'light', 'sequence')).toEqual(['asSet', 'scenes']);
  });

  it('API < 3.6: a stronger tick where there is one; a buzz scene has nothing stronger', () => {
    expect(formsToAsk('sweepTick', 'medium', 'timed')).toEqual(['asSet', 'strong']);
    expect(formsToAsk('sweepTick', 'strong', 'timed')).toEqual(['asSet']);
    expect(formsToAsk('exhale', 'light', 'timed')).toEqual(['asSet']);
  });

  it('renders the forms as the Vibrator reference names them', () => {
    expect(renderForm('sweepTick', 'medium', 'timed', 'strong')).toEqual({
      type: 'timed',
      pulses: [{ atMs: 0, scene: 'VIBRATOR_SCENE_SHORT_STRONG' }],
    });
    expect(renderForm('inhale', 'medium', 'sequence', 'scenes')).toEqual({
      type: 'timed',
      pulses: [{ atMs: 0, scene: 'VIBRATOR_SCENE_DURATION_LONG' }],
    });
    expect(renderForm('inhale', 'medium', 'sequence')).toEqual({
      type: 'sequence',
      actions: [{ type: 'CONTINUOUS', duration: 700 }],
    });
  });
});

describe('which form the session plays', () => {
  it('as set unless answered "not felt"; then the first form felt, else the strongest asked', () => {
    expect(formOf([])).toBe('asSet');
    expect(formOf([{ form: 'asSet', answer: 'skip' }])).toBe('asSet');
    expect(formOf([{ form: 'asSet', answer: 'yes' }])).toBe('asSet');
    expect(formOf(BALANCE_PROFILE.cues.sweepTick)).toBe('strong');
    expect(formOf(BALANCE_PROFILE.cues.inhale)).toBe('scenes');
    expect(
      formOf([
        { form: 'asSet', answer: 'no' },
        { form: 'strong', answer: 'no' },
        { form: 'scenes', answer: 'no' },
      ]),
    ).toBe('scenes');
  });
});

describe('the darkest path proven', () => {
  const with_ = (dark: WatchProfile['dark'], api = 3.7): WatchProfile => ({ ...BALANCE_PROFILE, api, dark });
  it('the service only where its buzz in the dark was felt on API ≥ 4.0', () => {
    expect(provenPath(with_({ type: 'service', felt: 'yes' }, 4.4))).toBe('service');
    expect(provenPath(with_({ type: 'service', felt: 'no' }, 4.4))).toBeNull();
    expect(provenPath(with_({ type: 'service', felt: 'skip' }, 4.4))).toBeNull();
    expect(provenPath(with_({ type: 'service', felt: 'yes' }, 3.7))).toBeNull();
  });
  it('the page with the screen off only where it outlived the screen AND its timer fired in the dark', () => {
    expect(provenPath(with_({ type: 'page', outlived: true, fired: true, lateMs: 3 }))).toBe('dark');
    expect(provenPath(with_({ type: 'page', outlived: true, fired: false, lateMs: 9000 }))).toBeNull();
    expect(provenPath(with_({ type: 'page', outlived: false, fired: null, lateMs: null }))).toBeNull();
    expect(provenPath(with_(null))).toBeNull();
  });
});

describe('the session choice the session page reads', () => {
  const choose = (store: ReturnType<typeof memoryStore>, source = BALANCE.source) =>
    sessionChoice(store, source);
  it('a saved profile: its path and the cues played in another form', () => {
    const store = memoryStore();
    saveProfile(store, BALANCE_PROFILE);
    expect(choose(store)).toEqual({ path: 'dark', forms: { sweepTick: 'strong', inhale: 'scenes' } });
    // The patient's own "screen on" wins; the forms stay.
    store.set('screen.mode', 'on');
    expect(choose(store)).toEqual({ path: 'on', forms: { sweepTick: 'strong', inhale: 'scenes' } });
  });

  it('never checked, another watch, a damaged or replaced profile: dimmed, every cue as set', () => {
    const unchecked = { path: 'dim', forms: {} };
    expect(choose(memoryStore())).toEqual(unchecked);
    const store = memoryStore();
    saveProfile(store, BALANCE_PROFILE);
    expect(choose(store, 999)).toEqual(unchecked);
    store.set(PROFILE_KEY, '{"v":1,"at":');
    expect(choose(store)).toEqual(unchecked);
    store.remove(PROFILE_KEY);
    expect(choose(store)).toEqual(unchecked);
    store.set(PROFILE_KEY, encodeProfile({ ...BALANCE_PROFILE, at: BALANCE_PROFILE.at + 1 }));
    expect(choose(store)).toEqual(unchecked);
    saveProfile(store, BALANCE_PROFILE);
    store.set(SESSION_CHOICE_KEY, 'not json');
    expect(choose(store)).toEqual(unchecked);
    // A choice naming no path the check can prove: dimmed.
    store.set(
      SESSION_CHOICE_KEY,
      JSON.stringify({ d: BALANCE.source, p: 'bright', f: {}, at: BALANCE_PROFILE.at }),
    );
    expect(choose(store)).toEqual(unchecked);
  });

  it('the service path only from a check that felt its buzz on API ≥ 4.0', () => {
    const store = memoryStore();
    saveProfile(store, { ...BALANCE_PROFILE, api: 4.4, dark: { type: 'service', felt: 'yes' } });
    expect(choose(store).path).toBe('service');
    saveProfile(store, { ...BALANCE_PROFILE, api: 3.7, dark: { type: 'service', felt: 'yes' } });
    expect(choose(store).path).toBe('dim');
  });
});

describe('loading the profile', () => {
  it('this watch: checked; another watch: ignored, kept as it is', () => {
    const store = memoryStore();
    saveProfile(store, BALANCE_PROFILE);
    expect(loadProfile(store, BALANCE, 1)).toEqual({ type: 'checked', profile: BALANCE_PROFILE });
    const other = loadProfile(store, { ...BALANCE, source: 42 }, 1);
    expect(other.type).toBe('otherWatch');
    expect(store.get(PROFILE_KEY)).toBe(encodeProfile(BALANCE_PROFILE));
  });

  it('unreadable: quarantined whole with the reason, its session choice dropped, the watch unchecked', () => {
    const store = memoryStore();
    saveProfile(store, BALANCE_PROFILE);
    const damaged = encodeProfile(BALANCE_PROFILE).replace('"answer":"yes"', '"answer":"maybe"');
    store.set(PROFILE_KEY, damaged);
    const loaded = loadProfile(store, BALANCE, 77);
    expect(loaded).toEqual({
      type: 'unreadable',
      reason: 'cues.stepStart: An answer must be yes, no or skip; got "maybe".',
    });
    expect(store.get(PROFILE_KEY)).toBeUndefined();
    expect(store.get(SESSION_CHOICE_KEY)).toBeUndefined();
    expect(readQuarantine(store, 'quarantine').items).toEqual([
      { key: PROFILE_KEY, raw: damaged, reason: loaded.type === 'unreadable' ? loaded.reason : '', at: 77 },
    ]);
    expect(loadProfile(store, BALANCE, 78)).toEqual({ type: 'none' });
  });
});

describe('timer lateness (T1)', () => {
  it('the largest and the 95th percentile by nearest rank, worked by hand', () => {
    // 20 values 0…190 by 10: rank ⌈0.95·20⌉ = 19 → 180.
    expect(latenessOf(Array.from({ length: 20 }, (_, i) => i * 10))).toEqual({
      ok: true,
      value: { n: 20, maxMs: 190, p95Ms: 180 },
    });
    // 10 values: rank ⌈9.5⌉ = 10, the largest.
    expect(latenessOf([5, 1, 9, 3, 7, 2, 8, 4, 6, 30])).toEqual({
      ok: true,
      value: { n: 10, maxMs: 30, p95Ms: 30 },
    });
    expect(latenessOf([-3, 2.6])).toEqual({ ok: true, value: { n: 2, maxMs: 3, p95Ms: 3 } });
    expect(latenessOf([])).toEqual({ ok: false, error: 'no timer fired' });
  });
});
