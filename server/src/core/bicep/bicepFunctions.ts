import { callTemplateFunction, type Lambda, type ValueAccess } from '../functions/templateFunctions';
import { loadedFileIn, markLoaded, unknownValue, type Value } from '../values';
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
  /** How the shared template functions read the evaluator's values. */
  access: ValueAccess<Value>;
}

/**
 * The Bicep side of the template functions: `loadJsonContent`, which Bicep computes when it
 * compiles, and, for every other name, the function library both readers share
 * (`core/functions/templateFunctions.ts`). Lambda arguments (`x => ...`) are evaluated with their
 * parameters bound. Values computed from a loaded file are marked loaded from it.
 */
export function callBuiltInFunction(name: string, argumentNodes: readonly Expression[], helpers: FunctionHelpers): Value[] {
  const lowerName = name.toLowerCase();
  if (lowerName === 'loadjsoncontent') return loadJsonContent(argumentNodes, helpers);
  let lambdas: (Lambda<Value> | undefined)[] | undefined;
  const argumentAlternatives = argumentNodes.map((argument, index) => {
    if (argument.kind !== 'lambda') return helpers.evaluate(argument);
    (lambdas ??= [])[index] = (parameters) => {
      const locals = new Map(helpers.locals);
      argument.parameters.forEach((parameter, position) => locals.set(parameter.name, parameters[position] ?? [unknownValue]));
      return helpers.evaluate(argument.body, locals);
    };
    return [unknownValue];
  });
  const results = callTemplateFunction(lowerName, argumentAlternatives, helpers.access, lambdas) ?? [unknownValue];
  // What is computed from a loaded value (`toLower`, `format`, `split`...) is loaded as well.
  const loaded = helpers.loadedAny() ? loadedFileIn(argumentAlternatives.flat()) : undefined;
  return loaded === undefined ? results : results.map((value) => markLoaded(value, loaded));
}

function loadJsonContent(argumentNodes: readonly Expression[], helpers: FunctionHelpers): Value[] {
  const [pathNode] = argumentNodes;
  if (!pathNode) return [unknownValue];
  return helpers.evaluate(pathNode).map((path) => {
    if (path.kind !== 'string') return unknownValue;
    const text = helpers.readFile(path.value, path.definition?.location.range);
    // Every value of the file remembers it: such values are checked but never quoted.
    return text === undefined ? unknownValue : parseJsonValue(text, path.value);
  });
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
