/**
 * Looks up publisher/offer/SKU names in the catalog, case-insensitively as Azure does. The index
 * is built once per catalog object. The answer says how far the names matched, because rules need
 * to tell "a Windows image" from "a known Linux publisher with an unknown SKU" from "this exact
 * image of Ubuntu 18.04".
 */
import type { ImageNames } from '../model';
import type { Catalog, CatalogImage, Distribution, DistributionVersion, OtherPublisher } from './catalogTypes';

/** One image group of one version of one distribution. */
export interface CatalogEntry {
  distribution: Distribution;
  version: DistributionVersion;
  image: CatalogImage;
  publisher: string;
}

export type ImageMatch =
  /** The publisher could not be resolved: nothing can be said. */
  | { kind: 'unresolved' }
  /** A publisher the catalog does not know at all (a third-party image): no Linux finding. */
  | { kind: 'unknown-publisher' }
  /** A known non-Linux publisher (Windows, SQL Server...): never a Linux finding. */
  | { kind: 'other'; publisher: OtherPublisher }
  /**
   * A known Linux publisher whose offer (`offerKnown` false) or SKU is not in the catalog, or not
   * resolved. `distributions` are those the publisher (and offer, when known) can belong to.
   */
  | { kind: 'partial'; distributions: Distribution[]; offerKnown: boolean; entries: CatalogEntry[] }
  /** The exact image group. */
  | { kind: 'image'; entry: CatalogEntry };

interface CatalogIndex {
  otherPublishers: Map<string, OtherPublisher>;
  /** publisher → offer → entries */
  publishers: Map<string, Map<string, IndexedEntry[]>>;
  distributionsByPublisher: Map<string, Distribution[]>;
}

interface IndexedEntry extends CatalogEntry {
  skus: Set<string>;
  pattern?: RegExp;
}

const indexes = new WeakMap<Catalog, CatalogIndex>();

function indexOf(catalog: Catalog): CatalogIndex {
  let index = indexes.get(catalog);
  if (!index) {
    index = buildIndex(catalog);
    indexes.set(catalog, index);
  }
  return index;
}

function buildIndex(catalog: Catalog): CatalogIndex {
  const index: CatalogIndex = {
    otherPublishers: new Map(),
    publishers: new Map(),
    distributionsByPublisher: new Map(),
  };
  for (const other of catalog.otherPublishers) {
    index.otherPublishers.set(other.publisher.toLowerCase(), other);
  }
  for (const distribution of catalog.distributions) {
    for (const publisher of distribution.publishers) {
      addDistribution(index, publisher.toLowerCase(), distribution);
    }
    for (const version of distribution.versions) {
      for (const image of version.images) {
        const publisher = image.publisher ?? distribution.publishers[0] ?? '';
        const publisherKey = publisher.toLowerCase();
        addDistribution(index, publisherKey, distribution);
        let offers = index.publishers.get(publisherKey);
        if (!offers) {
          offers = new Map();
          index.publishers.set(publisherKey, offers);
        }
        const offerKey = image.offer.toLowerCase();
        let entries = offers.get(offerKey);
        if (!entries) {
          entries = [];
          offers.set(offerKey, entries);
        }
        entries.push({
          distribution,
          version,
          image,
          publisher,
          skus: new Set((image.skus ?? []).map((sku) => sku.toLowerCase())),
          pattern: image.skuPattern ? new RegExp(`^(?:${image.skuPattern})$`, 'i') : undefined,
        });
      }
    }
  }
  return index;
}

function addDistribution(index: CatalogIndex, publisherKey: string, distribution: Distribution): void {
  const list = index.distributionsByPublisher.get(publisherKey) ?? [];
  if (!list.includes(distribution)) list.push(distribution);
  index.distributionsByPublisher.set(publisherKey, list);
}

export function matchImage(catalog: Catalog, names: ImageNames): ImageMatch {
  if (names.publisher === undefined) return { kind: 'unresolved' };
  const index = indexOf(catalog);
  const publisherKey = names.publisher.toLowerCase();
  const other = index.otherPublishers.get(publisherKey);
  if (other) return { kind: 'other', publisher: other };
  const distributions = index.distributionsByPublisher.get(publisherKey);
  if (!distributions) return { kind: 'unknown-publisher' };
  const offers = index.publishers.get(publisherKey);
  const offerEntries = names.offer === undefined ? undefined : offers?.get(names.offer.toLowerCase());
  if (!offerEntries) {
    return { kind: 'partial', distributions, offerKnown: false, entries: [] };
  }
  if (names.sku !== undefined) {
    const skuKey = names.sku.toLowerCase();
    const exact = offerEntries.find((entry) => entry.skus.has(skuKey));
    const found = exact ?? offerEntries.find((entry) => entry.pattern?.test(names.sku as string));
    if (found) return { kind: 'image', entry: found };
  }
  const offerDistributions = [...new Set(offerEntries.map((entry) => entry.distribution))];
  return { kind: 'partial', distributions: offerDistributions, offerKnown: true, entries: offerEntries };
}

/** Every offer name the catalog knows for a publisher, as written in the catalog. */
export function offersOf(catalog: Catalog, publisher: string): string[] {
  const offers = indexOf(catalog).publishers.get(publisher.toLowerCase());
  if (!offers) return [];
  return [...offers.values()].map((entries) => entries[0].image.offer);
}

/** Every image group of a publisher's offer. */
export function entriesOf(catalog: Catalog, publisher: string, offer: string): CatalogEntry[] {
  return indexOf(catalog).publishers.get(publisher.toLowerCase())?.get(offer.toLowerCase()) ?? [];
}

/** Every publisher the catalog knows, Linux first, as written in the catalog. */
export function knownPublishers(catalog: Catalog): string[] {
  const index = indexOf(catalog);
  const linux = [...index.publishers.values()].map((offers) => [...offers.values()][0][0].publisher);
  return [...linux, ...catalog.otherPublishers.map((other) => other.publisher)];
}

/** Every entry of every distribution version, for successor searches. */
export function entriesOfVersion(distribution: Distribution, version: DistributionVersion): CatalogEntry[] {
  return version.images.map((image) => ({
    distribution,
    version,
    image,
    publisher: image.publisher ?? distribution.publishers[0] ?? '',
  }));
}

/** Finds a distribution version by its id. */
export function findVersion(
  catalog: Catalog,
  versionId: string,
): { distribution: Distribution; version: DistributionVersion } | undefined {
  for (const distribution of catalog.distributions) {
    const version = distribution.versions.find((candidate) => candidate.id === versionId);
    if (version) return { distribution, version };
  }
  return undefined;
}

/** The SKU names an image group lists (pattern groups list none). */
export function skusOf(image: CatalogImage): string[] {
  return image.skus ?? [];
}
