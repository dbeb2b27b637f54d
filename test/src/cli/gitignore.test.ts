/**
 * What folder walks skip: the gitignore patterns as git's documentation (gitignore(5)) defines
 * them, one rule at a time, then whole walks over folders with nested `.gitignore` files,
 * `.git/info/exclude`, a linked worktree's `.git` file and `--exclude` patterns.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { compileIgnorePattern, findRepositoryRoot, parseIgnorePatterns } from '../../../server/out/node/gitignore';
import { compileGlob, matchesGlob, type MatchCounter } from '../../../server/out/node/globMatcher';
import { collectFiles } from '../../../server/out/node/scan';

/** Whether the last rule of `patterns` that matches `file` ignores it, as in one .gitignore. */
function ignored(patterns: string, file: string, isDirectory = false): boolean {
  let result = false;
  for (const rule of parseIgnorePatterns(patterns)) {
    if (rule.directoryOnly && !isDirectory) continue;
    if (matchesGlob(rule.matcher, file)) result = !rule.negated;
  }
  return result;
}

describe('gitignore patterns', () => {
  test('comments, blank lines and a bare "!" are no rules; "\\#" and "\\!" are literal', () => {
    assert.equal(parseIgnorePatterns('# a comment\n\n   \n!\n').length, 0);
    assert.ok(ignored('\\#notes.json', '#notes.json'));
    assert.ok(ignored('\\!keep.json', '!keep.json'));
    assert.ok(!ignored('\\!keep.json', 'keep.json'));
  });

  test('trailing spaces are dropped unless escaped; CRLF line ends are read', () => {
    assert.ok(ignored('out.json   \r\nother.json', 'out.json'));
    assert.ok(ignored('a\\ ', 'a '));
    assert.ok(!ignored('a\\ ', 'a'));
  });

  test('a name without a slash matches at any depth', () => {
    for (const file of ['build.json', 'x/build.json', 'x/y/build.json']) assert.ok(ignored('build.json', file), file);
    assert.ok(!ignored('build.json', 'x/build.json.bak'));
  });

  test('a slash at the start or in the middle anchors the pattern to its folder', () => {
    assert.ok(ignored('/build.json', 'build.json'));
    assert.ok(!ignored('/build.json', 'x/build.json'));
    assert.ok(ignored('doc/frotz', 'doc/frotz'));
    assert.ok(!ignored('doc/frotz', 'a/doc/frotz'));
  });

  test('a trailing slash matches folders only', () => {
    assert.ok(ignored('out/', 'out', true));
    assert.ok(ignored('out/', 'a/out', true));
    assert.ok(!ignored('out/', 'out', false));
    assert.ok(ignored('src/out/', 'src/out', true));
    assert.ok(!ignored('src/out/', 'x/src/out', true));
  });

  test('"*", "?" and brackets never match a slash', () => {
    assert.ok(ignored('*.json', 'a/b.json'));
    assert.ok(ignored('a/*.json', 'a/b.json'));
    assert.ok(!ignored('a/*.json', 'a/b/c.json'));
    assert.ok(ignored('v?.json', 'v1.json'));
    assert.ok(!ignored('v?.json', 'v10.json'));
    assert.ok(ignored('v[0-9].json', 'v7.json'));
    assert.ok(!ignored('v[!0-9].json', 'v7.json'));
    assert.ok(ignored('v[!0-9].json', 'vx.json'));
    assert.ok(ignored('v[^0-9].json', 'vx.json'));
    assert.ok(!ignored('a[!x]b', 'a/b'));
    assert.ok(ignored('[]]x', ']x'), 'a "]" first in brackets is a member');
    assert.ok(ignored('[a\\-z]x', '-x'), 'an escaped "-" is a member, not a range');
    assert.ok(!ignored('[a\\-z]x', 'bx'));
    assert.ok(ignored('[ab', '[ab'), 'an unclosed bracket is literal');
  });

  test('regular expression characters are literal', () => {
    assert.ok(ignored('a+b(1).json', 'a+b(1).json'));
    assert.ok(!ignored('a.json', 'abjson'));
    assert.ok(ignored('$x^{y}|z', '$x^{y}|z'));
  });

  test('"**" matches any number of folders', () => {
    assert.ok(ignored('**/foo', 'foo'));
    assert.ok(ignored('**/foo', 'a/b/foo'));
    assert.ok(ignored('**/foo/bar', 'x/foo/bar'));
    assert.ok(!ignored('**/foo/bar', 'x/foo/y/bar'));
    assert.ok(ignored('abc/**', 'abc/x'));
    assert.ok(ignored('abc/**', 'abc/x/y.json'));
    assert.ok(!ignored('abc/**', 'abc', true));
    assert.ok(ignored('a/**/b', 'a/b'));
    assert.ok(ignored('a/**/b', 'a/x/b'));
    assert.ok(ignored('a/**/b', 'a/x/y/b'));
    assert.ok(!ignored('a/**/b', 'x/a/b'));
    assert.ok(ignored('**', 'anything/at/all'));
  });

  test('other runs of asterisks are one asterisk', () => {
    assert.ok(ignored('a**b', 'axxb'));
    assert.ok(!ignored('a**b', 'a/b'));
  });

  test('the last matching pattern decides; "!" brings a file back', () => {
    assert.ok(!ignored('*.json\n!keep.json', 'keep.json'));
    assert.ok(ignored('*.json\n!keep.json', 'other.json'));
    assert.ok(ignored('!keep.json\n*.json', 'keep.json'));
  });

  test('adversarial patterns cost at most one step per character and pattern position', () => {
    // As a RegExp, 13 stars against a 28-character name that almost matches took 1.7 s.
    const cases: Array<[string, string, boolean]> = [
      ['*a'.repeat(13) + 'b', 'a'.repeat(28), false],
      ['*a'.repeat(13) + 'b', 'a'.repeat(28) + 'b', true],
      ['**/'.repeat(12) + '*a*a*a*a*a*a*a*b', `${'a/'.repeat(12)}${'a'.repeat(40)}`, false],
      ['[a-z]*'.repeat(20) + '!', 'abcdefghij'.repeat(20), false],
      ['?*'.repeat(30) + 'x/**', `${'y'.repeat(200)}x/deep/file.json`, true],
    ];
    for (const [pattern, name, expected] of cases) {
      const rule = compileIgnorePattern(pattern);
      assert.ok(rule, pattern);
      const counter: MatchCounter = { steps: 0 };
      assert.equal(matchesGlob(rule.matcher, name, counter), expected, pattern);
      const bound = name.length * (rule.matcher.steps.length + 1);
      assert.ok(counter.steps <= bound, `${pattern}: ${counter.steps} steps, bound ${bound}`);
    }
  });

  test('brackets: ranges, escapes, a leading "]" and reversed ranges', () => {
    const matches = (glob: string, name: string) => matchesGlob(compileGlob(glob, true), name);
    assert.ok(matches('[a-c]x', 'bx'));
    assert.ok(!matches('[a-c]x', 'dx'));
    assert.ok(matches('[]]x', ']x'));
    assert.ok(matches('[a\\-c]x', '-x'));
    assert.ok(!matches('[a\\-c]x', 'bx'));
    assert.ok(matches('[!a]x', 'bx'));
    assert.ok(!matches('[!a]x', '/x'));
    assert.ok(!matches('[z-a]x', 'mx'));
    assert.ok(matches('[abc', '[abc'));
  });

  test('a compiled rule says what it is', () => {
    const rule = compileIgnorePattern('!/build/');
    assert.ok(rule);
    assert.deepEqual([rule.negated, rule.directoryOnly, rule.anchored], [true, true, true]);
    assert.equal(compileIgnorePattern('# comment'), undefined);
  });
});

describe('folder walks', () => {
  let root = '';
  const write = (file: string, text = '{}') => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  const walk = (folder: string, options: { useGitignore?: boolean; exclude?: string[] } = {}) =>
    collectFiles([path.join(root, folder)], { useGitignore: true, cwd: root, ...options })
      .files.map((file) => path.relative(root, file).split(path.sep).join('/'))
      .sort();

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-gitignore-'));
    fs.mkdirSync(path.join(root, 'repo', '.git', 'info'), { recursive: true });
    fs.writeFileSync(path.join(root, 'repo', '.git', 'info', 'exclude'), 'local.json\n');
    write('repo/.gitignore', '# build output\nout/\n/generated.json\n*.tmp.json\n!keep.tmp.json\n');
    for (const file of [
      'main.json',
      'generated.json',
      'local.json',
      'a.tmp.json',
      'keep.tmp.json',
      'out/built.json',
      'infra/out/built.json',
      'infra/generated.json',
      'infra/vm.bicep',
      'infra/vm.parameters.json',
      'infra/modules/.gitignore',
      'infra/modules/skip.bicep',
      'infra/modules/disk.bicep',
      'infra/modules/nested/skip.bicep',
    ])
      write(`repo/${file}`);
    write('repo/infra/modules/.gitignore', 'skip.bicep\n!/nested/skip.bicep\n');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test('the repository root is the nearest folder up with a .git entry', () => {
    assert.equal(findRepositoryRoot(path.join(root, 'repo', 'infra', 'modules')), path.join(root, 'repo'));
    assert.equal(findRepositoryRoot(root), undefined);
  });

  test('skips what .gitignore files and .git/info/exclude ignore, nested files overriding', () => {
    assert.deepEqual(walk('repo'), [
      'repo/infra/generated.json',
      'repo/infra/modules/disk.bicep',
      'repo/infra/modules/nested/skip.bicep',
      'repo/infra/vm.bicep',
      'repo/infra/vm.parameters.json',
      'repo/keep.tmp.json',
      'repo/main.json',
    ]);
  });

  test('a walk that starts below the root reads the .gitignore files above it', () => {
    assert.deepEqual(walk('repo/infra/modules'), ['repo/infra/modules/disk.bicep', 'repo/infra/modules/nested/skip.bicep']);
    assert.deepEqual(walk('repo/infra'), [
      'repo/infra/generated.json',
      'repo/infra/modules/disk.bicep',
      'repo/infra/modules/nested/skip.bicep',
      'repo/infra/vm.bicep',
      'repo/infra/vm.parameters.json',
    ]);
  });

  test('without .gitignore files, everything but node_modules and .git', () => {
    assert.equal(walk('repo', { useGitignore: false }).length, 13);
  });

  test('--exclude patterns are relative to the current folder and apply with or without .gitignore', () => {
    assert.deepEqual(walk('repo/infra', { exclude: ['*.parameters.json', 'repo/infra/modules/'] }), [
      'repo/infra/generated.json',
      'repo/infra/vm.bicep',
    ]);
    assert.deepEqual(walk('repo/infra', { useGitignore: false, exclude: ['/repo/infra/**/skip.bicep', 'out'] }), [
      'repo/infra/generated.json',
      'repo/infra/modules/disk.bicep',
      'repo/infra/vm.bicep',
      'repo/infra/vm.parameters.json',
    ]);
  });

  test('a name pattern of --exclude still matches outside the current folder', () => {
    const files = collectFiles([path.join(root, 'repo', 'infra')], {
      exclude: ['*.bicep', 'out/'],
      cwd: path.join(root, 'elsewhere'),
    }).files;
    assert.deepEqual(
      files.map((file) => path.basename(file)),
      ['generated.json', 'vm.parameters.json'],
    );
  });

  test('a name that starts with two dots is inside its folder', () => {
    write('dots/..data.json');
    write('dots/other.json');
    assert.deepEqual(walk('dots', { exclude: ['/dots/..data.json'] }), ['dots/other.json']);
  });

  test('a file named on the command line is always scanned', () => {
    const file = path.join(root, 'repo', 'out', 'built.json');
    assert.deepEqual(collectFiles([file], { useGitignore: true, exclude: ['*.json'], cwd: root }).files, [file]);
  });

  test('a linked worktree: .git is a file naming the git folder, whose commondir holds info/exclude', () => {
    const gitFolder = path.join(root, 'main-git');
    fs.mkdirSync(path.join(gitFolder, 'worktrees', 'wt'), { recursive: true });
    fs.mkdirSync(path.join(gitFolder, 'info'), { recursive: true });
    fs.writeFileSync(path.join(gitFolder, 'info', 'exclude'), 'secret.json\n');
    fs.writeFileSync(path.join(gitFolder, 'worktrees', 'wt', 'commondir'), '../..\n');
    write('worktree/.git', `gitdir: ${path.join(gitFolder, 'worktrees', 'wt')}\n`);
    write('worktree/secret.json');
    write('worktree/main.json');
    assert.deepEqual(walk('worktree'), ['worktree/main.json']);
  });
});
