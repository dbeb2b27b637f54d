/**
 * The ARM reader over the real-world corpus in test/fixtures/corpus: every .json file is read
 * (templates, parameter files through their templates, and other JSON) with a host backed by the
 * file system. The counts below were written after checking a sample of sites by hand against
 * their templates; a change in them is a change in what the reader finds and must be explained.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ImageSite, ReaderResult } from '../../../server/out/core/model';
import { readArmFile } from '../../../server/out/core/arm/readArm';
import { corpusRoot } from '../harness/fixtures';
import { compactCandidates, fileSystemHost } from './armTestSupport';

const corpus = corpusRoot.replace(/\\/g, '/');

function jsonFilesUnder(folder: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const child = `${folder}/${entry.name}`;
    if (entry.isDirectory()) files.push(...jsonFilesUnder(child));
    else if (entry.name.toLowerCase().endsWith('.json')) files.push(child);
  }
  return files.sort();
}

/** Publishers of Windows and Windows-based images, which are never Linux findings. */
const windowsPublishers = /^(MicrosoftWindowsServer|MicrosoftWindowsDesktop|MicrosoftSQLServer|MicrosoftVisualStudio)$/i;

function isFullyResolved(site: ImageSite): boolean {
  return (
    !site.custom &&
    site.candidates.length > 0 &&
    !site.unresolved.some((field) => field !== 'version') &&
    site.candidates.every((candidate) => candidate.publisher && candidate.offer && candidate.sku)
  );
}

function isWindows(site: ImageSite): boolean {
  return (
    site.candidates.length > 0 && site.candidates.every((candidate) => windowsPublishers.test(candidate.publisher?.value ?? ''))
  );
}

describe('ARM reader over the corpus', () => {
  const files = jsonFilesUnder(corpus);
  const results = new Map<string, ReaderResult>();
  for (const file of files) results.set(file, readArmFile(file, fs.readFileSync(file, 'utf8'), fileSystemHost));
  const sites = [...results.values()].flatMap((result) => result.sites);

  it('reads every file without throwing', () => {
    assert.equal(files.length, 400);
    assert.equal(results.size, files.length);
  });

  it('finds the expected image sites', () => {
    // Linked templates of the same sample are read through their callers: 20 more image sites
    // (91 before), each resolved, and 34 links that are not followed, each an unresolved site
    // that says why (`unresolvedReason`).
    const unfollowed = sites.filter((site) => site.unresolvedReason !== undefined);
    assert.equal(unfollowed.length, 34);
    assert.equal(sites.length - unfollowed.length, 111);
    assert.equal(sites.filter(isFullyResolved).length, 103);
    assert.equal(new Set([...results].filter(([, result]) => result.sites.length > 0).map(([file]) => file)).size, 85);
  });

  it('reports only the one broken template, from it and from its parameter file, and the parameter file of no template', () => {
    const problemFiles = [...results]
      .filter(([, result]) => result.problems.length > 0)
      .map(([file]) => path.basename(path.dirname(file)) + '/' + path.basename(file));
    assert.deepEqual(problemFiles, [
      '101-vm-linux-create-passwordfromkv/azuredeploy.json',
      '101-vm-linux-create-passwordfromkv/azuredeploy.parameters.json',
      // Beside hadoop_cluster.json and its three nested templates: which one it is for, only a map can say.
      'hadoop-cluster/parameters.json',
      // Links to two templates the corpus did not copy.
      'linkedtemplates/linked-dependency.json',
    ]);
  });

  it('keeps Windows and custom images apart from Linux ones', () => {
    const windows = sites.filter(isWindows);
    const custom = sites.filter((site) => site.custom);
    // 5 of them in linked templates, read through their callers.
    assert.equal(windows.length, 58);
    assert.equal(custom.length, 2);
    for (const site of custom) assert.deepEqual(site.candidates, []);
    // No site mixes a Windows candidate with a Linux one.
    const mixed = sites.filter(
      (site) => !isWindows(site) && site.candidates.some((candidate) => windowsPublishers.test(candidate.publisher?.value ?? '')),
    );
    assert.deepEqual(mixed.map(compactCandidates), []);
  });

  it('reads a known Linux template exactly', () => {
    const file = `${corpus}/AzureStack-QuickStart-Templates/101-vm-windowsandlinux-createmultiple/azuredeploy.json`;
    const linux = results.get(file)!.sites.filter((site) => !isWindows(site));
    assert.deepEqual(linux.map(compactCandidates), [
      [
        'Canonical:UbuntuServer:16.04-LTS:latest',
        'Canonical:UbuntuServer:14.04-LTS:latest',
        'Canonical:UbuntuServer:16.04-LTS:latest',
      ],
    ]);
    const sku = linux[0].candidates[1].sku?.definition;
    assert.equal(sku?.kind, 'allowed-value');
    assert.equal(sku?.description, "parameter 'linuxImageSku'");
  });
});
