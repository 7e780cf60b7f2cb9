/** `@zos/ble` (the frames zml's messaging sends and receives) and `@zos/ble/TransferFile` (zml builds its inbox). */
import { callApp, fromHex, guardModule, host, missing, refuse, toHex, type Fn, type Obj } from '../bridge';
import type { GuestHandlers } from '../../ops';
import { EventBus } from '../base';

const ble: { onData?: Fn; listeners: Fn[] } = { listeners: [] };

export const bleModule = (): Obj =>
  guardModule('@zos/ble', {
    createConnect: (cb: unknown) => {
      if (typeof cb !== 'function')
        refuse('@zos/ble createConnect needs a callback', 'no callback', 'ble/createConnect');
      ble.onData = cb as Fn;
      host('ble.connect');
    },
    disConnect: () => {
      ble.onData = undefined;
      host('ble.disconnect');
    },
    send: (data: unknown, size: unknown) => {
      if (!(data instanceof ArrayBuffer))
        refuse('@zos/ble send: data must be an ArrayBuffer', 'data that is not an ArrayBuffer', 'ble/send');
      const bytes = new Uint8Array(data as ArrayBuffer, 0, typeof size === 'number' ? size : undefined);
      return host('ble.send', { hex: toHex(bytes) });
    },
    connectStatus: () => host('ble.status'),
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
export const bleOps: GuestHandlers<'ble.data' | 'ble.statusChanged'> = {
  'ble.data': ({ hex }) => {
    if (!ble.onData) return { delivered: false };
    const buf = fromHex(hex);
    callApp('@zos/ble createConnect callback', ble.onData, undefined, 0, buf, buf.byteLength);
    return { delivered: true };
  },
  'ble.statusChanged': ({ connected }) => {
    for (const cb of ble.listeners) callApp('@zos/ble addListener callback', cb, undefined, connected);
  },
};
