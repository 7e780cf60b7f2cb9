import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../scripts/lib/app-config';
import { loadCatalog, targetScreens } from '../../scripts/lib/catalog';
import { inspectZab, leftoverModuleSyntax, pickZab } from '../../scripts/lib/zab';

// Checks the artifact `npm run build` wrote (npm test builds first), as a watch would receive it.
const root = join(__dirname, '..', '..');
const config = loadAppConfig(root);
const screens = targetScreens(loadCatalog(join(root, 'scripts', 'devices.json')), config.minApi);
const zab = inspectZab(readFileSync(join(root, 'dist', pickZab(readdirSync(join(root, 'dist'))))));
const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);

describe('the built .zab', () => {
  it('holds exactly one package per target screen of the catalog', () => {
    const built = zab.zpks.map((z) => `${z.shape} ${z.width}x${z.height}`).sort();
    const wanted = screens.map((s) => `${s.shape} ${s.w}x${s.h}`).sort();
    expect(built).toEqual(wanted);
    // The eight screens of the official device list (API_LEVEL ≥ 3.0), written out by hand.
    expect(built).toEqual(
      [
        'round 480x480',
        'round 466x466',
        'round 454x454',
        'round 416x416',
        'round 360x360',
        'square 432x514',
        'square 390x450',
        'square 320x380',
      ].sort(),
    );
  });

  it('each package lists exactly the device sources of its screen', () => {
    for (const zpk of zab.zpks) {
      const appJson = JSON.parse(text(zpk.device['app.json'])) as { platforms: { deviceSource: number }[] };
      const screen = screens.find((s) => s.shape === zpk.shape && s.w === zpk.width && s.h === zpk.height)!;
      expect(appJson.platforms.map((p) => p.deviceSource).sort()).toEqual(
        screen.devices.flatMap((d) => d.deviceSources).sort(),
      );
    }
  });

  it('the Bip Max package opts in to its whole 432×514 screen (else the watch shows the app in a 390×450 box)', () => {
    const zpk = zab.zpks.find((z) => z.width === 432)!;
    const appJson = JSON.parse(text(zpk.device['app.json'])) as {
      app: Record<string, unknown>;
      designWidth: number;
      platforms: Record<string, unknown>[];
    };
    expect(appJson.app._pikeCompatibled).toBe(1);
    expect(appJson.designWidth).toBe(432);
    expect(appJson.platforms).toEqual([{ deviceSource: 11206915, st: 's', sr: 'w432', dw: 432 }]);
  });

  describe.each(zab.zpks.map((z) => [`${z.shape} ${z.width}x${z.height}`, z] as const))('%s', (_, zpk) => {
    it('device.zip holds app.js and every page of app.json, compiled with no module syntax left', () => {
      for (const file of ['app.js', ...config.pages.map((p) => `${p}.js`)]) {
        expect(Object.keys(zpk.device), file).toContain(file);
        expect(leftoverModuleSyntax(text(zpk.device[file])), file).toBeUndefined();
      }
    });

    it('the session page and home carry no messaging code: a session never waits on the phone, home talks to nobody', () => {
      // "response:result:" is the reply channel of zml's page-side request; the pages that talk to the
      // phone have it, the session page and home must not.
      expect(text(zpk.device['page/summary/index.page.js'])).toContain('response:result:');
      expect(text(zpk.device['page/session/index.page.js'])).not.toContain('response:result:');
      expect(text(zpk.device['page/home/index.page.js'])).not.toContain('response:result:');
    });

    it('the question before a session talks to the phone but carries none of the session engine: nothing is stored yet', () => {
      const before = text(zpk.device['page/before/index.page.js']);
      expect(before).toContain('response:result:');
      // The running keys' name (core/engine/running-keys) and the stored session's check
      // (core/engine/session restoreSession): the summary after a session has both, the question neither.
      for (const engine of ['session.current', 'does not hold together']) {
        expect(text(zpk.device['page/summary/index.page.js'])).toContain(engine);
        expect(before).not.toContain(engine);
      }
    });

    it('device.zip holds the app icon', () => {
      expect(zpk.device['assets/icon.png']?.length ?? 0).toBeGreaterThan(500);
    });

    it('app-side.zip holds app-side.js with no module syntax left', () => {
      expect(Object.keys(zpk.appSide)).toContain('app-side.js');
      expect(leftoverModuleSyntax(text(zpk.appSide['app-side.js']))).toBeUndefined();
    });
  });
});

describe('leftoverModuleSyntax', () => {
  it('finds a bare import or export that rollup left unresolved', () => {
    expect(leftoverModuleSyntax("import { BasePage } from '@zeppos/zml/base-page';\nPage({})")).toMatch(
      /^import/,
    );
    expect(leftoverModuleSyntax('x();\nexport const a = 1;')).toMatch(/^export/);
    expect(leftoverModuleSyntax("const imported = 1; const s = 'export all';")).toBeUndefined();
  });
});
