/**
 * The CLI contract, checked against the real command as a child process: every format, every
 * exit status, paths as given, bad usage and bad configuration. Other tools rely on this output.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import Ajv from 'ajv-draft-04';
import { pathToFileURL } from 'node:url';
import { repositoryRoot } from '../harness/fixtures';

const cli = path.join(repositoryRoot, 'server', 'out', 'cli.js');
const project = 'test/fixtures/cli/project';

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: repositoryRoot, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const ubuntuMessage =
  'Ubuntu 18.04 LTS (UbuntuServer/18.04-LTS) reached end of standard support on 2023-05-31; Ubuntu Pro (ESM) can extend it until 2028-04-01; switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/server-gen1).';

describe('text output', () => {
  test('one line per finding and problem, exit 1 for an error-level finding', () => {
    const result = run('--as-of', '2026-11-22', project);
    assert.equal(result.status, 1);
    assert.equal(
      result.stdout,
      [
        'test/fixtures/cli/project/main.bicep(7,20) : Warning not-endorsed: CentOS Linux (OpenLogic/CentOS) is not endorsed on Azure; switch to AlmaLinux 9 (almalinux-x86_64/9-gen2).',
        'test/fixtures/cli/project/main.bicep(9,14) : Error end-of-support: CentOS 7 (CentOS/7_9-gen2) reached end of standard support on 2024-06-30; switch to AlmaLinux 9 (almalinux-x86_64/9-gen2).',
        `test/fixtures/cli/project/vm.json(14,20) : Error end-of-support: ${ubuntuMessage}`,
        'test/fixtures/cli/project/broken.json(6,61) : Warning problem: Cannot read the template: Expected "}" before the end of the text',
        '',
      ].join('\n'),
    );
    assert.equal(result.stderr, '3 file(s) analysed: 2 error(s), 1 warning(s), 0 info; 1 problem(s).\n');
  });

  test('exit 0 and no output when nothing is at error level', () => {
    const result = run('--as-of', '2026-11-22', 'test/fixtures/cli/clean');
    assert.equal(result.status, 0);
    assert.equal(result.stdout, '');
  });

  test('absolute paths stay absolute', () => {
    const file = path.join(repositoryRoot, project, 'vm.json');
    const result = run('--as-of', '2026-11-22', file);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, `${file}(14,20) : Error end-of-support: ${ubuntuMessage}\n`);
  });

  test('--inventory prints every image as a table', () => {
    const result = run('--as-of', '2026-11-22', '--inventory', path.join(project, 'vm.json'));
    assert.equal(result.status, 1);
    assert.equal(
      result.stdout,
      [
        'location                                  resource type                      publisher:offer:sku:version                       unresolved  defined at                                                                    via',
        'test/fixtures/cli/project/vm.json(11,29)  Microsoft.Compute/virtualMachines  Canonical:UbuntuServer:18.04-LTS:18.04.202306070  -           test/fixtures/cli/project/vm.json publisher:12, offer:13, sku:14, version:15  -',
        '',
      ].join('\n'),
    );
  });

  test('--as-of decides what has ended', () => {
    const result = run('--as-of', '2023-01-01', path.join(project, 'vm.json'));
    assert.equal(result.status, 0);
    assert.equal(
      result.stdout,
      'test/fixtures/cli/project/vm.json(14,20) : Warning support-ending: Ubuntu 18.04 LTS (UbuntuServer/18.04-LTS) reaches the end of standard support on 2023-05-31, in 150 days; switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/server-gen1).\n',
    );
  });
});

describe('JSON output', () => {
  const result = run('--as-of', '2026-11-22', '--format', 'json', project);
  const report = JSON.parse(result.stdout);

  test('exit status and top-level fields', () => {
    assert.equal(result.status, 1);
    assert.deepEqual(Object.keys(report), ['version', 'asOf', 'findings', 'problems', 'images']);
    assert.equal(report.version, 1);
    assert.equal(report.asOf, '2026-11-22');
  });

  test('a finding with 0-based UTF-16 range, image and fixes', () => {
    const finding = report.findings.find((item: { file: string }) => item.file === 'test/fixtures/cli/project/vm.json');
    assert.deepEqual(finding, {
      file: 'test/fixtures/cli/project/vm.json',
      range: { start: { line: 13, character: 19 }, end: { line: 13, character: 30 } },
      code: 'end-of-support',
      severity: 'error',
      message: ubuntuMessage,
      image: { publisher: 'Canonical', offer: 'UbuntuServer', sku: '18.04-LTS', version: '18.04.202306070' },
      fixes: [
        {
          title: 'Switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/server-gen1)',
          isPreferred: true,
          edits: [
            {
              file: 'test/fixtures/cli/project/vm.json',
              range: { start: { line: 12, character: 21 }, end: { line: 12, character: 35 } },
              newText: '"ubuntu-24_04-lts"',
            },
            {
              file: 'test/fixtures/cli/project/vm.json',
              range: { start: { line: 13, character: 19 }, end: { line: 13, character: 30 } },
              newText: '"server-gen1"',
            },
            {
              file: 'test/fixtures/cli/project/vm.json',
              range: { start: { line: 14, character: 23 }, end: { line: 14, character: 40 } },
              newText: '"latest"',
            },
          ],
        },
        {
          title: 'Switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/ubuntu-pro-gen1) (changes licensing: free → pay-as-you-go)',
          isPreferred: false,
          edits: [
            {
              file: 'test/fixtures/cli/project/vm.json',
              range: { start: { line: 12, character: 21 }, end: { line: 12, character: 35 } },
              newText: '"ubuntu-24_04-lts"',
            },
            {
              file: 'test/fixtures/cli/project/vm.json',
              range: { start: { line: 13, character: 19 }, end: { line: 13, character: 30 } },
              newText: '"ubuntu-pro-gen1"',
            },
            {
              file: 'test/fixtures/cli/project/vm.json',
              range: { start: { line: 14, character: 23 }, end: { line: 14, character: 40 } },
              newText: '"latest"',
            },
          ],
        },
      ],
      related: [
        {
          file: 'test/fixtures/cli/project/vm.json',
          range: { start: { line: 10, character: 28 }, end: { line: 15, character: 11 } },
          message: 'The sku from literal is used by this virtualMachines image.',
        },
      ],
      helpUri: pathToFileURL(path.join(repositoryRoot, 'docs', 'rules', 'end-of-support.md')).href,
    });
  });

  test('an unparsable file is a problem, other JSON is ignored', () => {
    assert.deepEqual(report.problems, [
      {
        file: 'test/fixtures/cli/project/broken.json',
        message: 'Cannot read the template: Expected "}" before the end of the text',
      },
    ]);
    assert.ok(!JSON.stringify(report).includes('notes.json'));
  });

  test('the inventory lists every image with its candidates', () => {
    assert.deepEqual(
      report.images.map((image: { file: string; resourceType: string; candidates: unknown[]; unresolved: string[] }) => [
        image.file,
        image.resourceType,
        image.candidates,
        image.unresolved,
      ]),
      [
        [
          'test/fixtures/cli/project/main.bicep',
          'Microsoft.Compute/virtualMachines',
          [{ publisher: 'OpenLogic', offer: 'CentOS', sku: '7_9-gen2', version: 'latest' }],
          [],
        ],
        [
          'test/fixtures/cli/project/vm.json',
          'Microsoft.Compute/virtualMachines',
          [{ publisher: 'Canonical', offer: 'UbuntuServer', sku: '18.04-LTS', version: '18.04.202306070' }],
          [],
        ],
      ],
    );
  });
});

describe('SARIF output', () => {
  const result = run('--as-of', '2026-11-22', '--format', 'sarif', project);
  const log = JSON.parse(result.stdout);

  test('validates against the official SARIF 2.1.0 schema', () => {
    const schemaFile = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  });

  test('rules carry metadata and their page as help (no link to a file of this machine); results carry level, region and fixes', () => {
    assert.equal(result.status, 1);
    const driver = log.runs[0].tool.driver;
    assert.deepEqual(
      driver.rules.map((rule: { id: string }) => rule.id),
      ['end-of-support', 'support-ending', 'not-endorsed', 'untuned-kernel', 'unknown-image', 'preview-image', 'not-allowed'],
    );
    assert.equal(driver.rules[0].helpUri, undefined);
    assert.ok(!result.stdout.includes('docs/rules/'), 'the log links a page on this machine');
    // The message links the related location (the image that uses the value), as GitHub needs.
    const ubuntu = log.runs[0].results.find(
      (item: { message: { text: string } }) => item.message.text === `${ubuntuMessage} See [the image that uses this value](1).`,
    );
    assert.equal(ubuntu.ruleId, 'end-of-support');
    assert.equal(ubuntu.level, 'error');
    assert.deepEqual(ubuntu.locations[0].physicalLocation, {
      artifactLocation: { uri: 'test/fixtures/cli/project/vm.json', uriBaseId: '%SRCROOT%' },
      region: { startLine: 14, startColumn: 20, endLine: 14, endColumn: 31 },
    });
    assert.equal(ubuntu.fixes[0].artifactChanges[0].replacements.length, 3);
    assert.equal(log.runs[0].results.length, 3);
  });
});

describe('exit status 2', () => {
  test('a bad configuration file: messages on stderr, analysis still runs', () => {
    const result = run('test/fixtures/cli/bad-config');
    assert.equal(result.status, 2);
    const file = 'test/fixtures/cli/bad-config/azure-image-lint.json';
    assert.equal(
      result.stderr,
      [
        `azure-image-lint: ${file}: unknown rule 'no-such-rule'; known rules: end-of-support, support-ending, not-endorsed, untuned-kernel, unknown-image, preview-image, not-allowed.`,
        `azure-image-lint: ${file}: 'support-ending.days' must be a whole number from 0 to 3650.`,
        `azure-image-lint: ${file}: 'asOf' must be a date written YYYY-MM-DD.`,
        '1 file(s) analysed: 0 error(s), 0 warning(s), 0 info.',
        '',
      ].join('\n'),
    );
  });

  test('an unreadable path', () => {
    const result = run('no/such/folder');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^azure-image-lint: no\/such\/folder: no such file or folder\.$/m);
  });

  for (const args of [[], ['--format', 'xml', project], ['--as-of', '2026-02-30', project], ['--bogus', project], ['--config']]) {
    test(`bad usage: ${JSON.stringify(args)}`, () => {
      const result = run(...args);
      assert.equal(result.status, 2);
      assert.match(result.stderr, /^azure-image-lint: .+\nUsage: azure-image-lint \[options\] <file-or-folder>\.\.\./);
    });
  }

  test('--explain of an unknown rule', () => {
    const result = run('--explain', 'no-such-rule');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /unknown rule 'no-such-rule'/);
  });
});

describe('catalog files', () => {
  const folder = 'test/fixtures/cli/catalog-overlay';

  test('an overlay named by the configuration adds a SKU the bundled catalog does not know', () => {
    const result = run('--as-of', '2026-11-22', folder);
    assert.equal(result.status, 0);
    assert.equal(result.stdout, '');
  });

  test('a bad catalog file: messages name the file, the bundled catalog is used, exit 2', () => {
    // Work on a copy: other test files read the fixtures at the same time.
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-catalog-'));
    try {
      fs.cpSync(path.join(repositoryRoot, folder), copy, { recursive: true });
      const catalogFile = path.join(copy, 'our-images.catalog.json');
      fs.writeFileSync(catalogFile, fs.readFileSync(catalogFile, 'utf8').replace('"reference"', '"ref"'));
      const result = run('--as-of', '2026-11-22', copy);
      assert.equal(result.status, 2);
      assert.equal(
        result.stdout,
        `${copy}/main.bicep(22,14) : Info unknown-image: SKU 'server-hardened' of canonical/UBUNTU-24_04-LTS is not in the catalog (catalog as of 2026-12-07).\n`,
      );
      assert.equal(
        result.stderr,
        [
          `azure-image-lint: ${catalogFile}: $.sources["ours"]: unknown property "ref"`,
          `azure-image-lint: ${catalogFile}: $.sources["ours"]: a source needs "url" or "reference"`,
          `azure-image-lint: ${catalogFile}: the catalog file was not used; the bundled catalog is used.`,
          '1 file(s) analysed: 0 error(s), 0 warning(s), 1 info.',
          '',
        ].join('\n'),
      );
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('other commands', () => {
  test('--explain prints the rule documentation', () => {
    const result = run('--explain', 'support-ending');
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^support-ending: Image support ends soon\nDefault level: warning\n\n/);
    assert.match(result.stdout, /\n {2}days \(default 180\): How many days before the end of support to start warning\.\n/);
    const page = pathToFileURL(path.join(repositoryRoot, 'docs', 'rules', 'support-ending.md')).href;
    assert.ok(result.stdout.endsWith(`\nDocumentation: ${page}\n`), result.stdout);
  });

  test('--help and --version', () => {
    assert.match(run('--help').stdout, /^Usage: azure-image-lint/);
    const version = JSON.parse(fs.readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')).version;
    assert.equal(run('--version').stdout, `${version}\n`);
  });

  test('--config applies one file to every template', () => {
    const config = path.join(repositoryRoot, 'test', 'fixtures', 'rules', 'rule-levels', 'azure-image-lint.json');
    const result = run('--as-of', '2026-11-22', '--config', config, path.join(project, 'vm.json'));
    assert.equal(result.status, 0);
    assert.equal(result.stdout, `test/fixtures/cli/project/vm.json(14,20) : Warning end-of-support: ${ubuntuMessage}\n`);
  });
});

describe('the README quick start', () => {
  test('the bundled examples report what the README promises', () => {
    const result = run('--as-of', '2026-11-22', 'examples');
    assert.equal(result.status, 1);
    assert.equal(
      result.stdout,
      [
        'examples/arm/azuredeploy.json(8,23) : Error end-of-support: Ubuntu 18.04 LTS (UbuntuServer/18.04-LTS) reached end of standard support on 2023-05-31; Ubuntu Pro (ESM) can extend it until 2028-04-01; switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/server-gen1).',
        'examples/arm/azuredeploy.json(9,25) : Error end-of-support: Ubuntu 16.04 LTS (UbuntuServer/16.04-LTS) reached end of standard support on 2021-04-02; switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/server-gen1).',
        'examples/arm/azuredeploy.json(9,38) : Error end-of-support: Ubuntu 18.04 LTS (UbuntuServer/18.04-LTS) reached end of standard support on 2023-05-31; Ubuntu Pro (ESM) can extend it until 2028-04-01; switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/server-gen1).',
        'examples/arm/azuredeploy.json(17,20) : Warning not-endorsed: CentOS Linux (OpenLogic/CentOS) is not endorsed on Azure; switch to AlmaLinux 9 (almalinux-x86_64/9-gen1).',
        'examples/arm/azuredeploy.json(19,14) : Error end-of-support: CentOS 7 (CentOS/7.5) reached end of standard support on 2024-06-30; switch to AlmaLinux 9 (almalinux-x86_64/9-gen1).',
        'examples/arm/azuredeploy.parameters.json(5,35) : Error end-of-support: Ubuntu 16.04 LTS (UbuntuServer/16.04-LTS) reached end of standard support on 2021-04-02; switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/server-gen1).',
        'examples/bicep/main.bicep(17,10) : Error end-of-support: Ubuntu 20.04 LTS (0001-com-ubuntu-server-focal/20_04-lts-gen2) reached end of standard support on 2025-05-31; Ubuntu Pro (ESM) can extend it until 2030-04-02; switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/server).',
        'examples/bicep/main.bicep(23,10) : Warning support-ending: Ubuntu 22.04 LTS (0001-com-ubuntu-server-jammy/22_04-lts-gen2) reaches the end of standard support on 2027-04, in 159 days; switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/server).',
        'examples/bicep/main.bicep(53,12) : Error end-of-support: SUSE Linux Enterprise Server 15 SP4 (sles-15-sp4/gen2) reached end of standard support on 2023-12-31; SUSE LTSS (paid add-on) can extend it until 2026-12-31; switch to SUSE Linux Enterprise Server 15 SP7 (sles-15-sp7/gen2).',
        '',
      ].join('\n'),
    );
    assert.equal(result.stderr, '4 file(s) analysed: 7 error(s), 2 warning(s), 0 info.\n');
  });
});
