/**
 * What a deployment can do: a bool parameter can be true or false whatever its default, and a
 * resource's or module's condition, an `if()` or a ternary on anything a deployer sets keeps
 * every side, each saying what must be chosen for it to be deployed. Only what is false from
 * literals alone, or from values a parameter file fixes, removes a resource or a branch.
 * Regression tests: a bool parameter once took only its default, so the other side was never
 * checked (no finding, no hover, no inventory row).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { analyzeDocument, readDocument, type AnalysisSettings } from '../../../server/out/core/analyze';
import { DocumentSession } from '../../../server/out/core/incremental/documentSession';
import { bundledCatalog } from '../../../server/out/core/catalog/bundledCatalog';
import { hoverAt } from '../../../server/out/core/hover';
import type { Conditions, FileHost, Finding, ImageSite } from '../../../server/out/core/model';
import { maximumAlternatives } from '../../../server/out/core/values';
import { formatText, PositionConverter } from '../../../server/out/cli/formats';
import { fixtureDate, fixturesRoot } from '../harness/fixtures';
import { assertSameBothWays, comparable } from '../harness/sharedReading';

const settings = { catalog: bundledCatalog, config: { rules: {} }, asOf: fixtureDate };
const caseFolder = path.join(fixturesRoot, 'rules', 'deployment-conditions');

/** A host over files given by name. */
function hostOf(files: Record<string, string>): FileHost {
  return { readFile: (file) => files[file] };
}

/** Each finding as `line code: conditions` (1-based line; `-` when it needs no choice). */
function conditionsOf(findings: readonly Finding[], text: string, file: string): string[] {
  return findings
    .filter((finding) => finding.location.file === file)
    .map((finding) => {
      const line = text.slice(0, finding.location.range.start).split('\n').length;
      const when = finding.related.find((item) => item.deployedWhen !== undefined);
      return `${line} ${finding.code}: ${when?.deployedWhen ?? '-'}`;
    })
    .sort();
}

/**
 * Each finding's link to what decides it, as `line code: line of the link "text it covers"`: the
 * condition's value, `if (...)`, the string holding `if()`, or the ternary.
 */
function conditionLinksOf(findings: readonly Finding[], text: string, file: string): string[] {
  return findings
    .filter((finding) => finding.location.file === file)
    .map((finding) => {
      const line = text.slice(0, finding.location.range.start).split('\n').length;
      const link = finding.related.find((item) => item.deployedWhen !== undefined);
      if (!link) return `${line} ${finding.code}: -`;
      const { file: at, range } = link.location;
      assert.equal(at, file);
      const linkLine = text.slice(0, range.start).split('\n').length;
      return `${line} ${finding.code}: ${linkLine} ${text.slice(range.start, range.end)}`;
    })
    .sort();
}

/** Conditions with where each is written as the text there (`Condition.at`). */
function conditionsWithText(when: Conditions | undefined, texts: Record<string, string>): unknown {
  return when?.map(({ subject, value, at }) => ({
    subject,
    value,
    at: at && texts[at.file].slice(at.range.start, at.range.end),
  }));
}

/** Each site's candidates as `offer/sku`, in order. */
function candidatesOf(sites: readonly ImageSite[]): string[][] {
  return sites.map((site) => site.candidates.map((candidate) => `${candidate.offer?.value}/${candidate.sku?.value}`));
}

describe('deployment conditions: the twin fixture', () => {
  // Lines of the findings in each twin: the CentOS variable, the jumpbox, the Linux-only VM, the
  // legacy Ubuntu branch (ARM: at the image, its values being computed; Bicep: at the literal).
  const expected: Record<string, string[]> = {
    'main.json': [
      '11 not-endorsed: useLegacy is true',
      '14 end-of-support: useLegacy is true',
      '36 end-of-support: enableJumpbox is true',
      "63 end-of-support: osType is 'Linux'",
      '92 end-of-support: useLegacy is true',
    ],
    'main.bicep': [
      '10 not-endorsed: useLegacy is true',
      '13 end-of-support: useLegacy is true',
      '31 end-of-support: enableJumpbox is true',
      "55 end-of-support: osType is 'Linux'",
      '84 end-of-support: useLegacy is true',
    ],
  };
  // Where each finding's "only deployed when" links to: the `if()` or ternary choosing the
  // image, the resource's condition, the `if (...)` of the declaration.
  const expectedLinks: Record<string, string[]> = {
    'main.json': [
      `11 not-endorsed: 49 "[if(parameters('useLegacy'), variables('centosImage'), variables('rhelImage'))]"`,
      `14 end-of-support: 49 "[if(parameters('useLegacy'), variables('centosImage'), variables('rhelImage'))]"`,
      `36 end-of-support: 30 "[parameters('enableJumpbox')]"`,
      `63 end-of-support: 57 "[equals(parameters('osType'), 'Linux')]"`,
      `92 end-of-support: 95 "[if(parameters('useLegacy'), '0001-com-ubuntu-server-focal', 'ubuntu-24_04-lts')]"`,
    ],
    'main.bicep': [
      '10 not-endorsed: 43 useLegacy ? centosImage : rhelImage',
      '13 end-of-support: 43 useLegacy ? centosImage : rhelImage',
      '31 end-of-support: 24 if (enableJumpbox)',
      "55 end-of-support: 48 if (osType == 'Linux')",
      "84 end-of-support: 83 useLegacy ? '0001-com-ubuntu-server-focal' : 'ubuntu-24_04-lts'",
    ],
  };
  for (const name of Object.keys(expected)) {
    const file = path.join(caseFolder, name);
    const text = fs.readFileSync(file, 'utf8');
    const result = analyzeDocument(
      file,
      text,
      { readFile: (other) => (fs.existsSync(other) ? fs.readFileSync(other, 'utf8') : undefined) },
      settings,
    );

    test(`${name}: every side is checked, and each finding says when it is deployed`, () => {
      assert.deepEqual(conditionsOf(result.findings, text, file), expected[name]);
    });

    test(`${name}: the related information links to where the condition is written`, () => {
      // Regression: it linked to the image's use, so following it led nowhere useful.
      assert.deepEqual(conditionLinksOf(result.findings, text, file), expectedLinks[name]);
    });

    test(`${name}: a condition false from literals removes the resource; both sides of a choice are kept`, () => {
      assert.deepEqual(candidatesOf(result.sites), [
        ['UbuntuServer/18.04-LTS'],
        ['RHEL/9-lvm-gen2', 'CentOS/7_9'],
        ['debian-10/10-gen2'],
        ['ubuntu-24_04-lts/server', '0001-com-ubuntu-server-focal/20_04-lts-gen2'],
      ]);
      assert.ok(result.sites.every((site) => site.unresolved.length === 0));
    });

    test(`${name}: the text report and the hover say when the image is deployed`, () => {
      const report = formatText(result.findings, [], new PositionConverter(() => text));
      assert.match(report, /end-of-support: Ubuntu 18\.04 LTS .* \(only deployed when enableJumpbox is true\)\n/);
      const jumpboxSku = text.indexOf("18.04-LTS'") >= 0 ? text.indexOf("18.04-LTS'") : text.indexOf('18.04-LTS"');
      const hover = hoverAt(file, text, jumpboxSku, emptyHost, settings);
      assert.match(
        hover?.markdown ?? '',
        /`Canonical:UbuntuServer:18\.04-LTS:latest` is only deployed when enableJumpbox is true\./,
      );
      const ubuntu = result.sites[3].use.range.start;
      const both = hoverAt(file, text, ubuntu, emptyHost, settings)?.markdown ?? '';
      assert.match(both, /0001-com-ubuntu-server-focal:20_04-lts-gen2:latest` is only deployed when useLegacy is true\./);
      assert.match(both, /ubuntu-24_04-lts:server:latest` is only deployed when useLegacy is false\./);
    });
  }
});

const emptyHost: FileHost = { readFile: () => undefined };

describe('deployment conditions through string building: the twin fixture', () => {
  // concat(), format(), toLower() and interpolation keep the conditions of the branches they are
  // made of; a cross product of two choices needs both. Regression: the text kept every
  // alternative but lost when it is deployed, so these findings named no condition.
  const folder = path.join(fixturesRoot, 'rules', 'string-conditions');
  const expected: Record<string, string[]> = {
    'main.json': [
      '15 end-of-support: legacy is true and gen2 is false',
      '15 end-of-support: legacy is true and gen2 is true',
      '32 end-of-support: gen2 is false',
      '32 end-of-support: gen2 is true',
    ],
    'main.bicep': [
      '24 end-of-support: gen2 is false',
      '24 end-of-support: gen2 is true',
      '8 end-of-support: legacy is true and gen2 is false',
      '8 end-of-support: legacy is true and gen2 is true',
    ],
  };
  const expectedLinks: Record<string, string[]> = {
    'main.json': [
      `15 end-of-support: 19 "[concat('debian-', if(parameters('legacy'), '10', '12'))]"`,
      `15 end-of-support: 19 "[concat('debian-', if(parameters('legacy'), '10', '12'))]"`,
      `32 end-of-support: 37 "[toLower(concat('20_04-LTS', if(parameters('gen2'), '-GEN2', '')))]"`,
      `32 end-of-support: 37 "[toLower(concat('20_04-LTS', if(parameters('gen2'), '-GEN2', '')))]"`,
    ],
    'main.bicep': [
      "24 end-of-support: 29 gen2 ? '-GEN2' : ''",
      "24 end-of-support: 29 gen2 ? '-GEN2' : ''",
      "8 end-of-support: 12 legacy ? '10' : '12'",
      "8 end-of-support: 12 legacy ? '10' : '12'",
    ],
  };
  for (const name of Object.keys(expected)) {
    test(`${name}: each computed image says when it is deployed`, () => {
      const file = path.join(folder, name);
      const text = fs.readFileSync(file, 'utf8');
      const result = analyzeDocument(file, text, emptyHost, settings);
      assert.deepEqual(conditionsOf(result.findings, text, file), expected[name]);
      // The images that draw no finding keep their conditions too, each linked to what decides it
      // (ARM: the string the `if()`s are written in; Bicep: each ternary).
      const sku =
        name === 'main.json'
          ? `"[format('{0}{1}', if(parameters('legacy'), '10', '12'), if(parameters('gen2'), '-gen2', ''))]"`
          : undefined;
      const legacyAt = sku ?? "legacy ? '10' : '12'";
      const gen2At = sku ?? "gen2 ? '-gen2' : ''";
      assert.deepEqual(
        result.sites[0].candidates.map((candidate) => [
          `${candidate.offer?.value}/${candidate.sku?.value}`,
          conditionsWithText(candidate.sku?.when, { [file]: text }),
        ]),
        [
          [
            'debian-12/12-gen2',
            [
              { subject: 'legacy', value: 'false', at: legacyAt },
              { subject: 'gen2', value: 'true', at: gen2At },
            ],
          ],
          [
            'debian-12/12',
            [
              { subject: 'legacy', value: 'false', at: legacyAt },
              { subject: 'gen2', value: 'false', at: gen2At },
            ],
          ],
          [
            'debian-10/10-gen2',
            [
              { subject: 'legacy', value: 'true', at: legacyAt },
              { subject: 'gen2', value: 'true', at: gen2At },
            ],
          ],
          [
            'debian-10/10',
            [
              { subject: 'legacy', value: 'true', at: legacyAt },
              { subject: 'gen2', value: 'false', at: gen2At },
            ],
          ],
        ],
      );
      // A finding links to its first condition: the offer's, written first.
      assert.deepEqual(conditionLinksOf(result.findings, text, file), expectedLinks[name]);
    });
  }
});

const armTemplate = (parameters: Record<string, unknown>, resources: unknown[], variables: Record<string, unknown> = {}) =>
  JSON.stringify(
    {
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      parameters,
      variables,
      resources,
    },
    null,
    2,
  );

const vm = (name: string, imageReference: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'Microsoft.Compute/virtualMachines',
  apiVersion: '2023-03-01',
  name,
  ...extra,
  properties: { storageProfile: { imageReference } },
});

const centos = { publisher: 'OpenLogic', offer: 'CentOS', sku: '7_9', version: 'latest' };
const rhel = { publisher: 'RedHat', offer: 'RHEL', sku: '9-lvm-gen2', version: 'latest' };

describe('deployment conditions: values a parameter file fixes', () => {
  const template = armTemplate(
    { enableJumpbox: { type: 'bool', defaultValue: true }, useLegacy: { type: 'bool', defaultValue: false } },
    [
      vm('jumpbox', centos, { condition: "[parameters('enableJumpbox')]" }),
      vm('app', "[if(parameters('useLegacy'), variables('centos'), variables('rhel'))]"),
    ],
    { centos, rhel },
  );
  const parameters = JSON.stringify({
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#',
    contentVersion: '1.0.0.0',
    parameters: { enableJumpbox: { value: false }, useLegacy: { value: true } },
  });
  const bicep = [
    'param enableJumpbox bool = true',
    'param useLegacy bool = false',
    "var centos = { publisher: 'OpenLogic', offer: 'CentOS', sku: '7_9', version: 'latest' }",
    "var rhel = { publisher: 'RedHat', offer: 'RHEL', sku: '9-lvm-gen2', version: 'latest' }",
    "resource jumpbox 'Microsoft.Compute/virtualMachines@2023-03-01' = if (enableJumpbox) {",
    "  name: 'jumpbox'",
    '  properties: { storageProfile: { imageReference: centos } }',
    '}',
    "resource app 'Microsoft.Compute/virtualMachines@2023-03-01' = {",
    "  name: 'app'",
    '  properties: { storageProfile: { imageReference: useLegacy ? centos : rhel } }',
    '}',
    '',
  ].join('\n');
  const bicepParameters = ["using 'main.bicep'", 'param enableJumpbox = false', 'param useLegacy = true', ''].join('\n');

  for (const [entry, host] of [
    ['main.parameters.json', hostOf({ 'main.json': template, 'main.parameters.json': parameters })],
    ['main.bicepparam', hostOf({ 'main.bicep': bicep, 'main.bicepparam': bicepParameters })],
  ] as const) {
    test(`${entry}: a value the file sets removes what it makes false and takes the branch it makes true`, () => {
      const read = readDocument(entry, host.readFile(entry)!, host, settings);
      assert.deepEqual(candidatesOf(read.sites), [['CentOS/7_9']]);
      // Fixed by the file: deployed without a choice.
      assert.ok(read.sites[0].candidates.every((candidate) => candidate.sku?.when === undefined));
    });
  }

  for (const [entry, host] of [
    ['main.json', hostOf({ 'main.json': template })],
    ['main.bicep', hostOf({ 'main.bicep': bicep })],
  ] as const) {
    test(`${entry} alone: both sides of every choice, whatever the defaults`, () => {
      const read = readDocument(entry, host.readFile(entry)!, host, settings);
      assert.deepEqual(candidatesOf(read.sites), [['CentOS/7_9'], ['RHEL/9-lvm-gen2', 'CentOS/7_9']]);
      // Each condition is linked to where it is decided (`Condition.at`).
      const texts = { [entry]: host.readFile(entry)! };
      const [jumpboxAt, legacyAt] =
        entry === 'main.json'
          ? [`"[parameters('enableJumpbox')]"`, `"[if(parameters('useLegacy'), variables('centos'), variables('rhel'))]"`]
          : ['if (enableJumpbox)', 'useLegacy ? centos : rhel'];
      assert.deepEqual(
        read.sites.map((site) => site.candidates.map((candidate) => conditionsWithText(candidate.sku?.when, texts))),
        [
          [[{ subject: 'enableJumpbox', value: 'true', at: jumpboxAt }]],
          [[{ subject: 'useLegacy', value: 'false', at: legacyAt }], [{ subject: 'useLegacy', value: 'true', at: legacyAt }]],
        ],
      );
    });
  }
});

describe('deployment conditions: modules and nested deployments', () => {
  const jumpboxModule = [
    'param legacy bool',
    "resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {",
    "  name: 'jumpbox'",
    '  properties: {',
    '    storageProfile: {',
    "      imageReference: legacy ? { publisher: 'OpenLogic', offer: 'CentOS', sku: '7_9', version: 'latest' } : { publisher: 'RedHat', offer: 'RHEL', sku: '9-lvm-gen2', version: 'latest' }",
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
  const main = [
    'param enableJumpbox bool = false',
    'param useLegacy bool = false',
    "module jumpbox 'jumpbox.bicep' = if (enableJumpbox) {",
    "  name: 'jumpbox'",
    '  params: { legacy: useLegacy }',
    '}',
    '',
  ].join('\n');
  const nested = armTemplate(
    { enableJumpbox: { type: 'bool', defaultValue: false }, useLegacy: { type: 'bool', defaultValue: false } },
    [
      {
        type: 'Microsoft.Resources/deployments',
        apiVersion: '2022-09-01',
        name: 'jumpbox',
        condition: "[parameters('enableJumpbox')]",
        properties: {
          mode: 'Incremental',
          expressionEvaluationOptions: { scope: 'inner' },
          parameters: { legacy: { value: "[parameters('useLegacy')]" } },
          template: {
            $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
            contentVersion: '1.0.0.0',
            parameters: { legacy: { type: 'bool' } },
            resources: [vm('jumpbox', "[if(parameters('legacy'), variables('centos'), variables('rhel'))]")],
            variables: { centos, rhel },
          },
        },
      },
    ],
  );

  for (const [entry, host] of [
    ['main.bicep', hostOf({ 'main.bicep': main, 'jumpbox.bicep': jumpboxModule })],
    ['main.json', hostOf({ 'main.json': nested })],
  ] as const) {
    test(`${entry}: what a conditional module deploys says so, with the caller's choices passed in`, () => {
      const result = analyzeDocument(entry, host.readFile(entry)!, host, settings);
      assert.deepEqual(candidatesOf(result.sites), [['RHEL/9-lvm-gen2', 'CentOS/7_9']]);
      const endOfSupport = result.findings.find((finding) => finding.code === 'end-of-support');
      assert.equal(
        endOfSupport?.related.find((item) => item.deployedWhen !== undefined)?.message,
        'This image is only deployed when enableJumpbox is true and useLegacy is true.',
      );
      // It links to the outermost condition: the caller's, not the module's own ternary.
      const link = endOfSupport?.related.find((item) => item.deployedWhen !== undefined)?.location;
      assert.equal(link?.file, entry);
      assert.equal(
        host.readFile(entry)!.slice(link.range.start, link.range.end),
        entry === 'main.json' ? `"[parameters('enableJumpbox')]"` : 'if (enableJumpbox)',
      );
    });
  }
});

describe('deployment conditions: the cap on alternatives', () => {
  // Nine bool parameters, each choosing one character of the SKU: 512 combinations, past the cap.
  const names = Array.from({ length: 9 }, (_, index) => `p${index}`);
  const arm = armTemplate(Object.fromEntries(names.map((name) => [name, { type: 'bool', defaultValue: false }])), [
    vm('many', {
      publisher: 'Canonical',
      offer: 'ubuntu-24_04-lts',
      sku: `[concat(${names.map((name) => `if(parameters('${name}'), 'a', 'b')`).join(', ')})]`,
      version: 'latest',
    }),
  ]);
  const bicep = [
    ...names.map((name) => `param ${name} bool = false`),
    "resource many 'Microsoft.Compute/virtualMachines@2023-03-01' = {",
    "  name: 'many'",
    '  properties: {',
    '    storageProfile: {',
    '      imageReference: {',
    "        publisher: 'Canonical'",
    "        offer: 'ubuntu-24_04-lts'",
    `        sku: '${names.map((name) => `\${${name} ? 'a' : 'b'}`).join('')}'`,
    "        version: 'latest'",
    '      }',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
  for (const [entry, text] of [
    ['main.json', arm],
    ['main.bicep', bicep],
  ] as const) {
    test(`${entry}: nested choices past the cap mark the field unresolved, never cut it silently`, () => {
      const read = readDocument(entry, text, emptyHost, settings);
      assert.equal(read.sites.length, 1);
      const [site] = read.sites;
      assert.ok(site.unresolved.includes('sku'), `unresolved: ${site.unresolved.join(', ')}`);
      const skus = new Set(site.candidates.map((candidate) => candidate.sku?.value));
      assert.ok(skus.size < 512 && skus.size <= maximumAlternatives);
    });
  }
});

describe('deployment conditions: where each is written, on copies of one image and after edits', () => {
  // The same image text on two resources, one of them conditional: readers read it once and move
  // its literals to the copy (`sharedCandidates.ts`); the condition written inside the image
  // must move with them, and the resource's own condition stays its own.
  const image = {
    publisher: "[if(parameters('legacy'), 'OpenLogic', 'RedHat')]",
    offer: 'CentOS',
    sku: '7_9',
    version: 'latest',
  };
  const arm = armTemplate(
    { legacy: { type: 'bool', defaultValue: false }, enableJumpbox: { type: 'bool', defaultValue: false } },
    [vm('app', image), vm('jumpbox', image, { condition: "[parameters('enableJumpbox')]" })],
  );
  const bicepImage = "{ publisher: legacy ? 'OpenLogic' : 'RedHat', offer: 'CentOS', sku: '7_9', version: 'latest' }";
  const bicep = [
    'param legacy bool = false',
    'param enableJumpbox bool = false',
    "resource app 'Microsoft.Compute/virtualMachines@2023-03-01' = {",
    "  name: 'app'",
    `  properties: { storageProfile: { imageReference: ${bicepImage} } }`,
    '}',
    "resource jumpbox 'Microsoft.Compute/virtualMachines@2023-03-01' = if (enableJumpbox) {",
    "  name: 'jumpbox'",
    `  properties: { storageProfile: { imageReference: ${bicepImage} } }`,
    '}',
    '',
  ].join('\n');

  /** Each OpenLogic candidate's conditions as `subject value @ offset "text"`. */
  function placesOf(sites: readonly ImageSite[], text: string): string[][] {
    return sites.map((site) =>
      site.candidates
        .filter((candidate) => candidate.publisher?.value === 'OpenLogic')
        .flatMap((candidate) =>
          (candidate.publisher?.when ?? []).map(
            ({ subject, value, at }) => `${subject} ${value} @ ${at?.range.start} ${text.slice(at?.range.start, at?.range.end)}`,
          ),
        ),
    );
  }

  for (const [entry, text, legacy, jumpbox] of [
    ['main.json', arm, `"[if(parameters('legacy'), 'OpenLogic', 'RedHat')]"`, `"[parameters('enableJumpbox')]"`],
    ['main.bicep', bicep, "legacy ? 'OpenLogic' : 'RedHat'", 'if (enableJumpbox)'],
  ] as const) {
    const at = (written: string, occurrence: number) => {
      let index = -1;
      for (let count = 0; count <= occurrence; count++) index = text.indexOf(written, index + 1);
      return index;
    };

    test(`${entry}: a copy of an image links to the condition written in its own text`, () => {
      const result = assertSameBothWays(entry, text, emptyHost);
      assert.deepEqual(placesOf(result.sites, text), [
        [`legacy true @ ${at(legacy, 0)} ${legacy}`],
        [`enableJumpbox true @ ${at(jumpbox, 0)} ${jumpbox}`, `legacy true @ ${at(legacy, 1)} ${legacy}`],
      ]);
    });

    // Padded past 64 KB, an ARM session keeps the read's sites and moves them across an edit in
    // an image (`keptSites.ts`); below, it recalls each image read before (`imageReadMemo.ts`).
    const padded =
      entry === 'main.json' ? text.replace('"variables": {}', `"variables": { "padding": "${'x'.repeat(70_000)}" }`) : text;
    for (const [label, original] of [
      ['', text],
      [' (kept sites)', padded],
    ] as const) {
      if (label && original === text) continue;
      test(`${entry}${label}: after edits above the conditions, the reused analysis links to where they moved`, () => {
        const session = new DocumentSession();
        const withSession: AnalysisSettings = { ...settings, reuse: session };
        analyzeDocument(entry, original, emptyHost, withSession);
        // A line break before the first resource, then a longer SKU in the first image: every
        // condition after them moves.
        const lineBreakAt = original.indexOf(entry === 'main.json' ? '"resources"' : 'resource app');
        const afterLineBreak = `${original.slice(0, lineBreakAt)}\n${original.slice(lineBreakAt)}`;
        const skuAt = afterLineBreak.indexOf('7_9') + 3;
        const afterSku = `${afterLineBreak.slice(0, skuAt)}-1${afterLineBreak.slice(skuAt)}`;
        for (const edited of [afterLineBreak, afterSku]) {
          const reused = analyzeDocument(entry, edited, emptyHost, withSession);
          assert.deepEqual(comparable(reused), comparable(analyzeDocument(entry, edited, emptyHost, settings)));
          // The jumpbox's findings link to its condition, the app's to the `if()` in its own image.
          const links = reused.findings
            .flatMap((finding) => finding.related)
            .filter((item) => item.deployedWhen !== undefined)
            .map((item) => [item.deployedWhen!.split(' ')[0], item.location.range.start, item.location.range.end]);
          const expectedAt = (written: string) => [edited.indexOf(written), edited.indexOf(written) + written.length];
          assert.deepEqual([...new Set(links.map((link) => JSON.stringify(link)))].sort(), [
            JSON.stringify(['enableJumpbox', ...expectedAt(jumpbox)]),
            JSON.stringify(['legacy', ...expectedAt(legacy)]),
          ]);
        }
      });
    }
  }
});
