/**
 * Runs every fixture case under test/fixtures/rules: the findings in each file must be exactly
 * the expectations written in it (code, range, level, message), the goldens must equal the files
 * after every preferred fix, and ARM/Bicep twins (`X.json` and `X.bicep` in one case) must give the
 * same findings.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  applyEdits,
  caseFiles,
  caseFolders,
  describeFindings,
  expectationsIn,
  fixturesRoot,
  preferredEdits,
  scanCase,
} from '../harness/fixtures';

const rulesFixtures = path.join(fixturesRoot, 'rules');

describe('rule fixtures', () => {
  const folders = caseFolders(rulesFixtures);
  test('there are fixture cases', () => assert.ok(folders.length > 0));
  for (const folder of folders) {
    describe(path.basename(folder), () => {
      const result = scanCase(folder);
      const files = caseFiles(folder);
      test('no reader problems unless expected', () => {
        const expectedProblems = fs.existsSync(path.join(folder, 'problems.txt'))
          ? fs.readFileSync(path.join(folder, 'problems.txt'), 'utf8').trim().split('\n').filter(Boolean)
          : [];
        assert.deepEqual(
          result.problems.map(
            (problem) => `${path.basename(problem.file)}: ${problem.message.replace(problem.file, path.basename(problem.file))}`,
          ),
          expectedProblems,
        );
      });
      for (const file of files) {
        test(`findings in ${path.basename(file)}`, () => {
          const text = fs.readFileSync(file, 'utf8');
          assert.deepEqual(describeFindings(result.findings, file, text).sort(), expectationsIn(file).sort());
        });
      }
      const edits = preferredEdits(result.findings);
      for (const file of files) {
        const golden = file.replace(/(\.[a-z]+)$/i, '.fixed$1');
        if (!fs.existsSync(golden)) continue;
        test(`preferred fixes of ${path.basename(file)} give ${path.basename(golden)}`, () => {
          const text = fs.readFileSync(file, 'utf8');
          const fileEdits = [...edits].filter(([name]) => path.resolve(name) === path.resolve(file)).flatMap(([, list]) => list);
          assert.equal(applyEdits(text, fileEdits), fs.readFileSync(golden, 'utf8'));
        });
      }
      for (const file of files.filter((name) => name.endsWith('.json'))) {
        const twin = file.replace(/\.json$/, '.bicep');
        if (!files.includes(twin)) continue;
        test(`${path.basename(file)} and ${path.basename(twin)} give the same findings`, () => {
          const of = (name: string) =>
            result.findings
              .filter((finding) => path.resolve(finding.location.file) === path.resolve(name))
              .map((finding) => `${finding.code}: ${finding.message}`)
              .sort();
          assert.deepEqual(of(twin), of(file));
        });
      }
    });
  }
});
