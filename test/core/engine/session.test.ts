import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRESCRIPTION } from '../../../core/plan/prescription';
import type { Result } from '../../../core/base/result';
import {
  SESSION_SCHEMA,
  createSession,
  deadlineOf,
  elapsedMs,
  end,
  factsOf,
  originOf,
  pause,
  positionOf,
  restoreSession,
  resume,
  serialiseSession,
  skip,
  start,
  wake,
  type Session,
  type Update,
} from '../../../core/engine/session';

const T0 = 1_700_000_000_000;

function must<T, E>(r: Result<T, E>): T {
  if (!r.ok) throw new Error(`unexpected error: ${JSON.stringify(r.error)}`);
  return r.value;
}

const fresh = (prescription: unknown = DEFAULT_PRESCRIPTION): Session => must(createSession(prescription));
const started = (): Update => must(start(fresh(), T0));

/** Wakes on each deadline until `until` (absolute), as a punctual timer would. */
function runTo(session: Session, until: number): { session: Session; played: string[] } {
  let s = session;
  const played: string[] = [];
  for (let d = deadlineOf(s); d !== null && d <= until; d = deadlineOf(s)) {
    const u = must(wake(s, d));
    if (u.play) played.push(u.play.kind);
    s = u.session;
  }
  return { session: s, played };
}

describe('session start', () => {
  it('is idle until started, then cues the get-ready step at once', () => {
    const s = fresh();
    expect(s.status).toBe('idle');
    expect(deadlineOf(s)).toBeNull();
    const u = started();
    expect(u.session.status).toBe('running');
    expect(u.play).toMatchObject({ atMs: 0, kind: 'stepStart', stepIndex: 0 });
    expect(u.deadline).toBe(T0 + 10_000);
    expect(u.finished).toBeNull();
    expect(originOf(u.session)).toBe(T0);
  });

  it('refuses a bad prescription with every violation', () => {
    const r = createSession({ rounds: 9, holdBreaths: '3' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toHaveLength(2);
  });
});

describe('session transitions', () => {
  const idle = fresh();
  const running = started().session;
  const paused = must(pause(running, T0 + 1_000)).session;
  const finished = must(end(running, T0 + 1_000)).session;

  it.each([
    ['start', running, start],
    ['start', paused, start],
    ['start', finished, start],
    ['pause', idle, pause],
    ['pause', paused, pause],
    ['pause', finished, pause],
    ['resume', idle, resume],
    ['resume', running, resume],
    ['resume', finished, resume],
    ['skip', idle, skip],
    ['skip', finished, skip],
    ['end', idle, end],
    ['end', finished, end],
  ] as const)('refuses to %s a %s session with a typed error', (action, session, fn) => {
    const r = fn(session, T0 + 2_000);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toBe(`Cannot ${action} a session that is ${session.status}.`);
    }
  });

  it.each([[Number.NaN], [Number.POSITIVE_INFINITY], [1.5], [2 ** 60]])('refuses now = %s', (now) => {
    for (const fn of [start, pause, resume, skip, end, wake]) {
      const r = fn(fn === start ? idle : fn === resume ? paused : running, now);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toBe(`now must be a whole number of ms; got ${String(now)}.`);
    }
  });

  it('takes a now earlier than the last one as the last one', () => {
    const u = must(wake(running, T0 - 60_000));
    expect(u.session.lastAt).toBe(T0);
    expect(elapsedMs(u.session, T0 - 60_000)).toBe(0);
  });

  it('treats wake on an idle or finished session as nothing to do', () => {
    expect(must(wake(idle, T0))).toEqual({
      session: idle,
      play: null,
      passed: [],
      deadline: null,
      finished: null,
    });
    expect(must(wake(finished, T0 + 5_000)).session).toBe(finished);
  });
});

describe('pause and resume', () => {
  it('excludes the paused span exactly', () => {
    const s1 = runTo(started().session, T0 + 20_000).session;
    const p = must(pause(s1, T0 + 20_500));
    expect(p.session.status).toBe('paused');
    expect(p.deadline).toBeNull();
    const before = positionOf(p.session, T0 + 20_500);
    expect(positionOf(p.session, T0 + 500_000)).toEqual(before);
    const r = must(resume(p.session, T0 + 80_500));
    expect(positionOf(r.session, T0 + 80_500)).toEqual(before);
    expect(r.play).toBeNull();
    // The next sweep half was due at +21 s; it is now due 60 s later.
    expect(r.deadline).toBe(T0 + 21_000 + 60_000);
    expect(r.session.pauses).toBe(1);
    expect(r.session.pausedMs).toBe(60_000);
  });

  it('plays a cue that fell due just before the pause', () => {
    const s = started().session;
    const p = must(pause(s, T0 + 10_050));
    expect(p.play?.kind).toBe('stepStart');
    expect(p.session.nextCue).toBe(2);
  });

  it('completes instead of pausing when the session was already over', () => {
    const s = runTo(started().session, T0 + 216_000).session;
    const p = must(pause(s, T0 + 300_000));
    expect(p.finished).toBe('completed');
    expect(p.session.status).toBe('finished');
  });
});

describe('what a session measures of itself (issue 23)', () => {
  // The default session's cues, worked by hand from the routine: the set-up's at 0 s, the first round's
  // lengthen at 10 s, its sweeps from 18 s, a tick each 3 s (18, 21, 24...).
  it('notes how late each cue it plays was: a wake 700 ms after the 10 s cue', () => {
    const u = must(wake(started().session, T0 + 10_700));
    expect(u.play?.atMs).toBe(10_000);
    expect(u.session.late).toEqual([700, 0]);
  });

  it('keeps the largest ⌊n / 20⌋ + 1 of them, largest first: 3 for the 50 cues', () => {
    let s = started().session;
    for (const [at, late] of [
      [10_000, 40],
      [18_000, 900],
      [21_000, 10],
      [24_000, 300],
    ] as const)
      s = must(wake(s, T0 + at + late)).session;
    expect(s.late).toEqual([900, 300, 40]);
  });

  it('counts the cues found due after the App Service ran as its, not as passed', () => {
    // The page played the set-up's cue and handed over; it takes the session back at 19 s and plays
    // the 18 s cue itself (1 s late): the 10 s one was the service's.
    const s = started().session;
    const taken = must(wake(s, T0 + 19_000, undefined, true));
    expect(taken.play?.atMs).toBe(18_000);
    expect(taken.session).toMatchObject({ nextCue: 3, passedCues: 0, byService: 1, late: [1000, 0] });
    // A plain wake passes the 10 s cue over.
    expect(must(wake(s, T0 + 19_000)).session).toMatchObject({ nextCue: 3, passedCues: 1, byService: 0 });
  });

  it('restores a session stored before it measured as one that measured nothing', () => {
    const stored = JSON.parse(serialiseSession(started().session)) as Record<string, unknown>;
    delete stored.late;
    delete stored.byService;
    delete stored.litMs;
    expect(must(restoreSession(JSON.stringify(stored)))).toMatchObject({ late: [], byService: 0, litMs: 0 });
  });

  it('refuses stored latenesses that are not whole numbers ≥ 0', () => {
    const stored = JSON.parse(serialiseSession(started().session)) as Record<string, unknown>;
    for (const late of [[-1], [1.5], ['3'], [5, null], 7])
      expect(restoreSession(JSON.stringify({ ...stored, late }))).toMatchObject({
        ok: false,
        error: { message: 'late must be whole numbers of ms ≥ 0.' },
      });
  });
});

describe('skip', () => {
  it('moves to the next step and cues it at once', () => {
    const u = must(skip(started().session, T0 + 3_000));
    expect(u.play).toMatchObject({ kind: 'stepStart', stepIndex: 1, textKey: 'step.lengthen.do' });
    expect(u.session.skippedSteps).toEqual([0]);
    expect(u.session.skippedMs).toBe(7_000);
    expect(u.deadline).toBe(T0 + 3_000 + 8_000);
    expect(positionOf(u.session, T0 + 3_000)).toMatchObject({
      step: 'lengthen',
      round: 1,
      msLeftInStep: 8_000,
    });
  });

  it('passes the cues it jumps over', () => {
    const s = runTo(started().session, T0 + 18_000).session; // at the first sweep half
    const u = must(skip(s, T0 + 19_000));
    expect(u.passed.map((c) => c.kind)).toEqual(Array(5).fill('sweepTick'));
    expect(u.play).toMatchObject({ kind: 'exhale', textKey: 'step.ribsDown.do' });
    expect(u.session.passedCues).toBe(5);
  });

  it('while paused, stays paused and cues the new step on resume', () => {
    const p = must(pause(started().session, T0 + 2_000)).session;
    const k = must(skip(p, T0 + 5_000));
    expect(k.session.status).toBe('paused');
    expect(k.play).toBeNull();
    expect(positionOf(k.session, T0 + 5_000).step).toBe('lengthen');
    const r = must(resume(k.session, T0 + 9_000));
    expect(r.play).toMatchObject({ kind: 'stepStart', stepIndex: 1 });
    expect(r.deadline).toBe(T0 + 9_000 + 8_000);
  });

  it('from the last step completes the session', () => {
    const s = runTo(started().session, T0 + 214_000).session; // in the last relax
    const u = must(skip(s, T0 + 215_000));
    expect(u.play?.kind).toBe('sessionDone');
    expect(u.finished).toBe('completed');
    expect(factsOf(u.session, T0 + 215_000)).toMatchObject({
      roundsCompleted: 3,
      skippedSteps: [18],
      activeMs: 215_000,
    });
  });

  it('does not play a stale cue before its own', () => {
    const s = started().session;
    const u = must(skip(s, T0 + 10_100)); // the lengthen cue was due 100 ms ago
    expect(u.passed.map((c) => s.timeline.cues.indexOf(c))).toEqual([1]);
    expect(s.timeline.cues.indexOf(u.play!)).toBe(2);
    expect(u.play).toMatchObject({ kind: 'sweepTick' });
  });
});

describe('finishing', () => {
  it('completes on the last cue, dated when it was due rather than when noticed', () => {
    const s = runTo(started().session, T0 + 216_000).session;
    const u = must(wake(s, T0 + 217_000 + 180));
    expect(u.play?.kind).toBe('sessionDone');
    expect(u.finished).toBe('completed');
    expect(u.deadline).toBeNull();
    expect(u.session.endedAt).toBe(T0 + 217_000);
    expect(factsOf(u.session, T0 + 999_999)).toEqual({
      outcome: 'completed',
      startedAt: T0,
      endedAt: T0 + 217_000,
      activeMs: 217_000,
      pauses: 0,
      pausedMs: 0,
      skippedSteps: [],
      roundsCompleted: 3,
      roundsPlanned: 3,
      cuesPlayed: 50,
      cuesPassed: 0,
    });
    expect(must(wake(u.session, T0 + 300_000)).finished).toBeNull();
  });

  it('ends early with what was done', () => {
    const s = runTo(started().session, T0 + 100_000).session;
    const u = must(end(s, T0 + 100_000 + 400));
    expect(u.finished).toBe('endedEarly');
    expect(u.play).toBeNull();
    expect(u.deadline).toBeNull();
    expect(factsOf(u.session, T0 + 999_999)).toMatchObject({
      roundsCompleted: 1,
      activeMs: 100_400,
      outcome: 'endedEarly',
    });
    expect(elapsedMs(u.session, T0 + 999_999)).toBe(100_400);
  });

  it('closes an open pause when ending while paused', () => {
    const p = must(pause(started().session, T0 + 5_000)).session;
    const u = must(end(p, T0 + 65_000, 'interrupted'));
    expect(u.session.outcome).toBe('interrupted');
    expect(u.session.pausedMs).toBe(60_000);
    expect(u.session.pausedAt).toBeNull();
    expect(factsOf(u.session, T0 + 65_000)).toMatchObject({ activeMs: 5_000, pausedMs: 60_000, pauses: 1 });
  });

  it('counts an open pause in the facts before the end', () => {
    const p = must(pause(started().session, T0 + 5_000)).session;
    expect(factsOf(p, T0 + 7_000)).toMatchObject({ pausedMs: 2_000, activeMs: 5_000, outcome: null });
  });
});

describe('serialised session', () => {
  const states: [string, Session][] = [
    ['idle', fresh()],
    ['running', runTo(started().session, T0 + 40_000).session],
    ['paused', must(pause(started().session, T0 + 3_000)).session],
    ['skipped', must(skip(started().session, T0 + 3_000)).session],
    ['finished', must(end(started().session, T0 + 3_000)).session],
    ['custom', fresh({ rounds: 4, strength: 'strong', reminders: ['07:00', '18:00'] })],
  ];

  it.each(states)('restores a %s session to the same state and position', (_, s) => {
    const text = serialiseSession(s);
    const back = must(restoreSession(text));
    expect(back).toEqual(s);
    expect(positionOf(back, T0 + 50_000)).toEqual(positionOf(s, T0 + 50_000));
    expect(deadlineOf(back)).toBe(deadlineOf(s));
    expect(JSON.parse(text)).toMatchObject({
      schema: SESSION_SCHEMA,
      routine: { id: 'spinal-self-traction', version: 1 },
    });
  });

  const good = JSON.parse(serialiseSession(states[1]?.[1] as Session)) as Record<string, unknown>;
  const corrupt = (change: Record<string, unknown>) => JSON.stringify({ ...good, ...change });
  const label = (input: unknown) =>
    typeof input === 'string' && input.length > 40
      ? Object.entries(JSON.parse(input) as Record<string, unknown>)
          .filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(good[k]))
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(' ') || 'schema dropped'
      : (JSON.stringify(input) ?? String(input));

  // What each kind of damage must be called, so a person reading the report knows what broke.
  const SAYS: Record<string, RegExp> = {
    not_text: /is a JSON object, as text; got (number|undefined)\./,
    not_json: /is a JSON object, as text; got "(\{\\"schema\\":1,)?"\./,
    not_an_object: /is a JSON object, as text; got "(\[1,2\]|null)"\./,
    bad_schema: /schema .* is not 1/,
    wrong_routine: /routine/i,
    bad_prescription: /prescription is invalid/,
    bad_field: /must be|Unknown field|Not a whole number/,
    inconsistent: /does not hold together: /,
  };

  it.each(
    [
      ['not_text', 42],
      ['not_text', undefined],
      ['not_json', '{"schema":1,'],
      ['not_json', ''],
      ['not_an_object', '[1,2]'],
      ['not_an_object', 'null'],
      ['bad_schema', corrupt({ schema: 2 })],
      ['bad_schema', corrupt({ schema: undefined })],
      ['wrong_routine', corrupt({ routine: { id: 'plank', version: 1 } })],
      ['wrong_routine', corrupt({ routine: { id: 'spinal-self-traction', version: 2 } })],
      ['wrong_routine', corrupt({ routine: null })],
      ['bad_prescription', corrupt({ prescription: { rounds: 40 } })],
      ['bad_field', corrupt({ extra: true })],
      ['bad_field', corrupt({ status: 'sleeping' })],
      ['bad_field', corrupt({ startedAt: '1700000000000' })],
      ['bad_field', corrupt({ pausedMs: -1 })],
      ['bad_field', corrupt({ nextCue: 1.5 })],
      ['bad_field', corrupt({ outcome: 'won' })],
      ['bad_field', corrupt({ skippedSteps: [3, 2] })],
      ['bad_field', corrupt({ skippedSteps: [99] })],
      ['bad_field', corrupt({ skippedSteps: 'none' })],
      ['inconsistent', corrupt({ status: 'idle' })],
      ['inconsistent', corrupt({ status: 'paused' })],
      ['inconsistent', corrupt({ status: 'finished' })],
      ['inconsistent', corrupt({ startedAt: null })],
      ['inconsistent', corrupt({ lastAt: T0 - 1 })],
      ['inconsistent', corrupt({ nextCue: 49 })],
      ['inconsistent', corrupt({ nextCue: 60 })],
      ['inconsistent', corrupt({ passedCues: 40 })],
      ['inconsistent', corrupt({ skippedMs: 10_000_000 })],
      ['inconsistent', corrupt({ pausedMs: 30_000 })],
      ['inconsistent', corrupt({ pausedMs: 1_000 })],
      ['inconsistent', corrupt({ skippedMs: 1_000 })],
      ['inconsistent', corrupt({ skippedSteps: [0] })],
      ['inconsistent', corrupt({ endedAt: T0 + 1, outcome: 'completed', status: 'finished' })],
    ].map(([code, text]) => [code, label(text), text]),
  )('refuses %s: %s', (kind, _, text) => {
    const r = restoreSession(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(SAYS[kind as string]!);
  });

  it('lists every prescription violation when the stored prescription is bad', () => {
    const r = restoreSession(corrupt({ prescription: { rounds: 0, sweeps: 0 } }));
    expect(!r.ok && r.error.prescription?.map((e) => e.field)).toEqual(['rounds', 'sweeps']);
  });

  it('never throws on any string or JSON value, and what it accepts behaves', () => {
    const mutated = fc
      .record({
        key: fc.constantFrom(...Object.keys(good), 'other'),
        value: fc.oneof(fc.jsonValue(), fc.integer(), fc.constant(null)),
      })
      .map(({ key, value }) => corrupt({ [key]: value }));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.anything(), mutated), (input) => {
        const r = restoreSession(input);
        if (!r.ok) {
          expect(typeof r.error.message).toBe('string');
          return;
        }
        // Whatever is accepted must run to the end without an error escaping.
        for (const fn of [wake, pause, resume, skip, end]) fn(r.value, T0 + 10_000_000);
        expect(restoreSession(serialiseSession(r.value))).toEqual(r);
      }),
      { numRuns: 500 },
    );
  });
});
