/**
 * Parameter files on the command line: named as real repositories name them, each checked as a
 * deployment of its own and reported where its values are written; paired by the `parameterFiles`
 * map of `azure-image-lint.json` or the scan's `armParameterFileMap` option; and a parameter file
 * paired with no template reported as a problem that says so.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { scanFiles } from '../../../server/out/node/scan';
import { repositoryRoot } from '../harness/fixtures';

const cli = path.join(repositoryRoot, 'server', 'out', 'cli.js');
const names = 'test/fixtures/rules/parameter-file-names';
const mapped = 'test/fixtures/rules/parameter-file-map';

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: repositoryRoot, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const unpaired = (looked: string) =>
  `This parameter file is paired with no template, so its values are not checked: ${looked}. Name it after its template (<template>.parameters.json) or map it with 'parameterFiles' in azure-image-lint.json.`;

describe('parameter files on the command line', () => {
  test('each parameter file named after its template is checked, and reported where its values are', () => {
    const result = run('--as-of', '2026-11-22', '--format', 'json', names);
    assert.equal(result.status, 1);
    const output = JSON.parse(result.stdout) as {
      findings: { file: string; code: string; image: { sku: string } }[];
      problems: { file: string; message: string }[];
    };
    assert.deepEqual(
      output.findings.map((finding) => `${path.basename(finding.file)} ${finding.code} ${finding.image.sku}`).sort(),
      [
        'azuredeploy.parameters-sles.json end-of-support 12-SP3',
        'azuredeploy.parameters.dev.json end-of-support 8',
        'centos.7.5.azuredeploy.parameters.json end-of-support 7.5',
        'centos.7.5.azuredeploy.parameters.json not-endorsed 7.5',
        'main.parameters.prod.json end-of-support 14.04.5-LTS',
      ],
    );
    assert.deepEqual(output.problems, [
      {
        file: `${names}/lonely.parameters.json`,
        message: unpaired('no template named lonely.json is beside it'),
      },
    ]);
  });

  test("a parameter file is paired by the configuration's map, and one nothing pairs is a problem", () => {
    const result = run('--as-of', '2026-11-22', mapped);
    assert.equal(result.status, 1);
    assert.equal(
      result.stdout,
      [
        `${mapped}/env/prod.json(6,16) : Warning not-endorsed: CentOS Linux (OpenLogic/CentOS) is not endorsed on Azure; switch to AlmaLinux 9 (almalinux-x86_64/9-gen1).`,
        `${mapped}/env/prod.json(13,16) : Error end-of-support: CentOS 6 (CentOS/6.10) reached end of standard support on 2020-11-30; switch to AlmaLinux 9 (almalinux-x86_64/9-gen1).`,
        `${mapped}/env/other.json(1,1) : Warning problem: ${unpaired('its name does not say which template it is for')}`,
        '',
      ].join('\n'),
    );
  });

  test("the scan's armParameterFileMap pairs too, with paths relative to the current folder", () => {
    const files = [`${names}/main.json`, `${names}/lonely.parameters.json`].map((file) =>
      path.relative(process.cwd(), path.join(repositoryRoot, file)),
    );
    const result = scanFiles(files, {
      asOf: '2026-11-22',
      today: '2026-11-22',
      armParameterFileMap: { [files[0]]: path.join(repositoryRoot, names, 'lonely.parameters.json') },
    });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.findings.map((finding) => `${path.basename(finding.location.file)} ${finding.code} ${finding.image.sku}`).sort(),
      ['lonely.parameters.json end-of-support 16.04-LTS', 'main.parameters.prod.json end-of-support 14.04.5-LTS'],
    );
    // The mapped parameter file is read through its template, not on its own.
    assert.deepEqual(result.files, files.slice(0, 1));
  });
});
