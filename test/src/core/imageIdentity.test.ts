/**
 * What the hover and the completion say of an image's identity: the release a SKU names, whether
 * the catalog lists the SKU by name or recognises it by the vendor's naming rules (with the
 * catalog's date), and SKUs of an offer newest release first, retired ones marked.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bundledCatalog } from '../../../server/out/core/catalog/bundledCatalog';
import { completionsAt } from '../../../server/out/core/completion';
import { hoverAt } from '../../../server/out/core/hover';
import { emptyFileHost } from '../../../server/out/core/model';

const settings = { catalog: bundledCatalog, asOf: '2026-12-07' };

function bicepVm(publisher: string, offer: string, sku: string): string {
  return [
    "resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {",
    "  name: 'vm'",
    '  properties: {',
    '    storageProfile: {',
    '      imageReference: {',
    `        publisher: '${publisher}'`,
    `        offer: '${offer}'`,
    `        sku: '${sku}'`,
    "        version: 'latest'",
    '      }',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
}

function hoverOnSku(publisher: string, offer: string, sku: string): string {
  const text = bicepVm(publisher, offer, sku);
  const hover = hoverAt('main.bicep', text, text.indexOf(`'${sku}'`) + 2, emptyFileHost, settings);
  assert.ok(hover, 'a hover');
  return hover.markdown;
}

describe('the identity of an image in the hover', () => {
  it('names the release and the naming rule of a SKU the catalog does not list', () => {
    const markdown = hoverOnSku('RedHat', 'rhel-arm64', '9_7-arm64');
    assert.match(markdown, /^\*\*Red Hat Enterprise Linux 9\*\* · `RedHat:rhel-arm64:9_7-arm64:latest`/);
    assert.match(markdown, /\| Release \| 9\.7, as the SKU names it \|/);
    assert.match(markdown, /\| Image \| Arm64, Hyper-V generation V2, server \|/);
    assert.match(
      markdown,
      /\| In the catalog \| recognised by the naming rule `rhel-arm64` \(`rhel-arm64`\), not listed by name \(catalog as of 2026-12-07\) \|/,
    );
  });

  it('says when a SKU is listed by name', () => {
    const markdown = hoverOnSku('Canonical', 'ubuntu-24_04-lts', 'server');
    assert.match(markdown, /\| In the catalog \| listed by name \(catalog as of 2026-12-07\) \|/);
    assert.doesNotMatch(markdown, /\| Release \|/);
  });

  it('says that a SKU is neither listed nor follows the naming rules', () => {
    const markdown = hoverOnSku('RedHat', 'RHEL', '9-lvm-gen3');
    assert.match(
      markdown,
      /the SKU `9-lvm-gen3` is not in the catalog \(as of 2026-12-07\): it is neither listed nor follows the vendor's naming rules\./,
    );
  });

  it('says which release a name reads as when the catalog does not know it', () => {
    const markdown = hoverOnSku('Canonical', 'ubuntu-27_04', 'server');
    assert.match(markdown, /the SKU `server` reads as release `27\.04`, which is not in the catalog \(as of 2026-12-07\)/);
  });
});

describe('SKU completion', () => {
  it('offers the newest supported release first and marks retired ones', () => {
    const text = bicepVm('Canonical', 'UbuntuServer', '');
    const offset = text.indexOf("sku: ''") + "sku: '".length;
    const items = completionsAt('main.bicep', text, offset, emptyFileHost, settings);
    const ordered = [...items].sort((a, b) => a.sortText.localeCompare(b.sortText));
    const first = ordered[0];
    assert.ok(first);
    // Every UbuntuServer release is retired: all are marked, the newest (18.04) first.
    assert.ok(ordered.every((item) => item.deprecated === true));
    assert.match(first.detail ?? '', /^Ubuntu 18\.04 LTS .* out of support$/);
    const releases = ordered.map((item) => /^Ubuntu (\d+\.\d+)/.exec(item.detail ?? '')?.[1] ?? '');
    assert.deepEqual(
      releases,
      [...releases].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)),
    );
  });

  it('puts supported SKUs before retired ones of the same offer', () => {
    const text = bicepVm('RedHat', 'RHEL', '');
    const offset = text.indexOf("sku: ''") + "sku: '".length;
    const ordered = [...completionsAt('main.bicep', text, offset, emptyFileHost, settings)].sort((a, b) =>
      a.sortText.localeCompare(b.sortText),
    );
    const firstRetired = ordered.findIndex((item) => item.deprecated);
    assert.ok(firstRetired > 0);
    assert.ok(ordered.slice(firstRetired).every((item) => item.deprecated));
    assert.match(ordered[0].detail ?? '', /^Red Hat Enterprise Linux 10 /);
  });
});
