/**
 * One QuickJS runtime + context per simulated JS VM (the watch app, the phone's side service), with the
 * double's prelude evaluated first. The host talks to it through two functions only: the guest calls
 * `__host(op, json)`, the host calls `__guest(op, json)`; promise jobs are drained after every call.
 * What each operation carries is typed once, in ops.ts.
 */
import {
  newQuickJSWASMModule,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSWASMModule,
} from 'quickjs-emscripten';
import type { GuestConfig } from './guest-config';
import type { ArgsOf, GuestOp, GuestOps } from './ops';
import { preludeSource } from './prelude';

let engine: Promise<QuickJSWASMModule> | undefined;
/** The QuickJS WASM module, loaded once per process and shared by every runtime. */
export function quickjs(): Promise<QuickJSWASMModule> {
  engine ??= newQuickJSWASMModule();
  return engine;
}

export interface VMHooks {
  /** A guest → host call as it arrived (ops.ts `dispatch` gives it to its handler); returns a JSON-able value or undefined. */
  host(op: string, payload: unknown): unknown;
  now(): number;
  /** Records a failure of the app (or of the double's contract) for the test to see. */
  fail(message: string): void;
}

export interface VMLimits {
  memoryBytes: number;
  stackBytes: number;
  /** Real milliseconds one host → guest call may run before it is interrupted (an endless loop). */
  callMs: number;
}

export const DEFAULT_LIMITS: VMLimits = {
  memoryBytes: 64 * 1024 * 1024,
  stackBytes: 1024 * 1024,
  callMs: 5000,
};

export class GuestVM {
  private readonly runtime: QuickJSRuntime;
  private readonly ctx: QuickJSContext;
  private readonly guest: QuickJSHandle;
  private deadline = Number.POSITIVE_INFINITY;
  private depth = 0;
  disposed = false;

  constructor(
    qjs: QuickJSWASMModule,
    readonly name: string,
    config: GuestConfig,
    private readonly hooks: VMHooks,
    globals: Record<string, unknown> = {},
    private readonly limits: VMLimits = DEFAULT_LIMITS,
  ) {
    this.runtime = qjs.newRuntime();
    this.runtime.setMemoryLimit(limits.memoryBytes);
    this.runtime.setMaxStackSize(limits.stackBytes);
    this.runtime.setInterruptHandler(() => Date.now() > this.deadline);
    const ctx = (this.ctx = this.runtime.newContext());
    const host = ctx.newFunction('__host', (opH, payloadH) => {
      const op = ctx.getString(opH);
      const text = ctx.getString(payloadH);
      const out = hooks.host(op, text ? JSON.parse(text) : undefined);
      return out === undefined ? ctx.undefined : ctx.newString(JSON.stringify(out));
    });
    ctx.setProp(ctx.global, '__host', host);
    host.dispose();
    const now = ctx.newFunction('__now', () => ctx.newNumber(hooks.now()));
    ctx.setProp(ctx.global, '__now', now);
    now.dispose();
    for (const [key, value] of Object.entries({ ...globals, __doubleConfig: JSON.stringify(config) })) {
      const h = typeof value === 'string' ? ctx.newString(value) : this.fromJson(value);
      ctx.setProp(ctx.global, key, h);
      h.dispose();
    }
    const error = this.evalScript(preludeSource(), 'runtime-double-prelude.js');
    if (error) throw new Error(`runtime double prelude failed in ${name}: ${error}`);
    this.guest = ctx.getProp(ctx.global, '__guest');
  }

  private fromJson(value: unknown): QuickJSHandle {
    const r = this.ctx.evalCode(`(${JSON.stringify(value ?? null)})`);
    return this.ctx.unwrapResult(r);
  }

  /** Evaluates a script file as the watch would (global, sloppy). Returns the error text if it threw. */
  evalScript(code: string, filename: string): string | undefined {
    return this.guard(() => {
      const r = this.ctx.evalCode(code, filename, { type: 'global' });
      if (r.error) {
        const e = this.ctx.dump(r.error) as unknown;
        r.error.dispose();
        return describe(e);
      }
      r.value.dispose();
      return undefined;
    });
  }

  /** Calls a guest op; a throw that escapes into the double is recorded as a failure. */
  call<K extends GuestOp>(op: K, ...arg: ArgsOf<GuestOps[K]>): GuestOps[K]['result'] | undefined {
    type T = GuestOps[K]['result'];
    return this.guard(() => {
      const opH = this.ctx.newString(op);
      const payloadH = this.ctx.newString(arg.length === 0 ? '' : JSON.stringify(arg[0]));
      const r = this.ctx.callFunction(this.guest, this.ctx.undefined, opH, payloadH);
      opH.dispose();
      payloadH.dispose();
      if (r.error) {
        const e = this.ctx.dump(r.error) as unknown;
        r.error.dispose();
        this.hooks.fail(`${this.name}: ${op} was interrupted or crashed: ${describe(e)}`);
        return undefined;
      }
      const text = this.ctx.getString(r.value);
      r.value.dispose();
      const out = JSON.parse(text) as { value?: T; __error?: string; recorded?: boolean };
      if (out.__error !== undefined) {
        if (!out.recorded) this.hooks.fail(`${this.name}: ${op} threw: ${out.__error}`);
        return undefined;
      }
      return out.value;
    });
  }

  /** Runs `fn` with the call deadline armed (re-entrant calls keep the outer deadline), then drains jobs. */
  private guard<T>(fn: () => T): T {
    if (this.disposed) throw new Error(`${this.name}: the VM was disposed (the app is not running)`);
    const outer = this.depth === 0;
    if (outer) this.deadline = Date.now() + this.limits.callMs;
    this.depth++;
    try {
      const out = fn();
      if (outer) this.drainJobs();
      return out;
    } finally {
      this.depth--;
      if (outer) this.deadline = Number.POSITIVE_INFINITY;
    }
  }

  private drainJobs(): void {
    for (let rounds = 0; this.runtime.hasPendingJob(); rounds++) {
      if (this.disposed) return;
      if (rounds > 100_000) {
        this.hooks.fail(`${this.name}: promise jobs never settle (an endless microtask loop?)`);
        return;
      }
      const r = this.runtime.executePendingJobs();
      if (r.error) {
        const e = r.error.context.dump(r.error) as unknown;
        r.error.dispose();
        this.hooks.fail(`${this.name}: a promise job threw: ${describe(e)}`);
      }
    }
  }

  memoryUsage(): string {
    return this.runtime.dumpMemoryUsage();
  }

  /**
   * Runs QuickJS's cycle collector now. quickjs-emscripten exposes no JS_RunGC, so the collection is
   * forced the way the engine itself triggers one: garbage is allocated until an object reachable only
   * through a cycle and a WeakRef is gone, which only the cycle collector does. The garbage is freed
   * (by reference count) on return.
   */
  collect(): void {
    const forced = this.guard(() => {
      const r = this.ctx.evalCode(
        `(function () {
          var ref;
          (function () { var o = {}; o.self = o; ref = new WeakRef(o); })();
          var hold = [], n = 0;
          while (ref.deref() !== undefined && n < 1e7) hold.push({ n: n++ });
          hold = null;
          return n < 1e7;
        })()`,
        'runtime-double-gc.js',
      );
      return this.ctx.dump(this.ctx.unwrapResult(r)) as boolean;
    });
    if (!forced) throw new Error(`${this.name}: no collection ran after 10 million allocations`);
  }

  /**
   * QuickJS's `memory_used_size`, after a forced collection (what the app holds, garbage excluded)
   * unless `collect` is false (what is allocated right now).
   */
  heapBytes(collect = true): number {
    if (collect) this.collect();
    const h = this.runtime.computeMemoryUsage();
    const usage = this.ctx.dump(h) as { memory_used_size: number };
    h.dispose();
    return usage.memory_used_size;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.guest.dispose();
    this.ctx.dispose();
    this.runtime.dispose();
  }
}

function describe(e: unknown): string {
  if (e && typeof e === 'object') {
    const o = e as { name?: string; message?: string; stack?: string };
    if (o.message !== undefined) return `${o.name ?? 'Error'}: ${o.message}${o.stack ? `\n${o.stack}` : ''}`;
  }
  return typeof e === 'string' ? e : JSON.stringify(e);
}
