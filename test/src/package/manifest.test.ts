/**
 * package.json as the Marketplace, VS Code and npm read it: a display name that does not start
 * with a Microsoft trademark (the ids stay `azure-image-lint` and `azureImageLint.*`), a declared
 * stance on untrusted and virtual workspaces that names real settings, a publishable npm package
 * with no dependencies, and a user-facing README whose links point at files the .vsix holds.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repositoryRoot } from '../harness/fixtures';

interface Manifest {
  name: string;
  displayName: string;
  publisher: string;
  private?: boolean;
  license: string;
  icon: string;
  categories: string[];
  engines: Record<string, string>;
  files: string[];
  bin: Record<string, string>;
  dependencies?: Record<string, string>;
  scripts: Record<string, string>;
  capabilities: {
    untrustedWorkspaces: { supported: boolean | 'limited'; description: string; restrictedConfigurations: string[] };
    virtualWorkspaces: { supported: boolean; description: string };
  };
  contributes: {
    configuration: { title: string; properties: Record<string, unknown> };
    commands: { command: string; title: string; category: string }[];
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')) as Manifest;

describe('the manifest', () => {
  it('names the extension Image Lint for Azure and keeps its ids', () => {
    assert.equal(manifest.displayName, 'Image Lint for Azure');
    assert.doesNotMatch(manifest.displayName, /^(Azure|Microsoft|Visual Studio|VS Code|Bicep)\b/i);
    assert.equal(manifest.name, 'azure-image-lint');
    assert.equal(manifest.contributes.configuration.title, manifest.displayName);
    assert.deepEqual(
      manifest.contributes.commands.map((command) => [command.command, command.category]),
      [
        ['azureImageLint.scanWorkspace', manifest.displayName],
        ['azureImageLint.showInventory', manifest.displayName],
        ['azureImageLint.openRuleDocs', manifest.displayName],
      ],
    );
    assert.ok(Object.keys(manifest.contributes.configuration.properties).every((key) => key.startsWith('azureImageLint.')));
  });

  it('has what the Marketplace shows: licence, icon, categories', () => {
    assert.equal(manifest.license, 'MIT');
    assert.ok(fs.existsSync(path.join(repositoryRoot, 'LICENSE')));
    assert.ok(fs.existsSync(path.join(repositoryRoot, manifest.icon)));
    assert.ok(manifest.categories.includes('Linters'));
    assert.ok(manifest.engines.vscode);
  });

  it('declares limited support for untrusted workspaces, restricting settings that exist', () => {
    const { untrustedWorkspaces, virtualWorkspaces } = manifest.capabilities;
    assert.equal(untrustedWorkspaces.supported, 'limited');
    assert.deepEqual(untrustedWorkspaces.restrictedConfigurations, ['azureImageLint.catalogFile']);
    for (const setting of untrustedWorkspaces.restrictedConfigurations) {
      assert.ok(setting in manifest.contributes.configuration.properties, setting);
      assert.ok(untrustedWorkspaces.description.includes(setting), `the description says what ${setting} loses`);
    }
    assert.equal(virtualWorkspaces.supported, false);
    assert.ok(virtualWorkspaces.description.length > 0);
  });

  it('is a publishable npm package for Node 20 and later, with two commands and no dependencies', () => {
    assert.equal(manifest.private, undefined);
    assert.equal(manifest.dependencies, undefined);
    assert.equal(manifest.engines.node, '>=20');
    assert.deepEqual(manifest.files, ['server/dist/', 'docs/rules/', 'CHANGELOG.md']);
    assert.deepEqual(Object.keys(manifest.bin), ['azure-image-lint', 'azure-image-lint-server']);
    assert.equal(manifest.scripts.prepare, 'node .ci/prepare.js');
  });

  it('has a user-facing README for the .vsix whose links point at files the .vsix holds', () => {
    const readme = fs.readFileSync(path.join(repositoryRoot, 'client', 'README.md'), 'utf8');
    assert.match(readme, /^# Image Lint for Azure\n/);
    const links = [...readme.matchAll(/\]\(([^)#\s]+)\)/g)].map((match) => match[1]).filter((link) => !/^https?:/.test(link));
    assert.ok(links.length >= 8, links.join(', '));
    for (const link of links) {
      // .ci/package-vsix.js copies docs/rules and docs/images next to this README.
      assert.match(link, /^docs\/(rules|images)\//, link);
      assert.ok(fs.existsSync(path.join(repositoryRoot, link)), link);
    }
    assert.doesNotMatch(readme, /npm (ci|test|run)|server\/src|\.ci\//, 'no developer instructions');
  });
});
