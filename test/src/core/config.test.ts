/**
 * The `parameterFiles` map of `azure-image-lint.json`: what it accepts, the problems it reports,
 * and how merging resolves it (templates from the configuration's folder, each parameter file
 * relative to its template's folder, as the ARM reader reads maps), every layer's pairs kept.
 */
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { mergeConfigs, parseConfigText } from '../../../server/out/core/config/config';

describe('configuration: parameterFiles', () => {
  test('maps a template to one parameter file or several', () => {
    const { config, problems } = parseConfigText(
      JSON.stringify({ parameterFiles: { 'vm.json': 'env/prod.json', 'sub/vmss.json': ['dev.json', '../common/prod.json'] } }),
      'azure-image-lint.json',
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(config.parameterFiles, {
      'vm.json': ['env/prod.json'],
      'sub/vmss.json': ['dev.json', '../common/prod.json'],
    });
  });

  test('reports what is not a path, and keeps the rest', () => {
    const text = '{ "parameterFiles": { "vm.json": ["ok.json", 3], "": "x.json" } }';
    const { config, problems } = parseConfigText(text, 'azure-image-lint.json');
    assert.deepEqual(
      problems.map((problem) => [problem.message, text.slice(problem.range!.start, problem.range!.end)]),
      [
        ["azure-image-lint.json: the parameter files of 'vm.json' must be paths (a string or an array of strings).", '3'],
        ["azure-image-lint.json: 'parameterFiles' keys must be template paths.", '""'],
      ],
    );
    assert.deepEqual(config.parameterFiles, { 'vm.json': ['ok.json'] });
    assert.deepEqual(
      parseConfigText('{ "parameterFiles": [] }', 'c.json').problems.map((problem) => problem.message),
      ["c.json: 'parameterFiles' must be an object mapping template paths to parameter file paths."],
    );
  });

  test('merging resolves templates and keeps each parameter file relative to its template, from every layer', () => {
    const root = parseConfigText(
      JSON.stringify({ parameterFiles: { 'sub/vmss.json': ['env/prod.json', '/abs/p.json'] } }),
      'a',
    ).config;
    root.baseFolder = '/repo';
    const nested = parseConfigText(JSON.stringify({ parameterFiles: { 'vmss.json': 'dev.json' } }), 'b').config;
    nested.baseFolder = '/repo/sub';
    assert.deepEqual(mergeConfigs(root, nested).parameterFiles, {
      '/repo/sub/vmss.json': ['../env/prod.json', '/abs/p.json', 'dev.json'],
    });
  });
});
