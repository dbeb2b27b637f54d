/**
 * Memory stays bounded under the 10 MB size limit (issue 18, item 3). A template with 20,000 VMs
 * whose SKU comes from one parameter with 253 allowed values once gave every VM a copy of its 254
 * candidates: five million objects, 3.9 GB, and an abort (exit 134) under any smaller heap. Copies
 * now share one list (`sharedCandidates.ts`); images that cannot be shared are bounded by a
 * budget per read that leaves the rest unresolved and says so (`readBudget.ts`); and a server
 * whose analysis worker still runs out of memory loses that one analysis, not itself.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { analyzeDocument } from '../../../server/out/core/analyze';
import { cliModule, coreSettings, MapFileHost } from '../fuzz/harness';
import { sharedSkuFleetBicep, sharedSkuFleetTemplate } from '../harness/largeTemplates';
import { fixtureUri, LspTestClient, readFixture } from '../server/lspClient';

const budgetProblem = (unread: string) =>
  `This file can deploy more images than one analysis reads (100,000 image values): ${unread} image(s) were not read, and their publisher, offer, SKU and version are unresolved.`;

describe('bounded memory', () => {
  test('the CLI reads 20,000 VMs with 253 allowed SKUs each under a 256 MB heap', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-fleet-'));
    try {
      const file = path.join(folder, 'fleet.json');
      fs.writeFileSync(file, sharedSkuFleetTemplate({ vms: 20_000, skus: 253 }));
      // Peak memory of the whole process, written when it exits (`maxRSS` is in kilobytes).
      const probe = path.join(folder, 'peak.js');
      fs.writeFileSync(probe, "process.on('exit', () => process.stderr.write(`peak ${process.resourceUsage().maxRSS}\\n`));\n");
      const run = spawnSync(
        process.execPath,
        ['--max-old-space-size=256', '--require', probe, cliModule, '--as-of', '2026-11-22', file],
        { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 300_000 },
      );
      assert.equal(run.signal, null, run.stderr.slice(0, 2000));
      assert.equal(run.status, 1, run.stderr.slice(0, 2000));
      assert.match(run.stderr, /^1 file\(s\) analysed: 2 error\(s\), 0 warning\(s\), 252 info\.$/m);
      const peakMegabytes = Number(/^peak (\d+)$/m.exec(run.stderr)![1]) / 1024;
      assert.ok(peakMegabytes < 512, `peak ${peakMegabytes.toFixed(0)} MB`);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  for (const [name, file, text] of [
    ['ARM', '/fleet/fleet.json', sharedSkuFleetTemplate({ vms: 2_000, skus: 253 })],
    ['Bicep', '/fleet/main.bicep', sharedSkuFleetBicep({ vms: 2_000, skus: 253 })],
  ] as const) {
    test(`${name}: copies of one image share its list of candidates`, () => {
      const { sites } = analyzeDocument(file, text, new MapFileHost(), coreSettings);
      assert.equal(sites.length, 2_000);
      const list = sites[1].shared?.candidates;
      assert.ok(list && list.length > 60);
      assert.equal(sites[0].shared, undefined);
      assert.equal(sites[0].candidates, list);
      assert.ok(sites.slice(1).every((site) => site.shared?.candidates === list));
      // Each copy still has its own literals where they are written.
      const offers = sites.map((site) => site.candidates[0].offer!.definition!.location.range.start);
      assert.equal(new Set(offers).size, 2_000);
      assert.equal(text.slice(offers[1999], offers[1999] + 14), name === 'ARM' ? '"UbuntuServer"' : "'UbuntuServer'");
    });
  }

  test('ARM: past the budget, images are not read, are unresolved, and the file says how many', () => {
    // 600 images of 254 candidates each that no two VMs share: 152,400 values.
    const text = sharedSkuFleetTemplate({ vms: 600, skus: 253, distinctImages: true });
    const result = analyzeDocument('/fleet/distinct.json', text, new MapFileHost(), coreSettings);
    const unread = result.sites.filter((site) => site.candidates.length === 0);
    assert.equal(unread.length, 206);
    assert.ok(unread.every((site) => site.unresolved.join() === 'publisher,offer,sku,version'));
    assert.deepEqual(
      result.problems.map((problem) => problem.message),
      [budgetProblem('206')],
    );
    // The images read before the budget ran out are all reported.
    assert.equal(result.findings.filter((finding) => finding.code === 'end-of-support').length, 2);
  });

  test('Bicep: past the budget, images are not read, are unresolved, and the file says how many', () => {
    // 1,600 images of 254 candidates each (the same cap as ARM's): 394 fit in the budget.
    const text = sharedSkuFleetBicep({ vms: 1_600, skus: 253, distinctImages: true });
    const result = analyzeDocument('/fleet/distinct.bicep', text, new MapFileHost(), coreSettings);
    const unread = result.sites.filter((site) => site.candidates.length === 0);
    assert.equal(unread.length, 1_206);
    assert.deepEqual(
      result.problems.map((problem) => problem.message),
      [budgetProblem('1,206')],
    );
  });

  test('the server restarts an analysis worker that ran out of memory, and says so on that document only', async () => {
    const client = await LspTestClient.start({ workerHeapLimitMb: 64, workerThreshold: 100_000 });
    try {
      const hugeUri = 'file:///fleet/huge/azuredeploy.json';
      const hugeText = sharedSkuFleetTemplate({ vms: 20_000, skus: 253 });
      await client.open(hugeUri, hugeText);
      const stopped = await client.waitForDiagnostics(hugeUri, (params) => params.version === 1, 0, 120_000);
      assert.deepEqual(
        stopped.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.message]),
        [['analysis-stopped', 2, 'This file was not analysed: its analysis needed more than the 64 MB of memory it may use.']],
      );
      // Another large document goes to a new worker, a small one is analysed on the server's thread.
      const largeUri = 'file:///fleet/large/azuredeploy.json';
      const largeText = sharedSkuFleetTemplate({ vms: 400, skus: 3 });
      assert.ok(largeText.length > 100_000);
      await client.open(largeUri, largeText);
      const small = fixtureUri('ubuntu1804.json');
      await client.open(small, readFixture('ubuntu1804.json'));
      const large = await client.waitForDiagnostics(largeUri, (params) => params.version === 1, 0, 120_000);
      assert.deepEqual(
        large.diagnostics.map((diagnostic) => `${String(diagnostic.code)} ${diagnostic.range.start.line}`).sort(),
        ['end-of-support 0', 'end-of-support 0', 'unknown-image 0', 'unknown-image 0'],
      );
      const smallDiagnostics = await client.waitForDiagnostics(small, (params) => params.diagnostics.length > 0, 0, 60_000);
      assert.ok(smallDiagnostics.diagnostics.some((diagnostic) => diagnostic.code === 'end-of-support'));
      assert.equal(client.exitCode, null);
    } finally {
      await client.stop();
    }
  });
});
