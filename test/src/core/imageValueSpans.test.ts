/**
 * The spans the language server keeps answers over (`imageValueIndex(...).spanAt`): every offset of a span
 * finds, with `imageValuesAt`, exactly what the offset the span was asked at finds, in both modes
 * (the hover's character under the cursor, and a cursor inside a literal). Checked at every
 * offset of every fixture template and of corpus templates, and around every value of a fleet:
 * each offset is compared with both ends of its span, so that the offsets of one span are all
 * compared with the same two.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { readDocument } from '../../../server/out/core/analyze';
import { imageValueIndex, imageValuesAt } from '../../../server/out/core/hover';
import { diskHost } from '../harness/diskHost';
import { fixturesRoot } from '../harness/fixtures';
import { corpusTemplatesWithImages, fixtureTemplates, fleetAroundValues } from '../harness/imageValueInputs';

/** Checks the span of each offset (every offset when not given); returns how many spans hold a value. */
function assertSpans(file: string, text: string, offsets?: readonly number[]): number {
  const sites = readDocument(file, text, diskHost, {}).sites;
  const spanAt = imageValueIndex(sites, file).spanAt;
  let valued = 0;
  for (const offset of offsets ?? Array.from({ length: text.length + 1 }, (_, index) => index)) {
    for (const mode of ['hover', 'inside'] as const) {
      const span = spanAt(offset, mode);
      assert.ok(span.from <= offset && offset < span.to, `${file} at ${offset} (${mode}): ${span.from}-${span.to}`);
      const found = imageValuesAt(sites, file, offset, mode);
      // The ends of the span, as far as they are in the text (a span before the first value or
      // after the last one runs on without end).
      for (const end of [Math.max(span.from, 0), Math.min(span.to - 1, text.length)]) {
        assert.deepEqual(imageValuesAt(sites, file, end, mode), found, `${file} at ${offset} and ${end} (${mode})`);
      }
      if (found) valued++;
    }
  }
  return valued;
}

describe('the spans over which an answer holds', () => {
  test('every offset of every fixture template (ARM and Bicep)', () => {
    const templates = fixtureTemplates();
    let valued = 0;
    for (const { file, text } of templates) valued += assertSpans(file, text);
    assert.ok(templates.length > 20 && valued > 1000, `${templates.length} templates, ${valued} offsets with values`);
  });

  test('every offset of corpus templates with images', () => {
    const templates = corpusTemplatesWithImages();
    assert.equal(templates.length, 12);
    for (const { file, text } of templates) assertSpans(file, text);
  });

  test('offsets around every value of a 300 KB fleet, where sites share their candidates', () => {
    const { file, text, offsets } = fleetAroundValues('/spans/fleet/azuredeploy.json');
    assert.ok(assertSpans(file, text, offsets) > 1000);
  });

  test('a span stops where a value starts or ends, and a value inside another splits it', () => {
    const file = '/spans/one/azuredeploy.json';
    const text = fs.readFileSync(path.join(fixturesRoot, 'server', 'ubuntu1804.json'), 'utf8');
    const spanAt = imageValueIndex(readDocument(file, text, diskHost, {}).sites, file).spanAt;
    const sku = text.indexOf('"18.04-LTS"');
    const skuEnd = sku + '"18.04-LTS"'.length;
    // On the SKU's literal: all of it for the hover, its inside for completion.
    assert.deepEqual(spanAt(sku + 3, 'hover'), { from: sku, to: skuEnd });
    assert.deepEqual(spanAt(sku + 3, 'inside'), { from: sku + 1, to: skuEnd });
    // Between the offer's literal and the SKU's, inside the image object: the gap between them.
    const offerEnd = text.indexOf('"UbuntuServer"') + '"UbuntuServer"'.length;
    assert.deepEqual(spanAt(sku - 2, 'hover'), { from: offerEnd, to: sku });
  });
});
