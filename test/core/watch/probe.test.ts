import { describe, expect, it } from 'vitest';
import { mount } from '../../../core/base/program';
import type { Haptics } from '../../../core/engine/haptics';
import { probeProgram, type ProbeEffect } from '../../../core/watch/probe';

// The wrist check's probe in the App Service (app-service/session.ts carries it out), run through the
// runner with a fake timer: `armed` lists every wake asked for, `fire` fires the one armed last.
const AT = Date.UTC(2026, 10, 25, 14, 0, 15);

function probe(haptics: Haptics = 'timed') {
  const effects: ProbeEffect[] = [];
  const armed: number[] = [];
  let fire: ((now: number, lit?: boolean) => void) | undefined;
  const run = mount(probeProgram(AT, haptics), (e) => effects.push(e), undefined, {
    wake: (sub, dispatch) => {
      armed.push(sub.at);
      fire = (now, lit) =>
        dispatch(lit === undefined ? { type: 'wake', now } : { type: 'wake', now, lit }, sub);
      return () => (fire = undefined);
    },
  });
  return { effects, armed, run, fire: (now: number, lit?: boolean) => fire!(now, lit) };
}

// sessionDone on a 3.0–3.5 motor, strong: four 20 ms taps 220 ms apart, 300 ms of silence after the
// last (660 + 20 + 300 = 980), then the 1000 ms scene.
const SESSION_DONE_STRONG = {
  type: 'timed',
  pulses: [
    { atMs: 0, scene: 'VIBRATOR_SCENE_SHORT_STRONG' },
    { atMs: 220, scene: 'VIBRATOR_SCENE_SHORT_STRONG' },
    { atMs: 440, scene: 'VIBRATOR_SCENE_SHORT_STRONG' },
    { atMs: 660, scene: 'VIBRATOR_SCENE_SHORT_STRONG' },
    { atMs: 980, scene: 'VIBRATOR_SCENE_DURATION_LONG' },
  ],
};

describe('the wrist check probe', () => {
  it('dark at its time: the cue played, PROBE_PATH noted, and the exit 3 s later', () => {
    const p = probe();
    expect(p.armed).toEqual([AT]);
    // The timer comes 40 ms late: the note says when it played, the exit counts from then.
    p.fire(AT + 40, false);
    expect(p.effects).toEqual([
      { type: 'play', pattern: SESSION_DONE_STRONG },
      { type: 'noteProbe', text: `{"at":${AT + 40}}` },
    ]);
    expect(p.armed).toEqual([AT, AT + 3040]);
    p.fire(AT + 3040);
    expect(p.effects.slice(2)).toEqual([{ type: 'exit' }]);
    expect(p.run.model.wake).toBeNull();
    expect(p.armed).toHaveLength(2);
  });

  it('lit at its time: looks again 2 s later, and again, until the screen is off', () => {
    const p = probe();
    p.fire(AT, true);
    expect(p.armed).toEqual([AT, AT + 2000]);
    // `lit` absent: on.
    p.fire(AT + 2000);
    expect(p.armed).toEqual([AT, AT + 2000, AT + 4000]);
    expect(p.effects).toEqual([]);
    p.fire(AT + 4000, false);
    expect(p.effects.map((e) => e.type)).toEqual(['play', 'noteProbe']);
    expect(p.effects[1]).toEqual({ type: 'noteProbe', text: `{"at":${AT + 4000}}` });
    expect(p.armed.at(-1)).toBe(AT + 7000);
  });

  it('still lit past 60 s: gives up and exits without playing', () => {
    const p = probe();
    // Every 2 s from its time; at exactly +60 s it still looks again (+62 s), and there gives up.
    for (let t = AT; t <= AT + 60_000; t += 2000) p.fire(t, true);
    expect(p.armed).toHaveLength(32);
    expect(p.armed.at(-1)).toBe(AT + 62_000);
    expect(p.effects).toEqual([]);
    p.fire(AT + 62_000, true);
    expect(p.effects).toEqual([{ type: 'exit' }]);
    expect(p.armed).toHaveLength(32);
  });

  it('plays the scene sequence on a 3.6+ motor', () => {
    const p = probe('sequence');
    p.fire(AT, false);
    expect(p.effects[0]).toMatchObject({ type: 'play', pattern: { type: 'sequence' } });
  });
});
