/**
 * The one virtual clock of a simulated world: every timer of every context (watch and phone), every
 * BLE frame in flight, screen timeouts and alarms are events on it. `advance` runs them in time order
 * (ties in the order they were scheduled), so a test is deterministic and never waits for real time.
 */
export interface ClockEvent {
  readonly at: number;
  readonly seq: number;
  readonly label: string;
  readonly owner: string;
  readonly run: () => void;
}

export class VirtualClock {
  private events: ClockEvent[] = [];
  private seq = 0;
  private current: number;
  /** Events run by the last advance, for diagnostics. */
  ran = 0;

  constructor(
    start: number,
    private readonly maxEventsPerAdvance = 2_000_000,
  ) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  schedule(delayMs: number, label: string, owner: string, run: () => void): ClockEvent {
    const ev: ClockEvent = { at: this.current + Math.max(0, delayMs), seq: this.seq++, label, owner, run };
    // Kept sorted: insertion after every event due at or before it keeps FIFO order on ties.
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.events[mid]!.at <= ev.at) lo = mid + 1;
      else hi = mid;
    }
    this.events.splice(lo, 0, ev);
    return ev;
  }

  cancel(ev: ClockEvent | undefined): void {
    if (!ev) return;
    const i = this.events.indexOf(ev);
    if (i >= 0) this.events.splice(i, 1);
  }

  /** Drops every pending event of an owner (a context that was disposed takes its timers with it). */
  cancelOwner(owner: string): void {
    this.events = this.events.filter((e) => e.owner !== owner);
  }

  pending(owner?: string): readonly ClockEvent[] {
    return owner ? this.events.filter((e) => e.owner === owner) : this.events;
  }

  /** Runs every event due up to now + ms, in order, then sets the clock to now + ms. */
  advance(ms: number, afterEach: () => void = () => undefined): void {
    if (!(ms >= 0)) throw new Error(`advance(${ms}): time only moves forward`);
    const target = this.current + ms;
    this.ran = 0;
    while (this.events.length && this.events[0]!.at <= target) {
      const ev = this.events.shift()!;
      this.current = ev.at;
      if (++this.ran > this.maxEventsPerAdvance) {
        throw new Error(
          `advance(${ms}): more than ${this.maxEventsPerAdvance} events (a timer loop?); last: ${ev.label}`,
        );
      }
      ev.run();
      afterEach();
    }
    this.current = target;
  }

  /** When the next event is due, if any (optionally only events matching a predicate). */
  next(filter: (e: ClockEvent) => boolean = () => true): number | undefined {
    return this.events.find(filter)?.at;
  }
}
