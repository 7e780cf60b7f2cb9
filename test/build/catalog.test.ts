import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog, targetScreens } from '../../scripts/lib/catalog';
import { TARGET_SCREENS } from '../support/screens';

// scripts/devices.json against the official device list: zeppos-docs
// docs/reference/related-resources/device-list.mdx at commit c08725b. The rows below were copied by hand
// from that table (columns: Latest API_LEVEL, Latest Zepp OS Version, deviceSource, Screen shape, Screen
// radius size, Screen resolution, physical-keys number), not from the catalog.
const catalog = loadCatalog(join(__dirname, '..', '..', 'scripts', 'devices.json'));

const OFFICIAL = [
  {
    name: 'Amazfit Balance 3',
    api: '4.4',
    zos: '5.0',
    deviceSources: [11141376, 11141377, 11141379],
    shape: 'R',
    w: 480,
    h: 480,
    cornerRadius: null,
    buttons: 5,
  },
  {
    name: 'Amazfit Bip Max',
    api: '4.4',
    zos: '5.0',
    deviceSources: [11206915],
    shape: 'S',
    w: 432,
    h: 514,
    cornerRadius: 106,
    buttons: 2,
  },
  {
    name: 'Amazfit Cheetah (Square)',
    api: '3.6',
    zos: '3.5',
    deviceSources: [8257793],
    shape: 'S',
    w: 390,
    h: 450,
    cornerRadius: 86,
    buttons: 3,
  },
  {
    name: 'Amazfit Active 2 (Square)',
    api: '4.2',
    zos: '5.0',
    deviceSources: [10223872, 10223873, 10223875],
    shape: 'S',
    w: 390,
    h: 450,
    cornerRadius: 86,
    buttons: 2,
  },
  {
    name: 'Amazfit T-Rex 3',
    api: '4.0',
    zos: '4.5',
    deviceSources: [8716544, 8716545, 8716547],
    shape: 'R',
    w: 480,
    h: 480,
    cornerRadius: null,
    buttons: 4,
  },
  {
    name: 'Amazfit Balance',
    api: '3.7',
    zos: '4.0',
    deviceSources: [8519936, 8519937, 8519939],
    shape: 'R',
    w: 480,
    h: 480,
    cornerRadius: null,
    buttons: 2,
  },
  {
    name: 'Amazfit Bip 5 Unity',
    api: '3.0',
    zos: '3.0',
    deviceSources: [8782081, 8782088, 8782089],
    shape: 'S',
    w: 320,
    h: 380,
    cornerRadius: 69,
    buttons: 1,
  },
];

describe('the device catalog is the official list', () => {
  it.each(OFFICIAL.map((d) => [d.name, d] as const))('%s as the official list has it', (name, official) => {
    expect(catalog.find((d) => d.name === name)).toEqual(official);
  });

  it('holds the 26 watches the list gives API_LEVEL 3.0 or more, and none below', () => {
    expect(catalog).toHaveLength(26);
    expect(catalog.every((d) => Number(d.api) >= 3)).toBe(true);
  });

  it('has 1 to 5 buttons, as the list does', () => {
    expect([...new Set(catalog.map((d) => d.buttons))].sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('makes the eight target screens the layout tests run on, corners included', () => {
    const screens = targetScreens(catalog, '3.0').map((s) => ({
      width: s.w,
      height: s.h,
      round: s.shape === 'round',
      cornerRadius: s.cornerRadius ?? 0,
    }));
    expect(screens).toEqual(TARGET_SCREENS);
  });
});
