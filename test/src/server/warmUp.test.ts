/**
 * The worker's warm-up (`warmUp.ts`) is only worth its time if it runs the paths an editor's
 * keystrokes take: its template must read without problems into many sites, its typing in an
 * image must be read again site by site, and its typing in declarations must reuse remembered
 * images. And it must stop when its time is up.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeDocument } from '../../../server/out/core/analyze';
import { bundledCatalog } from '../../../server/out/core/catalog/bundledCatalog';
import { emptyConfig } from '../../../server/out/core/config/config';
import { emptyFileHost } from '../../../server/out/core/model';
import { warmUpAnalyses, warmUpTemplate } from '../../../server/out/server/warmUp';

describe('the analysis worker warm-up', () => {
  it('reads a template of more than 64 KB with every way of writing an image, without problems', () => {
    const text = warmUpTemplate(14);
    assert.ok(text.length > 65_536, `${text.length} characters`);
    const result = analyzeDocument('/warm-up/azuredeploy.json', text, emptyFileHost, {
      catalog: bundledCatalog,
      config: emptyConfig(),
      asOf: '2026-11-23',
    });
    assert.equal(result.kind, 'arm-template');
    assert.deepEqual(result.problems, []);
    // Per group: a literal image, a copy loop over a variable, parameters, a scale set indexing a
    // variable by a parameter, and a nested deployment's VM (inner and outer scopes in turn).
    assert.equal(result.sites.length, 14 * 5);
    assert.ok(result.findings.length > 0);
  });

  it('types in an image (read again alone) and in declarations (images recalled)', () => {
    const warmUp = warmUpAnalyses(60_000);
    assert.equal(warmUp.analyses, 21);
    assert.equal(warmUp.siteReads, 12);
    assert.ok(warmUp.recalls > 0, `${warmUp.recalls} recalls`);
  });

  it('stops once its time is up', () => {
    let clock = 0;
    // Each reading of the clock is 10 ms later: the budget of 35 ms allows the first analysis and three more.
    const warmUp = warmUpAnalyses(35, () => (clock += 10));
    assert.equal(warmUp.analyses, 4);
    assert.equal(warmUpAnalyses(0).analyses, 1);
  });
});
