/**
 * JSON and SARIF: the related location of "This image is only deployed when ..." is where the
 * condition is written (JSON `related[].range`, SARIF `relatedLocations`), and SARIF's message
 * links it as the condition, not as an image that uses the value. Regression: it was the image's
 * use, and SARIF called it "the image that uses this value".
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { repositoryRoot } from '../harness/fixtures';
import { runCli } from './commandRunner';

/* eslint-disable @typescript-eslint/no-explicit-any -- the outputs are checked as plain JSON. */

const folder = 'test/fixtures/rules/deployment-conditions';

/** The 0-based line and character of the first occurrence of `written`, and of its end. */
function rangeOf(text: string, written: string) {
  const position = (offset: number) => {
    const lines = text.slice(0, offset).split('\n');
    return { line: lines.length - 1, character: lines[lines.length - 1].length };
  };
  const start = text.indexOf(written);
  assert.ok(start >= 0);
  return { start: position(start), end: position(start + written.length) };
}

describe('condition links in the command line outputs', () => {
  for (const [name, condition] of [
    ['main.bicep', 'if (enableJumpbox)'],
    ['main.json', `"[parameters('enableJumpbox')]"`],
  ] as const) {
    const file = `${folder}/${name}`;
    const text = fs.readFileSync(path.join(repositoryRoot, file), 'utf8');
    const expected = rangeOf(text, condition);
    const isJumpbox = (message: string) => message.startsWith('Ubuntu 18.04 LTS (UbuntuServer/18.04-LTS)');

    test(`${name}: JSON related[].range is the condition`, () => {
      const result = runCli(['--as-of', '2026-11-22', '--format', 'json', file]);
      assert.equal(result.status, 1, result.stderr);
      const finding = JSON.parse(result.stdout).findings.find((item: any) => isJumpbox(item.message));
      assert.deepEqual(
        finding.related.filter((item: any) => item.message.startsWith('This image is only deployed when')),
        [{ file, range: expected, message: 'This image is only deployed when enableJumpbox is true.' }],
      );
    });

    test(`${name}: SARIF relatedLocations is the condition, linked from the message as such`, () => {
      const result = runCli(['--as-of', '2026-11-22', '--format', 'sarif', file]);
      const results = JSON.parse(result.stdout).runs[0].results;
      const finding = results.find((item: any) => isJumpbox(item.message.text));
      // The value's use first (the SKU is written apart from the image object), then the condition.
      assert.match(
        finding.message.text,
        / See \[the image that uses this value\]\(1\)\. It is only deployed when enableJumpbox is true: see \[the condition\]\(2\)\.$/,
      );
      assert.deepEqual(finding.relatedLocations.slice(1), [
        {
          id: 2,
          physicalLocation: {
            artifactLocation: { uri: file, uriBaseId: '%SRCROOT%' },
            region: {
              startLine: expected.start.line + 1,
              startColumn: expected.start.character + 1,
              endLine: expected.end.line + 1,
              endColumn: expected.end.character + 1,
            },
          },
          message: { text: 'This image is only deployed when enableJumpbox is true.' },
        },
      ]);
    });
  }
});
