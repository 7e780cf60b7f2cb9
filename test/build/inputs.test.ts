import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../scripts/lib/app-config';
import { BuildInputError, parseCatalog, targetScreens } from '../../scripts/lib/catalog';
import { zeusCache } from '../../scripts/lib/zeus-cache';

const root = join(__dirname, '..', '..');

describe('device catalog', () => {
  const device = {
    name: 'W',
    zos: '4.0',
    api: '3.6',
    deviceSources: [1],
    shape: 'R',
    w: 480,
    h: 480,
    buttons: 2,
  };

  it('refuses a catalog without devices, naming the file', () => {
    expect(() => parseCatalog('devices.json', {})).toThrow(/^devices\.json: expected \{"devices"/);
    expect(() => parseCatalog('devices.json', null)).toThrow(BuildInputError);
  });

  it.each([
    [{ ...device, api: 'three' }, /api must look like/],
    [{ ...device, shape: 'O' }, /shape must be/],
    [{ ...device, w: -1 }, /w and h/],
    [{ ...device, deviceSources: [] }, /deviceSources/],
    [{ ...device, name: '' }, /name/],
  ])('names the device and the field that is wrong: %j', (bad, message) => {
    expect(() => parseCatalog('devices.json', { devices: [device, bad] })).toThrow(message);
    expect(() => parseCatalog('devices.json', { devices: [device, bad] })).toThrow(/devices\[1\]/);
  });

  it('groups devices by screen and keeps those at or above the minimum API', () => {
    const devices = parseCatalog('d', {
      devices: [
        device,
        { ...device, name: 'W2', api: '4.0', deviceSources: [2] },
        { ...device, name: 'Old', api: '2.1', w: 454, h: 454, deviceSources: [3] },
        { ...device, name: 'Sq', shape: 'S', w: 390, h: 450, api: '3.0', deviceSources: [4] },
      ],
    });
    const screens = targetScreens(devices, '3.0');
    expect(screens.map((s) => `${s.shape} ${s.w}x${s.h} ${s.devices.length} ${s.minApi}`)).toEqual([
      'round 480x480 2 3.6',
      'square 390x450 1 3.0',
    ]);
  });

  it('becomes a builder cache with one entry per device source and a far expiry', () => {
    const cache = zeusCache(
      parseCatalog('d', { devices: [{ ...device, deviceSources: [7, 8] }] }),
      '1.9.1',
    ) as {
      devices: { deviceSource: number; value: { os: { apiLevel: string }; screen: { size: string } } }[];
      version: string;
      expiredTime: number;
    };
    expect(cache.devices.map((d) => d.deviceSource)).toEqual([7, 8]);
    expect(cache.devices[0]!.value.os.apiLevel).toBe('3.6');
    expect(cache.devices[0]!.value.screen.size).toBe('480*480');
    expect(cache.version).toBe('1.9.1');
    expect(cache.expiredTime).toBeGreaterThan(Date.UTC(2090, 0, 1));
  });
});

describe('app.json', () => {
  it('is read from the project and lists the pages', () => {
    const config = loadAppConfig(root);
    expect(config.name).toBe('Decompress');
    expect(config.minApi).toBe('3.0');
    expect(config.pages).toContain('page/home/index.page');
  });
});

describe('npm run build on bad input', () => {
  // A copy of the project's sources with node_modules linked in, so the real build script runs on it.
  const copy = mkdtempSync(join(tmpdir(), 'decompress-build-'));
  for (const entry of [
    'app.json',
    'app.ts',
    'page',
    'app-side',
    'setting',
    'core',
    'assets',
    'scripts',
    'types',
  ]) {
    cpSync(join(root, entry), join(copy, entry), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
  // A previous good build: a build stopped by bad input must leave it in place.
  mkdirSync(join(copy, 'dist'));
  writeFileSync(join(copy, 'dist', 'previous.zab'), 'a good build');
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  const build = (): { status: number | null; out: string } => {
    const r = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/build.ts'],
      {
        cwd: copy,
        encoding: 'utf8',
      },
    );
    return { status: r.status, out: `${r.stdout}${r.stderr}`.trim() };
  };

  it.each([
    ['scripts/devices.json', '{"devices": [', /^build stopped: .*devices\.json: is not valid JSON/],
    [
      'scripts/devices.json',
      '{"devices": [{"name": "X"}]}',
      /^build stopped: .*devices\.json: devices\[0\] \(X\): api/,
    ],
    ['app.json', '{"configVersion": "v2"}', /^build stopped: app\.json: configVersion must be "v3"$/],
    ['app.json', 'not json', /^build stopped: .*app\.json: is not valid JSON/],
    [
      'app.json',
      readFileSync(join(root, 'app.json'), 'utf8').replace('"name": "1.0.0"', '"name": "1.0_beta"'),
      /^build stopped: app\.json: app\.version\.name "1\.0_beta" cannot go in a session log: use a version name/,
    ],
  ])('%s = %s stops with one line naming the file and the problem', (file, content, message) => {
    const original = join(root, file);
    writeFileSync(join(copy, file), content);
    try {
      const { status, out } = build();
      expect(status).toBe(1);
      expect(out.split('\n')).toHaveLength(1);
      expect(out).toMatch(message);
      expect(readFileSync(join(copy, 'dist', 'previous.zab'), 'utf8')).toBe('a good build');
    } finally {
      cpSync(original, join(copy, file));
    }
  });
});
