/**
 * npm run figures: builds the app, runs every bench of bench/ on it, one after the other, and writes
 * their output, verbatim, to docs/figures.md, each under the command that makes it again. The README
 * quotes a few of these figures and points here for the rest; this script is the only writer of
 * docs/figures.md. About twelve minutes on two cores (the clinic's 5,000 sessions two of them). Times depend on the machine; counts and bytes do not.
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildZab, defaultPaths } from './lib/pipeline';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The benches, in the order docs/figures.md shows them, each with what it measures. */
/** `zab`: the bench takes the built .zab as `--zab <path>`; `path`: as its first argument. */
const BENCHES: readonly { readonly name: string; readonly title: string; readonly args?: 'zab' | 'path' }[] =
  [
    { name: 'footprint', title: 'Footprint of each page against a floor page, per target', args: 'zab' },
    { name: 'parts', title: 'What each page’s JavaScript is made of' },
    { name: 'size', title: 'What the watch and the phone install, per target screen', args: 'path' },
    { name: 'startup', title: 'Time to the first frame (QuickJS in Node: read as relative)' },
    { name: 'drift', title: 'Cue timing under late platform timers' },
    { name: 'screen', title: 'Screen-on seconds and wakeups of one default session', args: 'zab' },
    { name: 'sync', title: 'The watch ↔ phone link and the phone’s history' },
    { name: 'csv', title: 'The Settings App page and the CSV export with 5,000 sessions' },
    { name: 'fhir', title: 'The FHIR R4 export of 5,000 sessions' },
    { name: 'clinic', title: '5,000 sessions sent to a clinic’s FHIR server by the built Side Service' },
  ];

function run(name: string, extra: readonly string[]): { command: string; output: string; seconds: number } {
  const args = ['tsx', `bench/${name}.ts`, ...extra];
  const command = `npx ${args.join(' ')}`;
  const t0 = Date.now();
  const done = spawnSync('npx', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = (Date.now() - t0) / 1000;
  if (done.status !== 0)
    throw new Error(`${command} failed (exit ${done.status}):\n${done.stderr || done.stdout}`.slice(0, 4000));
  return { command, output: done.stdout.trimEnd(), seconds };
}

async function main(): Promise<void> {
  const built = await buildZab('plain', defaultPaths(root, 'plain'));
  const zab = relative(root, built.zab);
  const parts: string[] = [
    '# Figures',
    '',
    'Every block below is a bench’s own output, verbatim, written by `npm run figures` (scripts/figures.ts)',
    `on ${new Date().toISOString().slice(0, 10)} with Node ${process.version} on ${cpus().length} cores`,
    `(${cpus()[0]?.model.trim() ?? 'unknown CPU'}), from the build \`${zab}\`. Under each title, the command`,
    'that makes it again. Times depend on the machine and its load; counts and bytes do not. The README',
    'quotes a few of these; `bench/` says how each is measured.',
  ];
  for (const bench of BENCHES) {
    const extra = bench.args === 'zab' ? ['--zab', zab] : bench.args === 'path' ? [zab] : [];
    const { command, output, seconds } = run(bench.name, extra);
    console.log(`${command}: ${seconds.toFixed(0)} s`);
    parts.push(
      '',
      `## ${bench.title}`,
      '',
      `\`${command}\` (${seconds.toFixed(0)} s)`,
      '',
      '```',
      output,
      '```',
    );
  }
  writeFileSync(join(root, 'docs', 'figures.md'), `${parts.join('\n')}\n`);
  console.log('docs/figures.md written');
}

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(1);
});
