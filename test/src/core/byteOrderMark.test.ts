/**
 * A UTF-8 byte order mark is no character of line 1: editors strip it, so a column on the first
 * line counts from after it, in the command's output and in the server's diagnostics and edits
 * of files it reads from disk. The same template with and without the mark gives the same
 * positions.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { LineIndex } from '../../../server/out/core/text';
import { LineIndexMemo } from '../../../server/out/core/incremental/lineIndexMemo';
import { cliModule } from '../fuzz/harness';

const bom = '\uFEFF';

describe('byte order mark', () => {
  it('is not a column of line 1, and offsets at it are the start of the line', () => {
    const index = new LineIndex(`${bom}ab\ncd`);
    assert.deepEqual(index.positionAt(0), { line: 0, character: 0 });
    assert.deepEqual(index.positionAt(1), { line: 0, character: 0 });
    assert.deepEqual(index.positionAt(2), { line: 0, character: 1 });
    assert.deepEqual(index.positionAt(4), { line: 1, character: 0 });
    assert.equal(index.offsetAt({ line: 0, character: 0 }), 1);
    assert.equal(index.offsetAt({ line: 0, character: 2 }), 3);
  });

  it('is counted again when an edit adds or removes it', () => {
    const memo = new LineIndexMemo(0);
    memo.of('ab\ncd');
    assert.deepEqual(memo.of(`${bom}ab\ncd`).positionAt(2), { line: 0, character: 1 });
    assert.deepEqual(memo.of('ab\ncd').positionAt(2), { line: 0, character: 2 });
  });

  it('gives the command the same positions with and without it', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-bom-'));
    try {
      // On one line, so that the finding is on line 1.
      const template = JSON.stringify({
        $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
        contentVersion: '1.0.0.0',
        resources: [
          {
            type: 'Microsoft.Compute/virtualMachines',
            apiVersion: '2023-03-01',
            name: 'vm',
            properties: {
              storageProfile: { imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: '18.04-LTS' } },
            },
          },
        ],
      });
      fs.writeFileSync(path.join(folder, 'plain.json'), template);
      fs.writeFileSync(path.join(folder, 'marked.json'), `${bom}${template}`);
      const run = (name: string) =>
        spawnSync(process.execPath, [cliModule, '--as-of', '2026-11-22', name], { cwd: folder, encoding: 'utf8' }).stdout;
      const plain = run('plain.json');
      assert.match(plain, /^plain\.json\(1,\d+\) : Error end-of-support/);
      assert.equal(run('marked.json'), plain.replace(/plain\.json/g, 'marked.json'));
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
