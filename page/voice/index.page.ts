import { readFileSync, writeFileSync } from '@zos/fs';
import { createWidget, deleteWidget, widget } from '@zos/ui';
import { runProgram, type Run } from '../../core/base/program';
import {
  voicePicture,
  voiceProgram,
  voiceView,
  type VoiceEffect,
  type VoiceEvent,
  type VoiceModel,
} from '../../core/screens/voice';
import { decodeVoice, VOICE_FILE } from '../../core/watch/voice';
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
  let settings: string | undefined;
  try {
    settings = readFileSync({ path: VOICE_FILE, options: UTF8 }) as string | undefined;
  } catch {
    settings = undefined;
  }
  const kept = decodeVoice(settings);
  const speech = voice(t('voice.folder'), kept.volume);
  let run: Run<VoiceModel, VoiceEvent> | undefined;
  let picture: { src: string; widget: unknown } | undefined;

  const interpret = (effect: VoiceEffect): void => {
    switch (effect.type) {
      case 'save':
        return writeFileSync({ path: VOICE_FILE, data: effect.text, options: UTF8 });
      case 'say':
        speech.volume(effect.volume);
        return speech.say({ say: effect.clips, ahead: null });
    }
  };
  const show = (model: VoiceModel): void => {
    const { src, box } = voicePicture(model, layout);
    if (picture?.src === src) return;
    if (picture) deleteWidget(picture.widget);
    picture = { src, widget: createWidget(widget.IMG, { ...box, src }) };
  };
  const draw = (model: VoiceModel): void => {
    renderer.render(voiceView(model, layout, t));
    show(model);
  };
  const renderer = createRenderer((tap: VoiceEvent) => run?.dispatch(tap), boxesMeet);

  return {
    start() {
      run = runProgram(voiceProgram(kept, speech.speaker), interpret, draw);
    },
    stop() {
      run?.stop();
      speech.stop();
      renderer.clear();
      if (picture) deleteWidget(picture.widget);
      picture = undefined;
    },
  };
}

plainPage(() => voicePage());
