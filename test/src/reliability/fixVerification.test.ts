/**
 * Fix verification: every fix offered for every finding in the corpus and in the rule fixtures is
 * applied to an in-memory copy of the files it edits, and every entry that reads an edited file is
 * analysed again (the entry itself, the templates of an edited parameter file, the parents of an
 * edited module, the other parameter files of an edited template). The edited files must still
 * read without new problems, the finding must be gone from the value it was on, no end-of-support,
 * not-endorsed or unknown-image finding may appear anywhere in those entries, every parameter
 * value and default must still be one of its allowed values, each edit must replace one string
 * literal by another (or add one to an allowed list), and the text outside the edits must be
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
import { corpusRoot, diskText, fixturesRoot, fuzzDate, MapFileHost, repositoryRoot } from '../fuzz/harness';

/** Codes a fix must never introduce on the values it writes. */
const forbiddenAfterFix = new Set(['end-of-support', 'not-endorsed', 'unknown-image']);

interface Verification {
  fixes: number;
  findings: number;
  failures: string[];
  /** Fixes that brought a forbidden finding to a value they did not edit, or to another entry. */
  breakingElsewhere: number;
  /** Fixes that left a parameter value or default outside its allowed values. */
  outsideAllowed: number;
}

/** An entry of a scan with the settings it is analysed with and its analysis before any fix. */
interface Entry {
  file: string;
  settings: AnalysisSettings;
  before: AnalysisResult;
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

/** An edit that adds a value to an allowed list: a separator and a string literal. */
function isAddedListItem(replaced: string, newText: string, syntax: 'json' | 'bicep'): boolean {
  if (replaced !== '') return false;
  const item = /^(?:,?\s*)(.*)$/s.exec(newText)![1];
  return isStringLiteral(item, syntax);
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

/** What a fix did wrong, by kind (a fix may do several). */
interface FixCheck {
  problems: string[];
  breaksElsewhere: boolean;
  leavesOutsideAllowed: boolean;
}

/**
 * Applies one fix in memory, analyses again every entry that reads an edited file, and returns
 * what is wrong with the result. `entries` are the entries of the scan the fix comes from.
 */
function verifyFix(entry: Entry, finding: Finding, fix: Fix, entries: readonly Entry[] = [entry]): FixCheck {
  const check: FixCheck = { problems: [], breaksElsewhere: false, leavesOutsideAllowed: false };
  const problems = check.problems;
  const where = `${describeFinding(finding)}, fix "${fix.title}"`;
  const host = new MapFileHost(diskText);
  const byFile = new Map<string, TextEdit[]>();
  for (const edit of fix.edits) byFile.set(path.resolve(edit.file), [...(byFile.get(path.resolve(edit.file)) ?? []), edit]);
  for (const [file, edits] of byFile) {
    const text = diskText(file);
    if (text === undefined) {
      problems.push(`${where}: edits ${file}, which cannot be read`);
      continue;
    }
    for (const edit of edits) {
      const replaced = text.slice(edit.range.start, edit.range.end);
      if (isAddedListItem(replaced, edit.newText, syntaxOf(file))) continue;
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
  if (problems.length > 0) return check;

  const mapped = (location: { file: string; range: { start: number } }) =>
    `${path.resolve(location.file)}\u0000${mapOffset(location.range.start, location.file, fix.edits)}`;
  const editedFiles = new Set(byFile.keys());
  const affected = entries.filter(
    (other) =>
      other === entry ||
      editedFiles.has(path.resolve(other.file)) ||
      other.before.dependencies.some((dependency) => editedFiles.has(path.resolve(dependency))),
  );
  for (const other of affected) {
    const entryText = host.readFile(other.file);
    if (entryText === undefined) {
      problems.push(`${where}: the entry ${other.file} cannot be read`);
      continue;
    }
    const after = analyzeDocument(other.file, entryText, host, other.settings);
    const before = other.before;
    const inEntry = other === entry ? '' : ` (in ${path.basename(other.file)})`;
    if (after.problems.length > before.problems.length) {
      const known = new Set(before.problems.map((problem) => problem.message));
      const added = after.problems.filter((problem) => !known.has(problem.message)).map((problem) => problem.message);
      problems.push(`${where}: new reader problems${inEntry}: ${added.join('; ') || '(more of the same)'}`);
    }
    if (other === entry) {
      const findingPlace = mapped(finding.location);
      const stillThere = after.findings.find(
        (candidate) =>
          candidate.code === finding.code &&
          `${path.resolve(candidate.location.file)}\u0000${candidate.location.range.start}` === findingPlace,
      );
      if (stillThere) problems.push(`${where}: the finding is still there: ${stillThere.message}`);
    }
    const editedRanges = fix.edits.map((edit) => {
      const start = mapOffset(edit.range.start, edit.file, fix.edits);
      return { file: path.resolve(edit.file), start, end: start + edit.newText.length };
    });
    const beforePlaces = new Set(before.findings.map((candidate) => `${candidate.code}\u0000${mapped(candidate.location)}`));
    for (const candidate of after.findings) {
      if (!forbiddenAfterFix.has(candidate.code)) continue;
      const file = path.resolve(candidate.location.file);
      if (beforePlaces.has(`${candidate.code}\u0000${file}\u0000${candidate.location.range.start}`)) continue;
      const onEdit = editedRanges.some(
        (range) =>
          range.file === file && range.start <= candidate.location.range.start && candidate.location.range.start < range.end,
      );
      if (!onEdit || other !== entry) check.breaksElsewhere = true;
      problems.push(`${where}: the fix brings ${candidate.code}${onEdit ? '' : ' elsewhere'}${inEntry}: ${candidate.message}`);
    }
  }
  for (const violation of allowedValueViolations(editedFiles, host, affected)) {
    check.leavesOutsideAllowed = true;
    problems.push(`${where}: ${violation}`);
  }
  return check;
}

/** The allowed values of each parameter of a template text (JSON or Bicep), by name in lower case. */
function allowedListsOf(file: string, text: string): Map<string, string[]> {
  const lists = new Map<string, string[]>();
  if (syntaxOf(file) === 'json') {
    const template = parseJson(text, [], { allowTrailingComma: true }) as {
      parameters?: Record<string, { allowedValues?: unknown }>;
    };
    for (const [name, declaration] of Object.entries(template?.parameters ?? {})) {
      if (Array.isArray(declaration?.allowedValues)) lists.set(name.toLowerCase(), declaration.allowedValues.map(String));
    }
  } else {
    for (const match of text.matchAll(/@allowed\(\s*\[([^\]]*)\]\s*\)\s*(?:@[^\n]*\s*)*param\s+(\w+)/g)) {
      lists.set(
        match[2].toLowerCase(),
        [...match[1].matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((item) => item[1]),
      );
    }
  }
  return lists;
}

/** The string value each parameter of a file is given (defaults of a template, values of a parameter file). */
function givenValuesOf(file: string, text: string): Map<string, string> {
  const values = new Map<string, string>();
  if (syntaxOf(file) === 'json') {
    const document = parseJson(text, [], { allowTrailingComma: true }) as {
      parameters?: Record<string, { defaultValue?: unknown; value?: unknown }>;
    };
    for (const [name, declaration] of Object.entries(document?.parameters ?? {})) {
      const value = declaration?.defaultValue ?? declaration?.value;
      if (typeof value === 'string' && !value.startsWith('[')) values.set(name.toLowerCase(), value);
    }
  } else {
    for (const match of text.matchAll(/^\s*param\s+(\w+)(?:\s+\w+)?\s*=\s*'((?:[^'\\$]|\\.)*)'\s*$/gm))
      values.set(match[1].toLowerCase(), match[2]);
  }
  return values;
}

/**
 * Parameter values outside the allowed values of their parameter, in the edited files, that were
 * not outside before: defaults of a template, values of a parameter file against the templates
 * of the entries that read it.
 */
function allowedValueViolations(editedFiles: ReadonlySet<string>, host: MapFileHost, affected: readonly Entry[]): string[] {
  const violations: string[] = [];
  const outside = (read: (file: string) => string | undefined, file: string, templates: readonly string[]) => {
    const found = new Set<string>();
    const text = read(file);
    if (text === undefined) return found;
    for (const template of templates) {
      const templateText = read(template);
      if (templateText === undefined) continue;
      const lists = allowedListsOf(template, templateText);
      for (const [name, value] of givenValuesOf(file, text)) {
        const allowed = lists.get(name);
        if (allowed && !allowed.includes(value))
          found.add(
            `${path.basename(file)}: '${value}' is not an allowed value of parameter '${name}' in ${path.basename(template)}`,
          );
      }
    }
    return found;
  };
  for (const file of editedFiles) {
    // A template's defaults against its own lists; a parameter file's values against the templates it is read with.
    const templates = affected
      .filter((entry) => entry.before.dependencies.some((dependency) => path.resolve(dependency) === file))
      .flatMap((entry) => [entry.file, ...entry.before.dependencies])
      .map((name) => path.resolve(name))
      .filter((name) => name !== file && !/\.parameters\.|\.bicepparam$/i.test(name));
    const against = /\.parameters\.|\.bicepparam$/i.test(file) ? [...new Set(templates)] : [file];
    const before = outside(diskText, file, against);
    for (const violation of outside((name) => host.readFile(name), file, against))
      if (!before.has(violation)) violations.push(violation);
  }
  return violations;
}

function verifyFiles(files: readonly string[]): Verification {
  const verification: Verification = { fixes: 0, findings: 0, failures: [], breakingElsewhere: 0, outsideAllowed: 0 };
  const entries: Entry[] = [];
  for (const { file, settings } of entriesOf(files)) {
    const text = diskText(file);
    if (text === undefined) continue;
    entries.push({ file, settings, before: analyzeDocument(file, text, new MapFileHost(diskText), settings) });
  }
  for (const entry of entries) {
    for (const finding of entry.before.findings) {
      if (finding.fixes.length === 0) continue;
      verification.findings++;
      for (const fix of finding.fixes) {
        verification.fixes++;
        const check = verifyFix(entry, finding, fix, entries);
        verification.failures.push(...check.problems);
        if (check.breaksElsewhere) verification.breakingElsewhere++;
        if (check.leavesOutsideAllowed) verification.outsideAllowed++;
      }
    }
  }
  return verification;
}

/** What a verification says in the test's diagnostics. */
function summary(verification: Verification): string {
  return `${verification.fixes} fixes of ${verification.findings} findings verified; ${verification.breakingElsewhere} bring a finding elsewhere, ${verification.outsideAllowed} leave a value outside its allowed values`;
}

describe('fix verification', () => {
  for (const folder of caseFolders(path.join(fixturesRoot, 'rules'))) {
    test(`rule fixture ${path.basename(folder)}`, (context) => {
      const verification = verifyFiles(caseFiles(folder));
      context.diagnostic(summary(verification));
      assert.deepEqual(verification.failures, []);
    });
  }

  test('the verification catches a fix that changes nothing, writes no literal or edits outside a literal', () => {
    const entry = path.join(fixturesRoot, 'rules', 'literal-values', 'main.json');
    const settings: AnalysisSettings = { catalog: bundledCatalog, config: { rules: {} }, asOf: fuzzDate };
    const before = analyzeDocument(entry, diskText(entry)!, new MapFileHost(diskText), settings);
    const self: Entry = { file: entry, settings, before };
    const finding = before.findings.find((candidate) => candidate.code === 'end-of-support' && candidate.fixes.length > 0);
    assert.ok(finding, 'the fixture has no fixable end-of-support finding');
    const edit = finding.fixes[0].edits[0];
    const original = diskText(edit.file)!.slice(edit.range.start, edit.range.end);
    const broken = (newText: string, range = edit.range): Fix => ({
      title: 'broken',
      isPreferred: false,
      edits: [{ ...edit, range, newText }],
    });
    assert.match(verifyFix(self, finding, broken(original)).problems.join('\n'), /the finding is still there/);
    assert.match(verifyFix(self, finding, broken('latest')).problems.join('\n'), /not a string literal/);
    const wider = { start: edit.range.start - 1, end: edit.range.end };
    assert.match(verifyFix(self, finding, broken(original, wider)).problems.join('\n'), /replaces .* not a string literal/);
  });

  test('every fix in the bundled examples', (context) => {
    const verification = verifyFiles(collectFiles([path.join(repositoryRoot, 'examples')]).files);
    context.diagnostic(summary(verification));
    assert.ok(verification.fixes > 0, 'the examples offer no fix at all');
    assert.deepEqual(verification.failures, []);
  });

  test('every fix in the corpus', (context) => {
    const verification = verifyFiles(collectFiles([corpusRoot]).files);
    context.diagnostic(summary(verification));
    assert.ok(verification.fixes > 0, 'the corpus offers no fix at all');
    assert.deepEqual(verification.failures, []);
  });
});
