/**
 * What the host tells a context about itself before the prelude runs: its role, the device, the app's
 * package, the typings and the reference it is held to, and the readings a test chose. The guest reads
 * it as `config` (guest/bridge.ts) with this same type.
 */
import type { WatchPackage } from './package';
import type { BootOptions } from './options';
import { digestSpec, loadSpec, type SpecDigest } from './spec';
import { typingsForGuest, type GuestTypings } from './typings';

export type Role = 'watch' | 'service' | 'side' | 'settings';

export interface GuestConfig {
  readonly role: Role;
  readonly seed: number;
  readonly utcOffsetMinutes: number;
  readonly language: string;
  /** The package's strings for `language` (assets/raw/locale). */
  readonly i18n: Readonly<Record<string, string>>;
  readonly device: {
    readonly name: string;
    readonly zos: string;
    readonly api: string;
    readonly shape: 'round' | 'square';
    readonly w: number;
    readonly h: number;
    readonly buttons: number;
    readonly deviceSource: number;
  };
  readonly app: {
    readonly appId: number;
    readonly appName: string;
    readonly versionName: string;
    readonly versionCode: number;
    readonly designWidth: number;
    readonly permissions: readonly string[];
    readonly appJson: WatchPackage['appJson'];
  };
  readonly typings: GuestTypings;
  /** Where the reference is silent: the harsher reading unless a test chose the other (BootOptions.readings). */
  readonly readings: { readonly storageSharedAcrossInstances: boolean };
  /** The official API reference, digested (spec.ts). */
  readonly spec: SpecDigest;
}

/** The reference held to nothing: the phone's contexts are not the watch's to check. */
const NO_SPEC: SpecDigest = digestSpec({ source: '', apis: {} });

export function guestConfig(pkg: WatchPackage, opts: BootOptions, role: Role): GuestConfig {
  const a = pkg.appJson;
  const d = pkg.device;
  const language = opts.language ?? (typeof a.defaultLanguage === 'string' ? a.defaultLanguage : 'en-US');
  if (pkg.locales.size && !pkg.locales.has(language)) {
    throw new Error(`language ${language}: the package ships ${[...pkg.locales.keys()].join(', ')}`);
  }
  return {
    role,
    seed: opts.seed ?? 1,
    utcOffsetMinutes: opts.utcOffsetMinutes ?? 0,
    language,
    i18n: pkg.locales.get(language) ?? {},
    device: {
      name: d.name,
      zos: d.zos,
      api: d.api,
      shape: d.shape === 'R' ? 'round' : 'square',
      w: pkg.screen.w,
      h: pkg.screen.h,
      buttons: d.buttons,
      deviceSource: d.deviceSources[0]!,
    },
    app: {
      appId: a.app.appId,
      appName: a.app.appName,
      versionName: a.app.version.name,
      versionCode: a.app.version.code,
      designWidth: a.designWidth ?? pkg.screen.w,
      permissions: a.permissions ?? [],
      appJson: a,
    },
    typings: typingsForGuest(),
    readings: { storageSharedAcrossInstances: opts.readings?.storageSharedAcrossInstances ?? false },
    // The Side Service and the Settings App run on the phone: the watch's reference does not apply.
    spec: role === 'watch' || role === 'service' ? loadSpec() : NO_SPEC,
  };
}
