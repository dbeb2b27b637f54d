/**
 * The command users run (`server/dist/cli.js`, the bundle `npm run build` makes) gives what the
 * compiled CLI (`server/out/cli.js`) gives, byte for byte, with the same exit status: on the
 * examples in every format, on bad usage and bad configuration, and on a folder of more than
 * `parallelScanThreshold` files, which it scans on its own bundled worker threads. It does so
 * with its code cache, without it and with a damaged one, and its cache is one this Node accepts.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type * as vm from 'node:vm';
import { parallelScanThreshold } from '../../../server/out/node/parallelScan';
import { collectFiles } from '../../../server/out/node/scan';
import { bicepBaselinesRoot, corpusRoot, fixturesRoot, repositoryRoot } from '../harness/fixtures';

const compiledCli = path.join(repositoryRoot, 'server', 'out', 'cli.js');
const bundledCli = path.join(repositoryRoot, 'server', 'dist', 'cli.js');
const corpus = corpusRoot;
const asOf = '2026-11-22';

interface Launcher {
  codeCacheFile: string;
  compileBundle(cachedData?: Buffer): vm.Script;
}

function run(cli: string, args: readonly string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: repositoryRoot,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs both commands with `args` and requires the same status, stdout and stderr. */
function assertSameAsCompiled(args: readonly string[], cli = bundledCli): void {
  const expected = run(compiledCli, args);
  const actual = run(cli, args);
  assert.deepEqual(actual, expected);
}

const examplesRuns: readonly (readonly string[])[] = [
  ['--as-of', asOf, 'examples'],
  ['--as-of', asOf, '--format', 'json', 'examples'],
  ['--as-of', asOf, '--format', 'sarif', 'examples'],
  ['--as-of', asOf, '--inventory', 'examples'],
  ['--as-of', asOf, '--format', 'json', 'examples/bicep/main.bicep'],
  ['--as-of', asOf, '--format', 'json', 'test/fixtures/cli/project'],
  ['--as-of', asOf, 'test/fixtures/cli/bad-config'],
  ['--as-of', asOf, 'test/fixtures/cli/clean'],
  ['--as-of', asOf, '--exclude', 'bicep/', '--fail-level', 'warning', '--max-warnings', '0', '--quiet', 'examples'],
  ['--as-of', asOf, '--format', 'sarif', '--fail-on-problems', '--root', 'test', 'test/fixtures/cli/project'],
  ['--version'],
  ['--help'],
  ['--explain', 'end-of-support'],
  ['--explain', 'no-such-rule'],
  ['--format', 'xml', 'examples'],
  [],
  ['no/such/folder'],
];

describe('the bundled command', () => {
  it('is the package bin', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8'));
    assert.equal(path.resolve(repositoryRoot, manifest.bin['azure-image-lint']), bundledCli);
    assert.match(fs.readFileSync(bundledCli, 'utf8'), /^#!\/usr\/bin\/env node\n/);
  });

  for (const args of examplesRuns) {
    it(`gives the compiled CLI's output and status: ${args.join(' ') || '(no arguments)'}`, () => {
      assertSameAsCompiled(args);
    });
  }

  it('reads and writes baselines as the compiled CLI does', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-baseline-'));
    try {
      const baseline = path.join(folder, 'baseline.json');
      assertSameAsCompiled(['--as-of', asOf, '--write-baseline', baseline, 'examples/arm']);
      assertSameAsCompiled(['--as-of', asOf, '--format', 'json', '--baseline', baseline, 'examples']);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('has a code cache this Node accepts', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const launcher = require(bundledCli) as Launcher;
    const script = launcher.compileBundle(fs.readFileSync(launcher.codeCacheFile));
    assert.equal(script.cachedDataRejected, false);
  });

  describe('on more files than a sequential scan takes', () => {
    let folder = '';
    before(() => {
      // Four copies of the test fixtures (configuration files, parameter files, modules,
      // templates that do not parse), each with its own configuration discovery, and one of the
      // regression inputs, which are slow by design.
      folder = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-bundled-'));
      for (const copy of ['a', 'b', 'c', 'd'])
        fs.cpSync(fixturesRoot, path.join(folder, copy), {
          recursive: true,
          filter: (source) => path.basename(source) !== 'regressions' && source !== corpusRoot && source !== bicepBaselinesRoot,
        });
      fs.cpSync(path.join(fixturesRoot, 'regressions'), path.join(folder, 'regressions'), { recursive: true });
    });
    after(() => fs.rmSync(folder, { recursive: true, force: true }));

    it('scans on its bundled threads and gives the compiled CLI’s output, on copies of the fixtures', () => {
      assert.ok(collectFiles([folder]).files.length > parallelScanThreshold, 'the folder is scanned on threads');
      assertSameAsCompiled(['--as-of', asOf, '--format', 'json', folder]);
    });

    it('gives the compiled CLI’s output on the corpus', () => {
      assert.ok(collectFiles([corpus]).files.length > parallelScanThreshold, 'the corpus is scanned on threads');
      assertSameAsCompiled(['--as-of', asOf, '--format', 'json', corpus]);
    });
  });

  describe('with its code cache missing or damaged', () => {
    let copy = '';
    before(() => {
      copy = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-dist-'));
      fs.cpSync(path.dirname(bundledCli), copy, { recursive: true });
    });
    after(() => fs.rmSync(copy, { recursive: true, force: true }));

    const cacheFiles = () => fs.readdirSync(copy).filter((name) => name.endsWith('.cache'));

    // Text output: the copy lies outside the package, so the JSON's links to the rule pages
    // installed beside it (docs/rules/) would differ.
    it('ignores a cache V8 rejects', () => {
      assert.equal(cacheFiles().length, 1);
      fs.writeFileSync(path.join(copy, cacheFiles()[0]), 'not a code cache');
      assertSameAsCompiled(['--as-of', asOf, 'examples'], path.join(copy, 'cli.js'));
      assertSameAsCompiled(['--as-of', asOf, '--explain', 'no-such-rule'], path.join(copy, 'cli.js'));
    });

    it('loads the bundle as a module without a cache', () => {
      for (const name of cacheFiles()) fs.rmSync(path.join(copy, name));
      assertSameAsCompiled(['--as-of', asOf, 'examples'], path.join(copy, 'cli.js'));
      assertSameAsCompiled(['--as-of', asOf, 'test/fixtures/cli/bad-config'], path.join(copy, 'cli.js'));
    });
  });
});
