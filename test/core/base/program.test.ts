import { describe, expect, it } from 'vitest';
import { runProgram, type Program } from '../../../core/base/program';

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
  const run = runProgram(
    program,
    (effect, dispatch) => {
      if (effect.type === 'note') log.push(effect.text);
      else dispatch({ type: 'echo', n: effect.n });
    },
    (model) => log.push(`view ${model}`),
  );
  return { run, log };
}

describe('runProgram', () => {
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
    const run = runProgram(counter(), (effect) => {
      log.push(effect.type);
      stop();
    });
    stop = () => run.stop();
    run.dispatch({ type: 'add', n: 1 });
    expect(log).toEqual(['note']);
    expect(run.stopped).toBe(true);
    run.dispatch({ type: 'add', n: 5 });
    expect(log).toEqual(['note']);
    expect(run.model).toBe(1);
  });

  it('a stop from the view drops the events still waiting', () => {
    const seen: number[] = [];
    const run = runProgram(
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
