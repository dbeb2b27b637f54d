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
import { TextMover, type TextShift } from '../textShift';

/**
 * What an analysis leaves for telling which edits cannot change it (ARM templates only). Plain
 * data, so that it crosses from the server's analysis worker with the analysis.
 */
export interface EditTrace {
  /** The containers the analysis looked into (`AnalysisResult.entryTrace`); moved by each edit let through. */
  trace: ContainerTrace;
  /** The day of the analysis (`YYYY-MM-DD`): "support ending in N days" changes at midnight. */
  analysedOn: string;
}

/**
 * The mover that takes the previous analysis of `oldText` across `shift` (to `newText`), when the
 * edit cannot change what it found; undefined when the document must be analysed again. A shift
 * that knows its lines gives a mover of line/character positions too, for an editor's
 * diagnostics. On success `editTrace` describes `newText`; otherwise it must not be used again.
 */
export function moverAcrossEdit(
  file: string,
  editTrace: EditTrace,
  oldText: string,
  shift: TextShift,
  newText: string,
  today: string,
): TextMover | undefined {
  if (editTrace.analysedOn !== today) return undefined;
  const { start, oldEnd, delta } = shift;
  if (start < 0 || oldEnd < start || oldEnd > oldText.length || newText.length !== oldText.length + delta) return undefined;
  // Line arithmetic counts '\n' only: keep away from carriage returns.
  if (
    newText.slice(start, oldEnd + delta).includes('\r') ||
    oldText.slice(start, oldEnd).includes('\r') ||
    oldText[start - 1] === '\r'
  )
    return undefined;
  if (!analysisSurvivesChange(file, editTrace.trace, oldText, shift, newText)) return undefined;
  return TextMover.across([shift], file);
}

const whiteSpace = /^[ \t\n]*$/;

/**
 * True when analysing `newText` (which is `oldText` with `shift` applied) would give the same
 * result as the analysis that left `trace`, with every offset moved by the shift. On true, `trace`
 * is updated to describe `newText`, so that the next edit can be checked against it; on false it
 * must not be used again.
 */
export function analysisSurvivesChange(
  file: string,
  trace: ContainerTrace,
  oldText: string,
  shift: TextShift,
  newText: string,
): boolean {
  const { start, oldEnd: end, delta } = shift;
  const newEnd = end + delta;
  if (start < 0 || end < start || end > oldText.length || newText.length !== oldText.length + delta) return false;
  if (trace.count === 0) return false;
  // The text had no suppression comment (or it would carry no trace); one typed now would
  // overlap the inserted text.
  const reach = jsonSuppressionMarker.length;
  if (mayHoldSuppression(newText.slice(Math.max(0, start - reach), newEnd + reach))) return false;
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
      if (!whiteSpace.test(newText.slice(start, newEnd)) || !whiteSpace.test(oldText.slice(start, end))) return false;
      if (!isBetweenEntries(oldText, trace, container, start, end)) return false;
      break;
    }
    container = inner;
    enclosing++;
  }
  TextMover.across([shift]).moveBoundaries(trace.starts, trace.ends, trace.count);
  return true;
}
