import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// `npm run lint` keeps every switch over a union total: these lint real source text, placed in the tree,
// with the project's own eslint.config.js (type-aware: the union's members come from the type checker).
const root = join(__dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

async function problems(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

// An interpreter of effects, as a page holds one, at the path of a real page (so the type-aware rule has
// its project): the effect type gains a member the switch does not handle.
const interpreter = (cases: string, fallback = '') => `
type Effect = { readonly type: 'play' } | { readonly type: 'persist' } | { readonly type: 'beep' };
export function interpret(effect: Effect): number {
  switch (effect.type) {
${cases}${fallback}
  }
  return 0;
}
`;

describe('unions are total', () => {
  it('a switch that misses a member of the union fails the lint, naming it', async () => {
    const code = interpreter(`    case 'play':\n      return 1;\n    case 'persist':\n      return 2;\n`);
    expect(await problems('page/cues/index.page.ts', code)).toEqual([
      expect.stringContaining(
        '@typescript-eslint/switch-exhaustiveness-check: Switch is not exhaustive. Cases not matched: "beep"',
      ),
    ]);
  });

  it('so does one whose default clause would hide the new member', async () => {
    const code = interpreter(`    case 'play':\n      return 1;\n`, `    default:\n      return 3;\n`);
    expect(await problems('core/screens/cues.ts', code)).toEqual([
      expect.stringContaining('Cases not matched: "beep" | "persist"'),
    ]);
  });

  it('every member handled passes', async () => {
    const code = interpreter(`    case 'play':\n    case 'persist':\n    case 'beep':\n      return 1;\n`);
    expect(await problems('page/cues/index.page.ts', code)).toEqual([]);
  });
});

/** Every TypeScript file of the app (not its tests), by path from the root. */
function appFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(root, dir, name);
    if (statSync(path).isDirectory()) return appFiles(relative(root, path));
    return name.endsWith('.ts') ? [relative(root, path)] : [];
  });
}

describe('routes and messages are typed', () => {
  const files = [...['core', 'page', 'app-service', 'app-side', 'setting'].flatMap(appFiles), 'app.ts'];

  it('no page path is written outside the route table (core/base/routes.ts)', () => {
    const found = files
      .filter((f) => f !== join('core', 'base', 'routes.ts'))
      .flatMap((f) =>
        readFileSync(join(root, f), 'utf8')
          .split('\n')
          .flatMap((line, i) =>
            /page\/\w+\/index\.page/.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [],
          ),
      );
    expect(found).toEqual([]);
  });

  it('no view carries an action as a string: a button carries its screen’s message', () => {
    const views = files.filter((f) => f.startsWith(join('core', 'screens')) || f.startsWith('page'));
    const found = views.filter((f) => /\baction\??: string\b/.test(readFileSync(join(root, f), 'utf8')));
    expect(found).toEqual([]);
    // What the renderer hands back is the screen's own message type (core/screens/widgets).
    expect(readFileSync(join(root, 'core', 'screens', 'widgets.ts'), 'utf8')).toMatch(/readonly msg: Msg;/);
  });
});
