/**
 * The language server's state and behaviour, behind one-line handlers in `server.ts`: which
 * documents are open, when each is analysed (at once on open and save, after a pause while
 * typing, again when a file it depends on changes), the settings of each document, and the
 * answers to hover, completion, code action, diagnostic and command requests. Analysis itself is
 * the core's; this class only decides when to run it and where its results go.
 */
import * as path from 'node:path';
import {
  type CancellationToken,
  type CodeAction,
  type CodeActionParams,
  type CompletionItem,
  CompletionItemKind,
  CompletionItemTag,
  type CompletionParams,
  type Connection,
  type Diagnostic,
  type DidChangeConfigurationParams,
  type DidChangeWatchedFilesParams,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
  type ExecuteCommandParams,
  FileChangeType,
  type Hover,
  type HoverParams,
  type InitializeParams,
  type InitializeResult,
  MarkupKind,
  type Position,
  TextDocumentSyncKind,
  TextDocumentContentChangeEvent,
  type TextDocuments,
  type WorkDoneProgressReporter,
  CodeActionKind,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Catalog } from '../core/catalog/catalogTypes';
import { detectDocumentKind, schemaSniffLength } from '../core/documentKind';
import { formatDay } from '../core/catalog/lifecycle';
import { completesAt, completionQuery, completionsAt, completionsOfQuery, type ImageCompletion } from '../core/completion';
import { hoverAt, type HoverResult } from '../core/hover';
import type { ImageField } from '../core/model';
import { shiftOfChange, type TextShift } from '../core/textShift';
import { ConfigResolver } from '../node/configResolver';
import { FileAccessPolicy } from '../node/fileAccess';
import type { ScanResult } from '../node/scan';
import { type AnalysisContext, AnalysisService } from './analysisService';
import { AnalysisStoppedError, AnalysisWorkerClient } from './analysisWorkerClient';
import {
  type DocumentTexts,
  editsChangedFile,
  fixAll,
  fixAllKind,
  type IgnoreTarget,
  isStale,
  quickFixes,
  wantsKind,
} from './codeActions';
import { analysisStoppedDiagnostic } from './diagnostics';
import { DiagnosticsPublisher } from './diagnosticsPublisher';
import { analysisAcrossEdit, type DocumentAnalysis, emptyAnalysis } from './documentAnalysis';
import { fileKey, fileOfUri, isDiskFile, UriMap } from './files';
import { answerFromRead, type ImageAnswer, type ImageQuestion, type LatestRead } from './imageAnswers';
import type { Logger } from './runner';
import { configFromSettings, defaultSettings, readSettings, type ServerSettings } from './settings';
import { diagnosticsOfScan, inventoryCommand, inventoryMarkdown, scanFolder, scanWorkspaceCommand } from './workspaceCommands';

/** Options a client (or a test) may pass in `initializationOptions`. */
interface InitializationOptions {
  /** Milliseconds to wait after a change before analysing (200 by default). */
  validationDelay?: number;
  /** Settings to use before the first `workspace/didChangeConfiguration`. */
  settings?: unknown;
  /** Documents of at least this many characters are analysed on the worker (100,000 by default). */
  workerThreshold?: number;
  /** The analysis worker's heap limit in megabytes (1,024 by default); tests set a small one. */
  workerHeapLimitMb?: number;
}

/** Where the server finds its parts; the entry point knows the layout (a checkout or a bundle). */
export interface ServerModules {
  /** The analysis worker's script; without it, every analysis runs on the server's thread. */
  analysisWorker?: string;
}

/**
 * Below this many characters an analysis takes a few milliseconds, less than sending the text
 * to the worker and back is worth; above it, the server's thread stays free for requests.
 */
const defaultWorkerThreshold = 100_000;

const completionKinds: Record<ImageField, CompletionItemKind> = {
  publisher: CompletionItemKind.Module,
  offer: CompletionItemKind.Class,
  sku: CompletionItemKind.EnumMember,
  version: CompletionItemKind.Constant,
};

/**
 * What the server keeps for one open document. Its text and version are the `TextDocuments`'
 * (the version every question is asked at); this is what the server knows of its analysis.
 */
/**
 * An analysis of a document on the worker, whose read answers questions there: with the catalog
 * and day it judged with (completion's proposals are made here from them), and the answers it
 * gave, each over its span of offsets (`ImageAnswer.span`). A question in a span already answered
 * is answered here, without a round trip to the worker: moving the mouse along a value, or asking
 * again at the same place. A new analysis, even of the same version, comes with a new record.
 */
interface WorkerRead {
  version: number;
  inWorker: true;
  catalog: Catalog;
  asOf: string;
  answers: ImageAnswer[];
}

/** The most answers a worker's read keeps (`WorkerRead.answers`); the oldest go first. */
const maximumKeptAnswers = 16;

interface OpenDocumentRecord {
  /** How to cancel the analysis scheduled for the document, if one is. */
  scheduled?: () => void;
  /** The generation of the newest analysis asked for; numbers are never reused. */
  generation?: number;
  /** The analysis running now: the version the document had when it started, and its outcome. */
  running?: { version: number; done: Promise<DocumentAnalysis | undefined> };
  /** The latest analysis published (made, or moved with an edit by `moveAnalysis`). */
  analysis?: DocumentAnalysis;
  /**
   * Where hover and completion are answered for the version the latest analysis read: the read
   * itself when the analysis ran on this thread, the worker when it ran there. An analysis moved
   * with an edit reads nothing, so this stays at the version read last.
   */
  read?: { version: number; here: LatestRead } | WorkerRead;
  /** The analysis must be made again before it is used (pull diagnostics; a file a fix edits changed). */
  invalid: boolean;
  /** Opened and not yet changed: the first `didChange` is the opening one, analysed at once. */
  justOpened: boolean;
  /**
   * The published analysis is current in everything but the document's own text: nothing else
   * asked to analyse it since. Only then may an edit be moved into it.
   */
  movable: boolean;
  /** The edit a `didChange` is applying, seen before it is applied (`willChange`). */
  pendingEdit?: { fromVersion: number; oldText: string; shift: TextShift };
}

export class ImageLintServer {
  private readonly uris = new UriMap();
  private readonly service: AnalysisService;
  /** Where large documents are analysed, if anywhere but this thread. */
  private readonly worker: AnalysisWorkerClient | undefined;
  private publisher!: DiagnosticsPublisher;
  private pull = false;
  private configurationRequests = false;
  private refreshSupport = false;
  private workDoneProgress = false;
  /** Whether the client takes versioned `documentChanges` in workspace edits. */
  private documentChanges = false;
  /** Whether the client can create files in workspace edits. */
  private createFiles = false;
  private validationDelay = 200;
  private workerThreshold = defaultWorkerThreshold;
  private globalSettings: ServerSettings = { ...defaultSettings };
  private readonly settingsCache = new Map<string, Promise<ServerSettings>>();
  private workspaceFolders: string[] = [];
  /** One record per open document, by URI. */
  private readonly records = new Map<string, OpenDocumentRecord>();
  /**
   * The proposals of the latest completion list, whose documentation is sent when the editor
   * resolves one item (the one it shows) rather than with all of them: a list of SKUs carries a
   * table per item, most of the answer's size, and the editor shows one at a time.
   */
  private latestProposals: { list: number; proposals: readonly ImageCompletion[] } = { list: 0, proposals: [] };
  private nextGeneration = 1;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    readonly logger: Logger,
    modules: ServerModules = {},
  ) {
    const worker = modules.analysisWorker
      ? new AnalysisWorkerClient(modules.analysisWorker, () => this.documents.all(), logger)
      : undefined;
    this.worker = worker;
    this.service = new AnalysisService(
      {
        settingsFor: (uri) => this.settingsFor(uri),
        folderOf: (uri) => this.folderOf(uri),
        openDocument: (file) => {
          const document = this.openDocumentOf(fileKey(file));
          return document ? { text: document.getText(), version: document.version } : undefined;
        },
        uriOf: (file) => this.uris.uriOf(file),
        roots: () => this.accessRoots(),
      },
      logger,
      worker,
    );
  }

  initialize(params: InitializeParams): InitializeResult {
    const capabilities = params.capabilities;
    this.pull = capabilities.textDocument?.diagnostic !== undefined;
    this.configurationRequests = capabilities.workspace?.configuration === true;
    this.refreshSupport = capabilities.workspace?.diagnostics?.refreshSupport === true;
    this.workDoneProgress = capabilities.window?.workDoneProgress === true;
    this.documentChanges = capabilities.workspace?.workspaceEdit?.documentChanges === true;
    this.createFiles = capabilities.workspace?.workspaceEdit?.resourceOperations?.includes('create') === true;
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    if (typeof options.validationDelay === 'number' && options.validationDelay >= 0)
      this.validationDelay = options.validationDelay;
    if (options.settings !== undefined) this.globalSettings = readSettings(options.settings);
    if (typeof options.workerThreshold === 'number' && options.workerThreshold >= 0)
      this.workerThreshold = options.workerThreshold;
    if (this.worker && typeof options.workerHeapLimitMb === 'number' && options.workerHeapLimitMb >= 1)
      this.worker.heapLimitMb = options.workerHeapLimitMb;
    this.workspaceFolders = (params.workspaceFolders ?? []).map((folder) => fileOfUri(folder.uri));
    if (this.workspaceFolders.length === 0 && params.rootUri) this.workspaceFolders = [fileOfUri(params.rootUri)];
    this.publisher = new DiagnosticsPublisher({
      pull: this.pull,
      sendDiagnostics: (diagnostics) => void this.connection.sendDiagnostics(diagnostics),
      refresh: () => {
        if (this.refreshSupport) this.connection.languages.diagnostics.refresh().catch(() => undefined);
      },
      openVersion: (key) => this.openDocumentOf(key)?.version,
      openUri: (key) => this.openDocumentOf(key)?.uri,
    });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['"', "'", ':'], resolveProvider: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, fixAllKind], resolveProvider: false },
        executeCommandProvider: { commands: [scanWorkspaceCommand, inventoryCommand] },
        diagnosticProvider: this.pull
          ? { identifier: 'azure-image-lint', interFileDependencies: true, workspaceDiagnostics: false }
          : undefined,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'azure-image-lint' },
    };
  }

  workspaceFoldersChanged(added: readonly { uri: string }[], removed: readonly { uri: string }[]): void {
    const removedPaths = new Set(removed.map((folder) => fileKey(fileOfUri(folder.uri))));
    this.workspaceFolders = this.workspaceFolders.filter((folder) => !removedPaths.has(fileKey(folder)));
    this.workspaceFolders.push(...added.map((folder) => fileOfUri(folder.uri)));
    this.settingsCache.clear();
  }

  // Documents -------------------------------------------------------------------------------

  opened(document: TextDocument): void {
    this.uris.remember(document.uri);
    this.records.set(document.uri, { invalid: false, justOpened: true, movable: false });
  }

  /** The record of an open document (made if the document is open without one); undefined when closed. */
  private recordOf(uri: string): OpenDocumentRecord | undefined {
    let record = this.records.get(uri);
    if (!record && this.documents.get(uri))
      this.records.set(uri, (record = { invalid: false, justOpened: false, movable: false }));
    return record;
  }

  /**
   * Called with a `didChange`'s changes before they are applied: one edit of a document whose
   * analysis may be moved is kept, with the text before it, for `changed`. Never throws, since it
   * runs inside the update of the document's text.
   */
  willChange(document: TextDocument, changes: readonly TextDocumentContentChangeEvent[]): void {
    const record = this.records.get(document.uri);
    if (!record) return;
    record.pendingEdit = undefined;
    try {
      const change = changes.length === 1 ? changes[0] : undefined;
      if (!change || !TextDocumentContentChangeEvent.isIncremental(change) || !record.movable) return;
      const start = document.offsetAt(change.range.start);
      const end = document.offsetAt(change.range.end);
      const lines = { start: document.positionAt(start), end: document.positionAt(end) };
      record.pendingEdit = {
        fromVersion: document.version,
        oldText: document.getText(),
        shift: shiftOfChange({ start, end, text: change.text }, lines),
      };
    } catch (error) {
      this.logger.error(`Reading an edit of ${document.uri} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  changed(document: TextDocument): void {
    const record = this.recordOf(document.uri);
    const immediate = record?.justOpened === true;
    const pending = record?.pendingEdit;
    if (record) {
      record.justOpened = false;
      record.pendingEdit = undefined;
    }
    const file = fileOfUri(document.uri);
    if (this.service.isConfigurationFile(file)) {
      // Typing in azure-image-lint.json (or a catalog file) re-analyses everything: after a pause.
      this.configurationChanged(immediate ? 0 : this.validationDelay);
      return;
    }
    if (!record || !pending || !this.moveAnalysis(document, record, pending))
      this.scheduleOrInvalidate(document.uri, immediate ? 0 : this.validationDelay, false);
    for (const dependent of this.dependentsOf(fileKey(file), document.uri)) {
      this.scheduleOrInvalidate(dependent, immediate ? 0 : this.validationDelay);
    }
  }

  saved(document: TextDocument): void {
    const file = fileOfUri(document.uri);
    this.service.forgetFile(file);
    if (this.service.isConfigurationFile(file)) {
      this.configurationChanged();
      return;
    }
    this.scheduleOrInvalidate(document.uri, 0, false);
  }

  closed(document: TextDocument): void {
    const uri = document.uri;
    const file = fileOfUri(uri);
    const key = fileKey(file);
    const record = this.records.get(uri);
    if (record) this.cancelTimer(record);
    // Nothing is kept for a closed document; an analysis still running finds no record and is
    // dropped.
    this.records.delete(uri);
    this.settingsCache.delete(uri);
    this.publisher.closed(key);
    this.publisher.removeEntry(uri);
    this.uris.forget(uri);
    this.service.forgetDocument(uri);
    this.service.forgetFile(file);
    if (this.service.isConfigurationFile(file)) {
      this.configurationChanged();
      return;
    }
    // The file is read from disk again: whatever depends on it sees the saved text now.
    for (const dependent of this.dependentsOf(key, uri)) this.scheduleOrInvalidate(dependent, 0);
  }

  watchedFilesChanged(params: DidChangeWatchedFilesParams): void {
    let configuration = false;
    let structural = false;
    const dependents = new Set<string>();
    for (const change of params.changes) {
      const file = fileOfUri(change.uri);
      this.service.forgetFile(file);
      if (this.service.isConfigurationFile(file)) configuration = true;
      if (change.type !== FileChangeType.Changed) structural = true;
      // An open document's buffer wins over the disk: its change is not news.
      if (this.openDocumentOf(fileKey(file))) continue;
      for (const dependent of this.dependentsOf(fileKey(file), undefined)) dependents.add(dependent);
    }
    if (configuration) this.configurationChanged();
    else if (structural) this.revalidateAll();
    else for (const dependent of dependents) this.scheduleOrInvalidate(dependent, 0);
  }

  configurationSettingsChanged(params: DidChangeConfigurationParams): void {
    const settings = params.settings as Record<string, unknown> | null | undefined;
    if (settings && typeof settings === 'object' && 'azureImageLint' in settings) {
      const armTools = settings.azureResourceManagerTools as Record<string, unknown> | undefined;
      this.globalSettings = readSettings(settings.azureImageLint, armTools?.parameterFiles);
    }
    this.settingsCache.clear();
    this.configurationChanged();
  }

  private configurationChanged(delay = 0): void {
    this.service.resetConfiguration();
    this.service.forgetFile();
    this.revalidateAll(delay);
  }

  private revalidateAll(delay = 0): void {
    for (const document of this.documents.all()) this.scheduleOrInvalidate(document.uri, delay);
  }

  // Analysis --------------------------------------------------------------------------------

  /**
   * Push: analyse after `delay`. Pull: forget the analysis; the client pulls a document that
   * changed itself, and is asked to pull again (`refresh`) when another document changed.
   */
  private scheduleOrInvalidate(uri: string, delay: number, refresh = true): void {
    const record = this.recordOf(uri);
    if (!record) return;
    record.movable = false;
    if (this.pull) {
      record.invalid = true;
      if (refresh) this.publisher.refreshLater();
      return;
    }
    this.cancelTimer(record);
    // A newer request supersedes an analysis that is waiting for its settings.
    record.generation = this.nextGeneration++;
    const run = () => {
      record.scheduled = undefined;
      this.validate(uri).catch((error: unknown) => this.logger.error(`Analysing ${uri} failed: ${String(error)}`));
    };
    // Without a delay, right after the messages already read (a zero timeout waits a millisecond).
    if (delay === 0) {
      const immediate = setImmediate(run);
      record.scheduled = () => clearImmediate(immediate);
    } else {
      const timeout = setTimeout(run, delay);
      record.scheduled = () => clearTimeout(timeout);
    }
  }

  private cancelTimer(record: OpenDocumentRecord): void {
    record.scheduled?.();
    record.scheduled = undefined;
  }

  /**
   * Analyses an open document now and publishes what it found; undefined when superseded. While
   * it runs, the record says so (`running`), so that a question about the same version waits for
   * it instead of starting another.
   */
  private validate(uri: string): Promise<DocumentAnalysis | undefined> {
    const record = this.recordOf(uri);
    const opened = this.documents.get(uri);
    if (!record || !opened) return Promise.resolve(undefined);
    const generation = this.nextGeneration++;
    record.generation = generation;
    const done = this.analyse(uri, record, generation);
    const running = { version: opened.version, done };
    record.running = running;
    const finished = () => {
      if (record.running === running) record.running = undefined;
    };
    done.then(finished, finished);
    return done;
  }

  private async analyse(uri: string, record: OpenDocumentRecord, generation: number): Promise<DocumentAnalysis | undefined> {
    // Whether the analysis is still the newest one asked for the document, and the document open.
    const current = () => this.records.get(uri) === record && record.generation === generation;
    const opened = this.documents.get(uri);
    if (!opened) return undefined;
    if (!this.isLinted(opened)) {
      // No settings, configuration or catalog are looked up for a JSON file that is no template
      // (package.json, tsconfig.json): it gets no diagnostics, which also clears earlier ones.
      const skipped = emptyAnalysis(uri, opened.version);
      skipped.contributions.set(fileKey(skipped.file), { uri, diagnostics: [], version: opened.version });
      record.analysis = skipped;
      record.read = undefined;
      record.invalid = false;
      record.movable = false;
      this.publisher.setEntry(uri, skipped.contributions, this.pull ? undefined : fileKey(skipped.file));
      return skipped;
    }
    const context = await this.service.contextFor(uri);
    const document = this.documents.get(uri);
    if (!document || !current()) return undefined;
    let analysis: DocumentAnalysis | undefined;
    let read: OpenDocumentRecord['read'];
    try {
      if (this.service.analysesInWorker(document.getText().length, this.workerThreshold)) {
        analysis = await this.service.analyseInWorker(uri, context);
        // A result for a version the document no longer has is dropped, never published: the
        // newer change has its own analysis coming.
        const now = this.documents.get(uri);
        if (!analysis || !now || now.version !== analysis.version || !current()) return undefined;
        read = { version: analysis.version, inWorker: true, catalog: context.catalog, asOf: context.asOf, answers: [] };
        // Once the findings are out, the document's lines are indexed, which the first edit
        // would otherwise do before it is even applied (13 ms a megabyte). Later edits keep the
        // index, so this costs nothing after the first time.
        setImmediate(() => this.documents.get(uri)?.positionAt(0));
      } else {
        analysis = this.service.analyse(uri, document.version, document.getText(), context, (here) => {
          read = { version: here.version, here };
        });
      }
    } catch (error) {
      // The core never throws on user input; if it does anyway, the document gets no findings
      // and the server lives on. A worker that stopped (out of memory) is started again for the
      // other documents, and this one says why it has no findings.
      this.logger.error(`Analysing ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      const now = this.documents.get(uri);
      if (!now || !current()) return undefined;
      analysis = emptyAnalysis(uri, now.version);
      read = undefined;
      if (error instanceof AnalysisStoppedError)
        analysis.contributions.set(fileKey(analysis.file), {
          uri,
          diagnostics: [analysisStoppedDiagnostic(error.documentMessage)],
          version: now.version,
        });
    }
    if (this.records.get(uri) !== record) return undefined;
    record.analysis = analysis;
    record.read = read;
    record.invalid = false;
    record.movable = analysis.editTrace !== undefined && this.documents.get(uri)?.version === analysis.version && current();
    this.publisher.setEntry(uri, analysis.contributions, this.pull ? undefined : fileKey(analysis.file));
    return analysis;
  }

  /**
   * Publishes the analysis of an edited document by moving its previous findings with the text,
   * when the edit cannot change them; false when the document must be analysed again.
   */
  private moveAnalysis(
    document: TextDocument,
    record: OpenDocumentRecord,
    pending: { fromVersion: number; oldText: string; shift: TextShift },
  ): boolean {
    const uri = document.uri;
    const previous = record.analysis;
    if (!previous || !record.movable || previous.version !== pending.fromVersion) return false;
    let moved: DocumentAnalysis | undefined;
    try {
      moved = analysisAcrossEdit(previous, pending.oldText, pending.shift, document.getText(), document.version);
    } catch (error) {
      this.logger.error(
        `Moving the findings of ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
    if (!moved) {
      record.movable = false;
      delete previous.editTrace;
      return false;
    }
    record.analysis = moved;
    this.publisher.setEntry(uri, moved.contributions, this.pull ? undefined : fileKey(moved.file));
    return true;
  }

  /**
   * Whether a document is linted at all: templates, parameter files and Bicep files (by name and,
   * for JSON, the `$schema` in the first 4 KB: `detectDocumentKind`), and the configuration and
   * catalog files, whose problems are shown in them. A cheap look at the text, before any other work.
   */
  private isLinted(document: TextDocument): boolean {
    const file = fileOfUri(document.uri);
    return (
      this.service.isConfigurationFile(file) ||
      detectDocumentKind(file, document.getText().slice(0, schemaSniffLength)) !== 'other'
    );
  }

  /** The document's analysis is made again before it is used next (a file a fix edits changed on disk). */
  private invalidate(uri: string): void {
    const record = this.recordOf(uri);
    if (record) record.invalid = true;
  }

  /** Whether the record's analysis is of the document's version and nothing asked for another since. */
  private isCurrent(record: OpenDocumentRecord, version: number): boolean {
    return record.analysis?.version === version && !record.invalid && !record.scheduled;
  }

  /**
   * The analysis of the document's current version: the one published, the one running for
   * that version (waited for, not started again), or one made now.
   */
  private async currentAnalysis(uri: string): Promise<DocumentAnalysis | undefined> {
    const document = this.documents.get(uri);
    const record = this.recordOf(uri);
    if (!document || !record) return undefined;
    if (this.isCurrent(record, document.version)) return record.analysis;
    return (await this.analysisOfVersion(uri, record, document.version)) ?? record.analysis;
  }

  /** Waits for the running analysis when it is of `version` and nothing else was asked since; else analyses now. */
  private analysisOfVersion(uri: string, record: OpenDocumentRecord, version: number): Promise<DocumentAnalysis | undefined> {
    if (record.running?.version === version && !record.scheduled && !record.invalid) return record.running.done;
    this.cancelTimer(record);
    return this.validate(uri);
  }

  /**
   * Answers a hover or completion from the latest analysis of the document's current version
   * (`imageAnswers.ts`): on this thread from its read, or on the worker that made it. When that
   * version's analysis is scheduled or running, it waits for it (or makes it now), and never
   * answers from the read of another version, whose offsets an edit has moved. Undefined when
   * no analysis read this version (the document is not analysed, or changed meanwhile): then the
   * caller reads the current text itself.
   */
  private async answerFromAnalysis(
    uri: string,
    position: Position,
    kind: ImageQuestion['kind'],
    token: CancellationToken,
  ): Promise<{ answer: ImageAnswer; document: TextDocument; judged: { catalog: Catalog; asOf: string } } | undefined> {
    let analysed: number | undefined;
    for (;;) {
      const document = this.documents.get(uri);
      const record = this.recordOf(uri);
      if (!document || !record || token.isCancellationRequested) return undefined;
      // The document is analysed again at this version (a file it reads changed): the new
      // analysis' read answers, not the one it replaces; the worker may not have begun it yet.
      if (record.running?.version === document.version && !record.scheduled && !record.invalid) {
        await record.running.done.catch(() => undefined);
        continue;
      }
      const read = record.read;
      const current = this.isCurrent(record, document.version);
      // The analysis of this version read nothing (the document is disabled, too large, or failed).
      if (current && !read) return undefined;
      if (read && read.version === document.version && current) {
        const question: ImageQuestion = { kind, version: read.version, offset: document.offsetAt(position) };
        if ('here' in read) {
          const answer = answerFromRead(read.here, question);
          return answer && { answer, document, judged: read.here };
        }
        const kept = read.answers.find(
          (answer) => answer.kind === kind && answer.span.from <= question.offset && question.offset < answer.span.to,
        );
        if (kept) return { answer: kept, document, judged: read };
        const answer = await this.service.askWorker(uri, question);
        // The worker answers later: an edit may have come in since, and the answer's offsets are the old text's.
        if (!answer || this.documents.get(uri)?.version !== read.version) return undefined;
        if (read.answers.push(answer) > maximumKeptAnswers) read.answers.shift();
        return { answer, document, judged: read };
      }
      // One analysis per version asked: a version it did not read (the document changed while it
      // ran) is answered from the text.
      if (analysed === document.version) return undefined;
      analysed = document.version;
      await this.analysisOfVersion(uri, record, document.version);
    }
  }

  private dependentsOf(key: string, except: string | undefined): string[] {
    const result: string[] = [];
    for (const [uri, record] of this.records) {
      if (uri !== except && record.analysis?.dependencies.has(key)) result.push(uri);
    }
    return result;
  }

  private openDocumentOf(key: string): TextDocument | undefined {
    const uri = this.uris.openUri(key);
    return uri === undefined ? undefined : this.documents.get(uri);
  }

  // Settings --------------------------------------------------------------------------------

  settingsFor(uri: string): Promise<ServerSettings> {
    if (!this.configurationRequests) return Promise.resolve(this.globalSettings);
    let settings = this.settingsCache.get(uri);
    if (!settings) {
      settings = this.connection.workspace
        .getConfiguration([
          { scopeUri: uri, section: 'azureImageLint' },
          { scopeUri: uri, section: 'azureResourceManagerTools.parameterFiles' },
        ])
        .then(
          ([section, armParameterFiles]: unknown[]) =>
            section === null || section === undefined ? this.globalSettings : readSettings(section, armParameterFiles),
          () => this.globalSettings,
        );
      this.settingsCache.set(uri, settings);
    }
    return settings;
  }

  /**
   * The folders files may be read from: the workspace folders; without any (a file opened on its
   * own), the folders of the open documents.
   */
  private accessRoots(): string[] {
    if (this.workspaceFolders.length > 0) return this.workspaceFolders;
    const folders = new Set<string>();
    for (const document of this.documents.all()) {
      const file = fileOfUri(document.uri);
      if (isDiskFile(file)) folders.add(path.dirname(file));
    }
    return [...folders];
  }

  private folderOf(uri: string): string | undefined {
    const file = fileOfUri(uri);
    const key = fileKey(file);
    let best: string | undefined;
    for (const folder of this.workspaceFolders) {
      const folderKey = fileKey(folder);
      if ((key === folderKey || key.startsWith(`${folderKey}/`)) && (!best || folder.length > best.length)) best = folder;
    }
    return best;
  }

  // Requests --------------------------------------------------------------------------------

  async pullDiagnostics(params: DocumentDiagnosticParams): Promise<DocumentDiagnosticReport> {
    const uri = params.textDocument.uri;
    await this.currentAnalysis(uri);
    return this.publisher.pullReport(fileKey(fileOfUri(uri)), params.previousResultId);
  }

  /** The context of an open document, or undefined when it is not to be looked at. */
  private async editorContext(uri: string): Promise<{ document: TextDocument; context: AnalysisContext } | undefined> {
    const document = this.documents.get(uri);
    if (!document || !this.isLinted(document)) return undefined;
    const context = await this.service.contextFor(uri);
    if (!context.settings.enable || Buffer.byteLength(document.getText(), 'utf8') > context.settings.maxFileSize)
      return undefined;
    return { document, context };
  }

  async hover(params: HoverParams, token: CancellationToken): Promise<Hover | null> {
    const uri = params.textDocument.uri;
    const opened = this.documents.get(uri);
    if (!opened || !this.isLinted(opened)) return null;
    const answered = await this.answerFromAnalysis(uri, params.position, 'hover', token);
    if (token.isCancellationRequested) return null;
    let result: HoverResult | undefined;
    let document: TextDocument;
    if (answered?.answer.kind === 'hover')
      ({
        answer: { hover: result },
        document,
      } = answered);
    else {
      // No analysis read this version: the text is read here, as an analysis would read it.
      const found = await this.editorContext(uri);
      if (!found || token.isCancellationRequested) return null;
      const { context } = found;
      document = found.document;
      result = hoverAt(fileOfUri(uri), document.getText(), document.offsetAt(params.position), context.host, {
        catalog: context.catalog,
        asOf: context.asOf,
        config: context.config,
        arm: { parameterFileMap: context.settings.armParameterFiles },
      });
    }
    if (!result) return null;
    return {
      contents: { kind: MarkupKind.Markdown, value: result.markdown },
      range: { start: document.positionAt(result.range.start), end: document.positionAt(result.range.end) },
    };
  }

  async completion(params: CompletionParams, token: CancellationToken): Promise<CompletionItem[]> {
    const uri = params.textDocument.uri;
    const opened = this.documents.get(uri);
    if (!opened || !this.isLinted(opened)) return [];
    // Away from any value there is nothing to propose, whatever an analysis would say.
    if (!completesAt(fileOfUri(uri), opened.getText(), opened.offsetAt(params.position))) return [];
    const answered = await this.answerFromAnalysis(uri, params.position, 'completion', token);
    if (token.isCancellationRequested) return [];
    let proposals: ImageCompletion[];
    let document: TextDocument;
    if (answered?.answer.kind === 'completion') {
      const { sites } = answered.answer;
      const { catalog, asOf } = answered.judged;
      document = answered.document;
      const query = completionQuery(fileOfUri(uri), document.getText(), document.offsetAt(params.position), () => sites);
      proposals = query ? completionsOfQuery(query, this.service.proposalsOf(catalog, asOf)) : [];
    } else {
      // No analysis read this version: the text is read here, as an analysis would read it.
      const found = await this.editorContext(uri);
      if (!found || token.isCancellationRequested) return [];
      const { context } = found;
      document = found.document;
      proposals = completionsAt(
        fileOfUri(uri),
        document.getText(),
        document.offsetAt(params.position),
        context.host,
        {
          catalog: context.catalog,
          asOf: context.asOf,
          config: context.config,
          arm: { parameterFileMap: context.settings.armParameterFiles },
        },
        this.service.proposalsOf(context.catalog, context.asOf),
      );
    }
    const list = this.latestProposals.list + 1;
    this.latestProposals = { list, proposals };
    return proposals.map((proposal, index) => completionItemOf(proposal, document, { list, index }));
  }

  /**
   * Adds its documentation to an item of the latest completion list. An item of an older list, or
   * whose data is not ours, is returned as it came: the editor shows it without documentation.
   */
  resolveCompletion(item: CompletionItem): CompletionItem {
    const proposal = proposalOf(item, this.latestProposals);
    if (proposal?.documentation) item.documentation = { kind: MarkupKind.Markdown, value: proposal.documentation };
    return item;
  }

  async codeActions(params: CodeActionParams, token: CancellationToken): Promise<CodeAction[]> {
    const uri = params.textDocument.uri;
    if (!this.documents.get(uri)) return [];
    const only = params.context.only;
    const texts = this.documentTexts();
    const actions: CodeAction[] = [];
    if (wantsKind(only, CodeActionKind.QuickFix)) {
      const diagnostics = params.context.diagnostics;
      // Diagnostics of an older version are matched against the analysis of the current one.
      let current: Diagnostic[] = [];
      if (diagnostics.some((diagnostic) => isStale(diagnostic, texts))) {
        // A file a fix edits changed on disk since: the document is analysed again on what it holds now.
        if (diagnostics.some((diagnostic) => editsChangedFile(diagnostic, texts))) this.invalidate(uri);
        await this.currentAnalysis(uri);
        if (token.isCancellationRequested) return [];
        current = this.publisher.merged(fileKey(fileOfUri(uri)));
      }
      actions.push(...quickFixes(uri, diagnostics, texts, current, await this.ignoreTarget(uri)));
    }
    if (wantsKind(only, fixAllKind)) {
      await this.currentAnalysis(uri);
      if (this.publisher.merged(fileKey(fileOfUri(uri))).some((diagnostic) => editsChangedFile(diagnostic, texts))) {
        this.invalidate(uri);
        await this.currentAnalysis(uri);
      }
      if (token.isCancellationRequested) return actions;
      const all = fixAll(this.publisher.merged(fileKey(fileOfUri(uri))), texts);
      if (all) actions.push(all);
    }
    return actions;
  }

  /** Where "Ignore … in azure-image-lint.json" writes for a document on disk. */
  private async ignoreTarget(uri: string): Promise<IgnoreTarget | undefined> {
    const file = fileOfUri(uri);
    if (!isDiskFile(file)) return undefined;
    const context = await this.service.contextFor(uri);
    return {
      configurationFile: context.configurationFile,
      newConfigurationFolder: this.folderOf(uri) ?? path.dirname(file),
      canCreateFiles: this.createFiles,
    };
  }

  private documentTexts(): DocumentTexts {
    const host = this.service.hostFor(this.globalSettings.maxFileSize);
    return {
      textOf: (file) => this.openDocumentOf(fileKey(file))?.getText() ?? host.readFile(file),
      versionOfUri: (uri) => this.documents.get(uri)?.version,
      uriOf: (file) => this.uris.uriOf(file),
      fileOf: (uri) => fileOfUri(uri),
      documentChanges: this.documentChanges,
      languageOf: (uri) => this.documents.get(uri)?.languageId,
    };
  }

  async executeCommand(params: ExecuteCommandParams, token: CancellationToken): Promise<unknown> {
    switch (params.command) {
      case scanWorkspaceCommand: {
        const scans = await this.scanWorkspace(params.workDoneToken, token);
        // A cancelled scan publishes nothing (the runner answers the request as cancelled).
        if (!scans) return null;
        const byFile = new Map<string, { uri: string; diagnostics: Diagnostic[] }>();
        for (const { result } of scans) {
          for (const [key, entry] of diagnosticsOfScan(result, (file) => this.uris.uriOf(file))) {
            const existing = byFile.get(key);
            if (existing) existing.diagnostics.push(...entry.diagnostics);
            else byFile.set(key, entry);
          }
        }
        if (!token.isCancellationRequested) this.publisher.setScan(byFile);
        return {
          files: scans.reduce((total, scan) => total + scan.result.files.length, 0),
          findings: scans.reduce((total, scan) => total + scan.result.findings.length, 0),
          problems: scans.reduce((total, scan) => total + scan.result.problems.length, 0),
        };
      }
      case inventoryCommand: {
        const scans = await this.scanWorkspace(params.workDoneToken, token);
        return scans ? inventoryMarkdown(scans) : null;
      }
      default:
        this.logger.warn(`Unknown command '${params.command}'.`);
        return null;
    }
  }

  /**
   * Scans every workspace folder from disk, in slices that let other requests in (hovers keep
   * being answered), and stops when the request or its progress is cancelled: then it gives
   * undefined and publishes nothing.
   */
  private async scanWorkspace(
    workDoneToken: string | number | undefined,
    token: CancellationToken,
  ): Promise<{ folder: string; result: ScanResult; catalog: Catalog }[] | undefined> {
    let progress: WorkDoneProgressReporter | undefined;
    let progressToken: CancellationToken | undefined;
    if (workDoneToken !== undefined) progress = this.connection.window.attachWorkDoneProgress(workDoneToken);
    else if (this.workDoneProgress) {
      const created = await this.connection.window.createWorkDoneProgress().catch(() => undefined);
      progress = created;
      progressToken = created?.token;
    }
    const isCancelled = () => token.isCancellationRequested || progressToken?.isCancellationRequested === true;
    progress?.begin('Azure Image Lint: scanning the workspace', 0, undefined, true);
    const scans: { folder: string; result: ScanResult; catalog: Catalog }[] = [];
    const folders = this.workspaceFolders;
    let analysed = 0;
    try {
      for (const [index, folder] of folders.entries()) {
        if (isCancelled()) return undefined;
        const where = `${path.basename(folder)} (${index + 1}/${folders.length})`;
        progress?.report(Math.round((index * 100) / folders.length), where);
        const settings = await this.settingsFor(this.uris.uriOf(folder));
        if (!settings.enable) continue;
        const base = configFromSettings(settings, folder).config;
        const result = await scanFolder(
          folder,
          {
            today: formatDay(new Date()),
            baseConfig: base,
            maximumFileSize: settings.maxFileSize,
            roots: [...folders],
            armParameterFileMap: settings.armParameterFiles,
          },
          {
            isCancelled,
            report: (done, found) =>
              progress?.report(
                Math.round(((index + done / Math.max(found, 1)) * 100) / folders.length),
                `${where}: ${done} of ${found} file(s)`,
              ),
          },
        );
        if (!result) {
          this.logger.info(`Workspace scan cancelled after ${analysed} file(s).`);
          return undefined;
        }
        analysed += result.files.length;
        for (const problem of result.problems) if (!problem.range) this.logger.warn(problem.message);
        const resolver = new ConfigResolver(undefined, base, undefined, FileAccessPolicy.within(folders));
        const catalog = resolver.catalogFor(resolver.configFor(path.join(folder, 'template.json')).config).catalog;
        scans.push({ folder, result, catalog });
      }
    } finally {
      progress?.done();
    }
    return scans;
  }
}

/** Which proposal of which completion list an item is: the item's `data`, for its resolution. */
interface ProposalKey {
  list: number;
  index: number;
}

function completionItemOf(proposal: ImageCompletion, document: TextDocument, key: ProposalKey): CompletionItem {
  const range = { start: document.positionAt(proposal.range.start), end: document.positionAt(proposal.range.end) };
  const item: CompletionItem = {
    label: proposal.label,
    kind: completionKinds[proposal.kind],
    sortText: proposal.sortText,
    filterText: proposal.filterText,
    textEdit: { range, newText: proposal.insertText },
  };
  if (proposal.detail) item.detail = proposal.detail;
  if (proposal.documentation) item.data = key;
  if (proposal.deprecated) item.tags = [CompletionItemTag.Deprecated];
  return item;
}

/** The proposal an item resolved by the editor names, when it is one of `latest`'s. */
function proposalOf(
  item: CompletionItem,
  latest: { list: number; proposals: readonly ImageCompletion[] },
): ImageCompletion | undefined {
  const data: unknown = item.data;
  if (typeof data !== 'object' || data === null) return undefined;
  const { list, index } = data as Partial<Record<keyof ProposalKey, unknown>>;
  if (list !== latest.list || typeof index !== 'number' || !Number.isInteger(index)) return undefined;
  const proposal = latest.proposals[index];
  return proposal?.label === item.label ? proposal : undefined;
}
