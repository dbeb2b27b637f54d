/**
 * Chooses the images a fix can switch to. A successor keeps architecture and Hyper-V generation
 * (changing either breaks VM sizes), prefers the same licensing and variant, and must be endorsed,
 * generally available and supported as of the analysis date. A licensing change is offered only
 * as a non-preferred choice whose title says so: a fix never changes what the user pays silently.
 */
import type { CatalogImage, Distribution, DistributionVersion, KernelFact } from './catalogTypes';
import type { Catalog } from './catalogTypes';
import { supportStatus } from './lifecycle';
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
    choices.push(...choicesIn(target.distribution, target.version, entry, asOf, () => true));
  }
  return orderChoices(choices);
}

/** Variants of the same version that ship the Azure-tuned kernel. */
export function tunedVariantsOf(entry: CatalogEntry, asOf: string): SuccessorChoice[] {
  return orderChoices(choicesIn(entry.distribution, entry.version, entry, asOf, (candidate) => kernelOf(candidate).tuned));
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
  if (best) choices.push({ entry: best, sku: firstSku(best.image), changes: [] });
  const alternative = bestVariant(otherLicensing, from.image);
  if (alternative) {
    const change = `licensing: ${licensingNames[from.image.licensing]} → ${licensingNames[alternative.image.licensing]}`;
    choices.push({ entry: alternative, sku: firstSku(alternative.image), changes: [change] });
  }
  return choices;
}

/** Same variant first, then the plain server image, then catalog order. */
function bestVariant(entries: CatalogEntry[], from: CatalogImage): CatalogEntry | undefined {
  return (
    entries.find((candidate) => candidate.image.variant === from.variant) ??
    entries.find((candidate) => candidate.image.variant === 'server') ??
    entries[0]
  );
}

function firstSku(image: CatalogImage): string {
  return (image.skus as string[])[0];
}

/** Choices without changes first; duplicates (same publisher/offer/SKU) removed. */
function orderChoices(choices: SuccessorChoice[]): SuccessorChoice[] {
  const seen = new Set<string>();
  const ordered = [...choices.filter((c) => c.changes.length === 0), ...choices.filter((c) => c.changes.length > 0)];
  return ordered.filter((choice) => {
    const key = `${choice.entry.publisher}:${choice.entry.image.offer}:${choice.sku}`.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
