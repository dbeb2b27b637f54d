/**
 * Guarded rules: a rule that throws on one image costs its own findings on that image and
 * nothing else. The analysis reports an internal error naming the rule, the image and the file
 * (at the image's use), and every other rule, image and file is checked as before: in the core
 * (ARM and Bicep twins, and after an edit read with the memo), in the command (text and JSON
 * output, exit status) and in the language server (a real stdio connection). The throwing rule is
 * `test/src/harness/throwingRule.ts`; the processes load it with `node --require`.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { analyzeDocument, type AnalysisSettings } from '../../../server/out/core/analyze';
import { ImageReadMemo } from '../../../server/out/core/arm/imageReadMemo';
import { bundledCatalog } from '../../../server/out/core/catalog/bundledCatalog';
import { emptyConfig } from '../../../server/out/core/config/config';
import type { FileHost } from '../../../server/out/core/model';
import { allRules } from '../../../server/out/core/rules';
import { centos, compiledCli, TemporaryRepository, ubuntu1804, vmBicep } from '../cli/commandRunner';
import { spawnSync } from 'node:child_process';
import { fixtureDate } from '../harness/fixtures';
import { throwingRule, throwingRuleCode } from '../harness/throwingRule';
import { LspTestClient, serverModule } from '../server/lspClient';

const preload = path.join(__dirname, '..', 'harness', 'throwingRulePreload.js');
const noFiles: FileHost = { readFile: () => undefined };
const settings: AnalysisSettings = {
  catalog: bundledCatalog,
  config: emptyConfig(),
  asOf: fixtureDate,
  rules: [...allRules, throwingRule],
};

/** The internal error the throwing rule causes on Ubuntu 18.04. */
const internalError =
  "Internal error: the rule 'test-throwing-rule' failed on the image Canonical:UbuntuServer:18.04-LTS:latest (TypeError: the test rule cannot read this image); its findings on this image are missing, the other rules and images were checked.";
const ubuntuEnded =
  'Ubuntu 18.04 LTS (UbuntuServer/18.04-LTS) reached end of standard support on 2023-05-31; Ubuntu Pro (ESM) can extend it until 2028-04-01; switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/server-gen1).';
const centosNotEndorsed =
  'CentOS Linux (OpenLogic/CentOS) is not endorsed on Azure; switch to AlmaLinux 9 (almalinux-x86_64/9-gen2).';
const centosEnded =
  'CentOS 7 (CentOS/7_9-gen2) reached end of standard support on 2024-06-30; switch to AlmaLinux 9 (almalinux-x86_64/9-gen2).';

function vmArm(name: string, image: { publisher: string; offer: string; sku: string }): string {
  return `    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2023-09-01",
      "name": "${name}",
      "location": "westeurope",
      "properties": {
        "storageProfile": {
          "imageReference": {
            "publisher": "${image.publisher}",
            "offer": "${image.offer}",
            "sku": "${image.sku}",
            "version": "latest"
          }
        }
      }
    }`;
}

function armTemplate(...resources: string[]): string {
  return `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
${resources.join(',\n')}
  ]
}
`;
}

/** Ubuntu 18.04 (the rule throws on it), CentOS 7 and Ubuntu 18.04 again, in each syntax. */
const twins: Record<string, string> = {
  '/guarded/main.json': armTemplate(vmArm('first', ubuntu1804), vmArm('second', centos), vmArm('third', ubuntu1804)),
  '/guarded/main.bicep': vmBicep('first', ubuntu1804) + vmBicep('second', centos) + vmBicep('third', ubuntu1804),
};

/** Findings as `code @ line:column message`, problems as `problem @ line:column message`. */
function describeResult(text: string, result: ReturnType<typeof analyzeDocument>): string[] {
  const at = (offset: number) => {
    const before = text.slice(0, offset).split('\n');
    return `${before.length}:${before[before.length - 1].length + 1}`;
  };
  return [
    ...result.findings.map((finding) => `${finding.code} @ ${at(finding.location.range.start)} ${finding.message}`),
    ...result.problems.map((problem) => `problem @ ${at(problem.range?.start ?? 0)} ${problem.message}`),
  ];
}

describe('guarded rules: the core', () => {
  // Where each finding is, by syntax: Ubuntu's SKU, CentOS's publisher and SKU, the third SKU, the first use.
  const places: Record<string, string[]> = {
    '.json': ['15:20', '29:26', '31:20', '47:20', '12:29'],
    '.bicep': ['9:14', '21:20', '23:14', '37:14', '6:23'],
  };
  for (const [file, text] of Object.entries(twins)) {
    test(`${path.extname(file)}: one internal error at the first use of the image; every other rule and image reported`, () => {
      const result = analyzeDocument(file, text, noFiles, settings);
      const [ubuntuSku, centosPublisher, centosSku, thirdSku, firstUse] = places[path.extname(file)];
      assert.deepEqual(describeResult(text, result), [
        `end-of-support @ ${ubuntuSku} ${ubuntuEnded}`,
        `not-endorsed @ ${centosPublisher} ${centosNotEndorsed}`,
        `end-of-support @ ${centosSku} ${centosEnded}`,
        `${throwingRuleCode} @ ${centosSku} The test rule saw '7_9-gen2'.`,
        `end-of-support @ ${thirdSku} ${ubuntuEnded}`,
        `problem @ ${firstUse} ${internalError}`,
      ]);
      assert.equal(result.problems[0].file, file);
      assert.equal(result.problems[0].internalError, true);
    });
  }

  test('an edit read with the memo gives what a fresh analysis gives, internal error included', () => {
    const file = '/guarded/memo.json';
    const memo = new ImageReadMemo();
    const withMemo: AnalysisSettings = { ...settings, arm: { memo } };
    let text = twins['/guarded/main.json'];
    analyzeDocument(file, text, noFiles, withMemo);
    // Typing in the SKU of CentOS, then in the first Ubuntu's offer and back: each read of one site.
    const edits: [string, string][] = [
      ['"7_9-gen2"', '"7_9-gen"'],
      ['"7_9-gen"', '"7_9-gen2"'],
      ['"UbuntuServer"', '"UbuntuServe"'],
      ['"UbuntuServe"', '"UbuntuServer"'],
    ];
    for (const [before, after] of edits) {
      const at = text.indexOf(before);
      text = text.slice(0, at) + after + text.slice(at + before.length);
      const edited = analyzeDocument(file, text, noFiles, withMemo);
      const fresh = analyzeDocument(file, text, noFiles, settings);
      assert.deepEqual(describeResult(text, edited), describeResult(text, fresh), `after ${after}`);
    }
    assert.ok(
      analyzeDocument(file, text, noFiles, withMemo).problems.some((problem) => problem.message === internalError),
      'the internal error is back once the image is',
    );
  });

  test('without the throwing rule there is no problem (the seam adds only what it is given)', () => {
    const result = analyzeDocument('/guarded/main.json', twins['/guarded/main.json'], noFiles, { ...settings, rules: undefined });
    assert.deepEqual(result.problems, []);
    assert.equal(result.findings.filter((finding) => finding.code === throwingRuleCode).length, 0);
  });
});

function runCliWithThrowingRule(args: readonly string[], cwd: string) {
  const result = spawnSync(process.execPath, ['--require', preload, compiledCli, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('guarded rules: the command', () => {
  const repository = new TemporaryRepository({
    'broken.json': twins['/guarded/main.json'],
    'other.bicep': vmBicep('other', centos),
  });

  test('text: the other findings of the file and the other file, the internal error as a problem, exit 0', () => {
    const result = runCliWithThrowingRule(['--as-of', fixtureDate, '--fail-level', 'none', '.'], repository.root);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split('\n'), [
      `broken.json(15,20) : Error end-of-support: ${ubuntuEnded}`,
      `broken.json(29,26) : Warning not-endorsed: ${centosNotEndorsed}`,
      `broken.json(31,20) : Error end-of-support: ${centosEnded}`,
      `broken.json(31,20) : Info ${throwingRuleCode}: The test rule saw '7_9-gen2'.`,
      `broken.json(47,20) : Error end-of-support: ${ubuntuEnded}`,
      `other.bicep(7,20) : Warning not-endorsed: ${centosNotEndorsed}`,
      `other.bicep(9,14) : Error end-of-support: ${centosEnded}`,
      `other.bicep(9,14) : Info ${throwingRuleCode}: The test rule saw '7_9-gen2'.`,
      `broken.json(12,29) : Warning problem: ${internalError}`,
    ]);
    assert.match(result.stderr, /2 file\(s\) analysed: 4 error\(s\), 2 warning\(s\), 2 info; 1 problem\(s\)\.\n$/);
  });

  test('JSON: the internal error among the problems; --fail-on-problems fails the run with status 1', () => {
    const result = runCliWithThrowingRule(
      ['--as-of', fixtureDate, '--fail-level', 'none', '--fail-on-problems', '--format', 'json', '.'],
      repository.root,
    );
    assert.equal(result.status, 1, result.stderr);
    const report = JSON.parse(result.stdout) as { findings: { file: string; code: string }[]; problems: unknown[] };
    assert.deepEqual(report.problems, [{ file: 'broken.json', message: internalError }]);
    assert.equal(report.findings.length, 8);
    assert.deepEqual(
      report.findings.filter((finding) => finding.file === 'other.bicep').map((finding) => finding.code),
      ['not-endorsed', 'end-of-support', throwingRuleCode],
    );
  });
});

describe('guarded rules: the language server', () => {
  test('the internal error is a diagnostic of its own; the other findings are published with it', async () => {
    const client = await LspTestClient.start({
      serverCommand: [process.execPath, '--require', preload, serverModule, '--stdio'],
    });
    try {
      const uri = pathToFileURL(path.join(__dirname, 'guarded', 'main.json')).href;
      const mark = client.mark();
      await client.open(uri, twins['/guarded/main.json']);
      const published = await client.waitForDiagnostics(uri, () => true, mark);
      assert.deepEqual(
        published.diagnostics.map(
          (diagnostic) =>
            `${String(diagnostic.code)} ${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1} ${diagnostic.severity}`,
        ),
        [
          'internal-error 12:29 2',
          'end-of-support 15:20 1',
          'not-endorsed 29:26 2',
          'end-of-support 31:20 1',
          `${throwingRuleCode} 31:20 3`,
          'end-of-support 47:20 1',
        ],
      );
      assert.equal(published.diagnostics[0].message, internalError);
      // The server lives on: an edit of the other image is analysed as usual.
      const text = client.text(uri)!;
      const at = text.indexOf('7_9-gen2');
      const version = await client.edit(uri, at, at + '7_9-gen2'.length, '8-gen2');
      const next = await client.waitForDiagnostics(uri, (params) => params.version === version, mark);
      assert.ok(next.diagnostics.some((diagnostic) => diagnostic.message === internalError));
      assert.ok(next.diagnostics.some((diagnostic) => diagnostic.message === "The test rule saw '8-gen2'."));
    } finally {
      await client.stop();
    }
  });
});
