/**
 * One analysis of one document as the editor needs it: runs the core on the document's text and
 * turns every finding and problem into diagnostics grouped by the file they belong to (a finding
 * can sit in a parameter file or a module). A plain function of its inputs, so that the server
 * runs it on its own thread for small documents and on the analysis worker for large ones.
 */
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { Catalog } from '../core/catalog/catalogTypes';
import { analyzeDocument } from '../core/analyze';
import { configFileName, type LintConfig, parseConfigText } from '../core/config/config';
import { formatDay } from '../core/catalog/lifecycle';
import type { FileHost, ImageSite, Problem } from '../core/model';
import { DocumentSession } from '../core/incremental/documentSession';
import { type EditTrace, moverAcrossEdit } from '../core/incremental/editReuse';
import type { TextMover, TextShift } from '../core/textShift';
import { LineIndex } from '../core/text';
import {
  configErrorCode,
  type ConversionContext,
  diagnosticOfFinding,
  diagnosticOfProblem,
  type FixData,
  internalErrorCode,
  isFindingData,
  notAnalysedDiagnostic,
  parseErrorCode,
  RangeConverter,
} from './diagnostics';
import { fileKey, fileOfUri, textHash } from './files';
import type { LatestRead } from './imageAnswers';
import type { ServerSettings } from './settings';

/** What an analysis needs besides the document: everything is plain data but the file host. */
export interface AnalysisInputs {
  settings: ServerSettings;
  config: LintConfig;
  catalog: Catalog;
  asOf: string;
  /** Reads other files: open documents first, then the disk. */
  host: FileHost;
  configurationProblems: Problem[];
  /** The configuration file and catalog file in use, if any. */
  configurationFiles: string[];
  /** What analyses of this document keep for the next one (one per open document, `DocumentSession`). */
  session?: DocumentSession;
}

/** What an analysis needs to know about open documents. */
export interface OpenDocuments {
  /** The version of an open document, by file name; undefined when it is not open. */
  versionOf(file: string): number | undefined;
  uriOf(file: string): string;
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
  /**
   * What tells which edits of the document cannot change this analysis (ARM templates only), with
   * the size limit it was made under (`azureImageLint.maxFileSize`, in UTF-8 bytes).
   */
  editTrace?: EditTrace & { maximumSize: number };
}

/** An analysis that found nothing (the document is disabled, or the analysis failed). */
export function emptyAnalysis(uri: string, version: number): DocumentAnalysis {
  return { uri, version, file: fileOfUri(uri), contributions: new Map(), dependencies: new Set() };
}

/**
/** The shortest text whose read is kept for hover and completion (`keepRead`). */
export const minimumKeptReadLength = 64 * 1024;

/**
 * The diagnostics of a document's text, by file: the core's analysis (`analyzeDocument`, through the
 * document's session when it has one) in the editor's terms. Synchronous, so every file read is
 * consistent. `keepRead` is given what the analysis read, when it read the document, for hover and
 * completion (`imageAnswers.ts`).
 */
export function diagnoseDocument(
  uri: string,
  version: number,
  text: string,
  inputs: AnalysisInputs,
  open: OpenDocuments,
  keepRead?: (read: LatestRead) => void,
): DocumentAnalysis {
  const file = fileOfUri(uri);
  const analysis = emptyAnalysis(uri, version);
  // Each file is read once per analysis: its findings, their ranges and the hash a fix carries
  // (`textHash`) all describe one text, even when the file changes on disk meanwhile.
  const texts = new Map<string, string | undefined>();
  const readOnce = (name: string): string | undefined => {
    if (name === file) return text;
    if (!texts.has(name)) texts.set(name, inputs.host.readFile(name));
    return texts.get(name);
  };
  const host: FileHost = {
    readFile: readOnce,
    listFolder: inputs.host.listFolder ? (folder) => inputs.host.listFolder!(folder) : undefined,
    refusalOf: inputs.host.refusalOf ? (name) => inputs.host.refusalOf!(name) : undefined,
  };
  const hashes = new Map<string, string | undefined>();
  const conversion: ConversionContext = {
    ranges: new RangeConverter(readOnce, (name, content) =>
      name === file && inputs.session ? inputs.session.lineIndexOf(content) : new LineIndex(content),
    ),
    uriOf: (name) => (name === file ? uri : open.uriOf(name)),
    versionOf: (name) => (name === file ? version : open.versionOf(name)),
    hashOf: (name) => {
      if (!hashes.has(name)) {
        const content = readOnce(name);
        hashes.set(name, content === undefined ? undefined : textHash(content));
      }
      return hashes.get(name);
    },
  };
  const add = (name: string, diagnostics: Diagnostic[]) => {
    const key = fileKey(name);
    let contribution = analysis.contributions.get(key);
    if (!contribution) {
      contribution = { uri: conversion.uriOf(name), diagnostics: [], version: conversion.versionOf(name) };
      analysis.contributions.set(key, contribution);
    }
    for (const diagnostic of diagnostics) contribution.diagnostics.push(diagnostic);
    if (name !== file) analysis.dependencies.add(key);
  };
  add(file, []);
  if (!inputs.settings.enable) return analysis;
  for (const name of inputs.configurationFiles) analysis.dependencies.add(fileKey(name));
  const size = Buffer.byteLength(text, 'utf8');
  if (size > inputs.settings.maxFileSize) {
    add(file, [notAnalysedDiagnostic(size, inputs.settings.maxFileSize)]);
    return analysis;
  }
  if (path.basename(file).toLowerCase() === configFileName) {
    for (const problem of parseConfigText(text, file).problems)
      add(file, [diagnosticOfProblem(problem, configErrorCode, conversion)]);
  }
  for (const problem of inputs.configurationProblems)
    add(problem.file, [diagnosticOfProblem(problem, configErrorCode, conversion)]);
  const settings = {
    catalog: inputs.catalog,
    config: inputs.config,
    asOf: inputs.asOf,
    arm: { parameterFileMap: inputs.settings.armParameterFiles },
  };
  const result = inputs.session
    ? inputs.session.analyze(file, text, host, settings)
    : analyzeDocument(file, text, host, settings);
  if (result.kind === 'other') return analysis;
  // A small document is read again for a question in well under a millisecond: keeping its read
  // for every open document cost 30 MB with 200 of them open. A large one keeps its read.
  if (keepRead && text.length >= minimumKeptReadLength) {
    // The sites are taken from the result only when a question needs them: after typing in one
    // image of a large template, moving every other site costs more than the analysis did.
    let sites: readonly ImageSite[] | undefined;
    keepRead({ version, file, text, sites: () => (sites ??= result.sites), catalog: inputs.catalog, asOf: inputs.asOf });
  }
  for (const dependency of result.dependencies) add(dependency, []);
  for (const finding of result.findings) add(finding.location.file, [diagnosticOfFinding(finding, conversion)]);
  for (const problem of result.problems)
    add(problem.file, [diagnosticOfProblem(problem, problem.internalError ? internalErrorCode : parseErrorCode, conversion)]);
  if (result.entryTrace)
    analysis.editTrace = {
      trace: result.entryTrace,
      analysedOn: formatDay(new Date()),
      maximumSize: inputs.settings.maxFileSize,
    };
  return analysis;
}

/**
 * The analysis of `newText` (the analysed text with `shift`, an editor's edit that knows its
 * lines, applied) at `newVersion`, made by moving the previous one with the text when the core
 * says the edit cannot change it (`moverAcrossEdit`: an edit inside an object nobody read, or
 * white space between entries); undefined when the document must be analysed again. Every
 * diagnostic, related location and fix edit that points into the document moves; nothing else
 * changes. On success the previous analysis's trace describes `newText` and belongs to the result.
 */
export function analysisAcrossEdit(
  previous: DocumentAnalysis,
  oldText: string,
  shift: TextShift,
  newText: string,
  newVersion: number,
  today = formatDay(new Date()),
): DocumentAnalysis | undefined {
  const editTrace = previous.editTrace;
  if (!editTrace) return undefined;
  // A text grown past the size limit is not analysed (`diagnoseDocument`); UTF-8 takes at most three bytes a character.
  if (newText.length * 3 > editTrace.maximumSize && Buffer.byteLength(newText, 'utf8') > editTrace.maximumSize) return undefined;
  const mover = moverAcrossEdit(previous.file, editTrace, oldText, shift, newText, today);
  if (!mover) return undefined;
  const contributions = new Map<string, Contribution>();
  for (const [key, contribution] of previous.contributions) {
    const inDocument = contribution.uri === previous.uri;
    contributions.set(key, {
      uri: contribution.uri,
      version: inDocument ? newVersion : contribution.version,
      diagnostics: contribution.diagnostics.map((diagnostic) =>
        movedDiagnostic(diagnostic, inDocument, previous, mover, newVersion),
      ),
    });
  }
  return { ...previous, version: newVersion, contributions };
}

/** A diagnostic in the editor's terms moved as the core's mover says. */
function movedDiagnostic(
  diagnostic: Diagnostic,
  inDocument: boolean,
  previous: DocumentAnalysis,
  mover: TextMover,
  newVersion: number,
): Diagnostic {
  const moved: Diagnostic = { ...diagnostic };
  if (inDocument) moved.range = mover.lineRange(diagnostic.range);
  if (diagnostic.relatedInformation) {
    moved.relatedInformation = diagnostic.relatedInformation.map((related) =>
      related.location.uri === previous.uri
        ? { ...related, location: { uri: related.location.uri, range: mover.lineRange(related.location.range) } }
        : related,
    );
  }
  if (isFindingData(diagnostic.data)) {
    const data = diagnostic.data;
    const fixes: FixData[] = data.fixes.map((fix) => ({
      ...fix,
      edits: fix.edits.map((fixEdit) => (fixEdit.file === previous.file ? mover.range(fixEdit) : fixEdit)),
    }));
    const versions = { ...data.versions };
    if (previous.uri in versions) versions[previous.uri] = newVersion;
    moved.data = { ...data, fixes, versions };
  }
  return moved;
}
