/**
 * A scan on several threads gives exactly what a sequential scan gives: the same JSON and text
 * output, byte for byte, and the same configuration problems, on the real-world corpus and on
 * every test fixture (configuration files, parameter files, modules, files that do not parse).
 * The CLI scans on threads when it is given more than `parallelScanThreshold` files.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { formatJson, formatText, PositionConverter } from '../../../server/out/cli/formats';
import { parallelScanThreshold, scanFilesInParallel } from '../../../server/out/node/parallelScan';
import { collectFiles, type ScanResult, scanFiles } from '../../../server/out/node/scan';
import { bicepBaselinesRoot, corpusRoot, fixturesRoot, repositoryRoot } from '../harness/fixtures';

const corpus = corpusRoot;
/** Every fixture folder but the corpus, which has a test of its own, and the parser's baselines. */
const fixtures = fs
  .readdirSync(fixturesRoot)
  .map((name) => path.join(fixturesRoot, name))
  .filter((folder) => folder !== corpusRoot && folder !== bicepBaselinesRoot);
const scanWorkerModule = path.join(repositoryRoot, 'server', 'out', 'node', 'scanWorker.js');
const asOf = '2026-11-22';

function outputs(result: ScanResult): { json: string; text: string; configurationProblems: string } {
  const positions = new PositionConverter((file) => result.host.readFile(file));
  return {
    json: formatJson(
      result.asOf,
      result.findings,
      [...result.configurationProblems, ...result.problems],
      result.images,
      positions,
    ),
    text: formatText(result.findings, result.problems, positions),
    configurationProblems: JSON.stringify(result.configurationProblems),
  };
}

describe('parallel scan', () => {
  for (const [name, folders] of [
    ['the corpus', [corpus]],
    ['the test fixtures', fixtures],
  ] as const) {
    it(`gives the same output as a sequential scan on ${name}, with 2 and 3 threads`, async () => {
      const collected = collectFiles(folders);
      const files = collected.files;
      const options = { asOf, today: asOf, roots: collected.roots };
      const sequential = outputs(scanFiles(files, options));
      assert.ok(sequential.json.length > 1000);
      for (const threads of [2, 3]) {
        const parallel = outputs(await scanFilesInParallel(files, options, scanWorkerModule, threads));
        assert.equal(parallel.json, sequential.json);
        assert.equal(parallel.text, sequential.text);
        assert.equal(parallel.configurationProblems, sequential.configurationProblems);
      }
    });
  }

  it('is what the CLI does with many files, and its output is the sequential one', () => {
    const collected = collectFiles([corpus]);
    const files = collected.files;
    assert.ok(files.length > parallelScanThreshold, 'the corpus is scanned on threads');
    const cli = spawnSync(process.execPath, ['server/out/cli.js', '--as-of', asOf, '--format', 'json', corpus], {
      cwd: repositoryRoot,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    // The CLI reads inside the current folder and the folders it is given.
    assert.equal(cli.stdout, outputs(scanFiles(files, { asOf, today: asOf, roots: [repositoryRoot, ...collected.roots] })).json);
  });
});
