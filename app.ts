import { BaseApp } from '@zeppos/zml/base-app';

App(
  BaseApp({
    globalData: {} as { messaging: unknown },
    onCreate() {},
    onDestroy() {},
  }),
);
