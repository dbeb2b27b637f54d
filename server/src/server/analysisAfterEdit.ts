/**
 * The analysis of a document after one edit, without analysing it again, when the core says the
 * edit cannot change what the analysis found (`core/editReuse.ts`: an edit inside an object nobody
 * read, or white space between entries). Every diagnostic, related location and fix edit that
 * points into the document then moves with the text; nothing else changes. This is what keeps a
 * large template's squiggles in step with typing in its descriptions, tags and scripts.
 */
import type { Diagnostic, Position, Range } from 'vscode-languageserver/node';
import { analysisSurvivesChange, shiftOffset, type TextChange } from '../core/incremental/editReuse';
import { formatDay } from '../core/catalog/lifecycle';
import { type FixData, isFindingData } from './diagnostics';
import type { Contribution, DocumentAnalysis } from './documentAnalysis';

/** One edit as the client sent it: its range, and the same range as offsets, in the text before it. */
export interface DocumentEdit extends TextChange {
  range: Range;
}

/**
 * The analysis of `newText` (the analysed text with `edit` applied) at `newVersion`, made by
 * moving the previous one; undefined when the document must be analysed again. On success the
 * previous analysis's trace now describes `newText` and belongs to the result.
 */
export function analysisAfterEdit(
  previous: DocumentAnalysis,
  oldText: string,
  edit: DocumentEdit,
  newText: string,
  newVersion: number,
  today = formatDay(new Date()),
): DocumentAnalysis | undefined {
  const reuse = previous.reuse;
  if (!reuse || reuse.analysedOn !== today) return undefined;
  // Line arithmetic below counts '\n' only: keep away from carriage returns.
  if (edit.text.includes('\r') || oldText.slice(edit.start, edit.end).includes('\r') || oldText[edit.start - 1] === '\r')
    return undefined;
  if (newText.length * 3 > reuse.maximumSize && Buffer.byteLength(newText, 'utf8') > reuse.maximumSize) return undefined;
  if (!analysisSurvivesChange(previous.file, reuse.trace, oldText, edit, newText)) return undefined;

  const move = new RangeMover(edit);
  const contributions = new Map<string, Contribution>();
  for (const [key, contribution] of previous.contributions) {
    const inDocument = contribution.uri === previous.uri;
    contributions.set(key, {
      uri: contribution.uri,
      version: inDocument ? newVersion : contribution.version,
      diagnostics: contribution.diagnostics.map((diagnostic) =>
        movedDiagnostic(diagnostic, inDocument, previous, move, edit, newVersion),
      ),
    });
  }
  return { ...previous, version: newVersion, contributions };
}

function movedDiagnostic(
  diagnostic: Diagnostic,
  inDocument: boolean,
  previous: DocumentAnalysis,
  move: RangeMover,
  edit: TextChange,
  newVersion: number,
): Diagnostic {
  const moved: Diagnostic = { ...diagnostic };
  if (inDocument) moved.range = move.range(diagnostic.range);
  if (diagnostic.relatedInformation) {
    moved.relatedInformation = diagnostic.relatedInformation.map((related) =>
      related.location.uri === previous.uri
        ? { ...related, location: { uri: related.location.uri, range: move.range(related.location.range) } }
        : related,
    );
  }
  if (isFindingData(diagnostic.data)) {
    const data = diagnostic.data;
    const fixes: FixData[] = data.fixes.map((fix) => ({
      ...fix,
      edits: fix.edits.map((fixEdit) =>
        fixEdit.file === previous.file
          ? { ...fixEdit, start: shiftOffset(fixEdit.start, edit, false), end: shiftOffset(fixEdit.end, edit, true) }
          : fixEdit,
      ),
    }));
    const versions = { ...data.versions };
    if (previous.uri in versions) versions[previous.uri] = newVersion;
    moved.data = { ...data, fixes, versions };
  }
  return moved;
}

/** Moves LSP positions across one edit, as `shiftOffset` moves offsets. */
class RangeMover {
  private readonly start: Position;
  private readonly end: Position;
  /** Line breaks in the inserted text, and the length of its last line. */
  private readonly insertedLines: number;
  private readonly lastLineLength: number;
  private readonly textLength: number;

  constructor(edit: DocumentEdit) {
    this.start = edit.range.start;
    this.end = edit.range.end;
    const lastBreak = edit.text.lastIndexOf('\n');
    this.insertedLines = lastBreak < 0 ? 0 : edit.text.split('\n').length - 1;
    this.lastLineLength = lastBreak < 0 ? edit.text.length : edit.text.length - lastBreak - 1;
    this.textLength = edit.text.length;
  }

  range(range: Range): Range {
    return { start: this.position(range.start, false), end: this.position(range.end, true) };
  }

  private position(position: Position, isEnd: boolean): Position {
    const { start, end } = this;
    const beforeStart = compare(position, start);
    if (beforeStart < 0 || (isEnd && beforeStart === 0)) return position;
    const line = start.line + this.insertedLines;
    if (compare(position, end) < 0) {
      // Inside the replaced text: to the start of the edit, or an end to the end of its text.
      return isEnd ? { line, character: this.endCharacter() } : start;
    }
    if (position.line !== end.line)
      return { line: position.line + this.insertedLines - (end.line - start.line), character: position.character };
    return { line, character: this.endCharacter() + (position.character - end.character) };
  }

  /** The character where the inserted text ends. */
  private endCharacter(): number {
    return this.insertedLines === 0 ? this.start.character + this.textLength : this.lastLineLength;
  }
}

function compare(a: Position, b: Position): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}
