/**
 * The abstract values that both readers evaluate template expressions into. An expression
 * evaluates to a list of alternatives ("it is one of these"), each a concrete value that remembers
 * where its text is written. Objects and arrays hold one value per property or item; an expression
 * whose parts each have alternatives expands into the product, capped so that no template can make
 * the analysis explode. What cannot be known statically is `unknown`: never guessed.
 */
import type { ValueDefinition } from './model';

export type Value =
  | StringValue
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | ObjectValue
  | ArrayValue
  | { kind: 'unknown' };

export interface StringValue {
  kind: 'string';
  value: string;
  /** Where this exact text is written; absent for computed strings. */
  definition?: ValueDefinition;
}

export interface ObjectValue {
  kind: 'object';
  /** Property names keep their case; look them up with `getProperty`, which ignores case. */
  properties: Map<string, Value>;
}

export interface ArrayValue {
  kind: 'array';
  items: Value[];
}

/** The most alternatives an expression may expand to; beyond it the rest is `unknown`. */
export const maximumAlternatives = 256;

export const unknownValue: Value = { kind: 'unknown' };

export function stringValue(value: string, definition?: ValueDefinition): StringValue {
  return definition ? { kind: 'string', value, definition } : { kind: 'string', value };
}

/** ARM and Bicep property access ignore case, as Azure Resource Manager does. */
export function getProperty(object: ObjectValue, name: string): Value | undefined {
  const exact = object.properties.get(name);
  if (exact !== undefined) return exact;
  const lower = name.toLowerCase();
  for (const [key, value] of object.properties) {
    if (key.toLowerCase() === lower) return value;
  }
  return undefined;
}

/**
 * Every combination of one alternative per part, at most `maximumAlternatives` of them. Used to
 * evaluate a call or an object literal whose arguments each have several alternatives.
 */
export function product<T>(parts: readonly (readonly T[])[]): T[][] {
  let combinations: T[][] = [[]];
  for (const alternatives of parts) {
    const next: T[][] = [];
    for (const combination of combinations) {
      for (const alternative of alternatives) {
        if (next.length >= maximumAlternatives) break;
        next.push([...combination, alternative]);
      }
    }
    combinations = next;
  }
  return combinations;
}

/** Removes alternatives that are the same value written in the same place. */
export function distinctValues(values: readonly Value[]): Value[] {
  const seen = new Set<string>();
  const result: Value[] = [];
  for (const value of values) {
    const key = valueKey(value);
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(value);
    if (result.length >= maximumAlternatives) break;
  }
  return result;
}

function valueKey(value: Value): string {
  switch (value.kind) {
    case 'string': {
      const where = value.definition ? `${value.definition.location.file}:${value.definition.location.range.start}` : '';
      return `s:${where}:${value.value}`;
    }
    case 'number':
    case 'boolean':
      return `${value.kind}:${value.value}`;
    case 'null':
    case 'unknown':
      return value.kind;
    case 'object':
      return `o{${[...value.properties].map(([key, item]) => `${key}=${valueKey(item)}`).join(',')}}`;
    case 'array':
      return `a[${value.items.map(valueKey).join(',')}]`;
  }
}

/** The plain text of a value as ARM's `string()` and Bicep interpolation would write it. */
export function valueToText(value: Value): string | undefined {
  switch (value.kind) {
    case 'string':
      return value.value;
    case 'number':
    case 'boolean':
      return String(value.value);
    case 'null':
      return '';
    case 'unknown':
      return undefined;
    case 'object':
    case 'array': {
      const plain = toPlain(value);
      return plain === undefined ? undefined : JSON.stringify(plain);
    }
  }
}

function toPlain(value: Value): unknown {
  switch (value.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return value.value;
    case 'null':
      return null;
    case 'unknown':
      return undefined;
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const [key, item] of value.properties) {
        const plain = toPlain(item);
        if (plain === undefined) return undefined;
        result[key] = plain;
      }
      return result;
    }
    case 'array': {
      const result: unknown[] = [];
      for (const item of value.items) {
        const plain = toPlain(item);
        if (plain === undefined) return undefined;
        result.push(plain);
      }
      return result;
    }
  }
}
