/**
 * @zos/display, host side: the screen's on/off state and what the page asked of it (bright time,
 * wrist-drop and palm screen-off pauses, wake relaunch), and the system's rule that a Mini Program is
 * closed some seconds after its screen goes off.
 */
import type { ClockEvent } from '../clock';
import type { HostHandlers, HostOpsOf, Json } from '../ops';
import type { World } from '../world';

export interface DisplayState {
  readonly screenOn: boolean;
  /** The page's setPageBrightTime, or undefined (the user's timeout applies). */
  readonly pageBrightTime: number | undefined;
  readonly screenTimeoutMs: number;
  readonly dropWristPaused: boolean;
  readonly palmPaused: boolean;
  readonly wakeUpRelaunch: boolean;
  /** The system brightness setting (0–100), as getBrightness reads it; it outlives the app. */
  readonly brightness: number;
  readonly autoBrightness: boolean;
  /** Every change of the brightness setting: the level, and whether auto brightness was on. */
  readonly brightnessLog: readonly { t: number; brightness: number; auto: boolean }[];
  /** Screen and app events: off (why), on, exit, relaunch. */
  readonly events: readonly { t: number; what: string }[];
}

export interface PageEntry {
  route: string;
  params: string | null;
}

/** What the display needs of the watch it belongs to. */
export interface DisplayHost {
  readonly world: World;
  running(): boolean;
  /** The page on top of the stack: the one a wake relaunch reopens. */
  topPage(): PageEntry | undefined;
  exitApp(reason: string): void;
  relaunch(entry: PageEntry): void;
  defer(label: string, run: () => void): void;
  /** The screen came on again (timers held while it was off may run). */
  screenOnAgain(): void;
}

export class Display {
  screenOn = true;
  private lastActivity = 0;
  private pageBrightTime: number | undefined;
  private dropWristUntil = 0;
  private palmUntil = 0;
  private wakeUpRelaunch = false;
  private readonly events: { t: number; what: string }[] = [];
  private screenTimer: ClockEvent | undefined;
  private exitTimer: ClockEvent | undefined;
  private relaunchRoute: PageEntry | undefined;
  private brightness: number;
  private autoBrightness: boolean;
  private readonly brightnessLog: { t: number; brightness: number; auto: boolean }[] = [];

  constructor(
    private readonly host: DisplayHost,
    private readonly opts: {
      screenTimeoutMs?: number;
      exitAfterScreenOffMs?: number;
      brightness?: number;
      autoBrightness?: boolean;
    },
  ) {
    this.brightness = opts.brightness ?? 60;
    this.autoBrightness = opts.autoBrightness ?? false;
  }

  private get clock() {
    return this.host.world.clock;
  }

  state(): DisplayState {
    const now = this.clock.now();
    return {
      screenOn: this.screenOn,
      pageBrightTime: this.pageBrightTime,
      screenTimeoutMs: this.screenTimeout(),
      dropWristPaused: this.dropWristUntil > now,
      palmPaused: this.palmUntil > now,
      wakeUpRelaunch: this.wakeUpRelaunch,
      brightness: this.brightness,
      autoBrightness: this.autoBrightness,
      brightnessLog: [...this.brightnessLog],
      events: [...this.events],
    };
  }

  /** The app starts: it has not asked for a relaunch yet. */
  launched(): void {
    this.wakeUpRelaunch = false;
  }

  /** The app is gone (killed or exited): its page's bright time goes with it. */
  appGone(): void {
    this.clock.cancel(this.screenTimer);
    this.pageBrightTime = undefined;
  }

  /** Typings: setPageBrightTime "will follow the page destruction to do reset". */
  pageLeft(): void {
    this.pageBrightTime = undefined;
    this.restartIdle();
  }

  /** A touch, a key, a launch: the screen's idle count starts again. */
  activity(): void {
    this.lastActivity = this.clock.now();
    this.armScreenTimer();
  }

  wristDown(): void {
    if (this.dropWristUntil > this.clock.now()) this.event('wrist down ignored (pauseDropWristScreenOff)');
    else this.screenOff('wrist down');
  }

  palm(): void {
    if (this.palmUntil > this.clock.now()) this.event('palm ignored (pausePalmScreenOff)');
    else this.screenOff('palm');
  }

  /** The wrist comes up, or a button is pressed with the screen off. */
  wake(): void {
    if (!this.screenOn) {
      this.screenOn = true;
      this.event('on (wake)');
      this.clock.cancel(this.exitTimer);
      this.exitTimer = undefined;
      if (this.host.running()) this.host.screenOnAgain();
      if (!this.host.running() && this.relaunchRoute) {
        const route = this.relaunchRoute;
        this.relaunchRoute = undefined;
        this.event(`relaunch ${route.route}`);
        // Unknown on a real watch: which params the relaunched page gets. The double repeats its last ones.
        this.host.relaunch(route);
      }
    }
    this.activity();
  }

  /** Something else (an alarm) turns the screen on. */
  turnOn(why: string): void {
    if (this.screenOn) return;
    this.screenOn = true;
    this.event(`on (${why})`);
    if (this.host.running()) this.host.screenOnAgain();
  }

  // ---- @zos/display, as the app calls it ---------------------------------------------------------

  setWakeUpRelaunch(relaunch: boolean): void {
    this.wakeUpRelaunch = relaunch;
  }

  /** setPageBrightTime: 1000–2147483000 ms (typings), 10 s when the app passes none. */
  setPageBrightTime(brightTime: number | null): number {
    const t = brightTime ?? 10_000;
    if (!(t >= 1000 && t <= 2147483000)) {
      this.host.world.fail(
        `@zos/display setPageBrightTime: brightTime ${String(t)} is outside [1000, 2147483000] (typings)`,
        {
          kind: 'refused',
          rule: `brightTime ${String(t)} outside [1000, 2147483000]`,
          page: 'display/setPageBrightTime',
        },
      );
      return -1;
    }
    this.pageBrightTime = t;
    this.restartIdle();
    return 0;
  }

  resetPageBrightTime(): number {
    this.pageBrightTime = undefined;
    this.restartIdle();
    return 0;
  }

  /** pauseDropWristScreenOff / pausePalmScreenOff: 30 s when the app passes none; 0 means until reset. */
  pauseScreenOff(which: 'dropWrist' | 'palm', duration: number | null): number {
    const d = duration ?? 30_000;
    const until = d === 0 ? Number.POSITIVE_INFINITY : this.clock.now() + d;
    if (which === 'dropWrist') this.dropWristUntil = until;
    else this.palmUntil = until;
    return 0;
  }

  resetScreenOff(which: 'dropWrist' | 'palm'): number {
    if (which === 'dropWrist') this.dropWristUntil = 0;
    else this.palmUntil = 0;
    return 0;
  }

  getBrightness(): number {
    return this.brightness;
  }

  getAutoBrightness(): boolean {
    return this.autoBrightness;
  }

  // display/setBrightness: 0–100; "if the auto brightness setting is currently turned on … calling
  // setBrightness will not take effect". The setting is the system's: it stays after the app exits.
  setBrightness(level: Json): number {
    if (!(typeof level === 'number' && level >= 0 && level <= 100)) {
      this.host.world.fail(
        `@zos/display setBrightness: brightness ${String(level)} is outside 0–100 (display/setBrightness)`,
        { kind: 'refused', rule: `brightness ${String(level)} outside 0–100`, page: 'display/setBrightness' },
      );
      return -1;
    }
    if (this.autoBrightness) {
      this.event(`setBrightness(${level}) ignored: auto brightness is on`);
      return 0;
    }
    this.setLevel(level, this.autoBrightness);
    return 0;
  }

  setAutoBrightness(auto: Json): void {
    if (typeof auto !== 'boolean') {
      this.host.world.fail(
        '@zos/display setAutoBrightness needs a boolean autoBright (display/setAutoBrightness)',
        { kind: 'refused', rule: 'autoBright that is not a boolean', page: 'display/setAutoBrightness' },
      );
      return;
    }
    this.setLevel(this.brightness, auto);
  }

  setScreenOff(): number {
    this.host.defer('setScreenOff', () => this.screenOff('setScreenOff'));
    return 0;
  }

  private setLevel(brightness: number, auto: boolean): void {
    if (brightness === this.brightness && auto === this.autoBrightness) return;
    this.brightness = brightness;
    this.autoBrightness = auto;
    this.brightnessLog.push({ t: this.host.world.t(), brightness, auto });
    this.event(`brightness ${brightness}${auto ? ' (auto)' : ''}`);
  }

  private screenTimeout(): number {
    return this.pageBrightTime ?? this.opts.screenTimeoutMs ?? 10_000;
  }

  /** Assumption: a change of the bright time (set, reset, page left) restarts the screen's idle count. */
  private restartIdle(): void {
    if (this.screenOn) this.lastActivity = this.clock.now();
    this.armScreenTimer();
  }

  private armScreenTimer(): void {
    this.clock.cancel(this.screenTimer);
    this.screenTimer = undefined;
    if (!this.screenOn || !this.host.running()) return;
    const due = this.lastActivity + this.screenTimeout() - this.clock.now();
    this.screenTimer = this.clock.schedule(due, 'screen timeout', 'system', () => this.screenOff('timeout'));
  }

  private event(what: string): void {
    this.events.push({ t: this.host.world.t(), what });
    this.host.world.event('screen', what);
  }

  private screenOff(reason: string): void {
    if (!this.screenOn) return;
    this.screenOn = false;
    this.clock.cancel(this.screenTimer);
    this.screenTimer = undefined;
    this.event(`off (${reason})`);
    if (!this.host.running()) return;
    const delay = this.opts.exitAfterScreenOffMs ?? 10_000;
    this.exitTimer = this.clock.schedule(delay, 'exit after screen off', 'system', () => {
      this.exitTimer = undefined;
      if (this.screenOn || !this.host.running()) return;
      const top = this.host.topPage();
      if (this.wakeUpRelaunch && top) this.relaunchRoute = { ...top };
      this.event(
        `app exited ${delay / 1000} s after screen off${this.relaunchRoute ? ' (relaunch at wake)' : ''}`,
      );
      this.host.exitApp('screen off');
    });
  }
}

/** `@zos/display`'s operations, and the Screen sensor's reading of whether the screen is on. */
export function displayOps(d: Display): HostHandlers<HostOpsOf<'display'> | 'screen.on'> {
  return {
    'display.setWakeUpRelaunch': ({ relaunch }) => d.setWakeUpRelaunch(relaunch),
    'display.setPageBrightTime': ({ brightTime }) => d.setPageBrightTime(brightTime),
    'display.resetPageBrightTime': () => d.resetPageBrightTime(),
    'display.pauseDropWristScreenOff': ({ duration }) => d.pauseScreenOff('dropWrist', duration),
    'display.resetDropWristScreenOff': () => d.resetScreenOff('dropWrist'),
    'display.pausePalmScreenOff': ({ duration }) => d.pauseScreenOff('palm', duration),
    'display.resetPalmScreenOff': () => d.resetScreenOff('palm'),
    'display.setScreenOff': () => d.setScreenOff(),
    'display.getBrightness': () => d.getBrightness(),
    'display.setBrightness': ({ brightness }) => d.setBrightness(brightness),
    'display.getAutoBrightness': () => d.getAutoBrightness(),
    'display.setAutoBrightness': ({ autoBright }) => d.setAutoBrightness(autoBright),
    'screen.on': () => d.screenOn,
  };
}
