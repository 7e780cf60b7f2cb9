import { BaseApp } from '@zeppos/zml/base-app';
import { watchStore } from './page/lib/platform';
import { noteLaunch } from './page/lib/reminders';

const app = BaseApp({
  globalData: {} as { messaging: unknown },
  onCreate(param?: string) {
    // A reminder's own launch (only app.js gets its param) is noted so that occurrence is not armed
    // again. The re-plan itself happens on the home page, where every launch but a wake relaunch lands.
    noteLaunch(watchStore(), param);
  },
  onDestroy() {},
}) as { onDestroy(...args: unknown[]): void };

// zml's messaging says goodbye to the phone when the app closes and throws "send message error" when the
// phone is out of range (its ble.send returns false). Nothing is lost by not saying goodbye: every log is
// in the outbox until the phone acknowledges it. Without this, closing the app away from the phone ends
// in a Mini Program Error.
const zmlOnDestroy = app.onDestroy;
app.onDestroy = function (this: unknown, ...args: unknown[]) {
  try {
    zmlOnDestroy.apply(this, args);
  } catch {
    // the goodbye frame could not be sent: see above
  }
};

App(app);
