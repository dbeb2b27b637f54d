/**
 * The Bicep reader evaluates an image written the same way on many resources once per evaluator
 * and gives the other resources a copy whose literal definitions are moved to their own text, and
 * it keeps of each resource body only the path to the image and nested resources. These tests
 * check that this finds exactly what evaluating every image afresh over whole bodies finds: the
 * same sites, findings, fixes and problems on the corpus, the fixtures and the benchmark file, and
 * definitions that point at each resource's own literals.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { bicepFleet } from '../bench/synthesize';
import {
  assertDefinitionsAreLiterals,
  assertSameBothWays,
  corpusFolder,
  filesUnder,
  fixturesFolder,
} from '../harness/sharedReading';

describe('Bicep images evaluated once per evaluator', () => {
  it('give the same results as evaluating every image afresh, on the corpus and the fixtures', () => {
    const files = [...filesUnder(corpusFolder, /\.bicep(param)?$/i), ...filesUnder(fixturesFolder, /\.bicep(param)?$/i)];
    assert.ok(files.length > 0);
    for (const file of files) assertSameBothWays(file, fs.readFileSync(file, 'utf8'));
  });

  it('give the same results on the benchmark file', () => {
    assertSameBothWays('/bench/fleet/main.bicep', bicepFleet(60_000), { readFile: () => undefined });
  });

  it('move the definitions of a repeated literal image to each copy, and keep the others in place', () => {
    const image = "{\n    publisher: 'Canonical'\n    offer: 'UbuntuServer'\n    sku: sku\n    version: 'latest'\n  }";
    const vm = (name: string, body: string) =>
      `resource ${name} 'Microsoft.Compute/virtualMachines@2024-03-01' = {\n  name: '${name}'\n  properties: {\n    storageProfile: {\n      imageReference: ${body}\n    }\n  }\n}\n`;
    const text = [
      "@allowed(['18.04-LTS', '22_04-lts'])",
      "param sku string = '18.04-LTS'",
      vm('a', image),
      vm('b', image),
      "resource c 'Microsoft.Compute/virtualMachines@2024-03-01' = [for i in range(0, 2): {",
      "  name: 'c${i}'",
      `  properties: { storageProfile: { imageReference: ${image} } }`,
      '}]',
      vm('d', image),
    ].join('\n');
    const result = assertSameBothWays('/repeated/main.bicep', text, { readFile: () => undefined });
    assert.equal(result.sites.length, 4);
    const parameterEnd = text.indexOf('resource a');
    for (const site of result.sites) {
      assertDefinitionsAreLiterals(site, text, 'bicep');
      assert.equal(site.candidates.length, 3);
      for (const candidate of site.candidates) {
        const offer = candidate.offer?.definition?.location.range;
        const sku = candidate.sku?.definition?.location.range;
        assert.ok(offer && offer.start > site.use.range.start && offer.end < site.use.range.end, 'the offer moves');
        assert.ok(sku && sku.end < parameterEnd, 'the SKU stays in the parameter');
      }
    }
  });

  it('read the same images from values the parser deferred: JSON-string templates, loops, broken images', () => {
    const pool = (name: string, template: string) =>
      `resource ${name} 'Microsoft.DesktopVirtualization/hostPools@2023-09-05' = {\n  name: '${name}'\n  properties: {\n    vmTemplate: ${template}\n  }\n}\n`;
    const image = "{ galleryImagePublisher: 'Canonical', galleryImageOffer: 'UbuntuServer', galleryImageSKU: '18.04-LTS' }";
    const text = [
      "param sku string = '18.04-LTS'",
      pool('a', `string(${image})`),
      pool('b', `string(${image})`),
      pool('c', `'{"galleryImagePublisher": "Canonical", "galleryImageOffer": "UbuntuServer", "galleryImageSKU": "16.04-LTS"}'`),
      "resource looped 'Microsoft.Compute/virtualMachines@2024-03-01' = [for i in range(0, 2): {",
      "  properties: { storageProfile: { imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: i == 0 ? sku : '16.04-LTS' } } }",
      '}]',
    ].join('\n');
    const result = assertSameBothWays('/deferred/main.bicep', text, { readFile: () => undefined });
    assert.equal(result.sites.length, 4);
    const broken = `${text}\nresource broken 'Microsoft.Compute/virtualMachines@2024-03-01' = {\n  properties: { storageProfile: { imageReference: { publisher: 'Canonical' offer: 'UbuntuServer' } } }\n}\n`;
    assertSameBothWays('/deferred/broken.bicep', broken, { readFile: () => undefined });
  });

  it('read the same images from bodies kept whole: nested children, spreads, conditions and loops', () => {
    const text = [
      "param os string = 'jammy'",
      "var base = { storageProfile: { imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: '18.04-LTS' } } }",
      "resource lab 'Microsoft.DevTestLab/labs@2018-09-15' = {",
      "  name: 'lab'",
      "  resource vm 'virtualmachines' = {",
      "    name: 'vm'",
      "    properties: { galleryImageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: '16.04-LTS', osType: 'Linux' } }",
      '  }',
      '}',
      "resource spread 'Microsoft.Compute/virtualMachines@2024-03-01' = {",
      "  name: 'spread'",
      "  properties: { ...base, hardwareProfile: { vmSize: os == 'jammy' ? 'Standard_D2s_v5' : 'Standard_B2s' } }",
      '}',
      "resource conditional 'Microsoft.Compute/virtualMachines@2024-03-01' = if (os == 'jammy') {",
      "  name: 'conditional'",
      "  properties: { storageProfile: { imageReference: { publisher: 'Canonical', offer: '0001-com-ubuntu-server-jammy', sku: '22_04-lts' } } }",
      '}',
      "resource looped 'Microsoft.Compute/virtualMachines@2024-03-01' = [for i in range(0, 2): {",
      "  name: 'looped${i}'",
      "  properties: { PROPERTIES: {}, storageProfile: { imageReference: { publisher: 'RedHat', offer: 'RHEL', sku: '7.9' } } }",
      '}]',
      "resource sets 'Microsoft.Compute/virtualMachineScaleSets@2024-03-01' = {",
      "  name: 'sets'",
      "  properties: { virtualMachineProfile: { storageProfile: { imageReference: { publisher: 'OpenLogic', offer: 'CentOS', sku: '7.5' } } } }",
      "  resource child 'virtualMachines' = {",
      "    name: 'child'",
      '  }',
      '}',
    ].join('\n');
    const result = assertSameBothWays('/pruned/main.bicep', text, { readFile: () => undefined });
    assert.ok(result.sites.length >= 4, `sites: ${result.sites.length}`);
  });
});
