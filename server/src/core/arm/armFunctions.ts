/**
 * The ARM template functions the evaluator understands, over alternatives: each argument is a list
 * of values it can take and the result is the list of values the call can give. Functions that
 * only choose among their arguments (`if`, `coalesce`, `first`...) keep each string's definition;
 * functions that build new text (`concat`, `format`, `toLower`...) give computed strings, which a
 * rule can check but a fix cannot edit in place. Any function not listed here is unknown.
 */
import {
  maximumComputedArrayLength,
  maximumComputedTextLength,
  mapProduct,
  unknownValue,
  valueToText,
  type Value,
} from '../values';
import { isArrayLike, isObjectLike, plainToValue, type Abstract } from './abstractValue';
import { parseJsonDocument, toPlainJson } from './jsonDocument';

/** Evaluator operations the functions need, passed in to keep this file free of the evaluator. */
export interface FunctionHelpers {
  memberOf(value: Abstract, name: string): Abstract[] | undefined;
  indexInto(value: Abstract, key: Abstract): Abstract[];
  materialize(value: Abstract): Value[];
}

type ArmFunction = (args: Abstract[][], helpers: FunctionHelpers) => Abstract[];

const unknown: Abstract[] = [unknownValue];

export function callArmFunction(name: string, args: Abstract[][], helpers: FunctionHelpers): Abstract[] {
  const implementation = armFunctions[name];
  return implementation ? implementation(args, helpers) : unknown;
}

const armFunctions: Record<string, ArmFunction> = {
  if: ([condition, whenTrue, whenFalse]) => {
    if (!condition || !whenTrue || !whenFalse) return unknown;
    const truths = new Set(condition.map(truthOf));
    const result: Abstract[] = [];
    if (truths.has(true) || truths.has(undefined)) result.push(...whenTrue);
    if (truths.has(false) || truths.has(undefined)) result.push(...whenFalse);
    return result;
  },
  coalesce: (args) => {
    const result: Abstract[] = [];
    for (const alternatives of args) {
      let mayBeNull = false;
      for (const alternative of alternatives) {
        if (alternative.kind === 'null') mayBeNull = true;
        else result.push(alternative);
        if (alternative.kind === 'unknown') mayBeNull = true;
      }
      if (!mayBeNull) return result;
    }
    return result.length > 0 ? result : [{ kind: 'null' }];
  },
  concat: (args, helpers) => {
    if (args.some((alternatives) => alternatives.some(isArrayLike))) return concatenateArrays(args, helpers);
    return mapTexts(args, (texts) => texts.join(''));
  },
  format: (args) =>
    mapTexts(
      args,
      ([pattern, ...values]) => pattern.replace(/\{(\d+)(:[^}]*)?\}/g, (match, index: string) => values[Number(index)] ?? match),
      ([pattern, ...values]) =>
        pattern.length + (pattern.split('{').length - 1) * Math.max(0, ...values.map((value) => value.length)),
    ),
  tolower: (args) => mapTexts(args.slice(0, 1), ([text]) => text.toLowerCase()),
  toupper: (args) => mapTexts(args.slice(0, 1), ([text]) => text.toUpperCase()),
  trim: (args) => mapTexts(args.slice(0, 1), ([text]) => text.trim()),
  replace: (args) =>
    mapTexts(
      args.slice(0, 3),
      ([text, old, replacement]) => text.split(old).join(replacement),
      ([text, old, replacement]) => text.length + (Math.floor(text.length / Math.max(1, old.length)) + 1) * replacement.length,
    ),
  string: ([value], helpers) => {
    if (!value) return unknown;
    return value.flatMap((alternative) => {
      // A string stays the very same text, so it keeps the place where it is written.
      if (alternative.kind === 'string' || alternative.kind === 'unknown') return [alternative];
      return helpers.materialize(alternative).map((plain): Value => {
        const text = valueToText(plain);
        return text === undefined ? unknownValue : { kind: 'string', value: text };
      });
    });
  },
  split: ([texts, delimiters]) => {
    if (!texts || !delimiters) return unknown;
    return mapProduct(
      [texts, delimiters],
      ([text, delimiter]): Abstract => {
        if (text.kind !== 'string' || delimiter.kind !== 'string') return unknownValue;
        return { kind: 'array', items: text.value.split(delimiter.value).map((part) => ({ kind: 'string', value: part })) };
      },
      unknownValue,
    );
  },
  createarray: (args) => [{ kind: 'list', items: args }],
  createobject: (args, helpers) => {
    const materialized = args.map((alternatives) => alternatives.flatMap((alternative) => helpers.materialize(alternative)));
    return mapProduct(
      materialized,
      (combination): Abstract => {
        const properties = new Map<string, Value>();
        for (let index = 0; index + 1 < combination.length; index += 2) {
          const key = combination[index];
          if (key.kind !== 'string') return unknownValue;
          properties.set(key.value, combination[index + 1]);
        }
        return { kind: 'object', properties };
      },
      unknownValue,
    );
  },
  union: (args, helpers) => {
    const materialized = args.map((alternatives) => alternatives.flatMap((alternative) => helpers.materialize(alternative)));
    return mapProduct(
      materialized,
      (combination): Abstract => {
        if (combination.every((value) => value.kind === 'object')) {
          const properties = new Map<string, Value>();
          for (const value of combination) {
            if (value.kind !== 'object') continue;
            for (const [key, property] of value.properties) {
              const existing = [...properties.keys()].find((name) => name.toLowerCase() === key.toLowerCase());
              if (existing !== undefined) properties.delete(existing);
              properties.set(key, property);
            }
          }
          return { kind: 'object', properties };
        }
        if (combination.every((value) => value.kind === 'array')) {
          const items: Value[] = [];
          const seen = new Set<string>();
          for (const value of combination) {
            if (value.kind !== 'array') continue;
            for (const item of value.items) {
              const key = JSON.stringify(valueToText(item) ?? '?') + item.kind;
              if (seen.has(key)) continue;
              seen.add(key);
              items.push(item);
            }
          }
          return { kind: 'array', items };
        }
        return unknownValue;
      },
      unknownValue,
    );
  },
  json: ([texts]) => {
    if (!texts) return unknown;
    return texts.map((text) => {
      if (text.kind !== 'string') return unknownValue;
      const document = parseJsonDocument(text.value);
      return document.root ? plainToValue(toPlainJson(document.root)) : unknownValue;
    });
  },
  first: ([values], helpers) => (values ?? []).flatMap((value) => endOf(value, 'first', helpers)),
  last: ([values], helpers) => (values ?? []).flatMap((value) => endOf(value, 'last', helpers)),
  equals: (args) => compare(args, (left, right) => left === right),
  empty: ([values], helpers) =>
    (values ?? unknown).map((value): Abstract => {
      if (value.kind === 'null') return { kind: 'boolean', value: true };
      if (value.kind === 'string') return { kind: 'boolean', value: value.value === '' };
      const plain = value.kind === 'unknown' ? [] : helpers.materialize(value);
      const text = plain.length === 1 ? valueToText(plain[0]) : undefined;
      if (text === undefined) return unknownValue;
      return { kind: 'boolean', value: text === '{}' || text === '[]' || text === '' };
    }),
  contains: ([containers, items], helpers) => {
    if (!containers || !items) return unknown;
    return mapProduct(
      [containers, items],
      ([container, item]): Abstract => {
        if (item.kind === 'unknown' || container.kind === 'unknown') return unknownValue;
        const itemText = valueToText(item as Value);
        if (container.kind === 'string' && itemText !== undefined) {
          // ARM compares strings case-sensitively here; object keys ignore case.
          return { kind: 'boolean', value: container.value.includes(itemText) };
        }
        if (isObjectLike(container) && item.kind === 'string') {
          return { kind: 'boolean', value: helpers.memberOf(container, item.value) !== undefined };
        }
        return unknownValue;
      },
      unknownValue,
    );
  },
  not: ([values]) =>
    (values ?? unknown).map((value): Abstract => {
      const truth = truthOf(value);
      return truth === undefined ? unknownValue : { kind: 'boolean', value: !truth };
    }),
  and: (args) => combineTruths(args, 'and'),
  or: (args) => combineTruths(args, 'or'),
  true: () => [{ kind: 'boolean', value: true }],
  false: () => [{ kind: 'boolean', value: false }],
  null: () => [{ kind: 'null' }],
  bool: ([values]) =>
    (values ?? unknown).map((value): Abstract => {
      const truth = truthOf(value);
      return truth === undefined ? unknownValue : { kind: 'boolean', value: truth };
    }),
  int: ([values]) =>
    (values ?? unknown).map((value): Abstract => {
      if (value.kind === 'number') return value;
      if (value.kind === 'string' && /^-?\d+$/.test(value.value.trim())) return { kind: 'number', value: Number(value.value) };
      return unknownValue;
    }),
  length: ([values]) =>
    (values ?? unknown).map((value): Abstract => {
      if (value.kind === 'string') return { kind: 'number', value: value.value.length };
      if (value.kind === 'list') return { kind: 'number', value: value.items.length };
      if (value.kind === 'node') {
        const count = value.node.type === 'array' ? value.node.items.length : value.node.properties.length;
        return { kind: 'number', value: count };
      }
      if (value.kind === 'array') return { kind: 'number', value: value.items.length };
      if (value.kind === 'object') return { kind: 'number', value: value.properties.size };
      return unknownValue;
    }),
  tryget: ([objects, keys], helpers) => {
    if (!objects || !keys) return unknown;
    const result: Abstract[] = [];
    for (const object of objects) {
      for (const key of keys) {
        if (key.kind === 'string' && isObjectLike(object))
          result.push(...(helpers.memberOf(object, key.value) ?? [{ kind: 'null' }]));
        else result.push(...helpers.indexInto(object, key));
      }
    }
    return result;
  },
};

/** What a condition is: true, false, or undefined when it is not known. */
function truthOf(value: Abstract): boolean | undefined {
  if (value.kind === 'boolean') return value.value;
  if (value.kind === 'string') {
    const lower = value.value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return undefined;
}

/** Applies a text function to every combination of its arguments' alternatives. */
/**
 * Builds a computed string from every combination of the arguments' texts. `longest` bounds the
 * length of the result from the texts (by default their total, as for `concat`); a result that
 * could exceed `maximumComputedTextLength` is unknown and is never built.
 */
function mapTexts(
  args: Abstract[][],
  build: (texts: string[]) => string,
  longest: (texts: string[]) => number = (texts) => texts.reduce((total, text) => total + text.length, 0),
): Abstract[] {
  if (args.length === 0) return unknown;
  return mapProduct(
    args,
    (combination): Abstract => {
      const texts: string[] = [];
      for (const value of combination) {
        if (value.kind === 'node' || value.kind === 'list') return unknownValue;
        const text = valueToText(value);
        if (text === undefined || text.length > maximumComputedTextLength) return unknownValue;
        texts.push(text);
      }
      if (longest(texts) > maximumComputedTextLength) return unknownValue;
      const result = build(texts);
      return result.length > maximumComputedTextLength ? unknownValue : { kind: 'string', value: result };
    },
    unknownValue,
  );
}

function concatenateArrays(args: Abstract[][], helpers: FunctionHelpers): Abstract[] {
  return mapProduct(
    args,
    (combination): Abstract => {
      const items: Abstract[][] = [];
      for (const value of combination) {
        if (!isArrayLike(value)) return unknownValue;
        if (value.kind === 'list') {
          // Checked before the copy: a chain of `concat(v, v)` doubles at every step.
          if (items.length + value.items.length > maximumComputedArrayLength) return unknownValue;
          for (const item of value.items) items.push(item);
          continue;
        }
        // Every item, or an unknown array: a list cut short would give `last()` and `length()` wrong answers.
        const length = arrayLengthOf(value);
        if (items.length + length > maximumComputedArrayLength) return unknownValue;
        for (let index = 0; index < length; index++) items.push(helpers.indexInto(value, { kind: 'number', value: index }));
      }
      return { kind: 'list', items };
    },
    unknownValue,
  );
}

/** The number of items of an array that is not a list (a JSON array node or a materialized array). */
function arrayLengthOf(value: Abstract): number {
  if (value.kind === 'node' && value.node.type === 'array') return value.node.items.length;
  if (value.kind === 'array') return value.items.length;
  return 0;
}

function endOf(value: Abstract, end: 'first' | 'last', helpers: FunctionHelpers): Abstract[] {
  if (value.kind === 'string') {
    const text = end === 'first' ? value.value.slice(0, 1) : value.value.slice(-1);
    return [{ kind: 'string', value: text }];
  }
  if (value.kind === 'unknown' || !isArrayLike(value)) return unknown;
  const length =
    value.kind === 'list'
      ? value.items.length
      : value.kind === 'array'
        ? value.items.length
        : value.kind === 'node' && value.node.type === 'array'
          ? value.node.items.length
          : 0;
  if (length === 0) return [{ kind: 'null' }];
  return helpers.indexInto(value, { kind: 'number', value: end === 'first' ? 0 : length - 1 });
}

function compare(args: Abstract[][], test: (left: string, right: string) => boolean): Abstract[] {
  if (args.length !== 2) return unknown;
  return mapProduct(
    args,
    ([left, right]): Abstract => {
      if (left.kind === 'node' || left.kind === 'list' || right.kind === 'node' || right.kind === 'list') return unknownValue;
      if (left.kind === 'unknown' || right.kind === 'unknown') return unknownValue;
      const leftText = valueToText(left);
      const rightText = valueToText(right);
      if (leftText === undefined || rightText === undefined) return unknownValue;
      const sameKind = left.kind === right.kind;
      return { kind: 'boolean', value: sameKind && test(leftText, rightText) };
    },
    unknownValue,
  );
}

function combineTruths(args: Abstract[][], operator: 'and' | 'or'): Abstract[] {
  if (args.length === 0) return unknown;
  // One known deciding value settles the result even when the others are unknown.
  const deciding = operator === 'or';
  return mapProduct(
    args,
    (combination): Abstract => {
      const truths = combination.map(truthOf);
      if (truths.includes(deciding)) return { kind: 'boolean', value: deciding };
      if (truths.includes(undefined)) return unknownValue;
      return { kind: 'boolean', value: !deciding };
    },
    unknownValue,
  );
}
