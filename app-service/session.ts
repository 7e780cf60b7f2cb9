import { pathOf } from '../core/base/routes';
import { exit } from '@zos/app-service';
import { readFileSync, writeFileSync } from '@zos/fs';
import { getText } from '@zos/i18n';
import { notify } from '@zos/notification';
import { getSystemInfo } from '@zos/settings';
import { createSysTimer, stopTimer } from '@zos/timer';
import { translator } from '../core/base/i18n';
import { hapticsFor } from '../core/engine/haptics';
import { mount, type Run, type Source, type SubOf } from '../core/base/program';
import type { SessionFlow, SessionFlowEvent } from '../core/engine/session-flow';
import { serviceProgram, type ServiceEffect } from '../core/engine/service-flow';
import { summaryOfSession } from '../core/engine/session-record';
import type { CueKind } from '../core/engine/timeline';
import { summaryParamsOf } from '../core/screens/summary';
import { DONE_SPOKEN_MS, spokenAfter, spokenOnTakeover, type BreathVoice } from '../core/engine/voice';
import {
  decodeHandover,
  HANDBACK_PATH,
  HANDOVER_PATH,
  handoverForms,
  handoverHeartRate,
  PROBE_PATH,
  probeOf,
} from '../core/watch/service';
import { decodeVoice, VOICE_FILE } from '../core/watch/voice';
import { watchClock } from '../page/lib/clock';
import { heartRate } from '../page/lib/heart-rate';
import { screenLit } from '../page/lib/wake';
import { probeProgram } from '../core/watch/probe';
import { motor } from '../page/lib/vibration';
import { voice, type Voice } from '../page/lib/voice';

/**
 * The session in the App Service (core/watch/service): the page's own engine (session-flow), as
 * core/engine/service-flow's program through the one runner (core/base/program), on the one timer a
 * service has, `createSysTimer`, which runs whatever the screen does. It reads the page's
 * hand-over, plays the cues, measures heart rate near the end when core says so, and at the end asks
 * for the pain rating with a notification whose button opens the summary. The page logs the session
 * from its running keys; the service hands back only the end reading (core/watch/service).
 */
const clock = watchClock();
const now = (): number => clock.now();
const t = translator((key) => getText(key) as string);
let run: Run<SessionFlow, SessionFlowEvent> | undefined;
/** The wrist check's probe, when that is what this service runs. */
let probing: { stop(): void } | undefined;
let opened: SessionFlow | undefined;
/** The session as the service holds it now (core/engine/service-flow). */
const flow = (): SessionFlow => (run ? run.model : opened!);
const wrist = motor();
/** The phrases spoken with the cues (core/engine/voice), when the voice settings say so. */
let speech: Voice | undefined;
let breaths: BreathVoice = 'first';

/**
 * The `wake` subscription in the service: one `createSysTimer`, which fires whatever the screen does
 * (a page's setTimeout does not run with the screen off). The screen's state goes with it (the probe
 * plays only in the dark; the session's flow, never stored, has no use for it).
 */
const sysWake: Source<SubOf<'wake'>, { type: 'wake'; now: number; lit: boolean }> = (sub, dispatch) => {
  const id = createSysTimer(false, Math.max(0, sub.at - now()), () =>
    dispatch({ type: 'wake', now: now(), lit: screenLit() }, sub),
  );
  return () => stopTimer(id);
};

/** A /data file's text, or undefined when there is none. */
function readText(path: string): string | undefined {
  try {
    return readFileSync({ path, options: { encoding: 'utf8' } }) as string | undefined;
  } catch {
    return undefined;
  }
}

/** The phrase of the cue just played (or taken over), with it: the session is the one after it. */
function say(cue: CueKind): void {
  const spoken = speech ? spokenAfter(flow().session, cue, breaths) : null;
  if (spoken) speech?.say(spoken);
}

/**
 * The end reading, by the two ways the docs leave: a /data file, written only if the screen is off
 * (Screen sensor 2: a service's writes are allowed only then, AS2), and the notification's param.
 */
function handBack(params: string): void {
  try {
    if (!screenLit()) writeFileSync({ path: HANDBACK_PATH, data: params, options: { encoding: 'utf8' } });
  } catch {
    // No file: the notification's param still carries it, else the log says "not measured".
  }
}

function carryOut(effect: ServiceEffect): void {
  switch (effect.type) {
    case 'play':
      wrist.play(effect.pattern);
      return say(effect.cue);
    case 'takenOver': {
      if (effect.cue) return say(effect.cue);
      // Started just after the page played a cue (a new session's first, a resume's): its phrase now.
      const spoken = speech ? spokenOnTakeover(flow().session, now(), breaths) : null;
      if (spoken) speech?.say(spoken);
      return;
    }
    case 'finish': {
      // The summary's params of the session as its log will say it: the page that opens logs it.
      const params = summaryParamsOf(summaryOfSession(effect.session, effect.meta), true);
      if (effect.meta.hrEnd !== undefined) handBack(params);
      notify({
        title: t('service.doneTitle'),
        content: t('service.doneContent'),
        actions: [
          {
            text: t('service.rate'),
            file: pathOf('summary'),
            param: params,
          },
        ],
      });
      return;
    }
    // After the finish, once the session-done pattern is felt whole and "Well done" heard (core: the
    // flow's wakeAt): exiting stops the motor and the speaker.
    case 'leave':
      return exit();
    // Storage (the page's), the screen and the question are a page's: a service has none of them (and
    // only a page's commands change a session).
    case 'persist':
    case 'keepAwake':
    case 'askEnd':
    case 'changed':
      return;
  }
}

AppService({
  onInit() {
    // The hand-over file, not the start param: a restarted service may get no param (AS5).
    const text = readText(HANDOVER_PATH);
    const probeAt = probeOf(text);
    if (probeAt !== undefined) {
      const api = Number.parseFloat(String(getSystemInfo().minAPI));
      // The wrist check's probe (core/watch/probe): its cue played and noted only with the screen off.
      probing = mount(
        probeProgram(probeAt, hapticsFor(Number.isFinite(api) ? api : 4)),
        (effect) => {
          switch (effect.type) {
            case 'play':
              return wrist.play(effect.pattern);
            case 'noteProbe':
              try {
                writeFileSync({ path: PROBE_PATH, data: effect.text, options: { encoding: 'utf8' } });
              } catch {
                // The question is asked all the same.
              }
              return;
            case 'exit':
              return exit();
          }
        },
        undefined,
        { wake: sysWake },
      );
      return;
    }
    const running = decodeHandover(text);
    if (!running.ok || running.value.type !== 'resumable') return exit();
    const level = Number.parseFloat(String(getSystemInfo().minAPI));
    const spoken = decodeVoice(readText(VOICE_FILE));
    breaths = spoken.breaths;
    if (spoken.on) speech = voice(t('voice.folder'), spoken.volume);
    const program = serviceProgram({
      running: running.value,
      now: now(),
      utcOffsetMin: clock.utcOffsetMin(),
      haptics: hapticsFor(Number.isFinite(level) ? level : 4),
      forms: handoverForms(text),
      heartRate: handoverHeartRate(text),
      doneMs: speech ? DONE_SPOKEN_MS : 0,
    });
    // The taken-over session, until the runner holds it: the opening's own effects read it.
    opened = program.init.model;
    // The one timer, and the heart-rate sensor near the end: as the session asks (core).
    run = mount(program, carryOut, undefined, { wake: sysWake, heartRate });
  },
  onDestroy() {
    // Every timer and the sensor stop with the runs (`mount`'s stop).
    run?.stop();
    probing?.stop();
    wrist.stop();
    speech?.stop();
  },
});
