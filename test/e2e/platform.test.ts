import { afterEach, describe, expect, it } from 'vitest';
import { bootWatch, type Watch } from '../runtime';
import { failureOf } from '../support/double-failure';
import { ROUTES, settleHome, startSession } from '../runtime/flows';

// One test per rule the double takes from Zepp's API reference (test/runtime/data/platform-spec.json)
// or from its harsher reading where the reference is silent (docs/platform-facts.md): each breaks the
// rule the way a page could and shows the double fails, naming the page of the reference.
let w: Watch | undefined;
afterEach(() => {
  w?.dispose();
  w = undefined;
});

const UI = `var ui = __$$R$$__('@zos/ui');`;

describe('widgets, by their reference pages', () => {
  it('a parameter the widget’s page does not list fails (TEXT has no alpha)', async () => {
    w = await bootWatch({ device: 'Amazfit Balance' });
    expect(
      failureOf(() =>
        w!.exec(`${UI} ui.createWidget(ui.widget.TEXT, { x: 0, y: 0, w: 9, h: 9, alpha: 100 })`),
      ),
    ).toMatch(/createWidget\(widget\.TEXT\): parameter "alpha" is not listed on ui\/widget\/TEXT/);
  });

  it('a parameter above the target’s level fails there and works above (BUTTON font is 3.6)', async () => {
    const button = `${UI} ui.createWidget(ui.widget.BUTTON, { x: 0, y: 0, w: 90, h: 40, text: 'a', font: 'fonts/a.ttf' })`;
    w = await bootWatch({ device: 'Amazfit Bip 5 Unity' });
    expect(failureOf(() => w!.exec(button))).toMatch(
      /widget\.BUTTON parameter "font" needs API_LEVEL 3\.6 \(Zepp docs ui\/widget\/BUTTON\); Amazfit Bip 5 Unity has 3\.0/,
    );
    w.dispose();
    w = await bootWatch({ device: 'Amazfit Balance' });
    w.exec(button);
    expect(w.failures()).toEqual([]);
  });

  it('a required parameter left out fails (ARC needs line_width)', async () => {
    w = await bootWatch({ device: 'Amazfit Balance' });
    const arc = `${UI} ui.createWidget(ui.widget.ARC, { x: 0, y: 0, w: 90, h: 90, radius: 40, start_angle: 0, end_angle: 90, color: 1 })`;
    expect(failureOf(() => w!.exec(arc))).toMatch(/ui\/widget\/ARC requires line_width/);
  });

  it('a BUTTON’s colours changed by setProperty fail: the page that did it is caught, the app as built is not', async () => {
    // The renderer's list of what setProperty may change on a BUTTON, as compiled into the page; the
    // break puts the two colours back on it, as the renderer once did.
    const SETTABLE = '["x","y","w","h","text","text_size","color","radius"]';
    const broken = '["x","y","w","h","text","text_size","color","radius","normal_color","press_color"]';
    const feel = (x: Watch) => {
      settleHome(x);
      x.tap('Feel the cues');
      x.advance(300);
      x.tap('Breathe in');
      x.advance(100);
    };
    w = await bootWatch({
      device: 'Amazfit Balance',
      patch: {
        [`${ROUTES.cues}.js`]: (src) => {
          if (!src.includes(SETTABLE))
            throw new Error('the compiled cues page no longer holds the list this test breaks');
          return src.replace(SETTABLE, broken);
        },
      },
    });
    expect(failureOf(() => feel(w!))).toMatch(
      /setProperty\(prop\.MORE, \.\.\.\) on BUTTON: "normal_color" is not settable by setProperty \(ui\/widget\/BUTTON property table says N/,
    );
    w.dispose();
    w = await bootWatch({ device: 'Amazfit Balance' });
    feel(w);
    const playing = w.screen().buttons.find((b) => b.text === 'Breathe in');
    expect(playing?.props.normal_color).not.toBe(
      w.screen().buttons.find((b) => b.text === 'Breathe out')?.props.normal_color,
    );
  });

  it('getProperty of a property its table marks N fails (TEXT start_angle)', async () => {
    w = await bootWatch({ device: 'Amazfit Balance' });
    const read = `${UI} ui.createWidget(ui.widget.TEXT, { x: 0, y: 0, w: 9, h: 9, text: 'a' }).getProperty(ui.prop.START_ANGLE)`;
    expect(failureOf(() => w!.exec(read))).toMatch(
      /"start_angle" is not readable by getProperty \(ui\/widget\/TEXT property table says N/,
    );
    expect(
      w.exec(
        `${UI} ui.createWidget(ui.widget.TEXT, { x: 0, y: 0, w: 9, h: 9, text: 'a' }).getProperty(ui.prop.TEXT)`,
      ),
    ).toBe('a');
  });
});

describe('functions and constants, by API level and options', () => {
  it('an option above the target’s level fails (createModal title is 3.6) and works above it', async () => {
    const modal = `__$$R$$__('@zos/interaction').createModal({ content: 'a', title: 'b', show: false })`;
    w = await bootWatch({ device: 'Amazfit Bip 5 Unity' });
    expect(failureOf(() => w!.exec(modal))).toMatch(
      /@zos\/interaction createModal option "title" needs API_LEVEL 3\.6 \(Zepp docs interaction\/createModal\)/,
    );
    w.dispose();
    w = await bootWatch({ device: 'Amazfit Balance' });
    w.exec(modal);
    expect(w.failures()).toEqual([]);
  });

  it('a 3.6 constant on a 3.0 target fails (the Vibrator’s Type constants)', async () => {
    w = await bootWatch({ device: 'Amazfit Bip 5 Unity' });
    expect(
      failureOf(() => w!.exec(`new (__$$R$$__('@zos/sensor').Vibrator)().getType().CONTINUOUS`)),
    ).toMatch(/getType.* needs API_LEVEL 3\.6 .*Amazfit Bip 5 Unity has 3\.0/);
  });

  it('an option its page does not list fails (setPageBrightTime takes brightTime only)', async () => {
    w = await bootWatch({ device: 'Amazfit Balance' });
    expect(
      failureOf(() =>
        w!.exec(`__$$R$$__('@zos/display').setPageBrightTime({ brightTime: 5000, keep: true })`),
      ),
    ).toMatch(
      /setPageBrightTime: option "keep" is not listed on its reference page \(Zepp docs display\/setPageBrightTime: brightTime\)/,
    );
  });

  it('a permission the reference page names must be in app.json (getDeviceInfo: data:os.device.info)', async () => {
    let message = '';
    try {
      w = await bootWatch({
        device: 'Amazfit Balance',
        patch: { 'app.json': (src) => src.replace('"data:os.device.info"', '"data:os.device.infoX"') },
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/permission: @zos\/device getDeviceInfo needs "data:os\.device\.info"/);
  });
});

describe('what ends with a page (the harsher reading)', () => {
  it('a timer set by a page does not outlive it: the page that relied on it fails when it would have fired', async () => {
    w = await bootWatch({ device: 'Amazfit Balance' });
    settleHome(w);
    w.exec(`globalThis.fired = 0; setTimeout(function () { globalThis.fired++ }, 5000)`);
    startSession(w);
    w.advance(4_000);
    expect(failureOf(() => w!.advance(1_000))).toMatch(
      /timer #\d+ set on page\/home\/index\.page would fire now, after its page was destroyed/,
    );
    expect(w.exec('fired')).toBe(0);
  });

  it('what a page set vibrating stops when it is destroyed', async () => {
    w = await bootWatch({ device: 'Amazfit Balance' });
    settleHome(w);
    const s = `var s = __$$R$$__('@zos/sensor'); var v = new s.Vibrator(); v.setMode({ mode: s.VIBRATOR_SCENE_DURATION_LONG }); v.start()`;
    w.exec(s);
    w.advance(300);
    startSession(w);
    expect(w.vibrations()[0]?.pulses).toEqual([{ fromMs: 0, ms: 300 }]);
  });
});

describe('where the reference is silent: both readings', () => {
  const scene = `var s = __$$R$$__('@zos/sensor'); var v = new s.Vibrator(); v.setMode({ mode: s.VIBRATOR_SCENE_DURATION }); v.start()`;

  it('stop() does not cut a scene short, unless a test takes that reading', async () => {
    w = await bootWatch({ device: 'Amazfit Bip 5 Unity' });
    settleHome(w);
    w.exec(scene);
    w.advance(200).exec('v.stop()');
    w.advance(1000);
    expect(w.vibrations().at(-1)?.pulses).toEqual([{ fromMs: 0, ms: 600 }]);
    w.dispose();
    w = await bootWatch({ device: 'Amazfit Bip 5 Unity', readings: { stopCutsScene: true } });
    settleHome(w);
    w.exec(scene);
    w.advance(200).exec('v.stop()');
    w.advance(1000);
    expect(w.vibrations().at(-1)?.pulses).toEqual([{ fromMs: 0, ms: 200 }]);
  });

  it('a timer does not fire while the screen is off: it waits for the screen, unless a test takes the other reading', async () => {
    for (const timersWhileScreenOff of [false, true]) {
      w = await bootWatch({ device: 'Amazfit Balance', readings: { timersWhileScreenOff } });
      settleHome(w);
      w.exec(`globalThis.firedAt = null; setTimeout(function () { globalThis.firedAt = Date.now() }, 1000)`);
      const setAt = w.now();
      w.palm();
      w.advance(5_000);
      expect(w.exec('firedAt')).toBe(timersWhileScreenOff ? setAt + 1000 : null);
      w.wake();
      expect(w.exec('firedAt')).toBe(timersWhileScreenOff ? setAt + 1000 : setAt + 5000);
      w.dispose();
    }
    w = undefined;
  });

  it('a LocalStorage instance reads its own copy, and its write puts back what it loaded; unless a test takes the shared reading', async () => {
    const code = `var S = __$$R$$__('@zos/storage').LocalStorage;
      var a = new S(); var b = new S();
      a.setItem('x', 'from a'); b.setItem('y', 'from b');
      [a.getItem('y', 'none'), b.getItem('x', 'none')]`;
    w = await bootWatch({ device: 'Amazfit Balance' });
    expect(w.exec(code)).toEqual(['none', 'none']);
    expect(w.storage()).toMatchObject({ y: 'from b' });
    expect(w.storage()).not.toHaveProperty('x');
    w.dispose();
    w = await bootWatch({ device: 'Amazfit Balance', readings: { storageSharedAcrossInstances: true } });
    expect(w.exec(code)).toEqual(['from b', 'from a']);
  });

  it('an alarm is refused (id 0) for a time already past, and beyond the capacity a test sets', async () => {
    w = await bootWatch({ device: 'Amazfit Balance', alarmCapacity: 0 });
    const set = (t: number) =>
      w!.exec(`__$$R$$__('@zos/alarm').set({ url: 'page/home/index.page', time: ${t} })`);
    expect(set(Math.floor(w.now() / 1000) + 3600)).toBe(0);
    w.dispose();
    w = await bootWatch({ device: 'Amazfit Balance' });
    expect(set(Math.floor(w.now() / 1000) - 1)).toBe(0);
    expect(set(Math.floor(w.now() / 1000) + 3600)).toBeGreaterThan(0);
  });
});
