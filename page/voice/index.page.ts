import { writeFileSync } from '@zos/fs';
import { mount, type Run } from '../../core/base/program';
import {
  voicePicture,
  voiceProgram,
  voiceView,
  type VoiceEffect,
  type VoiceEvent,
  type VoiceModel,
} from '../../core/screens/voice';
import { VOICE_FILE } from '../../core/watch/voice';
import { voiceSettings } from '../lib/voice-settings';
import { pictureSlot } from '../lib/picture';
import { screenLayout, t } from '../lib/platform';
import { createRenderer } from '../lib/render';
import { boxesMeet } from '../../core/screens/stacking';
import { voice } from '../lib/voice';
import { plainPage, type PageShell } from '../lib/page-shell';

const UTF8 = { encoding: 'utf8' } as const;

/**
 * Show and tell (the Voice row of Feel the cues): carries out core/screens/voice's effects, draws its
 * view, and shows the step's picture (an IMG of the package's `pictures/`, made by scripts/pictures.ts).
 */
function voicePage(): PageShell {
  const layout = screenLayout();
  const kept = voiceSettings();
  const speech = voice(t('voice.folder'), kept.volume);
  let run: Run<VoiceModel, VoiceEvent> | undefined;
  // The step's picture, above the view.
  const picture = pictureSlot();

  const interpret = (effect: VoiceEffect): void => {
    switch (effect.type) {
      case 'save':
        return writeFileSync({ path: VOICE_FILE, data: effect.text, options: UTF8 });
      case 'say':
        speech.volume(effect.volume);
        return speech.say({ say: effect.clips, ahead: null });
    }
  };
  const draw = (model: VoiceModel): void => {
    renderer.render(voiceView(model, layout, t));
    picture(voicePicture(model, layout));
  };
  const renderer = createRenderer((tap: VoiceEvent) => run?.dispatch(tap), boxesMeet);

  return {
    start() {
      run = mount(voiceProgram(kept, speech.speaker), interpret, draw);
    },
    stop() {
      run?.stop();
      speech.stop();
      renderer.clear();
      picture(null);
    },
  };
}

plainPage(voicePage);
