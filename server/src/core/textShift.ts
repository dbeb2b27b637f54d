/**
 * How an edit moved a text, in the one shape the edit-time code speaks (`core/incremental/`): the
 * stretch `[start, oldEnd)` of the text before was replaced, and whatever was at or after `oldEnd`
 * now lies `delta` further. A parse reused after typing inside a string (`parseJsonDocument`), a
 * read of one site again (`SiteEdit`), the kept sites and the findings moved with the text all say
 * their edit this way, and move positions with `shiftedPosition` and `shiftedLocation`.
 */

export interface TextShift {
  /** Where the replaced stretch starts, in both texts. */
  readonly start: number;
  /** Where it ended in the text before. */
  readonly oldEnd: number;
  /** How much longer the text became (negative: shorter). */
  readonly delta: number;
}

/** The shift of replacing `[start, end)` of a text with `text`. */
export function shiftOfChange(change: { start: number; end: number; text: string }): TextShift {
  return { start: change.start, oldEnd: change.end, delta: change.text.length - (change.end - change.start) };
}

/** Where a position of the text before the shift is after it: moved when at or after `oldEnd`. */
export function shiftedPosition(position: number, shift: TextShift): number {
  return position >= shift.oldEnd ? position + shift.delta : position;
}

/**
 * Something located in `file` moved by the shift when it starts at or after `oldEnd` (the same
 * object when it stays).
 */
export function shiftedLocation<T extends { file: string; range: { start: number; end: number } }>(
  located: T,
  file: string,
  shift: TextShift,
): T {
  if (located.file !== file || located.range.start < shift.oldEnd || shift.delta === 0) return located;
  return { ...located, range: { start: located.range.start + shift.delta, end: located.range.end + shift.delta } };
}
