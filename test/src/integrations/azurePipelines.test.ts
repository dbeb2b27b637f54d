/**
 * The Azure Pipelines step template (`ci/azure-pipelines/azure-image-lint.yml`) as the agent
 * runs it, offline: parameters (or their defaults) replace `${{ parameters.* }}`, the agent's
 * variables replace `$(...)` macros, and the bash step's script runs in its working directory
 * with its environment. It runs the npm package of the template's `version` through npx (a
 * stand-in here), writes by default the SARIF where Advanced Security's publish task looks, and
 * fails the step exactly when the command fails the run.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as yaml from 'js-yaml';
import { repositoryRoot } from '../harness/fixtures';
import { packageVersion, runBuiltCli, runStepScript } from './ciScripts';

interface Parameter {
  name: string;
  type: string;
  default: string | boolean;
  values?: string[];
}
interface Step {
  bash?: string;
  displayName?: string;
  workingDirectory?: string;
  env?: Record<string, string>;
}
interface Template {
  parameters: Parameter[];
  steps: Step[];
}

const template = yaml.load(
  fs.readFileSync(path.join(repositoryRoot, 'ci', 'azure-pipelines', 'azure-image-lint.yml'), 'utf8'),
) as Template;
const asOf = '2026-11-22';
const project = 'test/fixtures/cli/project';

describe('the Azure Pipelines template', () => {
  let temporary: string;
  let staging: string;
  before(() => {
    temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-pipelines-'));
    staging = path.join(temporary, 'staging');
  });
  after(() => {
    fs.rmSync(temporary, { recursive: true, force: true });
  });

  /** `${{ parameters.x }}` from `parameters` or the defaults, then the agent's `$(Variable)` macros. */
  function expand(value: string, parameters: Record<string, string>): string {
    const variables: Record<string, string> = {
      'Build.ArtifactStagingDirectory': staging,
      'Build.SourcesDirectory': repositoryRoot,
    };
    return value
      .replace(/\$\{\{\s*parameters\.(\w+)\s*\}\}/g, (_, name: string) => {
        const parameter = template.parameters.find((candidate) => candidate.name === name);
        if (!parameter) throw new Error(`no parameter ${name}`);
        return parameters[name] ?? String(parameter.default);
      })
      .replace(/\$\(([\w.]+)\)/g, (_, name: string) => {
        if (!(name in variables)) throw new Error(`unexpected variable ${name}`);
        return variables[name];
      });
  }

  function runTemplate(parameters: Record<string, string>) {
    const steps = template.steps.filter((step) => step.bash !== undefined);
    assert.equal(steps.length, 1);
    const [step] = steps;
    const environment = Object.fromEntries(
      Object.entries(step.env ?? {}).map(([name, value]) => [name, expand(String(value), parameters)]),
    );
    return runStepScript(
      step.bash!,
      environment,
      expand(step.workingDirectory ?? '$(Build.SourcesDirectory)', parameters),
      temporary,
    );
  }

  it('runs the npm package of this version, and reaches the script through its environment only', () => {
    const version = template.parameters.find((parameter) => parameter.name === 'version');
    assert.equal(version?.default, packageVersion, 'the template runs the version this repository is');
    assert.doesNotMatch(template.steps[0].bash!, /\$\{\{|\$\(/);
    assert.deepEqual(
      template.parameters.map((parameter) => parameter.name),
      ['paths', 'format', 'output', 'failLevel', 'baseline', 'arguments', 'version', 'workingDirectory'],
    );
  });

  it('writes SARIF where Advanced Security looks, and fails the step on an error-level finding', () => {
    const run = runTemplate({ paths: project, arguments: `--as-of ${asOf}` });
    assert.equal(run.status, 1, run.stderr);
    const output = path.join(staging, 'sarif', 'azure-image-lint.sarif');
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
    const expectedFile = path.join(temporary, 'expected.sarif');
    runBuiltCli(['--format', 'sarif', '--output', expectedFile, '--as-of', asOf, project], repositoryRoot);
    assert.equal(fs.readFileSync(output, 'utf8'), fs.readFileSync(expectedFile, 'utf8'));
  });

  it('passes with failLevel none, and with a baseline of the findings', () => {
    assert.equal(runTemplate({ paths: project, failLevel: 'none', arguments: `--as-of ${asOf}` }).status, 0);
    const baseline = path.join(temporary, 'baseline.json');
    assert.equal(runBuiltCli(['--as-of', asOf, '--write-baseline', baseline, project], repositoryRoot).status, 0);
    const run = runTemplate({ paths: project, baseline, arguments: `--as-of ${asOf}` });
    assert.equal(run.status, 0, run.stderr);
  });

  it('runs in its working directory, on several paths, with the text report in the log', () => {
    const run = runTemplate({
      workingDirectory: path.join(repositoryRoot, project),
      paths: 'vm.json\nmain.bicep',
      format: 'text',
      output: '',
      arguments: `--as-of ${asOf}`,
    });
    assert.equal(run.status, 1);
    assert.equal(
      run.stdout.slice(run.stdout.indexOf('\n') + 1),
      runBuiltCli(['--as-of', asOf, 'vm.json', 'main.bicep'], path.join(repositoryRoot, project)).stdout,
    );
  });
});
