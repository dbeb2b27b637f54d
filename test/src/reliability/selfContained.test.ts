/**
 * The repository is self-contained: a fresh clone with nothing beside it builds and passes its
 * tests. So no test, script or npm script may refer to a path outside the repository: not the
 * development machine's workspace (`/work/...`), not a sibling folder such as `../shared`, and no
 * relative path that climbs above the repository root from where the file runs (test sources run
 * from `test/out/`, the client's tests from `client/out/test/`, `.ci/` scripts from where they
 * are). Test input belongs under `test/fixtures/` (the real-world corpus is in
 * `test/fixtures/corpus/`). The checks are plain text checks on path-like forms, so the first
 * tests below pin down what they catch and what they let through.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { corpusRoot, repositoryRoot } from '../harness/fixtures';

/** Where the checked files are, and where each runs from relative to where it is written. */
const checkedFolders: readonly { source: string; runsFrom: string }[] = [
  { source: 'test/src', runsFrom: 'test/out' },
  { source: 'client/src/test', runsFrom: 'client/out/test' },
  { source: '.ci', runsFrom: '.ci' },
];

/** This file holds examples of what it forbids, so it is the one file not scanned. */
const thisFile = 'test/src/reliability/selfContained.test.ts';

/**
 * Names this project gives a variable holding the repository root: a path built from one of them
 * must stay inside the repository. Other bases (a temporary folder, say) are not checked.
 */
const repositoryRootNames = new Set(['repositoryRoot', 'repository', 'root']);

/** References that name a place outside any checkout, whatever the file. */
const outsidePatterns: readonly { pattern: RegExp; what: string }[] = [
  { pattern: /(?<![\w.~-])\/work\//, what: 'the development machine’s workspace (/work/)' },
  { pattern: /\.\.[\\/]+shared\b/, what: 'a sibling ../shared folder' },
  { pattern: /['"]\.\.['"]\s*,\s*['"]shared['"]/, what: "a sibling '..', 'shared' folder" },
];

const stringLiteral = String.raw`'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"`;
/** `path.resolve(base, 'a', 'b')` or `path.join(...)`: the base and its leading literal arguments. */
const pathCall = new RegExp(String.raw`\bpath\.(?:resolve|join)\(\s*([\w$]+)\s*((?:,\s*(?:${stringLiteral})\s*)+)`, 'g');
/** A relative module specifier: `from '../x'`, `require('../x')`, `require.resolve('../x')`, `import('../x')`. */
const moduleSpecifier = /(?:\bfrom\s+|\brequire(?:\.resolve)?\(\s*|\bimport\(\s*)(['"])(\.\.?[\\/][^'"]*)\1/g;

function literalValue(literal: string): string {
  return literal.slice(1, -1).replace(/\\(.)/g, '$1');
}

function isInside(folder: string, target: string): boolean {
  const relative = path.relative(folder, target);
  return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/**
 * What in a file's text refers outside the repository. `file` is relative to the repository
 * root and `runsFrom` is the folder it runs from (its `__dirname`), also relative to the root.
 */
function referencesOutside(file: string, runsFrom: string, text: string, root = repositoryRoot): string[] {
  const found: string[] = [];
  const lines = text.split(/\r?\n/);
  const report = (index: number, what: string) => found.push(`${file}:${index + 1}: ${what}: ${lines[index].trim()}`);
  const lineOf = (offset: number) => text.slice(0, offset).split(/\r?\n/).length - 1;
  lines.forEach((line, index) => {
    for (const { pattern, what } of outsidePatterns) if (pattern.test(line)) report(index, what);
  });
  const runFolder = path.join(root, runsFrom);
  for (const match of text.matchAll(pathCall)) {
    const base = match[1] === '__dirname' ? runFolder : repositoryRootNames.has(match[1]) ? root : undefined;
    if (base === undefined) continue;
    const segments = [...match[2].matchAll(new RegExp(stringLiteral, 'g'))].map((literal) => literalValue(literal[0]));
    const target = path.resolve(base, ...segments);
    if (!isInside(root, target)) report(lineOf(match.index), `climbs out of the repository from ${match[1]}`);
  }
  for (const match of text.matchAll(moduleSpecifier)) {
    if (!isInside(root, path.resolve(runFolder, match[2]))) report(lineOf(match.index), 'imports from outside the repository');
  }
  return found;
}

/** What in an npm script refers outside the repository (scripts run in the repository root). */
function scriptReferencesOutside(name: string, script: string): string[] {
  const found = outsidePatterns.filter(({ pattern }) => pattern.test(script)).map(({ what }) => what);
  if (/(?:^|[\s"'=:])\.\.(?:[\\/]|["'\s]|$)/.test(script)) found.push('a path above the repository root');
  return found.map((what) => `package.json scripts.${name}: ${what}: ${script}`);
}

function filesUnder(folder: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(path.join(repositoryRoot, folder), { withFileTypes: true })) {
    const child = path.posix.join(folder, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') files.push(...filesUnder(child));
    else if (entry.isFile()) files.push(child);
  }
  return files;
}

describe('the repository is self-contained', () => {
  describe('the check', () => {
    const root = path.resolve('/checkout/repo');
    const check = (file: string, runsFrom: string, text: string) => referencesOutside(file, runsFrom, text, root);

    it('finds the references that made a lone clone fail', () => {
      const cases: [string, string, string][] = [
        ['test/src/harness/a.ts', 'test/out/harness', "path.resolve(__dirname, '../../../../shared/corpus')"],
        ['test/src/cli/a.ts', 'test/out/cli', "path.resolve(repositoryRoot, '..', 'shared', 'corpus')"],
        ['test/src/bench/run.ts', 'test/out/bench', "const corpus = path.resolve(repository, '../shared/corpus');"],
        ['test/src/a.ts', 'test/out', ' * in /work/shared/corpus: every .json file'],
        ['.ci/e2e/run.js', '.ci/e2e', ' * Why: /work/shared/reference/e2e.md.'],
        ['test/src/a/b.ts', 'test/out/a', "path.join(__dirname, '..', '..', '..', '..', 'elsewhere')"],
        ['test/src/a/b.ts', 'test/out/a', "import { x } from '../../../../elsewhere/x';"],
        ['.ci/a.js', '.ci', "const data = require('../../data.json');"],
      ];
      for (const [file, runsFrom, text] of cases) assert.notDeepEqual(check(file, runsFrom, text), [], text);
    });

    it('lets through paths inside the repository and paths that are not the repository’s', () => {
      const cases: [string, string, string][] = [
        ['test/src/harness/a.ts', 'test/out/harness', "path.resolve(__dirname, '../../..')"],
        ['test/src/a/b.ts', 'test/out/a', "import { analyze } from '../../../server/out/core/analyze';"],
        ['test/src/a/b.ts', 'test/out/a', "require.resolve('../../../server/out/server/analysisWorker')"],
        ['client/src/test/suite/i.ts', 'client/out/test/suite', "path.resolve(__dirname, '../../../../.e2e-artifacts')"],
        ['.ci/e2e/run.js', '.ci/e2e', "const repositoryRoot = path.resolve(__dirname, '..', '..');"],
        ['test/src/a.ts', 'test/out', "path.join(folder, '..', `${path.basename(folder)}.log`)"],
        ['test/src/a.ts', 'test/out', "import { corpusFolder } from '../harness/sharedReading';"],
        ['test/src/a.ts', 'test/out', "const browser = '/usr/bin/chromium'; const file = '/bench/fleet/azuredeploy.json';"],
        ['test/src/a.ts', 'test/out', "const url = 'https://example.com/work/x';"],
      ];
      for (const [file, runsFrom, text] of cases) assert.deepEqual(check(file, runsFrom, text), [], text);
    });

    it('finds paths above the repository root in npm scripts', () => {
      assert.equal(scriptReferencesOutside('a', 'node ../shared/run.js').length, 2);
      assert.equal(scriptReferencesOutside('a', 'cd .. && npm test').length, 1);
      assert.equal(scriptReferencesOutside('a', 'node /work/tools/x.js').length, 1);
      assert.deepEqual(scriptReferencesOutside('a', 'tsc -b && node .ci/bundle-cli.js ./server/../test/out/'), []);
    });
  });

  it('no test, CI script or client test refers to a path outside the repository', () => {
    const found: string[] = [];
    let checked = 0;
    for (const { source, runsFrom } of checkedFolders) {
      for (const file of filesUnder(source)) {
        if (file === thisFile) continue;
        const runFolder = path.posix.join(runsFrom, path.posix.relative(source, path.posix.dirname(file)));
        found.push(...referencesOutside(file, runFolder, fs.readFileSync(path.join(repositoryRoot, file), 'utf8')));
        checked++;
      }
    }
    assert.ok(checked > 50, `only ${checked} files checked`);
    assert.deepEqual(found, []);
  });

  it('no npm script refers to a path outside the repository', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8'));
    const scripts = Object.entries(manifest.scripts as Record<string, string>);
    assert.ok(scripts.length > 0);
    assert.deepEqual(
      scripts.flatMap(([name, script]) => scriptReferencesOutside(name, script)),
      [],
    );
  });

  it('has the corpus in the repository', () => {
    assert.ok(isInside(repositoryRoot, corpusRoot));
    for (const source of ['azure-docs-json-samples', 'azure-docs-bicep-samples', 'AzureStack-QuickStart-Templates'])
      assert.ok(fs.existsSync(path.join(corpusRoot, source, 'LICENSE')), `${source}/LICENSE`);
    assert.ok(fs.existsSync(path.join(corpusRoot, 'README.md')));
  });
});
