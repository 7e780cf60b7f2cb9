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
import { sessionFigures, thisWatchView } from '../../../core/screens/this-watch';
import { makeLog, seededRandom, T0, DAY } from '../../support/sync-fixtures';
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

describe('"This watch": what the latest sessions measured of themselves (issue 23)', () => {
  const random = seededRandom(7);
  const day = (n: number, measured: Partial<Parameters<typeof makeLog>[2]> = {}) =>
    makeLog(random, T0 + n * DAY, measured);

  it('sums up the last 30 that measured: the worst cue, the median 95th percentile, cues by path, screen per session', () => {
    const logs = [
      // 31 days ago: past the last 30 sessions, not counted though it is the worst.
      day(-31, { lateMaxMs: 9000, lateP95Ms: 9000, cuesPage: 50, cuesService: 0, screenOnS: 217 }),
      // 28 sessions from an older app: no figures.
      ...Array.from({ length: 28 }, (_, i) => day(-29 + i)),
      day(-1, { lateMaxMs: 412, lateP95Ms: 96, cuesPage: 50, cuesService: 0, screenOnS: 217 }),
      day(0, { lateMaxMs: 0, lateP95Ms: 0, cuesPage: 1, cuesService: 49, screenOnS: 12 }),
    ];
    // By hand: two measured sessions among the last 30; worst 412 ms; the p95s 0 and 96, the lower
    // middle one 0; cues 51 by the page, 49 handed over; screen (217 + 12) / 2 = 114.5, 115 s.
    expect(sessionFigures(logs)).toEqual({
      sessions: 2,
      lateMaxMs: 412,
      lateP95MedianMs: 0,
      cuesPage: 51,
      cuesService: 49,
      screenOnS: 115,
    });
    expect(thisWatchView([BALANCE_PROFILE], '1.0.0', en, logs).sessions).toEqual({
      heading: 'The last 30 sessions, as they measured themselves',
      lines: [
        'Sessions measured: 2',
        'Cue lateness: latest 412 ms, 95th percentile 0 ms (median session)',
        'Cues played by the watch app: 51; handed to its background service: 49',
        'Screen on: 115 s per session',
      ],
    });
  });

  it('says so when no session measured itself, or no cue was played by the page', () => {
    expect(thisWatchView([], '1.0.0', en, [day(0)]).sessions.lines).toEqual([
      'No session has measured itself yet (the watch app is older, or no session yet).',
    ]);
    const handed = [day(0, { cuesPage: 0, cuesService: 50, screenOnS: 0 })];
    expect(thisWatchView([], '1.0.0', en, handed).sessions.lines[1]).toBe(
      'Cue lateness: no cue played by the page',
    );
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
