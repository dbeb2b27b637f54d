/**
 * Never silent in CI: a folder walk that cannot read a folder, or meets a symbolic link it does
 * not follow, says so (`node/folderWalk.ts`). Before, both were skipped without a word and a run
 * over them printed "0 file(s) analysed" with exit status 0. Links that stay inside the workspace
 * are followed once, cycles end, and links out of it or to nothing are problems: in the text
 * report, JSON `problems`, SARIF tool execution notifications and the summary line, failing the
 * run with `--fail-on-problems`.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FolderWalk, nodeWalkFileSystem } from '../../../server/out/node/folderWalk';
import { collectFiles } from '../../../server/out/node/scan';
import { TemporaryRepository, ubuntu1804, vmBicep } from '../cli/commandRunner';

const asOf = ['--as-of', '2026-11-22'];
const outsideFolderLine = (name: string, root: string) =>
  `${name}: a symbolic link to a folder outside the workspace (${root}); not followed.`;

describe('folder walks report what they skip', () => {
  let repository: TemporaryRepository;
  /** A folder beside the repository, where a link must not lead. */
  let outside: string;

  before(() => {
    repository = new TemporaryRepository({
      'infra/main.bicep': vmBicep('main', ubuntu1804),
      'shared/module.bicep': vmBicep('shared', ubuntu1804),
    });
    outside = `${repository.root}-outside`;
    fs.mkdirSync(outside, { recursive: true });
    fs.writeFileSync(path.join(outside, 'secret.bicep'), vmBicep('secret', ubuntu1804));
    const infra = path.join(repository.root, 'infra');
    fs.symlinkSync(outside, path.join(infra, 'runner-home'));
    fs.symlinkSync(path.join(outside, 'secret.bicep'), path.join(infra, 'secret.bicep'));
    fs.symlinkSync('missing.bicep', path.join(infra, 'broken.bicep'));
    fs.symlinkSync('.', path.join(infra, 'loop'));
    fs.symlinkSync(path.join(repository.root, 'shared'), path.join(infra, 'shared'));
    fs.symlinkSync('main.bicep', path.join(infra, 'again.bicep'));
  });
  after(() => {
    repository.dispose();
    fs.rmSync(outside, { recursive: true, force: true });
  });

  const problemLines = (root: string) => [
    'infra/broken.bicep : Warning problem: infra/broken.bicep: a symbolic link that leads nowhere (ENOENT); not followed.',
    `infra/runner-home : Warning problem: ${outsideFolderLine('infra/runner-home', root)}`,
    `infra/secret.bicep : Warning problem: infra/secret.bicep: a symbolic link to a file outside the workspace (${root}); not followed.`,
  ];

  test('text: links out of the workspace or to nothing are problems, counted in the summary', () => {
    const result = repository.run([...asOf, 'infra']);
    assert.equal(result.status, 1);
    const lines = result.stdout.trimEnd().split('\n');
    // The file itself, and the shared folder through the link that stays inside the workspace;
    // the loop and the second name of main.bicep add nothing.
    assert.deepEqual(
      lines.filter((line) => line.includes('end-of-support')).map((line) => line.split('(')[0]),
      ['infra/main.bicep', 'infra/shared/module.bicep'],
    );
    assert.deepEqual(
      lines.filter((line) => line.includes(' problem: ')),
      problemLines(repository.root),
    );
    assert.equal(result.stderr, '2 file(s) analysed: 2 error(s), 0 warning(s), 0 info; 3 problem(s).\n');
    assert.ok(!result.stdout.includes('runner-home/') && !result.stdout.includes('secret.bicep('), 'nothing outside is read');
  });

  test('JSON and SARIF carry the same problems; --fail-on-problems fails the run on them', () => {
    const json = JSON.parse(repository.run([...asOf, '--format', 'json', '--fail-level', 'none', 'infra']).stdout) as {
      problems: { file: string; message: string }[];
    };
    assert.deepEqual(
      json.problems.map((problem) => `${problem.file} : Warning problem: ${problem.message}`),
      problemLines(repository.root),
    );
    const sarif = JSON.parse(repository.run([...asOf, '--format', 'sarif', 'infra']).stdout) as {
      runs: { invocations: { toolExecutionNotifications: { message: { text: string } }[] }[] }[];
    };
    assert.deepEqual(
      sarif.runs[0].invocations[0].toolExecutionNotifications.map((notification) => notification.message.text),
      json.problems.map((problem) => problem.message),
    );
    assert.equal(repository.run([...asOf, '--fail-level', 'none', 'infra']).status, 0);
    const failing = repository.run([...asOf, '--fail-level', 'none', '--fail-on-problems', 'infra']);
    assert.equal(failing.status, 1);
    assert.match(failing.stdout, /^infra\/runner-home : Error problem: /m);
  });

  test('a folder walked on its own: only links into it stay inside', () => {
    // Run from inside `infra`, the workspace is `infra`: `shared` is outside now.
    const result = repository.run([...asOf, '.'], 'infra');
    assert.match(
      result.stdout,
      new RegExp(`^shared : Warning problem: ${escape(outsideFolderLine('shared', path.join(repository.root, 'infra')))}$`, 'm'),
    );
    assert.equal(result.stderr, '1 file(s) analysed: 1 error(s), 0 warning(s), 0 info; 4 problem(s).\n');
  });

  test('a folder that cannot be read is a problem, and the walk goes on', () => {
    const locked = path.join(repository.root, 'shared');
    const collected = collectFiles([repository.root], {
      roots: [repository.root],
      fileSystem: {
        ...nodeWalkFileSystem,
        readdir: (folder) => {
          if (path.resolve(folder) === locked) throw Object.assign(new Error('permission denied'), { code: 'EACCES' });
          return nodeWalkFileSystem.readdir(folder);
        },
      },
    });
    // The folder is reported before the links (followed or reported once the rest is walked).
    assert.deepEqual(collected.walkProblems[0], {
      file: locked,
      message: `${locked}: the folder cannot be read (EACCES); the files in it were not analysed.`,
    });
    assert.equal(collected.walkProblems.length, 4);
    assert.deepEqual(
      collected.files.map((file) => path.relative(repository.root, file)),
      ['infra/main.bicep'],
    );
  });

  test('a folder that cannot be read, for real (not as root, who reads everything)', { skip: process.getuid?.() === 0 }, () => {
    const locked = path.join(repository.root, 'locked');
    fs.mkdirSync(locked);
    fs.chmodSync(locked, 0o000);
    try {
      const result = repository.run([...asOf, '--fail-on-problems', 'locked']);
      assert.equal(result.status, 1);
      assert.equal(
        result.stdout,
        'locked : Error problem: locked: the folder cannot be read (EACCES); the files in it were not analysed.\n',
      );
      assert.equal(result.stderr, '0 file(s) analysed: 0 error(s), 0 warning(s), 0 info; 1 problem(s).\n');
    } finally {
      fs.chmodSync(locked, 0o700);
      fs.rmSync(locked, { recursive: true });
    }
  });

  test('a walk in small steps finds what a walk in one step finds', () => {
    const whole = new FolderWalk(repository.root, [repository.root]);
    whole.step();
    const stepped = new FolderWalk(repository.root, [repository.root]);
    let steps = 0;
    while (!stepped.step(1)) steps++;
    assert.ok(steps > 5);
    assert.deepEqual(stepped.files, whole.files);
    assert.deepEqual(stepped.problems, whole.problems);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
