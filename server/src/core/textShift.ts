/**
 * How text moves, in the one vocabulary everything that moves positions speaks.
 *
 * A `TextShift` is one edit: the stretch `[start, oldEnd)` of the text before was replaced, and
 * whatever was at or after `oldEnd` now lies `delta` further. An editor's change makes one
 * (`shiftOfChange`, with its lines and characters when the editor gave them); so does a parse
 * reused after typing inside a string (`parseJsonDocument`), which the read of one site again,
 * the kept sites and the findings moved with the text then share (`core/incremental/`).
 *
 * A `TextMover` moves what lies in one file across edits in turn, or to a copy of a stretch of the
 * file (an image written the same way on many resources is read once and its definitions moved
 * to each copy): offsets, ranges, line/character positions, locations, values' definitions,
 * findings, sites' candidates (`sharedCandidates.ts`) and the container boundaries of a parse.
 * Whatever it is asked to move, a start moves with the text that follows it and an end stays
 * before text inserted right where it ends; a position inside the replaced stretch goes to the
 * start of the new text (an end: to its end).
 */
import type { Conditions, Finding, SourceLocation } from './model';
import { mapProperties, type Value } from './values';

/** A 0-based line and character (UTF-16 code units), as LSP and `LineIndex` count them. */
interface Position {
  readonly line: number;
  readonly character: number;
}

export interface TextShift {
  /** Where the replaced stretch starts, in both texts. */
  readonly start: number;
  /** Where it ended in the text before. */
  readonly oldEnd: number;
  /** How much longer the text became (negative: shorter). */
  readonly delta: number;
  /** The same stretch in lines and characters, when the edit came from an editor ('\n' ends a line). */
  readonly lines?: { readonly start: Position; readonly oldEnd: Position; readonly newEnd: Position };
}

/**
 * The shift of replacing `[start, end)` of a text with `text`; with `lines` (where `start` and
 * `end` are in lines and characters) it knows its lines too, counting '\n' alone as a break.
 */
export function shiftOfChange(
  change: { start: number; end: number; text: string },
  lines?: { start: Position; end: Position },
): TextShift {
  const shift = { start: change.start, oldEnd: change.end, delta: change.text.length - (change.end - change.start) };
  if (!lines) return shift;
  const lastBreak = change.text.lastIndexOf('\n');
  let breaks = 0;
  for (let index = change.text.indexOf('\n'); index !== -1; index = change.text.indexOf('\n', index + 1)) breaks++;
  const newEnd =
    lastBreak < 0
      ? { line: lines.start.line, character: lines.start.character + change.text.length }
      : { line: lines.start.line + breaks, character: change.text.length - lastBreak - 1 };
  return { ...shift, lines: { start: lines.start, oldEnd: lines.end, newEnd } };
}

/**
 * The shift that makes `after` of `before`: one stretch replaced between what they share at
 * their start and at their end, compared a block at a time.
 */
export function shiftBetween(before: string, after: string): TextShift {
  const start = commonPrefixLength(before, after);
  const suffix = commonSuffixLength(before, after, Math.min(before.length, after.length) - start);
  return { start, oldEnd: before.length - suffix, delta: after.length - before.length };
}

/** How many characters two texts share at their start, compared a block at a time. */
function commonPrefixLength(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  let position = 0;
  const block = 4096;
  while (position + block <= length && a.slice(position, position + block) === b.slice(position, position + block))
    position += block;
  while (position < length && a.charCodeAt(position) === b.charCodeAt(position)) position++;
  return position;
}

/** How many characters two texts share at their end, at most `limit`. */
function commonSuffixLength(a: string, b: string, limit: number): number {
  let length = 0;
  const block = 4096;
  while (
    length + block <= limit &&
    a.slice(a.length - length - block, a.length - length) === b.slice(b.length - length - block, b.length - length)
  )
    length += block;
  while (length < limit && a.charCodeAt(a.length - length - 1) === b.charCodeAt(b.length - length - 1)) length++;
  return length;
}

/** Where a start (or a lone position) goes across `shift`, moving only positions before `limit`. */
function offsetThrough(position: number, shift: TextShift, limit: number): number {
  if (position < shift.start || position >= limit) return position;
  return position < shift.oldEnd ? shift.start : position + shift.delta;
}

/** Where the end of a stretch goes across `shift`, moving only ends up to `limit`. */
function endThrough(end: number, shift: TextShift, limit: number): number {
  if (end <= shift.start || end > limit) return end;
  return end < shift.oldEnd ? shift.oldEnd + shift.delta : end + shift.delta;
}

function compare(a: Position, b: Position): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}

/** Where a line/character position goes: as `offsetThrough` (`isEnd`: as `endThrough`). */
function positionThrough(position: Position, lines: NonNullable<TextShift['lines']>, isEnd: boolean): Position {
  const { start, oldEnd, newEnd } = lines;
  const fromStart = compare(position, start);
  if (fromStart < 0 || (isEnd && fromStart === 0)) return position;
  if (compare(position, oldEnd) < 0) return isEnd ? newEnd : start;
  if (position.line !== oldEnd.line) return { line: position.line + newEnd.line - oldEnd.line, character: position.character };
  return { line: newEnd.line, character: newEnd.character + (position.character - oldEnd.character) };
}

export class TextMover {
  /** Where the first shift starts: nothing before it moves. */
  private readonly firstMoved: number;

  private constructor(
    /** The file whose locations move (others stay). */
    readonly file: string,
    private readonly shifts: readonly TextShift[],
    /** Only what lies before it moves: the end of a copied stretch (edits move all that follows them). */
    private readonly limit: number,
  ) {
    let first = Number.POSITIVE_INFINITY;
    for (const shift of shifts) first = Math.min(first, shift.start);
    this.firstMoved = first;
  }

  /**
   * Moves across `shifts`, in turn (what the first moves, the second may move again), what lies in
   * `file` (none: offsets alone).
   */
  static across(shifts: readonly TextShift[], file = ''): TextMover {
    return new TextMover(file, shifts, Number.POSITIVE_INFINITY);
  }

  /** Moves what lies in `[start, end)` of `file` by `delta`: the same text copied to another place. */
  static copying(file: string, start: number, end: number, delta: number): TextMover {
    return new TextMover(file, [{ start, oldEnd: start, delta }], end);
  }

  /** Where an offset (a start) goes. */
  offset(position: number): number {
    if (position < this.firstMoved) return position;
    for (const shift of this.shifts) position = offsetThrough(position, shift, this.limit);
    return position;
  }

  /** Where the end of a stretch goes. */
  end(position: number): number {
    if (position <= this.firstMoved) return position;
    for (const shift of this.shifts) position = endThrough(position, shift, this.limit);
    return position;
  }

  /** A range moved (the same object when it stays). */
  range<T extends { start: number; end: number }>(range: T): T {
    const start = this.offset(range.start);
    const end = Math.max(start, this.end(range.end));
    return start === range.start && end === range.end ? range : { ...range, start, end };
  }

  /** Something located in the file, moved (the same object when it stays); other files' stay. */
  location<T extends SourceLocation>(located: T): T {
    if (located.file !== this.file) return located;
    const { start, end } = located.range;
    if (end < this.firstMoved) return located;
    const movedStart = this.offset(start);
    const movedEnd = this.end(end);
    if (movedStart === start && movedEnd === end) return located;
    return { ...located, range: { start: movedStart, end: Math.max(movedStart, movedEnd) } };
  }

  /**
   * A line/character range moved, for shifts that know their lines (an editor's edit); the same
   * object when it stays.
   */
  lineRange<T extends { start: Position; end: Position }>(range: T): T {
    let { start, end } = range;
    for (const shift of this.shifts) {
      if (!shift.lines) throw new Error('A shift without lines cannot move line positions.');
      start = positionThrough(start, shift.lines, false);
      end = positionThrough(end, shift.lines, true);
      // An empty range where text was inserted: after it, as `range` places it.
      if (compare(end, start) < 0) end = start;
    }
    return start === range.start && end === range.end ? range : { ...range, start, end };
  }

  /** Moves the boundaries of `count` containers of a parse in place (starts and ends). */
  moveBoundaries(starts: Int32Array, ends: Int32Array, count: number): void {
    // `offsetThrough` and `endThrough` written out: a megabyte template has tens of thousands of
    // containers, moved on every keystroke.
    const limit = this.limit;
    for (const { start, oldEnd, delta } of this.shifts) {
      for (let index = 0; index < count; index++) {
        const from = starts[index];
        if (from >= start && from < limit) starts[index] = from < oldEnd ? start : from + delta;
        const to = ends[index];
        if (to > start && to <= limit) ends[index] = to < oldEnd ? oldEnd + delta : to + delta;
      }
    }
  }

  /** A finding with every place of the file moved: its location, related locations and fix edits. */
  finding(finding: Finding): Finding {
    return {
      ...finding,
      location: this.location(finding.location),
      related: finding.related.map((related) => {
        const location = this.location(related.location);
        return location === related.location ? related : { ...related, location };
      }),
      fixes: finding.fixes.map((fix) => ({ ...fix, edits: fix.edits.map((edit) => this.location(edit)) })),
    };
  }

  /** The values moved (a value with nothing to move is the same object). */
  values(values: readonly Value[]): Value[] {
    return values.map((value) => this.value(value));
  }

  /** A value with the definitions of its literals moved (the same object when nothing moves). */
  value(value: Value): Value {
    switch (value.kind) {
      case 'string': {
        const definition = value.definition;
        const when = value.when && this.conditions(value.when);
        if (!definition) return when === value.when ? value : { ...value, when };
        const location = this.location(definition.location);
        const list = definition.allowedList;
        const listLocation = list && this.location(list.location);
        if (location === definition.location && listLocation === list?.location && when === value.when) return value;
        const copy = { ...definition, location };
        if (list && listLocation !== list.location) copy.allowedList = { ...list, location: listLocation! };
        // What else the value carries (a parameter's choice) stays with it.
        return when === value.when ? { ...value, definition: copy } : { ...value, definition: copy, when };
      }
      case 'object': {
        const properties = mapProperties(value.properties, (item) => this.value(item));
        const when = value.when && this.conditions(value.when);
        if (properties === value.properties && when === value.when) return value;
        return when ? { kind: 'object', properties, when } : { kind: 'object', properties };
      }
      case 'array': {
        const items = value.items.map((item) => this.value(item));
        return items.some((item, index) => item !== value.items[index]) ? { kind: 'array', items } : value;
      }
      default:
        return value;
    }
  }

  /** Conditions with where they are written moved (the same list when none moves). */
  conditions(when: Conditions): Conditions {
    let moved: Conditions[number][] | undefined;
    for (let index = 0; index < when.length; index++) {
      const at = when[index].at;
      if (!at) continue;
      const location = this.location(at);
      if (location === at) continue;
      (moved ??= [...when])[index] = { ...when[index], at: location };
    }
    return moved ?? when;
  }

  /** True when `other` moves the same things the same way. */
  equals(other: TextMover | undefined): boolean {
    if (other === this) return true;
    if (!other || other.file !== this.file || other.limit !== this.limit || other.shifts.length !== this.shifts.length)
      return false;
    return this.shifts.every((shift, index) => {
      const theirs = other.shifts[index];
      return shift.start === theirs.start && shift.oldEnd === theirs.oldEnd && shift.delta === theirs.delta;
    });
  }
}
