/**
 * The abstract evaluator for ARM template values. It turns a JSON node or an expression into the
 * list of alternatives it can take at deployment: a parameter is its default, each allowed value
 * and each value in a parameter file; `if()` is both branches unless its condition is known;
 * indexing a map of images by an unknown key is every entry. Literal strings carry the place they
 * are written, so a rule can point at them and a fix can replace them. Whatever cannot be known
 * statically is `unknown`, never a guess, and nothing here throws.
 */
import { allowedListOf, withAllowedList } from '../allowedLists';
import type { Conditions, ResolutionStep, ValueDefinition } from '../model';
import {
  appendSteps,
  declarationSteps,
  mapEntryStep,
  newStepBudget,
  propertyStep,
  withSteps,
  type StepBudget,
} from '../resolutionTrace';
import {
  getProperty,
  loadedFileOf,
  markLoaded,
  mapProduct,
  product,
  productIsCut,
  bothTruths,
  chosen,
  reasonsOf,
  stringValue,
  unionConditions,
  unknownValue,
  withReasons,
  type Value,
} from '../values';
import type { Lambda, ValueAccess } from '../functions/templateFunctions';
import {
  allWithConditions,
  isArrayLike,
  isObjectLike,
  limitAlternatives,
  placeConditionsAt,
  withConditionsAbstract,
  type Abstract,
  type LazyList,
  type Origin,
} from './abstractValue';
import { callArmFunction, truthOf } from './armFunctions';
import { isArmExpression, literalTextOf, parseArmExpression, type ArmExpression } from './armExpression';
import { findProperty, type JsonNode, type JsonObjectNode } from './jsonDocument';
import type { CachedValues, TemplateScope } from './templateScope';

/** Copy loops longer than this are read as one item with an unknown index. */
const maximumEnumeratedCopies = 64;
/**
 * Variables and parameters that refer to each other in a chain deeper than this are unknown: a
 * chain of thousands would otherwise exhaust the call stack and lose the whole analysis.
 */
const maximumReferenceDepth = 256;
/** Nested objects deeper than this are not materialized (they are unknown). */
const maximumMaterializeDepth = 12;
/**
 * The most nodes one materialization may build; the rest is unknown. Depth alone does not bound
 * it: a list that holds the one before it several times fans out at every level.
 */
const maximumMaterializedNodes = 20_000;

interface MaterializeBudget {
  remaining: number;
}

/** The alternatives of a JSON value; object and array literals stay lazy. */
export function evaluateNode(node: JsonNode, scope: TemplateScope, origin: Origin): Abstract[] {
  switch (node.type) {
    case 'object':
      return [{ kind: 'node', node, scope, origin }];
    case 'array':
      // Arrays do not carry the steps that led to them (`withSteps`), in Bicep neither.
      return [{ kind: 'node', node, scope, origin: origin.via ? { ...origin, via: undefined } : origin }];
    case 'string': {
      if (!origin.literalOnly && isArmExpression(node.value)) {
        // What the expression refers to went through the declaration it is written in.
        // The choices its `if()`s decide are decided here, in this string (`Condition.at`).
        const values = placeConditionsAt(evaluateExpressionText(node.value, scope), origin.file, node.start, node.end);
        const own = declarationSteps(origin);
        return withAbstractSteps(values, origin.via ? appendSteps(own, origin.via) : own);
      }
      const text = origin.literalOnly ? node.value : literalTextOf(node.value);
      const definition: ValueDefinition = {
        location: { file: origin.file, range: { start: node.start, end: node.end } },
        kind: origin.kind,
        syntax: 'json',
        description: origin.description,
      };
      if (origin.allowedList) definition.allowedList = origin.allowedList;
      const value = stringValue(text, definition);
      if (origin.via) value.via = origin.via;
      return [value];
    }
    case 'number':
      return [{ kind: 'number', value: node.value }];
    case 'boolean':
      return [{ kind: 'boolean', value: node.value as boolean }];
    case 'null':
      return [{ kind: 'null' }];
  }
}

/** Evaluates the text of an expression string, brackets included. */
export function evaluateExpressionText(text: string, scope: TemplateScope): Abstract[] {
  let cached = scope.expressionCache.get(text);
  if (!cached) {
    const expression = parseArmExpression(text);
    // A lambda's variables are seen only inside its own expression, never in one it reads.
    const lambdaFrames = scope.context.lambdaFrames;
    if (lambdaFrames !== undefined) scope.context.lambdaFrames = undefined;
    try {
      cached = collectingParameterReads(scope, () => (expression ? evaluateExpression(expression, scope) : [unknownValue]));
    } finally {
      if (lambdaFrames !== undefined) scope.context.lambdaFrames = lambdaFrames;
    }
    scope.expressionCache.set(text, cached);
  }
  recordParameterReads(scope, cached.parameterReads);
  if (cached.symbolReads) recordSymbolReads(scope, undefined, cached.symbolReads);
  return cached.values;
}

export function evaluateExpression(expression: ArmExpression, scope: TemplateScope): Abstract[] {
  if (--scope.context.budget < 0) return [unknownValue];
  switch (expression.kind) {
    case 'string':
      return [stringValue(expression.value)];
    case 'number':
      return [{ kind: 'number', value: expression.value }];
    case 'boolean':
      return [{ kind: 'boolean', value: expression.value }];
    case 'null':
      return [{ kind: 'null' }];
    case 'member': {
      const result: Abstract[] = [];
      const step = [propertyStep(expression.name)];
      for (const object of evaluateExpression(expression.object, scope)) {
        const member = memberOf(object, expression.name);
        result.push(...(member ? withAbstractSteps(member, step) : [unknownValue]));
      }
      return limitAlternatives(result);
    }
    case 'index': {
      const objects = evaluateExpression(expression.object, scope);
      const keys = evaluateExpression(expression.index, scope);
      const result: Abstract[] = [];
      for (const object of objects) for (const key of keys) result.push(...indexWithSteps(object, key));
      return limitAlternatives(result);
    }
    case 'call':
      return evaluateCall(expression.name.toLowerCase(), expression.args, scope);
  }
}

function evaluateCall(name: string, args: readonly ArmExpression[], scope: TemplateScope): Abstract[] {
  switch (name) {
    case 'parameters':
    case 'variables': {
      if (args.length !== 1) return [unknownValue];
      const result: Abstract[] = [];
      for (const key of evaluateExpression(args[0], scope)) {
        if (key.kind !== 'string') {
          result.push(unknownValue);
          continue;
        }
        result.push(...(name === 'parameters' ? parameterValues(scope, key.value) : variableValues(scope, key.value)));
      }
      return limitAlternatives(result);
    }
    case 'copyindex':
      return copyIndexValues(args, scope);
    case 'if':
      return conditionalValues(args, scope);
    case 'lambdavariables':
      return lambdaVariableValues(args, scope);
    default: {
      let lambdas: (Lambda<Abstract> | undefined)[] | undefined;
      const evaluatedArgs = args.map((argument, index) => {
        if (argument.kind !== 'call' || argument.name.toLowerCase() !== 'lambda') return evaluateExpression(argument, scope);
        (lambdas ??= [])[index] = lambdaOf(argument.args, scope);
        return [unknownValue];
      });
      const results = reasoningFunctions.has(name)
        ? callWithReasons(name, evaluatedArgs)
        : callArmFunction(name, evaluatedArgs, armValueAccess, lambdas);
      // A Bicep module may pass values loaded from a file: what is computed from them is loaded too.
      const loaded = scope.context.tracksLoadedValues ? loadedFileOfArguments(evaluatedArgs) : undefined;
      return limitAlternatives(loaded === undefined ? results : results.map((value) => markLoadedAbstract(value, loaded)));
    }
  }
}

/**
 * `if(condition, whenTrue, whenFalse)`: the branch each alternative of the condition takes, both
 * when it is not known. A branch taken because of what a deployer chooses (a bool parameter, a
 * comparison with a parameter's value) is deployed under that choice, and says so.
 */
function conditionalValues(args: readonly ArmExpression[], scope: TemplateScope): Abstract[] {
  if (args.length !== 3) return [unknownValue];
  const conditions = evaluateExpression(args[0], scope);
  const whenTrue = evaluateExpression(args[1], scope);
  const whenFalse = evaluateExpression(args[2], scope);
  const result: Abstract[] = [];
  for (const condition of conditions) {
    const truth = truthOf(condition);
    const because = condition.kind === 'boolean' ? condition.because : undefined;
    if (truth !== false) result.push(...allWithConditions(whenTrue, truth === true ? because : undefined));
    if (truth !== true) result.push(...allWithConditions(whenFalse, truth === false ? because : undefined));
  }
  return limitAlternatives(result);
}

/** Functions whose boolean result is a condition on what their arguments depend on. */
const reasoningFunctions: ReadonlySet<string> = new Set(['equals', 'not', 'and', 'or', 'bool']);

/**
 * Calls a function of conditions, giving each boolean it returns the deployer's choices it comes
 * from (`reasonsOf` its arguments): `equals(parameters('osType'), 'Linux')` is true when osType
 * is 'Linux'. An `and` that is false (an `or` that is true) because of one argument has that
 * argument's reasons alone. Arguments without reasons are called as they are.
 */
function callWithReasons(name: string, args: Abstract[][]): Abstract[] {
  const helpers = armValueAccess;
  const reasonsOfAbstract = (value: Abstract) => (value.kind === 'node' || value.kind === 'list' ? undefined : reasonsOf(value));
  if (!args.some((alternatives) => alternatives.some((value) => reasonsOfAbstract(value) !== undefined)))
    return callArmFunction(name, args, helpers);
  const results: Abstract[] = [];
  for (const combination of product(args)) {
    const returned = callArmFunction(
      name,
      combination.map((value) => [value]),
      helpers,
    );
    for (const value of returned) {
      let reasons: Conditions | undefined;
      const deciding = name === 'and' ? false : name === 'or' ? true : undefined;
      const decider =
        deciding !== undefined && value.kind === 'boolean' && value.value === deciding
          ? combination.find((argument) => truthOf(argument) === deciding)
          : undefined;
      if (decider) reasons = reasonsOfAbstract(decider);
      else for (const argument of combination) reasons = unionConditions(reasons, reasonsOfAbstract(argument));
      results.push(value.kind === 'boolean' ? withReasons(value, reasons) : value);
    }
  }
  if (productIsCut(args)) results.push(unknownValue);
  return results;
}

/** A `lambda('x', ..., body)` argument: its body evaluated with its variables bound. */
function lambdaOf(args: readonly ArmExpression[], scope: TemplateScope): Lambda<Abstract> | undefined {
  const body = args[args.length - 1];
  const names: string[] = [];
  for (const argument of args.slice(0, -1)) {
    if (argument.kind !== 'string') return undefined;
    names.push(argument.value.toLowerCase());
  }
  if (!body) return undefined;
  return (parameters) => {
    const context = scope.context;
    const frame = new Map(names.map((name, index): [string, Abstract[]] => [name, parameters[index] ?? [unknownValue]]));
    (context.lambdaFrames ??= []).push(frame);
    try {
      return evaluateExpression(body, scope);
    } finally {
      context.lambdaFrames.pop();
    }
  };
}

/** `lambdaVariables('x')`: the innermost lambda's value of `x`. */
function lambdaVariableValues(args: readonly ArmExpression[], scope: TemplateScope): Abstract[] {
  const frames = scope.context.lambdaFrames;
  const name = args.length === 1 && args[0].kind === 'string' ? args[0].value.toLowerCase() : undefined;
  if (!frames || name === undefined) return [unknownValue];
  for (let index = frames.length - 1; index >= 0; index--) {
    const values = frames[index].get(name);
    if (values) return values;
  }
  return [unknownValue];
}

function copyIndexValues(args: readonly ArmExpression[], scope: TemplateScope): Abstract[] {
  let loopName = '';
  let offset = 0;
  for (const argument of args) {
    const [value] = evaluateExpression(argument, scope);
    if (value?.kind === 'string') loopName = value.value.toLowerCase();
    else if (value?.kind === 'number') offset = value.value;
    else return [unknownValue];
  }
  const index = scope.copyIndexes.get(loopName);
  return index === undefined ? [unknownValue] : [{ kind: 'number', value: index + offset }];
}

/**
 * Runs a computation while collecting the multi-valued parameters it reads and, when the read
 * records them, every parameter and variable it reads.
 */
function collectingParameterReads(scope: TemplateScope, compute: () => Abstract[]): CachedValues {
  const context = scope.context;
  const reads = new Set<string>();
  const symbols = context.symbolReads ? new Set<string>() : undefined;
  context.parameterReads.push(reads);
  if (symbols) context.symbolReads!.push(symbols);
  try {
    const values = compute();
    return symbols ? { values, parameterReads: [...reads], symbolReads: [...symbols] } : { values, parameterReads: [...reads] };
  } finally {
    context.parameterReads.pop();
    if (symbols) context.symbolReads!.pop();
  }
}

function recordParameterReads(scope: TemplateScope, names: Iterable<string>): void {
  const collectors = scope.context.parameterReads;
  const top = collectors[collectors.length - 1];
  if (!top) return;
  for (const name of names) top.add(name);
}

/** Notes that a parameter or variable (`p:name`, `v:name`) and what it read were read. */
function recordSymbolReads(scope: TemplateScope, symbol: string | undefined, replayed: readonly string[] | undefined): void {
  const frames = scope.context.symbolReads;
  const top = frames?.[frames.length - 1];
  if (!top) return;
  if (symbol !== undefined) top.add(symbol);
  if (replayed) for (const name of replayed) top.add(name);
}

/**
 * Every value a parameter can take: what the caller passes, or else the value in the parameter
 * file of this deployment, or else the default and every allowed value. A parameter with none of
 * them is unknown.
 */
export function parameterValues(scope: TemplateScope, name: string): Abstract[] {
  const key = name.toLowerCase();
  if (scope.context.symbolReads) recordSymbolReads(scope, `p:${key}`, undefined);
  const bound = scope.bindings.get(key);
  if (bound) return [bound];
  let cached = scope.parameterCache.get(key);
  if (!cached) {
    const guard = `${scope.id}:p:${key}`;
    if (scope.context.active.has(guard) || scope.context.active.size >= maximumReferenceDepth) return [unknownValue];
    scope.context.active.add(guard);
    try {
      cached = collectingParameterReads(scope, () => computeParameterValues(scope, key));
    } finally {
      scope.context.active.delete(guard);
    }
    scope.parameterCache.set(key, cached);
  }
  recordParameterReads(scope, cached.parameterReads);
  if (cached.symbolReads) recordSymbolReads(scope, undefined, cached.symbolReads);
  if (cached.values.length > 1) recordParameterReads(scope, [key]);
  return cached.values;
}

function computeParameterValues(scope: TemplateScope, key: string): Abstract[] {
  const symbol = scope.parameters.get(key);
  if (!symbol) return [unknownValue];
  const declaration = symbol.declaration;
  const allowedNode = declaration ? findProperty(declaration, 'allowedValues') : undefined;
  // Every value the parameter takes knows its allowed values: a fix that writes another adds it.
  const allowedList =
    allowedNode?.type === 'array' && scope.context.text !== undefined
      ? allowedListOf(
          scope.file,
          scope.context.text,
          allowedNode.start,
          allowedNode.end,
          allowedNode.items.map((item) => ({
            start: item.start,
            end: item.end,
            value: item.type === 'string' && !isArmExpression(item.value) ? literalTextOf(item.value) : undefined,
          })),
          'json',
        )
      : undefined;
  const declaredOrigin = (kind: 'parameter-default' | 'allowed-value'): Origin => ({
    file: scope.file,
    kind,
    description: `parameter '${symbol.name}'`,
    literalOnly: false,
    allowedList,
  });
  const allowedValues: Abstract[] = [];
  if (allowedNode?.type === 'array') {
    for (const item of allowedNode.items) allowedValues.push(...evaluateNode(item, scope, declaredOrigin('allowed-value')));
  }
  const given = typeof symbol.inputs === 'function' ? symbol.inputs() : symbol.inputs;
  if (given) {
    // A value the caller passes replaces the default; an unknown one is still one of the
    // allowed values when the template lists them.
    const inputs = given.flatMap((input) => (input.kind === 'unknown' && allowedValues.length > 0 ? allowedValues : [input]));
    return limitAlternatives(withAllowedList(inputs, allowedList));
  }
  // A deployment with a parameter file uses the file's value; the scope of that deployment has
  // it (see `readArmTemplate`), and then the default and the allowed values are not deployed.
  if (symbol.fileValues.length > 0) {
    return limitAlternatives(
      symbol.fileValues.flatMap((fileValue) =>
        evaluateNode(fileValue.node, scope, {
          file: fileValue.file,
          kind: 'parameter-file',
          description: `parameter file value of '${symbol.name}'`,
          literalOnly: true,
          allowedList,
        }),
      ),
    );
  }
  let values: Abstract[] = [];
  const defaultNode = declaration ? findProperty(declaration, 'defaultValue') : undefined;
  if (defaultNode) values.push(...evaluateNode(defaultNode, scope, declaredOrigin('parameter-default')));
  values.push(...allowedValues);
  // A deployer may set a bool parameter either way, whatever its default.
  const typeNode = declaration ? findProperty(declaration, 'type') : undefined;
  if (typeNode?.type === 'string' && typeNode.value.toLowerCase() === 'bool') values = bothTruths(values);
  if (values.length === 0) return [unknownValue];
  return limitAlternatives(values.length > 1 ? values.map((value) => chosen(value, symbol.name)) : values);
}

/** The alternatives of a variable, including a `copy` variable (an array built by a loop). */
export function variableValues(scope: TemplateScope, name: string): Abstract[] {
  const key = name.toLowerCase();
  if (scope.context.symbolReads) recordSymbolReads(scope, `v:${key}`, undefined);
  let cached = scope.variableCache.get(key);
  if (!cached) {
    const guard = `${scope.id}:v:${key}`;
    if (scope.context.active.has(guard) || scope.context.active.size >= maximumReferenceDepth) return [unknownValue];
    scope.context.active.add(guard);
    try {
      cached = collectingParameterReads(scope, () => computeVariableValues(scope, key));
    } finally {
      scope.context.active.delete(guard);
    }
    scope.variableCache.set(key, cached);
  }
  recordParameterReads(scope, cached.parameterReads);
  if (cached.symbolReads) recordSymbolReads(scope, undefined, cached.symbolReads);
  return cached.values;
}

function computeVariableValues(scope: TemplateScope, key: string): Abstract[] {
  const variable = scope.variables.get(key);
  const copyVariable = scope.copyVariables.get(key);
  const name = variable?.name ?? copyVariable?.name ?? key;
  const origin: Origin = { file: scope.file, kind: 'variable', description: `variable '${name}'`, literalOnly: false };
  if (variable) return evaluateNode(variable.node, scope, origin);
  if (copyVariable?.input) return [copyLoopList(copyVariable.name, copyVariable.count, copyVariable.input, scope, origin)];
  return [unknownValue];
}

/** The array a copy loop builds: one item per known index, or one item with an unknown index. */
function copyLoopList(
  loopName: string,
  countNode: JsonNode | undefined,
  input: JsonNode,
  scope: TemplateScope,
  origin: Origin,
): LazyList {
  const counts = countNode ? evaluateNode(countNode, scope, origin) : [unknownValue];
  const knownCounts = counts.filter((count): count is { kind: 'number'; value: number } => count.kind === 'number');
  const largest = Math.max(0, ...knownCounts.map((count) => count.value));
  const indexes: (number | undefined)[] = [];
  if (knownCounts.length === counts.length && largest <= maximumEnumeratedCopies) {
    for (let index = 0; index < largest; index++) indexes.push(index);
  } else {
    indexes.push(undefined);
  }
  return {
    kind: 'list',
    items: indexes.map((index) => evaluateNode(input, scope.withCopyIndex(loopName, index), origin)),
  };
}

/** The alternatives of a property of a value; undefined when it has no such property. */
export function memberOf(value: Abstract, name: string): Abstract[] | undefined {
  switch (value.kind) {
    case 'node': {
      if (value.node.type !== 'object') return undefined;
      const property = findProperty(value.node, name);
      if (property) return allWithConditions(evaluateNode(property, value.scope, value.origin), value.when);
      const copied = propertyCopyList(value.node, name, value.scope, value.origin);
      return copied ? [withConditionsAbstract(copied, value.when)] : undefined;
    }
    case 'object': {
      const property = getProperty(value, name);
      return property ? [withConditionsAbstract(property, value.when)] : undefined;
    }
    case 'unknown':
      return [unknownValue];
    default:
      return undefined;
  }
}

/** A property written through a property `copy` array (`"copy": [{ "name": "dataDisks", ... }]`). */
function propertyCopyList(node: JsonObjectNode, name: string, scope: TemplateScope, origin: Origin): LazyList | undefined {
  const copy = findProperty(node, 'copy');
  if (copy?.type !== 'array') return undefined;
  for (const entry of copy.items) {
    if (entry.type !== 'object') continue;
    const entryName = findProperty(entry, 'name');
    if (entryName?.type !== 'string' || entryName.value.toLowerCase() !== name.toLowerCase()) continue;
    const input = findProperty(entry, 'input');
    if (!input) return undefined;
    return copyLoopList(entryName.value, findProperty(entry, 'count'), input, scope, origin);
  }
  return undefined;
}

/**
 * Indexes an object or array. An unknown key gives every entry: that is how a map of images
 * indexed by a parameter without known values still yields each image it can deploy.
 */
export function indexInto(value: Abstract, key: Abstract): Abstract[] {
  // An entry chosen by an `if()` branch is deployed under that branch's conditions.
  if (key.kind === 'string' && key.when) return allWithConditions(indexIntoUnconditioned(value, key), key.when);
  return indexIntoUnconditioned(value, key);
}

function indexIntoUnconditioned(value: Abstract, key: Abstract): Abstract[] {
  if (value.kind === 'unknown') return [unknownValue];
  if (key.kind === 'string' && (value.kind === 'object' || (value.kind === 'node' && value.node.type === 'object'))) {
    return memberOf(value, key.value) ?? [unknownValue];
  }
  if (key.kind === 'number') {
    const item = itemAt(value, key.value);
    return item ?? [unknownValue];
  }
  if (key.kind === 'unknown') {
    const entries = allEntries(value);
    return entries.length > 0 ? entries : [unknownValue];
  }
  return [unknownValue];
}

/**
 * `indexInto` for an index written in an expression: a value read from a map entry records the
 * entry in its resolution trace (every entry, each with its key, when the key is unknown).
 */
function indexWithSteps(value: Abstract, key: Abstract): Abstract[] {
  const loaded = value.kind === 'object' && value.loadedFrom !== undefined;
  if (key.kind === 'string' && isObjectLike(value)) {
    const found = memberOf(value, key.value);
    return found ? withAbstractSteps(found, [mapEntryStep(key.value, loaded)]) : [unknownValue];
  }
  if (key.kind === 'unknown' && value.kind === 'node' && value.node.type === 'object') {
    const budget = newStepBudget();
    const entries = value.node.properties.flatMap((property) =>
      withAbstractSteps(evaluateNode(property.value, value.scope, value.origin), [mapEntryStep(property.name, false)], budget),
    );
    return entries.length > 0 ? limitAlternatives(entries) : [unknownValue];
  }
  if (key.kind === 'unknown' && value.kind === 'object') {
    const budget = newStepBudget();
    const entries = [...value.properties].flatMap(([name, item]) => withSteps([item], [mapEntryStep(name, loaded)], budget));
    return entries.length > 0 ? entries : [unknownValue];
  }
  return indexInto(value, key);
}

/**
 * Abstract values with steps appended to the trace of everything read out of them: a lazy object
 * carries them to the values read from it later, and the rest is bounded as `withSteps` is.
 */
function withAbstractSteps(
  values: Abstract[],
  steps: readonly ResolutionStep[],
  budget: StepBudget = newStepBudget(),
): Abstract[] {
  if (steps.length === 0) return values;
  return values.map((value): Abstract => {
    if (--budget.remaining < 0) return value;
    switch (value.kind) {
      case 'node':
        // As `withSteps` leaves arrays: their items keep their traces.
        if (value.node.type === 'array') return value;
        return { ...value, origin: { ...value.origin, via: appendSteps(value.origin.via, steps) } };
      case 'list':
        return value;
      default:
        return withSteps([value], steps, budget)[0];
    }
  });
}

function itemAt(value: Abstract, index: number): Abstract[] | undefined {
  switch (value.kind) {
    case 'node': {
      if (value.node.type !== 'array') return undefined;
      const item = value.node.items[index];
      return item ? allWithConditions(evaluateNode(item, value.scope, value.origin), value.when) : undefined;
    }
    case 'list':
      return value.items[index];
    case 'array': {
      const item = value.items[index];
      return item ? [item] : undefined;
    }
    default:
      return undefined;
  }
}

/** Every property value of an object or item of an array, each with its alternatives. */
export function allEntries(value: Abstract): Abstract[] {
  switch (value.kind) {
    case 'node':
      if (value.node.type === 'object') {
        return allWithConditions(
          limitAlternatives(value.node.properties.flatMap((property) => evaluateNode(property.value, value.scope, value.origin))),
          value.when,
        );
      }
      return allWithConditions(
        limitAlternatives(value.node.items.flatMap((item) => evaluateNode(item, value.scope, value.origin))),
        value.when,
      );
    case 'list':
      return limitAlternatives(value.items.flat());
    case 'object':
      return allWithConditions([...value.properties.values()], value.when);
    case 'array':
      return value.items;
    default:
      return [];
  }
}

/** The number of items of an array or properties of an object; undefined for anything else. */
function lengthOf(value: Abstract): number | undefined {
  switch (value.kind) {
    case 'node':
      return value.node.type === 'array' ? value.node.items.length : value.node.properties.length;
    case 'list':
    case 'array':
      return value.items.length;
    case 'object':
      return value.properties.size;
    default:
      return undefined;
  }
}

function keysOf(value: Abstract): string[] | undefined {
  if (value.kind === 'object') return [...value.properties.keys()];
  if (value.kind === 'node' && value.node.type === 'object') return value.node.properties.map((property) => property.name);
  return undefined;
}

/** How the shared template functions read this evaluator's values (lazy ones included). */
const armValueAccess: ValueAccess<Abstract> = {
  isArray: isArrayLike,
  isObject: isObjectLike,
  lengthOf,
  itemAt,
  memberOf,
  indexInto,
  keysOf,
  materialize: (value) => materialize(value),
  arrayOf: (items) => [{ kind: 'list', items }],
};

/**
 * Turns an abstract value into plain `Value` alternatives, expanding lazy objects and lists into
 * the product of their parts (capped). Only used where a whole value is needed: `union()`,
 * `string()`, `createObject()`... Image objects use `materializeProperties` instead.
 */
export function materialize(
  value: Abstract,
  depth = 0,
  budget: MaterializeBudget = { remaining: maximumMaterializedNodes },
): Value[] {
  switch (value.kind) {
    case 'node':
      if (depth > maximumMaterializeDepth || --budget.remaining < 0) return [unknownValue];
      if (value.node.type === 'object') {
        return materializeProperties(value, undefined, depth, budget);
      }
      return materializeItems(
        value.node.items.map((item) => allWithConditions(evaluateNode(item, value.scope, value.origin), value.when)),
        depth,
        budget,
      );
    case 'list':
      if (depth > maximumMaterializeDepth || --budget.remaining < 0) return [unknownValue];
      return materializeItems(value.items, depth, budget);
    default:
      return [value];
  }
}

function materializeItems(items: readonly Abstract[][], depth: number, budget: MaterializeBudget): Value[] {
  const itemAlternatives = items.map(
    (alternatives) =>
      limitAlternatives(alternatives.flatMap((alternative) => materialize(alternative, depth + 1, budget))) as Value[],
  );
  return mapProduct(itemAlternatives, (combination) => ({ kind: 'array', items: combination }), unknownValue);
}

/**
 * Materializes an object, or only the named properties of it when `wanted` (lower-case names)
 * is given: an image object needs its four fields and custom-image properties, not the rest.
 */
export function materializeProperties(
  value: Abstract,
  wanted: ReadonlySet<string> | undefined,
  depth = 0,
  budget: MaterializeBudget = { remaining: maximumMaterializedNodes },
): Value[] {
  if (value.kind === 'object' && wanted) {
    const properties = new Map<string, Value>();
    for (const name of wanted) {
      const property = getProperty(value, name);
      if (property) properties.set(name, property);
    }
    return [value.when ? { kind: 'object', properties, when: value.when } : { kind: 'object', properties }];
  }
  if (value.kind !== 'node' || value.node.type !== 'object') return materialize(value, depth, budget);
  const keys: string[] = [];
  const propertyAlternatives: Value[][] = [];
  for (const property of value.node.properties) {
    if (wanted && !wanted.has(property.name.toLowerCase())) continue;
    keys.push(property.name);
    const alternatives = evaluateNode(property.value, value.scope, value.origin);
    propertyAlternatives.push(
      limitAlternatives(alternatives.flatMap((alternative) => materialize(alternative, depth + 1, budget))) as Value[],
    );
  }
  const when = value.when;
  return mapProduct(
    propertyAlternatives,
    (combination): Value => {
      const properties = new Map(keys.map((key, index) => [key, combination[index]]));
      return when ? { kind: 'object', properties, when } : { kind: 'object', properties };
    },
    unknownValue,
  );
}

/** The file any argument alternative was loaded from (a lazy node is template text: never). */
function loadedFileOfArguments(args: readonly (readonly Abstract[])[]): string | undefined {
  let remaining = 1000;
  const search = (value: Abstract): string | undefined => {
    if (--remaining < 0) return 'a loaded file';
    if (value.kind === 'node') return undefined;
    if (value.kind === 'list') {
      for (const alternatives of value.items)
        for (const item of alternatives) {
          const found = search(item);
          if (found !== undefined) return found;
        }
      return undefined;
    }
    return loadedFileOf(value, 'a loaded file');
  };
  for (const alternatives of args)
    for (const value of alternatives) {
      const found = search(value);
      if (found !== undefined) return found;
    }
  return undefined;
}

function markLoadedAbstract(value: Abstract, file: string): Abstract {
  if (value.kind === 'node') return value;
  if (value.kind === 'list')
    return { kind: 'list', items: value.items.map((items) => items.map((item) => markLoadedAbstract(item, file))) };
  return markLoaded(value, file);
}
