/**
 * The ARM reader reads an image written the same way on many resources once per scope and gives
 * the other resources a copy whose literal definitions are moved to their own text. These tests
 * check that this shared reading finds exactly what reading every image afresh finds: the same
 * sites, findings, fixes and problems on the corpus, the fixtures and the benchmark templates, and
 * definitions that point at each resource's own literals however the copies are indented.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { compiledBicepTemplate, virtualMachineFleetTemplate } from '../bench/synthesize';
import { memoryHost } from './armTestSupport';
import {
  assertDefinitionsAreLiterals,
  assertSameBothWays,
  corpusFolder,
  filesUnder,
  fixturesFolder,
} from '../harness/sharedReading';

describe('ARM images read once per scope', () => {
  it('give the same results as reading every image afresh, on the corpus and the fixtures', () => {
    const files = [...filesUnder(corpusFolder, /\.jsonc?$/i), ...filesUnder(fixturesFolder, /\.jsonc?$/i)];
    assert.ok(files.length > 0);
    for (const file of files) assertSameBothWays(file, fs.readFileSync(file, 'utf8'));
  });

  it('give the same results on the benchmark templates', () => {
    assertSameBothWays('/bench/fleet/azuredeploy.json', virtualMachineFleetTemplate(60_000), memoryHost({}));
    assertSameBothWays('/bench/compiled/main.json', compiledBicepTemplate(120_000), memoryHost({}));
  });

  it('move the definitions of a repeated literal image to each copy, in every scope and indentation', () => {
    const image = (indent: string) =>
      `{\n${indent}"publisher": "Canonical",\n${indent}"offer": "UbuntuServer",\n${indent}"sku": "18.04-LTS",\n${indent}"version": "latest"\n}`;
    const vm = (name: string, imageText: string, extra = '') =>
      `{ "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2024-03-01", "name": "${name}",${extra}
         "properties": { "storageProfile": { "imageReference": ${imageText} } } }`;
    const text = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    ${vm('a', image('  '))},
    ${vm('b', image('        '))},
    ${vm('c', image('').replace(/\n/g, ''))},
    ${vm('g', image('  '))},
    ${vm('h', image('        '))},
    ${vm('d', image('  '), ' "copy": { "name": "loop", "count": 2 },')},
    { "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "inner",
      "properties": { "mode": "Incremental", "expressionEvaluationOptions": { "scope": "inner" },
        "template": { "resources": [ ${vm('e', image('    '))}, ${vm('f', image('  '))}, ${vm('i', image('    '))} ] } } }
  ]
}`;
    const result = assertSameBothWays('/repeated/azuredeploy.json', text, memoryHost({}));
    assert.equal(result.sites.length, 9);
    for (const site of result.sites) {
      assertDefinitionsAreLiterals(site, text, 'json');
      for (const candidate of site.candidates) {
        const range = candidate.sku?.definition?.location.range;
        assert.ok(range && range.start > site.use.range.start && range.end < site.use.range.end, 'inside its own image');
      }
    }
    // Every copy is reported at its own SKU literal.
    const endOfSupport = result.findings.filter((finding) => finding.code === 'end-of-support');
    assert.equal(new Set(endOfSupport.map((finding) => finding.location.range.start)).size, 9);
  });

  it('keep values that do not come from the image itself where they are written', () => {
    const text = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "sku": { "type": "string", "defaultValue": "18.04-LTS", "allowedValues": ["18.04-LTS", "22.04-LTS"] } },
  "resources": [
    { "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2024-03-01", "name": "a",
      "properties": { "storageProfile": { "imageReference": { "publisher": "Canonical", "offer": "UbuntuServer", "sku": "[parameters('sku')]" } } } },
    { "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2024-03-01", "name": "b",
      "properties": { "storageProfile": { "imageReference": { "publisher": "Canonical", "offer": "UbuntuServer", "sku": "[parameters('sku')]" } } } }
  ]
}`;
    const result = assertSameBothWays('/repeated/parameters.json', text, memoryHost({}));
    assert.equal(result.sites.length, 2);
    const parameterStart = text.indexOf('"parameters"');
    const parameterEnd = text.indexOf('"resources"');
    for (const site of result.sites) {
      assertDefinitionsAreLiterals(site, text, 'json');
      for (const candidate of site.candidates) {
        const sku = candidate.sku?.definition?.location.range;
        const offer = candidate.offer?.definition?.location.range;
        assert.ok(sku && sku.start > parameterStart && sku.end < parameterEnd, 'the SKU stays in the parameter');
        assert.ok(offer && offer.start > site.use.range.start && offer.end < site.use.range.end, 'the offer moves');
      }
    }
  });
});
