/**
 * Keeps what every analysis says about every file and tells the client. A file's diagnostics are
 * the union of what the live analyses of open documents say about it (a template and its open
 * parameter file both speak about the parameter file), counting only analyses that saw the
 * file's current text; files no live analysis covers keep what the last workspace scan said.
 *
 * With push diagnostics every change is published (`textDocument/publishDiagnostics`). With pull
 * diagnostics the client asks for open documents itself; the server answers from here, asks the
 * client to pull again when another document's analysis changed an open document's diagnostics,
 * and still pushes for files that are not open (a parameter file a template's finding sits in).
 */
import type { Diagnostic, DocumentDiagnosticReport, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import type { Contribution } from './documentAnalysis';
import { diagnosticKey } from './diagnostics';

export interface PublisherClient {
  /** True when the client pulls diagnostics for open documents. */
  readonly pull: boolean;
  sendDiagnostics(params: PublishDiagnosticsParams): void;
  /** Asks the client to pull every open document's diagnostics again. */
  refresh(): void;
  /** The version of an open document, by file key; undefined when the file is not open. */
  openVersion(key: string): number | undefined;
  /** The URI of an open document, by file key. */
  openUri(key: string): string | undefined;
}

export class DiagnosticsPublisher {
  private readonly live = new Map<string, Map<string, Contribution>>();
  private scanned = new Map<string, { uri: string; diagnostics: Diagnostic[] }>();
  private readonly uris = new Map<string, string>();
  private readonly pushed = new Map<string, string>();
  private readonly pulled = new Map<string, { resultId: string; json: string }>();
  private nextResultId = 1;
  private refreshPending = false;

  constructor(private readonly client: PublisherClient) {}

  /** Replaces what one entry's analysis says; `entryKey` is always published in push mode. */
  setEntry(entryUri: string, contributions: Map<string, Contribution>, entryKey?: string): void {
    const previous = this.live.get(entryUri);
    this.live.set(entryUri, contributions);
    const keys = new Set([...(previous?.keys() ?? []), ...contributions.keys()]);
    for (const [key, contribution] of contributions) this.uris.set(key, contribution.uri);
    for (const key of keys) this.flush(key, key === entryKey);
  }

  removeEntry(entryUri: string): void {
    const previous = this.live.get(entryUri);
    if (!previous) return;
    this.live.delete(entryUri);
    for (const key of previous.keys()) {
      this.flush(key, false);
      // A file nothing speaks about any more is forgotten, so closed documents leave nothing behind.
      if (!this.pushed.has(key) && !this.scanned.has(key) && !this.pulled.has(key) && !this.isLive(key)) this.uris.delete(key);
    }
  }

  private isLive(key: string): boolean {
    for (const contributions of this.live.values()) if (contributions.has(key)) return true;
    return false;
  }

  /** Replaces what the last workspace scan said, by file key. */
  setScan(scanned: Map<string, { uri: string; diagnostics: Diagnostic[] }>): void {
    const keys = new Set([...this.scanned.keys(), ...scanned.keys()]);
    this.scanned = scanned;
    for (const [key, entry] of scanned) this.uris.set(key, entry.uri);
    for (const key of keys) this.flush(key, false);
  }

  /** A document was closed: what the client pulled for it no longer counts. */
  closed(key: string): void {
    this.pulled.delete(key);
  }

  /** The diagnostics of a file now. */
  merged(key: string): Diagnostic[] {
    const currentVersion = this.client.openVersion(key);
    let covered = currentVersion !== undefined;
    const byKey = new Map<string, Diagnostic>();
    for (const contributions of this.live.values()) {
      const contribution = contributions.get(key);
      if (!contribution) continue;
      covered = true;
      if (contribution.version !== currentVersion) continue;
      for (const diagnostic of contribution.diagnostics) {
        const id = diagnosticKey(diagnostic);
        if (!byKey.has(id)) byKey.set(id, diagnostic);
      }
    }
    if (!covered) {
      for (const diagnostic of this.scanned.get(key)?.diagnostics ?? []) {
        const id = diagnosticKey(diagnostic);
        if (!byKey.has(id)) byKey.set(id, diagnostic);
      }
    }
    return [...byKey.values()].sort(compareDiagnostics);
  }

  /** The answer to `textDocument/diagnostic`. */
  pullReport(key: string, previousResultId: string | undefined): DocumentDiagnosticReport {
    const items = this.merged(key);
    const json = JSON.stringify(items);
    const last = this.pulled.get(key);
    if (last && last.json === json && previousResultId === last.resultId) return { kind: 'unchanged', resultId: last.resultId };
    const resultId = String(this.nextResultId++);
    this.pulled.set(key, { resultId, json });
    return { kind: 'full', resultId, items };
  }

  private flush(key: string, force: boolean): void {
    const uri = this.client.openUri(key) ?? this.uris.get(key);
    if (!uri) return;
    const diagnostics = this.merged(key);
    const json = JSON.stringify(diagnostics);
    const version = this.client.openVersion(key);
    if (this.client.pull && version !== undefined) {
      // The client pulls open documents; a push left from before the file was opened is cleared.
      if (this.pushed.has(key)) {
        this.pushed.delete(key);
        this.client.sendDiagnostics({ uri, diagnostics: [] });
      }
      const last = this.pulled.get(key);
      if (last && last.json !== json) this.requestRefresh();
      return;
    }
    if (!force && (this.pushed.get(key) ?? '[]') === json) return;
    if (json === '[]') this.pushed.delete(key);
    else this.pushed.set(key, json);
    this.client.sendDiagnostics(version === undefined ? { uri, diagnostics } : { uri, version, diagnostics });
  }

  /** Asks the client to pull again, once for everything that happens in this turn. */
  refreshLater(): void {
    this.requestRefresh();
  }

  private requestRefresh(): void {
    if (this.refreshPending) return;
    this.refreshPending = true;
    setImmediate(() => {
      this.refreshPending = false;
      this.client.refresh();
    });
  }
}

function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    String(a.code).localeCompare(String(b.code)) ||
    messageText(a).localeCompare(messageText(b))
  );
}

function messageText(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}
