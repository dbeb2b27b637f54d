/**
 * The walk of a folder for templates, shared by the command line and the language server's
 * workspace scan. Nothing is skipped without a word: in CI a folder that cannot be read or a link
 * that is not followed would otherwise pass as "0 file(s) analysed". Each is a problem:
 *
 * - a folder that cannot be read (permissions, a name too long) is reported, and the walk goes on;
 * - a symbolic link (to a folder, or to a file with a template's extension) is followed when its
 *   real target lies inside the workspace (the roots of the file-access policy: for the command
 *   line the current folder, `--root` and the folders given; for the editor its workspace
 *   folders), and reported when it leads outside it or nowhere: a pull request must not make the
 *   linter read `/etc` or the runner's home through a link;
 * - a link to a file or folder the walk reaches anyway, or inside a folder it walked, is not
 *   followed: what it leads to is walked under its own path, or was skipped for a reason
 *   (`.gitignore`, `node_modules`) that a link must not undo. This also ends cycles (`loop ->
 *   ..`), and considers every real file once, under its own path when it has one (links are
 *   followed after the rest of the walk, in the order they were met).
 *
 * The walk runs in steps of a bounded number of entries (`step`), so that the language server can
 * answer requests between them and stop when the scan is cancelled; `collectFolder` runs it to the
 * end. The order of the files is that of a depth-first walk with each folder's entries sorted by
 * name, then what links add, in the order the links were met.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Problem } from '../core/model';
import { describeError } from './nodeFileHost';
import type { ScanFilter } from './gitignore';

export const scannedExtensions = ['.json', '.jsonc', '.bicep', '.bicepparam'];
const skippedFolders = new Set(['node_modules', '.git']);

/** The calls the walk makes, so that tests can make a folder unreadable even to root. */
export interface WalkFileSystem {
  readdir(folder: string): fs.Dirent[];
  realpath(file: string): string;
  stat(file: string): fs.Stats;
}

export const nodeWalkFileSystem: WalkFileSystem = {
  readdir: (folder) => fs.readdirSync(folder, { withFileTypes: true }),
  realpath: (file) => fs.realpathSync(file),
  stat: (file) => fs.statSync(file),
};

/** One folder being read: the name the walk gives it, where it really is, and its entries. */
interface Frame {
  name: string;
  /** Absolute path by the walk's names (what ignore rules see). */
  absolute: string;
  /** Its real path (the walk's root resolved, then the names below it). */
  real: string;
  filter?: ScanFilter;
  entries?: fs.Dirent[];
  next: number;
}

/** A link met during the walk, followed (or reported) once the rest is walked. */
interface PendingLink {
  name: string;
  absolute: string;
  filter?: ScanFilter;
}

export class FolderWalk {
  /** The files found, by the walk's names (under the folder as given). */
  readonly files: string[] = [];
  readonly problems: Problem[] = [];
  private readonly stack: Frame[] = [];
  private readonly links: PendingLink[] = [];
  private nextLink = 0;
  /** The real paths of the folders links may lead into. */
  private readonly realRoots: string[];
  /** Real paths of the folders and files already walked or listed. */
  private readonly walked = new Set<string>();

  /**
   * @param root the folder to walk, as the user gave it (files are named under it).
   * @param roots the workspace: links are followed into these folders only (the root is one).
   */
  constructor(
    private readonly root: string,
    private readonly roots: readonly string[],
    filter?: ScanFilter,
    private readonly fileSystem: WalkFileSystem = nodeWalkFileSystem,
  ) {
    const absolute = path.resolve(root);
    const real = this.realPathOf(absolute);
    this.realRoots = [real, ...roots.map((folder) => this.realPathOf(path.resolve(folder)))];
    this.stack.push({ name: root, absolute, real, filter, next: 0 });
  }

  private realPathOf(absolute: string): string {
    try {
      return this.fileSystem.realpath(absolute);
    } catch {
      return absolute;
    }
  }

  get done(): boolean {
    return this.stack.length === 0 && this.nextLink >= this.links.length;
  }

  /** Walks on for at most about `budget` entries; true when the walk is complete. */
  step(budget = Number.POSITIVE_INFINITY): boolean {
    let spent = 0;
    while (spent < budget) {
      const frame = this.stack[this.stack.length - 1];
      if (!frame) {
        if (this.nextLink >= this.links.length) return true;
        this.follow(this.links[this.nextLink++]);
        spent++;
        continue;
      }
      if (!frame.entries) {
        if (!this.open(frame)) {
          this.stack.pop();
          continue;
        }
      }
      const entries = frame.entries as fs.Dirent[];
      if (frame.next >= entries.length) {
        this.stack.pop();
        continue;
      }
      const entry = entries[frame.next++];
      spent++;
      this.visit(frame, entry);
    }
    return this.done;
  }

  /** Reads a folder's entries; false (with a problem) when it cannot be read. */
  private open(frame: Frame): boolean {
    this.walked.add(frame.real);
    try {
      frame.entries = this.fileSystem.readdir(frame.name);
    } catch (error) {
      this.problems.push({
        file: frame.name,
        message: `${frame.name}: the folder cannot be read (${describeError(error)}); the files in it were not analysed.`,
      });
      return false;
    }
    frame.entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // A folder's own `.gitignore` applies to what is inside it.
    frame.filter = frame.filter?.enter(frame.absolute);
    return true;
  }

  private visit(frame: Frame, entry: fs.Dirent): void {
    const name = path.join(frame.name, entry.name);
    const absolute = path.join(frame.absolute, entry.name);
    // Inside a folder reached through a link, a folder or file may have been walked already.
    const real = path.join(frame.real, entry.name);
    if (entry.isDirectory()) {
      if (skippedFolders.has(entry.name) || this.walked.has(real)) return;
      if (frame.filter?.ignores(absolute, true)) return;
      this.stack.push({ name, absolute, real, filter: frame.filter, next: 0 });
    } else if (entry.isFile()) {
      if (!hasScannedExtension(entry.name) || this.walked.has(real)) return;
      if (frame.filter?.ignores(absolute, false)) return;
      this.walked.add(real);
      this.files.push(name);
    } else if (entry.isSymbolicLink()) {
      if (skippedFolders.has(entry.name)) return;
      this.links.push({ name, absolute, filter: frame.filter });
    }
  }

  /** Follows a link that stays inside the root, or reports why it is not followed. */
  private follow(link: PendingLink): void {
    let real: string;
    let stat: fs.Stats;
    try {
      real = this.fileSystem.realpath(link.absolute);
      stat = this.fileSystem.stat(real);
    } catch (error) {
      // A link to nothing (or to a loop of links) matters only if it could be a template.
      if (hasScannedExtension(link.name)) {
        this.problems.push({
          file: link.name,
          message: `${link.name}: a symbolic link that leads nowhere (${describeError(error)}); not followed.`,
        });
      }
      return;
    }
    const folder = stat.isDirectory();
    if (!folder && !(stat.isFile() && hasScannedExtension(link.name))) return;
    if (link.filter?.ignores(link.absolute, folder)) return;
    if (this.covered(real)) return;
    if (!this.realRoots.some((root) => isInside(real, root))) {
      const folders = [...new Set([path.resolve(this.root), ...this.roots.map((folder) => path.resolve(folder))])];
      const workspace = folders
        .filter((folder) => !folders.some((other) => other !== folder && isInside(folder, other)))
        .join(', ');
      this.problems.push({
        file: link.name,
        message: `${link.name}: a symbolic link to a ${folder ? 'folder' : 'file'} outside the workspace (${workspace}); not followed.`,
      });
      return;
    }
    if (folder) this.stack.push({ name: link.name, absolute: link.absolute, real, filter: link.filter, next: 0 });
    else {
      this.walked.add(real);
      this.files.push(link.name);
    }
  }

  /** Whether a file or folder was walked, or lies inside a folder that was. */
  private covered(real: string): boolean {
    for (let folder = real; ;) {
      if (this.walked.has(folder)) return true;
      const parent = path.dirname(folder);
      if (parent === folder) return false;
      folder = parent;
    }
  }
}

/** Walks a folder to the end (the command line's way). */
export function collectFolder(
  folder: string,
  roots: readonly string[],
  filter?: ScanFilter,
  fileSystem?: WalkFileSystem,
): { files: string[]; problems: Problem[] } {
  const walk = new FolderWalk(folder, roots, filter, fileSystem);
  walk.step();
  return { files: walk.files, problems: walk.problems };
}

export function hasScannedExtension(name: string): boolean {
  const lower = name.toLowerCase();
  return scannedExtensions.some((extension) => lower.endsWith(extension));
}

function isInside(file: string, folder: string): boolean {
  if (file === folder) return true;
  const prefix = folder.endsWith(path.sep) ? folder : folder + path.sep;
  return file.startsWith(prefix);
}
