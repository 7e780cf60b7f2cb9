import { describe, expect, it } from 'vitest';
import { memoryStore, type KeyValueStore } from '../../../core/base/kv';
import { mount } from '../../../core/base/program';
import { pathOf } from '../../../core/base/routes';
import { quarantineValue, readQuarantine } from '../../../core/base/quarantine';
import { sessionStored } from '../../../core/engine/running-keys';
import { createSession, pause, serialiseSession, start, wake } from '../../../core/engine/session';
import { encodeStart } from '../../../core/engine/session-record';
import { DEFAULT_PRESCRIPTION } from '../../../core/plan/prescription';
import {
  resumeProgram,
  updateResume,
  type ResumeEffect,
  type ResumeEvent,
  type ResumeModel,
} from '../../../core/screens/resume';
import { openOutbox } from '../../../core/watch/outbox';
import { readRunningKeys, settleRunning } from '../../../core/watch/running';
import { followClock } from '../../../core/watch/service';
import { makeLog, seededRandom } from '../../support/sync-fixtures';

const T0 = Date.UTC(2026, 10, 25, 14, 0);
const OFFSET = 60;
const LOG_ID = 'mhz3k2w00-abcdefghjk';
// The keys as the watch stores them (written by the session page), spelled out here.
const CURRENT = 'session.current';
const STARTED = 'session.started';
const RUNNER = 'session.runner';
const HOME = 'page/home/index.page';
const SESSION = 'page/session/index.page';
const SUMMARY = 'page/summary/index.page';
// A default session lasts 217 s (README's table: 10 s, then 3 rounds of 69 s).
const DEFAULT_MS = 217_000;

const startRecord = encodeStart({
  logId: LOG_ID,
  startedAt: T0,
  utcOffsetMin: OFFSET,
  prescription: DEFAULT_PRESCRIPTION,
});

/** The running keys of a default session started at T0 and last stored at `at` (paused there if asked). */
function stored(at: number, how: { paused?: boolean; runner?: 'service' } = {}): Record<string, string> {
  const created = createSession(DEFAULT_PRESCRIPTION);
  if (!created.ok) throw new Error('session');
  const begun = start(created.value, T0);
  if (!begun.ok) throw new Error('start');
  const woke = wake(begun.value.session, at);
  if (!woke.ok) throw new Error('wake');
  let session = woke.value.session;
  if (how.paused) {
    const paused = pause(session, at);
    if (!paused.ok) throw new Error('pause');
    session = paused.value.session;
  }
  return {
    [CURRENT]: serialiseSession(session),
    [STARTED]: startRecord,
    ...(how.runner ? { [RUNNER]: how.runner } : {}),
  };
}

function fillOutbox(store: KeyValueStore): void {
  const { outbox } = openOutbox(store, { now: T0 });
  const random = seededRandom(5);
  for (let i = 0; i < 100; i++) outbox.append(makeLog(random, T0 - (i + 1) * 3_600_000));
}

const pending = (store: KeyValueStore) =>
  openOutbox(store, { now: T0 })
    .outbox.pending()
    .map((p) => p.log);

/**
 * The resume page run on a store at `now`, its effects carried out by core's own functions as the page
 * does (page/resume): where it goes, what it shows, what it asked of the sync loop.
 */
function openAt(store: KeyValueStore, now: number) {
  const opened: string[] = [];
  let syncs = 0;
  const interpret = (effect: ResumeEffect, dispatch: (e: ResumeEvent) => void): void => {
    switch (effect.type) {
      case 'follow':
        return dispatch({ type: 'followed', followed: followClock(store, now) });
      case 'settle': {
        const context = { now, utcOffsetMin: OFFSET, appVersion: '1.0.0', random: () => 0.5 };
        const outcome = settleRunning(store, effect.which, context);
        return dispatch({ type: 'settled', outcome, left: readRunningKeys(store).type });
      }
      case 'sync':
        syncs++;
        return;
      case 'open':
        opened.push(pathOf(effect.route.page));
        return;
    }
  };
  const run = mount(resumeProgram, interpret);
  return {
    run,
    opened,
    get syncs() {
      return syncs;
    },
  };
}

describe('what home peeks at', () => {
  it('a session is stored when either running key is there, whatever it holds', () => {
    expect(sessionStored(memoryStore())).toBe(false);
    expect(sessionStored(memoryStore({ [CURRENT]: 'garbage' }))).toBe(true);
    expect(sessionStored(memoryStore({ [STARTED]: startRecord }))).toBe(true);
    expect(sessionStored(memoryStore({ 'outbox.index': '{}', [RUNNER]: 'service' }))).toBe(false);
  });
});

describe('the resume page as a program', () => {
  const opening: ResumeModel = { stage: 'opening', full: false };

  it('follows the App Service first', () => {
    expect(resumeProgram.init).toEqual({ model: opening, effects: [{ type: 'follow' }] });
    const followed = (f: 'none' | 'paused' | 'running' | 'finished') =>
      updateResume(opening, { type: 'followed', followed: f }).effects;
    expect(followed('running')).toEqual([{ type: 'open', route: { page: 'session' } }]);
    expect(followed('finished')).toEqual([{ type: 'open', route: { page: 'summary' } }]);
    expect(followed('none')).toEqual([{ type: 'settle', which: 'stale' }]);
    expect(followed('paused')).toEqual([{ type: 'settle', which: 'stale' }]);
  });

  it('shows what is left after settling, goes home when nothing is, and syncs only when the outbox is full', () => {
    const settled = (outcome: 'none' | 'logged' | 'quarantined' | 'kept', left: string) =>
      updateResume(opening, { type: 'settled', outcome, left: left as 'none' });
    expect(settled('logged', 'none')).toEqual({
      model: opening,
      effects: [{ type: 'open', route: { page: 'home' } }],
    });
    expect(settled('quarantined', 'none').effects).toEqual([{ type: 'open', route: { page: 'home' } }]);
    expect(settled('none', 'resumable')).toEqual({
      model: { stage: 'interrupted', full: false },
      effects: [],
    });
    // A lost session is logged as soon as it is seen: left only when its log found no room.
    expect(settled('kept', 'lost')).toEqual({
      model: { stage: 'blocked', full: true },
      effects: [{ type: 'sync' }],
    });
    expect(settled('kept', 'finished')).toEqual({
      model: { stage: 'blocked', full: true },
      effects: [{ type: 'sync' }],
    });
    // No quarantine room: nothing the phone can help with.
    expect(settled('kept', 'corrupt')).toEqual({ model: { stage: 'unreadable', full: false }, effects: [] });
  });

  it('Resume opens the session page, Log as interrupted settles anything, other taps do nothing', () => {
    const interrupted: ResumeModel = { stage: 'interrupted', full: false };
    const tap = (m: ResumeModel, type: 'resume' | 'discard') => updateResume(m, { type }).effects;
    expect(tap(interrupted, 'resume')).toEqual([{ type: 'open', route: { page: 'session' } }]);
    expect(tap(interrupted, 'discard')).toEqual([{ type: 'settle', which: 'any' }]);
    expect(tap({ stage: 'blocked', full: true }, 'resume')).toEqual([]);
    expect(tap(opening, 'discard')).toEqual([]);
  });

  it('tries the waiting log again when the outbox changes, and only then', () => {
    const change = (m: ResumeModel) => updateResume(m, { type: 'outboxChanged' }).effects;
    expect(change({ stage: 'blocked', full: true })).toEqual([{ type: 'settle', which: 'stale' }]);
    expect(change({ stage: 'interrupted', full: true })).toEqual([]);
  });
});

describe('the resume page on what the watch stored', () => {
  it('a session cut short on the page: offered; Resume opens the session page and changes nothing', () => {
    const store = memoryStore(stored(T0 + 60_000));
    const before = store.dump();
    const page = openAt(store, T0 + 10 * 60_000);
    expect(page.run.model).toEqual({ stage: 'interrupted', full: false });
    expect(page.opened).toEqual([]);
    page.run.dispatch({ type: 'resume' });
    expect(page.opened).toEqual([SESSION]);
    expect(store.dump()).toEqual(before);
  });

  it('Log as interrupted: the log in the outbox, the keys cleared, then home', () => {
    const store = memoryStore(stored(T0 + 60_000));
    const page = openAt(store, T0 + 10 * 60_000);
    page.run.dispatch({ type: 'discard' });
    expect(page.opened).toEqual([HOME]);
    expect(pending(store)).toMatchObject([
      { id: LOG_ID, outcome: 'interrupted', startedAt: T0, endedAt: T0 + 60_000, roundsDone: 0 },
    ]);
    expect(sessionStored(store)).toBe(false);
  });

  // Nothing of a lost session can be resumed (the session page leaves it), so it is not offered: a
  // Resume that led back here was the only other way out.
  it('only the start record left (the running state lost): logged silently as started, nothing more, then home', () => {
    const store = memoryStore({ [STARTED]: startRecord });
    const page = openAt(store, T0 + 60_000);
    expect(page.opened).toEqual([HOME]);
    expect(pending(store)).toMatchObject([
      { id: LOG_ID, outcome: 'interrupted', activeMs: 0, roundsDone: 0 },
    ]);
    expect(sessionStored(store)).toBe(false);
  });

  it('a stored session that never started (nothing to resume from): logged silently as started, then home', () => {
    const created = createSession(DEFAULT_PRESCRIPTION);
    if (!created.ok) throw new Error('default prescription');
    const store = memoryStore({ [STARTED]: startRecord, [CURRENT]: serialiseSession(created.value) });
    const page = openAt(store, T0 + 5_000);
    expect(page.opened).toEqual([HOME]);
    expect(pending(store)).toMatchObject([{ id: LOG_ID, outcome: 'interrupted', activeMs: 0 }]);
    expect(readQuarantine(store, 'quarantine').items).toEqual([]);
    expect(sessionStored(store)).toBe(false);
  });

  it('a running state that does not read: its text quarantined, the session logged from its start record', () => {
    const store = memoryStore({ [STARTED]: startRecord, [CURRENT]: '{"schema":1,"status":"run' });
    const page = openAt(store, T0 + 60_000);
    expect(page.opened).toEqual([HOME]);
    expect(readQuarantine(store, 'quarantine').items).toMatchObject([
      { key: CURRENT, raw: '{"schema":1,"status":"run' },
    ]);
    expect(pending(store)).toMatchObject([{ id: LOG_ID, outcome: 'interrupted' }]);
    expect(sessionStored(store)).toBe(false);
  });

  it('a lost session and a full outbox: blocked, the keys kept until there is room', () => {
    const store = memoryStore({ [STARTED]: startRecord });
    fillOutbox(store);
    const page = openAt(store, T0 + 60_000);
    expect(page.run.model).toEqual({ stage: 'blocked', full: true });
    expect(page.syncs).toBe(1);
    expect(store.get(STARTED)).toBe(startRecord);
  });

  it('a finished session never cleared: logged silently as completed, then home', () => {
    const store = memoryStore(stored(T0 + DEFAULT_MS + 5_000));
    const page = openAt(store, T0 + DEFAULT_MS + 60_000);
    expect(page.opened).toEqual([HOME]);
    expect(pending(store)).toMatchObject([{ id: LOG_ID, outcome: 'completed', roundsDone: 3 }]);
    expect(sessionStored(store)).toBe(false);
  });

  it('a finished session and a full outbox: blocked, syncing, and logged once the phone has made room', () => {
    const store = memoryStore(stored(T0 + DEFAULT_MS + 5_000));
    fillOutbox(store);
    const page = openAt(store, T0 + DEFAULT_MS + 60_000);
    expect(page.run.model).toEqual({ stage: 'blocked', full: true });
    expect(page.syncs).toBe(1);
    expect(page.opened).toEqual([]);
    // An answer that made no room changes nothing.
    page.run.dispatch({ type: 'outboxChanged' });
    expect(page.run.model.stage).toBe('blocked');
    expect(page.syncs).toBe(1);
    const { outbox } = openOutbox(store, { now: T0 });
    outbox.acknowledge(outbox.pending().slice(0, 19));
    page.run.dispatch({ type: 'outboxChanged' });
    expect(page.opened).toEqual([HOME]);
    expect(pending(store).filter((l) => l.id === LOG_ID)).toMatchObject([{ outcome: 'completed' }]);
    expect(sessionStored(store)).toBe(false);
  });

  it('Log as interrupted with a full outbox: the session is kept and the outbox shown full', () => {
    const store = memoryStore(stored(T0 + 60_000));
    fillOutbox(store);
    const page = openAt(store, T0 + 10 * 60_000);
    page.run.dispatch({ type: 'discard' });
    expect(page.run.model).toEqual({ stage: 'interrupted', full: true });
    expect(page.syncs).toBe(1);
    expect(store.get(CURRENT)).toBeDefined();
  });

  it('keys nobody can read: quarantined whole, then home; with the quarantine full, they stay and it says so', () => {
    const store = memoryStore({ [CURRENT]: 'garbage' });
    expect(openAt(store, T0).opened).toEqual([HOME]);
    expect(readQuarantine(store, 'quarantine').items.map((i) => i.raw)).toEqual(['garbage']);

    const full = memoryStore({ [CURRENT]: 'garbage' });
    for (let i = 0; i < 200; i++)
      quarantineValue(full, 'quarantine', { key: 'x', raw: 'x', reason: 'x', at: 0 });
    const page = openAt(full, T0);
    expect(page.opened).toEqual([]);
    expect(page.run.model).toEqual({ stage: 'unreadable', full: false });
    expect(full.get(CURRENT)).toBe('garbage');
  });

  it('a session the App Service runs: to the session page while the clock says it runs, to the summary once over', () => {
    const running = memoryStore(stored(T0 + 30_000, { runner: 'service' }));
    expect(openAt(running, T0 + 100_000).opened).toEqual([SESSION]);
    const over = memoryStore(stored(T0 + 30_000, { runner: 'service' }));
    expect(openAt(over, T0 + DEFAULT_MS + 1_000).opened).toEqual([SUMMARY]);
    // The summary logs it: nothing is logged here.
    expect(pending(over)).toEqual([]);
    expect(over.get(CURRENT)).toBeDefined();
  });

  it('a session the App Service ran and the patient paused: offered for resuming', () => {
    const store = memoryStore(stored(T0 + 30_000, { runner: 'service', paused: true }));
    const page = openAt(store, T0 + 10 * 60_000);
    expect(page.run.model.stage).toBe('interrupted');
    expect(page.opened).toEqual([]);
  });
});
