/**
 * The server's side of the analysis worker (`analysisWorker.ts`). Analysis is synchronous, so a
 * running one cannot be interrupted; what this class guarantees instead is that no stale work
 * starts: one job runs at a time, a document waiting for its turn is analysed at the version it
 * has when its turn comes, and a newer request for the same document replaces a waiting one (the
 * older request resolves `undefined`). The worker starts on first use and again after a crash.
 *
 * The worker runs with a heap limit (`resourceLimits`): without one, a document whose analysis
 * exhausts the heap takes the whole server down with it. With one, only the worker stops; the job
 * it was running fails with an `AnalysisStoppedError` (the server shows it on that document), the
 * jobs waiting behind it run on a new worker, and the same version of that document is not sent
 * again: it would only stop the next worker too.
 */
import { Worker } from 'node:worker_threads';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { bundledCatalog } from '../core/catalog/bundledCatalog';
import type { Catalog } from '../core/catalog/catalogTypes';
import type { AnalyseRequest, DocumentCopy, WorkerRequest, WorkerResponse } from './analysisWorker';
import type { AnalysisInputs, DocumentAnalysis } from './documentAnalysis';
import type { ImageAnswer, ImageQuestion } from './imageAnswers';
import type { Logger } from './runner';

/** What a job needs besides the document's text: the inputs of an analysis without the host. */
export type WorkerInputs = Omit<AnalysisInputs, 'host'> & { roots: string[] };

interface Waiting {
  uri: string;
  inputs: WorkerInputs;
  resolve(analysis: DocumentAnalysis | undefined): void;
  reject(error: Error): void;
}

/** The analysis worker's heap limit by default, in megabytes (a 10 MB template needs a few hundred). */
export const defaultWorkerHeapLimitMb = 1024;

/** Why a job failed when the worker that ran it stopped: it ran out of memory, or crashed. */
export class AnalysisStoppedError extends Error {
  constructor(
    readonly reason: 'out-of-memory' | 'stopped',
    readonly heapLimitMb: number,
    detail: string,
  ) {
    super(`the analysis worker stopped (${detail})`);
    this.name = 'AnalysisStoppedError';
  }

  /** What the document that was being analysed is told. */
  get documentMessage(): string {
    return this.reason === 'out-of-memory'
      ? `This file was not analysed: its analysis needed more than the ${this.heapLimitMb} MB of memory it may use.`
      : 'This file was not analysed: its analysis stopped unexpectedly.';
  }
}

export class AnalysisWorkerClient {
  private worker: Worker | undefined;
  /** Documents whose analysis stopped the worker, at that version: not sent again. */
  private readonly stopped = new Map<string, { version: number; error: AnalysisStoppedError }>();
  private running: (Waiting & { id: number; version: number }) | undefined;
  /** Requests waiting for the worker, by URI, oldest first; at most one per document. */
  private readonly waiting = new Map<string, Waiting>();
  /** The version of each open document the worker holds. */
  private readonly synced = new Map<string, number>();
  private readonly catalogIds = new WeakMap<Catalog, number>([[bundledCatalog, 0]]);
  private readonly sentCatalogs = new Set<number>([0]);
  private nextCatalogId = 1;
  private nextJobId = 1;
  /** Questions sent to the worker (`ask`), by id: the worker answers them in the order they came. */
  private readonly questions = new Map<number, (answer: ImageAnswer | undefined) => void>();
  private nextQuestionId = 1;

  constructor(
    private readonly workerModule: string,
    private readonly openDocuments: () => readonly TextDocument[],
    private readonly logger: Logger,
    /** The heap limit of workers started from now on, in megabytes. */
    public heapLimitMb = defaultWorkerHeapLimitMb,
  ) {}

  /**
   * Analyses an open document in the worker at the version it has when the job starts; undefined
   * when the document was closed first or a newer request for it took this one's place.
   */
  analyse(uri: string, inputs: WorkerInputs): Promise<DocumentAnalysis | undefined> {
    return new Promise((resolve, reject) => {
      const replaced = this.waiting.get(uri);
      this.waiting.delete(uri);
      replaced?.resolve(undefined);
      this.waiting.set(uri, { uri, inputs, resolve, reject });
      this.startNext();
    });
  }

  /**
   * Asks the worker about a document, from its latest analysis there (`imageAnswers.ts`). The
   * worker reads its messages in order, so a question sent while it analyses the document is
   * answered from that analysis. Undefined when the worker holds no read of the question's
   * version: it analysed another, or it stopped and started again since.
   */
  ask(uri: string, question: ImageQuestion): Promise<ImageAnswer | undefined> {
    const worker = this.worker;
    if (!worker) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const id = this.nextQuestionId++;
      this.questions.set(id, resolve);
      worker.postMessage({ type: 'ask', id, uri, question } satisfies WorkerRequest);
    });
  }

  /** A file changed on disk (or all files, without `file`): the worker reads it again. */
  forgetFile(file?: string): void {
    this.post({ type: 'forget', file });
  }

  /** The configuration changed: catalogs sent so far will not be used again. */
  forgetCatalogs(): void {
    this.sentCatalogs.clear();
    this.sentCatalogs.add(0);
    this.post({ type: 'forgetCatalogs' });
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
    for (const answer of this.questions.values()) answer(undefined);
    this.questions.clear();
  }

  private post(request: WorkerRequest): void {
    this.worker?.postMessage(request);
  }

  private startNext(): void {
    if (this.running) return;
    const next = this.waiting.values().next();
    if (next.done) return;
    const job = next.value;
    this.waiting.delete(job.uri);
    const documents = this.openDocuments();
    const document = documents.find((candidate) => candidate.uri === job.uri);
    for (const uri of [...this.stopped.keys()]) if (!documents.some((open) => open.uri === uri)) this.stopped.delete(uri);
    if (!document) {
      job.resolve(undefined);
      this.startNext();
      return;
    }
    const stopped = this.stopped.get(job.uri);
    if (stopped?.version === document.version) {
      job.reject(stopped.error);
      this.startNext();
      return;
    }
    this.stopped.delete(job.uri);
    const worker = this.workerNow();
    const request = this.requestFor(document, documents, job.inputs);
    this.running = { ...job, id: request.id, version: document.version };
    worker.postMessage(request);
  }

  private requestFor(document: TextDocument, documents: readonly TextDocument[], inputs: WorkerInputs): AnalyseRequest {
    const changed: DocumentCopy[] = [];
    const open = new Set<string>();
    for (const other of documents) {
      open.add(other.uri);
      if (other.uri === document.uri || this.synced.get(other.uri) === other.version) continue;
      changed.push({ uri: other.uri, version: other.version, text: other.getText() });
      this.synced.set(other.uri, other.version);
    }
    const closed = [...this.synced.keys()].filter((uri) => !open.has(uri));
    for (const uri of closed) this.synced.delete(uri);
    this.synced.set(document.uri, document.version);
    let catalogId = this.catalogIds.get(inputs.catalog);
    if (catalogId === undefined) {
      catalogId = this.nextCatalogId++;
      this.catalogIds.set(inputs.catalog, catalogId);
    }
    const sendCatalog = !this.sentCatalogs.has(catalogId);
    this.sentCatalogs.add(catalogId);
    return {
      type: 'analyse',
      id: this.nextJobId++,
      document: { uri: document.uri, version: document.version, text: document.getText() },
      changed,
      closed,
      settings: inputs.settings,
      config: inputs.config,
      asOf: inputs.asOf,
      catalogId,
      catalog: sendCatalog ? inputs.catalog : undefined,
      configurationProblems: inputs.configurationProblems,
      configurationFiles: inputs.configurationFiles,
      roots: inputs.roots,
    };
  }

  private workerNow(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerModule, { resourceLimits: { maxOldGenerationSizeMb: this.heapLimitMb } });
    // The server's exit must not wait for the worker.
    worker.unref();
    let failure: (Error & { code?: string }) | undefined;
    worker.on('message', (response: WorkerResponse) => this.finished(response));
    worker.on('error', (error: Error & { code?: string }) => {
      failure = error;
      this.logger.error(`Analysis worker failed: ${error.stack ?? error.message}`);
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      // Started again by the next job, with nothing of the old one's state.
      this.worker = undefined;
      this.synced.clear();
      this.sentCatalogs.clear();
      this.sentCatalogs.add(0);
      // Its reads are gone with it: questions waiting for it are answered from the text instead.
      for (const answer of this.questions.values()) answer(undefined);
      this.questions.clear();
      const running = this.running;
      this.running = undefined;
      if (running) {
        const outOfMemory = failure?.code === 'ERR_WORKER_OUT_OF_MEMORY';
        const error = new AnalysisStoppedError(
          outOfMemory ? 'out-of-memory' : 'stopped',
          this.heapLimitMb,
          outOfMemory ? `out of memory, limit ${this.heapLimitMb} MB` : `exit code ${code}`,
        );
        this.stopped.set(running.uri, { version: running.version, error });
        running.reject(error);
      }
      this.startNext();
    });
    this.worker = worker;
    return worker;
  }

  private finished(response: WorkerResponse): void {
    if ('type' in response) {
      const answer = this.questions.get(response.id);
      this.questions.delete(response.id);
      answer?.(response.answer);
      return;
    }
    const running = this.running;
    if (!running || running.id !== response.id) return;
    this.running = undefined;
    if ('error' in response) running.reject(new Error(response.error));
    else running.resolve(response.analysis);
    this.startNext();
  }
}
