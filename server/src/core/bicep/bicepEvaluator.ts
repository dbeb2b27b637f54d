/**
 * Evaluates Bicep expressions into abstract values (see `values.ts`): each expression becomes a
 * list of alternatives, and every string that is written as a literal remembers where, so that a
 * rule can point at it and a fix can replace it. Parameters give their default and allowed values
 * (or the caller's values), variables their value, imports the exported variable of the other
 * file; a few pure functions are computed (see `bicepFunctions.ts`). Anything else is `unknown`,
 * never a guess.
 *
 * A parameter read with several alternatives is recorded, so that the reader can evaluate an
 * image object again with that parameter pinned to each of its values in turn: a map of images
 * indexed by a parameter then yields one candidate per entry, never a mix of entries.
 */
import { allowedListOf, withAllowedList } from '../allowedLists';
import type { AllowedList, Conditions, DefinitionKind, FileHost, Problem, SourceLocation, ValueDefinition } from '../model';
import { folderOf, joinPath } from '../paths';
import {
  placedConditions,
  bothTruths,
  chosen,
  valuesWithConditions,
  distinctValues,
  getProperty,
  reasonsOf,
  unionConditions,
  withConditions,
  withConditionsOfParts,
  withReasons,
  maximumAlternatives,
  maximumComputedTextLength,
  mapProduct,
  loadedFileIn,
  maximumComputedArrayLength,
  stringValue,
  unknownValue,
  type Value,
} from '../values';
import { declarationSteps, mapEntryStep, newStepBudget, propertyStep, withSteps } from '../resolutionTrace';
import { callTemplateFunction, maximumLambdaItems, type ValueAccess } from '../functions/templateFunctions';
import { callBuiltInFunction, type Locals } from './bicepFunctions';
import { expandDeferred, parseBicep, type ParseOptions, type ParseResult } from './parser';
import type {
  Decorator,
  Expression,
  ForExpression,
  FunctionDeclaration,
  IfCondition,
  ParameterDeclaration,
  Program,
  VariableDeclaration,
} from './syntax';

/** What kind of declaration holds the literals being evaluated, for their definitions. */
export interface Origin {
  kind: DefinitionKind;
  description: string;
  /** The allowed values of the parameter the literals are given to, if it lists them. */
  allowedList?: AllowedList;
}

export const literalOrigin: Origin = { kind: 'literal', description: 'literal' };

// Declared with the functions, which take them; the evaluator's importers find them here too.
export type { Locals };

export const noLocals: Locals = new Map();

/** Everything shared by the files read for one entry file. */
export interface ReadSession {
  host: FileHost;
  problems: Problem[];
  dependencies: Set<string>;
  parsed: Map<string, ParseResult | undefined>;
  importScopes: Map<string, TemplateScope | undefined>;
  /** How the files of this session are parsed (the reader keeps only what it reads). */
  parseOptions: ParseOptions;
  /** Whether `loadJsonContent` loaded a file: only then are values checked for being loaded. */
  loadedAny: boolean;
  /** Files the host refused to load that were reported, so that each is reported once. */
  refusals: Set<string>;
}

export function createSession(host: FileHost, parseOptions: ParseOptions = {}): ReadSession {
  return {
    host,
    problems: [],
    dependencies: new Set(),
    parsed: new Map(),
    importScopes: new Map(),
    parseOptions,
    loadedAny: false,
    refusals: new Set(),
  };
}

/** Reads and parses another file once per session, recording the dependency. */
export function parseFileOnce(session: ReadSession, file: string): ParseResult | undefined {
  if (session.parsed.has(file)) return session.parsed.get(file);
  session.dependencies.add(file);
  const text = session.host.readFile(file);
  const parsed = text === undefined ? undefined : parseBicep(text, session.parseOptions);
  session.parsed.set(file, parsed);
  return parsed;
}

type ImportBinding = { kind: 'symbol'; file: string; name: string } | { kind: 'namespace'; file: string };

/** The declarations of one file, and the values its caller passes for its parameters. */
export class TemplateScope {
  readonly parameters = new Map<string, ParameterDeclaration>();
  readonly variables = new Map<string, VariableDeclaration>();
  readonly functions = new Map<string, FunctionDeclaration>();
  readonly imports = new Map<string, ImportBinding>();

  constructor(
    readonly file: string,
    readonly program: Program,
    readonly session: ReadSession,
    /** Values passed for parameters (a module's caller, a parameters file): they replace defaults. */
    readonly inputs: ReadonlyMap<string, readonly Value[]> | undefined,
    /** In a `.bicepparam` file a parameter's value is a parameter file value, not a default. */
    readonly isParameterFile = false,
  ) {
    for (const statement of program.statements) {
      switch (statement.kind) {
        case 'param':
          this.parameters.set(statement.name.name, statement);
          break;
        case 'var':
          this.variables.set(statement.name.name, statement);
          break;
        case 'func':
          this.functions.set(statement.name.name, statement);
          break;
        case 'import': {
          if (statement.from?.kind !== 'string') break;
          const target = joinPath(folderOf(file), statement.from.value);
          if (statement.wildcardAlias) this.imports.set(statement.wildcardAlias.name, { kind: 'namespace', file: target });
          for (const symbol of statement.symbols ?? []) {
            const name = symbol.name.kind === 'identifier' ? symbol.name.name : symbol.name.value;
            this.imports.set(symbol.alias?.name ?? name, { kind: 'symbol', file: target, name });
          }
          break;
        }
      }
    }
  }
}

/** The scope of a file imported with `import ... from`, read once per session. */
function importedScope(session: ReadSession, file: string): TemplateScope | undefined {
  if (session.importScopes.has(file)) return session.importScopes.get(file);
  const parsed = parseFileOnce(session, file);
  const scope = parsed ? new TemplateScope(file, parsed.program, session, undefined) : undefined;
  session.importScopes.set(file, scope);
  return scope;
}

/** Deeper expression nesting than this (through variables, imports, functions) is unknown. */
const maximumDepth = 48;
/** Loops over more items than this are read with one unknown item. */
export const maximumLoopItems = 64;
/**
 * The most items loops nested in one another may enumerate together (the product of their
 * lengths); an inner loop past it is unknown. Four loops of 64 would otherwise build 16 million.
 */
const maximumNestedLoopItems = 4096;

/** The `@allowed([...])` decorator of a declaration, namespaced (`@sys.allowed`) or not. */
export function findDecorator(decorators: readonly Decorator[], name: string): Expression[] | undefined {
  for (const decorator of decorators) {
    const call = decorator.expression;
    if (call.kind !== 'call' || call.name.name !== name) continue;
    if (call.base && !(call.base.kind === 'variableAccess' && call.base.name.name === 'sys')) continue;
    return call.arguments;
  }
  return undefined;
}

/**
 * Evaluates expressions of one file. An evaluator with pinned parameters sees each of them as the
 * one value given; its variable cache is its own, since variables may depend on those parameters.
 */
export class Evaluator {
  private readonly variableCache = new Map<string, { values: Value[]; reads: Set<string> }>();
  private readonly active = new Set<string>();
  private reads: Set<string> | undefined;
  private depth = 0;
  /** The product of the lengths of the loops being evaluated around the current expression. */
  private enclosingLoopItems = 1;

  constructor(
    readonly scope: TemplateScope,
    private readonly pinned: ReadonlyMap<string, Value> = new Map(),
  ) {}

  /** An evaluator of the same file with these parameters pinned. */
  withPinned(pinned: ReadonlyMap<string, Value>): Evaluator {
    return new Evaluator(this.scope, pinned);
  }

  /** Runs `evaluate` and returns, next to its result, the parameters it read with several values. */
  collectReads<T>(evaluate: () => T): { result: T; reads: Set<string> } {
    const saved = this.reads;
    const reads = new Set<string>();
    this.reads = reads;
    try {
      return { result: evaluate(), reads };
    } finally {
      this.reads = saved;
      if (saved) for (const name of reads) saved.add(name);
    }
  }

  /**
   * Evaluates an expression written where a template writes values (a declaration's value, a
   * property of an object literal, an item of an array literal): what anything but a literal
   * refers to goes through the declaration (its resolution trace gets the step), as in ARM, where
   * such a place holds either a JSON literal or an expression string.
   */
  evaluateDeclared(expression: Expression, origin: Origin, locals: Locals): Value[] {
    const values = this.evaluate(expression, origin, locals);
    const steps = declarationSteps(origin);
    // The image's own text (and other literals) adds no step: nothing more to look at.
    if (steps.length === 0) return values;
    const written = expression.kind === 'deferred' ? expandDeferred(expression) : expression;
    switch (written.kind) {
      case 'string':
      case 'object':
      case 'array':
      case 'number':
      case 'boolean':
      case 'null':
        return values;
      default:
        return withSteps(values, steps);
    }
  }

  definition(start: number, end: number, origin: Origin): ValueDefinition {
    const definition: ValueDefinition = {
      location: { file: this.scope.file, range: { start, end } },
      kind: origin.kind,
      syntax: 'bicep',
      description: origin.description,
    };
    if (origin.allowedList) definition.allowedList = origin.allowedList;
    return definition;
  }

  evaluate(expression: Expression | IfCondition, origin: Origin, locals: Locals): Value[] {
    if (this.depth >= maximumDepth) return [unknownValue];
    this.depth++;
    try {
      return distinctValues(this.evaluateNode(expression, origin, locals));
    } finally {
      this.depth--;
    }
  }

  private evaluateNode(expression: Expression | IfCondition, origin: Origin, locals: Locals): Value[] {
    switch (expression.kind) {
      case 'string':
        return [stringValue(expression.value, this.definition(expression.start, expression.end, origin))];
      case 'interpolatedString': {
        const parts = expression.expressions.map((part) => this.evaluate(part, origin, locals));
        const tracksLoaded = this.scope.session.loadedAny;
        return mapProduct(
          parts,
          (combination): Value => {
            let text = expression.segments[0];
            for (let index = 0; index < combination.length; index++) {
              const part = combination[index];
              if (part.kind !== 'string' && part.kind !== 'number' && part.kind !== 'boolean') return unknownValue;
              text += String(part.value) + expression.segments[index + 1];
              if (text.length > maximumComputedTextLength) return unknownValue;
            }
            // Text made from a loaded value is loaded too: it is never quoted in a message.
            const loaded = tracksLoaded ? loadedFileIn(combination) : undefined;
            // Text made from a ternary's branch is deployed under its condition (`concat` alike).
            return withConditionsOfParts(
              loaded === undefined ? stringValue(text) : { kind: 'string', value: text, loadedFrom: loaded },
              combination,
            );
          },
          unknownValue,
        );
      }
      case 'number':
        return [{ kind: 'number', value: expression.value }];
      case 'boolean':
        return [{ kind: 'boolean', value: expression.value }];
      case 'null':
        return [{ kind: 'null' }];
      case 'variableAccess':
        return this.symbolValues(expression.name.name, locals);
      case 'object':
        return this.evaluateObject(expression, origin, locals);
      case 'array': {
        const parts = expression.items.map((item) =>
          item.kind === 'spread'
            ? this.evaluate(item.expression, origin, locals).map((value) => ({ spread: true, value }))
            : this.evaluateDeclared(item, origin, locals).map((value) => ({ spread: false, value })),
        );
        return mapProduct(
          parts,
          (combination) => {
            const items: Value[] = [];
            for (const part of combination) {
              if (!part.spread) items.push(part.value);
              else if (part.value.kind === 'array') {
                // A chain of spreads (`[...a, ...a]`) doubles at every step: past the limit, unknown.
                if (items.length + part.value.items.length > maximumComputedArrayLength) return unknownValue;
                for (const item of part.value.items) items.push(item);
              } else return unknownValue;
            }
            if (items.length > maximumComputedArrayLength) return unknownValue;
            return { kind: 'array', items };
          },
          unknownValue,
        );
      }
      case 'for':
        return this.evaluateFor(expression, origin, locals);
      case 'if': {
        const condition = this.evaluate(expression.condition, origin, locals);
        if (condition.every((value) => value.kind === 'boolean' && !value.value)) return [];
        return this.evaluate(expression.body, origin, locals);
      }
      case 'ternary': {
        // The branch each alternative of the condition takes (both when it is not known), deployed
        // under the deployer's choices that decide it (`if()` in ARM alike).
        const condition = this.evaluate(expression.condition, origin, locals);
        let whenTrue: Value[] | undefined;
        let whenFalse: Value[] | undefined;
        const results: Value[] = [];
        let at: SourceLocation | undefined;
        for (const value of condition) {
          const truth = value.kind === 'boolean' ? value.value : undefined;
          // Decided here: a link to the condition leads to this expression (`Condition.at`).
          const because =
            value.kind === 'boolean' && value.because
              ? placedConditions(
                  value.because,
                  (at ??= { file: this.scope.file, range: { start: expression.start, end: expression.end } }),
                )
              : undefined;
          if (truth !== false) {
            whenTrue ??= this.evaluate(expression.whenTrue, origin, locals);
            results.push(...valuesWithConditions(whenTrue, truth === true ? because : undefined));
          }
          if (truth !== true) {
            whenFalse ??= this.evaluate(expression.whenFalse, origin, locals);
            results.push(...valuesWithConditions(whenFalse, truth === false ? because : undefined));
          }
        }
        return results;
      }
      case 'binary':
        return this.evaluateBinary(expression.operator, expression.left, expression.right, origin, locals);
      case 'unary':
        return this.evaluate(expression.operand, origin, locals).map((value) => {
          if (expression.operator === '!')
            return value.kind === 'boolean' ? withReasons({ kind: 'boolean', value: !value.value }, value.because) : unknownValue;
          if (value.kind !== 'number') return unknownValue;
          return { kind: 'number', value: expression.operator === '-' ? -value.value : value.value };
        });
      case 'nonNull':
        return this.evaluate(expression.expression, origin, locals);
      case 'parenthesized':
        return this.evaluate(expression.expression, origin, locals);
      case 'propertyAccess': {
        const base = expression.base;
        if (base.kind === 'variableAccess' && !locals.has(base.name.name)) {
          const binding = this.scope.imports.get(base.name.name);
          if (binding?.kind === 'namespace') return this.importedValues(binding.file, expression.property.name);
        }
        const step = [propertyStep(expression.property.name)];
        return this.evaluate(base, origin, locals).map((value) => {
          const member = withConditions(
            memberOf(value, expression.property.name, expression.safe),
            value.kind === 'object' ? value.when : undefined,
          );
          return value.kind === 'object' ? withSteps([member], step)[0] : member;
        });
      }
      case 'arrayAccess': {
        const bases = this.evaluate(expression.base, origin, locals);
        const indexes = this.evaluate(expression.index, origin, locals);
        const results: Value[] = [];
        for (const base of bases) {
          for (const index of indexes) {
            const position = expression.fromEnd ? countedFromEnd(base, index) : index;
            // An entry chosen by a branch, of an object chosen by one, is deployed under both.
            const when = unionConditions(
              base.kind === 'object' ? base.when : undefined,
              index.kind === 'string' ? index.when : undefined,
            );
            results.push(...valuesWithConditions(indexWithSteps(base, position, expression.safe), when));
            if (results.length >= maximumAlternatives) return [...results, unknownValue];
          }
        }
        return results;
      }
      case 'call':
        return this.evaluateCall(expression, origin, locals);
      case 'deferred':
        return this.evaluateNode(expandDeferred(expression), origin, locals);
      case 'resourceAccess':
      case 'lambda':
      case 'error':
        return [unknownValue];
    }
  }

  private evaluateObject(expression: Expression & { kind: 'object' }, origin: Origin, locals: Locals): Value[] {
    const parts: { name: string | undefined; value: Value }[][] = [];
    for (const member of expression.members) {
      if (member.kind === 'resource') continue;
      if (member.kind === 'spread') {
        parts.push(this.evaluate(member.expression, origin, locals).map((value) => ({ name: undefined, value })));
      } else if (member.name !== undefined) {
        const name = member.name;
        parts.push(this.evaluateDeclared(member.value, origin, locals).map((value) => ({ name, value })));
      }
    }
    return mapProduct(
      parts,
      (combination) => {
        const properties = new Map<string, Value>();
        for (const part of combination) {
          if (part.name !== undefined) properties.set(part.name, part.value);
          else if (part.value.kind === 'object') for (const [key, value] of part.value.properties) properties.set(key, value);
          else if (part.value.kind !== 'null') return unknownValue;
        }
        return { kind: 'object', properties };
      },
      unknownValue,
    );
  }

  private evaluateFor(expression: ForExpression, origin: Origin, locals: Locals): Value[] {
    const results: Value[] = [];
    for (const iterable of this.evaluate(expression.iterable, origin, locals)) {
      const enclosing = this.enclosingLoopItems;
      if (
        iterable.kind !== 'array' ||
        iterable.items.length > maximumLoopItems ||
        enclosing * iterable.items.length > maximumNestedLoopItems
      ) {
        results.push(unknownValue);
        continue;
      }
      const itemAlternatives: Value[][] = [];
      this.enclosingLoopItems = enclosing * Math.max(1, iterable.items.length);
      try {
        iterable.items.forEach((item, index) => {
          const itemLocals = bindLoopVariables(locals, expression, [item], [{ kind: 'number', value: index }]);
          itemAlternatives.push(this.evaluate(expression.body, origin, itemLocals).map((value) => value));
        });
      } finally {
        this.enclosingLoopItems = enclosing;
      }
      // An item whose filter is false contributes no alternative: leave it out.
      const kept = itemAlternatives.filter((alternatives) => alternatives.length > 0);
      results.push(...mapProduct(kept, (items): Value => ({ kind: 'array', items }), unknownValue));
    }
    return results;
  }

  private evaluateBinary(operator: string, leftNode: Expression, rightNode: Expression, origin: Origin, locals: Locals): Value[] {
    const left = this.evaluate(leftNode, origin, locals);
    if (operator === '??') {
      // `a ?? b` compiles to ARM's `coalesce(a, b)`: the same function computes both.
      const right = left.some((value) => value.kind === 'null' || value.kind === 'unknown')
        ? this.evaluate(rightNode, origin, locals)
        : [];
      return callTemplateFunction('coalesce', [left, right], bicepValueAccess) ?? [unknownValue];
    }
    const right = this.evaluate(rightNode, origin, locals);
    return mapProduct(
      [left, right],
      ([a, b]) => withReasons(binaryOperation(operator, a, b), reasonsOfOperation(operator, a, b)),
      unknownValue,
    );
  }

  private evaluateCall(expression: Expression & { kind: 'call' }, origin: Origin, locals: Locals): Value[] {
    const base = expression.base;
    const name = expression.name.name;
    if (base) {
      // Only the `sys` namespace holds the pure functions we compute; `az` functions depend on
      // the deployment, and instance functions on resources.
      if (!(base.kind === 'variableAccess' && base.name.name === 'sys')) return [unknownValue];
    } else {
      const declaration = this.scope.functions.get(name);
      if (declaration) return this.callUserFunction(declaration, expression.arguments, origin, locals);
    }
    return callBuiltInFunction(name, expression.arguments, {
      evaluate: (argument, argumentLocals = locals) => this.evaluate(argument, origin, argumentLocals),
      locals,
      readFile: (relative, where) => {
        const session = this.scope.session;
        const target = joinPath(folderOf(this.scope.file), relative);
        session.dependencies.add(target);
        const text = session.host.readFile(target);
        if (text !== undefined) session.loadedAny = true;
        const refusal = text === undefined ? session.host.refusalOf?.(target) : undefined;
        if (refusal !== undefined) {
          const message = `The file '${relative}' is not loaded: ${refusal}.`;
          const key = `${this.scope.file}\u0000${where?.start}\u0000${message}`;
          if (!session.refusals.has(key)) {
            session.refusals.add(key);
            session.problems.push({ file: this.scope.file, message, range: where });
          }
        }
        return text;
      },
      loadedAny: () => this.scope.session.loadedAny,
      access: bicepValueAccess,
    });
  }

  private callUserFunction(
    declaration: FunctionDeclaration,
    argumentNodes: readonly Expression[],
    origin: Origin,
    locals: Locals,
  ): Value[] {
    const bound = new Map<string, readonly Value[]>();
    declaration.parameters.forEach((parameter, index) => {
      const argument = argumentNodes[index];
      bound.set(parameter.name.name, argument ? this.evaluate(argument, origin, locals) : [unknownValue]);
    });
    const guard = `func:${declaration.name.name}`;
    if (this.active.has(guard)) return [unknownValue];
    this.active.add(guard);
    try {
      return this.evaluate(declaration.body, { kind: 'literal', description: `function '${declaration.name.name}'` }, bound);
    } finally {
      this.active.delete(guard);
    }
  }

  /** The alternatives of a name: a loop variable or lambda parameter, a parameter, a variable or an import. */
  symbolValues(name: string, locals: Locals): Value[] {
    const local = locals.get(name);
    if (local) return [...local];
    if (this.scope.parameters.has(name)) return this.parameterValues(name);
    if (this.scope.variables.has(name)) return this.variableValues(name);
    const binding = this.scope.imports.get(name);
    if (binding?.kind === 'symbol') return this.importedValues(binding.file, binding.name);
    return [unknownValue];
  }

  parameterValues(name: string): Value[] {
    const pinned = this.pinned.get(name);
    if (pinned) return [pinned];
    const declaration = this.scope.parameters.get(name);
    if (!declaration) return [unknownValue];
    const values = this.declaredParameterValues(declaration);
    if (values.length > 1 && this.reads) this.reads.add(name);
    return values;
  }

  private declaredParameterValues(declaration: ParameterDeclaration): Value[] {
    const name = declaration.name.name;
    if (this.scope.isParameterFile) {
      if (!declaration.value) return [unknownValue];
      return this.evaluateDeclared(declaration.value, parameterFileOrigin(name), noLocals);
    }
    const allowed: Value[] = [];
    const allowedArguments = findDecorator(declaration.decorators, 'allowed');
    const allowedArray = allowedArguments?.[0];
    // Every value the parameter takes knows its allowed values: a fix that writes another adds it.
    const text = this.scope.session.parsed.get(this.scope.file)?.text;
    const allowedList =
      allowedArray?.kind === 'array' && text !== undefined
        ? allowedListOf(
            this.scope.file,
            text,
            allowedArray.start,
            allowedArray.end,
            allowedArray.items.map((item) => ({
              start: item.start,
              end: item.end,
              value: item.kind === 'string' ? item.value : undefined,
            })),
            'bicep',
          )
        : undefined;
    if (allowedArray?.kind === 'array') {
      const origin: Origin = { kind: 'allowed-value', description: `parameter '${name}'`, allowedList };
      for (const item of allowedArray.items) {
        if (item.kind !== 'spread') allowed.push(...this.evaluateDeclared(item, origin, noLocals));
      }
    }
    const inputs = lookupInput(this.scope.inputs, name);
    if (inputs) {
      // A value the caller passes replaces the default; an unknown one is still one of the
      // allowed values when the template lists them.
      return distinctValues(
        withAllowedList(
          inputs.flatMap((input) => (input.kind === 'unknown' && allowed.length > 0 ? allowed : [input])),
          allowedList,
        ),
      );
    }
    let values: Value[] = [];
    if (declaration.value) {
      values.push(
        ...this.evaluateDeclared(
          declaration.value,
          { kind: 'parameter-default', description: `parameter '${name}'`, allowedList },
          noLocals,
        ),
      );
    }
    values.push(...allowed);
    // A deployer may set a bool parameter either way, whatever its default.
    if (declaration.type?.kind === 'typeReference' && declaration.type.name.name === 'bool') values = bothTruths(values);
    if (values.length === 0) return [unknownValue];
    const distinct = distinctValues(values);
    return distinct.length > 1 ? distinct.map((value) => chosen(value, name)) : distinct;
  }

  variableValues(name: string): Value[] {
    let cached = this.variableCache.get(name);
    if (!cached) {
      const declaration = this.scope.variables.get(name);
      if (!declaration) return [unknownValue];
      const guard = `var:${name}`;
      if (this.active.has(guard)) return [unknownValue];
      this.active.add(guard);
      try {
        const { result, reads } = this.collectReads(() =>
          this.evaluateDeclared(declaration.value, { kind: 'variable', description: `variable '${name}'` }, noLocals),
        );
        cached = { values: result, reads };
      } finally {
        this.active.delete(guard);
      }
      this.variableCache.set(name, cached);
    } else if (this.reads) {
      for (const read of cached.reads) this.reads.add(read);
    }
    return cached.values;
  }

  private importedValues(file: string, name: string): Value[] {
    const guard = `import:${file}:${name}`;
    if (this.active.has(guard)) return [unknownValue];
    const scope = importedScope(this.scope.session, file);
    if (!scope || !scope.variables.has(name)) return [unknownValue];
    this.active.add(guard);
    try {
      return new Evaluator(scope).variableValues(name);
    } finally {
      this.active.delete(guard);
    }
  }
}

export function parameterFileOrigin(name: string): Origin {
  return { kind: 'parameter-file', description: `parameter file value of '${name}'` };
}

function lookupInput(inputs: ReadonlyMap<string, readonly Value[]> | undefined, name: string): readonly Value[] | undefined {
  if (!inputs) return undefined;
  const exact = inputs.get(name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  for (const [key, value] of inputs) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** Locals with a loop's item (and index) variables bound. */
export function bindLoopVariables(locals: Locals, loop: ForExpression, item: readonly Value[], index: readonly Value[]): Locals {
  const bound = new Map(locals);
  if (loop.item) bound.set(loop.item.name, item);
  if (loop.index) bound.set(loop.index.name, index);
  return bound;
}

/** A property of a value; ARM and Bicep property names ignore case. */
export function memberOf(value: Value, name: string, safe: boolean): Value {
  if (value.kind === 'object') return getProperty(value, name) ?? (safe ? { kind: 'null' } : unknownValue);
  if (value.kind === 'null' && safe) return value;
  return unknownValue;
}

/** `base[index]`: an unknown index into a map or a list may be any of its entries. */
/** The index from the start that `base[^index]` reads; unknown unless both are known. */
function countedFromEnd(base: Value, index: Value): Value {
  return base.kind === 'array' && index.kind === 'number'
    ? { kind: 'number', value: base.items.length - index.value }
    : unknownValue;
}

/**
 * `indexInto` for an index written in an expression: a value read from a map entry records the
 * entry in its resolution trace (every entry, each with its key, when the key is unknown).
 */
function indexWithSteps(base: Value, index: Value, safe: boolean): Value[] {
  if (base.kind !== 'object') return indexInto(base, index, safe);
  const loaded = base.loadedFrom !== undefined;
  if (index.kind === 'string') {
    const found = getProperty(base, index.value);
    return found ? withSteps([found], [mapEntryStep(index.value, loaded)]) : indexInto(base, index, safe);
  }
  if (index.kind === 'unknown' && base.properties.size > 0) {
    const budget = newStepBudget();
    return [...base.properties].flatMap(([name, item]) => withSteps([item], [mapEntryStep(name, loaded)], budget));
  }
  return indexInto(base, index, safe);
}

function indexInto(base: Value, index: Value, safe: boolean): Value[] {
  if (base.kind === 'object') {
    if (index.kind === 'string') return [getProperty(base, index.value) ?? (safe ? { kind: 'null' } : unknownValue)];
    if (index.kind === 'unknown') return base.properties.size > 0 ? [...base.properties.values()] : [unknownValue];
    return [unknownValue];
  }
  if (base.kind === 'array') {
    if (index.kind === 'number') return [base.items[index.value] ?? (safe ? { kind: 'null' } : unknownValue)];
    if (index.kind === 'unknown') return base.items.length > 0 ? [...base.items] : [unknownValue];
    return [unknownValue];
  }
  if (base.kind === 'null' && safe) return [base];
  return [unknownValue];
}

function isPrimitive(value: Value): value is Value & { kind: 'string' | 'number' | 'boolean' | 'null' } {
  return value.kind === 'string' || value.kind === 'number' || value.kind === 'boolean' || value.kind === 'null';
}

function primitiveOf(value: Value): string | number | boolean | null {
  return value.kind === 'null' ? null : (value as { value: string | number | boolean }).value;
}

/**
 * The deployer's choices a comparison's result comes from: both operands', or for `&&` that is
 * false (`||` that is true) because of one operand, that operand's alone.
 */
function reasonsOfOperation(operator: string, left: Value, right: Value): Conditions | undefined {
  if (operator === '&&' || operator === '||') {
    const deciding = operator === '||';
    for (const operand of [left, right]) if (operand.kind === 'boolean' && operand.value === deciding) return operand.because;
  }
  return unionConditions(reasonsOf(left), reasonsOf(right));
}

function binaryOperation(operator: string, left: Value, right: Value): Value {
  switch (operator) {
    case '==':
    case '!=':
    case '=~':
    case '!~': {
      if (!isPrimitive(left) || !isPrimitive(right)) return unknownValue;
      let a = primitiveOf(left);
      let b = primitiveOf(right);
      if (operator === '=~' || operator === '!~') {
        if (typeof a === 'string') a = a.toLowerCase();
        if (typeof b === 'string') b = b.toLowerCase();
      }
      const equal = a === b;
      return { kind: 'boolean', value: operator === '==' || operator === '=~' ? equal : !equal };
    }
    case '&&':
    case '||':
      if (left.kind === 'boolean' && right.kind === 'boolean') {
        return { kind: 'boolean', value: operator === '&&' ? left.value && right.value : left.value || right.value };
      }
      if (operator === '&&' && ((left.kind === 'boolean' && !left.value) || (right.kind === 'boolean' && !right.value))) {
        return { kind: 'boolean', value: false };
      }
      if (operator === '||' && ((left.kind === 'boolean' && left.value) || (right.kind === 'boolean' && right.value))) {
        return { kind: 'boolean', value: true };
      }
      return unknownValue;
    default: {
      if (left.kind !== 'number' || right.kind !== 'number') return unknownValue;
      const a = left.value;
      const b = right.value;
      switch (operator) {
        case '+':
          return { kind: 'number', value: a + b };
        case '-':
          return { kind: 'number', value: a - b };
        case '*':
          return { kind: 'number', value: a * b };
        case '/':
          return b === 0 ? unknownValue : { kind: 'number', value: Math.trunc(a / b) };
        case '%':
          return b === 0 ? unknownValue : { kind: 'number', value: a % b };
        case '<':
          return { kind: 'boolean', value: a < b };
        case '<=':
          return { kind: 'boolean', value: a <= b };
        case '>':
          return { kind: 'boolean', value: a > b };
        case '>=':
          return { kind: 'boolean', value: a >= b };
        default:
          return unknownValue;
      }
    }
  }
}

/** How the shared template functions read Bicep's values, which are all plain. */
const bicepValueAccess: ValueAccess<Value> = {
  isArray: (value) => value.kind === 'array',
  isObject: (value) => value.kind === 'object',
  lengthOf: (value) =>
    value.kind === 'array' ? value.items.length : value.kind === 'object' ? value.properties.size : undefined,
  itemAt: (value, index) => {
    const item = value.kind === 'array' ? value.items[index] : undefined;
    return item === undefined ? undefined : [item];
  },
  memberOf: (value, name) => {
    if (value.kind === 'unknown') return [unknownValue];
    const property = value.kind === 'object' ? getProperty(value, name) : undefined;
    return property === undefined ? undefined : [property];
  },
  indexInto: (value, key) => indexInto(value, key, false),
  keysOf: (value) => (value.kind === 'object' ? [...value.properties.keys()] : undefined),
  materialize: (value) => [value],
  arrayOf: (items) => {
    // Most arrays hold one value per item (`split`, `concat`): no combinations to build.
    if (items.every((alternatives) => alternatives.length === 1)) return [{ kind: 'array', items: items.map(([item]) => item) }];
    // Combinations of a long array's items would cost its length squared: unknown past a loop's length.
    if (items.length > maximumLambdaItems) return [unknownValue];
    return mapProduct(items, (combination): Value => ({ kind: 'array', items: combination }), unknownValue);
  },
};
