/**
 * Parameter files in the editor, over a real stdio connection: one named after its template with
 * a prefix finds it, one its name pairs with nothing says so, and ARM Tools'
 * `azureResourceManagerTools.parameterFiles` setting (which the client forwards) pairs it.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { endOfSupportMessage } from './expectations';
import { fixturesFolder, fixtureUri, LspTestClient, readFixture } from './lspClient';

const prefixedUri = fixtureUri('parameter-files/centos.7.5.vm.parameters.json');
const unpairedUri = fixtureUri('parameter-files/prod.env.json');
const skuRange = { start: { line: 8, character: 15 }, end: { line: 8, character: 26 } };
const xenialEndOfSupport =
  'Ubuntu 16.04 LTS (UbuntuServer/16.04-LTS) reached end of standard support on 2021-04-02; switch to Ubuntu 24.04 LTS (ubuntu-24_04-lts/server-gen1).';

describe('parameter files in the editor', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('checks a parameter file named after its template with a prefix', async () => {
    await client.open(prefixedUri, readFixture('parameter-files/centos.7.5.vm.parameters.json'));
    const published = await client.waitForDiagnostics(prefixedUri, (params) => params.version === 1);
    assert.deepEqual(
      published.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.message, diagnostic.range]),
      [['end-of-support', xenialEndOfSupport, skuRange]],
    );
  });

  it('says that a parameter file pairs with no template, and checks it once ARM Tools maps it', async () => {
    await client.open(unpairedUri, readFixture('parameter-files/prod.env.json'));
    const unpaired = await client.waitForDiagnostics(unpairedUri, (params) => params.version === 1);
    assert.deepEqual(
      unpaired.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.message]),
      [
        [
          'parse-error',
          "This parameter file is paired with no template, so its values are not checked: its name does not say which template it is for. Name it after its template (<template>.parameters.json) or map it with 'parameterFiles' in azure-image-lint.json.",
        ],
      ],
    );
    const mark = client.mark();
    const folder = path.join(fixturesFolder, 'parameter-files');
    await client.changeArmParameterFiles({ [path.join(folder, 'vm.json')]: path.join(folder, 'prod.env.json') });
    const paired = await client.waitForDiagnostics(
      unpairedUri,
      (params) => params.diagnostics.some((diagnostic) => diagnostic.code === 'end-of-support'),
      mark,
    );
    assert.deepEqual(
      paired.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.message, diagnostic.range]),
      [['end-of-support', endOfSupportMessage, skuRange]],
    );
  });
});
