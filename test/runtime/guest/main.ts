/** Entry of the prelude bundle: installs the globals for this context's role and the host → guest door. */
import { config, describeError, isRecorded, type Json, type Obj } from './bridge';
import { fireTimer, installBase } from './base';
import { installSide, sideOps } from './side';
import { installSettings, settingsOps } from './settings';
import { installService, serviceOps } from './service';
import { installWatch, watchOps } from './watch';
import { newFrame } from './ui';

const g = globalThis as unknown as Obj;
installBase();
if (config.role === 'watch') installWatch();
else if (config.role === 'service') installService();
else if (config.role === 'settings') installSettings();
else installSide((g.__launchReasons as Obj | undefined) ?? { settingsChanged: false, fileTransfer: false });

const ops: Record<string, (p: Obj) => Json | void> = {
  ...(config.role === 'watch'
    ? watchOps
    : config.role === 'service'
      ? serviceOps
      : config.role === 'settings'
        ? settingsOps
        : sideOps),
  timer: (p) => fireTimer(p.id as number),
  eval: (p) => {
    const value = (0, eval)(p.code as string) as unknown;
    return value === undefined ? null : (JSON.parse(JSON.stringify(value) ?? 'null') as Json);
  },
};

/** Returns JSON text; a throw inside comes back as {"__error": ...} so the host reports it with context. */
g.__guest = (op: string, payload: string): string => {
  const fn = ops[op];
  if (!fn) return JSON.stringify({ __error: `double bug: no guest op ${op}` });
  newFrame();
  try {
    const out = fn(payload ? (JSON.parse(payload) as Obj) : {});
    return JSON.stringify({ value: out === undefined ? null : out });
  } catch (e) {
    return JSON.stringify({ __error: describeError(e), recorded: isRecorded(e) });
  }
};
