import { describe, expect, it } from 'vitest';
import { mount } from '../../../core/base/program';
import { createSession, start, type Session } from '../../../core/engine/session';
import { serviceProgram, type ServiceEffect } from '../../../core/engine/service-flow';
import { DEFAULT_PRESCRIPTION } from '../../../core/plan/prescription';

// The App Service's program (app-service/session.ts runs it through mount, as every page does).
// Times from the default timeline (core/plan/routine; test/core/engine/timeline.test.ts): the set-up's
// cue at 0, the lengthen step's at 10 s, the first sweep's at 18 s; 217 s in all.
const T0 = Date.UTC(2026, 11, 7, 9, 0);
const LOG_ID = 'mhz3k2w00-abcdefghjk';

function startedAtT0(): Session {
  const created = createSession(DEFAULT_PRESCRIPTION);
  if (!created.ok) throw new Error('default prescription');
  const started = start(created.value, T0);
  if (!started.ok) throw new Error('start');
  return started.value.session;
}

const opening = (now: number, extra: { utcOffsetMin?: number; heartRate?: boolean } = {}) =>
  serviceProgram({
    running: {
      session: startedAtT0(),
      logId: LOG_ID,
      ...(extra.utcOffsetMin === undefined ? {} : { utcOffsetMin: extra.utcOffsetMin }),
    },
    now,
    utcOffsetMin: 60,
    haptics: 'sequence',
    forms: {},
    heartRate: extra.heartRate ?? false,
  });

const types = (effects: readonly ServiceEffect[]) => effects.map((e) => e.type);

describe('the App Service takes a session over', () => {
  it('a cue due at the take-over is handled, not played: said only, in its place among the effects', () => {
    // The lengthen cue was due 300 ms before: a restart never plays one twice (AS6).
    const program = opening(T0 + 10_300);
    const { init } = program;
    expect(types(init.effects)).toEqual(['takenOver', 'persist']);
    expect(init.effects[0]).toEqual({ type: 'takenOver', cue: 'stepStart' });
    // The one timer, for the first sweep's cue; nothing else (no keys, no screen, no sensor).
    expect(program.subscriptions!(init.model)).toEqual([{ type: 'wake', at: T0 + 18_000 }]);
    expect(init.model.session.nextCue).toBe(2);
  });

  it('with none due, it says so at the end (the shell then says what the page played last)', () => {
    const { init } = opening(T0 + 5_000);
    expect(init.effects.at(-1)).toEqual({ type: 'takenOver', cue: null });
    expect(init.effects.some((e) => e.type === 'play')).toBe(false);
    expect(init.model.wakeAt).toBe(T0 + 10_000);
  });

  it('then plays every later cue itself, through the one runner', () => {
    const carried: ServiceEffect[] = [];
    const armed: number[] = [];
    const run = mount(opening(T0 + 5_000), (e) => carried.push(e), undefined, {
      wake: ({ at }) => (armed.push(at), () => undefined),
      heartRate: () => () => undefined,
    });
    carried.length = 0;
    run.dispatch({ type: 'wake', now: T0 + 10_000 });
    expect(carried.find((e) => e.type === 'play')).toMatchObject({ type: 'play', cue: 'stepStart' });
    expect(armed).toEqual([T0 + 10_000, T0 + 18_000]);
  });

  it('keeps the start record’s offset, or takes the watch’s for a session that has none', () => {
    expect(opening(T0 + 5_000, { utcOffsetMin: -300 }).init.model.meta.utcOffsetMin).toBe(-300);
    expect(opening(T0 + 5_000).init.model.meta.utcOffsetMin).toBe(60);
  });

  it('heart rate allowed: the sensor waits for the end reading (60 s before the end), then goes on', () => {
    const program = opening(T0 + 5_000, { heartRate: true });
    expect(program.init.model.heartRate).toBe('waiting');
    expect(opening(T0 + 5_000).init.model.heartRate).toBeUndefined();
    // 217 s in all: at 157 s the sensor goes on, with the cues of that wake; off at the finish.
    const sensor: string[] = [];
    const run = mount(program, () => undefined, undefined, {
      wake: () => () => undefined,
      heartRate: () => (sensor.push('on'), () => sensor.push('off')),
    });
    run.dispatch({ type: 'wake', now: T0 + 100_000 });
    expect(sensor).toEqual([]);
    run.dispatch({ type: 'wake', now: T0 + 157_000 });
    expect(sensor).toEqual(['on']);
    expect(run.model.heartRate).toBe('on');
    run.dispatch({ type: 'wake', now: T0 + 217_000 });
    expect(run.model.session.status).toBe('finished');
    expect(sensor).toEqual(['on', 'off']);
  });

  it('at the end, leaves (the service exits) once "Well done" is heard, when it is longer than the pattern', () => {
    const program = serviceProgram({
      running: { session: startedAtT0(), logId: LOG_ID },
      now: T0 + 5_000,
      utcOffsetMin: 60,
      haptics: 'sequence',
      forms: {},
      heartRate: false,
      doneMs: 60_000,
    });
    const effects: ServiceEffect[] = [];
    const armed: number[] = [];
    const run = mount(program, (e) => effects.push(e), undefined, {
      wake: ({ at }) => (armed.push(at), () => undefined),
      heartRate: () => () => undefined,
    });
    run.dispatch({ type: 'wake', now: T0 + 217_000 });
    expect(types(effects).slice(-2)).toEqual(['persist', 'finish']);
    // 60 s of "Well done" (an exaggerated length, longer than any pattern) from the end at 217 s.
    expect(armed.at(-1)).toBe(T0 + 277_000);
    run.dispatch({ type: 'wake', now: T0 + 277_000 });
    expect(effects.at(-1)).toEqual({ type: 'leave', to: 'summary' });
  });
});
