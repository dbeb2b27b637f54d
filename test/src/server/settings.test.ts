/**
 * Settings over a real stdio connection: a rule turned off, the analysis date moved, settings
 * sent in notifications to a client without `workspace/configuration`, linting disabled, a
 * request cancelled by the client, and azure-image-lint.json winning over the settings.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-languageserver/node';
import { endOfSupportMessage } from './expectations';
import { repositoryRoot } from '../harness/fixtures';
import { fixtureUri, LspTestClient, readFixture } from './lspClient';

const armUri = fixtureUri('ubuntu1804.json');

describe('settings', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
    await client.open(armUri, readFixture('ubuntu1804.json'));
    await client.waitForDiagnostics(armUri, (params) => params.diagnostics.length === 1);
  });
  after(async () => {
    await client.stop();
  });

  it('drops a finding when its rule is turned off, and brings it back', async () => {
    let mark = client.mark();
    await client.changeSettings({ rules: { 'end-of-support': 'off' } });
    await client.waitForDiagnostics(armUri, (params) => params.diagnostics.length === 0, mark);
    mark = client.mark();
    await client.changeSettings({ rules: { 'end-of-support': 'warning' } });
    const published = await client.waitForDiagnostics(armUri, (params) => params.diagnostics.length === 1, mark);
    assert.equal(published.diagnostics[0].code, 'end-of-support');
    assert.equal(published.diagnostics[0].severity, 2);
  });

  it('judges support dates as of azureImageLint.asOf', async () => {
    const mark = client.mark();
    await client.changeSettings({ asOf: '2023-01-01' });
    const published = await client.waitForDiagnostics(
      armUri,
      (params) => params.diagnostics.some((d) => d.code === 'support-ending'),
      mark,
    );
    assert.deepEqual(
      published.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.message]),
      [
        [
          'support-ending',
          2,
          'Ubuntu 18.04 LTS (UbuntuServer/18.04-LTS) reaches the end of standard support on 2023-05-31, in 150 days; switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/server-gen1).',
        ],
      ],
    );
  });

  it('honours supportEnding.days', async () => {
    const mark = client.mark();
    await client.changeSettings({ asOf: '2023-01-01', supportEnding: { days: 30 } });
    await client.waitForDiagnostics(armUri, (params) => params.diagnostics.length === 0, mark);
  });

  it('applies the allowed and denied lists from the settings', async () => {
    let mark = client.mark();
    await client.changeSettings({ allowed: ['Canonical:ubuntu-24_04-lts:*'] });
    let published = await client.waitForDiagnostics(
      armUri,
      (params) => params.diagnostics.some((d) => d.code === 'not-allowed'),
      mark,
    );
    assert.deepEqual(
      published.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.message]),
      [
        ['end-of-support', endOfSupportMessage],
        ['not-allowed', 'The image Canonical:UbuntuServer:18.04-LTS is not in the allowed list of settings.'],
      ],
    );
    mark = client.mark();
    await client.changeSettings({ denied: ['Canonical:UbuntuServer:*'] });
    published = await client.waitForDiagnostics(
      armUri,
      (params) => params.diagnostics.some((d) => /denied/.test(String(d.message))),
      mark,
    );
    assert.equal(
      published.diagnostics.find((d) => d.code === 'not-allowed')?.message,
      "The image Canonical:UbuntuServer:18.04-LTS is denied by settings (pattern 'Canonical:UbuntuServer:*').",
    );
    mark = client.mark();
    await client.changeSettings({});
    await client.waitForDiagnostics(armUri, (params) => params.diagnostics.length === 1, mark);
  });

  it('publishes nothing when linting is disabled', async () => {
    let mark = client.mark();
    await client.changeSettings({ enable: false });
    await client.waitForDiagnostics(armUri, (params) => params.diagnostics.length === 0, mark);
    assert.equal(
      await client.connection.sendRequest('textDocument/hover', {
        textDocument: { uri: armUri },
        position: { line: 14, character: 22 },
      }),
      null,
    );
    mark = client.mark();
    await client.changeSettings({});
    await client.waitForDiagnostics(armUri, (params) => params.diagnostics.length === 1, mark);
  });

  it('answers a cancelled request with RequestCancelled or a result, and keeps answering', async () => {
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest(
      'textDocument/hover',
      { textDocument: { uri: armUri }, position: { line: 14, character: 22 } },
      source.token,
    );
    source.cancel();
    await pending.then(
      (result) => assert.ok(result === null || typeof result === 'object'),
      (error: { code?: number }) => assert.equal(error.code, -32800),
    );
    const hover = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: armUri },
      position: { line: 14, character: 22 },
    });
    assert.ok(hover);
  });

  it('answers an unknown request with an error, not a crash', async () => {
    await assert.rejects(client.connection.sendRequest('azureImageLint/doesNotExist', {}));
    assert.equal(client.exitCode, null);
  });
});

describe('settings from notifications (no workspace/configuration)', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start({ configuration: false, settings: { rules: { 'end-of-support': 'info' } } });
  });
  after(async () => {
    await client.stop();
  });

  it('uses the initialization settings, then the ones in didChangeConfiguration', async () => {
    await client.open(armUri, readFixture('ubuntu1804.json'));
    const first = await client.waitForDiagnostics(armUri, (params) => params.version === 1);
    assert.deepEqual(
      first.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]),
      [['end-of-support', 3]],
    );
    const mark = client.mark();
    await client.changeSettings({ rules: { 'end-of-support': 'error' } });
    const second = await client.waitForDiagnostics(armUri, (params) => params.diagnostics[0]?.severity === 1, mark);
    assert.equal(second.diagnostics.length, 1);
  });
});

describe('settings and azure-image-lint.json', () => {
  it('the nearest azure-image-lint.json wins over the settings, as their descriptions say', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-settings-'));
    fs.writeFileSync(path.join(folder, 'azure-image-lint.json'), '{ "rules": { "end-of-support": "warning" } }\n');
    const client = await LspTestClient.start({ workspaceFolders: [folder], settings: { rules: { 'end-of-support': 'off' } } });
    try {
      const uri = pathToFileURL(path.join(folder, 'main.json')).href;
      await client.open(uri, readFixture('ubuntu1804.json'));
      const published = await client.waitForDiagnostics(uri, (params) => params.diagnostics.length === 1);
      assert.deepEqual(
        published.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]),
        [['end-of-support', 2]],
      );
    } finally {
      await client.stop();
      fs.rmSync(folder, { recursive: true, force: true });
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8'));
    const properties: Record<string, { markdownDescription?: string; description?: string }> =
      manifest.contributes.configuration.properties;
    for (const name of ['rules', 'asOf', 'supportEnding.days', 'catalogFile', 'allowed', 'denied']) {
      const text = properties[`azureImageLint.${name}`].markdownDescription ?? '';
      assert.match(text, /nearest `azure-image-lint\.json` (wins over|replaces) this/, name);
    }
    assert.ok(!JSON.stringify(properties).includes('Overrides `azure-image-lint.json`'));
  });
});
