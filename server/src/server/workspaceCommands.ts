/**
 * The commands the client reaches through `workspace/executeCommand`: scan every template of the
 * workspace folders from disk (findings published as diagnostics for every file), and list every
 * image the workspace deploys as a markdown table. Both walk folders with the same code as the
 * CLI, so the editor and the command line agree.
 */
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver/node';
import type { Catalog } from '../core/catalog/catalogTypes';
import { includedSupport } from '../core/catalog/lifecycle';
import { matchImage } from '../core/catalog/matchImage';
import { dateState, urnOf } from '../core/hover';
import { inventoryEntries, type InventoryEntry } from '../core/inventory';
import type { DeploymentStep, ImageNames, ImageSite } from '../core/model';
import { imageFields } from '../core/model';
import { LineIndex } from '../core/text';
import { FolderWalk } from '../node/folderWalk';
import { type FileOutcome, FileScanner, mergeOutcomes, type ScanOptions, type ScanResult } from '../node/scan';
import type { LintConfig } from '../core/config/config';
import {
  configErrorCode,
  type ConversionContext,
  diagnosticOfFinding,
  diagnosticOfProblem,
  internalErrorCode,
  parseErrorCode,
  RangeConverter,
} from './diagnostics';
import { fileKey } from './files';

export const scanWorkspaceCommand = 'azureImageLint.server.scanWorkspace';
export const inventoryCommand = 'azureImageLint.server.inventory';

export interface FolderScanOptions {
  today: string;
  baseConfig: LintConfig;
  maximumFileSize: number;
  /** The folders other files may be read from: every workspace folder (this one by default). */
  roots?: string[];
  /** ARM Tools' template to parameter file map. */
  armParameterFileMap?: Record<string, string>;
}

/** What a scan asks of the server while it runs. */
export interface ScanControl {
  /** Whether the scan must stop (the request or its progress was cancelled). */
  isCancelled(): boolean;
  /** Says how far the scan is: files analysed of the files found. */
  report?(analysed: number, found: number): void;
}

/** How long a scan works before it lets other requests in (hovers, edits, a cancellation). */
const sliceMilliseconds = 15;
/** Entries a folder walk reads between two looks at the clock. */
const walkStep = 256;

/**
 * Scans one workspace folder from disk, in slices: between two slices of about 15 ms it lets
 * the event loop answer other requests, and it stops (giving undefined) as soon as `control`
 * says the scan is cancelled. The result is what a scan in one go gives (`scanFiles`).
 */
export async function scanFolder(
  folder: string,
  options: FolderScanOptions,
  control: ScanControl = { isCancelled: () => false },
): Promise<ScanResult | undefined> {
  const roots = options.roots ?? [folder];
  let sliceStart = Date.now();
  /** Yields when the slice is used up; true when the scan must stop. */
  const pause = async (): Promise<boolean> => {
    if (Date.now() - sliceStart >= sliceMilliseconds) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = Date.now();
    }
    return control.isCancelled();
  };
  const walk = new FolderWalk(folder, roots);
  while (!walk.step(walkStep)) if (await pause()) return undefined;
  if (control.isCancelled()) return undefined;
  const scanOptions: ScanOptions = {
    today: options.today,
    baseConfig: options.baseConfig,
    maximumFileSize: options.maximumFileSize,
    roots,
    armParameterFileMap: options.armParameterFileMap,
  };
  const scanner = new FileScanner(walk.files, scanOptions);
  const outcomes: FileOutcome[] = [];
  for (const file of walk.files) {
    outcomes.push(scanner.scan(file));
    if (Date.now() - sliceStart >= sliceMilliseconds) control.report?.(outcomes.length, walk.files.length);
    if (await pause()) return undefined;
  }
  const result = mergeOutcomes(outcomes, scanOptions, scanner.host);
  // Folders that could not be read and links not followed come first, as on the command line.
  result.problems.unshift(...walk.problems);
  return result;
}

/** The diagnostics a scan gives each file, by file key. */
export function diagnosticsOfScan(
  result: ScanResult,
  uriOf: (file: string) => string,
): Map<string, { uri: string; diagnostics: Diagnostic[] }> {
  const conversion: ConversionContext = {
    ranges: new RangeConverter((file) => result.host.readFile(file)),
    uriOf,
    versionOf: () => undefined,
  };
  const byFile = new Map<string, { uri: string; diagnostics: Diagnostic[] }>();
  const add = (file: string, diagnostic: Diagnostic) => {
    const key = fileKey(file);
    let entry = byFile.get(key);
    if (!entry) {
      entry = { uri: uriOf(file), diagnostics: [] };
      byFile.set(key, entry);
    }
    entry.diagnostics.push(diagnostic);
  };
  for (const finding of result.findings) add(finding.location.file, diagnosticOfFinding(finding, conversion));
  for (const problem of result.problems)
    add(problem.file, diagnosticOfProblem(problem, problem.internalError ? internalErrorCode : parseErrorCode, conversion));
  for (const problem of result.configurationProblems)
    add(problem.file, diagnosticOfProblem(problem, configErrorCode, conversion));
  return byFile;
}

/** The inventory: one row per image a site can deploy, with what the catalog says about it. */
export function inventoryMarkdown(scans: readonly { folder: string; result: ScanResult; catalog: Catalog }[]): string {
  const lines = ['# Azure image inventory', ''];
  let count = 0;
  const rows: string[] = [];
  for (const { folder, result, catalog } of scans) {
    const sites = [...result.images].sort((a, b) =>
      a.use.file < b.use.file ? -1 : a.use.file > b.use.file ? 1 : a.use.range.start - b.use.range.start,
    );
    const lineIndexes = new Map<string, LineIndex | undefined>();
    const lineOf = (file: string, offset: number): number => {
      if (!lineIndexes.has(file)) {
        const text = result.host.readFile(file);
        lineIndexes.set(file, text === undefined ? undefined : new LineIndex(text));
      }
      return (lineIndexes.get(file)?.positionAt(offset).line ?? 0) + 1;
    };
    const fileOf = (file: string) => cell(path.relative(folder, file).replace(/\\/g, '/'));
    const placeOf = (file: string, offset: number) => `${fileOf(file)}:${lineOf(file, offset)}`;
    for (const site of sites) {
      const where = placeOf(site.use.file, site.use.range.start);
      const type = cell(site.resourceType);
      for (const description of describeSite(site, catalog, result.asOf)) {
        const entry = description.entry;
        const definedAt = entry ? definedAtCell(entry, fileOf, lineOf) : '';
        const chain = (steps: readonly DeploymentStep[]) =>
          steps.map((step) => `${cell(step.name)} (${placeOf(step.location.file, step.location.range.start)})`).join(' › ');
        // Every chain of calls that gives the image, when callers give the same one.
        const via = (entry?.vias ?? [site.via ?? []]).map(chain).join('; ');
        rows.push(
          `| ${where} | ${type} | ${description.image} | ${description.what} | ${description.support} | ${definedAt} | ${via} |`,
        );
        count++;
      }
    }
  }
  if (rows.length === 0) {
    lines.push('No Marketplace image found in the workspace.');
    return `${lines.join('\n')}\n`;
  }
  lines.push(`${count} image(s) as of ${scans[0]?.result.asOf ?? ''}.`, '');
  lines.push(
    '| Location | Resource type | Image | Distribution | Support | Defined at | Via |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  );
  return `${lines.join('\n')}\n`;
}

/** Where an entry's fields are written, by file: `main.json publisher:9, offer:9; params.json sku:4`. */
function definedAtCell(
  entry: InventoryEntry,
  fileOf: (file: string) => string,
  lineOf: (file: string, offset: number) => number,
): string {
  const byFile = new Map<string, string[]>();
  for (const field of imageFields) {
    const location = entry.definedAt[field];
    if (!location) continue;
    const file = fileOf(location.file);
    const written = `${field}:${lineOf(location.file, location.range.start)}`;
    const fields = byFile.get(file);
    if (fields) fields.push(written);
    else byFile.set(file, [written]);
  }
  return [...byFile].map(([file, fields]) => `${file} ${fields.join(', ')}`).join('; ');
}

interface SiteRow {
  image: string;
  what: string;
  support: string;
  entry?: InventoryEntry;
}

function describeSite(site: ImageSite, catalog: Catalog, asOf: string): SiteRow[] {
  if (site.custom) return [{ image: 'custom image', what: '', support: '' }];
  if (site.candidates.length === 0)
    return [{ image: '?', what: cell(site.unresolvedReason ?? 'not known before deployment'), support: '' }];
  return inventoryEntries(site).map((entry): SiteRow => {
    const names = entry.names;
    const row = describeNames(names, catalog, asOf);
    return { ...row, entry };
  });
}

function describeNames(names: ImageNames, catalog: Catalog, asOf: string): SiteRow {
  const image = `\`${cell(urnOf(names))}\``;
  const match = matchImage(catalog, names);
  switch (match.kind) {
    case 'image': {
      const support = includedSupport(match.entry);
      return {
        image,
        what: cell(match.entry.version.name) + (match.entry.distribution.endorsed.value ? '' : ' (not endorsed)'),
        support: support
          ? cell(`${support.kind === 'standard' ? 'standard support' : support.name} ${dateState(support.ends, asOf)}`)
          : 'no end date',
      };
    }
    case 'other':
      return { image, what: `${cell(match.publisher.name)} (not Linux)`, support: '' };
    case 'partial':
      return {
        image,
        what: `${cell(match.distributions.map((distribution) => distribution.name).join(', '))}: not in the catalog`,
        support: '',
      };
    case 'unknown-publisher':
      return { image, what: 'unknown publisher', support: '' };
    case 'unresolved':
      return { image, what: 'publisher not known before deployment', support: '' };
  }
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}
