import { cuesAction, cuesView, nextStrength } from '../../core/screens/cues';
import { updatePrescription, type Strength } from '../../core/plan/prescription';
import type { CueKind } from '../../core/engine/timeline';
import { saveWatchEdit } from '../../core/watch/edits';
import { loadPrescription } from '../../core/watch/prescription';
import { apiLevel, screenLayout, t, watchClock, watchStore } from '../lib/platform';
import { exchangePrescription } from '../lib/reminders';
import { createRenderer } from '../lib/render';
import type { Requester } from '../lib/sync';
import { cuePlayer } from '../lib/vibration';
import { messagingPage, type PageShell } from '../lib/mount';

/**
 * "Feel the cues": tap a cue to feel it at the patient's strength; tap the strength to change it. A new
 * strength is used at once (it is felt on the spot) and sent to the phone like any watch-side change.
 */
function cuesPage(request: Requester): PageShell {
  const store = watchStore();
  const clock = watchClock();
  const layout = screenLayout();
  const player = cuePlayer(apiLevel());
  let strength: Strength = loadPrescription(store, clock.now()).prescription.strength;
  let playing: CueKind | null = null;

  const show = (): void => renderer.render(cuesView(playing, strength, layout, t));
  const changeStrength = (): void => {
    const now = clock.now();
    const next = updatePrescription(loadPrescription(store, now).prescription, {
      strength: nextStrength(strength),
    });
    if (!next.ok) return;
    saveWatchEdit(store, next.value, now);
    strength = next.value.strength;
    // Felt at once: a single tap is the plainest sample of a strength.
    player.play('sweepTick', strength);
    void exchangePrescription(
      request,
      store,
      () => clock.now(),
      () => undefined,
    );
  };
  const renderer = createRenderer((action) => {
    const tap = cuesAction(action);
    if (tap?.type === 'play') {
      playing = tap.cue;
      player.play(tap.cue, strength);
    } else if (tap?.type === 'strength') {
      changeStrength();
    }
    show();
  });
  return {
    start: show,
    stop() {
      player.stop();
      renderer.clear();
    },
  };
}

messagingPage((request) => cuesPage(request));
