/*
 * The VS Code side of Azure Image Lint. It starts the language server, forwards the
 * `azureImageLint.*` settings and file events to it, and turns the three user-facing commands
 * into requests the server answers. All analysis lives in the server; nothing here looks at a
 * template's text.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  CloseAction,
  ExecuteCommandRequest,
  LanguageClient,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

const clientName = 'Azure Image Lint';
const diagnosticSource = 'azure-image-lint';

/** Commands the server implements; the client reaches them through `workspace/executeCommand`. */
const serverCommands = {
  scanWorkspace: 'azureImageLint.server.scanWorkspace',
  inventory: 'azureImageLint.server.inventory',
} as const;

interface ScanResult {
  files: number;
  findings: number;
  /** Files and folders not analysed, or in part (absent from servers before it was added). */
  problems?: number;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath('server/out/server.js');
  const outputChannel = vscode.window.createOutputChannel(clientName, { log: true });
  context.subscriptions.push(outputChannel);

  context.subscriptions.push(
    vscode.commands.registerCommand('azureImageLint.scanWorkspace', () => scanWorkspace()),
    vscode.commands.registerCommand('azureImageLint.showInventory', () => showInventory()),
    vscode.commands.registerCommand('azureImageLint.openRuleDocs', (target?: unknown) => openRuleDocs(context, target)),
  );

  // A missing server is a broken install; say so once instead of letting the restart loop
  // below report five crashes of a process that never existed.
  if (!fs.existsSync(serverModule)) {
    const message = `${clientName}: the language server is missing (${serverModule}). Reinstall the extension or run the build.`;
    outputChannel.error(message);
    void vscode.window.showErrorMessage(message);
    return;
  }

  const serverOptions: ServerOptions = {
    // A young generation of 2 MB instead of V8's 16 MB: the server's live data is small (about
    // 15 MB with 200 open documents) and a large young generation only costs resident memory.
    // Large documents are analysed on a worker thread, which keeps V8's defaults.
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--max-semi-space-size=2'] } },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6009'] },
    },
  };

  const languages = ['json', 'jsonc', 'arm-template', 'bicep', 'bicepparam'];
  const clientOptions: LanguageClientOptions = {
    documentSelector: languages.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    synchronize: {
      // ARM Tools' map of templates to their parameter files pairs them for us too.
      configurationSection: ['azureImageLint', 'azureResourceManagerTools.parameterFiles'],
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/*.{json,jsonc,bicep,bicepparam}'),
        vscode.workspace.createFileSystemWatcher('**/azure-image-lint.json'),
      ],
    },
    outputChannel,
    diagnosticCollectionName: diagnosticSource,
  };

  // The id `azureImageLint` makes the library read `azureImageLint.trace.server`.
  client = new LanguageClient('azureImageLint', clientName, serverOptions, clientOptions);
  client.clientOptions.errorHandler = createNotifyOnceErrorHandler(client.createDefaultErrorHandler(4), outputChannel);
  context.subscriptions.push(client);

  // Activation must not wait for (or fail with) the server: the commands above are already
  // registered and report a server that is not running when they are used.
  client.start().catch((error: unknown) => {
    outputChannel.error(`${clientName}: the language server failed to start: ${String(error)}`);
  });
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/**
 * Keeps the library's restart policy (up to 4 restarts in 3 minutes) but replaces its
 * notification on every restart with one clear message per session, and an unmistakable
 * error when it gives up.
 */
function createNotifyOnceErrorHandler(defaultHandler: ErrorHandler, outputChannel: vscode.LogOutputChannel): ErrorHandler {
  let toldAboutRestart = false;
  return {
    error: (error, message, count) => defaultHandler.error(error, message, count),
    closed: async (): Promise<CloseHandlerResult> => {
      const result = await defaultHandler.closed();
      if (result.action === CloseAction.Restart) {
        outputChannel.warn('The language server stopped unexpectedly and is being restarted.');
        if (!toldAboutRestart) {
          toldAboutRestart = true;
          void showWithOutputButton(
            vscode.window.showWarningMessage,
            `${clientName}: the language server crashed and was restarted. Diagnostics may be briefly out of date.`,
            outputChannel,
          );
        }
        return { action: CloseAction.Restart, handled: true };
      }
      const message = `${clientName}: the language server crashed 5 times in 3 minutes and will not be restarted. Linting is off until you reload the window.`;
      outputChannel.error(result.message ?? message);
      void showWithOutputButton(vscode.window.showErrorMessage, message, outputChannel);
      return { action: CloseAction.DoNotRestart, handled: true };
    },
  };
}

async function showWithOutputButton(
  show: (message: string, ...items: string[]) => Thenable<string | undefined>,
  message: string,
  outputChannel: vscode.OutputChannel,
): Promise<void> {
  if ((await show(message, 'Show Output')) === 'Show Output') {
    outputChannel.show();
  }
}

async function executeServerCommand<T>(command: string, token?: vscode.CancellationToken): Promise<T | undefined> {
  if (!client?.isRunning()) {
    void vscode.window.showErrorMessage(`${clientName}: the language server is not running.`);
    return undefined;
  }
  try {
    return (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [] }, token)) as T;
  } catch (error) {
    // A scan the user cancelled ends without a result; anything else is still an error.
    if (token?.isCancellationRequested) return undefined;
    throw error;
  }
}

async function scanWorkspace(): Promise<ScanResult | undefined> {
  // Cancelling the notification cancels the request, and the server stops the scan.
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `${clientName}: scanning the workspace for templates`,
      cancellable: true,
    },
    (_progress, token) => executeServerCommand<ScanResult>(serverCommands.scanWorkspace, token),
  );
  if (result) {
    void vscode.window.showInformationMessage(
      `${clientName}: scanned ${result.files} template file(s), ${result.findings} finding(s)` +
        (result.problems ? `, ${result.problems} file(s) or folder(s) not analysed` : '') +
        '. See the Problems panel.',
    );
  }
  return result;
}

async function showInventory(): Promise<vscode.TextDocument | undefined> {
  const markdown = await executeServerCommand<string>(serverCommands.inventory);
  if (typeof markdown !== 'string') {
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

/**
 * Opens a rule's documentation. The target may be the docs URL itself, a rule code, or
 * nothing (then the rule of our diagnostic under the cursor). URLs come from the
 * `codeDescription.href` the server puts on every diagnostic, so the client keeps no list.
 */
async function openRuleDocs(context: vscode.ExtensionContext, target: unknown): Promise<void> {
  if (typeof target === 'string' && /^https?:\/\//.test(target)) {
    await vscode.env.openExternal(vscode.Uri.parse(target));
    return;
  }
  const code = typeof target === 'string' ? target : codeUnderCursor();
  if (!code) {
    void vscode.window.showInformationMessage(
      `${clientName}: put the cursor on an Azure Image Lint finding to open its rule's documentation.`,
    );
    return;
  }
  const href = vscode.languages
    .getDiagnostics()
    .flatMap(([, diagnostics]) => diagnostics)
    .map((diagnostic) => diagnostic.code)
    .find(
      (diagnosticCode): diagnosticCode is { value: string | number; target: vscode.Uri } =>
        typeof diagnosticCode === 'object' && String(diagnosticCode.value) === code,
    )?.target;
  if (href) {
    await vscode.env.openExternal(href);
    return;
  }
  const bundledPage = context.asAbsolutePath(`docs/rules/${code}.md`);
  if (fs.existsSync(bundledPage)) {
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(bundledPage));
    return;
  }
  void vscode.window.showInformationMessage(`${clientName}: no documentation found for rule '${code}'.`);
}

function codeUnderCursor(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    return undefined;
  }
  const diagnostic = vscode.languages
    .getDiagnostics(editor.document.uri)
    .find((candidate) => candidate.source === diagnosticSource && candidate.range.contains(editor.selection.active));
  const code = diagnostic?.code;
  return code === undefined ? undefined : String(typeof code === 'object' ? code.value : code);
}
