/**
 * Linked templates (`templateLink`) of the same repository: every way real templates write the
 * link, artifacts locations passed on and declared, links that are not followed and why, missing
 * files, files the host refuses, cycles, depth, a linked parameters file, and a JSON module of a
 * Bicep file that links further. The rule fixture `linked-templates` checks findings and fixes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FileHost, ReaderResult } from '../../../server/out/core/model';
import { readArmFile } from '../../../server/out/core/arm/readArm';
import { ImageReadMemo } from '../../../server/out/core/incremental/imageReadMemo';
import { readBicepFile } from '../../../server/out/core/bicep/readBicep';
import { compactCandidates, memoryHost } from './armTestSupport';

const schema = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

function template(body: Record<string, unknown>): string {
  return JSON.stringify({ $schema: schema, contentVersion: '1.0.0.0', ...body }, null, 2);
}

/** A linked template with one VM whose image comes from its `sku` parameter. */
const vmTemplate = template({
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
});

function deployment(link: Record<string, unknown>, parameters: Record<string, unknown> = { sku: { value: '18.04-LTS' } }) {
  return {
    type: 'Microsoft.Resources/deployments',
    apiVersion: '2022-09-01',
    name: 'linked',
    properties: { mode: 'Incremental', templateLink: link, parameters },
  };
}

const artifactsParameters = {
  _artifactsLocation: { type: 'string', defaultValue: 'https://raw.githubusercontent.com/example/repo/main/sample/' },
  _artifactsLocationSasToken: { type: 'securestring', defaultValue: '' },
};

function read(files: Record<string, string>, entry = '/ws/azuredeploy.json', host: FileHost = memoryHost(files)): ReaderResult {
  return readArmFile(entry, files[entry], host);
}

/** Each site as `file: candidates` (or its reason), in order. */
function summary(result: ReaderResult): string[] {
  return result.sites.map((site) => `${site.use.file}: ${site.unresolvedReason ?? ''}${compactCandidates(site).join(' | ')}`);
}

describe('linked templates: how the link is written', () => {
  const forms: [string, Record<string, unknown>, Record<string, unknown>?][] = [
    ['relativePath', { relativePath: 'nested/vm.json' }],
    [
      'uri()',
      { uri: "[uri(parameters('_artifactsLocation'), concat('nested/vm.json', parameters('_artifactsLocationSasToken')))]" },
    ],
    [
      'concat()',
      { uri: "[concat(parameters('_artifactsLocation'), 'nested/vm.json', parameters('_artifactsLocationSasToken'))]" },
    ],
    ['a variable', { uri: "[variables('vmTemplate')]" }],
    ['a property of a variable', { uri: "[variables('templates').vm]" }],
    [
      'format()',
      { uri: "[format('{0}/nested/vm.json{1}', parameters('_artifactsLocation'), parameters('_artifactsLocationSasToken'))]" },
    ],
    ['deployment().properties.templateLink.uri', { uri: "[uri(deployment().properties.templateLink.uri, 'nested/vm.json')]" }],
  ];
  for (const [name, link] of forms) {
    it(`follows ${name} to the file beside the caller, with the caller's values`, () => {
      const caller = template({
        parameters: artifactsParameters,
        variables: {
          vmTemplate: "[uri(parameters('_artifactsLocation'), 'nested/vm.json')]",
          templates: { vm: "[concat(parameters('_artifactsLocation'), 'nested/vm.json')]" },
        },
        resources: [deployment(link)],
      });
      const result = read({ '/ws/azuredeploy.json': caller, '/ws/nested/vm.json': vmTemplate });
      assert.deepEqual(result.problems, []);
      assert.deepEqual(summary(result), ['/ws/nested/vm.json: Canonical:UbuntuServer:18.04-LTS:latest']);
      assert.deepEqual(result.dependencies, ['/ws/nested/vm.json']);
      // The value is defined where the caller writes it: that is where a fix goes.
      const sku = result.sites[0].candidates[0].sku?.definition;
      assert.equal(sku?.location.file, '/ws/azuredeploy.json');
      assert.equal(sku?.kind, 'module-parameter');
      assert.equal(caller.slice(sku.location.range.start, sku.location.range.end), '"18.04-LTS"');
    });
  }

  it('resolves an artifacts location passed on against the first caller, and one declared against its own file', () => {
    const caller = template({
      parameters: artifactsParameters,
      resources: [
        deployment(
          { uri: "[uri(parameters('_artifactsLocation'), 'nested/middle.json')]" },
          { _artifactsLocation: { value: "[parameters('_artifactsLocation')]" } },
        ),
      ],
    });
    const middle = template({
      parameters: {
        _artifactsLocation: { type: 'string' },
        ownLocation: { type: 'string', defaultValue: '[deployment().properties.templateLink.uri]' },
      },
      resources: [
        // Relative to the location passed: the caller's folder.
        { ...deployment({ uri: "[uri(parameters('_artifactsLocation'), 'nested/vm.json')]" }), name: 'passed' },
        // Relative to this file's own address.
        {
          ...deployment({ uri: "[uri(parameters('ownLocation'), 'vm.json')]" }, { sku: { value: '16.04-LTS' } }),
          name: 'own',
        },
      ],
    });
    const result = read({ '/ws/azuredeploy.json': caller, '/ws/nested/middle.json': middle, '/ws/nested/vm.json': vmTemplate });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(summary(result), [
      '/ws/nested/vm.json: Canonical:UbuntuServer:18.04-LTS:latest | Canonical:UbuntuServer:16.04-LTS:latest',
    ]);
  });

  it('knows a Marketplace artifacts location (metadata.artifactsBaseUrl) by its metadata', () => {
    const caller = template({
      parameters: {
        baseUrl: { type: 'string', defaultValue: '', metadata: { artifactsBaseUrl: '' } },
      },
      resources: [deployment({ uri: "[concat(parameters('baseUrl'), '/nested/vm.json')]" })],
    });
    const result = read({ '/ws/azuredeploy.json': caller, '/ws/nested/vm.json': vmTemplate });
    assert.deepEqual(summary(result), ['/ws/nested/vm.json: Canonical:UbuntuServer:18.04-LTS:latest']);
  });

  it('reads a linked template alone with its artifacts location in a parent folder, and an unknown SAS token', () => {
    // `nested/deploy.json` read alone: its artifacts location has no default, and names the
    // sample's folder above it, where `nested/vm.json` is.
    const alone = template({
      parameters: { _artifactsLocation: { type: 'string' }, _artifactsLocationSasToken: { type: 'securestring' } },
      resources: [
        deployment({
          uri: "[concat(parameters('_artifactsLocation'), '/nested/vm.json', parameters('_artifactsLocationSasToken'))]",
        }),
      ],
    });
    const result = read({ '/ws/nested/deploy.json': alone, '/ws/nested/vm.json': vmTemplate }, '/ws/nested/deploy.json');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(summary(result), ['/ws/nested/vm.json: Canonical:UbuntuServer:18.04-LTS:latest']);
  });

  it("takes an artifacts location whose default names a parent folder's sample as that folder", () => {
    const caller = template({
      parameters: {
        baseUrl: {
          type: 'string',
          defaultValue: 'https://raw.githubusercontent.com/example/repo/master/sample',
          metadata: { artifactsBaseUrl: '' },
        },
      },
      resources: [deployment({ uri: "[concat(parameters('baseUrl'), '/nested/vm.json')]" })],
    });
    const result = read(
      { '/ws/sample/marketplace/mainTemplate.json': caller, '/ws/sample/nested/vm.json': vmTemplate },
      '/ws/sample/marketplace/mainTemplate.json',
    );
    assert.deepEqual(summary(result), ['/ws/sample/nested/vm.json: Canonical:UbuntuServer:18.04-LTS:latest']);
  });

  it('follows each file a link can name', () => {
    const caller = template({
      parameters: {
        ...artifactsParameters,
        authType: { type: 'string', defaultValue: 'password', allowedValues: ['password', 'sshPublicKey'] },
      },
      resources: [
        deployment({ uri: "[concat(parameters('_artifactsLocation'), 'nested/vm-', parameters('authType'), '.json')]" }),
      ],
    });
    const result = read({
      '/ws/azuredeploy.json': caller,
      '/ws/nested/vm-password.json': vmTemplate,
      '/ws/nested/vm-sshPublicKey.json': vmTemplate,
    });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(summary(result), [
      '/ws/nested/vm-password.json: Canonical:UbuntuServer:18.04-LTS:latest',
      '/ws/nested/vm-sshPublicKey.json: Canonical:UbuntuServer:18.04-LTS:latest',
    ]);
  });

  it('reads the values of a parameters file the link names beside the template', () => {
    const caller = template({
      parameters: artifactsParameters,
      resources: [
        {
          ...deployment({ relativePath: 'nested/vm.json' }),
          properties: {
            mode: 'Incremental',
            templateLink: { relativePath: 'nested/vm.json' },
            parametersLink: { uri: "[uri(parameters('_artifactsLocation'), 'nested/vm.parameters.json')]" },
          },
        },
      ],
    });
    const parameters = JSON.stringify({ contentVersion: '1.0.0.0', parameters: { sku: { value: '14.04.5-LTS' } } });
    const result = read({
      '/ws/azuredeploy.json': caller,
      '/ws/nested/vm.json': vmTemplate,
      '/ws/nested/vm.parameters.json': parameters,
    });
    assert.deepEqual(summary(result), ['/ws/nested/vm.json: Canonical:UbuntuServer:14.04.5-LTS:latest']);
    assert.deepEqual(result.dependencies, ['/ws/nested/vm.json', '/ws/nested/vm.parameters.json']);
  });

  it('follows links in a JSON module of a Bicep file', () => {
    const main = "module vms 'nested/main.json' = {\n  name: 'vms'\n}\n";
    const linking = template({ resources: [deployment({ relativePath: 'vm.json' })] });
    const files = { '/ws/main.bicep': main, '/ws/nested/main.json': linking, '/ws/nested/vm.json': vmTemplate };
    const result = readBicepFile('/ws/main.bicep', main, memoryHost(files));
    assert.deepEqual(summary(result), ['/ws/nested/vm.json: Canonical:UbuntuServer:18.04-LTS:latest']);
    assert.deepEqual([...result.dependencies].sort(), ['/ws/nested/main.json', '/ws/nested/vm.json']);
  });
});

describe('linked templates that are not followed', () => {
  it('says why for a template elsewhere, without quoting its query (a SAS token)', () => {
    const caller = template({
      resources: [
        deployment({ uri: "[concat('https://example.blob.core.windows.net/templates/vm.json', '?sv=2022&sig=secret')]" }),
      ],
    });
    const result = read({ '/ws/azuredeploy.json': caller });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(summary(result), [
      '/ws/azuredeploy.json: Not followed: it links to https://example.blob.core.windows.net/templates/vm.json, which is not fetched.',
    ]);
    const [site] = result.sites;
    assert.equal(site.resourceType, 'Microsoft.Resources/deployments');
    assert.deepEqual(site.unresolved, ['publisher', 'offer', 'sku', 'version']);
    assert.ok(!JSON.stringify(result).includes('secret'));
  });

  it('says why for a template spec and for an address that cannot be computed', () => {
    const caller = template({
      parameters: { templateUri: { type: 'string' } },
      resources: [
        { ...deployment({ id: '/subscriptions/0/resourceGroups/rg/providers/Microsoft.Resources/templateSpecs/vm/versions/1' }) },
        { ...deployment({ uri: "[parameters('templateUri')]" }), name: 'unknown' },
      ],
    });
    const result = read({ '/ws/azuredeploy.json': caller });
    assert.deepEqual(summary(result), [
      "/ws/azuredeploy.json: Not followed: it deploys the template spec '/subscriptions/0/resourceGroups/rg/providers/Microsoft.Resources/templateSpecs/vm/versions/1', which is not fetched.",
      '/ws/azuredeploy.json: Not followed: its address cannot be computed statically.',
    ]);
  });

  it('reports a missing file, and still checks the image objects passed to it', () => {
    const caller = template({
      resources: [
        deployment(
          { relativePath: 'nested/missing.json' },
          { image: { value: { publisher: 'Canonical', offer: 'UbuntuServer', sku: '18.04-LTS', version: 'latest' } } },
        ),
      ],
    });
    const result = read({ '/ws/azuredeploy.json': caller });
    assert.deepEqual(
      result.problems.map((problem) => problem.message),
      ["Cannot read the linked template 'nested/missing.json'."],
    );
    assert.deepEqual(summary(result), [
      '/ws/azuredeploy.json: Canonical:UbuntuServer:18.04-LTS:latest',
      "/ws/azuredeploy.json: Not followed: the linked template 'nested/missing.json' cannot be read.",
    ]);
    assert.deepEqual(result.dependencies, ['/ws/nested/missing.json']);
  });

  it('reports no problem for a file an assumed artifacts location does not hold, but says why it is not followed', () => {
    const caller = template({
      parameters: artifactsParameters,
      resources: [deployment({ uri: "[uri(parameters('_artifactsLocation'), 'nested/missing.json')]" })],
    });
    const result = read({ '/ws/azuredeploy.json': caller });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(summary(result), [
      "/ws/azuredeploy.json: Not followed: the linked template 'nested/missing.json' is not in the repository.",
    ]);
  });

  it('does not read a file the host refuses, and says why', () => {
    const files = { '/ws/azuredeploy.json': template({ resources: [deployment({ relativePath: '../secret/vm.json' })] }) };
    const host: FileHost = {
      // As `NodeFileHost` does: a refused file reads as absent.
      readFile: (file) => (file === '/secret/vm.json' ? undefined : files[file as keyof typeof files]),
      refusalOf: (file) => (file === '/secret/vm.json' ? 'it is outside the workspace' : undefined),
    };
    const result = read(files, '/ws/azuredeploy.json', host);
    assert.deepEqual(
      result.problems.map((problem) => problem.message),
      ["Cannot read the linked template '../secret/vm.json': it is outside the workspace."],
    );
    assert.deepEqual(summary(result), [
      "/ws/azuredeploy.json: Not followed: the linked template '../secret/vm.json' cannot be read.",
    ]);
  });

  it('stops at a cycle and at a chain too deep', () => {
    const selfLinking = template({ resources: [deployment({ relativePath: 'azuredeploy.json' })] });
    const cycle = read({ '/ws/azuredeploy.json': selfLinking });
    assert.deepEqual(
      cycle.problems.map((problem) => problem.message),
      ["The linked template 'azuredeploy.json' leads back to a template that links it; it is not read again."],
    );
    assert.deepEqual(summary(cycle), []);

    const files: Record<string, string> = {};
    for (let index = 0; index < 12; index++)
      files[`/ws/t${index}.json`] = template({ resources: [deployment({ relativePath: `t${index + 1}.json` })] });
    files['/ws/t12.json'] = vmTemplate;
    const deep = read(files, '/ws/t0.json');
    assert.deepEqual(
      deep.problems.map((problem) => `${problem.file}: ${problem.message}`),
      ["/ws/t8.json: The linked template 't9.json' is linked too deeply to be read."],
    );
    assert.deepEqual(summary(deep), ["/ws/t8.json: Not followed: the linked template 't9.json' is linked too deeply."]);
  });
});

describe('linked templates and the memo of an open document', () => {
  it('keeps why a link elsewhere is not followed after typing in an image', () => {
    const vms = Array.from({ length: 300 }, (_, index) => ({
      type: 'Microsoft.Compute/virtualMachines',
      apiVersion: '2023-03-01',
      name: `vm${index}`,
      properties: {
        storageProfile: {
          imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: `${index}.04-LTS`, version: 'latest' },
        },
      },
    }));
    const before = template({ resources: [...vms, deployment({ uri: 'https://example.invalid/vm.json' })] });
    const after = before.replace('"7.04-LTS"', '"7.004-LTS"');
    const memo = new ImageReadMemo();
    const host = memoryHost({});
    readArmFile('/ws/azuredeploy.json', before, host, { reuse: memo });
    const again = readArmFile('/ws/azuredeploy.json', after, host, { reuse: memo });
    assert.equal(memo.siteReads, 1, 'the edit is read in part');
    assert.deepEqual(summary(again), summary(readArmFile('/ws/azuredeploy.json', after, host)));
  });

  it('reads what a fresh read gives after typing in an image of a template that links itself', () => {
    // Long enough for the memo to keep the read (64 KB), so that typing in the image reads it alone.
    const vms = Array.from({ length: 300 }, (_, index) => ({
      type: 'Microsoft.Compute/virtualMachines',
      apiVersion: '2023-03-01',
      name: `vm${index}`,
      properties: {
        storageProfile: {
          imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: `${index}.04-LTS`, version: 'latest' },
        },
      },
    }));
    const before = template({ resources: [deployment({ relativePath: 'azuredeploy.json' }), ...vms] });
    const after = before.replace('"7.04-LTS"', '"7.004-LTS"');
    assert.ok(before.length > 65_536);
    const memo = new ImageReadMemo();
    const host = memoryHost({ '/ws/azuredeploy.json': before });
    readArmFile('/ws/azuredeploy.json', before, host, { reuse: memo });
    const again = readArmFile('/ws/azuredeploy.json', after, host, { reuse: memo });
    const fresh = readArmFile('/ws/azuredeploy.json', after, host);
    assert.deepEqual(again.problems, fresh.problems);
    assert.deepEqual(summary(again), summary(fresh));
  });
});
