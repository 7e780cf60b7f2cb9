import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../../core/base/kv';
import { readQuarantine } from '../../../core/base/quarantine';
import { encodeProfile, type WatchProfile } from '../../../core/link/watch-profile';
import {
  keepProfile,
  PHONE_PROFILE_QUARANTINE,
  PROFILE_INDEX_KEY,
  PROFILE_PREFIX,
  readProfiles,
} from '../../../core/phone/watch-profiles';
import { thisWatchView } from '../../../core/screens/this-watch';
import { catalogTranslator, LANGS, readCatalogs } from '../../support/catalog';
import { BALANCE_PROFILE } from '../../support/watch-profile';

const catalogs = readCatalogs('setting');
const en = catalogTranslator(catalogs['en-US']);

describe('"This watch" on the Settings page', () => {
  it('says each answer in words, the path, and carries the report', () => {
    const view = thisWatchView([BALANCE_PROFILE], '1.0.0', en);
    expect(view.empty).toBeUndefined();
    const w = view.watches[0]!;
    expect(w.heading).toBe('Amazfit Balance, API 3.7, checked 2026-11-25 15:30 UTC+1');
    expect(w.path).toBe('Sessions let the screen go off (the app plays the cues).');
    expect(w.lines).toEqual([
      'App stayed open with the screen off: yes',
      'Timer fired with the screen off: yes',
      'New step: felt',
      'Sweep: felt only stronger (played stronger)',
      'Breathe in: felt only stronger (played stronger)',
      'Breathe out: not felt',
      'Round done: not checked',
      'Session done: not checked',
      'Timer lateness: max 120 ms, 95th percentile 120 ms',
      'A tap on text reaches the button: yes',
      'Buttons that arrived: HOME, SHORTCUT',
    ]);
    expect(w.report.split('\n')[1]).toBe('Device: Amazfit Balance (deviceSource 8519936), API level 3.7');
  });

  it('a service watch whose buzz was not felt: dimmed', () => {
    const p: WatchProfile = { ...BALANCE_PROFILE, api: 4.4, dark: { type: 'service', felt: 'no' } };
    const w = thisWatchView([p], '1.0.0', en).watches[0]!;
    expect(w.lines[0]).toBe('Buzz with the screen off: not felt');
    expect(w.path).toBe('Sessions keep the screen on, dimmed: the dark was not proven on this watch.');
  });

  it('no watch yet: says where the check is', () => {
    expect(thisWatchView([], '1.0.0', en).empty).toBe(
      'No watch has sent a wrist check yet (Feel the cues → Wrist check on the watch).',
    );
  });

  it('every key it asks for is in all three catalogs', () => {
    for (const lang of LANGS) {
      const asked = new Set<string>();
      const t = catalogTranslator(catalogs[lang], asked);
      thisWatchView(
        [BALANCE_PROFILE, { ...BALANCE_PROFILE, dark: { type: 'service', felt: 'yes' } }],
        '1',
        t,
      );
      thisWatchView([{ ...BALANCE_PROFILE, dark: null, keys: null, lateness: null, textTap: 'no' }], '1', t);
      thisWatchView([], '1', t);
      expect([...asked].filter((k) => !catalogs[lang].has(k))).toEqual([]);
    }
  });
});

describe('the phone keeps one profile per watch', () => {
  it('the latest of each watch, newest check first; one that no longer reads goes to the quarantine', () => {
    const store = memoryStore();
    keepProfile(store, BALANCE_PROFILE);
    const later = { ...BALANCE_PROFILE, at: BALANCE_PROFILE.at + 1000 };
    keepProfile(store, later);
    const other: WatchProfile = {
      ...BALANCE_PROFILE,
      device: { name: 'Amazfit Bip 5 Unity', source: 7930112 },
    };
    keepProfile(store, other);
    expect(readProfiles(store, 0)).toEqual([later, other]);
    expect(JSON.parse(store.get(PROFILE_INDEX_KEY)!)).toEqual([8519936, 7930112]);
    store.set(`${PROFILE_PREFIX}7930112`, '{"v":1,');
    expect(readProfiles(store, 5)).toEqual([later]);
    expect(store.get(`${PROFILE_PREFIX}7930112`)).toBeUndefined();
    expect(readQuarantine(store, PHONE_PROFILE_QUARANTINE).items).toEqual([
      { key: `${PROFILE_PREFIX}7930112`, raw: '{"v":1,', reason: 'watch profile: not JSON', at: 5 },
    ]);
    // A profile under another watch's key is not that watch's.
    store.set(`${PROFILE_PREFIX}8519936`, encodeProfile(other));
    expect(readProfiles(store, 6)).toEqual([]);
  });
});
