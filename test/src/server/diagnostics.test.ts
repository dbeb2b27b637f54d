/**
 * Diagnostics over a real stdio connection: pushed and pulled, for an ARM template and a Bicep
 * file deploying Ubuntu 18.04, after a change, for a file that does not parse, for garbage, and
 * for a file over the size limit. Codes, ranges, messages and links are asserted exactly.
 */
import * as assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic, DocumentDiagnosticReport } from 'vscode-languageserver/node';
import { virtualMachineFleetTemplate } from '../bench/synthesize';
import { endOfSupportHref, endOfSupportMessage } from './expectations';
import { fixtureUri, LspTestClient, readFixture } from './lspClient';

/** The parts of a diagnostic a test compares (data is checked by the code action tests). */
function summary(diagnostic: Diagnostic) {
  return {
    code: diagnostic.code,
    severity: diagnostic.severity,
    source: diagnostic.source,
    message: diagnostic.message,
    range: diagnostic.range,
    href: diagnostic.codeDescription?.href,
  };
}

const armUri = fixtureUri('ubuntu1804.json');
const bicepUri = fixtureUri('ubuntu1804.bicep');

const armEndOfSupport = {
  code: 'end-of-support',
  severity: 1,
  source: 'azure-image-lint',
  message: endOfSupportMessage,
  range: { start: { line: 14, character: 19 }, end: { line: 14, character: 30 } },
  href: endOfSupportHref,
};

describe('push diagnostics', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('reports end-of-support on the SKU literal of an ARM template', async () => {
    await client.open(armUri, readFixture('ubuntu1804.json'));
    const published = await client.waitForDiagnostics(armUri, (params) => params.version === 1);
    assert.deepEqual(published.diagnostics.map(summary), [armEndOfSupport]);
  });

  it('reports end-of-support on the SKU literal of a Bicep file', async () => {
    await client.open(bicepUri, readFixture('ubuntu1804.bicep'), 'bicep');
    const published = await client.waitForDiagnostics(bicepUri, (params) => params.version === 1);
    assert.deepEqual(published.diagnostics.map(summary), [
      { ...armEndOfSupport, range: { start: { line: 8, character: 13 }, end: { line: 8, character: 24 } } },
    ]);
  });

  it('publishes again after a change, for the new version', async () => {
    const text = readFixture('ubuntu1804.json')
      .replace('"UbuntuServer"', '"ubuntu-24_04-lts"')
      .replace('"18.04-LTS"', '"server-gen1"');
    const version = await client.change(armUri, text);
    const published = await client.waitForDiagnostics(armUri, (params) => params.version === version);
    assert.deepEqual(published.diagnostics, []);
    const back = await client.change(armUri, readFixture('ubuntu1804.json'));
    const again = await client.waitForDiagnostics(armUri, (params) => params.version === back);
    assert.deepEqual(again.diagnostics.map(summary), [armEndOfSupport]);
  });

  it('reports a template that does not parse as parse-error, and keeps answering', async () => {
    const uri = fixtureUri('broken.json');
    const text = readFixture('ubuntu1804.json').slice(0, 420);
    await client.open(uri, text);
    const published = await client.waitForDiagnostics(uri, (params) => params.version === 1);
    assert.ok(published.diagnostics.length > 0, 'a parse error is reported');
    for (const diagnostic of published.diagnostics) {
      assert.equal(diagnostic.code, 'parse-error');
      assert.equal(diagnostic.severity, 2);
      assert.equal(diagnostic.source, 'azure-image-lint');
    }
    const hover = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 12, character: 20 },
    });
    assert.ok(hover === null || typeof hover === 'object');
    await client.close(uri);
  });

  it('survives garbage and keeps answering', async () => {
    const garbage = [
      '{"$schema": "deploymentTemplate.json", "resources": [' + '['.repeat(50_000),
      '\u0000\uD800\uDFFF\uFFFF' + '{"a":'.repeat(10_000),
      '{"$schema": "deploymentTemplate.json", "resources": [{"type": "Microsoft.Compute/virtualMachines", "properties": {"storageProfile": {"imageReference": {"publisher": 5, "offer": [], "sku": {"x": null}}}}}]}',
      '"[concat(' + "parameters('a'), ".repeat(5_000) + ')]"',
    ];
    for (const [index, text] of garbage.entries()) {
      const uri = fixtureUri(`garbage-${index}.json`);
      await client.open(uri, text);
      await client.waitForDiagnostics(uri, (params) => params.version === 1);
      await client.close(uri);
    }
    const bicep = fixtureUri('garbage.bicep');
    await client.open(
      bicep,
      "resource x 'Microsoft.Compute/virtualMachines@2023' = {\n" + '{'.repeat(20_000) + "'''\u0000",
      'bicep',
    );
    await client.waitForDiagnostics(bicep, (params) => params.version === 1);
    await client.close(bicep);
    const hover = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: armUri },
      position: { line: 14, character: 22 },
    });
    assert.ok(hover !== null, 'the server still answers');
    assert.equal(client.exitCode, null);
  });

  it('does not analyse a file over the size limit and says so once', async () => {
    await client.changeSettings({ maxFileSize: 100 });
    const uri = fixtureUri('large.json');
    await client.open(uri, readFixture('ubuntu1804.json'));
    const published = await client.waitForDiagnostics(uri, (params) => params.version === 1);
    assert.equal(published.diagnostics.length, 1);
    assert.equal(published.diagnostics[0].code, 'file-too-large');
    assert.equal(published.diagnostics[0].severity, 3);
    assert.match(String(published.diagnostics[0].message), /was not analysed/);
    await client.close(uri);
    const mark = client.mark();
    await client.changeSettings({});
    await client.waitForDiagnostics(armUri, (params) => params.diagnostics[0]?.code === 'end-of-support', mark);
  });
});

describe('pull diagnostics', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start({ pull: true });
  });
  after(async () => {
    await client.stop();
  });

  it('answers textDocument/diagnostic with the same findings, then "unchanged"', async () => {
    await client.open(armUri, readFixture('ubuntu1804.json'));
    const report: DocumentDiagnosticReport = await client.connection.sendRequest('textDocument/diagnostic', {
      textDocument: { uri: armUri },
    });
    assert.equal(report.kind, 'full');
    if (report.kind !== 'full') return;
    assert.deepEqual(report.items.map(summary), [armEndOfSupport]);
    const again: DocumentDiagnosticReport = await client.connection.sendRequest('textDocument/diagnostic', {
      textDocument: { uri: armUri },
      previousResultId: report.resultId,
    });
    assert.deepEqual(again, { kind: 'unchanged', resultId: report.resultId });
  });

  it('answers with the new findings after a change, and pushes nothing for open documents', async () => {
    await client.change(armUri, readFixture('ubuntu1804.json').replace('"18.04-LTS"', '"18_04-lts-gen2"'));
    const report: DocumentDiagnosticReport = await client.connection.sendRequest('textDocument/diagnostic', {
      textDocument: { uri: armUri },
    });
    assert.equal(report.kind, 'full');
    if (report.kind !== 'full') return;
    assert.deepEqual(
      report.items.map((item) => [item.code, item.range.start.line]),
      [['end-of-support', 14]],
    );
    assert.match(String(report.items[0].message), /UbuntuServer\/18_04-lts-gen2/);
    assert.deepEqual(
      client.diagnostics.filter((params) => params.uri === armUri && params.diagnostics.length > 0),
      [],
    );
  });

  it('answers for an edit nobody reads with the findings moved, as a fresh analysis would', async () => {
    const uri = 'file:///pull/fleet/azuredeploy.json';
    const text = virtualMachineFleetTemplate(20_000);
    await client.open(uri, text);
    const pull = async (target: string): Promise<Diagnostic[]> => {
      const report: DocumentDiagnosticReport = await client.connection.sendRequest('textDocument/diagnostic', {
        textDocument: { uri: target },
      });
      assert.equal(report.kind, 'full');
      return report.kind === 'full' ? report.items : [];
    };
    const before = await pull(uri);
    assert.ok(before.length > 0);
    // A line break typed into the first virtual machine's tag, above its image.
    const at = text.indexOf('"owner": "bench"') + '"owner": "'.length;
    await client.edit(uri, at, at, 'on call\n');
    const after = await pull(uri);
    const line = text.slice(0, at).split('\n').length - 1;
    assert.deepEqual(
      after.map((item) => item.range.start.line),
      before.map((item) => item.range.start.line + (item.range.start.line > line ? 1 : 0)),
    );
    const fresh = 'file:///pull/fresh/azuredeploy.json';
    await client.open(fresh, client.texts.get(uri)!);
    const analysed = await pull(fresh);
    const comparable = (items: Diagnostic[]) => items.map((item) => ({ ...item, data: undefined }));
    assert.equal(JSON.stringify(comparable(after)), JSON.stringify(comparable(analysed)).replaceAll(fresh, uri));
    await client.close(fresh);
    await client.close(uri);
  });

  it('asks the client to pull again when the settings change', async () => {
    const refreshed = client.waitForRefresh();
    await client.changeSettings({ rules: { 'end-of-support': 'off' } });
    await refreshed;
    const report: DocumentDiagnosticReport = await client.connection.sendRequest('textDocument/diagnostic', {
      textDocument: { uri: armUri },
    });
    assert.equal(report.kind, 'full');
    if (report.kind === 'full') assert.deepEqual(report.items, []);
  });
});

describe('debounced analysis while typing', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start({ validationDelay: 200 });
  });
  after(async () => {
    await client.stop();
  });

  it('publishes at once on open, then only the newest of a burst of changes', async () => {
    const text = readFixture('ubuntu1804.json');
    await client.open(armUri, text);
    await client.waitForDiagnostics(armUri, (params) => params.version === 1);
    const mark = client.mark();
    for (let index = 0; index < 5; index++) await client.change(armUri, `${text}${' '.repeat(index + 1)}`);
    const published = await client.waitForDiagnostics(armUri, (params) => params.version === 6, mark);
    assert.deepEqual(published.diagnostics.map(summary), [armEndOfSupport]);
    assert.deepEqual(
      client.diagnostics
        .slice(mark)
        .filter((params) => params.uri === armUri)
        .map((params) => params.version),
      [6],
    );
  });

  it('measures the latency from didChange to publishDiagnostics', async (t) => {
    const text = readFixture('ubuntu1804.json');
    const latencies: number[] = [];
    for (let index = 0; index < 10; index++) {
      const started = performance.now();
      const version = await client.change(armUri, `${text}${'\n'.repeat(index % 2)}`);
      await client.waitForDiagnostics(armUri, (params) => params.version === version);
      latencies.push(performance.now() - started);
    }
    latencies.sort((a, b) => a - b);
    const median = latencies[latencies.length >> 1];
    t.diagnostic(`didChange → publishDiagnostics with a 200 ms debounce: median ${median.toFixed(1)} ms`);
    assert.ok(median >= 200, 'the debounce waits for a pause in typing');
    assert.ok(median < 2_000, 'and then publishes promptly');
  });
});
