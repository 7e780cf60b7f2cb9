import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../../core/base/kv';
import { mount, type Run } from '../../../core/base/program';
import { DEFAULT_PRESCRIPTION } from '../../../core/plan/prescription';
import { ROUTINE_ID, ROUTINE_VERSION } from '../../../core/plan/routine';
import { patternMs } from '../../../core/engine/haptics';
import { createSession, type Session } from '../../../core/engine/session';
import {
  beginFlow,
  DISPLAY_TICK_MS,
  flowSubscriptions,
  followFlow,
  KEEP_AWAKE_MARGIN_MS,
  resumeFlow,
  sessionProgram,
  updateFlow,
  updateForEndReading,
  type FlowResult,
  type SessionFlow,
  type SessionFlowEffect,
  type SessionFlowEvent,
} from '../../../core/engine/session-flow';
import {
  encodeStart,
  interruptedLog,
  readRunning,
  RUNNING_KEYS,
  summaryOfSession,
} from '../../../core/engine/session-record';
import type { SessionLog } from '../../../core/log/session-log';
import { openOutbox } from '../../../core/watch/outbox';
import { settleRunning } from '../../../core/watch/running';
import { logFinished } from '../../../core/watch/service';

const T0 = Date.UTC(2026, 10, 25, 15, 0, 0);
const META = { logId: 'mhz3k2w00-abcdefghjk', utcOffsetMin: 60, appVersion: '1.0.0' };
/** The start record the session page writes before the flow begins (sessionProgram). */
const START_RECORD = encodeStart({
  logId: META.logId,
  startedAt: T0,
  utcOffsetMin: 60,
  prescription: DEFAULT_PRESCRIPTION,
});

type Finish = Extract<SessionFlowEffect, { type: 'finish' }>;

function fresh(prescription: object = DEFAULT_PRESCRIPTION): Session {
  const s = createSession(prescription);
  if (!s.ok) throw new Error('bad test prescription');
  return s.value;
}

/**
 * Drives a flow like the page does: one timer, at the time the flow's subscriptions name, the running
 * keys in a store; at the finish, the end reading into the start record and then the summary page's
 * logging from the running keys (page/summary: core/watch/service `logFinished`).
 */
class Driver {
  now = T0;
  played: { at: number; cue: string }[] = [];
  armed: number | null = null;
  persisted: string | null = null;
  awake: number[] = [];
  /** The finish effect, and the log the summary then kept from the running keys. */
  finish: Finish | null = null;
  finished: SessionLog | null = null;
  /** The watch's storage: the running keys the flow writes (the start record as the page wrote it). */
  readonly store = memoryStore();
  asked = 0;
  /** Every time the one timer fired. */
  wakes: number[] = [];
  /** When the sensor was switched on (the `heartRate` subscription started). */
  measured: number[] = [];
  /** When the flow left for the summary (`leave`), if it did. */
  left: number | null = null;
  private fire = (): void => undefined;
  writes = 0;
  private readonly run: Run<SessionFlow, SessionFlowEvent>;

  constructor(
    init: FlowResult,
    update = updateFlow,
    private readonly opts: { started?: string; appVersion?: string; summary?: boolean } = {},
  ) {
    this.store.set(RUNNING_KEYS.started, opts.started ?? START_RECORD);
    this.run = mount({ init, update, subscriptions: flowSubscriptions }, (e) => this.take(e), undefined, {
      wake: (sub, dispatch) => {
        const { at } = sub;
        this.armed = at;
        this.fire = () => dispatch({ type: 'wake', now: this.now }, sub);
        return () => {
          if (this.armed === at) this.armed = null;
        };
      },
      heartRate: () => {
        this.measured.push(this.now);
        return () => undefined;
      },
    });
  }

  get flow(): SessionFlow {
    return this.run.model;
  }

  take(e: SessionFlowEffect): void {
    if (e.type === 'play') this.played.push({ at: this.now, cue: e.cue });
    else if (e.type === 'leave') this.left = this.now;
    else if (e.type === 'persist') {
      this.persisted = e.text;
      this.store.set(e.key, e.text);
      this.writes++;
    } else if (e.type === 'keepAwake') this.awake.push(e.ms);
    else if (e.type === 'askEnd') this.asked++;
    else if (e.type === 'finish') {
      this.finish = e;
      // summary false: the watch stops here, between the page's last write and the summary.
      if (this.opts.summary === false) return;
      const ctx = { now: this.now, appVersion: this.opts.appVersion ?? '1.0.0', utcOffsetMin: 60 };
      this.finished = logFinished(this.store, ctx)?.log ?? null;
    }
  }

  send(event: SessionFlowEvent): void {
    this.run.dispatch(event);
  }

  /** Lets the one timer fire `late` ms after its deadline, until nothing is armed or `until`. */
  runTimer(late = 0, until = Infinity): void {
    while (this.armed !== null && this.armed + late <= until) {
      this.now = this.armed + late;
      this.armed = null;
      this.wakes.push(this.now);
      this.fire();
    }
    if (until !== Infinity) this.now = Math.max(this.now, until);
  }
}

describe('a whole default session through the flow', () => {
  it('plays every cue of the timeline once, in order, on time, then finishes: the summary logs it completed', () => {
    const session = fresh();
    const d = new Driver(beginFlow(session, META, 'sequence', T0));
    d.runTimer();
    const cues = session.timeline.cues;
    expect(d.played.map((p) => p.cue)).toEqual(cues.map((c) => c.kind));
    expect(d.played.map((p) => p.at - T0)).toEqual(cues.map((c) => c.atMs));
    expect(d.finished).not.toBeNull();
    expect(d.finished).toMatchObject({
      id: META.logId,
      outcome: 'completed',
      roundsDone: 3,
      roundsPlanned: 3,
      pauses: 0,
      stepsSkipped: 0,
      activeMs: session.timeline.totalMs,
      startedAt: T0,
      endedAt: T0 + session.timeline.totalMs,
      utcOffsetMin: 60,
    });
    expect(d.armed).toBeNull();
  });

  it('wakes once per second of the session and never twice at one moment: 217 wakes for 217 s', () => {
    // The default session lasts 217 s (README routine table: 10 + 3 × 69 s) and every cue falls on a
    // whole second of it, so one timer for the earlier of cue and screen tick fires at 1 s, 2 s, … 217 s.
    const session = fresh();
    const d = new Driver(beginFlow(session, META, 'sequence', T0));
    d.runTimer();
    expect(session.timeline.totalMs).toBe(217_000);
    // Then one more: the summary, once the session-done pattern is felt.
    expect(d.wakes.map((t) => t - T0)).toEqual([
      ...Array.from({ length: 217 }, (_, i) => (i + 1) * 1000),
      217_000 + patternMs('sessionDone'),
    ]);
    // A tick alone writes nothing: one write at the start, then one per cue after the first, the last
    // one storing the session finished for the summary to log.
    expect(d.writes).toBe(1 + session.timeline.cues.length - 1);
  });

  it('with no screen (tickMs null) the timer follows the cues alone', () => {
    const session = fresh();
    const d = new Driver(beginFlow(session, META, 'sequence', T0, null));
    d.runTimer();
    expect(d.wakes.map((t) => t - T0)).toEqual([
      ...session.timeline.cues.slice(1).map((c) => c.atMs),
      217_000 + patternMs('sessionDone'),
    ]);
    expect(d.finished?.outcome).toBe('completed');
  });

  it('leaves for the summary only once the session-done pattern has been felt whole', () => {
    const session = fresh();
    const r = beginFlow(session, META, 'sequence', T0);
    let flow = r.model;
    let finish: SessionFlowEffect | undefined;
    for (const cue of session.timeline.cues.slice(1)) {
      const u = updateFlow(flow, { type: 'wake', now: T0 + cue.atMs });
      flow = u.model;
      finish = u.effects.find((e) => e.type === 'finish') ?? finish;
    }
    expect(finish).toMatchObject({ type: 'finish' });
    expect(patternMs('sessionDone')).toBeGreaterThan(0);
    // The one timer now wakes for the summary: 217 s, the session's end, plus the pattern's length.
    expect(flowSubscriptions(flow)).toEqual([{ type: 'wake', at: T0 + 217_000 + patternMs('sessionDone') }]);
    const left = updateFlow(flow, { type: 'wake', now: T0 + 217_000 + patternMs('sessionDone') });
    expect(left.effects).toEqual([{ type: 'leave', to: 'summary' }]);
    expect(flowSubscriptions(left.model)).toEqual([]);
  });

  it('a completed session with its phrases waits for "Well done" (doneMs) when that is longer than the pattern', () => {
    const session = fresh();
    const d = new Driver(
      beginFlow(session, META, 'sequence', T0, DISPLAY_TICK_MS, { doneMs: patternMs('sessionDone') + 700 }),
    );
    d.runTimer();
    expect(d.left).toBe(T0 + 217_000 + patternMs('sessionDone') + 700);
  });

  it('keeps the screen awake for the time left plus a margin, from the start', () => {
    const session = fresh();
    const d = new Driver(beginFlow(session, META, 'sequence', T0));
    expect(d.awake).toEqual([session.timeline.totalMs + KEEP_AWAKE_MARGIN_MS]);
  });

  it('persists the running session after every event, so a relaunch lands where it was', () => {
    const session = fresh();
    const d = new Driver(beginFlow(session, META, 'sequence', T0));
    d.runTimer(0, T0 + 30_000);
    const running = readRunning(d.persisted ?? undefined, undefined);
    expect(running.type).toBe('resumable');
  });

  it('a late timer delays one cue but never the ones after it', () => {
    const session = fresh();
    const d = new Driver(beginFlow(session, META, 'sequence', T0));
    d.runTimer(180);
    // The first cue plays on the start itself; every later one comes from the (late) timer.
    expect(d.played.map((p) => p.at - T0)).toEqual(
      session.timeline.cues.map((c) => (c.atMs === 0 ? 0 : c.atMs + 180)),
    );
    expect(d.finished?.outcome).toBe('completed');
  });
});

describe('pause, skip, end early', () => {
  it('pausing stops the clock: cues after resume are shifted by exactly the pause', () => {
    const session = fresh();
    const d = new Driver(beginFlow(session, META, 'sequence', T0));
    d.runTimer(0, T0 + 20_000);
    d.send({ type: 'toggle', now: d.now });
    expect(d.flow.session.status).toBe('paused');
    expect(d.armed).toBeNull();
    d.now += 45_000;
    d.send({ type: 'toggle', now: d.now });
    expect(d.awake.at(-1)).toBe(session.timeline.totalMs - 20_000 + KEEP_AWAKE_MARGIN_MS);
    d.runTimer();
    const after = d.played.filter((p) => p.at > T0 + 20_000 + 45_000);
    const expected = session.timeline.cues.filter((c) => c.atMs > 20_000).map((c) => c.atMs + 45_000);
    expect(after.map((p) => p.at - T0)).toEqual(expected);
    expect(d.finished).toMatchObject({ outcome: 'completed', pauses: 1, pausedMs: 45_000 });
  });

  it('skip moves to the next step and records it', () => {
    const session = fresh();
    const d = new Driver(beginFlow(session, META, 'sequence', T0));
    d.send({ type: 'skip', now: T0 + 2000 });
    // The set-up is skipped: the first round's first cue plays at once.
    expect(d.played.at(-1)).toEqual({ at: T0, cue: session.timeline.cues[1]!.kind });
    d.runTimer();
    expect(d.finished).toMatchObject({ outcome: 'completed', stepsSkipped: 1 });
  });

  it('ending early asks first; "no" keeps going, "yes" logs the rounds done so far', () => {
    const session = fresh();
    const d = new Driver(beginFlow(session, META, 'sequence', T0));
    const roundOne = session.timeline.rounds[0]!;
    d.runTimer(0, T0 + roundOne.endMs + 5000);
    d.send({ type: 'askEnd', now: d.now });
    expect(d.asked).toBe(1);
    d.send({ type: 'answerEnd', now: d.now, end: false });
    expect(d.finished).toBeNull();
    expect(d.flow.session.status).toBe('running');
    d.send({ type: 'askEnd', now: d.now });
    const ended = updateFlow(d.flow, { type: 'answerEnd', now: d.now, end: true });
    // Ending plays no cue, so there is nothing to wait for: the summary at once.
    expect(ended.effects.find((e) => e.type === 'finish')).toBeDefined();
    expect(flowSubscriptions(ended.model)).toEqual([{ type: 'wake', at: d.now }]);
    d.send({ type: 'answerEnd', now: d.now, end: true });
    expect(d.finished).toMatchObject({ outcome: 'ended_early', roundsDone: 1, roundsPlanned: 3 });
    expect(d.finished!.endedAt).toBe(d.now);
  });

  it('taps and skips are ignored while the end question is open', () => {
    const d = new Driver(beginFlow(fresh(), META, 'sequence', T0));
    d.send({ type: 'askEnd', now: T0 + 1000 });
    d.send({ type: 'toggle', now: T0 + 1500 });
    d.send({ type: 'skip', now: T0 + 1600 });
    expect(d.flow.session.status).toBe('running');
    expect(d.flow.session.skippedSteps).toEqual([]);
  });
});

describe('relaunch', () => {
  it('resumes where the app was lost, counting the lost time as one pause', () => {
    const session = fresh();
    const d = new Driver(beginFlow(session, META, 'sequence', T0));
    d.runTimer(0, T0 + 50_000);
    const lastCueAt = d.played.at(-1)!.at;
    const stored = d.persisted!;
    const running = readRunning(
      stored,
      encodeStart({ logId: META.logId, startedAt: T0, utcOffsetMin: 60, prescription: DEFAULT_PRESCRIPTION }),
    );
    if (running.type !== 'resumable') throw new Error(running.type);
    expect(running.logId).toBe(META.logId);
    const back = T0 + 10 * 60_000;
    const r = new Driver(resumeFlow(running.session, META, 'sequence', back));
    r.now = back;
    // Nothing stale is played on return; the next cue is as far away as it was when the app was lost.
    expect(r.played).toEqual([]);
    const nextCue = session.timeline.cues.find((c) => c.atMs > lastCueAt - T0)!;
    // The next cue is as far away as it was when the app was lost; the screen's first tick, a whole
    // second of active time after the resume (the cue was on a whole second), comes first.
    expect(r.flow.session.status).toBe('running');
    expect(nextCue.atMs - (lastCueAt - T0)).toBeGreaterThan(1000);
    expect(r.armed).toBe(back + 1000);
    r.runTimer(0, back + (nextCue.atMs - (lastCueAt - T0)) - 1);
    expect(r.played).toEqual([]);
    r.runTimer(0, back + (nextCue.atMs - (lastCueAt - T0)));
    expect(r.played).toEqual([{ at: back + (nextCue.atMs - (lastCueAt - T0)), cue: nextCue.kind }]);
    r.runTimer();
    expect(r.finished).toMatchObject({ outcome: 'completed', pauses: 1, pausedMs: back - lastCueAt });
  });

  it('a session given up on relaunch is logged as interrupted where it was lost', () => {
    const session = fresh();
    const d = new Driver(beginFlow(session, META, 'sequence', T0));
    d.runTimer(0, T0 + session.timeline.rounds[1]!.endMs + 1000);
    const running = readRunning(d.persisted!, undefined);
    if (running.type !== 'resumable') throw new Error(running.type);
    // No start record: the id is made from what the state holds, the same at every read, and its head
    // is the session's start in base 36 (T0 = 2026-11-25T15:00Z = 1795618800000 ms).
    expect(running.logId).toMatch(/^0mww92lc0-[0-9a-hjkmnp-tv-z]{10}$/);
    expect(readRunning(d.persisted!, undefined)).toMatchObject({ logId: running.logId });
    const log = interruptedLog(running.session, { ...META, logId: running.logId });
    expect(log.ok && log.value).toMatchObject({
      outcome: 'interrupted',
      roundsDone: 2,
      id: running.logId,
      endedAt: d.played.at(-1)!.at,
    });
  });

  it('a paused session stays paused after a relaunch', () => {
    const d = new Driver(beginFlow(fresh(), META, 'sequence', T0));
    d.send({ type: 'toggle', now: T0 + 5000 });
    const running = readRunning(d.persisted!, undefined);
    if (running.type !== 'resumable') throw new Error(running.type);
    const r = new Driver(resumeFlow(running.session, META, 'sequence', T0 + 60_000));
    expect(r.flow.session.status).toBe('paused');
    expect(r.armed).toBeNull();
  });
});

describe('readRunning on damaged storage', () => {
  const start = encodeStart({
    logId: META.logId,
    startedAt: T0,
    utcOffsetMin: 0,
    prescription: DEFAULT_PRESCRIPTION,
  });

  it('nothing stored is nothing to resume', () => {
    expect(readRunning(undefined, undefined)).toEqual({ type: 'none' });
  });

  it.each(['{"schema":1', '"hello"', '{}', '{"schema":99}', ''])(
    'an unreadable running state %j with a start record can still be logged as lost',
    (current) => {
      const running = readRunning(current, start);
      expect(running.type).toBe('lost');
      if (running.type === 'lost') expect(running.start.logId).toBe(META.logId);
    },
  );

  it('both records unreadable is reported as corrupt, with the reasons', () => {
    const running = readRunning('garbage', 'also garbage');
    expect(running.type).toBe('corrupt');
    if (running.type === 'corrupt') expect(running.reason).toMatch(/JSON/);
  });
});

/** What the session page opens with for a new default session at T0 (UTC+1), on a watch playing `haptics`. */
const newSessionAt = (haptics: 'timed' | 'sequence') => ({
  running: { type: 'none' } as const,
  prescription: DEFAULT_PRESCRIPTION,
  now: T0,
  utcOffsetMin: 60,
  haptics,
  random: () => 0,
});

describe('the session page as a program', () => {
  const opening = newSessionAt('timed');
  // Hand-worked from the vocabulary (README, "What the wrist feels"): a step starts with tap-tap, two
  // short scenes 220 ms apart (a 20 ms tick, then a 200 ms gap); on API 3.6 one sequence says the same.
  // Two 20 ms taps, 200 ms apart: scenes at 0 and 220 ms.
  const tapTapTimed = [0, 220].map((atMs) => ({ atMs, scene: 'VIBRATOR_SCENE_SHORT_MIDDLE' }));

  it('a new session writes its start record before anything else, then plays the first cue as rendered for the watch', () => {
    const program = sessionProgram(opening);
    const { init } = program;
    expect(init.effects.map((e) => e.type)).toEqual(['persist', 'play', 'persist', 'keepAwake']);
    // The one timer: the screen's first tick, 1 s after the start (the next cue is 10 s away); the
    // buttons and swipes the session takes; no heart rate (not allowed here).
    expect(program.subscriptions!(init.model)).toEqual([
      { type: 'wake', at: T0 + 1000 },
      { type: 'keys', take: { select: 'toggle', back: 'askEnd', swipeRight: 'askEnd', swipeLeft: 'skip' } },
    ]);
    const [record, play] = init.effects;
    // 9 base-36 digits of the start time, a dash, 10 base-32 characters (random 0 → "0").
    const logId = `${T0.toString(36).padStart(9, '0')}-0000000000`;
    expect(record).toMatchObject({ type: 'persist', key: 'session.started' });
    expect(JSON.parse((record as { text: string }).text)).toMatchObject({
      logId,
      startedAt: T0,
      utcOffsetMin: 60,
    });
    expect(play).toEqual({ type: 'play', cue: 'stepStart', pattern: { type: 'timed', pulses: tapTapTimed } });
    expect(init.model?.meta.logId).toBe(logId);
  });

  it('the play effect carries the patient’s strength, so the shell never looks it up', () => {
    const light = { ...DEFAULT_PRESCRIPTION, strength: 'light' as const };
    const { init } = sessionProgram({ ...opening, prescription: light, haptics: 'sequence' });
    expect(init.effects.find((e) => e.type === 'play')).toEqual({
      type: 'play',
      cue: 'stepStart',
      pattern: {
        type: 'sequence',
        actions: [{ type: 'GENTLE_SHORT' }, { type: 'PAUSE', duration: 200 }, { type: 'GENTLE_SHORT' }],
      },
    });
  });

  it('a stored session is picked up, whatever the page was opened for', () => {
    const d = new Driver(beginFlow(fresh(), META, 'sequence', T0));
    d.runTimer(0, T0 + 30_000);
    const running = readRunning(
      d.persisted!,
      encodeStart({ logId: META.logId, startedAt: T0, utcOffsetMin: 60, prescription: DEFAULT_PRESCRIPTION }),
    );
    const { init } = sessionProgram({ ...opening, running, now: T0 + 40_000 });
    expect(init.model?.meta.logId).toBe(META.logId);
    expect(init.effects.some((e) => e.type === 'persist' && e.key === 'session.started')).toBe(false);
    // Picked up where it was lost (30 s in, so 10 s paused): the next tick is 1 s away.
    expect(init.model?.wakeAt).toBe(T0 + 41_000);
  });

  it.each([
    { type: 'corrupt', reason: 'unreadable' } as const,
    {
      type: 'lost',
      reason: 'unreadable',
      start: { logId: META.logId, startedAt: T0, utcOffsetMin: 0, prescription: DEFAULT_PRESCRIPTION },
    } as const,
  ])('a stored session it cannot resume ($type) is left for home to settle', (running) => {
    const program = sessionProgram({ ...opening, running });
    expect(program.init).toEqual({ model: null, effects: [{ type: 'leave', to: 'home' }] });
    expect(program.update(null, { type: 'toggle', now: T0 })).toEqual({ model: null, effects: [] });
  });

  it('a finished session the summary never logged (the page closed before it opened) goes to the summary', () => {
    const d = new Driver(beginFlow(fresh(), META, 'sequence', T0));
    d.send({ type: 'askEnd', now: T0 + 30_000 });
    // What the flow stores before its finish effect: the finished session.
    const ended = updateFlow(d.flow, { type: 'answerEnd', now: T0 + 30_000, end: true });
    const stored = ended.effects.find((e) => e.type === 'persist');
    if (stored?.type !== 'persist') throw new Error('the finish stored nothing');
    const running = readRunning(stored.text, START_RECORD);
    expect(running.type).toBe('finished');
    const program = sessionProgram({ ...opening, running, now: T0 + 40_000 });
    expect(program.init).toEqual({ model: null, effects: [{ type: 'leave', to: 'summary' }] });
  });
});

describe('a log the schema would refuse is still kept', () => {
  it('a version name the schema refuses: stored as "unknown", and the log says so', () => {
    const d = new Driver(beginFlow(fresh(), META, 'sequence', T0), updateFlow, { appVersion: '1.0_beta' });
    d.runTimer();
    expect(d.finished).toMatchObject({
      outcome: 'completed',
      appVersion: 'unknown',
      repairs: ['appVersion "1.0_beta" was outside what a log holds; stored as "unknown".'],
    });
  });

  it('a pause longer than a log holds (40 days): kept at 31 days, the session otherwise as it was', () => {
    const session = fresh();
    const d = new Driver(beginFlow(session, META, 'sequence', T0));
    d.runTimer(0, T0 + 20_000);
    d.send({ type: 'toggle', now: d.now });
    d.now += 40 * 86_400_000;
    d.send({ type: 'toggle', now: d.now });
    d.runTimer();
    const lasted = 40 * 86_400_000 + session.timeline.totalMs;
    expect(d.finished).toMatchObject({
      outcome: 'completed',
      startedAt: T0,
      endedAt: T0 + lasted,
      activeMs: session.timeline.totalMs,
      pausedMs: 31 * 86_400_000,
      repairs: [`pausedMs ${40 * 86_400_000} was outside what a log holds; stored as ${31 * 86_400_000}.`],
    });
  });
});

describe('pain before and heart rate through the flow', () => {
  const opening = newSessionAt('sequence');
  const total = fresh().timeline.totalMs; // 217 s

  it('keeps the first reading of the first minute as the start, the last of the last 30 s as the end', () => {
    const { init } = sessionProgram({ ...opening, painBefore: 3 });
    // The rating before is in the start record, written before anything else.
    const [record] = init.effects;
    expect(record).toMatchObject({ type: 'persist', key: 'session.started' });
    expect(JSON.parse((record as { text: string }).text)).toMatchObject({ painBefore: 3 });
    const d = new Driver(init as FlowResult);
    const heart = (atMs: number, bpm: unknown) => {
      d.runTimer(0, T0 + atMs);
      d.writes = 0;
      d.send({ type: 'heartRate', now: T0 + atMs, bpm });
    };
    // A sensor's 0 ("no value yet") and noise are not readings.
    heart(5_000, 0);
    expect(d.flow.meta.hrStart).toBeUndefined();
    heart(8_000, 300);
    expect(d.flow.meta.hrStart).toBeUndefined();
    expect(d.writes).toBe(0);
    heart(9_000, 72);
    // The start reading is written into the start record at once (a relaunch keeps it), once.
    expect(d.flow.meta.hrStart).toBe(72);
    expect(d.writes).toBe(1);
    expect(JSON.parse(d.persisted!)).toMatchObject({ painBefore: 3, hrStart: 72, startedAt: T0 });
    heart(10_000, 75);
    expect(d.flow.meta.hrStart).toBe(72);
    expect(d.writes).toBe(0);
    heart(total - 20_000, 64);
    d.runTimer();
    expect(d.finished).toMatchObject({ painBefore: 3, hrStart: 72, hrEnd: 64, outcome: 'completed' });
  });

  it('a last reading older than 30 s at the end, or a first one after the first minute, is not measured', () => {
    const d = new Driver(sessionProgram(opening).init as FlowResult);
    d.runTimer(0, T0 + 61_000);
    d.send({ type: 'heartRate', now: T0 + 61_000, bpm: 70 });
    d.runTimer(0, T0 + total - 31_000);
    d.send({ type: 'heartRate', now: T0 + total - 31_000, bpm: 66 });
    d.runTimer();
    expect(d.finished).not.toBeNull();
    expect(d.finished!.hrStart).toBeUndefined();
    expect(d.finished!.hrEnd).toBeUndefined();
    expect(d.finished!.painBefore).toBeUndefined();
  });

  it('refuses a rating before that is not 0–10, and ignores readings once the session is over', () => {
    for (const painBefore of [-1, 11, 2.5, Number.NaN]) {
      const { init } = sessionProgram({ ...opening, painBefore });
      expect(init.model?.meta.painBefore).toBeUndefined();
    }
    const d = new Driver(sessionProgram({ ...opening, painBefore: 0 }).init as FlowResult);
    expect(d.flow.meta.painBefore).toBe(0);
    d.runTimer();
    const after = d.flow;
    d.send({ type: 'heartRate', now: d.now, bpm: 70 });
    expect(d.flow).toBe(after);
  });

  it('a relaunch keeps the rating before and the start reading from the start record', () => {
    const d = new Driver(sessionProgram({ ...opening, painBefore: 4 }).init as FlowResult);
    d.runTimer(0, T0 + 9_000);
    d.send({ type: 'heartRate', now: T0 + 9_000, bpm: 71 });
    const startRecord = d.persisted!;
    d.runTimer(0, T0 + 50_000);
    const running = readRunning(d.persisted!, startRecord);
    if (running.type !== 'resumable') throw new Error(running.type);
    expect(running.extras).toEqual({ painBefore: 4, hrStart: 71 });
    const back = T0 + 5 * 60_000;
    const r = new Driver(sessionProgram({ ...opening, running, now: back }).init as FlowResult, updateFlow, {
      started: startRecord,
    });
    r.now = back;
    r.runTimer();
    // No reading since the relaunch: the end is not measured; what the start record held stays.
    expect(r.finished).toMatchObject({ painBefore: 4, hrStart: 71, outcome: 'completed' });
    expect(r.finished!.hrEnd).toBeUndefined();
    // Given up instead: the interrupted log keeps them too.
    const given = interruptedLog(running.session, { ...META, ...running.extras });
    expect(given.ok && [given.value.painBefore, given.value.hrStart]).toEqual([4, 71]);
  });
});

describe('the end: left in the running keys, logged by the summary', () => {
  const opening = newSessionAt('sequence');
  // random 0: the start time in base 36 (9 digits), a dash, ten "0"s (core/log/session-log's id rule).
  const LOG_ID = `${T0.toString(36).padStart(9, '0')}-0000000000`;
  // The default session, rated 3 before, its heart rate 72 in the first minute and 64 in the last 30 s:
  // its log, worked out by hand from the README's routine (217 s, 3 rounds) and the readings.
  const LOG: SessionLog = {
    v: 1,
    id: LOG_ID,
    routineId: ROUTINE_ID,
    routineVersion: ROUTINE_VERSION,
    prescription: DEFAULT_PRESCRIPTION,
    startedAt: T0,
    endedAt: T0 + 217_000,
    utcOffsetMin: 60,
    activeMs: 217_000,
    pausedMs: 0,
    pauses: 0,
    roundsDone: 3,
    roundsPlanned: 3,
    stepsSkipped: 0,
    outcome: 'completed',
    painBefore: 3,
    hrStart: 72,
    hrEnd: 64,
    appVersion: '1.0.0',
    // What it measured of itself: the driver fires each timer on time, so every cue is played at its
    // moment (0 ms late), all 50 by the page (its flow has a screen to draw), and the screen is on at
    // every wake, so for the whole 217 s it ran.
    lateMaxMs: 0,
    lateP95Ms: 0,
    cuesPage: 50,
    cuesService: 0,
    screenOnS: 217,
  };
  /** The default session rated 3 before, with readings of 72 at 9 s and 64 at 200 s. */
  const run = (opts: { summary?: boolean } = {}): Driver => {
    const { init } = sessionProgram({ ...opening, painBefore: 3 });
    const d = new Driver(init as FlowResult, updateFlow, opts);
    d.runTimer(0, T0 + 9_000);
    d.send({ type: 'heartRate', now: d.now, bpm: 72 });
    d.runTimer(0, T0 + 200_000);
    d.send({ type: 'heartRate', now: d.now, bpm: 64 });
    d.runTimer();
    return d;
  };
  const pending = (d: Driver) =>
    openOutbox(d.store, { now: d.now })
      .outbox.pending()
      .map((p) => p.log);

  it('stores the session finished before the finish effect, which carries no log', () => {
    const session = fresh();
    const begun = beginFlow(session, META, 'sequence', T0);
    const lastCue = session.timeline.cues.at(-1)!;
    const end = updateFlow(begun.model, { type: 'wake', now: T0 + lastCue.atMs });
    expect(end.effects.map((e) => e.type)).toEqual(['play', 'persist', 'finish']);
    const [, stored, finish] = end.effects;
    expect(stored).toMatchObject({ type: 'persist', key: RUNNING_KEYS.current });
    expect(readRunning((stored as { text: string }).text, START_RECORD).type).toBe('finished');
    expect(finish).toEqual({
      type: 'finish',
      session: end.model.session,
      // The meta it was given: no end reading, none having come.
      meta: META,
    });
    // The summary once the session-done pattern is felt.
    expect(end.model.wakeAt).toBe(T0 + lastCue.atMs + patternMs('sessionDone'));
  });

  it('the end reading goes into the start record; the summary logs the session from the keys, then clears them', () => {
    const d = run();
    expect(d.finish?.meta).toMatchObject({ logId: LOG_ID, hrStart: 72, hrEnd: 64 });
    expect(d.finished).toEqual(LOG);
    expect(pending(d)).toEqual([LOG]);
    expect(d.store.get(RUNNING_KEYS.current)).toBeUndefined();
    expect(d.store.get(RUNNING_KEYS.started)).toBeUndefined();
  });

  it('a crash between the page’s last write and the summary loses nothing: home logs it, once, the same log', () => {
    const d = run({ summary: false });
    expect(pending(d)).toEqual([]);
    // The running keys hold the finished session and its start record, the end reading in it.
    expect(JSON.parse(d.store.get(RUNNING_KEYS.started)!)).toMatchObject({ logId: LOG_ID, hrEnd: 64 });
    const relaunch = { now: d.now + 60_000, utcOffsetMin: 60, appVersion: '1.0.0', random: () => 0.5 };
    expect(settleRunning(d.store, 'stale', relaunch)).toBe('logged');
    expect(pending(d)).toEqual([LOG]);
    // Nothing left to log twice: neither home again nor a summary opened later.
    expect(settleRunning(d.store, 'any', relaunch)).toBe('none');
    expect(logFinished(d.store, relaunch)).toBeNull();
    expect(pending(d)).toEqual([LOG]);
  });

  it('… or the summary, when it is the page that opens next', () => {
    const d = run({ summary: false });
    const done = logFinished(d.store, { now: d.now + 60_000, utcOffsetMin: 60, appVersion: '1.0.0' });
    expect(done).toEqual({ log: LOG, stored: true });
    expect(pending(d)).toEqual([LOG]);
  });

  it('a full outbox keeps the finished session in the running keys; the summary says it is not stored', () => {
    const d = run({ summary: false });
    // The outbox holds 100 logs (core/watch/outbox's default capacity): one a day before this one.
    const { outbox } = openOutbox(d.store, { now: d.now });
    for (let i = 1; i <= 100; i++) {
      const at = T0 - i * 86_400_000;
      const id = `${at.toString(36).padStart(9, '0')}-0000000000`;
      expect(outbox.append({ ...LOG, id, startedAt: at, endedAt: at + 217_000 }).ok).toBe(true);
    }
    const ctx = { now: d.now, utcOffsetMin: 60, appVersion: '1.0.0' };
    expect(logFinished(d.store, ctx)).toEqual({ log: LOG, stored: false });
    expect(readRunning(d.store.get(RUNNING_KEYS.current), d.store.get(RUNNING_KEYS.started))).toMatchObject({
      type: 'finished',
      logId: LOG_ID,
      extras: { painBefore: 3, hrStart: 72, hrEnd: 64 },
    });
    expect(pending(d).map((l) => l.id)).not.toContain(LOG_ID);
  });
});

describe('followFlow: a session the App Service kept running', () => {
  const fresh = (): { session: Session; begun: FlowResult } => {
    const s = createSession(DEFAULT_PRESCRIPTION);
    if (!s.ok) throw new Error('no session');
    const begun = beginFlow(s.value, META, 'sequence', T0);
    return { session: begun.model.session, begun };
  };

  it('picks it up where the clock says, counting no pause (resumeFlow would count the time away as one)', () => {
    const { session } = fresh();
    const at = T0 + 100_000;
    const followed = followFlow(session, META, 'sequence', at);
    expect(followed.model.session.pauses).toBe(0);
    expect(followed.model.session.lastAt).toBe(at);
    // The cues due by then are behind it: 100 s of active time, no less.
    const resumed = resumeFlow(session, META, 'sequence', at);
    expect(resumed.model.session.pauses).toBe(1);
    expect(followed.model.session.nextCue).toBeGreaterThan(resumed.model.session.nextCue);
    expect(followed.effects.some((e) => e.type === 'keepAwake')).toBe(true);
  });

  it("counts the cues due since as the service's, and none of its time as screen on", () => {
    // By hand from the routine: by 100 s the set-up's cue (played at the start), round 1's 16 and
    // round 2's first six (79 s, then sweep ticks 87–99 s) are due. The page plays the 99 s one (1 s
    // late); the 21 between were the service's; the 100 s were the service's, not the page's screen.
    const { session } = fresh();
    const followed = followFlow(session, META, 'sequence', T0 + 100_000);
    expect(followed.model.session).toMatchObject({
      nextCue: 23,
      passedCues: 0,
      byService: 21,
      late: [1000, 0],
      litMs: 0,
    });
  });

  it('finishes one over by the clock, stored completed at its planned end', () => {
    const { session } = fresh();
    const followed = followFlow(session, META, 'sequence', T0 + 3_600_000);
    const finish = followed.effects.find((e) => e.type === 'finish');
    expect(finish && finish.type === 'finish' && finish.session.outcome).toBe('completed');
    expect(finish && finish.type === 'finish' && finish.session.endedAt).toBe(T0 + session.timeline.totalMs);
    const stored = followed.effects.find((e) => e.type === 'persist');
    expect(stored?.type === 'persist' && readRunning(stored.text, START_RECORD).type).toBe('finished');
  });

  it('leaves a paused one paused', () => {
    const { begun } = fresh();
    const paused = updateFlow(begun.model, { type: 'toggle', now: T0 + 5000 });
    const followed = followFlow(paused.model.session, META, 'sequence', T0 + 600_000);
    expect(followed.model.session.status).toBe('paused');
    expect(followed.model.session.pausedAt).toBe(T0 + 5000);
  });
});

describe('the end reading alone (the App Service)', () => {
  // The service draws nothing (tickMs null) and takes only the end reading: the sensor goes on 60 s
  // before the end (the 30 s end window, and 30 s for the sensor's first reading).
  const begin = (heartRate?: 'waiting'): Driver =>
    new Driver(beginFlow(fresh(), META, 'sequence', T0, null, { heartRate }), updateForEndReading);
  const total = fresh().timeline.totalMs;

  it('switches the sensor on once, 60 s before the end, waking the one timer for it', () => {
    const d = begin('waiting');
    // beginFlow woke for the first cue, as it knows no end reading: the next wake brings it forward.
    d.runTimer();
    expect(d.measured).toEqual([T0 + total - 60_000]);
    expect(d.wakes).toContain(T0 + total - 60_000);
    expect(d.flow.heartRate).toBe('on');
    // Off at the finish: the subscription is gone once the session is finished.
    expect(flowSubscriptions(d.flow)).toEqual([]);
  });

  it('keeps the last reading of the final 30 s as the end reading', () => {
    const d = begin('waiting');
    d.runTimer(0, T0 + total - 52_000);
    d.send({ type: 'heartRate', now: d.now, bpm: 66 });
    d.runTimer(0, T0 + total - 20_000);
    d.send({ type: 'heartRate', now: d.now, bpm: 64 });
    d.runTimer();
    expect(d.finished).toMatchObject({ outcome: 'completed', hrEnd: 64 });
  });

  it('hands the summary of its session back as its log will say it, without building the log', () => {
    const d = begin('waiting');
    d.runTimer(0, T0 + total - 20_000);
    d.send({ type: 'heartRate', now: d.now, bpm: 64 });
    d.runTimer();
    // The default session whole: 3 of 3 rounds in 217 s (README), the reading of the final 30 s.
    const summary = {
      id: META.logId,
      outcome: 'completed',
      roundsDone: 3,
      roundsPlanned: 3,
      activeMs: 217_000,
    };
    expect(summaryOfSession(d.finish!.session, d.finish!.meta)).toEqual({ ...summary, hrEnd: 64 });
    expect(d.finished).toMatchObject({ ...summary, hrEnd: 64 });
    // Ended early 20 s into round 2 (set-up 10 s, a round 69 s): one round done, 99 s active.
    const e = begin();
    e.runTimer(0, T0 + 99_000);
    e.send({ type: 'askEnd', now: e.now });
    e.send({ type: 'answerEnd', now: e.now, end: true });
    const early = { ...summary, outcome: 'ended_early', roundsDone: 1, activeMs: 99_000 };
    expect(summaryOfSession(e.finish!.session, e.finish!.meta)).toEqual(early);
    expect(e.finished).toMatchObject(early);
  });

  it('a service started within the last 60 s switches it on at its first wake; not allowed, never', () => {
    const begun = beginFlow(fresh(), META, 'sequence', T0, null, { heartRate: 'waiting' });
    const at = T0 + total - 30_000;
    const woke = updateForEndReading(begun.model, { type: 'wake', now: at });
    expect(woke.model.heartRate).toBe('on');
    // The sensor, and the one timer for the timeline's next cue after 187 s.
    const next = fresh().timeline.cues.find((c) => c.atMs > total - 30_000)!;
    expect(flowSubscriptions(woke.model)).toEqual([
      { type: 'wake', at: T0 + next.atMs },
      { type: 'heartRate' },
    ]);
    const plain = begin();
    plain.runTimer();
    expect(plain.measured).toEqual([]);
    expect(plain.finished).not.toBeNull();
  });
});

describe('a command that changed the session says so, last (the App Service page hands it over again)', () => {
  const types = (effects: readonly SessionFlowEffect[]) => effects.map((e) => e.type);
  const running = () => beginFlow(fresh(), META, 'sequence', T0).model;

  it('pause, resume and skip: changed, after the session is stored', () => {
    const paused = updateFlow(running(), { type: 'toggle', now: T0 + 3_000 });
    expect(types(paused.effects).at(-1)).toBe('changed');
    expect(types(paused.effects).indexOf('persist')).toBeLessThan(types(paused.effects).indexOf('changed'));
    expect(paused.effects.at(-1)).toEqual({ type: 'changed', session: paused.model.session });
    expect(paused.model.session.status).toBe('paused');
    const resumed = updateFlow(paused.model, { type: 'toggle', now: T0 + 9_000 });
    expect(resumed.effects.at(-1)).toEqual({ type: 'changed', session: resumed.model.session });
    const skipped = updateFlow(running(), { type: 'skip', now: T0 + 3_000 });
    expect(skipped.effects.at(-1)).toMatchObject({ type: 'changed' });
  });

  it('the end answered yes: changed, after the finish; answered no, asked, a wake: nothing changed', () => {
    const asked = updateFlow(running(), { type: 'askEnd', now: T0 + 3_000 });
    expect(types(asked.effects)).toEqual(['askEnd']);
    const ended = updateFlow(asked.model, { type: 'answerEnd', now: T0 + 4_000, end: true });
    expect(types(ended.effects).slice(-2)).toEqual(['finish', 'changed']);
    const kept = updateFlow(asked.model, { type: 'answerEnd', now: T0 + 4_000, end: false });
    expect(types(kept.effects)).not.toContain('changed');
    const woke = updateFlow(running(), { type: 'wake', now: T0 + 10_000 });
    expect(types(woke.effects)).toContain('play');
    expect(types(woke.effects)).not.toContain('changed');
  });
});
