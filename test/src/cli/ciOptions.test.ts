/**
 * The options for CI, against the real command as a child process: `--output`, `--fail-level`,
 * `--max-warnings`, `--quiet`, `--exclude`, `.gitignore` and `--no-ignore`, `--root`, and files
 * that could not be analysed (`--fail-on-problems`, and how every format reports them). The exit
 * statuses stay those of the contract: 0, 1, 2.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { repositoryRoot } from '../harness/fixtures';
import { runCli, TemporaryRepository, ubuntu1804, ubuntu2404, unknownSku, vmBicep } from './commandRunner';

const asOf = ['--as-of', '2026-11-22'];
const project = 'test/fixtures/cli/project';

const ubuntuMessage =
  'Ubuntu 18.04 LTS (UbuntuServer/18.04-LTS) reached end of standard support on 2023-05-31; Ubuntu Pro (ESM) can extend it until 2028-04-01; switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/server-gen1).';
const centosLines = [
  'test/fixtures/cli/project/main.bicep(7,20) : Warning not-endorsed: CentOS Linux (OpenLogic/CentOS) is not endorsed on Azure; switch to AlmaLinux 9 (almalinux-x86_64/9-gen2).',
  'test/fixtures/cli/project/main.bicep(9,14) : Error end-of-support: CentOS 7 (CentOS/7_9-gen2) reached end of standard support on 2024-06-30; switch to AlmaLinux 9 (almalinux-x86_64/9-gen2).',
];
const brokenLine = (level: string) =>
  `test/fixtures/cli/project/broken.json(6,61) : ${level} problem: Cannot read the template: Expected "}" before the end of the text`;

describe('--output', () => {
  let folder = '';
  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-output-'));
  });
  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  for (const format of ['text', 'json', 'sarif']) {
    test(`writes the ${format} report as UTF-8 without a BOM, and nothing on stdout`, () => {
      const file = path.join(folder, 'reports', format, `report.${format}`);
      const toStdout = runCli([...asOf, '--format', format, project]);
      const toFile = runCli([...asOf, '--format', format, '--output', file, project]);
      assert.equal(toFile.status, 1);
      assert.equal(toFile.stdout, '');
      const bytes = fs.readFileSync(file);
      assert.notDeepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      assert.deepEqual(bytes, Buffer.from(toStdout.stdout, 'utf8'));
      if (format !== 'text') {
        // A fix's title says "free → pay-as-you-go": the arrow is three bytes in UTF-8.
        assert.ok(bytes.includes(Buffer.from([0xe2, 0x86, 0x92])));
        assert.ok(!bytes.includes(Buffer.from('→', 'utf16le')));
      }
    });
  }

  test('the summary and the problems stay on stderr', () => {
    const file = path.join(folder, 'report.txt');
    const result = runCli([...asOf, '--output', file, project]);
    assert.equal(
      result.stderr,
      `${brokenLine('Warning')}\n3 file(s) analysed: 2 error(s), 1 warning(s), 0 info; 1 problem(s).\n`,
    );
    assert.equal(
      fs.readFileSync(file, 'utf8'),
      [
        ...centosLines,
        `test/fixtures/cli/project/vm.json(14,20) : Error end-of-support: ${ubuntuMessage}`,
        brokenLine('Warning'),
        '',
      ].join('\n'),
    );
  });

  test('an output that cannot be written is exit status 2', () => {
    const result = runCli([...asOf, '--output', folder, project]);
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, new RegExp(`^azure-image-lint: ${escape(folder)}: cannot be written \\(EISDIR\\)\\.$`, 'm'));
  });
});

describe('--fail-level and --max-warnings', () => {
  let repository: TemporaryRepository;
  before(() => {
    repository = new TemporaryRepository({
      'vm.bicep': vmBicep('vm', ubuntu1804),
      'info.bicep': vmBicep('info', unknownSku),
      'clean.bicep': vmBicep('clean', ubuntu2404),
    });
  });
  after(() => repository.dispose());

  // Before 2023-05-31, Ubuntu 18.04 is a warning (support-ending); after it, an error.
  const warningOnly = ['--as-of', '2023-01-01', 'vm.bicep'];
  const statuses = (args: string[]) =>
    (['error', 'warning', 'info', 'none'] as const).map((level) => repository.run(['--fail-level', level, ...args]).status);

  test('the lowest level that fails the run; error by default', () => {
    assert.match(repository.run(warningOnly).stdout, /^vm\.bicep\(9,14\) : Warning support-ending: /);
    assert.equal(repository.run(warningOnly).status, 0);
    assert.deepEqual(statuses(warningOnly), [0, 1, 1, 0]);
    assert.deepEqual(statuses([...asOf, 'info.bicep']), [0, 0, 1, 0]);
    assert.deepEqual(statuses([...asOf, 'clean.bicep']), [0, 0, 0, 0]);
    assert.deepEqual(statuses([...asOf, 'vm.bicep']), [1, 1, 1, 0]);
  });

  test('--max-warnings fails the run when more warnings are reported', () => {
    const warnings = (count: number) => repository.run(['--max-warnings', String(count), ...warningOnly]).status;
    assert.deepEqual([warnings(0), warnings(1), warnings(5)], [1, 0, 0]);
    assert.equal(repository.run(['--fail-level', 'none', '--max-warnings', '0', ...warningOnly]).status, 1);
  });

  for (const args of [
    ['--fail-level', 'fatal'],
    ['--fail-level'],
    ['--max-warnings', '-1'],
    ['--max-warnings', 'ten'],
    ['--output'],
    ['--exclude'],
    ['--root'],
    ['--baseline'],
    ['--write-baseline'],
  ]) {
    test(`bad usage: ${args.join(' ')}`, () => {
      const result = runCli([...args, project]);
      assert.equal(result.status, 2);
      assert.match(result.stderr, /^azure-image-lint: .+\nUsage: azure-image-lint \[options\] <file-or-folder>\.\.\./);
    });
  }
});

describe('--quiet', () => {
  test('reports error-level findings only; the status and the summary count all', () => {
    const result = runCli([...asOf, '--quiet', project]);
    assert.equal(result.status, 1);
    assert.equal(
      result.stdout,
      [
        centosLines[1],
        `test/fixtures/cli/project/vm.json(14,20) : Error end-of-support: ${ubuntuMessage}`,
        brokenLine('Warning'),
        '',
      ].join('\n'),
    );
    assert.equal(result.stderr, '3 file(s) analysed: 2 error(s), 1 warning(s), 0 info; 1 problem(s).\n');
    const warningsOnly = runCli(['--as-of', '2023-01-01', '--quiet', '--fail-level', 'warning', `${project}/vm.json`]);
    assert.deepEqual([warningsOnly.status, warningsOnly.stdout], [1, '']);
  });

  test('in JSON and SARIF too', () => {
    const json = JSON.parse(runCli([...asOf, '--quiet', '--format', 'json', project]).stdout);
    assert.deepEqual(
      json.findings.map((finding: { severity: string; code: string }) => `${finding.severity} ${finding.code}`),
      ['error end-of-support', 'error end-of-support'],
    );
    const sarif = JSON.parse(runCli([...asOf, '--quiet', '--format', 'sarif', project]).stdout);
    assert.deepEqual(
      sarif.runs[0].results.map((result: { level: string }) => result.level),
      ['error', 'error'],
    );
  });
});

describe('.gitignore, --no-ignore and --exclude', () => {
  let repository: TemporaryRepository;
  before(() => {
    repository = new TemporaryRepository({
      '.gitignore': 'out/\n*.generated.bicep\n',
      'infra/main.bicep': vmBicep('main', ubuntu1804),
      'infra/out/main.bicep': vmBicep('built', ubuntu1804),
      'infra/vm.generated.bicep': vmBicep('generated', ubuntu1804),
      'legacy/old.bicep': vmBicep('old', ubuntu1804),
    });
  });
  after(() => repository.dispose());

  const files = (args: string[], folder = '.') =>
    repository
      .run([...asOf, ...args], folder)
      .stdout.split('\n')
      .filter(Boolean)
      .map((line) => line.slice(0, line.indexOf('(')));

  test('folder walks skip what .gitignore ignores, from the root or a subfolder', () => {
    assert.deepEqual(files(['.']), ['infra/main.bicep', 'legacy/old.bicep']);
    assert.deepEqual(files(['.'], 'infra'), ['main.bicep']);
  });

  test('--no-ignore scans it too', () => {
    assert.deepEqual(files(['--no-ignore', '.']), [
      'infra/main.bicep',
      'infra/out/main.bicep',
      'infra/vm.generated.bicep',
      'legacy/old.bicep',
    ]);
  });

  test('--exclude skips more, relative to the current folder; it is repeatable', () => {
    assert.deepEqual(files(['--exclude', 'legacy/', '.']), ['infra/main.bicep']);
    assert.deepEqual(files(['--exclude=legacy', '--exclude', 'main.bicep', '--no-ignore', '.']), ['infra/vm.generated.bicep']);
    assert.deepEqual(files(['--exclude', '/main.bicep', '.'], 'infra'), []);
    const excludedAll = repository.run([...asOf, '--exclude', '*.bicep', '.']);
    assert.deepEqual(
      [excludedAll.status, excludedAll.stdout, excludedAll.stderr],
      [0, '', '0 file(s) analysed: 0 error(s), 0 warning(s), 0 info.\n'],
    );
  });

  test('a file named on the command line is scanned even when ignored', () => {
    assert.deepEqual(files(['infra/out/main.bicep']), ['infra/out/main.bicep']);
  });
});

describe('files that could not be analysed', () => {
  let repository: TemporaryRepository;
  before(() => {
    repository = new TemporaryRepository({ 'vm.bicep': vmBicep('vm', ubuntu2404) });
    // Just over the 10 MB limit: white space after a template.
    repository.write(
      'huge.json',
      `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"}${' '.repeat(10 * 1024 * 1024)}`,
    );
  });
  after(() => repository.dispose());

  const hugeMessage = 'huge.json: the file is 10.0 MB, larger than the 10.0 MB limit, and was not analysed.';

  test('are in the text report, and leave the status alone without --fail-on-problems', () => {
    const result = repository.run([...asOf, '.']);
    assert.deepEqual([result.status, result.stdout], [0, `huge.json : Warning problem: ${hugeMessage}\n`]);
    const broken = runCli([...asOf, '--fail-level', 'none', project]);
    assert.equal(broken.status, 0);
  });

  test('--fail-on-problems makes them errors that fail the run', () => {
    const result = repository.run([...asOf, '--fail-on-problems', '.']);
    assert.deepEqual([result.status, result.stdout], [1, `huge.json : Error problem: ${hugeMessage}\n`]);
    const broken = runCli([...asOf, '--fail-level', 'none', '--fail-on-problems', project]);
    assert.equal(broken.status, 1);
    assert.ok(broken.stdout.endsWith(`${brokenLine('Error')}\n`));
  });

  test('are in the JSON report and on stderr', () => {
    const result = repository.run([...asOf, '--format', 'json', '.']);
    assert.equal(result.status, 0);
    assert.deepEqual(JSON.parse(result.stdout).problems, [{ file: 'huge.json', message: hugeMessage }]);
    assert.equal(result.stderr, `huge.json : Warning problem: ${hugeMessage}\n`);
  });

  test('are tool execution notifications in SARIF, and on stderr', () => {
    const result = repository.run([...asOf, '--format', 'sarif', '--fail-on-problems', '.']);
    assert.equal(result.status, 1);
    const invocation = JSON.parse(result.stdout).runs[0].invocations[0];
    assert.deepEqual(invocation, {
      executionSuccessful: true,
      toolExecutionNotifications: [
        {
          level: 'error',
          message: { text: hugeMessage },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'huge.json', uriBaseId: '%SRCROOT%' } } }],
          descriptor: { id: 'file-not-analysed', index: 0 },
        },
      ],
      toolConfigurationNotifications: [],
    });
    assert.equal(result.stderr, `huge.json : Error problem: ${hugeMessage}\n`);
  });
});

describe('--root', () => {
  test('text and JSON paths are relative to it', () => {
    const result = runCli([...asOf, '--root', 'test/fixtures/cli', '--format', 'json', project]);
    const report = JSON.parse(result.stdout);
    assert.deepEqual(
      [...new Set(report.findings.map((finding: { file: string }) => finding.file))],
      ['project/main.bicep', 'project/vm.json'],
    );
    assert.deepEqual(report.problems, [
      { file: 'project/broken.json', message: 'Cannot read the template: Expected "}" before the end of the text' },
    ]);
    assert.equal(report.findings[2].fixes[0].edits[0].file, 'project/vm.json');
    assert.equal(report.findings[2].related[0].file, 'project/vm.json');
    const text = runCli([...asOf, '--root', 'test', `${project}/vm.json`]);
    assert.equal(text.stdout, `fixtures/cli/project/vm.json(14,20) : Error end-of-support: ${ubuntuMessage}\n`);
  });

  test('SARIF locations are relative to it, whatever the current folder', () => {
    const fromRoot = runCli([...asOf, '--root', 'test/fixtures', '--format', 'sarif', project]);
    const fromSubfolder = runCli(
      [...asOf, '--root', '..', '--format', 'sarif', 'project'],
      path.join(repositoryRoot, 'test/fixtures/cli'),
    );
    assert.equal(fromSubfolder.stdout, fromRoot.stdout);
    const run = JSON.parse(fromRoot.stdout).runs[0];
    assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, `file://${path.join(repositoryRoot, 'test/fixtures')}/`);
    assert.equal(run.results[2].locations[0].physicalLocation.artifactLocation.uri, 'cli/project/vm.json');
  });

  test('a root that is not a folder is exit status 2', () => {
    const result = runCli([...asOf, '--root', 'no/such/folder', project]);
    assert.deepEqual(
      [result.status, result.stdout, result.stderr],
      [2, '', 'azure-image-lint: --root: no/such/folder is not a folder.\n'],
    );
  });
});

describe('the documentation of the options', () => {
  test('--help and the README list the same options', () => {
    const help = runCli(['--help']).stdout;
    const readme = fs.readFileSync(path.join(repositoryRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Command line'), readme.indexOf('## Rules'));
    const inHelp = [...help.matchAll(/^ {2}(--[a-z-]+)/gm)]
      .map((match) => match[1])
      .filter((option) => option !== '--help' && option !== '--version');
    const inReadme = [...section.matchAll(/^\| `(--[a-z-]+)/gm)].map((match) => match[1]);
    assert.deepEqual([...inReadme].sort(), [...inHelp].sort());
    for (const option of [
      '--output',
      '--fail-level',
      '--max-warnings',
      '--quiet',
      '--exclude',
      '--no-ignore',
      '--baseline',
      '--write-baseline',
      '--root',
      '--fail-on-problems',
    ])
      assert.ok(inHelp.includes(option), option);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
