/**
 * SARIF that GitHub code scanning and Azure DevOps Advanced Security take unchanged: every log
 * the command writes (findings, files not analysed, bad configuration, a baseline) validates
 * against the official SARIF 2.1.0 schema and meets GitHub's documented upload requirements
 * ("SARIF support for code scanning"); locations are relative to the repository's root;
 * Windows paths become proper URIs; related locations are linked from the message.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Ajv from 'ajv-draft-04';
import { allRules } from '../../../server/out/core/rules';
import { fileUri, RepositoryPaths } from '../../../server/out/cli/repositoryPaths';
import { ruleHelpMarkdown } from '../../../server/out/cli/sarif';
import { repositoryRoot } from '../harness/fixtures';
import { centos, runCli, TemporaryRepository, ubuntu1804, vmBicep } from './commandRunner';

const asOf = ['--as-of', '2026-11-22'];

/* eslint-disable @typescript-eslint/no-explicit-any -- SARIF logs are checked as plain JSON. */

const validateSchema = (() => {
  const schemaFile = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  return ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
})();

/**
 * What GitHub code scanning requires of an uploaded log, as its documentation lists it, and what
 * Azure DevOps Advanced Security rejects a log without; one message per breach.
 */
function uploadProblems(log: any): string[] {
  const problems: string[] = [];
  const check = (condition: unknown, message: string) => {
    if (!condition) problems.push(message);
  };
  check(log.$schema === 'https://json.schemastore.org/sarif-2.1.0.json', '$schema');
  check(log.version === '2.1.0', 'version');
  check(Array.isArray(log.runs) && log.runs.length === 1, 'one run');
  for (const run of log.runs ?? []) {
    const driver = run.tool?.driver ?? {};
    check(driver.name, 'tool.driver.name');
    check(driver.fullName, 'tool.driver.fullName (Azure DevOps)');
    check(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(driver.semanticVersion ?? ''), 'tool.driver.semanticVersion');
    check(/^https:\/\//.test(driver.informationUri ?? ''), 'tool.driver.informationUri');
    check(typeof run.automationDetails?.id === 'string' && run.automationDetails.id.includes('/'), 'automationDetails.id');
    check(/^file:\/\/.*\/$/.test(run.originalUriBaseIds?.['%SRCROOT%']?.uri ?? ''), 'originalUriBaseIds %SRCROOT%');
    check(typeof run.invocations?.[0]?.executionSuccessful === 'boolean', 'invocations[0].executionSuccessful');
    const rules: any[] = driver.rules ?? [];
    check(rules.length > 0, 'tool.driver.rules');
    for (const rule of rules) {
      check(rule.id, 'rule id');
      check(rule.shortDescription?.text && rule.shortDescription.text.length <= 1024, `${rule.id}: shortDescription.text`);
      check(rule.fullDescription?.text && rule.fullDescription.text.length <= 1024, `${rule.id}: fullDescription.text`);
      check(rule.help?.text, `${rule.id}: help.text`);
      check(rule.help?.markdown, `${rule.id}: help.markdown`);
      check(['note', 'warning', 'error'].includes(rule.defaultConfiguration?.level), `${rule.id}: defaultConfiguration.level`);
      check((rule.name ?? '').length <= 255, `${rule.id}: name`);
    }
    const checkLocation = (location: any, what: string) => {
      const physical = location.physicalLocation ?? {};
      const uri: string = physical.artifactLocation?.uri ?? '';
      check(uri !== '', `${what}: artifactLocation.uri`);
      check(!/^[a-z]+:/i.test(uri) && !uri.startsWith('/') && !uri.includes('\\'), `${what}: relative URI, not ${uri}`);
      check(!uri.split('/').includes('..'), `${what}: inside the repository (${uri})`);
      check(physical.artifactLocation?.uriBaseId === '%SRCROOT%', `${what}: uriBaseId`);
      const region = physical.region ?? {};
      check(Number.isInteger(region.startLine) && region.startLine >= 1, `${what}: region.startLine`);
      check(Number.isInteger(region.startColumn) && region.startColumn >= 1, `${what}: region.startColumn`);
      check(Number.isInteger(region.endLine) && region.endLine >= region.startLine, `${what}: region.endLine`);
      check(Number.isInteger(region.endColumn) && region.endColumn >= 1, `${what}: region.endColumn`);
    };
    for (const [index, result] of (run.results ?? []).entries()) {
      const what = `results[${index}]`;
      check(
        rules.some((rule) => rule.id === result.ruleId),
        `${what}: ruleId`,
      );
      check(rules[result.ruleIndex]?.id === result.ruleId, `${what}: ruleIndex`);
      check(result.message?.text, `${what}: message.text`);
      check(
        Array.isArray(result.locations) && result.locations.length >= 1 && result.locations.length <= 10,
        `${what}: locations`,
      );
      for (const location of result.locations ?? []) checkLocation(location, what);
      check(result.partialFingerprints?.primaryLocationLineHash, `${what}: partialFingerprints.primaryLocationLineHash`);
      const ids = new Set((result.relatedLocations ?? []).map((location: any) => location.id));
      for (const location of result.relatedLocations ?? []) checkLocation(location, `${what} related`);
      const links = [...(result.message?.text ?? '').matchAll(/\[[^\]]*\]\((\d+)\)/g)].map((match) => Number(match[1]));
      check(
        links.every((id) => ids.has(id)),
        `${what}: links name related locations`,
      );
      check(
        [...ids].every((id) => links.includes(id as number)),
        `${what}: every related location is linked from the message`,
      );
    }
  }
  return problems;
}

describe('SARIF logs', () => {
  let repository: TemporaryRepository;
  before(() => {
    repository = new TemporaryRepository({
      'infra/web.bicep': vmBicep('web', centos),
      'app/my templates/vm #1.bicep': vmBicep('app', ubuntu1804),
      // Not closed: a syntax error, reported as a problem.
      'app/broken.bicep': vmBicep('broken', ubuntu1804).slice(0, -4),
    });
    repository.run([...asOf, '--write-baseline', 'baseline.json', 'infra']);
  });
  after(() => repository.dispose());

  const logs: [string, () => string][] = [
    ['the CLI project fixture', () => runCli([...asOf, '--format', 'sarif', 'test/fixtures/cli/project']).stdout],
    ['the examples', () => runCli([...asOf, '--format', 'sarif', 'examples']).stdout],
    ['a bad configuration', () => runCli([...asOf, '--format', 'sarif', 'test/fixtures/cli/bad-config']).stdout],
    ['a path that does not exist', () => runCli([...asOf, '--format', 'sarif', 'no/such/folder', 'examples']).stdout],
    ['a repository run from a subfolder', () => repository.run([...asOf, '--format', 'sarif', '..'], 'app').stdout],
    [
      'a run with a baseline and --fail-on-problems',
      () => repository.run([...asOf, '--format', 'sarif', '--baseline', 'baseline.json', '--fail-on-problems', '.']).stdout,
    ],
  ];

  for (const [name, produce] of logs) {
    test(`validates against the SARIF 2.1.0 schema and meets GitHub's upload requirements: ${name}`, () => {
      const log = JSON.parse(produce());
      assert.ok(validateSchema(log), JSON.stringify(validateSchema.errors, null, 2));
      assert.deepEqual(uploadProblems(log), []);
    });
  }

  test('locations are relative to the repository root, encoded, whatever the current folder', () => {
    const fromRoot = repository.run([...asOf, '--format', 'sarif', '.']);
    const fromSubfolder = repository.run([...asOf, '--format', 'sarif', '../..'], 'app/my templates');
    assert.equal(fromSubfolder.stdout, fromRoot.stdout);
    const run = JSON.parse(fromRoot.stdout).runs[0];
    assert.deepEqual(run.originalUriBaseIds, {
      '%SRCROOT%': { uri: `${fileUri(repository.root)}/`, description: { text: 'The root of the repository.' } },
    });
    assert.deepEqual(
      run.results.map((result: any) => result.locations[0].physicalLocation.artifactLocation.uri),
      ['app/broken.bicep', 'app/my%20templates/vm%20%231.bicep', 'infra/web.bicep', 'infra/web.bicep'],
    );
    assert.deepEqual(
      run.invocations[0].toolExecutionNotifications.map((notification: any) => [
        notification.level,
        notification.locations[0].physicalLocation.artifactLocation.uri,
      ]),
      [['warning', 'app/broken.bicep']],
    );
  });

  test('the baseline leaves out what it records; the problems are errors with --fail-on-problems', () => {
    const result = repository.run([...asOf, '--format', 'sarif', '--baseline', 'baseline.json', '--fail-on-problems', '.']);
    assert.equal(result.status, 1);
    const run = JSON.parse(result.stdout).runs[0];
    assert.deepEqual(
      run.results.map((item: any) => item.locations[0].physicalLocation.artifactLocation.uri),
      ['app/broken.bicep', 'app/my%20templates/vm%20%231.bicep'],
    );
    assert.equal(run.invocations[0].toolExecutionNotifications[0].level, 'error');
    assert.equal(run.invocations[0].executionSuccessful, true);
  });

  test('a bad configuration is a configuration notification, and the execution did not succeed', () => {
    const result = runCli(['--format', 'sarif', 'test/fixtures/cli/bad-config']);
    assert.equal(result.status, 2);
    const invocation = JSON.parse(result.stdout).runs[0].invocations[0];
    assert.equal(invocation.executionSuccessful, false);
    assert.deepEqual(invocation.toolExecutionNotifications, []);
    assert.deepEqual(
      invocation.toolConfigurationNotifications.map((notification: any) => [
        notification.level,
        notification.descriptor.id,
        notification.locations[0].physicalLocation.artifactLocation.uri,
        notification.locations[0].physicalLocation.region.startLine,
      ]),
      [
        ['error', 'configuration-problem', 'test/fixtures/cli/bad-config/azure-image-lint.json', 2],
        ['error', 'configuration-problem', 'test/fixtures/cli/bad-config/azure-image-lint.json', 2],
        ['error', 'configuration-problem', 'test/fixtures/cli/bad-config/azure-image-lint.json', 3],
      ],
    );
  });

  test('the tool says who it is, for GitHub and Azure DevOps', () => {
    const run = JSON.parse(runCli([...asOf, '--format', 'sarif', 'test/fixtures/cli/clean']).stdout).runs[0];
    const version = JSON.parse(fs.readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')).version;
    const { rules, notifications, ...driver } = run.tool.driver;
    assert.deepEqual(driver, {
      name: 'azure-image-lint',
      fullName: 'Azure Image Lint',
      version,
      semanticVersion: version,
      informationUri: 'https://github.com/azure-image-lint/azure-image-lint',
    });
    assert.equal(rules.length, allRules.length);
    assert.deepEqual(
      notifications.map((descriptor: any) => descriptor.id),
      ['file-not-analysed', 'configuration-problem'],
    );
    assert.deepEqual(run.automationDetails, { id: 'azure-image-lint/' });
    assert.deepEqual(run.results, []);
  });

  test('every rule carries its help in Markdown, from the metadata its docs page is made of', () => {
    const rules = JSON.parse(runCli([...asOf, '--format', 'sarif', 'test/fixtures/cli/clean']).stdout).runs[0].tool.driver.rules;
    for (const [index, rule] of allRules.entries()) {
      assert.equal(rules[index].id, rule.code);
      assert.equal(rules[index].help.markdown, ruleHelpMarkdown(rule));
      assert.ok(rules[index].help.markdown.includes(rule.description));
      assert.ok(rules[index].help.text.includes(rule.description));
      const page = fs.readFileSync(path.join(repositoryRoot, 'docs', 'rules', `${rule.code}.md`), 'utf8');
      assert.ok(page.includes(rule.description), `docs/rules/${rule.code}.md holds the description`);
    }
  });

  test('related locations are linked from the message, which GitHub needs to show them', () => {
    const log = JSON.parse(runCli([...asOf, '--format', 'sarif', 'test/fixtures/cli/project/vm.json']).stdout);
    const [result] = log.runs[0].results;
    assert.match(result.message.text, / See \[the image that uses this value\]\(1\)\.$/);
    assert.deepEqual(result.relatedLocations[0].id, 1);
    assert.deepEqual(result.relatedLocations[0].physicalLocation.region, {
      startLine: 11,
      startColumn: 29,
      endLine: 16,
      endColumn: 12,
    });
  });
});

describe('repository paths', () => {
  test('Windows: relative URIs under the root, drive letters kept, other drives and shares absolute', () => {
    const paths = new RepositoryPaths('D:\\repo', 'D:\\repo\\infra', path.win32);
    assert.equal(paths.rootUri(), 'file:///D:/repo/');
    assert.deepEqual(paths.artifactLocation('vm.json'), { uri: 'infra/vm.json', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(paths.artifactLocation('..\\app\\my vm.bicep'), { uri: 'app/my%20vm.bicep', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(paths.artifactLocation('D:\\repo\\a\\b.json'), { uri: 'a/b.json', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(paths.artifactLocation('E:\\other\\x.json'), { uri: 'file:///E:/other/x.json' });
    assert.deepEqual(paths.artifactLocation('D:\\elsewhere\\x.json'), { uri: 'file:///D:/elsewhere/x.json' });
    assert.equal(paths.key('vm.json'), 'infra/vm.json');
    assert.equal(paths.key('E:\\other\\x.json'), 'E:/other/x.json');
    assert.equal(paths.display('vm.json'), 'infra\\vm.json');
    assert.equal(new RepositoryPaths('D:\\', 'D:\\', path.win32).rootUri(), 'file:///D:/');
    assert.equal(new RepositoryPaths('\\\\server\\share\\repo', 'C:\\', path.win32).rootUri(), 'file://server/share/repo/');
  });

  test('POSIX: encoded segments, absolute file URIs outside the root', () => {
    const paths = new RepositoryPaths('/srv/repo', '/srv/repo/infra', path.posix);
    assert.equal(paths.rootUri(), 'file:///srv/repo/');
    assert.deepEqual(paths.artifactLocation('a b/c#d%e.json'), { uri: 'infra/a%20b/c%23d%25e.json', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(paths.artifactLocation('/tmp/x y.json'), { uri: 'file:///tmp/x%20y.json' });
    assert.deepEqual(paths.artifactLocation('../../elsewhere.json'), { uri: 'file:///srv/elsewhere.json' });
    assert.deepEqual(paths.artifactLocation('..file.json'), { uri: 'infra/..file.json', uriBaseId: '%SRCROOT%' });
    assert.equal(new RepositoryPaths('/', '/', path.posix).rootUri(), 'file:///');
  });
});
