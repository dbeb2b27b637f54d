/**
 * The sites kept between reads while typing in images (`keptSites.ts`) are moved only when asked
 * for. Whenever that is, and however many edits came before (past the point where the table moves
 * everything and starts again), a site must be what moving it at every edit would have made.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KeptSites } from '../../../server/out/core/incremental/keptSites';
import type { SiteRecipe } from '../../../server/out/core/arm/templateImageSites';
import { imageLocations } from '../../../server/out/core/imageLocations';
import type { ImageCandidate, ImageSite, ResolvedValue, SourceLocation } from '../../../server/out/core/model';
import { random } from '../harness/random';
import { plainSites } from '../harness/sharedReading';

const file = '/kept/azuredeploy.json';
const parameterFile = '/kept/azuredeploy.parameters.json';
const imageLength = 100;
const sitesCount = 12;

function value(text: string, location: SourceLocation): ResolvedValue {
  return { value: text, definition: { location, kind: 'literal', syntax: 'json', description: 'a literal' } };
}

const at = (where: string, start: number, length = 5): SourceLocation => ({ file: where, range: { start, end: start + length } });

/**
 * Site `index` of a made-up template: its image at `1000 * index`, a SKU written in the image, a
 * publisher written after every image (a variable), an offer in a parameter file, and a version
 * computed (no definition).
 */
function siteAt(index: number): ImageSite {
  const start = 1000 * (index + 1);
  const candidate: ImageCandidate = {
    publisher: value('Canonical', at(file, 100_000 + 10 * index)),
    offer: value('ubuntu-24_04-lts', at(parameterFile, 50 + index)),
    sku: value(`sku-${index}`, at(file, start + 40)),
    version: { value: 'latest' },
  };
  return {
    use: at(file, start, imageLength),
    resourceType: 'Microsoft.Compute/virtualMachines',
    candidates: [candidate],
    unresolved: [],
    custom: false,
  };
}

function recipeAt(index: number): SiteRecipe {
  return { resourceStart: 1000 * (index + 1) - 300, location: imageLocations[0], scopes: [{ deployment: 0 }] };
}

/** What the reader did before `keptSites.ts`: every site moved at every edit. */
function movedAtOnce(site: ImageSite, oldEnd: number, delta: number): ImageSite {
  const range = site.use.range;
  const use = range.start >= oldEnd ? at(file, range.start + delta, range.end - range.start) : site.use;
  const moved = (location: SourceLocation) =>
    location.file === file && location.range.start >= oldEnd
      ? at(file, location.range.start + delta, location.range.end - location.range.start)
      : location;
  const candidates = site.candidates.map((candidate) => {
    const copy: ImageCandidate = {};
    for (const [field, item] of Object.entries(candidate) as [keyof ImageCandidate, ResolvedValue][]) {
      copy[field] = item.definition
        ? { ...item, definition: { ...item.definition, location: moved(item.definition.location) } }
        : item;
    }
    return copy;
  });
  return { use, resourceType: site.resourceType, candidates, unresolved: site.unresolved, custom: site.custom };
}

describe('sites kept while typing in images', () => {
  it('are what moving them at every edit gives, whenever they are asked for', () => {
    const next = random(11);
    const initial = Array.from({ length: sitesCount }, (_unused, index) => siteAt(index));
    let expected = initial;
    let table = KeptSites.of(
      file,
      initial,
      initial.map((_site, index) => recipeAt(index)),
    );
    // Past 256 edits the table moves every site and starts again: 600 edits cross that twice.
    for (let step = 0; step < 600; step++) {
      const index = Math.floor(next() * expected.length);
      const image = expected[index].use.range;
      const start = image.start + 1 + Math.floor(next() * (image.end - image.start - 2));
      const oldEnd = start + (next() < 0.3 ? 1 : 0);
      const inserted = Math.floor(next() * 3);
      const delta = inserted - (oldEnd - start);
      // The site typed in, read again: its image and its own SKU follow the edit.
      const typed = expected[index];
      const reread: ImageSite = {
        ...typed,
        use: at(file, image.start, image.end - image.start + delta),
        candidates: [{ ...typed.candidates[0], sku: value(`typed-${step}`, at(file, image.start + 40)) }],
      };
      expected = expected.map((site, position) => (position === index ? reread : movedAtOnce(site, oldEnd, delta)));
      table = table.withSiteReadAgain(index, reread, recipeAt(index), { start, oldEnd, delta });
      // Asked for now and then, one site or all of them.
      const ask = next();
      if (ask < 0.1) assert.deepEqual(plainSites(table.all()), plainSites(expected), `step ${step}`);
      else if (ask < 0.3) {
        const asked = Math.floor(next() * expected.length);
        assert.deepEqual(plainSites([table.site(asked)]), plainSites([expected[asked]]), `step ${step}, site ${asked}`);
      }
      // Where each image is now, without moving anything.
      const probe = Math.floor(next() * expected.length);
      const use = expected[probe].use.range;
      assert.equal(table.siteWithImage(use.start, use.end), probe, `step ${step}`);
    }
    assert.deepEqual(plainSites(table.all()), plainSites(expected));
  });

  it('moves resources with the text, and forgets a site that is gone', () => {
    const sites = [siteAt(0), siteAt(1), siteAt(2)];
    let table = KeptSites.of(
      file,
      sites,
      sites.map((_site, index) => recipeAt(index)),
    );
    // Three characters typed in the first image: the resources after it move.
    table = table.withSiteReadAgain(0, sites[0], recipeAt(0), { start: 1050, oldEnd: 1050, delta: 3 });
    assert.equal(table.recipe(1)?.resourceStart, 2000 - 300 + 3);
    assert.equal(table.recipe(0)?.resourceStart, 1000 - 300);
    assert.equal(table.siteWithImage(2003, 2103), 1);
    // The second image is no image any more.
    table = table.withSiteReadAgain(1, undefined, undefined, { start: 2049, oldEnd: 2050, delta: -1 });
    assert.equal(table.length, 2);
    assert.equal(table.siteWithImage(3002, 3102), 1);
    assert.equal(table.site(1).candidates[0].sku?.definition?.location.range.start, 3000 + 40 + 2);
    assert.equal(table.site(1).candidates[0].publisher?.definition?.location.range.start, 100_000 + 10 * 2 + 2);
    assert.equal(table.site(1).candidates[0].offer?.definition?.location.range.start, 50 + 2);
  });
});
