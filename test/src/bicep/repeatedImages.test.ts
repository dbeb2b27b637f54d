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
import * as path from 'node:path';
import { analyzeDocument, type AnalysisResult, type AnalysisSettings } from '../../../server/out/core/analyze';
import { bundledCatalog } from '../../../server/out/core/catalog/bundledCatalog';
import { emptyConfig } from '../../../server/out/core/config/config';
import type { FileHost, ImageSite } from '../../../server/out/core/model';
import { bicepFleet } from '../bench/synthesize';

const corpus = path.resolve(__dirname, '../../../../shared/corpus').replace(/\\/g, '/');
const fixtures = path.resolve(__dirname, '../../fixtures').replace(/\\/g, '/');

const shared: AnalysisSettings = { catalog: bundledCatalog, config: emptyConfig(), asOf: '2026-01-01' };
const afresh: AnalysisSettings = {
  ...shared,
  arm: { shareRepeatedImages: false },
  bicep: { shareRepeatedImages: false, keepWholeResourceBodies: true },
};

const fileSystemHost: FileHost = {
  readFile: (file) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
};

function filesUnder(folder: string, pattern: RegExp): string[] {
  if (!fs.existsSync(folder)) return [];
  const files: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const child = `${folder}/${entry.name}`;
    if (entry.isDirectory()) files.push(...filesUnder(child, pattern));
    else if (pattern.test(entry.name)) files.push(child);
  }
  return files.sort();
}

function comparable(result: AnalysisResult): unknown {
  return { sites: result.sites, findings: result.findings, problems: result.problems, dependencies: result.dependencies };
}

function assertSameBothWays(file: string, text: string, host = fileSystemHost): AnalysisResult {
  const sharedResult = analyzeDocument(file, text, host, shared);
  const afreshResult = analyzeDocument(file, text, host, afresh);
  assert.deepEqual(comparable(sharedResult), comparable(afreshResult), file);
  return sharedResult;
}

/** Checks that every definition of a site is the Bicep string literal holding the value. */
function assertDefinitionsAreLiterals(site: ImageSite, text: string): void {
  for (const candidate of site.candidates) {
    for (const value of Object.values(candidate)) {
      const range = value?.definition?.location.range;
      if (!value || !range) continue;
      assert.equal(text.slice(range.start, range.end), `'${value.value}'`);
    }
  }
}

describe('Bicep images evaluated once per evaluator', () => {
  it('give the same results as evaluating every image afresh, on the corpus and the fixtures', () => {
    const files = [...filesUnder(corpus, /\.bicep(param)?$/i), ...filesUnder(fixtures, /\.bicep(param)?$/i)];
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
      assertDefinitionsAreLiterals(site, text);
      assert.equal(site.candidates.length, 3);
      for (const candidate of site.candidates) {
        const offer = candidate.offer?.definition?.location.range;
        const sku = candidate.sku?.definition?.location.range;
        assert.ok(offer && offer.start > site.use.range.start && offer.end < site.use.range.end, 'the offer moves');
        assert.ok(sku && sku.end < parameterEnd, 'the SKU stays in the parameter');
      }
    }
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
