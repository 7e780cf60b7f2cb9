import { afterEach, describe, expect, it } from 'vitest';
import { bootWatch, DoubleFailure, type Watch } from '../runtime';
import { settleHome } from '../runtime/flows';

// The double must make what it does not implement, and what the target cannot run, fail the test.
let w: Watch | undefined;
afterEach(() => {
  w?.dispose();
  w = undefined;
});

const HOME = 'page/home/index.page.js';
// zpm wraps every page in `with (context) { ... }`; code injected there runs as the page's own.
const WITH_BLOCK = /with\s*\(context\)\s*\{/;
const inject = (code: string) => (src: string) => {
  if (!WITH_BLOCK.test(src))
    throw new Error('the compiled page no longer has the zpm wrapper this test patches');
  return src.replace(WITH_BLOCK, (m) => `${m} ${code};`);
};

async function bootFailure(opts: Parameters<typeof bootWatch>[0]): Promise<string> {
  try {
    w = await bootWatch(opts);
  } catch (e) {
    if (e instanceof DoubleFailure) return e.message;
    throw e;
  }
  throw new Error('expected the boot to fail');
}

describe('the runtime double fails loudly', () => {
  it('names an API the typings declare but the double does not implement', async () => {
    w = await bootWatch({ device: 'Amazfit Balance' });
    expect(() => w!.exec(`__$$R$$__('@zos/ble').mstStartScan(function () {})`)).toThrow(
      /not implemented by the runtime double: @zos\/ble mstStartScan \(declared in @zeppos\/device-types 4\.0\.0 line \d+\)/,
    );
    expect(() => w!.exec(`__$$R$$__('@zos/ui').notAnApi`)).toThrow(
      /@zos\/ui has no "notAnApi": not declared/,
    );
    expect(w.failures()).toEqual([]);
  });

  it('names a missing API reached by the compiled page, even though the page’s wrapper swallows the throw', async () => {
    const message = await bootFailure({
      device: 'Amazfit Bip 5 Unity',
      patch: { [HOME]: (src) => src.replace(/\.getDeviceInfo\(\)/, '.getDiskInfo()') },
    });
    expect(message).toMatch(/not implemented by the runtime double: @zos\/device getDiskInfo/);
  });

  it('makes the compiled wrapper’s "Mini Program Error" a failure', async () => {
    const message = await bootFailure({
      device: 'Amazfit Balance',
      patch: { [HOME]: inject('notAGlobalOnTheWatch()') },
    });
    expect(message).toMatch(/Mini Program Error: ReferenceError: 'notAGlobalOnTheWatch' is not defined/);
  });

  it('fails a compiled construct QuickJS rejects', async () => {
    const message = await bootFailure({
      device: 'Amazfit Balance',
      patch: { [HOME]: inject('@sealed class Decorated {}') },
    });
    expect(message).toMatch(/page\/home\/index\.page\.js was rejected by QuickJS: SyntaxError/);
  });

  it('fails a call above the target’s API level, citing the typings', async () => {
    w = await bootWatch({ device: 'Amazfit Bip 5 Unity' });
    const sequence = `new (__$$R$$__('@zos/sensor').Vibrator)().start([{ type: 1, duration: 100 }])`;
    expect(() => w!.exec(sequence)).toThrow(
      /Vibrator\.prototype\.start \(an array of scenes\) needs API_LEVEL 3\.6 .*Amazfit Bip 5 Unity has 3\.0/,
    );
    expect(() => w!.exec(`new (__$$R$$__('@zos/sensor').Vibrator)().getType()`)).toThrow(
      /getType needs API_LEVEL 3\.6/,
    );
    w.dispose();
    w = await bootWatch({ device: 'Amazfit Balance' });
    expect(() => w!.exec(`__$$R$$__('@zos/timer').createSysTimer(false, 10, function () {})`)).toThrow(
      /@zos\/timer createSysTimer needs API_LEVEL 4\.0 \(@zeppos\/device-types 4\.0\.0 line \d+\); Amazfit Balance has 3\.7/,
    );
    w.exec(`new (__$$R$$__('@zos/sensor').Vibrator)().start([{ type: 1, duration: 100 }])`);
    expect(w.vibrations().at(-1)).toMatchObject({
      scene: 'SEQUENCE',
      sequence: [{ type: 'GENTLE_SHORT', duration: 100 }],
    });
  });

  it('allows createSysTimer on an API 4.0 target and runs it on the virtual clock', async () => {
    w = await bootWatch({ device: 'Amazfit Balance 2' });
    w.exec(
      `globalThis.fired = 0; __$$R$$__('@zos/timer').createSysTimer(false, 5000, function () { globalThis.fired++ })`,
    );
    w.advance(4999);
    expect(w.exec('fired')).toBe(0);
    w.advance(1);
    expect(w.exec('fired')).toBe(1);
  });

  it('fails an API used without the permission its typings tag asks for in app.json', async () => {
    const message = await bootFailure({
      device: 'Amazfit Balance',
      patch: { 'app.json': (src) => src.replace('"device:os.local_storage",', '') },
    });
    expect(message).toMatch(/permission: @zos\/storage LocalStorage needs "device:os.local_storage"/);
  });

  it('reports a throw inside an app callback (a timer) with its stack', async () => {
    w = await bootWatch({ device: 'Amazfit Balance' });
    w.exec(`setTimeout(function boom() { null.x }, 100)`);
    expect(() => w!.advance(100)).toThrow(/uncaught in timer callback #\d+: TypeError/);
  });

  it('interrupts guest code that never returns', async () => {
    w = await bootWatch({ device: 'Amazfit Balance', callMs: 300 });
    w.exec(`setTimeout(function spin() { for (;;) {} }, 10)`);
    expect(() => w!.advance(10)).toThrow(/interrupted/);
  });
});

describe('a page left is released', () => {
  it('holds no code of the pages left behind: the heap at home is the same after one trip to the cues page or three', async () => {
    w = await bootWatch({ device: 'Amazfit Balance' });
    settleHome(w, 300);
    const trip = (): number => {
      w!.tap('Feel the cues').advance(300);
      expect(w!.page).toBe('page/cues/index.page');
      w!.swipe('RIGHT').advance(300);
      expect(w!.page).toBe('page/home/index.page');
      // Read as allocated now, with no collection forced for the reading: leaving the page released it.
      return w!.heapBytes(false);
    };
    const first = trip();
    trip();
    const third = trip();
    // Each trip used to leave both pages' code behind, about 360 KB; what may differ now is a few
    // allocator bytes.
    expect(Math.abs(third - first)).toBeLessThan(4096);
    expect(w.failures()).toEqual([]);
  });
});
