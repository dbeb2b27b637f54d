/**
 * A value past a limit is unknown, never wrong and never silently cut. A chain of arrays that
 * doubles must not lose the other images of its file; `last()` and `length()` of a long array
 * must see all of it; and a list of combinations cut at `maximumAlternatives` must leave the
 * image's fields unresolved, so the inventory says the analysis did not see everything.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { analyzeDocument } from '../../../server/out/core/analyze';
import { limitAlternatives, type Abstract } from '../../../server/out/core/arm/abstractValue';
import { maximumAlternatives } from '../../../server/out/core/values';
import { coreSettings, fixturesRoot, MapFileHost } from '../fuzz/harness';

const armSchema = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

function analyse(file: string, text: string) {
  return analyzeDocument(file, text, new MapFileHost(), coreSettings);
}

function armTemplate(variables: Record<string, unknown>, parameters: Record<string, unknown>, images: unknown[]): string {
  return JSON.stringify({
    $schema: armSchema,
    contentVersion: '1.0.0.0',
    parameters,
    variables,
    resources: images.map((image, index) => ({
      type: 'Microsoft.Compute/virtualMachines',
      apiVersion: '2023-03-01',
      name: `vm${index}`,
      properties: { storageProfile: { imageReference: image } },
    })),
  });
}

function bicepVm(image: string): string {
  return `resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: 'vm'
  location: 'westeurope'
  properties: { storageProfile: { imageReference: ${image} } }
}
`;
}

const summary = (result: ReturnType<typeof analyse>) => ({
  findings: result.findings.map((finding) => `${finding.code}: ${finding.image.offer}/${finding.image.sku}`),
  problems: result.problems.map((problem) => problem.message),
});

describe('values past a limit are unknown, not wrong', () => {
  for (const name of ['arm-list-doubling-chain.json', 'bicep-spread-doubling-chain.bicep']) {
    test(`${name}: the doubling chain is unknown and the Ubuntu 18.04 VM beside it is reported`, () => {
      const file = path.join(fixturesRoot, 'regressions', name);
      const result = analyse(file, fs.readFileSync(file, 'utf8'));
      const expected = [
        'end-of-support: UbuntuServer/16.04-LTS',
        'end-of-support: UbuntuServer/18.04-LTS',
        ...(name.endsWith('.json') ? ['end-of-support: UbuntuServer/18.04-LTS'] : []),
      ];
      assert.deepEqual({ ...summary(result), findings: summary(result).findings.sort() }, { findings: expected, problems: [] });
    });
  }

  test('ARM: last() and length() of a concatenated 300-item array see all 300 items', () => {
    const skus = Array.from({ length: 300 }, (_, index) => `s${index}`);
    const text = armTemplate({ skus }, {}, [
      { publisher: 'Canonical', offer: 'UbuntuServer', sku: "[last(concat(variables('skus'), createArray()))]" },
      {
        publisher: 'Canonical',
        offer: 'UbuntuServer',
        sku: "[if(equals(length(concat(variables('skus'), createArray())), 300), '18.04-LTS', 'wrong')]",
      },
    ]);
    const result = analyse('/templates/last.json', text);
    assert.deepEqual(
      result.sites.map((site) => [site.candidates.map((candidate) => candidate.sku?.value), site.unresolved]),
      [
        [['s299'], []],
        [['18.04-LTS'], []],
      ],
    );
  });

  test('ARM: an array concatenated past the length limit has an unknown last item and length', () => {
    const items = Array.from({ length: 6_000 }, (_, index) => `s${index}`);
    const text = armTemplate({ items }, {}, [
      { publisher: 'Canonical', offer: 'UbuntuServer', sku: "[last(concat(variables('items'), variables('items')))]" },
    ]);
    const result = analyse('/templates/long.json', text);
    assert.deepEqual(
      result.sites.map((site) => site.unresolved),
      [['sku']],
    );
  });

  const offers = [...Array.from({ length: 19 }, (_, index) => `offer${index}`), 'UbuntuServer'];
  const skus = [...Array.from({ length: 19 }, (_, index) => `sku${index}`), '18.04-LTS'];

  test('ARM: 20 × 20 allowed values, more combinations than the cap: the image is marked unresolved', () => {
    const text = armTemplate(
      {},
      {
        offer: { type: 'string', defaultValue: 'offer0', allowedValues: offers },
        sku: { type: 'string', defaultValue: 'sku0', allowedValues: skus },
      },
      [{ publisher: 'Canonical', offer: "[parameters('offer')]", sku: "[parameters('sku')]", version: 'latest' }],
    );
    const [site] = analyse('/templates/grid.json', text).sites;
    assert.ok(site.candidates.length <= 256);
    assert.deepEqual(site.unresolved, ['publisher', 'offer', 'sku', 'version']);
  });

  test('Bicep: 20 × 20 allowed values, more combinations than the cap: the image is marked unresolved', () => {
    const list = (values: string[]) => `[${values.map((value) => `'${value}'`).join(', ')}]`;
    const text = `@allowed(${list(offers)})
param offer string = 'offer0'
@allowed(${list(skus)})
param sku string = 'sku0'
${bicepVm("{ publisher: 'Canonical', offer: offer, sku: sku, version: 'latest' }")}`;
    const [site] = analyse('/templates/grid.bicep', text).sites;
    assert.ok(site.candidates.length <= 256);
    assert.deepEqual(site.unresolved, ['publisher', 'offer', 'sku', 'version']);
  });

  test('ARM: exactly the cap of alternatives and then unknown keeps the unknown', () => {
    // The unknown came past the cap, was counted as seen first, and the cut list passed for
    // complete: nine bool parameters choosing the letters of a SKU (512 texts) found it.
    const texts: Abstract[] = Array.from({ length: maximumAlternatives }, (_, index) => ({ kind: 'string', value: `v${index}` }));
    const limited = limitAlternatives([...texts, { kind: 'unknown' }]);
    assert.equal(limited.length, maximumAlternatives);
    assert.equal(limited[limited.length - 1].kind, 'unknown');
  });
});
