/**
 * The catalog that ships with the linter (`data/catalog.json`), used as it is. The catalog tests
 * check that the loader accepts the shipped data without a problem and reads it into exactly this
 * object, so it is not validated again at every start: that check costs a command-line run on a
 * small file more than its analysis does.
 */
import catalogJson from './data/catalog.json';
import type { Catalog } from './catalogTypes';

// The `$schema` key is for editors; it is not part of the catalog.
const { $schema: _schema, ...catalogData } = catalogJson as { $schema?: string } & Record<string, unknown>;

export const bundledCatalog: Catalog = catalogData as unknown as Catalog;
