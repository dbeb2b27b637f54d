/**
 * Names of files on both sides of the protocol. The client speaks URIs; the core and the Node
 * adapters speak '/'-separated paths. A `file:` URI becomes its path (with '/' separators even on
 * Windows); any other URI (an untitled buffer) is used as its own name, which the file host only
 * finds among open documents. Going back, the URI the client gave for an open document is reused
 * so that diagnostics land on exactly the document the client knows.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';

/** The file name the core uses for a URI. */
export function fileOfUri(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri).replace(/\\/g, '/');
  } catch {
    return uri;
  }
}

/** True for names that are paths on disk (not untitled buffers). */
export function isDiskFile(file: string): boolean {
  // A scheme has two or more characters, so a Windows drive letter ("C:") is not one.
  return !/^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(file);
}

/** A key that compares two names of the same file as equal. */
export function fileKey(file: string): string {
  const normalized = isDiskFile(file) ? path.resolve(file).replace(/\\/g, '/') : file;
  return caseInsensitive ? normalized.toLowerCase() : normalized;
}

/** Remembers the URIs of open documents and turns other files' names into `file:` URIs. */
export class UriMap {
  private readonly uris = new Map<string, string>();

  remember(uri: string): void {
    this.uris.set(fileKey(fileOfUri(uri)), uri);
  }

  forget(uri: string): void {
    this.uris.delete(fileKey(fileOfUri(uri)));
  }

  /** The URI of an open document, by file key. */
  openUri(key: string): string | undefined {
    return this.uris.get(key);
  }

  uriOf(file: string): string {
    const known = this.uris.get(fileKey(file));
    if (known) return known;
    if (!isDiskFile(file)) return file;
    return pathToFileURL(path.resolve(file)).href;
  }
}

/**
 * A short digest of a text: what a fix to a file that is not open remembers of the text its
 * offsets were computed on, so that it is never applied to another.
 */
export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url').slice(0, 27);
}
