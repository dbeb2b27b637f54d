/*
 * The extension activates for the file types it lints, without needing the language server, and
 * starts the server only when a template is open: a JSON file that is no template starts nothing.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { extensionId, openFixture, waitFor } from './helpers';

interface AzureImageLintApi {
  languageServerStarted(): boolean;
}

suite('activation', () => {
  test('a JSON file that is no template activates the extension but starts no language server', async () => {
    const extension = vscode.extensions.getExtension<AzureImageLintApi>(extensionId);
    assert.ok(extension, `extension ${extensionId} is not loaded`);
    // The repository's own package.json, outside the test workspace.
    const packageJson = path.resolve(__dirname, '../../../../package.json');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(packageJson));
    await vscode.window.showTextDocument(document, { preview: false });
    assert.equal(document.languageId, 'json');
    await waitFor('the extension to activate after opening package.json', () => extension.isActive);
    // No template has been opened yet in this session (this is its first test).
    assert.equal(extension.exports.languageServerStarted(), false);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('activates on a Bicep file, which gets the bicep language', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `extension ${extensionId} is not loaded`);
    const editor = await openFixture('vm.bicep');
    assert.equal(editor.document.languageId, 'bicep');
    // Activation has no event to wait on; it is polled, bounded by the timeout.
    await waitFor('the extension to activate after opening vm.bicep', () => extension.isActive);
    await waitFor('the language server to be started for vm.bicep', () =>
      (extension.exports as AzureImageLintApi).languageServerStarted(),
    );
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
