/**
 * The CLI over the real-world corpus in test/fixtures/corpus (public Azure sample templates, ARM
 * and Bicep): how many images it finds and resolves, what it reports, and that Windows and custom
 * images never get a finding. The counts were checked by hand against the templates when written;
 * a change in them is a change in what users see.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { corpusRoot, repositoryRoot } from '../harness/fixtures';

const corpus = corpusRoot;
const windowsPublishers = new Set([
  'microsoftwindowsserver',
  'microsoftwindowsdesktop',
  'microsoftsqlserver',
  'microsoftvisualstudio',
]);

interface Image {
  file: string;
  custom: boolean;
  candidates: { publisher?: string }[];
  unresolved: string[];
  reason?: string;
}

describe('the corpus through the CLI', () => {
  const result = spawnSync(process.execPath, ['server/out/cli.js', '--as-of', '2026-11-22', '--format', 'json', corpus], {
    cwd: repositoryRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const report = JSON.parse(result.stdout) as {
    findings: { code: string; file: string; image: { publisher?: string } }[];
    problems: { file: string; message: string }[];
    images: Image[];
  };

  test('exit 1: the corpus pins images that are out of support', () => {
    assert.equal(result.status, 1);
    assert.doesNotMatch(result.stderr, /internal error| {4}at /);
  });

  test('finds every image and resolves the statically resolvable ones', () => {
    // 19 linked deployments are not followed (templates elsewhere, files the corpus did not
    // copy): each is an unresolved entry that says why. The other 60 are images (58 before
    // linked templates were followed, 50 of them resolved).
    const unfollowed = report.images.filter((image) => image.reason !== undefined);
    assert.equal(unfollowed.length, 19);
    assert.equal(report.images.length, 79);
    assert.equal(report.images.filter((image) => image.custom).length, 2);
    const resolved = report.images.filter((image) => !image.custom && image.unresolved.length === 0);
    assert.equal(resolved.length, 58);
    assert.equal(report.images.filter((image) => image.file.endsWith('.bicep')).length, 2);
  });

  test('reports the out-of-support Ubuntu images, and nothing on Windows or custom images', () => {
    const codes = new Map<string, number>();
    for (const finding of report.findings) codes.set(finding.code, (codes.get(finding.code) ?? 0) + 1);
    // Three of them in linked templates (the Ethereum samples' Ubuntu 16.04), at the caller's value.
    assert.deepEqual(Object.fromEntries(codes), { 'end-of-support': 25 });
    for (const finding of report.findings) {
      assert.ok(
        !windowsPublishers.has((finding.image.publisher ?? '').toLowerCase()),
        `${finding.file}: finding on a Windows image`,
      );
    }
    const windows = report.images.filter(
      (image) =>
        image.candidates.length > 0 && image.candidates.every((c) => windowsPublishers.has((c.publisher ?? '').toLowerCase())),
    );
    assert.equal(windows.length, 34);
  });

  test('files that cannot be read are problems, not crashes', () => {
    // Two of them are parameter files their names pair with no template beside them, two are
    // linked templates the corpus did not copy.
    assert.equal(report.problems.length, 13);
    assert.deepEqual(
      report.problems
        .filter((problem) => problem.message.startsWith('This parameter file is paired with no template'))
        .map((problem) => path.basename(problem.file)),
      ['parameters.json', 'azurestackdeploy.parameters.json'],
    );
    const broken = report.problems.find((problem) =>
      problem.file.endsWith('101-vm-linux-create-passwordfromkv/azuredeploy.json'),
    );
    assert.equal(broken?.message, 'Cannot read the template: Expected "," or "]" after an array item');
  });
});
