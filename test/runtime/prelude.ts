/** Bundles test/runtime/guest (with the npm `buffer` package zml needs) into one script per process. */
import { buildSync } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function preludeSource(): string {
  if (cached) return cached;
  const here = dirname(fileURLToPath(import.meta.url));
  const out = buildSync({
    entryPoints: [join(here, 'guest', 'main.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    // QuickJS-ng/2024 in quickjs-emscripten parses ES2020+; the watch's own engine is older, but the
    // prelude is the double's code, not the app's.
    target: 'es2020',
    platform: 'neutral',
    mainFields: ['browser', 'module', 'main'],
    logLevel: 'silent',
    legalComments: 'none',
    // Smaller source parses faster in every new context; names stay for readable stacks.
    minifyWhitespace: true,
    minifySyntax: true,
  });
  cached = out.outputFiles[0]!.text;
  return cached;
}
