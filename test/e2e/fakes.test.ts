import { afterEach, describe, expect, it } from 'vitest';
import { bootWatch, type Watch } from '../runtime';

// The double fakes only what the app calls. Everything else the typings declare still fails loudly,
// by name, so a new call in the app cannot pass unnoticed against a fake nobody checked.
let w: Watch | undefined;
afterEach(() => {
  w?.dispose();
  w = undefined;
});

describe('APIs the app does not call fail by name', () => {
  it.each([
    [`__$$R$$__('@zos/interaction').showToast({ content: 'hi' })`, /@zos\/interaction showToast/],
    [`__$$R$$__('@zos/display').getSettings()`, /@zos\/display getSettings/],
    [`__$$R$$__('@zos/router').exit()`, /@zos\/router exit/],
    [`__$$R$$__('@zos/settings').getTimeFormat()`, /@zos\/settings getTimeFormat/],
    [`new (__$$R$$__('@zos/sensor').Time)().getSeconds()`, /@zos\/sensor Time\.prototype\.getSeconds/],
    [
      `new (__$$R$$__('@zos/storage').LocalStorage)().clear()`,
      /@zos\/storage LocalStorage\.prototype\.clear/,
    ],
    [
      `var ui = __$$R$$__('@zos/ui'); ui.createWidget(ui.widget.TEXT, { x: 0, y: 0, w: 9, h: 9, text: '' }).addEventListener(1, function () {})`,
      /@zos\/ui widget method "addEventListener"/,
    ],
    [
      `var ui = __$$R$$__('@zos/ui'); ui.createWidget(ui.widget.CANVAS, { x: 0, y: 0, w: 9, h: 9 }).drawRect({ x1: 0, y1: 0, x2: 9, y2: 9, color: 0 })`,
      /@zos\/ui CANVAS\.drawRect \(ui\/widget\/CANVAS\)/,
    ],
  ])('%s', async (code, message) => {
    w = await bootWatch({ device: 'Amazfit Balance 2' });
    expect(() => w!.exec(code)).toThrow(message);
    expect(() => w!.exec(code)).toThrow(/not implemented by the runtime double/);
    w.takeFailures();
  });
});

describe('the Settings App is held to its reference', () => {
  const inBuild = (code: string) => (src: string) => {
    const at = /AppSettingsPage\(\{build\((\w+)\)\{/.exec(src);
    if (!at) throw new Error('setting.js no longer has the build this test patches');
    return src.replace(at[0], `${at[0]}${code};`);
  };

  it.each([
    [
      'a component the app does not use',
      'Toggle({})',
      /not implemented by the runtime double: Settings App component Toggle/,
    ],
    [
      'a prop its page does not list',
      'Text({ wrap: true }, "x")',
      /Settings App Text: prop "wrap" is not in its reference/,
    ],
    ['a value that is not a string', 'settings.settingsStorage.setItem("k", 1)', /values are strings only/],
  ])('%s fails by name', async (_, code, message) => {
    w = await bootWatch({ device: 'Amazfit Balance', patch: { 'setting.js': inBuild(code) } });
    expect(() => w!.phone.openSettings()).toThrow(message);
  });
});
