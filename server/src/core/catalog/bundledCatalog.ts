/**
 * The catalog that ships with the linter (`data/catalog.json`), read once when first imported.
 * The catalog tests keep it free of problems; should it ever have one anyway, the linter runs with
 * an empty catalog and `bundledCatalogProblems` says why, rather than failing to start.
 */
import catalogJson from './data/catalog.json';
import type { Catalog } from './catalogTypes';
import { type CatalogProblem, parseCatalog } from './loadCatalog';

const parsed = parseCatalog(catalogJson as unknown, 'catalog.json');

/** Problems of the bundled catalog; empty unless the shipped data is broken. */
export const bundledCatalogProblems: readonly CatalogProblem[] = parsed.problems;

export const bundledCatalog: Catalog = parsed.catalog ?? {
  asOf: (catalogJson as { asOf?: string }).asOf ?? '1970-01-01',
  sources: {},
  distributions: [],
  otherPublishers: [],
};
