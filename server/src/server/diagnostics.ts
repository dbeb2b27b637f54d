/**
 * Turns what the core reports (findings, reader problems, configuration problems) into LSP
 * diagnostics. Every finding carries its rule code, a link to the rule's page and, in `data`,
 * everything a code action needs (the fixes as offset edits, and the versions of the open
 * documents those offsets belong to), so that code actions never read the message text.
 */
import { type Diagnostic, DiagnosticSeverity, type Range } from 'vscode-languageserver-types';
import type { Finding, OffsetRange, Problem, Severity } from '../core/model';
import { LineIndex } from '../core/text';
import { ruleDocumentationLink } from '../node/ruleDocumentation';

export const diagnosticSource = 'azure-image-lint';
export const parseErrorCode = 'parse-error';
export const configErrorCode = 'config-error';
export const notAnalysedCode = 'file-too-large';
export const analysisStoppedCode = 'analysis-stopped';
/** A rule that threw on an image (`Problem.internalError`): a bug of ours, not of the template. */
export const internalErrorCode = 'internal-error';

/** An edit of a fix, in offsets of the named file as it was analysed. */
export interface OffsetEditData {
  file: string;
  start: number;
  end: number;
  newText: string;
}

export interface FixData {
  title: string;
  isPreferred: boolean;
  edits: OffsetEditData[];
}

/** What a diagnostic of a rule carries for code actions. */
export interface FindingData {
  code: string;
  /** The file the diagnostic is in. */
  file: string;
  fixes: FixData[];
  /** The versions of the open documents the offsets refer to, by URI. */
  versions: Record<string, number>;
  /**
   * For the files the fixes edit that were not open: the hash (`textHash`) of the text the
   * offsets refer to, by URI. A fix is offered only while the file still holds that text.
   */
  hashes?: Record<string, string>;
  /** The image as a `publisher:offer:sku` pattern (`*` for a part not known), for an `ignore` entry. */
  image?: string;
}

export function isFindingData(value: unknown): value is FindingData {
  if (!value || typeof value !== 'object') return false;
  const data = value as Partial<FindingData>;
  return (
    typeof data.code === 'string' &&
    typeof data.file === 'string' &&
    Array.isArray(data.fixes) &&
    typeof data.versions === 'object'
  );
}

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Converts offsets of named files to LSP ranges, building each file's line index once. */
export class RangeConverter {
  private readonly indexes = new Map<string, LineIndex | undefined>();

  constructor(
    private readonly readText: (file: string) => string | undefined,
    private readonly indexOf: (file: string, text: string) => LineIndex = (_file, text) => new LineIndex(text),
  ) {}

  range(file: string, range: OffsetRange | undefined): Range {
    if (!this.indexes.has(file)) {
      const text = this.readText(file);
      this.indexes.set(file, text === undefined ? undefined : this.indexOf(file, text));
    }
    const index = this.indexes.get(file);
    if (!index || !range) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return { start: index.positionAt(range.start), end: index.positionAt(range.end) };
  }
}

export interface ConversionContext {
  ranges: RangeConverter;
  uriOf(file: string): string;
  /** The version of an open document, by file name; undefined for files on disk. */
  versionOf(file: string): number | undefined;
  /** The hash of the text a file on disk had in this analysis (`textHash`), if it was read. */
  hashOf?(file: string): string | undefined;
}

export function diagnosticOfFinding(finding: Finding, context: ConversionContext): Diagnostic {
  const versions: Record<string, number> = {};
  let hashes: Record<string, string> | undefined;
  const note = (file: string, edited: boolean) => {
    const version = context.versionOf(file);
    if (version !== undefined) versions[context.uriOf(file)] = version;
    else if (edited) {
      const hash = context.hashOf?.(file);
      if (hash !== undefined) (hashes ??= {})[context.uriOf(file)] = hash;
    }
  };
  note(finding.location.file, false);
  const fixes: FixData[] = finding.fixes.map((fix) => ({
    title: fix.title,
    isPreferred: fix.isPreferred,
    edits: fix.edits.map((edit) => {
      note(edit.file, true);
      return { file: edit.file, start: edit.range.start, end: edit.range.end, newText: edit.newText };
    }),
  }));
  const data: FindingData = { code: finding.code, file: finding.location.file, fixes, versions };
  if (hashes) data.hashes = hashes;
  const { publisher, offer, sku } = finding.image;
  if (publisher !== undefined || offer !== undefined || sku !== undefined)
    data.image = `${publisher ?? '*'}:${offer ?? '*'}:${sku ?? '*'}`;
  const diagnostic: Diagnostic = {
    range: context.ranges.range(finding.location.file, finding.location.range),
    severity: severities[finding.severity],
    code: finding.code,
    source: diagnosticSource,
    message: finding.message,
    data,
  };
  // The rule's page installed with the server (`node/ruleDocumentation.ts`).
  const href = ruleDocumentationLink(finding.code);
  if (href !== undefined) diagnostic.codeDescription = { href };
  if (finding.related.length) {
    diagnostic.relatedInformation = finding.related.map((related) => ({
      location: {
        uri: context.uriOf(related.location.file),
        range: context.ranges.range(related.location.file, related.location.range),
      },
      message: related.message,
    }));
  }
  return diagnostic;
}

/** A problem of a reader (the file does not parse) or of a configuration or catalog file. */
export function diagnosticOfProblem(problem: Problem, code: string, context: ConversionContext): Diagnostic {
  return {
    range: context.ranges.range(problem.file, problem.range),
    severity: code === configErrorCode ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code,
    source: diagnosticSource,
    message: problem.message,
  };
}

/** The one diagnostic of a file over the size limit. */
export function notAnalysedDiagnostic(size: number, limit: number): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    code: notAnalysedCode,
    source: diagnosticSource,
    message: `This file is ${formatBytes(size)}, larger than the ${formatBytes(limit)} limit (azureImageLint.maxFileSize), and was not analysed.`,
  };
}

/** A document whose analysis stopped (the worker ran out of memory): it has no findings, and says why. */
export function analysisStoppedDiagnostic(message: string): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Warning,
    code: analysisStoppedCode,
    source: diagnosticSource,
    message,
  };
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

/** Two diagnostics that say the same thing at the same place are one. */
export function diagnosticKey(diagnostic: Diagnostic): string {
  const { start, end } = diagnostic.range;
  const message = typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
  return `${String(diagnostic.code)}\u0000${start.line}:${start.character}-${end.line}:${end.character}\u0000${message}`;
}
