/*
 * The VS Code side of Azure Image Lint. It starts the language server, forwards the
 * `azureImageLint.*` settings and file events to it, and turns the three user-facing commands
 * into requests the server answers. All analysis lives in the server. The server is started when
 * the first template is open (a Bicep file, or JSON whose first 4 KB name an ARM template or
 * parameters schema: the server's own `detectDocumentKind`), so that opening package.json starts
 * nothing; the extension activates on every JSON file only to look at its head.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
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
import { detectDocumentKind, schemaSniffLength } from '../../server/out/core/documentKind';

const clientName = 'Image Lint for Azure';
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

/**
 * Languages of the documents sent to the server. `bicep` and `bicep-params` are the Bicep
 * extension's ids (registered by this extension too, with the same ids, so that VS Code merges
 * the two); `bicepparam` is the id this extension used before, kept for setups that still map
 * files to it; `arm-template` is the ARM Tools extension's.
 */
const languages = ['json', 'jsonc', 'arm-template', 'bicep', 'bicep-params', 'bicepparam'];
/** Languages that are always templates; other documents are looked at (`isTemplateDocument`). */
const templateLanguages = new Set(['arm-template', 'bicep', 'bicep-params', 'bicepparam']);

let client: LanguageClient | undefined;
let started: Promise<void> | undefined;
let log: vscode.LogOutputChannel | undefined;

/** What the extension exports: whether it has started the language server (for the integration tests). */
export interface AzureImageLintApi {
  languageServerStarted(): boolean;
}

export async function activate(context: vscode.ExtensionContext): Promise<AzureImageLintApi> {
  const serverModule = context.asAbsolutePath('server/out/server.js');
  const outputChannel = vscode.window.createOutputChannel(clientName, { log: true });
  log = outputChannel;
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
    return { languageServerStarted: () => false };
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
  // The server starts with the first template; until then documents are only looked at. (The
  // client is not among the subscriptions: `deactivate` stops it if it was started.)
  const startIfTemplate = (document: vscode.TextDocument) => {
    if (!started && isTemplateDocument(document)) void startServer();
  };
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(startIfTemplate),
    // A new file becomes a template when its $schema is typed.
    vscode.workspace.onDidChangeTextDocument((event) => startIfTemplate(event.document)),
  );
  for (const document of vscode.workspace.textDocuments) startIfTemplate(document);
  return { languageServerStarted: () => started !== undefined };
}

/**
 * Starts the language server once. Activation never waits for (or fails with) it: the commands
 * are already registered and report a server that is not running when they are used.
 */
function startServer(): Promise<void> {
  started ??= (client?.start() ?? Promise.resolve()).catch((error: unknown) => {
    log?.error(`${clientName}: the language server failed to start: ${String(error)}`);
  });
  return started;
}

/**
 * Whether a document is one the server lints: a Bicep or ARM Tools document, or a JSON file the
 * server would take for a template or parameter file, or the configuration file.
 */
function isTemplateDocument(document: vscode.TextDocument): boolean {
  if (!languages.includes(document.languageId)) return false;
  if (templateLanguages.has(document.languageId)) return true;
  if (path.basename(document.fileName).toLowerCase() === 'azure-image-lint.json') return true;
  return detectDocumentKind(document.fileName, document.getText().slice(0, schemaSniffLength)) !== 'other';
}

export async function deactivate(): Promise<void> {
  if (started) await client?.stop();
  client = undefined;
  started = undefined;
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
  // A workspace command needs the server even when no template is open yet.
  if (client && !started) await startServer();
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
 * Opens a rule's documentation: the page shipped with the extension (docs/rules/<code>.md), in
 * the Markdown preview, offline and for the installed version. The target may be a rule code, the
 * link of a diagnostic (`codeDescription.href`, whose last segment names the page), or nothing
 * (then the rule of our diagnostic under the cursor). A web address with no page here (a
 * published page of a rule this version does not have) is opened in the browser.
 */
async function openRuleDocs(context: vscode.ExtensionContext, target: unknown): Promise<void> {
  const code = typeof target === 'string' ? ruleCodeOf(target) : codeUnderCursor();
  if (!code) {
    void vscode.window.showInformationMessage(
      `${clientName}: put the cursor on an Azure Image Lint finding to open its rule's documentation.`,
    );
    return;
  }
  const bundledPage = context.asAbsolutePath(path.join('docs', 'rules', `${code}.md`));
  if (/^[a-z][a-z0-9-]*$/.test(code) && fs.existsSync(bundledPage)) {
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(bundledPage));
    return;
  }
  if (typeof target === 'string' && /^https:\/\//.test(target)) {
    await vscode.env.openExternal(vscode.Uri.parse(target));
    return;
  }
  void vscode.window.showInformationMessage(`${clientName}: no documentation found for rule '${code}'.`);
}

/** The rule code a command argument names: itself, or the page name at the end of a link. */
function ruleCodeOf(target: string): string {
  const page = /([^/\\]+)\.md$/.exec(target);
  return page ? decodeURIComponent(page[1]) : target;
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
