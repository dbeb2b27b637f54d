/**
 * `npm run catalog:import-lifecycle`: writes the release and support dates of every mapped catalog
 * version from the vendored endoflife.date data (`catalog-sources/endoflife/`) into
 * `server/src/core/catalog/data/catalog.json`, and prints each change. Facts with
 * `importOverride` are left alone; running it twice changes nothing the second time. With
 * `--check` it only prints what it would change, and exits with 1 if that is anything.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Catalog } from '../../../../server/out/core/catalog/catalogTypes';
import { applyImport, catalogText, importedDates } from './lifecycleImport';

const catalogFile = path.resolve(__dirname, '../../../../server/src/core/catalog/data/catalog.json');

function main(args: string[]): number {
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    console.error(`usage: npm run catalog:import-lifecycle [-- --check]; unknown argument ${unknown[0]}`);
    return 2;
  }
  const check = args.includes('--check');
  const before = fs.readFileSync(catalogFile, 'utf8');
  const catalog = JSON.parse(before) as Catalog;
  // Writing the file rewrites every line; refuse when that would change more than the dates.
  if (catalogText(catalog) !== before) {
    console.error(
      `${catalogFile} is not laid out as the importer writes it (JSON.stringify with two spaces and a final newline); ` +
        'writing it would reformat the whole file.',
    );
    return 2;
  }
  const result = applyImport(catalog, importedDates());
  for (const line of result.overridden) console.log(`override  ${line}`);
  for (const line of result.unsettled) console.log(`unsettled ${line}`);
  for (const line of result.changes) console.log(`${check ? 'differs' : 'changed'}   ${line}`);
  const count = `${result.changes.length} change${result.changes.length === 1 ? '' : 's'}`;
  if (check) {
    console.log(result.changes.length === 0 ? 'catalog.json agrees with the data' : `${count} to make`);
    return result.changes.length === 0 ? 0 : 1;
  }
  if (result.changes.length > 0) fs.writeFileSync(catalogFile, catalogText(catalog));
  console.log(`${count} written to ${path.relative(process.cwd(), catalogFile)}`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
