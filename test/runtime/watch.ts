/**
 * The test driver: boots the BUILT app of one device from the .zab in QuickJS, with a phone running
 * its side service, on one virtual clock. Every action ends by running what is due "now" and throws
 * a DoubleFailure if the app failed (Mini Program Error, an unimplemented or too-new API, a throw in a
 * callback...). Use `takeFailures()` in a test that expects one.
 */
import { performance } from 'node:perf_hooks';
import type { ClockEvent } from './clock';
import { Link } from './link';
import { findDevice, watchPackage, type WatchPackage } from './package';
import { Phone } from './phone';
import { buildScreen, hitTarget, type RawWidget, type Screen } from './screen';
import { apiAtLeast, loadTypings } from './typings';
import { DEFAULT_LIMITS, GuestVM, quickjs } from './vm';
import { DoubleFailure, fmtT, World, type LogLine, type TimelineEvent } from './world';

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
  /** Launch with a page url / app param instead of the first page (as an alarm would). */
  launch?: { url?: string; param?: string };
}

export interface Vibration {
  /** Virtual ms since boot. */
  readonly t: number;
  readonly at: number;
  /** The scene name without VIBRATOR_SCENE_ (e.g. 'SHORT_STRONG'), or 'SEQUENCE' for the 3.6 array form. */
  readonly scene: string;
  readonly sequence?: readonly { type: string; duration: number | null }[];
  /** Documented length in ms (20, 600, 1000, 1200), null when undocumented or until stop(). */
  readonly durationMs: number | null;
  readonly screenOn: boolean;
  readonly page: string | undefined;
  /** Started while the previous one was still playing and without stop() first. */
  readonly overlapped: boolean;
}

export interface DisplayState {
  readonly screenOn: boolean;
  /** The page's setPageBrightTime, or undefined (the user's timeout applies). */
  readonly pageBrightTime: number | undefined;
  readonly screenTimeoutMs: number;
  readonly dropWristPaused: boolean;
  readonly palmPaused: boolean;
  readonly wakeUpRelaunch: boolean;
  readonly autoBrightness: boolean;
  readonly brightness: number;
  /** Screen and app events: off (why), on, exit, relaunch. */
  readonly events: readonly { t: number; what: string }[];
}

export interface Alarm {
  readonly id: number;
  readonly at: number;
  readonly url: string;
  readonly param: string | undefined;
  readonly store: boolean;
  readonly repeatType: number;
  readonly option: Record<string, unknown>;
}

/** Documented lengths of the Vibrator scenes (Zepp docs, Vibrator constants). */
const SCENE_MS: Record<string, number | null> = {
  SHORT_LIGHT: 20,
  SHORT_MIDDLE: 20,
  SHORT_STRONG: 20,
  DURATION: 600,
  DURATION_LONG: 1000,
  STRONG_REMINDER: 1200,
  NOTIFICATION: null,
  CALL: null,
  TIMER: null,
};

const KEYS_BY_BUTTONS: Record<number, Key[]> = {
  1: ['SELECT'],
  2: ['SELECT', 'BACK'],
  3: ['SELECT', 'BACK', 'UP'],
  4: ['SELECT', 'BACK', 'UP', 'DOWN'],
};

const DEFAULT_START = Date.UTC(2026, 10, 25, 14, 0, 0);

let guestTypings: object | undefined;
function typingsForGuest(): object {
  if (guestTypings) return guestTypings;
  const t = loadTypings();
  const modules: Record<string, object> = {};
  const strip = (n: {
    kind: string;
    since: string | undefined;
    argSince: string | undefined;
    permission: string | undefined;
    line: number;
  }) => ({
    kind: n.kind,
    line: n.line,
    ...(n.since ? { since: n.since } : {}),
    ...(n.argSince ? { argSince: n.argSince } : {}),
    ...(n.permission ? { permission: n.permission } : {}),
  });
  for (const [name, m] of t.modules) {
    modules[name] = {
      exports: Object.fromEntries([...m.exports].map(([k, v]) => [k, strip(v)])),
      members: Object.fromEntries(
        [...m.members].map(([c, mem]) => [c, Object.fromEntries([...mem].map(([k, v]) => [k, strip(v)]))]),
      ),
    };
  }
  guestTypings = {
    version: t.version,
    modules,
    ui: {
      widgetTypes: t.interfaceKeys('IHmUIWidgetType'),
      props: t.interfaceKeys('IHmUIPropertyType'),
      align: t.interfaceKeys('IHmUIAlign'),
      event: t.interfaceKeys('IHmUIEventType'),
      textStyle: t.interfaceKeys('IHmUIWrapTextStyle'),
    },
  };
  return guestTypings;
}

export type RequestOutcome =
  | { state: 'pending' }
  | { state: 'resolved'; value: unknown }
  | { state: 'rejected'; error: { code?: number; message: string } }
  /** The app stopped (exit, kill) before the request settled. */
  | { state: 'lost' };

export interface PendingRequest {
  outcome(): RequestOutcome;
}

interface PageEntry {
  route: string;
  params: string | null;
}

export class Watch {
  readonly phone: Phone;
  readonly device: WatchPackage['device'];
  private vm: GuestVM | undefined;
  private generation = 0;
  private stack: PageEntry[] = [];
  private readonly store: Map<string, string>;
  private readonly vibes: Vibration[] = [];
  private lastVibeEnd: number | null = 0;
  private readonly alarmsById = new Map<number, Alarm & { event: ClockEvent | undefined }>();
  private nextAlarm = 1;
  private requests = 0;
  private toastText: { text: string; until: number } | undefined;
  private modalState: Record<string, unknown> | undefined;
  private screenTimer: ClockEvent | undefined;
  private exitTimer: ClockEvent | undefined;
  private relaunchRoute: PageEntry | undefined;
  private disp = {
    screenOn: true,
    lastActivity: 0,
    pageBrightTime: undefined as number | undefined,
    dropWristUntil: 0,
    palmUntil: 0,
    wakeUpRelaunch: false,
    autoBrightness: true,
    brightness: 60,
    events: [] as { t: number; what: string }[],
  };
  /** Real (wall-clock) ms of the last launch, cumulative: context + prelude ready, app.js run (onCreate), first page built. */
  readonly startup = { contextMs: 0, appJsMs: 0, firstFrameMs: 0 };

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
    this.disp.wakeUpRelaunch = false;
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
    this.activity();
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
    this.phone.dispose();
  }

  // ---- what the user sees and feels --------------------------------------------------------------

  screen(): Screen {
    const raw = this.vm ? (this.vm.call<RawWidget[]>('screen') ?? []) : [];
    this.check();
    const d = this.device;
    return buildScreen(raw, {
      page: this.page,
      on: this.disp.screenOn,
      width: d.w,
      height: d.h,
      shape: d.shape === 'R' ? 'round' : 'square',
      toast:
        this.toastText && this.toastText.until > this.world.clock.now() ? this.toastText.text : undefined,
      modal: this.modalState,
    });
  }

  vibrations(): readonly Vibration[] {
    return [...this.vibes];
  }

  display(): DisplayState {
    const now = this.world.clock.now();
    return {
      screenOn: this.disp.screenOn,
      pageBrightTime: this.disp.pageBrightTime,
      screenTimeoutMs: this.screenTimeout(),
      dropWristPaused: this.disp.dropWristUntil > now,
      palmPaused: this.disp.palmUntil > now,
      wakeUpRelaunch: this.disp.wakeUpRelaunch,
      autoBrightness: this.disp.autoBrightness,
      brightness: this.disp.brightness,
      events: [...this.disp.events],
    };
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
    return [...this.alarmsById.values()].map(({ event: _e, ...a }) => a);
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
    return this.touch(target, false);
  }

  longPress(target: string | RegExp | number): this {
    return this.touch(target, true);
  }

  press(key: Key, event: KeyEvent = 'CLICK'): this {
    const have = KEYS_BY_BUTTONS[this.device.buttons] ?? ['SELECT'];
    if (!have.includes(key))
      throw new Error(
        `${this.device.name} has ${this.device.buttons} button(s) (${have.join(', ')}); no ${key}`,
      );
    this.userInput(`press ${key} ${event}`);
    const r = this.vm!.call<{ suppressed: boolean }>('key', { key, event });
    if (!r?.suppressed && event === 'CLICK') {
      if (key === 'BACK') this.back();
      else if (key === 'SELECT' || key === 'HOME') this.exitApp(`${key} pressed (home)`);
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
    if (this.disp.dropWristUntil > this.world.clock.now())
      this.screenEvent('wrist down ignored (pauseDropWristScreenOff)');
    else this.screenOff('wrist down');
    this.settle();
    return this;
  }

  /** Covers the screen with the palm. */
  palm(): this {
    if (this.disp.palmUntil > this.world.clock.now()) this.screenEvent('palm ignored (pausePalmScreenOff)');
    else this.screenOff('palm');
    this.settle();
    return this;
  }

  /** Raises the wrist / presses a button with the screen off: the screen comes on (and the app relaunches if it asked to). */
  wake(): this {
    if (!this.disp.screenOn) {
      this.disp.screenOn = true;
      this.screenEvent('on (wake)');
      this.world.clock.cancel(this.exitTimer);
      this.exitTimer = undefined;
      if (!this.vm && this.relaunchRoute) {
        const route = this.relaunchRoute;
        this.relaunchRoute = undefined;
        this.screenEvent(`relaunch ${route.route}`);
        // Unknown on a real watch: which params the relaunched page gets. The double repeats its last ones.
        this.launch({ url: route.route, pageParams: route.params });
      }
    }
    this.activity();
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

  private guestConfig(role: 'watch' | 'side'): object {
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
        w: d.w,
        h: d.h,
        buttons: d.buttons,
        deviceSource: d.deviceSources[0],
      },
      app: {
        appId: a.app.appId,
        appName: a.app.appName,
        versionName: a.app.version.name,
        versionCode: a.app.version.code,
        designWidth: a.designWidth ?? d.w,
        permissions: a.permissions ?? [],
        appJson: a,
      },
      typings: typingsForGuest(),
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
    this.world.event('page', `${entry.route}${entry.params ? ` ${entry.params}` : ''}`);
    vm.call('page.prepare', { route: entry.route });
    this.evalFile(`${entry.route}.js`);
    vm.call('page.start', { params: entry.params });
  }

  private leavePage(): void {
    this.vm?.call('page.destroy');
    // Typings: setPageBrightTime "will follow the page destruction to do reset".
    this.disp.pageBrightTime = undefined;
    this.modalState = undefined;
    this.restartIdle();
  }

  /** Assumption: a change of the bright time (set, reset, page left) restarts the screen's idle count. */
  private restartIdle(): void {
    if (this.disp.screenOn) this.disp.lastActivity = this.world.clock.now();
    this.armScreenTimer();
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
    if (this.lastVibeEnd === null || this.lastVibeEnd > this.world.clock.now())
      this.lastVibeEnd = this.world.clock.now();
    this.world.clock.cancelOwner(`watch#${this.generation}`);
    this.world.clock.cancel(this.screenTimer);
    this.vm?.dispose();
    this.vm = undefined;
    this.modalState = undefined;
    this.disp.pageBrightTime = undefined;
  }

  /** Runs whatever is due now (zero-delay timers, navigation) and reports failures. */
  private settle(): void {
    this.world.clock.advance(0, () => undefined);
    this.check();
  }

  private defer(label: string, run: () => void): void {
    this.world.clock.schedule(0, label, `watch#${this.generation}`, run);
  }

  private touch(target: string | RegExp | number, long: boolean): this {
    const screen = this.screen();
    const hit = hitTarget(screen, target);
    this.userInput(`${long ? 'long-press' : 'tap'} ${String(target)}`);
    const delivered = this.vm!.call<boolean>('tap', { id: hit.widget.id, x: hit.x, y: hit.y, long });
    if (!delivered)
      throw new Error(
        `tap(${String(target)}): ${hit.widget.type} #${hit.widget.id} took no ${long ? 'long press' : 'tap'}`,
      );
    this.settle();
    return this;
  }

  private userInput(what: string): void {
    if (!this.vm) throw new Error(`${what}: the app is not running (t=${fmtT(this.t)})`);
    if (!this.disp.screenOn)
      throw new Error(`${what}: the screen is off; call wake() first (t=${fmtT(this.t)})`);
    this.activity();
  }

  private screenTimeout(): number {
    return this.disp.pageBrightTime ?? this.opts.screenTimeoutMs ?? 10_000;
  }

  private activity(): void {
    this.disp.lastActivity = this.world.clock.now();
    this.armScreenTimer();
  }

  private armScreenTimer(): void {
    this.world.clock.cancel(this.screenTimer);
    this.screenTimer = undefined;
    if (!this.disp.screenOn || !this.vm) return;
    const due = this.disp.lastActivity + this.screenTimeout() - this.world.clock.now();
    this.screenTimer = this.world.clock.schedule(due, 'screen timeout', 'system', () =>
      this.screenOff('timeout'),
    );
  }

  private screenEvent(what: string): void {
    this.disp.events.push({ t: this.t, what });
    this.world.event('screen', what);
  }

  private screenOff(reason: string): void {
    if (!this.disp.screenOn) return;
    this.disp.screenOn = false;
    this.world.clock.cancel(this.screenTimer);
    this.screenTimer = undefined;
    this.screenEvent(`off (${reason})`);
    if (!this.vm) return;
    const delay = this.opts.exitAfterScreenOffMs ?? 10_000;
    this.exitTimer = this.world.clock.schedule(delay, 'exit after screen off', 'system', () => {
      this.exitTimer = undefined;
      if (this.disp.screenOn || !this.vm) return;
      const top = this.stack[this.stack.length - 1];
      if (this.disp.wakeUpRelaunch && top) this.relaunchRoute = { ...top };
      this.screenEvent(
        `app exited ${delay / 1000} s after screen off${this.relaunchRoute ? ' (relaunch at wake)' : ''}`,
      );
      this.exitApp('screen off');
    });
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
        const arm = (): void => {
          w.clock.schedule(ms, `watch timer #${id}`, owner, () => {
            if (p.repeat) arm();
            this.vm?.call('timer', { id });
          });
        };
        arm();
        return undefined;
      }
      case 'timer.clear':
        for (const ev of w.clock.pending(owner))
          if (ev.label === `watch timer #${p.id as number}`) w.clock.cancel(ev);
        return undefined;
      case 'vibrate':
        this.vibrate(p);
        return undefined;
      case 'vibrate.stop':
        if (this.lastVibeEnd === null || this.lastVibeEnd > w.clock.now()) this.lastVibeEnd = w.clock.now();
        return undefined;
      case 'storage.get':
        return { json: this.store.get(p.key as string) ?? null };
      case 'storage.set':
        this.store.set(p.key as string, p.json as string);
        return undefined;
      case 'storage.remove':
        this.store.delete(p.key as string);
        return undefined;
      case 'storage.clear':
        this.store.clear();
        return undefined;
      case 'router':
        this.route(p);
        return undefined;
      case 'display':
        return this.displayOp(p.op as string, p.arg);
      case 'alarm.set':
        return this.setAlarm(p);
      case 'alarm.cancel': {
        const a = this.alarmsById.get(p.id as number);
        if (a) w.clock.cancel(a.event);
        this.alarmsById.delete(p.id as number);
        return undefined;
      }
      case 'alarm.all':
        return [...this.alarmsById.keys()];
      case 'toast':
        this.toastText = { text: p.content as string, until: w.clock.now() + 2000 };
        w.event('toast', p.content as string);
        return undefined;
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
      default:
        w.fail(`double bug: unknown host op ${op}`);
        return undefined;
    }
  }

  private vibrate(p: Record<string, unknown>): void {
    const now = this.world.clock.now();
    const sequence = p.sequence as { type: string; duration: number | null }[] | undefined;
    const scene = sequence ? 'SEQUENCE' : (p.mode as string);
    const durationMs = sequence
      ? sequence.every((s) => s.duration !== null)
        ? sequence.reduce((a, s) => a + (s.duration ?? 0), 0)
        : null
      : (SCENE_MS[scene] ?? null);
    const overlapped = this.lastVibeEnd === null || this.lastVibeEnd > now;
    this.vibes.push({
      t: this.t,
      at: now,
      scene,
      ...(sequence ? { sequence } : {}),
      durationMs,
      screenOn: this.disp.screenOn,
      page: this.page,
      overlapped,
    });
    this.lastVibeEnd = durationMs === null ? null : now + durationMs;
    const pattern = sequence
      ? sequence.map((s) => `${s.type}${s.duration !== null ? `:${s.duration}` : ''}`).join(' ')
      : scene;
    this.world.event('vibration', `${pattern}${this.disp.screenOn ? '' : ' (screen off)'}`);
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

  private displayOp(op: string, arg: unknown): unknown {
    const now = this.world.clock.now();
    const o = (arg ?? {}) as Record<string, unknown>;
    switch (op) {
      case 'setWakeUpRelaunch':
        this.disp.wakeUpRelaunch = typeof arg === 'boolean' ? arg : Boolean(o.relaunch);
        return undefined;
      case 'setPageBrightTime': {
        const t = o.brightTime === undefined ? 10_000 : (o.brightTime as number);
        if (!(t >= 1000 && t <= 2147483000)) {
          this.world.fail(
            `@zos/display setPageBrightTime: brightTime ${String(t)} is outside [1000, 2147483000] (typings)`,
          );
          return -1;
        }
        this.disp.pageBrightTime = t;
        this.restartIdle();
        return 0;
      }
      case 'resetPageBrightTime':
        this.disp.pageBrightTime = undefined;
        this.restartIdle();
        return 0;
      case 'pauseDropWristScreenOff':
      case 'pausePalmScreenOff': {
        const d = o.duration === undefined ? 30_000 : (o.duration as number);
        const until = d === 0 ? Number.POSITIVE_INFINITY : now + d;
        if (op === 'pauseDropWristScreenOff') this.disp.dropWristUntil = until;
        else this.disp.palmUntil = until;
        return 0;
      }
      case 'resetDropWristScreenOff':
        this.disp.dropWristUntil = 0;
        return 0;
      case 'resetPalmScreenOff':
        this.disp.palmUntil = 0;
        return 0;
      case 'setScreenOff':
        this.defer('setScreenOff', () => this.screenOff('setScreenOff'));
        return 0;
      case 'setAutoBrightness':
        this.disp.autoBrightness = typeof arg === 'boolean' ? arg : Boolean(o.autoBright);
        return undefined;
      case 'getAutoBrightness':
        return { autoBright: this.disp.autoBrightness };
      case 'setBrightness': {
        const b = typeof arg === 'number' ? arg : (o.brightness as number);
        if (!this.disp.autoBrightness) this.disp.brightness = b;
        return 0;
      }
      case 'getBrightness':
        return { brightness: this.disp.brightness };
      default:
        this.world.fail(`double bug: display op ${op}`);
        return undefined;
    }
  }

  private setAlarm(o: Record<string, unknown>): number {
    const now = this.world.clock.now();
    if (typeof o.url !== 'string') {
      this.world.fail('@zos/alarm set: url is required (typings)');
      return 0;
    }
    const at =
      typeof o.time === 'number'
        ? o.time * 1000
        : typeof o.delay === 'number'
          ? now + o.delay * 1000
          : undefined;
    if (at === undefined) {
      this.world.fail('@zos/alarm set: each call must pass time (UTC seconds) or delay (seconds) (typings)');
      return 0;
    }
    const repeatType = typeof o.repeat_type === 'number' ? o.repeat_type : 0;
    const period: Record<number, number> = { 0: 0, 1: 60_000, 2: 3_600_000, 3: 86_400_000, 4: 604_800_000 };
    if (period[repeatType] === undefined || o.week_days !== undefined || o.repeat_period !== undefined) {
      this.world.fail(
        `not implemented by the runtime double: @zos/alarm set with repeat_type ${repeatType} / week_days / repeat_period`,
      );
      return 0;
    }
    const route = this.resolvePage(o.url, '@zos/alarm set');
    const id = this.nextAlarm++;
    const alarm = {
      id,
      at,
      url: route,
      param: o.param as string | undefined,
      store: o.store === true,
      repeatType,
      option: o,
      event: undefined as ClockEvent | undefined,
    };
    const arm = (when: number): void => {
      alarm.event = this.world.clock.schedule(when - this.world.clock.now(), `alarm #${id}`, 'system', () => {
        this.world.event(
          'alarm',
          `alarm #${id} fired (${route}${alarm.param ? ` param=${alarm.param}` : ''})`,
        );
        if (period[repeatType]) arm(when + period[repeatType]!);
        else this.alarmsById.delete(id);
        if (this.vm) {
          this.world.event('alarm', `alarm #${id}: the app is running; not relaunched`);
          return;
        }
        if (!this.disp.screenOn) {
          this.disp.screenOn = true;
          this.screenEvent('on (alarm)');
        }
        this.launch({ url: route, ...(alarm.param !== undefined ? { param: alarm.param } : {}) });
      });
    };
    arm(at);
    this.alarmsById.set(id, alarm);
    return id;
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
