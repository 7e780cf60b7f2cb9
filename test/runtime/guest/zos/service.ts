/**
 * The App Service modules and what a page uses to reach one: `@zos/app-service` (start, stop,
 * getAllAppServices, exit), `@zos/notification` (notify), `@zos/fs` (the Mini Program's /data files,
 * held by the host: they outlive the app and the service) and the permission calls of `@zos/app`. A
 * callback the system calls later (complete_func, requestPermission's callback) is kept here and called
 * by the host through the `callback` op.
 */
import type { GuestHandlers } from '../../ops';
import { callApp, config, fail, guardModule, host, toJson, type Fn, type Obj } from '../bridge';

const callbacks = new Map<number, { label: string; fn: Fn }>();
let nextCallback = 0;

/** Keeps `fn` for the host to call later; returns its id. */
export function keepCallback(label: string, fn: unknown): number {
  if (typeof fn !== 'function') return fail(`${label} must be a function`);
  const id = ++nextCallback;
  callbacks.set(id, { label, fn: fn as Fn });
  return id;
}

export const callbackOps: GuestHandlers<'callback'> = {
  callback: ({ id, arg }) => {
    const kept = callbacks.get(id);
    if (!kept) return;
    callbacks.delete(id);
    callApp(kept.label, kept.fn, undefined, arg);
  },
};

function options(o: unknown, api: string, required: readonly string[]): Obj {
  if (typeof o !== 'object' || o === null) return fail(`${api} needs an options object`);
  const opt = o as Obj;
  for (const r of required)
    if (opt[r] === undefined) fail(`${api}: "${r}" is required (its reference page marks it Y)`);
  return opt;
}

export const appServiceModule = (): Obj =>
  guardModule('@zos/app-service', {
    start: (o: unknown) => {
      const opt = options(o, '@zos/app-service start', ['file', 'complete_func']);
      if (typeof opt.file !== 'string') return fail('@zos/app-service start: file must be a string');
      if (opt.param !== undefined && typeof opt.param !== 'string')
        return fail('@zos/app-service start: param must be a string');
      const complete = keepCallback('@zos/app-service start complete_func', opt.complete_func);
      return host('service.start', {
        file: opt.file,
        param: (opt.param as string | undefined) ?? null,
        reload: opt.reload === undefined ? true : Boolean(opt.reload),
        complete,
      });
    },
    stop: (o: unknown) => {
      const opt = options(o, '@zos/app-service stop', ['file', 'complete_func']);
      const complete = keepCallback('@zos/app-service stop complete_func', opt.complete_func);
      return host('service.stop', { file: String(opt.file), complete });
    },
    getAllAppServices: () => host('service.all'),
    exit: () => {
      if (config.role !== 'service')
        return fail('@zos/app-service exit is called in an App Service (app-service/exit)');
      host('service.exit');
    },
  });

export const notificationModule = (): Obj =>
  guardModule('@zos/notification', {
    notify: (o: unknown) => {
      const opt = options(o, '@zos/notification notify', ['title', 'content', 'actions']);
      if (!Array.isArray(opt.actions)) return fail('@zos/notification notify: actions must be an array');
      const actions = (opt.actions as unknown[]).map((item) => {
        const a = (typeof item === 'object' && item !== null ? item : {}) as Obj;
        if (typeof a.text !== 'string' || typeof a.file !== 'string')
          return fail(
            '@zos/notification notify: every action needs text and file (notification/notify "Action")',
          );
        for (const k of Object.keys(a))
          if (!['text', 'file', 'param'].includes(k))
            fail(`@zos/notification notify: action field "${k}" is not listed (text, file, param)`);
        if (a.param !== undefined && typeof a.param !== 'string')
          fail('@zos/notification notify: an action\'s param is a string (notification/notify "Action")');
        return { text: a.text, file: a.file, ...(a.param !== undefined ? { param: a.param as string } : {}) };
      });
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
  if (typeof p !== 'string' || p === '') return fail(`${api} needs a path`);
  return p;
};

export const fsModule = (): Obj =>
  guardModule('@zos/fs', {
    writeFileSync: (o: unknown) => {
      const opt = options(o, '@zos/fs writeFileSync', ['path', 'data']);
      if (typeof opt.data !== 'string')
        return fail('@zos/fs writeFileSync: the double holds text files only (data as a string, utf8)');
      host('fs.write', { path: pathOf(opt, 'writeFileSync'), data: opt.data });
    },
    readFileSync: (o: unknown) => {
      const opt = options(o, '@zos/fs readFileSync', ['path']);
      const enc = (opt.options as Obj | undefined)?.encoding;
      if (enc !== 'utf8')
        return fail('@zos/fs readFileSync: the double reads text only; pass options: { encoding: "utf8" }');
      const r = host('fs.read', { path: pathOf(opt, 'readFileSync') });
      return r.data ?? undefined;
    },
    rmSync: (o: unknown) => host('fs.rm', { path: pathOf(o, 'rmSync') }),
  });

/** `@zos/app` queryPermission/requestPermission: the user's answer is the host's (BootOptions.backgroundPermission). */
export const permissionApi = {
  queryPermission: (o: unknown) => {
    const opt = options(o, '@zos/app queryPermission', ['permissions']);
    return host('permission.query', { permissions: toJson(opt.permissions) });
  },
  requestPermission: (o: unknown) => {
    const opt = options(o, '@zos/app requestPermission', ['permissions', 'callback']);
    const cb = keepCallback('@zos/app requestPermission callback', opt.callback);
    return host('permission.request', { permissions: toJson(opt.permissions), callback: cb });
  },
};
