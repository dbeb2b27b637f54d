/**
 * The Bicep built-in functions the evaluator computes: those that shape image objects and image
 * names without depending on the deployment (`union`, `concat`, `format`, `toLower`, `coalesce`,
 * `map`, `loadJsonContent`...). A computed string has no definition, since no single literal
 * holds it. Every other function, and any call whose arguments are not known, is `unknown`.
 */
import {
  loadedFileIn,
  markLoaded,
  maximumAlternatives,
  maximumComputedArrayLength,
  maximumComputedTextLength,
  mapProduct,
  product,
  productIsCut,
  stringValue,
  unknownValue,
  valueToText,
  type Value,
} from '../values';
import type { OffsetRange } from '../model';
import type { Expression } from './syntax';

/** Values bound to loop variables and lambda parameters. */
export type Locals = ReadonlyMap<string, readonly Value[]>;

export interface FunctionHelpers {
  /** Evaluates an argument (with other locals for a lambda body). */
  evaluate(argument: Expression, locals?: Locals): Value[];
  locals: Locals;
  /**
   * The text of a file named relative to the current file, for `loadJsonContent`; `where` is the
   * path's literal, where a refusal to read it is reported.
   */
  readFile(relative: string, where?: OffsetRange): string | undefined;
  /**
   * True once a file was loaded in this read: only then can an argument hold a loaded value,
   * whose results must be marked loaded too (`loadedFileOf`).
   */
  loadedAny(): boolean;
}

/** Larger `range()` results are unknown rather than enumerated. */
const maximumRange = 64;

export function callBuiltInFunction(name: string, argumentNodes: readonly Expression[], helpers: FunctionHelpers): Value[] {
  const lowerName = name.toLowerCase();
  switch (lowerName) {
    case 'map':
    case 'filter':
      return callWithLambda(lowerName, argumentNodes, helpers);
  }
  const compute = pureFunctions[lowerName];
  if (!compute) return [unknownValue];
  const argumentAlternatives = argumentNodes.map((argument) => helpers.evaluate(argument));
  const results: Value[] = [];
  const tracksLoaded = helpers.loadedAny();
  // Combinations past the cap are not tried: an `unknown` says the list is incomplete.
  if (productIsCut(argumentAlternatives)) results.push(unknownValue);
  for (const combination of product(argumentAlternatives)) {
    const computed = compute(combination, helpers);
    // What is computed from a loaded value (`toLower`, `format`, `split`...) is loaded as well.
    const loaded = tracksLoaded ? loadedFileIn(combination) : undefined;
    results.push(...(loaded === undefined ? computed : computed.map((value) => markLoaded(value, loaded))));
    if (results.length >= maximumAlternatives) {
      results.push(unknownValue);
      break;
    }
  }
  return results;
}

type PureFunction = (values: Value[], helpers: FunctionHelpers) => Value[];

const pureFunctions: Record<string, PureFunction | undefined> = {
  union: (values) => [values.reduce((merged, value) => unionOf(merged, value))],
  concat: (values) => {
    if (values.length > 0 && values.every((value) => value.kind === 'array')) {
      const items = values.flatMap((value) => (value.kind === 'array' ? value.items : []));
      return [items.length > maximumComputedArrayLength ? unknownValue : { kind: 'array', items }];
    }
    return [computedText(values)];
  },
  format: ([format, ...values]) => {
    if (format?.kind !== 'string') return [unknownValue];
    let unknown = false;
    const text = format.value.replace(/\{\{|\}\}|\{(\d+)(?:[,:][^}]*)?\}/g, (match, index: string | undefined) => {
      if (match === '{{') return '{';
      if (match === '}}') return '}';
      const value = values[Number(index)];
      const part = value === undefined ? undefined : valueToText(value);
      if (part === undefined) unknown = true;
      return part ?? '';
    });
    return [unknown ? unknownValue : stringValue(text)];
  },
  tolower: ([value]) => [value?.kind === 'string' ? stringValue(value.value.toLowerCase()) : unknownValue],
  toupper: ([value]) => [value?.kind === 'string' ? stringValue(value.value.toUpperCase()) : unknownValue],
  // `string()` of a string is that very text, so it keeps its definition.
  string: ([value]) => {
    if (value?.kind === 'string') return [value];
    const text = value === undefined ? undefined : valueToText(value);
    return [text === undefined ? unknownValue : stringValue(text)];
  },
  coalesce: (values) => {
    for (const value of values) {
      if (value.kind === 'unknown') return [unknownValue];
      if (value.kind !== 'null') return [value];
    }
    return [{ kind: 'null' }];
  },
  first: ([value]) => {
    if (value?.kind === 'array') return [value.items[0] ?? { kind: 'null' }];
    if (value?.kind === 'string') return [stringValue(value.value.slice(0, 1))];
    return [unknownValue];
  },
  last: ([value]) => {
    if (value?.kind === 'array') return [value.items[value.items.length - 1] ?? { kind: 'null' }];
    if (value?.kind === 'string') return [stringValue(value.value.slice(-1))];
    return [unknownValue];
  },
  length: ([value]) => {
    if (value?.kind === 'array') return [{ kind: 'number', value: value.items.length }];
    if (value?.kind === 'string') return [{ kind: 'number', value: value.value.length }];
    if (value?.kind === 'object') return [{ kind: 'number', value: value.properties.size }];
    return [unknownValue];
  },
  range: ([start, count]) => {
    if (start?.kind !== 'number' || count?.kind !== 'number' || count.value < 0 || count.value > maximumRange)
      return [unknownValue];
    const items: Value[] = [];
    for (let index = 0; index < count.value; index++) items.push({ kind: 'number', value: start.value + index });
    return [{ kind: 'array', items }];
  },
  json: ([value]) => [value?.kind === 'string' ? parseJsonValue(value.value) : unknownValue],
  loadjsoncontent: ([path], helpers) => {
    if (path?.kind !== 'string') return [unknownValue];
    const text = helpers.readFile(path.value, path.definition?.location.range);
    // Every value of the file remembers it: such values are checked but never quoted.
    return [text === undefined ? unknownValue : parseJsonValue(text, path.value)];
  },
};

/** `union()` of objects merges properties (nested objects deeply); of arrays, concatenates. */
function unionOf(left: Value, right: Value): Value {
  if (left.kind === 'object' && right.kind === 'object') {
    const properties = new Map(left.properties);
    for (const [key, value] of right.properties) {
      const existingKey = [...properties.keys()].find((name) => name.toLowerCase() === key.toLowerCase());
      const existing = existingKey === undefined ? undefined : properties.get(existingKey);
      if (existingKey !== undefined) properties.delete(existingKey);
      properties.set(key, existing?.kind === 'object' && value.kind === 'object' ? unionOf(existing, value) : value);
    }
    return { kind: 'object', properties };
  }
  if (left.kind === 'array' && right.kind === 'array') return { kind: 'array', items: [...left.items, ...right.items] };
  return unknownValue;
}

function computedText(values: readonly Value[]): Value {
  let text = '';
  for (const value of values) {
    if (value.kind !== 'string' && value.kind !== 'number' && value.kind !== 'boolean') return unknownValue;
    text += String(value.value);
    if (text.length > maximumComputedTextLength) return unknownValue;
  }
  return stringValue(text);
}

/**
 * JSON text as a value; its strings have no definition (they are not Bicep literals). With
 * `loadedFrom`, every value in it is marked as loaded from that file.
 */
export function parseJsonValue(text: string, loadedFrom?: string): Value {
  let plain: unknown;
  try {
    plain = JSON.parse(stripJsonComments(text));
  } catch {
    return unknownValue;
  }
  return plainToValue(plain, loadedFrom);
}

function stripJsonComments(text: string): string {
  // A byte order mark is common in files written on Windows.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function plainToValue(plain: unknown, loadedFrom: string | undefined): Value {
  const loaded = loadedFrom === undefined ? {} : { loadedFrom };
  if (plain === null) return { kind: 'null' };
  if (typeof plain === 'string') return { kind: 'string', value: plain, ...loaded };
  if (typeof plain === 'number') return { kind: 'number', value: plain, ...loaded };
  if (typeof plain === 'boolean') return { kind: 'boolean', value: plain };
  if (Array.isArray(plain)) return { kind: 'array', items: plain.map((item) => plainToValue(item, loadedFrom)), ...loaded };
  if (typeof plain === 'object') {
    return {
      kind: 'object',
      properties: new Map(Object.entries(plain as object).map(([key, value]) => [key, plainToValue(value, loadedFrom)])),
      ...loaded,
    };
  }
  return unknownValue;
}

/** `map(array, item => ...)` and `filter(array, item => ...)`, with an optional index parameter. */
function callWithLambda(name: 'map' | 'filter', argumentNodes: readonly Expression[], helpers: FunctionHelpers): Value[] {
  const [arrayNode, lambda] = argumentNodes;
  if (!arrayNode || lambda?.kind !== 'lambda') return [unknownValue];
  const results: Value[] = [];
  for (const array of helpers.evaluate(arrayNode)) {
    if (array.kind !== 'array' || array.items.length > maximumRange) {
      results.push(unknownValue);
      continue;
    }
    const perItem: Value[][] = array.items.map((item, index) => {
      const locals = new Map(helpers.locals);
      if (lambda.parameters[0]) locals.set(lambda.parameters[0].name, [item]);
      if (lambda.parameters[1]) locals.set(lambda.parameters[1].name, [{ kind: 'number', value: index }]);
      const body = helpers.evaluate(lambda.body, locals);
      if (name === 'map') return body;
      // A filter keeps an item unless its condition is known to be false.
      return body.every((value) => value.kind === 'boolean' && !value.value) ? [] : [item];
    });
    const kept = name === 'filter' ? perItem.filter((alternatives) => alternatives.length > 0) : perItem;
    results.push(...mapProduct(kept, (items): Value => ({ kind: 'array', items }), unknownValue));
  }
  return results;
}
