import { BaseApp } from '@zeppos/zml/base-app';
import { watchStore } from './page/lib/platform';
import { noteLaunch } from './page/lib/reminders';

App(
  BaseApp({
    globalData: {} as { messaging: unknown },
    onCreate(param?: string) {
      // A reminder's own launch (only app.js gets its param) is noted so that occurrence is not armed
      // again. The re-plan itself happens on the home page, where every launch but a wake relaunch lands.
      noteLaunch(watchStore(), param);
    },
    onDestroy() {},
  }),
);
