import { afterEach, describe, expect, it } from 'vitest';
import { bootWatch, type BootOptions, type Watch } from '../runtime';
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

// ---- small apps of our own: each file below takes the place of the built app's (its app.json lists
// the pages and the App Service), so a rule can be shown on the few lines that break it ----------------
const APP = `App({ globalData: {}, onCreate: function (p) { this.globalData.param = p === undefined ? 'none' : p } })`;
/** A page that shows what it got: its own params and app.js onCreate's. */
const SHOWS_PARAMS = `Page({
  onInit: function (p) { this.p = p === undefined ? 'none' : p },
  build: function () {
    var ui = __$$R$$__('@zos/ui');
    ui.createWidget(ui.widget.TEXT, { x: 0, y: 0, w: 300, h: 40, text: 'page ' + this.p + ', app ' + getApp().globalData.param });
  }
})`;
/** An App Service that says, by notifying, what it was given. */
const SAYS_PARAMS = `AppService({
  onInit: function (p) { __$$R$$__('@zos/notification').notify({ title: 'init ' + p, content: '-', actions: [] }) },
  onEvent: function (p) { __$$R$$__('@zos/notification').notify({ title: 'event ' + p, content: '-', actions: [] }) }
})`;
const own = (files: Record<string, string>): Record<string, () => string> =>
  Object.fromEntries(Object.entries(files).map(([path, code]) => [path, () => code]));
const HOME = `${ROUTES.home}.js`;
const CUES = `${ROUTES.cues}.js`;
const SERVICE_FILE = 'app-service/session';
const bootOwn = (device: string, files: Record<string, string>, opts: Partial<BootOptions> = {}) =>
  bootWatch({ device, sideService: false, patch: own({ 'app.js': APP, ...files }), ...opts });
const notify = (actions: string) =>
  `__$$R$$__('@zos/notification').notify({ title: 't', content: 'c', actions: ${actions} })`;
const titles = (x: Watch) => x.service().notifications.map((n) => n.title);

describe('widget setters and getters (ui/gettersetter, API_LEVEL 4.0)', () => {
  const text = `${UI} var t = ui.createWidget(ui.widget.TEXT, { x: 0, y: 0, w: 200, h: 40, text: 'before' });`;

  it('from 4.0 a setter changes what is on screen and a getter reads the property', async () => {
    w = await bootOwn('Amazfit T-Rex 3', { [HOME]: SHOWS_PARAMS });
    expect(w.exec(`${text} t.text = 'after'; t.text`)).toBe('after');
    expect(w.screen().texts).toContain('after');
    expect(w.screen().texts).not.toContain('before');
  });

  it('below 4.0 the setter and the getter are refused, naming ui/gettersetter', async () => {
    w = await bootOwn('Amazfit Balance', { [HOME]: SHOWS_PARAMS });
    expect(failureOf(() => w!.exec(`${text} t.text = 'after'`))).toMatch(
      /@zos\/ui TEXT setter "text" needs API_LEVEL 4\.0 \(Zepp docs ui\/gettersetter\); Amazfit Balance has 3\.7/,
    );
    expect(failureOf(() => w!.exec(`${text} t.text`))).toMatch(/TEXT getter "text" needs API_LEVEL 4\.0/);
    expect(w.screen().texts).not.toContain('after');
  });

  it('per property table: BUTTON normal_color has a setter though setProperty may not touch it; TEXT start_angle has none', async () => {
    w = await bootOwn('Amazfit Balance 3', { [HOME]: SHOWS_PARAMS });
    const button = `${UI} var b = ui.createWidget(ui.widget.BUTTON, { x: 0, y: 0, w: 90, h: 40, text: 'b', normal_color: 1 });`;
    expect(w.exec(`${button} b.normal_color = 2; b.normal_color`)).toBe(2);
    expect(failureOf(() => w!.exec(`${text} t.start_angle = 10`))).toMatch(
      /TEXT setter "start_angle": ui\/widget\/TEXT's property table marks its setter N/,
    );
    expect(failureOf(() => w!.exec(`${text} t.alpha = 10`))).toMatch(
      /"alpha" is not in ui\/widget\/TEXT's property table/,
    );
  });
});

describe('parameter levels hold whichever way a parameter is set', () => {
  const more = `${UI} ui.createWidget(ui.widget.BUTTON, { x: 0, y: 0, w: 90, h: 40, text: 'a' }).setProperty(ui.prop.MORE, { x: 0, y: 0, w: 90, h: 40, font: 'fonts/a.ttf' })`;

  it('BUTTON font (3.6) through setProperty(prop.MORE) is refused on 3.5 and works on 3.7', async () => {
    w = await bootOwn('Amazfit Active Edge', { [HOME]: SHOWS_PARAMS });
    expect(failureOf(() => w!.exec(more))).toMatch(
      /setProperty\(prop\.MORE, \.\.\.\) on BUTTON: "font" needs API_LEVEL 3\.6 \(Zepp docs ui\/widget\/BUTTON\); Amazfit Active Edge has 3\.5/,
    );
    w.dispose();
    w = await bootOwn('Amazfit Balance', { [HOME]: SHOWS_PARAMS });
    w.exec(more);
    expect(w.failures()).toEqual([]);
  });

  it('a STATE_BUTTON parameter of its own table (select_color, 4.0) is refused on 3.7', async () => {
    const group = `${UI} var g = ui.createWidget(ui.widget.RADIO_GROUP, { x: 0, y: 0, w: 200, h: 60, select_src: 's.png', unselect_src: 'u.png', check_func: function () {} });
      g.createWidget(ui.widget.STATE_BUTTON, { x: 0, y: 0, w: 60, h: 60, select_color: 1 })`;
    w = await bootOwn('Amazfit Balance', { [HOME]: SHOWS_PARAMS });
    expect(failureOf(() => w!.exec(group))).toMatch(
      /widget\.STATE_BUTTON parameter "select_color" needs API_LEVEL 4\.0 \(Zepp docs ui\/widget\/(RADIO|CHECKBOX)_GROUP\)/,
    );
    w.dispose();
    w = await bootOwn('Amazfit T-Rex 3', { [HOME]: SHOWS_PARAMS });
    w.exec(group);
    expect(w.failures()).toEqual([]);
  });
});

describe('names the reference documents outside the typings', () => {
  it('widget.STATE_BUTTON, prop.UPDATE_DATA and prop.KEY_PARA are constants; RADIO_GROUP takes its own parameters', async () => {
    w = await bootOwn('Amazfit Balance', { [HOME]: SHOWS_PARAMS });
    expect(
      w.exec(`${UI} [typeof ui.widget.STATE_BUTTON, typeof ui.prop.UPDATE_DATA, typeof ui.prop.KEY_PARA]`),
    ).toEqual(['number', 'number', 'number']);
    w.exec(
      `${UI} ui.createWidget(ui.widget.RADIO_GROUP, { x: 0, y: 0, w: 200, h: 60, select_src: 's.png', unselect_src: 'u.png', check_func: function () {} })`,
    );
    expect(w.failures()).toEqual([]);
  });

  it('what is documented and not modelled fails by that name, not as "not declared"', async () => {
    w = await bootOwn('Amazfit Balance 3', { [HOME]: SHOWS_PARAMS });
    expect(failureOf(() => w!.exec(`${UI} ui.SCROLL_LIST.snap_type`))).toMatch(
      /not implemented by the runtime double: @zos\/ui SCROLL_LIST \(declared in Zepp docs ui\/widget\/SCROLL_LIST\)/,
    );
    const list = `${UI} var l = ui.createWidget(ui.widget.SCROLL_LIST, { x: 0, y: 0, w: 200, h: 200, item_config: [], item_config_count: 0, data_array: [], data_count: 0 });`;
    expect(failureOf(() => w!.exec(`${list} l.setProperty(ui.prop.UPDATE_DATA, {})`))).toMatch(
      /not implemented by the runtime double: @zos\/ui SCROLL_LIST setProperty\(prop\.UPDATE_DATA\) \(named on ui\/widget\/SCROLL_LIST\)/,
    );
    const group = `${UI} var g = ui.createWidget(ui.widget.RADIO_GROUP, { x: 0, y: 0, w: 200, h: 60, select_src: 's.png', unselect_src: 'u.png' });`;
    expect(failureOf(() => w!.exec(`${group} g.setProperty(ui.prop.INIT, {})`))).toMatch(
      /not implemented by the runtime double: @zos\/ui RADIO_GROUP setProperty\(prop\.INIT\) \(ui\/widget\/RADIO_GROUP\)/,
    );
  });
});

describe('Flex layout (guides/framework/device/layout.md, API_LEVEL 4.0)', () => {
  const flex = `${UI} var root = ui.createWidget(ui.widget.VIRTUAL_CONTAINER, { layout: { display: 'flex', width: '100%', height: '100%', 'justify-content': 'center' } });
    var t = ui.createWidget(ui.widget.TEXT, { parent: root, text: 'in a flex box', layout: { width: '80%', height: '20%' } });
    var b = ui.createWidget(ui.widget.BUTTON, { text: 'b', layout: { width: '90%', height: '33%' } });
    root.addLayoutChild(b, 0); t.updateLayoutStyle({ width: '30%' }); ui.updateLayout();`;

  it('from 4.0 a widget the guide lists takes layout and parent, without x, y, w, h, and the node methods keep the tree', async () => {
    w = await bootOwn('Amazfit T-Rex 3', { [HOME]: SHOWS_PARAMS });
    w.exec(flex);
    expect(w.failures()).toEqual([]);
    expect(w.screen().texts).toContain('in a flex box');
  });

  it('below 4.0, and on a widget the guide does not list, layout is refused naming the guide', async () => {
    w = await bootOwn('Amazfit Balance', { [HOME]: SHOWS_PARAMS });
    expect(failureOf(() => w!.exec(flex))).toMatch(
      /widget\.VIRTUAL_CONTAINER needs API_LEVEL 4\.0|"layout" needs API_LEVEL 4\.0 \(Zepp docs guides\/framework\/device\/layout\.md\)/,
    );
    w.dispose();
    w = await bootOwn('Amazfit T-Rex 3', { [HOME]: SHOWS_PARAMS });
    expect(
      failureOf(() =>
        w!.exec(
          `${UI} ui.createWidget(ui.widget.QRCODE, { x: 0, y: 0, w: 90, h: 90, content: 'a', layout: { width: '10%' } })`,
        ),
      ),
    ).toMatch(/"layout" is for the widgets guides\/framework\/device\/layout\.md lists/);
  });
});

describe('notification actions (notification/notify; guides/framework/device/system-notification.md)', () => {
  const toCues = notify(`[{ text: 'Open', file: '${ROUTES.cues}', param: 'from the note' }]`);

  it('an action opening a page: its param to app.js onCreate (harsher reading), or to the page under the other reading', async () => {
    for (const [reading, shown] of [
      ['app', 'page none, app from the note'],
      ['page', 'page from the note, app none'],
    ] as const) {
      w = await bootOwn(
        'Amazfit Balance',
        { [HOME]: SHOWS_PARAMS, [CUES]: SHOWS_PARAMS },
        { readings: { notificationParamTo: reading } },
      );
      w.exec(toCues);
      w.tapNotification(w.service().notifications[0]!.id);
      expect(w.page).toBe(ROUTES.cues);
      expect(w.screen().texts).toEqual([shown]);
      w.dispose();
    }
    w = undefined;
  });

  it('an action naming an App Service runs it once with the param; the running one gets it in onEvent', async () => {
    w = await bootOwn(
      'Amazfit Balance 3',
      { [HOME]: SHOWS_PARAMS, [`${SERVICE_FILE}.js`]: SAYS_PARAMS },
      {
        backgroundPermission: 'granted',
      },
    );
    w.exec(notify(`[{ text: 'Run', file: '${SERVICE_FILE}', param: 'once' }]`));
    w.tapNotification(w.service().notifications[0]!.id);
    expect(titles(w)).toContain('init once');
    expect(w.service().running).toBeUndefined();
    w.exec(
      `__$$R$$__('@zos/app-service').start({ file: '${SERVICE_FILE}', param: 'kept', complete_func: function () {} })`,
    );
    expect(w.service().running).toBe(SERVICE_FILE);
    w.exec(notify(`[{ text: 'Tell', file: '${SERVICE_FILE}', param: 'told' }]`));
    w.tapNotification(w.service().notifications.at(-1)!.id);
    expect(titles(w)).toEqual(['t', 'init once', 'init kept', 't', 'event told']);
  });

  it('an action file that is neither a page nor an App Service of app.json is refused', async () => {
    w = await bootOwn('Amazfit Balance', { [HOME]: SHOWS_PARAMS });
    expect(failureOf(() => w!.exec(notify(`[{ text: 'x', file: 'page/nowhere' }]`)))).toMatch(
      /action file "page\/nowhere" is neither a page nor an App Service of app\.json \(notification\/notify/,
    );
  });
});

describe('alarms (alarm/set)', () => {
  const set = (option: string) => `__$$R$$__('@zos/alarm').set(${option})`;
  const at = (x: Watch, s: number) => Math.floor(x.now() / 1000) + s;

  it('REPEAT_ONCE ignores repeat_period and week_days ("effective when" another type is set): it rings once', async () => {
    w = await bootOwn('Amazfit Balance', { [HOME]: SHOWS_PARAMS });
    const id = w.exec(
      set(
        `{ url: '${ROUTES.home}', time: ${at(w, 60)}, repeat_type: __$$R$$__('@zos/alarm').REPEAT_ONCE, repeat_period: 2, week_days: __$$R$$__('@zos/alarm').WEEK_MON }`,
      ),
    );
    expect(id).toBeGreaterThan(0);
    w.exit();
    w.advance(61_000);
    expect(w.running).toBe(true);
    expect(w.alarms()).toEqual([]);
  });

  it('REPEAT_DAY with repeat_period 20 and repeat_duration 1 rings every 21 days (the page’s own example), and stays listed', async () => {
    w = await bootOwn('Amazfit Balance', { [HOME]: SHOWS_PARAMS });
    const first = at(w, 3600);
    w.exec(
      set(
        `{ url: '${ROUTES.home}', time: ${first}, repeat_type: __$$R$$__('@zos/alarm').REPEAT_DAY, repeat_period: 20, repeat_duration: 1 }`,
      ),
    );
    w.exit();
    w.advance(3601_000);
    expect(w.alarms()[0]?.at).toBe((first + 21 * 86_400) * 1000);
  });

  it('REPEAT_WEEK with week_days rings on those days of the week, at the first alarm’s time of day', async () => {
    // 2026-11-25 is a Wednesday; Monday and Wednesday are asked.
    w = await bootOwn('Amazfit Balance', { [HOME]: SHOWS_PARAMS });
    const first = Date.UTC(2026, 10, 25, 15, 0, 0) / 1000;
    w.exec(
      `var a = __$$R$$__('@zos/alarm'); a.set({ url: '${ROUTES.home}', time: ${first}, repeat_type: a.REPEAT_WEEK, week_days: a.WEEK_MON | a.WEEK_WED })`,
    );
    w.exit();
    const rings: string[] = [];
    for (let i = 0; i < 3; i++) {
      const next = w.alarms()[0]!.at;
      rings.push(new Date(next).toISOString().slice(0, 16));
      w.advanceTo(next + 1000);
      w.exit();
    }
    expect(rings).toEqual(['2026-11-25T15:00', '2026-11-30T15:00', '2026-12-02T15:00']);
  });

  it('an alarm whose url is an App Service runs it once, with its param', async () => {
    w = await bootOwn('Amazfit Balance', { [HOME]: SHOWS_PARAMS, [`${SERVICE_FILE}.js`]: SAYS_PARAMS });
    w.exec(set(`{ url: '${SERVICE_FILE}', delay: 60, param: 'rung' }`));
    w.advance(61_000);
    expect(titles(w)).toEqual(['init rung']);
  });
});

describe('what the double lacks fails by name, however it is imported', () => {
  // What rollup's namespace import compiles to in a page (zpm's build): every key copied as a getter.
  const namespace = (module: string) => `var m = __$$R$$__('${module}'); var ns = {};
    for (var k in m) { (function (k) { var d = Object.getOwnPropertyDescriptor(m, k);
      Object.defineProperty(ns, k, d.get ? d : { enumerable: true, get: function () { return m[k] } }) })(k) }`;

  it('import * as m: a declared API the double lacks is a key, and reading it (typeof too) fails by its name', async () => {
    w = await bootOwn('Amazfit Balance', { [HOME]: SHOWS_PARAMS });
    expect(w.exec(`${namespace('@zos/device')} Object.keys(ns).indexOf('getDiskInfo') >= 0`)).toBe(true);
    expect(failureOf(() => w!.exec(`${namespace('@zos/device')} typeof ns.getDiskInfo`))).toMatch(
      /not implemented by the runtime double: @zos\/device getDiskInfo/,
    );
    expect(
      failureOf(() => w!.exec(`${namespace('@zos/ui')} ns.updateStatusBarTitle; ns.openInspector()`)),
    ).toMatch(
      /not implemented by the runtime double: @zos\/ui openInspector \(declared in Zepp docs ui\/openInspector\)/,
    );
  });

  it('the API_LEVEL 1.0 runtime and undocumented globals fail by name', async () => {
    w = await bootOwn('Amazfit Balance', { [HOME]: SHOWS_PARAMS });
    expect(failureOf(() => w!.exec(`new DeviceRuntimeCore.WidgetFactory()`))).toMatch(
      /API_LEVEL 1\.0 global DeviceRuntimeCore\.WidgetFactory/,
    );
    expect(failureOf(() => w!.exec(`typeof __ZEPPOS__`))).toMatch(/the global __ZEPPOS__/);
    expect(failureOf(() => w!.exec(`'8'.toPixel()`))).toMatch(/String\.prototype\.toPixel/);
  });
});
