/**
 * Helpers for the tests that check the readers' shared work (an image written the same way on
 * many resources is evaluated once and copied, with its definitions moved) against reading every
 * image afresh: both must find the same sites, findings, fixes, problems and dependencies.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { analyzeDocument, literal, type AnalysisResult, type AnalysisSettings } from '../../../server/out/core/analyze';
import { bundledCatalog } from '../../../server/out/core/catalog/bundledCatalog';
import { emptyConfig } from '../../../server/out/core/config/config';
import { diskHost as fileSystemHost } from './diskHost';
import type { FileHost, ImageSite, LiteralSyntax } from '../../../server/out/core/model';
import { corpusRoot, fixturesRoot } from './fixtures';

export const corpusFolder = corpusRoot.replace(/\\/g, '/');
export const fixturesFolder = fixturesRoot.replace(/\\/g, '/');

/** The default reading, with every sharing on. */
export const sharedSettings: AnalysisSettings = { catalog: bundledCatalog, config: emptyConfig(), asOf: '2026-01-01' };
/** The straightforward reading: every image evaluated afresh, every Bicep resource body kept. */
export const afreshSettings: AnalysisSettings = {
  ...sharedSettings,
  arm: { shareRepeatedImages: false },
  bicep: { shareRepeatedImages: false, keepWholeResourceBodies: true },
};

/** The disk's files without listing its folders: a template is read with the parameter files it names only. */
export const diskHost: FileHost = { readFile: fileSystemHost.readFile };

/**
 * Every file below a folder whose name matches, sorted; none when the folder is absent. The corpus
 * is listed only when asked for by its own folder, never as part of the fixtures around it.
 */
export function filesUnder(folder: string, pattern: RegExp): string[] {
  if (!fs.existsSync(folder)) return [];
  const files: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const child = `${folder}/${entry.name}`;
    if (entry.isDirectory() && child === corpusFolder) continue;
    if (entry.isDirectory()) files.push(...filesUnder(child, pattern));
    else if (pattern.test(entry.name)) files.push(child);
  }
  return files.sort();
}

/** What a reading gives that must not depend on how it was read (the trace aside). */
export function comparable(result: AnalysisResult): unknown {
  return {
    sites: plainSites(result.sites),
    findings: result.findings,
    problems: result.problems,
    dependencies: result.dependencies,
  };
}

/**
 * Sites as plain data, each with its own list of candidates: a site that shares its list with
 * others (`sharedCandidates.ts`) and one that holds its own are the same site when their lists are.
 */
export function plainSites(sites: readonly ImageSite[]): unknown[] {
  return sites.map((site) => ({
    use: site.use,
    resourceType: site.resourceType,
    candidates: site.candidates,
    unresolved: site.unresolved,
    custom: site.custom,
  }));
}

/** Analyses a file with and without sharing, asserts both agree, and returns the shared result. */
export function assertSameBothWays(file: string, text: string, host: FileHost = diskHost): AnalysisResult {
  const sharedResult = analyzeDocument(file, text, host, sharedSettings);
  const afreshResult = analyzeDocument(file, text, host, afreshSettings);
  assert.deepEqual(comparable(sharedResult), comparable(afreshResult), file);
  return sharedResult;
}

/** Checks that every definition of a site is the string literal of `text` holding its value. */
export function assertDefinitionsAreLiterals(site: ImageSite, text: string, syntax: LiteralSyntax): void {
  for (const candidate of site.candidates) {
    for (const value of Object.values(candidate)) {
      const range = value?.definition?.location.range;
      if (!value || !range) continue;
      assert.equal(text.slice(range.start, range.end), literal(value.value, syntax));
    }
  }
}
