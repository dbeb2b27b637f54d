/**
 * The one place that decides which files the analysis may read. A template, a module, a parameter
 * file or a configuration file can come from a pull request, and each can name other files
 * (`module '../../x.bicep'`, `loadJsonContent('/home/runner/creds.json')`, `"catalog":
 * "/etc/shadow"`): such a name is only followed inside the workspace root (the language server's
 * workspace folders; for the command line the current folder and the paths it was given), never
 * through a symbolic link that leads out of it, and never to a file over the size limit. Files the
 * user named themselves (the command line's arguments) are always read. A refused file reads as
 * missing, with a reason that names the file and never shows its content.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readTextFile, type ReadOutcome } from './textFile';

const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';

export class FileAccessPolicy {
  private readonly allowedFiles = new Set<string>();
  /** The real path of each root, found once (a root may itself be reached through a link). */
  private readonly realRoots = new Map<string, string>();

  /**
   * @param roots the folders files may be read from, asked at each read (workspace folders change).
   * @param allowedFiles files read wherever they are: the ones the user named.
   */
  constructor(
    private readonly roots: () => readonly string[],
    allowedFiles: Iterable<string> = [],
  ) {
    for (const file of allowedFiles) this.allowedFiles.add(comparable(path.resolve(file)));
  }

  /** A policy with fixed roots; without any, the current folder. */
  static within(roots: readonly string[] = [process.cwd()], allowedFiles: Iterable<string> = []): FileAccessPolicy {
    const resolved = [...new Set(roots.map((root) => path.resolve(root)))];
    return new FileAccessPolicy(() => resolved, allowedFiles);
  }

  /** True when a file or folder lies inside one of the roots by name (no link is followed). */
  isInsideRoots(file: string): boolean {
    const absolute = comparable(path.resolve(file));
    return this.roots().some((root) => isInside(absolute, comparable(path.resolve(root))));
  }

  /**
   * Where to read a file from (its real path), or why it must not be read. A file that does not
   * exist is not refused here: reading it fails with its own reason.
   */
  resolve(file: string): { path: string } | { refusal: string; reason: string } {
    const absolute = path.resolve(file);
    if (this.allowedFiles.has(comparable(absolute))) return { path: absolute };
    const roots = this.roots();
    const refuse = (reason: string) => ({ refusal: `${file}: not read: ${reason}.`, reason });
    if (roots.length === 0) return refuse('no workspace folder is open');
    if (!this.isInsideRoots(absolute)) return refuse(`it is outside the workspace (${roots.join(', ')})`);
    let real: string;
    try {
      real = fs.realpathSync(absolute);
    } catch {
      return { path: absolute };
    }
    const realComparable = comparable(real);
    if (!roots.some((root) => isInside(realComparable, comparable(this.realRootOf(root))))) {
      return refuse('it is a link to a file outside the workspace');
    }
    return { path: real };
  }

  /**
   * Reads a text file if the policy allows it, within the size limit. A refused file's outcome
   * says why in `refused` (a phrase: "it is outside the workspace (...)").
   */
  read(file: string, maximumSize: number): ReadOutcome & { refused?: string } {
    const where = this.resolve(file);
    if ('refusal' in where) return { error: where.refusal, refused: where.reason };
    const outcome = readTextFile(where.path, maximumSize);
    // Messages name the file as the caller did, never the place a link leads to.
    return 'error' in outcome && where.path !== file ? { error: outcome.error.split(where.path).join(file) } : outcome;
  }

  private realRootOf(root: string): string {
    let real = this.realRoots.get(root);
    if (real === undefined) {
      try {
        real = fs.realpathSync(path.resolve(root));
      } catch {
        real = path.resolve(root);
      }
      this.realRoots.set(root, real);
    }
    return real;
  }
}

function comparable(file: string): string {
  return caseInsensitive ? file.toLowerCase() : file;
}

function isInside(file: string, folder: string): boolean {
  if (file === folder) return true;
  const prefix = folder.endsWith(path.sep) ? folder : folder + path.sep;
  return file.startsWith(prefix);
}
