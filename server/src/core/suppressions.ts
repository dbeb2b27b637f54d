/**
 * Suppression comments. In JSON templates and in Bicep, `// azure-image-lint-disable-next-line
 * <code>...` suppresses the named codes (every code when none is named) on the line right after
 * it. Bicep files also honour the Bicep linter's own directives: `#disable-next-line <code>...`
 * for the next line, and `#disable-diagnostics <code>...` up to a `#restore-diagnostics` naming
 * the same code (or the end of the file). Codes are separated by white space (commas are
 * accepted too), and a `//` or `/*` comment after them is not a code.
 */

import { LineIndex } from './text';

export const jsonSuppressionMarker = 'azure-image-lint-disable-next-line';
export const bicepSuppressionMarker = '#disable-next-line';
export const bicepDisableMarker = '#disable-diagnostics';
export const bicepRestoreMarker = '#restore-diagnostics';

/** The word every directive that starts suppressing ends in; `#restore-diagnostics` alone suppresses nothing. */
const nextLineWord = 'disable-next-line';
const rangeWord = 'disable-diagnostics';
const restoreWord = 'restore-diagnostics';

/** Stands for "every code" in the ranges of a directive that names none. */
const everyCode = '';

/**
 * Whether a text may hold a suppression comment: a text without any of the directive words (most
 * big templates) needs no line index to know that nothing in it is suppressed.
 */
export function mayHoldSuppression(text: string): boolean {
  return text.includes(nextLineWord) || text.includes(rangeWord);
}

/**
 * `mayHoldSuppression` for a document of its own kind: a JSON file's only directive is the whole
 * `jsonSuppressionMarker` in a comment, and one search for that long word costs a fraction of two
 * for the short ones (a search skips ahead by up to the length of the word).
 */
export function documentMayHoldSuppression(file: string, text: string): boolean {
  return isBicepFile(file) ? mayHoldSuppression(text) : text.includes(jsonSuppressionMarker);
}

/**
 * `mayHoldSuppression` of a text made from one that holds no suppression comment by changing
 * `[start, end)` of it (in the new text): only around the change can a word appear. The reach
 * covers the JSON marker, whose absence `documentMayHoldSuppression` may have answered.
 */
export function mayHoldSuppressionAfterEdit(text: string, start: number, end: number): boolean {
  const reach = Math.max(nextLineWord.length, rangeWord.length, jsonSuppressionMarker.length) - 1;
  return mayHoldSuppression(text.slice(Math.max(0, start - reach), end + reach));
}

/**
 * The suppression comments of one text, found once: which codes the directive on each line
 * suppresses on the line after it, and which lines each code is disabled on. Build it once per
 * text and ask it about every finding; searching back from each finding would cost the length of
 * the text per finding in a minified template.
 */
export class SuppressionComments {
  /** By the line of a next-line directive: the codes it names (empty: every code). */
  private readonly nextLine = new Map<number, string[]>();
  /** By code (`everyCode` for a directive naming none): disabled line ranges, [first, end). */
  private readonly disabled = new Map<string, [number, number][]>();

  constructor(
    private readonly text: string,
    file: string,
    private readonly lines: LineIndex = new LineIndex(text),
  ) {
    const bicep = isBicepFile(file);
    const directiveLines = new Set<number>();
    for (const word of bicep ? [nextLineWord, rangeWord, restoreWord] : [nextLineWord]) {
      for (let index = text.indexOf(word); index !== -1; index = text.indexOf(word, index + word.length)) {
        directiveLines.add(lines.positionAt(index).line);
      }
    }
    const open = new Map<string, number>();
    for (const line of [...directiveLines].sort((a, b) => a - b)) {
      const directive = parseDirective(this.lineText(line), bicep);
      if (!directive) continue;
      if (directive.kind === 'next-line') {
        this.nextLine.set(line, directive.codes);
      } else if (directive.kind === 'disable') {
        for (const code of directive.codes.length === 0 ? [everyCode] : directive.codes) {
          if (!open.has(code)) open.set(code, line + 1);
        }
      } else {
        for (const code of directive.codes.length === 0 ? [...open.keys()] : directive.codes) {
          const first = open.get(code);
          if (first === undefined) continue;
          open.delete(code);
          this.addRange(code, first, line);
        }
      }
    }
    for (const [code, first] of open) this.addRange(code, first, Number.MAX_SAFE_INTEGER);
  }

  /** True when a finding of `code` starting at `offset` is suppressed. */
  suppresses(offset: number, code: string): boolean {
    const line = this.lines.positionAt(offset).line;
    const named = this.nextLine.get(line - 1);
    if (named && (named.length === 0 || named.includes(code))) return true;
    return [code, everyCode].some((key) => this.disabled.get(key)?.some(([first, end]) => first <= line && line < end) ?? false);
  }

  private addRange(code: string, first: number, end: number): void {
    if (end <= first) return;
    let ranges = this.disabled.get(code);
    if (!ranges) this.disabled.set(code, (ranges = []));
    ranges.push([first, end]);
  }

  private lineText(line: number): string {
    const start = this.lines.offsetAt({ line, character: 0 });
    return this.text.slice(start, this.lines.offsetAt({ line: line + 1, character: 0 }));
  }
}

interface Directive {
  kind: 'next-line' | 'disable' | 'restore';
  codes: string[];
}

/** The directive a line holds, if it holds one of the kinds its file honours. */
function parseDirective(lineText: string, bicep: boolean): Directive | undefined {
  const line = lineText.trim();
  if (line.startsWith('//')) {
    const comment = line.slice(2).trim();
    if (comment.startsWith(jsonSuppressionMarker) && isWordEnd(comment, jsonSuppressionMarker.length))
      return { kind: 'next-line', codes: codesOf(comment.slice(jsonSuppressionMarker.length)) };
    return undefined;
  }
  if (!bicep) return undefined;
  for (const [marker, kind] of [
    [bicepSuppressionMarker, 'next-line'],
    [bicepDisableMarker, 'disable'],
    [bicepRestoreMarker, 'restore'],
  ] as const) {
    if (line.startsWith(marker) && isWordEnd(line, marker.length)) return { kind, codes: codesOf(line.slice(marker.length)) };
  }
  return undefined;
}

/** True when the directive word ends at `index` (the end of the line, or white space follows). */
function isWordEnd(text: string, index: number): boolean {
  return index === text.length || /[\s,]/.test(text[index]);
}

/** The codes after a directive, up to a comment. */
function codesOf(rest: string): string[] {
  const comment = /\/\/|\/\*/.exec(rest);
  return (comment ? rest.slice(0, comment.index) : rest)
    .trim()
    .split(/[\s,]+/)
    .filter((name) => name !== '');
}

function isBicepFile(file: string): boolean {
  return /\.bicep(param)?$/i.test(file);
}

/**
 * True when a finding of `code` at `offset` is suppressed. For one finding; a caller with many
 * findings in a text builds `SuppressionComments` once and asks it.
 */
export function isSuppressed(
  text: string,
  offset: number,
  code: string,
  file: string,
  lines: LineIndex = new LineIndex(text),
): boolean {
  return new SuppressionComments(text, file, lines).suppresses(offset, code);
}

/** The comment line that suppresses `code` on a line of a file of this kind, without indentation. */
export function suppressionComment(file: string, code: string): string {
  return isBicepFile(file) ? `${bicepSuppressionMarker} ${code}` : `// ${jsonSuppressionMarker} ${code}`;
}
