/*
 * The extension activates for the file types it lints, without needing the language server.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionId, openFixture, waitFor } from './helpers';

suite('activation', () => {
  test('activates on a Bicep file, which gets the bicep language', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `extension ${extensionId} is not loaded`);
    const editor = await openFixture('vm.bicep');
    assert.equal(editor.document.languageId, 'bicep');
    // Activation has no event to wait on; it is polled, bounded by the timeout.
    await waitFor('the extension to activate after opening vm.bicep', () => extension.isActive);
  });

  test('activates on an ARM template', async () => {
    const editor = await openFixture('azuredeploy.json');
    assert.ok(
      ['json', 'jsonc', 'arm-template'].includes(editor.document.languageId),
      `azuredeploy.json opened as ${editor.document.languageId}`,
    );
    const extension = vscode.extensions.getExtension(extensionId);
    await waitFor('the extension to be active with an ARM template open', () => extension?.isActive);
  });

  test('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const command of ['azureImageLint.scanWorkspace', 'azureImageLint.showInventory', 'azureImageLint.openRuleDocs']) {
      assert.ok(commands.includes(command), `command ${command} is not registered`);
    }
  });
});
