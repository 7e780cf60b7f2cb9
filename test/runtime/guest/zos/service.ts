/**
 * The App Service modules and what a page uses to reach one: `@zos/app-service` (start, stop,
 * getAllAppServices, exit), `@zos/notification` (notify), `@zos/fs` (the Mini Program's /data files,
 * held by the host: they outlive the app and the service) and the permission calls of `@zos/app`. A
 * callback the system calls later (complete_func, requestPermission's callback) is kept here and called
 * by the host through the `callback` op.
 */
import type { GuestHandlers } from '../../ops';
import {
  callApp,
  config,
  fail,
  guardModule,
  host,
  notModelled,
  refuse,
  toJson,
  type Fn,
  type Obj,
} from '../bridge';

const NOTIFY = 'notification/notify';

const callbacks = new Map<number, { label: string; fn: Fn }>();
let nextCallback = 0;

/** Keeps `fn` for the host to call later; returns its id. */
export function keepCallback(label: string, fn: unknown): number {
  if (typeof fn !== 'function') return fail(`${label} must be a function`);
  const id = ++nextCallback;
  callbacks.set(id, { label, fn: fn as Fn });
  return id;
}

/**
 * Drops a kept callback the host will never call (its event cancelled, as a stopped player's are), so
 * that what it holds is not counted as the app's heap.
 */
export function forgetCallback(id: number): void {
  callbacks.delete(id);
}

export const callbackOps: GuestHandlers<'callback'> = {
  callback: ({ id, arg }) => {
    const kept = callbacks.get(id);
    if (!kept) return;
    callbacks.delete(id);
    callApp(kept.label, kept.fn, undefined, arg);
  },
};

/** The options object of `api` (its reference `page`), with the fields the page marks required. */
function options(o: unknown, api: string, required: readonly string[], page: string): Obj {
  if (typeof o !== 'object' || o === null)
    return refuse(`${api} needs an options object`, 'no options', page);
  const opt = o as Obj;
  for (const r of required)
    if (opt[r] === undefined)
      refuse(`${api}: "${r}" is required (its reference page marks it Y)`, `required "${r}" missing`, page);
  return opt;
}

/** The app.json modules of the package (pages, App Services). */
const appModule = (): { page?: { pages?: string[] }; 'app-service'?: { services?: string[] } } =>
  config.app.appJson.module ?? {};

export const appServiceModule = (): Obj =>
  guardModule('@zos/app-service', {
    start: (o: unknown) => {
      const opt = options(o, '@zos/app-service start', ['file', 'complete_func'], 'app-service/start');
      if (typeof opt.file !== 'string')
        return refuse(
          '@zos/app-service start: file must be a string',
          'a file that is not a string',
          'app-service/start',
        );
      if (opt.param !== undefined && typeof opt.param !== 'string')
        return refuse(
          '@zos/app-service start: param must be a string',
          'a param that is not a string',
          'app-service/start',
        );
      const complete = keepCallback('@zos/app-service start complete_func', opt.complete_func);
      return host('service.start', {
        file: opt.file,
        param: (opt.param as string | undefined) ?? null,
        reload: opt.reload === undefined ? true : Boolean(opt.reload),
        complete,
      });
    },
    stop: (o: unknown) => {
      const opt = options(o, '@zos/app-service stop', ['file', 'complete_func'], 'app-service/stop');
      const complete = keepCallback('@zos/app-service stop complete_func', opt.complete_func);
      return host('service.stop', { file: String(opt.file), complete });
    },
    getAllAppServices: () => host('service.all'),
    exit: () => {
      if (config.role !== 'service')
        return refuse(
          '@zos/app-service exit is called in an App Service (app-service/exit)',
          'exit outside an App Service',
          'app-service/exit',
        );
      host('service.exit');
    },
  });

export const notificationModule = (): Obj =>
  guardModule('@zos/notification', {
    notify: (o: unknown) => {
      const opt = options(o, '@zos/notification notify', ['title', 'content', 'actions'], NOTIFY);
      if (!Array.isArray(opt.actions))
        return refuse(
          '@zos/notification notify: actions must be an array',
          'actions that are not an array',
          NOTIFY,
        );
      const actions = (opt.actions as unknown[]).map((item) => {
        const a = (typeof item === 'object' && item !== null ? item : {}) as Obj;
        if (typeof a.text !== 'string' || typeof a.file !== 'string')
          return refuse(
            '@zos/notification notify: every action needs text and file (notification/notify "Action")',
            'an action without text or file',
            NOTIFY,
          );
        for (const k of Object.keys(a))
          if (!['text', 'file', 'param'].includes(k))
            refuse(
              `@zos/notification notify: action field "${k}" is not listed (text, file, param)`,
              `action field "${k}" not listed`,
              NOTIFY,
            );
        if (a.param !== undefined && typeof a.param !== 'string')
          refuse(
            '@zos/notification notify: an action\'s param is a string (notification/notify "Action")',
            'an action param that is not a string',
            NOTIFY,
          );
        // "The App Service file to be started" (notify); the system-notification guide's actions also open pages.
        const files = [...(appModule().page?.pages ?? []), ...(appModule()['app-service']?.services ?? [])];
        if (!files.includes(a.file))
          refuse(
            `@zos/notification notify: action file "${a.file}" is neither a page nor an App Service of app.json (${NOTIFY}; guides/framework/device/system-notification.md)`,
            'an action file that is neither a page nor an App Service of app.json',
            NOTIFY,
          );
        return { text: a.text, file: a.file, ...(a.param !== undefined ? { param: a.param as string } : {}) };
      });
      // The table gives 0 default, 1 beep, 2 birdsong, 3 drumbeat, 4 gentle, 5 buzz; no other value.
      if (
        opt.vibrate !== undefined &&
        !(Number.isInteger(opt.vibrate) && (opt.vibrate as number) >= 0 && (opt.vibrate as number) <= 5)
      )
        refuse(
          `@zos/notification notify: vibrate ${String(opt.vibrate)} is not one of the values its table gives (0 default, 1 beep, 2 birdsong, 3 drumbeat, 4 gentle, 5 buzz)`,
          `vibrate ${String(opt.vibrate)}, not one of 0–5`,
          NOTIFY,
        );
      return host('notification.notify', {
        title: String(opt.title),
        content: String(opt.content),
        actions,
        ...(typeof opt.vibrate === 'number' ? { vibrate: opt.vibrate } : {}),
      });
    },
  });

const pathOf = (o: unknown, api: string): string => {
  const p = typeof o === 'string' ? o : (o as Obj | null)?.path;
  if (typeof p !== 'string' || p === '') return refuse(`${api} needs a path`, 'no path', `fs/${api}`);
  return p;
};

export const fsModule = (): Obj =>
  guardModule('@zos/fs', {
    writeFileSync: (o: unknown) => {
      const opt = options(o, '@zos/fs writeFileSync', ['path', 'data'], 'fs/writeFileSync');
      if (typeof opt.data !== 'string')
        return notModelled(
          '@zos/fs writeFileSync: the double holds text files only (data as a string, utf8)',
          '@zos/fs writeFileSync of binary data',
        );
      host('fs.write', { path: pathOf(opt, 'writeFileSync'), data: opt.data });
    },
    readFileSync: (o: unknown) => {
      const opt = options(o, '@zos/fs readFileSync', ['path'], 'fs/readFileSync');
      const enc = (opt.options as Obj | undefined)?.encoding;
      if (enc !== 'utf8')
        return notModelled(
          '@zos/fs readFileSync: the double reads text only; pass options: { encoding: "utf8" }',
          '@zos/fs readFileSync of binary data',
        );
      const r = host('fs.read', { path: pathOf(opt, 'readFileSync') });
      return r.data ?? undefined;
    },
    rmSync: (o: unknown) => host('fs.rm', { path: pathOf(o, 'rmSync') }),
  });

/** `@zos/app` queryPermission/requestPermission: the user's answer is the host's (BootOptions.backgroundPermission). */
export const permissionApi = {
  queryPermission: (o: unknown) => {
    const opt = options(o, '@zos/app queryPermission', ['permissions'], 'app/queryPermission');
    return host('permission.query', { permissions: toJson(opt.permissions) });
  },
  requestPermission: (o: unknown) => {
    const opt = options(
      o,
      '@zos/app requestPermission',
      ['permissions', 'callback'],
      'app/requestPermission',
    );
    const cb = keepCallback('@zos/app requestPermission callback', opt.callback);
    return host('permission.request', { permissions: toJson(opt.permissions), callback: cb });
  },
};
