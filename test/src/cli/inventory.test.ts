/**
 * The inventory you can trust (issue 17, item 7): a folder scan merges what every caller of a
 * shared module finds at its image (and what a `.bicepparam` gives its template), instead of
 * keeping the first caller's copy; each image is listed once, with where its values are written
 * (`definedAt`), how each was resolved (`trace`) and the module calls that lead to it (`via`), in
 * the JSON report and in `--inventory`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TemporaryRepository } from './commandRunner';

const vmModule = `param sku string

resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: 'vm'
  location: 'westeurope'
  properties: {
    storageProfile: {
      imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: sku, version: 'latest' }
    }
  }
}
`;

const caller = (name: string, sku: string) => `module ${name} './vm.bicep' = {
  name: '${name}'
  params: { sku: ${sku} }
}
`;

const position = (line: number, character: number) => ({ line, character });
const range = (line: number, start: number, end: number) => ({ start: position(line, start), end: position(line, end) });

describe('inventory of a folder', () => {
  let repository: TemporaryRepository;
  before(() => {
    repository = new TemporaryRepository({
      'vm.bicep': vmModule,
      'web.bicep': caller('web', "'14.04.5-LTS'"),
      'db.bicep': caller('db', "'16.04-LTS'"),
      'main.bicep': `param sku string = '18.04-LTS'\n\n${caller('app', 'sku')}`,
      'main.bicepparam': "using './main.bicep'\n\nparam sku = '20.04-LTS'\n",
    });
  });
  after(() => repository.dispose());

  test("JSON: one image with every caller's candidates, each with where it is defined and the call it came through", () => {
    const result = repository.run(['--as-of', '2026-11-22', '--format', 'json', '.']);
    assert.equal(result.status, 1, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.images.length, 1);
    const [image] = report.images;
    const ubuntu = (sku?: string) => ({
      publisher: 'Canonical',
      offer: 'UbuntuServer',
      ...(sku ? { sku } : {}),
      version: 'latest',
    });
    // Files are scanned in order: db, main, main.bicepparam, vm, web. The module read alone (its
    // sku unknown) adds nothing: its callers give it every value it is deployed with.
    assert.deepEqual(image.candidates, [ubuntu('16.04-LTS'), ubuntu('18.04-LTS'), ubuntu('20.04-LTS'), ubuntu('14.04.5-LTS')]);
    assert.deepEqual(image.unresolved, []);
    const inModule = {
      publisher: { file: 'vm.bicep', range: range(7, 35, 46) },
      offer: { file: 'vm.bicep', range: range(7, 55, 69) },
      version: { file: 'vm.bicep', range: range(7, 90, 98) },
    };
    const call = (name: string, file: string, line: number) => ({
      kind: 'module',
      name,
      file,
      range: range(line, 7, 7 + name.length),
    });
    const written = [{ kind: 'literal', description: 'literal' }];
    const passed = { kind: 'module-parameter', description: "value passed to parameter 'sku'" };
    const trace = (sku?: object[]) => ({ publisher: written, offer: written, ...(sku ? { sku } : {}), version: written });
    assert.deepEqual(image.resolution, [
      {
        definedAt: { ...inModule, sku: { file: 'db.bicep', range: range(2, 17, 28) } },
        trace: trace([{ kind: 'module-parameter', description: "value passed to parameter 'sku'" }]),
        via: [call('db', 'db.bicep', 0)],
        vias: [[call('db', 'db.bicep', 0)]],
      },
      {
        definedAt: { ...inModule, sku: { file: 'main.bicep', range: range(0, 19, 30) } },
        trace: trace([{ kind: 'parameter-default', description: "parameter 'sku'" }, passed]),
        via: [call('app', 'main.bicep', 2)],
        vias: [[call('app', 'main.bicep', 2)]],
      },
      {
        definedAt: { ...inModule, sku: { file: 'main.bicepparam', range: range(2, 12, 23) } },
        trace: trace([{ kind: 'parameter-file', description: "parameter file value of 'sku'" }, passed]),
        via: [call('app', 'main.bicep', 2)],
        vias: [[call('app', 'main.bicep', 2)]],
      },
      {
        definedAt: { ...inModule, sku: { file: 'web.bicep', range: range(2, 17, 30) } },
        trace: trace([passed]),
        via: [call('web', 'web.bicep', 0)],
        vias: [[call('web', 'web.bicep', 0)]],
      },
    ]);
    // The site's own `via` is the first caller's.
    assert.deepEqual(image.via, [call('db', 'db.bicep', 0)]);
  });

  test('--inventory: every image once, where its values are written and through which call', () => {
    const result = repository.run(['--as-of', '2026-11-22', '--inventory', '.']);
    assert.equal(result.status, 1, result.stderr);
    assert.equal(
      result.stdout,
      [
        'location        resource type                      publisher:offer:sku:version                unresolved  defined at                                                       via',
        'vm.bicep(8,23)  Microsoft.Compute/virtualMachines  Canonical:UbuntuServer:16.04-LTS:latest    -           vm.bicep publisher:8, offer:8, version:8; db.bicep sku:3         db (db.bicep:1)',
        '                                                   Canonical:UbuntuServer:18.04-LTS:latest                vm.bicep publisher:8, offer:8, version:8; main.bicep sku:1       app (main.bicep:3)',
        '                                                   Canonical:UbuntuServer:20.04-LTS:latest                vm.bicep publisher:8, offer:8, version:8; main.bicepparam sku:3  app (main.bicep:3)',
        '                                                   Canonical:UbuntuServer:14.04.5-LTS:latest              vm.bicep publisher:8, offer:8, version:8; web.bicep sku:3        web (web.bicep:1)',
        '',
      ].join('\n'),
    );
  });

  test('two callers that pass the same image: one entry that keeps both calls (JSON `vias`, --inventory)', () => {
    const same = new TemporaryRepository({
      'vm.bicep': vmModule,
      'web.bicep': caller('web', "'16.04-LTS'"),
      'db.bicep': caller('db', "'16.04-LTS'"),
    });
    try {
      const report = JSON.parse(same.run(['--as-of', '2026-11-22', '--format', 'json', '.']).stdout);
      assert.equal(report.images.length, 1);
      const [image] = report.images;
      assert.deepEqual(image.candidates, [
        { publisher: 'Canonical', offer: 'UbuntuServer', sku: '16.04-LTS', version: 'latest' },
      ]);
      const call = (name: string) => ({ kind: 'module', name, file: `${name}.bicep`, range: range(0, 7, 7 + name.length) });
      assert.equal(image.resolution.length, 1);
      // `via` stays the first caller's (files are scanned in order: db, vm, web); `vias` has both.
      assert.deepEqual(image.resolution[0].via, [call('db')]);
      assert.deepEqual(image.resolution[0].vias, [[call('db')], [call('web')]]);
      assert.deepEqual(image.via, [call('db')]);
      const inventory = same.run(['--as-of', '2026-11-22', '--inventory', '.']);
      assert.equal(
        inventory.stdout,
        [
          'location        resource type                      publisher:offer:sku:version              unresolved  defined at                                                via',
          'vm.bicep(8,23)  Microsoft.Compute/virtualMachines  Canonical:UbuntuServer:16.04-LTS:latest  -           vm.bicep publisher:8, offer:8, version:8; db.bicep sku:3  db (db.bicep:1); web (web.bicep:1)',
          '',
        ].join('\n'),
      );
    } finally {
      same.dispose();
    }
  });

  test('two calls of one file that pass the same image (Bicep modules, ARM linked deployments): both calls', () => {
    const schema = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
    const linked = (name: string) => ({
      type: 'Microsoft.Resources/deployments',
      apiVersion: '2022-09-01',
      name,
      properties: { templateLink: { relativePath: 'vm.json' }, parameters: { sku: { value: '16.04-LTS' } } },
    });
    const twins = new TemporaryRepository({
      'vm.bicep': vmModule,
      'main.bicep': `${caller('web', "'16.04-LTS'")}\n${caller('db', "'16.04-LTS'")}`,
      'vm.json': JSON.stringify({
        $schema: schema,
        contentVersion: '1.0.0.0',
        parameters: { sku: { type: 'string' } },
        resources: [
          {
            type: 'Microsoft.Compute/virtualMachines',
            apiVersion: '2023-03-01',
            name: 'vm',
            properties: {
              storageProfile: {
                imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: "[parameters('sku')]", version: 'latest' },
              },
            },
          },
        ],
      }),
      'azuredeploy.json': JSON.stringify(
        { $schema: schema, contentVersion: '1.0.0.0', resources: [linked('web'), linked('db')] },
        null,
        2,
      ),
    });
    try {
      for (const [entry, calls] of [
        ['main.bicep', 'web (main.bicep:1); db (main.bicep:6)'],
        ['azuredeploy.json', 'web (azuredeploy.json:8); db (azuredeploy.json:23)'],
      ]) {
        const rows = twins.run(['--as-of', '2026-11-22', '--inventory', entry]).stdout.split('\n');
        assert.equal(rows.length, 3, rows.join('\n'));
        assert.ok(rows[1].endsWith(`  ${calls}`), rows[1]);
        const report = JSON.parse(twins.run(['--as-of', '2026-11-22', '--format', 'json', entry]).stdout);
        assert.deepEqual(
          report.images[0].resolution.map((resolution: { vias: { name: string }[][] }) =>
            resolution.vias.map((via) => via.map((step) => step.name).join(' > ')),
          ),
          [['web', 'db']],
        );
      }
    } finally {
      twins.dispose();
    }
  });

  test('a default that is also an allowed value is listed once', () => {
    const single = new TemporaryRepository({
      'vm.bicep': `@allowed(['18.04-LTS', '16.04-LTS'])\n${vmModule.replace('param sku string', "param sku string = '18.04-LTS'")}`,
    });
    try {
      const report = JSON.parse(single.run(['--as-of', '2026-11-22', '--format', 'json', 'vm.bicep']).stdout);
      assert.deepEqual(
        report.images[0].candidates.map((candidate: { sku: string }) => candidate.sku),
        ['18.04-LTS', '16.04-LTS'],
      );
      // The first definition is kept: the default.
      assert.deepEqual(report.images[0].resolution[0].trace.sku, [{ kind: 'parameter-default', description: "parameter 'sku'" }]);
    } finally {
      single.dispose();
    }
  });

  test('ARM: an image in a nested or linked deployment says which deployments lead to it', () => {
    const schema = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
    const vm = (sku: string) => ({
      type: 'Microsoft.Compute/virtualMachines',
      apiVersion: '2023-03-01',
      name: 'vm',
      properties: {
        storageProfile: { imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku, version: 'latest' } },
      },
    });
    const deployment = (name: string, properties: object) => ({
      type: 'Microsoft.Resources/deployments',
      apiVersion: '2022-09-01',
      name,
      properties: { mode: 'Incremental', ...properties },
    });
    const arm = new TemporaryRepository({
      'azuredeploy.json': JSON.stringify(
        {
          $schema: schema,
          contentVersion: '1.0.0.0',
          resources: [
            deployment('outer', {
              template: {
                $schema: schema,
                contentVersion: '1.0.0.0',
                resources: [
                  deployment('inner', { template: { $schema: schema, contentVersion: '1.0.0.0', resources: [vm('16.04-LTS')] } }),
                ],
              },
            }),
            deployment('linked', { templateLink: { relativePath: 'nested/vm.json' } }),
          ],
        },
        null,
        2,
      ),
      'nested/vm.json': JSON.stringify({ $schema: schema, contentVersion: '1.0.0.0', resources: [vm('18.04-LTS')] }, null, 2),
    });
    try {
      const report = JSON.parse(arm.run(['--as-of', '2026-11-22', '--format', 'json', 'azuredeploy.json']).stdout);
      assert.deepEqual(
        report.images.map((image: { candidates: { sku: string }[]; via: { kind: string; name: string; file: string }[] }) => [
          image.candidates.map((candidate) => candidate.sku),
          image.via.map((step) => `${step.kind} ${step.name} (${step.file})`),
        ]),
        [
          [['16.04-LTS'], ['deployment outer (azuredeploy.json)', 'deployment inner (azuredeploy.json)']],
          [['18.04-LTS'], ['deployment linked (azuredeploy.json)']],
        ],
      );
    } finally {
      arm.dispose();
    }
  });
});
