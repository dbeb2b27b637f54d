/**
 * The template functions both readers compute, with Azure Resource Manager's semantics. Bicep
 * compiles to ARM, so `startsWith`, `split`, `union`, `coalesce`, `??`... have one implementation
 * here, which the ARM evaluator and the Bicep evaluator both call; the twin-parity test
 * (`test/src/readers/functionParity.test.ts`) runs every function listed in `supportedFunctions`
 * through an ARM template and its Bicep twin and requires the same candidates.
 *
 * Functions work over alternatives: each argument is the list of values it can take, and a call
 * gives the list of values it can return. Functions that choose among their arguments
 * (`coalesce`, `first`, `tryGet`, `filter`...) keep each string's definition; functions that build
 * new text (`concat`, `format`, `toLower`...) give computed strings, which a rule can check but a
 * fix cannot edit in place. A combination of arguments whose result cannot be known (an unknown
 * argument, a value of the wrong type, an index out of range: where Azure would fail the
 * deployment) gives `unknown`, never a guess; and a list of combinations cut at
 * `maximumAlternatives` ends with `unknown`, so that it never passes for a complete one.
 *
 * The evaluators keep different representations (the ARM one reads object and array literals
 * lazily); `ValueAccess` is what a function may ask of a value, and `FunctionValue` says that a
 * value is either a plain `Value` or something only the access understands.
 */
import { parseJsonDocument, toPlainJson } from '../arm/jsonDocument';
import {
  mapProduct,
  maximumAlternatives,
  maximumComputedArrayLength,
  maximumComputedTextLength,
  product,
  productIsCut,
  unknownValue,
  valueToText,
  withConditionsOfParts,
  type Value,
} from '../values';

/** A value an evaluator reads on demand (an ARM object literal, a list of item alternatives). */
export interface DeferredValue {
  kind: 'node' | 'list';
}

export type FunctionValue = Value | DeferredValue;

/** What a function may ask of a value in the evaluator's own representation. */
export interface ValueAccess<V extends FunctionValue> {
  isArray(value: V): boolean;
  isObject(value: V): boolean;
  /** The number of items of an array or properties of an object; undefined for anything else. */
  lengthOf(value: V): number | undefined;
  /** The alternatives of an array's item; undefined past its end (or when it is no array). */
  itemAt(value: V, index: number): V[] | undefined;
  /** The alternatives of a property (names ignore case); undefined when there is none. */
  memberOf(value: V, name: string): V[] | undefined;
  /** `value[key]`: an unknown key is every entry. */
  indexInto(value: V, key: V): V[];
  /** The property names of an object, in the order written. */
  keysOf(value: V): string[] | undefined;
  /** The value as plain values (a lazy object becomes the product of its properties, capped). */
  materialize(value: V): Value[];
  /** An array whose items each have these alternatives. */
  arrayOf(items: V[][]): V[];
}

/** A lambda argument (`map(xs, x => ...)`, ARM `lambda('x', ...)`): its body for bound parameters. */
export type Lambda<V extends FunctionValue> = (parameters: V[][]) => V[];

/** Arrays longer than this are not walked by `map`, `filter` and `range` (their result is unknown). */
export const maximumLambdaItems = 64;

type F = FunctionValue;
type TemplateFunction = (args: F[][], access: ValueAccess<F>, lambdas: readonly (Lambda<F> | undefined)[]) => F[];

/**
 * The values a call can return; undefined when the function is not one this library computes
 * (the caller decides: `unknown`, or one of its own). `name` is lower case.
 */
export function callTemplateFunction<V extends FunctionValue>(
  name: string,
  args: V[][],
  access: ValueAccess<V>,
  lambdas: readonly (Lambda<V> | undefined)[] = [],
): V[] | undefined {
  const implementation = templateFunctions[name];
  // The functions only ever return plain values and the values they were given.
  return implementation
    ? (implementation(args, access as unknown as ValueAccess<F>, lambdas as unknown as readonly (Lambda<F> | undefined)[]) as V[])
    : undefined;
}

const unknownList = [unknownValue];
const nullValue: Value = { kind: 'null' };

function out(value: Value): F {
  return value;
}

function unknowns(): F[] {
  return unknownList;
}

/** The function applied to each combination of one alternative per argument (capped). */
function eachCombination(args: F[][], compute: (combination: F[]) => F | F[]): F[] {
  const results: F[] = [];
  let cut = productIsCut(args);
  for (const combination of product(args)) {
    const computed = compute(combination);
    if (Array.isArray(computed)) {
      for (const value of computed) results.push(value);
    } else results.push(computed);
    if (results.length > maximumAlternatives) {
      results.length = maximumAlternatives;
      cut = true;
      break;
    }
  }
  // A list cut short ends with `unknown`: it must never pass for the whole.
  if (cut) results.push(unknowns()[0]);
  return results;
}

function textOf(value: FunctionValue): string | undefined {
  return value.kind === 'string' ? value.value : undefined;
}

/** Text of a scalar as ARM writes it into a string (`concat`, `format`, interpolation). */
function scalarText(value: FunctionValue): string | undefined {
  return value.kind === 'string' || value.kind === 'number' || value.kind === 'boolean' || value.kind === 'null'
    ? valueToText(value)
    : undefined;
}

function numberOf(value: FunctionValue): number | undefined {
  return value.kind === 'number' ? value.value : undefined;
}

function booleanValue(value: boolean): F {
  return out({ kind: 'boolean', value });
}

function numberValue(value: number): F {
  return out({ kind: 'number', value });
}

function computedText(text: string | undefined): F {
  return out(text === undefined || text.length > maximumComputedTextLength ? unknownValue : { kind: 'string', value: text });
}

/** Text built from `parts` keeps the conditions of each (an `if()` branch): see `withConditionsOfParts`. */
function keepConditions(text: F, parts: readonly F[]): F {
  return text.kind === 'string' ? withConditionsOfParts(text, parts as readonly Value[]) : text;
}

/** A text function of string arguments only (`args` fixed to `count` of them). */
function textFunction(
  count: number,
  compute: (texts: string[]) => string | undefined,
  longest?: (texts: string[]) => number,
): TemplateFunction {
  return (args) => {
    if (args.length < count) return unknowns();
    return eachCombination(args.slice(0, count), (combination) => {
      const texts: string[] = [];
      for (const value of combination) {
        const text = textOf(value);
        if (text === undefined) return unknowns()[0];
        texts.push(text);
      }
      if (longest && longest(texts) > maximumComputedTextLength) return unknowns()[0];
      return keepConditions(computedText(compute(texts)), combination);
    });
  };
}

/** A test on two strings, giving a boolean or a number (`startsWith`, `indexOf`...). */
function stringTest(compute: (text: string, find: string) => boolean | number, arrays?: 'first' | 'last'): TemplateFunction {
  return (args, access) => {
    if (args.length < 2) return unknowns();
    return eachCombination(args.slice(0, 2), ([text, find]) => {
      const left = textOf(text);
      const right = textOf(find);
      if (left === undefined || right === undefined) {
        // `indexOf(array, item)` searches an array.
        if (arrays !== undefined && access.isArray(text)) return arraySearch(text, find, access, arrays);
        return unknowns()[0];
      }
      // ARM compares these case-insensitively.
      const result = compute(left.toLowerCase(), right.toLowerCase());
      return typeof result === 'boolean' ? booleanValue(result) : numberValue(result);
    });
  };
}

const firstIndex = (text: string, find: string): number => text.indexOf(find);
const lastIndex = (text: string, find: string): number => text.lastIndexOf(find);

/** The key two scalars share when they are the same value (definitions ignored); undefined for others. */
function plainKey(value: FunctionValue): string | undefined {
  switch (value.kind) {
    case 'string':
      return `s:${value.value}`;
    case 'number':
    case 'boolean':
      return `${value.kind}:${value.value}`;
    case 'null':
      return 'null';
    case 'object':
    case 'array': {
      const text = valueToText(value);
      return text === undefined ? undefined : `${value.kind}:${text}`;
    }
    default:
      return undefined;
  }
}

/**
 * Whether an array holds an item equal to `find`: true when one item surely is, false when every
 * item surely is not, undefined when that is not known. `index` gives the position instead.
 */
function searchItems(array: F, find: F, access: ValueAccess<F>, from: 'first' | 'last'): number | undefined {
  const wanted = plainKey(find);
  const length = access.lengthOf(array);
  if (wanted === undefined || length === undefined) return undefined;
  let uncertain = false;
  for (let step = 0; step < length; step++) {
    const index = from === 'first' ? step : length - 1 - step;
    const item = access.itemAt(array, index) ?? unknowns();
    const keys = item.map(plainKey);
    if (keys.length === 1 && keys[0] === wanted) {
      if (!uncertain) return index;
      return undefined;
    }
    if (keys.some((key) => key === undefined || key === wanted)) uncertain = true;
  }
  return uncertain ? undefined : -1;
}

function arraySearch(array: F, find: F, access: ValueAccess<F>, from: 'first' | 'last'): F {
  const index = searchItems(array, find, access, from);
  return index === undefined ? unknowns()[0] : numberValue(index);
}

/** `first()` and `last()`: a string's character, an array's item (its alternatives), null for []. */
function endOf(value: F, end: 'first' | 'last', access: ValueAccess<F>): F[] {
  const text = textOf(value);
  if (text !== undefined) return [computedText(end === 'first' ? text.slice(0, 1) : text.slice(-1))];
  if (!access.isArray(value)) return unknowns();
  const length = access.lengthOf(value) ?? 0;
  if (length === 0) return [out(nullValue)];
  return access.itemAt(value, end === 'first' ? 0 : length - 1) ?? unknowns();
}

/** Every item of an array with its alternatives; undefined when it has too many for `limit`. */
function itemsOf(array: F, access: ValueAccess<F>, limit: number): F[][] | undefined {
  const length = access.lengthOf(array);
  if (length === undefined || length > limit) return undefined;
  const items: F[][] = [];
  for (let index = 0; index < length; index++) items.push(access.itemAt(array, index) ?? unknowns());
  return items;
}

/** Truth of a value converted by `bool()`: booleans, 'true'/'false' in any case, and numbers. */
function booleanOf(value: FunctionValue): boolean | undefined {
  if (value.kind === 'boolean') return value.value;
  if (value.kind === 'number') return value.value !== 0;
  if (value.kind === 'string') {
    const lower = value.value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return undefined;
}

/**
 * `union()` of two objects: a property of the second replaces the first's, except that two
 * objects under the same name are merged in turn (Azure merges nested objects; nested arrays are
 * replaced). Property names ignore case; the later spelling wins.
 */
function mergeObjects(left: Value & { kind: 'object' }, right: Value & { kind: 'object' }): Value & { kind: 'object' } {
  const properties = new Map(left.properties);
  // Names by their lower case: a lookup per property, whatever the objects' sizes.
  const spellings = new Map<string, string>();
  for (const name of properties.keys()) spellings.set(name.toLowerCase(), name);
  for (const [key, value] of right.properties) {
    const lower = key.toLowerCase();
    const existingKey = spellings.get(lower);
    const existing = existingKey === undefined ? undefined : properties.get(existingKey);
    if (existingKey !== undefined) properties.delete(existingKey);
    properties.set(key, existing?.kind === 'object' && value.kind === 'object' ? mergeObjects(existing, value) : value);
    spellings.set(lower, key);
  }
  return { kind: 'object', properties };
}

/** Items of the arrays in order, each value once (compared by value, the first one kept). */
function unionOfArrays(arrays: readonly (Value & { kind: 'array' })[]): Value {
  const items: Value[] = [];
  const seen = new Set<string>();
  for (const array of arrays) {
    for (const item of array.items) {
      const key = plainKey(item);
      if (key === undefined) return unknownValue;
      if (seen.has(key)) continue;
      seen.add(key);
      items.push(item);
      if (items.length > maximumComputedArrayLength) return unknownValue;
    }
  }
  return { kind: 'array', items };
}

function materializeAll(args: F[][], access: ValueAccess<F>): Value[][] {
  return args.map((alternatives) => alternatives.flatMap((alternative) => access.materialize(alternative)));
}

/** `{ key, value }` objects of an object's properties, sorted by key as `items()` gives them. */
function entriesOf(object: F, access: ValueAccess<F>): F[] {
  const keys = access.keysOf(object);
  if (keys === undefined || keys.length > maximumLambdaItems) return unknowns();
  const sorted = [...keys].sort((a, b) => {
    const left = a.toLowerCase();
    const right = b.toLowerCase();
    return left < right ? -1 : left > right ? 1 : 0;
  });
  const items = sorted.map((key): F[] =>
    (access.memberOf(object, key) ?? unknowns())
      .flatMap((value) => access.materialize(value))
      .map((value) =>
        out({
          kind: 'object',
          properties: new Map<string, Value>([
            ['key', { kind: 'string', value: key }],
            ['value', value],
          ]),
        }),
      ),
  );
  return access.arrayOf(items);
}

function decodeBase64(text: string): string | undefined {
  try {
    const binary = atob(text);
    const bytes = Uint8Array.from(binary, (character) => character.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function encodeBase64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * .NET composite formatting as `format()` does it: `{0}`, `{{` and `}}`. An alignment or a format
 * specifier (`{0,5}`, `{0:N2}`) is not reproduced: the result is unknown.
 */
function formatText(pattern: string, values: readonly FunctionValue[]): string | undefined {
  let known = true;
  const text = pattern.replace(
    /\{\{|\}\}|\{(\d+)([,:][^}]*)?\}/g,
    (match, index: string | undefined, extra: string | undefined) => {
      if (match === '{{') return '{';
      if (match === '}}') return '}';
      const value = values[Number(index)];
      const part = value === undefined || extra !== undefined ? undefined : scalarText(value);
      if (part === undefined) known = false;
      return part ?? '';
    },
  );
  return known ? text : undefined;
}

/** The functions, by lower-case name. `supportedFunctions` lists them for the documentation. */
const templateFunctions: Record<string, TemplateFunction | undefined> = {
  // --- Strings -------------------------------------------------------------------------------
  concat: (args, access) => {
    if (args.length === 0) return unknowns();
    if (args.some((alternatives) => alternatives.some((value) => access.isArray(value)))) {
      return eachCombination(args, (combination) => {
        const items: (typeof combination)[] = [];
        for (const value of combination) {
          const length = access.isArray(value) ? access.lengthOf(value) : undefined;
          // Every item, or an unknown array: a list cut short would give `last()` and `length()` wrong answers.
          if (length === undefined || items.length + length > maximumComputedArrayLength) return unknowns()[0];
          for (let index = 0; index < length; index++) items.push(access.itemAt(value, index) ?? unknowns());
        }
        return access.arrayOf(items);
      });
    }
    return eachCombination(args, (combination) => {
      let text = '';
      for (const value of combination) {
        const part = scalarText(value);
        if (part === undefined || text.length + part.length > maximumComputedTextLength) return unknowns()[0];
        text += part;
      }
      return keepConditions(computedText(text), combination);
    });
  },
  format: (args) => {
    if (args.length === 0) return unknowns();
    return eachCombination(args, ([pattern, ...values]) => {
      const text = textOf(pattern);
      if (text === undefined) return unknowns()[0];
      const longest = values.reduce((total, value) => total + (scalarText(value)?.length ?? 0), 0);
      if (text.length + (text.split('{').length - 1) * longest > maximumComputedTextLength) return unknowns()[0];
      return keepConditions(computedText(formatText(text, values)), [pattern, ...values]);
    });
  },
  tolower: textFunction(1, ([text]) => text.toLowerCase()),
  toupper: textFunction(1, ([text]) => text.toUpperCase()),
  trim: textFunction(1, ([text]) => text.trim()),
  replace: textFunction(
    3,
    ([text, old, replacement]) => (old === '' ? undefined : text.split(old).join(replacement)),
    ([text, old, replacement]) => text.length + (Math.floor(text.length / Math.max(1, old.length)) + 1) * replacement.length,
  ),
  substring: (args) =>
    eachCombination(args.length === 2 ? [...args, unknowns()] : args.slice(0, 3), ([value, start, length]) => {
      const text = textOf(value);
      const from = numberOf(start);
      const count =
        args.length === 2 ? (text !== undefined && from !== undefined ? text.length - from : undefined) : numberOf(length);
      if (text === undefined || from === undefined || count === undefined) return unknowns()[0];
      if (from < 0 || count < 0 || from + count > text.length) return unknowns()[0];
      return keepConditions(computedText(text.slice(from, from + count)), [value]);
    }),
  startswith: stringTest((text, find) => text.startsWith(find)),
  endswith: stringTest((text, find) => text.endsWith(find)),
  indexof: stringTest(firstIndex, 'first'),
  lastindexof: stringTest(lastIndex, 'last'),
  split: (args, access) =>
    eachCombination(args.slice(0, 2), ([value, delimiters]) => {
      const text = textOf(value);
      if (text === undefined || args.length < 2) return unknowns()[0];
      let separators: string[] | undefined;
      if (textOf(delimiters) !== undefined) separators = [textOf(delimiters)!];
      else if (access.isArray(delimiters)) {
        const items = itemsOf(delimiters, access, maximumLambdaItems);
        const texts = items?.map((alternatives) => (alternatives.length === 1 ? textOf(alternatives[0]) : undefined));
        if (texts && texts.every((item) => item !== undefined)) separators = texts as string[];
      }
      if (separators === undefined || separators.some((separator) => separator === '')) return unknowns()[0];
      let parts = [text];
      for (const separator of separators) parts = parts.flatMap((part) => part.split(separator));
      if (parts.length > maximumComputedArrayLength) return unknowns()[0];
      return access.arrayOf(parts.map((part) => [computedText(part)]));
    }),
  string: (args, access) =>
    (args[0] ?? unknowns()).flatMap((value) => {
      // A string stays the very same text, so it keeps the place where it is written.
      if (value.kind === 'string' || value.kind === 'unknown') return [value];
      return access.materialize(value).map((plain) => computedText(valueToText(plain)));
    }),
  base64: textFunction(1, ([text]) => encodeBase64(text)),
  base64tostring: textFunction(1, ([text]) => decodeBase64(text)),

  // --- Arrays and objects -------------------------------------------------------------------
  first: (args, access) => (args[0] ?? unknowns()).flatMap((value) => endOf(value, 'first', access)),
  last: (args, access) => (args[0] ?? unknowns()).flatMap((value) => endOf(value, 'last', access)),
  length: (args, access) =>
    (args[0] ?? unknowns()).map((value) => {
      const text = textOf(value);
      if (text !== undefined) return numberValue(text.length);
      const length = access.isArray(value) || access.isObject(value) ? access.lengthOf(value) : undefined;
      return length === undefined ? unknowns()[0] : numberValue(length);
    }),
  empty: (args, access) =>
    (args[0] ?? unknowns()).map((value) => {
      if (value.kind === 'null') return booleanValue(true);
      const text = textOf(value);
      if (text !== undefined) return booleanValue(text === '');
      const length = access.isArray(value) || access.isObject(value) ? access.lengthOf(value) : undefined;
      return length === undefined ? unknowns()[0] : booleanValue(length === 0);
    }),
  contains: (args, access) => {
    if (args.length < 2) return unknowns();
    return eachCombination(args.slice(0, 2), ([container, item]) => {
      if (container.kind === 'unknown' || item.kind === 'unknown') return unknowns()[0];
      const text = textOf(container);
      // Strings compare case-sensitively; object keys ignore case.
      if (text !== undefined) {
        const find = scalarText(item);
        return find === undefined ? unknowns()[0] : booleanValue(text.includes(find));
      }
      if (access.isObject(container)) {
        const key = textOf(item);
        return key === undefined ? unknowns()[0] : booleanValue(access.memberOf(container, key) !== undefined);
      }
      if (access.isArray(container)) {
        const index = searchItems(container, item, access, 'first');
        return index === undefined ? unknowns()[0] : booleanValue(index >= 0);
      }
      return unknowns()[0];
    });
  },
  join: (args, access) =>
    eachCombination(args.slice(0, 2), ([array, delimiter]) => {
      const separator = args.length < 2 ? undefined : textOf(delimiter);
      const items = separator === undefined ? undefined : itemsOf(array, access, maximumComputedArrayLength);
      if (items === undefined || separator === undefined) return unknowns()[0];
      if (items.every((alternatives) => alternatives.length === 1)) {
        const parts = items.map(([item]) => scalarText(item));
        return parts.every((part) => part !== undefined) ? computedText(parts.join(separator)) : unknowns()[0];
      }
      // Items with several alternatives each: their combinations, for a short array only.
      if (items.length > maximumLambdaItems) return unknowns()[0];
      return mapProduct(
        items,
        (texts) => {
          const parts = texts.map(scalarText);
          if (parts.some((part) => part === undefined)) return unknowns()[0];
          return computedText(parts.join(separator));
        },
        unknowns()[0],
      );
    }),
  createarray: (args, access) => access.arrayOf(args),
  array: (args, access) =>
    (args[0] ?? unknowns()).flatMap((value) => {
      if (value.kind === 'unknown' || access.isArray(value)) return [value];
      return access.arrayOf([[value]]);
    }),
  createobject: (args, access) => {
    if (args.length % 2 !== 0) return unknowns();
    return mapProduct(
      materializeAll(args, access),
      (combination) => {
        const properties = new Map<string, Value>();
        for (let index = 0; index + 1 < combination.length; index += 2) {
          const key = textOf(combination[index]);
          if (key === undefined) return unknowns()[0];
          properties.set(key, combination[index + 1]);
        }
        return out({ kind: 'object', properties });
      },
      unknowns()[0],
    );
  },
  union: (args, access) => {
    if (args.length === 0) return unknowns();
    return mapProduct(
      materializeAll(args, access),
      (combination) => {
        if (combination.every((value) => value.kind === 'object')) {
          return out(combination.reduce((merged: Value & { kind: 'object' }, value) => mergeObjects(merged, value)));
        }
        if (combination.every((value) => value.kind === 'array')) return out(unionOfArrays(combination));
        return unknowns()[0];
      },
      unknowns()[0],
    );
  },
  intersection: (args, access) => {
    if (args.length === 0) return unknowns();
    return mapProduct(
      materializeAll(args, access),
      ([first, ...rest]) => {
        if (first.kind === 'object' && rest.every((value) => value.kind === 'object')) {
          const properties = new Map<string, Value>();
          for (const [key, value] of first.properties) {
            const wanted = plainKey(value);
            if (wanted === undefined) return unknowns()[0];
            const inAll = rest.every((other) => {
              for (const [otherKey, otherValue] of other.kind === 'object' ? other.properties : [])
                if (otherKey.toLowerCase() === key.toLowerCase() && plainKey(otherValue) === wanted) return true;
              return false;
            });
            if (inAll) properties.set(key, value);
          }
          return out({ kind: 'object', properties });
        }
        if (first.kind === 'array' && rest.every((value) => value.kind === 'array')) {
          const others = rest.map((other) => new Set(other.kind === 'array' ? other.items.map(plainKey) : []));
          const items: Value[] = [];
          const seen = new Set<string>();
          for (const item of first.items) {
            const key = plainKey(item);
            if (key === undefined || others.some((other) => other.has(undefined))) return unknowns()[0];
            if (seen.has(key) || !others.every((other) => other.has(key))) continue;
            seen.add(key);
            items.push(item);
          }
          return out({ kind: 'array', items });
        }
        return unknowns()[0];
      },
      unknowns()[0],
    );
  },
  items: (args, access) =>
    (args[0] ?? unknowns()).flatMap((value) => (access.isObject(value) ? entriesOf(value, access) : unknowns())),
  tryget: (args, access) => tryGet(args, access),
  coalesce: (args) => {
    // The first argument that is not null. An unknown one may be null: the later ones count too.
    const result: (typeof args)[number] = [];
    for (const alternatives of args) {
      let mayBeNull = false;
      for (const alternative of alternatives) {
        if (alternative.kind === 'null') mayBeNull = true;
        else result.push(alternative);
        if (alternative.kind === 'unknown') mayBeNull = true;
      }
      if (!mayBeNull) return result;
    }
    return result.length > 0 ? result : [out(nullValue)];
  },
  range: (args) =>
    eachCombination(args.slice(0, 2), ([start, count]) => {
      const from = numberOf(start);
      const length = args.length < 2 ? undefined : numberOf(count);
      if (from === undefined || length === undefined || length < 0 || length > maximumLambdaItems) return unknowns()[0];
      return out({
        kind: 'array',
        items: Array.from({ length }, (_, index): Value => ({ kind: 'number', value: from + index })),
      });
    }),
  skip: (args, access) => skipOrTake(args, access, 'skip'),
  take: (args, access) => skipOrTake(args, access, 'take'),
  map: (args, access, lambdas) => mapOrFilter(args, access, lambdas, 'map'),
  filter: (args, access, lambdas) => mapOrFilter(args, access, lambdas, 'filter'),

  // --- Conversions ---------------------------------------------------------------------------
  int: (args) =>
    (args[0] ?? unknowns()).map((value) => {
      if (value.kind === 'number') return numberValue(Math.trunc(value.value));
      const text = textOf(value)?.trim();
      return text !== undefined && /^[-+]?\d+$/.test(text) ? numberValue(Number(text)) : unknowns()[0];
    }),
  bool: (args) =>
    (args[0] ?? unknowns()).map((value) => {
      const truth = booleanOf(value);
      return truth === undefined ? unknowns()[0] : booleanValue(truth);
    }),
  json: (args) =>
    (args[0] ?? unknowns()).map((value) => {
      const text = textOf(value);
      if (text === undefined) return unknowns()[0];
      const document = parseJsonDocument(text);
      return document.root ? out(plainValue(toPlainJson(document.root))) : unknowns()[0];
    }),
};

/** `tryGet(value, key, ...)`: the value at the keys, or null where one is missing. */
function tryGet(args: F[][], access: ValueAccess<F>): F[] {
  if (args.length < 2) return unknowns();
  let current = args[0];
  for (const keys of args.slice(1)) {
    const next: F[] = [];
    for (const value of current) {
      for (const key of keys) {
        if (value.kind === 'null') next.push(value);
        else if (key.kind === 'string' && access.isObject(value))
          next.push(...(access.memberOf(value, key.value) ?? [out(nullValue)]));
        else if (key.kind === 'number' && access.isArray(value))
          next.push(...(access.itemAt(value, key.value) ?? [out(nullValue)]));
        else next.push(...access.indexInto(value, key));
        if (next.length >= maximumAlternatives) return [...next, unknowns()[0]];
      }
    }
    current = next;
  }
  return current;
}

function skipOrTake(args: F[][], access: ValueAccess<F>, which: 'skip' | 'take'): F[] {
  if (args.length < 2) return unknowns();
  return eachCombination(args.slice(0, 2), ([value, count]) => {
    const number = numberOf(count);
    if (number === undefined) return unknowns()[0];
    const text = textOf(value);
    const from = which === 'skip' ? Math.max(0, number) : 0;
    if (text !== undefined) return computedText(which === 'skip' ? text.slice(from) : text.slice(0, Math.max(0, number)));
    const items = itemsOf(value, access, maximumComputedArrayLength);
    if (items === undefined) return unknowns()[0];
    return access.arrayOf(which === 'skip' ? items.slice(from) : items.slice(0, Math.max(0, number)));
  });
}

/**
 * `map(array, lambda)` and `filter(array, lambda)`, with the item's index as the lambda's optional
 * second parameter. A filter whose condition is not known for some item gives an unknown array:
 * keeping or dropping that item would be a guess (and `first()` of it a wrong image).
 */
function mapOrFilter(
  args: F[][],
  access: ValueAccess<F>,
  lambdas: readonly (Lambda<F> | undefined)[],
  which: 'map' | 'filter',
): F[] {
  const lambda = lambdas[1];
  if (!lambda || !args[0]) return unknowns();
  const results: F[] = [];
  for (const array of args[0]) {
    const items = access.isArray(array) ? itemsOf(array, access, maximumLambdaItems) : undefined;
    if (items === undefined) {
      results.push(unknowns()[0]);
      continue;
    }
    const kept: F[][] = [];
    let known = true;
    items.forEach((item, index) => {
      const body = lambda([item, [numberValue(index)]]);
      if (which === 'map') {
        kept.push(body);
        return;
      }
      if (body.every((value) => value.kind === 'boolean' && value.value)) kept.push(item);
      else if (!body.every((value) => value.kind === 'boolean' && !value.value)) known = false;
    });
    results.push(...(known ? access.arrayOf(kept) : unknowns()));
  }
  return results;
}

/** A plain JSON value (from `json()`) as a value with no definitions. */
function plainValue(plain: unknown): Value {
  if (plain === null) return nullValue;
  if (typeof plain === 'string') return { kind: 'string', value: plain };
  if (typeof plain === 'number') return { kind: 'number', value: plain };
  if (typeof plain === 'boolean') return { kind: 'boolean', value: plain };
  if (Array.isArray(plain)) return { kind: 'array', items: plain.map(plainValue) };
  if (typeof plain === 'object') {
    const properties = new Map<string, Value>();
    for (const [key, item] of Object.entries(plain as Record<string, unknown>)) properties.set(key, plainValue(item));
    return { kind: 'object', properties };
  }
  return unknownValue;
}

/** The names of the functions this library computes, as Azure spells them, for the documentation. */
export const supportedFunctions = [
  'array',
  'base64',
  'base64ToString',
  'bool',
  'coalesce',
  'concat',
  'contains',
  'createArray',
  'createObject',
  'empty',
  'endsWith',
  'filter',
  'first',
  'format',
  'indexOf',
  'int',
  'intersection',
  'items',
  'join',
  'json',
  'last',
  'lastIndexOf',
  'length',
  'map',
  'range',
  'replace',
  'skip',
  'split',
  'startsWith',
  'string',
  'substring',
  'take',
  'toLower',
  'toUpper',
  'trim',
  'tryGet',
  'union',
] as const;
