import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extrasOfPage } from '../../scripts/lib/reference-extras';
import {
  chooseDevice,
  figuresOf,
  findSamples,
  formatReport,
  runSample,
  verdictOf,
  type SampleReport,
} from '../../scripts/lib/samples';
import { loadCatalog } from '../../scripts/lib/catalog';

// scripts/check-samples.ts on a checkout of our own, shaped like zepp-health/zeppos-samples (a folder of
// app folders, each with its app.json), written here so that no test needs the samples: one app whose
// page breaks a documented rule when a button is tapped, one page that calls an API the double does not
// model, and an App Service that does nothing wrong. What each part must come to is said by the rule it
// breaks (notification/notify's vibrate table: 0 to 5), not by the double.
const root = join(__dirname, '..', '..');
let checkout: string;

const APP_JSON = {
  configVersion: 'v3',
  app: {
    appId: 1000001,
    appName: 'Fixture',
    appType: 'app',
    version: { code: 1, name: '1.0.0' },
    icon: 'icon.png',
    vender: 'test',
    description: 'shaped like a sample',
  },
  permissions: ['device:os.notification'],
  runtime: { apiVersion: { compatible: '3.0', target: '3.0', minVersion: '3.0' } },
  targets: {
    t: {
      module: {
        page: { pages: ['page/index', 'page/other'] },
        'app-service': { services: ['app-service/index'] },
      },
      platforms: [{ st: 's', dw: 390 }],
    },
  },
  i18n: { 'en-US': { appName: 'Fixture' } },
  defaultLanguage: 'en-US',
};

const FILES: Record<string, string> = {
  'app.js': `App({ onCreate() {} })`,
  'page/index.js': `import { createWidget, widget } from '@zos/ui'
import { notify } from '@zos/notification'
Page({
  build() {
    createWidget(widget.BUTTON, { x: 0, y: 0, w: 200, h: 60, text: 'Fine', click_func: () => createWidget(widget.TEXT, { x: 0, y: 80, w: 200, h: 40, text: 'ok' }) })
    createWidget(widget.BUTTON, { x: 0, y: 160, w: 200, h: 60, text: 'Send', click_func: () => notify({ title: 'a', content: 'b', actions: [], vibrate: 9 }) })
  },
})`,
  'page/other.js': `import { showToast } from '@zos/interaction'
Page({ build() { showToast({ content: 'hi' }) } })`,
  'app-service/index.js': `import { notify } from '@zos/notification'
AppService({ onInit(p) { notify({ title: 'run', content: String(p), actions: [] }) } })`,
};

beforeAll(async () => {
  checkout = mkdtempSync(join(tmpdir(), 'samples-fixture-'));
  const app = join(checkout, 'application', '3.0', 'fixture');
  for (const [path, code] of Object.entries({ ...FILES, 'app.json': JSON.stringify(APP_JSON) })) {
    mkdirSync(dirname(join(app, path)), { recursive: true });
    writeFileSync(join(app, path), code);
  }
  mkdirSync(join(app, 'assets', 't.s'), { recursive: true });
  await sharp({ create: { width: 248, height: 248, channels: 4, background: '#204060' } })
    .png()
    .toFile(join(app, 'assets', 't.s', 'icon.png'));
  mkdirSync(join(checkout, 'watchface', 'face'), { recursive: true });
  writeFileSync(
    join(checkout, 'watchface', 'face', 'app.json'),
    JSON.stringify({ app: { appType: 'watchface' } }),
  );
});

afterAll(() => rmSync(checkout, { recursive: true, force: true }));

describe('scripts/check-samples.ts on a sample-shaped checkout of our own', () => {
  let reports: SampleReport[];
  beforeAll(async () => {
    reports = [];
    for (const dir of findSamples(checkout)) reports.push(await runSample(root, checkout, dir));
  });

  it('finds every app folder, and runs the app on the lowest API level its app.json allows (Bip 5 Unity, 3.0)', () => {
    expect(reports.map((r) => r.sample)).toEqual(['application/3.0/fixture', 'watchface/face']);
    expect(reports[0]!.target).toEqual({
      device: 'Amazfit Bip 5 Unity',
      api: '3.0',
      screen: 'square 320x380',
    });
    expect(reports[1]!.notRun).toMatch(/appType "watchface"/);
  });

  it('judges each part: a tap that breaks a documented rule is refused with its page, an API the double lacks is named', () => {
    const parts = Object.fromEntries(reports[0]!.parts.map((p) => [`${p.kind} ${p.name}`, p]));
    expect(parts['page page/index']).toMatchObject({
      verdict: { kind: 'refused', page: 'notification/notify' },
      during: 'tap "Send"',
      taps: 2,
    });
    expect(parts['page page/other']?.verdict).toMatchObject({
      kind: 'not-modelled',
      api: '@zos/interaction showToast',
    });
    expect(parts['service app-service/index']?.verdict).toEqual({ kind: 'passed' });
  });

  it('sums the parts up, and says so in its last line', () => {
    expect(figuresOf(reports)).toEqual({
      samples: 2,
      samplesNotRun: 1,
      parts: 3,
      pages: 2,
      passed: 1,
      refusedCited: 1,
      refusedUncited: 0,
      notModelled: 1,
      failed: 0,
      onPages: { passed: 0, refusedCited: 1, refusedUncited: 0, notModelled: 1, failed: 0 },
    });
    expect(formatReport(reports).slice(-2)).toEqual([
      'pages: passed 0; refused with a cited page 1; refused without a citation 0; not modelled 1; failed 0',
      'all parts: passed 1; refused with a cited page 1; refused without a citation 0; not modelled 1; failed 0',
    ]);
  });
});

describe('the pieces of the script', () => {
  it('the first failure decides a verdict', () => {
    expect(verdictOf([])).toEqual({ kind: 'passed' });
    expect(
      verdictOf([
        { message: 'a', finding: { kind: 'not-modelled', api: 'x' } },
        { message: 'b', finding: { kind: 'refused', rule: 'r', page: 'p' } },
      ]),
    ).toEqual({ kind: 'not-modelled', api: 'x', message: 'a' });
  });

  it('a target: the app’s minimum level, a screen it was built for, the device sources it names', () => {
    const devices = loadCatalog(join(root, 'scripts', 'devices.json'));
    const round480 = [{ shape: 'round' as const, width: 480, height: 480 }];
    // Round 480x480 (the official device list): Cheetah Pro 3.6, Balance 3.7, T-Rex 3 4.0, then 4.2 and up.
    expect(chooseDevice(devices, round480, { runtime: { apiVersion: { minVersion: '3.0' } } })?.name).toBe(
      'Amazfit Cheetah Pro',
    );
    expect(chooseDevice(devices, round480, { runtime: { apiVersion: { minVersion: '4.0' } } })?.name).toBe(
      'Amazfit T-Rex 3',
    );
    // The Balance's device source (8519936) names it alone.
    expect(
      chooseDevice(devices, round480, {
        runtime: { apiVersion: { minVersion: '2.0' } },
        targets: { t: { platforms: [{ deviceSource: 8519936 }] } },
      })?.name,
    ).toBe('Amazfit Balance');
  });

  it('reads what a reference page says outside its tables', () => {
    const page = [
      "import { createWidget, widget, prop, SCROLL_LIST } from '@zos/ui'",
      'const group = createWidget(widget.GROUP, Param)',
      'group.createWidget(widget.IMG, {})',
      'const list = createWidget(widget.SCROLL_LIST, {})',
      'list.setProperty(prop.UPDATE_DATA, {})',
      'list.scrollTo(0)',
      '',
      '| Properties | Support get/set | Type |',
      '| ---------- | --------------- | ---- |',
      '| `prop.CHECKED` | set/get | `boolean` |',
      '| `prop.INIT` | set | `object` |',
      '',
      '| 属性名 | setProperty | getProperty | setter | getter |',
      '| --- | --- | --- | --- | --- |',
      '| x | N | Y | N | Y |',
    ].join('\n');
    expect(extrasOfPage(page)).toEqual({
      imports: { '@zos/ui': ['SCROLL_LIST', 'createWidget', 'prop', 'widget'] },
      props: ['CHECKED', 'INIT', 'UPDATE_DATA'],
      widgets: ['GROUP', 'IMG', 'SCROLL_LIST'],
      containers: { GROUP: ['IMG'] },
      methods: { SCROLL_LIST: ['scrollTo'] },
      propOps: { CHECKED: { set: true, get: true }, INIT: { set: true, get: false } },
      propertyAccess: { x: { setProperty: false, getProperty: true, setter: false, getter: true } },
    });
  });
});
