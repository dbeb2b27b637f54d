/**
 * Answers the server keeps from the analysis worker (`WorkerRead.answers` in `imageLintServer.ts`):
 * a hover or completion in the span of offsets an answer holds for is answered again without
 * asking the worker, and never after the analysis it came from was replaced: after an edit of
 * the document (even one that leaves the asked offset in an old answer's span), and after an
 * edit of the parameter file it reads, which analyses the template again at the same version.
 * Over a real stdio connection, every document on the worker.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CompletionItem, Hover, MarkupContent, Position } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { minimumKeptReadLength } from '../../../server/out/server/documentAnalysis';
import { fixtureUri, LspTestClient, readFixture } from './lspClient';

// Padded past the size whose read is kept for questions (`minimumKeptReadLength`).
const pad = (text: string) => `${text.trimEnd()}\n${' '.repeat(minimumKeptReadLength)}\n`;

function positionIn(text: string, offset: number): Position {
  return TextDocument.create('file:///x.json', 'json', 1, text).positionAt(offset);
}

function hover(client: LspTestClient, uri: string, offset: number): Promise<Hover | null> {
  return client.connection.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position: positionIn(client.text(uri)!, offset),
  });
}

function complete(client: LspTestClient, uri: string, offset: number): Promise<CompletionItem[]> {
  return client.connection.sendRequest('textDocument/completion', {
    textDocument: { uri },
    position: positionIn(client.text(uri)!, offset),
  });
}

function markdown(result: Hover | null): string | undefined {
  return result ? (result.contents as MarkupContent).value : undefined;
}

describe('answers kept from the worker', () => {
  let client: LspTestClient;
  let count = 0;
  before(async () => {
    client = await LspTestClient.start({ workerThreshold: 0, validationDelay: 0 });
  });
  after(async () => {
    await client.stop();
  });

  async function open(name: string, text: string): Promise<string> {
    const uri = fixtureUri(name);
    const mark = client.mark();
    await client.open(uri, text);
    await client.waitForDiagnostics(uri, (params) => params.version === 1, mark, 60_000);
    return uri;
  }

  it('answers along a value as at its first character, and for the new text after an edit in place', async () => {
    const uri = await open(`kept-${count++}.json`, pad(readFixture('ubuntu1804.json')));
    const sku = client.text(uri)!.indexOf('"18.04-LTS"');
    const first = await hover(client, uri, sku);
    assert.match(markdown(first) ?? '', /^\*\*Ubuntu 18\.04 LTS\*\*/);
    for (const offset of [sku + 1, sku + 5, sku + '"18.04-LTS"'.length - 1])
      assert.deepEqual(await hover(client, uri, offset), first);
    // The same offsets, another SKU: the answers kept for the old text are not the new text's.
    await client.edit(uri, sku + 1, sku + 3, '16');
    const edited = await hover(client, uri, sku + 5);
    assert.match(markdown(edited) ?? '', /^\*\*Ubuntu 16\.04 LTS\*\*/);
    assert.deepEqual(edited?.range, first?.range);
  });

  it('completes the SKUs of the new offer after the offer changed, where the SKU literal was before', async () => {
    const uri = await open(`kept-${count++}.json`, pad(readFixture('ubuntu1804.json')));
    const sku = client.text(uri)!.indexOf('"18.04-LTS"');
    const before = (await complete(client, uri, sku + 5)).map((item) => item.label);
    assert.ok(before.includes('18.04-LTS') && !before.includes('server'), before.join(', '));
    const offer = client.text(uri)!.indexOf('"UbuntuServer"');
    await client.edit(uri, offer + 1, offer + 1 + 'UbuntuServer'.length, 'ubuntu-24_04-lts');
    // The SKU literal moved four characters on: sku + 5 is inside it still.
    const after = (await complete(client, uri, sku + 5)).map((item) => item.label);
    assert.ok(after.includes('server') && !after.includes('18.04-LTS'), after.join(', '));
  });

  it('answers from the parameter file as it is now, after it changed and the template did not', async () => {
    const template = readFixture('parameter-files/vm.json');
    const parameters = readFixture('parameter-files/centos.7.5.vm.parameters.json');
    const parametersUri = fixtureUri('parameter-files/centos.7.5.vm.parameters.json');
    await client.open(parametersUri, parameters);
    const uri = await open('parameter-files/vm.json', pad(template));
    const expression = client.text(uri)!.indexOf("[parameters('imageSku')]");
    const first = markdown(await hover(client, uri, expression + 3)) ?? '';
    assert.ok(first.includes('`Canonical:UbuntuServer:16.04-LTS:latest`'), first);
    assert.deepEqual(markdown(await hover(client, uri, expression + 4)), first);
    const value = parameters.indexOf('16.04-LTS');
    await client.edit(parametersUri, value, value + 2, '18');
    const version = client.version(uri);
    const second = markdown(await hover(client, uri, expression + 3)) ?? '';
    assert.equal(client.version(uri), version);
    assert.ok(second.includes('`Canonical:UbuntuServer:18.04-LTS:latest`') && !second.includes('16.04-LTS'), second);
  });
});
