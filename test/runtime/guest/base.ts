/** Globals every context gets: console, a virtual Date and timers, a seeded Math.random, Buffer. */
import { Buffer } from 'buffer';
import {
  callApp,
  config,
  describeError,
  fail,
  format,
  host,
  isRecorded,
  namedReferenceError,
  now,
  refuse,
  type Fn,
  type Obj,
} from './bridge';

const g = globalThis as unknown as Obj;

export const state = { loadingScript: false };

function makeConsole(): Obj {
  const out =
    (level: string) =>
    (...args: unknown[]): void => {
      // The compiled wrapper of app.js and of every page prints this when anything throws at load. A
      // failure of the double's own (a refusal, an API not modelled) is on the host's list already.
      if (args[0] === 'Mini Program Error' && !isRecorded(args[1])) {
        const finding = namedReferenceError(args[1]);
        host('fail', {
          message: `Mini Program Error: ${describeError(args[1])}`,
          ...(finding ? { finding } : {}),
        });
        return;
      }
      // app-side.js's wrapper prints the bare error instead.
      if (config.role === 'side' && state.loadingScript && args.length === 1 && args[0] instanceof Error) {
        host('fail', { message: `app-side.js threw at load: ${describeError(args[0])}` });
        return;
      }
      host('log', { level, text: format(args) });
    };
  return { log: out('log'), info: out('info'), warn: out('warn'), error: out('error'), debug: out('debug') };
}

function installDate(): void {
  const RealDate = Date;
  const FakeDate = function (this: unknown, ...args: unknown[]) {
    if (!new.target) return new RealDate(now()).toString();
    return Reflect.construct(RealDate, args.length ? args : [now()], new.target);
  } as unknown as DateConstructor;
  Object.defineProperty(FakeDate, 'prototype', { value: RealDate.prototype });
  Object.assign(FakeDate, { now, UTC: RealDate.UTC, parse: RealDate.parse });
  g.Date = FakeDate;
}

function installRandom(seed: number): void {
  let a = seed >>> 0;
  // mulberry32: deterministic per boot, so zml's request ids and anything random replay the same.
  Math.random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Timer {
  fn: Fn;
  args: unknown[];
  repeat: boolean;
}
const timers = new Map<number, Timer>();
let nextTimer = 0;

export function setTimer(fn: unknown, ms: unknown, repeat: boolean, args: unknown[]): number {
  if (typeof fn !== 'function')
    fail(`${repeat ? 'setInterval' : 'setTimeout'} needs a function, got ${typeof fn}`);
  const id = ++nextTimer;
  const delay = Math.max(repeat ? 1 : 0, Number(ms) || 0);
  timers.set(id, { fn: fn as Fn, args, repeat });
  host('timer.set', { id, ms: delay, repeat });
  return id;
}

export function clearTimer(id: unknown): void {
  if (typeof id !== 'number' || !timers.delete(id)) return;
  host('timer.clear', { id });
}

export function fireTimer(id: number): void {
  const t = timers.get(id);
  if (!t) return;
  if (!t.repeat) timers.delete(id);
  callApp(`timer callback #${id}`, t.fn, undefined, ...t.args);
}

export const timerApi = {
  setTimeout: (fn: unknown, ms?: unknown, ...args: unknown[]) => setTimer(fn, ms, false, args),
  setInterval: (fn: unknown, ms?: unknown, ...args: unknown[]) => setTimer(fn, ms, true, args),
  clearTimeout: clearTimer,
  clearInterval: clearTimer,
};

export function installBase(): void {
  g.console = makeConsole();
  installDate();
  installRandom(config.seed);
  Object.assign(g, timerApi);
  g.Buffer = Buffer;
}

/** A logger shaped like `@zos/utils` log and the side service's Logger. */
export function makeLogger(name: string): Obj {
  const out =
    (level: string) =>
    (...args: unknown[]): void => {
      host('log', { level, text: `[${name}] ${format(args)}` });
    };
  const logger: Obj = {
    log: out('log'),
    info: out('info'),
    warn: out('warn'),
    error: out('error'),
    debug: out('debug'),
  };
  logger.getLogger = (n: string) => makeLogger(n);
  return logger;
}

/** `@zos/utils` EventBus (typings: on, off, emit, once, clear, count); zml subclasses it. */
export class EventBus {
  private listeners = new Map<string, Fn[]>();
  on(name: string, fn: Fn): void {
    const list = this.listeners.get(name) ?? [];
    list.push(fn);
    this.listeners.set(name, list);
  }
  off(name?: string, fn?: Fn): void {
    if (name === undefined) return;
    if (!fn) {
      this.listeners.delete(name);
      return;
    }
    const list = this.listeners.get(name);
    const i = list ? list.indexOf(fn) : -1;
    if (list && i >= 0) list.splice(i, 1);
  }
  emit(name: string, ...args: unknown[]): void {
    for (const fn of [...(this.listeners.get(name) ?? [])]) fn(...args);
  }
  once(name: string, fn: Fn): void {
    const wrapper: Fn = (...args) => {
      this.off(name, wrapper);
      return fn(...args);
    };
    this.on(name, wrapper);
  }
  clear(): void {
    this.listeners.clear();
  }
  count(name?: string): number {
    return name === undefined ? this.listeners.size : (this.listeners.get(name) ?? []).length;
  }
}

/**
 * The phone's `settingsStorage` (strings only, Zepp docs), shared by the Side Service and the Settings
 * App: both contexts reach the same host store. The Side Service adds its change listeners on top.
 */
export function settingsStorageApi(): Obj {
  return {
    getItem: (key: unknown) => host('settings.get', { key: String(key) }).value ?? undefined,
    setItem: (key: unknown, value: unknown) => {
      if (typeof value !== 'string')
        refuse(
          `settingsStorage.setItem('${String(key)}'): values are strings only (Zepp docs); got ${typeof value}`,
          'a settingsStorage value that is not a string',
          'reference/app-settings-api/settings-storage.mdx',
        );
      host('settings.set', { key: String(key), value: value as string });
    },
    removeItem: (key: unknown) => void host('settings.remove', { key: String(key) }),
    clear: () => void host('settings.clear'),
    toObject: () => host('settings.all'),
  };
}
