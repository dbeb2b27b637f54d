/**
 * The short seeded fuzz run inside `npm test`: a fixed seed, a few hundred mutants through the
 * core, two command-line runs, a handful of server batches and the linear-time checks at a
 * twenty-fifth of the full run's sizes. The same seed always makes the same inputs, so a failure here is
 * reproducible with `npm run fuzz -- --seed 20261122`.
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
