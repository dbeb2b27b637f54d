/**
 * A small LSP client for the server tests: spawns `node server/out/server.js --stdio`, speaks
 * JSON-RPC over its stdin/stdout, answers the server's own requests (settings, progress,
 * diagnostic refresh) and records every notification so that a test can wait for the one it
 * expects. Waiting is event-driven with a timeout; there is no sleep anywhere.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type ClientCapabilities,
  createMessageConnection,
  type MessageConnection,
  type PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
  type TextEdit,
  WorkDoneProgress,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

export const serverModule = path.resolve(__dirname, '../../../server/out/server.js');
export const fixturesFolder = path.resolve(__dirname, '../../fixtures/server');

/** The date every test analyses against, so that messages are stable. */
export const testAsOf = '2026-11-22';

export const defaultTestSettings = { asOf: testAsOf };

export interface StartOptions {
  /** Ask for pull diagnostics (`textDocument/diagnostic`) instead of push. */
  pull?: boolean;
  /** Answer `workspace/configuration` (true by default); without it settings come in notifications. */
  configuration?: boolean;
  settings?: Record<string, unknown>;
  workspaceFolders?: string[];
  workDoneProgress?: boolean;
  /** Milliseconds the server waits after a change (0 makes the tests fast; the server default is 200). */
  validationDelay?: number;
  /** Documents of at least this many characters are analysed on the server's worker thread. */
  workerThreshold?: number;
  /** The analysis worker's heap limit in megabytes (the server's default is 1,024). */
  workerHeapLimitMb?: number;
  /** Say that the client takes versioned `documentChanges` in workspace edits. */
  documentChanges?: boolean;
  /** The server to start instead of `node server/out/server.js --stdio`: an executable and its arguments. */
  serverCommand?: readonly string[];
  /** Say that the client can create files in workspace edits (with `documentChanges`). */
  createFiles?: boolean;
}

interface Waiter<T> {
  accept(value: T): boolean;
  resolve(value: T): void;
}

export function fixtureUri(name: string): string {
  return pathToFileURL(path.join(fixturesFolder, name)).href;
}

export function readFixture(name: string): string {
  return fs.readFileSync(path.join(fixturesFolder, name), 'utf8');
}

export class LspTestClient {
  readonly diagnostics: PublishDiagnosticsParams[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  refreshCount = 0;
  /** Every work-done progress value the server reported, in order. */
  readonly progress: { kind: string; message?: string }[] = [];
  /** The tokens of the progress the server created, in order. */
  readonly progressTokens: (string | number)[] = [];
  private readonly progressWaiters: Waiter<{ kind: string; message?: string }>[] = [];
  settings: Record<string, unknown>;
  /** What the client answers for ARM Tools' `azureResourceManagerTools.parameterFiles`. */
  armParameterFiles: Record<string, string> = {};
  private readonly diagnosticWaiters: Waiter<PublishDiagnosticsParams>[] = [];
  private readonly refreshWaiters: (() => void)[] = [];
  /** The documents whose settings the server asked for, and who waits for a document's turn. */
  private readonly configuredUris = new Set<string>();
  private readonly configurationWaiters: { uri: string; resolve(): void }[] = [];
  private readonly versions = new Map<string, number>();
  readonly texts = new Map<string, string>();
  stderr = '';

  private constructor(
    readonly connection: MessageConnection,
    private readonly child: ChildProcess,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
  }

  static async start(options: StartOptions = {}): Promise<LspTestClient> {
    const [command, ...args] = options.serverCommand ?? [process.execPath, serverModule, '--stdio'];
    // A Windows command shim (`.cmd`) runs only through the shell.
    const shell = process.platform === 'win32' && /\.cmd$/i.test(command);
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], shell });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspTestClient(connection, child, { ...defaultTestSettings, ...options.settings });
    child.stderr!.on('data', (chunk: Buffer) => (client.stderr += chunk.toString()));
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      client.diagnostics.push(params);
      for (const waiter of [...client.diagnosticWaiters]) {
        if (waiter.accept(params)) {
          client.diagnosticWaiters.splice(client.diagnosticWaiters.indexOf(waiter), 1);
          waiter.resolve(params);
        }
      }
    });
    connection.onNotification((method, params) => {
      client.notifications.push({ method, params });
    });
    connection.onRequest('workspace/configuration', (params: { items: { section?: string; scopeUri?: string }[] }) => {
      for (const item of params.items) {
        if (item.scopeUri === undefined) continue;
        client.configuredUris.add(item.scopeUri);
        for (const waiter of client.configurationWaiters.filter((candidate) => candidate.uri === item.scopeUri)) {
          client.configurationWaiters.splice(client.configurationWaiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
      return params.items.map((item) =>
        item.section === 'azureImageLint'
          ? client.settings
          : item.section === 'azureResourceManagerTools.parameterFiles'
            ? client.armParameterFiles
            : null,
      );
    });
    connection.onRequest('window/workDoneProgress/create', (params: { token: string | number }) => {
      client.progressTokens.push(params.token);
      connection.onProgress(WorkDoneProgress.type, params.token, (value) => {
        client.progress.push(value);
        for (const waiter of [...client.progressWaiters]) {
          if (waiter.accept(value)) {
            client.progressWaiters.splice(client.progressWaiters.indexOf(waiter), 1);
            waiter.resolve(value);
          }
        }
      });
      return null;
    });
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('workspace/diagnostic/refresh', () => {
      client.refreshCount++;
      for (const waiter of client.refreshWaiters.splice(0)) waiter();
      return null;
    });
    connection.listen();
    const capabilities: ClientCapabilities = {
      workspace: {
        configuration: options.configuration !== false,
        didChangeWatchedFiles: { dynamicRegistration: false },
        diagnostics: { refreshSupport: true },
        workspaceFolders: true,
        ...(options.documentChanges || options.createFiles
          ? { workspaceEdit: { documentChanges: true, ...(options.createFiles ? { resourceOperations: ['create'] } : {}) } }
          : {}),
      },
      textDocument: {
        synchronization: { didSave: true },
        publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        completion: { completionItem: { snippetSupport: false, deprecatedSupport: true, tagSupport: { valueSet: [1] } } },
        codeAction: {
          dataSupport: true,
          isPreferredSupport: true,
          codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
        },
        ...(options.pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
      },
      window: { workDoneProgress: options.workDoneProgress === true },
    };
    const folders = options.workspaceFolders ?? [fixturesFolder];
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities,
      workspaceFolders: folders.map((folder) => ({ uri: pathToFileURL(folder).href, name: path.basename(folder) })),
      initializationOptions: {
        validationDelay: options.validationDelay ?? 0,
        workerThreshold: options.workerThreshold,
        workerHeapLimitMb: options.workerHeapLimitMb,
        settings: options.configuration === false ? { ...defaultTestSettings, ...options.settings } : undefined,
      },
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  /** Index of the next diagnostics notification, to wait only for newer ones. */
  /**
   * Resolves once the server has asked for the settings of `uri` (it does before the document's
   * first analysis); what is sent after that reaches the server after the answer.
   */
  configurationAsked(uri: string): Promise<void> {
    if (this.configuredUris.has(uri)) return Promise.resolve();
    return new Promise((resolve) => this.configurationWaiters.push({ uri, resolve }));
  }

  /** Whether the server has asked for the settings of `uri` (it does before analysing it). */
  askedSettingsFor(uri: string): boolean {
    return this.configuredUris.has(uri);
  }

  mark(): number {
    return this.diagnostics.length;
  }

  /** Resolves with the first diagnostics for `uri` (since `since`) that satisfy `accept`. */
  waitForDiagnostics(
    uri: string,
    accept: (params: PublishDiagnosticsParams) => boolean = () => true,
    since = 0,
    timeout = 10_000,
  ): Promise<PublishDiagnosticsParams> {
    const matches = (params: PublishDiagnosticsParams) => params.uri === uri && accept(params);
    const earlier = this.diagnostics.slice(since).find(matches);
    if (earlier) return Promise.resolve(earlier);
    return new Promise((resolve, reject) => {
      const waiter: Waiter<PublishDiagnosticsParams> = {
        accept: matches,
        resolve: (params) => (clearTimeout(timer), resolve(params)),
      };
      const timer = setTimeout(() => {
        this.diagnosticWaiters.splice(this.diagnosticWaiters.indexOf(waiter), 1);
        const seen = this.diagnostics.filter((params) => params.uri === uri).map((params) => JSON.stringify(params));
        reject(
          new Error(
            `No matching diagnostics for ${uri} within ${timeout} ms. Seen:\n${seen.join('\n')}\nServer stderr:\n${this.stderr}`,
          ),
        );
      }, timeout);
      this.diagnosticWaiters.push(waiter);
    });
  }

  /** Resolves with the first progress value (from now on) that satisfies `accept`. */
  waitForProgress(
    accept: (value: { kind: string; message?: string }) => boolean,
    timeout = 10_000,
  ): Promise<{ kind: string; message?: string }> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter<{ kind: string; message?: string }> = {
        accept,
        resolve: (value) => (clearTimeout(timer), resolve(value)),
      };
      const timer = setTimeout(() => {
        this.progressWaiters.splice(this.progressWaiters.indexOf(waiter), 1);
        reject(new Error(`No matching progress within ${timeout} ms. Seen: ${JSON.stringify(this.progress)}`));
      }, timeout);
      this.progressWaiters.push(waiter);
    });
  }

  /** The diagnostics last published for a file (the server only publishes what changed). */
  latestDiagnostics(uri: string): PublishDiagnosticsParams | undefined {
    return this.diagnostics.filter((params) => params.uri === uri).pop();
  }

  /** Resolves at the next `workspace/diagnostic/refresh` request. */
  waitForRefresh(timeout = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No diagnostic refresh within ${timeout} ms.`)), timeout);
      this.refreshWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async open(uri: string, text: string, languageId = 'json'): Promise<void> {
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replaces the whole text; returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return version;
  }

  /**
   * Sends one incremental edit (offsets in the client's copy of the text) without waiting for
   * anything; returns the new version.
   */
  async edit(uri: string, start: number, end: number, newText: string): Promise<number> {
    const text = this.texts.get(uri);
    if (text === undefined) throw new Error(`${uri} is not open.`);
    const version = (this.versions.get(uri) ?? 0) + 1;
    const document = TextDocument.create(uri, 'json', version, text);
    const range = { start: document.positionAt(start), end: document.positionAt(end) };
    this.versions.set(uri, version);
    this.texts.set(uri, text.slice(0, start) + newText + text.slice(end));
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range, text: newText }],
    });
    return version;
  }

  /** The client's copy of an open document's text. */
  text(uri: string): string | undefined {
    return this.texts.get(uri);
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    this.texts.delete(uri);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  version(uri: string): number | undefined {
    return this.versions.get(uri);
  }

  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = { ...defaultTestSettings, ...settings };
    await this.sendSettings();
  }

  /** Changes ARM Tools' parameter file map, as VS Code would with the client forwarding it. */
  async changeArmParameterFiles(map: Record<string, string>): Promise<void> {
    this.armParameterFiles = map;
    await this.sendSettings();
  }

  private async sendSettings(): Promise<void> {
    await this.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { azureImageLint: this.settings, azureResourceManagerTools: { parameterFiles: this.armParameterFiles } },
    });
  }

  /** Applies a workspace edit to the open documents' texts and sends the changes; returns the new texts. */
  async applyEdit(edit: WorkspaceEdit): Promise<Map<string, string>> {
    const changed = new Map<string, string>();
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
      const text = this.texts.get(uri);
      if (text === undefined) throw new Error(`The edit touches ${uri}, which is not open.`);
      const updated = applyTextEdits(text, edits);
      changed.set(uri, updated);
      await this.change(uri, updated);
    }
    return changed;
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    try {
      await withTimeout(this.connection.sendRequest('shutdown'), 5_000, 'shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      this.child.kill();
    }
    await withTimeout(exited, 5_000, 'server exit').catch(() => this.child.kill());
    this.connection.dispose();
  }

  get exitCode(): number | null {
    return this.child.exitCode;
  }
}

export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const document = TextDocument.create('file:///edit', 'plaintext', 1, text);
  return TextDocument.applyEdits(document, [...edits]);
}

export function withTimeout<T>(promise: Promise<T>, timeout: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeout} ms.`)), timeout);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}
