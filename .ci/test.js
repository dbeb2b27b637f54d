#!/usr/bin/env node
/*
 * Runs Node's test runner on every `*.test.js` under the given folders (default `test/out`), with
 * the other arguments passed on: `node .ci/test.js --test-reporter=spec test/out/cli`.
 *
 * `node --test test/out/` works on Node 20 only: Node 22 and later take glob patterns instead and
 * report a folder as a test file that failed, and Node 20 takes no glob. A list of the files works
 * on every version the package supports (`engines`), so `npm test` and CI's runs on other Node
 * versions (.ci/other-node-versions.sh) start the tests this way.
 */
'use strict';
const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

function testFiles(folder) {
  const files = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const child = path.join(folder, entry.name);
    if (entry.isDirectory()) files.push(...testFiles(child));
    else if (entry.isFile() && entry.name.endsWith('.test.js')) files.push(child);
  }
  return files;
}

const options = process.argv.slice(2).filter((argument) => argument.startsWith('-'));
const folders = process.argv.slice(2).filter((argument) => !argument.startsWith('-'));
const files = (folders.length > 0 ? folders : ['test/out']).flatMap((folder) => {
  if (!fs.existsSync(folder)) throw new Error(`${folder} does not exist: build first (npm run build)`);
  return fs.statSync(folder).isDirectory() ? testFiles(folder) : [folder];
});
// A test moved or removed in the sources leaves its compiled file behind (tsc never deletes):
// running it would test old compiled code. It is skipped, and named.
const stale = files.filter((file) => {
  const relative = path.relative('test/out', file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return false;
  return !fs.existsSync(path.join('test/src', relative.replace(/\.js$/, '.ts')));
});
for (const file of stale) process.stderr.write(`skipped ${file}: its source is gone (a stale build output)\n`);
files.splice(0, files.length, ...files.filter((file) => !stale.includes(file)));
if (files.length === 0) throw new Error(`no *.test.js files in ${folders.join(', ')}`);
const result = childProcess.spawnSync(process.execPath, ['--test', ...options, ...files], { stdio: 'inherit' });
process.exitCode = result.status ?? 1;
