/**
 * Hover and completion answered from the latest analysis of a document instead of a new read of
 * it: an analysis keeps what it read (`LatestRead`: the sites, the text and version they come
 * from, the catalog and date it judged them with), where it ran, the server's thread or the
 * analysis worker, and a question about the document is answered there, in the core's offsets.
 * A read answers only for its own version: the server asks with the version its offset belongs
 * to, and a read of any other version says it cannot answer (`undefined`), never from offsets an
 * edit has moved.
 */
import { completionSitesAt, type CompletionSites } from '../core/completion';
import { hoverOfSites, type HoverResult, imageValueIndex, type ImageValueIndex, type OffsetSpan } from '../core/hover';
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
  /** The read's sites by offset, made by `answerFromRead` at the read's first question and kept with it. */
  index?: ImageValueIndex;
}

/** A question about one version of a document, at an offset of that version's text. */
export interface ImageQuestion {
  kind: 'hover' | 'completion';
  version: number;
  offset: number;
}

/**
 * A hover, or what the sites say for a completion (`CompletionSites`): the rest of a completion
 * is the text's and the catalog's (`completionQuery`, `completionsOfQuery`), made where the
 * question was asked, so that a few hundred bytes cross from the worker instead of every
 * proposal's documentation. `span`: the offsets of the version over which the same question has
 * the same answer (`imageValueIndex`), so that the server answers them without asking again.
 */
export type ImageAnswer = (
  { kind: 'hover'; hover: HoverResult | undefined } | { kind: 'completion'; sites: CompletionSites | undefined }
) & { span: OffsetSpan };

/** The answer from a read, or undefined when the read is of another version than the question's. */
export function answerFromRead(read: LatestRead | undefined, question: ImageQuestion): ImageAnswer | undefined {
  if (!read || read.version !== question.version) return undefined;
  const { offset } = question;
  const index = indexOf(read);
  if (question.kind === 'hover')
    return {
      kind: 'hover',
      hover: hoverOfSites(index.sitesAt(offset), read.file, offset, read),
      span: index.spanAt(offset, 'hover'),
    };
  let sites: CompletionSites | undefined;
  try {
    sites = completionSitesAt(index.sitesAt(offset), read.file, offset);
  } catch {
    // A reader that throws on half-typed text must not cost the user the textual completion.
    return { kind: 'completion', sites: undefined, span: { from: offset, to: offset + 1 } };
  }
  return { kind: 'completion', sites, span: index.spanAt(offset, 'inside') };
}

/** The read's index (`imageValueIndex`), made at its first question. */
function indexOf(read: LatestRead): ImageValueIndex {
  return (read.index ??= imageValueIndex(read.sites(), read.file));
}
