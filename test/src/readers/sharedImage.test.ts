/**
 * One image written once and used by resources of different types (a variable used by a VM and
 * by a scale set): both readers share the evaluated image between its uses, and each use must
 * still get the site of its own resource type. A regression test: the shared site was once keyed
 * by the image alone, and the scale set was reported as a VM.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeDocument } from '../../../server/out/core/analyze';
import { bundledCatalog } from '../../../server/out/core/catalog/bundledCatalog';
import { emptyFileHost } from '../../../server/out/core/model';

const settings = { catalog: bundledCatalog, config: { rules: {} }, asOf: '2026-11-22' };

const armTemplate = JSON.stringify({
  $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
  contentVersion: '1.0.0.0',
  variables: { img: { publisher: 'Canonical', offer: 'UbuntuServer', sku: '18.04-LTS', version: 'latest' } },
  resources: [
    {
      type: 'Microsoft.Compute/virtualMachines',
      name: 'a',
      properties: { storageProfile: { imageReference: "[variables('img')]" } },
    },
    {
      type: 'Microsoft.Compute/virtualMachineScaleSets',
      name: 'b',
      properties: { virtualMachineProfile: { storageProfile: { imageReference: "[variables('img')]" } } },
    },
  ],
});

const bicepTemplate = [
  "var img = { publisher: 'Canonical', offer: 'UbuntuServer', sku: '18.04-LTS', version: 'latest' }",
  "resource a 'Microsoft.Compute/virtualMachines@2023-03-01' = {",
  "  name: 'a'",
  '  properties: { storageProfile: { imageReference: img } }',
  '}',
  "resource b 'Microsoft.Compute/virtualMachineScaleSets@2023-03-01' = {",
  "  name: 'b'",
  '  properties: { virtualMachineProfile: { storageProfile: { imageReference: img } } }',
  '}',
  '',
].join('\n');

for (const [file, text] of [
  ['main.json', armTemplate],
  ['main.bicep', bicepTemplate],
] as const) {
  test(`${file}: each use of a shared image keeps its own resource type`, () => {
    const result = analyzeDocument(file, text, emptyFileHost, settings);
    assert.deepEqual(
      result.sites.map((site) => [site.resourceType, site.candidates.map((candidate) => candidate.sku?.value)]),
      [
        ['Microsoft.Compute/virtualMachines', ['18.04-LTS']],
        ['Microsoft.Compute/virtualMachineScaleSets', ['18.04-LTS']],
      ],
    );
    const related = result.findings.find((finding) => finding.code === 'end-of-support')?.related.map((item) => item.message);
    assert.deepEqual(related, [
      "The sku from variable 'img' is used by this virtualMachines image.",
      "The sku from variable 'img' is used by this virtualMachineScaleSets image.",
    ]);
  });
}
