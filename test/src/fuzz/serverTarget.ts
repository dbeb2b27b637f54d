/**
 * The language server as a fuzz target: one real `server.js --stdio` process receives mutated
 * documents (open, then whole-text changes), requests that are cancelled as soon as they are sent,
 * and after every batch a hover request that must still be answered. The process must stay alive
 * throughout; a dead process or an unanswered request is a failure.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource } from 'vscode-languageserver/node';
import { LspTestClient, withTimeout } from '../server/lspClient';
import type { Failure } from './harness';

export interface ServerDocument {
  /** The name the document is opened under (inside the fuzz workspace folder). */
  name: string;
  text: string;
  description: string;
}

const languageIds: [RegExp, string][] = [
  [/\.bicepparam$/i, 'bicepparam'],
  [/\.bicep$/i, 'bicep'],
  [/\.jsonc$/i, 'jsonc'],
];

function languageOf(name: string): string {
  return languageIds.find(([pattern]) => pattern.test(name))?.[1] ?? 'json';
}

export class ServerTarget {
  private opened = new Set<string>();

  private constructor(
    private readonly client: LspTestClient,
    readonly folder: string,
  ) {}

  static async start(folder = path.join(os.tmpdir(), 'azure-image-lint-fuzz-workspace')): Promise<ServerTarget> {
    const client = await LspTestClient.start({ workspaceFolders: [folder], validationDelay: 0 });
    return new ServerTarget(client, folder);
  }

  private uriOf(name: string): string {
    return pathToFileURL(path.join(this.folder, name)).href;
  }

  /**
   * Sends a batch of documents, a cancelled request per document, then a hover on the last one;
   * returns the failures seen. `timeout` bounds how long the answer to the hover may take.
   */
  async sendBatch(documents: readonly ServerDocument[], timeout = 30_000): Promise<Failure[]> {
    const failures: Failure[] = [];
    const describe = () => documents.map((document) => `${document.name}: ${document.description}`).join('; ');
    try {
      for (const document of documents) {
        const uri = this.uriOf(document.name);
        if (this.opened.has(uri)) await this.client.change(uri, document.text);
        else {
          this.opened.add(uri);
          await this.client.open(uri, document.text, languageOf(document.name));
        }
        // A request cancelled at once must not disturb the server.
        const cancelled = new CancellationTokenSource();
        const pending = this.client.connection.sendRequest(
          'textDocument/completion',
          { textDocument: { uri }, position: { line: 0, character: 1 } },
          cancelled.token,
        );
        cancelled.cancel();
        pending.catch(() => undefined);
      }
      const last = documents[documents.length - 1];
      const uri = this.uriOf(last.name);
      await withTimeout(
        this.client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 5 } }),
        timeout,
        'hover after the batch',
      );
      await withTimeout(
        this.client.connection.sendRequest('textDocument/codeAction', {
          textDocument: { uri },
          range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } },
          context: { diagnostics: [] },
        }),
        timeout,
        'code actions after the batch',
      );
    } catch (error) {
      failures.push({
        target: 'server',
        input: describe(),
        message: `${error instanceof Error ? error.message : String(error)}\n${this.client.stderr.slice(-2000)}`,
      });
    }
    if (this.client.exitCode !== null) {
      failures.push({
        target: 'server',
        input: describe(),
        message: `the server exited with status ${this.client.exitCode}\n${this.client.stderr.slice(-2000)}`,
      });
    }
    return failures;
  }

  /** Closes every document, so that the next batch starts from a fresh set. */
  async closeAll(): Promise<void> {
    for (const uri of this.opened) await this.client.close(uri);
    this.opened.clear();
  }

  get alive(): boolean {
    return this.client.exitCode === null;
  }

  /** Server stderr, where an uncaught failure would be logged. */
  get stderr(): string {
    return this.client.stderr;
  }

  async stop(): Promise<void> {
    await this.client.stop();
  }
}
