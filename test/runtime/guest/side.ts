/**
 * The phone's Side Service context: the globals zml's app-side.js reads (messaging.peerSocket,
 * settings.settingsStorage, sideService, Logger, transferFile, getApp().port2) and AppSideService.
 * Anything else the phone runtime offers (fetch, image, network) fails loudly by name.
 */
import type { GuestHandlers, SideGuestOp } from '../ops';
import { callApp, fail, fromHex, host, notModelled, refuse, toHex, type Fn, type Obj } from './bridge';
import { EventBus, makeLogger, settingsStorageApi, state } from './base';

const g = globalThis as unknown as Obj;
const socketListeners: Fn[] = [];
const settingsListeners: Fn[] = [];
const side: { options?: Obj; instance?: Obj } = {};

function unimplemented(name: string): Obj {
  return new Proxy(
    {},
    {
      get(_t, p) {
        if (typeof p !== 'string' || p === 'then') return undefined;
        return notModelled(
          `not implemented by the runtime double: side service global ${name}.${p}`,
          `side service ${name}.${p}`,
        );
      },
    },
  );
}

export function installSide(launchReasons: Obj): void {
  const settingsStorage = {
    ...settingsStorageApi(),
    addListener: (event: unknown, cb: unknown) => {
      if (event === 'change' && typeof cb === 'function') settingsListeners.push(cb as Fn);
    },
    removeListener: (event: unknown, cb?: unknown) => {
      if (event !== 'change') return;
      if (!cb) settingsListeners.length = 0;
      else {
        const i = settingsListeners.indexOf(cb as Fn);
        if (i >= 0) settingsListeners.splice(i, 1);
      }
    },
  };
  g.settings = { settingsStorage };
  g.messaging = {
    peerSocket: {
      addListener: (event: unknown, cb: unknown) => {
        if (event === 'message' && typeof cb === 'function') socketListeners.push(cb as Fn);
      },
      removeListener: () => void (socketListeners.length = 0),
      send: (buf: unknown) => {
        if (!(buf instanceof ArrayBuffer)) fail('messaging.peerSocket.send: data must be an ArrayBuffer');
        host('side.send', { hex: toHex(new Uint8Array(buf as ArrayBuffer)) });
      },
    },
  };
  const appInfo = host('side.appInfo');
  g.sideService = { appInfo, launchReasons, launchArgs: undefined };
  g.Logger = makeLogger('side');
  g.getApp = () => ({ port2: 1, _options: side.options });
  g.transferFile = {
    inbox: Object.assign(new EventBus(), { getNextFile: () => null }),
    outbox: unimplemented('transferFile.outbox'),
  };
  g.image = unimplemented('image');
  g.network = unimplemented('network');
  g.fetch = sideFetch;
  g.AppSideService = (options: unknown) => {
    if (side.options) fail('AppSideService() called twice');
    side.options = options as Obj;
  };
  state.loadingScript = true;
}

const FETCH_PAGE = 'reference/side-service-api/fetch.mdx';
const FETCH_FIELDS = ['url', 'method', 'headers', 'body'];
const pendingFetches = new Map<number, { resolve: Fn; reject: Fn }>();
let fetchIds = 0;

/**
 * fetch.mdx: a URL string is a GET; otherwise one object of which "only the url, method, headers, and
 * body attributes are supported". Anything else is refused; a body that is not a string too (the page
 * shows only JSON.stringify's text: the harsher reading). The promise settles when the host's request
 * does; `res` holds `status` (MDN's Response, which the page points to) and `body`, a string of JSON on
 * "some models" and an object on others (the host says which).
 */
function sideFetch(arg: unknown): Promise<unknown> {
  const opts: Obj = typeof arg === 'string' ? { url: arg } : (arg as Obj);
  if (typeof opts !== 'object' || opts === null)
    refuse('side service fetch: takes a URL string or one options object', 'fetch argument', FETCH_PAGE);
  for (const key of Object.keys(opts))
    if (!FETCH_FIELDS.includes(key))
      refuse(
        `side service fetch: option "${key}" is not supported (only url, method, headers and body)`,
        `fetch option "${key}"`,
        FETCH_PAGE,
      );
  if (typeof opts.url !== 'string')
    refuse('side service fetch: url must be a string', 'fetch url', FETCH_PAGE);
  const headers = (opts.headers ?? {}) as Obj;
  if (typeof headers !== 'object' || Object.values(headers).some((v) => typeof v !== 'string'))
    refuse('side service fetch: headers must be an object of strings', 'fetch headers', FETCH_PAGE);
  if (opts.body !== undefined && typeof opts.body !== 'string')
    refuse(
      'side service fetch: body must be a string (the page shows JSON.stringify)',
      'fetch body',
      FETCH_PAGE,
    );
  const id = ++fetchIds;
  return new Promise((resolve, reject) => {
    pendingFetches.set(id, { resolve: resolve as Fn, reject: reject as Fn });
    host('side.fetch', {
      id,
      url: opts.url as string,
      method: typeof opts.method === 'string' ? opts.method : 'GET',
      headers: headers as Record<string, string>,
      body: (opts.body as string | undefined) ?? null,
    });
  });
}

export const sideOps: GuestHandlers<SideGuestOp> = {
  'side.fetched': (answer) => {
    const waiting = pendingFetches.get(answer.id);
    if (!waiting) return;
    pendingFetches.delete(answer.id);
    if ('error' in answer) return void waiting.reject(new TypeError(answer.error));
    let body: unknown = answer.body;
    if (answer.asObject)
      try {
        body = JSON.parse(answer.body);
      } catch {
        // not JSON: the text as it came
      }
    waiting.resolve({ status: answer.status, body });
  },
  'side.loaded': () => {
    state.loadingScript = false;
    return { called: Boolean(side.options) };
  },
  'side.start': () => {
    if (!side.options) return fail('app-side.js did not call AppSideService()');
    const instance = Object.create(side.options) as Obj;
    side.instance = instance;
    callApp('AppSideService onInit', side.options.onInit, instance);
    callApp('AppSideService onRun', side.options.onRun, instance);
  },
  'side.destroy': () => {
    if (side.instance) callApp('AppSideService onDestroy', side.options?.onDestroy, side.instance);
  },
  'side.message': ({ hex }) => {
    const buf = fromHex(hex);
    for (const cb of [...socketListeners])
      callApp('messaging.peerSocket message listener', cb, undefined, buf);
  },
  'settings.change': (p) => {
    for (const cb of [...settingsListeners]) callApp('settingsStorage change listener', cb, undefined, p);
  },
};
