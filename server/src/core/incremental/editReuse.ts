/**
 * Whether an analysis still holds after an edit of its document, so that an editor can move the
 * previous findings with the text instead of analysing it again on every keystroke.
 *
 * An ARM template's analysis reads a small part of the text: the entries of the objects and
 * arrays the reader looked into (`ContainerTrace`), and the whole text of a few (image objects
 * used as cache keys). Its result is therefore unchanged, up to the positions after the edit, by:
 * - any change inside an object or array nobody looked into, as long as that container is still
 *   one valid value with the same brackets (typing in a description, a tag, a script, the
 *   properties of a resource that deploys no image);
 * - white space added or removed between the entries of a container that was read (a line break,
 *   indentation), away from comments.
 * Anything else (a change to a value or a name that was read, a change that breaks the syntax,
 * touches a suppression comment or the `$schema` that makes the file a template) needs a new
 * analysis. Only ARM templates carry a trace; Bicep files and parameter files are analysed again.
 */
import { detectDocumentKind } from '../analyze';
import { classifyJsonDocument } from '../arm/parameterFiles';
import { childHolding, isBetweenEntries, scanValueEnd } from '../arm/jsonDocument';
import { ContainerRead, type ContainerTrace } from '../model';
import { jsonSuppressionMarker, mayHoldSuppression } from '../suppressions';

/** One replacement: `start`-`end` (offsets in the text before it) becomes `text`. */
export interface TextChange {
  start: number;
  end: number;
  text: string;
}

const whiteSpace = /^[ \t\n]*$/;

/**
 * True when analysing `newText` (which is `oldText` with `change` applied) would give the same
 * result as the analysis that left `trace`, with every offset at or after the change's end moved
 * by the change's length difference. On true, `trace` is updated to describe `newText`, so that
 * the next edit can be checked against it; on false it must not be used again.
 */
export function analysisSurvivesChange(
  file: string,
  trace: ContainerTrace,
  oldText: string,
  change: TextChange,
  newText: string,
): boolean {
  const { start, end } = change;
  const delta = change.text.length - (end - start);
  if (start < 0 || end < start || end > oldText.length || newText.length !== oldText.length + delta) return false;
  if (trace.count === 0) return false;
  // The text had no suppression comment (or it would carry no trace); one typed now would
  // overlap the inserted text.
  const reach = jsonSuppressionMarker.length;
  if (mayHoldSuppression(newText.slice(Math.max(0, start - reach), start + change.text.length + reach))) return false;
  if (detectDocumentKind(file, newText) !== 'arm-template' || classifyJsonDocument(file, newText) !== 'template') return false;

  const { starts, ends, reads } = trace;
  // Walk down from the root through the containers that were read, to the one holding the change.
  let container = 0;
  // How many containers enclose `container`.
  let enclosing = 0;
  if (!(starts[0] < start && end < ends[0])) return false;
  for (;;) {
    const read = reads[container];
    if (read === ContainerRead.WholeText) return false;
    if (read === ContainerRead.Unread) {
      // Nobody looked inside: the change is harmless if the container is still one valid value
      // between the same brackets.
      const newEnd = scanValueEnd(newText, starts[container], enclosing);
      if (newEnd !== ends[container] + delta) return false;
      break;
    }
    // A child the change overlaps must hold it strictly inside its brackets.
    const inner = childHolding(trace, container, start, end);
    if (inner === undefined) return false;
    if (inner < 0) {
      // Between this container's own entries: only white space, away from tokens and comments.
      if (!whiteSpace.test(change.text) || !whiteSpace.test(oldText.slice(start, end))) return false;
      if (!isBetweenEntries(oldText, trace, container, start, end)) return false;
      break;
    }
    container = inner;
    enclosing++;
  }
  shiftTrace(trace, end, delta);
  return true;
}

/** Moves every container boundary at or after `end` by `delta`. */
function shiftTrace(trace: ContainerTrace, end: number, delta: number): void {
  if (delta === 0) return;
  const { starts, ends, count } = trace;
  for (let index = 0; index < count; index++) {
    if (starts[index] >= end) starts[index] += delta;
    if (ends[index] > end) ends[index] += delta;
  }
}

/**
 * Where an offset of the old text is in the new one. A range's end stays before text inserted
 * right where it ends; a start moves with the text that follows it.
 */
export function shiftOffset(offset: number, change: TextChange, isEnd: boolean): number {
  if (offset < change.start || (isEnd && offset === change.start)) return offset;
  if (offset >= change.end) return offset + change.text.length - (change.end - change.start);
  return change.start + (isEnd ? change.text.length : 0);
}
