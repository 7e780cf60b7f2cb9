import { describe, expect, it } from 'vitest';
import {
  mount,
  type Input,
  type Keys,
  type Program,
  type Sources,
  type SubOf,
} from '../../../core/base/program';

// A counter whose effects are written down as they are carried out: the order below is the contract
// every page and the sync loop rely on.
type Event = { type: 'add'; n: number } | { type: 'echo'; n: number };
type Effect = { type: 'note'; text: string } | { type: 'reply'; n: number };

const counter = (initEffects: Effect[] = []): Program<number, Event, Effect> => ({
  init: { model: 0, effects: initEffects },
  update: (model, event) =>
    event.type === 'add'
      ? {
          model: model + event.n,
          effects: [
            { type: 'note', text: `add ${event.n}` },
            { type: 'reply', n: event.n },
          ],
        }
      : { model, effects: [{ type: 'note', text: `echo ${event.n}` }] },
});

function record(program: Program<number, Event, Effect>) {
  const log: string[] = [];
  const run = mount(
    program,
    (effect, dispatch) => {
      if (effect.type === 'note') log.push(effect.text);
      else dispatch({ type: 'echo', n: effect.n });
    },
    (model) => log.push(`view ${model}`),
  );
  return { run, log };
}

describe('mount', () => {
  it('carries out init’s effects at once, then draws the view', () => {
    const { run, log } = record(counter([{ type: 'note', text: 'hello' }]));
    expect(log).toEqual(['hello', 'view 0']);
    expect(run.model).toBe(0);
  });

  it('updates, carries out the effects in order, then draws; an event sent meanwhile waits its turn', () => {
    const { run, log } = record(counter());
    log.length = 0;
    run.dispatch({ type: 'add', n: 2 });
    // The reply dispatched by the second effect runs after the first step is wholly done and drawn.
    expect(log).toEqual(['add 2', 'view 2', 'echo 2', 'view 2']);
    expect(run.model).toBe(2);
  });

  it('an event dispatched by init’s effects runs right after init', () => {
    const { run, log } = record(counter([{ type: 'reply', n: 7 }]));
    expect(log).toEqual(['view 0', 'echo 7', 'view 0']);
    expect(run.model).toBe(0);
  });

  it('stop ends the run at once: the rest of the step is not carried out, later events are dropped', () => {
    const log: string[] = [];
    let stop = (): void => undefined;
    const run = mount(counter(), (effect) => {
      log.push(effect.type);
      stop();
    });
    stop = () => run.stop();
    run.dispatch({ type: 'add', n: 1 });
    expect(log).toEqual(['note']);
    run.dispatch({ type: 'add', n: 5 });
    expect(log).toEqual(['note']);
    expect(run.model).toBe(1);
  });

  it('a stop from the view drops the events still waiting', () => {
    const seen: number[] = [];
    const run = mount(
      counter(),
      (effect, dispatch) => effect.type === 'reply' && dispatch({ type: 'add', n: effect.n }),
      (model) => {
        seen.push(model);
        if (model >= 3) run.stop();
      },
    );
    run.dispatch({ type: 'add', n: 3 });
    // The reply re-adds forever unless the stop drops it: one step is drawn, then nothing.
    expect(seen).toEqual([0, 3]);
    expect(run.model).toBe(3);
  });
});

// A clock program whose model asks for the platform: a timer at `at` while set, the keys while
// `keys` is set, the heart-rate sensor while `hr`. The sources write down what they start and stop.
interface Asks {
  readonly at: number | null;
  readonly keys: Keys<'input'>['take'] | null;
  readonly hr: boolean;
}
type AskEvent =
  | { type: 'set'; asks: Partial<Asks> }
  | { type: 'wake'; now: number }
  | { type: 'input'; input: Input; now: number }
  | { type: 'heartRate'; now: number; bpm: unknown };
type AskSub = SubOf<'wake' | 'heartRate'> | Keys<'input'>;

const asking: Program<Asks, AskEvent, never, AskSub> = {
  init: { model: { at: 100, keys: null, hr: false }, effects: [] },
  update: (model, event) => ({
    model:
      event.type === 'set'
        ? { ...model, ...event.asks }
        : event.type === 'wake'
          ? { ...model, at: null }
          : model,
    effects: [],
  }),
  subscriptions: (m) => [
    ...(m.at === null ? [] : [{ type: 'wake' as const, at: m.at }]),
    ...(m.keys ? [{ type: 'keys' as const, take: m.keys }] : []),
    ...(m.hr ? [{ type: 'heartRate' as const }, { type: 'heartRate' as const }] : []),
  ],
};

function platform() {
  const log: string[] = [];
  const fire: { [at: number]: () => void } = {};
  const sources: Sources<AskSub, AskEvent> = {
    wake: (sub, dispatch) => {
      log.push(`arm ${sub.at}`);
      fire[sub.at] = () => dispatch({ type: 'wake', now: sub.at }, sub);
      return () => log.push(`disarm ${sub.at}`);
    },
    keys: (sub) => {
      log.push(`keys ${Object.keys(sub.take).join(',')}`);
      return () => log.push(`keys off ${Object.keys(sub.take).join(',')}`);
    },
    heartRate: () => {
      log.push('hr on');
      return () => log.push('hr off');
    },
  };
  return { log, fire, sources };
}

describe('mount: subscriptions as data', () => {
  it('starts what the opening model asks for, after the view', () => {
    const { log, sources } = platform();
    mount(
      asking,
      () => undefined,
      () => log.push('view'),
      sources,
    );
    expect(log).toEqual(['view', 'arm 100']);
  });

  it('keeps what is asked again unchanged, starts what is new, stops what is no longer asked', () => {
    const { log, sources } = platform();
    const run = mount(asking, () => undefined, undefined, sources);
    run.dispatch({ type: 'set', asks: { keys: { select: 'input', back: 'input' }, hr: true } });
    // The timer at 100 is the same subscription: not stopped, not armed again. Two heart-rate
    // subscriptions that are the same are one sensor.
    expect(log).toEqual(['arm 100', 'keys select,back', 'hr on']);
    run.dispatch({ type: 'set', asks: { at: 250, keys: { select: 'input' } } });
    // What is no longer asked is stopped first: a page has one key handler, which the new keys replace.
    expect(log.slice(3)).toEqual(['disarm 100', 'keys off select,back', 'arm 250', 'keys select']);
    run.dispatch({ type: 'set', asks: { hr: false, keys: null, at: null } });
    expect(log.slice(7).sort()).toEqual(['disarm 250', 'hr off', 'keys off select']);
  });

  it('a timer that fired is done: the same time asked for again arms a new one, none is stopped twice', () => {
    const { log, fire, sources } = platform();
    const run = mount(asking, () => undefined, undefined, sources);
    fire[100]!();
    // The wake cleared `at`: nothing left to stop, nothing armed.
    expect(log).toEqual(['arm 100']);
    run.dispatch({ type: 'set', asks: { at: 100 } });
    expect(log).toEqual(['arm 100', 'arm 100']);
  });

  it('stop stops every subscription at once, and nothing is started after it', () => {
    const { log, sources } = platform();
    const run = mount(asking, () => undefined, undefined, sources);
    run.dispatch({ type: 'set', asks: { keys: { back: 'input' }, hr: true } });
    log.length = 0;
    run.stop();
    expect(log.sort()).toEqual(['disarm 100', 'hr off', 'keys off back']);
    run.dispatch({ type: 'set', asks: { at: 5 } });
    expect(log).toHaveLength(3);
  });

  it('a program without subscriptions starts nothing; one with them needs a source for each kind', () => {
    const { log, sources } = platform();
    mount({ init: asking.init, update: asking.update }, () => undefined, undefined, sources);
    expect(log).toEqual([]);
    // @ts-expect-error the sources are missing (and the first subscription finds none)
    expect(() => mount(asking, () => undefined)).toThrow(TypeError);
    // @ts-expect-error no source for the heart-rate sensor
    mount(asking, () => undefined, undefined, { wake: sources.wake, keys: sources.keys });
  });
});
