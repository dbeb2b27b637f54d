#!/usr/bin/env node
/*
 * Builds the .vsix: bundles the compiled client and server with esbuild into a staging tree
 * (out/vsix/) at the same paths they have in a checkout (client/out/extension.js,
 * server/out/server.js), so package.json's `main`, the server path and `jsonValidation` need no
 * second layout. The staged package.json has no dependencies (they are inside the bundles), no
 * scripts and no devDependencies. It adds the user-facing README (client/README.md, with the
 * screenshot it shows), the licence and THIRD_PARTY_NOTICES.md: the licences of the npm packages
 * esbuild put into the bundles. `@vscode/vsce package` then makes the .vsix from that tree,
 * offline. vsce prints the .vsix's file list; this prints its size. Run through
 * `npm run package`, which compiles first.
 */
'use strict';
const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');
const { thirdPartyNotices } = require('./third-party-notices');

const root = path.resolve(__dirname, '..');
const staging = path.join(root, 'out', 'vsix');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const vsixFile = path.join(root, `${manifest.name}-${manifest.version}.vsix`);

function copy(relativePath) {
  const source = path.join(root, relativePath);
  if (!fs.existsSync(source)) throw new Error(`missing ${relativePath}: build first (npx tsc -b)`);
  fs.mkdirSync(path.dirname(path.join(staging, relativePath)), { recursive: true });
  fs.cpSync(source, path.join(staging, relativePath), { recursive: true });
}

async function main() {
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });

  const bundle = (entry) =>
    esbuild.build({
      entryPoints: [path.join(root, entry)],
      outfile: path.join(staging, entry),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
      // Prefer ES module builds: jsonc-parser's UMD `main` loads its parts with a dynamic require
      // that a bundle cannot resolve ("Cannot find module './impl/format'").
      mainFields: ['module', 'main'],
      minify: true,
      legalComments: 'none',
      logLevel: 'warning',
      metafile: true,
    });
  // The analysis worker is its own entry point: the server starts it from server/out/server/.
  const results = await Promise.all([
    bundle('client/out/extension.js'),
    bundle('server/out/server.js'),
    bundle('server/out/server/analysisWorker.js'),
  ]);
  await checkServerAnswersInitialize(path.join(staging, 'server/out/server.js'));

  for (const file of ['CHANGELOG.md', '.vscodeignore', 'images/icon.png', 'syntaxes', 'docs/rules', 'docs/images']) {
    copy(file);
  }
  // The repository's README is for developers; the Marketplace and the Extensions view show this one.
  fs.copyFileSync(path.join(root, 'client', 'README.md'), path.join(staging, 'README.md'));
  const notices = thirdPartyNotices(
    root,
    `${manifest.displayName} (the VS Code extension ${manifest.publisher}.${manifest.name})`,
    results.map((result) => result.metafile),
  );
  fs.writeFileSync(path.join(staging, 'THIRD_PARTY_NOTICES.md'), notices.text);
  console.log(`THIRD_PARTY_NOTICES.md: ${notices.packages.join(', ')}`);
  for (const file of manifest.contributes.jsonValidation.map((validation) => validation.url)) {
    copy(file);
  }
  copy('LICENSE');

  const staged = { ...manifest };
  // `files` lists the npm package's contents; vsce would take it as the .vsix's.
  for (const key of ['scripts', 'devDependencies', 'dependencies', 'bin', 'files']) delete staged[key];
  fs.writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify(staged, null, 2)}\n`);

  const vsce = path.join(root, 'node_modules', '.bin', 'vsce');
  const flags = ['--no-dependencies', '--no-rewrite-relative-links'];
  childProcess.execFileSync(vsce, ['package', ...flags, '--out', vsixFile], { cwd: staging, stdio: 'inherit' });

  const vsixSize = fs.statSync(vsixFile).size;
  console.log(`\n${path.relative(root, vsixFile)}: ${vsixSize} bytes (${(vsixSize / 1024).toFixed(0)} KiB)`);
}

/**
 * A bundle can build and still fail at load time, so start the bundled server over stdio and
 * require an answer to `initialize` before packaging it.
 */
function checkServerAnswersInitialize(serverModule) {
  return new Promise((resolve, reject) => {
    const server = childProcess.spawn(process.execPath, [serverModule, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    const timer = setTimeout(() => finish(new Error('no answer to initialize within 15 s')), 15_000);
    function finish(error) {
      clearTimeout(timer);
      server.kill();
      if (error) reject(new Error(`the bundled server does not work: ${error.message}\n${errors}`));
      else resolve();
    }
    server.stdout.on('data', (data) => {
      output += data.toString();
      if (/"id":1,"result":\{"capabilities"/.test(output)) finish();
    });
    server.stderr.on('data', (data) => (errors += data.toString()));
    server.on('exit', (code) => finish(new Error(`it exited with ${code}`)));
    const request = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { processId: process.pid, rootUri: null, capabilities: {} },
    });
    server.stdin.write(`Content-Length: ${Buffer.byteLength(request)}\r\n\r\n${request}`);
  });
}

main().catch((error) => {
  console.error(error.stack || String(error));
  process.exitCode = 1;
});
