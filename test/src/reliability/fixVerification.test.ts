/**
 * Fix verification: every fix offered for every finding in the corpus and in the rule fixtures is
 * applied to an in-memory copy of the files it edits, and the entry is analysed again. The edited
 * files must still read without new problems, the finding must be gone from the value it was on,
 * no end-of-support, not-endorsed or unknown-image finding may appear on the edited values, each
 * edit must replace one string literal by another, and the text outside the edits must be
 * byte-identical.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parse as parseJson, type ParseError } from 'jsonc-parser';
import { analyzeDocument, type AnalysisResult, type AnalysisSettings } from '../../../server/out/core/analyze';
import { bundledCatalog } from '../../../server/out/core/catalog/bundledCatalog';
import type { Finding, Fix, TextEdit } from '../../../server/out/core/model';
import { ConfigResolver } from '../../../server/out/node/configResolver';
import { collectFiles, scanFiles } from '../../../server/out/node/scan';
import { caseFolders, caseFiles, applyEdits } from '../harness/fixtures';
import { corpusRoot, diskText, fixturesRoot, fuzzDate, MapFileHost } from '../fuzz/harness';

/** Codes a fix must never introduce on the values it writes. */
const forbiddenAfterFix = new Set(['end-of-support', 'not-endorsed', 'unknown-image']);

interface Verification {
  fixes: number;
  findings: number;
  failures: string[];
}

/** The entries a scan of these files analyses, each with the settings the scan would use. */
function entriesOf(files: readonly string[]): { file: string; settings: AnalysisSettings }[] {
  const scan = scanFiles(files, { asOf: fuzzDate, today: fuzzDate });
  const resolver = new ConfigResolver();
  return scan.files.map((file) => {
    const loaded = resolver.configFor(file);
    return {
      file,
      settings: {
        catalog: resolver.catalogFor(loaded.config).catalog,
        config: loaded.config,
        asOf: loaded.config.asOf ?? fuzzDate,
      },
    };
  });
}

/** Where an offset of the original text of `file` lands once `edits` are applied to it. */
function mapOffset(offset: number, file: string, edits: readonly TextEdit[]): number {
  let shift = 0;
  for (const edit of edits) {
    if (path.resolve(edit.file) !== path.resolve(file) || edit.range.end > offset) continue;
    shift += edit.newText.length - (edit.range.end - edit.range.start);
  }
  return offset + shift;
}

function isStringLiteral(text: string, syntax: 'json' | 'bicep'): boolean {
  if (syntax === 'bicep') return /^'(?:[^'\\$]|\\.|\$(?!\{))*'$/s.test(text);
  try {
    return typeof JSON.parse(text) === 'string' && text.startsWith('"');
  } catch {
    return false;
  }
}

function syntaxOf(file: string): 'json' | 'bicep' {
  return /\.bicep(param)?$/i.test(file) ? 'bicep' : 'json';
}

function jsonErrorCount(text: string): number {
  const errors: ParseError[] = [];
  parseJson(text, errors, { allowTrailingComma: true, disallowComments: false });
  return errors.length;
}

function describeFinding(finding: Finding): string {
  return `${finding.code} at ${finding.location.file}:${finding.location.range.start} (${JSON.stringify(finding.image)})`;
}

/** Applies one fix in memory, analyses again and returns what is wrong with the result. */
function verifyFix(entry: string, settings: AnalysisSettings, before: AnalysisResult, finding: Finding, fix: Fix): string[] {
  const problems: string[] = [];
  const where = `${describeFinding(finding)}, fix "${fix.title}"`;
  const host = new MapFileHost(diskText);
  const original = new Map<string, string>();
  const byFile = new Map<string, TextEdit[]>();
  for (const edit of fix.edits) byFile.set(path.resolve(edit.file), [...(byFile.get(path.resolve(edit.file)) ?? []), edit]);
  for (const [file, edits] of byFile) {
    const text = diskText(file);
    if (text === undefined) {
      problems.push(`${where}: edits ${file}, which cannot be read`);
      continue;
    }
    original.set(file, text);
    for (const edit of edits) {
      const replaced = text.slice(edit.range.start, edit.range.end);
      if (!isStringLiteral(replaced, syntaxOf(file)))
        problems.push(`${where}: replaces ${JSON.stringify(replaced)}, not a string literal`);
      if (!isStringLiteral(edit.newText, syntaxOf(file)))
        problems.push(`${where}: writes ${JSON.stringify(edit.newText)}, not a string literal`);
    }
    let edited: string;
    try {
      edited = applyEdits(text, edits);
    } catch (error) {
      problems.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    // Outside the edits, the text is byte-identical: compare the pieces between the edits.
    const sorted = [...edits].sort((a, b) => a.range.start - b.range.start);
    let from = 0;
    let to = 0;
    for (const edit of sorted) {
      const piece = text.slice(from, edit.range.start);
      if (edited.slice(to, to + piece.length) !== piece)
        problems.push(`${where}: text before offset ${edit.range.start} changed`);
      to += piece.length + edit.newText.length;
      from = edit.range.end;
    }
    if (edited.slice(to) !== text.slice(from)) problems.push(`${where}: text after the last edit changed`);
    if (syntaxOf(file) === 'json' && jsonErrorCount(edited) > jsonErrorCount(text))
      problems.push(`${where}: ${file} no longer parses as JSON`);
    host.set(file, edited);
  }
  if (problems.length > 0) return problems;

  const entryText = host.readFile(entry);
  if (entryText === undefined) return [`${where}: the entry ${entry} cannot be read`];
  const after = analyzeDocument(entry, entryText, host, settings);
  if (after.problems.length > before.problems.length) {
    const known = new Set(before.problems.map((problem) => problem.message));
    const added = after.problems.filter((problem) => !known.has(problem.message)).map((problem) => problem.message);
    problems.push(`${where}: new reader problems: ${added.join('; ') || '(more of the same)'}`);
  }
  const mapped = (location: { file: string; range: { start: number } }) =>
    `${path.resolve(location.file)}\u0000${mapOffset(location.range.start, location.file, fix.edits)}`;
  const findingPlace = mapped(finding.location);
  const stillThere = after.findings.find(
    (candidate) =>
      candidate.code === finding.code &&
      `${path.resolve(candidate.location.file)}\u0000${candidate.location.range.start}` === findingPlace,
  );
  if (stillThere) problems.push(`${where}: the finding is still there: ${stillThere.message}`);
  const editedRanges = fix.edits.map((edit) => {
    const start = mapOffset(edit.range.start, edit.file, fix.edits);
    return { file: path.resolve(edit.file), start, end: start + edit.newText.length };
  });
  const beforePlaces = new Set(before.findings.map((candidate) => `${candidate.code}\u0000${mapped(candidate.location)}`));
  for (const candidate of after.findings) {
    if (!forbiddenAfterFix.has(candidate.code)) continue;
    const file = path.resolve(candidate.location.file);
    const onEdit = editedRanges.some(
      (range) =>
        range.file === file && range.start <= candidate.location.range.start && candidate.location.range.start < range.end,
    );
    if (onEdit && !beforePlaces.has(`${candidate.code}\u0000${file}\u0000${candidate.location.range.start}`)) {
      problems.push(`${where}: the fix brings ${candidate.code}: ${candidate.message}`);
    }
  }
  return problems;
}

function verifyFiles(files: readonly string[]): Verification {
  const verification: Verification = { fixes: 0, findings: 0, failures: [] };
  for (const { file, settings } of entriesOf(files)) {
    const text = diskText(file);
    if (text === undefined) continue;
    const before = analyzeDocument(file, text, new MapFileHost(diskText), settings);
    for (const finding of before.findings) {
      if (finding.fixes.length === 0) continue;
      verification.findings++;
      for (const fix of finding.fixes) {
        verification.fixes++;
        verification.failures.push(...verifyFix(file, settings, before, finding, fix));
      }
    }
  }
  return verification;
}

describe('fix verification', () => {
  for (const folder of caseFolders(path.join(fixturesRoot, 'rules'))) {
    test(`rule fixture ${path.basename(folder)}`, (context) => {
      const verification = verifyFiles(caseFiles(folder));
      context.diagnostic(`${verification.fixes} fixes of ${verification.findings} findings verified`);
      assert.deepEqual(verification.failures, []);
    });
  }

  test('the verification catches a fix that changes nothing, writes no literal or edits outside a literal', () => {
    const entry = path.join(fixturesRoot, 'rules', 'literal-values', 'main.json');
    const settings: AnalysisSettings = { catalog: bundledCatalog, config: { rules: {} }, asOf: fuzzDate };
    const before = analyzeDocument(entry, diskText(entry)!, new MapFileHost(diskText), settings);
    const finding = before.findings.find((candidate) => candidate.code === 'end-of-support' && candidate.fixes.length > 0);
    assert.ok(finding, 'the fixture has no fixable end-of-support finding');
    const edit = finding.fixes[0].edits[0];
    const original = diskText(edit.file)!.slice(edit.range.start, edit.range.end);
    const broken = (newText: string, range = edit.range): Fix => ({
      title: 'broken',
      isPreferred: false,
      edits: [{ ...edit, range, newText }],
    });
    assert.match(verifyFix(entry, settings, before, finding, broken(original)).join('\n'), /the finding is still there/);
    assert.match(verifyFix(entry, settings, before, finding, broken('latest')).join('\n'), /not a string literal/);
    const wider = { start: edit.range.start - 1, end: edit.range.end };
    assert.match(
      verifyFix(entry, settings, before, finding, broken(original, wider)).join('\n'),
      /replaces .* not a string literal/,
    );
  });

  test('every fix in the corpus', (context) => {
    const verification = verifyFiles(collectFiles([corpusRoot]).files);
    context.diagnostic(`${verification.fixes} fixes of ${verification.findings} findings verified`);
    assert.ok(verification.fixes > 0, 'the corpus offers no fix at all');
    assert.deepEqual(verification.failures, []);
  });
});
