/**
 * The inventory of what a site can deploy, as every output lists it (the CLI's JSON and
 * `--inventory`, the editor's inventory view): one entry per distinct image, each with where its
 * publisher, offer, SKU and version are written (`definedAt`), how each was resolved (its trace)
 * and the module calls and deployments that lead from the analysed file to the resource (`via`).
 *
 * A site can list the same image twice (a parameter's default that is also one of its allowed
 * values, two callers that pass the same image): an entry keeps the first candidate, and every
 * distinct chain of calls that led to one of them (`vias`). A folder scan merges the sites that
 * every caller of a shared module found (`mergeSites`), so that no caller's images are lost; each
 * candidate keeps the calls that led to it.
 */
import { namesOf } from './analyze';
import type { DeploymentStep, ImageCandidate, ImageField, ImageNames, ImageSite, SourceLocation } from './model';
import { imageFields } from './model';
import { sameDeploymentSteps } from './imageLocations';
import { traceOf } from './resolutionTrace';

export interface InventoryEntry {
  /** The names as outputs show them (`namesOf`). */
  names: ImageNames;
  /** The first candidate with these names. */
  candidate: ImageCandidate;
  /** Where each field's value is written, for the fields written in one literal. */
  definedAt: Partial<Record<ImageField, SourceLocation>>;
  /** The module calls and deployments from the analysed file to the resource, outermost first. */
  via: readonly DeploymentStep[];
  /**
   * Every distinct chain of calls through which a candidate with these names is reached, in the
   * order found: the first is `via`. Two callers that pass the same image give two.
   */
  vias: readonly (readonly DeploymentStep[])[];
}

/** The distinct images of a site, in the order of its candidates. */
export function inventoryEntries(site: ImageSite): InventoryEntry[] {
  const entries: InventoryEntry[] = [];
  // The chains of calls of each entry so far, by its names.
  const seen = new Map<string, (readonly DeploymentStep[])[]>();
  const candidates = site.candidates;
  candidates.forEach((candidate, index) => {
    const names = namesOf(candidate);
    const key =
      imageFields.map((field) => names[field] ?? '').join('\u0000') +
      imageFields.map((field) => (names[field] === undefined ? '0' : '1')).join('');
    const via = site.candidateVia?.[index] ?? site.via ?? [];
    const known = seen.get(key);
    if (known) {
      // Only a merged site's candidates come through different calls.
      if (site.candidateVia && !known.some((other) => sameDeploymentSteps(other, via))) known.push(via);
      return;
    }
    const definedAt: Partial<Record<ImageField, SourceLocation>> = {};
    for (const field of imageFields) {
      const definition = candidate[field]?.definition;
      if (definition) definedAt[field] = definition.location;
    }
    const vias = [via];
    seen.set(key, vias);
    entries.push({ names, candidate, definedAt, via, vias });
  });
  return entries;
}

/** The trace of each field of a candidate, as plain data (`traceOf`). */
export function candidateTrace(candidate: ImageCandidate): Partial<Record<ImageField, ReturnType<typeof traceOf>>> {
  const trace: Partial<Record<ImageField, ReturnType<typeof traceOf>>> = {};
  for (const field of imageFields) {
    const value = candidate[field];
    if (value) trace[field] = traceOf(value);
  }
  return trace;
}

/**
 * One site from the sites several analyses found at the same use (the callers of a shared module,
 * a template and its `.bicepparam`): every caller's candidates, each with the calls that led to
 * it, and every field one of them left unresolved. A single site is returned as it is.
 */
export function mergeSites(sites: readonly ImageSite[]): ImageSite {
  if (sites.length === 1) return sites[0];
  // A site some caller reaches (a module call, a nested or linked deployment) deploys what its
  // callers give it: the file's own read, where its parameters have no values, adds nothing then.
  const called = sites.filter((site) => site.via !== undefined && site.via.length > 0);
  if (called.length > 0 && called.length < sites.length) return mergeSites(called);
  const first = sites[0];
  const candidates: ImageCandidate[] = [];
  const candidateVia: (readonly DeploymentStep[])[] = [];
  const unresolved = new Set<ImageField>();
  for (const site of sites) {
    site.candidates.forEach((candidate, index) => {
      candidates.push(candidate);
      candidateVia.push(site.candidateVia?.[index] ?? site.via ?? []);
    });
    for (const field of site.unresolved) unresolved.add(field);
  }
  const merged: ImageSite = {
    use: first.use,
    resourceType: first.resourceType,
    candidates,
    unresolved: imageFields.filter((field) => unresolved.has(field)),
    custom: candidates.length === 0 && sites.some((site) => site.custom),
    candidateVia,
  };
  if (first.os) merged.os = first.os;
  if (first.via) merged.via = first.via;
  return merged;
}
