/**
 * The `ignore` list of azure-image-lint.json: how its entries are read (and what a wrong entry
 * says), how file globs match paths below the configuration's folder, and which findings an
 * entry ignores. The fixture case test/fixtures/rules/ignore-list runs it through the pipeline.
 */
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mergeConfigs, parseConfigText } from '../../../server/out/core/config/config';
import { isIgnored, matchesFileGlob, relativePath } from '../../../server/out/core/config/ignore';

describe('ignore list: reading', () => {
  test('entries keep files, rule and image; layering makes them relative to their file', () => {
    const text = JSON.stringify({
      ignore: [
        { files: 'legacy/**', rule: 'end-of-support', image: 'OpenLogic:CentOS:*' },
        { files: 'main.json', rule: 'not-endorsed' },
      ],
    });
    const { config, problems } = parseConfigText(text, '/repo/azure-image-lint.json');
    assert.deepEqual(problems, []);
    assert.deepEqual(config.ignore, [
      { files: 'legacy/**', rule: 'end-of-support', image: 'OpenLogic:CentOS:*' },
      { files: 'main.json', rule: 'not-endorsed' },
    ]);
    const merged = mergeConfigs({ rules: {} }, { ...config, baseFolder: '/repo' });
    assert.deepEqual(
      merged.ignore?.map((entry) => entry.folder),
      ['/repo', '/repo'],
    );
  });

  test('a wrong entry is a problem naming the reason, and the others still apply', () => {
    const text = [
      '{ "ignore": [',
      '  { "files": "a.json", "rule": "no-such-rule" },',
      '  { "rule": "not-endorsed" },',
      '  { "files": "b.json", "rule": "not-endorsed", "image": "a:b:c:d", "extra": 1 },',
      '  "c.json",',
      '  { "files": "d.json", "rule": "preview-image" }',
      '] }',
    ].join('\n');
    const { config, problems } = parseConfigText(text, 'azure-image-lint.json');
    assert.deepEqual(
      problems.map((problem) => problem.message),
      [
        "azure-image-lint.json: 'rule' of an 'ignore' entry must be a rule code: end-of-support, support-ending, not-endorsed, untuned-kernel, unknown-image, preview-image, not-allowed.",
        "azure-image-lint.json: each 'ignore' entry must be an object with 'files' (a glob), 'rule' (a rule code) and optionally 'image' (a 'publisher:offer:sku' pattern).",
        "azure-image-lint.json: 'image' of an 'ignore' entry must be a 'publisher:offer:sku' pattern with '*' wildcards.",
        "azure-image-lint.json: unknown property 'extra' of an 'ignore' entry; expected files, rule or image.",
        "azure-image-lint.json: each 'ignore' entry must be an object with 'files' (a glob), 'rule' (a rule code) and optionally 'image' (a 'publisher:offer:sku' pattern).",
      ],
    );
    assert.deepEqual(config.ignore, [{ files: 'd.json', rule: 'preview-image' }]);
    assert.deepEqual(
      parseConfigText('{ "ignore": {} }', 'azure-image-lint.json').problems.map((problem) => problem.message),
      ["azure-image-lint.json: 'ignore' must be an array of entries with 'files', 'rule' and optionally 'image'."],
    );
  });
});

describe('ignore list: file globs', () => {
  const cases: [string, string, boolean][] = [
    ['main.json', 'main.json', true],
    ['main.json', 'deep/er/main.json', true],
    ['main.*', 'main.bicep', true],
    ['main.*', 'mainframe.json', false],
    ['legacy/**', 'legacy/a/b/old.bicep', true],
    ['legacy/**', 'other/legacy/old.bicep', false],
    ['legacy/*.json', 'legacy/a.json', true],
    ['legacy/*.json', 'legacy/a/b.json', false],
    ['**/*.bicep', 'x.bicep', true],
    ['**/*.bicep', 'a/b/x.bicep', true],
    ['a/**/b.json', 'a/b.json', true],
    ['a/**/b.json', 'a/x/y/b.json', true],
    ['./a/*.json', 'a/c.json', true],
    ['./main.json', 'main.json', true],
    ['./main.json', 'sub/main.json', false],
    ['/a/*.json', 'a/c.json', true],
  ];
  for (const [glob, path, expected] of cases) {
    test(`${glob} ${expected ? 'matches' : 'does not match'} ${path}`, () => assert.equal(matchesFileGlob(glob, path), expected));
  }

  test('a hostile glob stays fast', () => {
    const glob = `${'*a'.repeat(240)}b`;
    const path = 'a'.repeat(5000);
    // A backtracking regular expression would take years here; the matcher is linear per segment.
    assert.equal(matchesFileGlob(glob, path), false);
  });

  test('paths are taken below the folder, Windows paths in any case', () => {
    assert.equal(relativePath('/repo', '/repo/a/b.json'), 'a/b.json');
    assert.equal(relativePath('/repo', '/repository/b.json'), undefined);
    assert.equal(relativePath('C:\\Repo', 'c:\\repo\\a\\b.json'), 'a/b.json');
  });
});

describe('ignore list: findings', () => {
  const finding = (file: string, code: string, sku = '7.5') => ({
    code,
    location: { file, range: { start: 0, end: 1 } },
    image: { publisher: 'OpenLogic', offer: 'CentOS', sku, version: 'latest' },
  });
  const entries = [
    { files: 'legacy/**', rule: 'end-of-support', image: 'openlogic:centos:7.*', folder: '/repo' },
    { files: 'main.json', rule: 'not-endorsed', folder: '/repo' },
  ];

  test('rule, image pattern (case-insensitive) and files must all match', () => {
    assert.equal(isIgnored(finding('/repo/legacy/x.bicep', 'end-of-support'), entries), true);
    assert.equal(isIgnored(finding('/repo/legacy/x.bicep', 'not-endorsed'), entries), false);
    assert.equal(isIgnored(finding('/repo/legacy/x.bicep', 'end-of-support', '8.5'), entries), false);
    assert.equal(isIgnored(finding('/repo/x.bicep', 'end-of-support'), entries), false);
    assert.equal(isIgnored(finding('/repo/sub/main.json', 'not-endorsed'), entries), true);
    assert.equal(isIgnored(finding('/elsewhere/main.json', 'not-endorsed'), entries), false);
  });
});
