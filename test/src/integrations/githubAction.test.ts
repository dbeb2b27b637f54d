/**
 * The GitHub Action (`action.yml`) as the runner runs it, offline: each input's value (or its
 * default) goes into the step's environment through `${{ inputs.* }}`, `github.action_path` is
 * this repository or a folder without a build, and the `run` script runs in bash. Its report is
 * the one the command gives for the same options, it sets the `output` and `exit-code` outputs
 * and fails the step exactly when the command fails the run. Without a build next to it, it runs
 * the npm package of its own version through npx (a stand-in here).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as yaml from 'js-yaml';
import { repositoryRoot } from '../harness/fixtures';
import { packageVersion, runBuiltCli, runStepScript } from './ciScripts';

interface ActionManifest {
  name: string;
  inputs: Record<string, { default?: string; required?: boolean; description: string }>;
  outputs: Record<string, { value: string; description: string }>;
  runs: { using: string; steps: { id?: string; shell?: string; env?: Record<string, string>; run?: string; uses?: string }[] };
}

const action = yaml.load(fs.readFileSync(path.join(repositoryRoot, 'action.yml'), 'utf8')) as ActionManifest;
const asOf = '2026-11-22';
const project = 'test/fixtures/cli/project';

/** `${{ inputs.name }}` and `${{ github.action_path }}` as the runner replaces them; anything else is an error here. */
function expand(value: string, inputs: Record<string, string>, actionPath: string): string {
  return value.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, expression: string) => {
    if (expression === 'github.action_path') return actionPath;
    const input = /^inputs\.([\w-]+)$/.exec(expression);
    if (!input || !(input[1] in action.inputs)) throw new Error(`unexpected expression ${expression}`);
    return inputs[input[1]] ?? action.inputs[input[1]].default ?? '';
  });
}

describe('the GitHub Action', () => {
  let temporary: string;
  before(() => {
    temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-action-'));
  });
  after(() => {
    fs.rmSync(temporary, { recursive: true, force: true });
  });

  /** Runs the action's steps with `inputs`; returns the last step's run and the outputs it set. */
  function runAction(inputs: Record<string, string>, actionPath = repositoryRoot) {
    const githubOutput = path.join(temporary, 'github-output.txt');
    fs.writeFileSync(githubOutput, '');
    const steps = action.runs.steps.filter((step) => step.run !== undefined);
    assert.equal(steps.length, 1);
    const [step] = steps;
    const environment = Object.fromEntries(
      Object.entries(step.env ?? {}).map(([name, value]) => [name, expand(String(value), inputs, actionPath)]),
    );
    const run = runStepScript(
      expand(step.run!, inputs, actionPath),
      { ...environment, GITHUB_OUTPUT: githubOutput, GITHUB_ACTION_PATH: actionPath },
      repositoryRoot,
      temporary,
    );
    const outputs = Object.fromEntries(
      fs
        .readFileSync(githubOutput, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    return { ...run, outputs };
  }

  it('is a composite action whose inputs have defaults and whose outputs come from its step', () => {
    assert.equal(action.runs.using, 'composite');
    assert.deepEqual(Object.keys(action.inputs), ['paths', 'format', 'output', 'fail-level', 'baseline', 'args']);
    for (const [name, input] of Object.entries(action.inputs)) assert.ok(input.required !== true && 'default' in input, name);
    assert.deepEqual(
      Object.entries(action.outputs).map(([name, output]) => [name, output.value]),
      [
        ['output', '${{ steps.lint.outputs.output }}'],
        ['exit-code', '${{ steps.lint.outputs.exit-code }}'],
      ],
    );
    // Inputs reach the script through its environment only, never pasted into its text.
    const step = action.runs.steps.find((candidate) => candidate.run !== undefined)!;
    assert.equal(step.shell, 'bash');
    assert.doesNotMatch(step.run!, /\$\{\{/);
  });

  it('writes the SARIF report the command writes, and fails the step on an error-level finding', () => {
    const output = path.join(temporary, 'reports', 'results.sarif');
    const run = runAction({ paths: project, output, args: `--as-of ${asOf}` });
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(run.outputs, { output, 'exit-code': '1' });
    assert.equal(run.npxArguments, undefined, 'the build next to the action is used');
    const expectedFile = path.join(temporary, 'expected.sarif');
    const expected = runBuiltCli(
      ['--format', 'sarif', '--fail-level', 'error', '--output', expectedFile, '--as-of', asOf, project],
      repositoryRoot,
    );
    assert.equal(expected.status, 1);
    assert.equal(fs.readFileSync(output, 'utf8'), fs.readFileSync(expectedFile, 'utf8'));
    const sarif = JSON.parse(fs.readFileSync(output, 'utf8'));
    assert.deepEqual(
      sarif.runs[0].results.map((result: { ruleId: string }) => result.ruleId),
      ['not-endorsed', 'end-of-support', 'end-of-support'],
    );
  });

  it('passes with fail-level none, and reports the exit code', () => {
    const output = path.join(temporary, 'none.sarif');
    const run = runAction({ paths: project, output, 'fail-level': 'none', args: `--as-of ${asOf}` });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.outputs, { output, 'exit-code': '0' });
  });

  it('reports only new findings with a baseline', () => {
    const baseline = path.join(temporary, 'baseline.json');
    assert.equal(runBuiltCli(['--as-of', asOf, '--write-baseline', baseline, project], repositoryRoot).status, 0);
    const output = path.join(temporary, 'baseline.sarif');
    const run = runAction({ paths: project, output, baseline, args: `--as-of ${asOf}` });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(fs.readFileSync(output, 'utf8')).runs[0].results, []);
  });

  it('takes several paths on lines or separated by spaces, and writes the text report to the log', () => {
    const run = runAction({
      paths: `${project}/vm.json\n  ${project}/main.bicep test/fixtures/cli/clean\n`,
      format: 'text',
      output: '',
      args: `--as-of ${asOf}  --quiet`,
    });
    const expected = runBuiltCli(
      [
        '--format',
        'text',
        '--fail-level',
        'error',
        '--as-of',
        asOf,
        '--quiet',
        `${project}/vm.json`,
        `${project}/main.bicep`,
        'test/fixtures/cli/clean',
      ],
      repositoryRoot,
    );
    assert.equal(run.status, expected.status);
    assert.equal(run.stdout.slice(run.stdout.indexOf('\n') + 1), expected.stdout);
    assert.match(run.stdout, /^node .*cli\.js --format text --fail-level error --as-of 2026-11-22 --quiet test\/fixtures/);
    assert.deepEqual(run.outputs, { output: '', 'exit-code': '1' });
  });

  it('stops with exit code 2 on a bad input, and says why', () => {
    const run = runAction({ paths: project, 'fail-level': 'severe', output: '' });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /fail-level/);
    assert.deepEqual(run.outputs, { output: '', 'exit-code': '2' });
  });

  it('without a build next to it, runs the npm package of its own version', () => {
    const actionPath = path.join(temporary, 'action');
    fs.mkdirSync(actionPath, { recursive: true });
    fs.copyFileSync(path.join(repositoryRoot, 'action.yml'), path.join(actionPath, 'action.yml'));
    fs.copyFileSync(path.join(repositoryRoot, 'package.json'), path.join(actionPath, 'package.json'));
    const output = path.join(temporary, 'npx.sarif');
    const run = runAction({ paths: project, output, args: `--as-of ${asOf}` }, actionPath);
    assert.equal(run.status, 1, run.stderr);
    assert.deepEqual(run.npxArguments, [
      '--yes',
      `azure-image-lint@${packageVersion}`,
      '--format',
      'sarif',
      '--fail-level',
      'error',
      '--output',
      output,
      '--as-of',
      asOf,
      project,
    ]);
    assert.equal(JSON.parse(fs.readFileSync(output, 'utf8')).runs[0].results.length, 3);
  });
});
