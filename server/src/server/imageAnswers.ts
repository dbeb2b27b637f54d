/**
 * Hover and completion answered from the latest analysis of a document instead of a new read of
 * it: an analysis keeps what it read (`LatestRead`: the sites, the text and version they come
 * from, the catalog and date it judged them with), where it ran, the server's thread or the
 * analysis worker, and a question about the document is answered there, in the core's offsets.
 * A read answers only for its own version: the server asks with the version its offset belongs
 * to, and a read of any other version says it cannot answer (`undefined`), never from offsets an
 * edit has moved.
 */
import { completionQueryOfSites, type CompletionQuery } from '../core/completion';
import { hoverOfSites, type HoverResult, indexImageValues } from '../core/hover';
import type { Catalog } from '../core/catalog/catalogTypes';
import type { ImageSite } from '../core/model';

/** What one analysis read of a document, kept to answer hover and completion on that version. */
export interface LatestRead {
  version: number;
  file: string;
  /** The text the analysis read (the same string, not a copy). */
  text: string;
  /** The sites of the read, asked for only when a question needs them (`keptSites.ts` moves them then). */
  sites(): readonly ImageSite[];
  catalog: Catalog;
  asOf: string;
}

/** A question about one version of a document, at an offset of that version's text. */
export interface ImageQuestion {
  kind: 'hover' | 'completion';
  version: number;
  offset: number;
}

/**
 * A hover, or what a completion asks of the catalog (`CompletionQuery`, undefined when the cursor
 * is on no image value): the proposals are the catalog's, the same for every read, and made where
 * the question was asked (`completionsOfQuery`), so that a few hundred bytes cross from the worker
 * instead of every proposal's documentation.
 */
export type ImageAnswer =
  | { kind: 'hover'; hover: HoverResult | undefined }
  | { kind: 'completion'; query: CompletionQuery | undefined };

/** The answer from a read, or undefined when the read is of another version than the question's. */
export function answerFromRead(read: LatestRead | undefined, question: ImageQuestion): ImageAnswer | undefined {
  if (!read || read.version !== question.version) return undefined;
  const sites = () => sitesAt(read, question.offset);
  if (question.kind === 'hover') return { kind: 'hover', hover: hoverOfSites(sites(), read.file, question.offset, read) };
  return { kind: 'completion', query: completionQueryOfSites(read.file, read.text, question.offset, sites) };
}

/** The index of each read's sites by offset (`indexImageValues`), made at its first question. */
const indexes = new WeakMap<LatestRead, (offset: number) => ImageSite[]>();

/** The sites of a read that hold something at an offset, in their order. */
function sitesAt(read: LatestRead, offset: number): ImageSite[] {
  let index = indexes.get(read);
  if (!index) indexes.set(read, (index = indexImageValues(read.sites(), read.file)));
  return index(offset);
}
