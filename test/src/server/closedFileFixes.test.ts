/**
 * A fix shown in an open `.bicepparam` can edit the template it uses, which is not open. Its
 * offsets belong to the template's text when it was analysed: if the file changed on disk since
 * (with or without a watched-file notification), the server must not hand out those offsets but
 * analyse again and give edits for the text the file holds now. Clients that take versioned
 * `documentChanges` get each edit with its document's version (null for the closed template).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, TextDocumentEdit, TextEdit } from 'vscode-languageserver/node';
import { applyTextEdits, LspTestClient } from './lspClient';

// The SKU has no default: with one (say '16.04-LTS'), the fix of the offer default would turn the
// template's own image into an unknown one, and it would not be offered (\`core/fixes.ts\`).
const template = `param offer string = 'UbuntuServer'
param sku string

resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: 'vm'
  location: 'westeurope'
  properties: {
    storageProfile: {
      imageReference: { publisher: 'Canonical', offer: offer, sku: sku, version: 'latest' }
    }
  }
}
`;
const parameters = `using 'main.bicep'

param sku = '18.04-LTS'
`;
/** The template as another program left it: a line added above the offer. */
const changedTemplate = `// Edited outside the editor.\n${template}`;

function fixedTemplate(text: string): string {
  return text.replace("'UbuntuServer'", "'ubuntu-24_04-lts'");
}
const fixedParameters = parameters.replace("'18.04-LTS'", "'server-gen1'");

async function preferredFix(client: LspTestClient, uri: string, diagnostics: Diagnostic[]): Promise<CodeAction> {
  const actions: CodeAction[] = await client.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: diagnostics[0].range,
    context: { diagnostics },
  });
  const preferred = actions.find((action) => action.isPreferred);
  assert.ok(preferred?.edit, JSON.stringify(actions));
  return preferred;
}

describe('fixes that edit a file that is not open', () => {
  let folder: string;
  let templateFile: string;
  let templateUri: string;
  let parametersUri: string;
  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-closed-fix-'));
    templateFile = path.join(folder, 'main.bicep');
    templateUri = pathToFileURL(templateFile).href;
    parametersUri = pathToFileURL(path.join(folder, 'main.bicepparam')).href;
    fs.writeFileSync(path.join(folder, 'main.bicepparam'), parameters);
  });
  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  for (const notified of [false, true]) {
    it(`edits the template as it is now after it changed on disk${notified ? ', notified' : ', without a notification'}`, async () => {
      fs.writeFileSync(templateFile, template);
      const client = await LspTestClient.start({ workspaceFolders: [folder] });
      try {
        await client.open(parametersUri, parameters);
        const { diagnostics } = await client.waitForDiagnostics(parametersUri, (params) => params.version === 1);
        assert.deepEqual(
          diagnostics.map((diagnostic) => diagnostic.code),
          ['end-of-support'],
        );
        // The fix as offered now edits both files.
        const before = await preferredFix(client, parametersUri, diagnostics);
        assert.deepEqual(Object.keys(before.edit!.changes ?? {}).sort(), [parametersUri, templateUri].sort());
        fs.writeFileSync(templateFile, changedTemplate);
        if (notified)
          await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
            changes: [{ uri: templateUri, type: 2 }],
          });
        // The client asks with the diagnostics it has, computed on the template's old text.
        const after = await preferredFix(client, parametersUri, diagnostics);
        const changes = after.edit!.changes!;
        assert.equal(applyTextEdits(changedTemplate, changes[templateUri]), fixedTemplate(changedTemplate));
        assert.equal(applyTextEdits(parameters, changes[parametersUri]), fixedParameters);
      } finally {
        await client.stop();
      }
    });
  }

  it('gives versioned document changes, null for the template that is not open', async () => {
    fs.writeFileSync(templateFile, template);
    const client = await LspTestClient.start({ workspaceFolders: [folder], documentChanges: true });
    try {
      await client.open(parametersUri, parameters);
      const { diagnostics } = await client.waitForDiagnostics(parametersUri, (params) => params.version === 1);
      const fix = await preferredFix(client, parametersUri, diagnostics);
      assert.equal(fix.edit!.changes, undefined);
      const documentChanges = (fix.edit!.documentChanges ?? []) as TextDocumentEdit[];
      assert.deepEqual(
        documentChanges.map((change) => change.textDocument).sort((a, b) => a.uri.localeCompare(b.uri)),
        [
          { uri: templateUri, version: null },
          { uri: parametersUri, version: 1 },
        ].sort((a, b) => a.uri.localeCompare(b.uri)),
      );
      const editsOf = (uri: string) => documentChanges.find((change) => change.textDocument.uri === uri)!.edits as TextEdit[];
      assert.equal(applyTextEdits(template, editsOf(templateUri)), fixedTemplate(template));
      assert.equal(applyTextEdits(parameters, editsOf(parametersUri)), fixedParameters);
    } finally {
      await client.stop();
    }
  });
});
