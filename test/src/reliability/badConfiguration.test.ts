/**
 * Bad configuration and catalog files: invalid JSON, the wrong shape, unknown rule codes, bad
 * dates, binary junk and huge files. Each must give a message that names the file and the
 * problem, and the analysis must go on with the bundled defaults: the command line still prints
 * its findings and exits 2, and the configuration resolver still returns a usable configuration
 * and catalog, without throwing.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { bundledCatalog } from '../../../server/out/core/catalog/bundledCatalog';
import { ConfigResolver } from '../../../server/out/node/configResolver';
import { checkCliOutcome, elapsedMilliseconds, runCli } from '../fuzz/harness';
import { LspTestClient } from '../server/lspClient';

const template = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2023-03-01",
      "name": "vm",
      "properties": {
        "storageProfile": {
          "imageReference": { "publisher": "Canonical", "offer": "UbuntuServer", "sku": "18.04-LTS", "version": "latest" }
        }
      }
    }
  ]
}
`;

const findingLine = /vm\.json\(11,89\) : Error end-of-support: Ubuntu 18\.04 LTS/;

interface BadFile {
  name: string;
  /** The configuration file's content; a catalog case names `catalog.json` in it. */
  config: string | Buffer;
  catalog?: string | Buffer;
  /** What the message about the file must say. */
  problem: RegExp;
}

const huge = (size: number, head: string, tail: string) => `${head}${'x'.repeat(size)}${tail}`;
const catalogConfig = '{ "catalog": "catalog.json" }';

const cases: BadFile[] = [
  { name: 'config: invalid JSON', config: '{ "rules": { "end-of-support": "error" ', problem: /invalid JSON/ },
  { name: 'config: an array instead of an object', config: '[1, 2, 3]', problem: /must be a JSON object/ },
  { name: 'config: rules of the wrong type', config: '{ "rules": "strict" }', problem: /'rules' must be an object/ },
  { name: 'config: unknown property', config: '{ "rulez": {} }', problem: /unknown property 'rulez'/ },
  {
    name: 'config: unknown rule code',
    config: '{ "rules": { "no-such-rule": "error" } }',
    problem: /unknown rule 'no-such-rule'/,
  },
  {
    name: 'config: unknown level',
    config: '{ "rules": { "end-of-support": "fatal" } }',
    problem: /must be off, info, warning or error/,
  },
  { name: 'config: bad date', config: '{ "asOf": "2026-02-30" }', problem: /'asOf' must be a date written YYYY-MM-DD/ },
  { name: 'config: bad pattern', config: '{ "allowed": ["a:b:c:d"] }', problem: /'publisher:offer:sku' pattern/ },
  {
    name: 'config: binary junk',
    config: Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x00, 0x22, 0x80]),
    problem: /invalid JSON|must be a JSON object/,
  },
  {
    name: 'config: nested 10,000 deep',
    config: `{ "rules": ${'['.repeat(10_000)}${']'.repeat(10_000)} }`,
    problem: /is nested more than 64 levels deep and was ignored/,
  },
  { name: 'config: larger than 1 MB', config: huge(1_100_000, '{ "rules": {}, "padding": "', '" }'), problem: /larger than/ },
  { name: 'config: missing catalog file', config: '{ "catalog": "no-such-catalog.json" }', problem: /no-such-catalog\.json/ },
  {
    name: 'catalog: invalid JSON',
    config: catalogConfig,
    catalog: '{ "distributions": [ ',
    problem: /catalog\.json: invalid JSON/,
  },
  { name: 'catalog: wrong shape', config: catalogConfig, catalog: '[]', problem: /catalog\.json/ },
  {
    name: 'catalog: unknown properties',
    config: catalogConfig,
    catalog: '{ "overlay": true, "distros": [] }',
    problem: /catalog\.json.*distros/,
  },
  {
    name: 'catalog: bad date',
    config: catalogConfig,
    catalog: JSON.stringify({ overlay: true, sources: { ours: { title: 'Ours', reference: 'wiki', date: '2026-13-45' } } }),
    problem: /catalog\.json.*date/,
  },
  {
    name: 'catalog: binary junk',
    config: catalogConfig,
    catalog: Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x00, 0x00]),
    problem: /catalog\.json/,
  },
  {
    name: 'catalog: larger than 20 MB',
    config: catalogConfig,
    catalog: huge(21 * 1024 * 1024, '{"padding":"', '"}'),
    problem: /catalog\.json.*larger than/,
  },
  {
    name: 'catalog: 15 MB of unknown entries',
    config: catalogConfig,
    catalog: JSON.stringify({
      overlay: true,
      junk: Array.from({ length: 300_000 }, (_, index) => ({ id: `x${index}`, v: 'y'.repeat(30) })),
    }),
    problem: /catalog\.json/,
  },
];

describe('bad configuration and catalog files', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-bad-config-'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  function project(index: number, bad: BadFile): string {
    const folder = path.join(root, String(index));
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'vm.json'), template);
    fs.writeFileSync(path.join(folder, 'azure-image-lint.json'), bad.config);
    if (bad.catalog !== undefined) fs.writeFileSync(path.join(folder, 'catalog.json'), bad.catalog);
    return folder;
  }

  cases.forEach((bad, index) => {
    test(`${bad.name}: the CLI names the file and the problem, still reports findings, exits 2`, () => {
      const folder = project(index, bad);
      const start = process.hrtime.bigint();
      const outcome = runCli(['--as-of', '2026-11-22', folder]);
      assert.equal(checkCliOutcome(outcome), undefined);
      assert.ok(elapsedMilliseconds(start) < 60_000, 'the CLI took more than a minute');
      assert.equal(outcome.status, 2, outcome.stderr);
      assert.match(outcome.stdout, findingLine);
      const file = bad.catalog !== undefined && !/missing catalog/.test(bad.name) ? 'catalog.json' : 'azure-image-lint.json';
      const messages = outcome.stderr.split('\n').filter((line) => line.startsWith('azure-image-lint: '));
      assert.ok(
        messages.length > 0 && messages.length <= 50,
        `expected a few messages, got ${messages.length}:\n${outcome.stderr}`,
      );
      assert.ok(
        messages.some(
          (line) =>
            line.includes(path.join(folder, file)) ||
            line.includes(path.join(folder, bad.catalog ? 'catalog.json' : 'no-such-catalog.json')),
        ),
        `no message names ${file}:\n${outcome.stderr}`,
      );
      assert.ok(
        messages.some((line) => bad.problem.test(line)),
        `no message matches ${bad.problem}:\n${outcome.stderr}`,
      );
    });

    test(`${bad.name}: the resolver returns problems and a usable configuration and catalog`, () => {
      const folder = project(cases.length + index, bad);
      const resolver = new ConfigResolver();
      const loaded = resolver.configFor(path.join(folder, 'vm.json'));
      const catalog = resolver.catalogFor(loaded.config);
      const problems = [...loaded.problems, ...catalog.problems];
      assert.ok(problems.length > 0, 'no problem reported');
      for (const problem of problems)
        assert.match(problem.message, new RegExp(path.basename(problem.file).replace(/\./g, '\\.')));
      assert.ok(catalog.catalog.distributions.length >= bundledCatalog.distributions.length, 'the bundled catalog was lost');
      for (const code of Object.keys(loaded.config.rules)) assert.ok(!code.startsWith('no-such'), `unknown rule ${code} kept`);
    });
  });

  test('a bad configuration in a subfolder is a problem for the files below it only', () => {
    const folder = path.join(root, 'nested-config');
    fs.mkdirSync(path.join(folder, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'vm.json'), template);
    fs.writeFileSync(path.join(folder, 'sub', 'vm.json'), template);
    fs.writeFileSync(
      path.join(folder, 'sub', 'azure-image-lint.json'),
      `{ "rules": ${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)} }`,
    );
    const outcome = runCli(['--as-of', '2026-11-22', folder]);
    assert.equal(checkCliOutcome(outcome), undefined);
    assert.equal(outcome.status, 2);
    assert.deepEqual(
      outcome.stdout
        .split('\n')
        .filter((line) => findingLine.test(line))
        .map((line) => line.slice(0, line.indexOf('('))),
      [path.join(folder, 'sub', 'vm.json'), path.join(folder, 'vm.json')],
    );
    assert.equal(
      outcome.stderr.split('\n')[0],
      `azure-image-lint: ${path.join(folder, 'sub', 'azure-image-lint.json')}: the configuration is nested more than 64 levels deep and was ignored.`,
    );
  });

  test('the language server analyses a template below a configuration nested 10,000 deep', async () => {
    const folder = path.join(root, 'nested-config-server');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'vm.json'), template);
    fs.writeFileSync(path.join(folder, 'azure-image-lint.json'), `{ "rules": ${'['.repeat(10_000)}${']'.repeat(10_000)} }`);
    const client = await LspTestClient.start({ workspaceFolders: [folder] });
    try {
      const uri = pathToFileURL(path.join(folder, 'vm.json')).href;
      await client.open(uri, template);
      const published = await client.waitForDiagnostics(uri, (params) => params.version === 1);
      assert.deepEqual(
        published.diagnostics.map((diagnostic) => diagnostic.code),
        ['end-of-support'],
      );
      const config = await client.waitForDiagnostics(pathToFileURL(path.join(folder, 'azure-image-lint.json')).href);
      assert.deepEqual(
        config.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.message]),
        [
          [
            'config-error',
            `${path.join(folder, 'azure-image-lint.json')}: the configuration is nested more than 64 levels deep and was ignored.`,
          ],
        ],
      );
    } finally {
      await client.stop();
    }
  });

  test('problems in a configuration file carry ranges, so the editor can show them in the file', () => {
    const folder = project(1000, {
      name: 'ranges',
      config: '{\n  "rules": { "no-such-rule": "error" },\n  "asOf": "tomorrow"\n}\n',
      problem: /./,
    });
    const loaded = new ConfigResolver().configFor(path.join(folder, 'vm.json'));
    const text = fs.readFileSync(path.join(folder, 'azure-image-lint.json'), 'utf8');
    assert.deepEqual(
      loaded.problems.map((problem) => problem.range && text.slice(problem.range.start, problem.range.end)),
      ['"no-such-rule"', '"tomorrow"'],
    );
  });
});
