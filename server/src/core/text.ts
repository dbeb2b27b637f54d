/**
 * Conversion between UTF-16 offsets (what the core speaks) and 0-based line/character positions
 * (what LSP and the CLI speak). Lines end at '\n', '\r\n' or '\r', as in LSP.
 * Also the case-insensitive name comparison both readers share.
 */

export interface Position {
  line: number;
  character: number;
}

export class LineIndex {
  private readonly lineStarts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
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

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle] <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: clamped - this.lineStarts[low] };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line];
    const next = position.line + 1 < this.lineStarts.length ? this.lineStarts[position.line + 1] : this.text.length;
    return Math.min(start + Math.max(0, position.character), next);
  }

  /** The offset where the line holding `offset` starts. */
  lineStartOf(offset: number): number {
    return this.offsetAt({ line: this.positionAt(offset).line, character: 0 });
  }
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
