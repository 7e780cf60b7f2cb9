/**
 * The small modules: what the device is (`@zos/device`, `@zos/settings`), its words (`@zos/i18n`),
 * its screen (`@zos/display`), pages (`@zos/router`), alarms (`@zos/alarm`), timers (`@zos/timer`) and
 * zml's helpers (`@zos/utils`). Each call that changes the watch goes to the host.
 */
import { ALARM_REPEAT, ALARM_WEEK_DAYS } from '../../ops';
import { config, fail, guardModule, host, refuse, toJson, type Json, type Obj } from '../bridge';
import { clearTimer, EventBus, makeLogger, setTimer, timerApi } from '../base';

const optionOf = (arg: unknown): Obj => (typeof arg === 'object' && arg !== null ? (arg as Obj) : {});
/** A number the app passed, or null when it passed none (the host applies the default). */
function numberOrNull(value: unknown, what: string, page: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number')
    return refuse(`${what} must be a number, got ${typeof value}`, `${what} not a number`, page);
  return value;
}

function route(o: unknown, api: string): { url: string; params: string | null } {
  const opt = o as Obj | null;
  if (!opt || typeof opt.url !== 'string')
    return refuse(`@zos/router ${api} needs { url }`, 'no url', `router/${api}`);
  const p = opt.params;
  return {
    url: opt.url,
    params: p === undefined || p === null ? null : typeof p === 'string' ? p : JSON.stringify(p),
  };
}

function jsonOnly(o: unknown, what: string): { [key: string]: Json } {
  if (typeof o !== 'object' || o === null) return fail(`${what} needs an options object`);
  return JSON.parse(JSON.stringify(o)) as { [key: string]: Json };
}

const SCREEN_SHAPE = { SCREEN_SHAPE_ROUND: 1, SCREEN_SHAPE_SQUARE: 2 };

export const systemModules: Record<string, () => Obj> = {
  '@zos/device': () =>
    guardModule('@zos/device', {
      ...SCREEN_SHAPE,
      getDeviceInfo: () => ({
        width: config.device.w,
        height: config.device.h,
        screenShape:
          config.device.shape === 'round'
            ? SCREEN_SHAPE.SCREEN_SHAPE_ROUND
            : SCREEN_SHAPE.SCREEN_SHAPE_SQUARE,
        deviceName: config.device.name,
        keyNumber: config.device.buttons,
        deviceSource: config.device.deviceSource,
        keyType: '',
        deviceColor: 0,
      }),
    }),
  '@zos/settings': () =>
    guardModule('@zos/settings', {
      getSystemInfo: () => ({ osVersion: config.device.zos, firmwareVersion: '', minAPI: config.device.api }),
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
  '@zos/display': () =>
    guardModule('@zos/display', {
      setWakeUpRelaunch: (arg: unknown) =>
        void host('display.setWakeUpRelaunch', {
          relaunch: typeof arg === 'boolean' ? arg : Boolean(optionOf(arg).relaunch),
        }),
      setPageBrightTime: (arg: unknown) =>
        host('display.setPageBrightTime', {
          brightTime: numberOrNull(
            optionOf(arg).brightTime,
            '@zos/display setPageBrightTime brightTime',
            'display/setPageBrightTime',
          ),
        }),
      resetPageBrightTime: () => host('display.resetPageBrightTime'),
      pauseDropWristScreenOff: (arg: unknown) =>
        host('display.pauseDropWristScreenOff', {
          duration: numberOrNull(
            optionOf(arg).duration,
            '@zos/display pauseDropWristScreenOff duration',
            'display/pauseDropWristScreenOff',
          ),
        }),
      resetDropWristScreenOff: () => host('display.resetDropWristScreenOff'),
      pausePalmScreenOff: (arg: unknown) =>
        host('display.pausePalmScreenOff', {
          duration: numberOrNull(
            optionOf(arg).duration,
            '@zos/display pausePalmScreenOff duration',
            'display/pausePalmScreenOff',
          ),
        }),
      resetPalmScreenOff: () => host('display.resetPalmScreenOff'),
      setScreenOff: () => host('display.setScreenOff'),
      getBrightness: () => host('display.getBrightness'),
      setBrightness: (arg: unknown) =>
        host('display.setBrightness', {
          brightness: toJson(typeof arg === 'number' ? arg : optionOf(arg).brightness),
        }),
      getAutoBrightness: () => host('display.getAutoBrightness'),
      setAutoBrightness: (arg: unknown) =>
        void host('display.setAutoBrightness', {
          autoBright: toJson(typeof arg === 'boolean' ? arg : optionOf(arg).autoBright),
        }),
    }),
  '@zos/router': () =>
    guardModule('@zos/router', {
      push: (o: unknown) => void host('router.push', route(o, 'push')),
      replace: (o: unknown) => void host('router.replace', route(o, 'replace')),
      back: () => void host('router.back'),
    }),
  '@zos/alarm': () =>
    guardModule('@zos/alarm', {
      // The double's own numbering (../ops.ts), shared with the host's alarms.
      ...Object.fromEntries(ALARM_REPEAT.map((name, i) => [`REPEAT_${name}`, i])),
      ...Object.fromEntries(ALARM_WEEK_DAYS.map((name, i) => [`WEEK_${name}`, 1 << i])),
      set: (option: unknown) => host('alarm.set', { option: jsonOnly(option, '@zos/alarm set') }),
      cancel: (arg: unknown) =>
        void host('alarm.cancel', { id: toJson(typeof arg === 'number' ? arg : optionOf(arg).id) }),
      getAllAlarms: () => host('alarm.all'),
    }),
  '@zos/timer': () =>
    guardModule(
      '@zos/timer',
      {
        ...timerApi,
        // 4.0: "runs regardless of watch screen state" (typings); here it is an ordinary virtual timer.
        // In an App Service the host fires it whatever the screen does (zos/service.ts).
        createSysTimer: (periodic: unknown, period: unknown, cb: unknown, arg?: unknown) =>
          setTimer(cb, period, Boolean(periodic), [arg]),
        stopTimer: clearTimer,
      },
      // zml's app.js reads setTimeout/clearTimeout from @zos/timer; the typings declare them as globals.
      ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'],
    ),
  '@zos/utils': () =>
    guardModule('@zos/utils', {
      EventBus,
      log: makeLogger('app'),
      px: (v: unknown) => ((v as number) * config.device.w) / config.app.designWidth,
    }),
};
