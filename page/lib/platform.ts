import { getDeviceInfo, SCREEN_SHAPE_ROUND } from '@zos/device';
import { getText } from '@zos/i18n';
import { LocalStorage } from '@zos/storage';
import type { KeyValueStore } from '../../core/base/kv';
import { layoutFor, type Layout } from '../../core/screens/layout';
import { translator, type Translate } from '../../core/base/i18n';

/** LocalStorage as core's string store: values are JSON text we encode ourselves. */
export function watchStore(): KeyValueStore {
  const storage = new LocalStorage();
  return {
    get(key) {
      const value = storage.getItem(key) as unknown;
      return typeof value === 'string' ? value : undefined;
    },
    set(key, value) {
      storage.setItem(key, value);
    },
    remove(key) {
      storage.removeItem(key);
    },
  };
}

export function screenLayout(): Layout {
  const info = getDeviceInfo();
  const round = info.screenShape === SCREEN_SHAPE_ROUND;
  return layoutFor({
    width: info.width,
    height: info.height,
    round,
    cornerRadius: round ? 0 : cornerRadiusOf(info.width, info.height),
  });
}

/**
 * getDeviceInfo gives no corner radius: the build writes each square target screen's radius from the
 * device catalog into the code. A square screen it does not know (a newer watch) is given a quarter of
 * its width, more than any catalog screen has (at most 0.245).
 */
function cornerRadiusOf(width: number, height: number): number {
  return __SCREEN_CORNERS__[`${width}x${height}`] ?? Math.round(width / 4);
}

export const t: Translate = translator((key) => getText(key) as string);

export { watchClock } from './clock';
