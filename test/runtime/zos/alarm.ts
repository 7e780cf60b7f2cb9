/**
 * @zos/alarm, host side: one-shot alarms (the only kind the app sets) that launch the app on their page
 * with their param when due, unless it is already running. Reboots are not simulated (`store`).
 */
import type { ClockEvent } from '../clock';
import type { HostHandlers, HostOpsOf, Json } from '../ops';
import type { World } from '../world';

export interface Alarm {
  readonly id: number;
  readonly at: number;
  readonly url: string;
  readonly param: string | undefined;
  readonly store: boolean;
  readonly repeatType: number;
  readonly option: { readonly [key: string]: Json };
}

/** What the alarms need of the watch they belong to. */
export interface AlarmHost {
  readonly world: World;
  running(): boolean;
  /** The app.json page a url names (a failure if none). */
  resolvePage(url: string, api: string): string;
  /** An alarm rang with the app closed: the screen comes on and the app opens on its page. */
  ring(url: string, param: string | undefined): void;
  /**
   * How many alarms the system holds for the app before `set` returns 0 ("the timer creation failed",
   * alarm/set Result). The reference gives no number; a test may set one, down to 0.
   */
  capacity?: number;
}

/** `REPEAT_ONCE` in the double's own numbering of the typings' constants (the first of them). */
const REPEAT_ONCE = 0;

export class Alarms {
  private readonly byId = new Map<number, Alarm & { event: ClockEvent | undefined }>();
  private next = 1;

  constructor(private readonly host: AlarmHost) {}

  list(): Alarm[] {
    return [...this.byId.values()].map(({ event: _e, ...a }) => a);
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
    if (typeof o.url !== 'string') {
      world.fail('@zos/alarm set: url is required (typings)');
      return 0;
    }
    const at =
      typeof o.time === 'number'
        ? o.time * 1000
        : typeof o.delay === 'number'
          ? now + o.delay * 1000
          : undefined;
    if (at === undefined) {
      world.fail('@zos/alarm set: each call must pass time (UTC seconds) or delay (seconds) (typings)');
      return 0;
    }
    // alarm/set's Result: "0 is an invalid ID, which means the timer creation failed". When it fails
    // is not documented; the double refuses a time already past (the harsher reading) and any alarm
    // beyond the capacity a test gave.
    if (at <= now) {
      world.event('alarm', `set refused: time ${new Date(at).toISOString()} is not in the future`);
      return 0;
    }
    if (this.host.capacity !== undefined && this.byId.size >= this.host.capacity) {
      world.event('alarm', `set refused: the app already holds ${this.byId.size} alarm(s)`);
      return 0;
    }
    const repeatType = typeof o.repeat_type === 'number' ? o.repeat_type : REPEAT_ONCE;
    if (repeatType !== REPEAT_ONCE || o.week_days !== undefined || o.repeat_period !== undefined) {
      world.fail(
        `not implemented by the runtime double: @zos/alarm set with repeat_type ${repeatType} / week_days / repeat_period (the app sets one-shot alarms only)`,
      );
      return 0;
    }
    const route = this.host.resolvePage(o.url, '@zos/alarm set');
    const id = this.next++;
    const alarm = {
      id,
      at,
      url: route,
      param: typeof o.param === 'string' ? o.param : undefined,
      store: o.store === true,
      repeatType,
      option: o,
      event: undefined as ClockEvent | undefined,
    };
    alarm.event = world.clock.schedule(at - now, `alarm #${id}`, 'system', () => {
      world.event('alarm', `alarm #${id} fired (${route}${alarm.param ? ` param=${alarm.param}` : ''})`);
      this.byId.delete(id);
      if (this.host.running()) {
        world.event('alarm', `alarm #${id}: the app is running; not relaunched`);
        return;
      }
      this.host.ring(route, alarm.param);
    });
    this.byId.set(id, alarm);
    return id;
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
