/** `@zos/ble`, host side: the frames zml's messaging sends go onto the simulated link to the phone. */
import type { Link } from '../link';
import type { HostHandlers, HostOpsOf } from '../ops';

export function bleOps(link: () => Link): HostHandlers<HostOpsOf<'ble'>> {
  return {
    'ble.connect': () => undefined,
    'ble.disconnect': () => undefined,
    'ble.send': ({ hex }) => link().fromWatch(Buffer.from(hex, 'hex')),
    'ble.status': () => link().connected,
  };
}
