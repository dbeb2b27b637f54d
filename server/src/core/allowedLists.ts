/**
 * The allowed values of a parameter as a fix needs them (`AllowedList` in the model): the values
 * the list holds and where a new one goes, written the way the list already is. Both readers make
 * one per declaration and give it to every value the parameter takes (`withAllowedList`).
 */
import type { AllowedList, LiteralSyntax, SourceLocation } from './model';
import type { StringValue } from './values';

/** An item of an array literal: where it is written and its string value, if it is a plain string. */
export interface ListItem {
  start: number;
  end: number;
  value: string | undefined;
}

/**
 * The allowed list of an array literal `[start, end)` of `text`. A new value goes after the last
 * item: on a line of its own, indented as that item, when the items are on lines of their own;
 * after a comma (JSON, or a Bicep list written on one line) otherwise; first in an empty list.
 */
export function allowedListOf(
  file: string,
  text: string,
  start: number,
  end: number,
  items: readonly ListItem[],
  syntax: LiteralSyntax,
): AllowedList {
  const location: SourceLocation = { file, range: { start, end } };
  const values = items.flatMap((item) => (item.value === undefined ? [] : [item.value]));
  const last = items[items.length - 1];
  if (!last) return { location, values, insertAt: 1, separator: '', syntax };
  const before = text.slice(items.length > 1 ? items[items.length - 2].end : start + 1, last.start);
  const lineStart = text.lastIndexOf('\n', last.start - 1) + 1;
  const indentation = /^[ \t]*/.exec(text.slice(lineStart, last.start))![0];
  const onOwnLines = before.includes('\n');
  const comma = syntax === 'json' || !onOwnLines ? ',' : '';
  const separator = onOwnLines ? `${comma}\n${indentation}` : `${comma} `;
  return { location, values, insertAt: last.end - start, separator, syntax };
}

/** Values with the list attached to the definition of each string that has one. */
export function withAllowedList<T extends { kind: string }>(values: readonly T[], list: AllowedList | undefined): T[] {
  if (!list) return values as T[];
  return values.map((value) => {
    if (value.kind !== 'string') return value;
    const string = value as unknown as StringValue;
    if (!string.definition || string.definition.allowedList === list) return value;
    return { ...string, definition: { ...string.definition, allowedList: list } } as unknown as T;
  });
}
