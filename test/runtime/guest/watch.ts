/**
 * The watch: the globals the compiled app.js and pages expect, and the `@zos/*` modules behind
 * `__$$R$$__`, one file each under zos/ (the small ones together in zos/system.ts). Only what the app
 * calls is faked; any other name the typings declare fails loudly, by name (bridge `guardModule`).
 */
import { callApp, config, fail, guardModule, type Json, type Obj } from './bridge';
import { clearWidgets, snapshot, tap, uiModule, widgetWrites, writesBelongTo } from './ui';
import { appModule } from './zos/app';
import { bleModule, bleOps, TransferFile } from './zos/ble';
import { clearInput, interactionModule, interactionOps } from './zos/interaction';
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
    else if (config.typings.modules[key]) mod = guardModule(key, {});
    else return fail(`__$$R$$__('${key}'): no such module in @zeppos/device-types ${config.typings.version}`);
    const wrapped = wrap(key, mod);
    cache.set(key, wrapped);
    return wrapped;
  };
}

export function installWatch(): void {
  g.__$$R$$__ = moduleLoader();
  g.DeviceRuntimeCore = { LifeCycle: {} };
  const appGlobals = { __$$G$$__: {} };
  g.__$$app$$__ = { __globals__: { __scopedGlobals__: {} } };
  g.__$$hmAppManager$$__ = { currentApp: { __globals__: appGlobals, current: undefined } };
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
export const watchOps: Record<string, (p: Obj) => Json | void> = {
  'app.create': (p) => {
    if (!app.instance) fail('app.js did not call App()');
    callApp('App onCreate', app.options!.onCreate, app.instance, p.param ?? undefined);
  },
  'app.destroy': () => {
    callApp('App onDestroy', app.options?.onDestroy, app.instance);
  },
  'page.prepare': (p) => {
    page = { route: p.route as string };
    writesBelongTo(page.route);
    const globals = { __$$G$$__: {} };
    (g.__$$hmAppManager$$__ as { currentApp: Obj }).currentApp.current = { __globals__: globals };
    g.__$$module$$__ = { id: p.route, module: undefined };
  },
  'page.start': (p) => {
    if (!page?.options) return fail(`page ${page?.route ?? '?'} did not call Page()`);
    const instance = Object.create(page.options) as Obj;
    instance._options = page.options;
    page.instance = instance;
    callApp(`${page.route} onInit`, page.options.onInit, instance, p.params ?? undefined);
    callApp(`${page.route} build`, page.options.build, instance);
  },
  'page.destroy': () => {
    if (page?.instance) callApp(`${page.route} onDestroy`, page.options?.onDestroy, page.instance);
    page = undefined;
    clearWidgets();
    clearInput();
  },
  screen: () => snapshot(),
  'ui.writes': () => widgetWrites(),
  tap: (p) => tap(p.id as number),
  ...interactionOps,
  ...bleOps,
  ...sensorOps,
  ...callbackOps,
};
