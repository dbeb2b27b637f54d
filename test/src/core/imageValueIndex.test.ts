/**
 * The index the language server answers hover and completion with (`imageValueIndex(...).sitesAt`): at every
 * offset of every fixture template, of corpus templates and of a synthetic fleet, `imageValuesAt`
 * over the sites the index gives finds exactly what it finds over all the sites of the read, for
 * the hover (the character under the cursor) and for completion (a cursor inside a literal).
 */
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readDocument } from '../../../server/out/core/analyze';
import { imageValueIndex, imageValuesAt } from '../../../server/out/core/hover';
import { diskHost } from '../harness/diskHost';
import { corpusTemplatesWithImages, fixtureTemplates, fleetAroundValues } from '../harness/imageValueInputs';

/** Compares the index with a scan of every site at `offsets` (every offset when not given). */
function assertSameValues(file: string, text: string, offsets?: readonly number[]): number {
  const sites = readDocument(file, text, diskHost, {}).sites;
  const sitesAt = imageValueIndex(sites, file).sitesAt;
  let found = 0;
  for (const offset of offsets ?? Array.from({ length: text.length + 1 }, (_, index) => index)) {
    const near = sitesAt(offset);
    for (const mode of ['hover', 'inside'] as const) {
      const all = imageValuesAt(sites, file, offset, mode);
      assert.deepEqual(imageValuesAt(near, file, offset, mode), all, `${file} at ${offset} (${mode})`);
      if (all) found++;
    }
  }
  return found;
}

describe('the index of image values by offset', () => {
  test('every offset of every fixture template (ARM and Bicep)', () => {
    const templates = fixtureTemplates();
    let found = 0;
    for (const { file, text } of templates) found += assertSameValues(file, text);
    assert.ok(templates.length > 20 && found > 1000, `${templates.length} templates, ${found} offsets with values`);
  });

  test('every offset of corpus templates with images', () => {
    const templates = corpusTemplatesWithImages();
    assert.equal(templates.length, 12);
    for (const { file, text } of templates) assertSameValues(file, text);
  });

  test('offsets around every value of a 300 KB fleet, where sites share their candidates', () => {
    const { file, text, offsets } = fleetAroundValues('/index/fleet/azuredeploy.json');
    assert.ok(assertSameValues(file, text, offsets) > 1000);
  });
});
