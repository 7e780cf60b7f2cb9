/**
 * The build pipeline of `npm run build` (plain JavaScript) and `npm run release` (QuickJS bytecode):
 * TypeScript → staging folder → the real Zepp builder (zpm) → a checked .zab, offline.
 *
 * zpm compiles only .js and insists on app.js, so each entry is bundled by esbuild into a staging folder
 * inside the project (from outside it rollup cannot resolve @zeppos/zml and leaves bare imports in a
 * package that still "builds"). The device list zpm would download is written from our own catalog into a
 * HOME folder inside `.build/`, and HOME points there for the build.
 *
 * Nothing is published until the new .zab has been found, opened and checked: a failed build leaves the
 * previous one in place.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { build as esbuild, type BuildOptions } from 'esbuild';
import sharp from 'sharp';
import { BuildInputError, loadCatalog, screenCorners, targetScreens, type Screen } from './catalog';
import { loadAppConfig, platformsOfScreens, type AppConfig, type PlatformOfScreen } from './app-config';
import { writeZeusHome } from './zeus-cache';
import { inspectZab, ZabError, type ZpkReport } from './zab';
import { readBytecodeHead } from './bytecode';
import { builtJavaScript, compileWithQjsc, describeRejections, qjscPath, type QjscReport } from './qjsc';

/**
 * ES2015: zpm lowers every .js it builds to ES2015 anyway (its own esbuild pass, docs/platform-facts.md
 * B15), and the helpers that pass adds (`__spreadValues`, `__async`...) sit inside the `with` block its
 * minifier cannot rename: lowered here, with our names minified, each page is 1.3-1.4 KB smaller and zpm
 * finds nothing left to lower. The watch's QuickJS (2020-07-05) parses far newer syntax (B12).
 */
const JS_TARGET = 'es2015';

export type BuildKind = 'plain' | 'release';

/**
 * zpm's command line for each kind. Both are zpm's `build` command (production mode).
 * - plain: zpm's defaults (PNG → device image format, intermediate products kept) plus `-c` (minify: about
 *   a third of the size, and every byte of a page is loaded on the watch). Pages stay JavaScript: what the
 *   runtime double executes.
 * - release: exactly the options `zeus build` passes to zpm in production (zeus-cli 1.9.1,
 *   private-modules/zeppos-app-utils/dist/modules/build.js, buildSupportV3Config: js2bin, png2vg, prune,
 *   compress default true; ip true in production): app.js and every page compiled by qjsc into QuickJS
 *   bytecode (`.bin`) and the `.js` removed. We run zpm rather than zeus because zeus also posts a usage
 *   event to Zepp's analytics server on every build; the package is the same.
 */
export const ZPM_ARGS: Record<BuildKind, readonly string[]> = {
  plain: ['build', '-p', '.', '-c', 'true'],
  release: [
    'build',
    '-p',
    '.',
    '--jsc',
    'bin',
    '--png2vg',
    'true',
    '--prune',
    'true',
    '--compress',
    'true',
    '--ip',
    'true',
  ],
};

export interface BuildPaths {
  /** The project. */
  readonly root: string;
  /** The staging folder zpm builds: must be inside `root`. Emptied first. */
  readonly stage: string;
  /** HOME for zpm: the device cache is written under it. */
  readonly home: string;
  /** Where the .zab is published; other .zab files directly in it are replaced, nothing else is touched. */
  readonly out: string;
}

/** Where `npm run build` and `npm run release` work and publish. */
export function defaultPaths(root: string, kind: BuildKind): BuildPaths {
  return kind === 'plain'
    ? {
        root,
        stage: join(root, '.build', 'stage'),
        home: join(root, '.build', 'home'),
        out: join(root, 'dist'),
      }
    : {
        root,
        stage: join(root, '.build', 'release', 'stage'),
        home: join(root, '.build', 'release', 'home'),
        out: join(root, 'dist', 'release'),
      };
}

export interface BuildResult {
  readonly zab: string;
  readonly bytes: number;
  readonly zpks: readonly ZpkReport[];
  readonly qjsc: QjscReport;
  readonly ms: {
    readonly stage: number;
    readonly zpm: number;
    readonly check: number;
    readonly total: number;
  };
}

/** A build that ran but did not produce what it must. */
export class BuildFailure extends Error {}

export async function buildZab(kind: BuildKind, paths: BuildPaths): Promise<BuildResult> {
  const t0 = Date.now();
  const { config, screens } = await stageProject(paths);
  const t1 = Date.now();
  const staged = runZpm(kind, paths);
  const t2 = Date.now();
  const bytes = readFileSync(staged);
  let zpks: ZpkReport[];
  try {
    zpks = checkZab(kind, bytes, config, screens);
  } catch (e) {
    if (e instanceof ZabError) throw new BuildFailure(`${relative(paths.root, staged)}: ${e.message}`);
    throw e;
  }
  // The watch's own compiler on every JavaScript file still in the package (all of them in a plain build;
  // the phone's in a release, whose watch files zpm has already compiled with it).
  const qjsc = await compileWithQjsc(builtJavaScript(zpks), qjscPath(paths.root));
  if (qjsc.rejections.length > 0) throw new BuildFailure(describeRejections(qjsc.rejections, qjsc.version));
  const t3 = Date.now();
  const zab = publish(staged, paths.out);
  return {
    zab,
    bytes: bytes.length,
    zpks,
    qjsc,
    ms: { stage: t1 - t0, zpm: t2 - t1, check: t3 - t2, total: Date.now() - t0 },
  };
}

/**
 * esbuild's options for our entries, as the build bundles them (also what bench/parts.ts measures a page
 * with): one ES module each, minified, the platform's modules and zml left to zpm.
 */
export function bundleOptions(
  root: string,
  config: AppConfig,
  screens: readonly Screen[],
  entries: readonly string[],
): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: Object.fromEntries(entries.map((e) => [e, join(root, `${e}.ts`)])),
    bundle: true,
    format: 'esm',
    target: JS_TARGET,
    platform: 'neutral',
    // Platform modules and zml are resolved by zpm's own rollup, as in any Zepp project; so is the
    // Settings App's `i18n` (zpm generates it from setting/i18n/*.po).
    external: ['@zos/*', '@zeppos/*', 'i18n'],
    define: {
      __APP_VERSION__: JSON.stringify(config.version),
      __SCREEN_CORNERS__: JSON.stringify(screenCorners(screens)),
    },
    // zpm's own minifier (`-c`) cannot rename anything inside the `with (context) { ... }` wrapper it puts
    // around each page, so every name of ours would ship whole: esbuild renames them before zpm wraps.
    minify: true,
    logLevel: 'error',
    legalComments: 'none',
  };
}

/** Checks the inputs, then writes the staging folder zpm builds: bundled entries, app.json, i18n, icons. */
export async function stageProject(paths: BuildPaths): Promise<{ config: AppConfig; screens: Screen[] }> {
  const { root, stage } = paths;
  if (relative(root, stage).startsWith('..')) {
    throw new BuildFailure(`the staging folder ${stage} must be inside the project ${root}`);
  }
  const config = loadAppConfig(root);
  const devices = loadCatalog(join(root, 'scripts', 'devices.json'));
  const screens = targetScreens(devices, config.minApi);
  const platforms = platformsOfScreens(config, screens);

  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });

  const entries = [
    'app',
    ...config.pages,
    ...config.services,
    ...(config.appSide ? [config.appSide] : []),
    ...(config.setting ? [config.setting] : []),
  ];
  await esbuild({ ...bundleOptions(root, config, screens, entries), outdir: stage });

  writeFileSync(join(stage, 'app.json'), JSON.stringify(config.raw, null, 2));
  for (const dir of ['page/i18n', 'setting/i18n']) {
    if (existsSync(join(root, dir))) cpSync(join(root, dir), join(stage, dir), { recursive: true });
  }
  await renderIcons(root, stage, config.targetName, platforms);
  writeZeusHome(paths.home, devices, zeusVersion(root));
  return { config, screens };
}

/** Runs zpm on the staging folder; returns the one non-empty .zab it wrote, or fails saying what it lacks. */
export function runZpm(kind: BuildKind, paths: BuildPaths): string {
  const zpm = join(paths.root, 'node_modules', '@zeppos', 'zpm', 'bin', 'index.js');
  const run = spawnSync(process.execPath, [zpm, ...ZPM_ARGS[kind]], {
    cwd: paths.stage,
    env: { ...process.env, HOME: paths.home, USERPROFILE: paths.home },
    encoding: 'utf8',
  });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  const outDir = join(paths.stage, 'dist');
  const zabs = existsSync(outDir) ? readdirSync(outDir).filter((f) => f.endsWith('.zab')) : [];
  const fail = (what: string): never => {
    // zpm prints "设备重复" ("duplicate device") once per device source that two platforms of app.json
    // match; it says nothing about the failure, so it is left out of the tail.
    const tail = output
      .split('\n')
      .filter((l) => l.trim() !== '' && l.trim() !== '设备重复')
      .slice(-15)
      .join('\n');
    throw new BuildFailure(
      `zpm build (${kind}) exited ${run.status ?? run.signal ?? run.error?.message} and ${what}${tail ? `:\n${tail}` : ''}`,
    );
  };
  if (zabs.length === 0) return fail(`wrote no .zab in ${relative(paths.root, outDir)}/`);
  if (zabs.length > 1)
    return fail(`wrote ${zabs.length} .zab files in ${relative(paths.root, outDir)}/, expected one`);
  const zab = join(outDir, zabs[0]!);
  if (statSync(zab).size === 0) return fail(`wrote an empty ${relative(paths.root, zab)}`);
  if (run.status !== 0) return fail(`wrote ${relative(paths.root, zab)} anyway; not trusting it`);
  return zab;
}

/**
 * Opens a built .zab and checks it holds what the watch needs: one package per target screen; in each,
 * app.json, app and every page of app.json (JavaScript in a plain build; QuickJS bytecode and no JavaScript
 * in a release), the icon, and app-side.js. Returns the packages, or throws a ZabError naming what is wrong.
 */
export function checkZab(
  kind: BuildKind,
  bytes: Uint8Array,
  config: AppConfig,
  screens: readonly Screen[],
): ZpkReport[] {
  if (bytes.length === 0) throw new ZabError('the .zab is empty');
  let zpks: ZpkReport[];
  try {
    zpks = inspectZab(bytes).zpks;
  } catch (e) {
    throw new ZabError(`the .zab cannot be opened: ${(e as Error).message}`);
  }
  const key = (s: { shape: string; w: number; h: number }): string => `${s.shape} ${s.w}x${s.h}`;
  const built = zpks.map((z) => key({ shape: z.shape, w: z.width, h: z.height }));
  const missing = screens.map(key).filter((k) => !built.includes(k));
  const extra = built.filter((k) => !screens.map(key).includes(k));
  if (missing.length > 0 || extra.length > 0 || built.length !== screens.length) {
    throw new ZabError(
      `it holds ${built.length} packages (${built.join(', ')}); expected one per target screen (${screens.map(key).join(', ')})`,
    );
  }
  const ext = kind === 'plain' ? '.js' : '.bin';
  for (const zpk of zpks) {
    const where = `package ${zpk.shape} ${zpk.width}x${zpk.height}`;
    const need = (files: Record<string, Uint8Array>, zip: string, path: string): Uint8Array => {
      const f = files[path];
      if (!f || f.length === 0) throw new ZabError(`${where}: ${zip} has no ${path}${f ? ' (empty)' : ''}`);
      return f;
    };
    need(zpk.device, 'device.zip', 'app.json');
    need(zpk.device, 'device.zip', 'assets/icon.png');
    need(zpk.appSide, 'app-side.zip', 'app-side.js');
    for (const entry of ['app', ...config.pages, ...config.services]) {
      const file = need(zpk.device, 'device.zip', `${entry}${ext}`);
      if (kind === 'release') {
        const head = readBytecodeHead(file);
        if (typeof head === 'string') throw new ZabError(`${where}: device.zip ${entry}.bin ${head}`);
      }
    }
    if (kind === 'release') {
      const js = Object.keys(zpk.device).filter((p) => p.endsWith('.js'));
      if (js.length > 0) throw new ZabError(`${where}: device.zip still holds JavaScript: ${js.join(', ')}`);
    }
  }
  return zpks;
}

/**
 * Copies the .zab into `out` (through a temporary name, then a rename), then removes the other .zab files
 * directly in `out`. Until this point `out` is untouched, so a failed build never empties it.
 */
export function publish(zab: string, out: string): string {
  mkdirSync(out, { recursive: true });
  const name = zab.split(/[\\/]/).pop()!;
  const target = join(out, name);
  const partial = join(out, `.${name}.partial`);
  cpSync(zab, partial);
  renameSync(partial, target);
  for (const f of readdirSync(out)) {
    if (f.endsWith('.zab') && f !== name) rmSync(join(out, f), { force: true });
  }
  return target;
}

function zeusVersion(root: string): string {
  const pkg = JSON.parse(
    readFileSync(join(root, 'node_modules', '@zeppos', 'zeus-cli', 'package.json'), 'utf8'),
  ) as { version: string };
  return pkg.version;
}

/**
 * Icons are drawn as SVG (assets/icon-round.svg, assets/icon-square.svg) and rasterised into the assets
 * folder of each platform entry (`<target>.r`, `<target>.s`, `<target>.w432-s`...).
 */
async function renderIcons(
  root: string,
  stage: string,
  targetName: string,
  platforms: readonly PlatformOfScreen[],
): Promise<void> {
  const folders = new Map(platforms.map((p) => [p.qualifier, p.screen.shape]));
  const designWidths = new Map(platforms.map((p) => [p.qualifier, p.platform.dw]));
  for (const [qualifier, shape] of folders) {
    const svg = join(root, 'assets', `icon-${shape}.svg`);
    if (!existsSync(svg)) throw new BuildInputError(`assets/icon-${shape}.svg`, 'missing');
    const out = join(stage, 'assets', `${targetName}.${qualifier}`);
    mkdirSync(out, { recursive: true });
    await sharp(svg).resize(248, 248).png().toFile(join(out, 'icon.png'));
    const images = join(root, 'assets', 'images');
    if (existsSync(images)) cpSync(images, join(out, 'images'), { recursive: true });
    // The pictures of the steps (scripts/pictures.ts) drawn for this entry's design width: the watch
    // scales an image by its screen's width over it.
    const pictures = join(root, 'assets', 'pictures', `dw${designWidths.get(qualifier)}`);
    if (existsSync(pictures)) cpSync(pictures, join(out, 'pictures'), { recursive: true });
    // The spoken phrases (scripts/voice.ts), every language's: the watch picks its own folder.
    const voice = join(root, 'assets', 'voice');
    if (existsSync(voice))
      cpSync(voice, join(out, 'voice'), { recursive: true, filter: (f) => !f.endsWith('.json') });
  }
}

/** One line per package, largest screens first: shape, size, bytes, name, and what it holds. */
export function describePackages(zpks: readonly ZpkReport[]): string[] {
  return [...zpks]
    .sort((a, b) => a.shape.localeCompare(b.shape) || b.width - a.width || b.height - a.height)
    .map((zpk) => {
      const files = (f: Record<string, Uint8Array>, ext: string): string[] =>
        Object.keys(f)
          .filter((p) => p.endsWith(ext))
          .sort((a, b) => (a === `app${ext}` ? -1 : b === `app${ext}` ? 1 : a.localeCompare(b)));
      const bin = files(zpk.device, '.bin');
      const watch = bin.length > 0 ? bin : files(zpk.device, '.js');
      const bytes = watch.reduce((n, p) => n + zpk.device[p]!.length, 0);
      const kind = bin.length > 0 ? 'QuickJS bytecode' : 'JavaScript';
      return (
        `${zpk.shape.padEnd(6)} ${`${zpk.width}x${zpk.height}`.padEnd(8)} ${String(zpk.bytes).padStart(8)} B  ${zpk.name}` +
        `  watch: ${watch.length} files ${kind} (${bytes} B); phone: ${files(zpk.appSide, '.js').join(', ')}`
      );
    });
}
