import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/** A watch model from the device catalog (scripts/devices.json): public facts, kept as data. */
export interface Device {
  readonly name: string;
  readonly zos: string;
  readonly api: string;
  readonly deviceSources: readonly number[];
  readonly shape: 'R' | 'S';
  readonly w: number;
  readonly h: number;
  /** The radius of a square screen's rounded corners in px (nothing is shown outside it); null when round. */
  readonly cornerRadius: number | null;
  /** Physical buttons ("physical-keys number" in the official list). */
  readonly buttons: number;
}

/** One screen the app is built for: every device with that shape and size shares one package. */
export interface Screen {
  readonly shape: 'round' | 'square';
  readonly w: number;
  readonly h: number;
  /** Of a square screen; null for a round one. Every device of the screen has the same. */
  readonly cornerRadius: number | null;
  readonly devices: readonly Device[];
  /** The lowest API level among the devices of this screen: the one the code must run on. */
  readonly minApi: string;
}

/** A build input that is missing or malformed: reported as one line naming the file and the problem. */
export class BuildInputError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${relative(process.cwd(), file) || file}: ${problem}`);
  }
}

export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new BuildInputError(file, 'cannot be read (missing?)');
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BuildInputError(file, `is not valid JSON (${(e as Error).message})`);
  }
}

const API = /^\d+\.\d+$/;

export function parseCatalog(file: string, json: unknown): Device[] {
  const devices = (json as { devices?: unknown } | null)?.devices;
  if (!Array.isArray(devices) || devices.length === 0) {
    throw new BuildInputError(file, 'expected {"devices": [...]} with at least one device');
  }
  const parsed = devices.map((d: unknown, i): Device => {
    const at = `devices[${i}]`;
    if (typeof d !== 'object' || d === null) throw new BuildInputError(file, `${at} is not an object`);
    const o = d as Record<string, unknown>;
    const need = (cond: boolean, what: string): void => {
      if (!cond)
        throw new BuildInputError(file, `${at}${typeof o.name === 'string' ? ` (${o.name})` : ''}: ${what}`);
    };
    need(typeof o.name === 'string' && o.name.length > 0, 'name must be a non-empty string');
    need(typeof o.api === 'string' && API.test(o.api), 'api must look like "3.6"');
    need(typeof o.zos === 'string', 'zos must be a string');
    need(
      Array.isArray(o.deviceSources) &&
        o.deviceSources.length > 0 &&
        o.deviceSources.every((s) => Number.isInteger(s) && (s as number) > 0),
      'deviceSources must be a non-empty list of positive integers',
    );
    need(o.shape === 'R' || o.shape === 'S', 'shape must be "R" (round) or "S" (square)');
    need(
      Number.isInteger(o.w) && Number.isInteger(o.h) && (o.w as number) > 0 && (o.h as number) > 0,
      'w and h must be positive integers',
    );
    if (o.shape === 'S') {
      need(
        Number.isInteger(o.cornerRadius) &&
          (o.cornerRadius as number) > 0 &&
          (o.cornerRadius as number) <= Math.min(o.w as number, o.h as number) / 2,
        `cornerRadius must be a whole number of px from 1 to half the shorter side for a square screen; got ${JSON.stringify(o.cornerRadius)}`,
      );
    } else {
      need(
        o.cornerRadius === null,
        `cornerRadius must be null for a round screen; got ${JSON.stringify(o.cornerRadius)}`,
      );
    }
    need(
      Number.isInteger(o.buttons) && (o.buttons as number) >= 1,
      'buttons must be a whole number, at least 1',
    );
    return o as unknown as Device;
  });
  const seen = new Map<string, string>();
  for (const d of parsed) {
    for (const key of [`name "${d.name}"`, ...d.deviceSources.map((s) => `deviceSource ${s}`)]) {
      const other = seen.get(key);
      if (other !== undefined)
        throw new BuildInputError(file, `${key} is listed twice (${other} and ${d.name})`);
      seen.set(key, d.name);
    }
  }
  return parsed;
}

export const apiAtLeast = (api: string, min: string): boolean => {
  const [a1, a2] = api.split('.').map(Number) as [number, number];
  const [b1, b2] = min.split('.').map(Number) as [number, number];
  return a1 > b1 || (a1 === b1 && a2 >= b2);
};

/**
 * The distinct screens of the devices at or above `minApi`, largest first. `file` names the catalog in
 * the error when devices of one screen disagree on its corner radius.
 */
export function targetScreens(
  devices: readonly Device[],
  minApi: string,
  file = 'scripts/devices.json',
): Screen[] {
  const byKey = new Map<string, Device[]>();
  for (const d of devices.filter((x) => apiAtLeast(x.api, minApi))) {
    const key = `${d.shape}${d.w}x${d.h}`;
    byKey.set(key, [...(byKey.get(key) ?? []), d]);
  }
  return [...byKey.values()]
    .map((ds): Screen => {
      const d0 = ds[0]!;
      // One package serves the whole screen, so its layout must hold for every device of it.
      const odd = ds.find((d) => d.cornerRadius !== d0.cornerRadius);
      if (odd)
        throw new BuildInputError(
          file,
          `${d0.name} and ${odd.name} share a ${d0.w}x${d0.h} screen but not its cornerRadius (${d0.cornerRadius} and ${odd.cornerRadius})`,
        );
      const minApiOfScreen = ds.map((d) => d.api).reduce((a, b) => (apiAtLeast(a, b) ? b : a));
      return {
        shape: d0.shape === 'R' ? 'round' : 'square',
        w: d0.w,
        h: d0.h,
        cornerRadius: d0.cornerRadius,
        devices: ds,
        minApi: minApiOfScreen,
      };
    })
    .sort((a, b) => a.shape.localeCompare(b.shape) || b.w - a.w || b.h - a.h);
}

/**
 * The corner radius of each square screen, keyed "<w>x<h>": built into the watch code, whose
 * getDeviceInfo gives the screen's size and shape but not its corners.
 */
export function screenCorners(screens: readonly Screen[]): Record<string, number> {
  return Object.fromEntries(
    screens.flatMap((s) => (s.cornerRadius === null ? [] : [[`${s.w}x${s.h}`, s.cornerRadius] as const])),
  );
}

export function loadCatalog(file: string): Device[] {
  return parseCatalog(file, readJsonFile(file));
}
