/**
 * npm run build: the plain-JavaScript .zab, offline → dist/<app>-<version>-<stamp>.zab.
 *
 * What the tests and the runtime double run: app.js and the pages stay JavaScript (minified). Every built
 * JavaScript file is compiled with the watch's own compiler (qjsc 2020-07-05, from zpm) before dist/ is
 * touched: a construct the watch's engine rejects stops the build, naming the file and qjsc's message.
 * The package to install on a watch is the bytecode one: `npm run release` (scripts/release.ts).
 * The pipeline itself is scripts/lib/pipeline.ts.
 */
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BuildInputError } from './lib/catalog';
import { buildZab, defaultPaths, describePackages } from './lib/pipeline';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const result = await buildZab('plain', defaultPaths(root, 'plain'));
  for (const line of describePackages(result.zpks)) console.log(line);
  const { qjsc } = result;
  console.log(
    `qjsc ${qjsc.version} (the watch's compiler) accepts all ${qjsc.files} JavaScript files (${qjsc.compiled} distinct), ${qjsc.ms} ms`,
  );
  console.log(
    `${relative(process.cwd(), result.zab)}  ${result.bytes} B, ${result.zpks.length} packages, ${result.ms.total} ms`,
  );
}

main().catch((e: unknown) => {
  if (e instanceof BuildInputError) {
    console.error(`build stopped: ${e.message}`);
  } else {
    console.error(`build failed: ${(e as Error).message}`);
  }
  process.exit(1);
});
