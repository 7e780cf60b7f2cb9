/** Entry of the prelude bundle: installs the globals for this context's role and the host → guest door. */
import { dispatch, type GuestHandlers } from '../ops';
import { config, describeError, isRecorded, toJson, type Obj } from './bridge';
import { fireTimer, installBase } from './base';
import { installSide, sideOps } from './side';
import { installSettings, settingsOps } from './settings';
import { installService, serviceOps } from './service';
import { installWatch, watchOps } from './watch';
import { newFrame } from './ui';

const g = globalThis as unknown as Obj;
installBase();
// Grow QuickJS's atom table now, before the heap baseline is taken (bench/footprint.ts measures the
// app's heap above it): the table only grows, and doubling it when the app's names push the total
// over a threshold is a cost that depends on how many names the double itself holds, not on the app.
(() => {
  const names: Record<string, number> = {};
  for (let i = 0; i < 8192; i++) names[`__atom${i}`] = i;
})();
if (config.role === 'watch') installWatch();
else if (config.role === 'service') installService();
else if (config.role === 'settings') installSettings();
else installSide((g.__launchReasons as Obj | undefined) ?? { settingsChanged: false, fileTransfer: false });

const everyContext: GuestHandlers<'timer' | 'eval'> = {
  timer: ({ id }) => fireTimer(id),
  eval: ({ code }) => toJson((0, eval)(code)),
};
const ops =
  config.role === 'watch'
    ? { ...watchOps, ...everyContext }
    : config.role === 'service'
      ? { ...serviceOps, ...everyContext }
      : config.role === 'settings'
        ? { ...settingsOps, ...everyContext }
        : { ...sideOps, ...everyContext };

/** Returns JSON text; a throw inside comes back as {"__error": ...} so the host reports it with context. */
g.__guest = (op: string, payload: string): string => {
  if (!Object.prototype.hasOwnProperty.call(ops, op))
    return JSON.stringify({ __error: `double bug: no guest op ${op}` });
  newFrame();
  try {
    const out = dispatch(ops, op, payload ? JSON.parse(payload) : undefined, () => undefined);
    return JSON.stringify({ value: out === undefined ? null : out });
  } catch (e) {
    return JSON.stringify({ __error: describeError(e), recorded: isRecorded(e) });
  }
};
