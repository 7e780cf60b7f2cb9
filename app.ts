import { BaseApp } from '@zeppos/zml/base-app';

App(
  BaseApp({
    globalData: {},
    onCreate() {},
    onDestroy() {},
  }),
);
