/**
 * Scans many files on several threads: the files are cut into ranges that worker threads take in
 * turn (a thread that finishes early takes the next range), and the outcomes are merged in the
 * order of the files by the same code as a sequential scan, so the result is identical to
 * `scanFiles` whatever the number of threads and however the work was shared.
 */
import type * as Os from 'node:os';
import type * as WorkerThreads from 'node:worker_threads';
import { restoreSharedSite } from '../core/sharedCandidates';
import { type FileOutcome, mergeOutcomes, type ScanOptions, type ScanResult, scanFiles } from './scan';
import type { ScanChunk, ScanChunkResult, ScanWorkerData } from './scanWorker';

/** Below this many files, starting threads costs more than it saves. */
export const parallelScanThreshold = 200;

/** Files per range: small enough to share the work evenly, large enough to keep messages few. */
const chunkSize = 50;

/** The threads a scan of this many files should use: 1 means a sequential scan. */
export function scanThreadsFor(fileCount: number): number {
  if (fileCount <= parallelScanThreshold) return 1;
  // Loaded only for a big scan: a run on a few files never starts a thread, and loading the
  // worker module (with the streams it pulls in) is a noticeable part of the CLI's start.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const os = require('node:os') as typeof Os;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores, 8, Math.ceil(fileCount / chunkSize)));
}

/**
 * Scans `files` on `threads` worker threads running `workerModule` (the compiled `scanWorker.js`);
 * with one thread, scans them here. The result is the same as `scanFiles(files, options)`.
 */
export async function scanFilesInParallel(
  files: readonly string[],
  options: ScanOptions,
  workerModule: string,
  threads = scanThreadsFor(files.length),
): Promise<ScanResult> {
  if (threads <= 1) return scanFiles(files, options);
  const outcomes: FileOutcome[] = new Array<FileOutcome>(files.length);
  const chunks: ScanChunk[] = [];
  for (let start = 0; start < files.length; start += chunkSize)
    chunks.push({ start, end: Math.min(files.length, start + chunkSize) });
  const data: ScanWorkerData = { files: [...files], options };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Worker } = require('node:worker_threads') as typeof WorkerThreads;
  const workers: WorkerThreads.Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let done = 0;
      const give = (worker: WorkerThreads.Worker) => {
        if (next < chunks.length) worker.postMessage(chunks[next++]);
      };
      for (let index = 0; index < threads; index++) {
        const worker = new Worker(workerModule, { workerData: data });
        workers.push(worker);
        worker.on('message', (result: ScanChunkResult) => {
          for (let offset = 0; offset < result.outcomes.length; offset++) {
            const outcome = result.outcomes[offset];
            // Sites sharing their candidates crossed as data (`portableSite`): they get their getter back.
            if (outcome.entry) outcome.entry.sites = outcome.entry.sites.map(restoreSharedSite);
            outcomes[result.start + offset] = outcome;
          }
          done++;
          if (done === chunks.length) resolve();
          else give(worker);
        });
        worker.on('error', reject);
        worker.on('exit', (code) => {
          if (done < chunks.length) reject(new Error(`a scan thread stopped (exit code ${code})`));
        });
        give(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return mergeOutcomes(outcomes, options);
}
