/**
 * The catalog loader on hostile input and the overlay merge. Every bad document gets problems that
 * name the file and the JSON path, never an exception; the merge never changes its inputs.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Catalog, CatalogImage } from '../../../server/out/core/catalog/catalogTypes';
import {
  applyCatalogOverlay,
  maximumProblems,
  mergeCatalogs,
  parseCatalog,
  parseCatalogOverlay,
  skuPatternProblem,
} from '../../../server/out/core/catalog/loadCatalog';
import { bundledCatalog } from '../../../server/out/core/catalog/bundledCatalog';
import { matchImage } from '../../../server/out/core/catalog/matchImage';

const file = 'user-catalog.json';

function image(overrides: Partial<CatalogImage> = {}): CatalogImage {
  return {
    offer: 'demo',
    skus: ['1'],
    architecture: 'x64',
    generation: 'V1',
    licensing: 'free',
    variant: 'server',
    sources: ['S1'],
    ...overrides,
  };
}

function minimalCatalog(): Catalog {
  return {
    asOf: '2026-11-22',
    sources: { S1: { title: 'A source', url: 'https://example.com/a', date: '2026-01' } },
    distributions: [
      {
        id: 'demo',
        name: 'Demo Linux',
        vendor: 'Demo',
        publishers: ['DemoPublisher'],
        endorsed: { value: true, sources: ['S1'] },
        kernel: { tuned: true, name: 'demo-azure', sources: ['S1'] },
        versions: [
          {
            id: 'demo-1',
            name: 'Demo 1',
            standardSupportEnds: { date: '2020-01-31', sources: ['S1'] },
            successors: ['demo-2'],
            images: [image()],
          },
          { id: 'demo-2', name: 'Demo 2', images: [image({ skus: undefined, skuPattern: '2[._]\\d+' })] },
        ],
      },
    ],
    otherPublishers: [{ publisher: 'MicrosoftWindowsServer', name: 'Windows Server', sources: ['S1'] }],
  };
}

/** A JSON copy (drops the undefined left by `image()` overrides), as a parsed file would be. */
function json(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

function messages(input: unknown): string[] {
  const result = parseCatalog(input, file);
  for (const problem of result.problems) assert.equal(problem.file, file);
  assert.equal(result.catalog, undefined, 'a document with problems gives no catalog');
  return result.problems.map((problem) => problem.message);
}

describe('parseCatalog', () => {
  it('reads a valid catalog without problems', () => {
    const input = json(minimalCatalog());
    const result = parseCatalog(input, file);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.catalog, input);
  });

  it('reports a document of the wrong shape', () => {
    assert.deepEqual(messages([]), ['$: expected an object, found an array']);
    assert.deepEqual(messages(null), ['$: expected an object, found null']);
    assert.deepEqual(messages({}), [
      '$: missing required property "asOf"',
      '$: missing required property "sources"',
      '$: missing required property "distributions"',
      '$: missing required property "otherPublishers"',
    ]);
  });

  it('reports unknown properties, wrong types and values outside the vocabulary', () => {
    const input = json(minimalCatalog()) as Catalog & Record<string, unknown>;
    input.extra = 1;
    const first = input.distributions[0].versions[0].images[0] as unknown as Record<string, unknown>;
    first.architecture = 'arm';
    first.generation = 2;
    first.variant = 'Server Edition';
    first.colour = 'blue';
    assert.deepEqual(messages(input), [
      '$: unknown property "extra"',
      '$.distributions[0].versions[0].images[0]: unknown property "colour"',
      '$.distributions[0].versions[0].images[0].architecture: "arm" is not one of "x64", "Arm64"',
      '$.distributions[0].versions[0].images[0].generation: expected a string, found a number',
      '$.distributions[0].versions[0].images[0].variant: "Server Edition" is not a lower-case, dash-separated variant name',
    ]);
  });

  it('reports an image whose optional fact has the wrong type, and refuses the catalog', () => {
    const input = json(minimalCatalog()) as Catalog;
    (input.distributions[0].versions[0].images[0] as unknown as Record<string, unknown>).preview = 'yes';
    const result = parseCatalog(input, file);
    assert.deepEqual(
      result.problems.map((problem) => problem.message),
      ['$.distributions[0].versions[0].images[0].preview: expected true or false, found a string'],
    );
    assert.equal(result.catalog, undefined);
  });

  it('reports dates that are malformed or do not exist', () => {
    const input = json(minimalCatalog()) as Catalog;
    input.asOf = '22/11/2026';
    input.sources.S1.date = '2026-02-30';
    input.distributions[0].versions[0].standardSupportEnds = { date: '2027-13', sources: ['S1'] };
    assert.deepEqual(messages(input), [
      '$.asOf: "22/11/2026" is not a date (YYYY-MM-DD, or YYYY-MM for a month)',
      '$.sources["S1"].date: "2026-02-30" is not a date (YYYY-MM-DD, or YYYY-MM for a month)',
      '$.distributions[0].versions[0].standardSupportEnds.date: "2027-13" is not a date (YYYY-MM-DD, or YYYY-MM for a month)',
    ]);
  });

  it('reads why a fact differs from the imported lifecycle data, and reports an empty or non-text reason', () => {
    const input = json(minimalCatalog()) as Catalog;
    const version = input.distributions[0].versions[0];
    version.standardSupportEnds = { date: '2020-01', sources: ['S1'], importOverride: 'The vendor gives the month only.' };
    version.extendedSupport = { name: 'Demo LTS', ends: '2022-01-31', sources: ['S1'], importOverride: 'Azure offer.' };
    const result = parseCatalog(input, file);
    assert.deepEqual(result.problems, []);
    assert.equal(
      result.catalog?.distributions[0].versions[0].standardSupportEnds?.importOverride,
      'The vendor gives the month only.',
    );
    assert.equal(result.catalog?.distributions[0].versions[0].extendedSupport?.importOverride, 'Azure offer.');
    (version.standardSupportEnds as unknown as Record<string, unknown>).importOverride = '';
    (version.extendedSupport as unknown as Record<string, unknown>).importOverride = true;
    assert.deepEqual(messages(input), [
      '$.distributions[0].versions[0].standardSupportEnds.importOverride: expected a non-empty string',
      '$.distributions[0].versions[0].extendedSupport.importOverride: expected a string, found a boolean',
    ]);
  });

  it('reports unknown sources, sources without a way to read them, and unsourced facts', () => {
    const input = json(minimalCatalog()) as Catalog;
    input.sources.S2 = { title: 'Hearsay', date: '2026-01' };
    input.distributions[0].versions[0].images[0].sources = ['S9'];
    input.distributions[0].kernel.sources = [];
    assert.deepEqual(messages(input), [
      '$.sources["S2"]: a source needs "url" or "reference"',
      '$.distributions[0].kernel.sources: a fact without sources must say "verified": false and explain itself in "note"',
    ]);
    // With the document's shape valid, the references are checked.
    delete input.sources.S2;
    input.distributions[0].kernel = { tuned: true, name: 'demo-azure', sources: [], verified: false, note: 'Assumed.' };
    assert.deepEqual(messages(input), [
      '$.distributions[0].versions[0].images[0].sources[0]: unknown source "S9"; add it to $.sources',
    ]);
  });

  it('reports successors that are not versions, or the version itself', () => {
    const input = json(minimalCatalog()) as Catalog;
    input.distributions[0].versions[0].successors = ['demo-3'];
    assert.deepEqual(messages(input), [
      '$.distributions[0].versions[0].successors[0]: successor "demo-3" is not a version id in the catalog',
    ]);
    input.distributions[0].versions[0].successors = ['demo-1'];
    assert.deepEqual(messages(input), ['$.distributions[0].versions[0].successors[0]: a version cannot succeed itself']);
  });

  it('reports duplicate ids and SKUs that two image groups claim', () => {
    const input = json(minimalCatalog()) as Catalog;
    input.distributions[0].versions[1].id = 'demo-1';
    input.distributions[0].versions[1].images.push(image({ skus: ['1', '2.5'] }));
    input.distributions[0].versions[0].successors = undefined;
    assert.deepEqual(messages(json(input)), [
      '$.distributions[0].versions[1].id: duplicate version id "demo-1" (first at $.distributions[0].versions[0])',
      '$.distributions[0].versions[1].images[1]: SKU "1" of demopublisher/demo is also listed by $.distributions[0].versions[0].images[0]',
      '$.distributions[0].versions[1].images[1]: SKU "2.5" of demopublisher/demo also matches the skuPattern of $.distributions[0].versions[1].images[0]',
    ]);
  });

  it('reports SKU patterns that do not compile, are too long or can backtrack catastrophically', () => {
    const broken = '7[';
    let compileError = '';
    try {
      new RegExp(`^(?:${broken})$`, 'i');
    } catch (error) {
      compileError = (error as Error).message;
    }
    const input = json(minimalCatalog()) as Catalog;
    const images = input.distributions[0].versions[1].images;
    images[0].skuPattern = broken;
    images.push(image({ skus: undefined, skuPattern: '(a+)+' }));
    images.push(image({ skus: undefined, skuPattern: 'x'.repeat(201) }));
    images.push(image({ skus: undefined, skuPattern: '(a)\\1' }));
    images.push(image({ skus: undefined, skuPattern: undefined }));
    assert.deepEqual(messages(json(input)), [
      `$.distributions[0].versions[1].images[0].skuPattern: "7[" is not a valid regular expression (${compileError})`,
      '$.distributions[0].versions[1].images[1].skuPattern: "(a+)+" repeats a group that itself contains a repetition or an alternation (like (a+)+ or (a|ab)+), which can take exponential time; rewrite it without the nesting',
      '$.distributions[0].versions[1].images[2].skuPattern: the pattern is 201 characters long; at most 200 are allowed',
      '$.distributions[0].versions[1].images[3].skuPattern: "(a)\\\\1" uses a back-reference; SKU patterns may not',
      '$.distributions[0].versions[1].images[4]: an image needs "skus" or "skuPattern"',
    ]);
  });

  it('accepts the pattern shapes the catalog uses and refuses risky repetition in every form', () => {
    for (const pattern of [
      '7[._]\\d+',
      'rhel-(lvm|raw)8\\d*-gen2',
      'ol7\\d(-lvm)?-gen2|7\\d-gen2',
      '(stable|beta|alpha)-gen2',
      '[(+]+',
      '(a|b)?c',
      '8(-ci)?|81(-ci)?|ol82|ol8\\d+-lvm',
    ]) {
      assert.equal(skuPatternProblem(pattern), undefined, pattern);
    }
    for (const pattern of ['(a*)*', '(a|b+){2,}', '((ab)+c)+', '(?:x\\d+)+', '((a)+)+', '(a|ab)+', '(?:x|y)*']) {
      assert.match(
        skuPatternProblem(pattern) ?? '',
        /repeats a group that itself contains a repetition or an alternation/,
        pattern,
      );
    }
  });

  it('refuses an overlay where a complete catalog is expected', () => {
    assert.deepEqual(messages({ overlay: true }), [
      '$.overlay: this file is a catalog overlay; it can only be merged over a catalog',
    ]);
  });

  it('does not let a source id reach a prototype', () => {
    const input = JSON.parse(
      '{"asOf":"2026-11-22","sources":{"__proto__":{"title":"x","url":"https://example.com","date":"2026-01"}},"distributions":[],"otherPublishers":[]}',
    );
    assert.deepEqual(messages(input), [
      '$.sources["__proto__"]: "__proto__" is not a source id (letters, digits, ".", "_" and "-", starting with a letter or digit)',
    ]);
    assert.equal(({} as Record<string, unknown>).title, undefined);
  });

  it('stops at a fixed number of problems', () => {
    const input = json(minimalCatalog()) as Catalog;
    input.distributions[0].versions[1].images = Array.from({ length: 80 }, () => ({ offer: 5 }) as unknown as CatalogImage);
    const result = messages(input);
    // Each such image misses five required properties.
    assert.equal(result.length, maximumProblems + 1);
    assert.equal(result[result.length - 1], `$: ${80 * 5 - maximumProblems} more problems not shown`);
  });

  it('bounds the work on huge and deeply nested input', () => {
    let deep: unknown = 'bottom';
    for (let level = 0; level < 100_000; level++) deep = [deep];
    const nested = json(minimalCatalog()) as Catalog & Record<string, unknown>;
    nested.distributions = [deep as never];
    nested.nonsense = deep;
    assert.deepEqual(messages(nested), [
      '$: unknown property "nonsense"',
      '$.distributions[0]: expected an object, found an array',
    ]);

    const long = json(minimalCatalog()) as Catalog;
    long.distributions[0].versions[1].images = new Array(20_000).fill(image({ skus: ['x'] }));
    assert.deepEqual(messages(long), ['$.distributions[0].versions[1].images: has 20000 entries; at most 10000 are allowed']);

    const large = json(minimalCatalog()) as Catalog;
    const template = json(large.distributions[0].versions[1]) as Catalog['distributions'][0]['versions'][0];
    large.distributions[0].versions = Array.from({ length: 30 }, (_, index) => ({
      ...template,
      id: `v${index}`,
      images: Array.from({ length: 1_000 }, (__, sku) => image({ skus: [`${index}-${sku}`] })),
    }));
    const tooLarge = messages(large);
    assert.equal(tooLarge.length, 1);
    assert.match(
      tooLarge[0],
      /^\$\.distributions\[0\]\.versions\[\d+\]\.images\[\d+\].*: the document is too large \(more than 200000 values\); the rest was not read$/,
    );
  });

  it('turns an exception from exotic input into a problem', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('boom');
        },
        get() {
          throw new Error('boom');
        },
      },
    );
    assert.deepEqual(parseCatalog(hostile, file), { problems: [{ file, message: '$: the document could not be read (boom)' }] });
  });
});

describe('catalog overlays', () => {
  const base = minimalCatalog();

  it('merge distributions and versions by id, and sources, other publishers and asOf', () => {
    const before = JSON.stringify(base);
    const merged = mergeCatalogs(base, {
      asOf: '2027-01-01',
      sources: { S2: { title: 'Another', reference: 'owner/repo@abc path.md', date: '2026-12' } },
      distributions: [
        {
          id: 'demo',
          endorsed: { value: false, sources: ['S2'] },
          versions: [
            { id: 'demo-1', standardSupportEnds: { date: '2030-01', sources: ['S2'] } },
            { id: 'demo-3', name: 'Demo 3', images: [image({ skus: ['3'], sources: ['S2'] })] },
          ],
        },
      ],
      otherPublishers: [{ publisher: 'microsoftwindowsserver', name: 'Windows', sources: ['S2'] }],
    });
    assert.equal(JSON.stringify(base), before, 'the base catalog is unchanged');
    assert.equal(merged.asOf, '2027-01-01');
    assert.deepEqual(Object.keys(merged.sources), ['S1', 'S2']);
    const demo = merged.distributions[0];
    assert.equal(demo.endorsed.value, false);
    assert.equal(demo.name, 'Demo Linux');
    assert.deepEqual(
      demo.versions.map((version) => version.id),
      ['demo-1', 'demo-2', 'demo-3'],
    );
    assert.equal(demo.versions[0].standardSupportEnds?.date, '2030-01');
    assert.deepEqual(demo.versions[0].successors, ['demo-2']);
    assert.deepEqual(demo.versions[0].images, base.distributions[0].versions[0].images);
    assert.deepEqual(merged.otherPublishers, [{ publisher: 'microsoftwindowsserver', name: 'Windows', sources: ['S2'] }]);
  });

  it('let an overlay image take over the SKUs it lists and replace the image with the same pattern', () => {
    const withTwo = minimalCatalog();
    withTwo.distributions[0].versions[0].images = [
      image({ skus: ['1', '1-gen2'] }),
      image({ skus: ['1-arm64'], architecture: 'Arm64', generation: 'V2' }),
    ];
    const merged = mergeCatalogs(withTwo, {
      distributions: [
        {
          id: 'demo',
          versions: [
            { id: 'demo-1', images: [image({ skus: ['1-GEN2'], generation: 'V2', variant: 'minimal' })] },
            { id: 'demo-2', images: [image({ skus: undefined, skuPattern: '2[._]\\d+', licensing: 'payg' })] },
          ],
        },
      ],
    });
    const [first, second] = merged.distributions[0].versions;
    assert.deepEqual(
      first.images.map((entry) => [entry.skus, entry.variant]),
      [
        [['1-GEN2'], 'minimal'],
        [['1'], 'server'],
        [['1-arm64'], 'server'],
      ],
    );
    assert.deepEqual(
      second.images.map((entry) => entry.licensing),
      ['payg'],
    );
  });

  it('accept partial entries for what exists and require complete ones for what is new', () => {
    const result = parseCatalogOverlay(
      {
        overlay: true,
        distributions: [
          { id: 'demo', versions: [{ id: 'demo-2', successors: ['demo-9'] }, { id: 'demo-4' }] },
          { id: 'fresh', name: 'Fresh' },
        ],
      },
      file,
      base,
    );
    assert.equal(result.overlay, undefined);
    assert.deepEqual(
      result.problems.map((problem) => problem.message),
      [
        '$.distributions[0].versions[1]: missing required property "name" (the version is new, not in the catalog it is merged over)',
        '$.distributions[0].versions[1]: missing required property "images" (the version is new, not in the catalog it is merged over)',
        '$.distributions[1]: missing required property "vendor" (the distribution is new, not in the catalog it is merged over)',
        '$.distributions[1]: missing required property "publishers" (the distribution is new, not in the catalog it is merged over)',
        '$.distributions[1]: missing required property "endorsed" (the distribution is new, not in the catalog it is merged over)',
        '$.distributions[1]: missing required property "kernel" (the distribution is new, not in the catalog it is merged over)',
        '$.distributions[1]: missing required property "versions" (the distribution is new, not in the catalog it is merged over)',
        '$.distributions[0].versions[0].successors[0]: successor "demo-9" is not a version id in the catalog',
      ],
    );
  });

  it('apply over the bundled catalog, or leave it unchanged with the problems', () => {
    const applied = applyCatalogOverlay(
      bundledCatalog,
      {
        overlay: true,
        sources: { mine: { title: 'Our image list', url: 'https://example.com/images', date: '2026-11-01' } },
        distributions: [
          {
            id: 'ubuntu',
            versions: [
              {
                id: 'ubuntu-24.04',
                images: [image({ offer: 'ubuntu-24_04-lts', skus: ['server-custom'], generation: 'V2', sources: ['mine'] })],
              },
            ],
          },
        ],
      },
      file,
    );
    assert.deepEqual(applied.problems, []);
    assert.notEqual(applied.catalog, bundledCatalog);
    const ubuntu2404 = applied.catalog.distributions
      .find((distribution) => distribution.id === 'ubuntu')
      ?.versions.find((version) => version.id === 'ubuntu-24.04');
    assert.equal(ubuntu2404?.images.at(-1)?.skus?.[0], 'server-custom');
    assert.deepEqual(parseCatalog(json(applied.catalog), 'merged.json').problems, []);

    const rejected = applyCatalogOverlay(bundledCatalog, { distributions: [{ id: 'ubuntu', kernel: { tuned: 'yes' } }] }, file);
    assert.equal(rejected.catalog, bundledCatalog);
    assert.deepEqual(
      rejected.problems.map((problem) => problem.message),
      [
        '$.distributions[0].kernel: missing required property "name"',
        '$.distributions[0].kernel: missing required property "sources"',
      ],
    );
  });

  it('accept a complete catalog as an overlay', () => {
    const merged = mergeCatalogs(bundledCatalog, minimalCatalog());
    assert.equal(merged.distributions.length, bundledCatalog.distributions.length + 1);
    assert.equal(merged.otherPublishers.length, bundledCatalog.otherPublishers.length);
    assert.deepEqual(parseCatalog(json(merged), 'merged.json').problems, []);
  });

  it('merge naming rules by id, and recognise SKUs by the rules an overlay adds', () => {
    const rule = {
      id: 'demo-offer',
      publisher: 'Canonical',
      offer: 'demo-{major}_{minor}',
      skus: ['(server|minimal)[-gen1]'],
      version: 'ubuntu-{major}.{minor}',
      architecture: 'x64',
      generation: 'V2',
      licensing: 'free',
      variant: 'server',
      tokens: { minimal: { variant: 'minimal' }, '-gen1': { generation: 'V1' } },
      sources: ['S10'],
    };
    const applied = applyCatalogOverlay(bundledCatalog, { distributions: [{ id: 'ubuntu', namingRules: [rule] }] }, file);
    assert.deepEqual(applied.problems, []);
    const match = matchImage(applied.catalog, { publisher: 'Canonical', offer: 'demo-24_04', sku: 'minimal-gen1' });
    assert.equal(match.kind, 'image');
    if (match.kind !== 'image') return;
    assert.equal(match.entry.version.id, 'ubuntu-24.04');
    assert.equal(match.entry.image.variant, 'minimal');
    assert.equal(match.entry.image.generation, 'V1');
    assert.equal(match.entry.recognition?.rule.id, 'demo-offer');
    // The base's rules stay; one with the same id is replaced.
    const ubuntu = applied.catalog.distributions.find((distribution) => distribution.id === 'ubuntu');
    const base = bundledCatalog.distributions.find((distribution) => distribution.id === 'ubuntu');
    assert.equal(ubuntu?.namingRules?.length, (base?.namingRules?.length ?? 0) + 1);
    const replaced = applyCatalogOverlay(
      bundledCatalog,
      { distributions: [{ id: 'ubuntu', namingRules: [{ ...rule, id: 'ubuntu-release-offer' }] }] },
      file,
    );
    assert.equal(
      replaced.catalog.distributions.find((distribution) => distribution.id === 'ubuntu')?.namingRules?.length,
      base?.namingRules?.length,
    );
    assert.equal(
      matchImage(replaced.catalog, { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'minimal-gen1' }).kind,
      'image',
      'the listed SKU is still found',
    );
  });

  it('refuse naming templates that are malformed or branch past the bound, and placeholders nothing sets', () => {
    const rule = (overrides: Record<string, unknown>) => ({
      id: 'bad',
      offer: 'demo',
      skus: ['{major}'],
      version: 'demo-{major}',
      architecture: 'x64',
      generation: 'V1',
      licensing: 'free',
      variant: 'server',
      sources: ['S1'],
      ...overrides,
    });
    const problems = (overrides: Record<string, unknown>) =>
      parseCatalogOverlay(
        { distributions: [{ id: 'demo', namingRules: [rule(overrides)] }] },
        file,
        minimalCatalog(),
      ).problems.map((problem) => problem.message);
    assert.deepEqual(problems({ offer: 'demo-[a[b]]' }), [
      '$.distributions[0].namingRules[0].offer: "demo-[a[b]]" is not a naming template: optional groups cannot be nested (at 7)',
    ]);
    assert.deepEqual(problems({ skus: ['(a|b'] }), [
      '$.distributions[0].namingRules[0].skus[0]: "(a|b" is not a naming template: "(" at 0 is not closed',
    ]);
    assert.deepEqual(problems({ skus: ['[^#]*#'] }), [
      '$.distributions[0].namingRules[0].skus[0]: "[^#]*#" is not a naming template: "^" is not allowed in a template (at 1)',
    ]);
    const branching = '[a][b][c][d][e][f][g][h][i][j][k]';
    assert.deepEqual(problems({ skus: [branching] }), [
      `$.distributions[0].namingRules[0].skus[0]: "${branching}" is not a naming template: the template branches into more than 1024 alternatives; split it into several templates`,
    ]);
    assert.deepEqual(problems({ version: 'demo-{minor}' }), [
      "$.distributions[0].namingRules[0].version: {minor} is neither captured by a template nor set by a token's values",
    ]);
  });
});
