/**
 * Linked templates through the command line: a template the link names inside the workspace is
 * read with the caller's values, one outside it is not read (the file-access policy), and one
 * elsewhere is an inventory entry that says why it is not followed (`reason` in JSON).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from './commandRunner';

const schema = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

function deployment(name: string, link: Record<string, string>) {
  return {
    type: 'Microsoft.Resources/deployments',
    apiVersion: '2022-09-01',
    name,
    properties: { mode: 'Incremental', templateLink: link, parameters: { sku: { value: '18.04-LTS' } } },
  };
}

const caller = `${JSON.stringify(
  {
    $schema: schema,
    contentVersion: '1.0.0.0',
    resources: [
      deployment('inside', { relativePath: 'nested/vm.json' }),
      deployment('outside', { relativePath: '../outside/vm.json' }),
      deployment('elsewhere', { uri: 'https://example.invalid/templates/vm.json?sig=secret-token' }),
    ],
  },
  null,
  2,
)}\n`;

function vm(offer: string): string {
  return `${JSON.stringify(
    {
      $schema: schema,
      contentVersion: '1.0.0.0',
      parameters: { sku: { type: 'string' } },
      resources: [
        {
          type: 'Microsoft.Compute/virtualMachines',
          apiVersion: '2023-03-01',
          name: 'vm',
          properties: {
            storageProfile: {
              imageReference: { publisher: 'Canonical', offer, sku: "[parameters('sku')]", version: 'latest' },
            },
          },
        },
      ],
    },
    null,
    2,
  )}\n`;
}

describe('linked templates in the command line', () => {
  let root: string;
  let repository: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-linked-cli-'));
    repository = path.join(root, 'repository');
    fs.mkdirSync(path.join(repository, 'nested'), { recursive: true });
    fs.mkdirSync(path.join(root, 'outside'));
    fs.writeFileSync(path.join(repository, 'azuredeploy.json'), caller);
    fs.writeFileSync(path.join(repository, 'nested', 'vm.json'), vm('UbuntuServer'));
    fs.writeFileSync(path.join(root, 'outside', 'vm.json'), vm('outside-offer'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test('JSON: the linked image at the caller, nothing read outside the workspace, and why a link is not followed', () => {
    const result = runCli(['--format', 'json', '--as-of', '2026-11-22', 'azuredeploy.json'], repository);
    assert.equal(result.status, 1);
    assert.ok(!result.stdout.includes('outside-offer'));
    assert.ok(!result.stdout.includes('secret-token'));
    const report = JSON.parse(result.stdout) as {
      findings: { file: string; code: string; range: { start: { line: number } } }[];
      problems: { file: string; message: string }[];
      images: { file: string; resourceType: string; candidates: unknown[]; unresolved: string[]; reason?: string }[];
    };
    const skuLine = caller.split('\n').findIndex((line) => line.includes('"18.04-LTS"'));
    assert.deepEqual(
      report.findings.map((finding) => [finding.file, finding.code, finding.range.start.line]),
      [['azuredeploy.json', 'end-of-support', skuLine]],
    );
    assert.deepEqual(
      report.problems.map((problem) => problem.message),
      [`Cannot read the linked template '../outside/vm.json': it is outside the workspace (${repository}).`],
    );
    assert.deepEqual(
      report.images.map((image) => [
        image.file,
        image.resourceType,
        image.candidates.length,
        image.unresolved.length,
        image.reason,
      ]),
      [
        ['nested/vm.json', 'Microsoft.Compute/virtualMachines', 1, 0, undefined],
        [
          'azuredeploy.json',
          'Microsoft.Resources/deployments',
          0,
          4,
          "Not followed: the linked template '../outside/vm.json' cannot be read.",
        ],
        [
          'azuredeploy.json',
          'Microsoft.Resources/deployments',
          0,
          4,
          'Not followed: it links to https://example.invalid/templates/vm.json, which is not fetched.',
        ],
      ],
    );
  });

  test('text inventory: the reason beside the fields it leaves unresolved', () => {
    const result = runCli(['--inventory', '--as-of', '2026-11-22', 'azuredeploy.json'], repository);
    const lines = result.stdout.split('\n').filter((line) => line.includes('Not followed'));
    assert.equal(lines.length, 2);
    assert.match(
      lines[1],
      /^azuredeploy\.json\(\d+,\d+\) +Microsoft\.Resources\/deployments +\? +publisher, offer, sku, version \(Not followed: it links to https:\/\/example\.invalid\/templates\/vm\.json, which is not fetched\.\) +- +-$/,
    );
  });
});
