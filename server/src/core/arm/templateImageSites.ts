/**
 * Finds every image a template can deploy. It walks the resources at every depth (child
 * `resources` with composed types, the symbolic-name object of `languageVersion` 2.0 templates,
 * inline nested deployments in inner or outer scope, copy loops), follows the shared
 * `imageLocations` table to each image object, evaluates it, and builds one image site per place
 * an image is written. Fields that depend on the same parameter are evaluated with that parameter
 * pinned to each of its values in turn, so that a map of images indexed by `parameters('os')`
 * gives one candidate per entry and never a publisher of one entry with the offer of another.
 */
import { TextMover } from '../textShift';
import {
  buildImageSite,
  candidateViaOf,
  declaredOs,
  imageLocationOf,
  type ImageLocation,
  type OperatingSystem,
  passedImageLocation,
  sharedSiteShape,
  type SiteShape,
  type WrittenProperty,
} from '../imageLocations';
import type { Conditions, DeploymentStep, ImageSite, SourceLocation } from '../model';
import { ImageBudget } from '../readBudget';
import { siteWithMovedCandidates } from '../sharedCandidates';
import {
  conditionsKey,
  distinctValues,
  placedConditions,
  product,
  unionConditions,
  unknownValue,
  withConditions,
  type Value,
  conditionsToDeploy,
} from '../values';
import { plainToValue, type Abstract, type Origin } from './abstractValue';
import { isArmExpression } from './armExpression';
import { evaluateNode, materialize, materializeProperties, memberOf, parameterValues } from './armEvaluator';
import {
  findProperty,
  markWholeTextRead,
  parseJsonDocument,
  toPlainJson,
  visitItems,
  type JsonNode,
  type JsonObjectNode,
} from './jsonDocument';
import {
  createEvaluationContext,
  createTemplateScope,
  type EvaluationContext,
  type LinkedReading,
  type ParameterInput,
  type ScopeRecipe,
  type TemplateScope,
} from './templateScope';
import { notePassedLocation, openLinkedTemplates, resolveTemplateLink, unfollowedLinkSites } from './linkedTemplates';
import { readParameterFileValues } from './parameterFiles';

/** Resource copy loops longer than this are read once with an unknown index. */
const maximumEnumeratedResourceCopies = 16;
/** The most combinations of parameter values tried to keep an image's fields together. */
const maximumCorrelatedAssignments = 64;
/** Nested deployments deeper than this are not followed. */
const maximumNestingDepth = 16;

const deploymentsType = 'microsoft.resources/deployments';

interface SiteAccumulator {
  use: SourceLocation;
  location: ImageLocation;
  /**
   * Where the resource that holds the image starts, and how to find each scope that read it
   * again. Not the resource's node: an accumulator lives until the walk ends, and a node would
   * keep the resource's whole read subtree alive through every young-generation collection.
   */
  resourceStart: number;
  scopes: (ScopeRecipe | undefined)[];
  /** What each scope that reached this image found. */
  parts: Value[][];
  /** The operating system the resource declares, if it does (`declaredOs`). */
  os?: OperatingSystem;
  /**
   * Whether a part was read under conditions (`deployedWhen`): such a site is not read again
   * alone, since its recipe does not say what the resources around it require.
   */
  conditioned?: boolean;
  /** The nested and linked deployments that lead to the resource (`ImageSite.via`). */
  via?: readonly DeploymentStep[];
  /** The deployments that led to each part's read (`ImageSite.candidateVia`). */
  partVias: (readonly DeploymentStep[] | undefined)[];
  /**
   * For each part read from another resource with the same text, the literals to move: a part
   * is moved only when it must be merged with others, and a single part's site is relocated.
   */
  moves: (TextMover | undefined)[];
}

/**
 * How to read one site again without walking the template (`readArm.ts`, after an edit inside
 * the site's image): the resource (where it starts), where its image is, and each scope that read
 * it, as a top-level scope (by deployment) and the copy index the resource's loop gave it.
 */
export interface SiteRecipe {
  resourceStart: number;
  location: ImageLocation;
  scopes: ScopeRecipe[];
}

/**
 * Collects the image sites of a template, read once per top-level scope given (one per way of
 * deploying it: without a parameter file and with each one), each site holding the union. With
 * `recipes`, also says for each site how to read it again alone (undefined when it cannot be:
 * a site read in an inner-scoped nested deployment).
 */
export function collectTemplateImageSites(
  template: JsonObjectNode,
  scopes: readonly TemplateScope[],
  recipes?: (SiteRecipe | undefined)[],
): ImageSite[] {
  const accumulators = new Map<string, SiteAccumulator>();
  // Only a read that keeps recipes tracks its scopes (a read without a memo never reads a site again).
  if (recipes) scopes.forEach((scope, deployment) => (scope.recipe = { deployment }));
  for (const scope of scopes) walkTemplate(template, scope, accumulators, 0);
  const building = newSiteBuilding(scopes[0]?.context);
  const sites: ImageSite[] = [];
  for (const accumulator of accumulators.values()) {
    const site = siteOf(accumulator, building);
    if (!site) continue;
    sites.push(site);
    recipes?.push(
      // A site of a linked template (read in a scope of its own) cannot be read again alone.
      !accumulator.conditioned &&
        !accumulator.via &&
        accumulator.scopes.length === accumulator.parts.length &&
        accumulator.scopes.every((scope) => scope !== undefined)
        ? {
            resourceStart: accumulator.resourceStart,
            location: accumulator.location,
            scopes: accumulator.scopes as ScopeRecipe[],
          }
        : undefined,
    );
  }
  const links = scopes[0]?.context.links;
  if (links) {
    for (const site of unfollowedLinkSites(links)) {
      sites.push(site);
      recipes?.push(undefined);
    }
  }
  return sites;
}

/**
 * Reads one site again as `collectTemplateImageSites` read it, in `scopes` (the top-level scopes
 * of this read, in the same order): what walking the whole template would give for it.
 */
export function readSiteAgain(
  resource: JsonObjectNode,
  recipe: SiteRecipe,
  scopes: readonly TemplateScope[],
): ImageSite | undefined {
  const accumulators = new Map<string, SiteAccumulator>();
  for (const part of recipe.scopes) {
    let scope = scopes[part.deployment];
    if (!scope) return undefined;
    if (part.loop) scope = scope.withCopyIndex(part.loop.name, part.loop.index);
    readResourceImage(resource, recipe.location, scope, accumulators);
  }
  const [accumulator] = accumulators.values();
  return accumulator && siteOf(accumulator, newSiteBuilding(scopes[0]?.context));
}

function newSiteBuilding(context: EvaluationContext | undefined): SiteBuilding {
  return {
    budget: context?.images ?? new ImageBudget(),
    distinctLists: context?.distinctLists ?? new WeakSet(),
    unions: new Map(),
    listIds: new Map(),
  };
}

/** What building the sites of one read shares: its budget, and the unions of lists built so far. */
interface SiteBuilding {
  budget: ImageBudget;
  /** The read's lists known to hold no duplicates (`EvaluationContext.distinctLists`). */
  distinctLists: WeakSet<Value[]>;
  /** Sites read in several scopes (deployments): the shape of each union of lists, by their ids. */
  unions: Map<string, SiteShape | null>;
  listIds: Map<Value[], number>;
}

function siteOf(accumulator: SiteAccumulator, building: SiteBuilding): ImageSite | undefined {
  const { parts, moves } = accumulator;
  const move = moves[0];
  const sameMove = moves.every((other) => (other === undefined ? move === undefined : other.equals(move)));
  if (sameMove && parts.every((part) => building.distinctLists.has(part))) {
    // The same lists serve many sites: build their candidates once and share them. A copy of an
    // image read elsewhere gets the candidates of the original with the definitions of the
    // original's literals moved to its own, which is what reading it would give; the list
    // itself is shared (`sharedCandidates.ts`).
    const shape =
      parts.length === 1 ? sharedSiteShape(accumulator.use, accumulator.location, parts[0]) : unionShape(accumulator, building);
    if (!shape) return undefined;
    const site: ImageSite = move
      ? siteWithMovedCandidates(accumulator.use, shape, shape.candidates, move)
      : { use: accumulator.use, ...shape };
    if (accumulator.os) site.os = accumulator.os;
    if (accumulator.via) site.via = accumulator.via;
    withCandidateVia(site, accumulator, parts);
    return site;
  }
  const moved = moves.some((other) => other !== undefined)
    ? parts.map((part, index) => {
        const mover = moves[index];
        return mover ? mover.values(part) : part;
      })
    : parts;
  const values = distinctValues(moved.flat());
  // Built for this site alone: it costs what it holds.
  if (moves.some((other) => other !== undefined)) {
    if (building.budget.spent) values.splice(0, values.length, ...unreadImage(building.budget));
    else building.budget.charge(values.length);
  }
  const site = buildImageSite(accumulator.use, accumulator.location, values);
  if (site && accumulator.os) site.os = accumulator.os;
  if (site && accumulator.via) site.via = accumulator.via;
  if (site) withCandidateVia(site, accumulator, moved);
  return site;
}

/** Deployments that each lead here (a linked template linked twice): each candidate keeps its own. */
function withCandidateVia(site: ImageSite, accumulator: SiteAccumulator, parts: readonly (readonly Value[])[]): void {
  if (accumulator.partVias.length < 2) return;
  const candidateVia = candidateViaOf(site, accumulator.location, parts, accumulator.partVias);
  if (candidateVia) site.candidateVia = candidateVia;
}

/** The shape of a site read in several scopes, built once for each union of the same lists. */
function unionShape(accumulator: SiteAccumulator, building: SiteBuilding): SiteShape | null {
  const key =
    accumulator.parts
      .map((part) => {
        let id = building.listIds.get(part);
        if (id === undefined) building.listIds.set(part, (id = building.listIds.size));
        return id;
      })
      .join(',') + `\u0000${accumulator.location.resourceType}`;
  let shape = building.unions.get(key);
  if (shape === undefined) {
    const site = buildImageSite(accumulator.use, accumulator.location, distinctValues(accumulator.parts.flat()));
    shape = site
      ? { resourceType: site.resourceType, candidates: site.candidates, unresolved: site.unresolved, custom: site.custom }
      : null;
    building.unions.set(key, shape);
  }
  return shape;
}

function walkTemplate(
  template: JsonObjectNode,
  scope: TemplateScope,
  accumulators: Map<string, SiteAccumulator>,
  depth: number,
): void {
  const resources = findProperty(template, 'resources');
  walkResources(resources, scope, undefined, accumulators, depth);
}

function walkResources(
  resources: JsonNode | undefined,
  scope: TemplateScope,
  parentType: string | undefined,
  accumulators: Map<string, SiteAccumulator>,
  depth: number,
): void {
  if (!resources) return;
  const walk = (resource: JsonNode) => {
    if (resource.type === 'object') walkResource(resource, scope, parentType, accumulators, depth);
  };
  if (resources.type === 'array') visitItems(resources, walk);
  // `languageVersion` 2.0 templates keep resources in an object keyed by symbolic name.
  else if (resources.type === 'object') for (const property of resources.properties) walk(property.value);
}

function walkResource(
  resource: JsonObjectNode,
  scope: TemplateScope,
  parentType: string | undefined,
  accumulators: Map<string, SiteAccumulator>,
  depth: number,
): void {
  const type = resourceTypeOf(resource, parentType);
  if (type === undefined) return;
  const existing = findProperty(resource, 'existing');
  if (existing?.type === 'boolean' && existing.value === true) return;
  const childResources = findProperty(resource, 'resources');
  const deployed = deploymentConditions(findProperty(resource, 'condition'), scope);
  if (deployed === null) return;
  const context = scope.context;
  const enclosing = context.deployedWhen;
  // What the resource deploys, nested deployments and child resources included, is deployed
  // only when its condition holds.
  if (deployed) context.deployedWhen = unionConditions(enclosing, deployed);
  try {
    const location = imageLocationOf(type);
    const isDeployment = type.toLowerCase() === deploymentsType;
    if (location || isDeployment) {
      for (const loopScope of copyLoopScopes(resource, scope)) {
        if (location) readResourceImage(resource, location, loopScope, accumulators);
        if (isDeployment && depth < maximumNestingDepth) {
          // What the deployment deploys is reached through it (`ImageSite.via`).
          const enclosingVia = context.via;
          context.via = [...(enclosingVia ?? []), deploymentStep(resource, loopScope)];
          try {
            walkNestedDeployment(resource, loopScope, accumulators, depth + 1);
          } finally {
            context.via = enclosingVia;
          }
        }
      }
    }
    walkResources(childResources, scope, type, accumulators, depth);
  } finally {
    context.deployedWhen = enclosing;
  }
}

/** A nested or linked deployment as a step of `ImageSite.via`: its name as written, where it is written. */
function deploymentStep(resource: JsonObjectNode, scope: TemplateScope): DeploymentStep {
  const name = findProperty(resource, 'name');
  const at = name ?? resource;
  return {
    kind: 'deployment',
    name: name?.type === 'string' ? name.value : '(unnamed deployment)',
    location: { file: scope.file, range: { start: at.start, end: at.end } },
  };
}

/** The full resource type: a child's short type is appended to its parent's. */
function resourceTypeOf(resource: JsonObjectNode, parentType: string | undefined): string | undefined {
  const typeNode = findProperty(resource, 'type');
  if (typeNode?.type !== 'string') return undefined;
  const type = typeNode.value;
  if (parentType === undefined) return type;
  const firstSegment = type.split('/')[0];
  return firstSegment.includes('.') ? type : `${parentType}/${type}`;
}

/** What a deployer must choose for a resource with this `condition` to be deployed (`conditionsToDeploy`), placed at it. */
function deploymentConditions(condition: JsonNode | undefined, scope: TemplateScope): Conditions | undefined | null {
  if (!condition) return undefined;
  const when = conditionsToDeploy(evaluateNode(condition, scope, literalOrigin(scope)));
  if (when === null) return null;
  // Decided here: a link to the condition leads to its value (`Condition.at`).
  return when && placedConditions(when, { file: scope.file, range: { start: condition.start, end: condition.end } });
}

/** The alternatives deployed only under `when` too: one shared list per list and conditions. */
function conditionedList(alternatives: Value[], when: Conditions, context: EvaluationContext): Value[] {
  const { conditionedLists, distinctLists } = context;
  let byConditions = conditionedLists.get(alternatives);
  if (!byConditions) conditionedLists.set(alternatives, (byConditions = new Map()));
  const key = conditionsKey(when);
  let list = byConditions.get(key);
  if (!list) {
    list = alternatives.map((value) => withConditions(value, when));
    if (distinctLists.has(alternatives)) distinctLists.add(list);
    byConditions.set(key, list);
  }
  return list;
}

/** The scopes a resource is deployed in: one per known copy index, or one with an unknown index. */
function copyLoopScopes(resource: JsonObjectNode, scope: TemplateScope): TemplateScope[] {
  const copy = findProperty(resource, 'copy');
  if (copy?.type !== 'object') return [scope];
  const nameNode = findProperty(copy, 'name');
  const loopName = nameNode?.type === 'string' ? nameNode.value : undefined;
  const countNode = findProperty(copy, 'count');
  const counts = countNode ? evaluateNode(countNode, scope, literalOrigin(scope)) : [];
  const known = counts.length > 0 && counts.every((count) => count.kind === 'number');
  const largest = Math.max(0, ...counts.map((count) => (count.kind === 'number' ? count.value : 0)));
  if (!known || largest > maximumEnumeratedResourceCopies) return [loopScope(scope, loopName, undefined)];
  const scopes: TemplateScope[] = [];
  for (let index = 0; index < largest; index++) scopes.push(loopScope(scope, loopName, index));
  return scopes;
}

/** A resource's copy-loop scope, which a site can be read in again if its parent can. */
function loopScope(scope: TemplateScope, loopName: string | undefined, index: number | undefined): TemplateScope {
  const derived = scope.withCopyIndex(loopName, index);
  const parent = scope.recipe;
  if (parent && !parent.loop) derived.recipe = { deployment: parent.deployment, loop: { name: loopName, index } };
  return derived;
}

function literalOrigin(scope: TemplateScope): Origin {
  return { file: scope.file, kind: 'literal', description: 'literal', literalOnly: false };
}

function readResourceImage(
  resource: JsonObjectNode,
  location: ImageLocation,
  scope: TemplateScope,
  accumulators: Map<string, SiteAccumulator>,
): void {
  const use = imageUseNode(resource, location);
  if (!use) return;
  const text = scope.context.text;
  let alternatives: Value[] | null | undefined;
  let move: TextMover | undefined;
  const budget = scope.context.images;
  if (text === undefined || use.end - use.start > maximumKeyLength || !scope.context.shareRepeatedImages) {
    if (budget.spent) alternatives = unreadImage(budget);
    else {
      alternatives = readImageAlternatives(resource, location, scope);
      budget.charge(alternatives?.length ?? 0);
    }
  } else {
    // Images already read in this scope. Big templates repeat the same image on thousands of
    // resources (a VM per team, one per module); reading it once per scope keeps them linear and
    // cheap. An expression's value depends on its scope alone, but a literal's value remembers
    // where it is written, so the entry keeps where its text was, and another resource with the
    // same text gets the values with the definitions that lie in that text moved to its own copy
    // (the same characters, so the same literals at the same distances).
    const cache = (scope.imagesRead ??= new Map());
    const cacheKey = `${location.resourceType}\u0000${text.slice(use.start, use.end)}`;
    // The result now depends on every character of the image's text, not only on what is read.
    markWholeTextRead(use);
    // Within this read, then from the previous read of the document when the caller keeps a memo.
    const memo = scope.context.memo;
    let cached = cache.get(cacheKey);
    let memoKey: string | undefined;
    // A copy of an image read before costs nothing: it shares that image's values. Past the
    // budget, an image not read before is not read at all (`readBudget.ts`).
    if (cached === undefined && !budget.spent && memo && scope.memoKey !== undefined) {
      memoKey = `${scope.memoKey}\u0000${cacheKey}`;
      cached = memo.recall(memoKey, scope);
      if (cached) {
        cache.set(cacheKey, cached);
        // Remembered lists were made distinct when they were read.
        if (cached.alternatives) scope.context.distinctLists.add(cached.alternatives);
        // What a read without the memo would have computed.
        budget.charge(cached.alternatives?.length ?? 0);
      }
    }
    if (cached !== undefined) {
      alternatives = cached.alternatives;
      if (cached.start !== use.start) {
        move = TextMover.copying(scope.file, cached.start, cached.end, use.start - cached.start);
      }
    } else if (budget.spent) {
      alternatives = unreadImage(budget);
    } else {
      const read = () => {
        const values = readImageAlternatives(resource, location, scope);
        return values ? distinctValues(values) : null;
      };
      alternatives = memoKey === undefined ? read() : memo!.readAndRemember(memoKey, scope, use.start, use.end, read);
      if (alternatives) scope.context.distinctLists.add(alternatives);
      budget.charge(alternatives?.length ?? 0);
      cache.set(cacheKey, { alternatives, start: use.start, end: use.end });
    }
  }
  if (!alternatives) return;
  const when = scope.context.deployedWhen;
  if (when) alternatives = conditionedList(alternatives, when, scope.context);
  const accumulatorKey = `${scope.file}:${use.start}:${location.resourceType}`;
  let accumulator = accumulators.get(accumulatorKey);
  if (!accumulator) {
    const useLocation = { file: scope.file, range: { start: use.start, end: use.end } };
    accumulator = { use: useLocation, location, resourceStart: resource.start, scopes: [], parts: [], moves: [], partVias: [] };
    const os = location.os ? declaredOs(location, (path) => writtenAt(resource, path)) : undefined;
    if (os) accumulator.os = os;
    if (scope.context.via) accumulator.via = scope.context.via;
    accumulators.set(accumulatorKey, accumulator);
  }
  accumulator.parts.push(alternatives);
  accumulator.moves.push(move);
  accumulator.partVias.push(scope.context.via);
  if (when) accumulator.conditioned = true;
  if (scope.context.memo) accumulator.scopes.push(scope.recipe);
}

/** What a resource writes at a path: nothing, an expression, or literal text (`declaredOs`). */
function writtenAt(resource: JsonObjectNode, path: readonly string[]): WrittenProperty {
  let node: JsonNode = resource;
  for (const segment of path) {
    // An object computed by an expression may or may not hold the path: nothing is declared.
    if (node.type !== 'object') return undefined;
    const child = findProperty(node, segment);
    if (!child) return undefined;
    node = child;
  }
  if (node.type !== 'string' || node.value.startsWith('[')) return {};
  return { text: node.value };
}

/** The alternatives of an image left unread because the read's budget is spent: unknown. */
function unreadImage(budget: ImageBudget): Value[] {
  budget.skipped++;
  return [unknownValue];
}

/** The last node on the image path that is written in the resource (see `findImageObject`). */
function imageUseNode(resource: JsonObjectNode, location: ImageLocation): JsonNode | undefined {
  let node: JsonNode = resource;
  for (const segment of location.path) {
    if (node.type !== 'object') break;
    const child = findProperty(node, segment);
    if (!child) return undefined;
    node = child;
  }
  return node;
}

/** The longest image text used as a cache key; a longer image is read where it is. */
const maximumKeyLength = 4096;

/**
 * Evaluates the image of one resource in one scope; undefined when it has none. Every value is
 * bounded, but should one still exhaust the stack or an array's length, that image is unknown:
 * the other images of the template are read as usual.
 */
function readImageAlternatives(resource: JsonObjectNode, location: ImageLocation, scope: TemplateScope): Value[] | undefined {
  try {
    return readImageAlternativesUnguarded(resource, location, scope);
  } catch (error) {
    if (error instanceof RangeError) return [unknownValue];
    throw error;
  }
}

function readImageAlternativesUnguarded(
  resource: JsonObjectNode,
  location: ImageLocation,
  scope: TemplateScope,
): Value[] | undefined {
  const names = imagePropertyNames(location);
  // First only count the candidates, noting the parameters with several values that the image
  // reads: building the cross product is wasted work when those parameters are pinned next.
  const reads = new Set<string>();
  // Those read by the fields of the image objects found, apart from those that chose the objects.
  const fieldReads = new Set<string>();
  const collectors = scope.context.parameterReads;
  collectors.push(reads);
  let found: ReturnType<typeof findImageObject>;
  let candidateCount = 0;
  try {
    found = findImageObject(resource, location, scope);
    if (found) {
      collectors.push(fieldReads);
      try {
        candidateCount = countImageCandidates(found.alternatives, names);
      } finally {
        collectors.pop();
      }
      for (const name of fieldReads) reads.add(name);
    }
  } finally {
    collectors.pop();
  }
  if (!found) return undefined;
  let alternatives: Value[] | undefined;
  // When the parameters only chose among whole image objects (a map of images indexed by
  // `parameters('os')`), each object found already keeps its own fields together: pinning the
  // parameters would find the same objects one by one. Only fields that read such a parameter
  // themselves could be combined across its values.
  if (reads.size > 0 && candidateCount > 1 && fieldReads.size > 0) {
    alternatives = correlateByParameters(resource, location, scope, names, [...reads]);
  }
  return alternatives ?? materializeImageObjects(found.alternatives, location, names);
}

/**
 * Re-reads the image with each combination of the parameters its fields read pinned to one
 * value. Returns undefined when there are too many combinations to try.
 */
function correlateByParameters(
  resource: JsonObjectNode,
  location: ImageLocation,
  scope: TemplateScope,
  names: ReadonlySet<string>,
  parameterNames: readonly string[],
): Value[] | undefined {
  const choices = parameterNames.map((name) => parameterValues(scope, name));
  const combinations = choices.reduce((total, values) => total * values.length, 1);
  if (combinations > maximumCorrelatedAssignments) return undefined;
  const result: Value[] = [];
  for (const assignment of product(choices)) {
    const bindings = new Map<string, Abstract>(parameterNames.map((name, index) => [name, assignment[index]]));
    const pinned = scope.withBindings(bindings);
    const found = findImageObject(resource, location, pinned);
    if (found) result.push(...materializeImageObjects(found.alternatives, location, names));
  }
  return distinctValues(result);
}

/**
 * Follows the location's path from the resource body to the image object. The `use` is the last
 * JSON node on that path written in the template: the image object itself, or the expression
 * that produces it (or an enclosing object).
 */
function findImageObject(
  resource: JsonObjectNode,
  location: ImageLocation,
  scope: TemplateScope,
): { use: JsonNode; alternatives: Abstract[] } | undefined {
  let node: JsonNode = resource;
  let step = 0;
  for (; step < location.path.length; step++) {
    if (node.type !== 'object') break;
    const child = findProperty(node, location.path[step]);
    if (!child) return undefined;
    node = child;
  }
  let alternatives = evaluateNode(node, scope, literalOrigin(scope));
  for (; step < location.path.length; step++) {
    const segment = location.path[step];
    alternatives = alternatives.flatMap((alternative) => memberOf(alternative, segment) ?? []);
  }
  if (alternatives.length === 0) return undefined;
  return { use: node, alternatives };
}

/** How many candidates the image alternatives expand to, evaluating each wanted property once. */
function countImageCandidates(alternatives: readonly Abstract[], names: ReadonlySet<string>): number {
  let count = 0;
  for (const alternative of alternatives) {
    if (alternative.kind !== 'node' || alternative.node.type !== 'object') {
      count++;
      continue;
    }
    let combinations = 1;
    for (const name of names) {
      // A field written as a literal is one value that reads nothing: not worth evaluating twice.
      const property = findProperty(alternative.node, name);
      if (property && isLiteralScalar(property, alternative.origin)) continue;
      const values = memberOf(alternative, name);
      if (values) combinations *= values.reduce((total, value) => total + materialize(value).length, 0);
    }
    count += combinations;
  }
  return count;
}

/** A string, number, boolean or null written in the template that is not an expression. */
function isLiteralScalar(node: JsonNode, origin: Origin): boolean {
  if (node.type === 'object' || node.type === 'array') return false;
  return node.type !== 'string' || origin.literalOnly || !isArmExpression(node.value);
}

const propertyNamesByLocation = new Map<ImageLocation, ReadonlySet<string>>();

/**
 * The properties of an image object a site needs, lower-cased: fields, custom-image markers and
 * the `when` property.
 */
function imagePropertyNames(location: ImageLocation): ReadonlySet<string> {
  let names = propertyNamesByLocation.get(location);
  if (!names) {
    const list = Object.values(location.fields).filter((name): name is string => name !== undefined);
    list.push(...location.customImageProperties);
    if (location.when) list.push(location.when.property);
    names = new Set(list.map((name) => name.toLowerCase()));
    propertyNamesByLocation.set(location, names);
  }
  return names;
}

function materializeImageObjects(
  alternatives: readonly Abstract[],
  location: ImageLocation,
  names: ReadonlySet<string>,
): Value[] {
  const result: Value[] = [];
  for (const alternative of alternatives) {
    if (alternative.kind === 'string' && location.jsonString) {
      // An image object written as a JSON string (hostPools `vmTemplate`): its values have no
      // literal of their own in the template, so they are computed.
      const document = parseJsonDocument(alternative.value);
      if (document.root?.type === 'object') result.push(plainToValue(toPlainJson(document.root)));
      else result.push(unknownValue);
    } else if (alternative.kind === 'unknown') {
      result.push(unknownValue);
    } else if (alternative.kind === 'node' || alternative.kind === 'object') {
      result.push(...materializeProperties(alternative, names));
    }
  }
  return result;
}

/**
 * Reads an inline nested deployment. In inner scope its template has its own parameters, given
 * the values of `properties.parameters` evaluated in the outer scope; in outer scope (the
 * default) its expressions see the outer template's parameters and variables.
 */
function walkNestedDeployment(
  resource: JsonObjectNode,
  scope: TemplateScope,
  accumulators: Map<string, SiteAccumulator>,
  depth: number,
): void {
  const properties = findProperty(resource, 'properties');
  if (properties?.type !== 'object') return;
  const template = findProperty(properties, 'template');
  if (template?.type !== 'object') {
    const link = findProperty(properties, 'templateLink');
    const links = scope.context.links;
    if (link && links && walkLinkedDeployment(link, properties, scope, links, accumulators, depth)) return;
    readImagesPassed(resource, properties, scope, accumulators);
    return;
  }
  const options = findProperty(properties, 'expressionEvaluationOptions');
  const scopeNode = options?.type === 'object' ? findProperty(options, 'scope') : undefined;
  const isInner = scopeNode?.type === 'string' && scopeNode.value.toLowerCase() === 'inner';
  if (!isInner) {
    walkTemplate(template, scope, accumulators, depth);
    return;
  }
  // Each value passed is evaluated in the outer scope when the inner template first reads its
  // parameter: compiled Bicep passes names, tags and settings that no image ever reads.
  const inputs = passedInputs(properties, scope);
  const innerScope = createTemplateScope(scope.context, scope.file, template, inputs);
  walkTemplate(template, innerScope, accumulators, depth);
}

/** The values a deployment passes to its template's parameters, each evaluated when first read. */
function passedInputs(properties: JsonObjectNode, scope: TemplateScope): Map<string, ParameterInput> {
  const inputs = new Map<string, ParameterInput>();
  const parameters = findProperty(properties, 'parameters');
  if (parameters?.type !== 'object') return inputs;
  for (const parameter of parameters.properties) {
    if (parameter.value.type !== 'object') continue;
    const value = findProperty(parameter.value, 'value');
    if (!value) {
      inputs.set(parameter.name.toLowerCase(), [unknownValue]);
      continue;
    }
    const origin: Origin = {
      file: scope.file,
      kind: 'module-parameter',
      description: `value passed to parameter '${parameter.name}'`,
      literalOnly: false,
    };
    let evaluated: Abstract[] | undefined;
    inputs.set(parameter.name.toLowerCase(), () => (evaluated ??= evaluateOutside(value, scope, origin)));
  }
  return inputs;
}

/**
 * Follows a linked deployment to the templates of the repository it names (`linkedTemplates.ts`)
 * and reads each as an inner-scoped nested deployment: its own parameters, given the values the
 * caller passes, so that its images are checked at the caller's values and fixed where the caller
 * writes them. Links that lead elsewhere are noted with why. Returns whether any template was
 * read; when none was, the caller reads the image objects passed to the deployment as before.
 */
function walkLinkedDeployment(
  link: JsonNode,
  properties: JsonObjectNode,
  scope: TemplateScope,
  links: LinkedReading,
  accumulators: Map<string, SiteAccumulator>,
  depth: number,
): boolean {
  const resolution = resolveTemplateLink(link, scope);
  const { opened, followed } = openLinkedTemplates(resolution, scope.file, { start: link.start, end: link.end }, links);
  for (const { file, text, root } of opened) readLinkedTemplate(file, text, root, properties, scope, links, accumulators, depth);
  return followed;
}

function readLinkedTemplate(
  file: string,
  text: string,
  root: JsonObjectNode,
  properties: JsonObjectNode,
  scope: TemplateScope,
  links: LinkedReading,
  accumulators: Map<string, SiteAccumulator>,
  depth: number,
): void {
  // The linked file's text is the one its images are keyed by; the budgets are the caller's.
  const outer = scope.context;
  const context = createEvaluationContext(outer.shareRepeatedImages, text, undefined, outer.images);
  context.links = links;
  context.budget = outer.budget;
  // The linked template's resources are deployed only when the deployment that links it is.
  context.deployedWhen = outer.deployedWhen;
  context.via = outer.via;
  context.tracksLoadedValues = outer.tracksLoadedValues;
  const inputs = passedInputs(properties, scope);
  // Values from a parameters file the link names beside the template: read as a parameter file.
  let fileValues: ReturnType<typeof readParameterFileValues>['values'] | undefined;
  const parametersLink = findProperty(properties, 'parametersLink');
  if (parametersLink && !findProperty(properties, 'parameters')) {
    const parameterFile = resolveTemplateLink(parametersLink, scope).files[0]?.file;
    const parameterText = parameterFile === undefined ? undefined : links.host.readFile(parameterFile);
    if (parameterFile !== undefined) links.dependencies.add(parameterFile);
    const read =
      parameterFile === undefined || parameterText === undefined
        ? undefined
        : readParameterFileValues(parameterFile, parameterText);
    if (read && !read.problem) fileValues = read.values;
    else {
      // What the deployment passes cannot be known: every parameter is unknown.
      const declared = findProperty(root, 'parameters');
      if (declared?.type === 'object')
        for (const parameter of declared.properties) inputs.set(parameter.name.toLowerCase(), [unknownValue]);
    }
  }
  const linkedScope = createTemplateScope(context, file, root, inputs, fileValues);
  const parameters = findProperty(properties, 'parameters');
  if (parameters?.type === 'object') {
    for (const parameter of parameters.properties) {
      const value = parameter.value.type === 'object' ? findProperty(parameter.value, 'value') : undefined;
      if (value) notePassedLocation(linkedScope, parameter.name, value, scope);
    }
  }
  links.stack.push(file);
  try {
    walkTemplate(root, linkedScope, accumulators, depth);
  } finally {
    links.stack.pop();
    outer.budget = context.budget;
  }
}

/**
 * Image objects passed to a deployment the reader cannot follow (a `templateLink`, a template
 * spec): a parameter value that is an object with `publisher`, `offer` and `sku` is an image site
 * of unknown resource type, as in the Bicep reader (`readImagesPassed` there). Object literals are
 * searched a few levels down.
 */
function readImagesPassed(
  resource: JsonObjectNode,
  properties: JsonObjectNode,
  scope: TemplateScope,
  accumulators: Map<string, SiteAccumulator>,
): void {
  const parameters = findProperty(properties, 'parameters');
  if (parameters?.type !== 'object') return;
  const link = findProperty(properties, 'templateLink');
  const uri =
    link?.type === 'object'
      ? (findProperty(link, 'uri') ?? findProperty(link, 'relativePath') ?? findProperty(link, 'id'))
      : undefined;
  const target = uri?.type === 'string' ? uri.value : 'a linked deployment';
  const visit = (node: JsonNode, path: string[], depth: number): void => {
    if (node.type === 'object') {
      if (['publisher', 'offer', 'sku'].every((name) => findProperty(node, name) !== undefined)) {
        const location = passedImageLocation(['properties', 'parameters', ...path], parameterPath(path), target);
        readResourceImage(resource, location, scope, accumulators);
        return;
      }
      if (depth >= maximumPassedImageDepth) return;
      for (const property of node.properties) visit(property.value, [...path, property.name], depth + 1);
      return;
    }
    if (node.type !== 'string' || !node.value.startsWith('[')) return;
    const values = evaluateNode(node, scope, literalOrigin(scope));
    const imageShaped = values.some(
      (value) => value.kind !== 'unknown' && ['publisher', 'offer', 'sku'].every((name) => memberOf(value, name) !== undefined),
    );
    if (!imageShaped) return;
    const location = passedImageLocation(['properties', 'parameters', ...path], parameterPath(path), target);
    readResourceImage(resource, location, scope, accumulators);
  };
  for (const parameter of parameters.properties) {
    if (parameter.value.type !== 'object') continue;
    const value = findProperty(parameter.value, 'value');
    if (value) visit(value, [parameter.name, 'value'], 0);
  }
}

/** How far into a deployment's parameter values image objects are looked for. */
const maximumPassedImageDepth = 3;

/** `profile.imageReference` for `['profile', 'value', 'imageReference']`: the parameter's own path. */
function parameterPath(path: readonly string[]): string {
  return path.filter((_, index) => index !== 1).join('.');
}

/**
 * Evaluates a value in an outer scope while an inner one is being read: the outer parameters it
 * reads are not the inner image's to pin, so they are collected apart and dropped.
 */
function evaluateOutside(node: JsonNode, scope: TemplateScope, origin: Origin): Abstract[] {
  scope.context.parameterReads.push(new Set());
  try {
    return evaluateNode(node, scope, origin);
  } finally {
    scope.context.parameterReads.pop();
  }
}
