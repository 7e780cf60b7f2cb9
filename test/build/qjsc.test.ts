import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../scripts/lib/app-config';
import { loadCatalog, targetScreens } from '../../scripts/lib/catalog';
import {
  builtJavaScript,
  compileWithQjsc,
  describeRejections,
  qjscPath,
  qjscVersion,
  QjscUnavailable,
  type BuiltJs,
} from '../../scripts/lib/qjsc';
import { inspectZab, pickZab } from '../../scripts/lib/zab';

// The watch's own compiler (qjsc 2020-07-05, shipped in @zeppos/zpm) on what we build. `npm run build`
// already refuses a build it rejects; this checks the artifact itself, and that the check catches what the
// watch's engine rejects while Node (a modern engine) accepts it.
const root = join(__dirname, '..', '..');
const bin = qjscPath(root);
const config = loadAppConfig(root);
const screens = targetScreens(loadCatalog(join(root, 'scripts', 'devices.json')), config.minApi);

const file = (label: string, code: string, runsOn: 'watch' | 'phone' = 'watch'): BuiltJs => ({
  label,
  path: label.split('.zip/')[1]!,
  runsOn,
  code: strToU8(code),
});

/** A .zab laid out as zpm lays it out: manifest.json and one .zpk per screen, each device.zip + app-side.zip. */
function fakeZab(device: Record<string, string>, appSide: Record<string, string>): Uint8Array {
  const zip = (files: Record<string, string>): Uint8Array =>
    zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])));
  const zpk = zipSync({ 'device.zip': zip(device), 'app-side.zip': zip(appSide) });
  const platform = (screenType: string, screenResolution: string): object => ({
    name: `${screenType}.zpk`,
    platforms: [{ screenType, screenResolution }],
  });
  return zipSync({
    'manifest.json': strToU8(
      JSON.stringify({ zpks: [platform('round', '480x480'), platform('square', '390x450')] }),
    ),
    'round.zpk': zpk,
    'square.zpk': zpk,
  });
}

describe('qjsc, the compiler of the watch engine', () => {
  it('runs on this machine and is QuickJS 2020-07-05', () => {
    expect(qjscVersion(bin)).toBe('2020-07-05');
  });

  it('is picked per platform as zpm picks it, and an unknown platform is named', () => {
    const name = (platform: string, arch: string): string =>
      qjscPath('/p', platform, arch).split(/[\\/]/).pop()!;
    expect(name('linux', 'x64')).toBe('qjsc');
    expect(name('linux', 'arm64')).toBe('qjsc_arm64');
    expect(name('darwin', 'x64')).toBe('qjsc_darwin');
    expect(name('darwin', 'arm64')).toBe('qjsc_darwin_arm64');
    expect(name('win32', 'x64')).toBe('qjsc_win32.exe');
    expect(() => qjscPath('/p', 'freebsd', 'x64')).toThrow(
      /linux, darwin and win32 only; this machine is freebsd x64/,
    );
  });

  it('a missing binary is reported as such, not as a rejection', async () => {
    expect(() => qjscVersion('/nonexistent/qjsc')).toThrow(QjscUnavailable);
    await expect(
      compileWithQjsc([file('r device.zip/app.js', 'var a = 1;')], '/nonexistent/qjsc'),
    ).rejects.toThrow(/does not exist/);
  });

  // Each of these parses in Node 20 and in the runtime double's newer QuickJS; qjsc 2020-07-05 refuses it.
  it.each([
    ['logical assignment ??=', 'var a = null; a ??= 1;'],
    ['logical assignment ||=', 'var a = 0; a ||= 1;'],
    ['a class static block', 'class A { static { this.x = 1; } }'],
    ['a private brand check #x in o', 'class A { #x = 1; static has(o) { return #x in o; } }'],
    ['a BigInt literal (this qjsc is built without bignum)', 'var b = 1n;'],
    ['the RegExp d flag', 'var r = /a/d;'],
  ])('rejects %s, which Node accepts', async (_, code) => {
    expect(() => new Script(code)).not.toThrow();
    const report = await compileWithQjsc([file('round 480x480 device.zip/page/x/index.page.js', code)], bin);
    expect(report.rejections).toHaveLength(1);
    expect(report.rejections[0]!.message).toMatch(/^SyntaxError: .*\n\s+at page\/x\/index\.page\.js:1$/);
  });

  it.each([
    ['optional chaining and ??', 'var o = {}; var v = o?.a?.b ?? 1;'],
    [
      'class fields, private fields and methods',
      'class A { x = 1; #y = 2; static z = 3; get() { return this.#y; } }',
    ],
    ['numeric separators', 'var n = 1_000_000;'],
    ['exponentiation', 'var x = 2 ** 10;'],
    [
      'async generators and for await',
      'async function* g() { yield 1; } (async () => { for await (const x of g()); })();',
    ],
    ['optional catch binding', 'try { f(); } catch { }'],
  ])('accepts %s', async (_, code) => {
    const report = await compileWithQjsc([file('round 480x480 device.zip/page/x/index.page.js', code)], bin);
    expect(report.rejections).toEqual([]);
  });

  it('finds a rejected construct in a .zab, names each file and where it runs, with qjsc message and line', async () => {
    const good = '(function(){var a={b:1};console.log(a.b)})();';
    // One line, as the builder minifies it: qjsc says line 1, the reprinted copy says which statement.
    const bad = 'var s={n:null};function f(x){x.n??=2;return x}f(s);';
    const zab = fakeZab(
      { 'app.js': good, 'page/home/index.page.js': bad, 'page/session/index.page.js': good },
      { 'app-side.js': good, 'setting.js': 'var big = 10n;' },
    );
    const report = await compileWithQjsc(builtJavaScript(inspectZab(zab).zpks), bin);
    expect(report.files).toBe(10);
    expect(report.compiled).toBe(3);
    expect(report.rejections.map((r) => [r.labels, r.runsOn])).toEqual([
      [
        [
          'round 480x480 device.zip/page/home/index.page.js',
          'square 390x450 device.zip/page/home/index.page.js',
        ],
        'watch',
      ],
      [['round 480x480 app-side.zip/setting.js', 'square 390x450 app-side.zip/setting.js'], 'phone'],
    ]);
    const text = describeRejections(report.rejections);
    expect(text).toContain('qjsc 2020-07-05');
    expect(text).toContain(
      'round 480x480 device.zip/page/home/index.page.js (identical in 1 more package), runs on the watch:',
    );
    expect(text).toContain("SyntaxError: unexpected token in expression: '='");
    expect(text).toContain('at page/home/index.page.js:1');
    expect(text).toMatch(/line \d+ of the file reprinted: x\.n \?\?= 2;/);
    expect(text).toContain(
      'round 480x480 app-side.zip/setting.js (identical in 1 more package), runs on the phone,',
    );
    expect(text).toContain('SyntaxError: invalid number literal');
  });

  it('accepts a .zab of good code', async () => {
    const good = 'var o={a:1};console.log(o?.a??2);';
    const zab = fakeZab({ 'app.js': good, 'page/home/index.page.js': good }, { 'app-side.js': good });
    const report = await compileWithQjsc(builtJavaScript(inspectZab(zab).zpks), bin);
    expect(report).toMatchObject({ files: 6, compiled: 1, rejections: [] });
  });
});

describe('every JavaScript file of the built .zab (dist/)', () => {
  const zab = inspectZab(readFileSync(join(root, 'dist', pickZab(readdirSync(join(root, 'dist'))))));

  it('compiles with the watch compiler: app.js, the pages and the App Service (watch), app-side.js and setting.js (phone)', async () => {
    const files = builtJavaScript(zab.zpks);
    // app.js, every page and service of app.json, app-side.js and setting.js, in each package of a target screen.
    expect(files).toHaveLength(screens.length * (1 + config.pages.length + config.services.length + 2));
    expect(
      files
        .filter((f) => f.runsOn === 'phone')
        .map((f) => f.path)
        .sort(),
    ).toEqual(
      Array.from({ length: screens.length }, () => ['app-side.js', 'setting.js'])
        .flat()
        .sort(),
    );
    const report = await compileWithQjsc(files, bin);
    expect(report.rejections.length === 0 ? '' : describeRejections(report.rejections)).toBe('');
  });
});
