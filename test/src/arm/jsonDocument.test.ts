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
import { parseJsonDocument, type JsonNode } from '../../../server/out/core/arm/jsonDocument';
import { parseJsonDocumentReference } from './referenceJsonReader';

const roots = [path.resolve(__dirname, '../../fixtures'), path.resolve(__dirname, '../../../../shared/corpus')];

function jsonFilesUnder(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  const files: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const child = path.join(folder, entry.name);
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
