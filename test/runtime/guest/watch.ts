/** The watch: the globals the compiled app.js and pages expect, and the `@zos/*` modules behind `__$$R$$__`. */
import {
  callApp,
  config,
  now,
  fail,
  gateMembers,
  guardModule,
  host,
  fromHex,
  missing,
  requireLevel,
  toHex,
  type Fn,
  type Json,
  type Obj,
} from './bridge';
import { EventBus, makeLogger, setTimer, clearTimer, timerApi } from './base';
import { clearWidgets, snapshot, tap, uiModule } from './ui';

const g = globalThis as unknown as Obj;
const enumOf = (names: readonly string[], base = 1): Obj =>
  Object.fromEntries(names.map((n, i) => [n, base + i]));

// ---- @zos/interaction -------------------------------------------------------------------------
const KEYS: Obj = { KEY_BACK: 8, KEY_SELECT: 13, KEY_HOME: 36, KEY_UP: 38, KEY_DOWN: 40, KEY_SHORTCUT: 48 };
const KEY_EVENTS: Obj = {
  KEY_EVENT_CLICK: 1,
  KEY_EVENT_LONG_PRESS: 2,
  KEY_EVENT_DOUBLE_CLICK: 3,
  KEY_EVENT_PRESS: 4,
  KEY_EVENT_RELEASE: 5,
};
const GESTURES: Obj = { GESTURE_UP: 1, GESTURE_DOWN: 2, GESTURE_LEFT: 3, GESTURE_RIGHT: 4 };
const MODAL: Obj = { MODAL_CONFIRM: 1, MODAL_CANCEL: 2 };
const WRIST: Obj = { WRIST_MOTION_LIFT: 1, WRIST_MOTION_LOWER: 2, WRIST_MOTION_FLIP: 3 };

const input: { key?: Fn; gesture?: Fn; crown?: Fn; modal?: { onClick?: Fn; autoHide: boolean } } = {};
const callbackOf = (arg: unknown): Fn | undefined =>
  typeof arg === 'function' ? (arg as Fn) : ((arg as Obj | null)?.callback as Fn | undefined);

function register(kind: 'key' | 'gesture' | 'crown', arg: unknown, api: string): void {
  const cb = callbackOf(arg);
  if (!cb) fail(`@zos/interaction ${api} needs a callback`);
  // Typings: "only one event is allowed to be registered"; a second one is a bug on the watch.
  if (input[kind])
    fail(
      `@zos/interaction ${api} registered twice without off${api.slice(2)} (typings: only one is allowed)`,
    );
  input[kind] = cb;
}

const interaction = () =>
  guardModule('@zos/interaction', {
    ...KEYS,
    ...KEY_EVENTS,
    ...GESTURES,
    ...MODAL,
    ...WRIST,
    onKey: (arg: unknown) => register('key', arg, 'onKey'),
    offKey: () => void (input.key = undefined),
    onGesture: (arg: unknown) => register('gesture', arg, 'onGesture'),
    offGesture: () => void (input.gesture = undefined),
    onDigitalCrown: (arg: unknown) => register('crown', arg, 'onDigitalCrown'),
    offDigitalCrown: () => void (input.crown = undefined),
    showToast: (option: unknown) => {
      const o = option as Obj | null;
      if (!o || typeof o.content !== 'string') fail('@zos/interaction showToast needs { content: string }');
      host('toast', { content: o!.content });
    },
    createModal: (option: unknown) => {
      const o = (option ?? {}) as Obj;
      for (const k of [
        'title',
        'subtitle',
        'src',
        'text',
        'textColor',
        'textAlpha',
        'okButton',
        'cancelButton',
        'capsuleButton',
      ]) {
        if (k in o) requireLevel('@zos/interaction', 'createModal', undefined, '3.6', `option ${k}`);
      }
      if (typeof o.content !== 'string' && typeof o.title !== 'string')
        fail('@zos/interaction createModal needs content');
      const fields = Object.fromEntries(
        Object.entries(o).filter(([, v]) => typeof v !== 'function' && typeof v !== 'object'),
      );
      input.modal = { onClick: o.onClick as Fn | undefined, autoHide: o.autoHide !== false };
      const show = (on: unknown) => host('modal', on ? { ...fields, show: true } : { show: false });
      show(o.show !== false);
      return { show };
    },
  });

/** Makes `this` of a class of the double fail loudly on any member it does not implement. */
function strict<T extends object>(module: string, cls: string, self: T): T {
  return new Proxy(self, {
    get(t, p, r) {
      if (typeof p !== 'string' || p in t || p === 'then' || p === 'toJSON') return Reflect.get(t, p, r);
      const info = config.typings.modules[module]?.members[cls]?.[p];
      return fail(
        info
          ? `not implemented by the runtime double: ${module} ${cls}.prototype.${p} (declared in @zeppos/device-types line ${info.line})`
          : `${module} ${cls} has no member "${p}" (not declared in @zeppos/device-types)`,
      );
    },
  });
}

// ---- @zos/sensor: Time (typings: getMonth 1-12, getDay 1-7 from Monday) ------------------------
class Time {
  constructor() {
    return strict('@zos/sensor', 'Time', this);
  }
  private local(): Date {
    return new Date(now() + config.utcOffsetMinutes * 60_000);
  }
  getTime(): number {
    return now();
  }
  getFullYear(): number {
    return this.local().getUTCFullYear();
  }
  getMonth(): number {
    return this.local().getUTCMonth() + 1;
  }
  getDate(): number {
    return this.local().getUTCDate();
  }
  getHours(): number {
    return this.local().getUTCHours();
  }
  getMinutes(): number {
    return this.local().getUTCMinutes();
  }
  getSeconds(): number {
    return this.local().getUTCSeconds();
  }
  getDay(): number {
    return ((this.local().getUTCDay() + 6) % 7) + 1;
  }
  getHourFormat(): number {
    return 1; // TIME_HOUR_FORMAT_24
  }
  getFormatHour(): number {
    return this.getHours();
  }
}
gateMembers('@zos/sensor', 'Time', Time.prototype as unknown as Obj);

// ---- @zos/sensor: Vibrator ---------------------------------------------------------------------
// Scene numbers as in Zepp OS 1.x hmSensor (seen in a public compatibility shim); app code must use the names.
const SCENES: Record<string, number> = {
  VIBRATOR_SCENE_SHORT_LIGHT: 23,
  VIBRATOR_SCENE_SHORT_MIDDLE: 24,
  VIBRATOR_SCENE_SHORT_STRONG: 25,
  VIBRATOR_SCENE_DURATION: 28,
  VIBRATOR_SCENE_DURATION_LONG: 27,
  VIBRATOR_SCENE_STRONG_REMINDER: 9,
  VIBRATOR_SCENE_NOTIFICATION: 0,
  VIBRATOR_SCENE_CALL: 1,
  VIBRATOR_SCENE_TIMER: 5,
};
const SCENE_NAME = new Map(Object.entries(SCENES).map(([k, v]) => [v, k.replace('VIBRATOR_SCENE_', '')]));
const TYPE_NAMES = [
  'GENTLE_SHORT',
  'STRONG_SHORT',
  'STANDARD_CROWN',
  'STRONG_CROWN',
  'SPULSE_CROWN',
  'DIPULSE_CROWN',
  'KEYCODE_CLICK',
  'URGENT',
  'CONTINUOUS',
  'PAUSE',
];
const TYPES = enumOf(TYPE_NAMES, 1);
const TYPE_NAME = new Map(Object.entries(TYPES).map(([k, v]) => [v as number, k]));

class Vibrator {
  constructor() {
    return strict('@zos/sensor', 'Vibrator', this);
  }
  private mode = SCENES.VIBRATOR_SCENE_SHORT_MIDDLE!; // typings @defaultValue VIBRATOR_SCENE_SHORT_MIDDLE
  start(option?: unknown): void {
    if (Array.isArray(option)) {
      requireLevel(
        '@zos/sensor',
        'start',
        'Vibrator',
        config.typings.modules['@zos/sensor']?.members.Vibrator?.start?.argSince,
        'an array of scenes',
      );
      const sequence = option.map((a: unknown, i) => {
        const o = a as Obj | null;
        const type = o ? TYPE_NAME.get(o.type as number) : undefined;
        if (!type) fail(`Vibrator.start([...]): item ${i} has no valid type (use getType())`);
        if (o!.duration !== undefined && typeof o!.duration !== 'number')
          fail(`Vibrator.start([...]): item ${i} duration is not a number`);
        return { type: type!, duration: (o!.duration as number | undefined) ?? null };
      });
      host('vibrate', { sequence });
      return;
    }
    const mode = option === undefined ? this.mode : (option as Obj | null)?.mode;
    host('vibrate', { mode: this.scene(mode ?? this.mode, 'start') });
  }
  stop(): void {
    host('vibrate.stop');
  }
  setMode(option: unknown): void {
    // Typings: setMode({ mode }); the Vibrator docs' own example passes the bare constant: accept both.
    const mode = typeof option === 'number' ? option : (option as Obj | null)?.mode;
    this.scene(mode, 'setMode');
    this.mode = mode as number;
  }
  getConfig(): Obj {
    return { mode: this.mode };
  }
  getType(): Obj {
    return { ...TYPES };
  }
  private scene(mode: unknown, api: string): string {
    const name = typeof mode === 'number' ? SCENE_NAME.get(mode) : undefined;
    if (!name) fail(`Vibrator.${api}: mode ${String(mode)} is not a VIBRATOR_SCENE_* constant`);
    return name!;
  }
}
gateMembers('@zos/sensor', 'Vibrator', Vibrator.prototype as unknown as Obj);

// ---- @zos/storage ------------------------------------------------------------------------------
function storageValue(key: unknown, value: unknown): string {
  if (typeof key !== 'string') fail(`LocalStorage.setItem: key must be a string, got ${typeof key}`);
  const json = JSON.stringify(value);
  if (json === undefined)
    fail(`LocalStorage.setItem('${String(key)}', ${typeof value}): the double stores JSON values only`);
  return json!;
}
class LocalStorage {
  constructor() {
    return strict('@zos/storage', 'LocalStorage', this);
  }
  setItem(key: unknown, value: unknown): void {
    host('storage.set', { key, json: storageValue(key, value) });
  }
  getItem(key: unknown, defaultValue?: unknown): unknown {
    const r = host<{ json: string | null }>('storage.get', { key: String(key) });
    return r.json === null ? defaultValue : JSON.parse(r.json);
  }
  removeItem(key: unknown): void {
    host('storage.remove', { key: String(key) });
  }
  clear(): void {
    host('storage.clear');
  }
}
const session = new Map<string, string>();
class SessionStorage {
  constructor() {
    return strict('@zos/storage', 'SessionStorage', this);
  }
  setItem(key: unknown, value: unknown): void {
    session.set(String(key), storageValue(key, value));
  }
  getItem(key: unknown, defaultValue?: unknown): unknown {
    const json = session.get(String(key));
    return json === undefined ? defaultValue : JSON.parse(json);
  }
  removeItem(key: unknown): void {
    session.delete(String(key));
  }
  clear(): void {
    session.clear();
  }
}

// ---- @zos/ble ----------------------------------------------------------------------------------
const ble: { onData?: Fn; listeners: Fn[] } = { listeners: [] };
const bleModule = () =>
  guardModule('@zos/ble', {
    createConnect: (cb: unknown) => {
      if (typeof cb !== 'function') fail('@zos/ble createConnect needs a callback');
      ble.onData = cb as Fn;
      host('ble.connect');
    },
    disConnect: () => {
      ble.onData = undefined;
      host('ble.disconnect');
    },
    send: (data: unknown, size: unknown) => {
      if (!(data instanceof ArrayBuffer)) fail('@zos/ble send: data must be an ArrayBuffer');
      const bytes = new Uint8Array(data as ArrayBuffer, 0, typeof size === 'number' ? size : undefined);
      return host<boolean>('ble.send', { hex: toHex(bytes) });
    },
    connectStatus: () => host<boolean>('ble.status'),
    addListener: (cb: unknown) => {
      if (typeof cb === 'function') ble.listeners.push(cb as Fn);
    },
    removeListener: () => void (ble.listeners = []),
  });

/** `@zos/ble/TransferFile` (not in the typings; zml's app.js constructs it): inbox events only. */
class TransferFile {
  inbox = Object.assign(new EventBus(), { getNextFile: () => null });
  outbox = {
    enqueueFile: () => missing('@zos/ble/TransferFile', 'outbox.enqueueFile'),
  };
}

// ---- @zos/app messages (zml BasePage.request: onMessage / postMessage / offMessage) ----------------
const appMessages = new Map<string, Fn[]>();

// ---- modules -----------------------------------------------------------------------------------
const display = (op: string) => (arg?: unknown) => host<Json>('display', { op, arg: (arg ?? null) as Json });

function makeModules(): Record<string, () => Obj> {
  const screenShape = { SCREEN_SHAPE_ROUND: 1, SCREEN_SHAPE_SQUARE: 2 };
  return {
    '@zos/ui': uiModule,
    '@zos/interaction': interaction,
    '@zos/ble': bleModule,
    '@zos/ble/TransferFile': () => TransferFile as unknown as Obj,
    '@zos/sensor': () =>
      guardModule('@zos/sensor', {
        ...SCENES,
        TIME_HOUR_FORMAT_12: 0,
        TIME_HOUR_FORMAT_24: 1,
        Vibrator,
        Time,
      }),
    '@zos/storage': () =>
      guardModule('@zos/storage', {
        LocalStorage,
        SessionStorage,
        localStorage: new LocalStorage(),
        sessionStorage: new SessionStorage(),
      }),
    '@zos/timer': () =>
      guardModule(
        '@zos/timer',
        {
          ...timerApi,
          // 4.0: "runs regardless of watch screen state" (typings); here it is an ordinary virtual timer.
          createSysTimer: (periodic: unknown, period: unknown, cb: unknown, arg?: unknown) =>
            setTimer(cb, period, Boolean(periodic), [arg]),
          stopTimer: (id: unknown) => clearTimer(id),
        },
        // zml's app.js reads setTimeout/clearTimeout from @zos/timer; the typings declare them as globals.
        ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'],
      ),
    '@zos/utils': () =>
      guardModule('@zos/utils', {
        EventBus,
        log: makeLogger('app'),
        px: (v: unknown) => ((v as number) * config.device.w) / config.app.designWidth,
        assets: (base: unknown) => (path: unknown) => `${String(base)}/${String(path)}`,
      }),
    '@zos/app': () =>
      guardModule(
        '@zos/app',
        {
          SCENE_APP: 1,
          SCENE_WATCHFACE: 2,
          SCENE_SETTINGS: 3,
          SCENE_AOD: 4,
          getScene: () => 1,
          getPackageInfo: () => ({
            appId: config.app.appId,
            name: config.app.appName,
            version: { code: config.app.versionCode, name: config.app.versionName },
            ...(config.app.appJson.app as Obj),
          }),
          onMessage: (name: unknown, cb: unknown) => {
            appMessages.set(String(name), [...(appMessages.get(String(name)) ?? []), cb as Fn]);
          },
          offMessage: (name: unknown) => void appMessages.delete(String(name)),
          postMessage: (name: unknown, ...args: unknown[]) => {
            for (const cb of appMessages.get(String(name)) ?? [])
              callApp(`@zos/app onMessage('${String(name)}')`, cb, undefined, name, ...args);
          },
        },
        ['onMessage', 'offMessage', 'postMessage'],
      ),
    '@zos/device': () =>
      guardModule('@zos/device', {
        ...screenShape,
        getDeviceInfo: () => ({
          width: config.device.w,
          height: config.device.h,
          screenShape:
            config.device.shape === 'round'
              ? screenShape.SCREEN_SHAPE_ROUND
              : screenShape.SCREEN_SHAPE_SQUARE,
          deviceName: config.device.name,
          keyNumber: config.device.buttons,
          deviceSource: config.device.deviceSource,
          keyType: '',
          deviceColor: 0,
        }),
      }),
    '@zos/display': () =>
      guardModule('@zos/display', {
        setWakeUpRelaunch: display('setWakeUpRelaunch'),
        setPageBrightTime: display('setPageBrightTime'),
        resetPageBrightTime: display('resetPageBrightTime'),
        pauseDropWristScreenOff: display('pauseDropWristScreenOff'),
        resetDropWristScreenOff: display('resetDropWristScreenOff'),
        pausePalmScreenOff: display('pausePalmScreenOff'),
        resetPalmScreenOff: display('resetPalmScreenOff'),
        setScreenOff: display('setScreenOff'),
        setAutoBrightness: display('setAutoBrightness'),
        getAutoBrightness: display('getAutoBrightness'),
        setBrightness: display('setBrightness'),
        getBrightness: display('getBrightness'),
      }),
    '@zos/router': () =>
      guardModule('@zos/router', {
        push: (o: unknown) => void host('router', { op: 'push', ...route(o, 'push') }),
        replace: (o: unknown) => void host('router', { op: 'replace', ...route(o, 'replace') }),
        back: () => void host('router', { op: 'back' }),
        home: () => void host('router', { op: 'home' }),
        exit: () => void host('router', { op: 'exit' }),
      }),
    '@zos/alarm': () =>
      guardModule('@zos/alarm', {
        ...enumOf(
          [
            'REPEAT_ONCE',
            'REPEAT_MINUTE',
            'REPEAT_HOUR',
            'REPEAT_DAY',
            'REPEAT_WEEK',
            'REPEAT_MONTH',
            'REPEAT_YEAR',
          ],
          0,
        ),
        ...Object.fromEntries(
          ['WEEK_MON', 'WEEK_TUE', 'WEEK_WED', 'WEEK_THU', 'WEEK_FRI', 'WEEK_SAT', 'WEEK_SUN'].map((d, i) => [
            d,
            1 << i,
          ]),
        ),
        set: (option: unknown) => host<number>('alarm.set', jsonOnly(option, '@zos/alarm set')),
        cancel: (arg: unknown) =>
          void host('alarm.cancel', { id: typeof arg === 'number' ? arg : (arg as Obj | null)?.id }),
        getAllAlarms: () => host<number[]>('alarm.all'),
      }),
    '@zos/i18n': () =>
      guardModule('@zos/i18n', {
        // The packaged assets/raw/locale/<lang>.btxt, read by the host; a missing key shows as itself.
        getText: (key: unknown) => {
          const text = config.i18n[String(key)];
          if (text === undefined)
            host('log', { level: 'warn', text: `getText: no "${String(key)}" in ${config.language}` });
          return text ?? String(key);
        },
      }),
    '@zos/settings': () =>
      guardModule('@zos/settings', {
        ...enumOf(['DATE_FORMAT_YMD', 'DATE_FORMAT_DMY', 'DATE_FORMAT_MDY']),
        TIME_FORMAT_12: 12,
        TIME_FORMAT_24: 24,
        getTimeFormat: () => 24,
        getSystemInfo: () => ({
          osVersion: config.device.zos,
          firmwareVersion: '',
          minAPI: config.device.api,
        }),
      }),
  };
}

function route(o: unknown, api: string): { url: string; params: string | null } {
  const opt = o as Obj | null;
  if (!opt || typeof opt.url !== 'string') return fail(`@zos/router ${api} needs { url }`);
  const p = opt.params;
  return {
    url: opt.url,
    params: p === undefined || p === null ? null : typeof p === 'string' ? p : JSON.stringify(p),
  };
}

function jsonOnly(o: unknown, what: string): Json {
  if (typeof o !== 'object' || o === null) return fail(`${what} needs an options object`);
  return JSON.parse(JSON.stringify(o)) as Json;
}

// ---- globals the compiled code expects ---------------------------------------------------------
interface PageState {
  options?: Obj;
  instance?: Obj;
  route: string;
}
const app: { options?: Obj; instance?: Obj } = {};
let page: PageState | undefined;

export function installWatch(): void {
  const factories = makeModules();
  const cache = new Map<string, Obj>();
  g.__$$R$$__ = (name: unknown) => {
    const key = String(name);
    const cached = cache.get(key);
    if (cached) return cached;
    const make = factories[key];
    let mod: Obj;
    if (make) mod = make();
    else if (config.typings.modules[key]) mod = guardModule(key, {});
    else return fail(`__$$R$$__('${key}'): no such module in @zeppos/device-types ${config.typings.version}`);
    cache.set(key, mod);
    return mod;
  };
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

function bleStatus(connected: boolean): void {
  for (const cb of ble.listeners) callApp('@zos/ble addListener callback', cb, undefined, connected);
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
    input.key = input.gesture = input.crown = undefined;
    input.modal = undefined;
  },
  screen: () => snapshot(),
  tap: (p) => tap(p.id as number, p.x as number, p.y as number, Boolean(p.long)),
  key: (p) => {
    if (!input.key) return { handled: false, suppressed: false };
    const r = callApp(
      'onKey callback',
      input.key,
      undefined,
      KEYS[`KEY_${String(p.key)}`],
      KEY_EVENTS[`KEY_EVENT_${String(p.event)}`],
    );
    return { handled: true, suppressed: r === true };
  },
  gesture: (p) => {
    if (!input.gesture) return { handled: false, suppressed: false };
    const r = callApp('onGesture callback', input.gesture, undefined, GESTURES[`GESTURE_${String(p.dir)}`]);
    return { handled: true, suppressed: r === true };
  },
  crown: (p) => {
    if (!input.crown) return { handled: false };
    callApp('onDigitalCrown callback', input.crown, undefined, KEYS.KEY_HOME, p.degree);
    return { handled: true };
  },
  'modal.click': (p) => {
    const m = input.modal;
    if (!m) return { handled: false };
    if (m.autoHide) host('modal', { show: false });
    callApp('createModal onClick', m.onClick, undefined, { type: MODAL[`MODAL_${String(p.button)}`] });
    return { handled: true };
  },
  'ble.data': (p) => {
    if (!ble.onData) return { delivered: false };
    const buf = fromHex(p.hex as string);
    callApp('@zos/ble createConnect callback', ble.onData, undefined, 0, buf, buf.byteLength);
    return { delivered: true };
  },
  'ble.status': (p) => bleStatus(Boolean(p.connected)),
};
