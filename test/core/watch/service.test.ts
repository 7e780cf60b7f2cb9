import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../../core/base/kv';
import { createSession, pause, serialiseSession, start, wake } from '../../../core/engine/session';
import { settleRunning } from '../../../core/watch/running';
import { encodeStart, RUNNING_KEYS } from '../../../core/engine/session-record';
import { DEFAULT_PRESCRIPTION } from '../../../core/plan/prescription';
import { sessionLogId } from '../../../core/log/session-log';
import { buildTimeline } from '../../../core/engine/timeline';
import { openOutbox } from '../../../core/watch/outbox';
import {
  decodeHandover,
  encodeHandover,
  followClock,
  handoverHeartRate,
  handoverOf,
  logFinished,
  refusalOfStart,
  RUNNER_KEY,
  takeHandback,
} from '../../../core/watch/service';

const T0 = Date.UTC(2026, 10, 25, 14, 0, 0);
const random = (): number => 0.5;
// The default session's length, from the timeline (held to the seed routine by its own tests): 219 s.
const timeline = buildTimeline(DEFAULT_PRESCRIPTION);
if (!timeline.ok) throw new Error('no timeline');
const TOTAL = timeline.value.totalMs;
const ID = sessionLogId(T0, random);

/** What the session page stores when it starts a session at T0 and hands it to the service. */
function started(runner: 'service' | 'page' = 'service') {
  const created = createSession(DEFAULT_PRESCRIPTION);
  if (!created.ok) throw new Error('no session');
  const s = start(created.value, T0);
  if (!s.ok) throw new Error('not started');
  const store = memoryStore({
    [RUNNING_KEYS.started]: encodeStart({
      logId: ID,
      startedAt: T0,
      utcOffsetMin: 60,
      prescription: DEFAULT_PRESCRIPTION,
    }),
    [RUNNING_KEYS.current]: serialiseSession(s.value.session),
    ...(runner === 'service' ? { [RUNNER_KEY]: 'service' } : {}),
  });
  return { store, session: s.value.session };
}

describe('who plays the cues', () => {
  it('names each documented start error, and any other code as unknown', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 255, 9].map(refusalOfStart)).toEqual([
      'param',
      'state',
      'permission',
      'memory',
      'unsupported',
      'prohibited',
      'busy',
      'unknown',
      'unknown',
    ]);
  });
});

describe('the hand-over', () => {
  it('carries the running keys whole and reads back the session with its log id', () => {
    const { store, session } = started();
    const text = handoverOf(store)!;
    const back = decodeHandover(text);
    expect(back.ok && back.value.type === 'resumable' && back.value.logId).toBe(ID);
    expect(back.ok && back.value.type === 'resumable' && back.value.session.startedAt).toBe(
      session.startedAt,
    );
  });

  it.each([
    [undefined, 'session-handover.json: missing'],
    ['{', 'session-handover.json: not JSON'],
    ['{"v":2,"current":"x"}', 'session-handover.json: not a version 1 hand-over'],
    ['{"v":1}', 'session-handover.json: no session'],
    ['{"v":1,"current":"x","started":5}', 'session-handover.json: bad start record'],
  ])('refuses %s', (text, error) => {
    expect(decodeHandover(text)).toEqual({ ok: false, error });
  });

  it('refuses a hand-over of a finished session: there is nothing to play', () => {
    const { store } = started();
    followClock(store, T0 + TOTAL + 1);
    const text = encodeHandover({ current: store.get(RUNNING_KEYS.current)!, started: undefined });
    const r = decodeHandover(text);
    expect(r.ok).toBe(false);
  });
});

describe('followClock and logFinished', () => {
  it('leaves a session the page plays alone', () => {
    const { store } = started('page');
    const before = store.dump();
    expect(followClock(store, T0 + 60_000)).toBe('none');
    expect(store.dump()).toEqual(before);
  });

  it('brings a running service session up to the clock without counting a pause', () => {
    const { store } = started();
    expect(followClock(store, T0 + 60_000)).toBe('running');
    const r = decodeHandover(handoverOf(store));
    if (!r.ok || r.value.type !== 'resumable') throw new Error('unreadable');
    expect(r.value.session.pauses).toBe(0);
    expect(r.value.session.lastAt).toBe(T0 + 60_000);
    // Every cue due by 60 s is behind it.
    const due = timeline.value.cues.filter((c) => c.atMs <= 60_000).length;
    expect(r.value.session.nextCue).toBe(due);
  });

  it('leaves a paused one as it is', () => {
    const { store, session } = started();
    const p = pause(session, T0 + 30_000);
    if (!p.ok) throw new Error('no pause');
    store.set(RUNNING_KEYS.current, serialiseSession(p.value.session));
    expect(followClock(store, T0 + 600_000)).toBe('paused');
  });

  it('a session over by the clock is logged completed, ending when its last cue was due, once', () => {
    const { store } = started();
    expect(followClock(store, T0 + TOTAL + 90_000)).toBe('finished');
    expect(store.get(RUNNER_KEY)).toBeUndefined();
    const done = logFinished(store, { now: T0 + TOTAL + 90_000, appVersion: '1.0.0', utcOffsetMin: 60 });
    expect(done?.stored).toBe(true);
    expect(done?.log).toMatchObject({
      id: ID,
      outcome: 'completed',
      endedAt: T0 + TOTAL,
      activeMs: TOTAL,
      pauses: 0,
      // The page played the set-up's cue on time and handed over: the other 49 of the 50 were the
      // service's, whose lateness the page cannot know; no screen-on time was sampled (no page ran).
      cuesPage: 1,
      cuesService: 49,
      lateMaxMs: 0,
      lateP95Ms: 0,
      screenOnS: 0,
    });
    expect(store.get(RUNNING_KEYS.current)).toBeUndefined();
    expect(openOutbox(store, { now: T0 + TOTAL + 90_000 }).outbox.status()).toMatchObject({ pending: 1 });
    expect(
      logFinished(store, { now: T0 + TOTAL + 90_000, appVersion: '1.0.0', utcOffsetMin: 60 }),
    ).toBeNull();
  });
});

describe('what a session measured of itself, in its log (issue 23)', () => {
  it('says none of it for a session stored before it measured', () => {
    const { store, session } = started('page');
    // Stored by the version before: the set-up's cue played, no lateness kept, no counts.
    const woke = wake(session, T0 + 10_000);
    if (!woke.ok) throw new Error('no wake');
    const old = JSON.parse(serialiseSession(woke.value.session)) as Record<string, unknown>;
    delete old.late;
    delete old.byService;
    delete old.litMs;
    store.set(RUNNING_KEYS.current, JSON.stringify(old));
    const ended = settleRunning(store, 'any', {
      now: T0 + 10_000,
      utcOffsetMin: 60,
      appVersion: '1.0.0',
    });
    expect(ended).toBe('logged');
    const [log] = openOutbox(store, { now: T0 + 10_000 })
      .outbox.pending()
      .map((p) => p.log);
    expect(log).toMatchObject({ outcome: 'interrupted' });
    for (const field of ['cuesPage', 'cuesService', 'screenOnS', 'lateMaxMs', 'lateP95Ms'])
      expect(log).not.toHaveProperty(field);
  });
});

describe("the service's end reading", () => {
  const ctx = { now: T0 + TOTAL + 90_000, appVersion: '1.0.0', utcOffsetMin: 60 };

  it('the hand-over says whether the service may measure; anything else says it may not', () => {
    const { store } = started();
    expect(handoverHeartRate(handoverOf(store, true))).toBe(true);
    expect(handoverHeartRate(handoverOf(store))).toBe(false);
    expect(handoverHeartRate('{"v":1,"current":"x","hr":"yes"}')).toBe(false);
    expect(handoverHeartRate('not json')).toBe(false);
    expect(handoverHeartRate(undefined)).toBe(false);
  });

  it('goes into the log of the session it belongs to, and only that one', () => {
    const { store } = started();
    expect(followClock(store, ctx.now)).toBe('finished');
    expect(takeHandback(store, { logId: 'another-session-id0', hrEnd: 60 }, ctx)).toBe(false);
    expect(takeHandback(store, { logId: ID, hrEnd: 64 }, ctx)).toBe(true);
    expect(logFinished(store, ctx)?.log).toMatchObject({ id: ID, outcome: 'completed', hrEnd: 64 });
  });

  it('a start record with a start reading keeps it beside the end reading', () => {
    const { store } = started();
    store.set(
      RUNNING_KEYS.started,
      encodeStart({
        logId: ID,
        startedAt: T0,
        utcOffsetMin: 60,
        prescription: DEFAULT_PRESCRIPTION,
        hrStart: 72,
      }),
    );
    followClock(store, ctx.now);
    takeHandback(store, { logId: ID, hrEnd: 64 }, ctx);
    expect(logFinished(store, ctx)?.log).toMatchObject({ hrStart: 72, hrEnd: 64 });
  });
});
