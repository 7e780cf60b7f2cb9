import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFloor, goals, measureTarget, type TargetFigures } from '../../bench/lib/footprint';

// Issue 13's goals, held on the built app (dist/, made by `npm run build` before the tests) against the
// floor page built here with the same pipeline: a change that breaks a goal met fails here. Goals not yet
// met are held at today's figure, so they can only get better.
const root = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'decompress-floor-'));
const appZab = join(root, 'dist', readdirSync(join(root, 'dist')).find((f) => f.endsWith('.zab')) ?? '');
const figures = new Map<string, TargetFigures>();
const TARGETS = ['Amazfit Balance', 'Amazfit Balance 3', 'Amazfit Bip 5 Unity'];

beforeAll(async () => {
  const floorZab = await buildFloor(root, dir);
  for (const device of TARGETS) figures.set(device, await measureTarget(root, device, appZab, floorZab));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const goalOf = (device: string, what: RegExp) => {
  const g = goals(figures.get(device)!).find((x) => what.test(x.what));
  if (!g) throw new Error(`no goal matches ${what}`);
  return g;
};

describe.each(TARGETS)('%s against the floor page', (device) => {
  it('the floor is what it says: one page of about 1 KB, one TEXT widget, heap a few KB', () => {
    const t = figures.get(device)!;
    expect(t.pages.floor.jsBytes).toBeGreaterThan(500);
    expect(t.pages.floor.jsBytes).toBeLessThan(2048);
    expect(t.floorWrites).toEqual({ written: 7, changed: 7 });
    expect(t.pages.floor.heapBytes).toBeGreaterThan(1024);
    expect(t.pages.floor.heapBytes).toBeLessThan(32 * 1024);
  });

  it('one timer callback per wake moment through a default session (goal)', () => {
    const s = figures.get(device)!.session;
    // A default session lasts 217 s: at least one wake a second for the countdown.
    expect(s.moments).toBeGreaterThanOrEqual(217);
    expect(goalOf(device, /timer callbacks/).pass).toBe(true);
  });
});

describe.each(TARGETS)('%s: widget writes, zml, and the figures not yet at their goal', (device) => {
  it('nothing of zml is resident while a session runs: only the pages that sync hold it (goal)', () => {
    const t = figures.get(device)!;
    // Feel the cues talks to nobody since the voice settings' row (a new strength goes at the next exchange).
    expect(t.messagingIn).toEqual(['resume', 'before', 'summary']);
    expect(goalOf(device, /zml while a session runs/).pass).toBe(true);
  });

  it('home talks to nobody: no zml messaging in it, and its size and heap within their goals (goal)', () => {
    const t = figures.get(device)!;
    expect(t.messagingIn).not.toContain('home');
    expect(goalOf(device, /home page JavaScript/).pass).toBe(true);
    expect(goalOf(device, /heap after home is built/).pass).toBe(true);
  });

  it('widget property writes at most 1.2× the properties that changed through a default session (goal)', () => {
    const s = figures.get(device)!.session;
    expect(s.changed).toBeGreaterThan(217); // the countdown alone changes once a second
    expect(goalOf(device, /widget property writes/).pass).toBe(true);
  });

  // Issue 13's session goals (20 KB / 120 KB) are not met yet: these ceilings keep the figures from growing
  // past today's while the work goes on (docs/performance.md). Home's (25 KB / 150 KB) are met.
  it('page JavaScript and heap do not grow past today’s ceilings', () => {
    const p = figures.get(device)!.pages;
    const KB = 1024;
    // 41.5 (was 56.5): the session page logs nothing, the summary logs the session from the running keys
    // (no outbox, no log codec on the session page). Since issue 25 it speaks (about 3 KB), paid for on
    // the same page: the App Service's hand-over went to a page of its own (page/service-session), the
    // ring's fill is drawn from the start and changed in place so boxes tell the renderer enough
    // (core/screens/stacking `boxesMeet`), the haptic patterns are made when asked, a cue holds no round.
    expect(p.session.jsBytes).toBeLessThanOrEqual(41.5 * KB);
    // Home 21.3 KB and 116.5 KB of heap (62.5 and 311.6 before, 80.1 and 371.5 before the resume page):
    // home talks to nobody (no zml, sync, outbox, protocol or prescription exchange); it reads the outbox's
    // keys (outbox-peek) and the phone's day the summary and resume pages keep (phone-day).
    expect(p.home.jsBytes).toBeLessThanOrEqual(21.5 * KB);
    // The summary and resume pages took over what home said to the phone (page/lib/talk: the prescription
    // exchange, pushes, summary.get, reminders re-planned on a change): +8.5 KB each (69.7 → 78.2,
    // 74.9 → 83.5), +36 KB of heap on resume (323.5 → 359.7) and +38 KB on the summary (352 → 390.2).
    // 77.5 (was 78.6) and 356 KB of heap (was 361): the late-wake rule's cue lengths are numbers
    // (core/engine/cue-length), so the pages that only follow a session's clock carry no vibration
    // patterns; a start record adopted for a session without one (issue 21) costs about 0.3 KB.
    // 76.5 and 352 KB of heap (were 77.7 and 355): no view of it has an arc, so boxes are exact
    // (`boxesMeet`, as on every page but home and the session's).
    expect(p.resume.jsBytes).toBeLessThanOrEqual(76.5 * KB);
    // Pages holding both the outbox and its peek (core/watch/outbox-peek, which the reminders read through)
    // carry its exports twice over: up to 0.6 KB of heap until they hold only one of the two.
    // 82 (was 83.2) and 384.5 KB of heap (was 390): no vibration patterns (as resume), and the question
    // before a session is a program of its own (updateBefore), not a branch of the summary's update.
    // 80.7 (was 82.1): boxes, as resume.
    expect(p.summary.jsBytes).toBeLessThanOrEqual(80.7 * KB);
    // The question before a session is its own page (page/before), apart from the summary after it: no
    // engine, no running keys, no App Service hand-back (63.7 KB and 317.5 KB of heap, where the summary
    // page asked it at 83.6 KB and 390.6 KB). Both draw the rating through one page/lib/rating: 0.1 KB and
    // 0.9 KB of heap more on each.
    // 63 and 316.5 (were 63.9 and 318.5): the question page's update no longer carries the summary's.
    // 62 and 311 KB of heap (were 63.3 and 314.5): boxes, as resume.
    expect(p.before.jsBytes).toBeLessThanOrEqual(62 * KB);
    expect(p.before.heapBytes).toBeLessThanOrEqual(311 * KB);
    // 15 (was 37.5): Feel the cues holds no zml since its voice row (issue 25), and draws boxes.
    expect(p.cues.jsBytes).toBeLessThanOrEqual(15 * KB);
    // The Balance 3 (API 4) about 1 KB above the others: its session page also hands the session to the
    // App Service (issue 14). 224 (was 285.7): no outbox, no log codec. 224.5: coming from page/before
    // rather than the summary page leaves the Balance 3's session page 18 B more (224.02 KB).
    // Every heap ceiling 2–5 KB lower since the double grows QuickJS's name table before its baseline
    // (docs/runtime-double.md): the growth a page's names caused is no longer counted as its heap.
    expect(p.session.heapBytes).toBeLessThanOrEqual(219.5 * KB);
    expect(p.home.heapBytes).toBeLessThanOrEqual(115 * KB);
    expect(p.resume.heapBytes).toBeLessThanOrEqual(352 * KB);
    // The summary also takes the App Service's end reading, from its param or its hand-back file
    // (`@zos/fs`, page/lib/handback.ts, core/watch/service takeHandback): about 1.2 KB.
    expect(p.summary.heapBytes).toBeLessThanOrEqual(381.5 * KB);
    // 90 (was 199): as its JavaScript.
    expect(p.cues.heapBytes).toBeLessThanOrEqual(90 * KB);
  });
});
