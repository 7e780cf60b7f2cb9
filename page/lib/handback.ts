import { readFileSync } from '@zos/fs';
import type { KeyValueStore } from '../../core/base/kv';
import { decodeSummaryParams } from '../../core/screens/summary';
import { HANDBACK_PATH, takeHandback } from '../../core/watch/service';

/**
 * The App Service's end reading (core/watch/service `takeHandback`), from the notification's `param`
 * when it reached the page, or else from its file (both the summary params of the service's log),
 * written into the finished session the running keys hold, before the page logs it. The file is left:
 * the next finish replaces it, and one of a session already logged matches no start record.
 */
export function takeServiceHandback(
  store: KeyValueStore,
  clock: { readonly now: number; readonly utcOffsetMin: number },
  param?: string,
): void {
  // undefined when there is no file (fs/readFileSync: "the file failed to be read").
  const back = decodeSummaryParams(
    param || readFileSync({ path: HANDBACK_PATH, options: { encoding: 'utf8' } }),
  );
  // hrEnd is 25-250 bpm when set.
  if (back?.hrEnd) takeHandback(store, { logId: back.id, hrEnd: back.hrEnd }, clock);
}
