/**
 * Zepp's official samples (or any Zepp OS app folder) run in the runtime double: each built with the
 * project's own offline builder (zpm with the device cache written from our catalog), then its pages,
 * App Services, Side Service and Settings App run on one watch its app.json allows, every button of every
 * page tapped once, and each part judged by what the double said of it: passed, refused (the rule and the
 * page of Zepp's documentation that forbids the call), not modelled (the API the double lacks, by name),
 * or failed (anything else: the sample's own error, or the double's).
 *
 * The samples are read where they are checked out and copied only into a temporary folder for zpm; none
 * of their code comes into this project.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { bootWatch, DoubleFailure, type FailureRecord, type Watch } from '../../test/runtime';
import { apiAtLeast, loadCatalog, type Device } from './catalog';
import { runZpm } from './pipeline';
import { inspectZab } from './zab';
import { writeZeusHome } from './zeus-cache';

/** What became of one part of a sample (a page, a service, the Side Service, the Settings App). */
export type Verdict =
  | { readonly kind: 'passed' }
  | { readonly kind: 'refused'; readonly rule: string; readonly page: string; readonly message: string }
  | { readonly kind: 'not-modelled'; readonly api: string; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string };

export interface PartReport {
  /** `page`, `service`, `app-side`, `setting`, or `module` (an app.json module the double has no notion of). */
  readonly kind: 'page' | 'service' | 'app-side' | 'setting' | 'module';
  readonly name: string;
  readonly verdict: Verdict;
  /** What the part was doing when the verdict came ("tap 'Start'"), if not loading. */
  readonly during?: string;
  /** Buttons tapped (pages) or clicked (the Settings App). */
  readonly taps: number;
}

export interface SampleReport {
  /** The sample's folder, relative to the checkout. */
  readonly sample: string;
  /** The watch it ran on, or why it did not run at all. */
  readonly target: { readonly device: string; readonly api: string; readonly screen: string } | undefined;
  readonly notRun?: string;
  readonly parts: readonly PartReport[];
}

const PASSED: Verdict = { kind: 'passed' };

/** The first failure decides: what came after it is most often its consequence. */
export function verdictOf(records: readonly FailureRecord[]): Verdict {
  const first = records[0];
  if (!first) return PASSED;
  const { finding, message } = first;
  if (finding.kind === 'refused') return { kind: 'refused', rule: finding.rule, page: finding.page, message };
  if (finding.kind === 'not-modelled') return { kind: 'not-modelled', api: finding.api, message };
  return { kind: 'failed', message };
}

/** Every folder below `root` that holds an app.json (node_modules and dot folders aside), sorted. */
export function findSamples(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    const names = readdirSync(dir);
    if (names.includes('app.json')) {
      out.push(dir);
      return;
    }
    for (const name of names) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
    }
  };
  walk(root);
  return out.sort();
}

interface AppJsonLike {
  app?: { appType?: string };
  runtime?: { apiVersion?: { minVersion?: string } };
  targets?: Record<string, { module?: Record<string, unknown>; platforms?: { deviceSource?: number }[] }>;
}

/** "3.0", "1.0.0" → "3.0", "1.0"; the API level an app.json asks for at least. */
export function minApiOf(appJson: AppJsonLike): string {
  const v = appJson.runtime?.apiVersion?.minVersion ?? '1.0';
  const [major = '1', minor = '0'] = v.split('.');
  return `${major}.${minor}`;
}

/** The modules of app.json the double runs (pages, App Services, Side Service, Settings App); others are named. */
const RUN_MODULES = new Set(['page', 'app-service', 'app-side', 'setting']);

export function otherModules(appJson: AppJsonLike): string[] {
  const names = new Set<string>();
  for (const target of Object.values(appJson.targets ?? {}))
    for (const m of Object.keys(target.module ?? {})) if (!RUN_MODULES.has(m)) names.add(m);
  return [...names].sort();
}

/** The device sources an older app.json's platforms list (a v3 one gives shapes instead). */
export function deviceSourcesOf(appJson: AppJsonLike): number[] {
  return Object.values(appJson.targets ?? {}).flatMap((t) =>
    (t.platforms ?? []).flatMap((p) => (typeof p.deviceSource === 'number' ? [p.deviceSource] : [])),
  );
}

/**
 * The watch to run on: among the catalog's devices whose screen has a package in the .zab, whose API
 * level is at least the app's minimum, and (for an app.json that lists device sources) that it lists,
 * the one with the lowest API level (the first in the catalog on a tie): every rule that depends on the
 * level is met there or nowhere the app allows.
 */
export function chooseDevice(
  devices: readonly Device[],
  packages: readonly { shape: 'round' | 'square'; width: number; height: number }[],
  appJson: AppJsonLike,
): Device | undefined {
  const minApi = minApiOf(appJson);
  const sources = deviceSourcesOf(appJson);
  const fits = devices.filter(
    (d) =>
      apiAtLeast(d.api, minApi) &&
      packages.some(
        (p) => p.shape === (d.shape === 'R' ? 'round' : 'square') && p.width === d.w && p.height === d.h,
      ) &&
      (sources.length === 0 || d.deviceSources.some((s) => sources.includes(s))),
  );
  return fits.reduce<Device | undefined>((lo, d) => (!lo || !apiAtLeast(d.api, lo.api) ? d : lo), undefined);
}

export interface BuiltSample {
  readonly zab: string;
  /** Removes the temporary folder the sample was built in. */
  readonly cleanUp: () => void;
}

/**
 * Builds a sample with zpm as the project builds itself (scripts/lib/pipeline.ts `runZpm`, the device
 * cache of scripts/lib/zeus-cache.ts): the sample is copied into a temporary folder whose node_modules is
 * a link to the project's, so zpm's rollup resolves `@zeppos/zml` and the rest from the project.
 */
export function buildSample(projectRoot: string, sampleDir: string, devices: readonly Device[]): BuiltSample {
  const work = mkdtempSync(join(tmpdir(), 'check-samples-'));
  const cleanUp = (): void => rmSync(work, { recursive: true, force: true });
  try {
    const stage = join(work, 'app');
    cpSync(sampleDir, stage, {
      recursive: true,
      filter: (src) => !/[\\/](node_modules|dist|\.git)$/.test(src),
    });
    symlinkSync(join(projectRoot, 'node_modules'), join(stage, 'node_modules'), 'dir');
    const home = join(work, 'home');
    const zeus = JSON.parse(
      readFileSync(join(projectRoot, 'node_modules', '@zeppos', 'zeus-cli', 'package.json'), 'utf8'),
    ) as { version: string };
    writeZeusHome(home, devices, zeus.version);
    const zab = runZpm('plain', { root: projectRoot, stage, home, out: join(work, 'out') });
    return { zab, cleanUp };
  } catch (e) {
    cleanUp();
    throw e;
  }
}

export interface RunOptions {
  /** Virtual ms to let each part run after it loads and after each tap (default 1 000). */
  readonly settleMs?: number;
  /** Progress lines while it runs. */
  readonly log?: (line: string) => void;
}

/** A boot, an action, and the verdict of the double on both. */
async function judge(
  boot: () => Promise<Watch>,
  act: (w: Watch) => void,
): Promise<{ verdict: Verdict; watch?: Watch; loaded: boolean }> {
  let w: Watch;
  try {
    w = await boot();
  } catch (e) {
    if (e instanceof DoubleFailure) return { verdict: verdictOf(e.records), loaded: false };
    return { verdict: { kind: 'failed', message: (e as Error).message }, loaded: false };
  }
  try {
    act(w);
    return { verdict: verdictOf(w.takeRecords()), watch: w, loaded: true };
  } catch (e) {
    const records = e instanceof DoubleFailure ? e.records : [];
    const verdict = records.length
      ? verdictOf(records)
      : { kind: 'failed' as const, message: (e as Error).message };
    return { verdict, watch: w, loaded: true };
  }
}

/** Builds and runs one sample; never throws for what the sample or the double does. */
export async function runSample(
  projectRoot: string,
  checkout: string,
  sampleDir: string,
  opts: RunOptions = {},
): Promise<SampleReport> {
  const sample = relative(checkout, sampleDir) || '.';
  const appJson = JSON.parse(readFileSync(join(sampleDir, 'app.json'), 'utf8')) as AppJsonLike;
  const settleMs = opts.settleMs ?? 1000;
  const notRun = (why: string): SampleReport => ({ sample, target: undefined, notRun: why, parts: [] });
  const appType = appJson.app?.appType ?? 'app';
  if (appType !== 'app')
    return notRun(`not modelled: app.json appType "${appType}" (the double runs Mini Programs)`);
  const devices = loadCatalog(join(projectRoot, 'scripts', 'devices.json'));
  const sources = deviceSourcesOf(appJson);
  if (sources.length && !devices.some((d) => d.deviceSources.some((s) => sources.includes(s))))
    return notRun(
      `no target: app.json names device sources (${sources.join(', ')}) of none of the catalog's watches (API_LEVEL 3.0 and above, scripts/devices.json)`,
    );
  let built: BuiltSample;
  try {
    built = buildSample(projectRoot, sampleDir, devices);
  } catch (e) {
    return notRun(`not built: ${(e as Error).message.split('\n')[0]}`);
  }
  try {
    const report = inspectZab(readFileSync(built.zab));
    const device = chooseDevice(devices, report.zpks, appJson);
    const zpk = device && report.zpks.find((z) => z.width === device.w && z.height === device.h);
    if (!device || !zpk) {
      const screens = report.zpks.map((z) => `${z.shape} ${z.width}x${z.height}`).join(', ');
      return notRun(
        `no target: no watch of the catalog (API_LEVEL 3.0 and above) with API_LEVEL ${minApiOf(appJson)} or above and one of its packages' screens (${screens || 'none built'})`,
      );
    }
    const target = {
      device: device.name,
      api: device.api,
      screen: `${zpk.shape} ${zpk.width}x${zpk.height}`,
    };
    opts.log?.(`${sample}: ${target.device} (API ${target.api}, ${target.screen})`);
    const deviceApp = JSON.parse(new TextDecoder().decode(zpk.device['app.json'])) as {
      module?: {
        page?: { pages?: string[] };
        'app-service'?: { services?: string[] };
        'app-side'?: unknown;
        setting?: unknown;
      };
    };
    const pages = deviceApp.module?.page?.pages ?? [];
    const services = deviceApp.module?.['app-service']?.services ?? [];
    const hasSide = zpk.appSide['app-side.js'] !== undefined;
    const hasSetting = zpk.appSide['setting.js'] !== undefined;
    const parts: PartReport[] = [];
    const base = { device: device.name, zab: built.zab };

    let sideService = hasSide;
    if (hasSide) {
      const r = await judge(
        () => bootWatch({ ...base, launch: false }),
        (w) => w.advance(settleMs),
      );
      r.watch?.dispose();
      parts.push({ kind: 'app-side', name: 'app-side', verdict: r.verdict, taps: 0 });
      // A Side Service that fails would fail every page's boot: the pages run without it then.
      sideService = r.verdict.kind === 'passed';
    }

    for (const page of pages) {
      const boot = () => bootWatch({ ...base, sideService, launch: { url: page } });
      const first = await judge(boot, (w) => w.advance(settleMs));
      const buttons = first.watch ? first.watch.screen().buttons.filter((b) => b.tappable) : [];
      first.watch?.dispose();
      let part: PartReport = { kind: 'page', name: page, verdict: first.verdict, taps: 0 };
      if (first.verdict.kind === 'passed') {
        for (const [i, button] of buttons.entries()) {
          const label = `tap ${JSON.stringify(button.text ?? `#${button.id}`)}`;
          const r = await judge(boot, (w) => {
            w.advance(settleMs);
            w.tap(button.id);
            w.advance(settleMs);
          });
          r.watch?.dispose();
          part = { ...part, taps: i + 1 };
          if (r.verdict.kind !== 'passed') {
            part = { ...part, verdict: r.verdict, during: label };
            break;
          }
        }
      }
      parts.push(part);
    }

    for (const file of services) {
      const r = await judge(
        () => bootWatch({ ...base, sideService, launch: false }),
        (w) => {
          w.runService(file);
          w.advance(settleMs);
        },
      );
      r.watch?.dispose();
      parts.push({ kind: 'service', name: file, verdict: r.verdict, taps: 0 });
    }

    if (hasSetting) {
      let clicks = 0;
      const r = await judge(
        () => bootWatch({ ...base, sideService, launch: false }),
        (w) => {
          const settings = w.phone.openSettings();
          const labels = settings.buttons();
          for (const label of labels) {
            w.phone.openSettings().click(label);
            clicks++;
          }
        },
      );
      r.watch?.dispose();
      parts.push({ kind: 'setting', name: 'setting', verdict: r.verdict, taps: clicks });
    }

    for (const m of otherModules(appJson))
      parts.push({
        kind: 'module',
        name: m,
        verdict: {
          kind: 'not-modelled',
          api: `app.json module "${m}"`,
          message: `the double runs pages, App Services, the Side Service and the Settings App, not "${m}"`,
        },
        taps: 0,
      });

    return { sample, target, parts };
  } finally {
    built.cleanUp();
  }
}

/** The figures a run gives: parts run and what became of them. */
export interface Figures {
  readonly samples: number;
  readonly samplesNotRun: number;
  readonly parts: number;
  readonly pages: number;
  readonly passed: number;
  readonly refusedCited: number;
  readonly refusedUncited: number;
  readonly notModelled: number;
  readonly failed: number;
  /** The same for the pages alone. */
  readonly onPages: {
    readonly passed: number;
    readonly refusedCited: number;
    readonly refusedUncited: number;
    readonly notModelled: number;
    readonly failed: number;
  };
}

export function figuresOf(reports: readonly SampleReport[]): Figures {
  const parts = reports.flatMap((r) => r.parts);
  const pages = parts.filter((p) => p.kind === 'page');
  const count = (pred: (v: Verdict) => boolean, of = parts): number =>
    of.filter((p) => pred(p.verdict)).length;
  return {
    onPages: {
      passed: count((v) => v.kind === 'passed', pages),
      refusedCited: count((v) => v.kind === 'refused' && v.page !== '', pages),
      refusedUncited: count((v) => v.kind === 'refused' && v.page === '', pages),
      notModelled: count((v) => v.kind === 'not-modelled', pages),
      failed: count((v) => v.kind === 'failed', pages),
    },
    samples: reports.length,
    samplesNotRun: reports.filter((r) => r.notRun !== undefined).length,
    parts: parts.length,
    pages: parts.filter((p) => p.kind === 'page').length,
    passed: count((v) => v.kind === 'passed'),
    refusedCited: count((v) => v.kind === 'refused' && v.page !== ''),
    refusedUncited: count((v) => v.kind === 'refused' && v.page === ''),
    notModelled: count((v) => v.kind === 'not-modelled'),
    failed: count((v) => v.kind === 'failed'),
  };
}

function describe(v: Verdict): string {
  switch (v.kind) {
    case 'passed':
      return 'passed';
    case 'refused':
      return `refused: ${v.rule} (${v.page === '' ? 'NO PAGE CITED' : v.page})`;
    case 'not-modelled':
      return `not modelled: ${v.api}`;
    case 'failed':
      return `failed: ${firstLine(v.message)}`;
  }
}

const firstLine = (s: string): string => s.split('\n')[0]!.replace(/^\[t=[^\]]*\] /, '');

/** The report as lines of text: per sample its target, per part its verdict; then the figures. */
export function formatReport(reports: readonly SampleReport[]): string[] {
  const lines: string[] = [];
  for (const r of reports) {
    if (r.notRun !== undefined) {
      lines.push(`${r.sample}: ${r.notRun}`);
      continue;
    }
    lines.push(`${r.sample}  (${r.target!.device}, API_LEVEL ${r.target!.api}, ${r.target!.screen})`);
    const width = Math.max(...r.parts.map((p) => `${p.kind} ${p.name}`.length), 10);
    for (const p of r.parts) {
      const taps = p.kind === 'page' || p.kind === 'setting' ? ` [${p.taps} tapped]` : '';
      const during = p.during ? ` on ${p.during}` : '';
      lines.push(`  ${`${p.kind} ${p.name}`.padEnd(width)}  ${describe(p.verdict)}${during}${taps}`);
    }
  }
  const f = figuresOf(reports);
  lines.push(
    '',
    `${f.samples} samples (${f.samplesNotRun} not run); ${f.parts} parts run, ${f.pages} of them pages`,
    `pages: passed ${f.onPages.passed}; refused with a cited page ${f.onPages.refusedCited}; refused without a citation ${f.onPages.refusedUncited}; not modelled ${f.onPages.notModelled}; failed ${f.onPages.failed}`,
    `all parts: passed ${f.passed}; refused with a cited page ${f.refusedCited}; refused without a citation ${f.refusedUncited}; not modelled ${f.notModelled}; failed ${f.failed}`,
  );
  return lines;
}
