/**
 * The lazy JSON reader against the reference reader it replaced: for every fixture and corpus
 * file, and for damaged copies of them (cut short, a character dropped or doubled, comments and
 * trailing commas added), both must give the same tree with the same offsets, or the same error
 * with the same range. The lazy reader builds nodes on demand, so the comparison walks the whole
 * tree and forces every level.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseJsonDocument, previousParseOf, type JsonDocument, type JsonNode } from '../../../server/out/core/arm/jsonDocument';
import { parseJsonDocumentReference } from './referenceJsonReader';
import { corpusRoot, fixturesRoot } from '../harness/fixtures';
import { random } from '../harness/random';

const roots = [fixturesRoot, corpusRoot];

function jsonFilesUnder(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  const files: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const child = path.join(folder, entry.name);
    // The corpus is a root of its own: not read a second time as a fixture.
    if (entry.isDirectory() && child === corpusRoot) continue;
    if (entry.isDirectory()) files.push(...jsonFilesUnder(child));
    else if (/\.jsonc?$/i.test(entry.name)) files.push(child);
  }
  return files.sort();
}

/** A plain copy of a tree with every lazy level forced, comparable with deepEqual. */
function plainTree(node: JsonNode): unknown {
  switch (node.type) {
    case 'object':
      return {
        type: node.type,
        start: node.start,
        end: node.end,
        properties: node.properties.map((property) => ({
          name: property.name,
          nameStart: property.nameStart,
          nameEnd: property.nameEnd,
          value: plainTree(property.value),
        })),
      };
    case 'array':
      return { type: node.type, start: node.start, end: node.end, items: node.items.map(plainTree) };
    default:
      return { type: node.type, start: node.start, end: node.end, value: node.value };
  }
}

function assertSameRead(text: string, label: string): void {
  const lazy = parseJsonDocument(text);
  const reference = parseJsonDocumentReference(text);
  assert.deepEqual(lazy.error, reference.error, `${label}: error`);
  assert.deepEqual(lazy.root && plainTree(lazy.root), reference.root && plainTree(reference.root as JsonNode), `${label}: tree`);
}

/** Damaged variants of a text at a few deterministic places. */
function damagedVariants(text: string): [string, string][] {
  const variants: [string, string][] = [];
  for (const fraction of [0.1, 0.37, 0.5, 0.81, 0.99]) {
    const at = Math.floor(text.length * fraction);
    variants.push([`cut at ${at}`, text.slice(0, at)]);
    variants.push([`dropped ${at}`, text.slice(0, at) + text.slice(at + 1)]);
    variants.push([`doubled ${at}`, text.slice(0, at + 1) + text.slice(at)]);
  }
  variants.push([
    'comments and trailing commas',
    `\ufeff// head\n${text.replace(/(["\d\]}])(\s*\n\s*)([}\]])/g, '$1, /* c */$2$3')}`,
  ]);
  return variants;
}

describe('lazy JSON reader', () => {
  const files = roots.flatMap(jsonFilesUnder);

  it('reads every fixture and corpus file as the reference reader does', () => {
    assert.ok(files.length > 100);
    for (const file of files) assertSameRead(fs.readFileSync(file, 'utf8'), file);
  });

  it('reports the same error for damaged files', () => {
    for (const file of files.filter((_, index) => index % 4 === 0)) {
      for (const [label, text] of damagedVariants(fs.readFileSync(file, 'utf8'))) assertSameRead(text, `${file} ${label}`);
    }
  });

  it('reads the edge cases of the grammar as the reference reader does', () => {
    const cases = [
      '',
      '   ',
      '{',
      '[',
      '{"a"',
      '{"a":',
      '{"a":1',
      '{"a":1,',
      '[1,',
      '[1 2]',
      '{"a" 1}',
      '{a:1}',
      '"\\u12"',
      '"\\x"',
      '"abc',
      '"a\\',
      '1e',
      '-',
      '+1',
      '.5',
      'tru',
      'nullx',
      '{} {}',
      '/* open',
      '[1,]',
      '{"a":1,}',
      '{"a":"line\nbreak"}',
      '{"e":"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9"}',
      '\ufeff{"bom":true}',
      '\u00a0[\u2028null\u2029]',
      '{"a":[{"b":[[],{}]},[1,{"c":{}}]],"d":{}}',
    ];
    for (const text of cases) assertSameRead(text, JSON.stringify(text));
  });

  it('refuses absurdly deep nesting without overflowing the stack', () => {
    const document = parseJsonDocument('['.repeat(100_000));
    assert.deepEqual(document.error, { message: 'The JSON is nested too deeply to read', range: { start: 0, end: 0 } });
  });
});

/** A document as a fresh read gives it: the tree with every level forced, the error, the containers. */
function plainDocument(document: JsonDocument): unknown {
  const trace = document.trace;
  return {
    error: document.error,
    root: document.root && plainTree(document.root),
    rootStart: document.rootStart,
    containers: trace && {
      starts: [...trace.starts.subarray(0, trace.count)],
      ends: [...trace.ends.subarray(0, trace.count)],
      next: [...trace.next.subarray(0, trace.count)],
      reads: [...trace.reads.subarray(0, trace.count)],
    },
  };
}

const typed = ['x', 'ab', '-1', '', ' ', '"', '\\', '\\"', '}', '{', ',', '\n', '/*', '// c\n', '\u00e9'];

/** An edit: mostly inside a string (replace, insert, delete), sometimes anywhere. */
function randomEdit(text: string, next: () => number): string {
  const strings = [...text.matchAll(/"(?:[^"\\\n]|\\.)*"/g)];
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  if (next() < 0.8 && strings.length > 0) {
    const match = pick(strings);
    const start = match.index! + 1 + Math.floor(next() * (match[0].length - 1));
    const end = Math.min(match.index! + match[0].length, start + Math.floor(next() * 3));
    return text.slice(0, start) + pick(typed) + text.slice(end);
  }
  const start = Math.floor(next() * (text.length + 1));
  return text.slice(0, start) + pick(typed) + text.slice(Math.min(text.length, start + Math.floor(next() * 2)));
}

describe('lazy JSON reader after an edit', () => {
  it('gives what a fresh read gives, whether it reuses the previous containers or scans again', () => {
    const files = roots.flatMap(jsonFilesUnder).filter((_, index) => index % 3 === 0);
    let reused = 0;
    let reads = 0;
    let seed = 1;
    for (const file of files) {
      const next = random(seed++);
      let text = fs.readFileSync(file, 'utf8');
      let previous = previousParseOf(text, parseJsonDocument(text));
      for (let step = 0; step < 8; step++) {
        text = randomEdit(text, next);
        const document = parseJsonDocument(text, previous);
        reads++;
        if (document.shift) reused++;
        assert.deepEqual(
          plainDocument(document),
          plainDocument(parseJsonDocument(text)),
          `${file}: step ${step} (seed ${seed - 1})`,
        );
        previous = previousParseOf(text, document) ?? previous;
      }
    }
    // Not vacuous: many edits reuse the containers, and many do not.
    assert.ok(reused > reads / 4 && reused < reads, `${reused} of ${reads} reads reused the containers`);
  });

  it('reuses the containers for typing inside a string only', () => {
    const text = '{"a": {"sku": "18.04-LTS", "n": 1, "e": "x\\"y"}, "b": [1, "two"] /* "c" */}';
    const previous = previousParseOf(text, parseJsonDocument(text))!;
    const edited = (from: string, to: string) => parseJsonDocument(text.replace(from, to), previous);
    assert.equal(edited('18.04', '20.04').shift !== undefined, true, 'a value');
    assert.equal(edited('"sku"', '"skus"').shift !== undefined, true, 'a name');
    assert.equal(edited('"two"', '"three"').shift !== undefined, true, 'an item');
    assert.equal(edited('"n": 1', '"n": 12').shift !== undefined, false, 'a number');
    assert.equal(edited('18.04-LTS', '18.04"-LTS').shift !== undefined, false, 'a quote');
    assert.equal(edited('x\\"y', 'x\\"yz').shift !== undefined, false, 'next to an escape');
    assert.equal(edited('/* "c" */', '/* "cd" */').shift !== undefined, false, 'a comment');
    assert.equal(edited('"b": [', '"b":  [').shift !== undefined, false, 'white space');
    const moved = edited('18.04', '20.04.1');
    assert.deepEqual(plainDocument(moved), plainDocument(parseJsonDocument(text.replace('18.04', '20.04.1'))));
  });
});
