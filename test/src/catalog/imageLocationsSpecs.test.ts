/**
 * `imageLocations.json` against the Azure REST API specifications: every resource type whose
 * specification has an image-reference-shaped property (the extract in
 * `catalog-sources/azure-rest-api-specs/image-references.json`) is either read at that path with
 * those property names, or listed as excluded with a reason; and the table reads nothing the
 * extract does not name.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { imageLocationOf } from '../../../server/out/core/imageLocations';

interface SpecificationRow {
  resourceType: string;
  path: string[];
  properties: string[];
  specification: string;
  apiVersion: string;
  definition: string;
  reason?: string;
}

const repositoryRoot = path.resolve(__dirname, '../../..');
const extract = JSON.parse(
  fs.readFileSync(path.join(repositoryRoot, 'catalog-sources/azure-rest-api-specs/image-references.json'), 'utf8'),
) as { covered: SpecificationRow[]; excluded: SpecificationRow[] };
const table = JSON.parse(fs.readFileSync(path.join(repositoryRoot, 'server/src/core/imageLocations.json'), 'utf8')) as {
  locations: Array<{ resourceType: string; path: string[]; fields: Record<string, string> }>;
};

const sorted = (names: readonly string[]) => [...names].sort();

describe('imageLocations.json against the REST API specifications', () => {
  test('every row names its specification file, api-version and definition', () => {
    for (const row of [...extract.covered, ...extract.excluded]) {
      assert.match(row.specification, /^specification\/[a-z0-9-]+\/resource-manager\//, row.resourceType);
      assert.match(row.apiVersion, /^\d{4}-\d{2}-\d{2}(-preview)?$/, row.resourceType);
      assert.ok(row.specification.includes(row.apiVersion), `${row.resourceType}: ${row.specification}`);
      assert.ok(row.definition.length > 0, row.resourceType);
      assert.ok(row.properties.length > 0, row.resourceType);
    }
  });

  for (const row of extract.covered) {
    test(`${row.resourceType} is read at ${row.path.join('.')}`, () => {
      const location = imageLocationOf(row.resourceType);
      assert.ok(location, `${row.resourceType} has no row in imageLocations.json`);
      assert.deepEqual(location.path, row.path);
      assert.deepEqual(sorted(Object.values(location.fields)), sorted(row.properties));
    });
  }

  test('excluded rows say why and are not read at their path', () => {
    for (const row of extract.excluded) {
      assert.ok(row.reason && row.reason.length > 10, `${row.resourceType}: no reason`);
      const read = table.locations.some(
        (location) =>
          location.resourceType.toLowerCase() === row.resourceType.toLowerCase() &&
          location.path.join('.') === row.path.join('.'),
      );
      assert.ok(!read, `${row.resourceType} ${row.path.join('.')} is excluded but read`);
    }
  });

  test('every row of imageLocations.json is in the extract', () => {
    const covered = new Set(extract.covered.map((row) => `${row.resourceType.toLowerCase()} ${row.path.join('.')}`));
    const missing = table.locations
      .map((location) => `${location.resourceType.toLowerCase()} ${location.path.join('.')}`)
      .filter((key) => !covered.has(key));
    assert.deepEqual(missing, []);
  });
});
