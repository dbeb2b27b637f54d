/**
 * The analysis worker: a thread that analyses large documents so that the server's own thread
 * stays free to read the connection, answer requests and drop versions that a newer edit has
 * already replaced. It keeps a copy of the open documents (the server sends what changed with
 * each job), so that a template reads its open parameter file here exactly as it would on the
 * server's thread. Started by `AnalysisWorkerClient`; it never talks to the client itself.
 */
import { parentPort } from 'node:worker_threads';
import { bundledCatalog } from '../core/catalog/bundledCatalog';
import type { Catalog } from '../core/catalog/catalogTypes';
import type { LintConfig } from '../core/config/config';
import type { Problem } from '../core/model';
import { FileAccessPolicy } from '../node/fileAccess';
import { NodeFileHost } from '../node/nodeFileHost';
import { analyseDocument, type DocumentAnalysis, DocumentMemo, emptyAnalysis } from './documentAnalysis';
import { fileKey, UriMap } from './files';
import { answerFromRead, type ImageAnswer, type ImageQuestion, type LatestRead } from './imageAnswers';
import type { ServerSettings } from './settings';
import { warmUpAnalyses } from './warmUp';

/** An open document as the worker holds it. */
export interface DocumentCopy {
  uri: string;
  version: number;
  text: string;
}

export interface AnalyseRequest {
  type: 'analyse';
  id: number;
  document: DocumentCopy;
  /** Other open documents that changed since the last job, and those closed since. */
  changed: DocumentCopy[];
  closed: string[];
  settings: ServerSettings;
  config: LintConfig;
  asOf: string;
  /** 0 for the bundled catalog; another id names a catalog sent once with `catalog`. */
  catalogId: number;
  catalog?: Catalog;
  configurationProblems: Problem[];
  configurationFiles: string[];
  /** The folders other files may be read from (`node/fileAccess.ts`), as the server has them now. */
  roots: string[];
}

export type WorkerRequest =
  | AnalyseRequest
  /** A file changed on disk (or everything, without `file`): read it again. */
  | { type: 'forget'; file?: string }
  /** The configuration changed: catalogs sent so far are no longer used. */
  | { type: 'forgetCatalogs' }
  /** Hover or completion on a document, from its latest analysis here (`imageAnswers.ts`). */
  | { type: 'ask'; id: number; uri: string; question: ImageQuestion };

export type WorkerResponse =
  | { id: number; analysis: DocumentAnalysis }
  | { id: number; error: string }
  | { type: 'answer'; id: number; answer: ImageAnswer | undefined };

const documents = new Map<string, DocumentCopy>();
const uris = new UriMap();
const catalogs = new Map<number, Catalog>([[0, bundledCatalog]]);
const hosts = new Map<number, NodeFileHost>();
/** The roots of the latest job: workspace folders change while the worker runs. */
let roots: readonly string[] = [];
const access = new FileAccessPolicy(() => roots);
/** Per open document: what its last analysis here keeps for the next. */
const memos = new Map<string, DocumentMemo>();
/** Per open document: what its latest analysis here read, to answer hover and completion. */
const latestReads = new Map<string, LatestRead>();

function openDocument(file: string): DocumentCopy | undefined {
  const uri = uris.openUri(fileKey(file));
  return uri === undefined ? undefined : documents.get(uri);
}

function hostFor(maximumSize: number): NodeFileHost {
  let host = hosts.get(maximumSize);
  if (!host) {
    host = new NodeFileHost(maximumSize, (file) => openDocument(file)?.text, access);
    hosts.set(maximumSize, host);
  }
  return host;
}

function remember(document: DocumentCopy): void {
  documents.set(document.uri, document);
  uris.remember(document.uri);
}

function analyse(request: AnalyseRequest): DocumentAnalysis {
  for (const uri of request.closed) {
    documents.delete(uri);
    memos.delete(uri);
    latestReads.delete(uri);
    uris.forget(uri);
  }
  for (const document of request.changed) remember(document);
  remember(request.document);
  roots = request.roots;
  if (request.catalog) catalogs.set(request.catalogId, request.catalog);
  const catalog = catalogs.get(request.catalogId);
  const { uri, version, text } = request.document;
  latestReads.delete(uri);
  if (!catalog) return emptyAnalysis(uri, version);
  let memo = memos.get(uri);
  if (!memo) memos.set(uri, (memo = new DocumentMemo()));
  return analyseDocument(
    uri,
    version,
    text,
    {
      settings: request.settings,
      config: request.config,
      catalog,
      asOf: request.asOf,
      host: hostFor(request.settings.maxFileSize),
      configurationProblems: request.configurationProblems,
      configurationFiles: request.configurationFiles,
      memo,
    },
    { versionOf: (file) => openDocument(file)?.version, uriOf: (file) => uris.uriOf(file) },
    (read) => latestReads.set(uri, read),
  );
}

parentPort?.on('message', (request: WorkerRequest) => {
  switch (request.type) {
    case 'forget':
      for (const host of hosts.values()) host.forget(request.file);
      return;
    case 'forgetCatalogs':
      for (const id of [...catalogs.keys()]) if (id !== 0) catalogs.delete(id);
      return;
    case 'ask': {
      let answer: ImageAnswer | undefined;
      try {
        answer = answerFromRead(latestReads.get(request.uri), request.question);
      } catch {
        // The server answers from the text itself then, as it does for a version read here no more.
        answer = undefined;
      }
      parentPort?.postMessage({ type: 'answer', id: request.id, answer } satisfies WorkerResponse);
      return;
    }
    case 'analyse': {
      let response: WorkerResponse;
      try {
        response = { id: request.id, analysis: analyse(request) };
      } catch (error) {
        response = { id: request.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
      }
      parentPort?.postMessage(response);
      return;
    }
  }
});

/** The longest the worker spends warming up before its first job (`warmUp.ts`). */
const warmUpBudgetMilliseconds = 200;

if (parentPort) {
  try {
    warmUpAnalyses(warmUpBudgetMilliseconds);
  } catch {
    // A failed warm-up leaves the worker as it would be without one: it only makes it slower.
  }
}
