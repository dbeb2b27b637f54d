/**
 * A thread of a parallel scan (`parallelScan.ts`): scans the ranges of files the pool hands it,
 * one at a time, and sends back what each file gave. It holds one file host and one configuration
 * resolver for its whole share, as a sequential scan does for all files.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { portableSite } from '../core/sharedCandidates';
import { FileScanner, type FileOutcome, type ScanOptions } from './scan';

/** What the pool gives a worker when it starts. */
export interface ScanWorkerData {
  files: string[];
  options: ScanOptions;
}

/** A range of `files` to scan, and what scanning it gave. */
export interface ScanChunk {
  start: number;
  end: number;
}

export interface ScanChunkResult extends ScanChunk {
  outcomes: FileOutcome[];
}

const { files, options } = workerData as ScanWorkerData;
const scanner = new FileScanner(files, options);

parentPort?.on('message', (chunk: ScanChunk) => {
  const outcomes = files.slice(chunk.start, chunk.end).map((file) => {
    const outcome = scanner.scan(file);
    // Sites that share one list of candidates cross as that list and their moves, not as a
    // copy of the list each (`sharedCandidates.ts`); the pool restores them.
    if (outcome.entry) outcome.entry.sites = outcome.entry.sites.map(portableSite);
    return outcome;
  });
  parentPort?.postMessage({ ...chunk, outcomes } satisfies ScanChunkResult);
});
