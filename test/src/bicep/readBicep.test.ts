/**
 * Tests of the Bicep image reader: every way of writing an image (literals, parameters with
 * defaults and allowed values, variables, maps indexed by a parameter, property access, ternaries,
 * `??`, interpolation, functions, loops, imports), modules (local Bicep and ARM JSON, registry,
 * cycles), and `.bicepparam` files. Candidates are asserted compactly as
 * `publisher:offer:sku:version` and their definitions as `kind file 'literal text'`, which checks
 * the offsets through the text they cover; a few offsets are also checked as numbers.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { readBicepFile, readBicepParamFile, bicepParamInputs } from '../../../server/out/core/bicep/readBicep';
import { registryModuleImageOf } from '../../../server/out/core/bicep/registryModules';
import type { FileHost, ImageCandidate, ImageSite, ReaderResult, ResolvedValue } from '../../../server/out/core/model';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/bicep/reader');
const fields = ['publisher', 'offer', 'sku', 'version'] as const;

/** A host over in-memory files, falling back to nothing. */
function memoryHost(files: Record<string, string>): FileHost {
  return { readFile: (file) => files[file] };
}

const fixtureHost: FileHost = {
  readFile: (file) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
};

function fixture(name: string): { file: string; text: string } {
  const file = path.join(fixtures, name).split(path.sep).join('/');
  return { file, text: fs.readFileSync(file, 'utf8') };
}

function readInline(text: string, others: Record<string, string> = {}): ReaderResult {
  return readBicepFile('main.bicep', text, memoryHost({ 'main.bicep': text, ...others }));
}

/** `publisher:offer:sku:version`, with `?` for a field that could not be resolved. */
function names(candidate: ImageCandidate): string {
  return fields.map((field) => candidate[field]?.value ?? '?').join(':');
}

function candidatesOf(site: ImageSite): string[] {
  return site.candidates.map(names);
}

/** Where a value is written: `kind file 'text at the range'`, or `computed`. */
function where(value: ResolvedValue | undefined, texts: Record<string, string>): string {
  if (!value) return 'missing';
  const definition = value.definition;
  if (!definition) return 'computed';
  const text = texts[definition.location.file];
  const { start, end } = definition.location.range;
  return `${definition.kind} ${path.basename(definition.location.file)} ${text?.slice(start, end)}`;
}

function onlySite(result: ReaderResult): ImageSite {
  assert.deepEqual(result.problems, []);
  assert.equal(result.sites.length, 1, `expected one site, found ${result.sites.length}`);
  return result.sites[0];
}

describe('bicep reader: values', () => {
  test('string literals: definition is the literal including its quotes', () => {
    const text = [
      "resource vm 'Microsoft.Compute/virtualMachines@2024-03-01' = {",
      "  name: 'vm'",
      '  properties: {',
      '    storageProfile: {',
      "      imageReference: { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' }",
      '    }',
      '  }',
      '}',
      '',
    ].join('\n');
    const site = onlySite(readInline(text));
    assert.equal(site.resourceType, 'Microsoft.Compute/virtualMachines');
    assert.deepEqual(candidatesOf(site), ['Canonical:ubuntu-24_04-lts:server:latest']);
    assert.equal(site.custom, false);
    assert.deepEqual(site.unresolved, []);
    const use = text.indexOf('{ publisher');
    assert.deepEqual(site.use, { file: 'main.bicep', range: { start: use, end: text.indexOf(' }\n') + 2 } });
    const sku = site.candidates[0].sku!;
    const skuStart = text.indexOf("'server'");
    assert.deepEqual(sku.definition, {
      location: { file: 'main.bicep', range: { start: skuStart, end: skuStart + "'server'".length } },
      kind: 'literal',
      syntax: 'bicep',
      description: 'literal',
    });
  });

  test('parameters: the default and every allowed value, each where it is written', () => {
    const text = [
      '@allowed([',
      "  '20_04-lts'",
      "  '22_04-lts'",
      '])',
      "param sku string = '22_04-lts'",
      "resource vm 'Microsoft.Compute/virtualMachines@2024-03-01' = {",
      '  properties: {',
      '    storageProfile: {',
      "      imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: sku, version: 'latest' }",
      '    }',
      '  }',
      '}',
    ].join('\n');
    const site = onlySite(readInline(text));
    assert.deepEqual(candidatesOf(site), [
      'Canonical:UbuntuServer:22_04-lts:latest',
      'Canonical:UbuntuServer:20_04-lts:latest',
      'Canonical:UbuntuServer:22_04-lts:latest',
    ]);
    const texts = { 'main.bicep': text };
    assert.deepEqual(
      site.candidates.map((candidate) => where(candidate.sku, texts)),
      [
        "parameter-default main.bicep '22_04-lts'",
        "allowed-value main.bicep '20_04-lts'",
        "allowed-value main.bicep '22_04-lts'",
      ],
    );
    assert.equal(site.candidates[0].sku?.definition?.description, "parameter 'sku'");
    assert.equal(site.candidates[1].sku?.definition?.location.range.start, text.indexOf("'20_04-lts'"));
  });

  test('a parameter without default is unresolved', () => {
    const text = [
      'param image object',
      "resource vm 'Microsoft.Compute/virtualMachines@2024-03-01' = {",
      '  properties: { storageProfile: { imageReference: image } }',
      '}',
    ].join('\n');
    const site = onlySite(readInline(text));
    assert.deepEqual(site.candidates, []);
    assert.deepEqual(site.unresolved, ['publisher', 'offer', 'sku', 'version']);
  });

  test('a map of images indexed by a parameter: one candidate per entry, edits inside the entry', () => {
    const { file, text } = fixture('vm-simple-linux.bicep');
    const site = onlySite(readBicepFile(file, text, fixtureHost));
    assert.deepEqual(candidatesOf(site), [
      'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest',
      'Canonical:0001-com-ubuntu-server-focal:20_04-lts-gen2:latest',
    ]);
    const texts = { [file]: text };
    assert.deepEqual(
      site.candidates.map((candidate) => where(candidate.offer, texts)),
      [
        "variable vm-simple-linux.bicep '0001-com-ubuntu-server-jammy'",
        "variable vm-simple-linux.bicep '0001-com-ubuntu-server-focal'",
      ],
    );
    assert.equal(site.candidates[0].offer?.definition?.description, "variable 'imageReference'");
    assert.equal(site.candidates[0].offer?.definition?.location.range.start, text.indexOf("'0001-com-ubuntu-server-jammy'"));
    assert.equal(site.use.range.start, text.indexOf('imageReference[ubuntuOSVersion]'));
    assert.equal(site.use.range.end, text.indexOf('imageReference[ubuntuOSVersion]') + 'imageReference[ubuntuOSVersion]'.length);
  });

  test('fields read through a map indexed by a parameter stay together', () => {
    const text = [
      "@allowed(['focal', 'jammy'])",
      "param os string = 'jammy'",
      "var offers = { focal: '0001-com-ubuntu-server-focal', jammy: '0001-com-ubuntu-server-jammy' }",
      "var skus = { focal: '20_04-lts', jammy: '22_04-lts' }",
      "resource vm 'Microsoft.Compute/virtualMachines@2024-03-01' = {",
      "  properties: { storageProfile: { imageReference: { publisher: 'Canonical', offer: offers[os], sku: skus[os] } } }",
      '}',
    ].join('\n');
    assert.deepEqual(candidatesOf(onlySite(readInline(text))), [
      'Canonical:0001-com-ubuntu-server-jammy:22_04-lts:?',
      'Canonical:0001-com-ubuntu-server-focal:20_04-lts:?',
    ]);
  });

  test('variables, property access ignoring case, nested objects', () => {
    const text = [
      'var images = {',
      '  Ubuntu: {',
      "    publisher: 'Canonical'",
      "    offer: 'ubuntu-24_04-lts'",
      "    sku: 'server'",
      '  }',
      '}',
      'var profile = { image: images.UBUNTU }',
      "resource vm 'Microsoft.Compute/virtualMachines@2024-03-01' = {",
      '  properties: { storageProfile: { imageReference: profile.Image } }',
      '}',
    ].join('\n');
    const site = onlySite(readInline(text));
    assert.deepEqual(candidatesOf(site), ['Canonical:ubuntu-24_04-lts:server:?']);
    assert.deepEqual(site.unresolved, []);
    assert.equal(where(site.candidates[0].sku, { 'main.bicep': text }), "variable main.bicep 'server'");
  });

  test('a storage profile in a variable: the path continues through the value', () => {
    const text = [
      "var storage = { imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: '16.04-LTS' } }",
      "resource vm 'Microsoft.Compute/virtualMachines@2024-03-01' = {",
      '  properties: { storageProfile: storage }',
      '}',
    ].join('\n');
    const site = onlySite(readInline(text));
    assert.deepEqual(candidatesOf(site), ['Canonical:UbuntuServer:16.04-LTS:?']);
    assert.equal(site.use.range.start, text.indexOf('storage }'));
  });

  test('an index from the end reads the item counted from the last one', () => {
    const text = [
      'var images = [',
      "  { publisher: 'Canonical', offer: 'UbuntuServer', sku: '16.04-LTS' }",
      "  { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server' }",
      ']',
      "resource a 'Microsoft.Compute/virtualMachines@2024-03-01' = {",
      '  properties: { storageProfile: { imageReference: images[^1] } }',
      '}',
      "resource b 'Microsoft.Compute/virtualMachines@2024-03-01' = {",
      '  properties: { storageProfile: { imageReference: images[^3] } }',
      '}',
    ].join('\n');
    const result = readInline(text);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.sites.map((site) => candidatesOf(site)),
      [['Canonical:ubuntu-24_04-lts:server:?'], []],
    );
  });

  test('ternaries give both branches unless the condition is known; ?? gives both sides', () => {
    const text = [
      "@allowed(['gen1', 'gen2'])",
      "param generation string = 'gen2'",
      'param override object?',
      "var gen1 = { publisher: 'Canonical', offer: 'UbuntuServer', sku: '18.04-LTS' }",
      "var gen2 = { publisher: 'Canonical', offer: 'UbuntuServer', sku: '18_04-lts-gen2' }",
      "resource a 'Microsoft.Compute/virtualMachines@2024-03-01' = {",
      "  properties: { storageProfile: { imageReference: generation == 'gen1' ? gen1 : gen2 } }",
      '}',
      "resource b 'Microsoft.Compute/virtualMachines@2024-03-01' = {",
      '  properties: { storageProfile: { imageReference: override ?? gen1 } }',
      '}',
      "resource c 'Microsoft.Compute/virtualMachines@2024-03-01' = {",
      '  properties: { storageProfile: { imageReference: true ? gen1 : gen2 } }',
      '}',
    ].join('\n');
    const result = readInline(text);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.sites.map((site) => candidatesOf(site)),
      [
        ['Canonical:UbuntuServer:18_04-lts-gen2:?', 'Canonical:UbuntuServer:18.04-LTS:?'],
        ['Canonical:UbuntuServer:18.04-LTS:?'],
        ['Canonical:UbuntuServer:18.04-LTS:?'],
      ],
    );
    assert.deepEqual(result.sites[1].unresolved, ['publisher', 'offer', 'sku', 'version']);
  });

  test('interpolation and functions compute values without definitions', () => {
    const text = [
      "param release string = '22_04'",
      "var base = { publisher: 'Canonical', offer: 'UbuntuServer', sku: 'old', version: 'latest' }",
      "resource a 'Microsoft.Compute/virtualMachines@2024-03-01' = {",
      "  properties: { storageProfile: { imageReference: union(base, { sku: '${release}-lts' }) } }",
      '}',
      "resource b 'Microsoft.Compute/virtualMachines@2024-03-01' = {",
      "  properties: { storageProfile: { imageReference: { publisher: toLower('CANONICAL'), offer: concat('ubuntu-', '24_04', '-lts'), sku: format('{0}-{1}', 'server', 'gen1'), version: sys.toUpper('latest') } } }",
      '}',
    ].join('\n');
    const result = readInline(text);
    assert.deepEqual(result.problems, []);
    const [a, b] = result.sites;
    assert.deepEqual(candidatesOf(a), ['Canonical:UbuntuServer:22_04-lts:latest']);
    const texts = { 'main.bicep': text };
    assert.deepEqual(
      fields.map((field) => where(a.candidates[0][field], texts)),
      ["variable main.bicep 'Canonical'", "variable main.bicep 'UbuntuServer'", 'computed', "variable main.bicep 'latest'"],
    );
    assert.deepEqual(candidatesOf(b), ['canonical:ubuntu-24_04-lts:server-gen1:LATEST']);
    assert.deepEqual(
      fields.map((field) => where(b.candidates[0][field], texts)),
      ['computed', 'computed', 'computed', 'computed'],
    );
  });

  test('unknown values are never guessed; cycles between variables end', () => {
    const text = [
      'var a = b',
      'var b = a',
      "resource x 'Microsoft.Compute/virtualMachines@2024-03-01' = {",
      "  properties: { storageProfile: { imageReference: { publisher: a, offer: reference('x').offer, sku: 'server' } } }",
      '}',
    ].join('\n');
    const site = onlySite(readInline(text));
    assert.deepEqual(candidatesOf(site), ['?:?:server:?']);
    assert.deepEqual(site.unresolved, ['publisher', 'offer']);
  });

  test('a custom image id marks the site custom; Windows images still give sites', () => {
    const text = [
      'param imageId string',
      "resource custom 'Microsoft.Compute/virtualMachines@2024-03-01' = {",
      '  properties: { storageProfile: { imageReference: { id: imageId } } }',
      '}',
      "resource windows 'Microsoft.Compute/virtualMachines@2024-03-01' = {",
      "  properties: { storageProfile: { imageReference: { publisher: 'MicrosoftWindowsServer', offer: 'WindowsServer', sku: '2022-datacenter', version: 'latest' } } }",
      '}',
    ].join('\n');
    const result = readInline(text);
    assert.deepEqual(result.problems, []);
    assert.equal(result.sites.length, 2);
    assert.equal(result.sites[0].custom, true);
    assert.deepEqual(result.sites[0].candidates, []);
    assert.equal(result.sites[1].custom, false);
    assert.deepEqual(candidatesOf(result.sites[1]), ['MicrosoftWindowsServer:WindowsServer:2022-datacenter:latest']);
  });
  test('a host pool VM template written as string({...}) is read from the object', () => {
    const text = [
      "resource pool 'Microsoft.DesktopVirtualization/hostPools@2024-04-03' = {",
      '  properties: {',
      "    vmTemplate: string({ galleryImagePublisher: 'microsoftwindowsdesktop', galleryImageOffer: 'office-365', galleryImageSKU: 'win11-23h2-avd-m365' })",
      '  }',
      '}',
      "resource pool2 'Microsoft.DesktopVirtualization/hostPools@2024-04-03' = {",
      '  properties: {',
      `    vmTemplate: '{"galleryImagePublisher":"canonical","galleryImageOffer":"ubuntu","galleryImageSKU":"22_04"}'`,
      '  }',
      '}',
    ].join('\n');
    const result = readInline(text);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.sites.map(candidatesOf), [
      ['microsoftwindowsdesktop:office-365:win11-23h2-avd-m365:?'],
      ['canonical:ubuntu:22_04:?'],
    ]);
    assert.equal(where(result.sites[0].candidates[0].sku, { 'main.bicep': text }), "literal main.bicep 'win11-23h2-avd-m365'");
    assert.equal(where(result.sites[1].candidates[0].sku, { 'main.bicep': text }), 'computed');
  });
});

describe('bicep reader: resources', () => {
  test('loops over arrays of image objects: every item is a candidate', () => {
    const text = [
      'var images = [',
      "  { publisher: 'Canonical', offer: 'UbuntuServer', sku: '18.04-LTS' }",
      "  { publisher: 'OpenLogic', offer: 'CentOS', sku: '7.9' }",
      ']',
      "resource vms 'Microsoft.Compute/virtualMachines@2024-03-01' = [for (image, i) in images: {",
      "  name: 'vm${i}'",
      '  properties: { storageProfile: { imageReference: image } }',
      '}]',
      "resource filtered 'Microsoft.Compute/virtualMachines@2024-03-01' = [for image in images: if (image.publisher != 'OpenLogic') {",
      '  properties: { storageProfile: { imageReference: { publisher: image.publisher, offer: image.offer, sku: image.sku } } }',
      '}]',
    ].join('\n');
    const result = readInline(text);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.sites.map(candidatesOf), [
      ['Canonical:UbuntuServer:18.04-LTS:?', 'OpenLogic:CentOS:7.9:?'],
      ['Canonical:UbuntuServer:18.04-LTS:?'],
    ]);
    assert.equal(where(result.sites[0].candidates[1].offer, { 'main.bicep': text }), "variable main.bicep 'CentOS'");
  });

  test('a loop over an unknown range still reads its body', () => {
    const text = [
      'param count int',
      "resource vms 'Microsoft.Compute/virtualMachines@2024-03-01' = [for i in range(0, count): {",
      "  properties: { storageProfile: { imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: '16.04-LTS' } } }",
      '}]',
    ].join('\n');
    assert.deepEqual(candidatesOf(onlySite(readInline(text))), ['Canonical:UbuntuServer:16.04-LTS:?']);
  });

  test('existing resources and resources whose condition is false are skipped', () => {
    const text = [
      "resource old 'Microsoft.Compute/virtualMachines@2024-03-01' existing = {",
      "  name: 'old'",
      '}',
      "resource never 'Microsoft.Compute/virtualMachines@2024-03-01' = if (false) {",
      "  properties: { storageProfile: { imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: '16.04-LTS' } } }",
      '}',
      'param deploy bool',
      "resource maybe 'Microsoft.Compute/virtualMachines@2024-03-01' = if (deploy) {",
      "  properties: { storageProfile: { imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: '14.04.5-LTS' } } }",
      '}',
    ].join('\n');
    assert.deepEqual(candidatesOf(onlySite(readInline(text))), ['Canonical:UbuntuServer:14.04.5-LTS:?']);
  });

  test('nested child resources compose their type with the parent type', () => {
    const text = [
      "resource batch 'Microsoft.Batch/batchAccounts@2024-02-01' = {",
      "  name: 'batch'",
      "  resource pool 'pools' = {",
      "    name: 'pool'",
      '    properties: {',
      '      deploymentConfiguration: {',
      '        virtualMachineConfiguration: {',
      "          imageReference: { publisher: 'canonical', offer: '0001-com-ubuntu-server-jammy', sku: '22_04-lts' }",
      '        }',
      '      }',
      '    }',
      '  }',
      '}',
    ].join('\n');
    const site = onlySite(readInline(text));
    assert.equal(site.resourceType, 'Microsoft.Batch/batchAccounts/pools');
    assert.deepEqual(candidatesOf(site), ['canonical:0001-com-ubuntu-server-jammy:22_04-lts:?']);
  });

  test('compile-time imports, named and wildcard, read the other file', () => {
    const images = ['@export()', "var ubuntu = { publisher: 'Canonical', offer: 'UbuntuServer', sku: '18.04-LTS' }"].join('\n');
    const text = [
      "import { ubuntu as image } from './images.bicep'",
      "import * as shared from './images.bicep'",
      "resource a 'Microsoft.Compute/virtualMachines@2024-03-01' = {",
      '  properties: { storageProfile: { imageReference: image } }',
      '}',
      "resource b 'Microsoft.Compute/virtualMachines@2024-03-01' = {",
      '  properties: { storageProfile: { imageReference: shared.ubuntu } }',
      '}',
    ].join('\n');
    const result = readInline(text, { 'images.bicep': images });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.sites.map(candidatesOf), [
      ['Canonical:UbuntuServer:18.04-LTS:?'],
      ['Canonical:UbuntuServer:18.04-LTS:?'],
    ]);
    assert.equal(where(result.sites[0].candidates[0].sku, { 'images.bicep': images }), "variable images.bicep '18.04-LTS'");
    assert.deepEqual(result.dependencies, ['images.bicep']);
  });
});

describe('bicep reader: modules', () => {
  test('a local Bicep module is read with the caller values, defined in the caller', () => {
    const main = fixture('main.bicep');
    const vm = fixture('modules/vm.bicep');
    const images = fixture('images.bicep');
    const result = readBicepFile(main.file, main.text, fixtureHost);
    const site = onlySite(result);
    assert.equal(site.use.file, vm.file);
    assert.equal(site.use.range.start, vm.text.indexOf('imageReference\n'));
    assert.deepEqual(candidatesOf(site), ['Canonical:UbuntuServer:18.04-LTS:latest', 'OpenLogic:CentOS:7.9:latest']);
    const texts = { [main.file]: main.text, [images.file]: images.text };
    assert.deepEqual(
      site.candidates.map((candidate) => where(candidate.sku, texts)),
      ["module-parameter main.bicep '18.04-LTS'", "variable images.bicep '7.9'"],
    );
    assert.equal(site.candidates[0].sku?.definition?.description, "value passed to parameter 'imageReference'");
    assert.deepEqual(result.dependencies.sort(), [images.file, vm.file].sort());
  });

  test('a module reading its default when the caller passes nothing', () => {
    const vm = fixture('modules/vm.bicep');
    const text = "module vm './modules/vm.bicep' = {\n  name: 'vm'\n}\n";
    const result = readBicepFile(path.join(fixtures, 'caller.bicep').split(path.sep).join('/'), text, fixtureHost);
    const site = onlySite(result);
    assert.deepEqual(candidatesOf(site), ['Canonical:ubuntu-24_04-lts:server:latest']);
    assert.equal(where(site.candidates[0].offer, { [vm.file]: vm.text }), "parameter-default vm.bicep 'ubuntu-24_04-lts'");
  });

  test('module loops pass every item', () => {
    const module = [
      'param image object',
      "resource vm 'Microsoft.Compute/virtualMachines@2024-03-01' = {",
      '  properties: { storageProfile: { imageReference: image } }',
      '}',
    ].join('\n');
    const text = [
      "var images = [ { publisher: 'Canonical', offer: 'UbuntuServer', sku: '18.04-LTS' }, { publisher: 'OpenLogic', offer: 'CentOS', sku: '7.9' } ]",
      "module vms 'vm.bicep' = [for image in images: {",
      '  params: { image: image }',
      '}]',
    ].join('\n');
    const site = onlySite(readInline(text, { 'vm.bicep': module }));
    assert.deepEqual(candidatesOf(site), ['Canonical:UbuntuServer:18.04-LTS:?', 'OpenLogic:CentOS:7.9:?']);
  });

  test('module cycles are reported once and do not hang', () => {
    const a = "module b './b.bicep' = {\n  name: 'b'\n}\n";
    const b = [
      "module a './a.bicep' = {",
      "  name: 'a'",
      '}',
      "resource vm 'Microsoft.Compute/virtualMachines@2024-03-01' = {",
      "  properties: { storageProfile: { imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: '16.04-LTS' } } }",
      '}',
    ].join('\n');
    const result = readBicepFile('a.bicep', a, memoryHost({ 'a.bicep': a, 'b.bicep': b }));
    assert.deepEqual(result.problems, [
      {
        file: 'b.bicep',
        message: "The module './a.bicep' leads back to a file that uses it; it is not read again.",
        range: { start: 9, end: 20 },
      },
    ]);
    assert.deepEqual(result.sites.map(candidatesOf), [['Canonical:UbuntuServer:16.04-LTS:?']]);
    assert.deepEqual(result.dependencies, ['b.bicep']);
  });

  test('a missing module file is a problem at its path', () => {
    const text = "module vm './missing.bicep' = {\n  name: 'vm'\n}\n";
    const result = readInline(text);
    assert.deepEqual(result.problems, [
      { file: 'main.bicep', message: "Cannot read the module './missing.bicep'.", range: { start: 10, end: 27 } },
    ]);
    assert.deepEqual(result.dependencies, ['missing.bicep']);
  });

  test('Azure Verified Modules from the registry: the imageReference parameter is the image', () => {
    const text = [
      "module vm 'br/public:avm/res/compute/virtual-machine:0.8.0' = {",
      '  params: {',
      "    name: 'vm'",
      "    imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: '18.04-LTS', version: 'latest' }",
      '  }',
      '}',
      "module vmss 'br:mcr.microsoft.com/bicep/avm/res/compute/virtual-machine-scale-set:0.4.0' = {",
      '  params: {',
      "    imageReference: { publisher: 'OpenLogic', offer: 'CentOS', sku: '7.9', version: 'latest' }",
      '  }',
      '}',
      "module other 'br/public:avm/res/storage/storage-account:0.9.0' = {",
      "  params: { name: 'sa' }",
      '}',
      "module spec 'ts:00000000-0000-0000-0000-000000000000/rg/spec:1.0' = {",
      "  params: { imageReference: { publisher: 'Canonical' } }",
      '}',
    ].join('\n');
    const result = readInline(text);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.sites.map((site) => [site.resourceType, ...candidatesOf(site)]),
      [
        ['Microsoft.Compute/virtualMachines', 'Canonical:UbuntuServer:18.04-LTS:latest'],
        ['Microsoft.Compute/virtualMachineScaleSets', 'OpenLogic:CentOS:7.9:latest'],
      ],
    );
    assert.equal(result.sites[0].use.range.start, text.indexOf("{ publisher: 'Canonical', offer"));
    assert.equal(where(result.sites[0].candidates[0].sku, { 'main.bicep': text }), "literal main.bicep '18.04-LTS'");
  });

  test('registry module rows hold for their versions; a row without a parameter path reads nothing', () => {
    const hostPool = (version: string) =>
      [
        `module pool 'br/public:avm/res/desktop-virtualization/host-pool:${version}' = {`,
        '  params: {',
        "    vmTemplate: { galleryImagePublisher: 'Canonical', galleryImageOffer: 'UbuntuServer', galleryImageSKU: '18.04-LTS' }",
        '  }',
        '}',
      ].join('\n');
    const sitesOf = (text: string) => readInline(text).sites.map((site) => [site.resourceType, ...candidatesOf(site)]);
    const found = [['Microsoft.DesktopVirtualization/hostPools', 'Canonical:UbuntuServer:18.04-LTS:?']];
    assert.deepEqual(sitesOf(hostPool('0.7.0')), found);
    assert.deepEqual(sitesOf(hostPool('1.2.3')), found);
    // Before 0.7.0 the module dropped the template it was given.
    assert.deepEqual(sitesOf(hostPool('0.6.1')), []);
    // A version that is not major.minor.patch matches no ranged row: read as an unknown module,
    // which finds no publisher, offer and sku here.
    assert.deepEqual(sitesOf(hostPool('latest')), []);
    assert.deepEqual(registryModuleImageOf('br/public:avm/res/compute/virtual-machine')?.parameterPath, ['imageReference']);
    assert.deepEqual(registryModuleImageOf('br/public:avm/ptn/ai-platform/baseline:0.6.0')?.parameterPath, [
      'virtualMachineConfiguration',
      'imageReference',
    ]);
  });

  test('a pattern module passes a nested parameter on, with the operating system it deploys', () => {
    const text = [
      "module ai 'br/public:avm/ptn/ai-platform/baseline:0.6.0' = {",
      '  params: {',
      "    virtualMachineConfiguration: { imageReference: { publisher: 'contoso', offer: 'desktop', sku: '2024', version: 'latest' } }",
      '  }',
      '}',
    ].join('\n');
    const site = onlySite(readInline(text));
    assert.equal(site.resourceType, 'Microsoft.Compute/virtualMachines');
    assert.equal(site.os, 'windows');
    assert.equal(site.use.range.start, text.indexOf("{ publisher: 'contoso'"));
  });

  test('modules that can deploy no image are not read and not charged to the budget of module reads', () => {
    // 300 calls of a module without an image, with distinct inputs, then one with an image: the
    // 256 reads a file may make went to the first ones, and the image was lost.
    const network = "param name string\nresource vnet 'Microsoft.Network/virtualNetworks@2024-01-01' = {\n  name: name\n}\n";
    const vm = [
      'param sku string',
      "resource vm 'Microsoft.Compute/virtualMachines@2024-03-01' = {",
      "  name: 'vm'",
      "  properties: { storageProfile: { imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: sku } } }",
      '}',
    ].join('\n');
    const calls = Array.from(
      { length: 300 },
      (_, index) => `module net${index} './network.bicep' = {\n  params: { name: 'n${index}' }\n}`,
    );
    const text = [...calls, "module vm './vm.bicep' = {", "  params: { sku: '18.04-LTS' }", '}', ''].join('\n');
    const result = readInline(text, { 'network.bicep': network, 'vm.bicep': vm });
    assert.deepEqual(candidatesOf(onlySite(result)), ['Canonical:UbuntuServer:18.04-LTS:?']);
    // Still a dependency: an edit that adds an image to it must bring a new analysis.
    assert.deepEqual([...result.dependencies].sort(), ['network.bicep', 'vm.bicep']);
  });

  test('a module with a module of its own, or a resource type with an image in any case, is read', () => {
    const inner = "module deeper './vm.bicep' = {\n  params: {}\n}\n";
    const vm = [
      "resource vm 'microsoft.compute/VIRTUALMACHINES@2024-03-01' = {",
      "  name: 'vm'",
      "  properties: { storageProfile: { imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: '16.04-LTS' } } }",
      '}',
    ].join('\n');
    const text = "module outer './outer.bicep' = {\n  params: {}\n}\n";
    const result = readInline(text, { 'outer.bicep': inner, 'vm.bicep': vm });
    assert.deepEqual(candidatesOf(onlySite(result)), ['Canonical:UbuntuServer:16.04-LTS:?']);
  });

  test('a local ARM JSON module is read by the ARM reader with the caller values', () => {
    const template = JSON.stringify(
      {
        $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
        contentVersion: '1.0.0.0',
        parameters: { sku: { type: 'string', defaultValue: '22_04-lts' } },
        resources: [
          {
            type: 'Microsoft.Compute/virtualMachines',
            apiVersion: '2024-03-01',
            name: 'vm',
            properties: {
              storageProfile: {
                imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: "[parameters('sku')]", version: 'latest' },
              },
            },
          },
        ],
      },
      null,
      2,
    );
    const text = "module vm './vm.json' = {\n  params: {\n    sku: '16.04-LTS'\n  }\n}\n";
    const result = readInline(text, { 'vm.json': template });
    const site = onlySite(result);
    assert.deepEqual(candidatesOf(site), ['Canonical:UbuntuServer:16.04-LTS:latest']);
    assert.equal(site.use.file, 'vm.json');
    assert.equal(where(site.candidates[0].sku, { 'main.bicep': text }), "module-parameter main.bicep '16.04-LTS'");
    assert.deepEqual(result.dependencies, ['vm.json']);
  });
});

describe('bicep reader: parameters files', () => {
  test('a .bicepparam value replaces the default and points into the parameters file', () => {
    const template = fixture('vmss.bicep');
    const parameters = fixture('vmss.bicepparam');
    const result = readBicepParamFile(parameters.file, parameters.text, fixtureHost);
    const site = onlySite(result);
    assert.equal(site.use.file, template.file);
    assert.deepEqual(candidatesOf(site), ['Canonical:0001-com-ubuntu-server-focal:20_04-lts:latest']);
    const sku = site.candidates[0].sku!;
    assert.equal(where(sku, { [parameters.file]: parameters.text }), "parameter-file vmss.bicepparam '20_04-lts'");
    assert.equal(sku.definition?.location.range.start, parameters.text.indexOf("'20_04-lts'"));
    assert.equal(sku.definition?.description, "parameter file value of 'sku'");
    assert.equal(
      where(site.candidates[0].offer, { [template.file]: template.text }),
      "literal vmss.bicep '0001-com-ubuntu-server-focal'",
    );
    assert.deepEqual(result.dependencies, [template.file]);
  });

  test('bicepParamInputs names the template and the values', () => {
    const { templatePath, inputs } = bicepParamInputs(
      'folder/main.bicepparam',
      "using './main.bicep'\nparam sku = '22_04-lts'\n",
    );
    assert.equal(templatePath, 'folder/main.bicep');
    assert.deepEqual([...inputs.keys()], ['sku']);
    assert.equal(inputs.get('sku')?.[0].kind === 'string' && inputs.get('sku')?.[0].kind, 'string');
  });

  test('a missing template is a problem at the using path; using none reads nothing', () => {
    const text = "using './absent.bicep'\nparam sku = 'x'\n";
    assert.deepEqual(readBicepParamFile('main.bicepparam', text, memoryHost({})).problems, [
      {
        file: 'main.bicepparam',
        message: "Cannot read the template './absent.bicep' that this parameters file uses.",
        range: { start: 6, end: 22 },
      },
    ]);
    assert.deepEqual(readBicepParamFile('main.bicepparam', 'using none\n', memoryHost({})), {
      sites: [],
      problems: [],
      dependencies: [],
    });
  });
});

describe('bicep reader: robustness', () => {
  test('a syntax error is one problem, and the images around it are still read', () => {
    const text = [
      'var broken = (',
      "resource vm 'Microsoft.Compute/virtualMachines@2024-03-01' = {",
      "  properties: { storageProfile: { imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: '16.04-LTS' } } }",
      '}',
    ].join('\n');
    const result = readInline(text);
    assert.deepEqual(
      result.problems.map((problem) => problem.message),
      ["Some images may be missed: the file has a syntax error (The '(' at this location is not closed. Add the matching ')'.)"],
    );
    assert.deepEqual(result.sites.map(candidatesOf), [['Canonical:UbuntuServer:16.04-LTS:?']]);
  });

  test('files without images are skipped before parsing', () => {
    assert.deepEqual(readInline("param name string = 'x'\n"), { sites: [], problems: [], dependencies: [] });
  });
});
