/**
 * The names an ARM expression can see: the parameters and variables of one template (or of an
 * inner-scoped nested deployment), the copy loop indexes in effect, and, while the image reader
 * correlates fields, parameters pinned to one alternative. Scopes are cheap to derive; each keeps
 * its own memo of evaluated parameters and variables so that repeated references cost nothing.
 */
import type {
  AllowedList,
  Conditions,
  DefinitionKind,
  DeploymentStep,
  FileHost,
  Problem,
  ResolutionStep,
  SourceLocation,
} from '../model';
import { ImageBudget } from '../readBudget';
import { scalarKey, type Value } from '../values';
import { findProperty, type JsonArrayNode, type JsonNode, type JsonObjectNode } from './jsonDocument';

/**
 * The hook through which one read takes images remembered from the previous read of the same
 * document and remembers those it reads (`MemoRead` in `imageReadMemo.ts` implements it). The
 * scope and the image reader know nothing else of the memo; a read without one computes every
 * image.
 */
export interface ImageRecall {
  /** The image remembered under `key`, when what it was read from is unchanged in `scope`. */
  recall(key: string, scope: TemplateScope): RecalledImage | undefined;
  /** Reads an image with `read` and remembers it under `key`; returns its alternatives. */
  readAndRemember(key: string, scope: TemplateScope, start: number, end: number, read: () => Value[] | null): Value[] | null;
}

/** An image as a previous read found it. */
export interface RecalledImage {
  /** Its alternatives (null: it has no image), distinct. */
  alternatives: Value[] | null;
  /** Where its text was when it was read. */
  start: number;
  end: number;
}

/**
 * Where literal strings of a JSON subtree are written and what declares them; it becomes the
 * `ValueDefinition` of every string read from that subtree.
 */
export interface Origin {
  file: string;
  kind: DefinitionKind;
  description: string;
  /** Parameter files hold plain values: a string starting with `[` is not an expression there. */
  literalOnly: boolean;
  /** The allowed values of the parameter the literals are given to, if it lists them. */
  allowedList?: AllowedList;
  /**
   * The steps of the resolution trace that every value read out of this subtree goes through
   * after its own: the references and properties that led to the subtree (`resolutionTrace.ts`).
   */
  via?: readonly ResolutionStep[];
}

/** An object or array literal not evaluated yet, with the scope its expressions run in. */
export interface LazyNode {
  kind: 'node';
  node: JsonObjectNode | JsonArrayNode;
  scope: TemplateScope;
  origin: Origin;
  /** The deployer's choices this alternative is deployed under (an `if()` branch). */
  when?: Conditions;
}

/** An array whose items each have their own alternatives. */
export interface LazyList {
  kind: 'list';
  items: Abstract[][];
}

export type Abstract = Value | LazyNode | LazyList;

/** A key that is equal for alternatives that are the same value written in the same place. */
export function alternativeKey(value: Abstract): string | undefined {
  switch (value.kind) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
    case 'unknown':
      return scalarKey(value);
    case 'node':
      return `n:${value.origin.file}:${value.node.start}:${value.scope.id}:${value.origin.kind}`;
    default:
      // Materialized objects and lists are rare and cheap to keep twice.
      return undefined;
  }
}

/** The evaluation steps one read may take; past them every further expression is unknown. */
export const maximumEvaluationSteps = 2_000_000;

/** A value written for a parameter in a parameter file. */
export interface ParameterFileValue {
  file: string;
  node: JsonNode;
}

export interface ParameterSymbol {
  name: string;
  /** The declaration object in the template (`type`, `defaultValue`, `allowedValues`...). */
  declaration?: JsonObjectNode;
  /**
   * Values the caller passes (nested deployment, Bicep module); they replace the default. A
   * nested deployment passes a function that evaluates its value when the parameter is first read.
   */
  inputs?: ParameterInput;
  fileValues: ParameterFileValue[];
}

export type ParameterInput = Abstract[] | (() => Abstract[]);

export interface VariableSymbol {
  name: string;
  node: JsonNode;
}

/** A variable declared by a `copy` entry of the `variables` section. */
export interface CopyVariable {
  name: string;
  count?: JsonNode;
  input?: JsonNode;
}

/** Where a scope is among those of a read: a top-level scope (by deployment) and the copy index of a resource's loop. */
export interface ScopeRecipe {
  deployment: number;
  loop?: { name: string | undefined; index: number | undefined };
}

/** Shared by every scope of one read: guards against cycles and runaway work. */
export interface EvaluationContext {
  nextScopeId: number;
  /** Parameters and variables being evaluated right now, to stop cycles. */
  active: Set<string>;
  /**
   * Sets collecting the names of parameters with more than one alternative that were read; the
   * image reader uses them to keep fields that depend on the same parameter together.
   */
  parameterReads: Set<string>[];
  /** Evaluation steps left; when it runs out every further expression is unknown. */
  budget: number;
  /** Image values the read may still compute (`readBudget.ts`); shared with a Bicep caller's read. */
  images: ImageBudget;
  /** Whether repeated images are read once per scope and shared (see `templateImageSites.ts`). */
  shareRepeatedImages: boolean;
  /** The text of the template file every scope of this read is written in, when known. */
  text?: string;
  /** Alternative lists this read knows to hold no duplicates (so they need no second pass). */
  distinctLists: WeakSet<Value[]>;
  /** Lists of alternatives deployed under conditions, made once per list and conditions (`conditionedList`). */
  conditionedLists: WeakMap<Value[], Map<string, Value[]>>;
  /**
   * When images are remembered from one read to the next (`imageReadMemo.ts`): sets collecting
   * every parameter and variable read (`p:name`, `v:name`), so that a remembered image can be
   * checked against the declarations it was computed from.
   */
  symbolReads?: Set<string>[];
  /** Images remembered from the previous read of the same document, when the caller keeps them. */
  memo?: ImageRecall;
  /**
   * Whether a caller's values (a Bicep module's parameters) hold values loaded from a file
   * (`loadJsonContent`): only then are function results checked for being computed from one.
   */
  tracksLoadedValues?: boolean;
  /**
   * What a deployer must choose for the resource being walked to be deployed: its `condition`
   * and those of the resources and deployments around it (`templateImageSites.ts`).
   */
  deployedWhen?: Conditions;
  /**
   * The nested and linked deployments from the template read to the resource being walked
   * (`ImageSite.via`); undefined at the top.
   */
  via?: readonly DeploymentStep[];
  /** The variables of the lambdas being evaluated (`lambdaVariables('x')`), innermost last. */
  lambdaFrames?: Map<string, Abstract[]>[];
  /** Linked templates of the repository, followed when the read has a host (`linkedTemplates.ts`). */
  links?: LinkedReading;
}

export function createEvaluationContext(
  shareRepeatedImages = true,
  text?: string,
  memo?: ImageRecall,
  images = new ImageBudget(),
): EvaluationContext {
  return {
    nextScopeId: 1,
    active: new Set(),
    parameterReads: [],
    budget: maximumEvaluationSteps,
    images,
    distinctLists: new WeakSet(),
    conditionedLists: new WeakMap(),
    shareRepeatedImages,
    text,
    symbolReads: memo ? [] : undefined,
    memo,
  };
}

export interface CachedValues {
  values: Abstract[];
  /** Multi-valued parameters read while computing them, replayed on every cache hit. */
  parameterReads: string[];
  /** Every parameter and variable read while computing them (when recorded), replayed likewise. */
  symbolReads?: string[];
}

export class TemplateScope {
  readonly id: number;
  readonly parameterCache = new Map<string, CachedValues>();
  readonly variableCache = new Map<string, CachedValues>();
  /**
   * Expression text to its alternatives. An expression's value depends only on its scope (its
   * strings carry no position of their own), and big templates repeat the same expressions
   * thousands of times. Not inherited by copy-loop scopes, where copyIndex() differs.
   */
  readonly expressionCache = new Map<string, CachedValues>();
  /** Scopes derived with the same bindings are reused, so their caches serve every image. */
  private readonly boundScopes = new Map<string, TemplateScope>();
  /**
   * Images already read in this scope, by resource type and the image's text as written
   * (`templateImageSites.ts`); made when the first image is read in it.
   */
  imagesRead: Map<string, RecalledImage> | undefined = undefined;
  /**
   * How to find this scope again in a later read (`SiteRecipe`): set on the top-level scopes and
   * their copy-loop scopes by a read that says how to read each site again.
   */
  recipe: ScopeRecipe | undefined = undefined;

  constructor(
    readonly context: EvaluationContext,
    /** The file holding the template text this scope's expressions are written in. */
    readonly file: string,
    readonly parameters: ReadonlyMap<string, ParameterSymbol>,
    readonly variables: ReadonlyMap<string, VariableSymbol>,
    readonly copyVariables: ReadonlyMap<string, CopyVariable>,
    /** Loop name (lower case, '' for the resource's own loop) to index; undefined is unknown. */
    readonly copyIndexes: ReadonlyMap<string, number | undefined> = new Map(),
    /** Parameters pinned to a single alternative (lower-case names). */
    readonly bindings: ReadonlyMap<string, Abstract> = new Map(),
    /**
     * What, besides the declarations it reads, an image read in this scope depends on: the
     * template file, the parameter file and the copy indexes. Undefined when that cannot be said
     * (values passed by a caller), and then images read here are not remembered.
     */
    readonly memoKey?: string,
  ) {
    this.id = context.nextScopeId++;
  }

  /** The same names inside a copy loop. Variables cannot use copyIndex(), so caches are shared. */
  withCopyIndex(loopName: string | undefined, index: number | undefined): TemplateScope {
    const copyIndexes = new Map(this.copyIndexes);
    copyIndexes.set('', index);
    if (loopName) copyIndexes.set(loopName.toLowerCase(), index);
    const memoKey =
      this.memoKey === undefined
        ? undefined
        : `${this.memoKey}\u0000${[...copyIndexes].map(([name, value]) => `${name}=${value ?? '?'}`).join(',')}`;
    const scope = new TemplateScope(
      this.context,
      this.file,
      this.parameters,
      this.variables,
      this.copyVariables,
      copyIndexes,
      this.bindings,
      memoKey,
    );
    for (const [key, value] of this.parameterCache) scope.parameterCache.set(key, value);
    for (const [key, value] of this.variableCache) scope.variableCache.set(key, value);
    return scope;
  }

  /** The same names with some parameters pinned; caches start empty since results may differ. */
  withBindings(bindings: ReadonlyMap<string, Abstract>): TemplateScope {
    const keys = [...bindings].map(([name, value]) => {
      const key = alternativeKey(value);
      return key === undefined ? undefined : `${name.toLowerCase()}=${key}`;
    });
    const cacheKey = keys.includes(undefined) ? undefined : keys.sort().join('\u0000');
    const cached = cacheKey === undefined ? undefined : this.boundScopes.get(cacheKey);
    if (cached) return cached;
    const scope = this.createBound(bindings);
    if (cacheKey !== undefined) this.boundScopes.set(cacheKey, scope);
    return scope;
  }

  private createBound(bindings: ReadonlyMap<string, Abstract>): TemplateScope {
    const merged = new Map(this.bindings);
    for (const [name, value] of bindings) merged.set(name.toLowerCase(), value);
    return new TemplateScope(
      this.context,
      this.file,
      this.parameters,
      this.variables,
      this.copyVariables,
      this.copyIndexes,
      merged,
    );
  }
}

/**
 * Builds the scope of a template object: its parameters (with the caller's inputs and the
 * parameter files' values) and its variables, including `copy` variables.
 */
export function createTemplateScope(
  context: EvaluationContext,
  file: string,
  template: JsonObjectNode,
  parameterInputs?: ReadonlyMap<string, ParameterInput>,
  parameterFileValues?: ReadonlyMap<string, ParameterFileValue[]>,
  memoKey?: string,
): TemplateScope {
  const parameters = new Map<string, ParameterSymbol>();
  const parametersNode = findProperty(template, 'parameters');
  if (parametersNode?.type === 'object') {
    for (const property of parametersNode.properties) {
      const key = property.name.toLowerCase();
      parameters.set(key, {
        name: property.name,
        declaration: property.value.type === 'object' ? property.value : undefined,
        inputs: lookupIgnoringCase(parameterInputs, key),
        fileValues: lookupIgnoringCase(parameterFileValues, key) ?? [],
      });
    }
  }
  const variables = new Map<string, VariableSymbol>();
  const copyVariables = new Map<string, CopyVariable>();
  const variablesNode = findProperty(template, 'variables');
  if (variablesNode?.type === 'object') {
    for (const property of variablesNode.properties) {
      if (property.name.toLowerCase() === 'copy' && property.value.type === 'array') {
        for (const entry of property.value.items) {
          if (entry.type !== 'object') continue;
          const name = findProperty(entry, 'name');
          if (name?.type !== 'string') continue;
          copyVariables.set(name.value.toLowerCase(), {
            name: name.value,
            count: findProperty(entry, 'count'),
            input: findProperty(entry, 'input'),
          });
        }
        continue;
      }
      variables.set(property.name.toLowerCase(), { name: property.name, node: property.value });
    }
  }
  return new TemplateScope(context, file, parameters, variables, copyVariables, new Map(), new Map(), memoKey);
}

function lookupIgnoringCase<T>(map: ReadonlyMap<string, T> | undefined, lowerName: string): T | undefined {
  if (!map) return undefined;
  const exact = map.get(lowerName);
  if (exact !== undefined) return exact;
  for (const [key, value] of map) if (key.toLowerCase() === lowerName) return value;
  return undefined;
}

/** What following links in one read shares: the host, the chain being read, what was found. */
export interface LinkedReading {
  host: FileHost;
  /** The files being read, the entry first: a link back to one of them is a cycle. */
  stack: string[];
  problems: Problem[];
  /** Every linked file the read tried to read (a missing one may appear). */
  dependencies: Set<string>;
  /** Links not followed, by where they are written, with why. */
  unfollowed: Map<string, UnfollowedLink>;
  /** How many linked templates were read. */
  reads: number;
  /** Problems already reported, so that a link read in several scopes reports once. */
  reported: Set<string>;
  /**
   * Whether the read tried to follow a link (read one, reported one, or depended on a file): then
   * it is not read again in part after an edit (`readArm.ts`), since what it found lies outside
   * the images a partial read looks at.
   */
  followedAny(): boolean;
}

export interface UnfollowedLink {
  use: SourceLocation;
  reasons: string[];
}
