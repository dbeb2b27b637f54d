/**
 * Hover and completion are answered from the latest analysis of the document (on the server's
 * thread, or on the worker that analysed it), and never from the analysis of an older version:
 * a question sent right after an edit, before that edit's analysis ran or finished, is answered
 * for the edited text. Over a real stdio connection, with the messages ordered (the edit, then
 * the question, back to back): with no pause before analysing (the analysis may be running when
 * the question comes) and with a pause longer than any test (the analysis is only scheduled),
 * after an edit the server moves its findings for instead of analysing (blank lines between
 * entries), and on both threads.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CompletionItem, Hover, MarkupContent, Position } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { answerFromRead, type LatestRead } from '../../../server/out/server/imageAnswers';
import { bundledCatalog } from '../../../server/out/core/catalog/bundledCatalog';
import { readDocument } from '../../../server/out/core/analyze';
import { minimumKeptReadLength } from '../../../server/out/server/documentAnalysis';
import { fixtureUri, LspTestClient, readFixture, testAsOf } from './lspClient';

// Padded past the size whose read the server keeps for questions (`minimumKeptReadLength`):
// a smaller document is read again for each question, which these tests would not exercise.
const fixture = `${readFixture('ubuntu1804.json').trimEnd()}\n${' '.repeat(minimumKeptReadLength)}\n`;

function positionIn(text: string, offset: number): Position {
  return TextDocument.create('file:///x.json', 'json', 1, text).positionAt(offset);
}

function hover(client: LspTestClient, uri: string, position: Position): Promise<Hover | null> {
  return client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
}

function complete(client: LspTestClient, uri: string, position: Position): Promise<CompletionItem[]> {
  return client.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position });
}

/** The first line of a hover's markdown: the image it describes. */
function headline(result: Hover | null): string | undefined {
  return result ? (result.contents as MarkupContent).value.split('\n')[0] : undefined;
}

const threads: [string, number | undefined][] = [
  ['on the server thread', undefined],
  ['on the worker', 0],
];
const delays: [string, number][] = [
  ['analysed at once', 0],
  ['analysis scheduled for later', 60_000],
];

for (const [thread, workerThreshold] of threads) {
  for (const [delayName, validationDelay] of delays) {
    describe(`hover and completion after an edit, ${thread}, ${delayName}`, () => {
      let client: LspTestClient;
      let count = 0;
      before(async () => {
        client = await LspTestClient.start({ workerThreshold, validationDelay });
      });
      after(async () => {
        await client.stop();
      });

      /** A document opened with the fixture's text, once its first analysis is published. */
      async function openFixture(): Promise<string> {
        const uri = fixtureUri(`edited-${count++}.json`);
        const mark = client.mark();
        await client.open(uri, fixture);
        await client.waitForDiagnostics(uri, (params) => params.version === 1, mark, 60_000);
        return uri;
      }

      it('answers for the new text when lines were added above and the SKU changed', async () => {
        const uri = await openFixture();
        // Blank lines between entries (the server moves the findings for those), then a new SKU.
        await client.edit(uri, 1, 1, '\n\n\n');
        const at = client.text(uri)!.indexOf('18.04-LTS');
        await client.edit(uri, at, at + 2, '16');
        const text = client.text(uri)!;
        const sku = text.indexOf('"16.04-LTS"');
        const result = await hover(client, uri, positionIn(text, sku + 3));
        assert.equal(headline(result), '**Ubuntu 16.04 LTS** · `Canonical:UbuntuServer:16.04-LTS:latest`');
        assert.deepEqual(result!.range, { start: positionIn(text, sku), end: positionIn(text, sku + '"16.04-LTS"'.length) });
        assert.deepEqual(result!.range, { start: { line: 17, character: 19 }, end: { line: 17, character: 30 } });
      });

      it('answers for the new text after an edit whose findings were moved, not analysed', async () => {
        const uri = await openFixture();
        await client.edit(uri, 1, 1, '\n\n');
        const text = client.text(uri)!;
        const sku = text.indexOf('"18.04-LTS"');
        const result = await hover(client, uri, positionIn(text, sku + 3));
        assert.equal(headline(result), '**Ubuntu 18.04 LTS** · `Canonical:UbuntuServer:18.04-LTS:latest`');
        assert.deepEqual(result!.range, { start: { line: 16, character: 19 }, end: { line: 16, character: 30 } });
        // Where the SKU was before the edit is the publisher now: its literal is what is answered.
        const publisher = text.indexOf('"Canonical"');
        const before = await hover(client, uri, { line: 14, character: 27 });
        assert.deepEqual(before?.range, {
          start: positionIn(text, publisher),
          end: positionIn(text, publisher + '"Canonical"'.length),
        });
      });

      it('completes in the new text: the SKUs of the offer, replacing the literal where it is now', async () => {
        const uri = await openFixture();
        await client.edit(uri, 1, 1, '\n');
        const at = client.text(uri)!.indexOf('"18.04-LTS"');
        await client.edit(uri, at + 1, at + 1 + '18.04-LTS'.length, '2');
        const text = client.text(uri)!;
        const literal = text.indexOf('"2"');
        const items = await complete(client, uri, positionIn(text, literal + 2));
        const labels = items.map((item) => item.label);
        assert.ok(labels.includes('18.04-LTS') && labels.includes('16.04-LTS'), labels.join(', '));
        for (const item of items) {
          assert.deepEqual((item.textEdit as { range: unknown }).range, {
            start: { line: 15, character: 19 },
            end: { line: 15, character: 22 },
          });
        }
      });
    });
  }
}

describe('answers from a read', () => {
  const file = '/answers/azuredeploy.json';
  const read: LatestRead = {
    version: 3,
    file,
    text: fixture,
    sites: () => readDocument(file, fixture, { readFile: () => undefined }, {}).sites,
    catalog: bundledCatalog,
    asOf: testAsOf,
  };

  it('answers only for the version it read', () => {
    const offset = fixture.indexOf('"18.04-LTS"') + 3;
    const answer = answerFromRead(read, { kind: 'hover', version: 3, offset });
    assert.ok(answer?.kind === 'hover' && answer.hover?.markdown.startsWith('**Ubuntu 18.04 LTS**'));
    assert.equal(answerFromRead(read, { kind: 'hover', version: 4, offset }), undefined);
    assert.equal(answerFromRead(read, { kind: 'completion', version: 2, offset }), undefined);
    assert.equal(answerFromRead(undefined, { kind: 'hover', version: 3, offset }), undefined);
  });
});
