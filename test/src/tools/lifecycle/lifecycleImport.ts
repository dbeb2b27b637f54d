/**
 * The lifecycle import as functions over the catalog document: the dates the vendored
 * endoflife.date data gives each mapped version, how the catalog differs from them, and the edit
 * that makes it agree. The command (`importLifecycle.ts`) and the catalog test share these, so the
 * test checks exactly what the command writes.
 */
import type { Catalog, CatalogSource, DatedFact, DistributionVersion } from '../../../../server/out/core/catalog/catalogTypes';
import { readProduct, type Release } from './endoflifeData';
import { importSource, mappedCycles, productFields, type DataField } from './lifecycleMapping';

/** The catalog facts the import writes. */
export type ImportedField = 'released' | 'standardSupportEnds' | 'extendedSupport';

/** One date the data gives a catalog version. */
export interface ImportedDate {
  versionId: string;
  field: ImportedField;
  /** Where the date is read, e.g. `ubuntu 22.04 eol`. */
  origin: string;
  /** Undefined when the cycle has no such date (`eol: false`: not announced; no `eoes`). */
  date: string | undefined;
}

/** A mapped fact on which the catalog and the data differ. */
export interface Difference extends ImportedDate {
  /** The catalog's date (`date`, or `ends` for extended support); undefined when it has none. */
  catalogDate: string | undefined;
  /** The reason the catalog gives for differing, if it gives one. */
  importOverride: string | undefined;
}

/** The dates the vendored data gives every mapped version, in mapping order. */
export function importedDates(read: (product: string) => Release[] = readProduct): ImportedDate[] {
  const dates: ImportedDate[] = [];
  for (const [product, versions] of Object.entries(mappedCycles)) {
    const fields = productFields[product];
    if (!fields) throw new Error(`mappedCycles names ${product}, which productFields does not describe`);
    const releases = read(product);
    for (const [versionId, cycle] of Object.entries(versions)) {
      const release = releases.find((candidate) => candidate.releaseCycle === cycle);
      if (!release) throw new Error(`${versionId}: ${product} has no release cycle ${JSON.stringify(cycle)}`);
      const date = (field: ImportedField, dataField: DataField): ImportedDate => ({
        versionId,
        field,
        origin: `${product} ${cycle} ${dataField}`,
        date: dateOf(release[dataField], `${versionId}: ${product} ${cycle} ${dataField}`),
      });
      dates.push(date('released', 'releaseDate'), date('standardSupportEnds', fields.standardSupportEnds));
      if (fields.extendedSupportEnds) dates.push(date('extendedSupport', fields.extendedSupportEnds));
    }
  }
  return dates;
}

/** A date field's value: a `YYYY-MM-DD` date, or none when absent or `false` (not announced). */
function dateOf(value: Release[string] | undefined, where: string): string | undefined {
  if (value === undefined || value === false || value === null) return undefined;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  throw new Error(`${where}: expected a date or false, found ${JSON.stringify(value)}`);
}

function versionsById(catalog: Catalog): Map<string, DistributionVersion> {
  const map = new Map<string, DistributionVersion>();
  for (const distribution of catalog.distributions) {
    for (const version of distribution.versions) map.set(version.id, version);
  }
  return map;
}

function versionOf(versions: Map<string, DistributionVersion>, versionId: string): DistributionVersion {
  const version = versions.get(versionId);
  if (!version) throw new Error(`the mapping names ${versionId}, which is not a catalog version`);
  return version;
}

/** The catalog's date for a field, and its override reason. */
function catalogFact(version: DistributionVersion, field: ImportedField): { date?: string; importOverride?: string } {
  if (field === 'extendedSupport') {
    const extended = version.extendedSupport;
    return { date: extended?.ends, importOverride: extended?.importOverride };
  }
  return { date: version[field]?.date, importOverride: version[field]?.importOverride };
}

/** Every mapped fact whose catalog date is not the data's, overridden or not. */
export function differences(catalog: Catalog, dates: readonly ImportedDate[]): Difference[] {
  const versions = versionsById(catalog);
  const found: Difference[] = [];
  for (const imported of dates) {
    const fact = catalogFact(versionOf(versions, imported.versionId), imported.field);
    if (fact.date !== imported.date) {
      found.push({ ...imported, catalogDate: fact.date, importOverride: fact.importOverride });
    }
  }
  return found;
}

/** What an import did: the edits made, and the differences it left for a person to settle. */
export interface ImportResult {
  changes: string[];
  /** Facts with `importOverride` that differ from the data, kept as they are. */
  overridden: string[];
  /** Differences the importer cannot settle (no extended support in the catalog, no date in the data). */
  unsettled: string[];
}

/** The order of a version's keys in the catalog file; a fact the import adds goes in its place. */
const versionKeyOrder = ['id', 'name', 'released', 'standardSupportEnds', 'extendedSupport', 'successors', 'kernel', 'images'];

/**
 * Makes the catalog document agree with the data: sets each mapped date, adds a missing
 * `released` or `standardSupportEnds`, and makes the fact cite the import source instead of the
 * revisions it replaces. Facts with `importOverride` are left alone. Edits the document in place.
 */
export function applyImport(catalog: Catalog, dates: readonly ImportedDate[]): ImportResult {
  const result: ImportResult = { changes: [], overridden: [], unsettled: [] };
  const versions = versionsById(catalog);
  for (const imported of dates) versionOf(versions, imported.versionId);
  ensureSource(catalog, result);
  for (const distribution of catalog.distributions) {
    distribution.versions = distribution.versions.map((version) => {
      let edited = version;
      for (const imported of dates.filter((date) => date.versionId === version.id)) {
        edited = importDate(edited, imported, result);
      }
      return edited;
    });
  }
  return result;
}

function importDate(version: DistributionVersion, imported: ImportedDate, result: ImportResult): DistributionVersion {
  const where = `${version.id} ${imported.field}`;
  const current = catalogFact(version, imported.field);
  if (current.importOverride !== undefined) {
    if (current.date !== imported.date) {
      result.overridden.push(
        `${where}: kept ${current.date ?? 'none'} (${imported.origin}: ${imported.date ?? 'none'}): ${current.importOverride}`,
      );
    }
    return version;
  }
  if (imported.date === undefined) {
    if (current.date !== undefined) {
      result.unsettled.push(`${where}: the catalog has ${current.date}, ${imported.origin} has no date`);
    }
    return version;
  }
  if (imported.field === 'extendedSupport') {
    const extended = version.extendedSupport;
    if (!extended) {
      result.unsettled.push(`${where}: ${imported.origin} is ${imported.date}, but the catalog has no extended support to date`);
      return version;
    }
    if (extended.ends !== imported.date) {
      result.changes.push(`${where}.ends: ${extended.ends} → ${imported.date} (${imported.origin})`);
      extended.ends = imported.date;
    }
    citeImportSource(extended, where, result);
    return version;
  }
  const fact = version[imported.field];
  if (!fact) {
    const added: DatedFact = { date: imported.date, sources: [importSource.id] };
    result.changes.push(`${where}: added ${imported.date} (${imported.origin})`);
    return withKey(version, imported.field, added);
  }
  if (fact.date !== imported.date) {
    result.changes.push(`${where}.date: ${fact.date} → ${imported.date} (${imported.origin})`);
    fact.date = imported.date;
  }
  citeImportSource(fact, where, result);
  return version;
}

/** Replaces the sources the import supersedes by the import source, which goes first if missing. */
function citeImportSource(fact: { sources: string[] }, where: string, result: ImportResult): void {
  const replaced: readonly string[] = importSource.replaces;
  const sources = fact.sources.filter((id) => !replaced.includes(id));
  if (!sources.includes(importSource.id)) sources.unshift(importSource.id);
  if (sources.join() !== fact.sources.join()) {
    result.changes.push(`${where}.sources: [${fact.sources.join(', ')}] → [${sources.join(', ')}]`);
    fact.sources = sources;
  }
}

/** A copy of the version with `key` set, keys in the catalog file's order. */
function withKey(version: DistributionVersion, key: ImportedField, value: DatedFact): DistributionVersion {
  const entries = Object.entries({ ...version, [key]: value });
  const rank = (name: string): number => {
    const index = versionKeyOrder.indexOf(name);
    return index < 0 ? versionKeyOrder.length : index;
  };
  entries.sort(([a], [b]) => rank(a) - rank(b));
  return Object.fromEntries(entries) as unknown as DistributionVersion;
}

/**
 * The source the imported facts cite: added when missing; when present, it must name the vendored
 * commit, or the facts would cite data they were not read from.
 */
function ensureSource(catalog: Catalog, result: ImportResult): void {
  const commit = importSource.commit.slice(0, 7);
  const reference = `${importSource.repository}@${commit}`;
  const source: CatalogSource | undefined = catalog.sources[importSource.id];
  if (!source) {
    const products = Object.keys(mappedCycles).join(',');
    catalog.sources[importSource.id] = {
      title: importSource.title,
      url: importSource.url,
      reference: `${reference} products/{${products}}.md`,
      date: importSource.date,
    };
    result.changes.push(`sources: added ${importSource.id} (${reference})`);
  } else if (!source.reference?.includes(reference) || source.date !== importSource.date) {
    throw new Error(`source ${importSource.id} must name ${reference} and the date ${importSource.date}, the vendored data`);
  }
}

/** The catalog file's text for a document: the layout the file keeps (two-space JSON, final newline). */
export function catalogText(catalog: Catalog): string {
  return `${JSON.stringify(catalog, null, 2)}\n`;
}
