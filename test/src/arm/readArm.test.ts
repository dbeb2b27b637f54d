/**
 * The ARM reader over fixture templates: every resource type of the image-locations table, every
 * way a value reaches an image (literal, parameter, variable, map of images, functions), nested
 * deployments, `languageVersion` 2.0, copy loops, parameter files, custom images, and input as
 * people write it. Candidates are compared whole, in the compact `publisher:offer:sku:version`
 * spelling; a few tests check exact definition offsets, kinds and descriptions.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { ImageCandidate } from '../../../server/out/core/model';
import { classifyJsonDocument, readArmFile, readArmTemplate } from '../../../server/out/core/arm/readArm';
import { compactCandidates, fileSystemHost, fixturePath, memoryHost, readFixture, summarizeSites } from './armTestSupport';

const schema = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

function fixtureText(name: string): string {
  return fs.readFileSync(fixturePath(name), 'utf8');
}

/** The text a definition points at, to check offsets without writing numbers by hand. */
function definedText(text: string, candidate: ImageCandidate, field: 'publisher' | 'offer' | 'sku' | 'version'): string {
  const range = candidate[field]?.definition?.location.range;
  assert.ok(range, `${field} has a definition`);
  return text.slice(range.start, range.end);
}

describe('ARM reader: resource types', () => {
  it('finds the image of every resource type in the table, at any depth, and nothing else', () => {
    const result = readFixture('resource-types.json');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(summarizeSites(result), [
      ['virtualMachines', 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest'],
      ['virtualMachineScaleSets', 'RedHat:RHEL:9-lvm-gen2:latest'],
      ['pools', 'canonical:0001-com-ubuntu-server-focal:20_04-lts:?'],
      ['pools', 'microsoft-azure-batch:ubuntu-server-container:20-04-lts:?'],
      ['virtualmachines', 'Debian:debian-11:11-gen2:latest'],
      ['imageTemplates', 'SUSE:sles-15-sp5:gen2:latest'],
      ['nodeTypes', 'Canonical:UbuntuServer:18.04-LTS:latest'],
      ['hostPools', 'MicrosoftWindowsDesktop:office-365:win11-22h2-avd-m365:?'],
      ['hostPools', 'MicrosoftWindowsDesktop:windows-11:win11-23h2-avd:?'],
    ]);
  });

  it('composes child types and keeps types written in full', () => {
    const types = readFixture('resource-types.json').sites.map((site) => site.resourceType);
    assert.deepEqual(types.slice(2, 5), [
      'Microsoft.Batch/batchAccounts/pools',
      'Microsoft.Batch/batchAccounts/pools',
      'Microsoft.DevTestLab/labs/virtualmachines',
    ]);
  });

  it('uses the image object value as the site and literal strings as definitions', () => {
    const text = fixtureText('resource-types.json');
    const [site] = readFixture('resource-types.json').sites;
    assert.ok(text.slice(site.use.range.start, site.use.range.end).startsWith('{ "publisher": "Canonical"'));
    assert.equal(text.slice(site.use.range.end - 1, site.use.range.end), '}');
    const sku = site.candidates[0].sku;
    assert.equal(definedText(text, site.candidates[0], 'sku'), '"22_04-lts-gen2"');
    assert.equal(sku?.definition?.kind, 'literal');
    assert.equal(sku?.definition?.description, 'literal');
    assert.equal(sku?.definition?.syntax, 'json');
  });

  it('reads a hostPools vmTemplate written as a JSON string as computed values', () => {
    const hostPool = readFixture('resource-types.json').sites[7];
    assert.equal(hostPool.candidates[0].publisher?.definition, undefined);
    assert.deepEqual(hostPool.unresolved, []);
  });
});

describe('ARM reader: parameters and variables', () => {
  const name = 'parameters-and-variables.json';

  it('resolves each form to the exact candidates', () => {
    assert.deepEqual(summarizeSites(readFixture(name)), [
      [
        'virtualMachines',
        'Canonical:UbuntuServer:18.04-LTS:latest',
        'Canonical:UbuntuServer:16.04.0-LTS:latest',
        'Canonical:UbuntuServer:18.04-LTS:latest',
      ],
      // A map of images indexed by a parameter gives its allowed entries, fields kept together.
      ['virtualMachines', 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts:?', 'RedHat:RHEL:8-lvm:?'],
      // Indexed by a parameter without known values: every entry.
      ['virtualMachines', 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts:?', 'RedHat:RHEL:8-lvm:?', 'Debian:debian-12:12:?'],
      // Each field read from the map separately still pairs publisher, offer and SKU correctly.
      ['virtualMachines', 'Canonical:0001-com-ubuntu-server-jammy:22_04-lts:latest', 'RedHat:RHEL:8-lvm:latest'],
      ['virtualMachines', 'OpenLogic:CentOS:7.5:latest'],
      ['virtualMachines', 'SUSE:sles-15-sp4:gen2:?'],
      ['virtualMachines', '?:?:?:latest'],
    ]);
  });

  it('points a parameter value at its default or at the allowed value itself', () => {
    const text = fixtureText(name);
    const [site] = readFixture(name).sites;
    const [fromDefault, allowedOld, allowedCurrent] = site.candidates;
    assert.equal(fromDefault.sku?.definition?.kind, 'parameter-default');
    assert.equal(fromDefault.sku?.definition?.description, "parameter 'ubuntuOSVersion'");
    assert.equal(fromDefault.sku?.definition?.location.range.start, text.indexOf('"18.04-LTS"'));
    assert.equal(allowedOld.sku?.definition?.kind, 'allowed-value');
    assert.equal(allowedOld.sku?.definition?.location.range.start, text.indexOf('"16.04.0-LTS"'));
    assert.equal(definedText(text, allowedOld, 'sku'), '"16.04.0-LTS"');
    assert.equal(allowedCurrent.sku?.definition?.location.range.start, text.indexOf('"18.04-LTS"]'));
    // A variable that refers to another variable is defined where the text is.
    assert.equal(fromDefault.offer?.definition?.description, "variable 'offerAlias'");
    assert.equal(definedText(text, fromDefault, 'offer'), '"UbuntuServer"');
    assert.equal(fromDefault.publisher?.definition?.kind, 'variable');
  });

  it('points a map entry at the image values inside it, never at the key', () => {
    const text = fixtureText(name);
    const site = readFixture(name).sites[1];
    assert.equal(text.slice(site.use.range.start, site.use.range.end), `"[variables('images')[parameters('os')]]"`);
    const redHat = site.candidates[1];
    assert.equal(definedText(text, redHat, 'sku'), '"8-lvm"');
    assert.equal(redHat.sku?.definition?.description, "variable 'images'");
  });

  it('points an object parameter used as the whole image at its default', () => {
    const site = readFixture(name).sites[4];
    assert.equal(site.candidates[0].sku?.definition?.kind, 'parameter-default');
    assert.equal(site.candidates[0].sku?.definition?.description, "parameter 'imageReference'");
  });

  it('leaves unknown what it cannot know, and survives cycles', () => {
    const site = readFixture(name).sites[6];
    assert.deepEqual(site.unresolved, ['publisher', 'offer', 'sku']);
  });
});

describe('ARM reader: functions', () => {
  it('evaluates the supported functions over alternatives', () => {
    assert.deepEqual(summarizeSites(readFixture('functions.json')), [
      ['virtualMachines', 'RedHat:UbuntuServer:18.04-LTS:latest', 'Canonical:UbuntuServer:18.04-LTS:latest'],
      ['virtualMachines', 'canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:LATEST'],
      ['virtualMachines', 'Debian:debian-11:11:?'],
      ['virtualMachines', 'Canonical:UbuntuServer:18.04-LTS:?'],
      ['virtualMachines', 'Canonical:CentOS:16.04-LTS:[literal]'],
      // `useRedHat` defaults to false, but a deployer may set it: both publishers.
      ['virtualMachines', 'Canonical:jammy:22_04-lts:?', 'RedHat:jammy:22_04-lts:?'],
    ]);
  });

  it('keeps definitions through choosing functions and drops them for computed text', () => {
    const text = fixtureText('functions.json');
    const sites = readFixture('functions.json').sites;
    const [computed] = sites[1].candidates;
    for (const field of ['publisher', 'offer', 'sku', 'version'] as const) assert.equal(computed[field]?.definition, undefined);
    const [chosen] = sites[4].candidates;
    assert.equal(definedText(text, chosen, 'publisher'), '"Canonical"');
    assert.equal(definedText(text, chosen, 'sku'), '"16.04-LTS"');
    // An escaped `[[` is a literal written in the template.
    assert.equal(definedText(text, chosen, 'version'), '"[[literal]"');
    assert.deepEqual(sites[5].unresolved, ['version']);
  });
});

describe('ARM reader: nested deployments and languageVersion 2.0', () => {
  it('reads inner scope with the values passed and outer scope with the outer names', () => {
    const text = fixtureText('nested-deployments.json');
    const result = readFixture('nested-deployments.json');
    assert.deepEqual(summarizeSites(result), [
      [
        'virtualMachines',
        'Canonical:0001-com-ubuntu-server-focal:20_04-lts:latest',
        'Canonical:0001-com-ubuntu-server-focal:20_04-lts:latest',
        'Canonical:0001-com-ubuntu-server-focal:22_04-lts:latest',
      ],
      [
        'virtualMachineScaleSets',
        'Canonical:0001-com-ubuntu-server-focal:20_04-lts:latest',
        'Canonical:0001-com-ubuntu-server-focal:20_04-lts:latest',
        'Canonical:0001-com-ubuntu-server-focal:22_04-lts:latest',
      ],
    ]);
    const inner = result.sites[0].candidates[0];
    assert.equal(inner.publisher?.definition?.kind, 'module-parameter');
    assert.equal(inner.publisher?.definition?.description, "value passed to parameter 'publisher'");
    assert.equal(inner.sku?.definition?.description, "parameter 'outerSku'");
    assert.equal(definedText(text, inner, 'offer'), '"0001-com-ubuntu-server-focal"');
    assert.equal(inner.offer?.definition?.kind, 'parameter-default');
  });

  it('reads resources kept in an object, skips existing resources, follows module deployments', () => {
    assert.deepEqual(summarizeSites(readFixture('language-version-2.json')), [
      ['virtualMachines', 'RedHat:RHEL:9-lvm-gen2:latest'],
      ['virtualMachines', 'Debian:debian-12:12-gen2:latest'],
    ]);
  });
});

describe('ARM reader: copy loops', () => {
  it('enumerates short known loops, takes every item for unknown ones, reads copy variables', () => {
    assert.deepEqual(summarizeSites(readFixture('copy-loops.json')), [
      ['virtualMachines', 'Canonical:UbuntuServer:18.04-LTS:?', 'OpenLogic:CentOS:8_5:?'],
      ['virtualMachines', 'Canonical:UbuntuServer:18.04-LTS:?', 'OpenLogic:CentOS:8_5:?', 'SUSE:sles-12-sp5:gen1:?'],
      ['virtualMachines', 'Canonical:0001-com-ubuntu-server-jammy:21_04-lts:latest'],
      ['virtualMachines', 'OpenLogic:CentOS:8_5:?'],
    ]);
  });
});

describe('ARM reader: parameter files', () => {
  it('adds the values of each parameter file beside the template, one deployment per file', () => {
    const result = readFixture('parameter-files/azuredeploy.json');
    assert.deepEqual(summarizeSites(result), [
      [
        'virtualMachines',
        'OpenLogic:CentOS:7.5:latest',
        'OpenLogic:CentOS:7.5:latest',
        'OpenLogic:CentOS:8_5:latest',
        // azuredeploy.parameters.json: its empty vmOffer is a placeholder, so the default stays.
        'OpenLogic:CentOS:7_9:latest',
        // azuredeploy.parameters.prod.json sets both, and they travel together.
        'OpenLogic:CentOS-LVM:8_5:latest',
      ],
    ]);
    assert.deepEqual(result.dependencies, [
      fixturePath('parameter-files/azuredeploy.parameters.json'),
      fixturePath('parameter-files/azuredeploy.parameters.prod.json'),
    ]);
    const fromFile = result.sites[0].candidates[3].sku?.definition;
    assert.equal(fromFile?.kind, 'parameter-file');
    assert.equal(fromFile?.description, "parameter file value of 'vmSku'");
    assert.equal(fromFile?.location.file, fixturePath('parameter-files/azuredeploy.parameters.json'));
    const parameterText = fixtureText('parameter-files/azuredeploy.parameters.json');
    assert.equal(fromFile?.location.range.start, parameterText.indexOf('"7_9"'));
  });

  it('reads a parameter file through its template, with only that file as the deployment', () => {
    const result = readFixture('parameter-files/azuredeploy.parameters.prod.json');
    assert.deepEqual(summarizeSites(result), [['virtualMachines', 'OpenLogic:CentOS-LVM:8_5:latest']]);
    assert.deepEqual(result.dependencies, [fixturePath('parameter-files/azuredeploy.json')]);
    assert.equal(result.sites[0].use.file, fixturePath('parameter-files/azuredeploy.json'));
  });

  it('follows the parameter file map in both directions', () => {
    const parameterFileMap = { [fixturePath('parameter-files/other.json')]: 'settings-for-other.json' };
    const fromTemplate = readFixture('parameter-files/other.json', { parameterFileMap });
    assert.deepEqual(compactCandidates(fromTemplate.sites[0]), [
      'Canonical:0001-com-ubuntu-server-focal:20_04-lts:latest',
      'Canonical:0001-com-ubuntu-server-focal:22_04-lts:latest',
    ]);
    assert.deepEqual(fromTemplate.dependencies, [fixturePath('parameter-files/settings-for-other.json')]);
    const fromParameters = readFixture('parameter-files/settings-for-other.json', { parameterFileMap });
    assert.deepEqual(compactCandidates(fromParameters.sites[0]), ['Canonical:0001-com-ubuntu-server-focal:22_04-lts:latest']);
  });

  it('reports a parameter file paired with no template, and says why', () => {
    const host = memoryHost({});
    const text =
      '{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {} }';
    assert.deepEqual(readArmFile('/x/lonely.parameters.json', text, host), {
      sites: [],
      problems: [
        {
          file: '/x/lonely.parameters.json',
          message:
            "This parameter file is paired with no template, so its values are not checked: no template named lonely.json is beside it. Name it after its template (<template>.parameters.json) or map it with 'parameterFiles' in azure-image-lint.json.",
          range: { start: 0, end: 0 },
        },
      ],
      dependencies: [],
    });
  });
});

describe('ARM reader: parameter files as real repositories name them', () => {
  const parameters = (sku: string) =>
    `{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": { "sku": { "value": "${sku}" } } }`;
  const template = (name: string) =>
    JSON.stringify({
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      parameters: { sku: { type: 'string', defaultValue: '7_9' } },
      resources: [
        {
          type: 'Microsoft.Compute/virtualMachines',
          name,
          properties: {
            storageProfile: { imageReference: { publisher: 'OpenLogic', offer: 'CentOS', sku: "[parameters('sku')]" } },
          },
        },
      ],
    });
  const files = {
    '/r/azuredeploy.json': template('vm'),
    '/r/centos.7.5.azuredeploy.parameters.json': parameters('7.5'),
    '/r/azuredeploy.parameters.dev.json': parameters('6.10'),
    '/r/azuredeploy.parameters-sles.json': parameters('7.4'),
    '/r/azuredeploy.dev.parameters.json': parameters('7.3'),
    '/r/main.json': template('main'),
    '/r/main.parameters.prod.json': parameters('8_5'),
    '/r/export/template.json': template('exported'),
    '/r/export/parameters.json': parameters('7.7'),
  };
  const host = memoryHost(files);
  const skus = (file: string) =>
    readArmFile(file, files[file as keyof typeof files], host).sites.flatMap((site) => site.candidates.map((c) => c.sku?.value));

  it('pairs each parameter file with its template by name, one deployment per file', () => {
    assert.deepEqual(skus('/r/azuredeploy.json'), ['7_9', '7.5', '6.10', '7.4', '7.3']);
    assert.deepEqual(skus('/r/main.json'), ['7_9', '8_5']);
    assert.deepEqual(skus('/r/export/template.json'), ['7_9', '7.7']);
  });

  it('reads each parameter file through its template, alone', () => {
    assert.deepEqual(skus('/r/centos.7.5.azuredeploy.parameters.json'), ['7.5']);
    assert.deepEqual(skus('/r/azuredeploy.parameters-sles.json'), ['7.4']);
    assert.deepEqual(skus('/r/azuredeploy.dev.parameters.json'), ['7.3']);
    assert.deepEqual(skus('/r/main.parameters.prod.json'), ['8_5']);
    assert.deepEqual(skus('/r/export/parameters.json'), ['7.7']);
  });

  it('pairs a mapped parameter file with the mapped template only, with a relative or an absolute path', () => {
    const parameterFileMap = { '/r/main.json': ['centos.7.5.azuredeploy.parameters.json', '/r/export/parameters.json'] };
    const read = (file: string) =>
      readArmFile(file, files[file as keyof typeof files], host, { parameterFileMap }).sites.flatMap((site) =>
        site.candidates.map((c) => c.sku?.value),
      );
    assert.deepEqual(read('/r/main.json'), ['7_9', '7.5', '7.7', '8_5']);
    assert.deepEqual(read('/r/azuredeploy.json'), ['7_9', '6.10', '7.4', '7.3']);
    assert.deepEqual(read('/r/export/template.json'), ['7_9']);
    assert.deepEqual(read('/r/centos.7.5.azuredeploy.parameters.json'), ['7.5']);
  });

  it('compares mapped names as the host makes them absolute', () => {
    const relativeHost = { ...host, absolutePath: (file: string) => (file.startsWith('/') ? file : `/r/${file}`) };
    const parameterFileMap = { 'main.json': '/r/export/parameters.json' };
    const result = readArmFile('/r/export/parameters.json', files['/r/export/parameters.json'], relativeHost, {
      parameterFileMap,
    });
    assert.deepEqual(result.dependencies, ['main.json']);
  });

  it('says nothing of a JSON parameter file beside the Bicep template it is named after', () => {
    const bicepHost = memoryHost({ '/b/main.bicep': 'param sku string', '/b/main.parameters.json': parameters('7.5') });
    assert.deepEqual(readArmFile('/b/main.parameters.json', parameters('7.5'), bicepHost).problems, []);
  });
});

describe('ARM reader: values passed by a caller', () => {
  it('replaces the default with the values given for a parameter', () => {
    const text = fixtureText('parameter-files/other.json');
    const result = readArmTemplate(fixturePath('parameter-files/other.json'), text, fileSystemHost, {
      parameterInputs: new Map([['sku', [{ kind: 'string', value: '24_04-lts' }]]]),
    });
    assert.deepEqual(compactCandidates(result.sites[0]), ['Canonical:0001-com-ubuntu-server-focal:24_04-lts:latest']);
  });
});

describe('ARM reader: custom images', () => {
  it('marks images given by id as custom, with no candidates', () => {
    const result = readFixture('custom-image.json');
    assert.deepEqual(summarizeSites(result), [
      ['virtualMachines (custom)'],
      ['virtualMachineScaleSets (custom)'],
      ['pools (custom)'],
    ]);
    assert.ok(result.sites.every((site) => site.custom && site.candidates.length === 0));
  });
});

describe('ARM reader: input as people write it', () => {
  it('reads a byte order mark, comments, trailing commas, CRLF and a raw line break in a string', () => {
    const text =
      '\uFEFF{\r\n' +
      '  // a line comment\r\n' +
      `  "$schema": "${schema}",\r\n` +
      '  /* a block comment */\r\n' +
      '  "parameters": { "sku": { "type": "string", "defaultValue": "22_04-lts", }, },\r\n' +
      '  "variables": { "note": "line one\nline two" },\r\n' +
      '  "resources": [\r\n' +
      '    { "type": "Microsoft.Compute/virtualMachines", "properties": { "storageProfile": {\r\n' +
      '      "imageReference": { "publisher": "Canonical", "offer": "0001-com-ubuntu-server-jammy", "sku": "[parameters(\'sku\')]", }, }, }, },\r\n' +
      '  ],\r\n' +
      '}\r\n';
    const result = readArmFile('/x/template.jsonc', text, memoryHost({}));
    assert.deepEqual(result.problems, []);
    assert.deepEqual(compactCandidates(result.sites[0]), ['Canonical:0001-com-ubuntu-server-jammy:22_04-lts:?']);
    // Offsets are into the text as given, byte order mark included.
    const range = result.sites[0].candidates[0].sku?.definition?.location.range;
    assert.deepEqual(range, { start: text.indexOf('"22_04-lts"'), end: text.indexOf('"22_04-lts"') + '"22_04-lts"'.length });
  });

  it('reads a template compiled from Bicep', () => {
    const result = readFixture('language-version-2.json');
    assert.equal(result.sites.length, 2);
  });

  it('returns a problem for broken JSON, never a throw', () => {
    const result = readFixture('broken.json');
    assert.deepEqual(result.sites, []);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0].message, 'Cannot read the template: Expected "," or "}" after a property value');
    const text = fixtureText('broken.json');
    assert.equal(result.problems[0].range?.start, text.indexOf('"offer"'));
  });

  it('survives truncated and absurd input', () => {
    const full = fixtureText('parameters-and-variables.json');
    for (let end = 0; end < full.length; end += 97) {
      const result = readArmFile('/x/cut.json', full.slice(0, end), memoryHost({}));
      assert.ok(Array.isArray(result.sites));
    }
    const deep = `{"$schema": "${schema}", "resources": [{"imageReference": ${'['.repeat(100000)}`;
    assert.equal(readArmFile('/x/deep.json', deep, memoryHost({})).problems.length, 1);
  });

  it('ignores JSON that is not a template', () => {
    assert.deepEqual(readFixture('not-a-template.json'), { sites: [], problems: [], dependencies: [] });
    assert.deepEqual(readArmFile('/x/package.json', '{ "name": "imageReference" }', memoryHost({})), {
      sites: [],
      problems: [],
      dependencies: [],
    });
  });

  it('skips a template without any image before parsing it', () => {
    const text = `{ "$schema": "${schema}", "resources": [ this is not even JSON ] }`;
    assert.deepEqual(readArmFile('/x/storage.json', text, memoryHost({})), { sites: [], problems: [], dependencies: [] });
  });

  it('reads a template whose only image is an object passed to a linked template', () => {
    // No imageReference anywhere: the image goes to a template the reader cannot follow. The
    // pre-filter skipped such templates (the ethereum-consortium-blockchain quickstart's Ubuntu
    // 16.04 images were invisible).
    const template = {
      $schema: schema,
      contentVersion: '1.0.0.0',
      variables: { ubuntuImage: { publisher: 'Canonical', offer: 'UbuntuServer', sku: '16.04-LTS', version: 'latest' } },
      resources: [
        {
          type: 'Microsoft.Resources/deployments',
          apiVersion: '2022-09-01',
          name: 'vm',
          properties: {
            mode: 'Incremental',
            templateLink: { uri: 'https://example.invalid/vm.json' },
            parameters: { image: { value: "[variables('ubuntuImage')]" } },
          },
        },
      ],
    };
    const text = JSON.stringify(template, null, 2);
    const result = readArmFile('/x/main.json', text, memoryHost({}));
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.sites.map((site) => [site.resourceType, ...compactCandidates(site)]),
      [
        ["unknown (parameter 'image' of 'https://example.invalid/vm.json')", 'Canonical:UbuntuServer:16.04-LTS:latest'],
        // The link itself, not followed: an entry that says why (`linkedTemplates.ts`).
        ['Microsoft.Resources/deployments'],
      ],
    );
    assert.equal(
      result.sites[1].unresolvedReason,
      'Not followed: it links to https://example.invalid/vm.json, which is not fetched.',
    );
  });
});

describe('classifyJsonDocument', () => {
  it('tells templates, parameter files and other JSON apart', () => {
    assert.equal(classifyJsonDocument('/x/a.json', `{"$schema": "${schema}"}`), 'template');
    assert.equal(
      classifyJsonDocument(
        '/x/a.json',
        '{"$schema": "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#"}',
      ),
      'template',
    );
    assert.equal(
      classifyJsonDocument(
        '/x/a.json',
        '{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"}',
      ),
      'parameters',
    );
    assert.equal(classifyJsonDocument('/x/a.parameters.dev.json', '{"parameters": {}}'), 'parameters');
    assert.equal(classifyJsonDocument('/x/a.json', '{"$schema": "https://example.com/other.json", "resources": []}'), 'template');
    assert.equal(classifyJsonDocument('/x/package.json', '{"name": "x"}'), 'other');
    assert.equal(classifyJsonDocument('/x/ui.json', fixtureText('not-a-template.json')), 'other');
  });
});
