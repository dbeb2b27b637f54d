/**
 * Reading one text file from disk: the size limit and the decoding (UTF-8, or UTF-16 LE/BE after a
 * BOM). The file-access policy (`fileAccess.ts`) and the file host (`nodeFileHost.ts`) both read
 * through it.
 */
import * as fs from 'node:fs';

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
