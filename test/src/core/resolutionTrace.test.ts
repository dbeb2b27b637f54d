/**
 * The resolution trace (issue 20, item 5): each value of a candidate says how it came from where
 * it is written to the image: the declarations that referred to it on the way (variables,
 * parameter defaults and allowed values, parameter files, values passed to a module or nested
 * deployment) and the properties and map entries it was read from. ARM and Bicep twins give the
 * same trace, and the hover says it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeDocument } from '../../../server/out/core/analyze';
import { hoverAt } from '../../../server/out/core/hover';
import type { ImageSite } from '../../../server/out/core/model';
import { describeResolution } from '../../../server/out/core/resolutionTrace';
import { memoryHost } from '../arm/armTestSupport';
import { coreSettings, MapFileHost } from '../fuzz/harness';

const vm = (name: string, image: string) => `{
      "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2023-03-01", "name": "${name}", "location": "westeurope",
      "properties": { "storageProfile": { "imageReference": ${image} } }
    }`;

const armTemplate = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "ubuntuOSVersion": { "type": "string", "defaultValue": "18.04-LTS", "allowedValues": ["18.04-LTS", "16.04-LTS"] },
    "os": { "type": "string", "defaultValue": "ubuntu" }
  },
  "variables": {
    "imageReference": { "publisher": "Canonical", "offer": "UbuntuServer", "sku": "[parameters('ubuntuOSVersion')]", "version": "latest" },
    "images": { "ubuntu": { "publisher": "Canonical", "offer": "0001-com-ubuntu-server-focal", "sku": "20_04-lts", "version": "latest" } },
    "settings": { "image": "[variables('images')[parameters('os')]]" },
    "gen2Sku": "[concat(parameters('ubuntuOSVersion'), '-gen2')]"
  },
  "resources": [
    ${vm('a', `"[variables('imageReference')]"`)},
    ${vm('b', `"[variables('settings').image]"`)},
    ${vm('c', `{ "publisher": "Canonical", "offer": "UbuntuServer", "sku": "[variables('gen2Sku')]", "version": "latest" }`)},
    {
      "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "inner",
      "properties": {
        "mode": "Incremental",
        "expressionEvaluationOptions": { "scope": "inner" },
        "parameters": { "sku": { "value": "[parameters('ubuntuOSVersion')]" } },
        "template": {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "parameters": { "sku": { "type": "string" } },
          "resources": [
            ${vm('d', `{ "publisher": "Canonical", "offer": "UbuntuServer", "sku": "[parameters('sku')]", "version": "latest" }`)}
          ]
        }
      }
    }
  ]
}
`;

const bicepVm = (name: string, image: string) => `resource ${name} 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: '${name}'
  location: 'westeurope'
  properties: { storageProfile: { imageReference: ${image} } }
}
`;

const bicepTemplate = `@allowed(['18.04-LTS', '16.04-LTS'])
param ubuntuOSVersion string = '18.04-LTS'
param os string = 'ubuntu'

var imageReference = { publisher: 'Canonical', offer: 'UbuntuServer', sku: ubuntuOSVersion, version: 'latest' }
var images = { ubuntu: { publisher: 'Canonical', offer: '0001-com-ubuntu-server-focal', sku: '20_04-lts', version: 'latest' } }
var settings = { image: images[os] }
var gen2Sku = '\${ubuntuOSVersion}-gen2'

${bicepVm('a', 'imageReference')}
${bicepVm('b', 'settings.image')}
${bicepVm('c', `{ publisher: 'Canonical', offer: 'UbuntuServer', sku: gen2Sku, version: 'latest' }`)}
module inner './vm.bicep' = {
  name: 'inner'
  params: { sku: ubuntuOSVersion }
}
`;

const bicepModule = `param sku string

${bicepVm('d', `{ publisher: 'Canonical', offer: 'UbuntuServer', sku: sku, version: 'latest' }`)}`;

/** Each site's candidates, one line each: the sku and how each field was resolved. */
function traces(sites: readonly ImageSite[]): string[][] {
  return sites.map((site) =>
    site.candidates.map((candidate) =>
      (['publisher', 'offer', 'sku', 'version'] as const)
        .map((field) => `${field}=${candidate[field]?.value}: ${candidate[field] ? describeResolution(candidate[field]) : '?'}`)
        .join(' | '),
    ),
  );
}

const fromImageReference = (sku: string, how: string) =>
  `publisher=Canonical: from variable \`imageReference\` | offer=UbuntuServer: from variable \`imageReference\` | sku=${sku}: ${how} | version=latest: from variable \`imageReference\``;
const literal = (field: string, value: string) => `${field}=${value}: from the image itself`;

const expected = [
  [
    fromImageReference('18.04-LTS', 'from parameter `ubuntuOSVersion` default, via variable `imageReference`'),
    fromImageReference('18.04-LTS', 'from parameter `ubuntuOSVersion` allowed value, via variable `imageReference`'),
    fromImageReference('16.04-LTS', 'from parameter `ubuntuOSVersion` allowed value, via variable `imageReference`'),
  ],
  [
    ['publisher=Canonical', 'offer=0001-com-ubuntu-server-focal', 'sku=20_04-lts', 'version=latest']
      .map(
        (value) => `${value}: from variable \`images\`, via entry \`ubuntu\`, via variable \`settings\`, via property \`image\``,
      )
      .join(' | '),
  ],
  [
    ...['18.04-LTS-gen2', '16.04-LTS-gen2'].map((sku) =>
      [
        literal('publisher', 'Canonical'),
        literal('offer', 'UbuntuServer'),
        `sku=${sku}: computed by an expression, via variable \`gen2Sku\``,
        literal('version', 'latest'),
      ].join(' | '),
    ),
  ],
  [
    ...[
      ['18.04-LTS', 'default'],
      ['18.04-LTS', 'allowed value'],
      ['16.04-LTS', 'allowed value'],
    ].map(([sku, kind]) =>
      [
        literal('publisher', 'Canonical'),
        literal('offer', 'UbuntuServer'),
        `sku=${sku}: from parameter \`ubuntuOSVersion\` ${kind}, via value passed to parameter \`sku\``,
        literal('version', 'latest'),
      ].join(' | '),
    ),
  ],
];

describe('resolution trace', () => {
  test('ARM: each field says where it is written and what it went through', () => {
    const result = analyzeDocument('/trace/main.json', armTemplate, new MapFileHost(), coreSettings);
    assert.deepEqual(traces(result.sites), expected);
  });

  test('Bicep: the twin gives the same trace', () => {
    const host = new MapFileHost();
    host.set('/trace/vm.bicep', bicepModule);
    const result = analyzeDocument('/trace/main.bicep', bicepTemplate, host, coreSettings);
    assert.deepEqual(traces(result.sites), expected);
    // The module's site says which call leads to it.
    assert.deepEqual(
      result.sites.map((site) => site.via?.map((step) => [step.kind, step.name, step.location.file])),
      [undefined, undefined, undefined, [['module', 'inner', '/trace/main.bicep']]],
    );
  });

  test('a parameter file value and a .bicepparam value say so', () => {
    const armHost = memoryHost({
      '/trace/main.json': armTemplate,
      '/trace/main.parameters.json': JSON.stringify({
        $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#',
        contentVersion: '1.0.0.0',
        parameters: { ubuntuOSVersion: { value: '16.04-LTS' } },
      }),
    });
    const arm = analyzeDocument('/trace/main.json', armTemplate, armHost, coreSettings);
    const bicepHost = new MapFileHost();
    bicepHost.set('/trace/vm.bicep', bicepModule);
    bicepHost.set('/trace/main.bicep', bicepTemplate);
    const bicep = analyzeDocument(
      '/trace/main.bicepparam',
      "using './main.bicep'\n\nparam ubuntuOSVersion = '16.04-LTS'\n",
      bicepHost,
      coreSettings,
    );
    const fileValue = (sites: readonly ImageSite[]) =>
      sites[0].candidates
        .filter((candidate) => candidate.sku?.definition?.kind === 'parameter-file')
        .map((candidate) => describeResolution(candidate.sku!));
    assert.deepEqual(fileValue(arm.sites), ['from parameter file value of `ubuntuOSVersion`, via variable `imageReference`']);
    assert.deepEqual(fileValue(bicep.sites), ['from parameter file value of `ubuntuOSVersion`, via variable `imageReference`']);
  });

  test('the hover says how the value under the cursor was resolved', () => {
    const settings = { catalog: coreSettings.catalog, asOf: coreSettings.asOf };
    const offset = armTemplate.indexOf('"18.04-LTS"') + 2;
    const hover = hoverAt('/trace/main.json', armTemplate, offset, new MapFileHost(), settings);
    assert.ok(hover);
    assert.ok(
      hover.markdown.endsWith(
        [
          'How the values were resolved:',
          '',
          '- sku: from parameter `ubuntuOSVersion` default, via variable `imageReference`',
          '- sku: from parameter `ubuntuOSVersion` default, via value passed to parameter `sku`',
        ].join('\n'),
      ),
      hover.markdown,
    );
    const bicepOffset = bicepTemplate.indexOf("'18.04-LTS'", bicepTemplate.indexOf('param ubuntuOSVersion')) + 2;
    const host = new MapFileHost();
    host.set('/trace/vm.bicep', bicepModule);
    const bicepHover = hoverAt('/trace/main.bicep', bicepTemplate, bicepOffset, host, settings);
    assert.ok(
      bicepHover?.markdown.endsWith(hover.markdown.slice(hover.markdown.indexOf('How the values'))),
      bicepHover?.markdown,
    );
  });
});
