import { describe, expect, it } from 'vitest';
import { DEFAULT_PRESCRIPTION } from '../../../core/plan/prescription';
import { createSession, end, pause, resume, start, wake, type Session } from '../../../core/engine/session';
import { nextWake, onlyTick } from '../../../core/engine/wake';

const T0 = 1_700_000_000_000;

/** A default session started at T0. Its cues (README routine table): set-up at 0 s, lengthen at 10 s, the first sweep at 18 s. */
function started(): Session {
  const s = createSession(DEFAULT_PRESCRIPTION);
  if (!s.ok) throw new Error('default prescription must build');
  const r = start(s.value, T0);
  if (!r.ok) throw new Error(r.error.message);
  return r.value.session;
}

const step = (r: ReturnType<typeof wake>): Session => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value.session;
};

describe('the one-timer rule: the earlier of the next cue and the next display tick', () => {
  it('just after the start, the screen’s first tick (1 s) comes before the lengthen cue (10 s)', () => {
    expect(nextWake(started(), T0, 1000)).toBe(T0 + 1000);
  });

  it('a tick that falls on a cue is that one wake: at 9.5 s both say 10 s', () => {
    expect(nextWake(started(), T0 + 9_500, 1000)).toBe(T0 + 10_000);
  });

  it('ticks count from the session’s origin, not from a late wake: woken at 2.7 s, the next is 3 s', () => {
    expect(nextWake(started(), T0 + 2_700, 1000)).toBe(T0 + 3_000);
  });

  it('right on a tick, the next one is a whole tick later', () => {
    expect(nextWake(started(), T0 + 4_000, 1000)).toBe(T0 + 5_000);
  });

  it('with no screen to draw (tickMs null), the cues alone: the lengthen cue at 10 s', () => {
    expect(nextWake(started(), T0, null)).toBe(T0 + 10_000);
  });

  it('after the lengthen cue, the next cue is the first sweep at 18 s; ticks go on in between', () => {
    const s = step(wake(started(), T0 + 10_000));
    expect(nextWake(s, T0 + 10_000, null)).toBe(T0 + 18_000);
    expect(nextWake(s, T0 + 17_200, 1000)).toBe(T0 + 18_000);
    expect(nextWake(s, T0 + 16_000, 1000)).toBe(T0 + 17_000);
  });

  it('a pause moves the ticks with the origin: paused 0.45 s at 5 s, the tick after the resume is at 6.45 s', () => {
    const paused = step(pause(started(), T0 + 5_000));
    expect(nextWake(paused, T0 + 5_000, 1000)).toBeNull();
    const resumed = step(resume(paused, T0 + 5_450));
    expect(nextWake(resumed, T0 + 5_450, 1000)).toBe(T0 + 6_450);
    // And the lengthen cue moves by the same 0.45 s.
    expect(nextWake(resumed, T0 + 5_450, null)).toBe(T0 + 10_450);
  });

  it('never earlier than the latest time the session has seen: a clock read behind it counts as that time', () => {
    const s = step(wake(started(), T0 + 3_000));
    expect(nextWake(s, T0 + 1_200, 1000)).toBe(T0 + 4_000);
  });

  it('nothing to wake for before the start, while paused, or once finished', () => {
    const s = createSession(DEFAULT_PRESCRIPTION);
    if (!s.ok) throw new Error('default prescription must build');
    expect(nextWake(s.value, T0, 1000)).toBeNull();
    expect(nextWake(step(pause(started(), T0 + 1)), T0 + 1, 1000)).toBeNull();
    expect(nextWake(step(end(started(), T0 + 2_000)), T0 + 2_000, 1000)).toBeNull();
  });

  it('refuses a tick that is not a positive length, saying what is allowed', () => {
    expect(() => nextWake(started(), T0, 0)).toThrow(/tickMs 0: > 0 or null/);
    expect(() => nextWake(started(), T0, Number.NaN)).toThrow(RangeError);
  });

  it('tells a wake for the screen alone from one with a cue due', () => {
    expect(onlyTick(started(), T0 + 9_999)).toBe(true);
    expect(onlyTick(started(), T0 + 10_000)).toBe(false);
    expect(onlyTick(step(pause(started(), T0 + 1)), T0 + 20_000)).toBe(false);
  });
});
