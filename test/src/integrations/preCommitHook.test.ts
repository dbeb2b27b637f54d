/**
 * The pre-commit hook (`.pre-commit-hooks.yaml`) as pre-commit runs it: its entry is one of the
 * package's commands (pre-commit installs the repository as an npm package and finds the entry on
 * the PATH), and it runs with the staged files that match `files` as arguments. Here the entry
 * resolves through package.json's `bin`, as npm links it, and runs on fixture files.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as yaml from 'js-yaml';
import { repositoryRoot } from '../harness/fixtures';

interface Hook {
  id: string;
  name: string;
  entry: string;
  language: string;
  files: string;
  args?: string[];
  pass_filenames?: boolean;
}

const hooks = yaml.load(fs.readFileSync(path.join(repositoryRoot, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
const manifest = JSON.parse(fs.readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
};
const asOf = '2026-11-22';

/** The files of `folder` (relative to the repository) pre-commit would pass to `hook`. */
function matchingFiles(hook: Hook, folder: string): string[] {
  const pattern = new RegExp(hook.files);
  return fs
    .readdirSync(path.join(repositoryRoot, folder))
    .map((name) => `${folder}/${name}`)
    .filter((file) => pattern.test(file))
    .sort();
}

/** Runs the hook's entry as pre-commit does, `extraArgs` (the user's `args`) first, then the files. */
function runHook(hook: Hook, files: readonly string[], extraArgs: readonly string[] = []) {
  const [command, ...entryArgs] = hook.entry.split(/\s+/);
  const target = manifest.bin[command];
  assert.ok(target, `${command} is not one of the package's commands`);
  const result = spawnSync(
    process.execPath,
    [path.join(repositoryRoot, target), ...entryArgs, ...(hook.args ?? []), ...extraArgs, ...files],
    {
      cwd: repositoryRoot,
      encoding: 'utf8',
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the pre-commit hook', () => {
  const [hook] = hooks;

  it('is one node hook whose entry is the azure-image-lint command', () => {
    assert.equal(hooks.length, 1);
    assert.equal(hook.id, 'azure-image-lint');
    assert.equal(hook.language, 'node');
    assert.equal(hook.entry, 'azure-image-lint');
    assert.notEqual(hook.pass_filenames, false);
  });

  it('passes templates, parameter files and Bicep files, and no other file', () => {
    const pattern = new RegExp(hook.files);
    for (const file of ['a/main.bicep', 'a/main.bicepparam', 'azuredeploy.json', 'a/b.parameters.json', 'c.jsonc']) {
      assert.ok(pattern.test(file), file);
    }
    for (const file of ['README.md', 'a/main.bicep.bak', 'script.sh', 'json']) assert.ok(!pattern.test(file), file);
  });

  it('fails a commit with an out-of-support image, naming the file and line', () => {
    const files = matchingFiles(hook, 'test/fixtures/cli/project');
    assert.deepEqual(files, [
      'test/fixtures/cli/project/broken.json',
      'test/fixtures/cli/project/main.bicep',
      'test/fixtures/cli/project/notes.json',
      'test/fixtures/cli/project/vm.json',
    ]);
    const run = runHook(hook, files, ['--as-of', asOf]);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /^test\/fixtures\/cli\/project\/vm\.json\(14,20\) : Error end-of-support: Ubuntu 18\.04 LTS/m);
    assert.match(run.stdout, /^test\/fixtures\/cli\/project\/main\.bicep\(9,14\) : Error end-of-support: CentOS 7/m);
  });

  it('passes a commit of a clean template, and of JSON that is no template', () => {
    const clean = runHook(hook, matchingFiles(hook, 'test/fixtures/cli/clean'), ['--as-of', asOf]);
    assert.equal(clean.status, 0, clean.stdout + clean.stderr);
    const notTemplate = runHook(hook, ['test/fixtures/cli/project/notes.json', 'package.json'], ['--as-of', asOf]);
    assert.deepEqual(notTemplate, { status: 0, stdout: '', stderr: '0 file(s) analysed: 0 error(s), 0 warning(s), 0 info.\n' });
  });
});
