import { mount, type Run } from '../../core/base/program';
import { hapticsFor } from '../../core/engine/haptics';
import {
  cuesProgram,
  cuesView,
  type CuesEffect,
  type CuesEvent,
  type CuesModel,
} from '../../core/screens/cues';
import { changeOnWatch } from '../../core/watch/edits';
import { loadPrescription } from '../../core/watch/prescription';
import { apiLevel } from '../lib/api-level';
import { screenLayout, t, watchClock, watchStore } from '../lib/platform';
import { createRenderer } from '../lib/render';
import { boxesMeet } from '../../core/screens/stacking';
import { open } from '../lib/router';
import { motor } from '../lib/vibration';
import { plainPage, type PageShell } from '../lib/page-shell';

/**
 * "Feel the cues": carries out core/screens/cues' effects and draws its view. It talks to nobody: a new
 * strength is kept as a change made on the watch, sent by the next page that reaches the phone.
 */
function cuesPage(): PageShell {
  const store = watchStore();
  const clock = watchClock();
  const layout = screenLayout();
  const wrist = motor();
  let run: Run<CuesModel, CuesEvent> | undefined;

  const interpret = (effect: CuesEffect): void => {
    switch (effect.type) {
      case 'play':
        return wrist.play(effect.pattern);
      case 'saveStrength':
        changeOnWatch(store, { strength: effect.strength }, clock.now());
        return;
      case 'openCheck':
        return open({ page: 'check', above: true });
      case 'openVoice':
        return open({ page: 'voice', above: true });
    }
  };
  const draw = (model: CuesModel): void =>
    renderer.render(cuesView(model.playing, model.strength, layout, t));
  const renderer = createRenderer((tap: CuesEvent) => run?.dispatch(tap), boxesMeet);

  return {
    start() {
      const { strength } = loadPrescription(store, clock.now()).prescription;
      run = mount(cuesProgram(strength, hapticsFor(apiLevel())), interpret, draw);
    },
    stop() {
      run?.stop();
      wrist.stop();
      renderer.clear();
    },
  };
}

plainPage(cuesPage);
