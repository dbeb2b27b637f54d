/**
 * Large documents over a real stdio connection: they are analysed on the server's worker thread,
 * so the server keeps answering requests meanwhile, and a burst of edits is analysed for its last
 * version only (versions a newer edit replaced are never published). The documents are the
 * benchmarks' synthetic VM fleet. An edit of one is analysed in a few milliseconds once the
 * server remembers its images, so the burst is sent while the worker reads another, larger
 * document: its jobs wait behind that one and replace each other.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic, Hover, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { virtualMachineFleetTemplate } from '../bench/synthesize';
import { fixtureUri, LspTestClient, readFixture } from './lspClient';

const largeUri = 'file:///large/fleet/azuredeploy.json';
const smallUri = fixtureUri('ubuntu1804.json');

function codesOf(params: PublishDiagnosticsParams): string[] {
  return params.diagnostics.map((diagnostic) => String(diagnostic.code)).sort();
}

describe('large documents on the analysis worker', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('publishes a burst of edits for the last version only, with the findings of that text', async () => {
    const text = virtualMachineFleetTemplate(400_000);
    await client.open(largeUri, text);
    const opened = await client.waitForDiagnostics(largeUri, (params) => params.version === 1, 0, 60_000);
    assert.ok(opened.diagnostics.length > 0, 'the fleet has findings');
    const mark = client.mark();
    // The worker's first read of an 8 MB template outlasts the burst by far: the server applies
    // ten edits to a 400 KB document in a few milliseconds. The burst is sent once the busy
    // template's job is on the worker: otherwise an edit could start a job of its own before
    // that one, and its result could be published before the server read the next edit. With a
    // 2 MB document and a 5 MB busy one, and without the round trip below, loaded runs failed:
    // an edit was read before the busy job was posted, or the burst outlasted that job.
    const busyUri = 'file:///large/busy/azuredeploy.json';
    const configured = client.configurationAsked(busyUri);
    await client.open(busyUri, virtualMachineFleetTemplate(8_000_000));
    await configured;
    // A round trip after the server asked for the settings: their answer is written before the
    // answer to this request can come back, so the server has read it, and put the busy
    // template's job on the worker, before it reads the burst.
    await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: 'file:///large/not-open.json' },
      position: { line: 0, character: 0 },
    });
    // Ten characters typed into the template's contentVersion, sent back to back: a value the
    // analysis reads, so each edit needs a new analysis (the findings stay where they are).
    const at = text.indexOf('"1.0.0.0"') + 1;
    let version = 1;
    for (let index = 0; index < 10; index++) version = await client.edit(largeUri, at, at, 'x');
    const last = await client.waitForDiagnostics(largeUri, (params) => params.version === version, mark, 60_000);
    await client.waitForDiagnostics(busyUri, (params) => params.version === 1, mark, 60_000);
    await client.close(busyUri);
    const published = client.diagnostics.slice(mark).filter((params) => params.uri === largeUri);
    assert.deepEqual(
      published.map((params) => params.version),
      [version],
    );
    assert.deepEqual(codesOf(last), codesOf(opened));
    assert.deepEqual(
      last.diagnostics.map((diagnostic) => diagnostic.range),
      opened.diagnostics.map((diagnostic) => diagnostic.range),
    );
  });

  it('moves the findings at once while typing where the analysis does not look, and analyses again after an image edit', async () => {
    const uri = 'file:///large/typing/azuredeploy.json';
    const text = virtualMachineFleetTemplate(300_000);
    await client.open(uri, text);
    const opened = await client.waitForDiagnostics(uri, (params) => params.version === 1, 0, 60_000);
    const mark = client.mark();
    // Typing in the first virtual machine's tags, then a line break before the resources: every
    // version is published, without waiting for an analysis, with the findings moved.
    let at = text.indexOf('"owner": "bench"') + '"owner": "'.length;
    let version = 1;
    for (const character of 'typed') {
      version = await client.edit(uri, at, at, character);
      at++;
    }
    const resources = client.text(uri)!.indexOf('"resources"');
    version = await client.edit(uri, resources, resources, '\n  ');
    const moved = await client.waitForDiagnostics(uri, (params) => params.version === version, mark, 60_000);
    assert.deepEqual(
      client.diagnostics
        .slice(mark)
        .filter((params) => params.uri === uri)
        .map((params) => params.version),
      [2, 3, 4, 5, 6, 7],
    );
    const resourcesLine = text.slice(0, text.indexOf('"resources"')).split('\n').length - 1;
    assert.deepEqual(
      moved.diagnostics.map((diagnostic) => diagnostic.range),
      opened.diagnostics.map((diagnostic) =>
        diagnostic.range.start.line >= resourcesLine
          ? {
              start: { line: diagnostic.range.start.line + 1, character: diagnostic.range.start.character },
              end: { line: diagnostic.range.end.line + 1, character: diagnostic.range.end.character },
            }
          : diagnostic.range,
      ),
    );
    // The same text analysed from scratch gives the same diagnostics (its related locations name
    // its own URI).
    const fresh = 'file:///large/fresh/azuredeploy.json';
    await client.open(fresh, client.text(uri)!);
    const analysed = await client.waitForDiagnostics(fresh, (params) => params.version === 1, mark, 60_000);
    const withoutData = (diagnostics: Diagnostic[]) => diagnostics.map((diagnostic) => ({ ...diagnostic, data: undefined }));
    assert.equal(
      JSON.stringify(withoutData(moved.diagnostics)),
      JSON.stringify(withoutData(analysed.diagnostics)).replaceAll(fresh, uri),
    );
    // An image value changes: the template is analysed again and the finding changes.
    const sku = client.text(uri)!.indexOf('"18.04-LTS"') + 1;
    const skuLine = client.text(uri)!.slice(0, sku).split('\n').length - 1;
    const before = moved.diagnostics.filter((diagnostic) => diagnostic.range.start.line === skuLine).map((d) => d.code);
    version = await client.edit(uri, sku, sku + '18.04-LTS'.length, '24_04-lts');
    const analysedAgain = await client.waitForDiagnostics(uri, (params) => params.version === version, mark, 60_000);
    const after = analysedAgain.diagnostics.filter((diagnostic) => diagnostic.range.start.line === skuLine).map((d) => d.code);
    assert.deepEqual(before, ['end-of-support']);
    assert.notDeepEqual(after, before);
    await client.close(fresh);
    await client.close(uri);
  });

  it('answers hover while a large document is being analysed', async () => {
    await client.open(smallUri, readFixture('ubuntu1804.json'));
    await client.waitForDiagnostics(smallUri, (params) => params.version === 1);
    // Two large documents change together: by the time the first one's diagnostics arrive, the
    // second one is being analysed, and the hover sent then must not wait for it. The second is
    // 8 MB: with 3 MB, a full-suite run on a loaded machine once read the second's diagnostics
    // before the hover's answer (the client, starved, sent the hover after the worker was done).
    const firstUri = 'file:///large/first/azuredeploy.json';
    const otherUri = 'file:///large/second/azuredeploy.json';
    for (const uri of [firstUri, otherUri]) {
      await client.open(uri, '{}');
      await client.waitForDiagnostics(uri, (params) => params.version === 1);
    }
    const mark = client.mark();
    const events: string[] = [];
    const firstVersion = await client.change(firstUri, virtualMachineFleetTemplate(3_000_000));
    const secondVersion = await client.change(otherUri, virtualMachineFleetTemplate(8_000_000));
    await client.waitForDiagnostics(firstUri, (params) => params.version === firstVersion, mark, 120_000);
    const second = client
      .waitForDiagnostics(otherUri, (params) => params.version === secondVersion, mark, 120_000)
      .then(() => events.push('diagnostics of the second large document'));
    const small = readFixture('ubuntu1804.json');
    const offset = small.indexOf('"18.04-LTS"') + 3;
    const line = small.slice(0, offset).split('\n').length - 1;
    const character = offset - (small.lastIndexOf('\n', offset - 1) + 1);
    const hover: Hover | null = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: smallUri },
      position: { line, character },
    });
    events.push('hover');
    await second;
    assert.ok(hover && typeof hover.contents === 'object' && 'value' in hover.contents);
    assert.ok(hover.contents.value.includes('18.04'), hover.contents.value);
    assert.deepEqual(events, ['hover', 'diagnostics of the second large document']);
  });
});

describe('the analysis worker module', () => {
  it('loads the analysis and the LSP types only, not the connection library', () => {
    // The worker starts when the first large document is analysed, so what it loads delays that
    // document's first diagnostics: the connection library alone took 55 ms of its 85 ms.
    const script = `require(${JSON.stringify(require.resolve('../../../server/out/server/analysisWorker'))});
      console.log(JSON.stringify(Object.keys(require.cache).filter((file) => file.includes('node_modules'))));`;
    const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as string[];
    const packages = [...new Set(loaded.map((file) => /node_modules[\\/]([^\\/]+)/.exec(file)![1]))];
    assert.deepEqual(packages, ['vscode-languageserver-types']);
  });
});
