/**
 * Conversion between UTF-16 offsets (what the core speaks) and 0-based line/character positions
 * (what LSP and the CLI speak). Lines end at '\n', '\r\n' or '\r', as in LSP.
 * Also the case-insensitive name comparison both readers share.
 */

import { shiftBetween } from './textShift';

export interface Position {
  line: number;
  character: number;
}

export class LineIndex {
  private readonly lineStarts: number[];

  /**
   * `lineStarts`, when given, must be where the lines of `text` start, except that those after
   * line `shiftedAfter` start `shift` later (`LineIndex.afterEdit`).
   */
  constructor(
    private readonly text: string,
    lineStarts?: number[],
    private readonly shiftedAfter = Number.MAX_SAFE_INTEGER,
    private readonly shift = 0,
  ) {
    if (lineStarts) {
      this.lineStarts = lineStarts;
      return;
    }
    // A byte order mark is no character of the first line: editors strip it, so columns on
    // line 1 count from after it.
    const starts = [startOfText(text)];
    if (text.indexOf('\r') === -1) {
      // The common case, '\n' alone: the engine's own search is several times faster than a loop
      // over every character, which matters for the megabyte documents the server re-reads as
      // they are typed in.
      for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
      this.lineStarts = starts;
      return;
    }
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code === 13 /* \r */) {
        if (text.charCodeAt(index + 1) === 10) index++;
        starts.push(index + 1);
      } else if (code === 10 /* \n */) {
        starts.push(index + 1);
      }
    }
    this.lineStarts = starts;
  }

  /**
   * The index of `text` built from the index of an earlier text of the same document: when the
   * two differ in one stretch of at most `maximumEdit` characters on either side that neither
   * holds nor touches a line break, the lines after it just move. Otherwise the text is indexed
   * again. An editor's analysis of a megabyte document per keystroke then costs a comparison of
   * the texts (block by block), and the move costs nothing while the typing stays on one line:
   * the lines after it are said to start later, and their starts are moved only when an edit
   * comes on another line.
   */
  static afterEdit(previous: LineIndex, text: string): LineIndex {
    const old = previous.text;
    if (old === text) return previous;
    if (startOfText(old) !== startOfText(text)) return new LineIndex(text);
    const { start: prefix, oldEnd, delta } = shiftBetween(old, text);
    const newEnd = oldEnd + delta;
    if (oldEnd - prefix > maximumEdit || newEnd - prefix > maximumEdit) return new LineIndex(text);
    // A break removed or added, or a '\r' before the edit (which may end up before a '\n', or no
    // longer): the lines are counted again.
    if (hasLineBreak(old, prefix, oldEnd) || hasLineBreak(text, prefix, newEnd) || old.charCodeAt(prefix - 1) === 13)
      return new LineIndex(text);
    if (delta === 0) return new LineIndex(text, previous.lineStarts, previous.shiftedAfter, previous.shift);
    // No line starts inside the changed stretch (its characters are no breaks): those after the
    // line it is on start after its end.
    const line = previous.positionAt(prefix).line;
    if (line === previous.shiftedAfter) return new LineIndex(text, previous.lineStarts, line, previous.shift + delta);
    const starts = previous.lineStarts.slice();
    for (let later = previous.shiftedAfter + 1; later < starts.length; later++) starts[later] += previous.shift;
    return new LineIndex(text, starts, line, delta);
  }

  /** Where a line starts. */
  private startOf(line: number): number {
    return line > this.shiftedAfter ? this.lineStarts[line] + this.shift : this.lineStarts[line];
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.startOf(middle) <= clamped) low = middle;
      else high = middle - 1;
    }
    // An offset at the byte order mark is the start of line 1.
    return { line: low, character: Math.max(0, clamped - this.startOf(low)) };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.startOf(position.line);
    const next = position.line + 1 < this.lineStarts.length ? this.startOf(position.line + 1) : this.text.length;
    return Math.min(start + Math.max(0, position.character), next);
  }

  /** The offset where the line holding `offset` starts. */
  lineStartOf(offset: number): number {
    return this.offsetAt({ line: this.positionAt(offset).line, character: 0 });
  }
}

/** Where the first line's characters start: after a byte order mark (U+FEFF), if any. */
function startOfText(text: string): number {
  return text.charCodeAt(0) === 0xfeff ? 1 : 0;
}

/** The longest changed stretch `LineIndex.afterEdit` moves lines past rather than counting them. */
const maximumEdit = 4096;

function hasLineBreak(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code === 10 || code === 13) return true;
  }
  return false;
}

/**
 * A copy of a string that holds its own characters. The engine makes a slice of a long text a
 * view into that text, so a slice kept in a cache that outlives the analysis (a resource type,
 * say) would keep the whole document alive; the caches key by copies instead.
 */
export function ownCopy(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

/**
 * Whether `text` lower-cased is `lower`, without building the lower-cased copy for ASCII text.
 * Both readers compare property names this way, case-insensitively as Azure does.
 */
export function equalsLowerCase(text: string, lower: string): boolean {
  if (text.length !== lower.length) return false;
  for (let index = 0; index < text.length; index++) {
    let code = text.charCodeAt(index);
    if (code >= 65 && code <= 90) code += 32;
    else if (code > 127) return text.toLowerCase() === lower;
    if (code !== lower.charCodeAt(index)) return false;
  }
  return true;
}
