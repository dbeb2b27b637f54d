/**
 * Prepares and dispatches the analysis of an open document: finds the configuration and catalog
 * that apply (settings, then the nearest `azure-image-lint.json`), builds the file host in which
 * open documents win over the disk, and runs `documentAnalysis` (the plain function that turns the
 * core's findings into diagnostics) on this thread, or on the worker for large documents.
 */
import * as path from 'node:path';
import type { Catalog } from '../core/catalog/catalogTypes';
import { formatDay } from '../core/catalog/lifecycle';
import { ImageProposals } from '../core/completion';
import { configFileName, mergeConfigs } from '../core/config/config';
import { ConfigResolver } from '../node/configResolver';
import { FileAccessPolicy } from '../node/fileAccess';
import { NodeFileHost, readTextFile, type ReadOutcome } from '../node/nodeFileHost';
import type { AnalysisWorkerClient } from './analysisWorkerClient';
import { DocumentSession } from '../core/incremental/documentSession';
import { type AnalysisInputs, diagnoseDocument, type DocumentAnalysis } from './documentAnalysis';
import { fileKey, fileOfUri, isDiskFile } from './files';
import type { ImageAnswer, ImageQuestion, LatestRead } from './imageAnswers';
import type { Logger } from './runner';
import { configFromSettings, type ServerSettings } from './settings';

/** What the service needs from the workspace: settings, folders and open documents. */
export interface WorkspaceAccess {
  settingsFor(uri: string): Promise<ServerSettings>;
  /** The workspace folder (a path) holding a document, if any. */
  folderOf(uri: string): string | undefined;
  /** The text and version of an open document, by file name. */
  openDocument(file: string): { text: string; version: number } | undefined;
  uriOf(file: string): string;
  /** The folders files may be read from: the workspace folders (`node/fileAccess.ts`). */
  roots(): readonly string[];
}

/** Everything an analysis of one document depends on besides its text. */
export interface AnalysisContext extends AnalysisInputs {
  host: NodeFileHost;
  /** The roots of the file-access policy when the context was made (for the worker's host). */
  roots: string[];
  /** The azure-image-lint.json that applies to the document, if any. */
  configurationFile?: string;
}

/** The configuration layer of some settings, and the key of its configuration resolver. */
type SettingsConfig = ReturnType<typeof configFromSettings> & { resolverKey: string };

export class AnalysisService {
  private readonly resolvers = new Map<string, ConfigResolver>();
  private readonly hosts = new Map<number, NodeFileHost>();
  private readonly reportedSettingsProblems = new Set<string>();
  /**
   * The configuration each settings object makes, by folder. Settings objects are replaced, not
   * changed, when the client's settings change, so this is asked once per document and change
   * instead of on every keystroke.
   */
  private readonly settingsConfigs = new WeakMap<ServerSettings, Map<string, SettingsConfig>>();
  /** Per open document: what its last analysis on this thread keeps for the next. */
  private readonly sessions = new Map<string, DocumentSession>();
  /**
   * The completion proposals of each catalog in use, as of the day they were made for: the same
   * for every document, so made once per catalog and day (a catalog no configuration uses any
   * more is dropped with it).
   */
  private readonly proposals = new WeakMap<Catalog, ImageProposals>();
  /** Keys of every configuration and catalog file in use, to recognise their changes. */
  readonly configurationFileKeys = new Set<string>();
  /** What every file read on this thread goes through: the workspace folders, asked at each read. */
  private readonly access = new FileAccessPolicy(() => this.workspace.roots());

  constructor(
    private readonly workspace: WorkspaceAccess,
    private readonly logger: Logger,
    /** Where large documents are analysed; without it, every analysis runs on this thread. */
    private readonly worker?: AnalysisWorkerClient,
  ) {}

  /** Reads a file for the configuration resolver: the open buffer first, then the disk. */
  private readonly readConfigurationText = (file: string, maximumSize: number): ReadOutcome => {
    const open = this.workspace.openDocument(file);
    if (open) {
      return open.text.length > maximumSize
        ? { error: `${file}: the file is larger than ${maximumSize} bytes and was ignored.` }
        : { text: open.text };
    }
    return readTextFile(file, maximumSize);
  };

  hostFor(maximumSize: number): NodeFileHost {
    let host = this.hosts.get(maximumSize);
    if (!host) {
      host = new NodeFileHost(maximumSize, (file) => this.workspace.openDocument(file)?.text, this.access);
      this.hosts.set(maximumSize, host);
    }
    return host;
  }

  /** Forgets what was read from disk: one file that changed, or everything. */
  forgetFile(file?: string): void {
    for (const host of this.hosts.values()) host.forget(file);
    this.worker?.forgetFile(file);
  }

  /** Forgets every configuration and catalog file read (one of them changed). */
  resetConfiguration(): void {
    this.resolvers.clear();
    this.configurationFileKeys.clear();
    this.worker?.forgetCatalogs();
  }

  isConfigurationFile(file: string): boolean {
    return path.basename(file).toLowerCase() === configFileName || this.configurationFileKeys.has(fileKey(file));
  }

  async contextFor(uri: string): Promise<AnalysisContext> {
    const settings = await this.workspace.settingsFor(uri);
    const file = fileOfUri(uri);
    const disk = isDiskFile(file);
    const folder = this.workspace.folderOf(uri) ?? (disk ? path.dirname(file) : undefined);
    let byFolder = this.settingsConfigs.get(settings);
    if (!byFolder) this.settingsConfigs.set(settings, (byFolder = new Map()));
    let base = byFolder.get(folder ?? '');
    if (!base) {
      const made = configFromSettings(settings, folder);
      byFolder.set(folder ?? '', (base = { ...made, resolverKey: JSON.stringify(made.config) }));
    }
    for (const problem of base.problems) {
      if (this.reportedSettingsProblems.has(problem.message)) continue;
      this.reportedSettingsProblems.add(problem.message);
      this.logger.warn(`azureImageLint settings: ${problem.message}`);
    }
    const resolverKey = base.resolverKey;
    let resolver = this.resolvers.get(resolverKey);
    if (!resolver) {
      resolver = new ConfigResolver(undefined, base.config, this.readConfigurationText, this.access);
      this.resolvers.set(resolverKey, resolver);
    }
    const loaded = disk ? resolver.configFor(file) : { config: mergeConfigs(base.config), problems: [], file: undefined };
    const catalog = resolver.catalogFor(loaded.config);
    const configurationFiles: string[] = [];
    if (loaded.file) configurationFiles.push(loaded.file);
    if (loaded.config.catalog) configurationFiles.push(path.resolve(loaded.config.baseFolder ?? '.', loaded.config.catalog));
    for (const name of configurationFiles) this.configurationFileKeys.add(fileKey(name));
    return {
      settings,
      config: loaded.config,
      catalog: catalog.catalog,
      asOf: loaded.config.asOf ?? formatDay(new Date()),
      host: this.hostFor(settings.maxFileSize),
      configurationProblems: [...loaded.problems, ...catalog.problems],
      configurationFiles,
      roots: [...this.workspace.roots()],
      configurationFile: loaded.file,
    };
  }

  /** The completion proposals of a catalog as of a day (`ImageProposals`). */
  proposalsOf(catalog: Catalog, asOf: string): ImageProposals {
    let proposals = this.proposals.get(catalog);
    if (proposals?.asOf !== asOf) this.proposals.set(catalog, (proposals = new ImageProposals(catalog, asOf)));
    return proposals;
  }

  /** Forgets what was kept for a document that was closed. */
  forgetDocument(uri: string): void {
    this.sessions.delete(uri);
  }

  /** Analyses a document's text as it is now, on this thread; `keepRead` as `diagnoseDocument` says. */
  analyse(
    uri: string,
    version: number,
    text: string,
    context: AnalysisContext,
    keepRead?: (read: LatestRead) => void,
  ): DocumentAnalysis {
    let session = this.sessions.get(uri);
    if (!session) this.sessions.set(uri, (session = new DocumentSession()));
    return diagnoseDocument(
      uri,
      version,
      text,
      { ...context, session },
      {
        versionOf: (file) => this.workspace.openDocument(file)?.version,
        uriOf: (file) => this.workspace.uriOf(file),
      },
      keepRead,
    );
  }

  /** True when documents this long are analysed on the worker. */
  analysesInWorker(length: number, threshold: number): boolean {
    return this.worker !== undefined && length >= threshold;
  }

  /**
   * Analyses an open document on the worker, at the version it has when the job starts;
   * undefined when a newer request for the document replaced this one first.
   */
  analyseInWorker(uri: string, context: AnalysisContext): Promise<DocumentAnalysis | undefined> {
    if (!this.worker) return Promise.resolve(undefined);
    const { host: _host, ...inputs } = context;
    return this.worker.analyse(uri, inputs);
  }

  /**
   * Asks the worker a question about a document it analysed, answered from its latest read of it;
   * undefined when that read is of another version, or the worker has none (it started again).
   */
  askWorker(uri: string, question: ImageQuestion): Promise<ImageAnswer | undefined> {
    return this.worker ? this.worker.ask(uri, question) : Promise.resolve(undefined);
  }
}
