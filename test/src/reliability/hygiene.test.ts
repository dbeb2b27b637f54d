/**
 * What the analysis may touch: it never reaches the network (registry and template-spec modules,
 * linked template URIs are not fetched), never starts a process, and reads only the files it was
 * given and the files they reference. The command line runs with a preload script that records
 * every file read and refuses every network or process call.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkCore, cliModule, MapFileHost, repositoryRoot } from '../fuzz/harness';

/** Records reads and refuses the network and child processes; loaded with `--require`. */
const watcher = `
const fs = require('node:fs');
const log = process.env.HYGIENE_LOG;
const record = (line) => fs.appendFileSync(log, line + '\\n');
const refuse = (what) => function () { record('refused ' + what); throw new Error('hygiene: ' + what + ' is not allowed'); };
for (const name of ['readFileSync', 'openSync']) {
  const original = fs[name];
  fs[name] = function (file, ...rest) { if (typeof file === 'string' && file !== log) record('read ' + require('node:path').resolve(file)); return original.call(this, file, ...rest); };
}
const net = require('node:net');
net.Socket.prototype.connect = refuse('net.Socket.connect');
net.connect = net.createConnection = refuse('net.connect');
require('node:tls').connect = refuse('tls.connect');
require('node:http').request = require('node:http').get = refuse('http.request');
require('node:https').request = require('node:https').get = refuse('https.request');
require('node:dns').lookup = refuse('dns.lookup');
globalThis.fetch = refuse('fetch');
const childProcess = require('node:child_process');
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) childProcess[name] = refuse('child_process.' + name);
`;

const files: Record<string, string> = {
  'main.bicep': `module fromRegistry 'br:contoso.azurecr.io/bicep/modules/vm:v1' = {
  name: 'registry'
}
module fromPublicRegistry 'br/public:avm/res/compute/virtual-machine:0.1.0' = {
  name: 'public'
}
module fromSpec 'ts:00000000-0000-0000-0000-000000000000/rg/spec:1.0' = {
  name: 'spec'
}
module local 'modules/vm.bicep' = {
  name: 'local'
  params: { sku: '18.04-LTS' }
}
`,
  'modules/vm.bicep': `param sku string
resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: 'vm'
  location: 'westus'
  properties: { storageProfile: { imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: sku, version: 'latest' } } }
}
`,
  'linked.json': JSON.stringify({
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    resources: [
      {
        type: 'Microsoft.Resources/deployments',
        apiVersion: '2022-09-01',
        name: 'linked',
        properties: {
          mode: 'Incremental',
          templateLink: { uri: 'https://raw.githubusercontent.com/Azure/azure-quickstart-templates/master/x.json' },
        },
      },
      {
        type: 'Microsoft.Resources/deployments',
        apiVersion: '2022-09-01',
        name: 'spec',
        properties: {
          mode: 'Incremental',
          templateLink: { id: '/subscriptions/0/resourceGroups/rg/providers/Microsoft.Resources/templateSpecs/s/versions/1' },
        },
      },
    ],
  }),
  'unrelated/secret.txt': 'not a template: must never be read',
};

describe('what the analysis touches', () => {
  let folder: string;
  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-hygiene-'));
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
      fs.writeFileSync(path.join(folder, name), text);
    }
  });
  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  test('the CLI reads only the given files and what they reference, never the network or a process', () => {
    const log = path.join(folder, '..', `${path.basename(folder)}.log`);
    const preload = path.join(folder, '..', `${path.basename(folder)}-watcher.js`);
    fs.writeFileSync(preload, watcher);
    fs.writeFileSync(log, '');
    try {
      const result = spawnSync(
        process.execPath,
        [
          '--require',
          preload,
          cliModule,
          '--as-of',
          '2026-11-22',
          '--format',
          'json',
          path.join(folder, 'main.bicep'),
          path.join(folder, 'linked.json'),
        ],
        {
          encoding: 'utf8',
          env: { ...process.env, HYGIENE_LOG: log },
        },
      );
      const lines = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
      assert.deepEqual(
        lines.filter((line) => line.startsWith('refused')),
        [],
      );
      assert.ok([0, 1].includes(result.status ?? -1), `exit ${result.status}: ${result.stderr}`);
      const reads = [...new Set(lines.map((line) => line.slice('read '.length)))];
      const outside = reads.filter((file) => !file.startsWith(repositoryRoot + path.sep) && !file.startsWith(folder + path.sep));
      assert.deepEqual(outside, [], 'files read outside the project and the tool');
      const inProject = reads.filter((file) => file.startsWith(folder + path.sep)).map((file) => path.relative(folder, file));
      assert.ok(!inProject.includes(path.join('unrelated', 'secret.txt')), 'an unreferenced file was read');
      assert.ok(inProject.includes(path.join('modules', 'vm.bicep')), `the local module was not read: ${inProject.join(', ')}`);
      assert.match(result.stdout, /end-of-support/);
    } finally {
      fs.rmSync(log, { force: true });
      fs.rmSync(preload, { force: true });
    }
  });

  test('the core asks its host only for local paths: no registry, template spec or URL', () => {
    for (const name of ['main.bicep', 'linked.json']) {
      const file = path.join(folder, name);
      const host = new MapFileHost((candidate) =>
        fs.existsSync(candidate) && fs.statSync(candidate).isFile() ? fs.readFileSync(candidate, 'utf8') : undefined,
      );
      const text = files[name];
      host.set(file, text);
      assert.equal(checkCore(file, text, host, 0), undefined);
      const remote = [...host.reads].filter((read) => /^(br|ts)[:/]|^[a-z]+:\/\/|\bbr:|\bts:|https?:/i.test(read));
      assert.deepEqual(remote, []);
    }
  });
});
