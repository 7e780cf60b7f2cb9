import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Device } from './catalog';

/**
 * The Zepp builders download a device list from a CDN these machines cannot reach and cache it at
 * $HOME/.zepp/.zeus_devices. We write that cache from our own catalog into a folder inside the
 * project and point HOME there for the build, so the user's own ~/.zepp is never read or written.
 * Fields are the ones zpm 3.4.1 and zeus 1.9.1 read (see docs/platform-facts.md).
 */
export function zeusCache(devices: readonly Device[], zeusVersion: string): object {
  const entries = devices.flatMap((d) =>
    d.deviceSources.map((source) => {
      const code = `${d.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')}-${source}`;
      const size = `${d.w}*${d.h}`;
      return {
        productName: d.name,
        deviceSource: source,
        code,
        value: {
          code,
          productId: 0,
          productVersion: 0,
          shape: d.shape === 'R' ? 'round' : 'square',
          chip: { manufacturer: 'UNKNOWN' },
          screen: { size, previewSize: size, iconSize: Math.round((248 * d.w) / 480) },
          os: { version: d.zos, apiLevel: d.api },
          pixelDensity: 1,
        },
      };
    }),
  );
  return {
    devices: entries,
    devices_beta: [],
    // Far in the future: the builders must never consider it stale and go to the network.
    expiredTime: Date.UTC(2099, 0, 1),
    version: zeusVersion,
  };
}

/** Writes the cache into `home/.zepp/` and returns `home`, to be used as HOME for the builder. */
export function writeZeusHome(home: string, devices: readonly Device[], zeusVersion: string): string {
  const dir = join(home, '.zepp');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '.zeus_devices'), JSON.stringify(zeusCache(devices, zeusVersion)));
  writeFileSync(join(dir, '.zeus_version'), zeusVersion);
  return home;
}
