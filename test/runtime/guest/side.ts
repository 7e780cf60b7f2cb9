/**
 * The phone's Side Service context: the globals zml's app-side.js reads (messaging.peerSocket,
 * settings.settingsStorage, sideService, Logger, transferFile, getApp().port2) and AppSideService.
 * Anything else the phone runtime offers (fetch, image, network) fails loudly by name.
 */
import type { GuestHandlers, SideGuestOp } from '../ops';
import { callApp, fail, fromHex, host, notModelled, toHex, type Fn, type Obj } from './bridge';
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
  g.fetch = () =>
    notModelled(
      'not implemented by the runtime double: side service fetch() (reference/side-service-api/fetch.mdx)',
      'side service fetch',
    );
  g.AppSideService = (options: unknown) => {
    if (side.options) fail('AppSideService() called twice');
    side.options = options as Obj;
  };
  state.loadingScript = true;
}

export const sideOps: GuestHandlers<SideGuestOp> = {
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
