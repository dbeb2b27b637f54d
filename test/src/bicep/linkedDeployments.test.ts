/**
 * Linked deployments in Bicep: a `Microsoft.Resources/deployments` resource whose `templateLink`
 * names a template of the repository is followed as the ARM reader follows one (the same
 * resolution in `arm/linkedTemplates.ts`), with the parameters the Bicep file passes, so that
 * the linked image is checked and fixed at the Bicep caller's values and says which deployment
 * leads to it. Links that are not followed are inventory sites that say why, as in ARM.
 * Regression tests: the link was not read at all (no image, no problem, no inventory row). The
 * rule fixture `bicep-linked-deployments` checks the findings and fixes of the ARM/Bicep twins.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FileHost, ReaderResult } from '../../../server/out/core/model';
import { readArmFile } from '../../../server/out/core/arm/readArm';
import { readBicepFile } from '../../../server/out/core/bicep/readBicep';
import { compactCandidates, memoryHost } from '../arm/armTestSupport';

const schema = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

/** A linked template with one VM whose image comes from its `sku` parameter. */
const vmTemplate = JSON.stringify(
  {
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
  },
  null,
  2,
);

const header = [
  "param _artifactsLocation string = 'https://raw.githubusercontent.com/example/repo/main/sample/'",
  '@secure()',
  "param _artifactsLocationSasToken string = ''",
  "var vmTemplate = uri(_artifactsLocation, 'nested/vm.json')",
  '',
].join('\n');

/** A Bicep file with one linked deployment: `link` is the `templateLink` object's body. */
function caller(link: string, extra = "    parameters: {\n      sku: { value: '18.04-LTS' }\n    }\n", condition = ''): string {
  return `${header}resource linked 'Microsoft.Resources/deployments@2022-09-01' = ${condition}{
  name: 'linked'
  properties: {
    mode: 'Incremental'
    templateLink: {
      ${link}
    }
${extra}  }
}
`;
}

function read(files: Record<string, string>, host: FileHost = memoryHost(files)): ReaderResult {
  return readBicepFile('/ws/main.bicep', files['/ws/main.bicep'], host);
}

/** Each site as `file: candidates` (or its reason), in order. */
function summary(result: ReaderResult): string[] {
  return result.sites.map((site) => `${site.use.file}: ${site.unresolvedReason ?? ''}${compactCandidates(site).join(' | ')}`);
}

describe('Bicep linked deployments: how the link is written', () => {
  const forms: [string, string][] = [
    ['relativePath', "relativePath: 'nested/vm.json'"],
    ['uri()', "uri: uri(_artifactsLocation, 'nested/vm.json${_artifactsLocationSasToken}')"],
    ['an interpolation', "uri: '${_artifactsLocation}nested/vm.json${_artifactsLocationSasToken}'"],
    ['concat()', "uri: concat(_artifactsLocation, 'nested/vm.json', _artifactsLocationSasToken)"],
    ['a variable', 'uri: vmTemplate'],
    ['format()', "uri: format('{0}/nested/vm.json{1}', _artifactsLocation, _artifactsLocationSasToken)"],
    ['deployment().properties.templateLink.uri', "uri: uri(deployment().properties.templateLink.uri, 'nested/vm.json')"],
  ];
  for (const [name, link] of forms) {
    it(`follows ${name} to the file beside the caller, with the caller's values and the deployment it came through`, () => {
      const main = caller(link);
      const result = read({ '/ws/main.bicep': main, '/ws/nested/vm.json': vmTemplate });
      assert.deepEqual(result.problems, []);
      assert.deepEqual(summary(result), ['/ws/nested/vm.json: Canonical:UbuntuServer:18.04-LTS:latest']);
      assert.deepEqual(result.dependencies, ['/ws/nested/vm.json']);
      // The value is defined where the caller writes it: that is where a fix goes.
      const sku = result.sites[0].candidates[0].sku?.definition;
      assert.equal(sku?.location.file, '/ws/main.bicep');
      assert.equal(sku?.kind, 'module-parameter');
      assert.equal(main.slice(sku.location.range.start, sku.location.range.end), "'18.04-LTS'");
      const [step] = result.sites[0].via ?? [];
      assert.deepEqual(
        { kind: step.kind, name: step.name, file: step.location.file },
        { kind: 'deployment', name: 'linked', file: '/ws/main.bicep' },
      );
      assert.equal(main.slice(step.location.range.start, step.location.range.end), "'linked'");
    });
  }

  it('passes its artifacts location on, so that the linked template links further from the caller', () => {
    const linker = JSON.stringify({
      $schema: schema,
      contentVersion: '1.0.0.0',
      parameters: { _artifactsLocation: { type: 'string' }, sku: { type: 'string' } },
      resources: [
        {
          type: 'Microsoft.Resources/deployments',
          apiVersion: '2022-09-01',
          name: 'inner',
          properties: {
            templateLink: { uri: "[uri(parameters('_artifactsLocation'), 'nested/vm.json')]" },
            parameters: { sku: { value: "[parameters('sku')]" } },
          },
        },
      ],
    });
    const main = caller(
      "relativePath: 'nested/linker.json'",
      "    parameters: {\n      _artifactsLocation: { value: _artifactsLocation }\n      sku: { value: '16.04-LTS' }\n    }\n",
    );
    const result = read({ '/ws/main.bicep': main, '/ws/nested/linker.json': linker, '/ws/nested/vm.json': vmTemplate });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(summary(result), ['/ws/nested/vm.json: Canonical:UbuntuServer:16.04-LTS:latest']);
    assert.deepEqual(
      result.sites[0].via?.map((step) => `${step.kind} ${step.name} (${step.location.file})`),
      ['deployment linked (/ws/main.bicep)', 'deployment inner (/ws/nested/linker.json)'],
    );
  });

  it('reads the values of a parameters file the link names beside the template', () => {
    const main = caller(
      "relativePath: 'nested/vm.json'",
      "    parametersLink: {\n      uri: uri(_artifactsLocation, 'nested/vm.parameters.json')\n    }\n",
    );
    const parameters = JSON.stringify({ contentVersion: '1.0.0.0', parameters: { sku: { value: '14.04.5-LTS' } } });
    const result = read({
      '/ws/main.bicep': main,
      '/ws/nested/vm.json': vmTemplate,
      '/ws/nested/vm.parameters.json': parameters,
    });
    assert.deepEqual(summary(result), ['/ws/nested/vm.json: Canonical:UbuntuServer:14.04.5-LTS:latest']);
    assert.deepEqual(result.dependencies.sort(), ['/ws/nested/vm.json', '/ws/nested/vm.parameters.json']);
  });

  it('deploys the linked image only when the deployment is', () => {
    const main = `param deployVm bool = false\n${caller("relativePath: 'nested/vm.json'", undefined, 'if (deployVm) ')}`;
    const result = read({ '/ws/main.bicep': main, '/ws/nested/vm.json': vmTemplate });
    // Linked to where the caller writes the condition.
    const at = {
      file: '/ws/main.bicep',
      range: { start: main.indexOf('if (deployVm)'), end: main.indexOf('if (deployVm)') + 13 },
    };
    assert.deepEqual(result.sites[0].candidates[0].sku?.when, [{ subject: 'deployVm', value: 'true', at }]);
    assert.equal(result.sites[0].via?.[0].name, 'linked');
  });
});

describe('Bicep linked deployments that are not followed', () => {
  it('says why for a template elsewhere, without quoting its query (a SAS token)', () => {
    const result = read({
      '/ws/main.bicep': caller("uri: 'https://example.blob.core.windows.net/templates/vm.json?sv=2022&sig=secret'"),
    });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(summary(result), [
      '/ws/main.bicep: Not followed: it links to https://example.blob.core.windows.net/templates/vm.json, which is not fetched.',
    ]);
    const [site] = result.sites;
    assert.equal(site.resourceType, 'Microsoft.Resources/deployments');
    assert.deepEqual(site.unresolved, ['publisher', 'offer', 'sku', 'version']);
    assert.ok(!JSON.stringify(result).includes('secret'));
  });

  it('says why for a template spec and for an address that cannot be computed', () => {
    const spec = read({
      '/ws/main.bicep': caller(
        "id: '/subscriptions/0/resourceGroups/rg/providers/Microsoft.Resources/templateSpecs/vm/versions/1'",
      ),
    });
    assert.deepEqual(summary(spec), [
      "/ws/main.bicep: Not followed: it deploys the template spec '/subscriptions/0/resourceGroups/rg/providers/Microsoft.Resources/templateSpecs/vm/versions/1', which is not fetched.",
    ]);
    const unknown = read({ '/ws/main.bicep': `param templateUri string\n${caller('uri: templateUri')}` });
    assert.deepEqual(summary(unknown), ['/ws/main.bicep: Not followed: its address cannot be computed statically.']);
  });

  it('checks an image object passed to a deployment it does not follow, as the ARM reader does', () => {
    const image = "{ publisher: 'Canonical', offer: 'UbuntuServer', sku: '18.04-LTS', version: 'latest' }";
    const main = caller("relativePath: 'nested/missing.json'", `    parameters: {\n      image: { value: ${image} }\n    }\n`);
    const bicep = read({ '/ws/main.bicep': main });
    const arm = readArmFile(
      '/ws/azuredeploy.json',
      JSON.stringify({
        $schema: schema,
        contentVersion: '1.0.0.0',
        resources: [
          {
            type: 'Microsoft.Resources/deployments',
            apiVersion: '2022-09-01',
            name: 'linked',
            properties: {
              templateLink: { relativePath: 'nested/missing.json' },
              parameters: {
                image: { value: { publisher: 'Canonical', offer: 'UbuntuServer', sku: '18.04-LTS', version: 'latest' } },
              },
            },
          },
        ],
      }),
      memoryHost({}),
    );
    const described = (result: ReaderResult) =>
      result.sites.map((site) => `${site.resourceType}: ${site.unresolvedReason ?? ''}${compactCandidates(site).join(' | ')}`);
    assert.deepEqual(described(bicep), [
      "unknown (parameter 'image' of 'nested/missing.json'): Canonical:UbuntuServer:18.04-LTS:latest",
      "Microsoft.Resources/deployments: Not followed: the linked template 'nested/missing.json' cannot be read.",
    ]);
    assert.deepEqual(described(bicep), described(arm));
    const sku = bicep.sites[0].candidates[0].sku?.definition;
    assert.equal(main.slice(sku!.location.range.start, sku!.location.range.end), "'18.04-LTS'");
  });

  it('reports a missing file where the link is written, and a file the host refuses', () => {
    const main = caller("relativePath: 'nested/missing.json'");
    const missing = read({ '/ws/main.bicep': main });
    assert.deepEqual(
      missing.problems.map((problem) => [problem.message, main.slice(problem.range!.start, problem.range!.end)]),
      [["Cannot read the linked template 'nested/missing.json'.", "{\n      relativePath: 'nested/missing.json'\n    }"]],
    );
    assert.deepEqual(summary(missing), [
      "/ws/main.bicep: Not followed: the linked template 'nested/missing.json' cannot be read.",
    ]);
    assert.deepEqual(missing.dependencies, ['/ws/nested/missing.json']);
    const files = { '/ws/main.bicep': caller("relativePath: '../secret/vm.json'") };
    const refused = read(files, {
      readFile: (file) => (file === '/secret/vm.json' ? undefined : files[file as keyof typeof files]),
      refusalOf: (file) => (file === '/secret/vm.json' ? 'it is outside the workspace' : undefined),
    });
    assert.deepEqual(
      refused.problems.map((problem) => problem.message),
      ["Cannot read the linked template '../secret/vm.json': it is outside the workspace."],
    );
  });
});
