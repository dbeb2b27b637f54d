#!/usr/bin/env node
/*
 * The `prepare` script: `npm run build`. npm runs it after `npm install` or `npm ci` in a
 * checkout, before `npm pack` and `npm publish`, and when it installs the package from a git URL,
 * where it installs the clone's dependencies and devDependencies first, builds, packs and installs
 * the result. Not installing from a tarball or the registry: the package holds the built bundles.
 *
 * `npm install --global <git URL>` breaks that: npm installs the clone in global mode, without
 * its devDependencies (npm/cli#8440, open in npm 11), so the build fails with "tsc: not found".
 * When the compiler is missing in a git clone npm prepares, this installs the devDependencies
 * into the clone itself, from the lockfile, as npm documents it would have, and then builds.
 */
'use strict';
const childProcess = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function installed(name) {
  try {
    require.resolve(`${name}/package.json`, { paths: [root] });
    return true;
  } catch {
    return false;
  }
}

/** Runs npm (the one running this script when there is one) in the repository root. */
function npm(args) {
  const npmCli = process.env.npm_execpath;
  const [command, commandArgs] = npmCli && /\.[cm]?js$/.test(npmCli) ? [process.execPath, [npmCli, ...args]] : ['npm', args];
  const result = childProcess.spawnSync(command, commandArgs, {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32' && command === 'npm',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!installed('typescript') || !installed('esbuild')) {
  // npm clones git dependencies into its cache (`_cacache/tmp/git-clone…`); anywhere else a
  // missing compiler is the user's choice (`npm ci --omit=dev`), and the build says what is missing.
  if (/^git-clone/.test(path.basename(root))) {
    console.error('prepare: installing the devDependencies the build needs into the git clone (npm/cli#8440)');
    // Project mode and this folder, whatever the `npm install --global --prefix …` around it says;
    // no scripts, or this one would run again.
    npm([
      'ci',
      '--location=project',
      '--global=false',
      `--prefix=${root}`,
      '--include=dev',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
    ]);
  }
}
npm(['run', 'build', '--location=project', '--global=false', `--prefix=${root}`]);
