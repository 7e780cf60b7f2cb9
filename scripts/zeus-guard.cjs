// Which zeus commands must not run where. Used by scripts/zeus.cjs; kept apart so tests can ask it.
//
// zeus build, dev, preview and bridge build the project in the current folder. Our project root holds
// TypeScript (app.ts), not the app.js the Zepp builder insists on: there, `zeus build` prints
// "The app.js file must be included in the project", exits 0, and leaves dist/ EMPTY (zpm empties the
// project's dist/ before it builds). Those commands only make sense on a staged project (.build/stage,
// written by `npm run build`), which holds app.js.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const BUILDING = ['build', 'dev', 'preview', 'bridge'];

/**
 * Returns why `zeus <argv>` must not run in `cwd`, or undefined when it may.
 * @param {string} cwd
 * @param {readonly string[]} argv the arguments after `zeus`
 * @returns {string | undefined}
 */
function refusal(cwd, argv) {
  const command = argv.find((a) => !a.startsWith('-'));
  if (!command || !BUILDING.includes(command)) return undefined;
  if (argv.includes('--help') || argv.includes('-h')) return undefined;
  if (!fs.existsSync(path.join(cwd, 'app.json')) || fs.existsSync(path.join(cwd, 'app.js'))) return undefined;
  return [
    `zeus ${command} refused in ${cwd}: this folder has app.json but no app.js (the app is TypeScript), and`,
    'the Zepp builder can only build app.js. Run here, zeus prints an error, exits 0 and empties dist/.',
    'Use instead:',
    '  npm run release   the QuickJS bytecode .zab to install (what zeus build makes) → dist/release/',
    '  npm run build     the plain-JavaScript .zab the tests and the runtime double use → dist/',
    '  npm run preview   build, then zeus preview on the staged project (a QR code for the Zepp app)',
    `  zeus ${command} on the staged project: npm run build, then from .build/stage: node ../../scripts/zeus.cjs ${command}`,
  ].join('\n');
}

module.exports = { refusal, BUILDING };
