#!/usr/bin/env node
// Runs the Zepp CLI (zeus) from this project's devDependencies.
// zeus's bin registers `module-alias`, which reads `_moduleAliases` from the ROOT package.json (ours),
// not from zeus's own, so its private `zeppos-app-utils` module is never found. We register that one
// alias here, pointing into zeus's own package, and hand over to zeus unchanged.
// Commands that build (build, dev, preview, bridge) are refused in a folder without app.js, such as the
// project root: see scripts/zeus-guard.cjs.
'use strict';
const path = require('node:path');
const { refusal } = require('./zeus-guard.cjs');

const refused = refusal(process.cwd(), process.argv.slice(2));
if (refused) {
  console.error(refused);
  process.exit(2);
}

const moduleAlias = require('module-alias');
const zeusDir = path.dirname(require.resolve('@zeppos/zeus-cli/package.json'));
moduleAlias.addAlias('zeppos-app-utils', path.join(zeusDir, 'private-modules', 'zeppos-app-utils'));
require(path.join(zeusDir, 'bin', 'main.js'));
