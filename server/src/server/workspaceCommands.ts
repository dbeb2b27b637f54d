/**
 * The commands the client reaches through `workspace/executeCommand`: scan every template of the
 * workspace folders from disk (findings published as diagnostics for every file), and list every
 * image the workspace deploys as a markdown table. Both walk folders with the same code as the
 * CLI, so the editor and the command line agree.
 */
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver/node';
import { namesOf } from '../core/analyze';
import type { Catalog } from '../core/catalog/catalogTypes';
import { includedSupport } from '../core/catalog/lifecycle';
import { matchImage } from '../core/catalog/matchImage';
import { dateState, urnOf } from '../core/hover';
import type { ImageSite } from '../core/model';
import { LineIndex } from '../core/text';
import { collectFiles, type ScanResult, scanFiles } from '../node/scan';
import type { LintConfig } from '../core/config/config';
import {
  configErrorCode,
  type ConversionContext,
  diagnosticOfFinding,
  diagnosticOfProblem,
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
}

/** Scans one workspace folder from disk. */
export function scanFolder(folder: string, options: FolderScanOptions): ScanResult {
  const collected = collectFiles([folder]);
  return scanFiles(collected.files, {
    today: options.today,
    baseConfig: options.baseConfig,
    maximumFileSize: options.maximumFileSize,
    roots: options.roots ?? [folder],
  });
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
  for (const problem of result.problems) add(problem.file, diagnosticOfProblem(problem, parseErrorCode, conversion));
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
    for (const site of sites) {
      const text = result.host.readFile(site.use.file);
      const line = text === undefined ? 1 : new LineIndex(text).positionAt(site.use.range.start).line + 1;
      const where = `${cell(path.relative(folder, site.use.file).replace(/\\/g, '/'))}:${line}`;
      const type = cell(site.resourceType);
      for (const description of describeSite(site, catalog, result.asOf)) {
        rows.push(`| ${where} | ${type} | ${description.image} | ${description.what} | ${description.support} |`);
        count++;
      }
    }
  }
  if (rows.length === 0) {
    lines.push('No Marketplace image found in the workspace.');
    return `${lines.join('\n')}\n`;
  }
  lines.push(`${count} image(s) as of ${scans[0]?.result.asOf ?? ''}.`, '');
  lines.push('| Location | Resource type | Image | Distribution | Support |', '|---|---|---|---|---|', ...rows);
  return `${lines.join('\n')}\n`;
}

function describeSite(site: ImageSite, catalog: Catalog, asOf: string): { image: string; what: string; support: string }[] {
  if (site.custom) return [{ image: 'custom image', what: '', support: '' }];
  if (site.candidates.length === 0) return [{ image: '?', what: 'not known before deployment', support: '' }];
  return site.candidates.map((candidate) => {
    const names = namesOf(candidate);
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
  });
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}
