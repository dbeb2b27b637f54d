/**
 * A guard in front of the language server's standard input. JSON-RPC over a stream frames each
 * message with a `Content-Length` header; vscode-jsonrpc takes any number there, and a negative
 * or missing length leaves its reader reading garbage forever: a server that is alive but deaf.
 * The guard passes every byte through unchanged while following the frames, and at the first
 * header that is not `Content-Length: <digits>` (within bounds) it stops the input instead, with
 * one line saying why, so that the client sees the connection close and can start a new server.
 */
import { Transform, type TransformCallback } from 'node:stream';

/** The longest header block accepted (real ones are under a hundred bytes). */
const maximumHeaderLength = 8 * 1024;
/** The largest message accepted: far above any document a server is sent. */
const maximumContentLength = 1024 * 1024 * 1024;

export class FramingGuard extends Transform {
  /** Body bytes of the current message still to pass. */
  private remaining = 0;
  /** The header block read so far (ASCII), while between messages. */
  private header = '';
  private failed = false;

  /** @param onBadFrame told why the input was stopped, once. */
  constructor(private readonly onBadFrame: (reason: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.failed) {
      callback();
      return;
    }
    // Bodies pass at once; a header is held back until it is whole and checked.
    const passed: Buffer[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining > 0) {
        const taken = Math.min(this.remaining, chunk.length - offset);
        passed.push(chunk.subarray(offset, offset + taken));
        this.remaining -= taken;
        offset += taken;
        continue;
      }
      const end = chunk.indexOf('\r\n\r\n', offset, 'latin1');
      // The terminator may straddle two chunks: it is looked for in what was held back too.
      const joined = this.header + chunk.toString('latin1', offset, end < 0 ? chunk.length : end + 4);
      const terminator = joined.indexOf('\r\n\r\n');
      if (terminator < 0) {
        this.header = joined;
        if (this.header.length > maximumHeaderLength) return this.fail('a message header longer than 8 KB', passed, callback);
        break;
      }
      const consumed = terminator + 4 - this.header.length;
      const reason = this.checkHeader(joined.slice(0, terminator));
      if (reason !== undefined) return this.fail(reason, passed, callback);
      passed.push(Buffer.from(joined.slice(0, terminator + 4), 'latin1'));
      this.header = '';
      offset += consumed;
    }
    callback(null, Buffer.concat(passed));
  }

  /** Why a header block is not one the reader can follow, or undefined when it is. */
  private checkHeader(block: string): string | undefined {
    let length: string | undefined;
    for (const line of block.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon < 0) return 'a header line without a colon';
      if (line.slice(0, colon).trim().toLowerCase() === 'content-length') length = line.slice(colon + 1).trim();
    }
    if (length === undefined) return 'a message without a Content-Length header';
    if (!/^\d{1,10}$/.test(length) || Number(length) > maximumContentLength)
      return `a Content-Length that is not a byte count (${JSON.stringify(length.slice(0, 20))})`;
    this.remaining = Number(length);
    return undefined;
  }

  private fail(reason: string, passed: Buffer[], callback: TransformCallback): void {
    this.failed = true;
    this.onBadFrame(reason);
    // The messages before the bad frame are delivered; nothing of it is.
    callback(null, Buffer.concat(passed));
    // Ends the input: the connection closes as it does when the client goes away.
    this.push(null);
  }
}
