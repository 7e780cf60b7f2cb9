import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { loadAppConfig, type AppConfig } from '../../scripts/lib/app-config';
import { readBytecodeHead, type BytecodeHead } from '../../scripts/lib/bytecode';
import { loadCatalog, targetScreens, type Screen } from '../../scripts/lib/catalog';
import {
  buildZab,
  BuildFailure,
  checkZab,
  publish,
  runZpm,
  type BuildResult,
} from '../../scripts/lib/pipeline';
import { qjscPath } from '../../scripts/lib/qjsc';
import { inspectZab, type ZpkReport } from '../../scripts/lib/zab';
import { writeZeusHome } from '../../scripts/lib/zeus-cache';

const root = join(__dirname, '..', '..');
const config = loadAppConfig(root);
const devices = loadCatalog(join(root, 'scripts', 'devices.json'));
const screens = targetScreens(devices, config.minApi);
const text = (b: Uint8Array | undefined): string => new TextDecoder().decode(b);

// QuickJS 2020-07-05, quickjs.c: JS_WriteObjectAtoms writes BC_VERSION first, 1 in a build without
// CONFIG_BIGNUM on a little-endian machine; the object after the atom table starts with its tag, and
// BC_TAG_FUNCTION_BYTECODE is 14 in that release's BCTagEnum (BC_TAG_MODULE 15).
const QUICKJS_2020_07_05_BC_VERSION = 0x01;
const BC_TAG_FUNCTION_BYTECODE = 14;
const BC_TAG_MODULE = 15;

describe('reading QuickJS bytecode', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'decompress-bc-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const compile = (name: string, code: string): Uint8Array => {
    writeFileSync(join(dir, `${name}.js`), code);
    const r = spawnSync(qjscPath(root), ['-b', '-o', `${name}.bin`, `${name}.js`], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    return readFileSync(join(dir, `${name}.bin`));
  };

  it("reads qjsc's output of a script: version, atoms, then a compiled function", () => {
    const bytes = compile('s', 'var greeting = "hello"; console.log(greeting);');
    expect(bytes[0]).toBe(QUICKJS_2020_07_05_BC_VERSION);
    const head = readBytecodeHead(bytes) as BytecodeHead;
    expect(head.tag).toBe(BC_TAG_FUNCTION_BYTECODE);
    expect(head.atoms).toEqual(expect.arrayContaining(['greeting', 'hello', 'console', 'log', 's.js']));
  });

  it('reads a module, and a string with characters beyond Latin-1', () => {
    const head = readBytecodeHead(compile('m', 'export const word = "žluťoučký";')) as BytecodeHead;
    expect(head.tag).toBe(BC_TAG_MODULE);
    expect(head.atoms).toContain('žluťoučký');
  });

  it('says why JavaScript text, an empty file or a cut file is not bytecode', () => {
    expect(readBytecodeHead(new TextEncoder().encode('try{(()=>{})()}catch(e){}'))).toMatch(
      /^starts with byte 0x74, not QuickJS bytecode version 1 \(it looks like text\)$/,
    );
    expect(readBytecodeHead(new Uint8Array())).toBe('is empty');
    const bytes = compile('c', 'var a = "a fairly long string to cut through";');
    expect(readBytecodeHead(bytes.subarray(0, 12))).toMatch(/runs past the end|ends early/);
  });
});

describe('npm run release (its core function, into a folder of the test)', () => {
  // Its own staging folder and HOME inside the project (zpm needs the project's node_modules), its own
  // output folder: dist/ and dist/release/ are not touched.
  const work = join(root, '.build', 'test-release');
  let out: string;
  let result: BuildResult;
  let zpks: ZpkReport[];

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'decompress-release-'));
    result = await buildZab('release', { root, stage: join(work, 'stage'), home: join(work, 'home'), out });
    zpks = inspectZab(readFileSync(result.zab)).zpks;
  }, 240_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('publishes one .zab with one package per target screen', () => {
    expect(readdirSync(out).filter((f) => f.endsWith('.zab'))).toEqual([result.zab.split(/[\\/]/).pop()]);
    expect(zpks.map((z) => `${z.shape} ${z.width}x${z.height}`).sort()).toEqual(
      screens.map((s) => `${s.shape} ${s.w}x${s.h}`).sort(),
    );
  });

  it('took (ms)', () => {
    // Not a bound: the figure the README quotes, printed with the test run.
    console.info(`release build: ${JSON.stringify(result.ms)}, ${result.bytes} B`);
    expect(result.ms.total).toBeGreaterThan(0);
  });

  describe.each(screens.map((s) => `${s.shape} ${s.w}x${s.h}`))('%s', (name) => {
    const zpk = (): ZpkReport => zpks.find((z) => `${z.shape} ${z.width}x${z.height}` === name)!;

    it('device.zip holds QuickJS bytecode, not JavaScript, for app and every page of app.json', () => {
      for (const entry of ['app', ...config.pages]) {
        const bytes = zpk().device[`${entry}.bin`];
        expect(bytes, `${entry}.bin`).toBeDefined();
        expect(bytes![0], `${entry}.bin first byte`).toBe(QUICKJS_2020_07_05_BC_VERSION);
        const head = readBytecodeHead(bytes!);
        expect(typeof head === 'string' ? head : head.tag, `${entry}.bin`).toBe(BC_TAG_FUNCTION_BYTECODE);
        // zpm wraps every file in try { ... } catch (e) { console.log('Mini Program Error', e) }.
        expect((head as BytecodeHead).atoms, `${entry}.bin`).toContain('Mini Program Error');
      }
      expect(Object.keys(zpk().device).filter((p) => p.endsWith('.js'))).toEqual([]);
    });

    it("the bytecode is the app's own: the summary page's holds the phone-reply channel, the session page's and home's do not", () => {
      const atoms = (p: string): readonly string[] =>
        (readBytecodeHead(zpk().device[p]!) as BytecodeHead).atoms;
      expect(atoms('page/summary/index.page.bin').some((a) => a.includes('response:result:'))).toBe(true);
      expect(atoms('page/session/index.page.bin').some((a) => a.includes('response:result:'))).toBe(false);
      expect(atoms('page/home/index.page.bin').some((a) => a.includes('response:result:'))).toBe(false);
    });

    it("app.json declares the bytecode runtime (zpm's runtime.type 2 = bin), with the icon beside it", () => {
      const appJson = JSON.parse(text(zpk().device['app.json'])) as { runtime: { type: number } };
      expect(appJson.runtime.type).toBe(2);
      expect(zpk().device['assets/icon.png']?.length ?? 0).toBeGreaterThan(500);
    });

    it('app-side.zip keeps the phone side as JavaScript: app-side.js (Side Service) and setting.js', () => {
      expect(text(zpk().appSide['app-side.js'])).toContain('AppSideService(');
      expect(text(zpk().appSide['setting.js'])).toContain('AppSettingsPage(');
    });
  });
});

/** qjsc's bytecode of a one-line script. */
function compileTiny(): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'decompress-tiny-'));
  try {
    writeFileSync(join(dir, 't.js'), 'var t = 1;');
    spawnSync(qjscPath(root), ['-b', '-o', 't.bin', 't.js'], { cwd: dir });
    return readFileSync(join(dir, 't.bin'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('no silently empty output', () => {
  it('zpm on a folder without app.js exits 0 and writes nothing: runZpm says so instead', () => {
    const stage = join(root, '.build', 'test-empty', 'stage');
    const home = join(root, '.build', 'test-empty', 'home');
    rmSync(join(root, '.build', 'test-empty'), { recursive: true, force: true });
    mkdirSync(stage, { recursive: true });
    writeFileSync(join(stage, 'app.json'), JSON.stringify(config.raw));
    writeZeusHome(home, devices, '1.9.1');
    let failure: unknown;
    try {
      runZpm('plain', { root, stage, home, out: join(stage, 'never') });
    } catch (e) {
      failure = e;
    }
    expect(failure).toBeInstanceOf(BuildFailure);
    expect((failure as Error).message).toMatch(
      /^zpm build \(plain\) exited 0 and wrote no \.zab in \.build\/test-empty\/stage\/dist\/:\n[\s\S]*app\.js file must be included/,
    );
  });

  it('a .zab that is empty, unreadable, short of a screen or a page, or holds text for bytecode is refused', () => {
    const zip = (files: Record<string, string | Uint8Array>): Uint8Array =>
      zipSync(
        Object.fromEntries(
          Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? strToU8(v) : v]),
        ),
      );
    const bytecode = compileTiny();
    const pkg = (device: Record<string, string | Uint8Array>): Uint8Array =>
      zip({
        'device.zip': zip({ 'app.json': '{}', 'assets/icon.png': 'png', ...device }),
        'app-side.zip': zip({ 'app-side.js': 'x()' }),
      });
    const zab = (packages: Record<string, Uint8Array>): Uint8Array =>
      zip({
        'manifest.json': JSON.stringify({
          zpks: Object.keys(packages).map((name) => ({
            name,
            platforms: [
              { screenType: name.split('-')[0], screenResolution: name.split('-')[1]!.replace('.zpk', '') },
            ],
          })),
        }),
        ...packages,
      });
    const two = [
      { shape: 'round', w: 480, h: 480 },
      { shape: 'square', w: 390, h: 450 },
    ] as Screen[];
    const cfg = { pages: ['page/home/index.page'], services: [] } as unknown as AppConfig;
    const plainPkg = pkg({ 'app.js': 'a()', 'page/home/index.page.js': 'b()' });
    const releasePkg = pkg({ 'app.bin': bytecode, 'page/home/index.page.bin': bytecode });
    const good = { 'round-480x480.zpk': plainPkg, 'square-390x450.zpk': plainPkg };

    expect(checkZab('plain', zab(good), cfg, two)).toHaveLength(2);
    expect(
      checkZab(
        'release',
        zab({ 'round-480x480.zpk': releasePkg, 'square-390x450.zpk': releasePkg }),
        cfg,
        two,
      ),
    ).toHaveLength(2);
    expect(() => checkZab('plain', new Uint8Array(), cfg, two)).toThrow(/^the \.zab is empty$/);
    expect(() => checkZab('plain', strToU8('not a zip'), cfg, two)).toThrow(/^the \.zab cannot be opened/);
    expect(() => checkZab('plain', zab({ 'round-480x480.zpk': plainPkg }), cfg, two)).toThrow(
      /^it holds 1 packages \(round 480x480\); expected one per target screen \(round 480x480, square 390x450\)$/,
    );
    expect(() =>
      checkZab('plain', zab({ ...good, 'square-390x450.zpk': pkg({ 'app.js': 'a()' }) }), cfg, two),
    ).toThrow(/^package square 390x450: device\.zip has no page\/home\/index\.page\.js$/);
    expect(() => checkZab('release', zab(good), cfg, two)).toThrow(/device\.zip has no app\.bin/);
    const textAsBin = pkg({ 'app.bin': 'try{a()}catch(e){}', 'page/home/index.page.bin': bytecode });
    expect(() =>
      checkZab(
        'release',
        zab({ 'round-480x480.zpk': textAsBin, 'square-390x450.zpk': releasePkg }),
        cfg,
        two,
      ),
    ).toThrow(
      /^package round 480x480: device\.zip app\.bin starts with byte 0x74, not QuickJS bytecode version 1 \(it looks like text\)$/,
    );
    const leftover = pkg({ 'app.bin': bytecode, 'page/home/index.page.bin': bytecode, 'app.js': 'a()' });
    expect(() =>
      checkZab('release', zab({ 'round-480x480.zpk': releasePkg, 'square-390x450.zpk': leftover }), cfg, two),
    ).toThrow(/^package square 390x450: device\.zip still holds JavaScript: app\.js$/);
  });

  it('publishing replaces the .zab files directly in the folder and nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'decompress-publish-'));
    try {
      const out = join(dir, 'dist');
      mkdirSync(join(out, 'release'), { recursive: true });
      writeFileSync(join(out, 'old.zab'), 'old');
      writeFileSync(join(out, 'release', 'kept.zab'), 'kept');
      writeFileSync(join(out, 'notes.txt'), 'kept');
      writeFileSync(join(dir, 'new.zab'), 'new');
      expect(publish(join(dir, 'new.zab'), out)).toBe(join(out, 'new.zab'));
      expect(readdirSync(out).sort()).toEqual(['new.zab', 'notes.txt', 'release']);
      expect(readdirSync(join(out, 'release'))).toEqual(['kept.zab']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
