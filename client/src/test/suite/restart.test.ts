/*
 * A crashed language server is restarted and serves the open documents again. Runs last among
 * the suites (files run in name order) because it kills the server.
 */
import * as assert from 'node:assert/strict';
import * as childProcess from 'node:child_process';
import * as vscode from 'vscode';
import { hoverText, openFixture, requireLanguageServer, serverModule, waitFor, waitForFinding } from './helpers';

/** Process ids of this extension host's children that run our server module. */
function serverProcessIds(): number[] {
  const listing = childProcess.execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  const module = serverModule();
  return listing
    .split('\n')
    .filter((line) => line.includes(module))
    .map((line) => Number.parseInt(line.trim(), 10));
}

suite('server restart', () => {
  test('a killed server is restarted and answers hovers again', async () => {
    requireLanguageServer();
    const editor = await openFixture('vm.bicep');
    const [before] = await waitFor('the language server process', () => {
      const ids = serverProcessIds();
      return ids.length === 1 ? ids : undefined;
    });
    process.kill(before, 'SIGKILL');
    // No event tells the extension host about a new child process; it is polled, bounded by the timeout.
    const [after] = await waitFor('a restarted language server process', () => {
      const ids = serverProcessIds();
      return ids.length === 1 && ids[0] !== before ? ids : undefined;
    });
    assert.notEqual(after, before);
    const skuLine = editor.document
      .getText()
      .split('\n')
      .findIndex((line) => line.includes("sku: '18.04-LTS'"));
    const position = new vscode.Position(skuLine, editor.document.lineAt(skuLine).text.indexOf("'18.04") + 3);
    // The restart cleared our diagnostics before it started the new process; their return means
    // the new server is initialized and has the document again.
    await waitForFinding(editor.document.uri, 'end-of-support');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      position,
    );
    assert.ok(hoverText(hovers).includes('2023-05-31'), `no hover from the restarted server: ${hoverText(hovers)}`);
  });
});
