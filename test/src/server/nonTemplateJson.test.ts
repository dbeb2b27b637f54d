/**
 * A JSON file that is no template (package.json, tsconfig.json) costs the server a look at its
 * first 4 KB and nothing else: no settings request, no configuration or catalog lookup, no
 * hover. The client sends every JSON document it opens, so this is what opening one costs.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixtureUri, LspTestClient, readFixture } from './lspClient';

const packageJson = `{
  "name": "some-package",
  "version": "1.0.0",
  "description": "Mentions Canonical and UbuntuServer but deploys nothing."
}
`;

describe('JSON files that are no template', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('are skipped before any settings or configuration are looked up, and get no diagnostics', async () => {
    const packageUri = fixtureUri('package.json');
    const templateUri = fixtureUri('ubuntu1804.json');
    await client.open(packageUri, packageJson, 'json');
    const skipped = await client.waitForDiagnostics(packageUri);
    assert.deepEqual(skipped.diagnostics, []);
    // The template opened after it is analysed as usual, which needs its settings.
    await client.open(templateUri, readFixture('ubuntu1804.json'), 'json');
    await client.waitForDiagnostics(templateUri, (params) => params.diagnostics.length === 1);
    assert.equal(client.askedSettingsFor(templateUri), true);
    assert.equal(client.askedSettingsFor(packageUri), false);
    const hover = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: packageUri },
      position: { line: 3, character: 30 },
    });
    assert.equal(hover, null);
    assert.equal(client.askedSettingsFor(packageUri), false);
  });

  it('becomes a template, and is analysed, when its $schema says so', async () => {
    const packageUri = fixtureUri('package.json');
    const mark = client.mark();
    const version = await client.change(packageUri, readFixture('ubuntu1804.json'));
    const published = await client.waitForDiagnostics(packageUri, (params) => params.version === version, mark);
    assert.deepEqual(
      published.diagnostics.map((diagnostic) => diagnostic.code),
      ['end-of-support'],
    );
  });
});
