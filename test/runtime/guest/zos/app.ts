/** `@zos/app`: the package's info, and the page-message bus zml's BasePage.request answers through. */
import { callApp, config, guardModule, type Fn, type Obj } from '../bridge';

const appMessages = new Map<string, Fn[]>();

export const appModule = (): Obj =>
  guardModule(
    '@zos/app',
    {
      getPackageInfo: () => ({
        appId: config.app.appId,
        name: config.app.appName,
        version: { code: config.app.versionCode, name: config.app.versionName },
        ...(config.app.appJson.app as Obj),
      }),
      onMessage: (name: unknown, cb: unknown) => {
        appMessages.set(String(name), [...(appMessages.get(String(name)) ?? []), cb as Fn]);
      },
      offMessage: (name: unknown) => void appMessages.delete(String(name)),
      postMessage: (name: unknown, ...args: unknown[]) => {
        for (const cb of appMessages.get(String(name)) ?? [])
          callApp(`@zos/app onMessage('${String(name)}')`, cb, undefined, name, ...args);
      },
    },
    // zml's BasePage uses these; the typings do not declare them.
    ['onMessage', 'offMessage', 'postMessage'],
  );
