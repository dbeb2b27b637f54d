/**
 * What a folder scan skips: the files and folders that `.gitignore` files ignore, as git decides
 * (gitignore(5): blank lines and `#` comments, `!` negation, a trailing `/` for folders only, a
 * `/` at the start or in the middle anchoring a pattern to its file's folder, `*`, `?`, `[...]`
 * and `**`, nested `.gitignore` files overriding those above them, `.git/info/exclude` under
 * them all), and the `--exclude` patterns of the command line, written the same way, relative to
 * the current folder and over everything else. A scan never descends into an ignored folder, so
 * as in git a file inside one cannot be brought back by a negated pattern.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileGlob, matchesGlob, type GlobMatcher } from './globMatcher';

/** One pattern line, compiled. */
export interface IgnoreRule {
  /** The line as written, for messages and tests. */
  pattern: string;
  negated: boolean;
  directoryOnly: boolean;
  /** Whether the pattern is tied to its file's folder, rather than matching a name at any depth. */
  anchored: boolean;
  /** Matches a path relative to the folder of the rule's file, written with `/`, in linear time. */
  matcher: GlobMatcher;
}

/** The rules of one file, and the folder (absolute) their paths are relative to. */
export interface IgnoreSource {
  folder: string;
  rules: IgnoreRule[];
}

/** Compiles the lines of a `.gitignore` file; comments, blank and invalid lines give no rule. */
export function parseIgnorePatterns(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const rule = compileIgnorePattern(line);
    if (rule) rules.push(rule);
  }
  return rules;
}

/** Compiles one pattern line, or gives undefined for a comment, a blank line or a bare `!`. */
export function compileIgnorePattern(line: string): IgnoreRule | undefined {
  if (line.startsWith('#')) return undefined;
  let pattern = trimTrailingSpaces(line);
  let negated = false;
  if (pattern.startsWith('!')) {
    negated = true;
    pattern = pattern.slice(1);
  }
  let directoryOnly = false;
  if (pattern.endsWith('/') && !pattern.endsWith('\\/')) {
    directoryOnly = true;
    pattern = pattern.replace(/\/+$/, '');
  }
  if (pattern === '') return undefined;
  // A separator at the start or in the middle ties the pattern to its file's folder; otherwise
  // it matches a name at any depth below it.
  const anchored = pattern.includes('/');
  if (pattern.startsWith('/')) pattern = pattern.slice(1);
  return { pattern: line, negated, directoryOnly, anchored, matcher: compileGlob(pattern, anchored) };
}

/** Trailing spaces are dropped unless escaped with a backslash. */
function trimTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && line[end - 1] === ' ' && !(end > 1 && line[end - 2] === '\\')) end--;
  return line.slice(0, end);
}

/** The nearest folder at or above `folder` (absolute) with a `.git` entry, or undefined. */
export function findRepositoryRoot(folder: string): string | undefined {
  let current = path.resolve(folder);
  for (;;) {
    if (fs.existsSync(path.join(current, '.git'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/**
 * Decides what a walk skips. Sources are kept from the outermost folder in, so that the last rule
 * that matches a path, in a deeper file or later in the same file, decides, as in git.
 */
export class ScanFilter {
  private constructor(
    private readonly gitignores: readonly IgnoreSource[],
    private readonly excludes: IgnoreSource | undefined,
    private readonly readGitignores: boolean,
  ) {}

  /**
   * The filter for a walk of `folder`: with `useGitignore`, the rules of `.git/info/exclude` and
   * of the `.gitignore` files from the repository's root down to the folder's parent (the walk
   * reads the folder's own, and those below it); `exclude` patterns are relative to `cwd`.
   */
  static forWalk(folder: string, options: { useGitignore: boolean; exclude: readonly string[]; cwd: string }): ScanFilter {
    const excludeRules = options.exclude.map((pattern) => compileIgnorePattern(pattern)).filter((rule) => rule !== undefined);
    const excludes = excludeRules.length > 0 ? { folder: path.resolve(options.cwd), rules: excludeRules } : undefined;
    const gitignores: IgnoreSource[] = [];
    if (options.useGitignore) {
      const start = path.resolve(folder);
      const repository = findRepositoryRoot(start);
      if (repository !== undefined) {
        const exclude = readRules(path.join(gitDirectory(repository) ?? path.join(repository, '.git'), 'info', 'exclude'));
        if (exclude.length > 0) gitignores.push({ folder: repository, rules: exclude });
        const between = path.relative(repository, path.dirname(start));
        let current = repository;
        if (start !== repository) {
          addGitignore(gitignores, current);
          for (const name of between === '' ? [] : between.split(path.sep)) {
            current = path.join(current, name);
            addGitignore(gitignores, current);
          }
        }
      }
    }
    return new ScanFilter(gitignores, excludes, options.useGitignore);
  }

  /** The filter inside `folder` (absolute), with its `.gitignore` file if it has one. */
  enter(folder: string): ScanFilter {
    if (!this.readGitignores) return this;
    const own = readRules(path.join(folder, '.gitignore'));
    return own.length === 0 ? this : new ScanFilter([...this.gitignores, { folder, rules: own }], this.excludes, true);
  }

  /** Whether a walk skips `file` (absolute). */
  ignores(file: string, isDirectory: boolean): boolean {
    let ignored = false;
    for (const source of this.gitignores) ignored = decide(source, file, isDirectory, ignored);
    if (this.excludes) ignored = decide(this.excludes, file, isDirectory, ignored);
    return ignored;
  }
}

function decide(source: IgnoreSource, file: string, isDirectory: boolean, ignored: boolean): boolean {
  const relative = path.relative(source.folder, file);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    // A pattern cannot anchor outside its folder, but a name pattern still matches a name.
    const name = path.basename(file);
    for (const rule of source.rules) {
      if (rule.anchored || (rule.directoryOnly && !isDirectory)) continue;
      if (matchesGlob(rule.matcher, name)) ignored = !rule.negated;
    }
    return ignored;
  }
  const slashed = path.sep === '/' ? relative : relative.split(path.sep).join('/');
  for (const rule of source.rules) {
    if (rule.directoryOnly && !isDirectory) continue;
    if (matchesGlob(rule.matcher, slashed)) ignored = !rule.negated;
  }
  return ignored;
}

function addGitignore(sources: IgnoreSource[], folder: string): void {
  const rules = readRules(path.join(folder, '.gitignore'));
  if (rules.length > 0) sources.push({ folder, rules });
}

function readRules(file: string): IgnoreRule[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return parseIgnorePatterns(text);
}

/**
 * The repository's git folder: `.git` itself, or for a linked worktree or a submodule, where its
 * `.git` file points (`gitdir: ...`), and then the folder they share (`commondir`), which holds
 * `info/exclude`.
 */
function gitDirectory(repository: string): string | undefined {
  const dotGit = path.join(repository, '.git');
  try {
    if (fs.statSync(dotGit).isDirectory()) return dotGit;
    const pointer = /^gitdir:\s*(.+?)\s*$/m.exec(fs.readFileSync(dotGit, 'utf8'));
    if (!pointer) return undefined;
    const gitDir = path.resolve(repository, pointer[1]);
    try {
      return path.resolve(gitDir, fs.readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim());
    } catch {
      return gitDir;
    }
  } catch {
    return undefined;
  }
}
