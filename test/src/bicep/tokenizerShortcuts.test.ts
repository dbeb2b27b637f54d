/**
 * The tokenizer reads the most frequent characters (spaces, new lines, names, one-character
 * tokens, strings without escapes or holes) in a shortcut loop and leaves the rest to its general
 * scanner. These tests check that the shortcuts give exactly the tokens, flags, problems and
 * directives of the general scanner alone, on purpose-written texts around every shortcut's edge,
 * on every corpus and fixture file, and on deterministic mutations of them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tokenize, tokenizeWithoutShortcuts, type TokenizeResult } from '../../../server/out/core/bicep/tokenizer';
import { Random } from '../fuzz/mutator';
import { corpusFolder, filesUnder, fixturesFolder } from '../harness/sharedReading';

function comparable(result: TokenizeResult): unknown {
  const { kinds, starts, ends, flags, count } = result.tokens;
  return {
    kinds: [...kinds.subarray(0, count)],
    starts: [...starts.subarray(0, count)],
    ends: [...ends.subarray(0, count)],
    flags: [...flags.subarray(0, count)],
    problems: result.problems,
    directives: result.directives,
  };
}

function assertSameTokens(text: string, label: string): void {
  assert.deepEqual(comparable(tokenize(text)), comparable(tokenizeWithoutShortcuts(text)), label);
}

/** Texts at the edges of the shortcuts: strings, holes, braces in holes, line ends, odd spaces. */
const purposeWritten: string[] = [
  "var a = 'plain'\nvar b = ''\nvar c = '''\nmulti'''\nvar d = $'''x${y}'''\n",
  "var a = 'it\\'s'\nvar b = '\\u{1F600}\\n\\$'\nvar c = 'bad \\q escape'\n",
  "var a = '${b}'\nvar c = 'x${ { d: '${e}' } }y'\nvar f = '${ {} }${[]}'\n",
  "var a = '${b\nvar c = 'open\nvar d = 'open at end",
  "var a = '${ { }\nvar b = }\nvar c = '$'\nvar d = '$$'\nvar e = '${'",
  'var a = {\r\n  b: 1\r\n}\r\nvar c = [\r  1\r]\n',
  'var a = {\t\u00a0b:\u000b1\u000c}\ufeff\n',
  '// comment\n/* block */ var a = 1 /* open',
  '#disable-next-line no-unused-vars\n#disable-next-line\n# not\nvar a = 1\n',
  'var a = (1 + -2) * 3 % 4 / 5\nvar b = a[0], c = a.b.c; d = @x\nvar e = ...f\nvar g = a ?? b ?: c',
  'var a = x == y != z =~ w !~ v < u <= t > s >= r && q || p | o => n :: m',
  'var _a1 = true\nvar b = false\nvar c = null\nvar truex = nullable\nvar é = 1\nvar a = ~$`^\\',
  'var a = "double"\nvar b = 123abc\nvar c = 1.5\nvar d = 0x10',
  "resource r 'Microsoft.Compute/virtualMachines@2024-03-01' = {\n  name: 'vm'\n  properties: {}\n}\n",
];

const edits = [
  '{',
  '}',
  "'",
  '${',
  '\n',
  '\r\n',
  '\r',
  '$',
  '\\',
  "'''",
  '/*',
  '//',
  '#',
  '\t',
  '\u00a0',
  '~',
  '"',
  '...',
  '::',
  '?',
];

function mutants(text: string, seed: number, count: number): string[] {
  const random = new Random(seed);
  const result: string[] = [];
  for (let index = 0; index < count; index++) {
    let mutant = text;
    for (let change = 0; change < 1 + random.below(4); change++) {
      const at = random.below(mutant.length + 1);
      mutant =
        random.next() < 0.3
          ? mutant.slice(0, at) + mutant.slice(at + 1)
          : mutant.slice(0, at) + random.pick(edits) + mutant.slice(at);
    }
    result.push(mutant);
  }
  return result;
}

describe('Bicep tokenizer shortcuts', () => {
  it('give the tokens of the general scanner on purpose-written texts and their mutations', () => {
    purposeWritten.forEach((text, index) => {
      assertSameTokens(text, `text ${index}`);
      for (const mutant of mutants(text, index + 1, 60)) assertSameTokens(mutant, `mutant of text ${index}`);
    });
  });

  it('give the tokens of the general scanner on every corpus and fixture file, and on mutations of them', () => {
    const files = [
      ...filesUnder(corpusFolder, /\.(bicep|bicepparam)$/i),
      ...filesUnder(fixturesFolder, /\.(bicep|bicepparam)$/i),
    ];
    assert.ok(files.length > 0);
    files.forEach((file, index) => {
      const text = fs.readFileSync(file, 'utf8');
      assertSameTokens(text, file);
      for (const mutant of mutants(text, 2000 + index, 5)) assertSameTokens(mutant, `mutant of ${file}`);
    });
  });
});
