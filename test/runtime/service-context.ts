/**
 * The App Service's own QuickJS context: the service file booted by `Services` (zos/service.ts), the
 * host operations a service can reach (only what guides/framework/device/app-service.md makes available
 * gets this far; the guest refuses the rest), and the service's own heart-rate measurement.
 */
import { guestConfig } from './guest-config';
import { dispatch, type ArgsOf, type GuestOp, type GuestOps, type HostHandlers, type HostOp } from './ops';
import type { BootOptions } from './options';
import type { WatchPackage } from './package';
import { DEFAULT_LIMITS, GuestVM } from './vm';
import type { World } from './world';
import { displayOps, type Display } from './zos/display';
import { serviceFsOps, type DataFiles } from './zos/fs';
import { heartRateOps, HeartRateSensor } from './zos/heart-rate';
import { mediaOps, PlayerChannel, type Speaker } from './zos/media';
import { vibratorOps, type Motor } from './zos/sensor';
import { notificationOps, type Services } from './zos/service';

/** The host operations an App Service reaches: the rest are not in the guide's availability table. */
export type ServiceHostOp = Extract<
  HostOp,
  | 'log'
  | 'fail'
  | 'timer.set'
  | 'timer.clear'
  | `vibrator.${string}`
  | `hr.${string}`
  | `fs.${string}`
  | `media.${string}`
  | 'screen.on'
  | 'display.getBrightness'
  | 'display.getAutoBrightness'
  | 'service.all'
  | 'service.exit'
  | 'notification.notify'
  | 'storage.load'
>;

export interface ServiceParts {
  readonly world: World;
  readonly pkg: WatchPackage;
  readonly opts: BootOptions;
  readonly panel: Display;
  readonly motor: Motor;
  readonly speaker: Speaker;
  readonly files: DataFiles;
  /** Set once the watch has made its Services (they need this context to boot a file). */
  services(): Services;
  /** A timer callback is about to run in the service (the driver's record of timer callbacks). */
  timerFired(file: string | undefined): void;
}

export class ServiceContext {
  private vm: GuestVM | undefined;
  private owner = 'service';
  /** The service file this context runs. */
  file: string | undefined;
  /** Set while the service runs a call: its vibrations are recorded as the service's. */
  private calling = false;
  /**
   * The same sensor as the App Service uses it (HeartRate is in a service's availability table): its
   * own measurement, which must be off by the time the service ends.
   */
  readonly heart: HeartRateSensor;
  /** The service's own media player ("audio is allowed in App Services"): it stops when the service ends. */
  private readonly player: PlayerChannel;

  /**
   * `continuous`: started by a page, it runs until it exits or is stopped; `single`: an alarm, a
   * notification's action or a system event runs it once, and it exits when its code is done, so what it
   * arms never fires.
   */
  constructor(
    private readonly parts: ServiceParts,
    readonly kind: 'continuous' | 'single' = 'continuous',
  ) {
    this.heart = new HeartRateSensor(
      parts.world,
      parts.opts.heartRate ?? {},
      () => this.owner,
      () => parts.services().file ?? 'app-service',
      (bpm) => this.call('hr.reading', { bpm }),
    );
    this.player = new PlayerChannel(
      parts.world,
      parts.speaker,
      'service',
      () => this.owner,
      () => ({ screenOn: parts.panel.screenOn, at: parts.services().file ?? 'app-service' }),
      (id, arg) => this.call('callback', { id, arg }),
    );
  }

  /** The service file while it runs a call (its vibrations are the service's), else undefined. */
  get active(): string | undefined {
    return this.calling ? (this.file ?? 'app-service') : undefined;
  }

  /** A notification's action reached the running service: its onEvent, if it has one. */
  event(param: string | null): boolean {
    const was = this.calling;
    this.calling = true;
    try {
      return this.vm?.call('service.event', { param })?.handled ?? false;
    } finally {
      this.calling = was;
    }
  }

  /** Creates the context, evaluates the service file and calls its onInit(param). */
  boot(file: string, param: string | null, owner: string): void {
    const { world, pkg, opts } = this.parts;
    this.owner = owner;
    this.file = file;
    const handlers = this.handlers();
    this.vm = new GuestVM(
      world.qjs,
      'service',
      guestConfig(pkg, opts, 'service'),
      {
        now: () => world.clock.now(),
        fail: (m) => world.fail(m),
        host: (op, p) =>
          dispatch(handlers, op, p, () =>
            world.fail(`App Service: double bug or unavailable host op ${op} (${owner})`),
          ),
      },
      {},
      { ...DEFAULT_LIMITS, callMs: opts.callMs ?? DEFAULT_LIMITS.callMs },
    );
    const code = pkg.files.get(`${file}.js`);
    if (code === undefined) {
      world.fail(`${file}.js is not in device.zip`);
      return;
    }
    const error = this.vm.evalScript(code, `${file}.js`);
    if (error) world.fail(`${file}.js was rejected by QuickJS: ${error}`);
    this.call('service.init', { param });
  }

  call<K extends GuestOp>(op: K, ...arg: ArgsOf<GuestOps[K]>): void {
    const was = this.calling;
    this.calling = true;
    try {
      this.vm?.call(op, ...arg);
    } finally {
      this.calling = was;
    }
  }

  /** Calls onDestroy (unless `quiet`: ended by the system) and disposes of the context. */
  shutdown(quiet: boolean): void {
    if (!quiet) this.call('service.destroy');
    // Ended by the system (quiet: no onDestroy) the service had no chance to stop it; otherwise, left on,
    // it would measure for nobody (only offCurrentChange stops it: sensor/HeartRate).
    if (!quiet && this.heart.measuring)
      this.parts.world.fail(
        '@zos/sensor HeartRate: continuous measurement still on when the App Service ended (offCurrentChange was not called)',
        {
          kind: 'refused',
          rule: 'heart-rate measurement left on when the service ends (harsher reading: only offCurrentChange stops it)',
          page: 'sensor/HeartRate',
        },
      );
    this.heart.stop();
    this.parts.motor.cut('service ended');
    this.player.stop('service ended');
    this.dispose();
  }

  dispose(): void {
    this.vm?.dispose();
    this.vm = undefined;
  }

  private handlers(): HostHandlers<ServiceHostOp> {
    const { world, panel, motor, files } = this.parts;
    const services = this.parts.services();
    const display = displayOps(panel);
    const single: Partial<HostHandlers<ServiceHostOp>> =
      this.kind === 'single'
        ? {
            'timer.set': ({ id }) =>
              world.event(
                'app',
                `service timer #${id} dropped: a single execution exits once its code is done`,
              ),
            'timer.clear': () => undefined,
            'service.exit': () => undefined,
          }
        : {};
    return {
      log: ({ level, text }) => world.log('watch', level, `[service] ${text}`),
      fail: ({ message, finding }) => world.fail(`App Service: ${message}`, finding),
      'timer.set': ({ id, ms, repeat }) =>
        services.setTimer(id, ms, repeat, (fired) => {
          if (!this.vm) return;
          this.parts.timerFired(services.file);
          this.call('timer', { id: fired });
        }),
      'timer.clear': ({ id }) => services.clearTimer(id),
      ...vibratorOps(motor),
      ...heartRateOps(this.heart),
      ...mediaOps(this.parts.speaker, this.player),
      ...serviceFsOps(files, world, () => services.writeAllowed()),
      'screen.on': display['screen.on'],
      'display.getBrightness': display['display.getBrightness'],
      'display.getAutoBrightness': display['display.getAutoBrightness'],
      'service.all': () => services.all(),
      'service.exit': () => services.exit(),
      ...notificationOps(services),
      // Importing @zos/storage makes its default instances; using them is refused in the context.
      'storage.load': () => ({}),
      ...single,
    };
  }
}
