/**
 * Fixture templates with their expectations written inline, under the line they are about, in a
 * comment both JSON templates and Bicep accept:
 *
 *     "sku": "18.04-LTS",
 *   //       ^^^^^^^^^^^ error end-of-support: Ubuntu 18.04 LTS (UbuntuServer/18.04-LTS) reached ...
 *
 * The carets mark the columns of the expected range on the nearest line above that is not an
 * expectation. A fixture case is a folder: every template in it is analysed with the real
 * pipeline (configuration discovery included) and the findings in all its files are compared with
 * all its expectations. A file `X.fixed.ext` next to `X.ext` is the golden text of `X.ext` after
 * every preferred fix has been applied.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding, TextEdit } from '../../../server/out/core/model';
import { LineIndex } from '../../../server/out/core/text';
import { collectFiles, scanFiles, type ScanResult } from '../../../server/out/node/scan';

export const repositoryRoot = path.resolve(__dirname, '../../..');
export const fixturesRoot = path.join(repositoryRoot, 'test', 'fixtures');
/**
 * The real-world corpus: public Azure sample templates copied unchanged into the repository (its
 * README.md names the sources and licences). It lies among the fixtures but holds no written
 * expectations, so a walk over every fixture leaves it out and the corpus tests take it from here.
 */
export const corpusRoot = path.join(fixturesRoot, 'corpus');
/**
 * The Bicep compiler's sample baselines (test/fixtures/bicep-baselines/README.md): the parser's
 * conformance set, read by `test/src/bicep/baselines.test.ts` alone. Tests that scan every fixture
 * folder leave it out, as they leave out the corpus: it holds no image, only syntax.
 */
export const bicepBaselinesRoot = path.join(fixturesRoot, 'bicep-baselines');
export const fixtureDate = '2026-11-22';

const expectationPattern = /^(\s*\/\/\s*)(\^+)\s+(error|warning|info|hint)\s+([a-z][a-z-]*):\s(.*)$/;
const levelWords: Record<string, string> = { error: 'error', warning: 'warning', information: 'info', hint: 'hint' };

/** One expected or actual finding, as a line that reads like the annotation. */
export function describeFinding(
  file: string,
  line: number,
  startColumn: number,
  endColumn: number,
  level: string,
  code: string,
  message: string,
): string {
  return `${path.basename(file)}:${line + 1}:${startColumn}-${endColumn} ${level} ${code}: ${message}`;
}

/** Reads the expectations written in a file. */
export function expectationsIn(file: string): string[] {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  const expected: string[] = [];
  let target = -1;
  lines.forEach((line, index) => {
    const match = expectationPattern.exec(line);
    if (!match) {
      target = index;
      return;
    }
    const start = match[1].length;
    const end = start + match[2].length;
    expected.push(describeFinding(file, target, start, end, match[3], match[4], match[5]));
  });
  return expected;
}

/** Describes actual findings located in a file the same way. */
export function describeFindings(findings: readonly Finding[], file: string, text: string): string[] {
  const index = new LineIndex(text);
  return findings
    .filter((finding) => path.resolve(finding.location.file) === path.resolve(file))
    .map((finding) => {
      const start = index.positionAt(finding.location.range.start);
      const end = index.positionAt(finding.location.range.end);
      const endColumn = end.line === start.line ? end.character : start.character + 1;
      return describeFinding(
        file,
        start.line,
        start.character,
        endColumn,
        levelWords[finding.severity],
        finding.code,
        finding.message,
      );
    });
}

/** The files of a fixture case, goldens excluded. */
export function caseFiles(folder: string): string[] {
  return collectFiles([folder]).files.filter((file) => !/\.fixed\.[a-z]+$/i.test(file));
}

export function scanCase(folder: string, asOf = fixtureDate): ScanResult {
  return scanFiles(caseFiles(folder), { asOf, today: asOf });
}

/** Applies edits to a text (from the end, so offsets stay valid); overlapping edits are an error. */
export function applyEdits(text: string, edits: readonly Pick<TextEdit, 'range' | 'newText'>[]): string {
  const sorted = [...edits].sort((a, b) => b.range.start - a.range.start);
  let result = text;
  let limit = Infinity;
  for (const edit of sorted) {
    if (edit.range.end > limit) throw new Error(`overlapping edits at offset ${edit.range.start}`);
    result = result.slice(0, edit.range.start) + edit.newText + result.slice(edit.range.end);
    limit = edit.range.start;
  }
  return result;
}

/** Every distinct edit of every preferred fix, grouped by file. */
export function preferredEdits(findings: readonly Finding[]): Map<string, TextEdit[]> {
  const byFile = new Map<string, TextEdit[]>();
  const seen = new Set<string>();
  for (const finding of findings) {
    const fix = finding.fixes.find((candidate) => candidate.isPreferred);
    if (!fix) continue;
    for (const edit of fix.edits) {
      const key = `${edit.file}\u0000${edit.range.start}\u0000${edit.range.end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
    }
  }
  return byFile;
}

/** Every fixture case folder below a folder (a folder holding files, not only folders). */
export function caseFolders(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(root, entry.name))
    .sort();
}
