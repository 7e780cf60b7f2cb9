/**
 * `@zos/alarm`, host side (alarm/set, alarm/cancel, alarm/getAllAlarms at c08725b): alarms that open
 * the app on their page with their param when due (unless it is already running: then they are only
 * recorded), or run their App Service once (alarm/set: "url: File path to wake up Mini Program,
 * supporting App Service"). Reboots are not simulated (`store`).
 *
 * What the page documents, modelled as it reads:
 * - `time` (UTC seconds) wins over `delay` (seconds from now); one of them is needed.
 * - `repeat_type` REPEAT_ONCE (the default) rings once; `repeat_period` and `week_days` are "effective
 *   when" another repeat type is set, so with REPEAT_ONCE they change nothing.
 * - REPEAT_MINUTE / HOUR / DAY ring every unit; with `repeat_period` p and `repeat_duration` d (1 by
 *   default) they ring on d units, then skip p: the page's "reminder every 21 days" is REPEAT_DAY with
 *   p = 20, d = 1. REPEAT_WEEK rings every week, or on the `week_days` (WEEK_MON | WEEK_WED...) at the
 *   first alarm's time of day; REPEAT_MONTH and REPEAT_YEAR on the same date (in the watch's local time).
 * - `start_time` / `end_time` (UTC seconds) bound when a repeating alarm rings.
 * A repeating alarm stays in getAllAlarms until cancelled; a one-shot one leaves it when it rings.
 */
import type { ClockEvent } from '../clock';
import { ALARM_REPEAT, type HostHandlers, type HostOpsOf, type Json } from '../ops';
import type { World } from '../world';

export interface Alarm {
  readonly id: number;
  /** When it rings next (epoch ms). */
  readonly at: number;
  readonly url: string;
  readonly param: string | undefined;
  readonly store: boolean;
  /** The repeat type: its constant in the double's numbering, and its name (`ONCE`, `DAY`, `WEEK`...). */
  readonly repeatType: number;
  readonly repeat: (typeof ALARM_REPEAT)[number];
  readonly option: { readonly [key: string]: Json };
}

/** What the alarms need of the watch they belong to. */
export interface AlarmHost {
  readonly world: World;
  running(): boolean;
  /** What a url names: a page of app.json, an App Service of it, or (a failure) neither. */
  target(url: string, api: string): { page: string } | { service: string };
  /** An alarm rang for a page with the app closed: the screen comes on and the app opens on its page. */
  ring(url: string, param: string | undefined): void;
  /** An alarm rang for an App Service: it runs once with the param. */
  runService(file: string, param: string | null): void;
  /** The watch's offset from UTC in minutes (the calendar of week days, months and years). */
  utcOffsetMinutes: number;
  /**
   * How many alarms the system holds for the app before `set` returns 0 ("the timer creation failed",
   * alarm/set Result). The reference gives no number; a test may set one, down to 0.
   */
  capacity?: number;
}

const MINUTE = 60_000;
const UNIT_MS = { MINUTE, HOUR: 60 * MINUTE, DAY: 24 * 60 * MINUTE } as const;

interface Kept extends Alarm {
  event: ClockEvent | undefined;
  /** How many rings so far (the cycle of repeat_duration / repeat_period counts from the first). */
  rung: number;
  readonly first: number;
}

export class Alarms {
  private readonly byId = new Map<number, Kept>();
  private next = 1;

  constructor(private readonly host: AlarmHost) {}

  list(): Alarm[] {
    return [...this.byId.values()].map(({ event: _e, rung: _r, first: _f, ...a }) => a);
  }

  ids(): number[] {
    return [...this.byId.keys()];
  }

  cancel(id: number): void {
    const a = this.byId.get(id);
    if (a) this.host.world.clock.cancel(a.event);
    this.byId.delete(id);
  }

  set(o: { readonly [key: string]: Json }): number {
    const { world } = this.host;
    const now = world.clock.now();
    const page = 'alarm/set';
    if (typeof o.url !== 'string') {
      world.fail('@zos/alarm set: url is required (alarm/set)', { kind: 'refused', rule: 'no url', page });
      return 0;
    }
    const at =
      typeof o.time === 'number'
        ? o.time * 1000
        : typeof o.delay === 'number'
          ? now + o.delay * 1000
          : undefined;
    if (at === undefined) {
      world.fail('@zos/alarm set: each call must pass time (UTC seconds) or delay (seconds) (alarm/set)', {
        kind: 'refused',
        rule: 'neither time nor delay',
        page,
      });
      return 0;
    }
    const repeatCode = o.repeat_type ?? 0;
    const repeat = typeof repeatCode === 'number' ? ALARM_REPEAT[repeatCode] : undefined;
    if (!repeat || typeof repeatCode !== 'number') {
      world.fail(
        `@zos/alarm set: repeat_type ${String(repeatCode)} is not one of the REPEAT_* constants (alarm/set)`,
        {
          kind: 'refused',
          rule: 'a repeat_type that is not a REPEAT_* constant',
          page,
        },
      );
      return 0;
    }
    // alarm/set's Result: "0 is an invalid ID, which means the timer creation failed". When it fails
    // is not documented; the double refuses a one-shot time already past (the harsher reading) and any
    // alarm beyond the capacity a test gave.
    if (repeat === 'ONCE' && at <= now) {
      world.event('alarm', `set refused: time ${new Date(at).toISOString()} is not in the future`);
      return 0;
    }
    if (this.host.capacity !== undefined && this.byId.size >= this.host.capacity) {
      world.event('alarm', `set refused: the app already holds ${this.byId.size} alarm(s)`);
      return 0;
    }
    const target = this.host.target(o.url, '@zos/alarm set');
    const id = this.next++;
    const alarm: Kept = {
      id,
      at,
      url: 'page' in target ? target.page : target.service,
      param: typeof o.param === 'string' ? o.param : undefined,
      store: o.store === true,
      repeatType: repeatCode,
      repeat,
      option: o,
      event: undefined,
      rung: 0,
      first: at,
    };
    this.byId.set(id, alarm);
    const due = this.nextRing(alarm, now);
    if (due === undefined) {
      world.event('alarm', `alarm #${id}: no ring left between start_time and end_time`);
      return id;
    }
    this.arm(alarm, due, target);
    return id;
  }

  private arm(alarm: Kept, due: number, target: { page: string } | { service: string }): void {
    const { world } = this.host;
    const kept = { ...alarm, at: due };
    this.byId.set(alarm.id, kept);
    kept.event = world.clock.schedule(due - world.clock.now(), `alarm #${alarm.id}`, 'system', () => {
      world.event(
        'alarm',
        `alarm #${kept.id} fired (${kept.url}${kept.param ? ` param=${kept.param}` : ''})`,
      );
      kept.rung++;
      const next = kept.repeat === 'ONCE' ? undefined : this.nextRing(kept, world.clock.now() + 1);
      if (next === undefined) this.byId.delete(kept.id);
      else this.arm(kept, next, target);
      if ('service' in target) {
        this.host.runService(target.service, kept.param ?? null);
        return;
      }
      if (this.host.running()) {
        world.event('alarm', `alarm #${kept.id}: the app is running; not relaunched`);
        return;
      }
      this.host.ring(target.page, kept.param);
    });
  }

  /** The first ring at or after `from` (epoch ms) by the alarm's repeat rules, or undefined if none is left. */
  private nextRing(a: Kept, from: number): number | undefined {
    const o = a.option;
    const start = typeof o.start_time === 'number' ? o.start_time * 1000 : -Infinity;
    const end = typeof o.end_time === 'number' ? o.end_time * 1000 : Infinity;
    const inWindow = (t: number): boolean => t >= start && t <= end;
    if (a.repeat === 'ONCE') return a.rung === 0 ? a.first : undefined;
    const candidates = this.rings(a);
    for (let i = 0; i < 100_000; i++) {
      const t = candidates(i);
      if (t > end) return undefined;
      if (t >= from && inWindow(t)) return t;
    }
    return undefined;
  }

  /** The i-th time the alarm's repeat rules make it ring, from its first time on. */
  private rings(a: Kept): (i: number) => number {
    const o = a.option;
    const offset = this.host.utcOffsetMinutes * MINUTE;
    if (a.repeat === 'MINUTE' || a.repeat === 'HOUR' || a.repeat === 'DAY') {
      const unit = UNIT_MS[a.repeat];
      const on = typeof o.repeat_duration === 'number' && o.repeat_duration > 0 ? o.repeat_duration : 1;
      const off = typeof o.repeat_period === 'number' && o.repeat_period > 0 ? o.repeat_period : 0;
      // d rings, then p units skipped: the ring i is in cycle floor(i / d), at unit i mod d of it.
      return (i) => a.first + (Math.floor(i / on) * (on + off) + (i % on)) * unit;
    }
    if (a.repeat === 'WEEK') {
      const days = typeof o.week_days === 'number' && o.week_days > 0 ? o.week_days : 0;
      if (days === 0) return (i) => a.first + i * 7 * UNIT_MS.DAY;
      // Every day from the first one on, kept when its week day (Monday = bit 0) is in the mask.
      const ringing: number[] = [];
      let day = 0;
      return (i) => {
        while (ringing.length <= i) {
          const t = a.first + day++ * UNIT_MS.DAY;
          const weekday = (new Date(t + offset).getUTCDay() + 6) % 7;
          if (days & (1 << weekday)) ringing.push(t);
        }
        return ringing[i]!;
      };
    }
    // MONTH and YEAR: the same date and time of day, in the watch's local calendar.
    return (i) => {
      const local = new Date(a.first + offset);
      if (a.repeat === 'MONTH') local.setUTCMonth(local.getUTCMonth() + i);
      else local.setUTCFullYear(local.getUTCFullYear() + i);
      return local.getTime() - offset;
    };
  }
}

/** `@zos/alarm`'s operations. */
export function alarmOps(alarms: Alarms): HostHandlers<HostOpsOf<'alarm'>> {
  return {
    'alarm.set': ({ option }) => alarms.set(option),
    'alarm.cancel': ({ id }) => {
      if (typeof id === 'number') alarms.cancel(id);
    },
    'alarm.all': () => alarms.ids(),
  };
}
