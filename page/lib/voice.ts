import { create, id } from '@zos/media';
import { none } from './none';
import {
  speak,
  SPEAKER_IDLE,
  type SpeakerCommand,
  type SpeakerEvent,
  type Spoken,
} from '../../core/engine/voice';

/** The speaker a session plays its phrases on, or silence. */
export interface Voice {
  /** The player could be made (the watch has a speaker). */
  readonly speaker: boolean;
  say(spoken: Spoken): void;
  volume(level: number): void;
  stop(): void;
}

/**
 * The watch's speaker (`@zos/media` Player): carries out core/engine/voice's commands, the clips read
 * from `assets/<folder>/<clip>.mp3` (`folder`: the language's, from its catalogue). A watch without a
 * speaker (create throws), a missing or unreadable file (PREPARE false) or any throw of the player
 * leaves the session as it is: the vibration is the cue, the voice only goes with it.
 */
export function voice(folder: string, volume: number): Voice {
  let player: ReturnType<typeof create> | undefined;
  try {
    player = create(id.PLAYER);
    player.setVolume(volume);
  } catch {
    player = undefined;
  }
  const p = player;
  if (!p) return { speaker: false, say: none, volume: none, stop: none };
  let speaker = SPEAKER_IDLE;
  const carry = (c: SpeakerCommand): void => {
    try {
      if (c.type === 'start') return p.start();
      p.stop();
      if (c.type === 'load') {
        p.setSource(p.source.FILE, { file: `${folder}/${c.clip}.mp3` });
        p.prepare();
      }
    } catch {
      // A clip the player refuses is skipped, as one it cannot prepare.
      if (c.type !== 'stop') step({ type: 'prepared', ok: false });
    }
  };
  const step = (event: SpeakerEvent): void => {
    const next = speak(speaker, event);
    speaker = next.speaker;
    next.commands.forEach(carry);
  };
  p.addEventListener(p.event.PREPARE, (ok) => step({ type: 'prepared', ok: ok === true }));
  p.addEventListener(p.event.COMPLETE, () => step({ type: 'complete' }));
  return {
    speaker: true,
    say: (spoken) => step({ type: 'cue', ...spoken }),
    volume(level) {
      try {
        p.setVolume(level);
      } catch {
        // The volume stays as it was.
      }
    },
    stop() {
      speaker = SPEAKER_IDLE;
      try {
        p.stop();
      } catch {
        // Nothing more to stop.
      }
    },
  };
}
