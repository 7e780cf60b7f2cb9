/**
 * The test driver: boots the BUILT app of one device from the .zab in QuickJS, with a phone running
 * its side service, on one virtual clock. Every action ends by running what is due "now" and throws
 * a DoubleFailure if the app failed (Mini Program Error, an unimplemented or too-new API, a throw in a
 * callback...). Use `takeFailures()` in a test that expects one.
 *
 * The watch is put together here from its parts: the app's context and page stack (device-app.ts), the
 * App Service's context (service-context.ts), and one host module per `@zos` module (zos/*.ts), each
 * with its own handler table for the operations its guest side calls (ops.ts).
 */
import { DeviceApp } from './device-app';
import { guestConfig } from './guest-config';
import { Link } from './link';
import type { BootOptions, Readings } from './options';
import { findDevice, watchPackage, type WatchPackage } from './package';
import { Phone } from './phone';
import { buildScreen, hitTarget, type Screen } from './screen';
import { ServiceContext } from './service-context';
import { apiAtLeast } from './typings';
import { quickjs } from './vm';
import { DoubleFailure, fmtT, World, type FailureRecord, type LogLine, type TimelineEvent } from './world';
import { alarmOps, Alarms, type Alarm } from './zos/alarm';
import { bleOps } from './zos/ble';
import { Display, displayOps, type DisplayState } from './zos/display';
import { DataFiles, fsOps } from './zos/fs';
import { HeartRateSensor, heartRateOps, type HeartReading } from './zos/heart-rate';
import { keysOf, Modal, modalOps, type Gesture, type Key, type KeyEvent } from './zos/interaction';
import { mediaOps, PlayerChannel, Speaker, type Sound } from './zos/media';
import { Motor, vibratorOps, type Vibration } from './zos/sensor';
import {
  appServiceOps,
  notificationOps,
  permissionOps,
  Services,
  type BackgroundPermission,
  type Notification,
} from './zos/service';
import { LocalStorageFile, storageOps } from './zos/storage';

export type {
  Alarm,
  BackgroundPermission,
  BootOptions,
  DisplayState,
  Gesture,
  Key,
  KeyEvent,
  Notification,
  Readings,
  Vibration,
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
  private readonly app: DeviceApp;
  private readonly serviceContext: ServiceContext;
  /** A single execution running now (an alarm's, a notification action's), and what its sensor read. */
  private single: ServiceContext | undefined;
  private readonly singleReadings: HeartReading[] = [];
  private readonly store: LocalStorageFile;
  private readonly files: DataFiles;
  private readonly modal: Modal;
  private readonly motor: Motor;
  private readonly heart: HeartRateSensor;
  private readonly speaker: Speaker;
  private readonly panel: Display;
  private readonly alarmSet: Alarms;
  private readonly services: Services;
  private requests = 0;
  private readonly fired: { t: number; page: string | undefined }[] = [];

  constructor(
    readonly world: World,
    private readonly pkg: WatchPackage,
    private readonly opts: BootOptions,
  ) {
    this.device = pkg.device;
    this.store = new LocalStorageFile(opts.storage);
    this.files = new DataFiles(world);
    this.speaker = new Speaker(world, opts.media ?? {}, (path) => pkg.zpk.device[`assets/${path}`]);
    this.modal = new Modal(world);
    const app = pkg.appJson.app;
    this.phone = new Phone(
      world,
      {
        appSideJs: pkg.appSideJs,
        settingJs: pkg.settingJs,
        appId: app.appId,
        appName: app.appName,
        config: (role) => guestConfig(pkg, opts, role),
        fetchBodyAsObject: opts.readings?.fetchBodyAsObject === true,
      },
      opts.settings,
    );
    this.phone.link = new Link(
      world.clock,
      {
        toWatch: (frame) =>
          Boolean(this.app.call('ble.data', { hex: Buffer.from(frame).toString('hex') })?.delivered),
        toSide: (payload) => this.phone.deliver(payload),
        sideRunning: () => this.phone.sideRunning,
        appId: () => app.appId,
        watchStatus: (connected) => this.app.call('ble.statusChanged', { connected }),
      },
      opts.latencyMs ?? 20,
    );
    this.phone.settle = () => this.settle();
    this.heart = new HeartRateSensor(
      world,
      opts.heartRate ?? {},
      () => this.app.owner,
      () => this.page,
      (bpm) => this.app.call('hr.reading', { bpm }),
    );
    this.motor = new Motor(
      world,
      () => ({
        screenOn: this.panel.screenOn,
        page: this.single?.active ?? this.serviceContext.active ?? this.page,
      }),
      opts.readings?.stopCutsScene ?? false,
    );
    this.panel = new Display(
      {
        world,
        running: () => this.app.running,
        topPage: () => this.app.topPage,
        exitApp: (reason) => this.app.exit(reason),
        relaunch: (entry) => this.launch({ url: entry.route, pageParams: entry.params }),
        defer: (label, run) => this.app.defer(label, run),
        screenOnAgain: () => this.app.timers.releaseHeld(),
      },
      opts,
    );
    this.alarmSet = new Alarms({
      world,
      running: () => this.app.running,
      target: (url, api) => {
        const file = url.replace(/^\//, '').replace(/\.js$/, '');
        return (pkg.appJson.module?.['app-service']?.services ?? []).includes(file)
          ? { service: file }
          : { page: this.app.resolvePage(url, api) };
      },
      ring: (url, param) => {
        this.panel.turnOn('alarm');
        this.launch({ url, ...(param !== undefined ? { param } : {}) });
      },
      runService: (file, param) => this.services.single(file, param, 'alarm'),
      utcOffsetMinutes: opts.utcOffsetMinutes ?? 0,
      ...(opts.alarmCapacity !== undefined ? { capacity: opts.alarmCapacity } : {}),
    });
    const serviceParts = {
      world,
      pkg,
      opts,
      panel: this.panel,
      motor: this.motor,
      speaker: this.speaker,
      files: this.files,
      services: () => this.services,
      timerFired: (file: string | undefined) => this.fired.push({ t: world.clock.now(), page: file }),
    };
    this.serviceContext = new ServiceContext(serviceParts);
    this.services = new Services(
      {
        world,
        services: pkg.appJson.module?.['app-service']?.services ?? [],
        boot: (file, param, owner) => this.serviceContext.boot(file, param, owner),
        shutdown: (quiet) => this.serviceContext.shutdown(quiet),
        runOnce: (file, param, owner) => {
          const once = new ServiceContext(serviceParts, 'single');
          this.single = once;
          try {
            once.boot(file, param, owner);
            once.shutdown(false);
          } finally {
            this.single = undefined;
            this.singleReadings.push(...once.heart.readings());
          }
        },
        event: (param) => this.serviceContext.event(param),
        callApp: (id, arg) => this.app.call('callback', { id, arg }),
        defer: (label, run) => world.clock.schedule(0, label, 'system', run),
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
    const player = new PlayerChannel(
      world,
      this.speaker,
      'page',
      () => this.app.owner,
      () => ({ screenOn: this.panel.screenOn, at: this.page }),
      (id, arg) => this.app.call('callback', { id, arg }),
    );
    this.app = new DeviceApp({
      world,
      pkg,
      opts,
      panel: this.panel,
      motor: this.motor,
      heart: this.heart,
      player,
      handlers: {
        log: ({ level, text }) => world.log('watch', level, text),
        fail: ({ message, finding }) => world.fail(message, finding),
        ...vibratorOps(this.motor),
        ...heartRateOps(this.heart),
        ...displayOps(this.panel),
        ...storageOps(this.store),
        ...alarmOps(this.alarmSet),
        ...modalOps(this.modal),
        ...bleOps(() => this.phone.link),
        ...appServiceOps(this.services),
        ...notificationOps(this.services),
        ...permissionOps(this.services),
        ...fsOps(this.files),
        ...mediaOps(this.speaker, player),
        'ui.asset': ({ path }) => pkg.zpk.device[`assets/${path}`] !== undefined,
      },
      closeModal: () => this.modal.close(),
      timerFired: (page) => this.fired.push({ t: world.clock.now(), page }),
      settle: () => this.settle(),
    });
  }

  // ---- lifecycle ---------------------------------------------------------------------------------

  get running(): boolean {
    return this.app.running;
  }

  /** The page on top of the stack (route as in app.json), if the app runs. */
  get page(): string | undefined {
    return this.app.page;
  }

  /** Real (wall-clock) ms of the last launch, cumulative: context + prelude ready, app.js run (onCreate), first page built. */
  get startup(): DeviceApp['startup'] {
    return this.app.startup;
  }

  /** With `measureHeap`: the heap of the last launch's context before app.js (the runtime's baseline). */
  get baselineHeap(): number | undefined {
    return this.app.baselineHeap;
  }

  /** Opens the app (as from the app list, or with an alarm's url/param). */
  launch(opts: { url?: string; param?: string; pageParams?: string | null } = {}): this {
    this.app.launch(opts);
    return this;
  }

  /** The system kills the app at once (no onDestroy): a crash, or the OS reclaiming memory. */
  kill(): this {
    this.app.kill();
    return this;
  }

  /** Opens the app again after kill()/exit; LocalStorage is what it was. */
  relaunch(opts: { url?: string; param?: string } = {}): this {
    return this.launch(opts);
  }

  /** Leaves the app the normal way (page onDestroy, app onDestroy), as a swipe back from the first page does. */
  exit(): this {
    this.app.exit('exit');
    this.check();
    return this;
  }

  dispose(): void {
    this.app.dispose();
    this.serviceContext.dispose();
    this.phone.dispose();
  }

  // ---- what the user sees and feels --------------------------------------------------------------

  screen(): Screen {
    const raw = this.app.call('ui.screen') ?? [];
    this.check();
    const d = this.device;
    return buildScreen(raw, {
      page: this.page,
      on: this.panel.screenOn,
      width: this.pkg.screen.w,
      height: this.pkg.screen.h,
      shape: d.shape === 'R' ? 'round' : 'square',
      modal: this.modal.shown,
    });
  }

  /** Every heart-rate reading the sensor delivered to the app (its pages and its App Service). */
  heartReadings(): readonly HeartReading[] {
    return [...this.heart.readings(), ...this.serviceContext.heart.readings(), ...this.singleReadings].sort(
      (a, b) => a.t - b.t,
    );
  }

  vibrations(): readonly Vibration[] {
    return this.motor.vibrations();
  }

  /** Every clip a `@zos/media` player played, page's and App Service's, in order (zos/media.ts). */
  sounds(): readonly Sound[] {
    return this.speaker.sounds();
  }

  display(): DisplayState {
    return this.panel.state();
  }

  /** LocalStorage as stored (parsed JSON values); survives kill/relaunch. */
  storage(): Record<string, unknown> {
    return this.store.values();
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
   * The system runs an App Service file once (a single execution, as an alarm, a notification's action or
   * a system event does): onInit(param), then onDestroy once its code is done.
   */
  runService(file: string, param: string | null = null): this {
    this.services.single(file, param, 'run by the system');
    this.settle();
    return this;
  }

  /**
   * Taps a notification's action. A page file opens the app on that page (closing it first if it runs);
   * its param goes to app.js onCreate, or to the page (readings.notificationParamTo). A service file
   * starts that App Service once with the param, or gives it to the running one's onEvent.
   */
  tapNotification(id: number, action = 0): this {
    const note = this.services.notifications().find((n) => n.id === id);
    const a = note?.actions[action];
    if (!a) throw new Error(`no notification #${id} with an action ${action}`);
    this.world.event('app', `notification #${id}: ${a.text}`);
    this.panel.turnOn('notification');
    if (this.pkg.pages.includes(a.file)) {
      if (this.app.running) this.app.exit('notification opens a page');
      const toPage = this.opts.readings?.notificationParamTo === 'page';
      this.launch({
        url: a.file,
        ...(!toPage && a.param !== undefined ? { param: a.param } : {}),
        ...(toPage && a.param !== undefined ? { pageParams: a.param } : {}),
      });
    } else this.services.notificationAction(a.file, a.param ?? null);
    this.settle();
    return this;
  }

  /** The /data files (@zos/fs), as text. */
  dataFiles(): Record<string, string> {
    return this.files.all();
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
    if (!this.app.call('ui.tap', { id: hit.widget.id })) {
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
    const { keys } = keysOf(this.device.buttons);
    if (!keys.includes(key))
      throw new Error(
        `${this.device.name} has ${this.device.buttons} button(s) (${keys.join(', ')}); no ${key}`,
      );
    this.userInput(`press ${key} ${event}`);
    const r = this.app.call('input.key', { key, event });
    if (!r?.suppressed) {
      if (key === 'BACK' && event === 'CLICK') this.app.back();
      else if (key === 'HOME' && event === 'CLICK') this.app.exit('HOME pressed (app list)');
      else if (key === 'SHORTCUT' && event === 'CLICK') this.app.exit('SHORTCUT pressed (quick start)');
      else if (key === 'HOME' && event === 'LONG_PRESS') this.app.exit('HOME held (voice app)');
    }
    this.settle();
    return this;
  }

  swipe(dir: Gesture): this {
    this.userInput(`swipe ${dir}`);
    const r = this.app.call('input.gesture', { dir });
    if (!r?.suppressed && dir === 'RIGHT') this.app.back();
    this.settle();
    return this;
  }

  crown(degree: number): this {
    if (!keysOf(this.device.buttons).crown)
      throw new Error(`${this.device.name} (${this.device.buttons} buttons) has no crown`);
    this.userInput(`crown ${degree}`);
    this.app.call('input.crown', { degree });
    this.settle();
    return this;
  }

  /** Presses a button of the open createModal dialog. */
  answerModal(button: 'CONFIRM' | 'CANCEL'): this {
    if (!this.modal.shown) throw new Error('no modal is shown');
    this.userInput(`modal ${button}`);
    this.app.call('modal.click', { button });
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
    return this.world.takeRecords().map((r) => r.message);
  }

  /** Returns and clears the recorded failures with what kind each is (a refusal and its page, an API not modelled). */
  takeRecords(): FailureRecord[] {
    return this.world.takeRecords();
  }

  /** Throws a DoubleFailure if anything failed since the last check. */
  check(): void {
    if (this.world.failures.length) {
      const records = this.world.takeRecords();
      throw new DoubleFailure(
        records.map((r) => r.message),
        records,
      );
    }
  }

  /**
   * Per page (route), every property value the app has passed to createWidget or setProperty since
   * launch, and how many of them changed what the screen showed (guest ui.ts `countWrites`).
   */
  widgetWrites(): Record<string, { written: number; changed: number }> {
    return this.app.context('widgetWrites').call('ui.writes') ?? {};
  }

  /** The virtual time of every watch timer callback since boot, in order (with the page it ran on). */
  timerCallbacks(): readonly { t: number; page: string | undefined }[] {
    return this.fired;
  }

  /** The watch app's QuickJS heap, after a forced collection unless `collect` is false (GuestVM `heapBytes`). */
  heapBytes(collect = true): number {
    const vm = this.app.context('heapBytes');
    // Measured between two calls from the system: the double's own record of the widgets the last call
    // deleted (kept for its write counts) is not the app's (a watch frees a deleted widget at once).
    if (collect) vm.call('ui.between');
    return vm.heapBytes(collect);
  }

  /** Runs code in the watch app's context, as page code would (`__$$R$$__('@zos/...')` to reach a module). */
  exec(code: string): unknown {
    const out = this.app.context('exec').call('eval', { code });
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
      if (!this.app.running) return { state: 'lost' };
      return (
        (this.exec(`(globalThis.__doubleRequests || {})[${id}]`) as RequestOutcome | null) ?? {
          state: 'lost',
        }
      );
    };
    return { outcome: read };
  }

  // ---- internals ---------------------------------------------------------------------------------

  /** Runs whatever is due now (zero-delay timers, navigation) and reports failures. */
  private settle(): void {
    this.world.clock.advance(0, () => undefined);
    this.check();
  }

  private userInput(what: string): void {
    if (!this.app.running) throw new Error(`${what}: the app is not running (t=${fmtT(this.t)})`);
    if (!this.panel.screenOn)
      throw new Error(`${what}: the screen is off; call wake() first (t=${fmtT(this.t)})`);
    this.panel.activity();
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
    if (opts.launch !== false) watch.launch(opts.launch ?? {});
  } catch (e) {
    watch.dispose();
    throw e;
  }
  return watch;
}

export { apiAtLeast };
