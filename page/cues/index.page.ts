import { cuesView, CUE_ORDER } from '../../core/cues-screen';
import type { CueKind } from '../../core/timeline';
import { loadPrescription } from '../../core/watch-prescription';
import { apiLevel, screenLayout, t, watchClock, watchStore } from '../lib/platform';
import { createRenderer } from '../lib/render';
import { cuePlayer } from '../lib/vibration';

/** "Feel the cues": tap a cue to feel it at the patient's chosen strength. */
function cuesPage(): { start(): void; stop(): void } {
  const layout = screenLayout();
  const player = cuePlayer(apiLevel());
  const { strength } = loadPrescription(watchStore(), watchClock().now()).prescription;
  const renderer = createRenderer((action) => {
    const kind = CUE_ORDER.find((k) => k === action);
    if (!kind) return;
    player.play(kind, strength);
    show(kind);
  });
  const show = (playing: CueKind | null): void => renderer.render(cuesView(playing, layout, t));
  return {
    start: () => show(null),
    stop() {
      player.stop();
      renderer.clear();
    },
  };
}

let page: ReturnType<typeof cuesPage> | undefined;

Page({
  onInit() {
    page = cuesPage();
  },
  build() {
    page?.start();
  },
  onDestroy() {
    page?.stop();
    page = undefined;
  },
});
