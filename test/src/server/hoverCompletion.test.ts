/**
 * Hover and completion over a real stdio connection: what the hover says about an image (dates
 * with their state as of the analysis date, kernel, successor), several images in one table,
 * non-Linux and unknown publishers; and the completion of publishers, offers of the chosen
 * publisher, SKUs of the chosen offer and the version, quoted for JSON and for Bicep.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CompletionItem, Hover, MarkupContent, Position, TextEdit } from 'vscode-languageserver/node';
import { fixtureUri, LspTestClient, readFixture } from './lspClient';

const armUri = fixtureUri('ubuntu1804.json');
const multipleUri = fixtureUri('multiple.json');

/** The position of the `index`-th character of the first occurrence of `needle`. */
function positionOf(text: string, needle: string, index = 1): Position {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `${needle} is in the text`);
  const before = text.slice(0, offset + index);
  const lines = before.split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

async function hover(client: LspTestClient, uri: string, position: Position): Promise<Hover | null> {
  return client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
}

async function complete(client: LspTestClient, uri: string, position: Position): Promise<CompletionItem[]> {
  return client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position });
}

function resolve(client: LspTestClient, item: CompletionItem): Promise<CompletionItem> {
  return client.connection.sendRequest('completionItem/resolve', item);
}

function bySortText(items: CompletionItem[]): CompletionItem[] {
  return [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
}

describe('hover', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
    await client.open(armUri, readFixture('ubuntu1804.json'));
    await client.open(multipleUri, readFixture('multiple.json'));
  });
  after(async () => {
    await client.stop();
  });

  it('describes the image on its SKU: dates with their state, kernel, successor, sources', async () => {
    const text = readFixture('ubuntu1804.json');
    const result = await hover(client, armUri, positionOf(text, '"18.04-LTS"', 3));
    assert.ok(result);
    const contents = result.contents as MarkupContent;
    assert.equal(contents.kind, 'markdown');
    assert.deepEqual(result.range, { start: { line: 14, character: 19 }, end: { line: 14, character: 30 } });
    for (const expected of [
      '**Ubuntu 18.04 LTS** · `Canonical:UbuntuServer:18.04-LTS:latest`',
      '| Publisher | Canonical — endorsed by Microsoft on Azure |',
      '| Image | x64, Hyper-V generation V1, server |',
      '| Released | 2018-04-26 |',
      '| End of standard support | ended 2023-05-31 |',
      '| End of extended support (Ubuntu Pro (ESM)) | ends 2028-04-01, in 496 days — not included in this image |',
      '| Kernel | Azure-tuned (`linux-azure`) |',
      'Ubuntu 24.04 LTS (`ubuntu-24_04-lts/server-gen1`)',
      '[Ubuntu release cycle](https://ubuntu.com/about/release-cycle)',
    ]) {
      assert.ok(contents.value.includes(expected), `hover contains ${expected}:\n${contents.value}`);
    }
  });

  it('describes the whole image object the same way, over the object', async () => {
    const text = readFixture('ubuntu1804.json');
    const result = await hover(client, armUri, positionOf(text, '"imageReference": {', 18));
    assert.ok(result);
    assert.deepEqual(result.range, { start: { line: 11, character: 28 }, end: { line: 16, character: 11 } });
    assert.match((result.contents as MarkupContent).value, /\| End of standard support \| ended 2023-05-31 \|/);
  });

  it('gives one row per image when a value can deploy several', async () => {
    const text = readFixture('multiple.json');
    const result = await hover(client, multipleUri, positionOf(text, "[parameters('ubuntuSku')]", 3));
    const value = (result?.contents as MarkupContent).value;
    assert.match(value, /^This value can deploy 2 images \(as of 2026-11-22\):/);
    assert.ok(
      value.includes(
        '| `Canonical:UbuntuServer:18.04-LTS:latest` | Ubuntu 18.04 LTS | yes | standard ended 2023-05-31 | Azure-tuned (`linux-azure`) |',
      ),
    );
    assert.ok(
      value.includes('| `Canonical:UbuntuServer:16.04-LTS:latest` | Ubuntu 16.04 LTS | yes | standard ended 2021-04-02 |'),
    );
  });

  it('answers on a parameter value that feeds an image', async () => {
    const text = readFixture('multiple.json');
    const result = await hover(client, multipleUri, positionOf(text, '"16.04-LTS"', 3));
    assert.ok(result);
    assert.match((result.contents as MarkupContent).value, /^\*\*Ubuntu 16\.04 LTS\*\*/);
  });

  it('says a Windows image is a known non-Linux image, and an unknown publisher is unknown', async () => {
    const text = readFixture('multiple.json');
    const windows = await hover(client, multipleUri, positionOf(text, '"MicrosoftWindowsServer"', 3));
    assert.match(
      (windows?.contents as MarkupContent).value,
      /^`MicrosoftWindowsServer:WindowsServer:2022-datacenter-azure-edition:latest`: Windows Server, a known non-Linux image/,
    );
    const unknown = await hover(client, multipleUri, positionOf(text, '"contoso"', 3));
    assert.match((unknown?.contents as MarkupContent).value, /the publisher `contoso` is not in the catalog/);
  });

  it('answers in Bicep files and .bicepparam values', async () => {
    const bicepUri = fixtureUri('ubuntu1804.bicep');
    const bicep = readFixture('ubuntu1804.bicep');
    await client.open(bicepUri, bicep, 'bicep');
    const onSku = await hover(client, bicepUri, positionOf(bicep, "'18.04-LTS'", 3));
    assert.deepEqual(onSku?.range, { start: { line: 8, character: 13 }, end: { line: 8, character: 24 } });
    assert.match((onSku?.contents as MarkupContent).value, /\| End of standard support \| ended 2023-05-31 \|/);
    const paramUri = fixtureUri('bicep/main.bicepparam');
    const param = readFixture('bicep/main.bicepparam');
    await client.open(paramUri, param, 'bicepparam');
    const onValue = await hover(client, paramUri, positionOf(param, "'18.04-LTS'", 3));
    assert.match((onValue?.contents as MarkupContent).value, /^\*\*Ubuntu 18\.04 LTS\*\*/);
  });

  it('answers nothing away from images', async () => {
    assert.equal(await hover(client, armUri, { line: 2, character: 5 }), null);
  });
});

describe('completion', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('proposes publishers, endorsed Linux first, Windows after, replacing the whole literal', async () => {
    const text = readFixture('ubuntu1804.json');
    await client.open(armUri, text);
    const items = bySortText(await complete(client, armUri, positionOf(text, '"Canonical"', 1)));
    const labels = items.map((item) => item.label);
    assert.equal(labels[0], 'Canonical');
    for (const expected of ['RedHat', 'SUSE', 'Debian', 'MicrosoftWindowsServer']) assert.ok(labels.includes(expected), expected);
    assert.ok(labels.indexOf('MicrosoftWindowsServer') > labels.indexOf('RedHat'));
    const canonical = items[0];
    assert.deepEqual(canonical.textEdit as TextEdit, {
      range: { start: { line: 12, character: 25 }, end: { line: 12, character: 36 } },
      newText: '"Canonical"',
    });
    assert.equal(canonical.filterText, '"Canonical"');
  });

  it('proposes the offers of the chosen publisher, ended ones last and deprecated', async () => {
    const text = readFixture('ubuntu1804.json');
    const items = bySortText(await complete(client, armUri, positionOf(text, '"UbuntuServer"', 1)));
    const labels = items.map((item) => item.label);
    assert.ok(labels.includes('ubuntu-24_04-lts'));
    assert.ok(labels.includes('0001-com-ubuntu-server-jammy'));
    assert.ok(!labels.includes('RHEL'), 'only Canonical offers');
    const ubuntuServer = items.find((item) => item.label === 'UbuntuServer');
    assert.deepEqual(ubuntuServer?.tags, [1]);
    assert.equal(labels.indexOf('UbuntuServer') > labels.indexOf('ubuntu-24_04-lts'), true);
    const modern = items.find((item) => item.label === 'ubuntu-24_04-lts');
    assert.equal(modern?.tags, undefined);
  });

  it('proposes the SKUs of the chosen offer, each documented when the editor resolves it', async () => {
    const text = readFixture('ubuntu1804.json');
    const items = await complete(client, armUri, positionOf(text, '"18.04-LTS"', 1));
    const sku = items.find((item) => item.label === '18.04-LTS');
    assert.ok(sku);
    assert.equal(sku.detail, 'Ubuntu 18.04 LTS · x64 V1 · free · out of support');
    assert.deepEqual(sku.tags, [1]);
    // The list carries no documentation: a table per SKU was most of its size.
    assert.ok(items.every((item) => item.documentation === undefined));
    const resolved = await resolve(client, sku);
    assert.match((resolved.documentation as MarkupContent).value, /\| End of standard support \| ended 2023-05-31 \|/);
    assert.equal(resolved.label, '18.04-LTS');
    assert.deepEqual(resolved.textEdit, sku.textEdit);
    assert.ok(items.some((item) => item.label === '18_04-lts-gen2'));
    assert.ok(!items.some((item) => item.label === 'server-gen1'), 'SKUs of another offer are not proposed');
  });

  it('documents an item of the latest list only, and answers any other item as it came', async () => {
    const text = readFixture('ubuntu1804.json');
    const skus = await complete(client, armUri, positionOf(text, '"18.04-LTS"', 1));
    const sku = skus.find((item) => item.label === '18.04-LTS');
    assert.ok(sku);
    // A newer list: the SKU of the older one is answered without documentation, not with another's.
    const offers = await complete(client, armUri, positionOf(text, '"UbuntuServer"', 1));
    assert.ok(offers.length > 0);
    assert.equal((await resolve(client, sku)).documentation, undefined);
    const offer = offers.find((item) => item.label === 'UbuntuServer');
    assert.ok(offer);
    const documented = await resolve(client, offer);
    assert.match((documented.documentation as MarkupContent).value, /UbuntuServer/);
    // Data that is not ours, or names another item of the list, changes nothing and breaks nothing.
    for (const data of [undefined, null, 'x', { list: 'a', index: 0 }, { list: 1e9, index: -1 }, { ...offer.data, index: 1.5 }]) {
      const item: CompletionItem = { ...offer, data };
      // As JSON carries it: a property whose value is undefined is not sent.
      assert.deepEqual(await resolve(client, item), JSON.parse(JSON.stringify(item)));
    }
    const other = offers.find((item) => item.label !== 'UbuntuServer');
    assert.ok(other);
    assert.equal((await resolve(client, { ...other, data: offer.data })).documentation, undefined);
  });

  it('proposes latest for the version', async () => {
    const text = readFixture('ubuntu1804.json');
    const items = await complete(client, armUri, positionOf(text, '"latest"', 1));
    assert.deepEqual(
      items.map((item) => item.label),
      ['latest'],
    );
  });

  it('completes a half-typed value in a document that does not parse', async () => {
    const text = readFixture('ubuntu1804.json').replace('"18.04-LTS",\n            "version": "latest"', '"18_0');
    const uri = fixtureUri('halfTyped.json');
    await client.open(uri, text);
    const position = positionOf(text, '"18_0', 5);
    const items = await complete(client, uri, position);
    const gen2 = items.find((item) => item.label === '18_04-lts-gen2');
    assert.ok(gen2);
    assert.deepEqual(gen2.textEdit, {
      range: { start: { line: 14, character: 19 }, end: position },
      newText: '"18_04-lts-gen2"',
    });
    await client.close(uri);
  });

  it('completes a bare value after the property name', async () => {
    const text = readFixture('ubuntu1804.json').replace('"sku": "18.04-LTS"', '"sku": 18');
    const uri = fixtureUri('bare.json');
    await client.open(uri, text);
    const position = positionOf(text, '"sku": 18', 9);
    const items = await complete(client, uri, position);
    const item = items.find((candidate) => candidate.label === '18.04-LTS');
    assert.deepEqual(item?.textEdit, { range: { start: { line: 14, character: 19 }, end: position }, newText: '"18.04-LTS"' });
    assert.equal(item?.filterText, '18.04-LTS');
    await client.close(uri);
  });

  it('quotes Bicep values with single quotes', async () => {
    const text = readFixture('ubuntu1804.bicep');
    const uri = fixtureUri('ubuntu1804.bicep');
    await client.open(uri, text, 'bicep');
    const items = await complete(client, uri, positionOf(text, "'UbuntuServer'", 1));
    const modern = items.find((item) => item.label === 'ubuntu-24_04-lts');
    assert.deepEqual(modern?.textEdit, {
      range: { start: { line: 7, character: 15 }, end: { line: 7, character: 29 } },
      newText: "'ubuntu-24_04-lts'",
    });
  });

  it('completes values in a parameter file that feed an image', async () => {
    const uri = fixtureUri('crossfile/vm.parameters.json');
    const text = readFixture('crossfile/vm.parameters.json');
    await client.open(uri, text);
    const items = await complete(client, uri, positionOf(text, '"18.04-LTS"', 1));
    assert.ok(items.some((item) => item.label === '18_04-lts-gen2'));
  });

  it('proposes nothing outside image values', async () => {
    const text = readFixture('ubuntu1804.json');
    assert.deepEqual(await complete(client, armUri, positionOf(text, '"westeurope"', 2)), []);
  });
});
