import { push, replace } from '@zos/router';
import { runProgram, type Run } from '../../core/base/program';
import { homeProgram, homeView, readHome, type HomeEffect, type HomeEvent } from '../../core/screens/home';
import { sessionStored } from '../../core/engine/running-keys';
import { brightness } from '../lib/brightness';
import { screenLayout, t, watchClock, watchStore } from '../lib/platform';
import { createRenderer } from '../lib/render';
import { replanReminders } from '../lib/reminders';
import { plainPage, type PageShell } from '../lib/page-shell';

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
      case 'navigate':
        return push(
          effect.params === undefined ? { url: effect.url } : { url: effect.url, params: effect.params },
        );
    }
  };
  let run: Run<null, HomeEvent> | undefined;
  const renderer = createRenderer((action) => run?.dispatch({ type: 'tap', action }));

  return {
    start() {
      // A run that ended with the screen lowered (killed mid-session) left the patient's brightness on
      // record: every launch lands here or on the session page, which lowers it again if it resumes.
      brightness(store, () => clock.now()).want('user');
      // A stored session (cut short, finished but not logged, or run by the App Service) is decided
      // about on a page of its own, which comes back here once nothing is left to decide: home carries
      // none of the code that reads one.
      if (sessionStored(store)) return replace({ url: 'page/resume/index.page' });
      run = runProgram(homeProgram, interpret, draw);
    },
    stop() {
      run?.stop();
      renderer.clear();
    },
  };
}

plainPage(() => homePage());
