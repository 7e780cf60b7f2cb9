import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { APP_VERSION_PATTERN, APP_VERSION_RULE } from '../../core/log/session-log';
import { BuildInputError, readJsonFile, type Screen } from './catalog';

/** What the build needs from app.json, checked before anything is compiled. */
export interface AppConfig {
  readonly name: string;
  readonly version: string;
  readonly minApi: string;
  readonly targetName: string;
  readonly pages: readonly string[];
  /** App Service files (app.json `module.app-service.services`): built like pages, run without a screen. */
  readonly services: readonly string[];
  readonly appSide: string | undefined;
  readonly setting: string | undefined;
  readonly platforms: readonly Platform[];
  readonly raw: Record<string, unknown>;
}

/** One entry of app.json `targets.<name>.platforms`: screen shape, optionally a screen width, design width. */
export interface Platform {
  readonly st: 'r' | 's';
  /** `w` + a screen width ("w432"): the entry applies to that width only. */
  readonly sr?: string;
  readonly dw: number;
}

export function loadAppConfig(root: string): AppConfig {
  const file = 'app.json';
  const json = readJsonFile(join(root, file));
  const fail = (problem: string): never => {
    throw new BuildInputError(file, problem);
  };
  if (typeof json !== 'object' || json === null) fail('must be a JSON object');
  const raw = json as Record<string, unknown>;
  if (raw.configVersion !== 'v3') fail('configVersion must be "v3"');
  const app = raw.app as Record<string, unknown> | undefined;
  if (typeof app?.appName !== 'string') fail('app.appName is missing');
  const version = (app?.version as Record<string, unknown> | undefined)?.name;
  if (typeof version !== 'string') fail('app.version.name is missing');
  // Every session log carries the version name: one the log schema refuses would make every log fail.
  if (!APP_VERSION_PATTERN.test(version as string))
    fail(`app.version.name ${JSON.stringify(version)} cannot go in a session log: use ${APP_VERSION_RULE}`);
  const minApi = (
    (raw.runtime as Record<string, unknown> | undefined)?.apiVersion as Record<string, unknown> | undefined
  )?.minVersion;
  if (typeof minApi !== 'string' || !/^\d+\.\d+$/.test(minApi))
    fail('runtime.apiVersion.minVersion must look like "3.0"');
  const targets = raw.targets as Record<string, unknown> | undefined;
  const names = targets ? Object.keys(targets) : [];
  if (names.length !== 1) fail('exactly one entry in "targets" is expected (one code base for every screen)');
  const targetName = names[0]!;
  const target = targets![targetName] as Record<string, unknown>;
  const module = target.module as Record<string, Record<string, unknown>> | undefined;
  const pages = module?.page?.pages;
  if (!Array.isArray(pages) || pages.length === 0 || !pages.every((p) => typeof p === 'string')) {
    fail(`targets.${targetName}.module.page.pages must list the pages`);
  }
  const services = module?.['app-service']?.services ?? [];
  if (!Array.isArray(services) || !services.every((p) => typeof p === 'string'))
    fail(`targets.${targetName}.module.app-service.services must be a list of file paths`);
  const platforms = target.platforms;
  if (
    !Array.isArray(platforms) ||
    !platforms.every((p) => {
      const o = p as { st?: unknown; sr?: unknown; dw?: unknown };
      return (
        (o.st === 'r' || o.st === 's') &&
        (o.sr === undefined || (typeof o.sr === 'string' && /^w\d+$/.test(o.sr))) &&
        Number.isInteger(o.dw)
      );
    })
  ) {
    fail(
      `targets.${targetName}.platforms must be a list of {"st": "r"|"s", "sr"?: "w<width>", "dw": <design width>}`,
    );
  }
  const sources = [
    ...(pages as string[]).map((p) => `${p}.ts`),
    ...(services as string[]).map((p) => `${p}.ts`),
    ...(typeof module?.['app-side']?.path === 'string' ? [`${module['app-side'].path}.ts`] : []),
    ...(typeof module?.setting?.path === 'string' ? [`${module.setting.path}.ts`] : []),
    'app.ts',
  ];
  for (const s of sources)
    if (!existsSync(join(root, s))) fail(`names ${s.replace(/\.ts$/, '')}, but ${s} does not exist`);
  return {
    name: app!.appName as string,
    version: version as string,
    minApi: minApi as string,
    targetName,
    pages: pages as string[],
    services: services as string[],
    appSide: module?.['app-side']?.path as string | undefined,
    setting: module?.setting?.path as string | undefined,
    platforms: platforms as Platform[],
    raw,
  };
}

/**
 * Screens the system shows in another screen's box unless the app opts in (zeppos-docs
 * guides/framework/device/screen-adaption.md, "Amazfit Bip Max Screen Adaptation Special Case", at
 * commit c08725b): without `app._pikeCompatibled: 1` and its own `{"st": "s", "sr": "w432", "dw": 432}`
 * entry, the Bip Max's getDeviceInfo says 390 x 450 and the app draws in a 390 x 450 box in the middle.
 */
export const OPT_IN_SCREENS: readonly { shape: 'round' | 'square'; w: number; h: number; flag: string }[] = [
  { shape: 'square', w: 432, h: 514, flag: '_pikeCompatibled' },
];

/** The platform entry zpm builds a screen's package from, and that package's assets folder qualifier. */
export interface PlatformOfScreen {
  readonly screen: Screen;
  readonly platform: Platform;
  /** `r`, `s` or `w432-s`: zpm takes the package's assets from `assets/<target>.<qualifier>/`. */
  readonly qualifier: string;
}

/**
 * Which platform entry each screen's package is built from, as zpm 3.4.1 chooses it (read in its
 * bundle, seen in its builds): an entry selects every device of its shape (`st`), narrowed to one
 * screen width by `sr`; where several select a device, one with `st` and `sr` wins over one with `st`
 * alone, and between two alike zpm prints "设备重复" and keeps the first. `dw` only sets the design width
 * (px() and image scaling). Refused: a screen no entry selects (zpm would silently build nothing for
 * it), two alike entries for one screen (the second would be dead), an opt-in screen without its opt-in.
 */
export function platformsOfScreens(config: AppConfig, screens: readonly Screen[]): PlatformOfScreen[] {
  const fail = (problem: string): never => {
    throw new BuildInputError('app.json', problem);
  };
  const entry = (p: Platform): string => JSON.stringify(p);
  return screens.map((screen) => {
    const name = `${screen.shape} ${screen.w}x${screen.h}`;
    const st = screen.shape === 'round' ? 'r' : 's';
    const matching = config.platforms.filter(
      (p) => p.st === st && (p.sr === undefined || p.sr === `w${screen.w}`),
    );
    const best =
      matching.filter((p) => p.sr !== undefined).length > 0
        ? matching.filter((p) => p.sr !== undefined)
        : matching;
    if (best.length === 0) return fail(`no platform for ${name} (add {"st": "${st}", "dw": <design width>})`);
    if (best.length > 1)
      fail(
        `${best.map(entry).join(' and ')} both select ${name}: zpm keeps the first and ignores the other (use "sr" to tell screens apart)`,
      );
    const platform = best[0]!;
    const optIn = OPT_IN_SCREENS.find(
      (o) => o.shape === screen.shape && o.w === screen.w && o.h === screen.h,
    );
    if (
      optIn &&
      (platform.sr !== `w${screen.w}` || (config.raw.app as Record<string, unknown>)[optIn.flag] !== 1)
    )
      fail(
        `${name} (${screen.devices.map((d) => d.name).join(', ')}) runs in a smaller box unless app.${optIn.flag} is 1 and it has its own {"st": "${st}", "sr": "w${screen.w}", "dw": ${screen.w}}`,
      );
    return { screen, platform, qualifier: platform.sr ? `${platform.sr}-${platform.st}` : platform.st };
  });
}
