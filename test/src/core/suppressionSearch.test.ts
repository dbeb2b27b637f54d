/**
 * Whether a document may hold a suppression comment decides whether its text is searched line by
 * line for one and whether the server may move its diagnostics across an edit. A JSON template's
 * only directive is the whole `azure-image-lint-disable-next-line` in a comment, so the shorter
 * words Bicep's directives end in do not count there; in Bicep they do.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeDocument } from '../../../server/out/core/analyze';
import { documentMayHoldSuppression, mayHoldSuppressionAfterEdit } from '../../../server/out/core/suppressions';
import { memoryHost } from '../arm/armTestSupport';
import { sharedSettings } from '../harness/sharedReading';

function template(tag: string, comment: string): string {
  return [
    '{',
    '  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",',
    '  "contentVersion": "1.0.0.0",',
    '  "resources": [',
    '    {',
    '      "type": "Microsoft.Compute/virtualMachines",',
    '      "apiVersion": "2023-03-01",',
    '      "name": "vm",',
    `      "tags": { "note": "${tag}" },`,
    '      "properties": {',
    '        "storageProfile": {',
    `          ${comment}`,
    '          "imageReference": { "publisher": "Canonical", "offer": "UbuntuServer", "sku": "18.04-LTS", "version": "latest" }',
    '        }',
    '      }',
    '    }',
    '  ]',
    '}',
  ].join('\n');
}

describe('suppression search', () => {
  it('looks for the whole JSON marker in a JSON file, and for every directive word in Bicep', () => {
    assert.equal(documentMayHoldSuppression('a.json', '{ "note": "disable-next-line disable-diagnostics" }'), false);
    assert.equal(documentMayHoldSuppression('a.json', '// azure-image-lint-disable-next-line\n{}'), true);
    assert.equal(documentMayHoldSuppression('a.bicep', '#disable-next-line end-of-support\n'), true);
    assert.equal(documentMayHoldSuppression('a.bicepparam', '#disable-diagnostics\n'), true);
    assert.equal(documentMayHoldSuppression('a.bicep', 'param a string\n'), false);
  });

  it('finds the JSON marker completed by an edit at either end of it', () => {
    const marker = 'azure-image-lint-disable-next-line';
    const text = `{ "a": "x" } // ${marker}`;
    const start = text.indexOf(marker);
    // The last character typed, and the first.
    assert.equal(mayHoldSuppressionAfterEdit(text, start + marker.length - 1, start + marker.length), true);
    assert.equal(mayHoldSuppressionAfterEdit(text, start, start + 1), true);
  });

  it('reads a template whose strings hold the short words as one without them, and still honours the marker', () => {
    const host = memoryHost({});
    const file = '/suppression/azuredeploy.json';
    const plain = analyzeDocument(file, template('nothing', ''), host, sharedSettings);
    const words = analyzeDocument(file, template('disable-next-line end-of-support', ''), host, sharedSettings);
    assert.ok(plain.findings.length > 0);
    assert.deepEqual(
      words.findings.map((finding) => finding.code),
      plain.findings.map((finding) => finding.code),
    );
    // No comment can suppress anything in it: the server may move its diagnostics across edits.
    assert.notEqual(words.entryTrace, undefined);
    const suppressed = analyzeDocument(
      file,
      template('nothing', '// azure-image-lint-disable-next-line end-of-support'),
      host,
      sharedSettings,
    );
    assert.equal(
      suppressed.findings.some((finding) => finding.code === 'end-of-support'),
      false,
    );
    assert.ok(plain.findings.some((finding) => finding.code === 'end-of-support'));
    assert.equal(suppressed.entryTrace, undefined);
  });
});
