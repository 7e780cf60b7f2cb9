/**
 * Guest side of the bridge: runs INSIDE QuickJS, bundled by esbuild into the prelude each context
 * evaluates before the app's code. Everything the app can observe of the host goes through `__host`.
 */
import type { GuestConfig } from '../guest-config';
import type { ArgsOf, Finding, HostOp, HostOps, Json } from '../ops';
import type { SpecName } from '../spec';
import type { TypedInfo } from '../typings';

export type { Json };
export type Fn = (...args: unknown[]) => unknown;
export type Obj = Record<string, unknown>;

interface HostFunctions {
  __host(op: string, payload: string): string | undefined;
  __now(): number;
}

export type { GuestConfig, SpecName, TypedInfo };

/** The lowest level in a class page's table (e.g. Vibrator "Type": every row 3.6), for a use of the whole table. */
export function tableLevel(
  module: string,
  cls: string,
  section: string,
): { since?: string; source: Source; label: string } {
  const doc = config.spec.modules[module]?.[cls];
  const rows = Object.values(doc?.tables?.[section] ?? {});
  const since = rows.reduce<string | undefined>(
    (lo, v) => (lo === undefined || !apiAtLeast(v, lo) ? v : lo),
    undefined,
  );
  return {
    ...(since ? { since } : {}),
    source: { page: doc?.page ?? '' },
    label: `${doc?.page ?? module} "${section}" table`,
  };
}

const g = globalThis as unknown as HostFunctions & Obj;

export const config = JSON.parse(g.__doubleConfig as string) as GuestConfig;

/** Calls an operation of the host (../ops.ts `HostOps`): its argument and result as the table types them. */
export function host<K extends HostOp>(op: K, ...arg: ArgsOf<HostOps[K]>): HostOps[K]['result'] {
  const out = g.__host(op, arg.length === 0 ? '' : JSON.stringify(arg[0]));
  // The wire carries JSON text; the table says what it holds.
  return (out === undefined || out === '' ? undefined : JSON.parse(out)) as HostOps[K]['result'];
}

export const now = (): number => g.__now();

/** A JSON copy of what the app passed (functions and undefined left out), as the wire carries it. */
export function toJson(value: unknown): Json {
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as Json);
}

/** The JSON copy of each field of an object; fields JSON leaves out (functions, undefined) are left out. */
export function toJsonFields(o: Obj): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(o)) if (JSON.stringify(v) !== undefined) out[k] = toJson(v);
  return out;
}

/** The error every unimplemented or forbidden use throws; the host has already recorded it as a failure. */
export class RuntimeDoubleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeDoubleError';
  }
}

/** Records a failure on the host (so it fails the test even if the app swallows the throw) and throws. */
export function fail(message: string, finding?: Finding): never {
  host('fail', finding ? { message, finding } : { message });
  throw new RuntimeDoubleError(message);
}

/**
 * The reference forbids the call: fails naming the rule and the page of Zepp's documentation that says so
 * (`ui/widget/BUTTON` for a reference page under reference/device-app-api/newAPI/, or the path of a guide).
 */
export function refuse(message: string, rule: string, page: string): never {
  return fail(message, { kind: 'refused', rule, page });
}

/** The API is documented, and the double does not model it: fails naming it. */
export function notModelled(message: string, api: string): never {
  return fail(message, { kind: 'not-modelled', api });
}

/** Where a rule is written: a page of Zepp's documentation, or only a line of the typings. */
export type Source = { readonly page: string } | { readonly typingsLine: number | undefined };

function cite(source: Source): string {
  if ('page' in source) return `Zepp docs ${source.page}`;
  return `${TYPINGS}${source.typingsLine !== undefined ? ` line ${source.typingsLine}` : ''}`;
}

const pageOf = (source: Source): string => ('page' in source ? source.page : '');

export function apiAtLeast(api: string, min: string): boolean {
  const [a1 = 0, a2 = 0] = api.split('.').map(Number);
  const [b1 = 0, b2 = 0] = min.split('.').map(Number);
  return a1 > b1 || (a1 === b1 && a2 >= b2);
}

const TYPINGS = `@zeppos/device-types ${config.typings.version}`;

export function typedInfo(module: string, name: string, cls?: string): TypedInfo | undefined {
  const m = config.typings.modules[module];
  if (!m) return undefined;
  return cls ? m.members[cls]?.[name] : m.exports[name];
}

const DOCS = 'Zepp docs';

/** What the official reference says of `module.name` (a function, class or constant), if anything. */
export function specOf(module: string, name: string): SpecName | undefined {
  return config.spec.modules[module]?.[name] ?? config.spec.constants[module]?.[name];
}

/** Fails when the target's API level is below `since`, naming where that level is written. */
export function requireApi(since: string | undefined, what: string, source: Source, label?: string): void {
  if (since && !apiAtLeast(config.device.api, since)) {
    refuse(
      `API level: ${what} needs API_LEVEL ${since} (${label ?? cite(source)}); ${config.device.name} has ${config.device.api}`,
      `${what} needs API_LEVEL ${since}`,
      pageOf(source),
    );
  }
}

/**
 * Fails when `module.name` (or `Class.member`) starts above the target's API level, by the typings'
 * `@version` tag or by the official reference's page, whichever is higher.
 */
export function requireLevel(
  module: string,
  name: string,
  cls?: string,
  level?: string,
  form?: string,
): void {
  const info = typedInfo(module, name, cls);
  const doc = cls ? undefined : specOf(module, name);
  const what = `${module} ${cls ? `${cls}.prototype.${name}` : name}${form ? ` (${form})` : ''}`;
  const typed = level ?? info?.since;
  // The reference's page says the same level as the typings for most names: cite it when it does.
  const typedSource: Source =
    doc && typed && doc.since === typed ? { page: doc.page } : { typingsLine: info?.line };
  requireApi(typed, what, typedSource, cite({ typingsLine: info?.line }));
  if (!form && doc) requireApi(doc.since, what, { page: doc.page });
}

/**
 * Checks an options object against the fields the function's reference page lists: a field the page
 * does not list fails (the docs are silent on it, so the double takes the harsher reading), and so
 * does a field above the target's API level.
 */
export function checkOptions(module: string, name: string, option: unknown): void {
  const doc = config.spec.modules[module]?.[name];
  if (!doc?.options || typeof option !== 'object' || option === null || Array.isArray(option)) return;
  for (const key of Object.keys(option)) {
    const since = doc.options[key];
    if (since === undefined) {
      refuse(
        `${module} ${name}: option "${key}" is not listed on its reference page (${DOCS} ${doc.page}: ${Object.keys(doc.options).join(', ')})`,
        `option "${key}" not listed`,
        doc.page,
      );
    }
    requireApi(since, `${module} ${name} option "${key}"`, { page: doc.page });
  }
}

export function requirePermission(module: string, name: string, cls?: string): void {
  const info = typedInfo(module, name, cls) ?? (cls ? typedInfo(module, cls) : undefined);
  const code = info?.permission;
  const doc = cls ? undefined : specOf(module, name);
  if (code && !config.app.permissions.includes(code)) {
    refuse(
      `permission: ${module} ${cls ?? ''}${cls ? '.' : ''}${name} needs "${code}" in app.json permissions (${TYPINGS} line ${info.line})`,
      `"${code}" missing from app.json permissions`,
      doc?.permissions?.includes(code) ? doc.page : '',
    );
  }
  for (const needed of doc?.permissions ?? []) {
    if (!config.app.permissions.includes(needed))
      refuse(
        `permission: ${module} ${name} needs "${needed}" in app.json permissions (${DOCS} ${doc!.page})`,
        `"${needed}" missing from app.json permissions`,
        doc!.page,
      );
  }
}

const PROBES = new Set(['then', 'default', '__esModule', 'toJSON', 'constructor', 'valueOf', 'toString']);

/** Every name the typings declare or the reference documents for a module: what an import may copy. */
export function declaredNames(module: string): string[] {
  const typed = Object.keys(config.typings.modules[module]?.exports ?? {});
  const documented = Object.keys(config.spec.documented[module] ?? {});
  return [...new Set([...typed, ...documented])];
}

/**
 * A module object as the app sees it: what the double implements, gated by API level and permission;
 * any other name fails loudly, saying whether the typings or the reference declare it (not implemented
 * here) or not. Its keys are every declared name, so that `import * as m` (whose compiled form copies
 * the module's keys, each as a getter) reaches the same failure by name as `m.x` does.
 */
export function guardModule(module: string, impl: Obj, extras: readonly string[] = []): Obj {
  for (const [name, value] of Object.entries(impl)) {
    const info = typedInfo(module, name);
    if (!info && !extras.includes(name) && !config.spec.documented[module]?.[name])
      throw new Error(`double bug: ${module}.${name} is neither typed, documented nor a listed extra`);
    if (typeof value === 'function' && (info || specOf(module, name)))
      impl[name] = gateFunction(
        module,
        name,
        value as Fn,
        info ? info.kind === 'class' : /^[A-Z]/.test(name),
      );
  }
  MODULE_OF.set(impl, module);
  return new Proxy(impl, MODULE_HANDLER);
}

/**
 * Each module object's name, for the one handler all module objects share (kept aside: a property on the
 * object would give each module a shape more, on the app's heap).
 */
const MODULE_OF = new WeakMap<object, string>();
const moduleName = (target: Obj): string => MODULE_OF.get(target)!;
/** Every name a module object has, the double's and the declared ones: computed when asked, not kept. */
const moduleKeys = (target: Obj): string[] => [
  ...new Set([...Object.keys(target), ...declaredNames(moduleName(target))]),
];

function moduleGet(target: Obj, p: string): unknown {
  const module = moduleName(target);
  if (p in target) {
    const info = typedInfo(module, p);
    if ((info && info.kind === 'const') || config.spec.constants[module]?.[p]) requireLevel(module, p);
    return target[p];
  }
  return missing(module, p);
}

/**
 * One handler for every module object (each one's own closures would sit on the app's heap, which
 * bench/footprint.ts measures). Keys are every declared name, each read through `moduleGet`.
 */
const MODULE_HANDLER: ProxyHandler<Obj> = {
  get(target, p) {
    if (typeof p !== 'string' || PROBES.has(p)) return Reflect.get(target, p);
    return moduleGet(target, p);
  },
  has(target, p) {
    return Reflect.has(target, p) || (typeof p === 'string' && moduleKeys(target).includes(p));
  },
  ownKeys(target) {
    return moduleKeys(target);
  },
  // Each key reads through the module, where a name the double lacks fails by name.
  getOwnPropertyDescriptor(target, p) {
    if (typeof p !== 'string' || !moduleKeys(target).includes(p)) return undefined;
    return { configurable: true, enumerable: true, get: () => moduleGet(target, p) };
  },
};

export function missing(module: string, name: string): never {
  const info = typedInfo(module, name);
  const page = specOf(module, name)?.page ?? config.spec.documented[module]?.[name];
  if (info || page) {
    return notModelled(
      `not implemented by the runtime double: ${module} ${name} (declared in ${info ? `${TYPINGS} line ${info.line}` : `${DOCS} ${page}`}); ` +
        'add it to test/runtime/guest or avoid it',
      `${module} ${name}`,
    );
  }
  return refuse(
    `${module} has no "${name}": not declared in ${TYPINGS} and not implemented by the runtime double`,
    `"${name}" is not a name of ${module}`,
    moduleFolder(module),
  );
}

/** The folder of a module's pages in the reference ("@zos/ui" → "ui/"): where its names are listed. */
export function moduleFolder(module: string): string {
  return `${module.replace(/^@zos\//, '')}/`;
}

function gateFunction(module: string, name: string, fn: Fn, isClass: boolean): Fn {
  if (isClass) {
    const cls = fn as unknown as new (...a: unknown[]) => unknown;
    const gated = function (this: unknown, ...args: unknown[]) {
      requireLevel(module, name);
      requirePermission(module, name);
      return Reflect.construct(cls, args, new.target ?? cls);
    };
    gated.prototype = cls.prototype;
    Object.defineProperty(gated, 'name', { value: name });
    return gated as unknown as Fn;
  }
  return function (this: unknown, ...args: unknown[]) {
    requireLevel(module, name);
    requirePermission(module, name);
    checkOptions(module, name, args[0]);
    return fn.apply(this, args);
  };
}

/** Wraps each typed member of a class prototype so tagged members fail below their API level. */
export function gateMembers(module: string, cls: string, proto: Obj): void {
  for (const name of Object.getOwnPropertyNames(proto)) {
    const info = typedInfo(module, name, cls);
    const value = proto[name];
    if (!info || typeof value !== 'function' || !info.since) continue;
    proto[name] = function (this: unknown, ...args: unknown[]) {
      requireLevel(module, name, cls);
      return (value as Fn).apply(this, args);
    };
  }
}

/**
 * The API_LEVEL 1.0 runtime's globals (zeppos-docs versioned_docs/version-1.0/reference/device-app-api:
 * hmApp, hmFS, hmSensor, hmSetting, hmUI, timer; hmBle for its messaging), which the double does not
 * define: a ReferenceError naming one is an API not modelled, and is reported by that name.
 */
const V1_GLOBALS = ['hmApp', 'hmFS', 'hmSensor', 'hmSetting', 'hmUI', 'hmBle', 'timer'];

export function namedReferenceError(e: unknown): Finding | undefined {
  if (!(e instanceof ReferenceError)) return undefined;
  const name = /'([\w$]+)' is not defined/.exec(e.message)?.[1];
  return name && V1_GLOBALS.includes(name)
    ? { kind: 'not-modelled', api: `${name} (API_LEVEL 1.0)` }
    : undefined;
}

/** Calls app code from the double (a callback, a lifecycle hook): a throw is a failure, never silent. */
export function callApp(what: string, fn: unknown, self: unknown, ...args: unknown[]): unknown {
  if (typeof fn !== 'function') return undefined;
  try {
    return (fn as Fn).apply(self, args);
  } catch (e) {
    if (e instanceof RuntimeDoubleError || isRecorded(e)) throw e;
    const finding = namedReferenceError(e);
    host('fail', { message: `uncaught in ${what}: ${describeError(e)}`, ...(finding ? { finding } : {}) });
    if (e !== null && typeof e === 'object') (e as Obj).__doubleRecorded = true;
    throw e;
  }
}

/** True once the failure behind `e` is on the host's list (so it is not reported twice). */
export function isRecorded(e: unknown): boolean {
  return (
    e instanceof RuntimeDoubleError ||
    (e !== null && typeof e === 'object' && (e as Obj).__doubleRecorded === true)
  );
}

export function describeError(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}${e.stack ? `\n${e.stack}` : ''}`;
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}

export function format(input: readonly unknown[]): string {
  let args = input;
  // printf-style placeholders, as zml's loggers use them ('request id=%d').
  if (typeof args[0] === 'string' && /%[sdijfoO%]/.test(args[0])) {
    const rest = args.slice(1);
    const head = args[0].replace(/%([sdijfoO%])/g, (m, c: string) => {
      if (c === '%') return '%';
      if (!rest.length) return m;
      const v = rest.shift();
      return c === 'j' || c === 'o' || c === 'O' ? safeJson(v) : String(v);
    });
    args = [head, ...rest];
  }
  return args
    .map((a) => {
      if (typeof a === 'string') return a;
      if (a instanceof Error) return describeError(a);
      try {
        return JSON.stringify(a) ?? String(a);
      } catch {
        return String(a);
      }
    })
    .join(' ');
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (bytes[i]! < 16 ? '0' : '') + bytes[i]!.toString(16);
  return s;
}

export function fromHex(hex: string): ArrayBuffer {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out.buffer;
}

/** Makes `this` of a class of the double fail loudly on any member it does not implement. */
export function strict<T extends object>(module: string, cls: string, self: T): T {
  return new Proxy(self, {
    get(t, p, r) {
      if (typeof p !== 'string' || p in t || p === 'then' || p === 'toJSON') return Reflect.get(t, p, r);
      const info = config.typings.modules[module]?.members[cls]?.[p];
      if (info)
        return notModelled(
          `not implemented by the runtime double: ${module} ${cls}.prototype.${p} (declared in @zeppos/device-types line ${info.line})`,
          `${module} ${cls}.${p}`,
        );
      const page = specOf(module, cls)?.page ?? moduleFolder(module);
      return refuse(
        `${module} ${cls} has no member "${p}" (not declared in @zeppos/device-types)`,
        `"${p}" is not a member of ${cls}`,
        page,
      );
    },
  });
}
