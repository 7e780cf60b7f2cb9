import {
  pauseDropWristScreenOff,
  pausePalmScreenOff,
  resetDropWristScreenOff,
  resetPageBrightTime,
  resetPalmScreenOff,
  setPageBrightTime,
  setWakeUpRelaunch,
} from '@zos/display';

/**
 * A Mini Program is closed 10 s after its screen goes off. During a session the page keeps the screen
 * lit for the time left, ignores wrist-drop and palm-cover screen-off, and asks to be relaunched on
 * the same page if the system closes it anyway. `release` puts every setting back.
 */
export const keepAwake = {
  hold(ms: number): void {
    setPageBrightTime({ brightTime: ms });
    pauseDropWristScreenOff({ duration: 0 });
    pausePalmScreenOff({ duration: 0 });
    setWakeUpRelaunch({ relaunch: true });
  },
  release(): void {
    resetPageBrightTime();
    resetDropWristScreenOff();
    resetPalmScreenOff();
    setWakeUpRelaunch({ relaunch: false });
  },
};
