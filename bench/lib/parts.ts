import { join } from 'node:path';
import { build } from 'esbuild';
import { loadAppConfig } from '../../scripts/lib/app-config';
import { loadCatalog, targetScreens } from '../../scripts/lib/catalog';
import { bundleOptions } from '../../scripts/lib/pipeline';

/** The folders a page's code comes from, in the order core's layers build on each other, then the page's own. */
export const PARTS = [
  'core/base',
  'core/plan',
  'core/log',
  'core/engine',
  'core/link',
  'core/watch',
  'core/screens',
  'page/lib',
  'page',
] as const;

export const partOf = (module: string): string => PARTS.find((p) => module.startsWith(`${p}/`)) ?? 'other';

export interface PageParts {
  /** The page's name: `session` for page/session/index.page. */
  readonly page: string;
  /** Minified bytes of the page's bundle. */
  readonly total: number;
  /** Our modules in it (path from the project's root) and the minified bytes each adds. */
  readonly modules: readonly { readonly path: string; readonly bytes: number }[];
}

/**
 * Every page of app.json bundled as the build bundles it (scripts/lib/pipeline `bundleOptions`), nothing
 * written: esbuild's metafile says which of our modules each page holds and how many bytes each adds.
 */
export async function pageParts(root: string): Promise<PageParts[]> {
  const config = loadAppConfig(root);
  const screens = targetScreens(loadCatalog(join(root, 'scripts', 'devices.json')), config.minApi);
  const result = await build({
    ...bundleOptions(root, config, screens, config.pages),
    outdir: join(root, '.build', 'parts'),
    write: false,
    metafile: true,
  });
  return config.pages.map((page) => {
    const out = Object.values(result.metafile.outputs).find((o) => o.entryPoint?.endsWith(`${page}.ts`));
    if (!out) throw new Error(`no bundle for ${page}`);
    return {
      page: page.replace(/^page\//, '').replace(/\/index\.page$/, ''),
      total: out.bytes,
      modules: Object.entries(out.inputs).map(([path, i]) => ({ path, bytes: i.bytesInOutput })),
    };
  });
}
