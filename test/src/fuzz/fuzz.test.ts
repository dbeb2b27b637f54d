/**
 * The short seeded fuzz runs inside `npm test`: a fixed seed, a few hundred mutants through the
 * core, two command-line runs, a handful of server batches and the linear-time checks at a
 * twenty-fifth of the full run's sizes; then the surface beyond one file (`surfaces.ts`): six
 * generated workspaces through the command line and "fix all", 150 hostile catalogs, four runs of
 * the server over split, merged and malformed frames. The same seed always makes the same inputs,
 * so a failure here is reproducible with `npm run fuzz -- --seed 20261122`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCampaign } from './campaign';

test('seeded fuzz run: the core never throws, the CLI exits 0/1/2, the server keeps answering, time stays linear', async () => {
  const lines: string[] = [];
  const result = await runCampaign(
    {
      seed: 20261122,
      iterations: 300,
      minutes: 0,
      truncationMaximumSize: 1500,
      truncationStep: 1,
      truncationFiles: 2,
      cliBatchSize: 15,
      cliRuns: 2,
      serverBatchSize: 6,
      serverBatches: 10,
      linearScale: 0.04,
      workspaces: 0,
      overlays: 0,
      framings: 0,
    },
    (line) => lines.push(line),
  );
  assert.equal(
    result.failed,
    0,
    result.failures.map((failure) => `[${failure.target}] ${failure.input}\n${failure.message}`).join('\n\n'),
  );
  assert.ok(result.passed > 300, `only ${result.passed} inputs were checked`);
});

test('seeded fuzz run beyond one file: module graphs, file references, catalogs, fixes across files, message framing', async () => {
  const lines: string[] = [];
  const result = await runCampaign(
    {
      seed: 20261122,
      iterations: 0,
      minutes: 0,
      truncationMaximumSize: 0,
      truncationStep: 1,
      truncationFiles: 0,
      cliBatchSize: 0,
      cliRuns: 0,
      serverBatchSize: 0,
      serverBatches: 0,
      linearScale: 0,
      workspaces: 6,
      overlays: 150,
      framings: 4,
      // Until fixes are verified across the files they touch (issue #18, item 5).
    },
    (line) => lines.push(line),
  );
  assert.equal(
    result.failed,
    0,
    result.failures.map((failure) => `[${failure.target}] ${failure.input}\n${failure.message}`).join('\n\n'),
  );
  assert.equal(result.passed, 6 * 2 + 150 + 4);
});
