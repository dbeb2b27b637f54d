/**
 * The command writes its output straight to the descriptor: every byte in order through partial
 * writes, the rest to Node's stream when a pipe is non-blocking, a terminal through Node's stream
 * from the start, and nothing more, without a stack trace, when the reader goes away (`| head`).
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { directWriter, type OutputStream, type WriteSync } from '../../../server/out/node/directOutput';
import { repositoryRoot } from '../harness/fixtures';

/** A stand-in for Node's stream that records what it was given and keeps its error listener. */
function recordingStream() {
  const written: string[] = [];
  let onError: ((error: NodeJS.ErrnoException) => void) | undefined;
  let opened = 0;
  const stream: OutputStream = {
    write: (chunk) => written.push(Buffer.from(chunk).toString('utf8')),
    on: (_event, listener) => (onError = listener),
  };
  return {
    open: () => {
      opened++;
      return stream;
    },
    written,
    opened: () => opened,
    fail: (code: string) => onError?.(Object.assign(new Error(code), { code })),
  };
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`write ${code}`), { code });
}

/** A `writeSync` that takes at most `chunk` bytes per call and records them; `fail` decides a call's error. */
function recordingWrites(chunk: number, fail: (call: number) => string | undefined = () => undefined) {
  const bytes: number[] = [];
  let calls = 0;
  const writeSync: WriteSync = (_fd, buffer, offset) => {
    const code = fail(calls++);
    if (code) throw errno(code);
    const taken = buffer.subarray(offset, offset + chunk);
    bytes.push(...taken);
    return taken.length;
  };
  return { writeSync, text: () => Buffer.from(bytes).toString('utf8') };
}

const notTerminal = () => false;

describe('direct output', () => {
  test('writes every byte, in order, when the descriptor takes a few bytes at a time', () => {
    const stream = recordingStream();
    const writes = recordingWrites(3);
    const write = directWriter(1, stream.open, notTerminal, writes.writeSync);
    write('Ubuntu 18.04 → 24.04\n');
    write('second line\n');
    assert.equal(writes.text(), 'Ubuntu 18.04 → 24.04\nsecond line\n');
    assert.equal(stream.opened(), 0);
  });

  test('hands the rest to the stream when the pipe would block, and keeps using it', () => {
    const stream = recordingStream();
    const writes = recordingWrites(4, (call) => (call === 2 ? 'EAGAIN' : undefined));
    const write = directWriter(1, stream.open, notTerminal, writes.writeSync);
    write('abcdefghijkl');
    write('mn');
    assert.equal(writes.text(), 'abcdefgh');
    assert.deepEqual(stream.written, ['ijkl', 'mn']);
    assert.equal(stream.opened(), 1);
  });

  test('writes to a terminal through the stream only', () => {
    const stream = recordingStream();
    const writes = recordingWrites(100);
    const write = directWriter(1, stream.open, () => true, writes.writeSync);
    write('to the terminal\n');
    assert.equal(writes.text(), '');
    assert.deepEqual(stream.written, ['to the terminal\n']);
  });

  test('stops quietly when the reader has gone, directly or through the stream', () => {
    const direct = recordingWrites(2, (call) => (call === 1 ? 'EPIPE' : undefined));
    const stream = recordingStream();
    const write = directWriter(1, stream.open, notTerminal, direct.writeSync);
    write('abcdef');
    write('ghi');
    assert.equal(direct.text(), 'ab');
    assert.equal(stream.opened(), 0);

    const terminal = recordingStream();
    const toTerminal = directWriter(1, terminal.open, () => true);
    toTerminal('one');
    terminal.fail('EPIPE');
    toTerminal('two');
    assert.deepEqual(terminal.written, ['one']);
  });

  test('passes on any other error', () => {
    const stream = recordingStream();
    const write = directWriter(1, stream.open, notTerminal, recordingWrites(10, () => 'EIO').writeSync);
    assert.throws(() => write('text'), { code: 'EIO' });
    const terminal = recordingStream();
    directWriter(1, terminal.open, () => true);
    assert.throws(() => terminal.fail('EBADF'), { code: 'EBADF' });
  });

  test('gives any other error to onError once and writes nothing more, directly or through the stream', () => {
    const errors: string[] = [];
    const direct = recordingWrites(2, (call) => (call === 1 ? 'ENOSPC' : undefined));
    const write = directWriter(1, recordingStream().open, notTerminal, direct.writeSync, (error) => errors.push(error.code!));
    write('abcdef');
    write('ghi');
    assert.equal(direct.text(), 'ab');
    assert.deepEqual(errors, ['ENOSPC']);

    const terminal = recordingStream();
    const toTerminal = directWriter(
      1,
      terminal.open,
      () => true,
      undefined,
      (error) => errors.push(error.code!),
    );
    toTerminal('one');
    terminal.fail('EIO');
    terminal.fail('EIO');
    toTerminal('two');
    assert.deepEqual(terminal.written, ['one']);
    assert.deepEqual(errors, ['ENOSPC', 'EIO']);
  });

  test(
    'the command says in one line that it cannot write to a full device, and exits 2',
    { skip: !fs.existsSync('/dev/full') },
    () => {
      const full = fs.openSync('/dev/full', 'w');
      try {
        const result = spawnSync(
          process.execPath,
          [path.join(repositoryRoot, 'server', 'out', 'cli.js'), '--as-of', '2026-11-22', path.join(repositoryRoot, 'examples')],
          { stdio: ['ignore', full, 'pipe'], encoding: 'utf8' },
        );
        assert.equal(result.status, 2, result.stderr);
        assert.deepEqual(
          result.stderr.split('\n').filter((line) => line.startsWith('azure-image-lint:') || /^\s+at /.test(line)),
          ['azure-image-lint: cannot write the output (ENOSPC).'],
        );
      } finally {
        fs.closeSync(full);
      }
    },
  );

  test('the command stops writing without a stack trace when its reader closes early', async () => {
    // 200 templates with findings make megabytes of JSON: far more than a pipe holds, so the
    // command is still writing when the reader closes after its first chunk.
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-pipe-'));
    try {
      const template = fs.readFileSync(path.join(repositoryRoot, 'examples', 'arm', 'azuredeploy.json'));
      for (let index = 0; index < 200; index++) fs.writeFileSync(path.join(folder, `vm${index}.json`), template);
      const child = spawn(
        process.execPath,
        [path.join(repositoryRoot, 'server', 'out', 'cli.js'), '--as-of', '2026-11-22', '--format', 'json', folder],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let received = 0;
      let stderr = '';
      child.stdout.once('data', (chunk: Buffer) => {
        received = chunk.length;
        child.stdout.destroy();
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      assert.ok(received > 0);
      assert.equal(stderr, '');
      assert.equal(status, 1);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
