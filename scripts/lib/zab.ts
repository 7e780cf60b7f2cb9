import { unzipSync } from 'fflate';

/** One screen's package inside a .zab, unpacked: what the watch installs. */
export interface ZpkReport {
  readonly name: string;
  readonly bytes: number;
  readonly shape: 'round' | 'square';
  readonly width: number;
  readonly height: number;
  /** Files of device.zip (app.js, pages, assets), by path. */
  readonly device: Record<string, Uint8Array>;
  /** Files of app-side.zip (app-side.js, setting.js), by path. */
  readonly appSide: Record<string, Uint8Array>;
}

export class ZabError extends Error {}

interface Manifest {
  zpks: { name: string; platforms: { screenType: string; screenResolution: string }[] }[];
}

/** Unpacks a .zab (a zip of one .zpk per screen, each holding device.zip and app-side.zip). */
export function inspectZab(zab: Uint8Array): { zpks: ZpkReport[]; manifest: Manifest } {
  const files = unzipSync(zab);
  const manifestBytes = files['manifest.json'];
  if (!manifestBytes) throw new ZabError('the .zab has no manifest.json');
  const manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as Manifest;
  const zpks = manifest.zpks.map((entry): ZpkReport => {
    const bytes = files[entry.name];
    if (!bytes) throw new ZabError(`manifest.json lists ${entry.name}, which the .zab does not hold`);
    const platform = entry.platforms[0];
    const [w, h] = (platform?.screenResolution ?? '0x0').split('x').map(Number) as [number, number];
    const inner = unzipSync(bytes);
    return {
      name: entry.name,
      bytes: bytes.length,
      shape: platform?.screenType === 'square' ? 'square' : 'round',
      width: w,
      height: h,
      device: inner['device.zip'] ? unzipSync(inner['device.zip']) : {},
      appSide: inner['app-side.zip'] ? unzipSync(inner['app-side.zip']) : {},
    };
  });
  return { zpks, manifest };
}

/** Finds the single .zab in a folder's listing, or says what is wrong. */
export function pickZab(names: readonly string[]): string {
  const zabs = names.filter((n) => n.endsWith('.zab'));
  if (zabs.length !== 1)
    throw new ZabError(`expected one .zab in dist/, found ${zabs.length}: run npm run build`);
  return zabs[0]!;
}

/** An import or export statement left in a compiled bundle means rollup did not resolve it. */
export function leftoverModuleSyntax(js: string): string | undefined {
  const m = /(?:^|[;\n}])\s*(import\s*(?:[\w{*]|['"])[^\n]*|export\s+[\w{*][^\n]*)/.exec(js);
  return m?.[1];
}
