/** `@zos/ble` (the frames zml's messaging sends and receives) and `@zos/ble/TransferFile` (zml builds its inbox). */
import {
  callApp,
  fail,
  fromHex,
  guardModule,
  host,
  missing,
  toHex,
  type Fn,
  type Json,
  type Obj,
} from '../bridge';
import { EventBus } from '../base';

const ble: { onData?: Fn; listeners: Fn[] } = { listeners: [] };

export const bleModule = (): Obj =>
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
    // "Cancel connection status listening callback function", no argument: every one registered goes.
    removeListener: () => {
      ble.listeners = [];
    },
  });

/** `@zos/ble/TransferFile` (not in the typings; zml's app.js constructs it): inbox events only. */
export class TransferFile {
  inbox = Object.assign(new EventBus(), { getNextFile: () => null });
  outbox = {
    enqueueFile: () => missing('@zos/ble/TransferFile', 'outbox.enqueueFile'),
  };
}

/** Host → watch: a frame from the phone, and the link coming or going. */
export const bleOps: Record<string, (p: Obj) => Json | void> = {
  'ble.data': (p) => {
    if (!ble.onData) return { delivered: false };
    const buf = fromHex(p.hex as string);
    callApp('@zos/ble createConnect callback', ble.onData, undefined, 0, buf, buf.byteLength);
    return { delivered: true };
  },
  'ble.status': (p) => {
    for (const cb of ble.listeners)
      callApp('@zos/ble addListener callback', cb, undefined, Boolean(p.connected));
  },
};
