/**
 * The watch app while it runs: its QuickJS context (app.js, then one page module after another), its page
 * stack and the lifecycle the system drives (launch, push/replace/back, exit, kill). Each host operation
 * the context calls goes to the handler table of its module (zos/*.ts), composed here.
 */
import { performance } from 'node:perf_hooks';
import { guestConfig } from './guest-config';
import { dispatch, type ArgsOf, type GuestOp, type GuestOps, type HostHandlers, type HostOp } from './ops';
import type { BootOptions } from './options';
import type { WatchPackage } from './package';
import { DEFAULT_LIMITS, GuestVM } from './vm';
import type { World } from './world';
import type { Display, PageEntry } from './zos/display';
import type { HeartRateSensor } from './zos/heart-rate';
import type { PlayerChannel } from './zos/media';
import type { Motor } from './zos/sensor';
import { PageTimers, timerOps, type PageRef } from './zos/timer';

/** The host operations the watch app's context may call: all but the phone's. */
export type WatchHostOp = Exclude<HostOp, `settings.${string}` | `side.${string}`>;

/** What the running app reaches on the watch. */
export interface DeviceAppParts {
  readonly world: World;
  readonly pkg: WatchPackage;
  readonly opts: BootOptions;
  readonly panel: Display;
  readonly motor: Motor;
  readonly heart: HeartRateSensor;
  /** The page's media player: what it plays stops with its page. */
  readonly player: PlayerChannel;
  /** The handlers of every module but the timers' and the router's, which are the app's own. */
  readonly handlers: HostHandlers<
    Exclude<WatchHostOp, 'timer.set' | 'timer.clear' | `router.${string}` | 'app.performance'>
  >;
  /** The modal dialog goes with the page. */
  closeModal(): void;
  /** A timer callback is about to run on `page` (the driver's record of timer callbacks). */
  timerFired(page: string | undefined): void;
  /** Runs due zero-delay work and reports failures. */
  settle(): void;
}

export class DeviceApp {
  private vm: GuestVM | undefined;
  /** The largest heap getPerformance has reported in this launch. */
  private heapPeak = 0;
  private generation = 0;
  private stack: PageEntry[] = [];
  /** The page instance on screen (a number per page entered), or undefined between pages. */
  private pageSeq = 0;
  private currentPage: PageRef | undefined;
  readonly timers: PageTimers;
  /** Real (wall-clock) ms of the last launch, cumulative: context + prelude ready, app.js run (onCreate), first page built. */
  readonly startup = { contextMs: 0, appJsMs: 0, firstFrameMs: 0 };
  /** With `measureHeap`: the heap of the last launch's context before app.js (the runtime's baseline). */
  baselineHeap: number | undefined;

  constructor(private readonly parts: DeviceAppParts) {
    this.timers = new PageTimers(
      {
        world: parts.world,
        screenOn: () => parts.panel.screenOn,
        currentPage: () => this.currentPage,
        fire: (id) => this.fireTimer(id),
        defer: (label, run) => this.defer(label, run),
      },
      parts.opts.readings?.timersWhileScreenOff ?? false,
    );
  }

  get running(): boolean {
    return this.vm !== undefined;
  }

  /** The clock owner of this run of the app: its events die with it. */
  get owner(): string {
    return `watch#${this.generation}`;
  }

  /** The page on top of the stack (route as in app.json), if the app runs. */
  get page(): string | undefined {
    return this.running ? this.stack[this.stack.length - 1]?.route : undefined;
  }

  get topPage(): PageEntry | undefined {
    return this.stack[this.stack.length - 1];
  }

  /** Calls an operation of the app's context; undefined when the app is not running. */
  call<K extends GuestOp>(op: K, ...arg: ArgsOf<GuestOps[K]>): GuestOps[K]['result'] | undefined {
    return this.vm?.call(op, ...arg);
  }

  /** The app's context, for what only a running app has (heap, code to run). */
  context(what: string): GuestVM {
    if (!this.vm) throw new Error(`${what}: the app is not running`);
    return this.vm;
  }

  /** Opens the app (as from the app list, or with an alarm's url/param). */
  launch(opts: { url?: string; param?: string; pageParams?: string | null } = {}): void {
    if (this.vm) throw new Error('the app is already running; kill() or exit it first');
    const { world, pkg, panel } = this.parts;
    const started = performance.now();
    this.generation++;
    const owner = this.owner;
    const handlers: HostHandlers<WatchHostOp> = {
      ...this.parts.handlers,
      ...timerOps(this.timers, owner),
      'router.push': ({ url, params }) => this.route('push', url, params),
      'router.replace': ({ url, params }) => this.route('replace', url, params),
      // getPerformance's memory: the context's QuickJS heap now (no collection), and the most seen so far.
      'app.performance': () => {
        const used = this.vm ? this.vm.heapBytes(false) : 0;
        this.heapPeak = Math.max(this.heapPeak, used);
        return { used, peak: this.heapPeak };
      },
      'router.back': () =>
        this.defer('router back', () => {
          if (this.vm) this.back();
        }),
    };
    this.vm = new GuestVM(
      world.qjs,
      'watch',
      guestConfig(pkg, this.parts.opts, 'watch'),
      {
        now: () => world.clock.now(),
        fail: (m) => world.fail(m),
        host: (op, p) => dispatch(handlers, op, p, () => world.fail(`double bug: unknown host op ${op}`)),
      },
      {},
      { ...DEFAULT_LIMITS, callMs: this.parts.opts.callMs ?? DEFAULT_LIMITS.callMs },
    );
    this.startup.contextMs = performance.now() - started;
    if (this.parts.opts.measureHeap) this.baselineHeap = this.vm.heapBytes();
    panel.launched();
    world.event('app', `launch${opts.url ? ` ${opts.url}` : ''}${opts.param ? ` param=${opts.param}` : ''}`);
    this.evalFile('app.js');
    this.vm.call('app.create', { param: opts.param ?? null });
    this.startup.appJsMs = performance.now() - started;
    const first = opts.url ? this.resolvePage(opts.url, 'launch') : pkg.pages[0];
    if (!first) throw new Error('app.json lists no pages');
    this.stack = [{ route: first, params: opts.pageParams ?? null }];
    this.enterPage(this.stack[0]!);
    this.startup.firstFrameMs = performance.now() - started;
    panel.activity();
    this.parts.settle();
  }

  /** The system kills the app at once (no onDestroy): a crash, or the OS reclaiming memory. */
  kill(): void {
    if (!this.vm) throw new Error('the app is not running');
    this.parts.world.event('app', 'killed');
    this.teardown();
  }

  /** The app leaves the normal way: the page's onDestroy, then app.js onDestroy. */
  exit(reason: string): void {
    if (!this.vm) return;
    this.parts.world.event('app', `exit (${reason})`);
    this.leavePage();
    this.vm?.call('app.destroy');
    this.teardown();
  }

  /** Back: the previous page is rebuilt from scratch; from the first page the app exits. */
  back(): void {
    if (this.stack.length <= 1) {
      this.exit('back from the first page');
      return;
    }
    this.leavePage();
    this.stack.pop();
    this.enterPage(this.stack[this.stack.length - 1]!);
  }

  /** The app.json page a url names; a url app.json lacks is a failure (and the first page is used). */
  resolvePage(url: string, api: string): string {
    const { pkg, world } = this.parts;
    const route = url.replace(/^\//, '').replace(/\.js$/, '');
    if (!pkg.pages.includes(route)) {
      world.fail(`${api}: no page "${url}" in app.json pages (${pkg.pages.join(', ')})`, {
        kind: 'refused',
        rule: 'a url not in app.json pages',
        page: 'reference/app-json.mdx',
      });
      return pkg.pages[0]!;
    }
    return route;
  }

  defer(label: string, run: () => void): void {
    this.parts.world.clock.schedule(0, label, this.owner, run);
  }

  dispose(): void {
    if (this.vm) this.teardown();
  }

  /** `@zos/router` push and replace take effect after the calling code returns. */
  private route(op: 'push' | 'replace', url: string, params: string | null): void {
    this.defer(`router ${op}`, () => {
      if (!this.vm) return;
      const entry = { route: this.resolvePage(url, op), params };
      this.leavePage();
      if (op === 'replace') this.stack.pop();
      this.stack.push(entry);
      this.enterPage(entry);
    });
  }

  private evalFile(path: string): void {
    const code = this.parts.pkg.files.get(path);
    if (code === undefined) {
      this.parts.world.fail(`${path} is not in device.zip`);
      return;
    }
    const error = this.vm!.evalScript(code, path);
    // The compiled wrapper catches what throws while running; what reaches here did not even parse.
    if (error) this.parts.world.fail(`${path} was rejected by QuickJS: ${error}`);
  }

  private enterPage(entry: PageEntry): void {
    const vm = this.vm!;
    this.currentPage = { seq: ++this.pageSeq, route: entry.route };
    this.parts.world.event('page', `${entry.route}${entry.params ? ` ${entry.params}` : ''}`);
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
    const { heart, panel, motor } = this.parts;
    this.vm?.call('page.destroy');
    if (heart.measuring) {
      heart.pageGone(this.currentPage?.route);
      this.vm?.call('hr.clear');
    }
    this.vm?.collect();
    this.parts.closeModal();
    panel.pageLeft();
    motor.cut('page destroyed');
    this.parts.player.stop('page destroyed');
    const gone = this.currentPage;
    this.currentPage = undefined;
    if (gone) this.timers.endPage(gone, this.owner);
  }

  private fireTimer(id: number): void {
    if (this.vm) this.parts.timerFired(this.page);
    this.vm?.call('timer', { id });
  }

  private teardown(): void {
    const { motor, heart, world, panel } = this.parts;
    motor.cut('app gone');
    this.parts.player.stop('app gone');
    heart.stop();
    this.timers.reset();
    this.currentPage = undefined;
    world.clock.cancelOwner(this.owner);
    panel.appGone();
    this.vm?.dispose();
    this.vm = undefined;
    this.parts.closeModal();
  }
}
