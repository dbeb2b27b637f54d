/**
 * The file host the CLI and the language server give the core: reads files from disk (the server
 * layers open documents on top) through the file-access policy (`fileAccess.ts`: inside the
 * workspace root, no link out of it, within the size limit), caches what it read, and decodes
 * UTF-8 and UTF-16 (with BOM) text. The core never touches the file system itself.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileHost } from '../core/model';
import { FileAccessPolicy } from './fileAccess';
import { defaultMaximumFileSize, type ReadOutcome } from './textFile';

export { defaultMaximumFileSize, decodeText, describeError, formatSize, readTextFile, type ReadOutcome } from './textFile';

/**
 * A caching disk host; `overlay` supplies text that wins over the disk (open editor buffers).
 * Folder listings are cached too: every read of a template looks for its parameter files, which
 * the language server does at each keystroke.
 */
export class NodeFileHost implements FileHost {
  private readonly cache = new Map<string, { outcome: ReadOutcome & { refused?: string }; stamp: string }>();
  private readonly folders = new Map<string, string[]>();
  readonly access: FileAccessPolicy;

  /**
   * @param access which files may be read; by default those inside the current folder
   *   (`FileAccessPolicy.within`). The command line and the server pass their own roots.
   */
  constructor(
    private readonly maximumSize = defaultMaximumFileSize,
    private readonly overlay?: (file: string) => string | undefined,
    access?: FileAccessPolicy,
  ) {
    this.access = access ?? FileAccessPolicy.within();
  }

  readFile(file: string): string | undefined {
    const open = this.overlay?.(file);
    if (open !== undefined) return open;
    const outcome = this.read(file);
    return 'text' in outcome ? outcome.text : undefined;
  }

  /** Why the file-access policy refuses a file ("it is outside the workspace (...)"), if it does. */
  refusalOf(file: string): string | undefined {
    if (this.overlay?.(file) !== undefined) return undefined;
    return this.read(file).refused;
  }

  /**
   * A cached read is used only while the file has the same modification time and size: a file
   * can change on disk without the editor saying so (another program, a `git checkout`).
   */
  private read(file: string): ReadOutcome & { refused?: string } {
    const stamp = stampOf(file);
    const cached = this.cache.get(file);
    if (cached && cached.stamp === stamp) return cached.outcome;
    const outcome = this.access.read(file, this.maximumSize);
    this.cache.set(file, { outcome, stamp });
    return outcome;
  }

  absolutePath(file: string): string {
    return path.resolve(file).replace(/\\/g, '/');
  }

  listFolder(folder: string): readonly string[] {
    let names = this.folders.get(folder);
    if (!names) {
      try {
        // A folder outside the workspace is not looked into, as its files are not read.
        names = this.access.isInsideRoots(folder === '' ? '.' : folder) ? fs.readdirSync(folder === '' ? '.' : folder) : [];
      } catch {
        names = [];
      }
      this.folders.set(folder, names);
    }
    return names;
  }

  /**
   * Forgets cached files (all, or one changed file). Any change may be a file created or
   * deleted, and folders are named as callers spelled them: every listing is forgotten.
   */
  forget(file?: string): void {
    if (file === undefined) this.cache.clear();
    else this.cache.delete(file);
    this.folders.clear();
  }
}

/** What tells two versions of a file apart cheaply: its modification time and size. */
function stampOf(file: string): string {
  try {
    const stat = fs.statSync(file, { bigint: true });
    return `${stat.mtimeNs}:${stat.size}`;
  } catch {
    return 'missing';
  }
}
