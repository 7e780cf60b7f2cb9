import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// Recording fakes of the platform modules the shell helpers touch.
const calls: string[] = [];
const widgets = new Map<number, { type: string; props: Record<string, unknown> }>();
let nextId = 1;

vi.mock('@zos/sensor', () => {
  const TYPES = { GENTLE_SHORT: 11, STRONG_SHORT: 12, CONTINUOUS: 13, PAUSE: 14 };
  class Vibrator {
    start(option?: unknown): void {
      calls.push(`start ${option === undefined ? '' : JSON.stringify(option)}`.trim());
    }
    stop(): void {
      calls.push('stop');
    }
    setMode(option: { mode: number }): void {
      calls.push(`setMode ${option.mode}`);
    }
    getType(): typeof TYPES {
      return TYPES;
    }
  }
  return {
    Vibrator,
    VIBRATOR_SCENE_SHORT_LIGHT: 21,
    VIBRATOR_SCENE_SHORT_MIDDLE: 22,
    VIBRATOR_SCENE_SHORT_STRONG: 23,
    VIBRATOR_SCENE_DURATION: 24,
    VIBRATOR_SCENE_DURATION_LONG: 25,
  };
});

vi.mock('@zos/ui', () => ({
  widget: { TEXT: 'TEXT', BUTTON: 'BUTTON', ARC: 'ARC', CIRCLE: 'CIRCLE' },
  prop: { MORE: 'MORE' },
  align: { CENTER_H: 'CH', CENTER_V: 'CV' },
  text_style: { WRAP: 'WRAP', NONE: 'NONE' },
  createWidget(type: string, props: Record<string, unknown>) {
    const id = nextId++;
    widgets.set(id, { type, props: { ...props } });
    calls.push(`create ${type}`);
    return {
      id,
      setProperty(p: string, value: Record<string, unknown>) {
        expect(p).toBe('MORE');
        calls.push(`set ${id}`);
        Object.assign(widgets.get(id)!.props, value);
      },
    };
  },
  deleteWidget(w: { id: number }) {
    calls.push(`delete ${w.id}`);
    widgets.delete(w.id);
  },
}));

const { motor } = await import('../../page/lib/vibration');
const { createRenderer } = await import('../../page/lib/render');
const { overlaps } = await import('../../core/screens/stacking');
const { hapticsFor, renderCue, renderSequence } = await import('../../core/engine/haptics');

beforeEach(() => {
  calls.length = 0;
  widgets.clear();
  nextId = 1;
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('the wrist motor plays what core rendered', () => {
  it('on API ≥ 3.6 plays the whole pattern as one scene sequence, after a stop', () => {
    motor().play(renderCue('inhale', 'medium', hapticsFor(3.7)));
    const expected = renderSequence('inhale', 'medium').map((a) => ({
      type: { GENTLE_SHORT: 11, STRONG_SHORT: 12, CONTINUOUS: 13, PAUSE: 14 }[a.type],
      ...(a.duration === undefined ? {} : { duration: a.duration }),
    }));
    expect(calls).toEqual(['stop', `start ${JSON.stringify(expected)}`]);
  });

  it('below 3.6 starts scenes that end by themselves, each at its offset, with no stop() inside the pattern', () => {
    motor().play(renderCue('exhale', 'strong', hapticsFor(3.0)));
    // Hand-worked: exhale is two buzzes; each becomes a 600 ms DURATION scene (mocked as 24), the second
    // starting after the first has ended and 250 ms of silence.
    expect(calls).toEqual(['stop', 'setMode 24', 'start']);
    vi.advanceTimersByTime(849);
    expect(calls).toEqual(['stop', 'setMode 24', 'start']);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['stop', 'setMode 24', 'start', 'setMode 24', 'start']);
    vi.advanceTimersByTime(5000);
    expect(calls).toHaveLength(5);
  });

  it('a new cue cuts the rest of the one still playing', () => {
    const player = motor();
    player.play(renderCue('sessionDone', 'medium', 'timed'));
    player.play(renderCue('sweepTick', 'medium', 'timed'));
    const before = calls.length;
    vi.advanceTimersByTime(5000);
    const extra = calls.slice(before);
    // A sweep tick is one scene, played at once: nothing of the session-done pattern follows it.
    expect(extra).toEqual([]);
  });
});

describe('renderer', () => {
  const text = (id: string, value: string) =>
    ({ type: 'text', id, box: { x: 0, y: 0, w: 10, h: 10 }, text: value, size: 20, color: 1 }) as const;

  it('creates each widget once, updates only what changed, deletes what is gone', () => {
    const r = createRenderer(() => undefined, overlaps);
    r.render([text('a', 'one'), text('b', 'two')]);
    expect(calls).toEqual(['create TEXT', 'create TEXT']);
    calls.length = 0;
    r.render([text('a', 'one'), text('b', 'three')]);
    expect(calls).toEqual(['set 2']);
    expect(widgets.get(2)!.props.text).toBe('three');
    calls.length = 0;
    r.render([text('a', 'one')]);
    expect(calls).toEqual(['delete 2']);
  });

  it('a widget that appears under others draws anew only the later ones it may cover', () => {
    const r = createRenderer(() => undefined, overlaps);
    const at = (id: string, x: number) =>
      ({ type: 'text', id, box: { x, y: 0, w: 10, h: 10 }, text: id, size: 20, color: 1 }) as const;
    r.render([at('a', 0), at('far', 100), at('near', 5)]);
    calls.length = 0;
    // 'new' (0–10) comes before 'far' (100–110, apart) and 'near' (5–15, covered): 'near' must be drawn
    // anew above it; 'far' stays as it is.
    r.render([at('a', 0), at('new', 0), at('far', 100), at('near', 5)]);
    expect(calls).toEqual(['create TEXT', 'delete 3', 'create TEXT']);
  });

  it('a tap reaches the message of the latest view', () => {
    const actions: string[] = [];
    const r = createRenderer((a: string) => actions.push(a), overlaps);
    const button = (msg: string) =>
      ({
        type: 'button',
        id: 'b',
        box: { x: 0, y: 0, w: 10, h: 10 },
        text: 'x',
        size: 20,
        color: 0,
        background: 0,
        pressed: 0,
        msg,
      }) as const;
    r.render([button('first')]);
    (widgets.get(1)!.props.click_func as () => void)();
    r.render([button('second')]);
    (widgets.get(1)!.props.click_func as () => void)();
    expect(actions).toEqual(['first', 'second']);
  });

  it('measures arcs from twelve o’clock, converting to the platform’s three o’clock origin', () => {
    const r = createRenderer(() => undefined, overlaps);
    r.render([
      {
        type: 'arc',
        id: 'a',
        ring: { cx: 240, cy: 240, rx: 200, ry: 200, lineWidth: 10 },
        from: 0,
        to: 90,
        color: 5,
      },
    ]);
    expect(widgets.get(1)!.props).toMatchObject({
      x: 40,
      y: 40,
      w: 400,
      h: 400,
      start_angle: -90,
      end_angle: 0,
    });
  });
});
