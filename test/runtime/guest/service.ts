/**
 * An App Service context (zeppos-docs guides/framework/device/app-service.md, at c08725b): the file
 * calls `AppService({ onInit(param), onDestroy })` once; it has no UI and no global timers, and only
 * the APIs of the guide's availability table. A name outside that table fails by name when it is
 * used (the harsher reading of "the following table lists the availability of APIs"); importing a
 * module is no failure, only calling what the table leaves out.
 */
import type { GuestHandlers, ServiceGuestOp } from '../ops';
import { callApp, fail, refuse, type Obj } from './bridge';
import { installNamedGlobals, moduleLoader } from './watch';
import { sensorOps } from './zos/sensor';
import { callbackOps } from './zos/service';

const g = globalThis as unknown as Obj;
const GUIDE = 'guides/framework/device/app-service.md';

/**
 * Why `module.name` is not available in an App Service, or null when it is. Beyond the guide's table,
 * two modules the official samples call from a service are allowed: `@zos/i18n` getText (zeppos-samples
 * application/3.0/notification/app-service/index.js) and `@zos/utils` log (every sample service).
 */
export function unavailableInService(module: string, name: string): string | null {
  const getter = /^get/.test(name);
  switch (module) {
    case '@zos/app-service':
    case '@zos/notification':
    case '@zos/i18n':
    case '@zos/media':
      return null;
    case '@zos/utils':
      return name === 'log' || name === 'EventBus' ? null : 'only log is used by the official samples';
    case '@zos/sensor':
      return ['Accelerometer', 'Geolocation', 'Gyroscope'].includes(name)
        ? 'high-power sensors are not available'
        : null;
    case '@zos/app':
    case '@zos/settings':
    case '@zos/display':
    case '@zos/device':
    case '@zos/user':
      return getter ? null : `only the APIs whose names start with "get" are available in ${module}`;
    case '@zos/ble':
      return name.startsWith('mst') ? 'the mst* APIs are not available' : null;
    case '@zos/fs':
      // Writes are checked against the screen when they happen (host fs.write).
      return null;
    case '@zos/timer':
      return name === 'createSysTimer' || name === 'stopTimer'
        ? null
        : 'timer-related interfaces such as setTimeout are not available; createSysTimer (4.0) is the service timer';
    default:
      return `${module} is not in the availability table`;
  }
}

function serviceModule(module: string, mod: Obj): Obj {
  const outer: Obj = new Proxy(mod, {
    get(target, p) {
      if (typeof p !== 'string' || p === 'then' || p === 'default' || p === '__esModule')
        return Reflect.get(target, p);
      const why = unavailableInService(module, p);
      if (why === null) return Reflect.get(target, p) as unknown;
      // A function (called or constructed) that fails when used: importing the name is no failure.
      return function unavailable(): never {
        return refuse(
          `${module} ${p} is not available (${GUIDE}: ${why})`,
          `${module} ${p} in an App Service`,
          GUIDE,
        );
      };
    },
    // `import * as m` copies each key as a getter: it reads through this proxy, under the same rules.
    getOwnPropertyDescriptor(target, p) {
      const d = Reflect.getOwnPropertyDescriptor(target, p);
      return d && typeof p === 'string' ? { configurable: true, enumerable: true, get: () => outer[p] } : d;
    },
  });
  return outer;
}

let service: { options: Obj; instance: Obj } | undefined;

export function installService(): void {
  g.__$$R$$__ = moduleLoader(serviceModule);
  for (const name of ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval']) {
    g[name] = () =>
      refuse(
        `the global ${name} is not available (${GUIDE}: "Timer-related interfaces are not available"); use @zos/timer createSysTimer (4.0)`,
        `the global ${name} in an App Service`,
        GUIDE,
      );
  }
  installNamedGlobals();
  g.__$$app$$__ = { __globals__: { __scopedGlobals__: {} } };
  g.__$$hmAppManager$$__ = {
    currentApp: { __globals__: { __$$G$$__: {} }, current: { __globals__: { __$$G$$__: {} } } },
  };
  g.module = { exports: {} };
  g.__$$module$$__ = { id: 'app-service', module: undefined };
  g.AppService = (options: unknown) => {
    if (service)
      return refuse(
        'AppService() called twice: "each App Service file must call the AppService() constructor only once" (global/AppService)',
        'AppService() called twice',
        'global/AppService',
      );
    const o = options as Obj;
    const instance = Object.create(o) as Obj;
    if (o.state !== undefined) instance.state = o.state;
    service = { options: o, instance };
    return instance;
  };
  for (const name of ['App', 'Page', 'getApp', 'getCurrentPage'])
    g[name] = () =>
      refuse(
        `${name} is a Device App global; a service has no app or page (${GUIDE})`,
        `${name} in an App Service`,
        GUIDE,
      );
}

export const serviceOps: GuestHandlers<ServiceGuestOp> = {
  'service.init': ({ param }) => {
    if (!service) return fail('the App Service file did not call AppService()');
    callApp('AppService onInit', service.options.onInit, service.instance, param ?? undefined);
  },
  'service.event': ({ param }) => {
    if (typeof service?.options.onEvent !== 'function') return { handled: false };
    callApp('AppService onEvent', service.options.onEvent, service.instance, param ?? undefined);
    return { handled: true };
  },
  'service.destroy': () => {
    if (service) callApp('AppService onDestroy', service.options.onDestroy, service.instance);
  },
  ...callbackOps,
  ...sensorOps,
};
