/**
 * The watch's own JavaScript compiler, run on what we ship.
 *
 * `@zeppos/zpm` ships QuickJS's compiler, qjsc, version 2020-07-05: the engine generation the watches run
 * (as far as anything published shows: docs/platform-facts.md B10).
 * `zeus build` (production) compiles every JavaScript file of the watch package with it into QuickJS
 * bytecode, and a file it rejects stops that build. The plain-JS build (`npm run build`) never runs it, and
 * the runtime double runs a newer QuickJS that accepts more syntax; so we compile every built file with this
 * qjsc ourselves. Where the files run:
 *   - device.zip (app.js, page/**.js): on the watch, in QuickJS 2020-07-05. A rejection here is a page
 *     that would not load on a watch.
 *   - app-side.zip (app-side.js, the Side Service; setting.js, the Settings App): on the phone, inside the
 *     Zepp app, in an engine Zepp does not name. zpm never compiles them with qjsc. We compile them too, as a
 *     stricter bar they meet today; a rejection there says "runs on the phone".
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { transform } from 'esbuild';
import type { ZpkReport } from './zab';

/** The version zpm 3.4.1's qjsc prints: what every watch package is compiled with (test/build/qjsc.test.ts). */
export const QJSC_VERSION = '2020-07-05';

/**
 * The qjsc binary zpm runs on this machine, chosen as zpm 3.4.1 chooses it (lib/node.js): `qjsc` on Linux
 * x64, `qjsc_arm64` on Linux arm64, `qjsc_darwin` / `qjsc_darwin_arm64` on macOS, `qjsc_win32.exe` on Windows.
 */
export function qjscPath(
  root: string,
  platform: string = process.platform,
  arch: string = process.arch,
): string {
  const arm = arch === 'arm64' ? '_arm64' : '';
  const suffix: Record<string, string> = { linux: arm, darwin: `_darwin${arm}`, win32: '_win32.exe' };
  const bin = join(root, 'node_modules', '@zeppos', 'zpm', 'bin');
  if (!(platform in suffix)) {
    throw new QjscUnavailable(
      `@zeppos/zpm ships qjsc for linux, darwin and win32 only; this machine is ${platform} ${arch}`,
    );
  }
  return join(bin, `qjsc${suffix[platform]}`);
}

export class QjscUnavailable extends Error {}

/** Runs `qjsc -h` and returns the version it prints, or says exactly why qjsc cannot run here. */
export function qjscVersion(bin: string): string {
  if (!existsSync(bin)) throw new QjscUnavailable(`${bin} does not exist (is @zeppos/zpm installed?)`);
  const run = spawnSync(bin, ['-h'], { encoding: 'utf8' });
  if (run.error) throw new QjscUnavailable(whyNot(bin, run.error as NodeJS.ErrnoException));
  const version = /QuickJS Compiler version (\S+)/.exec(`${run.stdout}${run.stderr}`)?.[1];
  if (!version) throw new QjscUnavailable(`${bin} -h did not print "QuickJS Compiler version ..."`);
  return version;
}

function whyNot(bin: string, e: NodeJS.ErrnoException): string {
  if (e.code === 'EACCES') return `${bin} is not executable (EACCES): chmod +x it`;
  // The file exists (checked above), so ENOENT from exec means its ELF loader is missing: the Linux
  // binaries are linked against glibc (/lib64/ld-linux-x86-64.so.2, libc.so.6, libm.so.6).
  if (e.code === 'ENOENT')
    return `${bin} exists but cannot be executed (ENOENT): its dynamic loader is missing; it needs glibc`;
  if (e.code === 'ENOEXEC') return `${bin} is not a binary for this machine (ENOEXEC)`;
  return `${bin} cannot run: ${e.message}`;
}

/** One JavaScript file of a built package. */
export interface BuiltJs {
  /** Where it is: "round 480x480 device.zip/page/home/index.page.js". */
  readonly label: string;
  /** Its path inside device.zip or app-side.zip. */
  readonly path: string;
  readonly runsOn: 'watch' | 'phone';
  readonly code: Uint8Array;
}

/** Every .js file in every package of a .zab: device.zip's run on the watch, app-side.zip's on the phone. */
export function builtJavaScript(zpks: readonly ZpkReport[]): BuiltJs[] {
  return zpks.flatMap((zpk) => {
    const pkg = `${zpk.shape} ${zpk.width}x${zpk.height}`;
    const pick = (files: Record<string, Uint8Array>, zip: string, runsOn: 'watch' | 'phone'): BuiltJs[] =>
      Object.entries(files)
        .filter(([path]) => path.endsWith('.js'))
        .map(([path, code]) => ({ label: `${pkg} ${zip}/${path}`, path, runsOn, code }));
    return [...pick(zpk.device, 'device.zip', 'watch'), ...pick(zpk.appSide, 'app-side.zip', 'phone')];
  });
}

/** A file (or identical copies of one file in several packages) that qjsc refused. */
export interface Rejection {
  readonly labels: readonly string[];
  readonly runsOn: 'watch' | 'phone';
  /** qjsc's own message, as it printed it. */
  readonly message: string;
  /** The offending line, found by compiling the file again reformatted (the built files are one line). */
  readonly near: string | undefined;
}

export interface QjscReport {
  /** What `qjsc -h` printed as its version. */
  readonly version: string;
  /** Files checked (every copy counts). */
  readonly files: number;
  /** Distinct contents compiled: identical files in several packages are compiled once. */
  readonly compiled: number;
  readonly rejections: readonly Rejection[];
  readonly ms: number;
}

/**
 * Compiles every file with qjsc exactly as zpm does (`qjsc -b -o <file>.bin <file>.js`), several at a time.
 * Identical contents are compiled once: qjsc's verdict depends on the text only.
 */
export async function compileWithQjsc(
  files: readonly BuiltJs[],
  bin: string,
  concurrency: number = availableParallelism(),
): Promise<QjscReport> {
  const started = Date.now();
  const version = qjscVersion(bin); // fails with the reason if qjsc cannot run here
  const groups = new Map<string, BuiltJs[]>();
  for (const f of files) {
    const key = createHash('sha256').update(f.code).digest('hex');
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const dir = mkdtempSync(join(tmpdir(), 'decompress-qjsc-'));
  try {
    const jobs = [...groups.values()].map((copies, i) => async (): Promise<Rejection | undefined> => {
      const first = copies[0]!;
      const cwd = join(dir, String(i));
      const message = await compileOne(bin, cwd, first.path, first.code);
      if (message === undefined) return undefined;
      return {
        labels: copies.map((c) => c.label),
        runsOn: first.runsOn,
        message,
        near: await locate(bin, join(dir, `${i}-reformatted`), first.path, first.code),
      };
    });
    const results = await pool(jobs, Math.max(1, concurrency));
    return {
      version,
      files: files.length,
      compiled: groups.size,
      rejections: results.filter((r): r is Rejection => r !== undefined),
      ms: Date.now() - started,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The bytes of QuickJS bytecode qjsc makes of one JavaScript file, as `zeus build` compiles it (`-b`):
 * what the watch loads in a release package. Throws with qjsc's message if it rejects the file.
 */
export async function bytecodeBytes(bin: string, path: string, code: Uint8Array): Promise<number> {
  return (await compileToBytecode(bin, path, code)).length;
}

/** What `qjsc -b` writes for one file: the bytecode a release package holds in place of its JavaScript. */
export async function compileToBytecode(bin: string, path: string, code: Uint8Array): Promise<Uint8Array> {
  qjscVersion(bin); // fails with the reason if qjsc cannot run here
  const dir = mkdtempSync(join(tmpdir(), 'decompress-qjsc-'));
  try {
    const message = await compileOne(bin, dir, path, code);
    if (message !== undefined) throw new Error(`qjsc rejects ${path}: ${message}`);
    return new Uint8Array(readFileSync(join(dir, `${path.slice(0, -'.js'.length)}.bin`)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Compiles one file in its own folder, under its package path (so qjsc's message names it); undefined = accepted. */
async function compileOne(
  bin: string,
  cwd: string,
  path: string,
  code: Uint8Array,
): Promise<string | undefined> {
  const src = join(cwd, path);
  mkdirSync(dirname(src), { recursive: true });
  writeFileSync(src, code);
  const out = `${src.slice(0, -'.js'.length)}.bin`;
  return new Promise((resolve, reject) => {
    execFile(bin, ['-b', '-o', out, path], { cwd, encoding: 'utf8' }, (error, stdout, stderr) => {
      const text = `${stderr}${stdout}`.trim();
      if (error && typeof error.code !== 'number') {
        reject(new QjscUnavailable(whyNot(bin, error as NodeJS.ErrnoException)));
      } else if (error) {
        resolve(text || `qjsc exited with ${error.code} and printed nothing`);
      } else if (!existsSync(out) || readFileSync(out).length === 0) {
        resolve(`qjsc exited 0 but wrote no bytecode${text ? `: ${text}` : ''}`);
      } else {
        resolve(undefined);
      }
    });
  });
}

/**
 * The built files are minified onto one line, so qjsc's "at file:1" does not say where. esbuild reprints the
 * file one statement a line without changing its syntax; qjsc's line number in that copy points at the line.
 */
async function locate(bin: string, cwd: string, path: string, code: Uint8Array): Promise<string | undefined> {
  try {
    const pretty = (await transform(new TextDecoder().decode(code), { loader: 'js', minify: false })).code;
    const message = await compileOne(bin, cwd, path, new TextEncoder().encode(pretty));
    const line = Number(/:(\d+)\s*$/m.exec(message ?? '')?.[1]);
    const text = pretty.split('\n')[line - 1]?.trim();
    if (!text) return undefined;
    return `line ${line} of the file reprinted: ${text.length > 160 ? `${text.slice(0, 157)}...` : text}`;
  } catch {
    return undefined; // best effort: qjsc's own message is the verdict
  }
}

async function pool<T>(jobs: readonly (() => Promise<T>)[], size: number): Promise<T[]> {
  const results: T[] = new Array<T>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, jobs.length) }, worker));
  return results;
}

/** The failure text: each rejected file, where it runs, and qjsc's message. */
export function describeRejections(rejections: readonly Rejection[], version: string = QJSC_VERSION): string {
  const lines = [
    `qjsc ${version} (the compiler of the watch's QuickJS) rejects ${rejections.length} built file${rejections.length === 1 ? '' : 's'}:`,
  ];
  for (const r of rejections) {
    const more =
      r.labels.length > 1
        ? ` (identical in ${r.labels.length - 1} more package${r.labels.length > 2 ? 's' : ''})`
        : '';
    const where =
      r.runsOn === 'watch'
        ? 'runs on the watch'
        : 'runs on the phone, whose engine Zepp does not name: qjsc is our stricter bar there, see scripts/lib/qjsc.ts';
    lines.push(`  ${r.labels[0]}${more}, ${where}:`);
    for (const l of r.message.split('\n')) lines.push(`    ${l}`);
    if (r.near) lines.push(`    ${r.near}`);
  }
  lines.push(
    `The watch parses only what QuickJS ${version} parses: lower that syntax (the esbuild target in`,
    'scripts/lib/pipeline.ts) or avoid it. docs/platform-facts.md (B12) lists constructs it rejects.',
  );
  return lines.join('\n');
}
