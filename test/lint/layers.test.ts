import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// `npm run lint` is what keeps the folder order true: these lint real source text, placed at paths in
// the tree, with the project's own eslint.config.js, exactly as `eslint .` would.
const root = join(__dirname, '..', '..');
// The folder order needs no types: the type-aware rules, which need each file in a project on disk, are
// left out (test/lint/unions.test.ts lints with them).
const eslint = new ESLint({
  cwd: root,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/switch-exhaustiveness-check': 'off' },
  },
});

async function problems(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

const uses = (spec: string, name = 'x') => `import { ${name} } from '${spec}';\nexport const y = ${name};\n`;

describe('the folder order of core/ (base < plan < log < engine, link < watch, phone < screens)', () => {
  it.each([
    ['core/engine/cue.ts', '../watch/outbox', 'core/engine may not import core/watch, which sits above it'],
    ['core/engine/cue.ts', '../link/protocol', 'core/engine may not import core/link, which sits beside it'],
    ['core/watch/x.ts', '../phone/history', 'core/watch may not import core/phone, which sits beside it'],
    ['core/base/x.ts', '../plan/prescription', 'core/base may not import core/plan, which sits above it'],
    ['core/log/x.ts', '../screens/widgets', 'core/log may not import core/screens, which sits above it'],
    ['core/plan/x.ts', '../../page/lib/platform', 'core/ never imports its shells'],
  ])('%s importing %s fails the lint', async (path, spec, message) => {
    expect(await problems(path, uses(spec))).toEqual([expect.stringContaining(`layers/one-way: ${message}`)]);
  });

  it('a file outside the folders, or in a folder not in the order, fails the lint', async () => {
    expect(await problems('core/stray.ts', uses('./base/kv'))).toEqual([
      expect.stringContaining('layers/one-way: core/stray.ts must sit in a core folder'),
    ]);
    expect(await problems('core/misc/x.ts', 'export const a = 1;\n')).toEqual([
      expect.stringContaining('layers/one-way: core/misc is not in the folder order'),
    ]);
  });

  it('an export-from and a dynamic import are held to the same order', async () => {
    expect(await problems('core/plan/x.ts', `export { x } from '../log/stats';\n`)).toEqual([
      expect.stringContaining('core/plan may not import core/log'),
    ]);
    expect(await problems('core/base/x.ts', `export const m = import('../watch/sync');\n`)).toEqual([
      expect.stringContaining('core/base may not import core/watch'),
    ]);
  });

  it.each([
    ['core/watch/x.ts', '../engine/session'],
    ['core/screens/x.ts', '../phone/history'],
    ['core/engine/x.ts', './timeline'],
    ['core/link/x.ts', '../log/session-log'],
  ])('%s importing %s passes', async (path, spec) => {
    expect(await problems(path, uses(spec))).toEqual([]);
  });
});

describe('shells import core, never each other’s side', () => {
  it('the watch pages never reach the phone’s code', async () => {
    expect(await problems('page/home/x.ts', uses('../../core/phone/history'))).toEqual([
      expect.stringContaining('page/ may not import core/phone/'),
    ]);
  });

  it('the phone’s shells never reach the watch’s code', async () => {
    expect(await problems('app-side/x.ts', uses('../core/watch/outbox'))).toEqual([
      expect.stringContaining('app-side/ may not import core/watch/'),
    ]);
    expect(await problems('setting/x.ts', uses('../page/lib/platform'))).toEqual([
      expect.stringContaining('setting/ may not import page/'),
    ]);
  });

  it('and a shell importing core as it should passes', async () => {
    expect(await problems('page/home/x.ts', uses('../../core/screens/home'))).toEqual([]);
    expect(await problems('setting/x.ts', uses('../core/phone/history'))).toEqual([]);
  });
});
