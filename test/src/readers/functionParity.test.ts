/**
 * Twin parity of the template functions. Bicep compiles to ARM, so a function must give the same
 * values in both: each case writes one image through a function in an ARM template and in the
 * equivalent Bicep file, states the candidates Azure would deploy, and requires both readers to
 * give exactly those (and the same unresolved fields). Every function of `supportedFunctions` is
 * used by at least one case.
 */
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeDocument } from '../../../server/out/core/analyze';
import { hoverAt } from '../../../server/out/core/hover';
import { supportedFunctions } from '../../../server/out/core/functions/templateFunctions';
import { coreSettings, MapFileHost } from '../fuzz/harness';

interface ParityCase {
  name: string;
  /** ARM `parameters` and `variables` sections. */
  parameters?: Record<string, unknown>;
  variables?: Record<string, unknown>;
  /** Bicep declarations (params, vars) equivalent to them. */
  declarations: string;
  /** The ARM value of the image's `sku` (an expression) or of the whole image when `image` is set. */
  arm: string;
  bicep: string;
  /** True when `arm`/`bicep` give the whole image object rather than the SKU. */
  image?: boolean;
  /** The SKUs of the candidates (undefined: not resolved), in order, of Canonical's UbuntuServer. */
  skus: (string | undefined)[];
  /** The candidates, when they are not all Canonical's UbuntuServer. */
  candidates?: { publisher?: string; offer?: string; sku?: string }[];
  /** The ARM image object's fields, when each is its own expression. */
  armImage?: Record<string, string>;
  unresolved?: string[];
}

const skuList = { skus: ['16.04-LTS', '18.04-LTS', '20_04-lts'] };
const skuListBicep = "var skus = ['16.04-LTS', '18.04-LTS', '20_04-lts']";

const cases: ParityCase[] = [
  {
    name: 'startsWith (case-insensitive)',
    variables: { name: 'Ubuntu-18' },
    declarations: "var name = 'Ubuntu-18'",
    arm: "[if(startsWith(variables('name'), 'UBUNTU'), '18.04-LTS', '7.5')]",
    bicep: "startsWith(name, 'UBUNTU') ? '18.04-LTS' : '7.5'",
    skus: ['18.04-LTS'],
  },
  {
    name: 'startsWith keeps the fields of one choice together (no cross product)',
    parameters: { os: { type: 'string', defaultValue: 'ubuntu-18', allowedValues: ['ubuntu-18', 'rhel-8'] } },
    declarations: "@allowed(['ubuntu-18', 'rhel-8'])\nparam os string = 'ubuntu-18'",
    armImage: {
      publisher: "[if(startsWith(parameters('os'), 'ubuntu'), 'Canonical', 'RedHat')]",
      offer: "[if(startsWith(parameters('os'), 'ubuntu'), 'UbuntuServer', 'RHEL')]",
      sku: "[if(startsWith(parameters('os'), 'ubuntu'), '18.04-LTS', '8-lvm-gen2')]",
      version: 'latest',
    },
    arm: '',
    image: true,
    bicep:
      "{\n      publisher: startsWith(os, 'ubuntu') ? 'Canonical' : 'RedHat'\n      offer: startsWith(os, 'ubuntu') ? 'UbuntuServer' : 'RHEL'\n" +
      "      sku: startsWith(os, 'ubuntu') ? '18.04-LTS' : '8-lvm-gen2'\n      version: 'latest'\n    }",
    skus: [],
    candidates: [
      { publisher: 'Canonical', offer: 'UbuntuServer', sku: '18.04-LTS' },
      { publisher: 'RedHat', offer: 'RHEL', sku: '8-lvm-gen2' },
    ],
  },
  {
    name: 'indexOf of an array',
    variables: skuList,
    declarations: skuListBicep,
    arm: "[if(equals(indexOf(variables('skus'), '18.04-LTS'), 1), '18.04-LTS', '7.5')]",
    bicep: "indexOf(skus, '18.04-LTS') == 1 ? '18.04-LTS' : '7.5'",
    skus: ['18.04-LTS'],
  },
  {
    name: 'endsWith',
    variables: { name: 'ubuntu-lts' },
    declarations: "var name = 'ubuntu-lts'",
    arm: "[if(endsWith(variables('name'), 'LTS'), '18.04-LTS', '7.5')]",
    bicep: "endsWith(name, 'LTS') ? '18.04-LTS' : '7.5'",
    skus: ['18.04-LTS'],
  },
  {
    name: 'split and an index',
    variables: { urn: 'Canonical:UbuntuServer:18.04-LTS:latest' },
    declarations: "var urn = 'Canonical:UbuntuServer:18.04-LTS:latest'",
    arm: "[split(variables('urn'), ':')[2]]",
    bicep: "split(urn, ':')[2]",
    skus: ['18.04-LTS'],
  },
  {
    name: 'split on several delimiters, last',
    variables: { path: 'a/b:18.04-LTS' },
    declarations: "var path = 'a/b:18.04-LTS'",
    arm: "[last(split(variables('path'), createArray('/', ':')))]",
    bicep: "last(split(path, ['/', ':']))",
    skus: ['18.04-LTS'],
  },
  {
    name: 'contains: string (case-sensitive), object key (case-insensitive), array',
    variables: { name: 'ubuntu', keys: { Gen2: true }, list: ['a', 'b'] },
    declarations: "var name = 'ubuntu'\nvar keys = { Gen2: true }\nvar list = ['a', 'b']",
    arm: "[if(and(not(contains(variables('name'), 'U')), contains(variables('keys'), 'gen2'), contains(variables('list'), 'b')), '18.04-LTS', '7.5')]",
    bicep: "!contains(name, 'U') && contains(keys, 'gen2') && contains(list, 'b') ? '18.04-LTS' : '7.5'",
    skus: ['18.04-LTS'],
  },
  {
    name: 'indexOf and lastIndexOf (case-insensitive)',
    variables: { text: '18.04-lts-lts' },
    declarations: "var text = '18.04-lts-lts'",
    arm: "[substring(variables('text'), 0, indexOf(variables('text'), '-LTS'))]",
    bicep: "substring(text, 0, indexOf(text, '-LTS'))",
    skus: ['18.04'],
  },
  {
    name: 'lastIndexOf and substring to the end',
    variables: { text: 'x-18.04-LTS', offsets: [2] },
    declarations: "var text = 'x-18.04-LTS'\nvar offsets = [2]",
    arm: "[if(equals(lastIndexOf(variables('text'), '-'), 7), substring(variables('text'), first(variables('offsets'))), '7.5')]",
    bicep: "lastIndexOf(text, '-') == 7 ? substring(text, first(offsets)) : '7.5'",
    skus: ['18.04-LTS'],
  },
  {
    name: 'replace, trim, toUpper, toLower',
    variables: { text: '  18_04-lts ' },
    declarations: "var text = '  18_04-lts '",
    arm: "[concat(toLower(''), toUpper(replace(trim(variables('text')), '_', '.')))]",
    bicep: "concat(toLower(''), toUpper(replace(trim(text), '_', '.')))",
    skus: ['18.04-LTS'],
  },
  {
    name: 'first, last, length, empty',
    variables: skuList,
    declarations: skuListBicep,
    arm: "[if(and(equals(length(variables('skus')), 3), not(empty(variables('skus')))), first(skip(variables('skus'), 1)), last(variables('skus')))]",
    bicep: 'length(skus) == 3 && !empty(skus) ? first(skip(skus, 1)) : last(skus)',
    skus: ['18.04-LTS'],
  },
  {
    name: 'join, take, createArray, array',
    declarations: '',
    arm: "[join(concat(take(createArray('18.04', 'LTS', 'x'), 2), array('gen1')), '-')]",
    bicep: "join(concat(take(['18.04', 'LTS', 'x'], 2), array('gen1')), '-')",
    skus: ['18.04-LTS-gen1'],
  },
  {
    name: 'items (sorted by key)',
    variables: { map: { b: '20_04-lts', a: '18.04-LTS' } },
    declarations: "var map = { b: '20_04-lts', a: '18.04-LTS' }",
    arm: "[items(variables('map'))[0].value]",
    bicep: 'items(map)[0].value',
    skus: ['18.04-LTS'],
  },
  {
    name: 'filter with a lambda',
    variables: skuList,
    declarations: skuListBicep,
    arm: "[first(filter(variables('skus'), lambda('s', startsWith(lambdaVariables('s'), '18'))))]",
    bicep: "first(filter(skus, s => startsWith(s, '18')))",
    skus: ['18.04-LTS'],
  },
  {
    name: 'filter on a condition known only at deployment is unknown, not its first item',
    parameters: { prefix: { type: 'string' } },
    variables: skuList,
    declarations: `param prefix string\n${skuListBicep}`,
    arm: "[first(filter(variables('skus'), lambda('s', startsWith(lambdaVariables('s'), parameters('prefix')))))]",
    bicep: 'first(filter(skus, s => startsWith(s, prefix)))',
    skus: [undefined],
    unresolved: ['sku'],
  },
  {
    name: 'map with a lambda and its index',
    variables: skuList,
    declarations: skuListBicep,
    arm: "[map(variables('skus'), lambda('s', 'i', format('{0}:{1}', lambdaVariables('i'), lambdaVariables('s'))))[1]]",
    bicep: "map(skus, (s, i) => format('{0}:{1}', i, s))[1]",
    skus: ['1:18.04-LTS'],
  },
  {
    name: 'tryGet and .? of a missing property, coalesced',
    variables: { image: { sku: '18.04-LTS' } },
    declarations: "var image = { sku: '18.04-LTS' }",
    arm: "[coalesce(tryGet(variables('image'), 'missing'), tryGet(variables('image'), 'sku'))]",
    bicep: 'image.?missing ?? image.?sku',
    skus: ['18.04-LTS'],
  },
  {
    name: 'the non-null assertion changes nothing',
    variables: { image: { sku: '18.04-LTS' } },
    declarations: "var image = { sku: '18.04-LTS' }",
    arm: "[tryGet(variables('image'), 'sku')]",
    bicep: 'image.?sku!',
    skus: ['18.04-LTS'],
  },
  {
    name: 'union merges nested objects (the publisher stays)',
    variables: {
      base: { image: { publisher: 'Canonical', offer: 'UbuntuServer', sku: '16.04-LTS', version: 'latest' } },
      override: { image: { sku: '18.04-LTS' } },
    },
    declarations:
      "var base = { image: { publisher: 'Canonical', offer: 'UbuntuServer', sku: '16.04-LTS', version: 'latest' } }\n" +
      "var override = { image: { sku: '18.04-LTS' } }",
    arm: "[union(variables('base'), variables('override')).image]",
    bicep: 'union(base, override).image',
    image: true,
    skus: ['18.04-LTS'],
  },
  {
    name: 'union of arrays keeps each value once; intersection',
    declarations: '',
    arm: "[join(intersection(union(createArray('18.04', 'x'), createArray('x', 'LTS')), createArray('LTS', '18.04', 'y')), '-')]",
    bicep: "join(intersection(union(['18.04', 'x'], ['x', 'LTS']), ['LTS', '18.04', 'y']), '-')",
    skus: ['18.04-LTS'],
  },
  {
    name: 'coalesce over a parameter with no value keeps the fallback and says it is unresolved',
    parameters: { customSku: { type: 'string' } },
    declarations: 'param customSku string',
    arm: "[coalesce(parameters('customSku'), '18.04-LTS')]",
    bicep: "coalesce(customSku, '18.04-LTS')",
    skus: [undefined, '18.04-LTS'],
    unresolved: ['sku'],
  },
  {
    name: '?? is coalesce',
    parameters: { customSku: { type: 'string' } },
    declarations: 'param customSku string',
    arm: "[coalesce(parameters('customSku'), '18.04-LTS')]",
    bicep: "customSku ?? '18.04-LTS'",
    skus: [undefined, '18.04-LTS'],
    unresolved: ['sku'],
  },
  {
    name: 'format with escaped braces, string, int, bool',
    declarations: '',
    arm: "[format('{0}.{1}-{2}{{}}{3}', string(18), '04', 'LTS', if(bool('true'), string(sub(int('1'), 1)), 'x'))]",
    bicep: "format('{0}.{1}-{2}{{}}{3}', string(18), '04', 'LTS', bool('true') ? string(int('1') - 1) : 'x')",
    skus: ['18.04-LTS{}0'],
  },
  {
    name: 'createObject, json, string of an object',
    declarations: '',
    arm: "[if(equals(string(createObject('a', 1)), string(json('{\"a\": 1}'))), '18.04-LTS', '7.5')]",
    bicep: "string({ a: 1 }) == string(json('{\"a\": 1}')) ? '18.04-LTS' : '7.5'",
    skus: ['18.04-LTS'],
  },
  {
    name: 'base64 and base64ToString',
    declarations: '',
    arm: "[base64ToString(base64('18.04-LTS'))]",
    bicep: "base64ToString(base64('18.04-LTS'))",
    skus: ['18.04-LTS'],
  },
  {
    name: 'range',
    declarations: '',
    arm: "[concat('18.0', string(last(range(1, 4))), '-LTS')]",
    bicep: "concat('18.0', string(last(range(1, 4))), '-LTS')",
    skus: ['18.04-LTS'],
  },
];

function armTemplate(entry: ParityCase): string {
  const image =
    entry.armImage ??
    (entry.image ? entry.arm : { publisher: 'Canonical', offer: 'UbuntuServer', sku: entry.arm, version: 'latest' });
  return JSON.stringify(
    {
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      parameters: entry.parameters ?? {},
      variables: entry.variables ?? {},
      resources: [
        {
          type: 'Microsoft.Compute/virtualMachines',
          apiVersion: '2023-03-01',
          name: 'vm',
          location: 'westeurope',
          properties: { storageProfile: { imageReference: image } },
        },
      ],
    },
    undefined,
    2,
  );
}

function bicepTemplate(entry: ParityCase): string {
  const image = entry.image
    ? entry.bicep
    : `{\n      publisher: 'Canonical'\n      offer: 'UbuntuServer'\n      sku: ${entry.bicep}\n      version: 'latest'\n    }`;
  return `${entry.declarations}
resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: 'vm'
  location: 'westeurope'
  properties: {
    storageProfile: {
      imageReference: ${image}
    }
  }
}
`;
}

function read(file: string, text: string) {
  const result = analyzeDocument(file, text, new MapFileHost(), coreSettings);
  assert.deepEqual(
    result.problems.map((problem) => problem.message),
    [],
  );
  assert.equal(result.sites.length, 1);
  const [site] = result.sites;
  return {
    candidates: site.candidates.map((candidate) => ({
      publisher: candidate.publisher?.value,
      offer: candidate.offer?.value,
      sku: candidate.sku?.value,
    })),
    unresolved: site.unresolved,
  };
}

describe('every supported function gives the same candidates in ARM and in Bicep', () => {
  for (const entry of cases) {
    test(entry.name, () => {
      const expected = {
        candidates: entry.candidates ?? entry.skus.map((sku) => ({ publisher: 'Canonical', offer: 'UbuntuServer', sku })),
        unresolved: entry.unresolved ?? [],
      };
      assert.deepEqual(read('/templates/main.json', armTemplate(entry)), expected, 'ARM');
      assert.deepEqual(read('/templates/main.bicep', bicepTemplate(entry)), expected, 'Bicep');
    });
  }

  test('every supported function is used by a case, in both languages', () => {
    // Bicep writes these three as syntax: array and object literals, and `.?`.
    const bicepSyntax: Record<string, string> = { createArray: '[', createObject: '{', tryGet: '.?' };
    const unused = supportedFunctions.filter((name) => {
      const call = new RegExp(`\\b${name}\\(`, 'i');
      const bicepForm = bicepSyntax[name];
      return !cases.some(
        (entry) => call.test(entry.arm) && (bicepForm === undefined ? call.test(entry.bicep) : entry.bicep.includes(bicepForm)),
      );
    });
    assert.deepEqual(unused, []);
  });
});

describe('a capped list of alternatives is unresolved, with the same cap in both', () => {
  const skus = Array.from({ length: 300 }, (_, index) => `s${index}`);
  const armText = armTemplate({
    name: 'cap',
    parameters: { sku: { type: 'string', defaultValue: 's0', allowedValues: skus } },
    declarations: '',
    arm: "[parameters('sku')]",
    bicep: '',
    skus: [],
  });
  const bicepText = bicepTemplate({
    name: 'cap',
    declarations: `@allowed([${skus.map((sku) => `'${sku}'`).join(', ')}])\nparam sku string = 's0'`,
    arm: '',
    bicep: 'sku',
    skus: [],
  });
  // The default, the first 254 allowed values, then one that stands for the rest.
  const expected = {
    candidates: ['s0', ...skus.slice(0, 254), undefined].map((sku) => ({ publisher: 'Canonical', offer: 'UbuntuServer', sku })),
    unresolved: ['sku'],
  };

  test('a parameter with 300 allowed values: 254 checked and the SKU unresolved, in ARM and in Bicep', () => {
    assert.deepEqual(read('/templates/main.json', armText), expected, 'ARM');
    assert.deepEqual(read('/templates/main.bicep', bicepText), expected, 'Bicep');
  });

  test('the hover over an allowed value says the image is not fully known', () => {
    for (const [file, text] of [
      ['/templates/main.json', armText],
      ['/templates/main.bicep', bicepText],
    ] as const) {
      const offset = text.indexOf("'s1'") >= 0 ? text.indexOf("'s1'") + 1 : text.indexOf('"s1"') + 1;
      const hover = hoverAt(file, text, offset, new MapFileHost(), coreSettings);
      assert.ok(hover, file);
      assert.match(
        hover.markdown,
        /\n\nNot every image is known: the sku may also take a value known only at deployment, or one past the 256 alternatives the analysis follows\. Those images are not checked\.\n\nHow the values were resolved:\n\n- sku: from parameter `sku` allowed value$/,
        file,
      );
    }
  });
});
