/**
 * Language-server benchmarks over a real stdio connection: the time from a `didChange` to the
 * `publishDiagnostics` that reflects it while a burst of small edits arrives at typing speed, and
 * the peak memory of the server process with many open documents. A typing burst types one
 * character after another at one place: in a value the analysis never reads (a tag), whose
 * findings the server moves with the text, or in an image's SKU, which needs a new analysis per
 * keystroke. The memory loop inserts a line break near the top of each document in turn.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';
import { percentile } from './measure';

/** The Node options the VS Code client starts the server with (client/src/extension.ts). */
export const clientExecArgv = ['--max-semi-space-size=2'];

export interface LatencyResult {
  p50: number;
  p95: number;
  edits: number;
}

class BenchClient {
  private readonly waiters: ((params: PublishDiagnosticsParams) => void)[] = [];
  readonly published: { params: PublishDiagnosticsParams; at: number }[] = [];

  private constructor(
    readonly connection: MessageConnection,
    readonly child: ChildProcess,
  ) {}

  static async start(serverModule: string, validationDelay: number): Promise<BenchClient> {
    const child = spawn(process.execPath, [...clientExecArgv, serverModule, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new BenchClient(connection, child);
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      client.published.push({ params, at: performance.now() });
      for (const waiter of client.waiters.splice(0)) waiter(params);
    });
    connection.onRequest('workspace/configuration', (params: { items: unknown[] }) =>
      params.items.map(() => ({ asOf: '2026-01-01' })),
    );
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.listen();
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: { configuration: true },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } },
      },
      workspaceFolders: null,
      initializationOptions: { validationDelay, settings: { asOf: '2026-01-01' } },
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  /** Resolves when diagnostics for `uri` with at least `version` are published. */
  waitFor(uri: string, version: number, timeout = 120_000): Promise<number> {
    const done = this.published.find((entry) => entry.params.uri === uri && (entry.params.version ?? 0) >= version);
    if (done) return Promise.resolve(done.at);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version}`)), timeout);
      const listen = (params: PublishDiagnosticsParams): void => {
        if (params.uri === uri && (params.version ?? 0) >= version) {
          clearTimeout(timer);
          resolve(performance.now());
        } else this.waiters.push(listen);
      };
      this.waiters.push(listen);
    });
  }

  async open(uri: string, text: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'json', version: 1, text },
    });
  }

  async insertAt(uri: string, version: number, position: { line: number; character: number }, text: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: position, end: position }, text }],
    });
  }

  async insertLineBreak(uri: string, version: number): Promise<void> {
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line: 0, character: 1 }, end: { line: 0, character: 1 } }, text: '\n' }],
    });
  }

  /** The peak resident memory of the server process so far, in MB (Linux). */
  peakMemory(): number {
    const status = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const peak = /VmHWM:\s+(\d+) kB/.exec(status);
    return peak ? Number(peak[1]) / 1024 : NaN;
  }

  currentMemory(): number {
    const status = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const current = /VmRSS:\s+(\d+) kB/.exec(status);
    return current ? Number(current[1]) / 1024 : NaN;
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // The server may already be gone; the process is ended below either way.
    }
    this.connection.dispose();
    this.child.kill();
  }
}

const wait = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/**
 * Opens one document, then types `edits` characters `interval` ms apart at `offset` (each after
 * the one before) and measures, for each, the time until diagnostics of its version or a later
 * one arrive.
 */
export async function measureTypingLatency(
  serverModule: string,
  text: string,
  offset: number,
  edits: number,
  interval: number,
): Promise<LatencyResult> {
  const client = await BenchClient.start(serverModule, 0);
  try {
    const uri = 'file:///bench/typing/azuredeploy.json';
    await client.open(uri, text);
    await client.waitFor(uri, 1);
    const before = text.slice(0, offset);
    const line = before.split('\n').length - 1;
    const character = offset - (before.lastIndexOf('\n') + 1);
    const sent: number[] = [];
    const arrivals: Promise<number>[] = [];
    for (let version = 2; version < edits + 2; version++) {
      sent.push(performance.now());
      arrivals.push(client.waitFor(uri, version));
      await client.insertAt(uri, version, { line, character: character + version - 2 }, 'x');
      await wait(interval);
    }
    const received = await Promise.all(arrivals);
    const latencies = received.map((at, index) => at - sent[index]).sort((a, b) => a - b);
    return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), edits };
  } finally {
    await client.stop();
  }
}

export interface MemoryResult {
  documents: number;
  peakMegabytes: number;
  /** Resident memory after the first and the last round of the edit loop. */
  loopStartMegabytes: number;
  loopEndMegabytes: number;
  /**
   * Growth once the heap has reached its working size: the largest resident memory seen in the
   * last quarter of the loop minus the largest seen in its second quarter.
   */
  settledGrowthMegabytes: number;
  rounds: number;
  loopSeconds: number;
}

/** Opens every document, then edits them in turn for `loopSeconds`, and reads the server's memory. */
export async function measureServerMemory(
  serverModule: string,
  documents: readonly { name: string; text: string }[],
  loopSeconds: number,
): Promise<MemoryResult> {
  const client = await BenchClient.start(serverModule, 0);
  try {
    const uris = documents.map((document, index) => `file:///bench/memory/${index}/${document.name}`);
    for (let index = 0; index < documents.length; index++) await client.open(uris[index], documents[index].text);
    for (const uri of uris) await client.waitFor(uri, 1).catch(() => undefined);
    const versions = uris.map(() => 1);
    const end = performance.now() + loopSeconds * 1000;
    let loopStart = NaN;
    let round = 0;
    const start = performance.now();
    const samples: { at: number; megabytes: number }[] = [];
    while (performance.now() < end || round === 0) {
      for (let index = 0; index < uris.length; index++) {
        versions[index]++;
        await client.insertLineBreak(uris[index], versions[index]);
        await client.waitFor(uris[index], versions[index], 30_000).catch(() => undefined);
      }
      const megabytes = client.currentMemory();
      samples.push({ at: (performance.now() - start) / (loopSeconds * 1000), megabytes });
      if (round === 0) loopStart = megabytes;
      round++;
    }
    const largest = (from: number, to: number) =>
      Math.max(...samples.filter((sample) => sample.at >= from && sample.at < to).map((sample) => sample.megabytes));
    return {
      documents: documents.length,
      peakMegabytes: client.peakMemory(),
      loopStartMegabytes: loopStart,
      loopEndMegabytes: client.currentMemory(),
      settledGrowthMegabytes: largest(0.75, Infinity) - largest(0.25, 0.5),
      rounds: round,
      loopSeconds,
    };
  } finally {
    await client.stop();
  }
}

export interface EditorRequestResult {
  /** Milliseconds per request, sorted. */
  hover: number[];
  completion: number[];
  /** The documentation of the completion's first item, asked as the editor asks it for the item it shows. */
  resolve: number[];
  /**
   * The same requests, each on another value (`spreadOffsets`, in turn): a question the server
   * has not answered at that place yet, asked of the worker that holds the read.
   */
  spreadHover: number[];
  spreadCompletion: number[];
  /** A hover on a document that is not open: the connection's own round trip, taken in turns with the others. */
  roundTrip: number[];
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
}

/**
 * Opens one document and, once its first diagnostics are published, asks `requests` hovers at
 * `hoverOffset` and completions at `completionOffset`, one at a time, each followed by a hover
 * on a document that is not open (the baseline: what the connection costs, with the same load);
 * then as many of each at `spreadOffsets` in turn, one value after the other.
 */
export async function measureEditorRequests(
  serverModule: string,
  text: string,
  hoverOffset: number,
  completionOffset: number,
  requests: number,
  spreadOffsets: readonly number[] = [],
): Promise<EditorRequestResult> {
  const client = await BenchClient.start(serverModule, 0);
  try {
    const uri = 'file:///bench/editor/azuredeploy.json';
    await client.open(uri, text);
    await client.waitFor(uri, 1);
    let answer: unknown;
    const timed = async (method: string, target: string, offset: number): Promise<number> => {
      const start = performance.now();
      answer = await client.connection.sendRequest(method, { textDocument: { uri: target }, position: positionAt(text, offset) });
      return performance.now() - start;
    };
    const timedResolve = async (): Promise<number> => {
      const item = (answer as { data?: unknown }[]).find((proposal) => proposal.data !== undefined);
      if (!item) throw new Error('the completion proposed no item to resolve');
      const start = performance.now();
      await client.connection.sendRequest('completionItem/resolve', item);
      return performance.now() - start;
    };
    const result: EditorRequestResult = {
      hover: [],
      completion: [],
      resolve: [],
      spreadHover: [],
      spreadCompletion: [],
      roundTrip: [],
    };
    // A few untimed requests first, as the other rows warm up: the first answers compile code.
    for (let index = 0; index < 5; index++) {
      await timed('textDocument/hover', uri, hoverOffset);
      await timed('textDocument/completion', uri, completionOffset);
    }
    for (let index = 0; index < requests; index++) {
      result.hover.push(await timed('textDocument/hover', uri, hoverOffset));
      result.roundTrip.push(await timed('textDocument/hover', 'file:///bench/editor/not-open.json', 0));
      result.completion.push(await timed('textDocument/completion', uri, completionOffset));
      result.resolve.push(await timedResolve());
    }
    for (let index = 0; index < (spreadOffsets.length > 0 ? requests : 0); index++) {
      const offset = spreadOffsets[index % spreadOffsets.length];
      result.spreadHover.push(await timed('textDocument/hover', uri, offset));
      result.spreadCompletion.push(await timed('textDocument/completion', uri, offset));
    }
    for (const samples of [
      result.hover,
      result.completion,
      result.resolve,
      result.spreadHover,
      result.spreadCompletion,
      result.roundTrip,
    ])
      samples.sort((a, b) => a - b);
    return result;
  } finally {
    await client.stop();
  }
}

/**
 * The time from the `didOpen` of a document to its first diagnostics, each run with a server of
 * its own started just before (initialised, nothing else open): what opening a template costs.
 */
export async function measureFirstDiagnostics(serverModule: string, text: string, runs: number): Promise<number[]> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const client = await BenchClient.start(serverModule, 0);
    try {
      const uri = 'file:///bench/opening/azuredeploy.json';
      const start = performance.now();
      await client.open(uri, text);
      samples.push((await client.waitFor(uri, 1)) - start);
    } finally {
      await client.stop();
    }
  }
  return samples.sort((a, b) => a - b);
}
