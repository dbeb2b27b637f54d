/**
 * Scans files and folders the way the CLI and the "scan workspace" command do: walks folders for
 * templates, decides which files to analyse as entries (a parameter file whose template is also
 * scanned is covered by that template), resolves each file's configuration and catalog, runs the
 * core and merges what every entry found (findings and images counted once).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument, armOptionsOf, CheckedImages, detectDocumentKind } from '../core/analyze';
import { pairedTemplateOf } from '../core/arm/parameterFiles';
import type { Finding, ImageSite, Problem } from '../core/model';
import type { LintConfig } from '../core/config/config';
import { mergeSites } from '../core/inventory';
import { ConfigResolver } from './configResolver';
import { FileAccessPolicy } from './fileAccess';
import { collectFolder, type WalkFileSystem } from './folderWalk';
import { ScanFilter } from './gitignore';
import { defaultMaximumFileSize, NodeFileHost, readTextFile } from './nodeFileHost';

export { scannedExtensions } from './folderWalk';

export interface ScanOptions {
  /** The date given on the command line; wins over configuration. */
  asOf?: string;
  /** Today, `YYYY-MM-DD`, used when neither option nor configuration sets a date. */
  today: string;
  configFile?: string;
  baseConfig?: LintConfig;
  maximumFileSize?: number;
  armParameterFileMap?: Record<string, string>;
  /**
   * The folders other files may be read from (modules, parameter files, loaded files, catalogs):
   * the workspace root. By default the current folder. The files scanned are read wherever they are.
   */
  roots?: string[];
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

/** What a folder walk skips besides `node_modules` and `.git`. */
export interface WalkOptions {
  /** Skip what `.gitignore` files (and `.git/info/exclude`) ignore. */
  useGitignore?: boolean;
  /** gitignore-style patterns relative to `cwd`. */
  exclude?: readonly string[];
  cwd?: string;
  /** The workspace links may lead into, besides the folders walked; by default `cwd`. */
  roots?: readonly string[];
  /** For tests: the file system calls of the walk. */
  fileSystem?: WalkFileSystem;
}

/**
 * Expands the given paths into the files to consider. A path that does not exist is a problem
 * (`problems`: the command line's exit status 2). A file given by name is always considered;
 * what folder walks find is filtered by `options`, and what they could not walk (folders that
 * cannot be read, links not followed: `node/folderWalk.ts`) is in `walkProblems`. `roots` are the
 * folders the user named: each folder given, and the folder of each file given.
 */
export function collectFiles(
  paths: readonly string[],
  options: WalkOptions = {},
): { files: string[]; problems: Problem[]; walkProblems: Problem[]; roots: string[] } {
  const files: string[] = [];
  const problems: Problem[] = [];
  const walkProblems: Problem[] = [];
  const roots: string[] = [];
  const filtering = options.useGitignore === true || (options.exclude?.length ?? 0) > 0;
  const cwd = options.cwd ?? process.cwd();
  const kinds = new Map<string, 'file' | 'folder'>();
  for (const given of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(given);
    } catch {
      problems.push({ file: given, message: `${given}: no such file or folder.` });
      continue;
    }
    kinds.set(given, stat.isDirectory() ? 'folder' : 'file');
    roots.push(stat.isDirectory() ? path.resolve(given) : path.dirname(path.resolve(given)));
  }
  // Links may lead into the workspace: the folders given, and those the caller names.
  const workspace = [...new Set([...(options.roots ?? [cwd]), ...roots])];
  for (const given of paths) {
    const kind = kinds.get(given);
    if (kind === 'file') files.push(given);
    if (kind !== 'folder') continue;
    const filter = filtering
      ? ScanFilter.forWalk(given, { useGitignore: options.useGitignore === true, exclude: options.exclude ?? [], cwd })
      : undefined;
    const walked = collectFolder(given, workspace, filter, options.fileSystem);
    files.push(...walked.files);
    walkProblems.push(...walked.problems);
  }
  return { files: [...new Set(files)], problems, walkProblems, roots: [...new Set(roots)] };
}

/** What one entry's analysis found: the part of a scan that can run on any thread. */
export interface EntryOutcome {
  findings: Finding[];
  sites: ImageSite[];
  problems: Problem[];
  configurationProblems: Problem[];
  asOf: string;
}

/** What scanning one file gave: a problem reading it, an analysis as an entry, or neither. */
export interface FileOutcome {
  file: string;
  readProblem?: Problem;
  entry?: EntryOutcome;
}

/**
 * Scans files one at a time, with one file host and one configuration resolver for all of them.
 * `scanned` holds every file of the whole scan (resolved), also when this scanner sees a part.
 */
export class FileScanner {
  private readonly maximumSize: number;
  readonly host: NodeFileHost;
  private readonly resolver: ConfigResolver;
  private readonly scanned: ReadonlySet<string>;
  /** What the rules said of each image, shared by the files of the run (bounded). */
  private readonly checkedImages = new CheckedImages();

  constructor(
    allFiles: readonly string[],
    private readonly options: ScanOptions,
  ) {
    this.maximumSize = options.maximumFileSize ?? defaultMaximumFileSize;
    const access = FileAccessPolicy.within(options.roots, allFiles);
    this.host = new NodeFileHost(this.maximumSize, undefined, access);
    this.resolver = new ConfigResolver(options.configFile, options.baseConfig, undefined, access);
    this.scanned = new Set(allFiles.map((file) => path.resolve(file)));
  }

  scan(file: string): FileOutcome {
    const outcome = readTextFile(file, this.maximumSize);
    if ('error' in outcome) return { file, readProblem: { file, message: outcome.error } };
    const kind = detectDocumentKind(file, outcome.text);
    if (kind === 'other') return { file };
    const loaded = this.resolver.configFor(file);
    const arm = armOptionsOf({ arm: { parameterFileMap: this.options.armParameterFileMap }, config: loaded.config });
    // A parameter file is covered when the template it pairs with is scanned too.
    if (kind === 'arm-parameters') {
      const template = pairedTemplateOf(file, this.host, arm?.parameterFileMap);
      if (template !== undefined && this.scanned.has(path.resolve(template))) return { file };
    }
    const catalog = this.resolver.catalogFor(loaded.config);
    const asOf = this.options.asOf ?? loaded.config.asOf ?? this.options.today;
    const result = analyzeDocument(file, outcome.text, this.host, {
      catalog: catalog.catalog,
      config: loaded.config,
      asOf,
      arm: { parameterFileMap: this.options.armParameterFileMap },
      checkedImages: this.checkedImages,
    });
    return {
      file,
      entry: {
        findings: result.findings,
        sites: result.sites,
        problems: result.problems,
        configurationProblems: [...loaded.problems, ...catalog.problems],
        asOf,
      },
    };
  }
}

/** Analyses files one after the other and merges the results. */
export function scanFiles(files: readonly string[], options: ScanOptions): ScanResult {
  const scanner = new FileScanner(files, options);
  return mergeOutcomes(
    files.map((file) => scanner.scan(file)),
    options,
    scanner.host,
  );
}

/**
 * Merges the outcomes of every file, given in the order of the files: problems reading files
 * first, then each entry's findings, images and problems, each counted once (the first entry that
 * reports it wins), except that the candidates every entry found at one image are merged. Sequential and parallel scans both end here, so their output is the same.
 */
export function mergeOutcomes(
  outcomes: readonly FileOutcome[],
  options: ScanOptions,
  host = new NodeFileHost(
    options.maximumFileSize ?? defaultMaximumFileSize,
    undefined,
    FileAccessPolicy.within(
      options.roots,
      outcomes.map((outcome) => outcome.file),
    ),
  ),
): ScanResult {
  const problems: Problem[] = [];
  const configurationProblems: Problem[] = [];
  const reportedConfigProblems = new Set<string>();
  const findings = new Map<string, Finding>();
  const images = new Map<string, ImageSite[]>();
  const entries: string[] = [];
  let asOf: string | undefined;
  for (const outcome of outcomes) if (outcome.readProblem) problems.push(outcome.readProblem);
  for (const { file, entry } of outcomes) {
    if (!entry) continue;
    entries.push(file);
    for (const problem of entry.configurationProblems) {
      const key = `${problem.file}\u0000${problem.message}`;
      if (!reportedConfigProblems.has(key)) {
        reportedConfigProblems.add(key);
        configurationProblems.push(problem);
      }
    }
    asOf ??= entry.asOf;
    problems.push(...entry.problems);
    for (const finding of entry.findings) {
      const key = `${finding.code}\u0000${finding.location.file}\u0000${finding.location.range.start}\u0000${finding.location.range.end}\u0000${finding.message}`;
      if (!findings.has(key)) findings.set(key, finding);
    }
    for (const site of entry.sites) {
      // Sites of two operating systems at one use (a registry module's Linux and Windows jump
      // boxes, both at the module's path) stay two.
      const key = `${site.use.file}\u0000${site.use.range.start}\u0000${site.use.range.end}\u0000${site.os ?? ''}`;
      const found = images.get(key);
      if (found) found.push(site);
      else images.set(key, [site]);
    }
  }
  return {
    files: entries,
    findings: [...findings.values()],
    // Every caller of a shared module (and a template and its `.bicepparam`) finds the same site:
    // one site with all their candidates, none lost.
    images: [...images.values()].map(mergeSites),
    problems: dedupeProblems(problems),
    configurationProblems,
    asOf: asOf ?? options.asOf ?? options.today,
    host,
  };
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
