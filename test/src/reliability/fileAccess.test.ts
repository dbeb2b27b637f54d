/**
 * Secrets stay out of the output. A template from a pull request can name any file
 * (`loadJsonContent('../../home/runner/creds.json')`, a link to one, an absolute path) and a
 * configuration can name any catalog (`/etc/shadow`): files outside the workspace are not read,
 * and values loaded from files inside it are checked but never quoted, in text, JSON and SARIF,
 * on the command line and in the editor. A file that is not valid JSON is reported without its text.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { cliModule } from '../fuzz/harness';
import { LspTestClient } from '../server/lspClient';

const secret = 'TOPSECRET-7f3a';
const privateOffer = 'PRIVATE-OFFER-91c2';

const image = (expression: string, name: string) => `
resource ${name} 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: '${name}'
  location: 'westeurope'
  properties: {
    storageProfile: {
      imageReference: ${expression}
    }
  }
}
`;

/** A repository and a folder beside it that holds what the runner must keep to itself. */
function layout(): { root: string; repository: string; outside: string } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-access-')));
  const repository = path.join(root, 'repository');
  const outside = path.join(root, 'home', 'runner');
  fs.mkdirSync(repository);
  fs.mkdirSync(outside, { recursive: true });
  const creds = JSON.stringify({ publisher: 'Canonical', offer: secret, sku: `${secret}-sku`, password: secret });
  fs.writeFileSync(path.join(outside, 'creds.json'), creds);
  fs.writeFileSync(path.join(outside, 'shadow'), `root:${secret}$6$abc:19000:0:99999:7:::\n`);
  fs.symlinkSync(path.join(outside, 'creds.json'), path.join(repository, 'link.json'));
  fs.writeFileSync(
    path.join(repository, 'images.json'),
    JSON.stringify({
      custom: { publisher: 'Canonical', offer: privateOffer, sku: '22_04-lts' },
      old: { publisher: 'Canonical', offer: 'UbuntuServer', sku: '18.04-LTS' },
    }),
  );
  fs.writeFileSync(
    path.join(repository, 'main.bicep'),
    [
      `var creds = loadJsonContent('../home/runner/creds.json')`,
      `var absolute = loadJsonContent('${path.join(outside, 'creds.json').replace(/\\/g, '/')}')`,
      `var linked = loadJsonContent('link.json')`,
      `var images = loadJsonContent('images.json')`,
      image("{ publisher: creds.publisher, offer: creds.offer, sku: creds.sku, version: 'latest' }", 'relative'),
      image("{ publisher: absolute.publisher, offer: absolute.offer, sku: absolute.sku, version: 'latest' }", 'absolute'),
      image("{ publisher: linked.publisher, offer: linked.offer, sku: linked.sku, version: 'latest' }", 'linked'),
      image('images.custom', 'custom'),
      image("{ publisher: 'Canonical', offer: toLower('${images.custom.offer}-x'), sku: 'x', version: 'latest' }", 'computed'),
      image('images.old', 'old'),
    ].join('\n'),
  );
  return { root, repository, outside };
}

function cli(cwd: string, args: readonly string[]) {
  const result = spawnSync(process.execPath, [cliModule, '--as-of', '2026-11-22', ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('file access and loaded values', () => {
  let folders: ReturnType<typeof layout>;
  before(() => {
    folders = layout();
  });
  after(() => fs.rmSync(folders.root, { recursive: true, force: true }));

  for (const format of ['text', 'json', 'sarif']) {
    test(`the CLI (${format}) reads nothing outside the workspace and quotes no loaded value`, () => {
      const outcome = cli(folders.repository, ['--format', format, 'main.bicep']);
      const output = outcome.stdout + outcome.stderr;
      assert.equal(outcome.status, 1, outcome.stderr);
      assert.ok(!output.toLowerCase().includes(secret.toLowerCase()), output);
      assert.ok(!output.toLowerCase().includes(privateOffer.toLowerCase()), output);
      if (format === 'json') {
        const messages = (
          JSON.parse(outcome.stdout) as { findings: { message: string }[]; problems: { message: string }[] }
        ).findings
          .map((finding) => finding.message)
          .sort();
        assert.deepEqual(messages, [
          "Offer '[a value loaded from images.json]' is not in the catalog for publisher 'Canonical' (catalog as of 2026-12-07).",
          "Offer '[a value loaded from images.json]' is not in the catalog for publisher '[a value loaded from images.json]' (catalog as of 2026-12-07).",
          'Ubuntu 18.04 LTS ([a value loaded from images.json]/[a value loaded from images.json]) reached end of standard support on 2023-05-31; Ubuntu Pro (ESM) can extend it until 2028-04-01; switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/server-gen1).',
        ]);
      }
    });
  }

  test('the CLI says which files it did not read, and why', () => {
    const outcome = cli(folders.repository, ['main.bicep']);
    const problems = outcome.stdout.split('\n').filter((line) => line.includes('is not loaded'));
    assert.deepEqual(problems, [
      `main.bicep(1,29) : Warning problem: The file '../home/runner/creds.json' is not loaded: it is outside the workspace (${folders.repository}).`,
      `main.bicep(2,32) : Warning problem: The file '${path.join(folders.outside, 'creds.json')}' is not loaded: it is outside the workspace (${folders.repository}).`,
      `main.bicep(3,30) : Warning problem: The file 'link.json' is not loaded: it is a link to a file outside the workspace.`,
    ]);
  });

  test('a catalog outside the workspace is not read; one that is not JSON is not quoted', () => {
    const config = path.join(folders.repository, 'azure-image-lint.json');
    try {
      fs.writeFileSync(config, JSON.stringify({ catalog: path.join(folders.outside, 'shadow') }));
      let outcome = cli(folders.repository, ['main.bicep']);
      assert.equal(outcome.status, 2);
      assert.ok(!outcome.stderr.includes(secret), outcome.stderr);
      assert.match(
        outcome.stderr,
        new RegExp(
          `^azure-image-lint: ${escape(path.join(folders.outside, 'shadow'))}: not read: it is outside the workspace \\(${escape(folders.repository)}\\)\\. The bundled catalog is used\\.$`,
          'm',
        ),
      );
      fs.copyFileSync(path.join(folders.outside, 'shadow'), path.join(folders.repository, 'catalog.json'));
      fs.writeFileSync(config, JSON.stringify({ catalog: 'catalog.json' }));
      outcome = cli(folders.repository, ['main.bicep']);
      assert.equal(outcome.status, 2);
      assert.ok(!outcome.stderr.includes(secret), outcome.stderr);
      assert.match(
        outcome.stderr,
        /^azure-image-lint: catalog\.json: invalid JSON \(an unexpected character\); the bundled catalog is used\.$/m,
      );
    } finally {
      fs.rmSync(config, { force: true });
      fs.rmSync(path.join(folders.repository, 'catalog.json'), { force: true });
    }
  });

  test('the language server reads nothing outside its workspace folders and quotes no loaded value', async () => {
    const client = await LspTestClient.start({ workspaceFolders: [folders.repository] });
    try {
      const uri = pathToFileURL(path.join(folders.repository, 'main.bicep')).href;
      await client.open(uri, fs.readFileSync(path.join(folders.repository, 'main.bicep'), 'utf8'));
      const published = await client.waitForDiagnostics(uri, (params) => params.version === 1);
      const text = JSON.stringify(published.diagnostics);
      assert.ok(!text.toLowerCase().includes(secret.toLowerCase()), text);
      assert.ok(!text.toLowerCase().includes(privateOffer.toLowerCase()), text);
      assert.deepEqual(published.diagnostics.map((diagnostic) => diagnostic.message).sort(), [
        "Offer '[a value loaded from images.json]' is not in the catalog for publisher 'Canonical' (catalog as of 2026-12-07).",
        "Offer '[a value loaded from images.json]' is not in the catalog for publisher '[a value loaded from images.json]' (catalog as of 2026-12-07).",
        `The file '../home/runner/creds.json' is not loaded: it is outside the workspace (${folders.repository}).`,
        `The file '${path.join(folders.outside, 'creds.json')}' is not loaded: it is outside the workspace (${folders.repository}).`,
        "The file 'link.json' is not loaded: it is a link to a file outside the workspace.",
        'Ubuntu 18.04 LTS ([a value loaded from images.json]/[a value loaded from images.json]) reached end of standard support on 2023-05-31; Ubuntu Pro (ESM) can extend it until 2028-04-01; switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/server-gen1).',
      ]);
    } finally {
      await client.stop();
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
