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

/** Files larger than this are not analysed (10 MB), unless configured otherwise. */
export const defaultMaximumFileSize = 10 * 1024 * 1024;

export type ReadOutcome = { text: string } | { error: string };

/** Reads a text file: UTF-8 (BOM kept as U+FEFF), or UTF-16 LE/BE when it starts with a BOM. */
export function readTextFile(file: string, maximumSize = defaultMaximumFileSize): ReadOutcome {
  let size: number;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return { error: `${file}: not a file.` };
    size = stat.size;
  } catch (error) {
    return { error: `${file}: cannot be read (${describeError(error)}).` };
  }
  if (size > maximumSize) {
    return {
      error: `${file}: the file is ${formatSize(size)}, larger than the ${formatSize(maximumSize)} limit, and was not analysed.`,
    };
  }
  try {
    return { text: decodeText(fs.readFileSync(file)) };
  } catch (error) {
    return { error: `${file}: cannot be read (${describeError(error)}).` };
  }
}

export function decodeText(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    // Node only decodes little-endian UTF-16: swap each pair (an odd trailing byte is dropped).
    const body = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
    return body.swap16().toString('utf16le');
  }
  return bytes.toString('utf8');
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

export function describeError(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error) return String((error as { code: unknown }).code);
  return error instanceof Error ? error.message : String(error);
}

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
