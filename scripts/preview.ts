/**
 * npm run preview: build, then hand the staged project to `zeus preview`, which uploads it to the Zepp
 * cloud and shows a QR code to scan in the Zepp phone app (Profile → your watch → Developer mode).
 * Needs network and a Zepp developer login (`npm run zeus -- login` once). Unlike the build, preview runs
 * with your own HOME, because that is where zeus keeps your login and its device list.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const step = (args: string[], cwd: string): void => {
  const r = spawnSync(process.execPath, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
step([join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'scripts', 'build.ts')], root);
step([join(root, 'scripts', 'zeus.cjs'), 'preview', ...process.argv.slice(2)], join(root, '.build', 'stage'));
