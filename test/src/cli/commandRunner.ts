/**
 * What the CLI tests share: running the compiled command as a child process in a folder, and
 * throwaway repositories (a folder with a `.git` entry) holding templates written inline.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repositoryRoot } from '../harness/fixtures';

export const compiledCli = path.join(repositoryRoot, 'server', 'out', 'cli.js');

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], cwd = repositoryRoot): CommandResult {
  const result = spawnSync(process.execPath, [compiledCli, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A Bicep virtual machine with this image; `before` goes above it (comments, blank lines). */
export function vmBicep(name: string, image: { publisher: string; offer: string; sku: string }, before = ''): string {
  return `${before}resource ${name} 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: '${name}'
  location: 'westeurope'
  properties: {
    storageProfile: {
      imageReference: {
        publisher: '${image.publisher}'
        offer: '${image.offer}'
        sku: '${image.sku}'
        version: 'latest'
      }
    }
  }
}
`;
}

/** CentOS 7: `not-endorsed` (warning) on the publisher and `end-of-support` (error) on the SKU. */
export const centos = { publisher: 'OpenLogic', offer: 'CentOS', sku: '7_9-gen2' };
/** Ubuntu 18.04: `end-of-support` (error) on the SKU as of 2026-11-22. */
export const ubuntu1804 = { publisher: 'Canonical', offer: 'UbuntuServer', sku: '18.04-LTS' };
/** A supported, endorsed image: no finding. */
export const ubuntu2404 = { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server' };
/** A SKU the catalog does not know: `unknown-image` (info). */
export const unknownSku = { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server-hardened' };

/** A throwaway repository: a temporary folder with a `.git` folder and the given files. */
export class TemporaryRepository {
  readonly root: string;

  constructor(files: Record<string, string> = {}) {
    this.root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-repo-')));
    fs.mkdirSync(path.join(this.root, '.git'));
    for (const [file, text] of Object.entries(files)) this.write(file, text);
  }

  write(file: string, text: string): void {
    const full = path.join(this.root, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
  }

  read(file: string): string {
    return fs.readFileSync(path.join(this.root, file), 'utf8');
  }

  remove(file: string): void {
    fs.rmSync(path.join(this.root, file), { force: true });
  }

  /** Runs the command in `folder` (relative to the repository's root). */
  run(args: readonly string[], folder = '.'): CommandResult {
    return runCli(args, path.join(this.root, folder));
  }

  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
