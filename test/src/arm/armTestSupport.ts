/**
 * Helpers shared by the ARM reader tests: a file host over the real file system (the tests are an
 * adapter, so they may do I/O), the fixture folder, and a compact spelling of candidates
 * (`publisher:offer:sku:version`, `?` for a value that could not be resolved) that keeps the
 * expected results readable.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileHost, ImageSite, ReaderResult } from '../../../server/out/core/model';
import { readArmFile, type ArmReadOptions } from '../../../server/out/core/arm/readArm';

export const armFixtures = path.resolve(__dirname, '../../fixtures/arm').replace(/\\/g, '/');

export const fileSystemHost: FileHost = {
  readFile(file) {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
  listFolder(folder) {
    try {
      return fs.readdirSync(folder);
    } catch {
      return [];
    }
  },
};

/** A host over a few in-memory files, for inline test input. */
export function memoryHost(files: Record<string, string>): FileHost {
  return {
    readFile: (file) => files[file],
    listFolder: (folder) =>
      Object.keys(files)
        .filter((file) => file.slice(0, file.lastIndexOf('/')) === folder)
        .map((file) => file.slice(file.lastIndexOf('/') + 1)),
  };
}

export function fixturePath(name: string): string {
  return `${armFixtures}/${name}`;
}

export function readFixture(name: string, options?: ArmReadOptions): ReaderResult {
  const file = fixturePath(name);
  return readArmFile(file, fs.readFileSync(file, 'utf8'), fileSystemHost, options);
}

/** `publisher:offer:sku:version` for each candidate of a site. */
export function compactCandidates(site: ImageSite): string[] {
  return site.candidates.map((candidate) =>
    (['publisher', 'offer', 'sku', 'version'] as const).map((field) => candidate[field]?.value ?? '?').join(':'),
  );
}

/** Every site as its resource type's last segment followed by its compact candidates. */
export function summarizeSites(result: ReaderResult): string[][] {
  return result.sites.map((site) => [
    site.resourceType.split('/').pop()! + (site.custom ? ' (custom)' : ''),
    ...compactCandidates(site),
  ]);
}
