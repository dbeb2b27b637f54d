/**
 * The index the language server answers hover and completion with (`indexImageValues`): at every
 * offset of every fixture template, of corpus templates and of a synthetic fleet, `imageValuesAt`
 * over the sites the index gives finds exactly what it finds over all the sites of the read, for
 * the hover (the character under the cursor) and for completion (a cursor inside a literal).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { detectDocumentKind, readDocument } from '../../../server/out/core/analyze';
import { imageValuesAt, indexImageValues } from '../../../server/out/core/hover';
import type { FileHost } from '../../../server/out/core/model';
import { corpusFiles, virtualMachineFleetTemplate } from '../bench/synthesize';
import { caseFiles, caseFolders, corpusRoot, fixturesRoot } from '../harness/fixtures';

const diskHost: FileHost = {
  readFile: (file) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
  listFolder: (folder) => {
    try {
      return fs.readdirSync(folder);
    } catch {
      return [];
    }
  },
};

/** Compares the index with a scan of every site at `offsets` (every offset when not given). */
function assertSameValues(file: string, text: string, offsets?: readonly number[]): number {
  const sites = readDocument(file, text, diskHost, {}).sites;
  const sitesAt = indexImageValues(sites, file);
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
    let templates = 0;
    let found = 0;
    for (const root of ['rules', 'server'].map((name) => path.join(fixturesRoot, name))) {
      const folders = [root, ...caseFolders(root)];
      for (const file of folders.flatMap((folder) => caseFiles(folder))) {
        const text = fs.readFileSync(file, 'utf8');
        if (!['arm-template', 'arm-parameters', 'bicep', 'bicepparam'].includes(detectDocumentKind(file, text))) continue;
        templates++;
        found += assertSameValues(file, text);
      }
    }
    assert.ok(templates > 20 && found > 1000, `${templates} templates, ${found} offsets with values`);
  });

  test('every offset of corpus templates with images', () => {
    const templates = corpusFiles(
      corpusRoot,
      (_file, text) => /imageReference|imageName/i.test(text) && text.length < 60_000,
    ).slice(0, 12);
    assert.equal(templates.length, 12);
    for (const { file, text } of templates) assertSameValues(file, text);
  });

  test('offsets around every value of a 300 KB fleet, where sites share their candidates', () => {
    const file = '/index/fleet/azuredeploy.json';
    const text = virtualMachineFleetTemplate(300_000);
    const offsets: number[] = [];
    for (const match of text.matchAll(/"(sku|offer|publisher|version|defaultValue|imageReference)"/g)) {
      for (let delta = -2; delta < 40; delta += 3) offsets.push(match.index + delta);
    }
    assert.ok(assertSameValues(file, text, offsets) > 1000);
  });
});
