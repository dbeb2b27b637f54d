/**
 * The npm package as a user gets it. `npm pack` makes a tarball of what runs (the bundles in
 * `server/dist/`, with the README, licence, changelog and third-party notices) and nothing else;
 * its manifest has no dependencies, so it installs into an empty prefix offline, with an empty
 * cache and an unreachable registry, and installing runs no build. Both of its commands then
 * work: `azure-image-lint` gives on a fixture what the compiled CLI gives, byte for byte, and
 * `azure-image-lint-server --stdio` answers `initialize` and publishes a finding for an opened
 * template. Nothing here reaches the network.
 */
import * as assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { repositoryRoot } from '../harness/fixtures';
import { endOfSupportMessage } from '../server/expectations';
import { fixtureUri, LspTestClient, readFixture } from '../server/lspClient';

const manifest = JSON.parse(fs.readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  files: string[];
  dependencies?: Record<string, string>;
};
const asOf = '2026-11-22';

/**
 * The environment npm runs in: none of the `npm_*` variables of the `npm test` around this test,
 * an empty user configuration (no registry or cache of the machine's), and a registry nobody
 * listens at, so that any attempt to fetch fails.
 */
function isolatedEnvironment(temporary: string): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!/^npm_/i.test(name)) environment[name] = value;
  fs.writeFileSync(path.join(temporary, 'npmrc'), '');
  fs.writeFileSync(path.join(temporary, 'global-npmrc'), '');
  return {
    ...environment,
    NPM_CONFIG_USERCONFIG: path.join(temporary, 'npmrc'),
    NPM_CONFIG_GLOBALCONFIG: path.join(temporary, 'global-npmrc'),
    NPM_CONFIG_CACHE: path.join(temporary, 'cache'),
    NPM_CONFIG_REGISTRY: 'http://127.0.0.1:9/',
    NPM_CONFIG_AUDIT: 'false',
    NPM_CONFIG_FUND: 'false',
    NPM_CONFIG_UPDATE_NOTIFIER: 'false',
  };
}

/** Runs npm: the one running `npm test` when there is one, else `npm` from the PATH. */
function npm(args: readonly string[], options: SpawnSyncOptions) {
  const npmCli = process.env.npm_execpath;
  const [command, commandArgs] = npmCli && /\.[cm]?js$/.test(npmCli) ? [process.execPath, [npmCli, ...args]] : ['npm', [...args]];
  const result = spawnSync(command, commandArgs, {
    encoding: 'utf8',
    shell: process.platform === 'win32' && command === 'npm',
    ...options,
  });
  const output = `${String(result.stdout)}\n${String(result.stderr)}`;
  assert.equal(result.status, 0, `npm ${args.join(' ')} failed:\n${output}`);
  return String(result.stdout);
}

/** Where a global install into `prefix` puts the package itself. */
function installedPackage(prefix: string): string {
  return path.join(prefix, process.platform === 'win32' ? '' : 'lib', 'node_modules', manifest.name as string);
}

/** Where a global install into `prefix` puts the command `name`. */
function installedCommand(prefix: string, name: string): string {
  return process.platform === 'win32' ? path.join(prefix, `${name}.cmd`) : path.join(prefix, 'bin', name);
}

describe('the npm package', () => {
  let temporary: string;
  let environment: NodeJS.ProcessEnv;
  let packedFiles: string[];
  let prefix: string;

  before(() => {
    temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-package-'));
    environment = isolatedEnvironment(temporary);
    // The build has run (`npm test` builds first); packing must not run it again.
    const packed = JSON.parse(
      npm(['pack', '--json', '--ignore-scripts', '--pack-destination', temporary], { cwd: repositoryRoot, env: environment }),
    ) as { filename: string; files: { path: string }[] }[];
    packedFiles = packed[0].files.map((file) => file.path.replace(/\\/g, '/')).sort();
    const tarball = path.join(temporary, packed[0].filename);
    prefix = path.join(temporary, 'prefix');
    npm(['install', '--global', '--offline', '--prefix', prefix, tarball], { cwd: temporary, env: environment });
  });

  after(() => {
    fs.rmSync(temporary, { recursive: true, force: true });
  });

  it('holds the bundles and the documents users read, and nothing else', () => {
    const allowed = /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|server\/dist\/.+|docs\/rules\/[a-z-]+\.md)$/;
    assert.deepEqual(
      packedFiles.filter((file) => !allowed.test(file)),
      [],
    );
    for (const file of [
      'LICENSE',
      'README.md',
      'CHANGELOG.md',
      'server/dist/cli.js',
      'server/dist/cli.bundle.js',
      'server/dist/node/scanWorker.js',
      'server/dist/server.js',
      'server/dist/server/analysisWorker.js',
      'server/dist/THIRD_PARTY_NOTICES.md',
      'docs/rules/end-of-support.md',
    ]) {
      assert.ok(packedFiles.includes(file), `${file} is not in the package: ${packedFiles.join(', ')}`);
    }
    assert.deepEqual(manifest.bin, {
      'azure-image-lint': 'server/dist/cli.js',
      'azure-image-lint-server': 'server/dist/server.js',
    });
  });

  it('installs nothing but itself', () => {
    assert.equal(manifest.dependencies, undefined);
    const installed = path.join(prefix, process.platform === 'win32' ? '' : 'lib', 'node_modules');
    assert.deepEqual(
      fs.readdirSync(installed).filter((name) => !name.startsWith('.')),
      [manifest.name],
    );
    const installedManifest = JSON.parse(fs.readFileSync(path.join(installed, manifest.name, 'package.json'), 'utf8'));
    assert.equal(installedManifest.version, manifest.version);
  });

  it('lists every bundled package in its third-party notices', () => {
    const notices = fs.readFileSync(path.join(repositoryRoot, 'server', 'dist', 'THIRD_PARTY_NOTICES.md'), 'utf8');
    const listed = [...notices.matchAll(/^## (\S+) /gm)].map((match) => match[1]);
    // The server is made of the language server library and our own code; the library comes with its licence.
    for (const name of ['jsonc-parser', 'vscode-jsonrpc', 'vscode-languageserver', 'vscode-languageserver-protocol']) {
      assert.ok(listed.includes(name), `${name} is not in the notices: ${listed.join(', ')}`);
    }
    assert.match(notices, /^Licence: MIT/m);
    assert.match(notices, /Copyright \(c\) Microsoft Corporation/);
  });

  it('runs azure-image-lint on a fixture as the compiled CLI does', () => {
    const args = ['--as-of', asOf, '--format', 'json', 'test/fixtures/cli/project'];
    const options = { cwd: repositoryRoot, encoding: 'utf8' as const, shell: process.platform === 'win32' };
    const installed = spawnSync(installedCommand(prefix, 'azure-image-lint'), args, options);
    const compiled = spawnSync(process.execPath, [path.join(repositoryRoot, 'server', 'out', 'cli.js'), ...args], options);
    assert.equal(installed.error, undefined);
    // Links to the rule pages point at the pages installed with each: the package's own copy.
    const installedDocs = pathToFileURL(path.join(installedPackage(prefix), 'docs', 'rules')).href + '/';
    const checkoutDocs = pathToFileURL(path.join(repositoryRoot, 'docs', 'rules')).href + '/';
    assert.ok(installed.stdout.includes(installedDocs), 'links point at the installed rule pages');
    assert.ok(fs.existsSync(path.join(installedPackage(prefix), 'docs', 'rules', 'end-of-support.md')));
    assert.deepEqual(
      { status: installed.status, stdout: installed.stdout.split(installedDocs).join(checkoutDocs), stderr: installed.stderr },
      { status: compiled.status, stdout: compiled.stdout, stderr: compiled.stderr },
    );
    assert.ok(JSON.parse(installed.stdout).findings.length > 0);
    const version = spawnSync(installedCommand(prefix, 'azure-image-lint'), ['--version'], options);
    assert.equal(version.stdout.trim(), manifest.version);
  });

  it('runs azure-image-lint-server over stdio: initialize, open a template, get its diagnostic', async () => {
    const client = await LspTestClient.start({ serverCommand: [installedCommand(prefix, 'azure-image-lint-server'), '--stdio'] });
    try {
      const uri = fixtureUri('ubuntu1804.json');
      await client.open(uri, readFixture('ubuntu1804.json'));
      const published = await client.waitForDiagnostics(uri, (params) => params.version === 1);
      assert.deepEqual(
        published.diagnostics.map((diagnostic) => ({
          code: diagnostic.code,
          severity: diagnostic.severity,
          source: diagnostic.source,
          message: diagnostic.message,
          range: diagnostic.range,
          href: diagnostic.codeDescription?.href,
        })),
        [
          {
            code: 'end-of-support',
            severity: 1,
            source: 'azure-image-lint',
            message: endOfSupportMessage,
            range: { start: { line: 14, character: 19 }, end: { line: 14, character: 30 } },
            href: pathToFileURL(path.join(installedPackage(prefix), 'docs', 'rules', 'end-of-support.md')).href,
          },
        ],
      );
    } finally {
      await client.stop();
    }
  });
});
