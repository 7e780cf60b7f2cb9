import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pathOf, type PageName } from '../../core/base/routes';
import { loadAppConfig, platformsOfScreens } from '../../scripts/lib/app-config';
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
    cornerRadius: null,
    buttons: 2,
  };
  const square = { ...device, name: 'Sq', shape: 'S', w: 390, h: 450, cornerRadius: 86, deviceSources: [9] };

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
    [{ ...device, cornerRadius: 40 }, /\(W\): cornerRadius must be null for a round screen; got 40/],
    [{ ...device, cornerRadius: undefined }, /cornerRadius must be null for a round screen; got undefined/],
    [{ ...square, cornerRadius: null }, /\(Sq\): cornerRadius must be a whole number of px .* got null/],
    [{ ...square, cornerRadius: undefined }, /cornerRadius must be a whole number of px .* got undefined/],
    [{ ...square, cornerRadius: 0 }, /cornerRadius must be a whole number/],
    [{ ...square, cornerRadius: 12.5 }, /cornerRadius must be a whole number/],
    [{ ...square, cornerRadius: '86' }, /cornerRadius must be a whole number .* got "86"/],
    [{ ...square, cornerRadius: 196 }, /from 1 to half the shorter side/],
    [{ ...device, buttons: 0 }, /buttons must be a whole number, at least 1/],
  ])('names the device and the field that is wrong: %j', (bad, message) => {
    expect(() => parseCatalog('devices.json', { devices: [device, bad] })).toThrow(message);
    expect(() => parseCatalog('devices.json', { devices: [device, bad] })).toThrow(/devices\[1\]/);
  });

  it('accepts a square screen with its corner radius, and a round one without', () => {
    const [round, sq] = parseCatalog('d', { devices: [device, square] });
    expect(round!.cornerRadius).toBeNull();
    expect(sq!.cornerRadius).toBe(86);
  });

  it('refuses a name or a device source listed twice', () => {
    expect(() => parseCatalog('d', { devices: [device, { ...device, deviceSources: [2] }] })).toThrow(
      /^d: name "W" is listed twice/,
    );
    expect(() => parseCatalog('d', { devices: [device, { ...device, name: 'W2' }] })).toThrow(
      /^d: deviceSource 1 is listed twice \(W and W2\)/,
    );
  });

  it('refuses two devices of one screen with different corners: one package serves both', () => {
    const devices = parseCatalog('d', {
      devices: [square, { ...square, name: 'Sq2', deviceSources: [10], cornerRadius: 60 }],
    });
    expect(() => targetScreens(devices, '3.0', 'd')).toThrow(
      /^d: Sq and Sq2 share a 390x450 screen but not its cornerRadius \(86 and 60\)/,
    );
  });

  it('groups devices by screen and keeps those at or above the minimum API', () => {
    const devices = parseCatalog('d', {
      devices: [
        device,
        { ...device, name: 'W2', api: '4.0', deviceSources: [2] },
        { ...device, name: 'Old', api: '2.1', w: 454, h: 454, deviceSources: [3] },
        { ...square, api: '3.0', deviceSources: [4] },
      ],
    });
    const screens = targetScreens(devices, '3.0');
    expect(
      screens.map((s) => `${s.shape} ${s.w}x${s.h} ${s.devices.length} ${s.minApi} ${s.cornerRadius}`),
    ).toEqual(['round 480x480 2 3.6 null', 'square 390x450 1 3.0 86']);
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

  it('lists exactly the pages of the route table (core/base/routes), each at its path', () => {
    // Every page name, once: the type check fails here if one is added to or taken from the table.
    const names: { readonly [P in PageName]: true } = {
      home: true,
      resume: true,
      before: true,
      session: true,
      'service-session': true,
      summary: true,
      cues: true,
      reminders: true,
      voice: true,
      check: true,
    };
    const config = loadAppConfig(root);
    const paths = (Object.keys(names) as PageName[]).map(pathOf);
    expect([...config.pages].sort()).toEqual(paths.sort());
    // The rule, by hand, for one page.
    expect(pathOf('summary')).toBe('page/summary/index.page');
  });

  describe('platforms: which entry each screen is built from, as zpm chooses', () => {
    const config = loadAppConfig(root);
    const screens = targetScreens(
      parseCatalog('d', {
        devices: [
          {
            name: 'R',
            api: '3.6',
            zos: '4.0',
            deviceSources: [1],
            shape: 'R',
            w: 480,
            h: 480,
            cornerRadius: null,
            buttons: 2,
          },
          {
            name: 'R2',
            api: '3.6',
            zos: '4.0',
            deviceSources: [2],
            shape: 'R',
            w: 360,
            h: 360,
            cornerRadius: null,
            buttons: 4,
          },
          {
            name: 'S',
            api: '3.6',
            zos: '4.0',
            deviceSources: [3],
            shape: 'S',
            w: 390,
            h: 450,
            cornerRadius: 86,
            buttons: 1,
          },
          {
            name: 'Max',
            api: '4.4',
            zos: '5.0',
            deviceSources: [4],
            shape: 'S',
            w: 432,
            h: 514,
            cornerRadius: 106,
            buttons: 2,
          },
        ],
      }),
      '3.0',
    );
    const withPlatforms = (platforms: object[], app: object = config.raw.app as object) =>
      ({ ...config, platforms, raw: { ...config.raw, app } }) as typeof config;
    const chosen = (c: typeof config) =>
      platformsOfScreens(c, screens).map(
        (p) => `${p.screen.w}x${p.screen.h} ${p.qualifier} dw${p.platform.dw}`,
      );

    it('this app: one entry per shape, and the Bip Max screen its own', () => {
      expect(chosen(config)).toEqual([
        '480x480 r dw480',
        '360x360 r dw480',
        '432x514 w432-s dw432',
        '390x450 s dw390',
      ]);
    });

    it('refuses a screen no entry selects', () => {
      expect(() => chosen(withPlatforms([{ st: 'r', dw: 480 }]))).toThrow(
        /^app\.json: no platform for square 432x514/,
      );
    });

    it('refuses two alike entries for one screen: zpm would keep the first only', () => {
      expect(() =>
        chosen(
          withPlatforms([
            { st: 'r', dw: 480 },
            { st: 'r', dw: 360 },
            { st: 's', dw: 390 },
            { st: 's', sr: 'w432', dw: 432 },
          ]),
        ),
      ).toThrow(/both select round 480x480: zpm keeps the first/);
    });

    it('refuses the Bip Max screen without its opt-in, naming the watch', () => {
      expect(() =>
        chosen(
          withPlatforms([
            { st: 'r', dw: 480 },
            { st: 's', dw: 390 },
          ]),
        ),
      ).toThrow(/square 432x514 \(Max\) runs in a smaller box unless app\._pikeCompatibled is 1/);
      const { _pikeCompatibled: _, ...app } = config.raw.app as Record<string, unknown>;
      expect(() => chosen(withPlatforms(config.platforms as object[], app))).toThrow(/_pikeCompatibled/);
    });
  });
});

describe('npm run build on bad input', () => {
  // A copy of the project's sources with node_modules linked in, so the real build script runs on it.
  const copy = mkdtempSync(join(tmpdir(), 'decompress-build-'));
  for (const entry of [
    'app.json',
    'app.ts',
    'page',
    'app-service',
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
    [
      'scripts/devices.json',
      readFileSync(join(root, 'scripts', 'devices.json'), 'utf8').replace(
        '"cornerRadius": 106',
        '"cornerRadius": null',
      ),
      /^build stopped: .*devices\.json: devices\[2\] \(Amazfit Bip Max\): cornerRadius must be a whole number of px/,
    ],
    [
      'app.json',
      readFileSync(join(root, 'app.json'), 'utf8').replace('"sr": "w432",', ''),
      /^build stopped: app\.json: \{"st":"s","dw":390\} and \{"st":"s","dw":432\} both select square 432x514/,
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
