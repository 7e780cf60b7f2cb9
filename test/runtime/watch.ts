/**
 * The test driver: boots the BUILT app of one device from the .zab in QuickJS, with a phone running
 * its side service, on one virtual clock. Every action ends by running what is due "now" and throws
 * a DoubleFailure if the app failed (Mini Program Error, an unimplemented or too-new API, a throw in a
 * callback...). Use `takeFailures()` in a test that expects one.
 */
import { performance } from 'node:perf_hooks';
import { Link } from './link';
import { findDevice, watchPackage, type WatchPackage } from './package';
import { Phone } from './phone';
import { buildScreen, hitTarget, type RawWidget, type Screen } from './screen';
import { loadSpec } from './spec';
import { apiAtLeast, typingsForGuest } from './typings';
import { DEFAULT_LIMITS, GuestVM, quickjs } from './vm';
import type { ClockEvent } from './clock';
import { DoubleFailure, fmtT, World, type LogLine, type TimelineEvent } from './world';
import { Alarms, type Alarm } from './zos/alarm';
import { Display, type DisplayState, type PageEntry } from './zos/display';
import { Motor, type Vibration } from './zos/sensor';
import { HeartRateSensor, type HeartRateOptions, type HeartReading } from './zos/heart-rate';
import { Services, type BackgroundPermission, type Notification, type ServiceReadings } from './zos/service';

export type { Alarm, BackgroundPermission, DisplayState, Notification, Vibration };

export type Key = 'SELECT' | 'BACK' | 'UP' | 'DOWN' | 'HOME' | 'SHORTCUT';
export type KeyEvent = 'CLICK' | 'LONG_PRESS' | 'DOUBLE_CLICK' | 'PRESS' | 'RELEASE';
export type Gesture = 'LEFT' | 'RIGHT' | 'UP' | 'DOWN';

export interface BootOptions {
  /** A device name from scripts/devices.json, e.g. 'Amazfit Balance'. */
  device: string;
  /** The .zab: a path or its bytes; default the single dist/*.zab. */
  zab?: string | Uint8Array;
  /** Edits to packaged files before they load (tests of the double itself), keyed by path in device.zip or 'app-side.js'. */
  patch?: Record<string, (source: string) => string>;
  /** Virtual wall-clock time at boot (epoch ms or Date); default 2026-11-25T14:00:00Z. */
  start?: number | Date;
  /** LocalStorage content before the first launch (JSON values). */
  storage?: Record<string, unknown>;
  /** The phone's settingsStorage before boot. */
  settings?: Record<string, string>;
  /** Whether the side service is running at boot (default true). */
  sideService?: boolean;
  /** One-way BLE latency per frame, virtual ms (default 20). */
  latencyMs?: number;
  /** The user's screen-on time without a page override (default 10 000 ms, the typings' setPageBrightTime default). */
  screenTimeoutMs?: number;
  /** The user's brightness setting (0–100, default 60) and auto brightness (default off) at boot. */
  brightness?: number;
  autoBrightness?: boolean;
  /** How long after the screen goes off the system exits the Mini Program (default 10 000 ms, typings setWakeUpRelaunch). */
  exitAfterScreenOffMs?: number;
  /** The watch's offset from UTC in minutes (east positive) for the Time sensor's local fields; default 0. */
  utcOffsetMinutes?: number;
  /** System language for getText (a locale the package ships); default the app.json defaultLanguage or en-US. */
  language?: string;
  /** Real ms one call into the watch's QuickJS may run before it is interrupted as an endless loop (default 5000). */
  callMs?: number;
  /** Seed of Math.random inside the contexts. */
  seed?: number;
  /** Read the heap of each launch's context before app.js runs (`baselineHeap`): costs a forced collection. */
  measureHeap?: boolean;
  /** Launch with a page url / app param instead of the first page (as an alarm would). */
  launch?: { url?: string; param?: string };
  /** How many alarms the system holds for the app before refusing one (set returns 0); default no limit. */
  alarmCapacity?: number;
  /** The heart-rate sensor: present or not, permission granted or refused, what it reads and when. */
  heartRate?: HeartRateOptions;
  /**
   * Where Zepp's reference is silent the double takes the harsher reading; a test may ask for the other
   * one to show the app works under both (docs/platform-facts.md names each).
   */
  readings?: Readings;
  /** The user's answer to the `device:os.bg_service` question (default: asked, then granted). */
  backgroundPermission?: BackgroundPermission;
  /** `@zos/app-service` start returns this ERROR_CODE (1–7, 255) instead of starting. */
  serviceStartError?: number;
  /** Another app's continuous App Service runs (only one runs on the watch at a time). */
  otherService?: boolean;
}

export interface Readings {
  /** `Vibrator.stop()` cuts a running scene short. Default false: the reference never says it does. */
  stopCutsScene?: boolean;
  /** Page timers keep firing with the screen off. Default false: held until the screen is on again. */
  timersWhileScreenOff?: boolean;
  /**
   * Every LocalStorage instance reads and writes one shared map. Default false: each instance loads
   * the file when created, and each write saves the instance's whole copy.
   */
  storageSharedAcrossInstances?: boolean;
  /**
   * App Service readings (zos/service.ts): a `start` of the running service fails with 2 (default) or
   * delivers its param; a restarted service gets no param (default) or its start's param again.
   */
  service?: ServiceReadings;
  /**
   * Where a notification action's `param` goes when it opens a page: app.js onCreate (default, as an
   * alarm's param does; the page gets none) or the page's params.
   */
  notificationParamTo?: 'app' | 'page';
}

/**
 * The keys a watch with that many buttons sends, and whether one of them is a crown: zeppos-docs
 * reference/related-resources/physical-keys.mdx (commit c08725b). One button: HOME, a crown. Two: HOME
 * (the crown, upper) and SHORTCUT (lower). Four: UP, DOWN, SELECT, BACK, no crown. Three and five are
 * not documented (Cheetah (Square); Balance 3, Balance Ultra): read harshly, any of the six keys may
 * come (a test may press each, and the app must cope with whichever a button sends) and there is no
 * crown (the app must not need one).
 */
const KEYS_BY_BUTTONS: Record<number, { keys: readonly Key[]; crown: boolean }> = {
  1: { keys: ['HOME'], crown: true },
  2: { keys: ['HOME', 'SHORTCUT'], crown: true },
  4: { keys: ['UP', 'DOWN', 'SELECT', 'BACK'], crown: false },
};
const UNDOCUMENTED_BUTTONS = {
  keys: ['SELECT', 'BACK', 'UP', 'DOWN', 'HOME', 'SHORTCUT'] as readonly Key[],
  crown: false,
};

const DEFAULT_START = Date.UTC(2026, 10, 25, 14, 0, 0);

export type RequestOutcome =
  | { state: 'pending' }
  | { state: 'resolved'; value: unknown }
  | { state: 'rejected'; error: { code?: number; message: string } }
  /** The app stopped (exit, kill) before the request settled. */
  | { state: 'lost' };

export interface PendingRequest {
  outcome(): RequestOutcome;
}

export class Watch {
  readonly phone: Phone;
  readonly device: WatchPackage['device'];
  private vm: GuestVM | undefined;
  private generation = 0;
  private stack: PageEntry[] = [];
  private readonly store: Map<string, string>;
  private readonly motor: Motor;
  private readonly heart: HeartRateSensor;
  /**
   * The same sensor as the App Service uses it (HeartRate is in a service's availability table): its
   * own measurement, which must be off by the time the service ends.
   */
  private readonly serviceHeart: HeartRateSensor;
  private serviceOwner = 'service';
  private readonly panel: Display;
  private readonly alarmSet: Alarms;
  private readonly services: Services;
  private serviceVm: GuestVM | undefined;
  /** The Mini Program's /data files (@zos/fs): they outlive the app and the service. */
  private readonly files = new Map<string, string>();
  /** Set while the App Service runs a call: its vibrations are recorded as the service's. */
  private inService = false;
  private requests = 0;
  /** The page instance on screen (a number per page entered), or undefined between pages. */
  private pageSeq = 0;
  private currentPage: { seq: number; route: string } | undefined;
  /** Live timers of this run of the app: who set them (a page, or the app) and their clock event. */
  private timers = new Map<
    number,
    { page: { seq: number; route: string } | undefined; event: ClockEvent | undefined }
  >();
  /** Timers that came due with the screen off, under the reading that they wait for it. */
  private held: number[] = [];
  private modalState: Record<string, unknown> | undefined;
  /** Real (wall-clock) ms of the last launch, cumulative: context + prelude ready, app.js run (onCreate), first page built. */
  readonly startup = { contextMs: 0, appJsMs: 0, firstFrameMs: 0 };
  /** With `measureHeap`: the heap of the last launch's context before app.js (the runtime's baseline). */
  baselineHeap: number | undefined;
  private readonly fired: { t: number; page: string | undefined }[] = [];

  constructor(
    readonly world: World,
    private readonly pkg: WatchPackage,
    private readonly opts: BootOptions,
  ) {
    this.device = pkg.device;
    this.store = new Map(Object.entries(opts.storage ?? {}).map(([k, v]) => [k, JSON.stringify(v)]));
    const app = pkg.appJson.app;
    this.phone = new Phone(
      world,
      {
        appSideJs: pkg.appSideJs,
        settingJs: pkg.settingJs,
        appId: app.appId,
        appName: app.appName,
        config: (role) => this.guestConfig(role),
      },
      opts.settings,
    );
    this.phone.link = new Link(
      world.clock,
      {
        toWatch: (frame) =>
          this.vm
            ? Boolean(
                this.vm.call<{ delivered: boolean }>('ble.data', { hex: Buffer.from(frame).toString('hex') })
                  ?.delivered,
              )
            : false,
        toSide: (payload) => this.phone.deliver(payload),
        sideRunning: () => this.phone.sideRunning,
        appId: () => app.appId,
        watchStatus: (connected) => this.vm?.call('ble.status', { connected }),
      },
      opts.latencyMs ?? 20,
    );
    this.phone.settle = () => this.settle();
    this.heart = new HeartRateSensor(
      world,
      opts.heartRate ?? {},
      () => `watch#${this.generation}`,
      () => this.page,
      (bpm) => {
        this.vm?.call('hr.reading', { bpm });
      },
    );
    this.serviceHeart = new HeartRateSensor(
      world,
      opts.heartRate ?? {},
      () => this.serviceOwner,
      () => this.services.file ?? 'app-service',
      (bpm) => this.serviceCall('hr.reading', { bpm }),
    );
    this.motor = new Motor(
      world,
      () => ({
        screenOn: this.panel.screenOn,
        page: this.inService ? (this.services.file ?? 'app-service') : this.page,
      }),
      opts.readings?.stopCutsScene ?? false,
    );
    this.panel = new Display(
      {
        world,
        running: () => this.vm !== undefined,
        topPage: () => this.stack[this.stack.length - 1],
        exitApp: (reason) => this.exitApp(reason),
        relaunch: (entry) => this.launch({ url: entry.route, pageParams: entry.params }),
        defer: (label, run) => this.defer(label, run),
        screenOnAgain: () => this.releaseHeld(),
      },
      opts,
    );
    this.alarmSet = new Alarms({
      world,
      running: () => this.vm !== undefined,
      resolvePage: (url, api) => this.resolvePage(url, api),
      ring: (url, param) => {
        this.panel.turnOn('alarm');
        this.launch({ url, ...(param !== undefined ? { param } : {}) });
      },
      ...(opts.alarmCapacity !== undefined ? { capacity: opts.alarmCapacity } : {}),
    });
    this.services = new Services(
      {
        world,
        services:
          (pkg.appJson.module as { 'app-service'?: { services?: string[] } } | undefined)?.['app-service']
            ?.services ?? [],
        boot: (file, param, owner) => this.bootService(file, param, owner),
        shutdown: (quiet) => this.shutdownService(quiet),
        callApp: (id, arg) => this.vm?.call('callback', { id, arg: arg as never }),
        defer: (label, run) => this.world.clock.schedule(0, label, 'system', run),
        screenOn: () => this.panel.screenOn,
      },
      {
        ...(opts.backgroundPermission !== undefined
          ? { backgroundPermission: opts.backgroundPermission }
          : {}),
        ...(opts.serviceStartError !== undefined ? { serviceStartError: opts.serviceStartError } : {}),
        ...(opts.otherService !== undefined ? { otherService: opts.otherService } : {}),
        ...(opts.readings?.service ? { readings: opts.readings.service } : {}),
      },
    );
  }

  // ---- lifecycle ---------------------------------------------------------------------------------

  get running(): boolean {
    return this.vm !== undefined;
  }

  /** The page on top of the stack (route as in app.json), if the app runs. */
  get page(): string | undefined {
    return this.running ? this.stack[this.stack.length - 1]?.route : undefined;
  }

  /** Opens the app (as from the app list, or with an alarm's url/param). */
  launch(opts: { url?: string; param?: string; pageParams?: string | null } = {}): this {
    if (this.vm) throw new Error('the app is already running; kill() or exit it first');
    const started = performance.now();
    const owner = `watch#${++this.generation}`;
    this.vm = new GuestVM(
      this.world.qjs,
      'watch',
      this.guestConfig('watch'),
      {
        now: () => this.world.clock.now(),
        fail: (m) => this.world.fail(m),
        host: (op, p) => this.host(owner, op, p as Record<string, unknown>),
      },
      {},
      { ...DEFAULT_LIMITS, callMs: this.opts.callMs ?? DEFAULT_LIMITS.callMs },
    );
    this.startup.contextMs = performance.now() - started;
    if (this.opts.measureHeap) this.baselineHeap = this.vm.heapBytes();
    this.panel.launched();
    this.world.event(
      'app',
      `launch${opts.url ? ` ${opts.url}` : ''}${opts.param ? ` param=${opts.param}` : ''}`,
    );
    this.evalFile('app.js');
    this.vm.call('app.create', { param: opts.param ?? null });
    this.startup.appJsMs = performance.now() - started;
    const first = opts.url ? this.resolvePage(opts.url, 'launch') : this.pkg.pages[0];
    if (!first) throw new Error('app.json lists no pages');
    this.stack = [{ route: first, params: opts.pageParams ?? null }];
    this.enterPage(this.stack[0]!);
    this.startup.firstFrameMs = performance.now() - started;
    this.panel.activity();
    this.settle();
    return this;
  }

  /** The system kills the app at once (no onDestroy): a crash, or the OS reclaiming memory. */
  kill(): this {
    if (!this.vm) throw new Error('the app is not running');
    this.world.event('app', 'killed');
    this.teardown();
    return this;
  }

  /** Opens the app again after kill()/exit; LocalStorage is what it was. */
  relaunch(opts: { url?: string; param?: string } = {}): this {
    return this.launch(opts);
  }

  /** Leaves the app the normal way (page onDestroy, app onDestroy), as a swipe back from the first page does. */
  exit(): this {
    this.exitApp('exit');
    this.check();
    return this;
  }

  dispose(): void {
    if (this.vm) this.teardown();
    this.serviceVm?.dispose();
    this.serviceVm = undefined;
    this.phone.dispose();
  }

  // ---- what the user sees and feels --------------------------------------------------------------

  screen(): Screen {
    const raw = this.vm ? (this.vm.call<RawWidget[]>('screen') ?? []) : [];
    this.check();
    const d = this.device;
    return buildScreen(raw, {
      page: this.page,
      on: this.panel.screenOn,
      width: this.pkg.screen.w,
      height: this.pkg.screen.h,
      shape: d.shape === 'R' ? 'round' : 'square',
      modal: this.modalState,
    });
  }

  /** Every heart-rate reading the sensor delivered to the app (its pages and its App Service). */
  heartReadings(): readonly HeartReading[] {
    return [...this.heart.readings(), ...this.serviceHeart.readings()].sort((a, b) => a.t - b.t);
  }

  vibrations(): readonly Vibration[] {
    return this.motor.vibrations();
  }

  display(): DisplayState {
    return this.panel.state();
  }

  /** LocalStorage as stored (parsed JSON values); survives kill/relaunch. */
  storage(): Record<string, unknown> {
    return Object.fromEntries([...this.store].map(([k, v]) => [k, JSON.parse(v) as unknown]));
  }

  /** Writes a raw stored value (e.g. a corrupt one) as if a previous version had left it. */
  setStoredRaw(key: string, json: string): void {
    this.store.set(key, json);
  }

  alarms(): readonly Alarm[] {
    return this.alarmSet.list();
  }

  /** The App Service: which file runs, what happened to it, the notifications, how often the user was asked. */
  service(): {
    running: string | undefined;
    events: readonly { t: number; what: string }[];
    notifications: readonly Notification[];
    permissionAsked: number;
  } {
    return {
      running: this.services.file,
      events: this.services.events(),
      notifications: this.services.notifications(),
      permissionAsked: this.services.asked,
    };
  }

  /** The system restarts the running App Service (reload: a reboot, power saving, an update). */
  restartService(): this {
    this.services.restart();
    this.settle();
    return this;
  }

  /** The system ends the running App Service for good. */
  killService(): this {
    this.services.kill();
    this.settle();
    return this;
  }

  /**
   * Taps a notification's action. A page file opens the app on that page (closing it first if it runs);
   * its param goes to app.js onCreate, or to the page (readings.notificationParamTo). A service file
   * starts that App Service once with the param.
   */
  tapNotification(id: number, action = 0): this {
    const note = this.services.notifications().find((n) => n.id === id);
    const a = note?.actions[action];
    if (!a) throw new Error(`no notification #${id} with an action ${action}`);
    this.world.event('app', `notification #${id}: ${a.text}`);
    this.panel.turnOn('notification');
    if (this.pkg.pages.includes(a.file)) {
      if (this.vm) this.exitApp('notification opens a page');
      const toPage = this.opts.readings?.notificationParamTo === 'page';
      this.launch({
        url: a.file,
        ...(!toPage && a.param !== undefined ? { param: a.param } : {}),
        ...(toPage && a.param !== undefined ? { pageParams: a.param } : {}),
      });
    } else throw new Error(`notification action file ${a.file}: the double opens pages only`);
    this.settle();
    return this;
  }

  /** The /data files (@zos/fs), as text. */
  dataFiles(): Record<string, string> {
    return Object.fromEntries(this.files);
  }

  timeline(): readonly TimelineEvent[] {
    return this.world.timeline;
  }

  logs(): readonly LogLine[] {
    return this.world.logs;
  }

  /** Milliseconds since boot, virtual. */
  get t(): number {
    return this.world.t();
  }

  now(): number {
    return this.world.clock.now();
  }

  // ---- what the user does ------------------------------------------------------------------------

  tap(target: string | RegExp | number): this {
    const hit = hitTarget(this.screen(), target);
    this.userInput(`tap ${String(target)}`);
    if (!this.vm!.call<boolean>('tap', { id: hit.widget.id })) {
      // A tap whose handler failed reports that failure, not the missing answer.
      this.check();
      throw new Error(`tap(${String(target)}): ${hit.widget.type} #${hit.widget.id} took no tap`);
    }
    this.settle();
    return this;
  }

  /**
   * A key event. Unless the app's onKey returns true, the system acts as the design guide
   * (designs/interaction/physical-buttons.md) says: BACK clicked goes back; HOME clicked opens the
   * app list and SHORTCUT clicked its quick-start app, both leaving the app; HOME held opens the
   * voice app, leaving it too. SELECT, UP and DOWN do nothing by themselves in an app.
   */
  press(key: Key, event: KeyEvent = 'CLICK'): this {
    const { keys } = KEYS_BY_BUTTONS[this.device.buttons] ?? UNDOCUMENTED_BUTTONS;
    if (!keys.includes(key))
      throw new Error(
        `${this.device.name} has ${this.device.buttons} button(s) (${keys.join(', ')}); no ${key}`,
      );
    this.userInput(`press ${key} ${event}`);
    const r = this.vm!.call<{ suppressed: boolean }>('key', { key, event });
    if (!r?.suppressed) {
      if (key === 'BACK' && event === 'CLICK') this.back();
      else if (key === 'HOME' && event === 'CLICK') this.exitApp('HOME pressed (app list)');
      else if (key === 'SHORTCUT' && event === 'CLICK') this.exitApp('SHORTCUT pressed (quick start)');
      else if (key === 'HOME' && event === 'LONG_PRESS') this.exitApp('HOME held (voice app)');
    }
    this.settle();
    return this;
  }

  swipe(dir: Gesture): this {
    this.userInput(`swipe ${dir}`);
    const r = this.vm!.call<{ suppressed: boolean }>('gesture', { dir });
    if (!r?.suppressed && dir === 'RIGHT') this.back();
    this.settle();
    return this;
  }

  crown(degree: number): this {
    if (!(KEYS_BY_BUTTONS[this.device.buttons] ?? UNDOCUMENTED_BUTTONS).crown)
      throw new Error(`${this.device.name} (${this.device.buttons} buttons) has no crown`);
    this.userInput(`crown ${degree}`);
    this.vm!.call('crown', { degree });
    this.settle();
    return this;
  }

  /** Presses a button of the open createModal dialog. */
  answerModal(button: 'CONFIRM' | 'CANCEL'): this {
    if (!this.modalState) throw new Error('no modal is shown');
    this.userInput(`modal ${button}`);
    this.vm!.call('modal.click', { button });
    this.settle();
    return this;
  }

  /** Lowers the wrist: the screen goes off unless the page paused drop-wrist screen-off. */
  wristDown(): this {
    this.panel.wristDown();
    this.settle();
    return this;
  }

  /** Covers the screen with the palm. */
  palm(): this {
    this.panel.palm();
    this.settle();
    return this;
  }

  /** Raises the wrist / presses a button with the screen off: the screen comes on (and the app relaunches if it asked to). */
  wake(): this {
    this.panel.wake();
    this.settle();
    return this;
  }

  // ---- time --------------------------------------------------------------------------------------

  advance(ms: number): this {
    this.world.clock.advance(ms, () => this.check());
    this.check();
    return this;
  }

  advanceTo(at: number | Date): this {
    const target = typeof at === 'number' ? at : at.getTime();
    return this.advance(Math.max(0, target - this.world.clock.now()));
  }

  /** Advances until `predicate` holds, checking every `stepMs`; throws after `maxMs`. */
  advanceUntil(predicate: (w: this) => boolean, maxMs: number, stepMs = 100): this {
    const end = this.world.clock.now() + maxMs;
    while (!predicate(this)) {
      if (this.world.clock.now() >= end)
        throw new Error(`advanceUntil: not true after ${maxMs} ms (t=${fmtT(this.t)})`);
      this.advance(Math.min(stepMs, end - this.world.clock.now()));
    }
    return this;
  }

  // ---- failures and test hooks -------------------------------------------------------------------

  failures(): readonly string[] {
    return [...this.world.failures];
  }

  /** Returns and clears the recorded failures: for tests that expect the app (or the double) to fail. */
  takeFailures(): string[] {
    return this.world.failures.splice(0);
  }

  /** Throws a DoubleFailure if anything failed since the last check. */
  check(): void {
    if (this.world.failures.length) throw new DoubleFailure(this.world.failures.splice(0));
  }

  /**
   * Per page (route), every property value the app has passed to createWidget or setProperty since
   * launch, and how many of them changed what the screen showed (guest ui.ts `countWrites`).
   */
  widgetWrites(): Record<string, { written: number; changed: number }> {
    if (!this.vm) throw new Error('the app is not running');
    return this.vm.call<Record<string, { written: number; changed: number }>>('ui.writes') ?? {};
  }

  /** The virtual time of every watch timer callback since boot, in order (with the page it ran on). */
  timerCallbacks(): readonly { t: number; page: string | undefined }[] {
    return this.fired;
  }

  /** The watch app's QuickJS heap, after a forced collection unless `collect` is false (GuestVM `heapBytes`). */
  heapBytes(collect = true): number {
    if (!this.vm) throw new Error('the app is not running');
    return this.vm.heapBytes(collect);
  }

  /** Runs code in the watch app's context, as page code would (`__$$R$$__('@zos/...')` to reach a module). */
  exec(code: string): unknown {
    if (!this.vm) throw new Error('the app is not running');
    const out = this.vm.call('eval', { code });
    this.settle();
    return out;
  }

  /**
   * Sends a request through the current page's zml `request` (BasePage), as page code does; the
   * returned handle reads its outcome after the clock has moved (`w.advance(...)`).
   */
  request(data: unknown, options: { timeout?: number } = {}): PendingRequest {
    const id = ++this.requests;
    this.exec(
      `(function () {
        var page = getCurrentPage();
        var box = (globalThis.__doubleRequests = globalThis.__doubleRequests || {});
        box[${id}] = { state: 'pending' };
        if (!page || typeof page.request !== 'function') { box[${id}] = { state: 'rejected', error: { message: 'the current page has no zml request' } }; return; }
        page.request(${JSON.stringify(data)}, ${JSON.stringify(options)}).then(
          function (v) { box[${id}] = { state: 'resolved', value: v === undefined ? null : v }; },
          function (e) { box[${id}] = { state: 'rejected', error: { code: e && e.code, message: String(e && (e.message || e.reason) || e) } }; }
        );
      })()`,
    );
    const read = (): RequestOutcome => {
      if (!this.vm) return { state: 'lost' };
      return (
        (this.exec(`(globalThis.__doubleRequests || {})[${id}]`) as RequestOutcome | null) ?? {
          state: 'lost',
        }
      );
    };
    return { outcome: read };
  }

  // ---- internals ---------------------------------------------------------------------------------

  private guestConfig(role: 'watch' | 'service' | 'side' | 'settings'): object {
    const a = this.pkg.appJson;
    const d = this.device;
    const language = this.opts.language ?? (a.defaultLanguage as string | undefined) ?? 'en-US';
    if (this.pkg.locales.size && !this.pkg.locales.has(language)) {
      throw new Error(`language ${language}: the package ships ${[...this.pkg.locales.keys()].join(', ')}`);
    }
    return {
      role,
      seed: this.opts.seed ?? 1,
      utcOffsetMinutes: this.opts.utcOffsetMinutes ?? 0,
      language,
      i18n: this.pkg.locales.get(language) ?? {},
      device: {
        name: d.name,
        zos: d.zos,
        api: d.api,
        shape: d.shape === 'R' ? 'round' : 'square',
        w: this.pkg.screen.w,
        h: this.pkg.screen.h,
        buttons: d.buttons,
        deviceSource: d.deviceSources[0],
      },
      app: {
        appId: a.app.appId,
        appName: a.app.appName,
        versionName: a.app.version.name,
        versionCode: a.app.version.code,
        designWidth: a.designWidth ?? this.pkg.screen.w,
        permissions: a.permissions ?? [],
        appJson: a,
      },
      typings: typingsForGuest(),
      readings: { storageSharedAcrossInstances: this.opts.readings?.storageSharedAcrossInstances ?? false },
      // The Side Service and the Settings App run on the phone: the watch's reference does not apply.
      spec:
        role === 'watch' || role === 'service'
          ? loadSpec()
          : { source: '', modules: {}, constants: {}, widgets: {}, commonProps: [] },
    };
  }

  private evalFile(path: string): void {
    const code = this.pkg.files.get(path);
    if (code === undefined) {
      this.world.fail(`${path} is not in device.zip`);
      return;
    }
    const error = this.vm!.evalScript(code, path);
    // The compiled wrapper catches what throws while running; what reaches here did not even parse.
    if (error) this.world.fail(`${path} was rejected by QuickJS: ${error}`);
  }

  private bootService(file: string, param: string | null, owner: string): void {
    this.serviceOwner = owner;
    this.serviceVm = new GuestVM(
      this.world.qjs,
      'service',
      this.guestConfig('service'),
      {
        now: () => this.world.clock.now(),
        fail: (m) => this.world.fail(m),
        host: (op, p) => this.serviceHost(owner, op, p as Record<string, unknown>),
      },
      {},
      { ...DEFAULT_LIMITS, callMs: this.opts.callMs ?? DEFAULT_LIMITS.callMs },
    );
    const code = this.pkg.files.get(`${file}.js`);
    if (code === undefined) {
      this.world.fail(`${file}.js is not in device.zip`);
      return;
    }
    const error = this.serviceVm.evalScript(code, `${file}.js`);
    if (error) this.world.fail(`${file}.js was rejected by QuickJS: ${error}`);
    this.serviceCall('service.init', { param });
  }

  private serviceCall(op: string, p: Record<string, unknown> = {}): void {
    const was = this.inService;
    this.inService = true;
    try {
      this.serviceVm?.call(op, p as never);
    } finally {
      this.inService = was;
    }
  }

  private shutdownService(quiet: boolean): void {
    if (!quiet) this.serviceCall('service.destroy');
    // Ended by the system (quiet: no onDestroy) the service had no chance to stop it; otherwise, left on,
    // it would measure for nobody (only offCurrentChange stops it: sensor/HeartRate).
    if (!quiet && this.serviceHeart.measuring)
      this.world.fail(
        '@zos/sensor HeartRate: continuous measurement still on when the App Service ended (offCurrentChange was not called)',
      );
    this.serviceHeart.stop();
    this.motor.cut('service ended');
    this.serviceVm?.dispose();
    this.serviceVm = undefined;
  }

  /** Host calls from the App Service's context: only what a service can reach gets this far. */
  private serviceHost(owner: string, op: string, p: Record<string, unknown>): unknown {
    const w = this.world;
    switch (op) {
      case 'log':
        w.log('watch', p.level as string, `[service] ${p.text as string}`);
        return undefined;
      case 'fail':
        w.fail(`App Service: ${p.message as string}`);
        return undefined;
      case 'timer.set':
        this.services.setTimer(p.id as number, p.ms as number, Boolean(p.repeat), (id) => {
          if (!this.serviceVm) return;
          this.fired.push({ t: this.world.clock.now(), page: this.services.file });
          this.serviceCall('timer', { id });
        });
        return undefined;
      case 'timer.clear':
        this.services.clearTimer(p.id as number);
        return undefined;
      case 'vibrate':
        this.motor.start(p);
        return undefined;
      case 'vibrate.stop':
        this.motor.stop();
        return undefined;
      case 'service.exit':
        this.services.exit();
        return undefined;
      case 'hr.available':
        return this.serviceHeart.available;
      case 'hr.permission':
        return this.serviceHeart.permission;
      case 'hr.last':
        return this.serviceHeart.lastValue();
      case 'hr.on':
        this.serviceHeart.on();
        return undefined;
      case 'hr.off':
        this.serviceHeart.off(p.listeners as number);
        return undefined;
      case 'screen.on':
        return this.panel.screenOn;
      case 'service.all':
        return this.services.all();
      case 'notify':
        return this.services.notify(p);
      case 'fs.read':
        return { data: this.files.get(p.path as string) ?? null };
      case 'fs.write':
      case 'fs.rm':
        if (!this.services.writeAllowed()) {
          w.fail(
            `App Service: @zos/fs ${op === 'fs.write' ? 'writeFileSync' : 'rmSync'} with the screen on: file writes from a service only "when the screen is off or in AOD" (guides/framework/device/app-service.md)`,
          );
          return op === 'fs.rm' ? -1 : undefined;
        }
        return this.fileOp(op, p);
      case 'display':
        return this.panel.call(p.op as string, p.arg);
      case 'storage.load':
        // Importing @zos/storage makes its default instances; using them is refused in the context.
        return {};
      default:
        w.fail(`App Service: double bug or unavailable host op ${op} (${owner})`);
        return undefined;
    }
  }

  private fileOp(op: string, p: Record<string, unknown>): unknown {
    if (op === 'fs.write') {
      this.files.set(p.path as string, p.data as string);
      this.world.event('storage', `file ${p.path as string} written`);
      return undefined;
    }
    return this.files.delete(p.path as string) ? 0 : -1;
  }

  private resolvePage(url: string, api: string): string {
    const route = url.replace(/^\//, '').replace(/\.js$/, '');
    if (!this.pkg.pages.includes(route)) {
      this.world.fail(`${api}: no page "${url}" in app.json pages (${this.pkg.pages.join(', ')})`);
      return this.pkg.pages[0]!;
    }
    return route;
  }

  private enterPage(entry: PageEntry): void {
    const vm = this.vm!;
    this.currentPage = { seq: ++this.pageSeq, route: entry.route };
    this.world.event('page', `${entry.route}${entry.params ? ` ${entry.params}` : ''}`);
    vm.call('page.prepare', { route: entry.route });
    this.evalFile(`${entry.route}.js`);
    vm.call('page.start', { params: entry.params });
  }

  /**
   * The page is destroyed and its code released: the system evaluates a page's module anew on every
   * entry (docs/runtime-double.md), so nothing of the old one stays but what the app itself still
   * references. QuickJS frees most of it by reference count; the cycles (every closure that refers to
   * its own page) wait for the cycle collector, which runs here as the page goes.
   */
  private leavePage(): void {
    this.vm?.call('page.destroy');
    if (this.heart.measuring) {
      this.heart.pageGone(this.currentPage?.route);
      this.vm?.call('hr.clear');
    }
    this.vm?.collect();
    this.modalState = undefined;
    this.panel.pageLeft();
    this.motor.cut('page destroyed');
    const gone = this.currentPage;
    this.currentPage = undefined;
    if (gone) this.endPageTimers(gone);
  }

  /**
   * A page's timers end with it (the harsher reading: the reference says nothing of timers outliving
   * their page). One still armed is dropped; if the page relied on it, that shows when it would have
   * fired: the double fails then, naming the page.
   */
  private endPageTimers(page: { seq: number; route: string }): void {
    for (const [id, t] of this.timers) {
      if (t.page?.seq !== page.seq) continue;
      this.timers.delete(id);
      this.held = this.held.filter((h) => h !== id);
      if (!t.event) continue;
      const due = t.event.at - this.world.clock.now();
      this.world.clock.cancel(t.event);
      this.world.clock.schedule(due, `ghost of watch timer #${id}`, `watch#${this.generation}`, () => {
        this.world.fail(
          `timer #${id} set on ${page.route} would fire now, after its page was destroyed: a page's timers end with the page (docs/platform-facts.md T4); clear it in onDestroy`,
        );
      });
    }
  }

  /** The screen is on again: timers that came due while it was off fire now, in order. */
  private releaseHeld(): void {
    if (!this.held.length) return;
    const ids = this.held;
    this.held = [];
    this.defer('timers held while the screen was off', () => {
      for (const id of ids) {
        const t = this.timers.get(id);
        if (!t) continue;
        if (!t.event) this.timers.delete(id);
        this.fireTimer(id);
      }
    });
  }

  private fireTimer(id: number): void {
    if (this.vm) this.fired.push({ t: this.world.clock.now(), page: this.page });
    this.vm?.call('timer', { id });
  }

  private back(): void {
    if (this.stack.length <= 1) {
      this.exitApp('back from the first page');
      return;
    }
    this.leavePage();
    this.stack.pop();
    this.enterPage(this.stack[this.stack.length - 1]!);
  }

  private exitApp(reason: string): void {
    if (!this.vm) return;
    this.world.event('app', `exit (${reason})`);
    this.leavePage();
    this.vm?.call('app.destroy');
    this.teardown();
  }

  private teardown(): void {
    this.motor.cut('app gone');
    this.heart.stop();
    this.timers.clear();
    this.held = [];
    this.currentPage = undefined;
    this.world.clock.cancelOwner(`watch#${this.generation}`);
    this.panel.appGone();
    this.vm?.dispose();
    this.vm = undefined;
    this.modalState = undefined;
  }

  /** Runs whatever is due now (zero-delay timers, navigation) and reports failures. */
  private settle(): void {
    this.world.clock.advance(0, () => undefined);
    this.check();
  }

  private defer(label: string, run: () => void): void {
    this.world.clock.schedule(0, label, `watch#${this.generation}`, run);
  }

  private userInput(what: string): void {
    if (!this.vm) throw new Error(`${what}: the app is not running (t=${fmtT(this.t)})`);
    if (!this.panel.screenOn)
      throw new Error(`${what}: the screen is off; call wake() first (t=${fmtT(this.t)})`);
    this.panel.activity();
  }

  private host(owner: string, op: string, p: Record<string, unknown>): unknown {
    const w = this.world;
    switch (op) {
      case 'log':
        w.log('watch', p.level as string, p.text as string);
        return undefined;
      case 'fail':
        w.fail(p.message as string);
        return undefined;
      case 'timer.set': {
        const id = p.id as number;
        const ms = p.ms as number;
        const entry = { page: this.currentPage, event: undefined as ClockEvent | undefined };
        const arm = (): void => {
          entry.event = w.clock.schedule(ms, `watch timer #${id}`, owner, () => {
            if (p.repeat) arm();
            else entry.event = undefined;
            if (!this.panel.screenOn && !this.opts.readings?.timersWhileScreenOff) {
              if (!this.held.includes(id)) this.held.push(id);
              w.event('timer', `#${id} due with the screen off: held until it is on`);
              return;
            }
            if (!p.repeat) this.timers.delete(id);
            this.fireTimer(id);
          });
        };
        this.timers.set(id, entry);
        arm();
        return undefined;
      }
      case 'timer.clear':
        w.clock.cancel(this.timers.get(p.id as number)?.event);
        this.timers.delete(p.id as number);
        this.held = this.held.filter((h) => h !== p.id);
        return undefined;
      case 'vibrate':
        this.motor.start(p);
        return undefined;
      case 'screen.on':
        return this.panel.screenOn;
      case 'hr.available':
        return this.heart.available;
      case 'hr.permission':
        return this.heart.permission;
      case 'hr.last':
        return this.heart.lastValue();
      case 'hr.on':
        this.heart.on();
        return undefined;
      case 'hr.off':
        this.heart.off(p.listeners as number);
        return undefined;
      case 'vibrate.stop':
        this.motor.stop();
        return undefined;
      case 'storage.get':
        return { json: this.store.get(p.key as string) ?? null };
      case 'storage.set':
        this.store.set(p.key as string, p.json as string);
        return undefined;
      case 'storage.remove':
        this.store.delete(p.key as string);
        return undefined;
      case 'storage.load':
        return Object.fromEntries(this.store);
      case 'storage.save':
        this.store.clear();
        for (const [k, v] of Object.entries(p.entries as Record<string, string>)) this.store.set(k, v);
        return undefined;
      case 'router':
        this.route(p);
        return undefined;
      case 'display':
        return this.panel.call(p.op as string, p.arg);
      case 'alarm.set':
        return this.alarmSet.set(p);
      case 'alarm.cancel':
        this.alarmSet.cancel(p.id as number);
        return undefined;
      case 'alarm.all':
        return this.alarmSet.ids();
      case 'modal':
        this.modalState = p.show ? p : undefined;
        w.event('modal', p.show ? `shown: ${String(p.content ?? p.title)}` : 'hidden');
        return undefined;
      case 'ble.connect':
      case 'ble.disconnect':
        return undefined;
      case 'ble.send':
        return this.phone.link.fromWatch(Buffer.from(p.hex as string, 'hex'));
      case 'ble.status':
        return this.phone.link.connected;
      case 'service.start':
        return this.services.start(
          p.file as string,
          (p.param as string | null) ?? null,
          p.complete as number,
        );
      case 'service.stop':
        return this.services.stop(p.file as string, p.complete as number);
      case 'service.all':
        return this.services.all();
      case 'service.exit':
        w.fail('@zos/app-service exit is for an App Service; a page stops it with stop');
        return undefined;
      case 'notify':
        return this.services.notify(p);
      case 'permission.query':
        return this.services.queryPermission(p.permissions);
      case 'permission.request':
        return this.services.requestPermission(p.permissions, p.callback as number);
      case 'fs.read':
        return { data: this.files.get(p.path as string) ?? null };
      case 'fs.write':
      case 'fs.rm':
        return this.fileOp(op, p);
      default:
        w.fail(`double bug: unknown host op ${op}`);
        return undefined;
    }
  }

  private route(p: Record<string, unknown>): void {
    const op = p.op as string;
    this.defer(`router ${op}`, () => {
      if (!this.vm) return;
      if (op === 'push' || op === 'replace') {
        const entry = {
          route: this.resolvePage(p.url as string, op),
          params: (p.params as string | null) ?? null,
        };
        this.leavePage();
        if (op === 'replace') this.stack.pop();
        this.stack.push(entry);
        this.enterPage(entry);
      } else if (op === 'back') this.back();
      else this.exitApp(`router ${op}`);
    });
  }
}

/**
 * Boots a world: the phone with its side service running (unless `sideService: false`), and the watch
 * app opened on its first page. Throws a DoubleFailure if the app failed to start.
 */
export async function bootWatch(opts: BootOptions): Promise<Watch> {
  const qjs = await quickjs();
  const pkg = watchPackage(opts.device, opts.zab, opts.patch);
  findDevice(opts.device);
  const start =
    opts.start === undefined
      ? DEFAULT_START
      : typeof opts.start === 'number'
        ? opts.start
        : opts.start.getTime();
  const world = new World(qjs, start, opts.seed ?? 1);
  const watch = new Watch(world, pkg, opts);
  try {
    if (opts.sideService !== false) watch.phone.startSideService();
    watch.launch(opts.launch ?? {});
  } catch (e) {
    watch.dispose();
    throw e;
  }
  return watch;
}

export { apiAtLeast };
