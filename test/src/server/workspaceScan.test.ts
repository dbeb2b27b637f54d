/**
 * The workspace scan runs in slices and can be cancelled (`server/workspaceCommands.ts`). Before,
 * it walked and analysed the whole workspace in one go: on 100,000 files the server answered
 * nothing for 3.6 s, and a cancellation was read only once the scan was over. The folder here is
 * generated large enough that a scan takes many slices; nothing is timed: a hover sent while the
 * scan reports progress must be answered before the scan is, and a cancelled scan must stop
 * where it is, publish nothing and report no further progress.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { CancellationTokenSource, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { Hover } from 'vscode-languageserver/node';
import { LspTestClient } from './lspClient';
import { ubuntu1804, vmBicep } from '../cli/commandRunner';

const templateCount = 400;
/** Files the walk reads past without analysing them, as in a real workspace. */
const otherFileCount = 3_000;
const scanCommand = 'azureImageLint.server.scanWorkspace';

/** A folder of `templateCount` templates (one finding each) among many other files. */
function generateWorkspace(): string {
  const folder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-large-')));
  const template = vmBicep('vm', ubuntu1804);
  for (let index = 0; index < templateCount; index++) {
    const subfolder = path.join(folder, `team-${index % 20}`, `service-${index}`);
    fs.mkdirSync(subfolder, { recursive: true });
    fs.writeFileSync(path.join(subfolder, 'main.bicep'), template);
  }
  for (let index = 0; index < otherFileCount; index++) {
    fs.writeFileSync(path.join(folder, `team-${index % 20}`, `notes-${index}.md`), 'not a template\n');
  }
  return folder;
}

/** The files a progress report says are analysed, and of how many: `team (1/1): 12 of 1500 file(s)`. */
function progressOf(value: { kind: string; message?: string }): { done: number; found: number } | undefined {
  const match = /: (\d+) of (\d+) file\(s\)$/.exec(value.message ?? '');
  return match ? { done: Number(match[1]), found: Number(match[2]) } : undefined;
}

describe('workspace scan in slices', () => {
  let folder: string;
  let client: LspTestClient;
  let openUri: string;

  before(async () => {
    folder = generateWorkspace();
    client = await LspTestClient.start({ workspaceFolders: [folder], workDoneProgress: true });
    openUri = pathToFileURL(path.join(folder, 'team-0', 'service-0', 'main.bicep')).href;
    await client.open(openUri, vmBicep('vm', ubuntu1804), 'bicep');
    await client.waitForDiagnostics(openUri, (params) => params.diagnostics.length === 1);
  });
  after(async () => {
    await client.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  /** The position of the SKU's value in the open template. */
  const skuPosition = () => {
    const lines = vmBicep('vm', ubuntu1804).split('\n');
    const line = lines.findIndex((text) => text.includes('sku:'));
    return { line, character: lines[line].indexOf("'") + 2 };
  };

  test('answers a hover while the scan is running, and the scan still finds everything', async () => {
    let scanAnswered = false;
    const scan = client.connection
      .sendRequest<{ files: number; findings: number; problems: number }>('workspace/executeCommand', {
        command: scanCommand,
        arguments: [],
      })
      .then((result) => {
        scanAnswered = true;
        return result;
      });
    const report = await client.waitForProgress((value) => progressOf(value) !== undefined);
    const { done, found } = progressOf(report)!;
    assert.equal(found, templateCount);
    assert.ok(done < found, `the scan is under way (${done} of ${found})`);
    const hover: Hover | null = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: openUri },
      position: skuPosition(),
    });
    assert.equal(scanAnswered, false, 'the hover is answered before the scan ends');
    assert.match(JSON.stringify(hover?.contents), /Ubuntu 18\.04 LTS/);
    assert.deepEqual(await scan, { files: templateCount, findings: templateCount, problems: 0 });
  });

  test('stops when the request is cancelled: no result, no diagnostics, no more progress', async () => {
    const published = client.mark();
    const cancellation = new CancellationTokenSource();
    const scan = client.connection.sendRequest(
      'workspace/executeCommand',
      { command: scanCommand, arguments: [] },
      cancellation.token,
    );
    const report = await client.waitForProgress((value) => progressOf(value) !== undefined);
    const ended = client.waitForProgress((value) => value.kind === 'end');
    const progressBefore = client.progress.length;
    cancellation.cancel();
    await assert.rejects(
      scan,
      (error: unknown) => error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled,
    );
    await ended;
    const reports = client.progress
      .slice(progressBefore)
      .map(progressOf)
      .filter((value) => value !== undefined);
    const last = reports.at(-1) ?? progressOf(report)!;
    assert.ok(last.done < templateCount, `stopped after ${last.done} of ${templateCount} files`);
    assert.deepEqual(
      client.diagnostics.slice(published).filter((params) => params.uri !== openUri),
      [],
      'a cancelled scan publishes nothing',
    );
  });

  test('stops when its progress is cancelled', async () => {
    const scan = client.connection.sendRequest('workspace/executeCommand', { command: scanCommand, arguments: [] });
    await client.waitForProgress((value) => progressOf(value) !== undefined);
    const ended = client.waitForProgress((value) => value.kind === 'end');
    await client.connection.sendNotification('window/workDoneProgress/cancel', { token: client.progressTokens.at(-1) });
    assert.equal(await scan, null);
    await ended;
  });
});
