/*
 * Beside the official Bicep extension. runTest.ts runs this suite with a stand-in carrying Bicep's
 * manifest contributions (language ids `bicep` and `bicep-params`, `.bicep` and `.bicepparam`, a
 * grammar for scope `source.bicep`) loaded before
 * this extension and after it, and without it. In every case `.bicep` and `.bicepparam` files
 * have Bicep's language ids and our findings, and the stand-in's grammar is the only one for
 * them: this extension contributes the same language ids (VS Code merges them) and no grammar.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionId, openFixture, waitForFinding } from './helpers';

const standInId = 'azure-image-lint-e2e.vscode-bicep-standin';
/** How this session loads the stand-in: `loads-first`, `loads-last`, or not at all (empty). */
const bicep = process.env.AZURE_IMAGE_LINT_E2E_BICEP ?? '';

suite(`beside the Bicep extension (${bicep || 'not installed'})`, () => {
  if (bicep) {
    test(`the stand-in is loaded and ${bicep === 'loads-first' ? 'before' : 'after'} this extension`, () => {
      const ids = vscode.extensions.all.map((extension) => extension.id.toLowerCase());
      const standIn = ids.indexOf(standInId);
      const ours = ids.indexOf(extensionId);
      assert.ok(standIn >= 0, `the Bicep stand-in is not loaded: ${ids.filter((id) => !id.startsWith('vscode.')).join(', ')}`);
      assert.ok(ours >= 0, `${extensionId} is not loaded`);
      assert.equal(standIn < ours, bicep === 'loads-first', `extension order: ${ids.slice(Math.min(standIn, ours)).join(', ')}`);
    });
  }

  test('a .bicep file gets the language id bicep and our finding', async () => {
    const editor = await openFixture('vm.bicep');
    assert.equal(editor.document.languageId, 'bicep');
    const diagnostic = await waitForFinding(editor.document.uri, 'end-of-support');
    assert.equal(editor.document.getText(diagnostic.range), "'18.04-LTS'");
  });

  test('a .bicepparam file gets the language id bicep-params and our finding', async () => {
    const editor = await openFixture('params/main.bicepparam');
    assert.equal(editor.document.languageId, 'bicep-params');
    const diagnostic = await waitForFinding(editor.document.uri, 'end-of-support');
    assert.equal(editor.document.getText(diagnostic.range), "'18.04-LTS'");
  });

  test('no grammar of ours competes for the Bicep languages or scope: the Bicep grammar is the only one', () => {
    // VS Code keeps one grammar per language, the last one registered: only a grammar no other
    // extension contributes is safe in every load order.
    const grammars = vscode.extensions.all.flatMap((extension) =>
      ((extension.packageJSON?.contributes?.grammars ?? []) as { language?: string; scopeName?: string }[]).map((grammar) => ({
        extension: extension.id.toLowerCase(),
        ...grammar,
      })),
    );
    const forBicep = grammars.filter(
      (grammar) => grammar.language === 'bicep' || grammar.language === 'bicep-params' || grammar.scopeName === 'source.bicep',
    );
    assert.deepEqual(
      forBicep.map((grammar) => `${grammar.extension}: ${grammar.language} ${grammar.scopeName}`),
      bicep ? [`${standInId}: bicep source.bicep`, `${standInId}: bicep-params source.bicep`] : [],
    );
  });
});
