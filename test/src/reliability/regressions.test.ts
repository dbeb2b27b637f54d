/**
 * Every input the fuzz run or the reliability tests ever broke the analysis with, kept under
 * test/fixtures/regressions/ and run here: the core must not throw on it and must finish in time
 * linear in its size. The README in that folder says what each fixture once did wrong.
 * A new fixture needs no code here: every file in the folder is run.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { analyzeDocument } from '../../../server/out/core/analyze';
import { checkCore, checkLinear, coreSettings, diskText, elapsedMilliseconds, fixturesRoot, MapFileHost } from '../fuzz/harness';
import { decodeForCore } from '../fuzz/mutator';

const regressionsRoot = path.join(fixturesRoot, 'regressions');

function fixture(name: string): string {
  return decodeForCore(fs.readFileSync(path.join(regressionsRoot, name)));
}

describe('regression fixtures', () => {
  for (const name of fs
    .readdirSync(regressionsRoot)
    .filter((entry) => !entry.endsWith('.md'))
    .sort()) {
    test(`${name}: the core does not throw, keeps its ranges inside the text and finishes fast`, () => {
      // A folder is a project of several files: its `main.*` is the entry, the rest is read from disk.
      const folder = path.join(regressionsRoot, name);
      const entry = fs.statSync(folder).isDirectory()
        ? fs.readdirSync(folder).find((file) => file.startsWith('main.'))
        : undefined;
      const file = entry ? path.join(folder, entry) : folder;
      const text = fixture(path.relative(regressionsRoot, file));
      const host = new MapFileHost(diskText);
      host.set(file, text);
      const start = process.hrtime.bigint();
      for (const offset of [0, Math.floor(text.length / 2), text.length]) {
        assert.equal(checkCore(file, text, host, offset), undefined);
      }
      const internal = analyzeDocument(file, text, host, coreSettings).problems.filter((problem) =>
        /internal error/i.test(problem.message),
      );
      assert.deepEqual(internal, []);
      // Every fixture is a few kilobytes: analysis, hover and completion at three places take well
      // under a second. The bound is generous; the inputs it guards against took minutes or crashed.
      const elapsed = elapsedMilliseconds(start);
      assert.ok(elapsed < 10_000, `${elapsed.toFixed(0)} ms`);
    });
  }

  test('minified-many-findings.json: thousands of findings on one line take linear time', () => {
    const template = JSON.parse(fixture('minified-many-findings.json')) as { resources: unknown[] };
    const resource = template.resources[0];
    const failure = checkLinear(
      {
        name: 'minified template, resource repeated',
        file: 'minified-many-findings.json',
        fullSize: 0,
        make: (n) => JSON.stringify({ ...template, resources: Array.from({ length: n }, () => resource) }),
      },
      1000,
      1,
    );
    assert.equal(failure, undefined, failure?.message);
  });
});
