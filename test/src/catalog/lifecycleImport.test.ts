/**
 * The lifecycle import (`npm run catalog:import-lifecycle`): the reader of the vendored
 * endoflife.date files, the mapping of catalog versions to release cycles, the edit the importer
 * makes (on a small catalog written here), and the bundled catalog against the vendored data:
 * every mapped date agrees unless the catalog says why not, and every version is mapped or excused.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Catalog } from '../../../server/out/core/catalog/catalogTypes';
import { endoflifeFolder, parseReleases, readProduct } from '../tools/lifecycle/endoflifeData';
import { applyImport, catalogText, differences, importedDates, type ImportedDate } from '../tools/lifecycle/lifecycleImport';
import {
  coveredDistributions,
  importSource,
  mappedCycles,
  productFields,
  unmappedDistributions,
  unmappedVersions,
} from '../tools/lifecycle/lifecycleMapping';

function errorMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
}

describe('parseReleases', () => {
  it('reads the releases list: quoted and plain values, booleans, null and comments', () => {
    const text = [
      '---',
      'title: Demo',
      'eolColumn: Security',
      '',
      'releases:',
      '  - releaseCycle: "2"',
      '    releaseDate: 2024-01-02 # the day of the announcement',
      '    eol: false',
      '    link: https://example.com/notes#two',
      "    label: 'Demo''s second'",
      '    ',
      '  - releaseCycle: "1"',
      '    lts: true',
      '    link: null',
      '---',
      '',
      '> Demo is a distribution.',
    ].join('\n');
    assert.deepEqual(parseReleases(text, 'demo.md'), [
      { releaseCycle: '2', releaseDate: '2024-01-02', eol: false, link: 'https://example.com/notes#two', label: "Demo's second" },
      { releaseCycle: '1', lts: true, link: null },
    ]);
  });

  it('stops with the file and line at anything it does not read', () => {
    const releases = (...lines: string[]) => ['---', 'releases:', ...lines, '---'].join('\n');
    assert.equal(
      errorMessage(() => parseReleases(releases('  - releaseCycle: "1"', '    tags:', '      - a'), 'demo.md')),
      'demo.md:4: a field without a value (nested maps and lists are not read)',
    );
    assert.equal(
      errorMessage(() =>
        parseReleases(releases('  - releaseCycle: "1"', '    eol: 2020-01-01', '    eol: 2021-01-01'), 'demo.md'),
      ),
      'demo.md:5: "eol" is given twice in one entry',
    );
    assert.equal(
      errorMessage(() => parseReleases(releases('  - releaseCycle: "1"', '     eol: 2020-01-01'), 'demo.md')),
      'demo.md:4: not an entry of the releases list this reader understands: "     eol: 2020-01-01"',
    );
    assert.equal(
      errorMessage(() => parseReleases(releases('  - releaseCycle: &anchor "1"'), 'demo.md')),
      'demo.md:3: YAML syntax this reader does not understand: &anchor "1"',
    );
    assert.equal(
      errorMessage(() => parseReleases('title: Demo\n', 'demo.md')),
      'demo.md:1: expected YAML front matter starting with "---"',
    );
    assert.equal(
      errorMessage(() => parseReleases('---\ntitle: Demo\n---\n', 'demo.md')),
      'demo.md:1: the front matter has no "releases:" list',
    );
  });
});

describe('vendored endoflife.date data', () => {
  const productFiles = fs.readdirSync(path.join(endoflifeFolder, 'products')).sort();

  it('holds exactly the product files the mapping reads, each with dated release cycles', () => {
    assert.deepEqual(
      productFiles,
      Object.keys(mappedCycles)
        .map((product) => `${product}.md`)
        .sort(),
    );
    for (const file of productFiles) {
      const releases = readProduct(path.basename(file, '.md'));
      const cycles = releases.map((release) => release.releaseCycle);
      assert.ok(
        cycles.every((cycle) => typeof cycle === 'string'),
        `${file}: a release without a releaseCycle text`,
      );
      assert.equal(new Set(cycles).size, cycles.length, `${file}: a release cycle is listed twice`);
    }
  });

  it('names the commit the import source names, with its licence', () => {
    const readme = fs.readFileSync(path.join(endoflifeFolder, 'README.md'), 'utf8');
    assert.ok(readme.includes(importSource.commit), 'README.md names another commit than lifecycleMapping.ts');
    assert.ok(readme.includes(importSource.date));
    assert.match(fs.readFileSync(path.join(endoflifeFolder, 'LICENSE'), 'utf8'), /^Copyright 2020 endoflife\.date contributors/);
  });

  it('gives each mapped version the fields its product uses', () => {
    const dates = importedDates();
    const find = (versionId: string, field: string) => dates.find((date) => date.versionId === versionId && date.field === field);
    // Ubuntu: eol is standard support, eoes is Ubuntu Pro (ESM).
    assert.deepEqual(find('ubuntu-20.04', 'standardSupportEnds'), {
      versionId: 'ubuntu-20.04',
      field: 'standardSupportEnds',
      origin: 'ubuntu 20.04 eol',
      date: '2025-05-31',
    });
    assert.equal(find('ubuntu-20.04', 'extendedSupport')?.origin, 'ubuntu 20.04 eoes');
    // AlmaLinux: active support is standard support, security support until eol the extended one.
    assert.equal(find('almalinux-9', 'standardSupportEnds')?.date, '2027-05-31');
    assert.equal(find('almalinux-9', 'extendedSupport')?.date, '2032-05-31');
    // Oracle Linux 10: `eol: false`, not announced yet.
    assert.equal(find('oracle-10', 'standardSupportEnds')?.date, undefined);
    assert.equal(find('oracle-10', 'released')?.date, '2025-06-26');
    // Products without extended support give none.
    assert.equal(find('centos-7', 'extendedSupport'), undefined);
    assert.equal(productFields.centos.extendedSupportEnds, undefined);
  });
});

/** A catalog with the three situations the importer meets: stale, missing and overridden facts. */
function demoCatalog(): Catalog {
  return {
    asOf: '2026-11-22',
    sources: {
      S1: { title: 'Vendor page', url: 'https://example.com/lifecycle', date: '2026-01' },
      S22: { title: 'endoflife.date', reference: 'endoflife-date/endoflife.date@a70eca3 products/demo.md', date: '2026-08-22' },
      S49: {
        title: 'endoflife.date, older',
        reference: 'endoflife-date/endoflife.date@01af712 products/demo.md',
        date: '2026-01',
      },
    },
    distributions: [
      {
        id: 'demo',
        name: 'Demo Linux',
        vendor: 'Demo',
        publishers: ['Demo'],
        endorsed: { value: true, sources: ['S1'] },
        kernel: { tuned: true, name: 'demo-azure', sources: ['S1'] },
        versions: [
          {
            id: 'demo-1',
            name: 'Demo 1',
            standardSupportEnds: { date: '2020-01', sources: ['S49', 'S1'] },
            extendedSupport: { name: 'Demo LTS', ends: '2022-01-31', sources: ['S22'] },
            images: [],
          },
          {
            id: 'demo-2',
            name: 'Demo 2',
            released: { date: '2021-05-01', sources: ['S22'] },
            standardSupportEnds: { date: '2030-12', sources: ['S1'], importOverride: 'The vendor page is more precise.' },
            images: [],
          },
        ],
      },
    ],
    otherPublishers: [],
  };
}

const demoDates: ImportedDate[] = [
  { versionId: 'demo-1', field: 'released', origin: 'demo 1 releaseDate', date: '2019-01-15' },
  { versionId: 'demo-1', field: 'standardSupportEnds', origin: 'demo 1 eol', date: '2020-01-31' },
  { versionId: 'demo-1', field: 'extendedSupport', origin: 'demo 1 eoes', date: '2022-01-31' },
  { versionId: 'demo-2', field: 'released', origin: 'demo 2 releaseDate', date: '2021-05-01' },
  { versionId: 'demo-2', field: 'standardSupportEnds', origin: 'demo 2 eol', date: '2030-06-30' },
  { versionId: 'demo-2', field: 'extendedSupport', origin: 'demo 2 eoes', date: '2033-06-30' },
];

describe('applyImport', () => {
  it('sets stale dates, adds missing ones in their place, cites the import source and leaves overrides alone', () => {
    const catalog = demoCatalog();
    assert.deepEqual(
      differences(catalog, demoDates).map((difference) => [difference.versionId, difference.field, difference.catalogDate]),
      [
        ['demo-1', 'released', undefined],
        ['demo-1', 'standardSupportEnds', '2020-01'],
        ['demo-2', 'standardSupportEnds', '2030-12'],
        ['demo-2', 'extendedSupport', undefined],
      ],
    );
    const result = applyImport(catalog, demoDates);
    assert.deepEqual(result, {
      changes: [
        'demo-1 released: added 2019-01-15 (demo 1 releaseDate)',
        'demo-1 standardSupportEnds.date: 2020-01 → 2020-01-31 (demo 1 eol)',
        'demo-1 standardSupportEnds.sources: [S49, S1] → [S22, S1]',
      ],
      overridden: ['demo-2 standardSupportEnds: kept 2030-12 (demo 2 eol: 2030-06-30): The vendor page is more precise.'],
      unsettled: ['demo-2 extendedSupport: demo 2 eoes is 2033-06-30, but the catalog has no extended support to date'],
    });
    const [first, second] = catalog.distributions[0].versions;
    assert.deepEqual(Object.keys(first), ['id', 'name', 'released', 'standardSupportEnds', 'extendedSupport', 'images']);
    assert.deepEqual(first.released, { date: '2019-01-15', sources: ['S22'] });
    assert.deepEqual(first.standardSupportEnds, { date: '2020-01-31', sources: ['S22', 'S1'] });
    assert.deepEqual(second, demoCatalog().distributions[0].versions[1]);

    // A second run finds nothing to change.
    const text = catalogText(catalog);
    assert.deepEqual(applyImport(catalog, demoDates).changes, []);
    assert.equal(catalogText(catalog), text);
  });

  it('adds the import source when it is missing, and refuses one that names another commit', () => {
    const catalog = demoCatalog();
    delete (catalog.sources as Record<string, unknown>).S22;
    assert.equal(applyImport(catalog, demoDates).changes[0], 'sources: added S22 (endoflife-date/endoflife.date@a70eca3)');
    assert.equal(catalog.sources.S22.date, '2026-08-22');

    const other = demoCatalog();
    other.sources.S22.reference = 'endoflife-date/endoflife.date@0123456 products/demo.md';
    assert.equal(
      errorMessage(() => applyImport(other, demoDates)),
      'source S22 must name endoflife-date/endoflife.date@a70eca3 and the date 2026-08-22, the vendored data',
    );
    assert.deepEqual(other.distributions, demoCatalog().distributions, 'nothing is changed before the check');
  });

  it('refuses a mapping that names a version the catalog does not have', () => {
    const catalog = demoCatalog();
    const dates: ImportedDate[] = [
      ...demoDates,
      { versionId: 'demo-9', field: 'released', origin: 'demo 9', date: '2029-01-01' },
    ];
    assert.equal(
      errorMessage(() => applyImport(catalog, dates)),
      'the mapping names demo-9, which is not a catalog version',
    );
    assert.deepEqual(catalog, demoCatalog());
  });
});

describe('the bundled catalog and the vendored endoflife.date data', () => {
  const catalogFile = path.resolve(__dirname, '../../../server/src/core/catalog/data/catalog.json');
  const text = fs.readFileSync(catalogFile, 'utf8');
  const catalog = JSON.parse(text) as Catalog;
  const dates = importedDates();
  const howToSettle = 'run npm run catalog:import-lifecycle, or give the fact an importOverride that says why it differs';

  it('agree on every mapped date, unless the catalog says why it differs', () => {
    const disagreements = differences(catalog, dates)
      .filter((difference) => difference.importOverride === undefined)
      .map(
        (difference) =>
          `${difference.versionId} ${difference.field}: the catalog has ${difference.catalogDate ?? 'no date'}, ` +
          `${difference.origin} is ${difference.date ?? 'not given'}`,
      );
    assert.deepEqual(disagreements, [], howToSettle);
  });

  it('carries importOverride only on mapped facts that differ from the data', () => {
    const differing = new Set(differences(catalog, dates).map((difference) => `${difference.versionId} ${difference.field}`));
    const mapped = new Set(dates.map((date) => `${date.versionId} ${date.field}`));
    const stale: string[] = [];
    for (const distribution of catalog.distributions) {
      for (const version of distribution.versions) {
        const facts = {
          released: version.released,
          standardSupportEnds: version.standardSupportEnds,
          extendedSupport: version.extendedSupport,
        };
        for (const [field, fact] of Object.entries(facts)) {
          const key = `${version.id} ${field}`;
          if (fact?.importOverride === undefined) continue;
          if (!mapped.has(key)) stale.push(`${key}: has importOverride but is not imported`);
          else if (!differing.has(key)) stale.push(`${key}: has importOverride but agrees with the data; remove it`);
        }
      }
    }
    assert.deepEqual(stale, []);
  });

  it('is what the importer writes: imported facts cite the import source, in the file layout', () => {
    const copy = JSON.parse(text) as Catalog;
    const result = applyImport(copy, dates);
    assert.deepEqual(result.changes, [], howToSettle);
    assert.deepEqual(result.unsettled, []);
    assert.equal(catalogText(copy), text);
  });

  it('maps every version of the distributions endoflife.date covers, or says why not', () => {
    const problems: string[] = [];
    const versionIds = new Set<string>();
    for (const distribution of catalog.distributions) {
      const product = coveredDistributions[distribution.id];
      const excuse = unmappedDistributions[distribution.id];
      for (const version of distribution.versions) versionIds.add(version.id);
      if (product !== undefined && excuse !== undefined) problems.push(`${distribution.id}: both covered and excused`);
      if (product === undefined) {
        if (excuse === undefined) {
          problems.push(
            `${distribution.id}: add it to coveredDistributions with its endoflife.date product, or to unmappedDistributions with the reason`,
          );
        }
        continue;
      }
      for (const version of distribution.versions) {
        const cycle = mappedCycles[product]?.[version.id];
        const reason = unmappedVersions[version.id];
        if (cycle === undefined && reason === undefined) {
          problems.push(
            `${version.id} (${version.name}): map it to a ${product} release cycle, or list it in unmappedVersions with the reason`,
          );
        }
        if (cycle !== undefined && reason !== undefined) problems.push(`${version.id}: both mapped and listed as unmapped`);
      }
    }
    for (const [product, versions] of Object.entries(mappedCycles)) {
      for (const versionId of Object.keys(versions)) {
        const distribution = catalog.distributions.find((candidate) =>
          candidate.versions.some((version) => version.id === versionId),
        );
        if (!distribution) problems.push(`${versionId}: mapped, but not a catalog version`);
        else if (coveredDistributions[distribution.id] !== product)
          problems.push(`${versionId}: mapped to ${product}, not its distribution's product`);
      }
    }
    for (const versionId of Object.keys(unmappedVersions)) {
      if (!versionIds.has(versionId)) problems.push(`${versionId}: listed as unmapped, but not a catalog version`);
    }
    for (const distributionId of [...Object.keys(coveredDistributions), ...Object.keys(unmappedDistributions)]) {
      if (!catalog.distributions.some((distribution) => distribution.id === distributionId)) {
        problems.push(`${distributionId}: named in the mapping, but not a catalog distribution`);
      }
    }
    assert.deepEqual(problems, []);
  });
});
