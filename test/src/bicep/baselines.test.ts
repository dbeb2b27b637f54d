/**
 * Conformance of our Bicep parser with the Bicep compiler's own sample baselines
 * (test/fixtures/bicep-baselines, copied from Azure/bicep; its README says what and from where).
 * Each folder holds a sample's sources and `main.diagnostics.bicep`: the same `main.bicep` with
 * every diagnostic Bicep reports written under the line it is about. A folder whose diagnostics
 * hold no parse-level error is valid Bicep syntax, and every source file in it must parse without
 * a problem; in a folder that holds some, we must report a problem in `main.bicep` too, on the
 * line of the first parse-level error of each declaration Bicep reports one in.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parseBicep } from '../../../server/out/core/bicep/parser';
import { LineIndex } from '../../../server/out/core/text';
import { bicepBaselinesRoot as baselinesRoot } from '../harness/fixtures';

/**
 * The diagnostic codes Bicep's lexer and parser report: what a syntax problem of ours stands for.
 * Taken from Azure/bicep, src/Bicep.Core/Parsing/ (Lexer.cs, BaseParser.cs, Parser.cs,
 * ParamsParser.cs), each the code of the `DiagnosticBuilder` method called there
 * (src/Bicep.Core/Diagnostics/DiagnosticBuilder.cs). Left out on purpose, although
 * ParseDiagnosticsVisitor.cs reports them over the parsed tree: BCP024 (a name longer than 255
 * characters), BCP025 (a property declared twice) and BCP112 (`targetScope` declared twice), limits
 * and duplicates in text that parses; and the semantic checks that accompany a parse error
 * (BCP090, BCP358: a module or test without a path; BCP132, BCP153, BCP292: a decorator without
 * the declaration it needs).
 */
const parseLevelCodes = new Set([
  // Lexer.cs
  'BCP001', // UnrecognizedToken
  'BCP002', // UnterminatedMultilineComment
  'BCP003', // UnterminatedString
  'BCP004', // UnterminatedStringWithNewLine
  'BCP005', // UnterminatedStringEscapeSequenceAtEof
  'BCP006', // UnterminatedStringEscapeSequenceUnrecognized
  'BCP103', // DoubleQuoteToken
  'BCP133', // InvalidUnicodeEscape
  'BCP140', // UnterminatedMultilineString
  'BCP226', // MissingDiagnosticCodes
  // BaseParser.cs, Parser.cs, ParamsParser.cs
  'BCP007', // UnrecognizedDeclaration
  'BCP008', // ExpectedParameterContinuation
  'BCP009', // UnrecognizedExpression
  'BCP010', // InvalidInteger
  'BCP011', // InvalidType
  'BCP012', // ExpectedKeyword
  'BCP013', // ExpectedParameterIdentifier
  'BCP015', // ExpectedVariableIdentifier
  'BCP016', // ExpectedOutputIdentifier
  'BCP017', // ExpectedResourceIdentifier
  'BCP018', // ExpectedCharacter
  'BCP019', // ExpectedNewLine
  'BCP020', // ExpectedFunctionOrPropertyName
  'BCP021', // ExpectedNumericLiteral
  'BCP022', // ExpectedPropertyName
  'BCP023', // ExpectedVariableOrFunctionName
  'BCP064', // UnexpectedTokensInInterpolation
  'BCP068', // ExpectedResourceTypeString
  'BCP087', // ComplexLiteralsNotAllowed
  'BCP096', // ExpectedModuleIdentifier
  'BCP097', // ExpectedModulePathString
  'BCP117', // EmptyIndexerNotAllowed
  'BCP118', // ExpectBodyStartOrIfOrLoopStart
  'BCP123', // ExpectedNamespaceOrDecoratorName
  'BCP136', // ExpectedLoopVariableIdentifier
  'BCP162', // ExpectedLoopItemIdentifierOrVariableBlockStart
  'BCP167', // ExpectBodyStartOrIf
  'BCP236', // ExpectedNewLineOrCommaSeparator
  'BCP237', // ExpectedCommaSeparator
  'BCP238', // UnexpectedNewLineAfterCommaSeparator
  'BCP243', // ParenthesesMustHaveExactlyOneItem
  'BCP249', // ExpectedLoopVariableBlockWith2Elements
  'BCP266', // ExpectedMetadataIdentifier
  'BCP279', // UnrecognizedTypeExpression
  'BCP300', // ExpectedTypeLiteral
  'BCP305', // ExpectedWithOrAsKeywordOrNewLine
  'BCP322', // SafeDereferenceNotPermittedOnInstanceFunctions
  'BCP325', // ExpectedTypeIdentifier
  'BCP337', // UnrecognizedParamsFileDeclaration
  'BCP344', // ExpectedAssertIdentifier
  'BCP346', // ExpectedTestIdentifier
  'BCP347', // ExpectedTestPathString
  'BCP354', // ExpectedSymbolListOrWildcard
  'BCP355', // ExpectedExportedSymbolName
  'BCP356', // ExpectedNamespaceIdentifier
  'BCP375', // ImportListItemDoesNotIncludeDeclaredSymbolName
]);

/** One diagnostic of a baseline: the (0-based) line of `main.bicep` it is about, and its code. */
interface BaselineDiagnostic {
  line: number;
  column: number;
  code: string;
}

const diagnosticLine = /^\/\/@\[(\d+):(\d+)\) \[([A-Za-z0-9-]+) \((?:Error|Warning|Info)\)\].*\(bicep[^)]*\) \|(.*)\|$/;

/** The diagnostics of a folder's `main.diagnostics.bicep`, checked against its `main.bicep`. */
function readDiagnostics(folder: string): BaselineDiagnostic[] {
  const lines = fs.readFileSync(path.join(folder, 'main.diagnostics.bicep'), 'utf8').split(/\r\n|\n/);
  const source: string[] = [];
  const diagnostics: BaselineDiagnostic[] = [];
  for (const line of lines) {
    const match = diagnosticLine.exec(line);
    // A diagnostic is written under the last line of its span, whose text it quotes with its
    // line breaks escaped; its column is on the first line.
    if (match) {
      const lineBreaks = match[4].replace(/(\\r)?\\n$/, '').split('\\n').length - 1;
      diagnostics.push({ line: source.length - 1 - lineBreaks, column: Number(match[1]), code: match[3] });
    } else source.push(line);
  }
  // The diagnostics file is the source with lines inserted: what remains is `main.bicep`.
  const main = fs
    .readFileSync(path.join(folder, 'main.bicep'), 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n/);
  const withoutTrailingLines = (text: string[]) => text.join('\n').replace(/\n+$/, '');
  assert.equal(
    withoutTrailingLines(source),
    withoutTrailingLines(main),
    `${path.basename(folder)}: diagnostics and source differ`,
  );
  return diagnostics;
}

function sourceFilesUnder(folder: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) files.push(...sourceFilesUnder(full));
    else if (/\.(bicep|bicepparam)$/.test(entry.name) && !entry.name.endsWith('.diagnostics.bicep')) files.push(full);
  }
  return files.sort();
}

const folders = fs
  .readdirSync(baselinesRoot, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(baselinesRoot, entry.name, 'main.diagnostics.bicep')))
  .map((entry) => entry.name)
  .sort();

function syntaxDiagnosticsOf(folder: string): BaselineDiagnostic[] {
  return readDiagnostics(path.join(baselinesRoot, folder)).filter((diagnostic) => parseLevelCodes.has(diagnostic.code));
}

/** Our problems in a file, as `line:column message` (1-based), for messages. */
function problemsOf(file: string): { lines: number[]; described: string[] } {
  const text = fs.readFileSync(file, 'utf8');
  const lines = new LineIndex(text);
  const { problems } = parseBicep(text);
  const positions = problems.map((problem) => lines.positionAt(problem.range.start));
  return {
    lines: positions.map((position) => position.line),
    described: problems.map(
      (problem, index) => `${positions[index].line + 1}:${positions[index].character + 1} ${problem.message}`,
    ),
  };
}

describe('bicep parser: the Bicep compiler’s sample baselines', () => {
  test('the baselines are there, and the folders named Invalid are the ones with parse-level errors', () => {
    assert.ok(folders.length >= 60, `found only ${folders.length} baseline folders`);
    const withErrors = folders.filter((folder) => syntaxDiagnosticsOf(folder).length > 0);
    assert.ok(withErrors.length >= 15);
    for (const folder of withErrors) assert.match(folder, /^Invalid/);
  });

  const valid = folders.filter((folder) => syntaxDiagnosticsOf(folder).length === 0);
  for (const folder of valid) {
    test(`${folder}: every file parses without a problem`, () => {
      const files = sourceFilesUnder(path.join(baselinesRoot, folder));
      assert.ok(files.length > 0);
      for (const file of files) {
        assert.deepEqual(problemsOf(file).described, [], path.relative(baselinesRoot, file));
      }
    });
  }

  for (const folder of folders.filter((name) => !valid.includes(name))) {
    test(`${folder}: a problem where Bicep reports a parse-level error`, () => {
      const ours = problemsOf(path.join(baselinesRoot, folder, 'main.bicep'));
      assert.ok(ours.lines.length > 0, 'no problem reported');
      const missed = firstErrorLinesPerDeclaration(folder).filter((line) => !ours.lines.includes(line));
      assert.deepEqual(
        missed.map((line) => line + 1),
        Object.keys(reportedElsewhere[folder] ?? {}).map(Number),
        `lines with a parse-level error and no problem of ours (ours: ${ours.described.join('; ')})`,
      );
    });
  }
});

/**
 * The declarations whose first problem we report on another line than Bicep (by the 1-based line
 * of Bicep's), and why: our recovery differs, the problem is the same.
 */
const reportedElsewhere: Record<string, Record<number, string>> = {
  InvalidLambdas_LF: {
    90: "`(a,\n ,) =>`: we report the first comma (line 89) as a parenthesis's end, Bicep the empty item after it",
  },
  InvalidTestFramework_CRLF: {
    125: 'an unclosed `{`: we report it where it opens (line 122), Bicep the missing `}` at the end of the file',
  },
};

/**
 * The line of the first parse-level error of each declaration: Bicep reports an error for each
 * part of a broken declaration where we report the first and resume at the next declaration.
 * A declaration starts at a line that starts with a letter or `@` (the baselines indent the rest).
 */
function firstErrorLinesPerDeclaration(folder: string): number[] {
  const source = fs
    .readFileSync(path.join(baselinesRoot, folder, 'main.bicep'), 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n/);
  const declarationOf = (line: number) => {
    let start = line;
    while (start > 0 && !/^[A-Za-z@#]/.test(source[start])) start--;
    return start;
  };
  const seen = new Set<number>();
  const lines: number[] = [];
  for (const diagnostic of syntaxDiagnosticsOf(folder)) {
    const declaration = declarationOf(diagnostic.line);
    if (seen.has(declaration)) continue;
    seen.add(declaration);
    lines.push(diagnostic.line);
  }
  return lines;
}
