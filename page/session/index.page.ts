import { readFileSync } from '@zos/fs';
import { DONE_SPOKEN_MS, spokenAfter } from '../../core/engine/voice';
import { decodeVoice, VOICE_FILE } from '../../core/watch/voice';
import { none } from '../lib/none';
import { plainPage } from '../lib/page-shell';
import { t } from '../lib/platform';
import { sessionShell } from '../lib/session-shell';
import { voice, type Voice } from '../lib/voice';

/**
 * The session played by this page: its cues on the motor, and the phrases said with them
 * (core/engine/voice) when the voice settings say so. A watch whose wrist check proved the App Service
 * with the screen off plays it there instead (page/service-session, which this page opens).
 */
plainPage((params) =>
  sessionShell(params, false, () => {
    // page/lib/voice-settings written out: a function of its own is 26 B more than this page has room for.
    let text: string | undefined;
    try {
      // undefined when there is no file: the default.
      text = readFileSync({ path: VOICE_FILE, options: { encoding: 'utf8' } }) as string;
    } catch {
      // Unreadable: the default.
    }
    const spoken = decodeVoice(text);
    // The speaker, when the phrases are on (made as this page starts the session: never on the way
    // through to page/service-session, nor for a session without phrases).
    const speech: Voice | undefined = spoken.on ? voice(t('voice.folder'), spoken.volume) : undefined;
    return {
      changed: none,
      opened: none,
      finished: none,
      played(cue, flow) {
        const phrase = speech && flow ? spokenAfter(flow.session, cue, spoken.breaths) : null;
        if (phrase) speech!.say(phrase);
      },
      // "Well done" heard whole at the end of a completed session: leaving the page stops the player.
      doneMs: speech?.speaker ? DONE_SPOKEN_MS : 0,
      stopped: speech ? speech.stop : none,
    };
  }),
);
