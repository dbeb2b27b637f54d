/**
 * The language server: Azure Marketplace image findings as diagnostics (pushed, or pulled when
 * the client supports it), quick-fixes and a fix-all source action, hover and completion of image
 * names, and the scan-workspace and inventory commands. Works over stdio (`--stdio`) and over the
 * IPC channel the VS Code client uses. Every handler is one line into `ImageLintServer`, wrapped
 * so that an exception or a cancellation becomes a clean answer and never a dead server.
 */
import * as path from 'node:path';
import {
  createConnection,
  type DiagnosticServerCancellationData,
  type DocumentDiagnosticReport,
  ProposedFeatures,
  TextDocuments,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FramingGuard } from './server/framing';
import { ImageLintServer } from './server/imageLintServer';
import { describeError, type Logger, runSafe, runSafeNotification } from './server/runner';

// Over stdio, the input goes through a guard that closes the connection at a malformed frame
// (`Content-Length: -5`) instead of leaving the reader deaf (`server/framing.ts`).
const connection = process.argv.includes('--stdio')
  ? createConnection(
      ProposedFeatures.all,
      process.stdin.pipe(
        new FramingGuard((reason) => {
          const message = `Azure Image Lint: the connection is closed: the client sent ${reason}.`;
          process.stderr.write(`${message}\n`);
          connection.console.error(message);
        }),
      ),
      process.stdout,
    )
  : createConnection(ProposedFeatures.all);
// The server sees each edit before it is applied: an edit that cannot change a template's
// findings moves them instead of analysing the template again.
const documents = new TextDocuments<TextDocument>({
  create: (uri, languageId, version, content) => TextDocument.create(uri, languageId, version, content),
  update: (document, changes, version) => {
    server.willChange(document, changes);
    return TextDocument.update(document, changes, version);
  },
});
const logger: Logger = {
  error: (message) => connection.console.error(message),
  warn: (message) => connection.console.warn(message),
  info: (message) => connection.console.info(message),
};
// Paths from this file, which sits at the same place in a checkout and in the packaged bundle.
const server = new ImageLintServer(connection, documents, logger, {
  analysisWorker: path.join(__dirname, 'server', 'analysisWorker.js'),
});

// A bug must cost one answer, not the server: log what escaped every handler and go on.
process.on('uncaughtException', (error) => logger.error(`Uncaught exception: ${describeError(error)}`));
process.on('unhandledRejection', (reason) => logger.error(`Unhandled rejection: ${describeError(reason)}`));

connection.onInitialize((params) => server.initialize(params));
connection.onInitialized(() =>
  runSafeNotification(logger, 'initialized', () => {
    connection.workspace.onDidChangeWorkspaceFolders((event) =>
      runSafeNotification(logger, 'workspace folders', () => server.workspaceFoldersChanged(event.added, event.removed)),
    );
  }),
);

documents.onDidOpen((event) => runSafeNotification(logger, 'didOpen', () => server.opened(event.document)));
documents.onDidChangeContent((event) => runSafeNotification(logger, 'didChange', () => server.changed(event.document)));
documents.onDidSave((event) => runSafeNotification(logger, 'didSave', () => server.saved(event.document)));
documents.onDidClose((event) => runSafeNotification(logger, 'didClose', () => server.closed(event.document)));
connection.onDidChangeWatchedFiles((params) =>
  runSafeNotification(logger, 'watched files', () => server.watchedFilesChanged(params)),
);
connection.onDidChangeConfiguration((params) =>
  runSafeNotification(logger, 'configuration', () => server.configurationSettingsChanged(params)),
);

connection.languages.diagnostics.on((params, token) =>
  runSafe<DocumentDiagnosticReport, DiagnosticServerCancellationData>(
    logger,
    'textDocument/diagnostic',
    token,
    { kind: 'full', items: [] },
    () => server.pullDiagnostics(params),
    { retriggerRequest: true },
  ),
);
connection.onHover((params, token) => runSafe(logger, 'hover', token, null, () => server.hover(params, token)));
connection.onCompletion((params, token) => runSafe(logger, 'completion', token, [], () => server.completion(params, token)));
connection.onCompletionResolve((item, token) =>
  runSafe(logger, 'completionItem/resolve', token, item, () => server.resolveCompletion(item)),
);
connection.onCodeAction((params, token) => runSafe(logger, 'codeAction', token, [], () => server.codeActions(params, token)));
connection.onExecuteCommand((params, token) =>
  runSafe(logger, 'executeCommand', token, null, () => server.executeCommand(params, token)),
);

documents.listen(connection);
connection.listen();
