/**
 * Findings that live in another file, over a real stdio connection: a template's finding placed
 * in its parameter file, that parameter file opened and edited, a fix that edits the parameter
 * file, files changed on disk, an `azure-image-lint.json` that turns a rule off or is broken,
 * and the scan-workspace and inventory commands. Files that change on disk are copies in a
 * temporary folder; the fixtures are never written.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeAction, DocumentDiagnosticReport } from 'vscode-languageserver/node';
import { applyTextEdits, fixtureUri, fixturesFolder, LspTestClient, readFixture } from './lspClient';
import { endOfSupportMessage } from './expectations';

const templateUri = fixtureUri('crossfile/vm.json');
const parametersUri = fixtureUri('crossfile/vm.parameters.json');
const parameterSkuRange = { start: { line: 8, character: 15 }, end: { line: 8, character: 26 } };

/** A temporary copy of fixture files, removed after the test. */
function temporaryCopy(files: Record<string, string>): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-server-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), text);
  }
  return folder;
}

describe('cross-file diagnostics', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('publishes a template finding on the parameter file that holds the value', async () => {
    await client.open(templateUri, readFixture('crossfile/vm.json'));
    const template = await client.waitForDiagnostics(templateUri, (params) => params.version === 1);
    assert.deepEqual(template.diagnostics, []);
    const parameters = await client.waitForDiagnostics(parametersUri);
    assert.equal(parameters.version, undefined, 'the parameter file is not open');
    assert.deepEqual(
      parameters.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.message, diagnostic.range]),
      [['end-of-support', endOfSupportMessage, parameterSkuRange]],
    );
    const related = parameters.diagnostics[0].relatedInformation ?? [];
    assert.equal(related.length, 1);
    assert.equal(related[0].location.uri, templateUri);
    assert.equal(related[0].location.range.start.line, 21);
  });

  it('moves the related location in the parameter file when a line break is typed in the template', async () => {
    const mark = client.mark();
    // Between the template's first entries: the findings move without a new analysis.
    const version = await client.edit(templateUri, 1, 1, '\n');
    await client.waitForDiagnostics(templateUri, (params) => params.version === version, mark);
    const parameters = await client.waitForDiagnostics(parametersUri, () => true, mark);
    assert.deepEqual(
      parameters.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range]),
      [['end-of-support', parameterSkuRange]],
    );
    assert.equal(parameters.diagnostics[0].relatedInformation?.[0].location.range.start.line, 22);
  });

  it('shows the findings located in a parameter file when it is opened', async () => {
    await client.open(parametersUri, readFixture('crossfile/vm.parameters.json'));
    const published = await client.waitForDiagnostics(parametersUri, (params) => params.version === 1);
    assert.deepEqual(
      published.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.range]),
      [['end-of-support', parameterSkuRange]],
    );
  });

  it('updates the parameter file when its value changes, and the template is re-analysed', async () => {
    const mark = client.mark();
    const text = readFixture('crossfile/vm.parameters.json').replace('"18.04-LTS"', '"16.04-LTS"');
    const version = await client.change(parametersUri, text);
    const published = await client.waitForDiagnostics(parametersUri, (params) => params.version === version);
    assert.deepEqual(
      published.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.message]),
      [
        [
          'end-of-support',
          'Ubuntu 16.04 LTS (UbuntuServer/16.04-LTS) reached end of standard support on 2021-04-02; switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/server-gen1).',
        ],
      ],
    );
    // The template depends on the parameter file: it is analysed again.
    await client.waitForDiagnostics(templateUri, () => true, mark);
  });

  it('applies a fix that edits the parameter file', async () => {
    const { diagnostics } = await client.waitForDiagnostics(
      parametersUri,
      (params) => params.version === client.version(parametersUri),
    );
    const actions: CodeAction[] = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: parametersUri },
      range: diagnostics[0].range,
      context: { diagnostics },
    });
    const preferred = actions.find((action) => action.isPreferred);
    assert.ok(preferred?.edit?.changes);
    assert.deepEqual(Object.keys(preferred.edit.changes), [parametersUri]);
    const texts = await client.applyEdit(preferred.edit);
    assert.equal(
      texts.get(parametersUri),
      readFixture('crossfile/vm.parameters.json')
        .replace('"UbuntuServer"', '"ubuntu-24_04-lts"')
        .replace('"18.04-LTS"', '"server-gen1"'),
    );
    const version = client.version(parametersUri);
    const published = await client.waitForDiagnostics(parametersUri, (params) => params.version === version);
    assert.deepEqual(published.diagnostics, []);
  });

  it('clears a closed parameter file once the template sees its saved text again', async () => {
    const mark = client.mark();
    await client.close(parametersUri);
    // Back to the text on disk (18.04): the template's analysis places the finding there again.
    const published = await client.waitForDiagnostics(parametersUri, (params) => params.diagnostics.length === 1, mark);
    assert.equal(published.version, undefined);
    await client.close(templateUri);
  });
});

describe('cross-file diagnostics with a pulling client', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start({ pull: true });
  });
  after(async () => {
    await client.stop();
  });

  const pull = async (uri: string): Promise<DocumentDiagnosticReport> =>
    client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });

  it('pulls the open template and pushes the finding of the closed parameter file', async () => {
    await client.open(templateUri, readFixture('crossfile/vm.json'));
    assert.deepEqual(await pull(templateUri), { kind: 'full', resultId: '1', items: [] });
    const pushed = await client.waitForDiagnostics(parametersUri, (params) => params.diagnostics.length === 1);
    assert.deepEqual(pushed.diagnostics[0].range, parameterSkuRange);
  });

  it('pulls the parameter file once it is open, and clears what was pushed for it', async () => {
    const mark = client.mark();
    await client.open(parametersUri, readFixture('crossfile/vm.parameters.json'));
    const report = await pull(parametersUri);
    assert.equal(report.kind, 'full');
    if (report.kind === 'full') {
      assert.deepEqual(
        report.items.map((item) => [item.code, item.range]),
        [['end-of-support', parameterSkuRange]],
      );
    }
    await client.waitForDiagnostics(parametersUri, (params) => params.diagnostics.length === 0, mark);
  });

  it('asks for a new pull of the template when the parameter file changes', async () => {
    const refreshed = client.waitForRefresh();
    await client.change(parametersUri, readFixture('crossfile/vm.parameters.json').replace('"18.04-LTS"', '"16.04-LTS"'));
    const report = await pull(parametersUri);
    assert.equal(report.kind, 'full');
    if (report.kind === 'full') assert.match(String(report.items[0]?.message), /^Ubuntu 16\.04 LTS/);
    await refreshed;
    assert.equal((await pull(templateUri)).kind, 'full');
  });
});

describe('Bicep parameter files', () => {
  let client: LspTestClient;
  const bicepUri = fixtureUri('bicep/main.bicep');
  const bicepParamUri = fixtureUri('bicep/main.bicepparam');
  const skuRange = { start: { line: 3, character: 17 }, end: { line: 3, character: 28 } };
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('reports the value of a .bicepparam file on that file', async () => {
    await client.open(bicepParamUri, readFixture('bicep/main.bicepparam'), 'bicepparam');
    const published = await client.waitForDiagnostics(bicepParamUri, (params) => params.version === 1);
    assert.deepEqual(
      published.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.message, diagnostic.range]),
      [['end-of-support', endOfSupportMessage, skuRange]],
    );
  });

  it('fixes the .bicepparam values with Bicep quoting', async () => {
    const { diagnostics } = await client.waitForDiagnostics(bicepParamUri, (params) => params.version === 1);
    const actions: CodeAction[] = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: bicepParamUri },
      range: diagnostics[0].range,
      context: { diagnostics, only: ['quickfix'] },
    });
    const preferred = actions.find((action) => action.isPreferred);
    assert.ok(preferred?.edit?.changes);
    assert.equal(
      applyTextEdits(readFixture('bicep/main.bicepparam'), preferred.edit.changes[bicepParamUri]),
      "using 'main.bicep'\n\nparam imageOffer = 'ubuntu-24_04-lts'\nparam imageSku = 'server-gen1'\n",
    );
    const disable = actions.find((action) => action.title === 'Disable end-of-support for this line');
    assert.equal(disable?.edit?.changes?.[bicepParamUri][0].newText, '#disable-next-line end-of-support\n');
  });

  it('re-analyses the .bicepparam file when the Bicep file it uses changes', async () => {
    const text = readFixture('bicep/main.bicep');
    await client.open(bicepUri, text, 'bicep');
    await client.waitForDiagnostics(bicepUri, (params) => params.version === 1);
    const mark = client.mark();
    await client.change(
      bicepUri,
      text.replace('offer: imageOffer', "offer: 'ubuntu-24_04-lts'").replace('sku: imageSku', "sku: 'server-gen1'"),
    );
    const published = await client.waitForDiagnostics(bicepParamUri, (params) => params.version === 1, mark);
    assert.deepEqual(published.diagnostics, []);
  });
});

describe('parameter files created and deleted next to an open template', () => {
  let client: LspTestClient;
  let folder: string;
  before(async () => {
    folder = temporaryCopy({ 'vm.json': readFixture('crossfile/vm.json') });
    client = await LspTestClient.start({ workspaceFolders: [folder] });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  const uri = (name: string) => pathToFileURL(path.join(folder, name)).href;

  it('reads the template with a parameter file once it is created, and without it once it is deleted', async () => {
    // The server keeps what folders hold (it looks for parameter files at each keystroke); a
    // file created or deleted there is news.
    await client.open(uri('vm.json'), readFixture('crossfile/vm.json'));
    await client.waitForDiagnostics(uri('vm.json'));
    let mark = client.mark();
    fs.writeFileSync(path.join(folder, 'vm.parameters.json'), readFixture('crossfile/vm.parameters.json'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('vm.parameters.json'), type: 1 }],
    });
    await client.waitForDiagnostics(uri('vm.parameters.json'), (params) => params.diagnostics.length === 1, mark);
    mark = client.mark();
    fs.rmSync(path.join(folder, 'vm.parameters.json'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('vm.parameters.json'), type: 3 }],
    });
    await client.waitForDiagnostics(uri('vm.parameters.json'), (params) => params.diagnostics.length === 0, mark);
  });
});

describe('files changed on disk and configuration files', () => {
  let client: LspTestClient;
  let folder: string;
  before(async () => {
    folder = temporaryCopy({
      'vm.json': readFixture('crossfile/vm.json'),
      'vm.parameters.json': readFixture('crossfile/vm.parameters.json'),
    });
    client = await LspTestClient.start({ workspaceFolders: [folder] });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  const uri = (name: string) => pathToFileURL(path.join(folder, name)).href;

  it('re-analyses an open template when its parameter file changes on disk', async () => {
    await client.open(uri('vm.json'), readFixture('crossfile/vm.json'));
    await client.waitForDiagnostics(uri('vm.parameters.json'), (params) => params.diagnostics.length === 1);
    const mark = client.mark();
    fs.writeFileSync(
      path.join(folder, 'vm.parameters.json'),
      readFixture('crossfile/vm.parameters.json')
        .replace('"UbuntuServer"', '"ubuntu-24_04-lts"')
        .replace('"18.04-LTS"', '"server"'),
    );
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('vm.parameters.json'), type: 2 }],
    });
    await client.waitForDiagnostics(uri('vm.parameters.json'), (params) => params.diagnostics.length === 0, mark);
  });

  it('follows azure-image-lint.json, and reports a broken one as config-error while going on with defaults', async () => {
    fs.writeFileSync(path.join(folder, 'vm.parameters.json'), readFixture('crossfile/vm.parameters.json'));
    let mark = client.mark();
    fs.writeFileSync(path.join(folder, 'azure-image-lint.json'), '{ "rules": { "end-of-support": "info" } }');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: uri('vm.parameters.json'), type: 2 },
        { uri: uri('azure-image-lint.json'), type: 1 },
      ],
    });
    await client.waitForDiagnostics(uri('vm.parameters.json'), (params) => params.diagnostics[0]?.severity === 3, mark);

    mark = client.mark();
    fs.writeFileSync(path.join(folder, 'azure-image-lint.json'), '{ "rules": { "no-such-rule": "off" }, "asOf": "soon" }');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uri('azure-image-lint.json'), type: 2 }],
    });
    const config = await client.waitForDiagnostics(
      uri('azure-image-lint.json'),
      (params) => params.diagnostics.length === 2,
      mark,
    );
    assert.deepEqual(
      config.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.source]),
      [
        ['config-error', 1, 'azure-image-lint'],
        ['config-error', 1, 'azure-image-lint'],
      ],
    );
    assert.match(String(config.diagnostics[0].message), /unknown rule 'no-such-rule'/);
    assert.deepEqual(config.diagnostics[0].range, { start: { line: 0, character: 13 }, end: { line: 0, character: 27 } });
    // Defaults for the rest: end-of-support is an error again.
    await client.waitForDiagnostics(uri('vm.parameters.json'), (params) => params.diagnostics[0]?.severity === 1, mark);
  });

  it('reports a broken catalog file as config-error and goes on with the bundled catalog', async () => {
    fs.writeFileSync(path.join(folder, 'azure-image-lint.json'), '{}');
    fs.writeFileSync(path.join(folder, 'bad-catalog.json'), '{ "distributions": 5 ');
    const mark = client.mark();
    await client.changeSettings({ catalogFile: 'bad-catalog.json' });
    const catalog = await client.waitForDiagnostics(uri('bad-catalog.json'), (params) => params.diagnostics.length > 0, mark);
    assert.ok(catalog.diagnostics.every((diagnostic) => diagnostic.code === 'config-error'));
    assert.match(String(catalog.diagnostics[0].message), /bad-catalog\.json/);
    // The same analysis that reported the catalog still reports the image, with the bundled catalog.
    assert.equal(client.latestDiagnostics(uri('vm.parameters.json'))?.diagnostics[0]?.code, 'end-of-support');
    await client.changeSettings({});
  });

  it('shows problems of an open azure-image-lint.json while it is edited', async () => {
    const configUri = uri('azure-image-lint.json');
    await client.open(configUri, '{ "rules": {} }');
    await client.waitForDiagnostics(configUri, (params) => params.version === 1 && params.diagnostics.length === 0);
    await client.change(configUri, '{ "rules": { "end-of-support": "loud" } }');
    const published = await client.waitForDiagnostics(
      configUri,
      (params) => params.version === 2 && params.diagnostics.length === 1,
    );
    assert.match(String(published.diagnostics[0].message), /the level of 'end-of-support' must be off, info, warning or error/);
    await client.close(configUri);
  });
});

describe('workspace commands', () => {
  let client: LspTestClient;
  let folder: string;
  before(async () => {
    folder = temporaryCopy({
      'templates/ubuntu1804.json': readFixture('ubuntu1804.json'),
      'templates/twoImages.json': readFixture('twoImages.json'),
      'params/vm.json': readFixture('crossfile/vm.json'),
      'params/vm.parameters.json': readFixture('crossfile/vm.parameters.json'),
      'other/package.json': '{ "name": "not a template" }',
    });
    client = await LspTestClient.start({ workspaceFolders: [folder], workDoneProgress: true });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('scans the workspace, publishes every file with findings, and reports progress', async () => {
    const result = await client.connection.sendRequest('workspace/executeCommand', {
      command: 'azureImageLint.server.scanWorkspace',
      arguments: [],
    });
    assert.deepEqual(result, { files: 3, findings: 4, problems: 0 });
    const published = (name: string) =>
      client.waitForDiagnostics(pathToFileURL(path.join(folder, name)).href, (params) => params.diagnostics.length > 0);
    assert.equal((await published('templates/ubuntu1804.json')).diagnostics.length, 1);
    assert.equal((await published('templates/twoImages.json')).diagnostics.length, 2);
    assert.equal((await published('params/vm.parameters.json')).diagnostics.length, 1);
    const kinds = client.progress.map((value) => value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds[kinds.length - 1], 'end');
    assert.ok(kinds.includes('report'));
  });

  it('lists every image of the workspace as a markdown table', async () => {
    const markdown: string = await client.connection.sendRequest('workspace/executeCommand', {
      command: 'azureImageLint.server.inventory',
      arguments: [],
    });
    assert.match(markdown, /^# Azure image inventory\n/);
    assert.ok(markdown.includes('| Location | Resource type | Image | Distribution | Support | Defined at | Via |'));
    // Each image says where each of its fields is written: here the template, or its parameter file.
    for (const row of [
      '| templates/ubuntu1804.json:12 | Microsoft.Compute/virtualMachines | `Canonical:UbuntuServer:18.04-LTS:latest` | Ubuntu 18.04 LTS | standard support ended 2023-05-31 | templates/ubuntu1804.json publisher:13, offer:14, sku:15, version:16 |  |',
      '| params/vm.json:22 | Microsoft.Compute/virtualMachines | `Canonical:UbuntuServer:18.04-LTS:latest` | Ubuntu 18.04 LTS | standard support ended 2023-05-31 | params/vm.json publisher:23, version:26; params/vm.parameters.json offer:6, sku:9 |  |',
    ]) {
      assert.ok(markdown.includes(row), markdown);
    }
    assert.ok(markdown.includes('`Canonical:ubuntu-24_04-lts:server:latest`'), markdown);
  });

  it('answers an unknown command with null', async () => {
    assert.equal(
      await client.connection.sendRequest('workspace/executeCommand', { command: 'azureImageLint.server.nope', arguments: [] }),
      null,
    );
  });
});

describe('inventory view of callers that pass the same image', () => {
  let client: LspTestClient;
  let folder: string;
  before(async () => {
    const caller = (name: string) => `module ${name} './vm.bicep' = {\n  name: '${name}'\n  params: { sku: '16.04-LTS' }\n}\n`;
    folder = temporaryCopy({
      'vm.bicep': [
        'param sku string',
        '',
        "resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {",
        "  name: 'vm'",
        '  properties: {',
        "    storageProfile: { imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: sku, version: 'latest' } }",
        '  }',
        '}',
        '',
      ].join('\n'),
      'db.bicep': caller('db'),
      'web.bicep': caller('web'),
    });
    client = await LspTestClient.start({ workspaceFolders: [folder] });
  });
  after(async () => {
    await client.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('lists the image once with both calls in its Via column', async () => {
    const markdown: string = await client.connection.sendRequest('workspace/executeCommand', {
      command: 'azureImageLint.server.inventory',
      arguments: [],
    });
    assert.ok(
      markdown.includes(
        '| vm.bicep:6 | Microsoft.Compute/virtualMachines | `Canonical:UbuntuServer:16.04-LTS:latest` | Ubuntu 16.04 LTS | standard support ended 2021-04-02 | vm.bicep publisher:6, offer:6, version:6; db.bicep sku:3 | db (db.bicep:1); web (web.bicep:1) |',
      ),
      markdown,
    );
  });
});

// The fixtures folder exists (sanity check that paths resolve from test/out/server).
assert.ok(fs.existsSync(fixturesFolder));
