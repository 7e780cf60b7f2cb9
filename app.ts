import { watchStore } from './page/lib/platform';
import { noteLaunch } from './page/lib/reminders';

// No messaging here: the pages that sync open their own link (page/lib/mount.ts), so nothing of it is
// resident under the session page.
App({
  globalData: {},
  onCreate(param?: string) {
    // A reminder's own launch (only app.js gets its param) is noted so that occurrence is not armed
    // again. The re-plan itself happens on the home page, where every launch but a wake relaunch lands.
    noteLaunch(watchStore(), param);
  },
  onDestroy() {},
});
