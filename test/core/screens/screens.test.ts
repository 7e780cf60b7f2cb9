import { describe, expect, it } from 'vitest';
import { hapticsFor } from '../../../core/engine/haptics';
import { cuesProgram, cuesView, nextStrength } from '../../../core/screens/cues';
import { checkProgram, checkView, updateCheck } from '../../../core/screens/wrist-check';
import { homeView, planMinutes } from '../../../core/screens/home';
import { fits } from '../../../core/screens/fit';
import { resumeView, type ResumeModel } from '../../../core/screens/resume';
import { fill, type Translate } from '../../../core/base/i18n';
import {
  cornerInset,
  insideRing,
  insideScreen,
  layoutFor,
  openEdge,
  visibleAt,
  type Box,
  type Screen,
} from '../../../core/screens/layout';
import { positionAt } from '../../../core/engine/position';
import { DEFAULT_PRESCRIPTION } from '../../../core/plan/prescription';
import { breathFill, secondsLeft, sessionPicture, sessionView } from '../../../core/screens/session';
import {
  painBeforeOf,
  sessionParamsOf,
  summaryParamsOf,
  summaryProgram,
  summaryView,
  updateBefore,
  updateSummary,
  type SummaryModel,
} from '../../../core/screens/summary';
import { CUE_KINDS } from '../../../core/engine/timeline';
import type { View, Widget } from '../../../core/screens/widgets';
import { catalogTranslator, LANGS, readCatalogs, type Lang } from '../../support/catalog';
import { TARGET_SCREENS } from '../../support/screens';
import { allViews, DEFAULT_TIMELINE, HOME, SUMMARY, SUMMARY_BEFORE } from '../../support/screen-views';
import { makeLog, seededRandom } from '../../support/sync-fixtures';

const catalogs = readCatalogs('page');

/** Like getText: a missing key comes back as the key. Records every key asked for. */
const recordingTranslator = (lang: Lang, asked: Set<string>): Translate =>
  catalogTranslator(catalogs[lang], asked);

const SCREENS = TARGET_SCREENS;

const boxOf = (w: Widget): { x: number; y: number; w: number; h: number } | null =>
  w.type === 'text' || w.type === 'button' ? w.box : null;

describe('the visible area', () => {
  // Bip Max: 432 × 514, corners rounded by 106 px (the official device list).
  const max: Screen = { width: 432, height: 514, round: false, cornerRadius: 106 };
  const round: Screen = { width: 480, height: 480, round: true, cornerRadius: 0 };

  it('leaves out a square screen’s rounded-off corners, all four', () => {
    for (const [x, y] of [
      [0, 0],
      [20, 20],
      [432, 0],
      [412, 494],
      [0, 514],
      [0, 100],
      [100, 0],
    ] as const)
      expect(visibleAt(max, x, y), `(${x}, ${y})`).toBe(false);
    for (const [x, y] of [
      [40, 40],
      [0, 106],
      [106, 0],
      [0, 257],
      [216, 0],
      [392, 474],
      [432, 408],
    ] as const)
      expect(visibleAt(max, x, y), `(${x}, ${y})`).toBe(true);
  });

  it('pulls the visible edge in by the corner near the top and bottom only', () => {
    expect(cornerInset(max, 0)).toBe(106);
    expect(cornerInset(max, 50)).toBeCloseTo(16, 6); // 106 − √(106² − 56²) = 106 − 90
    expect(cornerInset(max, 106)).toBe(0);
    expect(cornerInset(max, 257)).toBe(0);
    expect(cornerInset(max, 464)).toBeCloseTo(16, 6);
    expect(cornerInset(max, 514)).toBe(106);
    expect(cornerInset(round, 0)).toBe(0);
  });

  it('a box is inside only when all of it is', () => {
    expect(insideScreen(max, { x: 40, y: 40, w: 352, h: 434 })).toBe(true);
    expect(insideScreen(max, { x: 10, y: 10, w: 100, h: 40 })).toBe(false);
    expect(insideScreen(max, { x: 100, y: 480, w: 232, h: 40 })).toBe(false);
    expect(insideScreen(round, { x: 0, y: 0, w: 40, h: 40 })).toBe(false);
    expect(insideScreen(round, { x: 140, y: 140, w: 200, h: 200 })).toBe(true);
  });

  it('rows of a view without a ring narrow into the rounded corners', () => {
    const open = layoutFor(max, openEdge);
    const top = open.row(20, 40);
    const middle = open.row(240, 40);
    expect(top.w).toBeLessThan(middle.w);
    expect(insideScreen(max, top)).toBe(true);
    expect(insideScreen(max, middle)).toBe(true);
  });
});

describe.each(SCREENS)('screen %o', (screen) => {
  const asked = new Set<string>();
  const views = allViews(screen, recordingTranslator('en-US', asked));

  it('every text and button lies inside the visible area (the circle on round screens)', () => {
    for (const [name, view] of views) {
      for (const w of view) {
        const box = boxOf(w);
        // The full-screen tap target of the session screen is meant to cover the corners.
        if (!box || w.id === 'tap') continue;
        expect(insideScreen(screen, box), `${name}: ${w.id} ${JSON.stringify(box)}`).toBe(true);
      }
    }
  });

  it('text is at least 20 px: legible at arm’s length on the smallest screen', () => {
    for (const [, view] of views) {
      for (const w of view)
        if (w.type === 'text' || w.type === 'button') expect(w.size).toBeGreaterThanOrEqual(20);
    }
  });

  it('ids are unique within a view (the renderer keys widgets by id)', () => {
    for (const [name, view] of views) {
      expect(new Set(view.map((w) => w.id)).size, name).toBe(view.length);
    }
  });

  it('no two buttons overlap, apart from the full-screen tap target under them', () => {
    for (const [name, view] of views) {
      const buttons = view
        .filter((w) => w.type === 'button' && w.id !== 'tap')
        .map((w) => [w.id, boxOf(w)!] as const);
      for (const [i, [a, ba]] of buttons.entries()) {
        for (const [b, bb] of buttons.slice(i + 1)) {
          const apart =
            ba.x + ba.w <= bb.x || bb.x + bb.w <= ba.x || ba.y + ba.h <= bb.y || bb.y + bb.h <= ba.y;
          expect(apart, `${name}: ${a} overlaps ${b}`).toBe(true);
        }
      }
    }
  });

  it('the session screen’s picture lies inside the ring and meets no text or button (but the tap target), at every cue', () => {
    const layout = layoutFor(screen);
    const t = recordingTranslator('en-US', new Set());
    const meet = (a: Box, b: Box): boolean =>
      a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    let shown = 0;
    for (const cue of DEFAULT_TIMELINE.cues)
      for (const paused of [false, true]) {
        const model = {
          position: positionAt(DEFAULT_TIMELINE, cue.atMs + 1),
          paused,
          prescription: DEFAULT_PRESCRIPTION,
        };
        const picture = sessionPicture(model, layout);
        if (!picture) continue;
        shown++;
        expect(insideRing(layout.ring, picture.box), JSON.stringify(picture.box)).toBe(true);
        for (const w of sessionView(model, layout, t)) {
          const box = boxOf(w);
          if (box && w.id !== 'tap')
            expect(meet(box, picture.box), `${w.id} ${JSON.stringify(box)}`).toBe(false);
        }
      }
    // Every cue but the last (the session done: no picture), paused and not.
    expect(shown).toBe(2 * (DEFAULT_TIMELINE.cues.length - 1));
  });

  it('the ring is centred and inside the screen', () => {
    const { ring } = layoutFor(screen);
    expect(ring.cx).toBe(screen.width / 2);
    expect(ring.rx + ring.lineWidth / 2).toBeLessThanOrEqual(screen.width / 2);
    expect(ring.ry + ring.lineWidth / 2).toBeLessThanOrEqual(screen.height / 2);
    if (screen.round) expect(ring.rx).toBe(ring.ry);
  });

  it('the whole ring, line width included, is drawn where the screen shows it (inside its rounded corners)', () => {
    const { ring } = layoutFor(screen);
    for (let deg = 0; deg < 360; deg += 1) {
      const a = (deg * Math.PI) / 180;
      const x = ring.cx + (ring.rx + ring.lineWidth / 2) * Math.cos(a);
      const y = ring.cy + (ring.ry + ring.lineWidth / 2) * Math.sin(a);
      expect(visibleAt(screen, x, y), `${deg}°: (${x.toFixed(1)}, ${y.toFixed(1)})`).toBe(true);
    }
  });

  it('no text or button crosses the ring', () => {
    const { ring } = layoutFor(screen);
    for (const [name, view] of views) {
      // Views without a ring (cues, summary) have nothing to cross.
      if (!view.some((w) => w.type === 'arc')) continue;
      for (const w of view) {
        const box = boxOf(w);
        if (!box || w.id === 'tap') continue;
        expect(insideRing(ring, box), `${name}: ${w.id} ${JSON.stringify(box)}`).toBe(true);
      }
    }
  });

  it.each(LANGS)(
    'text fits its box in %s (by the estimate of core/screens/fit.ts, held to real fonts in measured.test.ts)',
    (lang) => {
      const views = allViews(screen, recordingTranslator(lang, new Set()));
      const overflowing = new Set<string>();
      for (const [name, view] of views) {
        for (const w of view) {
          if ((w.type === 'text' || w.type === 'button') && w.text !== '' && !fits(w)) {
            overflowing.add(
              `${name.replace(/ \d+ /, ' ')}: ${w.id} "${w.text}" at ${w.size}px in ${w.box.w}×${w.box.h}`,
            );
          }
        }
      }
      expect([...overflowing]).toEqual([]);
    },
  );

  it.each(LANGS)('every key the screens ask for is translated in %s, with the same placeholders', (lang) => {
    for (const key of asked) {
      const text = catalogs[lang].get(key);
      expect(text, `${lang} lacks ${key}`).toBeTruthy();
      const holes = (s: string): string[] => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(holes(text!), `${lang} ${key}`).toEqual(holes(catalogs['en-US'].get(key)!));
    }
  });
});

describe('the session screen at a glance', () => {
  const layout = layoutFor(SCREENS[0]!);
  const t = recordingTranslator('en-US', new Set());
  const text = (view: View, id: string): string | undefined =>
    view.find((w): w is Extract<Widget, { type: 'text' }> => w.type === 'text' && w.id === id)?.text;
  const at = (ms: number, paused = false): View =>
    sessionView(
      { position: positionAt(DEFAULT_TIMELINE, ms), paused, prescription: DEFAULT_PRESCRIPTION },
      layout,
      t,
    );

  it('names the round, the step and what to do', () => {
    const hold = DEFAULT_TIMELINE.steps.find((s) => s.kind === 'hold' && s.round === 2)!;
    const view = at(hold.startMs + 500);
    expect(text(view, 'round')).toBe('Round 2 of 3');
    expect(text(view, 'step')).toBe('Hold');
    expect(text(view, 'do')).toBe('Breathe in');
    expect(text(view, 'counter')).toBe('3 breaths left');
    const last = at(hold.endMs - 1000);
    expect(text(last, 'do')).toBe('Breathe out');
    expect(text(last, 'counter')).toBe('Last breath');
  });

  it('counts sweeps and seconds', () => {
    const sweeps = DEFAULT_TIMELINE.steps.find((s) => s.kind === 'sweeps' && s.round === 1)!;
    expect(text(at(sweeps.startMs + 6500), 'counter')).toBe('Sweep 2 of 3');
    expect(text(at(sweeps.endMs - 100), 'do')).toBe('Rest your hands overhead');
    expect(text(at(200), 'counter')).toBe('10 s');
    expect(text(at(200), 'round')).toBe('Before round 1');
  });

  it('shows the step’s picture a fifth of the screen wide, under the round’s name, none once done', () => {
    const model = (ms: number) => ({
      position: positionAt(DEFAULT_TIMELINE, ms),
      paused: false,
      prescription: DEFAULT_PRESCRIPTION,
    });
    const hold = DEFAULT_TIMELINE.steps.find((s) => s.kind === 'hold' && s.round === 2)!;
    // 480 × 480: 21 % of 480 is 100.8, so 101 × 51 (2 : 1, 50.5 rounded up), centred (x 189.5 → 190), its
    // middle at 29.5 % of the height (141.6 px: y 141.6 − 25.5 → 116).
    expect(sessionPicture(model(hold.startMs + 500), layout)).toEqual({
      src: 'pictures/small/hold.png',
      box: { x: 190, y: 116, w: 101, h: 51 },
    });
    // The smallest screen, 320 × 380: 67 × 34 (67.2, 33.5), x 126.5 → 127, its middle at 112.1 px (y 95.1).
    const small = layoutFor({ width: 320, height: 380, round: false, cornerRadius: 69 });
    expect(sessionPicture(model(0), small)).toEqual({
      src: 'pictures/small/setup.png',
      box: { x: 127, y: 95, w: 67, h: 34 },
    });
    expect(sessionPicture(model(DEFAULT_TIMELINE.totalMs), layout)).toBeNull();
  });

  it('fills the ring segment of each round as it goes', () => {
    const r2 = DEFAULT_TIMELINE.rounds[1]!;
    const view = at((r2.startMs + r2.endMs) / 2);
    const arcs = view.filter((w): w is Extract<Widget, { type: 'arc' }> => w.type === 'arc');
    expect(arcs.map((a) => a.id)).toEqual([
      'round-1-track',
      'round-1-done',
      'round-2-track',
      'round-2-done',
      'round-3-track',
      'round-3-done',
    ]);
    const half = arcs.find((a) => a.id === 'round-2-done')!;
    const track = arcs.find((a) => a.id === 'round-2-track')!;
    expect(half.to - half.from).toBeCloseTo((track.to - track.from) / 2, 5);
    // A round not begun: its fill lies over its track, in the track's colour (unseen until it begins).
    const later = arcs.find((a) => a.id === 'round-3-done')!;
    const under = arcs.find((a) => a.id === 'round-3-track')!;
    expect([later.from, later.to, later.color]).toEqual([under.from, under.to, under.color]);
  });

  it('shows no count once the session is done', () => {
    expect(text(at(DEFAULT_TIMELINE.totalMs), 'counter')).toBe('');
    expect(text(at(DEFAULT_TIMELINE.totalMs), 'step')).toBe('Done');
  });

  it('says when it is paused', () => {
    expect(text(at(20_000, true), 'do')).toBe('Paused · tap to resume');
  });

  it('breathes: the circle grows on the inhale and shrinks on the exhale', () => {
    const hold = DEFAULT_TIMELINE.steps.find((s) => s.kind === 'hold')!;
    const fillAt = (ms: number): number =>
      breathFill(positionAt(DEFAULT_TIMELINE, ms), DEFAULT_PRESCRIPTION)!;
    expect(fillAt(hold.startMs + 1000)).toBeCloseTo(0.25);
    expect(fillAt(hold.startMs + 3000)).toBeCloseTo(0.75);
    expect(fillAt(hold.startMs + 4000 + 3000)).toBeCloseTo(0.5);
    expect(breathFill(positionAt(DEFAULT_TIMELINE, 100), DEFAULT_PRESCRIPTION)).toBeNull();
  });

  it('rounds seconds up, so a running step never shows 0', () => {
    expect(secondsLeft(200)).toBe(1);
    expect(secondsLeft(1000)).toBe(1);
    expect(secondsLeft(1001)).toBe(2);
    expect(secondsLeft(0)).toBe(0);
  });
});

describe('home', () => {
  const layout = layoutFor(SCREENS.find((s) => s.width === 390)!);
  const t = recordingTranslator('en-US', new Set());
  it('shows the plan in whole minutes', () => {
    expect(planMinutes(DEFAULT_TIMELINE.totalMs)).toBe(4);
    expect(planMinutes(1000)).toBe(1);
    const plan = homeView(HOME, layout, t).find((w) => w.id === 'plan');
    expect(plan && plan.type === 'text' && plan.text).toBe('3 rounds · about 4 min');
  });
  it('shows the streak from the second day on', () => {
    const today = (streak: number): string | undefined => {
      const w = homeView({ ...HOME, streak }, layout, t).find((x) => x.id === 'today');
      return w && w.type === 'text' ? w.text : undefined;
    };
    expect(today(0)).toBe('Today 1 of 2');
    expect(today(1)).toBe('Today 1 of 2');
    expect(today(12)).toBe('Today 1/2 · 12-day streak');
  });
  it('shows unsent logs only when there are some', () => {
    expect(homeView({ ...HOME, unsent: 0 }, layout, t).map((w) => w.id)).not.toContain('unsent');
  });
});

describe('resume', () => {
  const layout = layoutFor(SCREENS.find((s) => s.width === 390)!);
  const t = recordingTranslator('en-US', new Set());
  const texts = (m: ResumeModel): string[] =>
    resumeView(m, layout, t).flatMap((w) => (w.type === 'text' || w.type === 'button' ? [w.text] : []));
  it('offers resume or log when a session was interrupted', () => {
    const view = resumeView({ stage: 'interrupted', full: false }, layout, t);
    expect(view.flatMap((w) => (w.type === 'button' ? [[w.id, w.text, w.msg]] : []))).toEqual([
      ['resume', 'Resume session', { type: 'resume' }],
      ['discard', 'Log as interrupted', { type: 'discard' }],
    ]);
    expect(texts({ stage: 'interrupted', full: false })).toContain('A session was interrupted');
  });
  it('starts nothing while a finished session waits for room in a full outbox, and says to sync', () => {
    const view = resumeView({ stage: 'blocked', full: true }, layout, t);
    expect(view.filter((w) => w.type === 'button')).toEqual([]);
    expect(texts({ stage: 'blocked', full: true })).toEqual([
      'Decompress',
      'Sync with the phone first: the last session is not saved yet',
      'Log full',
    ]);
  });
  it('says when the stored session cannot be read or kept aside, and offers nothing', () => {
    const view = resumeView({ stage: 'unreadable', full: false }, layout, t);
    expect(view.filter((w) => w.type === 'button')).toEqual([]);
    expect(texts({ stage: 'unreadable', full: false })[1]).toMatch(/cannot be read/);
  });
  it('shows the outbox full only when a log found no room', () => {
    expect(texts({ stage: 'interrupted', full: true })).toContain('Log full');
    expect(texts({ stage: 'interrupted', full: false })).not.toContain('Log full');
  });
});

describe('summary: the pain rating', () => {
  it('starts with no value, so no number is suggested', () => {
    expect(SUMMARY.pain).toBeNull();
  });
  it('steps by taps within 0–10', () => {
    let m = SUMMARY;
    m = updateSummary(m, { type: 'up' }).model;
    expect(m.pain).toBe(0);
    for (let i = 0; i < 15; i++) m = updateSummary(m, { type: 'up' }).model;
    expect(m.pain).toBe(10);
    for (let i = 0; i < 15; i++) m = updateSummary(m, { type: 'down' }).model;
    expect(m.pain).toBe(0);
  });
  it('one clockwise turn of the crown sweeps the scale', () => {
    let m = updateSummary(SUMMARY, { type: 'up' }).model;
    for (let i = 0; i < 36; i++) m = updateSummary(m, { type: 'crown', degrees: -10 }).model;
    expect(m.pain).toBe(10);
    m = updateSummary(m, { type: 'crown', degrees: 60 }).model;
    expect(m.pain).toBe(8);
    expect(updateSummary(m, { type: 'crown', degrees: Number.NaN }).model).toBe(m);
  });
  it('save rates the log this summary is for, skip rates nothing; either ends the question and sends', () => {
    const m = updateSummary(updateSummary(SUMMARY, { type: 'up' }).model, { type: 'up' }).model;
    expect(updateSummary(m, { type: 'save' })).toEqual({
      model: { ...m, stage: 'done' },
      effects: [{ type: 'ratePain', id: 'mhz3k2w00-abcdefghjk', pain: 1 }, { type: 'sync' }],
    });
    expect(updateSummary(SUMMARY, { type: 'save' }).effects).toEqual([{ type: 'sync' }]);
    expect(updateSummary(m, { type: 'skip' })).toEqual({
      model: { ...m, pain: null, stage: 'done' },
      effects: [{ type: 'sync' }],
    });
    const done = updateSummary(m, { type: 'save' }).model;
    expect(updateSummary(done, { type: 'up' }).model).toBe(done);
  });
  it('the select button saves while the question is asked, then goes home', () => {
    const m = updateSummary(SUMMARY, { type: 'up' }).model;
    expect(updateSummary(m, { type: 'select' }).effects).toEqual([
      { type: 'ratePain', id: 'mhz3k2w00-abcdefghjk', pain: 0 },
      { type: 'sync' },
    ]);
    const done = updateSummary(m, { type: 'select' }).model;
    expect(updateSummary(done, { type: 'select' }).effects).toEqual([{ type: 'goHome' }]);
  });
  it('leaving unanswered still sends the log; leaving after answering sends nothing more', () => {
    expect(updateSummary(SUMMARY, { type: 'leave' }).effects).toEqual([{ type: 'sync' }]);
    const done = updateSummary(SUMMARY, { type: 'skip' }).model;
    expect(updateSummary(done, { type: 'leave' }).effects).toEqual([]);
  });
  it('opens on the session the params name, or sends the patient home when they name none', () => {
    const params = JSON.stringify({
      id: 'mhz3k2w00-abcdefghjk',
      stored: true,
      outcome: 'completed',
      roundsDone: 3,
      roundsPlanned: 3,
      activeMs: 217_000,
    });
    expect(summaryProgram(params).init).toEqual({ model: SUMMARY, effects: [] });
    expect(summaryProgram('{"id":1}').init).toEqual({
      model: null,
      effects: [{ type: 'open', route: { page: 'home' } }],
    });
    // The question before the session is page/before's own (beforeProgram): these params no longer open it.
    expect(summaryProgram('{"before":true}').init).toEqual({
      model: null,
      effects: [{ type: 'open', route: { page: 'home' } }],
    });
    expect(summaryProgram(undefined).init).toEqual({
      model: null,
      effects: [{ type: 'open', route: { page: 'home' } }],
    });
  });
});

describe('summary: before the session, and heart rate and pain change after it', () => {
  const t = recordingTranslator('en-US', new Set());
  const layout = layoutFor(SCREENS[0]!);
  const texts = (m: SummaryModel) => summaryView(m, layout, t).flatMap((w) => ('text' in w ? [w.text] : []));

  it('asks before the first round: Start takes the rating, Skip none, one tap either way, once', () => {
    expect(texts(SUMMARY_BEFORE)).toEqual(
      expect.arrayContaining(['Before you start', 'Back pain now, 0–10?', '–', 'Start', 'Skip']),
    );
    expect(texts(SUMMARY_BEFORE)).not.toContain('Session complete');
    const rated = updateBefore(
      updateBefore(updateBefore(SUMMARY_BEFORE, { type: 'up' }).model, { type: 'up' }).model,
      {
        type: 'up',
      },
    ).model;
    expect(rated.pain).toBe(2);
    const started = updateBefore(rated, { type: 'save' });
    expect(started.effects).toEqual([
      { type: 'open', route: { page: 'session', params: '{"painBefore":2}' } },
    ]);
    expect(updateBefore(started.model, { type: 'save' }).effects).toEqual([]);
    expect(updateBefore(rated, { type: 'skip' }).effects).toEqual([
      { type: 'open', route: { page: 'session', params: '{}' } },
    ]);
    expect(updateBefore(SUMMARY_BEFORE, { type: 'select' }).effects).toEqual([
      { type: 'open', route: { page: 'session', params: '{}' } },
    ]);
    expect(updateBefore(rated, { type: 'leave' }).effects).toEqual([]);
    expect([sessionParamsOf(2), sessionParamsOf(undefined)]).toEqual(['{"painBefore":2}', '{}']);
    expect([
      painBeforeOf('{"painBefore":2}'),
      painBeforeOf('{}'),
      painBeforeOf('{"painBefore":11}'),
      painBeforeOf('x'),
    ]).toEqual([2, undefined, undefined, undefined]);
  });

  it('shows "72 → 64 bpm" and the pain change once answered; a missing reading is "not measured"', () => {
    const done = { ...SUMMARY, stage: 'done' as const };
    expect(texts({ ...done, painBefore: 3, pain: 5, hrStart: 72, hrEnd: 64 })).toEqual(
      expect.arrayContaining(['72 → 64 bpm', 'Pain 3 → 5 (+2)', 'Saved']),
    );
    const flareColour = summaryView({ ...done, painBefore: 3, pain: 5 }, layout, t).find(
      (w) => w.id === 'painChange',
    );
    const calmColour = summaryView({ ...done, painBefore: 5, pain: 3 }, layout, t).find(
      (w) => w.id === 'painChange',
    );
    expect(
      flareColour &&
        'color' in flareColour &&
        calmColour &&
        'color' in calmColour &&
        flareColour.color !== calmColour.color,
    ).toBe(true);
    expect(texts({ ...done, painBefore: 5, pain: 3, hrStart: 72 })).toEqual(
      expect.arrayContaining(['72 bpm → not measured', 'Pain 5 → 3 (−2)']),
    );
    expect(texts({ ...done, pain: 4 })).toEqual(
      expect.arrayContaining(['Heart rate not measured', 'Pain 4']),
    );
    expect(texts({ ...done, painBefore: 4, pain: null, hrEnd: 61 })).toEqual(
      expect.arrayContaining(['not measured → 61 bpm', 'Pain before 4']),
    );
    expect(texts(done).some((x) => /\b0 bpm/.test(x))).toBe(false);
  });

  it('carries pain before and heart rate from the log to the summary through its params', () => {
    const log = {
      ...makeLog(seededRandom(4), Date.UTC(2026, 10, 25, 14), { outcome: 'completed' }),
      painBefore: 3,
      hrStart: 72,
      hrEnd: 64,
    };
    const model = summaryProgram(summaryParamsOf(log, true)).init.model!;
    expect(model).toMatchObject({
      id: log.id,
      painBefore: 3,
      hrStart: 72,
      hrEnd: 64,
      pain: null,
      stage: 'rate',
    });
    const { hrEnd: _gone, ...unmeasured } = log;
    expect(summaryProgram(summaryParamsOf(unmeasured, true)).init.model!.hrEnd).toBeUndefined();
  });
});

describe('cues screen', () => {
  it('offers every cue kind of the timeline', () => {
    expect(new Set(CUE_KINDS)).toEqual(new Set(DEFAULT_TIMELINE.cues.map((c) => c.kind)));
  });
  it('shows the strength and cycles it light → medium → strong → light', () => {
    const view = cuesView(null, 'medium', layoutFor(SCREENS[0]!), recordingTranslator('en-US', new Set()));
    const button = view.find((w) => w.id === 'strength');
    expect(button && button.type === 'button' && button.text).toBe('Strength: medium');
    expect([nextStrength('light'), nextStrength('medium'), nextStrength('strong')]).toEqual([
      'medium',
      'strong',
      'light',
    ]);
  });
  it('the first button opens the wrist check, the strength button changes it, each cue button plays its cue; the last opens the voice settings', () => {
    const view = cuesView(null, 'medium', layoutFor(SCREENS[0]!), (key) => key);
    expect(view.flatMap((w) => (w.type === 'button' ? [[w.id, w.msg]] : []))).toEqual([
      ['check', { type: 'check' }],
      ['strength', { type: 'strength' }],
      ...CUE_KINDS.map((cue) => [`cue-${cue}`, { type: 'play', cue }]),
      ['cue-voice', { type: 'voice' }],
    ]);
    const program = cuesProgram('medium', hapticsFor(3.0));
    expect(program.update(program.init.model, { type: 'check' }).effects).toEqual([{ type: 'openCheck' }]);
    expect(program.update(program.init.model, { type: 'voice' }).effects).toEqual([{ type: 'openVoice' }]);
  });
  it('the wrist check’s first screen shows the screen choice, dark by default; a tap switches it and keeps it', () => {
    const t = recordingTranslator('en-US', new Set());
    const watch = { name: 'x', source: 1, api: 3.0, appId: 1, utcOffsetMin: 0 };
    const open = (screen: 'dark' | 'on') =>
      checkProgram({ watch, haptics: 'timed', strength: 'medium', screen, now: 0 }).init.model;
    const shown = (screen: 'dark' | 'on') => {
      const b = checkView(open(screen), layoutFor(SCREENS[0]!), t).find((w) => w.id === 'screen');
      return b && b.type === 'button' ? b.text : undefined;
    };
    expect([shown('dark'), shown('on')]).toEqual(['Screen: dark', 'Screen: on']);
    const tapped = updateCheck(open('dark'), { type: 'screen' });
    expect(tapped.model.screen).toBe('on');
    expect(tapped.effects).toEqual([{ type: 'saveScreen', screen: 'on' }]);
    expect(updateCheck(tapped.model, { type: 'screen' }).effects).toEqual([
      { type: 'saveScreen', screen: 'dark' },
    ]);
  });
});

describe('fill', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(fill('{a} of {b}', { a: 1, b: 'x' })).toBe('1 of x');
    expect(fill('{a} {missing}', { a: 2 })).toBe('2 {missing}');
  });
});
