/**
 * Looks up publisher/offer/SKU names in the catalog, case-insensitively as Azure does. The index
 * is built once per catalog object. The answer says how far the names matched, because rules need
 * to tell "a Windows image" from "a known Linux publisher with an unknown SKU" from "this exact
 * image of Ubuntu 18.04".
 */
import type { ImageNames } from '../model';
import type { Catalog, CatalogImage, Distribution, DistributionVersion, NamingRule, OtherPublisher } from './catalogTypes';
import { compileTemplate, fillPlaceholders, matchTemplate, type NamingTemplate } from './namingTemplate';
import { lazySkuMatcher, type SkuMatcher } from './skuPattern';

/** One image group of one version of one distribution. */
export interface CatalogEntry {
  distribution: Distribution;
  version: DistributionVersion;
  image: CatalogImage;
  publisher: string;
  /**
   * Set when the catalog does not list the SKU by name and a naming rule recognised it: `image` is
   * then made from the rule and the tokens of the name, for this SKU alone.
   */
  recognition?: Recognition;
}

/** How a naming rule read a name. */
export interface Recognition {
  rule: NamingRule;
  /** The version id the name makes (which may be a release the catalog does not know). */
  versionId: string;
  /** The release as the name writes it, when more precise than the version (`9.4`). */
  release?: string;
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
  | {
      kind: 'partial';
      distributions: Distribution[];
      offerKnown: boolean;
      entries: CatalogEntry[];
      /** A naming rule read the name, but made a version the catalog does not know. */
      recognition?: Recognition;
    }
  /** The exact image group. */
  | { kind: 'image'; entry: CatalogEntry };

interface CatalogIndex {
  otherPublishers: Map<string, OtherPublisher>;
  /** publisher → offer → entries */
  publishers: Map<string, Map<string, IndexedEntry[]>>;
  distributionsByPublisher: Map<string, Distribution[]>;
  /** publisher → the naming rules of its distributions, templates compiled. */
  namingRules: Map<string, CompiledRule[]>;
  /** Version ids and aliases → version, per distribution. */
  versionsById: Map<Distribution, Map<string, DistributionVersion>>;
  /** Names already recognised (bounded): an editor asks about the same few images again and again. */
  recognised: Map<string, RecognitionOutcome>;
}

interface CompiledRule {
  rule: NamingRule;
  distribution: Distribution;
  publisher: string;
  offer: NamingTemplate;
  skus: NamingTemplate[];
}

type RecognitionOutcome =
  | { kind: 'none' }
  | { kind: 'offer'; distribution: Distribution }
  | { kind: 'entry'; entry: CatalogEntry }
  | { kind: 'unknown-version'; distribution: Distribution; recognition: Recognition };

const maximumRecognised = 4096;

interface IndexedEntry extends CatalogEntry {
  skus: Set<string>;
  pattern?: SkuMatcher;
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
    namingRules: new Map(),
    versionsById: new Map(),
    recognised: new Map(),
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
          pattern: image.skuPattern ? lazySkuMatcher(image.skuPattern) : undefined,
        });
      }
    }
  }
  for (const distribution of catalog.distributions) {
    const versions = new Map<string, DistributionVersion>();
    for (const version of distribution.versions) {
      versions.set(version.id.toLowerCase(), version);
      for (const alias of version.aliases ?? []) versions.set(alias.toLowerCase(), version);
    }
    index.versionsById.set(distribution, versions);
    for (const rule of distribution.namingRules ?? []) {
      const offer = compileTemplate(rule.offer);
      const skus = rule.skus.map(compileTemplate);
      // The loader refuses templates that do not compile; a hand-made catalog object may not.
      if (typeof offer === 'string' || skus.some((sku) => typeof sku === 'string')) continue;
      const publisher = rule.publisher ?? distribution.publishers[0] ?? '';
      const publisherKey = publisher.toLowerCase();
      addDistribution(index, publisherKey, distribution);
      const list = index.namingRules.get(publisherKey) ?? [];
      list.push({ rule, distribution, publisher, offer, skus: skus as NamingTemplate[] });
      index.namingRules.set(publisherKey, list);
    }
  }
  return index;
}

/**
 * Reads offer and SKU with the publisher's naming rules: the first rule whose offer and one of whose
 * SKU templates fit makes the image, its facts changed by the tokens the names hold.
 */
function recognise(index: CatalogIndex, publisherKey: string, offer: string, sku: string | undefined): RecognitionOutcome {
  const rules = index.namingRules.get(publisherKey);
  if (!rules) return { kind: 'none' };
  const key = `${publisherKey}\u0000${offer.toLowerCase()}\u0000${sku?.toLowerCase() ?? ''}`;
  const known = index.recognised.get(key);
  if (known) return known;
  // A reading that makes a version the catalog knows wins over one that makes an unknown version
  // (`810-gen2` is RHEL 8.10, not a RHEL 810), and both over an offer alone.
  let outcome: RecognitionOutcome = { kind: 'none' };
  search: for (const compiled of rules) {
    const offerMatch = matchTemplate(compiled.offer, offer);
    if (!offerMatch) continue;
    if (outcome.kind === 'none') outcome = { kind: 'offer', distribution: compiled.distribution };
    if (sku === undefined) break;
    for (const template of compiled.skus) {
      const skuMatch = matchTemplate(template, sku);
      if (!skuMatch) continue;
      const reading = imageFromRule(index, compiled, offer, sku, [...offerMatch.tokens, ...skuMatch.tokens], {
        ...offerMatch.values,
        ...skuMatch.values,
      });
      if (reading.kind === 'entry') {
        outcome = reading;
        break search;
      }
      if (outcome.kind === 'offer') outcome = reading;
    }
  }
  if (index.recognised.size >= maximumRecognised) index.recognised.clear();
  index.recognised.set(key, outcome);
  return outcome;
}

function imageFromRule(
  index: CatalogIndex,
  compiled: CompiledRule,
  offer: string,
  sku: string,
  tokens: readonly string[],
  captured: Record<string, string>,
): RecognitionOutcome {
  const { rule, distribution } = compiled;
  const image: CatalogImage = {
    offer,
    skus: [sku],
    architecture: rule.architecture,
    generation: rule.generation,
    licensing: rule.licensing,
    variant: rule.variant,
    sources: rule.sources,
  };
  if (rule.verified !== undefined) image.verified = rule.verified;
  if (rule.includesExtendedSupport !== undefined) image.includesExtendedSupport = rule.includesExtendedSupport;
  if (rule.kernel) image.kernel = rule.kernel;
  if (rule.preview !== undefined) image.preview = rule.preview;
  const values = { ...captured };
  const variants: string[] = [];
  for (const word of tokens) {
    const token = rule.tokens?.[word];
    if (!token) continue;
    if (token.architecture) image.architecture = token.architecture;
    if (token.generation) image.generation = token.generation;
    if (token.licensing) image.licensing = token.licensing;
    if (token.variant && !variants.includes(token.variant)) variants.push(token.variant);
    if (token.includesExtendedSupport !== undefined) image.includesExtendedSupport = token.includesExtendedSupport;
    if (token.kernel) image.kernel = token.kernel;
    if (token.preview !== undefined) image.preview = token.preview;
    Object.assign(values, token.values);
  }
  if (variants.length > 0) image.variant = variants.join('-');
  const versionId = fillPlaceholders(rule.version, values);
  if (versionId === undefined) return { kind: 'offer', distribution };
  const release = rule.release === undefined ? undefined : fillPlaceholders(rule.release, values);
  const recognition: Recognition = { rule, versionId, ...(release === undefined ? {} : { release }) };
  const version = index.versionsById.get(distribution)?.get(versionId.toLowerCase());
  if (!version) return { kind: 'unknown-version', distribution, recognition };
  return { kind: 'entry', entry: { distribution, version, image, publisher: compiled.publisher, recognition } };
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
  if (offerEntries && names.sku !== undefined) {
    const skuKey = names.sku.toLowerCase();
    const exact = offerEntries.find((entry) => entry.skus.has(skuKey));
    const found = exact ?? offerEntries.find((entry) => entry.pattern?.test(names.sku as string));
    if (found) return { kind: 'image', entry: found };
  }
  const recognised = names.offer === undefined ? undefined : recognise(index, publisherKey, names.offer, names.sku);
  if (recognised?.kind === 'entry') return { kind: 'image', entry: recognised.entry };
  const entries = offerEntries ?? [];
  const offerDistributions = [...new Set(entries.map((entry) => entry.distribution))];
  if (recognised && recognised.kind !== 'none' && !offerDistributions.includes(recognised.distribution)) {
    offerDistributions.push(recognised.distribution);
  }
  if (offerDistributions.length === 0) return { kind: 'partial', distributions, offerKnown: false, entries: [] };
  return {
    kind: 'partial',
    distributions: offerDistributions,
    offerKnown: true,
    entries,
    ...(recognised?.kind === 'unknown-version' ? { recognition: recognised.recognition } : {}),
  };
}

/** Whether a publisher's naming rules know an offer (for "did you mean" and completion). */
export function offerFollowsNamingRules(catalog: Catalog, publisher: string, offer: string): boolean {
  return recognise(indexOf(catalog), publisher.toLowerCase(), offer, undefined).kind !== 'none';
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
