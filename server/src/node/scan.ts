/**
 * Scans files and folders the way the CLI and the "scan workspace" command do: walks folders for
 * templates, decides which files to analyse as entries (a parameter file whose template is also
 * scanned is covered by that template), resolves each file's configuration and catalog, runs the
 * core and merges what every entry found (findings and images counted once).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument, detectDocumentKind, type DocumentKind } from '../core/analyze';
import type { Finding, ImageSite, Problem } from '../core/model';
import type { LintConfig } from '../core/config/config';
import { ConfigResolver } from './configResolver';
import { defaultMaximumFileSize, NodeFileHost, readTextFile } from './nodeFileHost';

export const scannedExtensions = ['.json', '.jsonc', '.bicep', '.bicepparam'];
const skippedFolders = new Set(['node_modules', '.git']);

export interface ScanOptions {
  /** The date given on the command line; wins over configuration. */
  asOf?: string;
  /** Today, `YYYY-MM-DD`, used when neither option nor configuration sets a date. */
  today: string;
  configFile?: string;
  baseConfig?: LintConfig;
  maximumFileSize?: number;
  armParameterFileMap?: Record<string, string>;
}

export interface ScanResult {
  /** Every file analysed as an entry. */
  files: string[];
  findings: Finding[];
  images: ImageSite[];
  problems: Problem[];
  /** Problems of configuration and catalog files (the CLI's exit status 2). */
  configurationProblems: Problem[];
  /** The date the analysis used (the first file's, when configurations differ). */
  asOf: string;
  host: NodeFileHost;
}

/** Expands the given paths into the files to consider. An unreadable path is a problem. */
export function collectFiles(paths: readonly string[]): { files: string[]; problems: Problem[] } {
  const files: string[] = [];
  const problems: Problem[] = [];
  for (const given of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(given);
    } catch {
      problems.push({ file: given, message: `${given}: no such file or folder.` });
      continue;
    }
    if (stat.isDirectory()) walk(given, files);
    else files.push(given);
  }
  return { files: [...new Set(files)], problems };
}

function walk(folder: string, files: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!skippedFolders.has(entry.name)) walk(full, files);
    } else if (entry.isFile() && scannedExtensions.some((extension) => entry.name.toLowerCase().endsWith(extension))) {
      files.push(full);
    }
  }
}

/** Analyses files and merges the results. */
export function scanFiles(files: readonly string[], options: ScanOptions): ScanResult {
  const maximumSize = options.maximumFileSize ?? defaultMaximumFileSize;
  const host = new NodeFileHost(maximumSize);
  const resolver = new ConfigResolver(options.configFile, options.baseConfig);
  const problems: Problem[] = [];
  const configurationProblems: Problem[] = [];
  const reportedConfigProblems = new Set<string>();
  const findings = new Map<string, Finding>();
  const images = new Map<string, ImageSite>();
  const entries: string[] = [];
  const kinds = new Map<string, DocumentKind>();
  const texts = new Map<string, string>();
  let asOf: string | undefined;

  for (const file of files) {
    const outcome = readTextFile(file, maximumSize);
    if ('error' in outcome) {
      problems.push({ file, message: outcome.error });
      continue;
    }
    texts.set(file, outcome.text);
    kinds.set(file, detectDocumentKind(file, outcome.text));
  }
  const scanned = new Set(files.map((file) => path.resolve(file)));
  for (const file of files) {
    const kind = kinds.get(file);
    const text = texts.get(file);
    if (kind === undefined || text === undefined || kind === 'other') continue;
    if (kind === 'arm-parameters' && templateIsScanned(file, scanned)) continue;
    entries.push(file);
    const loaded = resolver.configFor(file);
    const catalog = resolver.catalogFor(loaded.config);
    for (const problem of [...loaded.problems, ...catalog.problems]) {
      const key = `${problem.file}\u0000${problem.message}`;
      if (!reportedConfigProblems.has(key)) {
        reportedConfigProblems.add(key);
        configurationProblems.push(problem);
      }
    }
    const fileAsOf = options.asOf ?? loaded.config.asOf ?? options.today;
    asOf ??= fileAsOf;
    const result = analyzeDocument(file, text, host, {
      catalog: catalog.catalog,
      config: loaded.config,
      asOf: fileAsOf,
      arm: { parameterFileMap: options.armParameterFileMap },
    });
    problems.push(...result.problems);
    for (const finding of result.findings) {
      const key = `${finding.code}\u0000${finding.location.file}\u0000${finding.location.range.start}\u0000${finding.location.range.end}\u0000${finding.message}`;
      if (!findings.has(key)) findings.set(key, finding);
    }
    for (const site of result.sites) {
      const key = `${site.use.file}\u0000${site.use.range.start}\u0000${site.use.range.end}`;
      if (!images.has(key)) images.set(key, site);
    }
  }
  return {
    files: entries,
    findings: [...findings.values()],
    images: [...images.values()],
    problems: dedupeProblems(problems),
    configurationProblems,
    asOf: asOf ?? options.asOf ?? options.today,
    host,
  };
}

/** A parameter file is covered when the template it belongs to is scanned too. */
function templateIsScanned(parameterFile: string, scanned: ReadonlySet<string>): boolean {
  const template = parameterFile.replace(/\.parameters(\.[^./\\]+)?\.(jsonc?)$/i, '.$2');
  return template !== parameterFile && scanned.has(path.resolve(template));
}

function dedupeProblems(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.file}\u0000${problem.message}\u0000${problem.range?.start ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
