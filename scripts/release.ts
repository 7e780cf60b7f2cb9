/**
 * npm run release: the .zab to install, offline → dist/release/<app>-<version>-<stamp>.zab.
 *
 * What `zeus build` makes in production: the same staged project as `npm run build`, built by zpm with the
 * options zeus passes (scripts/lib/pipeline.ts, ZPM_ARGS.release), so app.js and every page are compiled by
 * qjsc 2020-07-05 into QuickJS bytecode (`.bin`) and their JavaScript removed; app-side.js and setting.js
 * run on the phone and stay JavaScript. Each package is checked to hold bytecode for app and every page
 * before anything in dist/release/ is replaced. The plain-JS build in dist/ is left as it is.
 */
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BuildInputError } from './lib/catalog';
import { buildZab, defaultPaths, describePackages } from './lib/pipeline';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const result = await buildZab('release', defaultPaths(root, 'release'));
  for (const line of describePackages(result.zpks)) console.log(line);
  console.log(
    `${relative(process.cwd(), result.zab)}  ${result.bytes} B, ${result.zpks.length} packages, ${result.ms.total} ms`,
  );
  console.log(
    'This is the package to install: upload it in the Zepp developer console (see README, "Release build").',
  );
}

main().catch((e: unknown) => {
  if (e instanceof BuildInputError) {
    console.error(`release stopped: ${e.message}`);
  } else {
    console.error(`release failed: ${(e as Error).message}`);
  }
  process.exit(1);
});
