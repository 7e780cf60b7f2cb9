/**
 * The watch: the globals the compiled app.js and pages expect, and the `@zos/*` modules behind
 * `__$$R$$__`, one file each under zos/ (the small ones together in zos/system.ts). Only what the app
 * calls is faked; any other name the typings declare fails loudly, by name (bridge `guardModule`).
 */
import type { GuestHandlers, WatchGuestOp } from '../ops';
import { callApp, config, fail, guardModule, notModelled, refuse, type Obj } from './bridge';
import { clearWidgets, snapshot, tap, uiModule, widgetWrites, writesBelongTo } from './ui';
import { appModule } from './zos/app';
import { bleModule, bleOps, TransferFile } from './zos/ble';
import { clearInput, interactionModule, interactionOps } from './zos/interaction';
import { mediaModule } from './zos/media';
import { sensorModule, sensorOps } from './zos/sensor';
import { appServiceModule, callbackOps, fsModule, notificationModule } from './zos/service';
import { storageModule } from './zos/storage';
import { systemModules } from './zos/system';

const g = globalThis as unknown as Obj;

export function makeModules(): Record<string, () => Obj> {
  return {
    '@zos/ui': uiModule,
    '@zos/interaction': interactionModule,
    '@zos/ble': bleModule,
    '@zos/ble/TransferFile': () => TransferFile as unknown as Obj,
    '@zos/sensor': sensorModule,
    '@zos/storage': storageModule,
    '@zos/app': appModule,
    '@zos/app-service': appServiceModule,
    '@zos/notification': notificationModule,
    '@zos/fs': fsModule,
    '@zos/media': mediaModule,
    ...systemModules,
  };
}

// ---- globals the compiled code expects ---------------------------------------------------------
interface PageState {
  options?: Obj;
  instance?: Obj;
  route: string;
}
const app: { options?: Obj; instance?: Obj } = {};
/** `__$$hmAppManager$$__`: the app's globals, and the current page's, which each page entry replaces. */
const appManager: { currentApp: { __globals__: Obj; current: { __globals__: Obj } | undefined } } = {
  currentApp: { __globals__: { __$$G$$__: {} }, current: undefined },
};
let page: PageState | undefined;

/**
 * The module loader behind `__$$R$$__`: each `@zos/*` module made once; a module the typings declare
 * that we do not fake fails by name when used; an unknown one fails at once. `wrap` lets a context
 * (the App Service) hold the modules to its own rules.
 */
export function moduleLoader(
  wrap: (key: string, mod: Obj) => Obj = (_key, mod) => mod,
): (name: unknown) => Obj {
  const factories = makeModules();
  const cache = new Map<string, Obj>();
  return (name) => {
    const key = String(name);
    const cached = cache.get(key);
    if (cached) return cached;
    const make = factories[key];
    let mod: Obj;
    if (make) mod = make();
    else if (config.typings.modules[key] || config.spec.documented[key]) mod = guardModule(key, {});
    else
      return refuse(
        `__$$R$$__('${key}'): no such module in @zeppos/device-types ${config.typings.version} nor in the reference`,
        `a module neither typed nor documented`,
        'reference/device-app-api/newAPI/',
      );
    const wrapped = wrap(key, mod);
    cache.set(key, wrapped);
    return wrapped;
  };
}

/**
 * What zpm compiles an API_LEVEL 1.0 page to (`DeviceRuntimeCore.WidgetFactory`, `HmDomApi`, `HmLogger`,
 * `Page`, `App`, `HmUtils`): the double runs the API_LEVEL 2.0+ `@zos/*` runtime, so each fails by name
 * when touched. The 1.0 globals themselves (hmUI, hmApp...) stay undefined, as code that tells the
 * runtimes apart by `typeof hmApp` (zml does) expects of a runtime without them; using one is named when
 * its ReferenceError reaches the double (bridge `namedReferenceError`). So is `String.prototype.toPixel`,
 * which Zepp's 4.0 samples call and the reference does not document.
 */
function legacy(name: string): unknown {
  const fn = function legacyGlobal(): never {
    return notModelled(
      `not implemented by the runtime double: API_LEVEL 1.0 global ${name}()`,
      `${name} (API_LEVEL 1.0)`,
    );
  };
  return new Proxy(fn, {
    get(t, p) {
      if (typeof p !== 'string' || p === 'then' || p === 'toJSON' || p === 'prototype')
        return Reflect.get(t, p);
      return notModelled(
        `not implemented by the runtime double: API_LEVEL 1.0 global ${name}.${p}`,
        `${name}.${p} (API_LEVEL 1.0)`,
      );
    },
  });
}

export function installNamedGlobals(): void {
  const core: Obj = { LifeCycle: {} };
  g.DeviceRuntimeCore = new Proxy(core, {
    get(t, p) {
      if (typeof p !== 'string' || p in t || p === 'then' || p === 'toJSON') return Reflect.get(t, p);
      return legacy(`DeviceRuntimeCore.${p}`);
    },
  });
  // Zepp's 2.0 samples tell the watch from the phone by `typeof __ZEPPOS__`, a global no page documents:
  // read (even by typeof), it fails by name rather than silently saying "not a watch".
  Object.defineProperty(g, '__ZEPPOS__', {
    configurable: true,
    get: () =>
      notModelled(
        "not implemented by the runtime double: the global __ZEPPOS__ (read by Zepp's 2.0 samples to tell the watch from the phone; not in the reference at c08725b)",
        '__ZEPPOS__ (undocumented global)',
      ),
  });
  Object.defineProperty(String.prototype, 'toPixel', {
    configurable: true,
    writable: true,
    value: function toPixel(): never {
      return notModelled(
        "not implemented by the runtime double: String.prototype.toPixel (called by Zepp's 4.0 samples, not in the reference at c08725b)",
        'String.prototype.toPixel',
      );
    },
  });
}

export function installWatch(): void {
  g.__$$R$$__ = moduleLoader();
  installNamedGlobals();
  g.__$$app$$__ = { __globals__: { __scopedGlobals__: {} } };
  g.__$$hmAppManager$$__ = appManager;
  g.module = { exports: {} };
  g.App = (options: unknown) => {
    if (app.options) fail('App() called twice');
    app.options = options as Obj;
    const instance = Object.create(options as object) as Obj;
    instance._options = options;
    instance.globalData = (options as Obj).globalData;
    app.instance = instance;
    return instance;
  };
  g.getApp = () => app.instance;
  g.Page = (options: unknown) => {
    if (!page) return fail('Page() called outside a page module');
    page.options = options as Obj;
    return options;
  };
  g.getCurrentPage = () => page?.instance;
}

/** Host → watch calls. */
export const watchOps: GuestHandlers<WatchGuestOp> = {
  'app.create': ({ param }) => {
    if (!app.instance) return fail('app.js did not call App()');
    callApp('App onCreate', app.options!.onCreate, app.instance, param ?? undefined);
  },
  'app.destroy': () => {
    callApp('App onDestroy', app.options?.onDestroy, app.instance);
  },
  'page.prepare': ({ route }) => {
    page = { route };
    writesBelongTo(route);
    appManager.currentApp.current = { __globals__: { __$$G$$__: {} } };
    g.__$$module$$__ = { id: route, module: undefined };
  },
  'page.start': ({ params }) => {
    if (!page?.options) return fail(`page ${page?.route ?? '?'} did not call Page()`);
    const instance = Object.create(page.options) as Obj;
    instance._options = page.options;
    page.instance = instance;
    callApp(`${page.route} onInit`, page.options.onInit, instance, params ?? undefined);
    callApp(`${page.route} build`, page.options.build, instance);
  },
  'page.destroy': () => {
    if (page?.instance) callApp(`${page.route} onDestroy`, page.options?.onDestroy, page.instance);
    page = undefined;
    clearWidgets();
    clearInput();
  },
  'ui.screen': () => snapshot(),
  // Every op starts a new frame (main.ts `__guest`): nothing more to do.
  'ui.between': () => undefined,
  'ui.writes': () => widgetWrites(),
  'ui.tap': ({ id }) => tap(id),
  ...interactionOps,
  ...bleOps,
  ...sensorOps,
  ...callbackOps,
};
