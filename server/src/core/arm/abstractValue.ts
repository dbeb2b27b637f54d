/**
 * What the ARM evaluator computes with. It extends the shared `Value` with two lazy forms: an
 * object or array literal that is still JSON (evaluated property by property only when something
 * reads it) and a list whose items each have alternatives (copy loops, `createArray`). Laziness is
 * what keeps a variable holding a large map of images cheap: only the entry and the fields an
 * image reads are ever evaluated, and no cross product of unrelated properties is ever built.
 */
import { maximumAlternatives, unknownValue, type Value } from '../values';
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
  const seen = new Set<string>();
  const result: Abstract[] = [];
  let capped = false;
  for (const value of values) {
    const key = alternativeKey(value);
    if (key !== undefined) {
      if (seen.has(key)) continue;
      seen.add(key);
    }
    if (result.length >= maximumAlternatives) {
      capped = true;
      break;
    }
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
