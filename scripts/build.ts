/**
 * npm run build: TypeScript → staging folder → the real Zepp builder (zpm) → dist/*.zab, offline.
 *
 * zpm compiles only .js and insists on app.js, so each entry is bundled by esbuild into `.build/stage`
 * (inside the project: from outside it rollup cannot resolve @zeppos/zml and leaves bare imports in a
 * package that still "builds"). The device list zpm would download is written from our own catalog
 * into `.build/home/.zepp`, and HOME points there for the build.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import sharp from 'sharp';
import { BuildInputError, loadCatalog, screenCorners, targetScreens } from './lib/catalog';
import { loadAppConfig, platformsOfScreens, type PlatformOfScreen } from './lib/app-config';
import { writeZeusHome } from './lib/zeus-cache';
import { inspectZab } from './lib/zab';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stage = join(root, '.build', 'stage');
const home = join(root, '.build', 'home');
const distDir = join(root, 'dist');

/** The JS level the watch's QuickJS (2020-07 era) is known to parse; esbuild lowers newer syntax. */
const JS_TARGET = 'es2019';

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadAppConfig(root);
  const devices = loadCatalog(join(root, 'scripts', 'devices.json'));
  const screens = targetScreens(devices, config.minApi);
  const platforms = platformsOfScreens(config, screens);

  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });

  const entries = [
    'app',
    ...config.pages,
    ...(config.appSide ? [config.appSide] : []),
    ...(config.setting ? [config.setting] : []),
  ];
  await esbuild({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(entries.map((e) => [e, join(root, `${e}.ts`)])),
    outdir: stage,
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
    logLevel: 'error',
    legalComments: 'none',
  });

  writeFileSync(join(stage, 'app.json'), JSON.stringify(config.raw, null, 2));
  copyI18n();
  await renderIcons(config.targetName, platforms);

  writeZeusHome(home, devices, zeusVersion());
  const zpm = join(root, 'node_modules', '@zeppos', 'zpm', 'bin', 'index.js');
  // -c minifies each bundle: about a third of the size, and every byte of a page is loaded on the watch.
  const run = spawnSync(process.execPath, [zpm, 'build', '-p', '.', '-c', 'true'], {
    cwd: stage,
    env: { ...process.env, HOME: home, USERPROFILE: home },
    encoding: 'utf8',
  });
  const zabs = existsSync(join(stage, 'dist'))
    ? readdirSync(join(stage, 'dist')).filter((f) => f.endsWith('.zab'))
    : [];
  if (run.status !== 0 || zabs.length !== 1) {
    const tail = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`zpm build failed (exit ${run.status}, ${zabs.length} .zab):\n${tail}`);
  }
  if (/warn|unresolved/i.test(run.stdout + run.stderr) && /import/i.test(run.stdout + run.stderr)) {
    console.warn('zpm reported unresolved imports; the build check will fail.');
  }

  rmSync(distDir, { recursive: true, force: true });
  mkdirSync(distDir, { recursive: true });
  const zabName = zabs[0]!;
  cpSync(join(stage, 'dist', zabName), join(distDir, zabName));
  const zabPath = join(distDir, zabName);

  const report = inspectZab(readFileSync(zabPath));
  const bySize = [...report.zpks].sort(
    (a, b) => a.shape.localeCompare(b.shape) || b.width - a.width || b.height - a.height,
  );
  for (const zpk of bySize) {
    console.log(
      `${zpk.shape.padEnd(6)} ${`${zpk.width}x${zpk.height}`.padEnd(8)} ${String(zpk.bytes).padStart(8)} B  ${zpk.name}`,
    );
  }
  console.log(
    `${relative(process.cwd(), zabPath)}  ${statSync(zabPath).size} B, ${report.zpks.length} packages, ${Date.now() - started} ms`,
  );
}

function zeusVersion(): string {
  const pkg = JSON.parse(
    readFileSync(join(root, 'node_modules', '@zeppos', 'zeus-cli', 'package.json'), 'utf8'),
  ) as {
    version: string;
  };
  return pkg.version;
}

function copyI18n(): void {
  for (const dir of ['page/i18n', 'setting/i18n']) {
    if (existsSync(join(root, dir))) cpSync(join(root, dir), join(stage, dir), { recursive: true });
  }
}

/**
 * Icons are drawn as SVG (assets/icon-round.svg, assets/icon-square.svg) and rasterised into the assets
 * folder of each platform entry (`<target>.r`, `<target>.s`, `<target>.w432-s`...).
 */
async function renderIcons(targetName: string, platforms: readonly PlatformOfScreen[]): Promise<void> {
  const folders = new Map(platforms.map((p) => [p.qualifier, p.screen.shape]));
  for (const [qualifier, shape] of folders) {
    const svg = join(root, 'assets', `icon-${shape}.svg`);
    if (!existsSync(svg)) throw new BuildInputError(`assets/icon-${shape}.svg`, 'missing');
    const out = join(stage, 'assets', `${targetName}.${qualifier}`);
    mkdirSync(out, { recursive: true });
    await sharp(svg).resize(248, 248).png().toFile(join(out, 'icon.png'));
    const images = join(root, 'assets', 'images');
    if (existsSync(images)) cpSync(images, join(out, 'images'), { recursive: true });
  }
}

main().catch((e: unknown) => {
  if (e instanceof BuildInputError) {
    console.error(`build stopped: ${e.message}`);
  } else {
    console.error(`build failed: ${(e as Error).message}`);
  }
  process.exit(1);
});
