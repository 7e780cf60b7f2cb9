import { createWidget, widget } from '@zos/ui';
import { Vibrator, VIBRATOR_SCENE_SHORT_MIDDLE } from '@zos/sensor';

// The floor page (bench/footprint.ts): the least a watch page that shows something and cues the wrist
// can be. One TEXT widget and one vibration; every figure of ours is read against it.
Page({
  build() {
    createWidget(widget.TEXT, {
      x: 0,
      y: 200,
      w: 480,
      h: 80,
      text: 'Decompress',
      text_size: 36,
      color: 0xffffff,
    });
    const vibrator = new Vibrator();
    vibrator.setMode({ mode: VIBRATOR_SCENE_SHORT_MIDDLE });
    vibrator.start();
  },
});
