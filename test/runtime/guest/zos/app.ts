/** `@zos/app`: the package's info, and the page-message bus zml's BasePage.request answers through. */
import { callApp, config, guardModule, host, refuse, type Fn, type Obj } from '../bridge';

/**
 * queryPermission: 2 (granted) for what app.json declares, 0 for what it does not; the heart rate's
 * as the host sets it (granted by default, or refused). requestPermission takes the harsher reading of
 * "the production version of the firmware does not include the dynamic privileges section" (guide
 * framework/device/permission): 2 for what is granted, else 1 ("no authorization requests that can be
 * made") and the callback is never called.
 */
function permissionState(code: string): number {
  if (code === 'data:user.hd.heart_rate' && config.app.permissions.includes(code))
    return host('hr.permission');
  return config.app.permissions.includes(code) ? 2 : 0;
}
function permissionsOf(option: unknown, api: string): string[] {
  const list = (option as Obj | null)?.permissions;
  if (!Array.isArray(list) || list.length === 0 || !list.every((x) => typeof x === 'string'))
    return refuse(
      `@zos/app ${api}: permissions must be a non-empty array of strings`,
      'permissions that are not an array of strings',
      `app/${api}`,
    );
  return list as string[];
}
import { permissionApi } from './service';

const BG = 'device:os.bg_service';

const appMessages = new Map<string, Fn[]>();

export const appModule = (): Obj =>
  guardModule(
    '@zos/app',
    {
      // The background permission is the user's to grant (zos/service.ts); the rest as above.
      queryPermission: (option: unknown) =>
        permissionsOf(option, 'queryPermission').map((code) =>
          code === BG ? permissionApi.queryPermission({ permissions: [code] })[0]! : permissionState(code),
        ),
      requestPermission: (option: unknown) => {
        if (permissionsOf(option, 'requestPermission').includes(BG))
          return permissionApi.requestPermission(option);
        const states = permissionsOf(option, 'requestPermission').map(permissionState);
        if (typeof (option as Obj).callback !== 'function')
          refuse('@zos/app requestPermission: callback is required', 'no callback', 'app/requestPermission');
        return states.every((s) => s === 2) ? 2 : 1;
      },
      getPackageInfo: () => ({
        appId: config.app.appId,
        name: config.app.appName,
        version: { code: config.app.versionCode, name: config.app.versionName },
        ...(config.app.appJson.app as Obj),
      }),
      // Memory from the double's QuickJS heap; the double does not time eval/create/init/build per
      // file, so it lists no modules (the reference gives no minimum).
      getPerformance: () => {
        const m = host('app.performance') as { used: number; peak: number };
        const appid = config.app.appId;
        return {
          memory: {
            system: { used: m.used, total: 64 * 1024 * 1024 },
            app: [{ appid, used: m.used, peak: m.peak, modules: [] }],
            leaking: [],
          },
          perf: { appid, modules: [] },
        };
      },
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
