/**
 * Suppression that keeps files valid: a plain `.json` document (VS Code's `json` language) gets no
 * `//` comment, which VS Code would flag as an error, but "Ignore <code> for <image> in
 * azure-image-lint.json", which creates the configuration (when the client can create files) or
 * adds an entry to the one that applies, keeping its comments. Documents whose language takes
 * comments (`jsonc`, `arm-template`, Bicep) keep "Disable <code> for this line". Each edit is
 * applied as the client would (written to disk, announced as a watched-file change) and the
 * finding must go away.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, CreateFile, Diagnostic, TextDocumentEdit, TextEdit } from 'vscode-languageserver/node';
import { applyTextEdits, LspTestClient, readFixture } from './lspClient';

const fixes = [
  'Switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/server-gen1)',
  'Switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/ubuntu-pro-gen1) (changes licensing: free → pay-as-you-go)',
];
const ignoreTitle = 'Ignore end-of-support for Canonical:UbuntuServer:18.04-LTS in azure-image-lint.json';

async function quickFixes(client: LspTestClient, uri: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
  return client.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: diagnostics[0].range,
    context: { diagnostics, only: ['quickfix'] },
  });
}

/** Announces files the test wrote as the client's file watcher would. */
async function announce(client: LspTestClient, files: { file: string; type: 1 | 2 }[]): Promise<void> {
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
    changes: files.map(({ file, type }) => ({ uri: pathToFileURL(file).href, type })),
  });
}

describe('"Ignore … in azure-image-lint.json" for documents that take no comments', () => {
  const template = readFixture('ubuntu1804.json');
  let folder: string;
  let client: LspTestClient;
  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-ignore-'));
    fs.mkdirSync(path.join(folder, 'legacy'));
    fs.writeFileSync(path.join(folder, 'main.json'), template);
    fs.writeFileSync(path.join(folder, 'legacy', 'old.json'), template);
    client = await LspTestClient.start({ workspaceFolders: [folder], createFiles: true });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('creates the configuration with an entry for the file, rule and image; the finding goes away', async () => {
    const uri = pathToFileURL(path.join(folder, 'main.json')).href;
    await client.open(uri, template, 'json');
    const { diagnostics } = await client.waitForDiagnostics(uri, (params) => params.diagnostics.length === 1);
    const actions = await quickFixes(client, uri, diagnostics);
    assert.deepEqual(
      actions.map((action) => action.title),
      [...fixes, ignoreTitle],
    );
    const configurationFile = path.join(folder, 'azure-image-lint.json');
    const configurationUri = pathToFileURL(configurationFile).href;
    const [create, edit] = actions[2].edit?.documentChanges ?? [];
    assert.deepEqual(create as CreateFile, { kind: 'create', uri: configurationUri });
    const textEdit = edit as TextDocumentEdit;
    assert.deepEqual(textEdit.textDocument, { uri: configurationUri, version: null });
    const created = applyTextEdits('', textEdit.edits as TextEdit[]);
    assert.equal(
      created,
      [
        '{',
        '  "ignore": [',
        '    {',
        '      "files": "./main.json",',
        '      "rule": "end-of-support",',
        '      "image": "Canonical:UbuntuServer:18.04-LTS"',
        '    }',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
    const mark = client.mark();
    fs.writeFileSync(configurationFile, created);
    await announce(client, [{ file: configurationFile, type: 1 }]);
    await client.waitForDiagnostics(uri, (params) => params.diagnostics.length === 0, mark);
  });

  it('adds an entry to the configuration that applies, keeping its comments', async () => {
    const configurationFile = path.join(folder, 'azure-image-lint.json');
    const commented = fs.readFileSync(configurationFile, 'utf8').replace('{\n', '{\n  // Reviewed with the platform team.\n');
    fs.writeFileSync(configurationFile, commented);
    await announce(client, [{ file: configurationFile, type: 2 }]);
    const uri = pathToFileURL(path.join(folder, 'legacy', 'old.json')).href;
    await client.open(uri, template, 'json');
    const { diagnostics } = await client.waitForDiagnostics(uri, (params) => params.diagnostics.length === 1);
    const actions = await quickFixes(client, uri, diagnostics);
    assert.deepEqual(
      actions.map((action) => action.title),
      [...fixes, ignoreTitle],
    );
    const [edit] = actions[2].edit?.documentChanges ?? [];
    const textEdit = edit as TextDocumentEdit;
    assert.deepEqual(textEdit.textDocument, { uri: pathToFileURL(configurationFile).href, version: null });
    const updated = applyTextEdits(commented, textEdit.edits as TextEdit[]);
    assert.equal(
      updated,
      [
        '{',
        '  // Reviewed with the platform team.',
        '  "ignore": [',
        '    {',
        '      "files": "./main.json",',
        '      "rule": "end-of-support",',
        '      "image": "Canonical:UbuntuServer:18.04-LTS"',
        '    },',
        '    {',
        '      "files": "legacy/old.json",',
        '      "rule": "end-of-support",',
        '      "image": "Canonical:UbuntuServer:18.04-LTS"',
        '    }',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
    const mark = client.mark();
    fs.writeFileSync(configurationFile, updated);
    await announce(client, [{ file: configurationFile, type: 2 }]);
    await client.waitForDiagnostics(uri, (params) => params.diagnostics.length === 0, mark);
  });

  it('keeps "Disable … for this line" for languages that take comments, and offers no ignore there', async () => {
    const file = path.join(folder, 'commented.json');
    fs.writeFileSync(file, template);
    for (const language of ['jsonc', 'arm-template']) {
      const uri = pathToFileURL(file).href;
      await client.open(uri, template, language);
      const { diagnostics } = await client.waitForDiagnostics(uri, (params) => params.diagnostics.length === 1, client.mark());
      const actions = await quickFixes(client, uri, diagnostics);
      assert.deepEqual(
        actions.map((action) => action.title),
        [...fixes, 'Disable end-of-support for this line'],
        language,
      );
      await client.close(uri);
    }
  });
});

describe('"Ignore … in azure-image-lint.json" needs a place to write', () => {
  it('is not offered when no configuration applies and the client cannot create files', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-ignore-'));
    const client = await LspTestClient.start({ workspaceFolders: [folder], documentChanges: true });
    try {
      const template = readFixture('ubuntu1804.json');
      fs.writeFileSync(path.join(folder, 'main.json'), template);
      const uri = pathToFileURL(path.join(folder, 'main.json')).href;
      await client.open(uri, template, 'json');
      const { diagnostics } = await client.waitForDiagnostics(uri, (params) => params.diagnostics.length === 1);
      assert.deepEqual(
        (await quickFixes(client, uri, diagnostics)).map((action) => action.title),
        fixes,
      );
    } finally {
      await client.stop();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
