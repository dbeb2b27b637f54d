/**
 * What the ARM evaluator computes with. It extends the shared `Value` with two lazy forms: an
 * object or array literal that is still JSON (evaluated property by property only when something
 * reads it) and a list whose items each have alternatives (copy loops, `createArray`). Laziness is
 * what keeps a variable holding a large map of images cheap: only the entry and the fields an
 * image reads are ever evaluated, and no cross product of unrelated properties is ever built.
 */
import type { Conditions, SourceLocation } from '../model';
import {
  commonConditions,
  maximumAlternatives,
  maximumPlacedValues,
  placedConditions,
  unionConditions,
  unknownValue,
  withCommonMarks,
  withConditions,
  withPlacedConditions,
  type Value,
} from '../values';
import { alternativeKey, type Abstract } from './templateScope';

// The abstract forms and the scope refer to each other, so they are declared together with the
// scope (`templateScope.ts`) and named here too, where the evaluator's other files look for them.
export { alternativeKey, type Abstract, type LazyList, type LazyNode, type Origin } from './templateScope';

export function isArrayLike(value: Abstract): boolean {
  return value.kind === 'array' || value.kind === 'list' || (value.kind === 'node' && value.node.type === 'array');
}

export function isObjectLike(value: Abstract): boolean {
  return value.kind === 'object' || (value.kind === 'node' && value.node.type === 'object');
}

/**
 * Removes repeated alternatives and caps their number. Alternatives beyond the cap are replaced by
 * one `unknown`, so that a capped result is never mistaken for a complete one.
 */
export function limitAlternatives(values: readonly Abstract[]): Abstract[] {
  if (values.length <= 1) return values as Abstract[];
  const seen = new Map<string, number>();
  const result: Abstract[] = [];
  let capped = false;
  for (const value of values) {
    const key = alternativeKey(value);
    if (key !== undefined) {
      const at = seen.get(key);
      if (at !== undefined) {
        // The same value under other conditions: it is deployed under what both have in common.
        result[at] = withCommonMarksAbstract(result[at], value);
        continue;
      }
    }
    // Checked before the value is counted as seen: an `unknown` that comes past the cap must
    // still replace the last alternative kept, or the cut list would pass for a complete one.
    if (result.length >= maximumAlternatives) {
      capped = true;
      break;
    }
    if (key !== undefined) seen.set(key, result.length);
    result.push(value);
  }
  if (capped && !seen.has('unknown')) result[result.length - 1] = unknownValue;
  return result;
}

/** Turns a plain JSON value (from `json()` or a JSON string) into a value with no definitions. */
export function plainToValue(plain: unknown): Value {
  if (plain === null) return { kind: 'null' };
  if (typeof plain === 'string') return { kind: 'string', value: plain };
  if (typeof plain === 'number') return { kind: 'number', value: plain };
  if (typeof plain === 'boolean') return { kind: 'boolean', value: plain };
  if (Array.isArray(plain)) return { kind: 'array', items: plain.map(plainToValue) };
  if (typeof plain === 'object') {
    const properties = new Map<string, Value>();
    for (const [key, item] of Object.entries(plain as Record<string, unknown>)) properties.set(key, plainToValue(item));
    return { kind: 'object', properties };
  }
  return unknownValue;
}

/** `withCommonMarks` for abstract values: a lazy node keeps the conditions both have. */
function withCommonMarksAbstract(kept: Abstract, other: Abstract): Abstract {
  if (kept.kind === 'node' && other.kind === 'node') {
    if (!kept.when) return kept;
    const when = commonConditions(kept.when, other.when);
    if (when === kept.when) return kept;
    const { when: _when, ...rest } = kept;
    return when ? { ...rest, when } : rest;
  }
  if (kept.kind === 'node' || kept.kind === 'list' || other.kind === 'node' || other.kind === 'list') return kept;
  return withCommonMarks(kept, other);
}

/** The most items of a list whose alternatives are marked with conditions; a longer list is not. */
const maximumConditionedItems = 1024;

/** An alternative deployed only under `when` too: lazy values pass it on to what is read from them. */
export function withConditionsAbstract(value: Abstract, when: Conditions | undefined): Abstract {
  if (!when || when.length === 0) return value;
  if (value.kind === 'node') {
    const merged = unionConditions(when, value.when);
    return value.when && merged!.length === value.when.length ? value : { ...value, when: merged };
  }
  if (value.kind === 'list') {
    if (value.items.length > maximumConditionedItems) return value;
    return { kind: 'list', items: value.items.map((items) => items.map((item) => withConditionsAbstract(item, when))) };
  }
  return withConditions(value, when);
}

/** Every alternative deployed only under `when` too (the same list when there is nothing to add). */
export function allWithConditions(values: Abstract[], when: Conditions | undefined): Abstract[] {
  if (!when || when.length === 0) return values;
  return values.map((value) => withConditionsAbstract(value, when));
}

/** What is left of the look of `placeConditionsAt` (module state: the look allocates nothing). */
let placingLooks = 0;

/**
 * Whether an alternative carries a condition not yet placed (`Condition.at`), looking at most at
 * `placingLooks` values: values share parts, which a walk would repeat.
 */
function carriesUnplacedConditions(value: Abstract): boolean {
  if (--placingLooks < 0) return false;
  switch (value.kind) {
    case 'string':
    case 'node':
      return value.when !== undefined && value.when.some((condition) => !condition.at);
    case 'object':
      if (value.when?.some((condition) => !condition.at)) return true;
      for (const item of value.properties.values()) if (carriesUnplacedConditions(item)) return true;
      return false;
    case 'array':
      return value.items.some(carriesUnplacedConditions);
    case 'list':
      return value.items.some((items) => items.some(carriesUnplacedConditions));
    default:
      return false;
  }
}

function withPlacedConditionsAbstract(value: Abstract, at: SourceLocation, budget: { remaining: number }): Abstract {
  if (value.kind === 'node') {
    if (!value.when) return value;
    const when = placedConditions(value.when, at);
    return when === value.when ? value : { ...value, when };
  }
  if (value.kind === 'list') {
    if (--budget.remaining < 0) return value;
    return {
      kind: 'list',
      items: value.items.map((items) => items.map((item) => withPlacedConditionsAbstract(item, at, budget))),
    };
  }
  return withPlacedConditions(value, at, budget);
}

/** Lists of alternatives known to carry no condition to place. */
const listsWithNoneToPlace = new WeakSet<Abstract[]>();

/**
 * The alternatives of an expression written in the JSON string at `[start, end)` of `file`, with
 * the conditions its `if()`s decide placed there (`Condition.at`): the same list when none is to
 * place, which is what an expression without `if()` gives, at the cost of a look at each value.
 */
export function placeConditionsAt(values: Abstract[], file: string, start: number, end: number): Abstract[] {
  // An expression's list is cached per scope and text and read again at every use: looked at once.
  // Most expressions give strings or lazy nodes: a look at each. A list holding objects or arrays
  // (cached per scope and text, read again at every use) is walked once.
  let mayCarry = false;
  for (const value of values) {
    if (value.kind === 'string' || value.kind === 'node') {
      if (value.when !== undefined && value.when.some((condition) => !condition.at)) {
        mayCarry = true;
        break;
      }
    } else if (value.kind === 'object' || value.kind === 'array' || value.kind === 'list') mayCarry = true;
  }
  if (!mayCarry || listsWithNoneToPlace.has(values)) return values;
  placingLooks = maximumPlacedValues;
  if (!values.some(carriesUnplacedConditions)) {
    listsWithNoneToPlace.add(values);
    return values;
  }
  const at: SourceLocation = { file, range: { start, end } };
  const budget = { remaining: maximumPlacedValues };
  return values.map((value) => withPlacedConditionsAbstract(value, at, budget));
}
