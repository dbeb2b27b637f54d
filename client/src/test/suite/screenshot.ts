/*
 * Puts the window into the state the final screenshot should show (the Bicep fixture with its
 * end-of-support squiggle, the Problems panel, and the hover on the sku), tells the driver, and
 * waits until the driver has written the screenshot. Used only when the driver asks for it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { openFixture, waitFor, waitForFinding } from './helpers';

export async function stageFinalScreenshot(screenshotFile: string): Promise<void> {
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  const editor = await openFixture('vm.bicep');
  await waitForFinding(editor.document.uri, 'end-of-support', 10_000).catch(() => undefined);
  const skuLine = editor.document
    .getText()
    .split('\n')
    .findIndex((line) => line.includes("sku: '18.04-LTS'"));
  if (skuLine >= 0) {
    const position = new vscode.Position(skuLine, editor.document.lineAt(skuLine).text.indexOf("'18.04") + 3);
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
    await vscode.commands.executeCommand('editor.action.showHover');
  }
  const directory = path.dirname(screenshotFile);
  fs.mkdirSync(directory, { recursive: true });
  const watcher = fs.watch(directory);
  try {
    console.log('[e2e-stage] ready for the final screenshot');
    await waitFor(
      'the driver to take the final screenshot',
      () => fs.existsSync(screenshotFile),
      (listener) => {
        const handler = () => listener(undefined);
        watcher.on('change', handler);
        return { dispose: () => watcher.off('change', handler) };
      },
      30_000,
    );
  } finally {
    watcher.close();
  }
}
