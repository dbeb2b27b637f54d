/**
 * Analyses one open document the way the editor needs it: finds the configuration and catalog
 * that apply (settings, then the nearest `azure-image-lint.json`), runs the core, and turns every
 * finding and problem into diagnostics grouped by the file they belong to (a finding can sit in
 * a parameter file or a module). Open documents win over the disk for every file the core reads.
 */
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver/node';
import { type AnalysisResult, analyzeDocument } from '../core/analyze';
import type { Catalog } from '../core/catalog/catalogTypes';
import { formatDay } from '../core/catalog/lifecycle';
import { configFileName, type LintConfig, mergeConfigs, parseConfigText } from '../core/config/config';
import type { Problem } from '../core/model';
import { ConfigResolver } from '../node/configResolver';
import { NodeFileHost, readTextFile, type ReadOutcome } from '../node/nodeFileHost';
import {
  configErrorCode,
  type ConversionContext,
  diagnosticOfFinding,
  diagnosticOfProblem,
  notAnalysedDiagnostic,
  parseErrorCode,
  RangeConverter,
} from './diagnostics';
import { fileKey, fileOfUri, isDiskFile } from './files';
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
}

/** Everything an analysis of one document depends on besides its text. */
export interface AnalysisContext {
  settings: ServerSettings;
  config: LintConfig;
  catalog: Catalog;
  asOf: string;
  host: NodeFileHost;
  configurationProblems: Problem[];
  /** The configuration file and catalog file in use, if any. */
  configurationFiles: string[];
}

/** The diagnostics one analysis gives one file, and the version of that file it saw. */
export interface Contribution {
  uri: string;
  diagnostics: Diagnostic[];
  /** The version of the file when it was open during the analysis; undefined for disk files. */
  version: number | undefined;
}

export interface DocumentAnalysis {
  uri: string;
  version: number;
  file: string;
  /** By file key: what this analysis says about each file it covers (the entry itself included). */
  contributions: Map<string, Contribution>;
  /** Keys of every other file the result depends on. */
  dependencies: Set<string>;
  result?: AnalysisResult;
}

export class AnalysisService {
  private readonly resolvers = new Map<string, ConfigResolver>();
  private readonly hosts = new Map<number, NodeFileHost>();
  private readonly reportedSettingsProblems = new Set<string>();
  /** Keys of every configuration and catalog file in use, to recognise their changes. */
  readonly configurationFileKeys = new Set<string>();

  constructor(
    private readonly workspace: WorkspaceAccess,
    private readonly logger: Logger,
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
      host = new NodeFileHost(maximumSize, (file) => this.workspace.openDocument(file)?.text);
      this.hosts.set(maximumSize, host);
    }
    return host;
  }

  /** Forgets what was read from disk: one file that changed, or everything. */
  forgetFile(file?: string): void {
    for (const host of this.hosts.values()) host.forget(file);
  }

  /** Forgets every configuration and catalog file read (one of them changed). */
  resetConfiguration(): void {
    this.resolvers.clear();
    this.configurationFileKeys.clear();
  }

  isConfigurationFile(file: string): boolean {
    return path.basename(file).toLowerCase() === configFileName || this.configurationFileKeys.has(fileKey(file));
  }

  async contextFor(uri: string): Promise<AnalysisContext> {
    const settings = await this.workspace.settingsFor(uri);
    const file = fileOfUri(uri);
    const disk = isDiskFile(file);
    const folder = this.workspace.folderOf(uri) ?? (disk ? path.dirname(file) : undefined);
    const base = configFromSettings(settings, folder);
    for (const problem of base.problems) {
      if (this.reportedSettingsProblems.has(problem.message)) continue;
      this.reportedSettingsProblems.add(problem.message);
      this.logger.warn(`azureImageLint settings: ${problem.message}`);
    }
    const resolverKey = JSON.stringify(base.config);
    let resolver = this.resolvers.get(resolverKey);
    if (!resolver) {
      resolver = new ConfigResolver(undefined, base.config, this.readConfigurationText);
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
    };
  }

  /** Analyses a document's text as it is now; synchronous, so every file read is consistent. */
  analyse(uri: string, version: number, text: string, context: AnalysisContext): DocumentAnalysis {
    const file = fileOfUri(uri);
    const analysis: DocumentAnalysis = { uri, version, file, contributions: new Map(), dependencies: new Set() };
    const conversion: ConversionContext = {
      ranges: new RangeConverter((name) => (name === file ? text : context.host.readFile(name))),
      uriOf: (name) => (name === file ? uri : this.workspace.uriOf(name)),
      versionOf: (name) => (name === file ? version : this.workspace.openDocument(name)?.version),
    };
    const add = (name: string, diagnostics: Diagnostic[]) => {
      const key = fileKey(name);
      let contribution = analysis.contributions.get(key);
      if (!contribution) {
        contribution = { uri: conversion.uriOf(name), diagnostics: [], version: conversion.versionOf(name) };
        analysis.contributions.set(key, contribution);
      }
      contribution.diagnostics.push(...diagnostics);
      if (name !== file) analysis.dependencies.add(key);
    };
    add(file, []);
    if (!context.settings.enable) return analysis;
    for (const name of context.configurationFiles) analysis.dependencies.add(fileKey(name));
    const size = Buffer.byteLength(text, 'utf8');
    if (size > context.settings.maxFileSize) {
      add(file, [notAnalysedDiagnostic(size, context.settings.maxFileSize)]);
      return analysis;
    }
    if (path.basename(file).toLowerCase() === configFileName) {
      for (const problem of parseConfigText(text, file).problems)
        add(file, [diagnosticOfProblem(problem, configErrorCode, conversion)]);
    }
    for (const problem of context.configurationProblems)
      add(problem.file, [diagnosticOfProblem(problem, configErrorCode, conversion)]);
    const result = analyzeDocument(file, text, context.host, {
      catalog: context.catalog,
      config: context.config,
      asOf: context.asOf,
    });
    analysis.result = result;
    if (result.kind === 'other') return analysis;
    for (const dependency of result.dependencies) add(dependency, []);
    for (const finding of result.findings) add(finding.location.file, [diagnosticOfFinding(finding, conversion)]);
    for (const problem of result.problems) add(problem.file, [diagnosticOfProblem(problem, parseErrorCode, conversion)]);
    return analysis;
  }
}
