import { afterEach, describe, expect, it } from 'vitest';
import { bootWatch, type Watch } from '../runtime';
import { checkedWatch, settleHome, startSession } from '../runtime/flows';

// The runtime double's App Service, held to zeppos-docs guides/framework/device/app-service.md: each
// rule is shown catching a use it forbids, in the built service file (patched to make the call).
const device = 'Amazfit Balance 3';
const FILE = 'app-service/session.js';
// A watch whose wrist check felt the service's buzz in the dark (issue 23): the path these tests take.
const PROVEN = checkedWatch(device, 'service');

let w: Watch | undefined;
afterEach(() => {
  w?.dispose();
  w = undefined;
});

/** Boots with `code` run first thing in the service's onInit, then starts a session (the service with it). */
async function inService(code: string): Promise<Watch> {
  const x = await bootWatch({
    device,
    storage: PROVEN,
    backgroundPermission: 'granted',
    patch: {
      [FILE]: (src) => {
        const at = src.indexOf('onInit(){');
        if (at < 0) throw new Error('the service file no longer has the onInit this test patches');
        return `${src.slice(0, at + 9)}${code};${src.slice(at + 9)}`;
      },
    },
  });
  settleHome(x);
  return x;
}

const failsWith = (x: Watch, message: RegExp): void => {
  expect(() => startSession(x)).toThrow(message);
  x.takeFailures();
};

describe('an App Service in the double', () => {
  it.each([
    ['setTimeout(function () {}, 10)', /global setTimeout is not available/],
    [
      `__$$R$$__('@zos/ui').createWidget(1, {})`,
      /@zos\/ui createWidget is not available .*availability table/,
    ],
    [`new (__$$R$$__('@zos/storage').LocalStorage)()`, /@zos\/storage LocalStorage is not available/],
    [`__$$R$$__('@zos/router').push({ url: 'page/home/index.page' })`, /@zos\/router push is not available/],
    [
      `__$$R$$__('@zos/display').setBrightness({ brightness: 5 })`,
      /only the APIs whose names start with "get"/,
    ],
    [`__$$R$$__('@zos/timer').setTimeout(function () {}, 5)`, /setTimeout are not available; createSysTimer/],
    [`new (__$$R$$__('@zos/sensor').Accelerometer)()`, /high-power sensors/],
    [`getApp()`, /a service has no app or page/],
    // queryPermission is no get* API: a service cannot ask about the heart-rate permission itself.
    [
      `__$$R$$__('@zos/app').queryPermission({ permissions: ['data:user.hd.heart_rate'] })`,
      /@zos\/app queryPermission is not available/,
    ],
    [`AppService({})`, /AppService\(\) called twice/],
  ])('refuses %s', async (code, message) => {
    w = await inService(code);
    failsWith(w, message);
  });

  it('refuses a file write while the screen is on, allows it with the screen off', async () => {
    const write = `__$$R$$__('@zos/fs').writeFileSync({ path: 'x.txt', data: 'x', options: { encoding: 'utf8' } })`;
    w = await inService(`__$$R$$__('@zos/timer').createSysTimer(false, 20000, function () { ${write}; })`);
    startSession(w);
    w.advance(5_000);
    expect(w.display().screenOn).toBe(true);
    w.advance(10_000); // screen off after 10 s; the timer fires at 20 s
    expect(w.display().screenOn).toBe(false);
    w.advance(10_000);
    expect(w.dataFiles()['x.txt']).toBe('x');
    w.dispose();
    w = await inService(write);
    failsWith(w, /writeFileSync with the screen on/);
  });

  it('lets a service measure heart rate only with the permission, and never leave it on when it ends', async () => {
    const measure = `var hr = new (__$$R$$__('@zos/sensor').HeartRate)(); hr.onCurrentChange(function () { hr.getCurrent(); })`;
    w = await bootWatch({
      device,
      storage: PROVEN,
      backgroundPermission: 'granted',
      heartRate: { permission: 'refused' },
      patch: { [FILE]: (src) => src.replace('onInit(){', () => `onInit(){${measure};`) },
    });
    settleHome(w);
    failsWith(w, /HeartRate.onCurrentChange: "data:user.hd.heart_rate" is not granted/);
    w.dispose();
    // Granted: readings reach the service (the first 8 s on); on when it exits, the test fails.
    w = await inService(
      `${measure}; __$$R$$__('@zos/timer').createSysTimer(false, 20000, function () { __$$R$$__('@zos/app-service').exit(); })`,
    );
    startSession(w);
    w.advance(10_000);
    expect(w.heartReadings().filter((h) => h.page === 'app-service/session')).toHaveLength(3);
    expect(() => w!.advance(15_000)).toThrow(/continuous measurement still on when the App Service ended/);
    w.takeFailures();
  });

  it('tells a service whether the screen is on (Screen sensor: 1 on, 2 off), so that it writes only when it may', async () => {
    // Writes 'off' only when getStatus says 2: a 2 with the screen on would be a refused write.
    const writeIfOff = `if (new (__$$R$$__('@zos/sensor').Screen)().getStatus() === 2) __$$R$$__('@zos/fs').writeFileSync({ path: 's.txt', data: 'off', options: { encoding: 'utf8' } })`;
    w = await inService(
      `${writeIfOff}; __$$R$$__('@zos/timer').createSysTimer(false, 20000, function () { ${writeIfOff}; })`,
    );
    startSession(w);
    expect(w.dataFiles()['s.txt']).toBeUndefined();
    w.wristDown();
    w.advance(25_000);
    expect(w.dataFiles()['s.txt']).toBe('off');
  });

  it('fires createSysTimer with the screen off and the app closed, and outlives the app', async () => {
    w = await inService('');
    startSession(w);
    w.wristDown();
    w.advance(15_000);
    expect(w.running).toBe(false);
    const before = w.vibrations().length;
    w.advance(60_000);
    const later = w.vibrations().slice(before);
    expect(later.length).toBeGreaterThan(3);
    expect(later.every((v) => !v.screenOn && v.page === 'app-service/session')).toBe(true);
  });

  it('start: 1 for a file app.json does not list, 2 for the running one (harsher reading), 3 without the grant', async () => {
    w = await bootWatch({ device, storage: PROVEN, backgroundPermission: 'granted' });
    settleHome(w);
    const start = (file: string): unknown =>
      w!.exec(`__$$R$$__('@zos/app-service').start({ file: '${file}', complete_func: function () {} })`);
    expect(start('app-service/other')).toBe(1);
    startSession(w);
    expect(w.service().running).toBe('app-service/session');
    expect(start('app-service/session')).toBe(2);
    w.dispose();
    w = await bootWatch({ device, storage: PROVEN, backgroundPermission: 'ask-refuse' });
    settleHome(w);
    expect(
      w.exec(
        `__$$R$$__('@zos/app-service').start({ file: 'app-service/session', complete_func: function () {} })`,
      ),
    ).toBe(3);
  });
});
