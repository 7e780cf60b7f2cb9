import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const { refusal } = createRequire(import.meta.url)('../../scripts/zeus-guard.cjs') as {
  refusal: (cwd: string, argv: readonly string[]) => string | undefined;
};

// A folder shaped like the project root (app.json, app.ts, no app.js) and one like the staged project,
// made before the tests run (the tables below only need their paths).
const dir = join(tmpdir(), `decompress-zeus-${process.pid}-${Date.now()}`);
const projectRoot = join(dir, 'project');
const staged = join(dir, 'stage');
beforeAll(() => {
  for (const d of [projectRoot, staged]) {
    mkdirSync(join(d, 'dist'), { recursive: true });
    copyFileSync(join(root, 'app.json'), join(d, 'app.json'));
  }
  copyFileSync(join(root, 'app.ts'), join(projectRoot, 'app.ts'));
  writeFileSync(join(staged, 'app.js'), '');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run zeus refuses to build where it would empty dist/', () => {
  it.each(['build', 'dev', 'preview', 'bridge'])(
    'refuses zeus %s at the project root, saying what to run',
    (cmd) => {
      const why = refusal(projectRoot, [cmd]);
      expect(why).toMatch(
        new RegExp(`^zeus ${cmd} refused in .*: this folder has app\\.json but no app\\.js`),
      );
      expect(why).toContain('exits 0 and empties dist/');
      expect(why).toContain('npm run release');
      expect(why).toContain('npm run build');
    },
  );

  it.each([
    ['another command at the root', projectRoot, ['login']],
    ['no command', projectRoot, ['--version']],
    ['help for build', projectRoot, ['build', '--help']],
    ['build on the staged project (app.js present)', staged, ['build']],
    ['preview on the staged project', staged, ['preview', '-t', 'x']],
    ['build where there is no project', dir, ['build']],
  ])('lets through %s', (_, cwd, argv) => {
    expect(refusal(cwd, argv)).toBeUndefined();
  });

  it('the real script exits non-zero before zeus starts, and dist/ keeps its .zab', () => {
    writeFileSync(join(projectRoot, 'dist', 'previous.zab'), 'a good build');
    const home = join(dir, 'home');
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'zeus.cjs'), 'build'], {
      cwd: projectRoot,
      env: { ...process.env, HOME: home, USERPROFILE: home },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('zeus build refused');
    expect(r.stderr).toContain('npm run release');
    expect(readFileSync(join(projectRoot, 'dist', 'previous.zab'), 'utf8')).toBe('a good build');
    // zeus never ran: it writes its settings under HOME/.zepp on any command.
    expect(existsSync(join(home, '.zepp'))).toBe(false);
  });
});
