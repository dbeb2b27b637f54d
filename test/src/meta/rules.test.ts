/**
 * Meta-tests over the rule set: every rule file is registered, has a stable kebab-case code, a
 * docs page that says what its metadata says, a place in the configuration schema with its
 * options, and a mention in the README. Set UPDATE_DOCS=1 to rewrite the docs pages from the
 * rules' metadata.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { allRules } from '../../../server/out/core/rules';
import { ruleDocumentationLink } from '../../../server/out/node/ruleDocumentation';
import { fileURLToPath } from 'node:url';
import type { Rule } from '../../../server/out/core/rules/rule';
import { repositoryRoot } from '../harness/fixtures';

const rulesFolder = path.join(repositoryRoot, 'server', 'src', 'core', 'rules');
const docsFolder = path.join(repositoryRoot, 'docs', 'rules');

export function renderRuleDoc(rule: Rule): string {
  const level = rule.defaultLevel === 'information' ? 'info' : rule.defaultLevel;
  const lines = [
    `# ${rule.code}`,
    '',
    `**${rule.title}.** Default level: \`${level}\`.`,
    '',
    rule.description,
    '',
    '## Configuration',
    '',
  ];
  const options = Object.entries(rule.options);
  const example: Record<string, unknown> = { level };
  for (const [name, option] of options) example[name] = option.default;
  lines.push(
    'In `azure-image-lint.json`:',
    '',
    '```json',
    JSON.stringify({ rules: { [rule.code]: example } }, null, 2),
    '```',
    '',
  );
  if (options.length) {
    lines.push('| option | default | meaning |', '| --- | --- | --- |');
    for (const [name, option] of options) lines.push(`| \`${name}\` | ${option.default} | ${option.description} |`);
    lines.push('');
  }
  lines.push(
    'In VS Code: `"azureImageLint.rules": { "' + rule.code + '": "off" }`.',
    '',
    '## Suppressing one finding',
    '',
    'Bicep:',
    '',
    '```bicep',
    `#disable-next-line ${rule.code}`,
    '```',
    '',
    'ARM JSON templates:',
    '',
    '```jsonc',
    `// azure-image-lint-disable-next-line ${rule.code}`,
    '```',
    '',
  );
  return lines.join('\n');
}

test('every rule file is registered once, with a kebab-case code named like its file', () => {
  const ruleFiles = fs
    .readdirSync(rulesFolder)
    .filter((name) => name.endsWith('.ts') && name !== 'index.ts' && name !== 'rule.ts')
    .map((name) => name.replace(/\.ts$/, ''))
    .sort();
  assert.deepEqual(allRules.map((rule) => rule.code).sort(), ruleFiles);
  for (const rule of allRules) assert.match(rule.code, /^[a-z]+(-[a-z]+)*$/);
});

test('every rule has a docs page generated from its metadata', () => {
  if (process.env.UPDATE_DOCS === '1') {
    fs.mkdirSync(docsFolder, { recursive: true });
    for (const rule of allRules) fs.writeFileSync(path.join(docsFolder, `${rule.code}.md`), renderRuleDoc(rule));
  }
  for (const rule of allRules) {
    const page = path.join(docsFolder, `${rule.code}.md`);
    assert.ok(fs.existsSync(page), `missing ${page} (run UPDATE_DOCS=1 npm test)`);
    assert.equal(fs.readFileSync(page, 'utf8'), renderRuleDoc(rule), `${page} is stale (run UPDATE_DOCS=1 npm test)`);
    // Every link a diagnostic or the command line gives is the page that exists here.
    const link = ruleDocumentationLink(rule.code);
    assert.ok(link?.startsWith('file:'), `${rule.code}: ${link}`);
    assert.equal(fileURLToPath(link ?? 'file:///missing'), page);
  }
});

test('every rule and option is in the configuration schema', () => {
  const schema = JSON.parse(
    fs.readFileSync(path.join(repositoryRoot, 'server', 'src', 'core', 'config', 'azure-image-lint.schema.json'), 'utf8'),
  );
  const ruleProperties = schema.properties.rules.properties;
  assert.deepEqual(Object.keys(ruleProperties).sort(), allRules.map((rule) => rule.code).sort());
  for (const rule of allRules) {
    const objectForm = ruleProperties[rule.code].oneOf[1];
    assert.deepEqual(Object.keys(objectForm.properties).sort(), ['level', ...Object.keys(rule.options)].sort());
    for (const [name, option] of Object.entries(rule.options)) {
      assert.equal(objectForm.properties[name].default, option.default);
      assert.equal(objectForm.properties[name].minimum, option.minimum);
      assert.equal(objectForm.properties[name].maximum, option.maximum);
    }
  }
});

test('the rules an ignore entry may name in the schema are the rules', () => {
  const schema = JSON.parse(
    fs.readFileSync(path.join(repositoryRoot, 'server', 'src', 'core', 'config', 'azure-image-lint.schema.json'), 'utf8'),
  );
  assert.deepEqual([...schema.properties.ignore.items.properties.rule.enum].sort(), allRules.map((rule) => rule.code).sort());
});

test('every rule is listed in the README with a link to its page', () => {
  const readme = fs.readFileSync(path.join(repositoryRoot, 'README.md'), 'utf8');
  for (const rule of allRules) assert.ok(readme.includes(`(docs/rules/${rule.code}.md)`), `README does not link ${rule.code}`);
});
