import {
  Vibrator,
  VIBRATOR_SCENE_DURATION,
  VIBRATOR_SCENE_DURATION_LONG,
  VIBRATOR_SCENE_SHORT_LIGHT,
  VIBRATOR_SCENE_SHORT_MIDDLE,
  VIBRATOR_SCENE_SHORT_STRONG,
} from '@zos/sensor';
import { renderSequence, renderTimed, type VibratorSceneName } from '../../core/engine/haptics';
import type { Strength } from '../../core/plan/prescription';
import type { CueKind } from '../../core/engine/timeline';

const SCENES: { readonly [S in VibratorSceneName]: number } = {
  VIBRATOR_SCENE_SHORT_LIGHT,
  VIBRATOR_SCENE_SHORT_MIDDLE,
  VIBRATOR_SCENE_SHORT_STRONG,
  VIBRATOR_SCENE_DURATION,
  VIBRATOR_SCENE_DURATION_LONG,
};

/** Scene sequences (`start([...])`) arrived with API 3.6; below it we time setMode/start/stop ourselves. */
export const SEQUENCE_API = 3.6;

/**
 * Plays a cue's pattern on the wrist motor. The in-pattern timers of the 3.0–3.5 fallback last at most
 * a couple of seconds and never carry a cue deadline: those stay on the session's single clock.
 */
export function cuePlayer(api: number): { play(kind: CueKind, strength: Strength): void; stop(): void } {
  const vibrator = new Vibrator();
  let timers: number[] = [];
  const cancel = (): void => {
    for (const id of timers) clearTimeout(id);
    timers = [];
  };
  return {
    play(kind, strength) {
      cancel();
      vibrator.stop();
      if (api >= SEQUENCE_API) {
        const types = vibrator.getType() as unknown as Record<string, number>;
        vibrator.start(
          renderSequence(kind, strength).map((a) =>
            a.duration === undefined
              ? { type: types[a.type]! }
              : { type: types[a.type]!, duration: a.duration },
          ),
        );
        return;
      }
      const calls = renderTimed(kind, strength);
      const run = (atMs: number): void => {
        for (const c of calls.filter((x) => x.atMs === atMs)) {
          if (c.type === 'stop') vibrator.stop();
          else if (c.type === 'setMode') vibrator.setMode({ mode: SCENES[c.scene] });
          else vibrator.start();
        }
      };
      for (const at of [...new Set(calls.map((c) => c.atMs))]) {
        if (at === 0) run(0);
        else timers.push(setTimeout(() => run(at), at) as unknown as number);
      }
    },
    stop() {
      cancel();
      vibrator.stop();
    },
  };
}
