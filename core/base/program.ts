/**
 * The one way logic runs here, Elm-style: a model, an `update` that turns (model, event) into the next
 * model and the effects to carry out, and an interpreter of effects that the shell passes in. Every page,
 * the watch's sync loop and the tests that drive them run through `runProgram`, so "what happens next"
 * is always a pure function and "how it is carried out" always one switch in one shell.
 */
export interface Step<M, F> {
  readonly model: M;
  readonly effects: readonly F[];
}

export interface Program<M, E, F> {
  /** The model to start from, and the effects to carry out at once. */
  readonly init: Step<M, F>;
  update(model: M, event: E): Step<M, F>;
}

export interface Run<M, E> {
  /**
   * Updates the model with the event, then carries out its effects in order. An event dispatched while
   * effects are being carried out waits until they are done: effects never interleave.
   */
  dispatch(event: E): void;
  /** The latest model. */
  readonly model: M;
  /** Ends the run at once: no further effect of the step under way is carried out, later events are dropped. */
  stop(): void;
  readonly stopped: boolean;
}

/** Carries out one effect; `dispatch` feeds an answer (a reply, a timer, a tap) back in as an event. */
export type Interpret<E, F> = (effect: F, dispatch: (event: E) => void) => void;

/**
 * Starts a program: carries out `init`'s effects, then each dispatched event's. `view`, when given, is
 * called with the model after every step's effects (draw the screen).
 */
export function runProgram<M, E, F>(
  program: Program<M, E, F>,
  interpret: Interpret<E, F>,
  view?: (model: M) => void,
): Run<M, E> {
  // The update alone is kept: the opening step (its effects, often whole stored records as text) is
  // garbage once carried out, not heap for as long as the page lives.
  const { update } = program;
  let model = program.init.model;
  let stopped = false;
  let busy = false;
  const queue: E[] = [];

  const carryOut = (step: Step<M, F>): void => {
    model = step.model;
    for (const effect of step.effects) {
      if (stopped) return;
      interpret(effect, dispatch);
    }
    if (!stopped && view) view(model);
  };

  /** Runs `first`, then every event dispatched meanwhile, in order. */
  const drain = (first: () => void): void => {
    busy = true;
    try {
      first();
      for (let next = queue.shift(); next !== undefined && !stopped; next = queue.shift()) {
        carryOut(update(model, next));
      }
    } finally {
      busy = false;
      if (stopped) queue.length = 0;
    }
  };

  function dispatch(event: E): void {
    if (stopped) return;
    queue.push(event);
    if (!busy) drain(() => undefined);
  }

  drain(() => carryOut(program.init));

  return {
    dispatch,
    get model() {
      return model;
    },
    stop() {
      stopped = true;
    },
    get stopped() {
      return stopped;
    },
  };
}
