/**
 * A document session (`core/incremental/`) remembers images, sites and findings from one analysis
 * of a document to the next (`imageReadMemo.ts`, `readAfterImageEdit.ts`, `findingsAfterEdit.ts`).
 * Reading with a memo must give exactly what reading afresh gives, after any edit: of an image,
 * of a parameter or variable it reads (its value, its allowed values, the case of its name, where
 * it is written), of a parameter file, or anything else. Edits are applied in chains, each read
 * with the memo the reads before it left, and compared with a read without one.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { analyzeDocument, type AnalysisResult, type AnalysisSettings } from '../../../server/out/core/analyze';
import { DocumentSession } from '../../../server/out/core/incremental/documentSession';
import { analysisSurvivesChange } from '../../../server/out/core/incremental/editReuse';
import { shiftOfChange } from '../../../server/out/core/textShift';
import type { FileHost } from '../../../server/out/core/model';
import { compiledBicepTemplate, virtualMachineFleetTemplate } from '../bench/synthesize';
import { comparable, corpusFolder, diskHost, filesUnder, fixturesFolder, sharedSettings } from '../harness/sharedReading';
import { memoryHost } from '../arm/armTestSupport';
import { random } from '../harness/random';

function withMemo(memo: DocumentSession): AnalysisSettings {
  return { ...sharedSettings, reuse: memo };
}

const replacements = [
  '18.04-LTS',
  '22_04-lts-gen2',
  'UbuntuServer',
  'Canonical',
  'CentOS',
  '7.5',
  'latest',
  "[parameters('sku')]",
  '',
];
const insertions = ['x', '1', '-', ' ', '\n', '"', '}', ',', '{}', '\\'];

interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * An edit of `text`: mostly inside a string literal (where image names, parameter values and
 * names are written), sometimes anywhere, sometimes breaking the syntax.
 */
function randomEdit(text: string, next: () => number): Edit {
  const strings = [...text.matchAll(/"(?:[^"\\\n]|\\.)*"/g)];
  const kind = next();
  if (kind < 0.75 && strings.length > 0) {
    const match = strings[Math.floor(next() * strings.length)];
    const start = match.index! + 1;
    const end = match.index! + match[0].length - 1;
    const choice = next();
    if (choice < 0.4) return { start, end, text: replacements[Math.floor(next() * replacements.length)] };
    const at = start + Math.floor(next() * (end - start + 1));
    if (choice < 0.7 || at === end) return { start: at, end: at, text: 'xX-1'[Math.floor(next() * 4)] };
    return { start: at, end: at + 1, text: '' };
  }
  const start = Math.floor(next() * (text.length + 1));
  if (kind < 0.9) return { start, end: start, text: insertions[Math.floor(next() * insertions.length)] };
  return { start, end: Math.min(text.length, start + 1 + Math.floor(next() * 3)), text: '' };
}

function applyEdit(text: string, edit: Edit): string {
  return text.slice(0, edit.start) + edit.text + text.slice(edit.end);
}

/** Reads `steps` edits in a row with one memo, each compared with a read without it. */
function checkChain(file: string, text: string, host: FileHost, seed: number, steps: number, memo = new DocumentSession()): void {
  const next = random(seed);
  let current = text;
  for (let step = 0; step <= steps; step++) {
    const edit = step === 0 ? undefined : randomEdit(current, next);
    if (edit) current = applyEdit(current, edit);
    assert.deepEqual(
      comparable(analyzeDocument(file, current, host, withMemo(memo))),
      comparable(analyzeDocument(file, current, host, sharedSettings)),
      `${file}: step ${step} ${JSON.stringify(edit)} (seed ${seed})`,
    );
  }
}

const fleetFile = '/bench/fleet/azuredeploy.json';

/** A virtual machine whose image is `imageText` (an object, or a string holding an expression). */
function virtualMachine(name: string, imageText: string, extra = ''): string {
  return `{ "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2024-03-01", "name": "${name}",${extra}
        "properties": { "storageProfile": { "imageReference": ${imageText} } } }`;
}

/**
 * A template of over 64 KB (the memo keeps the containers of such texts only) whose `members`
 * (parameters, resources, variables) follow a long string.
 */
function paddedTemplate(members: string): string {
  return `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "metadata": { "padding": "${'p'.repeat(70_000)}" },
  ${members}
}`;
}

describe('ARM images remembered between reads of a document', () => {
  it('give what a read without the memo gives after every edit: fixtures, corpus and synthetic templates', () => {
    const memos: DocumentSession[] = [];
    const chain = (file: string, text: string, host: FileHost, seed: number, steps: number) => {
      const memo = new DocumentSession();
      memos.push(memo);
      checkChain(file, text, host, seed, steps, memo);
    };
    let seed = 1;
    for (const file of filesUnder(`${fixturesFolder}/arm`, /\.json$/i))
      chain(file, fs.readFileSync(file, 'utf8'), diskHost, seed++, 12);
    for (const file of filesUnder(`${fixturesFolder}/rules`, /\.json$/i))
      chain(file, fs.readFileSync(file, 'utf8'), diskHost, seed++, 12);
    const corpus = filesUnder(corpusFolder, /\.json$/i).filter((file) => /imageReference/.test(fs.readFileSync(file, 'utf8')));
    for (const file of corpus.slice(0, 60)) chain(file, fs.readFileSync(file, 'utf8'), diskHost, seed++, 10);
    // Big enough for the memo to keep the text's containers, reused after typing in a string.
    chain(fleetFile, virtualMachineFleetTemplate(80_000), memoryHost({}), seed++, 40);
    chain('/bench/compiled/main.json', compiledBicepTemplate(80_000), memoryHost({}), seed++, 30);
    // Not vacuous: images were taken from the memo, in most chains.
    const recalled = memos.filter((memo) => memo.arm.recalls > 0).length;
    assert.ok(recalled > memos.length / 2, `${recalled} of ${memos.length} chains recalled an image`);
  });

  const template = (parameters: string, variables: string, sku: string, after = '') => `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {${parameters}},
  "variables": {${variables}},
  "resources": [
    { "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2024-03-01", "name": "vm",
      "properties": { "storageProfile": { "imageReference": {
        "publisher": "Canonical", "offer": "0001-com-ubuntu-server-jammy", "sku": ${sku}, "version": "latest" } } } },
    { "type": "Microsoft.Compute/virtualMachines", "apiVersion": "2024-03-01", "name": "other",
      "properties": { "storageProfile": { "imageReference": {
        "publisher": "Canonical", "offer": "UbuntuServer", "sku": "[variables('oldSku')]", "version": "latest" } } } }
  ]${after}
}`;
  const file = '/memo/azuredeploy.json';
  const parameters = `
    "sku": { "type": "string", "defaultValue": "22_04-lts-gen2", "allowedValues": ["22_04-lts-gen2", "20_04-lts-gen2"],
             "metadata": { "description": "The SKU" } },
    "unused": { "type": "string", "metadata": { "description": "Not read" } }`;
  const variables = `"oldSku": "18.04-LTS"`;

  /** Reads each text in turn with one memo; each read must equal a read without it. */
  function readInTurn(texts: string[], host: FileHost = memoryHost({})): { results: AnalysisResult[]; memo: DocumentSession } {
    const memo = new DocumentSession();
    const results = texts.map((text) => {
      const remembered = analyzeDocument(file, text, host, withMemo(memo));
      assert.deepEqual(comparable(remembered), comparable(analyzeDocument(file, text, host, sharedSettings)), text);
      return remembered;
    });
    return { results, memo };
  }

  const skus = (result: AnalysisResult) => result.sites.map((site) => site.candidates.map((candidate) => candidate.sku?.value));

  it('sees a change to the allowed values, the default or the name of a parameter an image reads', () => {
    const base = template(parameters, variables, `"[parameters('sku')]"`);
    const otherDefault = base.replace('"defaultValue": "22_04-lts-gen2"', '"defaultValue": "20_04-lts-gen2"');
    const { results, memo } = readInTurn([
      base,
      base,
      base.replace('"20_04-lts-gen2"]', '"24_04-lts-gen2"]'),
      otherDefault,
      // Only the case of the name changes: the declaration is where and as it was.
      otherDefault.replace('"sku": { "type"', '"SKU": { "type"'),
    ]);
    // The default and each allowed value: one candidate each.
    assert.deepEqual(skus(results[0]), [['22_04-lts-gen2', '22_04-lts-gen2', '20_04-lts-gen2'], ['18.04-LTS']]);
    assert.deepEqual(skus(results[2]), [['22_04-lts-gen2', '22_04-lts-gen2', '24_04-lts-gen2'], ['18.04-LTS']]);
    // The second read took both images from the memo; each later one the image it did not change.
    assert.equal(memo.arm.recalls, 2 + 3);
    // Definitions name the parameter as it is written now.
    const described = (result: AnalysisResult) => result.sites[0].candidates[0].sku?.definition?.description;
    assert.equal(described(results[3]), "parameter 'sku'");
    assert.equal(described(results[4]), "parameter 'SKU'");
  });

  it('sees a variable an image reads change, move or appear, and a value typed in the image', () => {
    const base = template(parameters, variables, '"22_04-lts-gen2"');
    const { results, memo } = readInTurn([
      base,
      base.replace('"oldSku": "18.04-LTS"', '"oldSku": "16.04-LTS"'),
      base.replace('"variables": {', '"variables": {\n    '),
      template(parameters, '', '"22_04-lts-gen2"'),
      template(parameters, '', '"22_04-lts-gen2"', `, "variables": { ${variables} }`),
      base.replace('"sku": "22_04-lts-gen2"', '"sku": "22_04-lts-gen2x"'),
      base.replace('"name": "vm"', '"name": "a longer name"'),
    ]);
    assert.deepEqual(skus(results[1]), [['22_04-lts-gen2'], ['16.04-LTS']]);
    assert.deepEqual(skus(results[3]), [['22_04-lts-gen2'], [undefined]]);
    assert.deepEqual(skus(results[5]), [['22_04-lts-gen2x'], ['18.04-LTS']]);
    // The moved image keeps its definitions on its own literals.
    const sku = results[6].sites[0].candidates[0].sku!.definition!.location.range;
    const text = base.replace('"name": "vm"', '"name": "a longer name"');
    assert.equal(text.slice(sku.start, sku.end), '"22_04-lts-gen2"');
    assert.ok(memo.arm.recalls >= 5, `${memo.arm.recalls} recalls`);
  });

  it('sees a change to the parameter file of a deployment', () => {
    const parameterFile = '/memo/azuredeploy.parameters.json';
    const values = (sku: string) =>
      `{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0", "parameters": { "sku": { "value": "${sku}" } } }`;
    const text = template(parameters, variables, `"[parameters('sku')]"`);
    const files: Record<string, string> = { [file]: text, [parameterFile]: values('18.04-LTS') };
    const host = memoryHost(files);
    const memo = new DocumentSession();
    const first = analyzeDocument(file, text, host, withMemo(memo));
    files[parameterFile] = values('20_04-lts');
    const second = analyzeDocument(file, text, host, withMemo(memo));
    assert.deepEqual(comparable(second), comparable(analyzeDocument(file, text, host, sharedSettings)));
    assert.ok(skus(first)[0].includes('18.04-LTS'));
    assert.ok(skus(second)[0].includes('20_04-lts') && !skus(second)[0].includes('18.04-LTS'));
  });

  it('leaves a trace that sends an edit of a declaration an image read to a new analysis', () => {
    const text = template(parameters, variables, `"[parameters('sku')]"`);
    const memo = new DocumentSession();
    analyzeDocument(file, text, memoryHost({}), withMemo(memo));
    const remembered = analyzeDocument(file, text, memoryHost({}), withMemo(memo));
    assert.equal(memo.arm.recalls, 2);
    const edit = (trace: NonNullable<AnalysisResult['entryTrace']>, marker: string) => {
      const at = text.indexOf(marker) + marker.length - 1;
      const change = { start: at, end: at, text: 'x' };
      return analysisSurvivesChange(file, trace, text, shiftOfChange(change), applyEdit(text, change));
    };
    // The description of the parameter the image read: its whole declaration was taken as read.
    assert.equal(edit(remembered.entryTrace!, '"The SKU'), false);
    // The description of a parameter nothing read is still let through.
    assert.equal(edit(remembered.entryTrace!, '"Not read'), true);
  });

  it('moves the sites after a long run of keystrokes in one image as a read of the whole template places them', () => {
    // Every keystroke in the first image moves the sites after it once more, from where the
    // keystroke before left them. They have findings (CentOS, Ubuntu 18.04), with definitions in
    // their own text and in variables after the resources.
    const text = paddedTemplate(`"resources": [
    ${virtualMachine('typed', '{ "publisher": "Canonical", "offer": "ubuntu-24_04-lts", "sku": "server", "version": "latest" }')},
    ${virtualMachine('centos', '{ "publisher": "OpenLogic", "offer": "CentOS", "sku": "7.9", "version": "latest" }')},
    ${virtualMachine('bionic', `"[variables('bionic')]"`)}
  ],
  "variables": { "bionic": { "publisher": "Canonical", "offer": "UbuntuServer", "sku": "18.04-LTS", "version": "latest" } }`);
    const host = memoryHost({});
    const memo = new DocumentSession();
    let current = text;
    analyzeDocument(file, current, host, withMemo(memo));
    const at = current.indexOf('"sku": "server') + '"sku": "server'.length;
    for (let step = 0; step < 40; step++) {
      current = applyEdit(current, { start: at + step, end: at + step, text: 'x' });
      const remembered = analyzeDocument(file, current, host, withMemo(memo));
      const fresh = analyzeDocument(file, current, host, sharedSettings);
      assert.ok(fresh.findings.length >= 2, `${fresh.findings.length} findings`);
      assert.deepEqual(comparable(remembered), comparable(fresh), `keystroke ${step}`);
    }
    assert.equal(memo.arm.siteReads, 40);
    // The typed image shares no finding with another: the rules ran over it alone every time.
    assert.equal(memo.findingsReused, 40);
  });

  it('runs the rules over the image typed in alone only when its findings are its own', () => {
    // Two machines read the same parameter for their SKU, so its finding (Ubuntu 18.04 is out of
    // support) lists both; a third has an image of its own (Ubuntu 16.04). Typing in an image of
    // the first two changes who shares that finding, typing in the third does not. In between
    // the sites are not asked for, so those after the edits stay where the first read left them
    // until the end.
    const fromParameter = `{ "publisher": "Canonical", "offer": "UbuntuServer", "sku": "[parameters('sku')]", "version": "latest" }`;
    const text = paddedTemplate(`"parameters": { "sku": { "type": "string", "defaultValue": "18.04-LTS" } },
  "resources": [
    ${virtualMachine('own', '{ "publisher": "Canonical", "offer": "UbuntuServer", "sku": "16.04-LTS", "version": "latest" }')},
    ${virtualMachine('first', fromParameter)},
    ${virtualMachine('second', fromParameter)}
  ]`);
    const host = memoryHost({});
    const memo = new DocumentSession();
    let current = text;
    analyzeDocument(file, current, host, withMemo(memo));
    const typeAfter = (marker: string, from = 0) => {
      const at = current.indexOf(marker, from) + marker.length;
      current = applyEdit(current, { start: at, end: at, text: '1' });
      const remembered = analyzeDocument(file, current, host, withMemo(memo));
      const fresh = analyzeDocument(file, current, host, sharedSettings);
      assert.ok(fresh.findings.length >= 2, `${fresh.findings.length} findings`);
      assert.deepEqual(remembered.findings, fresh.findings, JSON.stringify(current.slice(at - 20, at + 20)));
      return remembered;
    };
    // The version of the first machine: the parameter's finding loses it and gains it back.
    const first = current.indexOf('"name": "first"');
    typeAfter('"version": "latest', first);
    assert.equal(memo.arm.siteReads, 1);
    assert.equal(memo.findingsReused, 0);
    // The third machine's SKU: its findings are its own.
    for (let step = 0; step < 5; step++) typeAfter('"sku": "16.04-LTS');
    assert.equal(memo.arm.siteReads, 6);
    assert.equal(memo.findingsReused, 5);
    const last = typeAfter('"version": "latest', current.indexOf('"name": "second"'));
    assert.equal(memo.findingsReused, 5);
    assert.deepEqual(comparable(last), comparable(analyzeDocument(file, current, host, sharedSettings)));
    // The third machine's SKU now reads the parameter too (one edit inside the string): its
    // finding would be the one the other two place there.
    const own = current.indexOf('"sku": "16.04-LTS') + '"sku": "'.length;
    current = applyEdit(current, { start: own, end: current.indexOf('"', own), text: "[parameters('sku')]" });
    const joined = analyzeDocument(file, current, host, withMemo(memo));
    assert.equal(memo.arm.siteReads, 8);
    assert.equal(memo.findingsReused, 5);
    assert.deepEqual(comparable(joined), comparable(analyzeDocument(file, current, host, sharedSettings)));
  });

  it('sees a suppression marker typed into an image, as a read of the whole template does', () => {
    // A text that may hold a suppression comment gives no trace (line breaks matter in it). The
    // marker typed one character at a time into a string is searched for around each edit only;
    // in a JSON template only the whole marker can make one, so the search reaches as far as it.
    const text = paddedTemplate(
      `"resources": [ ${virtualMachine('a', '{ "publisher": "OpenLogic", "offer": "CentOS", "sku": "7.9", "version": "latest" }')} ]`,
    );
    const host = memoryHost({});
    // Typed forwards, the word ends where the last edit does; typed backwards, it starts there.
    for (const forwards of [true, false]) {
      const memo = new DocumentSession();
      let current = text;
      analyzeDocument(file, current, host, withMemo(memo));
      const at = current.indexOf('"7.9') + 2;
      const word = 'azure-image-lint-disable-next-line';
      for (let step = 0; step < word.length; step++) {
        const character = forwards ? word[step] : word[word.length - 1 - step];
        const where = forwards ? at + step : at;
        current = applyEdit(current, { start: where, end: where, text: character });
        const remembered = analyzeDocument(file, current, host, withMemo(memo));
        const fresh = analyzeDocument(file, current, host, sharedSettings);
        const label = `${forwards ? 'forwards' : 'backwards'}, keystroke ${step}`;
        assert.equal(remembered.entryTrace === undefined, fresh.entryTrace === undefined, label);
        assert.deepEqual(remembered.findings, fresh.findings, label);
      }
      assert.ok(current.includes(word));
      assert.equal(memo.arm.siteReads, word.length);
      assert.equal(analyzeDocument(file, current, host, withMemo(memo)).entryTrace, undefined);
    }
  });

  it('runs the rules over every image again when the date or the configuration changed', () => {
    // Ubuntu 22.04's support ends in 2027: a later date makes the other image's finding another.
    const jammy =
      '{ "publisher": "Canonical", "offer": "0001-com-ubuntu-server-jammy", "sku": "22_04-lts-gen2", "version": "latest" }';
    const text = paddedTemplate(
      `"resources": [ ${virtualMachine('a', jammy)}, ${virtualMachine('b', jammy.replace('22_04-lts-gen2', '22_04-lts'))} ]`,
    );
    const host = memoryHost({});
    const memo = new DocumentSession();
    analyzeDocument(file, text, host, withMemo(memo));
    const at = text.lastIndexOf('22_04-lts') + '22_04-lts'.length;
    const typed = applyEdit(text, { start: at, end: at, text: '-gen2' });
    const later = { ...sharedSettings, asOf: '2028-01-01' };
    const remembered = analyzeDocument(file, typed, host, { ...later, reuse: memo });
    assert.equal(memo.arm.siteReads, 1);
    assert.equal(memo.findingsReused, 0);
    const fresh = analyzeDocument(file, typed, host, later);
    assert.deepEqual(
      fresh.findings.map((finding) => finding.code),
      ['end-of-support', 'end-of-support'],
    );
    assert.deepEqual(comparable(remembered), comparable(fresh));
  });

  it('pairs findings only with a read of the same text', () => {
    // A text without images is not read at all, and leaves the memo as it was: the findings of
    // that analysis (none) must not be taken for those of the text read before it.
    const centos = (name: string, sku: string) =>
      virtualMachine(name, `{ "publisher": "OpenLogic", "offer": "CentOS", "sku": "${sku}", "version": "latest" }`);
    const template = (sku: string) => paddedTemplate(`"resources": [ ${centos('a', '7.9')}, ${centos('b', sku)} ]`);
    const host = memoryHost({});
    const memo = new DocumentSession();
    analyzeDocument(file, template('7.5'), host, withMemo(memo));
    // Without 'publisher' too: an object with a publisher may be an image passed on, which is read.
    const withoutImages = template('7.5')
      .replace(/imageReference/g, 'disks')
      .replace(/publisher/g, 'vendor');
    const empty = analyzeDocument(file, withoutImages, host, withMemo(memo));
    assert.deepEqual(empty.findings, []);
    const typed = analyzeDocument(file, template('7.51'), host, withMemo(memo));
    assert.equal(memo.arm.siteReads, 1);
    assert.deepEqual(comparable(typed), comparable(analyzeDocument(file, template('7.51'), host, sharedSettings)));
  });

  it('reads only the image typed in, and gives what a read of the whole template gives', () => {
    const image = (sku: string, publisher = 'Canonical', offer = '0001-com-ubuntu-server-jammy') =>
      `{ "publisher": "${publisher}", "offer": "${offer}", "sku": ${sku}, "version": "latest" }`;
    const nested = (scope: string, inner: string) =>
      `{ "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "n${scope}",
        "properties": { "mode": "Incremental", "expressionEvaluationOptions": { "scope": "${scope}" },
          "template": { "resources": [ ${inner} ] } } }`;
    // Over 64 KB, so that the memo keeps the containers; the variables come after the resources,
    // so that definitions after an edit move.
    const text =
      paddedTemplate(`"parameters": { "osSku": { "type": "string", "defaultValue": "22_04-lts-gen2", "allowedValues": ["22_04-lts-gen2", "20_04-lts"] } },
  "resources": [
    ${virtualMachine('a', image('"22_04-lts-gen2"'))},
    ${virtualMachine('b', image('"22_04-lts-gen2"'), ' "copy": { "name": "loop", "count": 2 },')},
    ${virtualMachine('c', image(`"[parameters('osSku')]"`))},
    ${virtualMachine('d', image(`"[variables('skus')[copyIndex()]]"`, 'Canonical', 'UbuntuServer'), ' "copy": { "name": "each", "count": 2 },')},
    ${nested('outer', virtualMachine('e', image('"18.04-LTS"', 'Canonical', 'UbuntuServer')))},
    ${nested('inner', virtualMachine('f', image('"7.9"', 'OpenLogic', 'CentOS')))},
    ${virtualMachine('g', image('"22_04-lts-gen2"'))}
  ],
  "variables": { "skus": ["18.04-LTS", "20_04-lts"] }`);
    const host = memoryHost({});
    const memo = new DocumentSession();
    const next = random(7);
    let current = text;
    analyzeDocument(file, current, host, withMemo(memo));
    for (let step = 0; step < 80; step++) {
      // Inside the value of an image's field.
      const values = [...current.matchAll(/"(?:publisher|offer|sku|version)": "([^"]*)"/g)];
      const match = values[Math.floor(next() * values.length)];
      const valueStart = match.index! + match[0].length - match[1].length - 1;
      const at = valueStart + Math.floor(next() * (match[1].length + 1));
      const choice = next();
      const edit =
        choice < 0.6 || at === valueStart + match[1].length
          ? { start: at, end: at, text: 'x-1'[Math.floor(next() * 3)] }
          : { start: at, end: at + 1, text: '' };
      current = applyEdit(current, edit);
      assert.deepEqual(
        comparable(analyzeDocument(file, current, host, withMemo(memo))),
        comparable(analyzeDocument(file, current, host, sharedSettings)),
        `step ${step} ${JSON.stringify(edit)}`,
      );
    }
    // Most keystrokes read one image; those in the inner-scoped deployment read the whole template.
    assert.ok(memo.arm.siteReads > 40, `${memo.arm.siteReads} of 80 reads read one site`);
    assert.ok(memo.arm.siteReads < 80, `${memo.arm.siteReads} of 80 reads read one site`);
    // The trace of a read of one site still holds what the whole read looked into: an edit in
    // another image must be analysed, one in the padding may be moved.
    const typedAt = current.indexOf('"sku": "') + '"sku": "'.length + 1;
    const typed = applyEdit(current, { start: typedAt, end: typedAt, text: 'y' });
    const reads = memo.arm.siteReads;
    const trace = analyzeDocument(file, typed, host, withMemo(memo)).entryTrace!;
    assert.equal(memo.arm.siteReads, reads + 1);
    const survives = (at: number) => {
      const change = { start: at, end: at, text: 'z' };
      return analysisSurvivesChange(file, trace, typed, shiftOfChange(change), applyEdit(typed, change));
    };
    assert.equal(survives(typed.lastIndexOf('"sku": "') + '"sku": "'.length + 1), false, 'another image');
    assert.equal(survives(typed.indexOf('pppp')), true, 'the padding');
  });

  it('keeps only the entries of the latest read, and the containers of a large text only', () => {
    const memo = new DocumentSession();
    analyzeDocument(fleetFile, virtualMachineFleetTemplate(80_000), memoryHost({}), withMemo(memo));
    assert.ok(memo.arm.previousParse);
    const fleet = virtualMachineFleetTemplate(20_000);
    analyzeDocument(fleetFile, fleet, memoryHost({}), withMemo(memo));
    assert.equal(memo.arm.previousParse, undefined);
    const entries = memo.arm.entries.size;
    assert.ok(entries > 1);
    analyzeDocument(
      fleetFile,
      '{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [ { "type": "Microsoft.Compute/virtualMachines", "properties": { "storageProfile": { "imageReference": { "publisher": "Canonical" } } } } ] }',
      memoryHost({}),
      withMemo(memo),
    );
    assert.equal(memo.arm.entries.size, 1);
  });
});
