import { getAutoBrightness, getBrightness, setAutoBrightness, setBrightness } from '@zos/display';
import type { KeyValueStore } from '../../core/base/kv';
import { moveBrightness, type Brightness, type BrightnessControl } from '../../core/watch/screen';

const control: BrightnessControl = {
  level: () => getBrightness(),
  auto: () => getAutoBrightness(),
  set: (level) => void setBrightness({ brightness: level }),
  setAuto: (auto) => setAutoBrightness({ autoBright: auto }),
};

/**
 * The screen's brightness as core/watch/screen decides it. Moves only on a change, so the page may ask
 * on every redraw; `user` also gives back a brightness a crashed run left lowered.
 */
export function brightness(store: KeyValueStore, now: () => number): { want(b: Brightness): void } {
  let current: Brightness | undefined;
  return {
    want(b) {
      if (b === current) return;
      current = b;
      // An unreadable record is quarantined by core; the screen then stays as it is.
      moveBrightness(store, control, b, now());
    },
  };
}
