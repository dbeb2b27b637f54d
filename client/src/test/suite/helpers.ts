/*
 * What the integration tests share: where the fixtures are, opening them, and waiting for a
 * condition with a timeout, driven by the event that can make it true (no fixed sleeps).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const repositoryRoot = path.resolve(__dirname, '../../../..');

export const extensionId = 'azure-image-lint.azure-image-lint';
export const diagnosticSource = 'azure-image-lint';
export const workspaceFolder = path.join(repositoryRoot, 'test', 'e2e-workspace');

/** The server module of the extension under test (the checkout or the staged package tree). */
export function serverModule(): string {
  const extension = vscode.extensions.getExtension(extensionId);
  assert.ok(extension, `extension ${extensionId} is not loaded`);
  return path.join(extension.extensionPath, 'server', 'out', 'server.js');
}

export function fixtureUri(name: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceFolder, name));
}

export async function openFixture(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(name));
  return vscode.window.showTextDocument(document, { preview: false });
}

/**
 * Fails the calling test, with a clear reason, when the language server has not been built:
 * its tests must show up as failures, never as silently skipped.
 */
export function requireLanguageServer(): void {
  const file = serverModule();
  assert.ok(fs.existsSync(file), `The language server ${file} does not exist: build server/src/server.ts (npx tsc -b server).`);
}

/**
 * Resolves with the first truthy value of `check`, evaluated now and after each `event`; with no
 * event it is evaluated every 50 ms. Rejects after `timeoutMilliseconds` naming what was awaited.
 */
export function waitFor<T>(
  description: string,
  check: () => T | undefined | false,
  event?: vscode.Event<unknown>,
  timeoutMilliseconds = 20_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const disposables: vscode.Disposable[] = [];
    const finish = (settle: () => void) => {
      for (const disposable of disposables) disposable.dispose();
      settle();
    };
    const evaluate = () => {
      try {
        const value = check();
        if (value) finish(() => resolve(value));
      } catch (error) {
        finish(() => reject(error));
      }
    };
    const timer = setTimeout(
      () => finish(() => reject(new Error(`Timed out after ${timeoutMilliseconds} ms waiting for ${description}`))),
      timeoutMilliseconds,
    );
    disposables.push({ dispose: () => clearTimeout(timer) });
    if (event) {
      disposables.push(event(evaluate));
    } else {
      const interval = setInterval(evaluate, 50);
      disposables.push({ dispose: () => clearInterval(interval) });
    }
    evaluate();
  });
}

/** The rule code of a diagnostic, whether it came as a plain value or with a docs link. */
export function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return String(typeof code === 'object' ? code.value : code);
}

/** Waits until the file has a diagnostic of ours with this code, and returns it. */
export function waitForFinding(uri: vscode.Uri, code: string, timeoutMilliseconds = 30_000): Promise<vscode.Diagnostic> {
  return waitFor(
    `an '${code}' diagnostic from ${diagnosticSource} on ${path.basename(uri.fsPath)}`,
    () =>
      vscode.languages
        .getDiagnostics(uri)
        .find((diagnostic) => diagnostic.source === diagnosticSource && codeOf(diagnostic) === code),
    vscode.languages.onDidChangeDiagnostics,
    timeoutMilliseconds,
  );
}

/** Waits until the file has no diagnostic of ours with this code. */
export function waitForNoFinding(uri: vscode.Uri, code: string, timeoutMilliseconds = 30_000): Promise<true> {
  return waitFor(
    `the '${code}' diagnostic on ${path.basename(uri.fsPath)} to go away`,
    () =>
      !vscode.languages
        .getDiagnostics(uri)
        .some((diagnostic) => diagnostic.source === diagnosticSource && codeOf(diagnostic) === code),
    vscode.languages.onDidChangeDiagnostics,
    timeoutMilliseconds,
  );
}

/** The plain text of hover contents, whatever form each part has. */
export function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

/** Discards unsaved changes to a fixture so that no test leaves it modified. */
export async function revertFixture(editor: vscode.TextEditor): Promise<void> {
  if (!editor.document.isDirty) return;
  await vscode.window.showTextDocument(editor.document, { preview: false });
  await vscode.commands.executeCommand('workbench.action.files.revert');
  assert.equal(editor.document.isDirty, false, `${editor.document.fileName} is still modified after revert`);
}

/**
 * Resolves with the first defined result of the async `attempt`, retried after each diagnostics
 * change and at least every 250 ms; rejects after the timeout with the last `describeFailure()`.
 * For requests whose answer depends on the server having caught up with the editor.
 */
export async function retryUntil<T>(
  description: string,
  attempt: () => Promise<T | undefined>,
  describeFailure: () => string,
  timeoutMilliseconds = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMilliseconds;
  for (let attempts = 1; ; attempts++) {
    const result = await attempt();
    if (result !== undefined) {
      if (attempts > 1) console.log(`retryUntil: ${description} took ${attempts} attempts`);
      return result;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new Error(`Timed out after ${timeoutMilliseconds} ms waiting for ${description}: ${describeFailure()}`);
    }
    await new Promise<void>((resolve) => {
      const subscription = vscode.languages.onDidChangeDiagnostics(() => done());
      const timer = setTimeout(done, Math.min(250, remaining));
      function done() {
        subscription.dispose();
        clearTimeout(timer);
        resolve();
      }
    });
  }
}
