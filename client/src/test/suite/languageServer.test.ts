/*
 * End to end through the language server: diagnostics, the preferred quick-fix, hover and the
 * workspace commands, on the Bicep fixture and its ARM twin. Each test first requires the built
 * server, so a missing server shows as failures with the reason, not as skipped tests.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  codeOf,
  diagnosticSource,
  fixtureUri,
  hoverText,
  openFixture,
  requireLanguageServer,
  retryUntil,
  revertFixture,
  waitFor,
  waitForFinding,
  waitForNoFinding,
} from './helpers';

const code = 'end-of-support';

const twins = [
  { file: 'vm.bicep', skuText: "'18.04-LTS'", skuLine: 15 },
  { file: 'azuredeploy.json', skuText: '"18.04-LTS"', skuLine: 23 },
];

suite('language server', () => {
  for (const { file, skuText, skuLine } of twins) {
    test(`${file}: reports ${code} on the sku`, async () => {
      requireLanguageServer();
      const editor = await openFixture(file);
      const diagnostic = await waitForFinding(editor.document.uri, code);
      assert.equal(diagnostic.source, diagnosticSource);
      assert.equal(codeOf(diagnostic), code);
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(diagnostic.range.start.line, skuLine);
      assert.equal(editor.document.getText(diagnostic.range), skuText);
      assert.match(diagnostic.message, /UbuntuServer\/18\.04-LTS.*2023-05-31/);
      const target = typeof diagnostic.code === 'object' ? diagnostic.code.target : undefined;
      assert.ok(target, 'the diagnostic has no documentation link (codeDescription.href)');
    });

    test(`${file}: the preferred quick-fix replaces the image`, async () => {
      requireLanguageServer();
      const editor = await openFixture(file);
      const uri = editor.document.uri;
      try {
        const diagnostic = await waitForFinding(uri, code);
        // A request that races a re-publication of the diagnostics can come back empty; ask again.
        let titles: string[] = [];
        const fix = await retryUntil(
          'one preferred quick-fix',
          async () => {
            const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
              'vscode.executeCodeActionProvider',
              uri,
              diagnostic.range,
              vscode.CodeActionKind.QuickFix.value,
            );
            titles = actions.map((action) => `${action.isPreferred ? '(preferred) ' : ''}${action.title}`);
            const preferred = actions.filter(
              (action) => action.isPreferred && action.kind && vscode.CodeActionKind.QuickFix.contains(action.kind),
            );
            return preferred.length === 1 ? preferred[0] : undefined;
          },
          () => `the quick-fixes were: ${titles.join(' | ') || 'none'}`,
        );
        assert.ok(fix.edit, `the preferred quick-fix '${fix.title}' has no edit`);
        const before = editor.document.getText();
        assert.equal(await vscode.workspace.applyEdit(fix.edit), true, 'the workspace edit was not applied');
        const after = editor.document.getText();
        assert.notEqual(after, before, 'the quick-fix did not change the document');
        assert.ok(!after.includes(skuText), `the fixed document still uses ${skuText}`);
        await waitForNoFinding(uri, code);
      } finally {
        await revertFixture(editor);
      }
    });

    test(`${file}: hover on the sku shows the support dates`, async () => {
      requireLanguageServer();
      const editor = await openFixture(file);
      const line = editor.document.lineAt(skuLine).text;
      const position = new vscode.Position(skuLine, line.indexOf(skuText) + 3);
      await waitForFinding(editor.document.uri, code);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        editor.document.uri,
        position,
      );
      const text = hoverText(hovers);
      assert.ok(text.includes('2023-05-31'), `hover does not mention 2023-05-31:\n${text}`);
    });

    test(`${file}: completion on the sku proposes SKUs, documented when VS Code resolves them`, async () => {
      requireLanguageServer();
      const editor = await openFixture(file);
      const line = editor.document.lineAt(skuLine).text;
      const position = new vscode.Position(skuLine, line.indexOf(skuText) + 3);
      await waitForFinding(editor.document.uri, code);
      // The last argument asks VS Code to resolve as many items as the list has, as it resolves
      // the item it shows: the server sends the documentation only then.
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        editor.document.uri,
        position,
        undefined,
        100,
      );
      const item = list.items.find((proposal) => proposal.label === '18.04-LTS');
      assert.ok(item, `no 18.04-LTS among ${list.items.map((proposal) => String(proposal.label)).join(', ')}`);
      const documentation = typeof item.documentation === 'string' ? item.documentation : item.documentation?.value;
      assert.match(documentation ?? '', /End of standard support \| ended 2023-05-31/);
    });
  }

  test('Scan Workspace reports every template in the workspace', async () => {
    requireLanguageServer();
    const result = await vscode.commands.executeCommand<{ files: number; findings: number; problems: number } | undefined>(
      'azureImageLint.scanWorkspace',
    );
    assert.deepEqual(result, { files: 4, findings: 3, problems: 0 });
    await waitForFinding(fixtureUri('vm.bicep'), code);
    await waitForFinding(fixtureUri('azuredeploy.json'), code);
  });

  test('Open Rule Documentation shows the page shipped with the extension in the Markdown preview', async () => {
    requireLanguageServer();
    const editor = await openFixture('vm.bicep');
    const diagnostic = await waitForFinding(editor.document.uri, code);
    // The diagnostic links the same page, installed with the server.
    const target = typeof diagnostic.code === 'object' ? diagnostic.code.target : undefined;
    assert.equal(target?.scheme, 'file');
    assert.ok(target?.path.endsWith(`/docs/rules/${code}.md`), String(target));
    editor.selection = new vscode.Selection(diagnostic.range.start, diagnostic.range.start);
    await vscode.commands.executeCommand('azureImageLint.openRuleDocs');
    await waitFor(
      `a Markdown preview of ${code}.md`,
      () =>
        vscode.window.tabGroups.all
          .flatMap((group) => group.tabs)
          .find(
            (tab) =>
              tab.input instanceof vscode.TabInputWebview &&
              tab.input.viewType.includes('markdown.preview') &&
              tab.label.includes(`${code}.md`),
          ),
      vscode.window.tabGroups.onDidChangeTabs,
    );
    // The preview opens in the active group, as its active editor.
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('Show Image Inventory opens a markdown document listing the image', async () => {
    requireLanguageServer();
    const document = await vscode.commands.executeCommand<vscode.TextDocument | undefined>('azureImageLint.showInventory');
    assert.ok(document, 'no inventory document was opened');
    assert.equal(document.languageId, 'markdown');
    assert.match(document.getText(), /UbuntuServer/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
