/**
 * Baselines, against the real command: a written baseline suppresses exactly what it recorded,
 * from any folder of the repository, when lines move or the template is reformatted; a new
 * finding (even of the same image, in the same file) is reported; a finding gone is listed as
 * fixed; a baseline that cannot be read is exit status 2. SARIF fingerprints are the baseline's.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { centos, TemporaryRepository, ubuntu1804, vmBicep } from './commandRunner';

const asOf = ['--as-of', '2026-11-22'];

const ubuntuMessage =
  'Ubuntu 18.04 LTS (UbuntuServer/18.04-LTS) reached end of standard support on 2023-05-31; Ubuntu Pro (ESM) can extend it until 2028-04-01; switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/server-gen1).';

describe('baselines', () => {
  let repository: TemporaryRepository;
  before(() => {
    repository = new TemporaryRepository({
      'infra/web.bicep': vmBicep('web', centos),
      'app/vm.bicep': vmBicep('app', ubuntu1804),
    });
  });
  after(() => repository.dispose());

  test('--write-baseline records every finding, relative to the repository root, and reports none', () => {
    const written = repository.run([...asOf, '--write-baseline', '.azure-image-lint-baseline.json', '.'], 'infra');
    assert.deepEqual(written, {
      status: 0,
      stdout: '',
      stderr:
        'Baseline .azure-image-lint-baseline.json written: 2 finding(s).\n1 file(s) analysed: 0 error(s), 0 warning(s), 0 info.\n',
    });
    const all = repository.run([...asOf, '--write-baseline', 'baseline.json', '.']);
    assert.equal(all.status, 0);
    const baseline = JSON.parse(repository.read('baseline.json'));
    assert.equal(baseline.version, 1);
    assert.deepEqual(
      baseline.findings.map((entry: { file: string; code: string; image: string }) => [entry.file, entry.code, entry.image]),
      [
        ['app/vm.bicep', 'end-of-support', 'Canonical:UbuntuServer:18.04-LTS:latest'],
        ['infra/web.bicep', 'end-of-support', 'OpenLogic:CentOS:7_9-gen2:latest'],
        ['infra/web.bicep', 'not-endorsed', 'OpenLogic:CentOS:7_9-gen2:latest'],
      ],
    );
    for (const entry of baseline.findings) assert.match(entry.fingerprint, /^[0-9a-f]{32}$/);
    assert.ok(!repository.read('baseline.json').startsWith('\uFEFF'));
  });

  test('a run with the baseline exits 0 and reports nothing new, from the root or a subfolder', () => {
    assert.deepEqual(repository.run([...asOf, '--baseline', 'baseline.json', '.']), {
      status: 0,
      stdout: '',
      stderr:
        'Baseline baseline.json: 3 finding(s) suppressed, 0 fixed since it was written.\n2 file(s) analysed: 0 error(s), 0 warning(s), 0 info.\n',
    });
    const fromSubfolder = repository.run([...asOf, '--baseline', '../baseline.json', 'web.bicep'], 'infra');
    assert.equal(fromSubfolder.status, 0);
    assert.equal(fromSubfolder.stdout, '');
  });

  test('lines moving and reformatting leave the findings suppressed', () => {
    const original = repository.read('infra/web.bicep');
    try {
      repository.write(
        'infra/web.bicep',
        vmBicep('web', centos, '// The web tier.\n\nparam location string = resourceGroup().location\n\n').replace(
          /\n {6}/g,
          '\n            ',
        ),
      );
      const result = repository.run([...asOf, '--baseline', 'baseline.json', '.']);
      assert.deepEqual([result.status, result.stdout], [0, '']);
      const without = repository.run([...asOf, 'infra']);
      assert.match(without.stdout, /^infra\/web\.bicep\(11,26\) : Warning not-endorsed: /);
    } finally {
      repository.write('infra/web.bicep', original);
    }
  });

  test('a new finding is reported, even of an image the baseline holds in the same file', () => {
    const original = repository.read('app/vm.bicep');
    try {
      repository.write('app/vm.bicep', original + '\n' + vmBicep('second', ubuntu1804));
      const result = repository.run([...asOf, '--baseline', 'baseline.json', '.']);
      assert.equal(result.status, 1);
      // Which of the two is new is told by their order: the second one in the text.
      assert.equal(result.stdout, `app/vm.bicep(24,14) : Error end-of-support: ${ubuntuMessage}\n`);
      assert.equal(
        result.stderr,
        'Baseline baseline.json: 3 finding(s) suppressed, 0 fixed since it was written.\n2 file(s) analysed: 1 error(s), 0 warning(s), 0 info.\n',
      );
    } finally {
      repository.write('app/vm.bicep', original);
    }
  });

  test('a finding gone is listed as fixed, on stderr and in JSON', () => {
    const original = repository.read('app/vm.bicep');
    try {
      repository.remove('app/vm.bicep');
      const result = repository.run([...asOf, '--baseline', 'baseline.json', '.']);
      assert.equal(result.status, 0);
      assert.equal(
        result.stderr,
        [
          'Baseline baseline.json: 2 finding(s) suppressed, 1 fixed since it was written.',
          'Fixed: app/vm.bicep: end-of-support (Canonical:UbuntuServer:18.04-LTS:latest)',
          '1 file(s) analysed: 0 error(s), 0 warning(s), 0 info.',
          '',
        ].join('\n'),
      );
      const json = JSON.parse(repository.run([...asOf, '--format', 'json', '--baseline', 'baseline.json', '.']).stdout);
      assert.deepEqual(json.findings, []);
      assert.equal(json.baseline.file, 'baseline.json');
      assert.equal(json.baseline.suppressed, 2);
      assert.deepEqual(
        json.baseline.fixed.map((entry: { file: string; code: string }) => [entry.file, entry.code]),
        [['app/vm.bicep', 'end-of-support']],
      );
    } finally {
      repository.write('app/vm.bicep', original);
    }
  });

  test('SARIF fingerprints are the baseline fingerprints, and do not change when lines move', () => {
    const fingerprints = () =>
      JSON.parse(repository.run([...asOf, '--format', 'sarif', '.']).stdout).runs[0].results.map(
        (result: {
          partialFingerprints: Record<string, string>;
          locations: { physicalLocation: { region: { startLine: number } } }[];
        }) => [result.partialFingerprints.primaryLocationLineHash, result.locations[0].physicalLocation.region.startLine],
      );
    const before = fingerprints();
    const recorded = JSON.parse(repository.read('baseline.json')).findings.map(
      (entry: { fingerprint: string }) => entry.fingerprint,
    );
    assert.deepEqual(before.map(([fingerprint]: [string]) => fingerprint).sort(), [...recorded].sort());
    const original = repository.read('app/vm.bicep');
    try {
      repository.write('app/vm.bicep', '\n\n\n' + original);
      const after = fingerprints();
      assert.deepEqual(
        after.map(([fingerprint]: [string]) => fingerprint),
        before.map(([fingerprint]: [string]) => fingerprint),
      );
      assert.deepEqual(
        after.map(([, line]: [string, number]) => line),
        [12, 7, 9],
      );
    } finally {
      repository.write('app/vm.bicep', original);
    }
  });

  test('a baseline that is missing or not a baseline is exit status 2; every finding is reported', () => {
    const missing = repository.run([...asOf, '--baseline', 'no-such-baseline.json', 'app']);
    assert.equal(missing.status, 2);
    assert.equal(missing.stdout, `app/vm.bicep(9,14) : Error end-of-support: ${ubuntuMessage}\n`);
    assert.match(missing.stderr, /^azure-image-lint: no-such-baseline\.json: cannot be read \(ENOENT\)\.$/m);
    repository.write('bad-baseline.json', '{"findings": []}');
    const bad = repository.run([...asOf, '--baseline', 'bad-baseline.json', 'app']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^azure-image-lint: bad-baseline\.json: not a baseline file/m);
    repository.write('bad-baseline.json', '{"version": 1, "findings": [{"file": "app/vm.bicep"}]}');
    assert.match(
      repository.run([...asOf, '--baseline', 'bad-baseline.json', 'app']).stderr,
      /^azure-image-lint: bad-baseline\.json: findings\[0\] needs the strings "file", "code", "image" and "fingerprint"\.$/m,
    );
  });
});
