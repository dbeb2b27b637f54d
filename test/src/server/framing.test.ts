/**
 * A malformed frame on the server's standard input (`Content-Length: -5`, no length at all)
 * closes the connection with one line saying why, instead of leaving a server that is alive but
 * answers nothing. Well-formed input passes the guard byte for byte, however it is cut into chunks.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { FramingGuard } from '../../../server/out/server/framing';
import { serverModule, withTimeout } from './lspClient';

function frame(body: string): string {
  return `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`;
}

/** What the guard lets through when given `input` in chunks of `size` bytes, and why it stopped. */
async function through(input: string, size: number): Promise<{ output: string; reasons: string[] }> {
  const reasons: string[] = [];
  const guard = new FramingGuard((reason) => reasons.push(reason));
  const chunks: Buffer[] = [];
  guard.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve) => guard.on('end', resolve));
  const bytes = Buffer.from(input, 'utf8');
  for (let offset = 0; offset < bytes.length; offset += size) guard.write(bytes.subarray(offset, offset + size));
  guard.end();
  await ended;
  return { output: Buffer.concat(chunks).toString('utf8'), reasons };
}

describe('message framing', () => {
  test('passes well-formed messages through unchanged, in any chunks', async () => {
    const input = frame('{"jsonrpc":"2.0","method":"a","params":"Ubuntu → 24.04"}') + frame('{}') + frame('{"x":"\\r\\n\\r\\n"}');
    for (const size of [1, 2, 3, 7, 64, input.length]) {
      assert.deepEqual(await through(input, size), { output: input, reasons: [] }, `chunks of ${size}`);
    }
  });

  test('stops at a negative, missing or huge Content-Length, passing nothing of that frame', async () => {
    const good = frame('{}');
    assert.deepEqual(await through(`${good}Content-Length: -5\r\n\r\n{}${good}`, 5), {
      output: good,
      reasons: ['a Content-Length that is not a byte count ("-5")'],
    });
    assert.deepEqual((await through('Content-Type: x\r\n\r\n{}', 64)).reasons, ['a message without a Content-Length header']);
    assert.deepEqual((await through('Content-Length: 99999999999\r\n\r\n', 64)).reasons, [
      'a Content-Length that is not a byte count ("99999999999")',
    ]);
    assert.deepEqual((await through('x'.repeat(9000), 1000)).reasons, ['a message header longer than 8 KB']);
  });

  test('the server closes the connection at Content-Length: -5, with one line saying why', async () => {
    const child = spawn(process.execPath, [serverModule, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.stdin.write(
      frame(
        JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { processId: null, rootUri: null, capabilities: {} },
        }),
      ),
    );
    child.stdin.write('Content-Length: -5\r\n\r\n{}');
    try {
      const code = await withTimeout(exited, 10_000, 'the server closing the connection');
      assert.equal(code, 1);
      assert.equal(
        stderr,
        'Azure Image Lint: the connection is closed: the client sent a Content-Length that is not a byte count ("-5").\n',
      );
    } finally {
      child.kill();
    }
  });
});
