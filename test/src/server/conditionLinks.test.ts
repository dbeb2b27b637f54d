/**
 * The related information "This image is only deployed when ..." of a finding that exists on one
 * side of a condition links to where that condition is written, over a real stdio connection:
 * VS Code's Problems panel opens it there. After a line typed above, it links to where the
 * condition moved. Regression: it linked to the image's use, so following it led nowhere useful.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver/node';
import { fixtureUri, LspTestClient, readFixture } from './lspClient';

/** The line and character of an offset ('\n' ends a line). */
function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** The range of the first occurrence of `written`. */
function rangeOf(text: string, written: string) {
  const start = text.indexOf(written);
  assert.ok(start >= 0, `${written} is in the text`);
  return { start: positionOf(text, start), end: positionOf(text, start + written.length) };
}

/** Where the jump box's finding links for "only deployed when enableJumpbox is true". */
function jumpboxLink(diagnostics: readonly Diagnostic[]) {
  const links = diagnostics
    .flatMap((diagnostic) => diagnostic.relatedInformation ?? [])
    .filter((related) => related.message === 'This image is only deployed when enableJumpbox is true.');
  assert.equal(links.length, 1);
  return links[0].location;
}

describe('condition links in the language server', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  for (const [name, languageId, condition] of [
    ['main.bicep', 'bicep', 'if (enableJumpbox)'],
    ['main.json', 'json', `"[parameters('enableJumpbox')]"`],
  ] as const) {
    const uri = fixtureUri(`../rules/deployment-conditions/${name}`);
    const text = readFixture(`../rules/deployment-conditions/${name}`);

    it(`${name}: relatedInformation is at the condition, and follows it when a line is typed above`, async () => {
      await client.open(uri, text, languageId);
      const opened = await client.waitForDiagnostics(uri, (params) => params.version === 1);
      assert.deepEqual(jumpboxLink(opened.diagnostics), { uri, range: rangeOf(text, condition) });

      const mark = client.mark();
      const version = await client.edit(uri, 0, 0, '\n');
      const edited = await client.waitForDiagnostics(uri, (params) => params.version === version, mark);
      assert.deepEqual(jumpboxLink(edited.diagnostics), { uri, range: rangeOf(`\n${text}`, condition) });
    });
  }
});
