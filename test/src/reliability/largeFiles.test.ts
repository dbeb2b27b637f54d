/**
 * Files over the size limit (default 10 MB): the server answers with one information diagnostic
 * and keeps answering requests, the command line names the file and the limit; neither freezes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { LspTestClient, withTimeout } from '../server/lspClient';
import { checkCliOutcome, runCli } from '../fuzz/harness';

const schema = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
/** An ARM template just over 11 MB, nearly all of it one string. */
const largeTemplate = `{"$schema":"${schema}","variables":{"padding":"${'x'.repeat(11 * 1024 * 1024)}"},"resources":[]}`;

test('the server reports a file over 10 MB with an information diagnostic and keeps answering', async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-large-'));
  const client = await LspTestClient.start({ workspaceFolders: [folder], settings: { maxFileSize: 10 * 1024 * 1024 } });
  try {
    const uri = pathToFileURL(path.join(folder, 'large.json')).href;
    await client.open(uri, largeTemplate);
    const published = await client.waitForDiagnostics(uri, (params) => params.diagnostics.length > 0, 0, 30_000);
    assert.deepEqual(
      published.diagnostics.map((diagnostic) => [diagnostic.severity, diagnostic.message]),
      [[3, 'This file is 11.0 MB, larger than the 10.0 MB limit (azureImageLint.maxFileSize), and was not analysed.']],
    );
    await withTimeout(
      client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 20 } }),
      10_000,
      'hover on a large file',
    );
    assert.equal(client.exitCode, null);
  } finally {
    await client.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test('the CLI names a file over 10 MB and the limit, and goes on with the other files', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-large-'));
  try {
    fs.writeFileSync(path.join(folder, 'large.json'), largeTemplate);
    fs.copyFileSync(path.resolve(__dirname, '../../fixtures/cli/project/vm.json'), path.join(folder, 'vm.json'));
    const outcome = runCli(['--as-of', '2026-11-22', folder]);
    assert.equal(checkCliOutcome(outcome), undefined);
    assert.equal(outcome.status, 1);
    assert.match(outcome.stdout, /large\.json.*11\.0 MB, larger than the 10\.0 MB limit/);
    assert.match(outcome.stdout, /vm\.json\(14,20\) : Error end-of-support/);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
