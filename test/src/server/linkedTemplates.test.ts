/**
 * Linked templates in the language server, over a real stdio connection: a finding of a linked
 * template's image appears at the value the open caller passes, and a change of the linked file on
 * disk analyses the caller again. The files are copies in a temporary folder.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { LspTestClient } from './lspClient';

const schema = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

const caller = `${JSON.stringify(
  {
    $schema: schema,
    contentVersion: '1.0.0.0',
    parameters: { _artifactsLocation: { type: 'string', defaultValue: 'https://example.invalid/sample/' } },
    resources: [
      {
        type: 'Microsoft.Resources/deployments',
        apiVersion: '2022-09-01',
        name: 'vm',
        properties: {
          mode: 'Incremental',
          templateLink: { uri: "[uri(parameters('_artifactsLocation'), 'nested/vm.json')]" },
          parameters: { sku: { value: '18.04-LTS' } },
        },
      },
    ],
  },
  null,
  2,
)}\n`;

function linked(sku: string, offer = 'UbuntuServer'): string {
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
          properties: { storageProfile: { imageReference: { publisher: 'Canonical', offer, sku, version: 'latest' } } },
        },
      ],
    },
    null,
    2,
  )}\n`;
}

describe('linked templates in the language server', () => {
  let client: LspTestClient;
  let folder: string;
  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-linked-'));
    fs.mkdirSync(path.join(folder, 'nested'));
    fs.writeFileSync(path.join(folder, 'azuredeploy.json'), caller);
    fs.writeFileSync(path.join(folder, 'nested', 'vm.json'), linked("[parameters('sku')]"));
    client = await LspTestClient.start({ workspaceFolders: [folder] });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  const callerUri = () => pathToFileURL(path.join(folder, 'azuredeploy.json')).href;
  const linkedUri = () => pathToFileURL(path.join(folder, 'nested', 'vm.json')).href;
  const skuLine = caller.split('\n').findIndex((line) => line.includes('"18.04-LTS"'));

  it('reports the linked image at the value the caller passes', async () => {
    await client.open(callerUri(), caller);
    const published = await client.waitForDiagnostics(callerUri(), (params) => params.version === 1);
    assert.deepEqual(
      published.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range.start.line]),
      [['end-of-support', skuLine]],
    );
  });

  it('analyses the caller again when the linked file changes on disk', async () => {
    let mark = client.mark();
    fs.writeFileSync(path.join(folder, 'nested', 'vm.json'), linked('server', 'ubuntu-24_04-lts'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: linkedUri(), type: 2 }] });
    await client.waitForDiagnostics(callerUri(), (params) => params.diagnostics.length === 0, mark);

    mark = client.mark();
    fs.writeFileSync(path.join(folder, 'nested', 'vm.json'), linked("[parameters('sku')]"));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: linkedUri(), type: 2 }] });
    const published = await client.waitForDiagnostics(callerUri(), (params) => params.diagnostics.length === 1, mark);
    assert.equal(published.diagnostics[0].range.start.line, skuLine);
  });

  it('analyses the caller again when the open linked file is edited', async () => {
    await client.open(linkedUri(), linked("[parameters('sku')]"));
    await client.waitForDiagnostics(linkedUri(), (params) => params.version === 1);
    const mark = client.mark();
    await client.change(linkedUri(), linked('server', 'ubuntu-24_04-lts'));
    await client.waitForDiagnostics(callerUri(), (params) => params.diagnostics.length === 0, mark);
  });
});
