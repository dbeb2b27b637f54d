/**
 * Fixes that would break other values are not offered (issue 18, item 5). A literal can define the
 * values of several candidates (an offer combined with every allowed SKU, a variable read by two
 * VMs, a template's literal read through a parameter file); a fix of one candidate must leave the
 * others as they were or make them the same target image, and must keep every parameter value
 * one of its allowed values. `fixVerification.test.ts` applies every fix of the fixtures, the
 * examples and the corpus and analyses every file it touches again; these tests pin the details.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { analyzeDocument } from '../../../server/out/core/analyze';
import { applyEdits } from '../harness/fixtures';
import { coreSettings, diskText, MapFileHost, repositoryRoot } from '../fuzz/harness';

const armSchema = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

/** The text after the first fix of the first finding that has one, and that finding's code. */
function firstFixApplied(file: string, text: string): string | undefined {
  const result = analyzeDocument(file, text, new MapFileHost(), coreSettings);
  const fix = result.findings.find((finding) => finding.fixes.length > 0)?.fixes[0];
  return fix && applyEdits(text, fix.edits);
}

describe('fixes that share values', () => {
  test("the example's parameter file, analysed alone, offers no fix that breaks its template's default", () => {
    const file = path.join(repositoryRoot, 'examples', 'arm', 'azuredeploy.parameters.json');
    const result = analyzeDocument(file, fs.readFileSync(file, 'utf8'), new MapFileHost(diskText), coreSettings);
    const finding = result.findings.find((candidate) => candidate.location.file === file);
    assert.ok(finding);
    assert.deepEqual(finding.fixes, []);
    const template = fs.readFileSync(path.join(path.dirname(file), 'azuredeploy.json'), 'utf8');
    const offer = template.indexOf('"UbuntuServer"');
    assert.deepEqual(
      finding.related.slice(1).map((item) => [path.basename(item.location.file), item.location.range.start, item.message]),
      [
        [
          'azuredeploy.json',
          offer,
          `The fix "Switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/server-gen1)" is not offered: the offer 'UbuntuServer' here (literal) is also used by Canonical/UbuntuServer/18.04-LTS, which it would turn into Canonical/ubuntu-24_04-lts/18.04-LTS.`,
        ],
        [
          'azuredeploy.json',
          offer,
          `The fix "Switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/ubuntu-pro-gen1) (changes licensing: free → pay-as-you-go)" is not offered: the offer 'UbuntuServer' here (literal) is also used by Canonical/UbuntuServer/18.04-LTS, which it would turn into Canonical/ubuntu-24_04-lts/18.04-LTS.`,
        ],
      ],
    );
  });

  test('a default fixed to a value its parameter does not allow yet adds it to the list, written as the list is', () => {
    const json = (list: string) =>
      JSON.stringify({
        $schema: armSchema,
        contentVersion: '1.0.0.0',
        parameters: { rhelSku: { type: 'string', defaultValue: '7.9', allowedValues: '@LIST@' } },
        resources: [
          {
            type: 'Microsoft.Compute/virtualMachines',
            apiVersion: '2023-03-01',
            name: 'rhel',
            properties: {
              storageProfile: {
                imageReference: { publisher: 'RedHat', offer: 'RHEL', sku: "[parameters('rhelSku')]", version: 'latest' },
              },
            },
          },
        ],
      }).replace('"@LIST@"', list);
    const fixedList = (text: string) => /"allowedValues":(\[[^\]]*\])/.exec(text)![1];
    assert.equal(
      fixedList(firstFixApplied('/lists/one-line.json', json('["7.9", "8-lvm-gen2"]'))!),
      '["7.9", "8-lvm-gen2", "9-lvm"]',
    );
    assert.equal(
      fixedList(firstFixApplied('/lists/lines.json', json('[\n        "7.9",\n        "8-lvm-gen2"\n      ]'))!),
      '[\n        "7.9",\n        "8-lvm-gen2",\n        "9-lvm"\n      ]',
    );
    const bicep = (list: string) => `@allowed(${list})
param rhelSku string = '7.9'

resource rhel 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: 'rhel'
  properties: { storageProfile: { imageReference: { publisher: 'RedHat', offer: 'RHEL', sku: rhelSku, version: 'latest' } } }
}
`;
    const bicepList = (text: string) => /@allowed\((\[[^\]]*\])\)/.exec(text)![1];
    assert.equal(
      bicepList(firstFixApplied('/lists/one-line.bicep', bicep("['7.9', '8-lvm-gen2']"))!),
      "['7.9', '8-lvm-gen2', '9-lvm']",
    );
    assert.equal(
      bicepList(firstFixApplied('/lists/lines.bicep', bicep("[\n  '7.9'\n  '8-lvm-gen2'\n]"))!),
      "[\n  '7.9'\n  '8-lvm-gen2'\n  '9-lvm'\n]",
    );
    // The default is the only finding with a fix: the allowed value '7.9' stays, the default still takes it.
    const result = analyzeDocument('/lists/one-line.bicep', bicep("['7.9', '8-lvm-gen2']"), new MapFileHost(), coreSettings);
    assert.deepEqual(
      result.findings.map((finding) => [finding.fixes.length, finding.related.map((item) => item.message).slice(1)]),
      [
        [
          0,
          [
            `The fix "Switch to Red Hat Enterprise Linux 9 (RHEL/9-lvm)" is not offered: it replaces the allowed value '7.9' of parameter 'rhelSku', which this default still takes.`,
          ],
        ],
        [1, []],
      ],
    );
  });

  test('a default read by another image is not fixed when that image would become another unknown one', () => {
    // The second VM reads the same SKU parameter with another offer: 7.9 is no RHEL 9 there.
    const text = `@allowed(['7.9', '8-lvm-gen2'])
param rhelSku string = '7.9'

resource rhel 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: 'rhel'
  properties: { storageProfile: { imageReference: { publisher: 'RedHat', offer: 'RHEL', sku: rhelSku, version: 'latest' } } }
}

resource other 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: 'other'
  properties: { storageProfile: { imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: rhelSku, version: 'latest' } } }
}
`;
    const result = analyzeDocument('/lists/other.bicep', text, new MapFileHost(), coreSettings);
    const atDefault = result.findings.filter(
      (finding) => finding.code === 'end-of-support' && text.slice(finding.location.range.start).startsWith("'7.9'\n"),
    );
    assert.equal(atDefault.length, 1);
    assert.deepEqual(atDefault[0].fixes, []);
    assert.deepEqual(
      atDefault[0].related.slice(1).map((item) => [item.location.range.start, item.message]),
      [
        [
          text.indexOf("'7.9'\n"),
          `The fix "Switch to Red Hat Enterprise Linux 9 (RHEL/9-lvm)" is not offered: the sku '7.9' here (parameter 'rhelSku') is also used by Canonical/UbuntuServer/7.9, which it would turn into Canonical/UbuntuServer/9-lvm.`,
        ],
      ],
    );
  });
});
