/**
 * Code actions, built from each diagnostic's code and `data`, never from its message: every fix
 * of a finding as a quick-fix, "Disable <code> for this line" (the suppression comment on its own
 * line above, indented like the line) where the document's language allows comments, otherwise
 * "Ignore <code> for <image> in azure-image-lint.json" (an entry of its `ignore` list, in the
 * configuration that applies to the file, or in a new one), and one source action that applies
 * every preferred fix of a document whose edits do not overlap. A fix's offsets are only trusted while every document
 * they refer to still has the version they were computed on, and every file that is not open
 * still holds the text they were computed on (its hash, `textHash`). Clients that take
 * `documentChanges` get each file's edits with the version they apply to (null for a file that is
 * not open).
 */
import * as jsonc from 'jsonc-parser';
import {
  type CodeAction,
  CodeActionKind,
  type CreateFile,
  type Diagnostic,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { configFileName, type IgnoreEntry } from '../core/config/config';
import { relativePath } from '../core/config/ignore';
import { folderOf } from '../core/paths';
import { findRule } from '../core/rules';
import { suppressionComment } from '../core/suppressions';
import { LineIndex } from '../core/text';
import { diagnosticSource, type FindingData, type FixData, isFindingData } from './diagnostics';
import { textHash } from './files';

export const fixAllKind = `${CodeActionKind.SourceFixAll}.azureImageLint`;

/** How code actions see documents: text and version of a file, by name or URI. */
export interface DocumentTexts {
  /** The text of a file: the open buffer, or the disk. */
  textOf(file: string): string | undefined;
  /** The version of an open document, by URI. */
  versionOfUri(uri: string): number | undefined;
  uriOf(file: string): string;
  /** The file name of a URI. */
  fileOf(uri: string): string;
  /** Whether the client takes `documentChanges` with versioned documents in a workspace edit. */
  documentChanges?: boolean;
  /** The language id the client gave an open document, by URI. */
  languageOf?(uri: string): string | undefined;
}

/** Where "Ignore … in azure-image-lint.json" writes for one document. */
export interface IgnoreTarget {
  /** The configuration file that applies to the document, if there is one. */
  configurationFile?: string;
  /** Where a new configuration file goes when none applies (the workspace folder). */
  newConfigurationFolder: string;
  /** Whether the client can create files in a workspace edit (`resourceOperations` with `create`). */
  canCreateFiles: boolean;
}

/**
 * Languages whose documents may hold a `//` comment: Bicep, JSON with comments, and ARM templates
 * (the ARM Tools extension's language, whose deployments accept comments). Plain `json` does not:
 * VS Code flags a comment there as an error.
 */
const languagesWithComments = new Set(['bicep', 'bicep-params', 'bicepparam', 'jsonc', 'arm-template']);

/** Whether a suppression comment may be written into a document of this language (or, unknown, name). */
export function allowsComments(language: string | undefined, file: string): boolean {
  if (language !== undefined) return languagesWithComments.has(language);
  return /\.(bicep|bicepparam|jsonc)$/i.test(file);
}

/** True when the kinds the client asked for (`only`) include this kind. */
export function wantsKind(only: readonly string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return true;
  return only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
}

/**
 * The quick-fixes for the diagnostics the client sent. A diagnostic computed on an older version
 * of a document (the client asked before it received the new ones) is matched to the finding of
 * the current analysis with the same code and the same fixes, nearest to it; its fixes are used,
 * and "Disable for this line" goes above the line where that finding is now. When the finding is
 * gone, or two are equally near, neither is offered: lines may have moved since.
 */
export function quickFixes(
  uri: string,
  diagnostics: readonly Diagnostic[],
  texts: DocumentTexts,
  current: readonly Diagnostic[] = [],
  ignoreTarget?: IgnoreTarget,
): CodeAction[] {
  const comments = allowsComments(texts.languageOf?.(uri), texts.fileOf(uri));
  const actions: CodeAction[] = [];
  const disabled = new Set<string>();
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== diagnosticSource || !isFindingData(diagnostic.data)) continue;
    const now = isCurrent(diagnostic.data, texts) ? diagnostic : currentDiagnosticOf(diagnostic, current);
    const data = now?.data as FindingData | undefined;
    for (const fix of data?.fixes ?? []) {
      const edit = workspaceEditOf([fix], data?.versions ?? {}, data?.hashes ?? {}, texts);
      if (!edit) continue;
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.isPreferred,
        edit,
      });
    }
    if (!now) continue;
    const code = diagnostic.data.code;
    const line = now.range.start.line;
    const key = `${code}\u0000${line}`;
    if (findRule(code) && !disabled.has(key)) {
      disabled.add(key);
      const disable = comments
        ? disableForLine(uri, code, line, texts)
        : ignoreTarget && ignoreInConfiguration(diagnostic.data, ignoreTarget, texts);
      if (disable) actions.push({ ...disable, diagnostics: [diagnostic] });
    }
  }
  return actions;
}

/**
 * True when a diagnostic was computed on other versions of the open documents than today's, or
 * on other texts of the files its fixes edit that are not open.
 */
export function isStale(diagnostic: Diagnostic, texts: DocumentTexts): boolean {
  return isFindingData(diagnostic.data) && !isCurrent(diagnostic.data, texts);
}

/** True when a diagnostic's fixes edit a file that is not open and no longer holds the text they were made for. */
export function editsChangedFile(diagnostic: Diagnostic, texts: DocumentTexts): boolean {
  return isFindingData(diagnostic.data) && !hashesAreCurrent(diagnostic.data.hashes ?? {}, texts);
}

/**
 * The current diagnostic that a stale one stands for: the nearest of the same code and fixes, if
 * there is one and no other is as near.
 */
function currentDiagnosticOf(stale: Diagnostic, current: readonly Diagnostic[]): Diagnostic | undefined {
  if (!isFindingData(stale.data)) return undefined;
  const fixTitles = JSON.stringify(stale.data.fixes.map((fix) => fix.title));
  let best: { diagnostic: Diagnostic; distance: number; tied: boolean } | undefined;
  for (const diagnostic of current) {
    if (!isFindingData(diagnostic.data) || diagnostic.data.code !== stale.data.code) continue;
    if (JSON.stringify(diagnostic.data.fixes.map((fix) => fix.title)) !== fixTitles) continue;
    const distance = Math.abs(diagnostic.range.start.line - stale.range.start.line);
    if (!best || distance < best.distance) best = { diagnostic, distance, tied: false };
    else if (distance === best.distance && diagnostic.range.start.line !== best.diagnostic.range.start.line) best.tied = true;
  }
  return best && !best.tied ? best.diagnostic : undefined;
}

/** "Disable <code> for this line": the suppression comment above the line, same indentation. */
function disableForLine(uri: string, code: string, line: number, texts: DocumentTexts): CodeAction | undefined {
  const file = texts.fileOf(uri);
  const text = texts.textOf(file);
  if (text === undefined) return undefined;
  const index = new LineIndex(text);
  const lineStart = index.offsetAt({ line, character: 0 });
  const indentation = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
  const endOfLine = text.includes('\r\n') ? '\r\n' : '\n';
  const position = { line, character: 0 };
  return {
    title: `Disable ${code} for this line`,
    kind: CodeActionKind.QuickFix,
    edit: {
      changes: {
        [uri]: [
          { range: { start: position, end: position }, newText: `${indentation}${suppressionComment(file, code)}${endOfLine}` },
        ],
      },
    },
  };
}

/**
 * "Ignore <code> for <image> in azure-image-lint.json": an `ignore` entry for this file, rule and
 * image, added to the configuration that applies to the file (keeping its comments and layout),
 * or a new configuration file in the workspace folder when none applies. Not offered when the
 * configuration cannot take the entry (it does not parse, or `ignore` is not a list), or when a
 * file would have to be created and the client cannot.
 */
function ignoreInConfiguration(data: FindingData, target: IgnoreTarget, texts: DocumentTexts): CodeAction | undefined {
  const configurationFile =
    target.configurationFile ?? `${target.newConfigurationFolder.replace(/[\\/]+$/, '')}/${configFileName}`;
  const below = relativePath(folderOf(configurationFile.replace(/\\/g, '/')), data.file);
  if (below === undefined) return undefined;
  // `./` keeps a file beside the configuration from matching files of that name in subfolders.
  const entry: IgnoreEntry = { files: below.includes('/') ? below : `./${below}`, rule: data.code };
  if (data.image !== undefined) entry.image = data.image;
  const title = `Ignore ${data.code}${data.image ? ` for ${data.image}` : ''} in ${configFileName}`;
  const uri = texts.uriOf(configurationFile);
  const text = target.configurationFile === undefined ? undefined : texts.textOf(configurationFile);
  if (text === undefined) {
    if (target.configurationFile !== undefined || !target.canCreateFiles || !texts.documentChanges) return undefined;
    // Without `overwrite` or `ignoreIfExists`, the client refuses the edit if the file appeared meanwhile.
    const create: CreateFile = { kind: 'create', uri };
    const content = `${JSON.stringify({ ignore: [entry] }, null, 2)}\n`;
    const position = { line: 0, character: 0 };
    return {
      title,
      kind: CodeActionKind.QuickFix,
      edit: {
        documentChanges: [
          create,
          { textDocument: { uri, version: null }, edits: [{ range: { start: position, end: position }, newText: content }] },
        ],
      },
    };
  }
  const errors: jsonc.ParseError[] = [];
  const root = jsonc.parseTree(text, errors, { allowTrailingComma: true });
  if (!root || root.type !== 'object' || errors.length > 0) return undefined;
  const existing = jsonc.findNodeAtLocation(root, ['ignore']);
  if (existing && existing.type !== 'array') return undefined;
  const endOfLine = text.includes('\r\n') ? '\r\n' : '\n';
  const indentation = /\n([ \t]+)\S/.exec(text)?.[1];
  const offsetEdits = jsonc.modify(text, ['ignore', -1], entry, {
    formattingOptions: {
      insertSpaces: !indentation?.startsWith('\t'),
      tabSize: indentation && !indentation.startsWith('\t') ? indentation.length : 2,
      eol: endOfLine,
    },
  });
  const index = new LineIndex(text);
  const edits: TextEdit[] = offsetEdits.map((edit) => ({
    range: { start: index.positionAt(edit.offset), end: index.positionAt(edit.offset + edit.length) },
    newText: edit.content,
  }));
  const version = texts.versionOfUri(uri);
  return {
    title,
    kind: CodeActionKind.QuickFix,
    edit: texts.documentChanges
      ? { documentChanges: [{ textDocument: { uri, version: version ?? null }, edits }] }
      : { changes: { [uri]: edits } },
  };
}

/**
 * The source action that applies every preferred fix among a document's diagnostics. Fixes are
 * taken in order; a fix whose edits overlap an edit already taken is left out (an identical edit
 * counts as already made), so that the result is one consistent change.
 */
export function fixAll(diagnostics: readonly Diagnostic[], texts: DocumentTexts): CodeAction | undefined {
  const taken: { file: string; start: number; end: number; newText: string }[] = [];
  const chosen: FixData[] = [];
  let versions: Record<string, number> = {};
  let hashes: Record<string, string> = {};
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== diagnosticSource || !isFindingData(diagnostic.data)) continue;
    const fix = diagnostic.data.fixes.find((candidate) => candidate.isPreferred);
    if (!fix || !isCurrent(diagnostic.data, texts)) continue;
    const fresh = fix.edits.filter(
      (edit) =>
        !taken.some(
          (other) =>
            other.file === edit.file && other.start === edit.start && other.end === edit.end && other.newText === edit.newText,
        ),
    );
    const overlaps = fresh.some((edit) =>
      taken.some((other) => other.file === edit.file && edit.start < other.end && other.start < edit.end),
    );
    if (overlaps || fresh.length === 0) continue;
    taken.push(...fresh);
    chosen.push({ ...fix, edits: fresh });
    versions = { ...versions, ...diagnostic.data.versions };
    hashes = { ...hashes, ...diagnostic.data.hashes };
  }
  if (chosen.length === 0) return undefined;
  const edit = workspaceEditOf(chosen, versions, hashes, texts);
  if (!edit) return undefined;
  return { title: 'Fix all auto-fixable Azure image problems', kind: fixAllKind, edit };
}

function isCurrent(data: Pick<FindingData, 'versions' | 'hashes'>, texts: DocumentTexts): boolean {
  return versionsAreCurrent(data.versions, texts) && hashesAreCurrent(data.hashes ?? {}, texts);
}

function versionsAreCurrent(versions: Record<string, number>, texts: DocumentTexts): boolean {
  return Object.entries(versions).every(([uri, version]) => texts.versionOfUri(uri) === version);
}

/** True when every file that was not open still is not, and holds the text the fixes were made on. */
function hashesAreCurrent(hashes: Record<string, string>, texts: DocumentTexts): boolean {
  return Object.entries(hashes).every(([uri, hash]) => {
    if (texts.versionOfUri(uri) !== undefined) return false;
    const text = texts.textOf(texts.fileOf(uri));
    return text !== undefined && textHash(text) === hash;
  });
}

/**
 * The edits of fixes as a workspace edit: `changes` for every file they touch, or `documentChanges`
 * with the version of each (null for a file that is not open) when the client takes them.
 * Undefined when a file changed since the fixes were computed.
 */
function workspaceEditOf(
  fixes: readonly FixData[],
  versions: Record<string, number>,
  hashes: Record<string, string>,
  texts: DocumentTexts,
): WorkspaceEdit | undefined {
  if (!isCurrent({ versions, hashes }, texts)) return undefined;
  const changes: Record<string, TextEdit[]> = {};
  const indexes = new Map<string, LineIndex | undefined>();
  for (const fix of fixes) {
    for (const edit of fix.edits) {
      const uri = texts.uriOf(edit.file);
      // A file that is open now but was not when the fix was computed may hold other text, and
      // one that is not open is edited only with the hash of the text the offsets belong to.
      if (versions[uri] === undefined && (texts.versionOfUri(uri) !== undefined || hashes[uri] === undefined)) return undefined;
      if (!indexes.has(edit.file)) {
        const text = texts.textOf(edit.file);
        indexes.set(edit.file, text === undefined ? undefined : new LineIndex(text));
      }
      const index = indexes.get(edit.file);
      if (!index) return undefined;
      (changes[uri] ??= []).push({
        range: { start: index.positionAt(edit.start), end: index.positionAt(edit.end) },
        newText: edit.newText,
      });
    }
  }
  if (Object.keys(changes).length === 0) return undefined;
  if (!texts.documentChanges) return { changes };
  const documentChanges: TextDocumentEdit[] = Object.entries(changes).map(([uri, edits]) => ({
    textDocument: { uri, version: versions[uri] ?? null },
    edits,
  }));
  return { documentChanges };
}
