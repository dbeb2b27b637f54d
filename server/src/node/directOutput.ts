/**
 * The command's output, written straight to its file descriptor when that is a pipe or a file.
 *
 * `process.stdout` and `process.stderr` are streams that Node builds on first use: for a pipe, a
 * socket with the stream modules behind it, which a run on one template pays for at each start (a
 * few milliseconds of a cold start of about 20 above Node's own; BENCHMARKS.md). The command
 * writes a handful of whole strings, so a synchronous write of each does the same job. A terminal
 * (any character device: `node:tty` alone would load the stream modules) keeps Node's stream,
 * which writes Unicode to a Windows console correctly. A pipe that another program made
 * non-blocking (`EAGAIN`) hands the rest to Node's stream, which waits for it. A reader that went
 * away (`EPIPE`, as with `| head`) ends the output quietly, not with a stack trace. Any other
 * failure (`ENOSPC` on a full disk or `/dev/full`, `EIO`) ends the output and goes to `onError`,
 * which the command turns into one line on stderr and exit status 2.
 */
import * as fs from 'node:fs';

/** What the writer needs of Node's stream. */
export interface OutputStream {
  write(chunk: string | Uint8Array): unknown;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
}

export type WriteSync = (fd: number, buffer: Uint8Array, offset: number) => number;

/**
 * A writer of text to `fd`. `stream` gives Node's stream for the same descriptor, asked for only
 * when it is needed; `isTerminal` and `writeSync` are Node's unless a test gives its own. A write
 * that fails for another reason than a reader gone ends the output and is given to `onError`
 * (once), or thrown when there is none.
 */
export function directWriter(
  fd: number,
  stream: () => OutputStream,
  isTerminal: (fd: number) => boolean = isCharacterDevice,
  writeSync: WriteSync = (descriptor, buffer, offset) => fs.writeSync(descriptor, buffer, offset),
  onError?: (error: NodeJS.ErrnoException) => void,
): (text: string) => void {
  let closed = false;
  const fail = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || onError) {
      const first = !closed;
      closed = true;
      if (error.code !== 'EPIPE' && first) onError?.(error);
      return;
    }
    throw error;
  };
  const openStream = () => {
    const opened = stream();
    opened.on('error', fail);
    return opened;
  };
  let fallback = isTerminal(fd) ? openStream() : undefined;
  return (text) => {
    if (closed) return;
    if (fallback) {
      // Node's stream for a file or character device writes synchronously and may throw here.
      try {
        fallback.write(text);
      } catch (error) {
        fail(error as NodeJS.ErrnoException);
      }
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    let offset = 0;
    while (offset < bytes.length) {
      try {
        offset += writeSync(fd, bytes, offset);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          fallback = openStream();
          fallback.write(bytes.subarray(offset));
          return;
        }
        fail(error as NodeJS.ErrnoException);
        return;
      }
    }
  };
}

/** A terminal, or another character device; a descriptor that cannot be looked at counts as one. */
function isCharacterDevice(fd: number): boolean {
  try {
    return fs.fstatSync(fd).isCharacterDevice();
  } catch {
    return true;
  }
}
