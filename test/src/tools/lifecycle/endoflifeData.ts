/**
 * Reads the vendored endoflife.date product files (`catalog-sources/endoflife/products/*.md`): the
 * `releases:` list in each file's YAML front matter. The files write that list in a small, regular
 * part of YAML (a list of flat maps of scalars), so this reads exactly that part and stops with the
 * file and line at anything else, rather than depend on a YAML library for nine files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The vendored copy of endoflife.date: README.md, LICENSE and `products/`. */
export const endoflifeFolder = path.resolve(__dirname, '../../../../catalog-sources/endoflife');

/** A value in a release entry: text (dates stay text), a boolean (`eol: false`), or null. */
export type ReleaseValue = string | boolean | null;

/** One entry of `releases:`, field by field as written. */
export type Release = Readonly<Record<string, ReleaseValue>>;

const keyPattern = '([A-Za-z][A-Za-z0-9_]*)';
/** `  - key: value`: the first line of an entry. */
const entryStart = new RegExp(`^  - ${keyPattern}:(?: (.*))?$`);
/** `    key: value`: a further field of the entry. */
const entryField = new RegExp(`^    ${keyPattern}:(?: (.*))?$`);

/** Reads the `releases:` entries of one product file's front matter. */
export function parseReleases(text: string, file: string): Release[] {
  const lines = text.split(/\r?\n/);
  const fail = (index: number, message: string): never => {
    throw new Error(`${file}:${index + 1}: ${message}`);
  };
  if (lines[0] !== '---') fail(0, 'expected YAML front matter starting with "---"');
  const end = lines.indexOf('---', 1);
  if (end < 0) fail(lines.length - 1, 'the front matter has no closing "---"');
  const start = lines.indexOf('releases:');
  if (start < 0 || start > end) fail(0, 'the front matter has no "releases:" list');

  const releases: Record<string, ReleaseValue>[] = [];
  for (let index = start + 1; index < end; index++) {
    const line = lines[index];
    if (/^\s*(#.*)?$/.test(line)) continue;
    if (!line.startsWith(' ')) break; // The next top-level key: the list has ended.
    const first = entryStart.exec(line);
    const further = first ? undefined : entryField.exec(line);
    const match = first ?? further;
    if (!match) return fail(index, `not an entry of the releases list this reader understands: ${JSON.stringify(line)}`);
    if (first) releases.push({});
    const release = releases[releases.length - 1];
    if (!release) return fail(index, 'a field before the first "- " entry');
    const key = match[1];
    if (Object.hasOwn(release, key)) fail(index, `"${key}" is given twice in one entry`);
    release[key] = parseScalar(match[2] ?? '', (message) => fail(index, message));
  }
  if (releases.length === 0) fail(start, 'the releases list is empty');
  return releases;
}

/** A plain, single-quoted or double-quoted scalar, with an optional comment after it. */
function parseScalar(written: string, fail: (message: string) => never): ReleaseValue {
  const text = written.trim();
  if (text.startsWith('"')) {
    const match = /^"((?:[^"\\]|\\.)*)"\s*(?:#.*)?$/.exec(text);
    if (!match) return fail(`unterminated or trailing text after a double-quoted value: ${text}`);
    try {
      return JSON.parse(`"${match[1]}"`) as string;
    } catch {
      return fail(`an escape this reader does not understand: ${text}`);
    }
  }
  if (text.startsWith("'")) {
    const match = /^'((?:[^']|'')*)'\s*(?:#.*)?$/.exec(text);
    if (!match) return fail(`unterminated or trailing text after a single-quoted value: ${text}`);
    return match[1].replace(/''/g, "'");
  }
  // A comment starts at a "#" after white space; a plain value may hold ": " (URLs) but not these.
  const value = text.replace(/(^|\s+)#.*$/, '');
  if (value === '') return fail('a field without a value (nested maps and lists are not read)');
  if (/^[[\]{}&*!|>%@`]/.test(value)) return fail(`YAML syntax this reader does not understand: ${value}`);
  if (value === 'true' || value === 'false') return value === 'true';
  if (value === 'null' || value === '~') return null;
  return value;
}

/** The releases of a product file, e.g. `ubuntu` for `products/ubuntu.md`. */
export function readProduct(product: string): Release[] {
  if (!/^[a-z0-9-]+$/.test(product)) throw new Error(`not a product file name: ${JSON.stringify(product)}`);
  const file = path.join(endoflifeFolder, 'products', `${product}.md`);
  return parseReleases(fs.readFileSync(file, 'utf8'), path.relative(process.cwd(), file) || file);
}
