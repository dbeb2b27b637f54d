/**
 * The catalog against real Marketplace images: `test/fixtures/catalog/real-urns.json` holds 509
 * real publisher:offer:SKU names, each with where it was seen, the identity a reader of the vendor's
 * naming should derive (distribution, release, architecture, generation, licensing, variant) and
 * the verdict as of a fixed date, with the support end it comes from. Most SKUs are not listed by
 * name in the catalog: they are recognised by its naming rules. Every row must come out right.
 * `normalised` on a row says where the expectation was written in the catalog's vocabulary (LVM as
 * RHEL's default layout, Flatcar channels as the `container` variant...).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundledCatalog } from '../../../server/out/core/catalog/bundledCatalog';
import { matchImage } from '../../../server/out/core/catalog/matchImage';
import { allRules } from '../../../server/out/core/rules/index';
import type { ImageNames } from '../../../server/out/core/model';

interface RealImage {
  urn: string;
  source: string;
  distribution: string;
  version: string;
  architecture?: string;
  generation?: string;
  licensing?: string;
  variant?: string;
  verdict: string[];
}

const rows: RealImage[] = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../../test/fixtures/catalog/real-urns.json'), 'utf8'),
) as RealImage[];
const asOf = '2026-12-07';
const judged = new Set(['end-of-support', 'support-ending', 'not-endorsed', 'unknown-image']);

/** The codes of the lifecycle and endorsement rules for one image, sorted. */
function verdictOf(names: ImageNames): string[] {
  const match = matchImage(bundledCatalog, names);
  const codes: string[] = [];
  for (const rule of allRules) {
    if (!judged.has(rule.code)) continue;
    const options = Object.fromEntries(Object.entries(rule.options).map(([name, option]) => [name, option.default]));
    const policy = { allowed: [], denied: [], source: '' };
    for (const _report of rule.check({ catalog: bundledCatalog, asOf, options, policy, names, match })) codes.push(rule.code);
  }
  return codes.sort();
}

/** What the catalog says an image is, in the table's terms. */
function identityOf(names: ImageNames): Record<string, string> | undefined {
  const match = matchImage(bundledCatalog, names);
  if (match.kind !== 'image') return undefined;
  const { entry } = match;
  const number = /\d.*$/.exec(entry.version.id)?.[0];
  return {
    distribution: entry.distribution.id,
    // The release the name writes (9.4), else the version's number (9), else a rolling stream.
    version: entry.recognition?.release ?? number ?? 'rolling',
    architecture: entry.image.architecture,
    generation: entry.image.generation,
    licensing: entry.image.licensing,
    variant: entry.image.variant,
  };
}

describe('real Marketplace images', () => {
  it('has at least 200 rows, each with a source', () => {
    assert.ok(rows.length >= 200, `${rows.length} rows`);
    for (const row of rows) assert.ok(row.source.length > 10, row.urn);
  });

  it('recognises unlisted SKUs: most rows are not listed by name', () => {
    const recognised = rows.filter((row) => {
      const [publisher, offer, sku] = row.urn.split(':');
      const match = matchImage(bundledCatalog, { publisher, offer, sku });
      return match.kind === 'image' && match.entry.recognition !== undefined;
    });
    assert.ok(recognised.length >= 150, `${recognised.length} rows recognised by naming rules`);
  });

  it('gives every row its verdict as of the date', () => {
    const wrong: string[] = [];
    for (const row of rows) {
      const [publisher, offer, sku] = row.urn.split(':');
      const got = verdictOf({ publisher, offer, sku, version: 'latest' });
      const want = [...row.verdict].sort();
      if (got.join() !== want.join()) wrong.push(`${row.urn}: [${got.join(', ')}], expected [${want.join(', ')}]`);
    }
    assert.deepEqual(wrong, []);
  });

  it('derives every Linux row’s identity', () => {
    const wrong: string[] = [];
    for (const row of rows) {
      if (row.distribution === 'windows') continue;
      const [publisher, offer, sku] = row.urn.split(':');
      const identity = identityOf({ publisher, offer, sku });
      if (!identity) {
        wrong.push(`${row.urn}: not recognised`);
        continue;
      }
      for (const key of ['distribution', 'architecture', 'generation', 'licensing', 'variant'] as const) {
        const expected = row[key];
        if (expected !== undefined && identity[key] !== expected)
          wrong.push(`${row.urn}: ${key} ${identity[key]}, expected ${expected}`);
      }
      // A SKU that names a minor release keeps it (9.4); one that names only the major gives it.
      const version = identity.version;
      const fits = version === row.version || row.version.startsWith(`${version}.`) || row.version.startsWith(`${version}-`);
      if (!fits) wrong.push(`${row.urn}: release ${version}, expected ${row.version}`);
    }
    assert.deepEqual(wrong, []);
  });
});
