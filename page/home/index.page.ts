import { mount, type Run } from '../../core/base/program';
import { homeProgram, homeView, readHome, type HomeEffect, type HomeEvent } from '../../core/screens/home';
import { sessionStored } from '../../core/engine/running-keys';
import { CHECK_OFFERED_KEY } from '../../core/watch/session-path';
import { brightness } from '../lib/brightness';
import { screenLayout, t, watchClock, watchStore } from '../lib/platform';
import { createRenderer } from '../lib/render';
import { overlaps } from '../../core/screens/stacking';
import { replanReminders } from '../lib/reminders';
import { plainPage, type PageShell } from '../lib/page-shell';
import { open } from '../lib/router';

/**
 * Home: carries out core/screens/home's effects and draws its view from what the watch holds. It talks
 * to nobody: the pages that reach the phone (summary, resume) keep what home shows of the phone's day.
 */
function homePage(): PageShell {
  const store = watchStore();
  const clock = watchClock();
  const layout = screenLayout();

  const draw = (): void =>
    renderer.render(
      homeView(readHome(store, { now: clock.now(), utcOffsetMin: clock.utcOffsetMin() }), layout, t),
    );
  const interpret = (effect: HomeEffect): void => {
    switch (effect.type) {
      case 'replanReminders':
        replanReminders(store, clock);
        return;
      case 'open':
        return open(effect.route);
    }
  };
  let run: Run<null, HomeEvent> | undefined;
  const renderer = createRenderer((tap: HomeEvent) => run?.dispatch(tap), overlaps);

  return {
    start() {
      // A run that ended with the screen lowered (killed mid-session) left the patient's brightness on
      // record: every launch lands here or on the session page, which lowers it again if it resumes.
      brightness(store, clock.now).want('user');
      // A stored session, or the first launch (the wrist check is offered once): the resume page decides.
      const stored = sessionStored(store) || store.get(CHECK_OFFERED_KEY) === undefined;
      run = mount(homeProgram(stored), interpret, stored ? undefined : draw);
    },
    stop() {
      run?.stop();
      renderer.clear();
    },
  };
}

plainPage(homePage);
