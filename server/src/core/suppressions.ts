/**
 * Suppression comments: `#disable-next-line <code>...` in Bicep (the Bicep linter's own directive)
 * and `// azure-image-lint-disable-next-line <code>...` in JSON templates and in Bicep. The
 * comment suppresses the named codes (every code when none is named) on the line right after it.
 */

import { LineIndex } from './text';

export const jsonSuppressionMarker = 'azure-image-lint-disable-next-line';
export const bicepSuppressionMarker = '#disable-next-line';

/**
 * Whether a text may hold a suppression comment: both markers end in this word, and a text
 * without it (most big templates) needs no line index to know that nothing in it is suppressed.
 */
export function mayHoldSuppression(text: string): boolean {
  return text.includes(suppressionWord);
}

const suppressionWord = 'disable-next-line';

/**
 * `mayHoldSuppression` of a text made from one that holds no suppression comment by changing
 * `[start, end)` of it (in the new text): only around the change can the word appear.
 */
export function mayHoldSuppressionAfterEdit(text: string, start: number, end: number): boolean {
  return text.slice(Math.max(0, start - suppressionWord.length + 1), end + suppressionWord.length - 1).includes(suppressionWord);
}

/**
 * True when the line above `offset` holds a suppression comment naming `code`. Pass the text's
 * line index when checking many offsets of one text: searching back for the line start costs the
 * length of the line, which in a minified template is the whole file, once per finding.
 */
export function isSuppressed(
  text: string,
  offset: number,
  code: string,
  file: string,
  lines: LineIndex = new LineIndex(text),
): boolean {
  const line = lines.positionAt(offset).line;
  if (line === 0) return false;
  const previousStart = lines.offsetAt({ line: line - 1, character: 0 });
  const previousLine = text.slice(previousStart, lines.offsetAt({ line, character: 0 })).trim();
  const bicep = /\.bicep(param)?$/i.test(file);
  let codes: string | undefined;
  if (previousLine.startsWith('//')) {
    const comment = previousLine.slice(2).trim();
    if (comment.startsWith(jsonSuppressionMarker)) codes = comment.slice(jsonSuppressionMarker.length);
  } else if (bicep && previousLine.startsWith(bicepSuppressionMarker)) {
    codes = previousLine.slice(bicepSuppressionMarker.length);
  }
  if (codes === undefined) return false;
  const named = codes
    .trim()
    .split(/[\s,]+/)
    .filter((name) => name !== '');
  return named.length === 0 || named.includes(code);
}

/** The comment line that suppresses `code` on a line of a file of this kind, without indentation. */
export function suppressionComment(file: string, code: string): string {
  return /\.bicep(param)?$/i.test(file) ? `${bicepSuppressionMarker} ${code}` : `// ${jsonSuppressionMarker} ${code}`;
}
