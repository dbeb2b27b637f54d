#!/usr/bin/env node
/*
 * The `prepare` script: `npm run build`. npm runs it after `npm install` or `npm ci` in a
 * checkout, before `npm pack` and `npm publish`, and when it installs the package from a git URL:
 * it clones the repository into its cache, installs the clone's dependencies and devDependencies,
 * runs this, packs the clone and installs the tarball. (Not when it installs a tarball or from the
 * registry: the package holds the built bundles.)
 *
 * `npm install --global <git URL>` breaks that twice (npm 11.19; npm/cli#8440, npm/cli#4148): npm
 * runs the install in the clone in global mode, which installs no devDependencies (the build
 * would fail with "tsc: not found") and links the global package folder to the clone; npm then
 * unpacks the tarball through that link into the clone and deletes the clone, leaving commands
 * that point nowhere. In a clone npm prepares, this script therefore installs the devDependencies
 * when the compiler is missing, and after the build replaces such a link with a copy of what the
 * package holds, for npm to unpack the same files into.
 */
'use strict';
const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
// npm clones git dependencies into its cache, as `_cacache/tmp/git-clone…`.
const inGitClone = /^git-clone/.test(path.basename(root));
// Project mode and this folder, whatever the `npm install --global --prefix …` around it says.
const projectMode = ['--location=project', '--global=false', `--prefix=${root}`];

function installed(name) {
  try {
    require.resolve(`${name}/package.json`, { paths: [root] });
    return true;
  } catch {
    return false;
  }
}

/** Runs npm (the one running this script when there is one) in the repository root. */
function npm(args, capture = false) {
  const npmCli = process.env.npm_execpath;
  const [command, commandArgs] = npmCli && /\.[cm]?js$/.test(npmCli) ? [process.execPath, [npmCli, ...args]] : ['npm', args];
  const result = childProcess.spawnSync(command, commandArgs, {
    cwd: root,
    stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
    shell: process.platform === 'win32' && command === 'npm',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  return result.stdout;
}

/** The global package folder when it is a link to this clone (npm/cli#4148), else undefined. */
function globalLinkToThisClone(name) {
  const globalRoot = npm(['root', '--global'], true).trim();
  const folder = path.join(globalRoot, name);
  try {
    if (!fs.lstatSync(folder).isSymbolicLink()) return undefined;
    return fs.realpathSync(folder) === fs.realpathSync(root) ? folder : undefined;
  } catch {
    return undefined;
  }
}

if (inGitClone && (!installed('typescript') || !installed('esbuild'))) {
  // Anywhere else a missing compiler is the user's choice (`npm ci --omit=dev`), and the build
  // says what is missing.
  console.error('prepare: installing the devDependencies the build needs into the git clone (npm/cli#8440)');
  // No scripts, or this one would run again.
  npm(['ci', ...projectMode, '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund']);
}

npm(['run', 'build', ...projectMode]);

if (inGitClone) {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const link = globalLinkToThisClone(manifest.name);
  if (link) {
    console.error(`prepare: replacing the link ${link} to the git clone with the package's files (npm/cli#4148)`);
    const packed = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts', ...projectMode], true));
    fs.unlinkSync(link);
    for (const { path: file } of packed[0].files) {
      fs.mkdirSync(path.dirname(path.join(link, file)), { recursive: true });
      fs.copyFileSync(path.join(root, file), path.join(link, file));
      fs.chmodSync(path.join(link, file), fs.statSync(path.join(root, file)).mode);
    }
  }
}
