/**
 * npx tsx scripts/check-samples.ts <samples checkout> [--only <text>] [--json <file>]
 *
 * Builds each Zepp OS app under the checkout (zepp-health/zeppos-samples, or any folder of apps) with the
 * project's offline builder, runs its pages, App Services, Side Service and Settings App in the runtime
 * double on a watch its app.json allows, taps every button of every page once, and prints per part:
 * passed, refused (the rule and the page of Zepp's documentation that forbids the call), not modelled
 * (the API the double lacks), or failed. The last lines are the figures docs/runtime-double.md quotes.
 *
 * `--only` keeps the samples whose folder contains the text; `--json` also writes the reports as JSON.
 * Exits 1 when a refusal cites no page (the double must say where a rule is written), else 0.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { figuresOf, findSamples, formatReport, runSample, type SampleReport } from './lib/samples';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function usage(problem: string): never {
  console.error(
    `${problem}\nusage: npx tsx scripts/check-samples.ts <samples checkout> [--only <text>] [--json <file>]`,
  );
  process.exit(2);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let checkout: string | undefined;
  let only: string | undefined;
  let json: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--only') only = args[++i] ?? usage('--only needs a text');
    else if (a === '--json') json = args[++i] ?? usage('--json needs a file');
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else if (checkout === undefined) checkout = resolve(a);
    else usage(`one checkout only (got ${checkout} and ${a})`);
  }
  if (checkout === undefined) usage('no samples checkout given');
  if (!existsSync(checkout)) usage(`${checkout} does not exist`);
  const samples = findSamples(checkout).filter((s) => only === undefined || s.includes(only));
  if (samples.length === 0) usage(`no app.json under ${checkout}${only ? ` matching "${only}"` : ''}`);
  const reports: SampleReport[] = [];
  for (const dir of samples) {
    const report = await runSample(root, checkout, dir, { log: (line) => console.error(line) });
    reports.push(report);
  }
  for (const line of formatReport(reports)) console.log(line);
  if (json) writeFileSync(json, `${JSON.stringify({ figures: figuresOf(reports), reports }, null, 2)}\n`);
  if (figuresOf(reports).refusedUncited > 0) process.exit(1);
}

main().catch((e: unknown) => {
  console.error(`check-samples failed: ${(e as Error).stack ?? String(e)}`);
  process.exit(1);
});
