/**
 * The bundled catalog as data: it validates against its JSON schema and against the loader, every
 * fact is sourced, and the successors a fix moves to are endorsed, supported and able to keep the
 * architecture, generation and licensing of what they replace. The exceptions below are places
 * where the Marketplace itself has no such image; each says why.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import type {
  Catalog,
  CatalogImage,
  Distribution,
  DistributionVersion,
  KernelFact,
  Sourced,
} from '../../../server/out/core/catalog/catalogTypes';
import { parseCatalog } from '../../../server/out/core/catalog/loadCatalog';
import { bundledCatalog } from '../../../server/out/core/catalog/bundledCatalog';

const catalogFolder = path.resolve(__dirname, '../../../server/src/core/catalog');
const catalogText = fs.readFileSync(path.join(catalogFolder, 'data/catalog.json'), 'utf8');
const catalogJson: unknown = JSON.parse(catalogText);
const schema: unknown = JSON.parse(fs.readFileSync(path.join(catalogFolder, 'catalog.schema.json'), 'utf8'));
const catalog: Catalog = bundledCatalog;

/** The variant vocabulary written in the schema's description of `variant`. */
const variantVocabulary = [
  'server',
  'minimal',
  'cvm',
  'fips',
  'lvm',
  'raw',
  'ha',
  'sap',
  'sap-apps',
  'sap-ha',
  'sap-hardened',
  'hpc',
  'basic',
  'backports',
  'nvidia',
  'specialized-hardware',
  'daily',
  'container',
  'cis',
  'hardened',
  'chost',
  'sapcal',
  '64k',
  'lts',
];

interface Located {
  distribution: Distribution;
  version: DistributionVersion;
}

function versionsById(): Map<string, Located> {
  const map = new Map<string, Located>();
  for (const distribution of catalog.distributions) {
    for (const version of distribution.versions) map.set(version.id, { distribution, version });
  }
  return map;
}

/** Every sourced fact with a readable path. */
function* facts(): Generator<[string, Sourced]> {
  for (const distribution of catalog.distributions) {
    yield [`${distribution.id}.endorsed`, distribution.endorsed];
    yield [`${distribution.id}.kernel`, distribution.kernel];
    for (const version of distribution.versions) {
      const facts = {
        released: version.released,
        standardSupportEnds: version.standardSupportEnds,
        extendedSupport: version.extendedSupport,
        kernel: version.kernel,
      };
      for (const [key, fact] of Object.entries(facts)) if (fact) yield [`${version.id}.${key}`, fact];
      for (const image of version.images) {
        const name = `${version.id} ${image.offer}:${image.skus?.[0] ?? image.skuPattern}`;
        yield [name, image];
        if (image.kernel) yield [`${name}.kernel`, image.kernel];
      }
    }
    for (const rule of distribution.namingRules ?? []) {
      yield [`naming rule ${rule.id}`, rule];
      if (rule.kernel) yield [`naming rule ${rule.id}.kernel`, rule.kernel];
      for (const [word, token] of Object.entries(rule.tokens ?? {})) {
        if (token.kernel) yield [`naming rule ${rule.id} token ${word}.kernel`, token.kernel];
      }
    }
  }
  for (const other of catalog.otherPublishers) yield [`otherPublishers.${other.publisher}`, other];
}

function dayNumber(date: string): number {
  const [year, month, day] = date.split('-').map(Number);
  return day === undefined ? Date.UTC(year, month, 0) / 86_400_000 : Date.UTC(year, month - 1, day) / 86_400_000;
}

/** The last day a version is supported without buying anything; undefined for rolling releases. */
function includedSupportEnd(version: DistributionVersion): string | undefined {
  if (version.extendedSupport?.includedInAll) return version.extendedSupport.ends;
  return version.standardSupportEnds?.date;
}

function kernelOf(distribution: Distribution, version: DistributionVersion, image: CatalogImage): KernelFact {
  return image.kernel ?? version.kernel ?? distribution.kernel;
}

describe('bundled catalog', () => {
  it('validates against catalog.schema.json', () => {
    const ajv = new Ajv({ allErrors: true });
    const validate = ajv.compile(schema as object);
    const valid = validate(catalogJson);
    assert.deepEqual(validate.errors ?? [], []);
    assert.equal(valid, true);
  });

  it('has no problems for the loader', () => {
    assert.deepEqual(parseCatalog(catalogJson, 'catalog.json').problems, []);
    // The server and the CLI use the shipped data without reading it again: it must be what the loader reads.
    assert.deepEqual(parseCatalog(catalogJson, 'catalog.json').catalog, bundledCatalog);
    assert.ok(catalog.distributions.length > 0);
  });

  it('is as of 2026-12-07 and names its schema', () => {
    const root = catalogJson as { $schema?: string; asOf?: string };
    assert.equal(root.$schema, '../catalog.schema.json');
    assert.equal(root.asOf, '2026-12-07');
  });

  it('has a date and a url or reference on every source, and uses every source', () => {
    const used = new Set<string>();
    for (const [, fact] of facts()) for (const id of fact.sources) used.add(id);
    for (const [id, source] of Object.entries(catalog.sources)) {
      assert.match(source.date, /^\d{4}-\d{2}(-\d{2})?$/, id);
      assert.ok(source.url !== undefined || source.reference !== undefined, `${id} has neither url nor reference`);
      assert.ok(used.has(id), `source ${id} is never used`);
    }
    for (const id of used) assert.ok(id in catalog.sources, `unknown source ${id}`);
  });

  it('sources every fact, or marks it unverified with a note', () => {
    for (const [name, fact] of facts()) {
      if (fact.sources.length > 0) continue;
      assert.equal(fact.verified, false, `${name} has no sources but is not marked unverified`);
      assert.ok(fact.note, `${name} has no sources and no note`);
    }
  });

  it('uses only the variant vocabulary of the schema', () => {
    const described = JSON.stringify(schema);
    for (const variant of variantVocabulary) assert.ok(described.includes(variant), `schema does not describe ${variant}`);
    for (const distribution of catalog.distributions) {
      for (const version of distribution.versions) {
        for (const image of version.images) {
          const base = image.variant.replace(/^pro(-|$)/, '') || 'server';
          assert.ok(variantVocabulary.includes(base), `${version.id} ${image.offer}: variant ${image.variant}`);
        }
      }
      for (const rule of distribution.namingRules ?? []) {
        const variants = [rule.variant, ...Object.values(rule.tokens ?? {}).flatMap((token) => token.variant ?? [])];
        for (const variant of variants) {
          const base = variant.replace(/^pro(-|$)/, '') || 'server';
          assert.ok(variantVocabulary.includes(base), `naming rule ${rule.id}: variant ${variant}`);
        }
      }
    }
  });

  it('has successors that exist, are endorsed, and stay supported for 180 days after asOf', () => {
    const versions = versionsById();
    const asOf = dayNumber(catalog.asOf);
    let checked = 0;
    for (const { version } of versions.values()) {
      for (const successor of version.successors ?? []) {
        const target = versions.get(successor);
        assert.ok(target, `${version.id}: successor ${successor} does not exist`);
        assert.equal(target.distribution.endorsed.value, true, `${version.id}: successor ${successor} is not endorsed`);
        assert.ok(
          target.version.images.some((image) => !image.preview),
          `${successor} has only preview images`,
        );
        const end = includedSupportEnd(target.version);
        if (end !== undefined) {
          assert.ok(dayNumber(end) - asOf >= 180, `${version.id}: successor ${successor} support ends ${end}`);
        }
        checked++;
      }
    }
    assert.ok(checked > 50);
  });

  it('lets a fix keep architecture, generation and licensing in a successor', () => {
    // Images whose architecture, generation and licensing no successor has, with the reason.
    const exceptions: Record<string, string> = {
      'rocky-resf-8 rockylinux:free': 'CIQ publishes Rocky Linux only as Gen2 images; a Gen1 VM must change generation.',
      'rhel-7 rhel-byos:rhel-(lvm|raw)7\\d*':
        'RHEL BYOS is a private offer; its SKUs are known only as a pattern, so no fix can name one.',
      'rhel-7 rhel-byos:rhel-(lvm|raw)7\\d*-gen2': 'RHEL BYOS is a private offer; its SKUs are known only as a pattern.',
      'rhel-8 rhel-byos:rhel-(lvm|raw)8\\d*': 'RHEL BYOS is a private offer; its SKUs are known only as a pattern.',
      'rhel-8 rhel-byos:rhel-(lvm|raw)8\\d*-gen2': 'RHEL BYOS is a private offer; its SKUs are known only as a pattern.',
    };
    const excusedDistributions: Record<string, string> = {
      'opensuse-leap': 'openSUSE is free; SLES, its successor, has no free image, so moving changes the licensing.',
    };
    const versions = versionsById();
    const missing: string[] = [];
    for (const { distribution, version } of versions.values()) {
      if (!version.successors) continue;
      for (const image of version.images) {
        const key = `${version.id} ${image.offer}:${image.skus?.[0] ?? image.skuPattern}`;
        const fits = version.successors.some((id) =>
          versions
            .get(id)
            ?.version.images.some(
              (candidate) =>
                candidate.skus !== undefined &&
                !candidate.preview &&
                candidate.architecture === image.architecture &&
                candidate.generation === image.generation &&
                candidate.licensing === image.licensing,
            ),
        );
        const excused = key in exceptions || distribution.id in excusedDistributions;
        if (fits) assert.ok(!(key in exceptions), `${key} is listed as an exception but has a successor image`);
        else if (!excused) missing.push(key);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('gives SLES pay-as-you-go images kernel-azure and BYOS and SAP images kernel-default', () => {
    const sles = catalog.distributions.find((distribution) => distribution.id === 'sles');
    assert.ok(sles);
    let tuned = 0;
    let untuned = 0;
    for (const version of sles.versions) {
      if (version.kernel) continue; // Releases whose kernel is set for every image (11, 12 SP1-SP3, 16).
      for (const image of version.images) {
        const kernel = kernelOf(sles, version, image);
        const stock = image.licensing === 'byos' || image.variant.startsWith('sap');
        assert.equal(kernel.tuned, !stock, `${version.id} ${image.offer}:${image.skus?.[0]}`);
        assert.equal(kernel.name, stock ? 'kernel-default' : 'kernel-azure');
        if (stock) untuned++;
        else tuned++;
      }
    }
    assert.ok(tuned > 20 && untuned > 20, `${tuned} tuned, ${untuned} untuned`);
  });

  it('marks Ubuntu Pro images as paid with extended support included', () => {
    const ubuntu = catalog.distributions.find((distribution) => distribution.id === 'ubuntu');
    assert.ok(ubuntu);
    for (const version of ubuntu.versions) {
      for (const image of version.images) {
        const pro =
          /^(0001-com-)?ubuntu-pro-/i.test(image.offer) ||
          (image.skus ?? []).some((sku) => /^(ubuntu-)?pro-|^ubuntu-pro$/i.test(sku));
        assert.equal(image.includesExtendedSupport === true, pro, `${version.id} ${image.offer}:${image.skus?.[0]}`);
        assert.equal(image.licensing, pro ? 'payg' : 'free', `${version.id} ${image.offer}:${image.skus?.[0]}`);
      }
    }
  });

  it('includes Debian LTS in every Debian version', () => {
    const debian = catalog.distributions.find((distribution) => distribution.id === 'debian');
    assert.ok(debian);
    for (const version of debian.versions) {
      assert.equal(version.extendedSupport?.name, 'Debian LTS', version.id);
      assert.equal(version.extendedSupport?.includedInAll, true, version.id);
    }
  });

  it('endorses Rocky Linux from CIQ but not the RESF community images', () => {
    const byId = new Map(catalog.distributions.map((distribution) => [distribution.id, distribution]));
    assert.equal(byId.get('rocky-ciq')?.endorsed.value, true);
    assert.deepEqual(byId.get('rocky-ciq')?.publishers, ['ciq']);
    assert.equal(byId.get('rocky-resf')?.endorsed.value, false);
    assert.deepEqual(byId.get('rocky-resf')?.publishers, ['resf', 'erockyenterprisesoftwarefoundationinc1653071250513']);
    assert.equal(byId.get('centos')?.endorsed.value, false);
    assert.equal(byId.get('opensuse-leap')?.endorsed.value, false);
    assert.deepEqual(versionsById().get('rocky-resf-9')?.version.successors, ['rocky-ciq-9']);
    assert.deepEqual(versionsById().get('centos-7')?.version.successors, ['almalinux-9', 'almalinux-8']);
    assert.deepEqual(versionsById().get('coreos')?.version.successors, ['flatcar']);
  });

  it('keeps non-Linux publishers apart from Linux ones', () => {
    const linux = new Set<string>();
    for (const distribution of catalog.distributions) {
      for (const publisher of distribution.publishers) linux.add(publisher.toLowerCase());
      for (const version of distribution.versions) {
        for (const image of version.images) if (image.publisher) linux.add(image.publisher.toLowerCase());
      }
    }
    const others = catalog.otherPublishers.map((other) => other.publisher.toLowerCase());
    assert.equal(new Set(others).size, others.length, 'an other publisher is listed twice');
    for (const other of others) assert.ok(!linux.has(other), `${other} is both Linux and other`);
    assert.ok(others.includes('microsoftwindowsserver'));
  });

  it('lists every image publisher among its distribution publishers', () => {
    for (const distribution of catalog.distributions) {
      for (const version of distribution.versions) {
        for (const image of version.images) {
          if (image.publisher) assert.ok(distribution.publishers.includes(image.publisher), `${version.id} ${image.publisher}`);
        }
      }
    }
  });
});
