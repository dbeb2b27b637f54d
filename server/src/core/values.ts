/**
 * The abstract values that both readers evaluate template expressions into. An expression
 * evaluates to a list of alternatives ("it is one of these"), each a concrete value that remembers
 * where its text is written. Objects and arrays hold one value per property or item; an expression
 * whose parts each have alternatives expands into the product, capped so that no template can make
 * the analysis explode. What cannot be known statically is `unknown`: never guessed.
 */
import type { Condition, Conditions, ResolutionStep, SourceLocation, ValueDefinition } from './model';

export type Value = StringValue | NumberValue | BooleanValue | { kind: 'null' } | ObjectValue | ArrayValue | { kind: 'unknown' };

export interface StringValue {
  kind: 'string';
  value: string;
  /** Where this exact text is written; absent for computed strings. */
  definition?: ValueDefinition;
  /**
   * The file this text was loaded from (`loadJsonContent`), or computed from, as the template
   * names it. Such a value is checked but never quoted in a message: the file may hold secrets.
   */
  loadedFrom?: string;
  /** How the text came here from its definition (`ResolvedValue.via`). */
  via?: readonly ResolutionStep[];
  /** The deployer's choices this alternative is deployed under (an `if()` branch): see `Condition`. */
  when?: Conditions;
  /**
   * The parameter a deployer chooses this text for, among several (its default and allowed
   * values): a comparison with it is a condition on that parameter (`osType is 'Linux'`).
   */
  choice?: string;
}

/** A boolean, with the deployer's choices that make it what it is (`enableJumpbox is true`). */
export interface BooleanValue {
  kind: 'boolean';
  value: boolean;
  because?: Conditions;
}

export interface NumberValue {
  kind: 'number';
  value: number;
  loadedFrom?: string;
}

export interface ObjectValue {
  kind: 'object';
  /** Property names keep their case; look them up with `getProperty`, which ignores case. */
  properties: Map<string, Value>;
  /** Set on the objects a file was loaded into; their strings carry it too. */
  loadedFrom?: string;
  /** The deployer's choices this alternative is deployed under, for each of its properties. */
  when?: Conditions;
}

export interface ArrayValue {
  kind: 'array';
  items: Value[];
  loadedFrom?: string;
}

/** The most alternatives an expression may expand to; beyond it the rest is `unknown`. */
export const maximumAlternatives = 256;

/**
 * The longest text an expression may compute; a longer result is `unknown`. A chain of variables
 * that each double the one before (`concat(v, v)`, `replace(v, 'x', 'xx')`) would otherwise grow
 * exponentially with the size of the template and exhaust memory. No image name comes near it.
 */
export const maximumComputedTextLength = 100_000;

/** The most items an expression may compute into one array (`concat(a, a)` doubles it too). */
export const maximumComputedArrayLength = 10_000;

export const unknownValue: Value = { kind: 'unknown' };

export function stringValue(value: string, definition?: ValueDefinition): StringValue {
  return definition ? { kind: 'string', value, definition } : { kind: 'string', value };
}

/** How many values `loadedFileOf` looks into before it calls a value loaded (to be safe). */
const maximumLoadedSearch = 1000;

/**
 * The file a value, or any value inside it, was loaded from; undefined for values written in
 * templates and parameter files. A value too large to search counts as loaded from `fallback`
 * when there is one: a caller passes one only when some file was loaded.
 */
export function loadedFileOf(value: Value, fallback?: string): string | undefined {
  let remaining = maximumLoadedSearch;
  const search = (current: Value): string | undefined => {
    if (--remaining < 0) return fallback;
    switch (current.kind) {
      case 'string':
      case 'number':
        return current.loadedFrom;
      case 'object':
        if (current.loadedFrom !== undefined) return current.loadedFrom;
        for (const item of current.properties.values()) {
          const found = search(item);
          if (found !== undefined) return found;
        }
        return undefined;
      case 'array':
        if (current.loadedFrom !== undefined) return current.loadedFrom;
        for (const item of current.items) {
          const found = search(item);
          if (found !== undefined) return found;
        }
        return undefined;
      default:
        return undefined;
    }
  };
  return search(value);
}

/** The file any of these values was loaded from, if any (`loadedFileOf`). */
export function loadedFileIn(values: readonly Value[]): string | undefined {
  for (const value of values) {
    const file = loadedFileOf(value, 'a loaded file');
    if (file !== undefined) return file;
  }
  return undefined;
}

/**
 * A value computed from a loaded one, marked as loaded from the same file: every string and number
 * in it that is not written in a template (has no definition). Too large a value is unknown.
 */
export function markLoaded(value: Value, file: string): Value {
  let remaining = maximumComputedArrayLength;
  const mark = (current: Value): Value => {
    if (--remaining < 0) return unknownValue;
    switch (current.kind) {
      case 'string':
        return current.definition || current.loadedFrom !== undefined ? current : { ...current, loadedFrom: file };
      case 'number':
        return current.loadedFrom !== undefined ? current : { ...current, loadedFrom: file };
      case 'object': {
        const properties = new Map<string, Value>();
        for (const [key, item] of current.properties) properties.set(key, mark(item));
        return { kind: 'object', properties, loadedFrom: file };
      }
      case 'array':
        return { kind: 'array', items: current.items.map(mark), loadedFrom: file };
      default:
        return current;
    }
  };
  return mark(value);
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

/** Whether `product(parts)` leaves combinations out (there are more than `limit`). */
export function productIsCut(parts: readonly (readonly unknown[])[], limit = maximumAlternatives): boolean {
  if (parts.some((alternatives) => alternatives.length === 0)) return false;
  let size = 1;
  for (const alternatives of parts) {
    size *= alternatives.length;
    if (size > limit) return true;
  }
  return false;
}

/**
 * `product(parts)` with each combination built into a value, and `unknown` last when the
 * product was cut: a capped list must never pass for a complete one, or a value beyond the cap
 * (an end-of-support image among 400 combinations) would be dropped without a word.
 */
export function mapProduct<T, R>(parts: readonly (readonly T[])[], build: (combination: T[]) => R, unknown: R): R[] {
  const results = product(parts).map(build);
  if (productIsCut(parts)) results.push(unknown);
  return results;
}

/**
 * Removes alternatives that are the same value written in the same place. Past
 * `maximumAlternatives` distinct values, the last kept is `unknown`: the list is incomplete.
 */
export function distinctValues(values: readonly Value[]): Value[] {
  // Most expressions have one alternative: nothing to compare, and no keys to build.
  if (values.length < 2) return values.slice();
  const keys = new ValueKeys();
  const seen = new Map<string, number>();
  const result: Value[] = [];
  for (const value of values) {
    const key = keys.keyOf(value);
    const at = seen.get(key);
    if (at !== undefined) {
      // The same value under other conditions: it is deployed under what both have in common.
      result[at] = withCommonMarks(result[at], value);
      continue;
    }
    if (result.length >= maximumAlternatives) {
      if (!seen.has('unknown')) result[result.length - 1] = unknownValue;
      break;
    }
    seen.set(key, result.length);
    result.push(value);
  }
  return result;
}

// -----------------------------------------------------------------------------------------------
// Conditions: what a deployer chooses for an alternative to be deployed (see `Condition`).

/** The most conditions one alternative keeps; past it the rest are left unsaid. */
const maximumConditions = 8;

/** How a condition reads in a message: `enableJumpbox is true`. */
export function conditionText(condition: Condition): string {
  return `${condition.subject} is ${condition.value}`;
}

function sameCondition(a: Condition, b: Condition): boolean {
  return a.subject === b.subject && a.value === b.value;
}

/**
 * The conditions with those not yet placed placed `at` the condition that decides them (the same
 * list when all are placed): a choice is placed where a condition first consumes it (`Condition.at`).
 */
export function placedConditions(when: Conditions, at: SourceLocation): Conditions {
  let result: Condition[] | undefined;
  for (let index = 0; index < when.length; index++) {
    if (when[index].at) continue;
    result ??= [...when];
    result[index] = { ...when[index], at };
  }
  return result ?? when;
}

/** The most values one placing of conditions looks at: values share parts, which a walk would repeat. */
export const maximumPlacedValues = 4096;

/**
 * The value with the conditions it carries placed `at` where they are decided (`placedConditions`):
 * the same object when it carries none to place. Values share parts (a variable doubled by
 * `concat` at every level), so the walk looks at most at `budget.remaining` values; past it the
 * rest is left as it is (its conditions are placed by whatever consumes them next, or the
 * related information falls back to the image). A boolean's reasons are not conditions yet:
 * whatever consumes them places them.
 */
export function withPlacedConditions(value: Value, at: SourceLocation, budget = { remaining: maximumPlacedValues }): Value {
  if (--budget.remaining < 0) return value;
  switch (value.kind) {
    case 'string': {
      if (!value.when) return value;
      const when = placedConditions(value.when, at);
      return when === value.when ? value : { ...value, when };
    }
    case 'object': {
      const properties = mapProperties(value.properties, (item) => withPlacedConditions(item, at, budget));
      const when = value.when && placedConditions(value.when, at);
      if (properties === value.properties && when === value.when) return value;
      const result: Value = { ...value, properties };
      if (when) result.when = when;
      return result;
    }
    case 'array': {
      let items: Value[] | undefined;
      value.items.forEach((item, index) => {
        const placed = withPlacedConditions(item, at, budget);
        if (placed !== item) (items ??= [...value.items])[index] = placed;
      });
      return items ? { ...value, items } : value;
    }
    default:
      return value;
  }
}

/** The properties with `map` applied to each value: the same map when `map` changes none. */
export function mapProperties(properties: Map<string, Value>, map: (value: Value) => Value): Map<string, Value> {
  let mapped: Map<string, Value> | undefined;
  for (const [name, item] of properties) {
    const result = map(item);
    if (result !== item && !mapped) {
      mapped = new Map();
      for (const [earlierName, earlier] of properties) {
        if (earlierName === name) break;
        mapped.set(earlierName, earlier);
      }
    }
    mapped?.set(name, result);
  }
  return mapped ?? properties;
}

/** A key equal for the same conditions, placed at the same places, in the same order. */
export function conditionsKey(when: Conditions): string {
  let key = '';
  for (const condition of when) {
    const at = condition.at;
    key += `${condition.subject}\u0000${condition.value}\u0000${at ? `${at.file}\u0000${at.range.start}\u0000${at.range.end}` : ''}\u0001`;
  }
  return key;
}

/** Every condition of both (a conjunction), each once; undefined for none. */
export function unionConditions(a: Conditions | undefined, b: Conditions | undefined): Conditions | undefined {
  if (!a || a.length === 0) return b && b.length > 0 ? b : undefined;
  if (!b || b.length === 0 || a === b) return a;
  let result: Condition[] | undefined;
  for (const condition of b) {
    if ((result ?? a).some((existing) => sameCondition(existing, condition))) continue;
    if ((result ?? a).length >= maximumConditions) break;
    (result ??= [...a]).push(condition);
  }
  return result ?? a;
}

/** The conditions both hold (what a value deployed under either is deployed under); undefined for none. */
export function commonConditions(a: Conditions | undefined, b: Conditions | undefined): Conditions | undefined {
  if (!a || !b || a.length === 0 || b.length === 0) return undefined;
  if (a === b) return a;
  const result = a.filter((condition) => b.some((other) => sameCondition(condition, other)));
  return result.length === 0 ? undefined : result.length === a.length ? a : result;
}

/**
 * What a deployer must choose for a resource or module whose condition has these alternatives to
 * be deployed: null when it is false whatever is chosen (from literals, or values a parameter file
 * fixes), none when it may hold without a choice (true, or not known), else the choices all its
 * true alternatives share (`enableJumpbox is true`). Both readers' conditions (ARM `condition`,
 * Bicep `if`) mean this. Alternatives that are not values (an ARM reader's unread node) are
 * neither false nor chosen.
 */
export function conditionsToDeploy(alternatives: readonly (Value | { kind: string })[]): Conditions | undefined | null {
  const isFalse = (value: Value | { kind: string }) => value.kind === 'boolean' && (value as BooleanValue).value === false;
  if (alternatives.length > 0 && alternatives.every(isFalse)) return null;
  if (!alternatives.some(isFalse)) return undefined;
  let when: Conditions | undefined;
  let first = true;
  for (const value of alternatives) {
    if (isFalse(value)) continue;
    const because = value.kind === 'boolean' ? (value as BooleanValue).because : undefined;
    when = first ? because : commonConditions(when, because);
    first = false;
  }
  return when;
}

/** The value deployed only under `when` too (strings and objects carry it; other values need not). */
export function withConditions(value: Value, when: Conditions | undefined): Value {
  if (!when || when.length === 0) return value;
  if (value.kind !== 'string' && value.kind !== 'object') return value;
  // What is added is what encloses the value: it reads first.
  const merged = unionConditions(when, value.when);
  return value.when && merged!.length === value.when.length ? value : { ...value, when: merged };
}

/**
 * Text computed from several values (`concat`, `format`, an interpolation) is deployed under the
 * conditions of every part it was made of: `concat(if(legacy, 'a', 'b'), '-x')` gives 'a-x' when
 * legacy is true. Inputs that are not strings or objects carry none.
 */
export function withConditionsOfParts(value: Value, parts: readonly { kind: string; when?: Conditions }[]): Value {
  if (value.kind !== 'string') return value;
  let when: Conditions | undefined;
  for (const part of parts)
    if ((part.kind === 'string' || part.kind === 'object') && part.when) when = unionConditions(when, part.when);
  return when ? withConditions(value, when) : value;
}

/** What a deployer chooses for a value to be what it is: the reasons of a comparison with it. */
export function reasonsOf(value: Value): Conditions | undefined {
  if (value.kind === 'boolean') return value.because;
  if (value.kind !== 'string') return undefined;
  if (value.choice === undefined) return value.when;
  return unionConditions(value.when, [{ subject: value.choice, value: `'${value.value}'` }]);
}

/** A boolean with more reasons. */
export function withReasons(value: Value, reasons: Conditions | undefined): Value {
  if (value.kind !== 'boolean' || !reasons || reasons.length === 0) return value;
  const merged = unionConditions(value.because, reasons);
  return merged === value.because ? value : { ...value, because: merged };
}

/**
 * One of two equal alternatives (the same value written in the same place) kept for both: its
 * conditions are those they share, and it is a parameter's choice only if both are.
 */
export function withCommonMarks<T extends { kind: string }>(kept: T, other: T): T {
  const a = kept as unknown as Value;
  const b = other as unknown as Value;
  if (a.kind === 'string' && b.kind === 'string') {
    if (a.when === undefined && a.choice === undefined) return kept;
    const when = commonConditions(a.when, b.when);
    const choice = a.choice === b.choice ? a.choice : undefined;
    if (when === a.when && choice === a.choice) return kept;
    const { when: _when, choice: _choice, ...rest } = a;
    const result: StringValue = rest;
    if (when) result.when = when;
    if (choice !== undefined) result.choice = choice;
    return result as unknown as T;
  }
  if (a.kind === 'boolean' && b.kind === 'boolean') {
    if (a.because === undefined) return kept;
    const because = commonConditions(a.because, b.because);
    if (because === a.because) return kept;
    return (because ? { kind: 'boolean', value: a.value, because } : { kind: 'boolean', value: a.value }) as unknown as T;
  }
  if (a.kind === 'object' && b.kind === 'object') {
    if (a.when === undefined) return kept;
    const when = commonConditions(a.when, b.when);
    if (when === a.when) return kept;
    const { when: _when, ...rest } = a;
    return (when ? { ...rest, when } : rest) as unknown as T;
  }
  return kept;
}

/**
 * Keys that are equal exactly when two values are the same value written in the same place. An
 * object or array is keyed by a short id per distinct structure, built from its children's ids,
 * so the cost stays linear in the number of distinct values even when one object is held many
 * times (`{ a: v, b: v }` in a chain of variables), whose text would double at every level.
 */
export class ValueKeys {
  private readonly byValue = new Map<Value, string>();
  private readonly ids = new Map<string, string>();

  /** A key of a list of values, equal for two lists that hold the same values in the same order. */
  keyOfList(values: readonly Value[]): string {
    return this.idOf(`l[${values.map((value) => this.idOf(this.keyOf(value))).join(',')}]`);
  }

  keyOf(value: Value): string {
    switch (value.kind) {
      case 'string':
      case 'number':
      case 'boolean':
      case 'null':
      case 'unknown':
        return scalarKey(value);
      case 'object':
      case 'array': {
        const known = this.byValue.get(value);
        if (known !== undefined) return known;
        const structure =
          value.kind === 'object'
            ? `o{${[...value.properties].map(([key, item]) => `${JSON.stringify(key)}=${this.idOf(this.keyOf(item))}`).join(',')}}`
            : `a[${value.items.map((item) => this.idOf(this.keyOf(item))).join(',')}]`;
        const id = this.idOf(structure);
        this.byValue.set(value, id);
        return id;
      }
    }
  }

  private idOf(key: string): string {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = `#${this.ids.size}`;
      this.ids.set(key, id);
    }
    return id;
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
      // The budget stops an object that holds another many times (whose text doubles at every
      // level) long before its text is built: such a value has no text worth knowing.
      const budget = { remaining: maximumComputedTextLength };
      const plain = toPlain(value, budget);
      if (plain === undefined) return undefined;
      const text = JSON.stringify(plain);
      return text.length > maximumComputedTextLength ? undefined : text;
    }
  }
}

function toPlain(value: Value, budget: { remaining: number }): unknown {
  if (--budget.remaining < 0) return undefined;
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
        const plain = toPlain(item, budget);
        if (plain === undefined) return undefined;
        result[key] = plain;
      }
      return result;
    }
    case 'array': {
      const result: unknown[] = [];
      for (const item of value.items) {
        const plain = toPlain(item, budget);
        if (plain === undefined) return undefined;
        result.push(plain);
      }
      return result;
    }
  }
}

/**
 * The key of a value that holds no other values: equal for the same value written in the same
 * place (a string's definition is part of it, since fixes edit that place). Both the shared value
 * keys above and the ARM reader's alternative keys build on it.
 */
export function scalarKey(
  value: StringValue | NumberValue | { kind: 'boolean'; value: boolean } | { kind: 'null' } | { kind: 'unknown' },
): string {
  switch (value.kind) {
    case 'string': {
      const where = value.definition
        ? `${value.definition.location.file}:${value.definition.location.range.start}`
        : value.loadedFrom !== undefined
          ? `<${value.loadedFrom}>`
          : '';
      return `s:${where}:${value.value}`;
    }
    case 'number':
      return value.loadedFrom !== undefined ? `number<${value.loadedFrom}>:${value.value}` : `number:${value.value}`;
    case 'boolean':
      return `${value.kind}:${value.value}`;
    case 'null':
    case 'unknown':
      return value.kind;
  }
}

/** What outputs write in place of a value loaded from a file (`ResolvedValue.loadedFrom`). */
export function loadedValueLabel(file: string): string {
  return `[a value loaded from ${file}]`;
}

/** A bool parameter's values: its known ones (its default first), then the other of true and false. */
export function bothTruths<T extends { kind: string; value?: unknown }>(values: readonly T[]): T[] {
  const known = values.filter((value) => value.kind === 'boolean');
  for (const truth of [true, false]) {
    if (!known.some((value) => value.value === truth)) known.push({ kind: 'boolean', value: truth } as unknown as T);
  }
  return known;
}

/**
 * One of several values a deployer chooses among for a parameter: a boolean is what it is because
 * of that choice, and a string remembers the parameter, so that what compares with it is a
 * condition on that choice (`reasonsOf`).
 */
export function chosen<T extends { kind: string }>(value: T, parameter: string): T {
  const plain = value as unknown as Value;
  if (plain.kind === 'boolean')
    return { ...plain, because: [{ subject: parameter, value: String(plain.value) }] } as unknown as T;
  // A value loaded from a file is never quoted, so it makes no condition that would quote it.
  if (plain.kind === 'string' && plain.loadedFrom === undefined) return { ...plain, choice: parameter } as unknown as T;
  return value;
}

/** Every value deployed only under `when` too (the same list when there is nothing to add). */
export function valuesWithConditions(values: Value[], when: Conditions | undefined): Value[] {
  if (!when || when.length === 0) return values;
  return values.map((value) => withConditions(value, when));
}
