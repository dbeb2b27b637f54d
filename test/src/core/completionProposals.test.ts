/**
 * The catalog's completion proposals made once per catalog and day (`ImageProposals`) and the
 * server's way of completing from a worker's answer (`completionQuery` with what the sites said,
 * `completionsOfQuery`): at every offset of every fixture template where the cursor is on a
 * value, proposals from one instance kept across all of them are exactly those made afresh, and
 * what the sites say at the start of an offset's span completes that offset exactly as what they
 * say at the offset itself.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { detectDocumentKind, readDocument } from '../../../server/out/core/analyze';
import { bundledCatalog } from '../../../server/out/core/catalog/bundledCatalog';
import {
  completesAt,
  completionQuery,
  completionsOfQuery,
  completionsOfSites,
  completionSitesAt,
  ImageProposals,
} from '../../../server/out/core/completion';
import { imageValueIndex } from '../../../server/out/core/hover';
import { caseFiles, caseFolders, fixturesRoot } from '../harness/fixtures';
import { diskHost } from '../harness/diskHost';

const settings = { catalog: bundledCatalog, asOf: '2026-12-07' };

function fixtureTemplates(): { file: string; text: string }[] {
  const templates: { file: string; text: string }[] = [];
  for (const root of ['rules', 'server'].map((name) => path.join(fixturesRoot, name))) {
    for (const file of [root, ...caseFolders(root)].flatMap((folder) => caseFiles(folder))) {
      const text = fs.readFileSync(file, 'utf8');
      if (['arm-template', 'arm-parameters', 'bicep', 'bicepparam'].includes(detectDocumentKind(file, text)))
        templates.push({ file, text });
    }
  }
  return templates;
}

describe('completion from proposals made once', () => {
  const templates = fixtureTemplates();

  test('proposals kept across documents and offsets are those made afresh', () => {
    const kept = new ImageProposals(bundledCatalog, settings.asOf);
    let completed = 0;
    for (const { file, text } of templates) {
      const sites = readDocument(file, text, diskHost, {}).sites;
      for (let offset = 0; offset <= text.length; offset++) {
        if (!completesAt(file, text, offset)) continue;
        const fresh = completionsOfSites(file, text, offset, () => sites, settings);
        assert.deepEqual(
          completionsOfSites(file, text, offset, () => sites, settings, kept),
          fresh,
          `${file} at ${offset}`,
        );
        if (fresh.length > 0) completed++;
      }
    }
    assert.ok(templates.length > 20 && completed > 500, `${templates.length} templates, ${completed} offsets completed`);
  });

  test('what the sites say at the start of a span completes every offset of it', () => {
    const proposals = new ImageProposals(bundledCatalog, settings.asOf);
    for (const { file, text } of templates) {
      const sites = readDocument(file, text, diskHost, {}).sites;
      const spanAt = imageValueIndex(sites, file).spanAt;
      for (let offset = 0; offset <= text.length; offset++) {
        if (!completesAt(file, text, offset)) continue;
        const from = Math.max(spanAt(offset, 'inside').from, 0);
        const query = completionQuery(file, text, offset, () => completionSitesAt(sites, file, from));
        const expected = completionsOfSites(file, text, offset, () => sites, settings, proposals);
        assert.deepEqual(query ? completionsOfQuery(query, proposals) : [], expected, `${file} at ${offset} from ${from}`);
      }
    }
  });

  test('proposals are made for their day: a kept list is not another day’s', () => {
    const file = path.join(fixturesRoot, 'server', 'ubuntu1804.json');
    const text = fs.readFileSync(file, 'utf8');
    const sites = readDocument(file, text, diskHost, {}).sites;
    const offset = text.indexOf('"18.04-LTS"') + 2;
    const early = new ImageProposals(bundledCatalog, '2020-01-01');
    const late = new ImageProposals(bundledCatalog, '2026-12-07');
    const before = completionsOfSites(file, text, offset, () => sites, settings, early).find(
      (item) => item.label === '18.04-LTS',
    );
    const after = completionsOfSites(file, text, offset, () => sites, settings, late).find((item) => item.label === '18.04-LTS');
    assert.equal(before?.deprecated, false);
    assert.equal(after?.deprecated, true);
  });
});
