import { getPackageInfo, getPerformance } from '@zos/app';
import { getDeviceInfo } from '@zos/device';
import {
  KEY_BACK,
  KEY_DOWN,
  KEY_HOME,
  KEY_SELECT,
  KEY_SHORTCUT,
  KEY_UP,
  offKey,
  onKey,
} from '@zos/interaction';
import { resetPageBrightTime, setPageBrightTime, setWakeUpRelaunch } from '@zos/display';
import { writeFileSync } from '@zos/fs';
import { mount, type Run, type Sources } from '../../core/base/program';
import { hapticsFor } from '../../core/engine/haptics';
import { decodeAnswer, readProfileAnswer } from '../../core/link/protocol';
import { encodeProfile } from '../../core/link/watch-profile';
import {
  CHECK_PROGRESS_KEY,
  checkProgram,
  checkView,
  CHECK_BRIGHT_MS,
  DARK_BRIGHT_MS,
  type CheckEffect,
  type CheckEvent,
  type CheckModel,
  type CheckSub,
  type CheckTap,
} from '../../core/screens/wrist-check';
import { loadPrescription } from '../../core/watch/prescription';
import {
  CHECK_OFFERED_KEY,
  loadProfile,
  PROFILE_SENT_KEY,
  profileToSend,
  saveProfile,
} from '../../core/watch/profile';
import { encodeProbe } from '../../core/watch/service';
import { screenModeOf, setScreenMode } from '../../core/watch/screen';
import { apiLevel } from '../lib/api-level';
import { keys } from '../lib/input';
import { litWake } from '../lib/wake';
import { none } from '../lib/none';
import { screenLayout, t, watchClock, watchStore } from '../lib/platform';
import { createRenderer } from '../lib/render';
import { boxesMeet } from '../../core/screens/stacking';
import { back } from '@zos/router';
import { open } from '../lib/router';
import { sessionService } from '../lib/service';
import { send, type Requester } from '../lib/sync';
import { motor } from '../lib/vibration';
import { voice } from '../lib/voice';
import { VOICE_FILE } from '../../core/watch/voice';
import { voiceSettings } from '../lib/voice-settings';
import { messagingPage } from '../lib/messaging-page';
import type { PageShell } from '../lib/page-shell';

const UTF8 = { encoding: 'utf8' } as const;

const KEY_NAMES: { readonly [code: number]: string } = {
  [KEY_HOME]: 'HOME',
  [KEY_SHORTCUT]: 'SHORTCUT',
  [KEY_SELECT]: 'SELECT',
  [KEY_BACK]: 'BACK',
  [KEY_UP]: 'UP',
  [KEY_DOWN]: 'DOWN',
};

/** The wrist check: carries out core/screens/wrist-check's effects and draws its view. */
function checkPage(request: Requester): PageShell {
  const store = watchStore();
  const clock = watchClock();
  const layout = screenLayout();
  const wrist = motor();
  // The voice settings kept, and the speaker they play on (none: the voice is not asked about).
  const settings = voiceSettings();
  const speech = voice(t('voice.folder'), settings.volume);
  let run: Run<CheckModel, CheckEvent> | undefined;

  const dispatch = (event: CheckEvent): void => run?.dispatch(event);
  /** Every key event of the keys step, taken, by name (the one onKey: `keys` is not asked meanwhile). */
  const sources: Sources<CheckSub, CheckEvent> = {
    wake: litWake,
    keys,
    keyNames: (_sub, send) => {
      onKey({ callback: (key) => (send({ type: 'key', key: KEY_NAMES[key] ?? String(key) }), true) });
      return offKey;
    },
  };
  const sendProfile = (text: string): void => {
    const profile = JSON.parse(text) as Parameters<typeof encodeProfile>[0];
    send(request, { v: 1, type: 'profile.put', profile }).then((body) => {
      // An older phone answers unknown_type: the profile stays unsent, to go again at the next check.
      if (decodeAnswer(body, 'profile.put', readProfileAnswer).ok) store.set(PROFILE_SENT_KEY, text);
    }, none);
  };

  const interpret = (effect: CheckEffect): void => {
    switch (effect.type) {
      case 'play':
        return wrist.play(effect.pattern);
      case 'say':
        speech.volume(effect.volume);
        return speech.say({ say: effect.clips, ahead: null });
      case 'saveVoice':
        return writeFileSync({ path: VOICE_FILE, data: effect.text, options: UTF8 });
      case 'letScreenOff':
        setPageBrightTime({ brightTime: DARK_BRIGHT_MS });
        setWakeUpRelaunch({ relaunch: true });
        return;
      case 'keepScreen':
        setPageBrightTime({ brightTime: CHECK_BRIGHT_MS });
        setWakeUpRelaunch({ relaunch: false });
        return;
      case 'startProbe': {
        const go = (): void =>
          sessionService.start(encodeProbe(effect.at), (refusal) => {
            if (refusal !== null) dispatch({ type: 'skip', now: clock.now() });
          });
        if (sessionService.permitted()) return go();
        return sessionService.ask((granted) =>
          granted ? go() : dispatch({ type: 'skip', now: clock.now() }),
        );
      }
      case 'saveProgress':
        return store.set(CHECK_PROGRESS_KEY, effect.text);
      case 'clearProgress':
        return store.remove(CHECK_PROGRESS_KEY);
      case 'saveScreen':
        return setScreenMode(store, effect.screen);
      case 'readPerformance': {
        let raw: unknown;
        try {
          raw = getPerformance();
        } catch {
          raw = null;
        }
        return dispatch({ type: 'performance', raw, now: clock.now() });
      }
      case 'save': {
        saveProfile(store, effect.profile);
        return sendProfile(encodeProfile(effect.profile));
      }
      case 'leave':
        resetPageBrightTime();
        setWakeUpRelaunch({ relaunch: false });
        // Home or Feel the cues is beneath, or nothing after a wake relaunch: then home in its place.
        return effect.home ? open({ page: 'home' }) : back();
    }
  };
  const draw = (model: CheckModel): void => renderer.render(checkView(model, layout, t, clock.now()));
  // A tap's event is stamped with the clock when it is tapped, not when the view was drawn.
  const renderer = createRenderer(
    (tap: CheckTap) => dispatch('now' in tap ? { ...tap, now: clock.now() } : tap),
    boxesMeet,
  );

  return {
    start() {
      store.set(CHECK_OFFERED_KEY, '1');
      const now = clock.now();
      const info = getDeviceInfo();
      const api = apiLevel();
      run = mount(
        checkProgram({
          watch: {
            name: String(info.deviceName),
            source: info.deviceSource,
            api,
            appId: Number((getPackageInfo() as { appId?: unknown }).appId),
            utcOffsetMin: clock.utcOffsetMin(),
          },
          haptics: hapticsFor(api),
          strength: loadPrescription(store, now).prescription.strength,
          screen: screenModeOf(store),
          now,
          progress: store.get(CHECK_PROGRESS_KEY),
          speaker: speech.speaker,
          voice: settings,
        }),
        interpret,
        draw,
        sources,
      );
      // The profile kept: one that no longer reads is quarantined (the watch counts as unchecked), one
      // made on another watch is ignored; this watch's goes to the phone again if it never got it.
      const kept = loadProfile(store, { name: String(info.deviceName), source: info.deviceSource, api }, now);
      const unsent = profileToSend(store);
      if (kept.type === 'checked' && unsent !== undefined) sendProfile(unsent);
    },
    stop() {
      run?.stop();
      wrist.stop();
      speech.stop();
      renderer.clear();
      resetPageBrightTime();
    },
  };
}

messagingPage(checkPage);
