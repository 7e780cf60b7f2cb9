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
  readonly appSide: string | undefined;
  readonly setting: string | undefined;
  readonly platforms: readonly { st: 'r' | 's'; dw: number }[];
  readonly raw: Record<string, unknown>;
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
  const platforms = target.platforms;
  if (
    !Array.isArray(platforms) ||
    !platforms.every(
      (p) =>
        (p as { st?: unknown }).st !== undefined &&
        ['r', 's'].includes((p as { st: string }).st) &&
        Number.isInteger((p as { dw?: unknown }).dw),
    )
  ) {
    fail(`targets.${targetName}.platforms must be a list of {"st": "r"|"s", "dw": <design width>}`);
  }
  const sources = [
    ...(pages as string[]).map((p) => `${p}.ts`),
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
    appSide: module?.['app-side']?.path as string | undefined,
    setting: module?.setting?.path as string | undefined,
    platforms: platforms as { st: 'r' | 's'; dw: number }[],
    raw,
  };
}

/** Every screen of the catalog must have a platform entry, or zpm silently builds nothing for it. */
export function checkPlatformsCoverScreens(config: AppConfig, screens: readonly Screen[]): void {
  const missing = screens.filter(
    (s) => !config.platforms.some((p) => p.st === (s.shape === 'round' ? 'r' : 's') && p.dw === s.w),
  );
  if (missing.length > 0) {
    throw new BuildInputError(
      'app.json',
      `no platform for ${missing.map((s) => `${s.shape} ${s.w}x${s.h}`).join(', ')} (add {"st", "dw"} entries)`,
    );
  }
}
