/**
 * The table of Azure Verified Modules that deploy an image (`registryModules.json`) and what the
 * Bicep reader makes of a call to one: the row is picked by the version in the module's path, and
 * an image a pattern module writes inside itself is an image of the call, reported at the
 * module's path. Regression tests: every row once held for every version (`*`) whatever the
 * sources said, and a pattern's own jump box image was listed as checked but never reported.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { analyzeDocument, readDocument } from '../../../server/out/core/analyze';
import { bundledCatalog } from '../../../server/out/core/catalog/bundledCatalog';
import { hoverAt } from '../../../server/out/core/hover';
import { imageLocationOf } from '../../../server/out/core/imageLocations';
import { candidateTrace, inventoryEntries } from '../../../server/out/core/inventory';
import type { FileHost, ImageSite } from '../../../server/out/core/model';
import {
  checkedRegistryModules,
  registryModuleImageOf,
  registryModuleImages,
  type RegistryModuleImage,
} from '../../../server/out/core/bicep/registryModules';
import { fixtureDate, fixturesRoot, scanCase } from '../harness/fixtures';

const settings = { catalog: bundledCatalog, config: { rules: {} }, asOf: fixtureDate };
const tablePath = path.resolve(__dirname, '../../../server/src/core/bicep/registryModules.json');

function hostOf(files: Record<string, string>): FileHost {
  return { readFile: (file) => files[file] };
}

/** Each site as `resourceType os publisher:offer:sku:version [conditions]`. */
function describeSites(sites: readonly ImageSite[]): string[] {
  return sites.flatMap((site) =>
    site.candidates.map((candidate) => {
      const names = (['publisher', 'offer', 'sku', 'version'] as const).map((field) => candidate[field]?.value ?? '?').join(':');
      const when = candidate.sku?.when?.map((condition) => `${condition.subject} is ${condition.value}`).join(' and ');
      return `${site.resourceType} ${site.os ?? '-'} ${names}${when ? ` [${when}]` : ''}`;
    }),
  );
}

const comparator = /^(\*|(>=|<=|>|<|=)\d+\.\d+\.\d+)$/;

describe('registry module table', () => {
  const table = JSON.parse(fs.readFileSync(tablePath, 'utf8')) as { modules: RegistryModuleImage[]; checked: unknown[] };

  test('the module reads the table as it is written', () => {
    assert.deepEqual(registryModuleImages, table.modules);
    assert.deepEqual(checkedRegistryModules, table.checked);
  });

  test('every row names its versions, a source for them, and what it reads', () => {
    for (const row of registryModuleImages) {
      const name = `${row.module} ${row.versions.join(' ')}`;
      assert.match(row.module, /^avm\/(res|ptn)\/[a-z0-9-]+\/[a-z0-9-]+(\/[a-z0-9-]+)?$/, name);
      assert.ok(row.versions.length > 0, name);
      for (const version of row.versions) assert.match(version, comparator, name);
      assert.match(row.source, /^Azure\/bicep-registry-modules avm\//, name);
      if (row.parameterPath) {
        assert.ok(row.parameterPath.length > 0, name);
        assert.ok(row.resourceType && imageLocationOf(row.resourceType), `${name}: resource type in imageLocations.json`);
      } else assert.equal(row.resourceType, undefined, name);
      // A row for every version after ranged rows of the same module says why it is not bounded.
      const earlier = registryModuleImages
        .slice(0, registryModuleImages.indexOf(row))
        .filter((other) => other.module === row.module);
      if (row.versions.includes('*') && earlier.length > 0) assert.match(row.source, /Not bounded:/, name);
      // Nothing after a row for every version of a module can be picked.
      assert.ok(!earlier.some((other) => other.versions.includes('*')), `${name}: after a row for every version`);
      for (const inside of row.imagesInside ?? []) {
        assert.ok(imageLocationOf(inside.resourceType), `${name}: ${inside.file}`);
        for (const field of ['publisher', 'offer', 'sku'] as const) assert.ok(inside.image[field].length > 0, name);
        assert.match(inside.file, /\.bicep$/, name);
        assert.match(inside.source, /^Azure\/bicep-registry-modules avm\//, name);
        for (const condition of inside.deployedWhen ?? []) {
          assert.ok(condition.path.length > 0, name);
          const tests = [condition.equals, condition.notEquals, condition.notGiven].filter((test) => test !== undefined);
          assert.equal(tests.length, 1, `${name}: one test per condition`);
        }
      }
    }
  });

  test('a module is either read or checked, not both', () => {
    const read = new Set(registryModuleImages.map((row) => row.module));
    for (const checked of checkedRegistryModules) assert.ok(!read.has(checked.module), checked.module);
  });
});

describe('registry module rows by version', () => {
  test('a version inside a range picks its row; one outside picks the next that holds', () => {
    const machine = (version: string) => registryModuleImageOf(`br/public:avm/res/compute/virtual-machine:${version}`);
    assert.deepEqual(machine('0.15.0')?.versions, ['>=0.15.0']);
    assert.deepEqual(machine('0.22.0')?.versions, ['>=0.15.0']);
    assert.deepEqual(machine('0.5.1')?.versions, ['*']);
    assert.match(machine('0.5.1')!.source, /Not bounded/);
    const builder = (version: string) =>
      registryModuleImageOf(`br/public:avm/ptn/virtual-machine-images/azure-image-builder:${version}`)?.versions;
    assert.deepEqual(builder('0.1.6'), ['>=0.1.6', '<0.2.0']);
    assert.deepEqual(builder('0.2.0'), ['>=0.2.0']);
    assert.deepEqual(builder('0.1.0'), ['*']);
  });

  test('the host pool passes its VM template on from 0.7.0 only', () => {
    const pool = (version: string) => registryModuleImageOf(`br/public:avm/res/desktop-virtualization/host-pool:${version}`);
    assert.deepEqual(pool('0.7.0')?.parameterPath, ['vmTemplate']);
    assert.equal(pool('0.6.9')?.parameterPath, undefined);
    assert.deepEqual(pool('0.6.9')?.versions, ['<0.7.0']);
    // A version that is not major.minor.patch holds for no ranged row.
    assert.equal(pool('latest'), undefined);
  });

  test('where a parameter path differs between versions, each version reads its own', () => {
    // No module the sources were read for has renamed its image parameter yet (the image builder
    // typed imageTemplateImageSource in 0.2.0, keeping the name); the picker reads such a change
    // from rows like these.
    const rows: RegistryModuleImage[] = [
      {
        module: 'avm/res/example/machine',
        parameterPath: ['image'],
        resourceType: 'Microsoft.Compute/virtualMachines',
        versions: ['>=2.0.0'],
        source: 'new',
      },
      {
        module: 'avm/res/example/machine',
        parameterPath: ['profile', 'imageReference'],
        resourceType: 'Microsoft.Compute/virtualMachines',
        versions: ['<2.0.0'],
        source: 'old',
      },
    ];
    assert.deepEqual(registryModuleImageOf('br/public:avm/res/example/machine:2.1.0', rows)?.parameterPath, ['image']);
    assert.deepEqual(registryModuleImageOf('br/public:avm/res/example/machine:1.9.9', rows)?.parameterPath, [
      'profile',
      'imageReference',
    ]);
    assert.equal(registryModuleImageOf('br/public:avm/res/example/machine:next', rows), undefined);
  });

  test('the reader reads the call by the row its version picks', () => {
    const call = (version: string) =>
      [
        `module pool 'br/public:avm/res/desktop-virtualization/host-pool:${version}' = {`,
        "  params: { vmTemplate: { galleryImagePublisher: 'Canonical', galleryImageOffer: 'UbuntuServer', galleryImageSKU: '18.04-LTS' } }",
        '}',
      ].join('\n');
    const sites = (text: string) =>
      describeSites(readDocument('main.bicep', text, hostOf({ 'main.bicep': text }), settings).sites);
    assert.deepEqual(sites(call('0.8.0')), ['Microsoft.DesktopVirtualization/hostPools - Canonical:UbuntuServer:18.04-LTS:?']);
    assert.deepEqual(sites(call('0.6.0')), []);
  });
});

describe('images written inside a registry module', () => {
  const landingZone = (params: string, declaration = "module lz 'br/public:avm/ptn/aca-lza/hosting-environment:0.6.2' = {") =>
    [declaration, '  params: {', params, '  }', '}'].join('\n');
  const linux = 'Microsoft.Compute/virtualMachines linux canonical:0001-com-ubuntu-server-focal:20_04-lts-gen2:latest';
  const windows = 'Microsoft.Compute/virtualMachines windows MicrosoftWindowsServer:WindowsServer:2016-Datacenter:latest';
  const sitesOf = (text: string, others: Record<string, string> = {}) =>
    describeSites(readDocument('main.bicep', text, hostOf({ 'main.bicep': text, ...others }), settings).sites);

  test('the call deploys the image its parameter chooses, under the conditions of that choice', () => {
    assert.deepEqual(sitesOf(landingZone("    vmJumpboxOSType: 'linux'")), [linux]);
    assert.deepEqual(sitesOf(landingZone("    vmJumpboxOSType: 'windows'")), [windows]);
    assert.deepEqual(sitesOf(landingZone("    vmJumpboxOSType: 'none'")), []);
    // Bicep's == compares with case: 'Linux' deploys no jump box.
    assert.deepEqual(sitesOf(landingZone("    vmJumpboxOSType: 'Linux'")), []);
    // Not given: the module's default, 'none'.
    assert.deepEqual(sitesOf(landingZone("    vmSize: 'Standard_B2s'")), []);
    const chosen = `@allowed(['linux', 'none'])\nparam os string = 'none'\n${landingZone('    vmJumpboxOSType: os')}`;
    assert.deepEqual(sitesOf(chosen), [`${linux} [os is 'linux']`]);
    // A value known only at deployment, or params that may hold it elsewhere: the module's parameter.
    assert.deepEqual(sitesOf(`param os string\n${landingZone('    vmJumpboxOSType: os')}`), [
      `${linux} [vmJumpboxOSType is 'linux']`,
      `${windows} [vmJumpboxOSType is 'windows']`,
    ]);
    assert.deepEqual(sitesOf(`param more object\n${landingZone('    ...more')}`), [
      `${linux} [vmJumpboxOSType is 'linux']`,
      `${windows} [vmJumpboxOSType is 'windows']`,
    ]);
    // The call's own condition holds too.
    const conditional = landingZone(
      "    vmJumpboxOSType: 'linux'",
      "param deploy bool\nmodule lz 'br/public:avm/ptn/aca-lza/hosting-environment:0.6.2' = if (deploy) {",
    );
    assert.deepEqual(sitesOf(conditional), [`${linux} [deploy is true]`]);
  });

  test("a module's fallback image is deployed when the call gives none", () => {
    const dsvm = 'Microsoft.Compute/virtualMachines windows microsoft-dsvm:dsvm-win-2022:winserver-2022:latest';
    const platform = (params: string) =>
      `module ai 'br/public:avm/ptn/ai-platform/baseline:0.7.1' = {\n  params: {\n    name: 'ai'\n${params}\n  }\n}`;
    assert.deepEqual(sitesOf(platform('')), [dsvm]);
    assert.deepEqual(sitesOf(platform("    virtualMachineConfiguration: { enabled: true, adminUsername: 'a' }")), [dsvm]);
    // A virtual machine or network turned off deploys no image.
    assert.deepEqual(sitesOf(platform('    virtualMachineConfiguration: { enabled: false }')), []);
    assert.deepEqual(sitesOf(platform('    virtualNetworkConfiguration: { enabled: false }')), []);
    // An image given replaces it.
    const given = platform(
      "    virtualMachineConfiguration: { imageReference: { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' } }",
    );
    assert.deepEqual(sitesOf(given), ['Microsoft.Compute/virtualMachines windows Canonical:ubuntu-24_04-lts:server:latest']);
    // Settings known only at deployment: the module's parameters say when.
    assert.deepEqual(sitesOf(`param vm object\n${platform('    virtualMachineConfiguration: vm')}`), [
      `${dsvm} [virtualMachineConfiguration.imageReference is not given and virtualMachineConfiguration.enabled is not false]`,
    ]);
    assert.deepEqual(sitesOf(`param enableVm bool\n${platform('    virtualMachineConfiguration: { enabled: enableVm }')}`), [
      `${dsvm} [enableVm is true]`,
    ]);
  });

  test('an image the module always deploys is an image of every call', () => {
    const text = "module app 'br/public:avm/ptn/app/iaas-vm-cosmosdb-tier4:0.1.0' = {\n  params: { name: 'app' }\n}";
    assert.deepEqual(sitesOf(text), ['Microsoft.Compute/virtualMachines linux canonical:ubuntu-24_04-lts:server:latest']);
  });

  test('the finding is at the module path, says where the image is written, and has no fix', () => {
    const text = `@allowed(['linux', 'none'])\nparam os string = 'none'\n${landingZone('    vmJumpboxOSType: os')}`;
    const result = analyzeDocument('main.bicep', text, hostOf({ 'main.bicep': text }), settings);
    assert.deepEqual(result.problems, []);
    assert.equal(result.findings.length, 1);
    const [finding] = result.findings;
    const modulePath = "'br/public:avm/ptn/aca-lza/hosting-environment:0.6.2'";
    assert.deepEqual(finding.location, {
      file: 'main.bicep',
      range: { start: text.indexOf(modulePath), end: text.indexOf(modulePath) + modulePath.length },
    });
    assert.equal(finding.code, 'end-of-support');
    assert.match(
      finding.message,
      / The image is written inside the registry module 'br\/public:avm\/ptn\/aca-lza\/hosting-environment:0\.6\.2' \(its modules\/compute\/linux-vm\.bicep\), not in this file\.$/,
    );
    assert.deepEqual(finding.fixes, []);
    assert.deepEqual(
      finding.related.map((item) => item.message),
      ["This image is only deployed when os is 'linux'."],
    );
  });

  test('a folder scan keeps the Linux and the Windows jump box apart', () => {
    // Both are at the module's path; merged, the Windows image took the Linux site's system.
    const result = scanCase(path.join(fixturesRoot, 'rules', 'registry-module-images'));
    const atLandingZone = result.images.filter((site) => {
      const text = fs.readFileSync(site.use.file, 'utf8');
      return (
        text.slice(site.use.range.start, site.use.range.end).includes('hosting-environment') &&
        site.use.range.start < text.indexOf('withoutJumpbox')
      );
    });
    assert.deepEqual(describeSites(atLandingZone).sort(), [
      `${linux}`,
      `${linux} [jumpboxOs is 'linux']`,
      `${windows} [jumpboxOs is 'windows']`,
    ]);
  });

  test('the hover and the inventory say the image is inside the module', () => {
    const text = landingZone("    vmJumpboxOSType: 'linux'");
    const hover = hoverAt('main.bicep', text, text.indexOf('avm/ptn'), hostOf({ 'main.bicep': text }), settings);
    assert.ok(hover, 'a hover at the module path');
    assert.match(hover.markdown, /Ubuntu 20\.04/);
    assert.match(
      hover.markdown,
      /- sku: written inside registry module `br\/public:avm\/ptn\/aca-lza\/hosting-environment:0\.6\.2` \(its modules\/compute\/linux-vm\.bicep\)/,
    );
    const [site] = readDocument('main.bicep', text, hostOf({ 'main.bicep': text }), settings).sites;
    const [entry] = inventoryEntries(site);
    assert.deepEqual(candidateTrace(entry.candidate).sku, [
      {
        kind: 'registry-module',
        description: "registry module 'br/public:avm/ptn/aca-lza/hosting-environment:0.6.2' (its modules/compute/linux-vm.bicep)",
      },
    ]);
    assert.deepEqual(entry.definedAt, {});
  });
});
