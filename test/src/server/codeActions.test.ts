/**
 * Code actions over a real stdio connection: the preferred quick-fix applied to the text makes
 * the finding go away, "Disable <code> for this line" inserts the suppression comment with the
 * line's indentation, and the fix-all source action fixes every image of a document at once.
 * The texts after the edits are compared whole.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type CodeAction, CancellationTokenSource, type Diagnostic } from 'vscode-languageserver/node';
import { applyTextEdits, fixtureUri, LspTestClient, readFixture } from './lspClient';

const armUri = fixtureUri('ubuntu1804.json');
const twoImagesUri = fixtureUri('twoImages.json');

async function codeActions(
  client: LspTestClient,
  uri: string,
  diagnostics: Diagnostic[],
  only?: string[],
): Promise<CodeAction[]> {
  const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return client.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range,
    context: { diagnostics, ...(only ? { only } : {}) },
  });
}

describe('code actions', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('offers every fix, the preferred one first, then disable-for-line and fix-all', async () => {
    // The ARM Tools extension's language, which takes comments: "Disable … for this line" is offered.
    await client.open(armUri, readFixture('ubuntu1804.json'), 'arm-template');
    const { diagnostics } = await client.waitForDiagnostics(armUri, (params) => params.version === 1);
    const actions = await codeActions(client, armUri, diagnostics);
    assert.deepEqual(
      actions.map((action) => [action.title, action.kind, action.isPreferred ?? false]),
      [
        ['Switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/server-gen1)', 'quickfix', true],
        [
          'Switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/ubuntu-pro-gen1) (changes licensing: free → pay-as-you-go)',
          'quickfix',
          false,
        ],
        ['Disable end-of-support for this line', 'quickfix', false],
        ['Fix all auto-fixable Azure image problems', 'source.fixAll.azureImageLint', false],
      ],
    );
    assert.deepEqual(actions[0].diagnostics, diagnostics);
  });

  it('round-trips the preferred quick-fix: edit, didChange, the finding is gone', async () => {
    const { diagnostics } = await client.waitForDiagnostics(armUri, (params) => params.version === 1);
    const preferred = (await codeActions(client, armUri, diagnostics)).find((action) => action.isPreferred);
    assert.ok(preferred?.edit?.changes);
    assert.deepEqual(Object.keys(preferred.edit.changes), [armUri]);
    const expected = readFixture('ubuntu1804.json')
      .replace('"UbuntuServer"', '"ubuntu-24_04-lts"')
      .replace('"18.04-LTS"', '"server-gen1"');
    const texts = await client.applyEdit(preferred.edit);
    assert.equal(texts.get(armUri), expected);
    const version = client.version(armUri);
    const published = await client.waitForDiagnostics(armUri, (params) => params.version === version);
    assert.deepEqual(
      published.diagnostics.filter((diagnostic) => diagnostic.code === 'end-of-support'),
      [],
    );
  });

  it('answers for diagnostics of an older version with the fixes of the current finding', async () => {
    const original = readFixture('ubuntu1804.json');
    const version = await client.change(armUri, original);
    const { diagnostics } = await client.waitForDiagnostics(armUri, (params) => params.version === version);
    // The document moves on (a line is added above) before the client asks for code actions.
    const moved = original.replace('"resources": [', '"resources": [\n');
    await client.change(armUri, moved);
    const actions = await codeActions(client, armUri, diagnostics, ['quickfix']);
    const preferred = actions.find((action) => action.isPreferred);
    assert.ok(preferred?.edit?.changes);
    assert.equal(
      applyTextEdits(moved, preferred.edit.changes[armUri]),
      moved.replace('"UbuntuServer"', '"ubuntu-24_04-lts"').replace('"18.04-LTS"', '"server-gen1"'),
    );
    await client.change(
      armUri,
      readFixture('ubuntu1804.json').replace('"UbuntuServer"', '"ubuntu-24_04-lts"').replace('"18.04-LTS"', '"server-gen1"'),
    );
  });

  it('gives no fix and no disable for a diagnostic whose finding is gone from the current version', async () => {
    // Its line may hold something else by now: a suppression there would be a guess.
    const stale = client.diagnostics.find((params) => params.uri === armUri && params.version === 1)!.diagnostics;
    const actions = await codeActions(client, armUri, stale, ['quickfix']);
    assert.deepEqual(
      actions.map((action) => action.title),
      [],
    );
  });

  it('puts "Disable for this line" of an older diagnostic above the line where the finding is now', async () => {
    const original = readFixture('ubuntu1804.json');
    const version = await client.change(armUri, original);
    const { diagnostics } = await client.waitForDiagnostics(armUri, (params) => params.version === version);
    // Two lines are added above the finding before the client asks for code actions.
    const moved = original.replace('"resources": [', '"resources": [\n\n');
    await client.change(armUri, moved);
    const disable = (await codeActions(client, armUri, diagnostics, ['quickfix'])).find((action) =>
      action.title.startsWith('Disable'),
    );
    assert.ok(disable?.edit?.changes);
    assert.equal(
      applyTextEdits(moved, disable.edit.changes[armUri]),
      moved.replace(
        '            "sku": "18.04-LTS",',
        '            // azure-image-lint-disable-next-line end-of-support\n            "sku": "18.04-LTS",',
      ),
    );
  });

  it('disables a rule for one line with the suppression comment, indented like the line', async () => {
    const original = readFixture('ubuntu1804.json');
    const version = await client.change(armUri, original);
    const { diagnostics } = await client.waitForDiagnostics(armUri, (params) => params.version === version);
    const disable = (await codeActions(client, armUri, diagnostics, ['quickfix'])).find((action) =>
      action.title.startsWith('Disable'),
    );
    assert.ok(disable?.edit?.changes);
    const texts = await client.applyEdit(disable.edit);
    const expected = original.replace(
      '            "sku": "18.04-LTS",',
      '            // azure-image-lint-disable-next-line end-of-support\n            "sku": "18.04-LTS",',
    );
    assert.equal(texts.get(armUri), expected);
    const after = client.version(armUri);
    const published = await client.waitForDiagnostics(armUri, (params) => params.version === after);
    assert.deepEqual(published.diagnostics, []);
  });

  it('fixes every image of a document with the fix-all source action', async () => {
    const original = readFixture('twoImages.json');
    await client.open(twoImagesUri, original);
    const { diagnostics } = await client.waitForDiagnostics(twoImagesUri, (params) => params.version === 1);
    assert.deepEqual(
      diagnostics.map((diagnostic) => diagnostic.code),
      ['end-of-support', 'end-of-support'],
    );
    const actions = await codeActions(client, twoImagesUri, [], ['source.fixAll']);
    assert.deepEqual(
      actions.map((action) => [action.title, action.kind]),
      [['Fix all auto-fixable Azure image problems', 'source.fixAll.azureImageLint']],
    );
    const changes = actions[0].edit?.changes;
    assert.ok(changes);
    const expected = original
      .replace(
        '"offer": "UbuntuServer",\n            "sku": "18.04-LTS"',
        '"offer": "ubuntu-24_04-lts",\n            "sku": "server-gen1"',
      )
      .replace(
        '"offer": "UbuntuServer",\n              "sku": "16.04-LTS",\n              "version": "16.04.202109280"',
        '"offer": "ubuntu-24_04-lts",\n              "sku": "server-gen1",\n              "version": "latest"',
      );
    assert.equal(applyTextEdits(original, changes[twoImagesUri]), expected);
    await client.applyEdit(actions[0].edit!);
    const version = client.version(twoImagesUri);
    const published = await client.waitForDiagnostics(twoImagesUri, (params) => params.version === version);
    assert.deepEqual(published.diagnostics, []);
  });

  it('offers no fix-all when nothing is fixable, and none for kinds not asked for', async () => {
    assert.deepEqual(await codeActions(client, twoImagesUri, [], ['source.fixAll']), []);
    assert.deepEqual(await codeActions(client, twoImagesUri, [], ['refactor']), []);
  });

  it('answers a cancelled code action request cleanly and goes on', async () => {
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest(
      'textDocument/codeAction',
      {
        textDocument: { uri: twoImagesUri },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [] },
      },
      source.token,
    );
    source.cancel();
    await pending.then(
      (result) => assert.ok(Array.isArray(result)),
      (error: { code?: number }) => assert.equal(error.code, -32800),
    );
    assert.ok(Array.isArray(await codeActions(client, twoImagesUri, [])));
  });
});
