/**
 * @zos/sensor HeartRate, host side: whether the watch has the sensor, whether the user granted
 * `data:user.hd.heart_rate`, and the readings continuous measurement delivers, on the virtual clock.
 *
 * What the reference leaves open is read harshly: the first reading comes seconds after
 * `onCurrentChange` (optical sensors need to settle; 8 s unless a test says otherwise); a wrist with no
 * reading gives none; measurement left on when its page is destroyed fails the test (its page says
 * only `offCurrentChange` stops it: left on, it drains the battery after the app has moved on).
 */
import type { ClockEvent } from '../clock';
import type { HostHandlers, HostOpsOf } from '../ops';
import type { World } from '../world';

export interface HeartRateOptions {
  /** `checkSensor(HeartRate)`: the watch has the sensor. Default true. */
  available?: boolean;
  /** The user's answer: granted at install (default), or refused since (queryPermission 0). */
  permission?: 'granted' | 'refused';
  /** The wrist's heart rate at `t` ms since boot, or null for no reading (a loose strap). Default 72 easing to 64. */
  bpm?: (t: number) => number | null;
  /** From `onCurrentChange` to the first reading. Default 8 000 ms. */
  firstReadingMs?: number;
  /** Then one reading every this many ms. Default 1 000 ms. */
  everyMs?: number;
}

export interface HeartReading {
  /** Virtual ms since boot. */
  readonly t: number;
  readonly bpm: number;
  readonly page: string | undefined;
}

/** 72 bpm at rest before the session, easing to 64 over its four minutes of slow breathing. */
const RELAXING = (t: number): number => Math.round(72 - Math.min(1, t / 240_000) * 8);

export class HeartRateSensor {
  private next: ClockEvent | undefined;
  private last = 0;
  private readonly delivered: HeartReading[] = [];

  constructor(
    private readonly world: World,
    private readonly opts: HeartRateOptions,
    private readonly owner: () => string,
    private readonly page: () => string | undefined,
    private readonly deliver: (bpm: number) => void,
  ) {}

  get available(): boolean {
    return this.opts.available ?? true;
  }

  /** queryPermission's code: 2 granted, 0 not. */
  get permission(): number {
    return (this.opts.permission ?? 'granted') === 'granted' ? 2 : 0;
  }

  get measuring(): boolean {
    return this.next !== undefined;
  }

  /** getLast: the latest reading delivered, 0 before any. */
  lastValue(): number {
    return this.last;
  }

  readings(): readonly HeartReading[] {
    return this.delivered.map((r) => ({ ...r }));
  }

  on(): void {
    if (this.next) return;
    this.world.event('app', 'heart rate: continuous measurement on');
    this.schedule(this.opts.firstReadingMs ?? 8_000);
  }

  off(listeners: number): void {
    if (listeners > 0 || !this.next) return;
    this.stop();
    this.world.event('app', 'heart rate: continuous measurement off');
  }

  /** The page went away: measuring still on is the app's fault. */
  pageGone(route: string | undefined): void {
    if (!this.next) return;
    this.world.fail(
      `@zos/sensor HeartRate: continuous measurement still on when ${route ?? 'the page'} was destroyed (offCurrentChange was not called)`,
      {
        kind: 'refused',
        rule: 'heart-rate measurement left on when its page goes (harsher reading: only offCurrentChange stops it)',
        page: 'sensor/HeartRate',
      },
    );
    this.stop();
  }

  stop(): void {
    this.world.clock.cancel(this.next);
    this.next = undefined;
  }

  private schedule(ms: number): void {
    this.next = this.world.clock.schedule(ms, 'heart rate reading', this.owner(), () => {
      const bpm = (this.opts.bpm ?? RELAXING)(this.world.t());
      this.schedule(this.opts.everyMs ?? 1_000);
      if (bpm === null) return;
      this.last = bpm;
      this.delivered.push({ t: this.world.t(), bpm, page: this.page() });
      this.deliver(bpm);
    });
  }
}

/** `@zos/sensor` HeartRate's operations, for the context whose sensor this is. */
export function heartRateOps(sensor: HeartRateSensor): HostHandlers<HostOpsOf<'hr'>> {
  return {
    'hr.available': () => sensor.available,
    'hr.permission': () => sensor.permission,
    'hr.last': () => sensor.lastValue(),
    'hr.on': () => sensor.on(),
    'hr.off': ({ listeners }) => sensor.off(listeners),
  };
}
