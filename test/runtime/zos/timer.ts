/**
 * The watch app's timers, host side (global `setTimeout` and the rest, `@zos/timer`): each belongs to the
 * page on screen when it was set (or to the app before the first page) and ends with it.
 *
 * Where the reference is silent the double takes the harsher reading (docs/runtime-double.md):
 * - a timer that comes due with the screen off waits until the screen is on again, then fires late
 *   (`timersWhileScreenOff` for the other reading);
 * - a page's timers end with the page: one still armed is dropped, and if the page relied on it, that
 *   shows when it would have fired: the double fails then, naming the page (docs/platform-facts.md T4).
 */
import type { ClockEvent } from '../clock';
import type { HostHandlers } from '../ops';
import type { World } from '../world';

/** A page instance on screen: its route and the number of its entry. */
export interface PageRef {
  readonly seq: number;
  readonly route: string;
}

export interface TimerHost {
  readonly world: World;
  screenOn(): boolean;
  /** The page on screen now, if any: it owns the timers set now. */
  currentPage(): PageRef | undefined;
  /** Calls the app's callback of timer `id`. */
  fire(id: number): void;
  defer(label: string, run: () => void): void;
}

export class PageTimers {
  /** Live timers of this run of the app: who set them (a page, or the app) and their clock event. */
  private readonly live = new Map<number, { page: PageRef | undefined; event: ClockEvent | undefined }>();
  /** Timers that came due with the screen off, under the reading that they wait for it. */
  private held: number[] = [];

  constructor(
    private readonly host: TimerHost,
    private readonly whileScreenOff: boolean,
  ) {}

  set(id: number, ms: number, repeat: boolean, owner: string): void {
    const { world } = this.host;
    const entry = { page: this.host.currentPage(), event: undefined as ClockEvent | undefined };
    const arm = (): void => {
      entry.event = world.clock.schedule(ms, `watch timer #${id}`, owner, () => {
        if (repeat) arm();
        else entry.event = undefined;
        if (!this.host.screenOn() && !this.whileScreenOff) {
          if (!this.held.includes(id)) this.held.push(id);
          world.event('timer', `#${id} due with the screen off: held until it is on`);
          return;
        }
        if (!repeat) this.live.delete(id);
        this.host.fire(id);
      });
    };
    this.live.set(id, entry);
    arm();
  }

  clear(id: number): void {
    this.host.world.clock.cancel(this.live.get(id)?.event);
    this.live.delete(id);
    this.held = this.held.filter((h) => h !== id);
  }

  /**
   * The page is gone: its timers end with it. One still armed is dropped, and a ghost fails the test
   * when it would have fired.
   */
  endPage(page: PageRef, owner: string): void {
    const { world } = this.host;
    for (const [id, t] of this.live) {
      if (t.page?.seq !== page.seq) continue;
      this.live.delete(id);
      this.held = this.held.filter((h) => h !== id);
      if (!t.event) continue;
      const due = t.event.at - world.clock.now();
      world.clock.cancel(t.event);
      world.clock.schedule(due, `ghost of watch timer #${id}`, owner, () => {
        world.fail(
          `timer #${id} set on ${page.route} would fire now, after its page was destroyed: a page's timers end with the page (docs/platform-facts.md T4); clear it in onDestroy`,
          {
            kind: 'refused',
            rule: "a page's timer relied on after the page is gone (harsher reading: the page is silent on it)",
            page: 'global/setTimeout',
          },
        );
      });
    }
  }

  /** The screen is on again: timers that came due while it was off fire now, in order. */
  releaseHeld(): void {
    if (!this.held.length) return;
    const ids = this.held;
    this.held = [];
    this.host.defer('timers held while the screen was off', () => {
      for (const id of ids) {
        const t = this.live.get(id);
        if (!t) continue;
        if (!t.event) this.live.delete(id);
        this.host.fire(id);
      }
    });
  }

  /** The app is gone: so are its timers (their clock events go with their owner). */
  reset(): void {
    this.live.clear();
    this.held = [];
  }
}

/** The timer operations of the watch app's context; `owner` is its run (clock events die with it). */
export function timerOps(timers: PageTimers, owner: string): HostHandlers<'timer.set' | 'timer.clear'> {
  return {
    'timer.set': ({ id, ms, repeat }) => timers.set(id, ms, repeat, owner),
    'timer.clear': ({ id }) => timers.clear(id),
  };
}
