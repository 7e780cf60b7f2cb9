import {
  Vibrator,
  VIBRATOR_SCENE_DURATION,
  VIBRATOR_SCENE_DURATION_LONG,
  VIBRATOR_SCENE_SHORT_LIGHT,
  VIBRATOR_SCENE_SHORT_MIDDLE,
  VIBRATOR_SCENE_SHORT_STRONG,
} from '@zos/sensor';
import type { RenderedCue, ScenePulse, VibratorSceneName } from '../../core/engine/haptics';

const SCENES: { readonly [S in VibratorSceneName]: number } = {
  VIBRATOR_SCENE_SHORT_LIGHT,
  VIBRATOR_SCENE_SHORT_MIDDLE,
  VIBRATOR_SCENE_SHORT_STRONG,
  VIBRATOR_SCENE_DURATION,
  VIBRATOR_SCENE_DURATION_LONG,
};

/**
 * The wrist motor: plays a pattern core has already rendered (core/engine/haptics renderCue). The
 * in-pattern timers of the 3.0–3.5 form last at most a couple of seconds and never carry a cue
 * deadline: those stay on the session's single clock. Their scenes end by themselves; `stop()` is
 * called only to end what may still play (a page leaving), never to shape a pulse.
 */
export function motor(): { play(pattern: RenderedCue): void; stop(): void } {
  const vibrator = new Vibrator();
  let timers: number[] = [];
  const cancel = (): void => {
    for (const id of timers) clearTimeout(id);
    timers = [];
  };
  const pulse = (p: ScenePulse): void => {
    vibrator.setMode({ mode: SCENES[p.scene] });
    vibrator.start();
  };
  return {
    play(pattern) {
      cancel();
      vibrator.stop();
      if (pattern.type === 'sequence') {
        const types = vibrator.getType() as unknown as Record<string, number>;
        vibrator.start(
          pattern.actions.map((a) =>
            a.duration === undefined
              ? { type: types[a.type]! }
              : { type: types[a.type]!, duration: a.duration },
          ),
        );
        return;
      }
      for (const p of pattern.pulses) {
        if (p.atMs === 0) pulse(p);
        else timers.push(setTimeout(() => pulse(p), p.atMs) as unknown as number);
      }
    },
    stop() {
      cancel();
      vibrator.stop();
    },
  };
}
