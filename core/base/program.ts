/**
 * The one way logic runs here, Elm-style: a model, an `update` that turns (model, event) into the next
 * model and the effects to carry out, the `subscriptions` the model listens to (timers, keys, the crown,
 * sensors) as data, and an interpreter of effects that the shell passes in. Every page, the App
 * Service, the watch's sync loop and the tests that drive them run through `mount`, so "what happens
 * next" is always a pure function, "how it is carried out" always one switch in one shell, and every
 * platform listener and timer is started and stopped by `mount` alone, through the shell's `Sources`.
 */
export interface Step<M, F> {
  readonly model: M;
  readonly effects: readonly F[];
}

/** What the patient does with the buttons and swipes, named by its meaning (page/lib/input maps the keys). */
export type Input = 'select' | 'back' | 'up' | 'down' | 'swipeLeft' | 'swipeRight';

/** The `keys` subscription: which inputs a program takes, and the type of the event each one is. */
export interface Keys<T extends string> {
  readonly type: 'keys';
  readonly take: { readonly [I in Input]?: T };
}

/**
 * What a program listens to, as data: `mount` starts each one its model asks for and stops each one it
 * no longer does (two are the same when their JSON is), with the shell's `Sources`.
 */
export type Sub =
  /** One timer for this absolute time, on the clock's scale: `{ type: 'wake', now }` when it fires. */
  | { readonly type: 'wake'; readonly at: number }
  /**
   * The inputs `take` names, taken from the system (it does not act on them), each as the event it
   * names: `{ type: take[input], input, now }`; any other key or swipe is left to the system.
   */
  | Keys<string>
  /** Every key event, taken, by the key's name (the wrist check's key record): `{ type: 'key', key }`. */
  | { readonly type: 'keyNames' }
  /** The crown's turns: `{ type: 'crown', degrees }`. */
  | { readonly type: 'crown' }
  /** The heart-rate sensor on: `{ type: 'heartRate', now, bpm }` at each value it gives. */
  | { readonly type: 'heartRate' };

/** The subscriptions of these kinds: what a program may ask for, and the sources its shell must give. */
export type SubOf<K extends Sub['type']> = Extract<Sub, { readonly type: K }>;

export interface Program<M, E, F, S extends Sub = never> {
  /** The model to start from, and the effects to carry out at once. */
  readonly init: Step<M, F>;
  update(model: M, event: E): Step<M, F>;
  /** What the model listens to now; absent, nothing. */
  subscriptions?(model: M): readonly S[];
}

/**
 * Starts one subscription on the platform and returns what stops it. `dispatch`'s `done`: the
 * subscription itself, when it is over (a timer that fired), so the same one asked for again starts anew.
 */
export type Source<S, E> = (sub: S, dispatch: (event: E, done?: Sub) => void) => () => void;

/** A shell's source for each kind of subscription its program asks for. */
export type Sources<S extends Sub, E> = { readonly [K in S['type']]: Source<Extract<S, { type: K }>, E> };

export interface Run<M, E> {
  /**
   * Updates the model with the event, then carries out its effects in order. An event dispatched while
   * effects are being carried out waits until they are done: effects never interleave.
   */
  dispatch(event: E): void;
  /** The latest model. */
  readonly model: M;
  /**
   * Ends the run at once: no further effect of the step under way is carried out, later events are
   * dropped, every subscription is stopped.
   */
  stop(): void;
}

/** Carries out one effect; `dispatch` feeds an answer (a reply, a timer, a tap) back in as an event. */
export type Interpret<E, F> = (effect: F, dispatch: (event: E) => void) => void;

/**
 * Starts a program: carries out `init`'s effects, then each dispatched event's. `view`, when given, is
 * called with the model after every step's effects (draw the screen); then the subscriptions are made
 * to match the model's, with the shell's `sources` (one per kind the program asks for).
 */
export function mount<M, E, F>(
  program: Program<M, E, F>,
  interpret: Interpret<E, F>,
  view?: (model: M) => void,
): Run<M, E>;
/** A program that asks for subscriptions: a source for each kind it asks for. */
export function mount<M, E, F, S extends Sub>(
  program: Program<M, E, F, S>,
  interpret: Interpret<E, F>,
  view: ((model: M) => void) | undefined,
  sources: Sources<S, E>,
): Run<M, E>;
export function mount<M, E, F, S extends Sub>(
  program: Program<M, E, F, S>,
  interpret: Interpret<E, F>,
  view?: (model: M) => void,
  sources?: Sources<S, E>,
): Run<M, E> {
  // The update alone is kept: the opening step (its effects, often whole stored records as text) is
  // garbage once carried out, not heap for as long as the page lives.
  const { update, subscriptions } = program;
  let model = program.init.model;
  let stopped = false;
  let busy = false;
  const queue: E[] = [];
  /** The subscriptions started, by their JSON, with what stops each. */
  const live: { [key: string]: () => void } = {};
  /** Stops what the model no longer asks for (all of it once stopped), then starts what it newly asks for. */
  const follow = (): void => {
    const next: { [key: string]: S } = {};
    if (!stopped && subscriptions) for (const sub of subscriptions(model)) next[JSON.stringify(sub)] = sub;
    // Stopped first: a page has one key handler, which new keys replace.
    for (const key in live)
      if (!next[key]) {
        live[key]!();
        delete live[key];
      }
    for (const key in next)
      live[key] ||= (sources![next[key]!.type as S['type']] as unknown as Source<S, E>)(next[key]!, dispatch);
  };

  /**
   * Carries out `step` (the opening one), then every event dispatched meanwhile, in order: each
   * step's effects, then the view, then the subscriptions.
   */
  const drain = (step?: Step<M, F>): void => {
    busy = true;
    try {
      for (;;) {
        if (!step) {
          const next = queue.shift();
          if (next === undefined || stopped) return;
          step = update(model, next);
        }
        model = step.model;
        for (const effect of step.effects) {
          if (stopped) return;
          interpret(effect, dispatch);
        }
        step = undefined;
        if (stopped) return;
        if (view) view(model);
        follow();
      }
    } finally {
      busy = false;
      if (stopped) queue.length = 0;
    }
  };

  /** An event in (`done`, from a source: the subscription that is over, a timer that fired). */
  function dispatch(event: E, done?: Sub): void {
    if (done) delete live[JSON.stringify(done)];
    if (stopped) return;
    queue.push(event);
    if (!busy) drain();
  }

  drain(program.init);

  return {
    dispatch,
    get model() {
      return model;
    },
    stop() {
      stopped = true;
      follow();
    },
  };
}
