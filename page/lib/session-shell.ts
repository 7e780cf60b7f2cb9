import { getDeviceInfo } from '@zos/device';
import { createModal, MODAL_CONFIRM } from '@zos/interaction';
import { mount, type Run } from '../../core/base/program';
import { hapticsFor } from '../../core/engine/haptics';
import {
  sessionProgram,
  type SessionFlow,
  type SessionFlowEffect,
  type SessionFlowEvent,
} from '../../core/engine/session-flow';
import type { Session } from '../../core/engine/session';
import type { CueKind } from '../../core/engine/timeline';
import { sessionPicture, sessionScreenOf, sessionView, type SessionTap } from '../../core/screens/session';
import { painBeforeOf } from '../../core/screens/summary';
import type { KeyValueStore } from '../../core/base/kv';
import { loadPrescription } from '../../core/watch/prescription';
import { readRunningKeys } from '../../core/watch/running';
import { sessionBrightness } from '../../core/watch/screen';
import { RUNNER_KEY, runByService } from '../../core/watch/service';
import { sessionChoice, type SessionChoice } from '../../core/watch/session-path';
import { keys } from './input';
import { litWake } from './wake';
import { brightness } from './brightness';
import { keepAwake } from './keep-awake';
import { heartRate as heartRateSensor, heartRateAllowed } from './heart-rate';
import { apiLevel } from './api-level';
import { screenLayout, t, watchClock, watchStore } from './platform';
import { createRenderer } from './render';
import { boxesMeet } from '../../core/screens/stacking';
import { open } from './router';
import { pictureSlot } from './picture';
import { motor } from './vibration';
import type { PageShell } from './page-shell';

/** What a session page's own part (page/session: the voice; page/service-session: the App Service) is given. */
export interface SessionShell {
  readonly store: KeyValueStore;
  readonly clock: { now(): number };
  readonly choice: SessionChoice;
  /** Heart rate allowed (asked once): the page measures with it, and the hand-over tells the service. */
  readonly heartRate: boolean;
  /** The session as the page holds it now. */
  flow(): SessionFlow | null;
  /** The screen redrawn (from the session held now), at the brightness the path wants. */
  draw(): void;
  /** Carries out one of the flow's effects, as the page does its own. */
  interpret(effect: SessionFlowEffect): void;
}

/** The hooks each session page adds to the common shell. */
export interface SessionPart {
  /**
   * While true, another plays the cues (the App Service): the page only shows the session (no cue, no
   * screen held, the patient's brightness). A property, read at each effect: the part sets it.
   */
  viewing?: boolean;
  /** The page played this cue's pattern; `flow` is the session after it. */
  played(cue: CueKind, flow: SessionFlow | null): void;
  /** A completed session's least wait before the summary (core: the flow's `doneMs`). */
  readonly doneMs?: number;
  /** The session finished (the summary opens at the flow's `wakeAt`). */
  finished(session: Session): void;
  /** A patient's command (toggle, skip, the end answered) changed the stored session. */
  changed(after: Session): void;
  /** The session is open: a stored one picked up, or a new one started. */
  opened(flow: SessionFlow | null): void;
  stopped(): void;
}

/**
 * The session screen, shared by both session pages: carries out core/engine/session-flow's effects and
 * draws core/screens/session. `part` adds what only one of them does.
 */
export function sessionShell(
  params: string | undefined,
  servicePath: boolean,
  partOf: (shell: SessionShell) => SessionPart,
): PageShell {
  const store = watchStore();
  const clock = watchClock();
  const layout = screenLayout();
  const wrist = motor();
  const now = clock.now;
  const screen = brightness(store, now);
  // The darkest path the wrist check proved on this watch (unchecked: the page, screen dimmed).
  const choice = sessionChoice(store, getDeviceInfo().deviceSource);
  let run: Run<SessionFlow | null, SessionFlowEvent> | undefined;
  let part: SessionPart;
  // Asked once: the page measures with it, and the service's hand-over says so.
  const heartRate = heartRateAllowed();
  // The session opened, until the runner holds it: the opening's own effects (its first cue) read it.
  let opened: SessionFlow | null = null;
  const flow = (): SessionFlow | null => (run ? run.model : opened);

  const dispatch = (event: SessionFlowEvent): void => run?.dispatch(event);
  const draw = (f = flow()): void => {
    screen.want(part.viewing ? 'user' : sessionBrightness(f, choice.path));
    if (!f) return;
    const model = sessionScreenOf(f, now());
    renderer.render(sessionView(model, layout, t));
    picture(sessionPicture(model, layout));
  };
  const interpret = (effect: SessionFlowEffect): void => {
    switch (effect.type) {
      case 'play':
        if (part.viewing) return;
        wrist.play(effect.pattern);
        return part.played(effect.cue, flow());
      case 'persist':
        return store.set(effect.key, effect.text);
      case 'changed':
        return part.changed(effect.session);
      case 'keepAwake':
        if (!part.viewing && choice.path !== 'dark') keepAwake.hold(effect.ms);
        return;
      case 'askEnd':
        createModal({
          content: t('session.endConfirm'),
          autoHide: true,
          onClick: ({ type }) => dispatch({ type: 'answerEnd', now: now(), end: type === MODAL_CONFIRM }),
        });
        return;
      case 'leave':
        return open({ page: effect.to });
      case 'finish':
        // The session is stored finished (its end reading in its start record): the summary logs it
        // from the running keys, once the last cue is felt (core: the flow's wakeAt).
        store.remove(RUNNER_KEY);
        keepAwake.release();
        screen.want('user');
        return part.finished(effect.session);
    }
  };
  // The ring is drawn once and changes in place: boxes are exact enough here (core/screens/stacking).
  const renderer = createRenderer((tap: SessionTap) => dispatch({ type: tap.type, now: now() }), boxesMeet);
  // The step's picture, above the view (core/screens/session sessionPicture).
  const picture = pictureSlot();

  return {
    start() {
      // The other session page is this watch's (the choice changed, or the one opened was not the path's).
      if ((choice.path === 'service') !== servicePath)
        return open({ page: servicePath ? 'session' : 'service-session', params });
      // Made only on the page that runs the session (its voice, its hand-over): none on the way through.
      part = partOf({
        store,
        clock,
        choice,
        heartRate,
        flow,
        draw,
        interpret,
      });
      const at = now();
      const byService = runByService(store);
      const program = sessionProgram({
        running: readRunningKeys(store),
        prescription: loadPrescription(store, at).prescription,
        now: at,
        utcOffsetMin: clock.utcOffsetMin(),
        haptics: hapticsFor(apiLevel()),
        random: Math.random,
        painBefore: painBeforeOf(params),
        // Played by the App Service until now: picked up where the clock says it is.
        followClock: byService,
        forms: choice.forms,
        // Heart rate at the start and at the end of a session this page runs (core keeps which readings).
        heartRate,
        doneMs: part.doneMs,
      });
      opened = program.init.model;
      // The one timer, the buttons and swipes, the heart-rate sensor: as the session asks (core).
      run = mount(program, interpret, draw, {
        wake: litWake,
        keys,
        heartRate: heartRateSensor,
      });
      if (!servicePath && byService) store.remove(RUNNER_KEY);
      part.opened(run.model);
    },
    stop() {
      // Nothing was started: the other session page opened instead.
      if (!run) return;
      run.stop();
      // With the service playing the cues, the motor is not this page's to stop.
      if (!part.viewing) wrist.stop();
      part.stopped();
      renderer.clear();
      picture(null);
      // A session still running when the system closes the page stays stored for the relaunch; the
      // screen settings and the patient's brightness go back either way.
      keepAwake.release();
      screen.want('user');
    },
  };
}
