/**
 * What the rules say of an image is kept from one analysis to the next when the analyses share a
 * memory of it (`CheckedImages` in `core/analyze.ts`), keyed by catalog, configuration and date. These tests change each of the three between analyses of
 * the same template and require what a first analysis under the new inputs gives.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeDocument, type AnalysisSettings, CheckedImages } from '../../../server/out/core/analyze';
import { bundledCatalog } from '../../../server/out/core/catalog/bundledCatalog';
import { emptyConfig, type LintConfig } from '../../../server/out/core/config/config';

const template = JSON.stringify({
  $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
  contentVersion: '1.0.0.0',
  resources: [
    {
      type: 'Microsoft.Compute/virtualMachines',
      apiVersion: '2023-09-01',
      name: 'vm',
      properties: {
        storageProfile: {
          imageReference: {
            publisher: 'Canonical',
            offer: '0001-com-ubuntu-server-jammy',
            sku: '22_04-lts-gen2',
            version: 'latest',
          },
        },
      },
    },
  ],
});
const host = { readFile: () => undefined, listFolder: () => [] };

/** One memory for every analysis of this file, as the CLI keeps one for a run. */
const checkedImages = new CheckedImages();

function codes(settings: AnalysisSettings): string[] {
  return analyzeDocument('/memo/azuredeploy.json', template, host, { ...settings, checkedImages }).findings.map(
    (finding) => `${finding.code} ${finding.severity}: ${finding.message}`,
  );
}

describe('rule reports kept between analyses', () => {
  const config = emptyConfig();
  const base: AnalysisSettings = { catalog: bundledCatalog, config, asOf: '2026-11-22' };

  it('follows a change of date', () => {
    const before = codes(base);
    assert.ok(
      before.some((line) => line.startsWith('support-ending')),
      before.join('\n'),
    );
    const later = codes({ ...base, asOf: '2027-06-01' });
    assert.ok(
      later.some((line) => line.startsWith('end-of-support')),
      later.join('\n'),
    );
    assert.deepEqual(codes(base), before);
  });

  it('follows a change of configuration, even in a new object equal to the old one', () => {
    const before = codes(base);
    const off: LintConfig = { ...emptyConfig(), rules: { 'support-ending': { level: 'off', options: {} } } };
    assert.ok(!codes({ ...base, config: off }).some((line) => line.startsWith('support-ending')));
    const denied: LintConfig = { ...emptyConfig(), denied: ['Canonical:*'] };
    assert.ok(codes({ ...base, config: denied }).some((line) => line.startsWith('not-allowed')));
    assert.deepEqual(codes({ ...base, config: emptyConfig() }), before);
  });

  it('follows a change of catalog', () => {
    const before = codes(base);
    const withoutDistributions = codes({ ...base, catalog: { ...bundledCatalog, distributions: [] } });
    assert.notDeepEqual(withoutDistributions, before);
    assert.deepEqual(codes(base), before);
  });
});
