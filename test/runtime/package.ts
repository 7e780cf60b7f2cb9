/**
 * What the watch installs for one device: the .zpk of its screen from a built .zab (unpacked with the
 * project's own `inspectZab`), its device.zip and app-side.zip files as text, and the device's facts
 * from the catalog (scripts/devices.json).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog, type Device } from '../../scripts/lib/catalog';
import { OPT_IN_SCREENS } from '../../scripts/lib/app-config';
import { inspectZab, pickZab, type ZpkReport } from '../../scripts/lib/zab';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface AppJson {
  app: { appId: number; appName: string; version: { code: number; name: string } };
  permissions?: string[];
  designWidth?: number;
  module?: {
    page?: { pages?: string[] };
    'app-side'?: { path: string };
    'app-service'?: { services?: string[] };
  };
  [key: string]: unknown;
}

export interface WatchPackage {
  readonly device: Device;
  /**
   * The screen the app is given (getDeviceInfo, the drawing area): the device's own, except on a screen
   * that needs an opt-in the package lacks (the Bip Max without app._pikeCompatibled: a 390 x 450 box).
   */
  readonly screen: { readonly w: number; readonly h: number };
  readonly zpk: ZpkReport;
  readonly appJson: AppJson;
  /** device.zip files as text (JS and JSON only), by path. */
  readonly files: ReadonlyMap<string, string>;
  readonly appSideJs: string | undefined;
  readonly settingJs: string | undefined;
  readonly pages: readonly string[];
  /** Language → key → text, from the packaged assets/raw/locale/*.btxt. */
  readonly locales: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

/**
 * zpm's compiled .po files: a big-endian u32 count, `count` u32 offsets, then the strings back to back
 * (string i runs from offset i to offset i+1 or the end). TID.btxt holds the keys in the same order.
 */
export function readBtxt(bytes: Uint8Array): string[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = v.getUint32(0, false);
  const offsets = Array.from({ length: count }, (_, i) => v.getUint32(4 + 4 * i, false));
  const dec = new TextDecoder();
  return offsets.map((o, i) => dec.decode(bytes.subarray(o, offsets[i + 1] ?? bytes.length)));
}

function readLocales(device: Record<string, Uint8Array>): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  const tid = device['assets/raw/locale/TID.btxt'];
  if (!tid || tid.length < 4) return out;
  const keys = readBtxt(tid);
  for (const [path, bytes] of Object.entries(device)) {
    const m = /^assets\/raw\/locale\/([\w-]+)\.btxt$/.exec(path);
    if (!m || m[1] === 'TID') continue;
    const values = readBtxt(bytes);
    out.set(m[1]!, Object.fromEntries(keys.map((k, i) => [k, values[i] ?? k])));
  }
  return out;
}

let catalog: Device[] | undefined;
export function devices(): Device[] {
  catalog ??= loadCatalog(join(projectRoot, 'scripts', 'devices.json'));
  return catalog;
}

export function findDevice(name: string): Device {
  const d = devices().find((x) => x.name === name);
  if (!d)
    throw new Error(
      `no device "${name}" in scripts/devices.json; known: ${devices()
        .map((x) => x.name)
        .join(', ')}`,
    );
  return d;
}

const zabCache = new Map<string, ReturnType<typeof inspectZab>>();

/** The single dist/*.zab (what `npm run build` wrote). */
export function defaultZabPath(): string {
  const dist = join(projectRoot, 'dist');
  let names: string[];
  try {
    names = readdirSync(dist);
  } catch {
    throw new Error('dist/ does not exist: run `npm run build` first');
  }
  return join(dist, pickZab(names));
}

export function loadZab(zab: string | Uint8Array = defaultZabPath()): ReturnType<typeof inspectZab> {
  if (typeof zab !== 'string') return inspectZab(zab);
  const hit = zabCache.get(zab);
  if (hit) return hit;
  const report = inspectZab(readFileSync(zab));
  zabCache.set(zab, report);
  return report;
}

const text = (b: Uint8Array | undefined): string | undefined => (b ? new TextDecoder().decode(b) : undefined);

export function watchPackage(
  deviceName: string,
  zab?: string | Uint8Array,
  patch: Readonly<Record<string, (source: string) => string>> = {},
): WatchPackage {
  const device = findDevice(deviceName);
  const shape = device.shape === 'R' ? 'round' : 'square';
  const report = loadZab(zab);
  const zpk = report.zpks.find((z) => z.shape === shape && z.width === device.w && z.height === device.h);
  if (!zpk) {
    const have = report.zpks.map((z) => `${z.shape} ${z.width}x${z.height}`).join(', ');
    throw new Error(
      `the .zab has no package for ${deviceName} (${shape} ${device.w}x${device.h}); it has ${have}`,
    );
  }
  const files = new Map<string, string>();
  for (const [path, bytes] of Object.entries(zpk.device)) {
    if (/\.(js|json)$/.test(path)) files.set(path, text(bytes)!);
  }
  let appSideJs = text(zpk.appSide['app-side.js']);
  let settingJs = text(zpk.appSide['setting.js']);
  for (const [path, edit] of Object.entries(patch)) {
    if (path === 'app-side.js') {
      if (appSideJs === undefined) throw new Error('patch: app-side.js is not in the package');
      appSideJs = edit(appSideJs);
    } else if (path === 'setting.js') {
      if (settingJs === undefined) throw new Error('patch: setting.js is not in the package');
      settingJs = edit(settingJs);
    } else {
      const before = files.get(path);
      if (before === undefined)
        throw new Error(`patch: ${path} is not in device.zip (${[...files.keys()].join(', ')})`);
      files.set(path, edit(before));
    }
  }
  const appJsonText = files.get('app.json');
  if (!appJsonText) throw new Error('device.zip has no app.json');
  const appJson = JSON.parse(appJsonText) as AppJson;
  const optIn = OPT_IN_SCREENS.find((o) => o.shape === shape && o.w === device.w && o.h === device.h);
  const boxed = optIn !== undefined && (appJson.app as Record<string, unknown>)[optIn.flag] !== 1;
  return {
    device,
    screen: boxed ? { w: 390, h: 450 } : { w: device.w, h: device.h },
    zpk,
    appJson,
    files,
    appSideJs,
    settingJs,
    pages: appJson.module?.page?.pages ?? [],
    locales: readLocales(zpk.device),
  };
}
