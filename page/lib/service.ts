import { queryPermission, requestPermission } from '@zos/app';
import { getAllAppServices, start, stop } from '@zos/app-service';
import { writeFileSync } from '@zos/fs';
import {
  BACKGROUND_PERMISSION,
  HANDOVER_PATH,
  refusalOfStart,
  SERVICE_FILE,
  type ServiceRefusal,
} from '../../core/watch/service';

/**
 * The session page's hold on the App Service (core/watch/service): ask the background permission once,
 * hand over and start, stop. Each answer comes back through `done`: null when the service runs (or
 * stopped), else why not.
 */
export const sessionService = {
  running(): boolean {
    return getAllAppServices().includes(SERVICE_FILE);
  },

  /** app/queryPermission: 2 is "authorized". */
  permitted(): boolean {
    return queryPermission({ permissions: [BACKGROUND_PERMISSION] })[0] === 2;
  },

  /** The system's question (app/requestPermission); `done(true)` once granted. */
  ask(done: (granted: boolean) => void): void {
    const asked = requestPermission({
      permissions: [BACKGROUND_PERMISSION],
      callback: ([answer]) => done(answer === 2),
    });
    // 2: already authorised; 1: no question can be asked; 0: the answer comes to the callback.
    if (asked !== 0) done(asked === 2);
  },

  /** Writes the hand-over, then starts the service. */
  start(handover: string, done: (refusal: ServiceRefusal | null) => void): void {
    writeFileSync({ path: HANDOVER_PATH, data: handover, options: { encoding: 'utf8' } });
    // The typings say boolean; the reference's table gives numbers, 0 for success (AS3).
    const code = start({
      file: SERVICE_FILE,
      complete_func: ({ result }) => done(result ? null : 'failed'),
    }) as unknown;
    if (code !== 0 && code !== true) done(typeof code === 'number' ? refusalOfStart(code) : 'unknown');
  },

  stop(done: () => void): void {
    if (!this.running()) return done();
    stop({ file: SERVICE_FILE, complete_func: () => done() });
  },
};
