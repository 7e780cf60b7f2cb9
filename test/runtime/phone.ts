/**
 * The phone: the Zepp app's Side Service running app-side.js in its own QuickJS context, its
 * settingsStorage (strings only; survives a restart), and the fault switches of the BLE link.
 */
import type { GuestConfig } from './guest-config';
import {
  dispatch,
  type HostHandlers,
  type HostOp,
  type HostOpsOf,
  type SideFetch,
  type SideFetched,
} from './ops';
import { GuestVM } from './vm';
import type { Link, Traffic, Direction } from './link';
import type { World } from './world';
import { SettingsApp } from './settings-app';

export interface PhoneConfig {
  appSideJs: string | undefined;
  /** The Settings App's setting.js, from app-side.zip. */
  settingJs: string | undefined;
  appId: number;
  appName: string;
  config: (role: 'side' | 'settings') => GuestConfig;
  /** `res.body` of the Side Service's fetch: a string of JSON (default) or an object (docs: either). */
  fetchBodyAsObject?: boolean;
}

/** One request the Side Service's `fetch` made, and how it ended. */
export interface PhoneFetch {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
  /** At the virtual time it was made. */
  readonly t: number;
  outcome?: { status: number } | { error: string };
}

/** settingsStorage as a test sees it; a write from here is a change made in the Settings App. */
export interface PhoneStorage {
  getItem(key: string): string | undefined;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  clear(): void;
  toObject(): Record<string, string>;
}

/** The Side Service's host operations: its own and settingsStorage. */
export type SideHostOp = Extract<
  HostOp,
  'log' | 'fail' | 'timer.set' | 'timer.clear' | `side.${string}` | `settings.${string}`
>;

export class Phone {
  private readonly settings = new Map<string, string>();
  private vm: GuestVM | undefined;
  private generation = 0;
  link!: Link;
  readonly storage: PhoneStorage;
  /** Every request of the Side Service's `fetch`, in order. */
  readonly fetches: PhoneFetch[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  /** Called after each answer of the Side Service's `fetch` is delivered and settled (bench/clinic.ts). */
  afterFetch: (() => void) | undefined;

  constructor(
    private readonly world: World,
    private readonly cfg: PhoneConfig,
    initial: Record<string, string> = {},
  ) {
    for (const [k, v] of Object.entries(initial)) this.settings.set(k, v);
    const change = (key: string, newValue: string | undefined, oldValue: string | undefined) =>
      this.changed('test', key, newValue, oldValue);
    this.storage = {
      getItem: (k) => this.settings.get(k),
      setItem: (k, v) => {
        if (typeof v !== 'string') throw new TypeError('settingsStorage holds strings only');
        const old = this.settings.get(k);
        this.settings.set(k, v);
        change(k, v, old);
        this.settle();
      },
      removeItem: (k) => {
        const old = this.settings.get(k);
        this.settings.delete(k);
        change(k, undefined, old);
        this.settle();
      },
      clear: () => {
        this.settings.clear();
        this.settle();
      },
      toObject: () => Object.fromEntries(this.settings),
    };
  }

  /** Set by the watch driver: runs due zero-delay work after a test's action. */
  settle: () => void = () => undefined;

  private settingsApp: SettingsApp | undefined;
  private rebuildPending = false;

  /**
   * Opens the app's Settings App in the Zepp phone app. What the patient or the therapist then does
   * there (`input`, `click`) writes settingsStorage as the real page would: the Side Service hears of
   * it, and every open page re-renders.
   */
  openSettings(): SettingsApp {
    if (this.cfg.settingJs === undefined) throw new Error('the package has no setting.js');
    this.settingsApp?.close();
    this.settingsApp = new SettingsApp(
      {
        world: this.world,
        config: this.cfg.config('settings'),
        storage: this.settingsOps('settings'),
        settle: () => this.settle(),
      },
      this.cfg.settingJs,
    ).open();
    this.settle();
    return this.settingsApp;
  }

  /**
   * A settingsStorage change: the Side Service hears of changes made by others (the Settings App, a
   * test standing for it), not its own (an assumption); the Settings App re-renders after any change.
   */
  private changed(
    source: 'side' | 'settings' | 'test',
    key: string,
    newValue?: string,
    oldValue?: string,
  ): void {
    if (source !== 'side' && this.vm)
      this.vm.call('settings.change', { key, newValue: newValue ?? null, oldValue: oldValue ?? null });
    if (this.settingsApp?.isOpen && !this.rebuildPending) {
      this.rebuildPending = true;
      this.world.clock.schedule(0, 'settings app build', 'phone', () => {
        this.rebuildPending = false;
        this.settingsApp?.build();
      });
    }
  }

  /** settingsStorage, as either side of the phone reaches it. */
  settingsOps(source: 'side' | 'settings'): HostHandlers<HostOpsOf<'settings'>> {
    return {
      'settings.get': ({ key }) => ({ value: this.settings.get(key) ?? null }),
      'settings.set': ({ key, value }) => {
        const old = this.settings.get(key);
        this.settings.set(key, value);
        if (old !== value) this.deferChange(source, key, value, old);
      },
      'settings.remove': ({ key }) => {
        const old = this.settings.get(key);
        this.settings.delete(key);
        if (old !== undefined) this.deferChange(source, key, undefined, old);
      },
      'settings.clear': () => this.settings.clear(),
      'settings.all': () => Object.fromEntries(this.settings),
    };
  }

  /** Events reach the other contexts after the writing code returns, never inside it. */
  private deferChange(source: 'side' | 'settings', key: string, newValue?: string, oldValue?: string): void {
    this.world.clock.schedule(0, `settings change ${key}`, 'phone', () =>
      this.changed(source, key, newValue, oldValue),
    );
  }

  get sideRunning(): boolean {
    return this.vm !== undefined;
  }

  /** Starts the side service (onInit, onRun), as the Zepp app does when the watch app is installed/opened. */
  startSideService(launchReasons: { settingsChanged?: boolean; fileTransfer?: boolean } = {}): void {
    if (this.vm) throw new Error('the side service is already running');
    const js = this.cfg.appSideJs;
    if (js === undefined) throw new Error('the package has no app-side.js');
    const owner = `side#${++this.generation}`;
    const handlers = this.handlers(owner);
    const vm = new GuestVM(
      this.world.qjs,
      'side service',
      this.cfg.config('side'),
      {
        now: () => this.world.clock.now(),
        fail: (m) => this.world.fail(`side service: ${m}`),
        host: (op, p) =>
          dispatch(handlers, op, p, () => this.world.fail(`side service: double bug: unknown host op ${op}`)),
      },
      { __launchReasons: { settingsChanged: false, fileTransfer: false, ...launchReasons } },
    );
    this.vm = vm;
    const error = vm.evalScript(js, 'app-side.js');
    if (error) this.world.fail(`app-side.js did not run in QuickJS: ${error}`);
    const loaded = vm.call('side.loaded');
    if (loaded && !loaded.called) this.world.fail('app-side.js did not call AppSideService()');
    else vm.call('side.start');
    this.world.event('phone', 'side service started');
    this.settle();
  }

  /** Stops the side service (onDestroy), as when the phone kills the Zepp app in the background. */
  stopSideService(): void {
    if (!this.vm) return;
    this.vm.call('side.destroy');
    this.disposeVm();
    this.world.event('phone', 'side service stopped');
    this.settle();
  }

  /** The phone restarts: the side service is destroyed and started again; settingsStorage survives. */
  restart(): void {
    this.stopSideService();
    this.startSideService();
  }

  /** Bluetooth off / phone out of range: the watch's `connectStatus()` turns false and zml fails pending requests. */
  away(): void {
    this.link.setConnected(false);
    this.world.event('phone', 'phone away (BLE disconnected)');
    this.settle();
  }

  back(): void {
    this.link.setConnected(true);
    this.world.event('phone', 'phone back (BLE connected)');
    this.settle();
  }

  /** One-way BLE latency per frame, virtual ms. */
  latency(ms: number): void {
    this.link.latencyMs = ms;
  }

  /** Drops the next `count` data frames in a direction (handshakes too with `shakes: true`). */
  drop(count = 1, direction: Direction | 'both' = 'both', shakes = false): void {
    this.link.drop({ count, direction, shakes });
  }

  /** Every frame/message on the link, decoded. */
  traffic(): readonly Traffic[] {
    return this.link.traffic();
  }

  /** The requests the watch sent (decoded JSON bodies), in order. */
  requests(): unknown[] {
    return this.link
      .traffic()
      .filter((t) => t.kind === 'request' && t.dir === 'watch→phone' && !t.dropped)
      .map((t) => t.body);
  }

  /**
   * Waits until the Side Service has no `fetch` in flight: each answer is delivered at the current
   * virtual time, and what it leads to (zero-delay timers, further requests) runs, until none is left.
   * Real requests, to servers a test runs on loopback; the virtual clock does not move meanwhile.
   */
  async network(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** The Side Service's `fetch`: a real HTTP request, to this machine's loopback addresses only. */
  private fetch(req: SideFetch, generation: number): void {
    const record: PhoneFetch = {
      method: req.method,
      url: req.url,
      headers: req.headers,
      body: req.body,
      t: this.world.clock.now(),
    };
    this.fetches.push(record);
    const deliver = (answer: SideFetched): void => {
      record.outcome = 'error' in answer ? { error: answer.error } : { status: answer.status };
      // A request of a Side Service since stopped answers no one.
      if (generation !== this.generation || !this.vm) return;
      this.vm.call('side.fetched', answer);
      this.settle();
      this.afterFetch?.();
    };
    let host = '';
    try {
      host = new URL(req.url).hostname;
    } catch {
      // not a URL: the request fails as the platform's would
    }
    if (!/^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(host)) {
      this.world.fail(
        `side service: fetch ${req.url}: the runtime double reaches only this machine's loopback addresses`,
      );
      return;
    }
    const p = fetch(req.url, { method: req.method, headers: req.headers, body: req.body ?? null })
      .then(async (res) => ({ status: res.status, body: await res.text() }))
      .then(
        ({ status, body }) =>
          deliver({ id: req.id, status, body, asObject: this.cfg.fetchBodyAsObject === true }),
        (e: unknown) =>
          deliver({
            id: req.id,
            error: `Network request failed: ${e instanceof Error ? e.message : String(e)}`,
          }),
      )
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** The Side Service's QuickJS heap, after a forced collection (GuestVM `heapBytes`): bench/clinic.ts. */
  heapBytes(): number {
    if (!this.vm) throw new Error('the side service is not running');
    return this.vm.heapBytes();
  }

  /** Runs code in the side service's context (tests of the double); returns its JSON value. */
  exec(code: string): unknown {
    if (!this.vm) throw new Error('the side service is not running');
    const out = this.vm.call('eval', { code });
    this.settle();
    return out;
  }

  deliver(payload: Uint8Array): boolean {
    if (!this.vm) return false;
    this.vm.call('side.message', { hex: Buffer.from(payload).toString('hex') });
    return true;
  }

  dispose(): void {
    this.disposeVm();
    this.settingsApp?.close();
  }

  private disposeVm(): void {
    if (!this.vm) return;
    this.world.clock.cancelOwner(`side#${this.generation}`);
    this.vm.dispose();
    this.vm = undefined;
  }

  /** The Side Service's host operations: its log, its timers, its globals, settingsStorage. */
  private handlers(owner: string): HostHandlers<SideHostOp> {
    const w = this.world;
    return {
      log: ({ level, text }) => w.log('side', level, text),
      fail: ({ message, finding }) => w.fail(`side service: ${message}`, finding),
      'timer.set': ({ id, ms, repeat }) => {
        const arm = (): void => {
          w.clock.schedule(ms, `side timer #${id}`, owner, () => {
            if (repeat) arm();
            this.vm?.call('timer', { id });
          });
        };
        arm();
      },
      'timer.clear': ({ id }) => {
        for (const ev of w.clock.pending(owner)) if (ev.label === `side timer #${id}`) w.clock.cancel(ev);
      },
      'side.appInfo': () => ({ app: { appId: this.cfg.appId, appName: this.cfg.appName } }),
      'side.send': ({ hex }) => this.link.fromSide(Buffer.from(hex, 'hex')),
      'side.fetch': (req) => this.fetch(req, this.generation),
      ...this.settingsOps('side'),
    };
  }
}
