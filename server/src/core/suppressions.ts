/**
 * Suppression comments: `#disable-next-line <code>...` in Bicep (the Bicep linter's own directive)
 * and `// azure-image-lint-disable-next-line <code>...` in JSON templates and in Bicep. The
 * comment suppresses the named codes (every code when none is named) on the line right after it.
 */

export const jsonSuppressionMarker = 'azure-image-lint-disable-next-line';
export const bicepSuppressionMarker = '#disable-next-line';

/** True when the line above `offset` holds a suppression comment naming `code`. */
export function isSuppressed(text: string, offset: number, code: string, file: string): boolean {
  const lineStart = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  if (lineStart === 0) return false;
  const previousEnd = lineStart - 1;
  const previousStart = text.lastIndexOf('\n', previousEnd - 1) + 1;
  const previousLine = text.slice(previousStart, previousEnd).trim();
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
