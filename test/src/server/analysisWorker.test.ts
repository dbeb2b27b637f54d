/**
 * Large documents over a real stdio connection: they are analysed on the server's worker thread,
 * so the server keeps answering requests meanwhile, and a burst of edits is analysed for its last
 * version only (versions a newer edit replaced are never published). The documents are the
 * benchmarks' synthetic VM fleet, large enough that one analysis outlasts the whole burst.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Hover, PublishDiagnosticsParams } from 'vscode-languageserver/node';
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
    const text = virtualMachineFleetTemplate(2_000_000);
    await client.open(largeUri, text);
    const opened = await client.waitForDiagnostics(largeUri, (params) => params.version === 1, 0, 60_000);
    assert.ok(opened.diagnostics.length > 0, 'the fleet has findings');
    const mark = client.mark();
    // Ten line breaks after the opening brace, sent back to back (every finding moves down a line
    // with each); the client's own copy of the text is not kept, so nothing slows the burst down.
    const version = 11;
    await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        client.connection.sendNotification('textDocument/didChange', {
          textDocument: { uri: largeUri, version: index + 2 },
          contentChanges: [{ range: { start: { line: 0, character: 1 }, end: { line: 0, character: 1 } }, text: '\n' }],
        }),
      ),
    );
    const last = await client.waitForDiagnostics(largeUri, (params) => params.version === version, mark, 60_000);
    const published = client.diagnostics.slice(mark).filter((params) => params.uri === largeUri);
    assert.deepEqual(
      published.map((params) => params.version),
      [version],
    );
    assert.deepEqual(codesOf(last), codesOf(opened));
    assert.deepEqual(
      last.diagnostics.map((diagnostic) => diagnostic.range.start.line),
      opened.diagnostics.map((diagnostic) => diagnostic.range.start.line + 10),
    );
  });

  it('answers hover while a large document is being analysed', async () => {
    await client.open(smallUri, readFixture('ubuntu1804.json'));
    await client.waitForDiagnostics(smallUri, (params) => params.version === 1);
    // Two large documents change together: by the time the first one's diagnostics arrive, the
    // second one is being analysed, and the hover sent then must not wait for it.
    const firstUri = 'file:///large/first/azuredeploy.json';
    const otherUri = 'file:///large/second/azuredeploy.json';
    for (const uri of [firstUri, otherUri]) {
      await client.open(uri, '{}');
      await client.waitForDiagnostics(uri, (params) => params.version === 1);
    }
    const mark = client.mark();
    const events: string[] = [];
    const text = virtualMachineFleetTemplate(3_000_000);
    const firstVersion = await client.change(firstUri, text);
    const secondVersion = await client.change(otherUri, text);
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
