/**
 * Chooses the images a fix can switch to. A successor keeps architecture and Hyper-V generation
 * (changing either breaks VM sizes), and must be endorsed, generally available and supported as of
 * the analysis date. A preferred choice also keeps the licensing and every word of the variant
 * (minimal stays minimal, SAP stays SAP, CVM, FIPS and HA stay), is not an older release, and is
 * the one whose support runs longest. Anything else is offered only as a non-preferred choice
 * whose title says what changes: a fix never changes what the user pays or runs silently.
 */
import type { CatalogImage, Distribution, DistributionVersion, KernelFact } from './catalogTypes';
import type { Catalog } from './catalogTypes';
import { dayNumber, includedSupport, supportStatus } from './lifecycle';
import { type CatalogEntry, entriesOfVersion, findVersion } from './matchImage';

export interface SuccessorChoice {
  entry: CatalogEntry;
  /** The concrete SKU to write. */
  sku: string;
  /** What the switch changes beyond the image itself, in words ("licensing: BYOS → pay-as-you-go"). */
  changes: string[];
}

const licensingNames = { free: 'free', payg: 'pay-as-you-go', byos: 'BYOS' } as const;

/** The kernel an image runs: its own fact, else its version's, else its distribution's. */
export function kernelOf(entry: CatalogEntry): KernelFact {
  return entry.image.kernel ?? entry.version.kernel ?? entry.distribution.kernel;
}

/** Successors in the versions the catalog names as successors of this entry's version. */
export function successorsOf(catalog: Catalog, entry: CatalogEntry, asOf: string): SuccessorChoice[] {
  const choices: SuccessorChoice[] = [];
  for (const versionId of entry.version.successors ?? []) {
    const target = findVersion(catalog, versionId);
    if (!target) continue;
    const older = isOlderRelease(target.version, entry.version) ? [`an older release: ${target.version.name}`] : [];
    for (const choice of choicesIn(target.distribution, target.version, entry, asOf, () => true)) {
      choices.push({ ...choice, changes: [...older, ...choice.changes] });
    }
  }
  return orderChoices(choices, asOf);
}

/**
 * Variants of the same version that ship the Azure-tuned kernel, keeping every word of the
 * variant: an image for SAP runs the default kernel on purpose, and leaving SAP is no kernel fix.
 */
export function tunedVariantsOf(entry: CatalogEntry, asOf: string): SuccessorChoice[] {
  const choices = choicesIn(entry.distribution, entry.version, entry, asOf, (candidate) => kernelOf(candidate).tuned);
  return orderChoices(
    choices.filter((choice) => keepsVariant(entry.image, choice.entry.image)),
    asOf,
  );
}

/** The words of a variant that a fix must keep: all but the plain `server` and the licensing `pro`. */
function variantWords(variant: string): string[] {
  return variant.split('-').filter((word) => word !== 'server' && word !== 'pro');
}

function keepsVariant(from: CatalogImage, to: CatalogImage): boolean {
  const target = variantWords(to.variant);
  return variantWords(from.variant).every((word) => target.includes(word));
}

/** True when the target version was released before the version it would replace. */
function isOlderRelease(target: DistributionVersion, from: DistributionVersion): boolean {
  const targetDay = target.released ? dayNumber(target.released.date) : undefined;
  const fromDay = from.released ? dayNumber(from.released.date) : undefined;
  return targetDay !== undefined && fromDay !== undefined && targetDay < fromDay;
}

function choicesIn(
  distribution: Distribution,
  version: DistributionVersion,
  from: CatalogEntry,
  asOf: string,
  accept: (candidate: CatalogEntry) => boolean,
): SuccessorChoice[] {
  if (!distribution.endorsed.value) return [];
  const fitting = entriesOfVersion(distribution, version).filter(
    (candidate) =>
      candidate.image !== from.image &&
      candidate.image.skus !== undefined &&
      candidate.image.skus.length > 0 &&
      !candidate.image.preview &&
      candidate.image.architecture === from.image.architecture &&
      candidate.image.generation === from.image.generation &&
      supportStatus(candidate, asOf) !== 'ended' &&
      accept(candidate),
  );
  const sameLicensing = fitting.filter((candidate) => candidate.image.licensing === from.image.licensing);
  const otherLicensing = fitting.filter((candidate) => candidate.image.licensing !== from.image.licensing);
  const choices: SuccessorChoice[] = [];
  const best = bestVariant(sameLicensing, from.image);
  if (best) choices.push({ entry: best, sku: firstSku(best.image), changes: variantChange(from.image, best.image) });
  const alternative = bestVariant(otherLicensing, from.image);
  if (alternative) {
    const change = `licensing: ${licensingNames[from.image.licensing]} → ${licensingNames[alternative.image.licensing]}`;
    choices.push({
      entry: alternative,
      sku: firstSku(alternative.image),
      changes: [change, ...variantChange(from.image, alternative.image)],
    });
  }
  return choices;
}

/** "variant: minimal → server" when the target drops a word of the variant. */
function variantChange(from: CatalogImage, to: CatalogImage): string[] {
  return keepsVariant(from, to) ? [] : [`variant: ${from.variant} → ${to.variant}`];
}

/** Same variant first, then one that keeps every word of it, then the plain server image, then catalog order. */
function bestVariant(entries: CatalogEntry[], from: CatalogImage): CatalogEntry | undefined {
  return (
    entries.find((candidate) => candidate.image.variant === from.variant) ??
    entries.find((candidate) => keepsVariant(from, candidate.image)) ??
    entries.find((candidate) => candidate.image.variant === 'server') ??
    entries[0]
  );
}

function firstSku(image: CatalogImage): string {
  return (image.skus as string[])[0];
}

/**
 * Choices without changes first, the one whose included support runs longest first among them
 * (Debian 11 goes to 13, not to 12 on its LTS years); duplicates (same publisher/offer/SKU) removed.
 */
function orderChoices(choices: SuccessorChoice[], asOf: string): SuccessorChoice[] {
  const seen = new Set<string>();
  const end = (choice: SuccessorChoice): number => {
    const support = includedSupport(choice.entry);
    return support ? (dayNumber(support.ends) ?? 0) : Number.MAX_SAFE_INTEGER;
  };
  const byEnd = (a: SuccessorChoice, b: SuccessorChoice): number => end(b) - end(a);
  const unchanged = choices.filter((c) => c.changes.length === 0 && supportStatus(c.entry, asOf) !== 'ended').sort(byEnd);
  const ordered = [...unchanged, ...choices.filter((c) => !unchanged.includes(c))];
  return ordered.filter((choice) => {
    const key = `${choice.entry.publisher}:${choice.entry.image.offer}:${choice.sku}`.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
