/**
 * The Bicep reader's entry points. `readBicepFile` finds every image a `.bicep` file can deploy:
 * it walks the resources (nested children with composed types, conditions, loops), follows the
 * shared `imageLocations` table to each image object, evaluates it, and follows local modules
 * (Bicep and ARM JSON) with the caller's values, so that a module's image is reported with the
 * values written in the caller. `readBicepParamFile` reads the template a `.bicepparam` file uses
 * with the file's values. Both return what they found plus problems and never throw.
 */
import {
  createLinkedReading,
  holdsArtifactsLocation,
  openLinkedTemplates,
  resolveLinkTarget,
  unfollowedLinkSites,
  type LinkedReading,
} from '../arm/linkedTemplates';
import { readArmTemplate } from '../arm/readArm';
import {
  buildImageSite,
  candidateViaOf,
  imageLocationOf,
  imageLocations,
  imageResourceTypeMarker,
  keptPathsOfWrittenType,
  passedImageLocation,
  declaredOs,
  type OperatingSystem,
  type WrittenProperty,
  type ImageLocation,
  sharedSiteShape,
} from '../imageLocations';
import type {
  Conditions,
  DeploymentStep,
  FileHost,
  ImageCandidate,
  ImageSite,
  OffsetRange,
  ReaderResult,
  SourceLocation,
} from '../model';
import { emptyFileHost, imageFields } from '../model';
import { TextMover } from '../textShift';
import { ImageBudget, imageBudgetProblem } from '../readBudget';
import { siteWithMovedCandidates } from '../sharedCandidates';
import { folderOf, joinPath } from '../paths';
import { equalsLowerCase, ownCopy } from '../text';
import {
  commonConditions,
  conditionsKey,
  distinctValues,
  getProperty,
  maximumAlternatives,
  product,
  placedConditions,
  productIsCut,
  reasonsOf,
  unionConditions,
  unknownValue,
  valuesWithConditions,
  withConditions,
  type Value,
  ValueKeys,
  conditionsToDeploy,
} from '../values';
import {
  bindLoopVariables,
  createSession,
  Evaluator,
  literalOrigin,
  maximumLoopItems,
  noLocals,
  parseFileOnce,
  TemplateScope,
  type Locals,
  type Origin,
  type ReadSession,
} from './bicepEvaluator';
import { parseJsonValue } from './bicepFunctions';
import { expandDeferred, parseBicep, type ParseOptions, type ParseResult } from './parser';
import { bicepLinkTarget, bicepLinkTexts, objectLiteralOf, propertyValue } from './linkedDeployments';
import { isRemoteModulePath, type ParameterCondition, registryModuleImageOf, type RegistryModuleImage } from './registryModules';
import type {
  DeclarationValue,
  Expression,
  ModuleDeclaration,
  ObjectExpression,
  ObjectProperty,
  Program,
  ResourceDeclaration,
} from './syntax';

/** Modules nested deeper than this are not followed. */
const maximumModuleDepth = 8;
/**
 * The most module instances one read follows. Modules deployed in loops whose modules loop over
 * modules again multiply at every level: a few files could otherwise ask for millions of reads.
 */
const maximumModuleReads = 256;
/**
 * The most combinations of parameter values tried to keep an image's fields together: the cap of
 * alternatives the ARM reader keeps too, so that a parameter with 300 allowed values gives the
 * same 255 values and an unknown one in both (the unknown marks the field unresolved).
 */
const maximumPinnedAssignments = maximumAlternatives;

interface SiteAccumulator {
  use: SourceLocation;
  location: ImageLocation;
  /** The values each evaluation that reached this use found. */
  parts: Value[][];
  /** For each part read from another copy of the same text, how to move its definitions here. */
  moves: (TextMover | undefined)[];
  /** The use found before this one that starts at the same offset of the same file, if any. */
  previousAtStart: SiteAccumulator | undefined;
  /** The operating system the resource declares, if it does (`declaredOs`). */
  os?: OperatingSystem;
  /** The module calls that led to the first read of this use (`ImageSite.via`). */
  via?: readonly DeploymentStep[];
  /** The module calls that led to each read, by part (`ImageSite.candidateVia`). */
  partVias: (readonly DeploymentStep[] | undefined)[];
}

export interface BicepReadOptions {
  /**
   * Whether an image written the same way on many resources is evaluated once and shared (the
   * default). Tests turn it off to compare with reading every image afresh.
   */
  shareRepeatedImages?: boolean;
  /**
   * Whether resource bodies are kept whole in the syntax tree; by default only the path to the
   * image (and nested resources) is kept. Tests turn it on to compare with the whole tree.
   */
  keepWholeResourceBodies?: boolean;
}

/** The reader reads, of each resource body, the image path and nested resources alone. */
const readerParseOptions: ParseOptions = { resourceBodyPaths: keptPathsOfWrittenType };

/** The state of one read: the session (files, problems) and the sites found so far. */
interface Reading {
  shareRepeatedImages: boolean;
  session: ReadSession;
  /**
   * Every use found, in the order found, and by file and where the use starts the last one found
   * there (which links to the others).
   */
  accumulators: SiteAccumulator[];
  accumulatorsByStart: Map<string, Map<number, SiteAccumulator>>;
  /** Sites of ARM JSON modules, read by the ARM reader. */
  armSites: ImageSite[];
  reportedProblems: Set<string>;
  /** Each module instance read, by file and input values: one read with the same inputs suffices. */
  moduleReads: Set<string>;
  valueKeys: ValueKeys;
  /** The evaluator whose images were last looked up, and the answer (see `imagesOf`). */
  lastImagesEvaluator: Evaluator | undefined;
  lastImages: EvaluatorImages | null;
  /** What the read's images may still compute, ARM modules included (`readBudget.ts`). */
  images: ImageBudget;
  /**
   * What a deployer must choose for the declaration being read to be deployed: its `if` and those
   * of the module calls around it.
   */
  deployedWhen?: Conditions;
  /**
   * Images already evaluated, per evaluator, by the text of the image expression. Big files repeat
   * the same image on hundreds of resources (`images[os]`, the same literal object); evaluating it
   * once keeps them linear. The value of an expression depends on its text and its evaluator
   * alone, except for the definitions of literals written inside it, which are moved to the other
   * copy. Only expressions outside loops (no local variables) in files without syntax errors are
   * cached: there the same text always parses to the same tree.
   */
  imagesRead: Map<Evaluator, Map<string, CachedImage>>;
  /** Lists of image values known to hold no duplicates, which need no second pass. */
  distinctLists: WeakSet<Value[]>;
  /** Lists of image values deployed under conditions, made once per list and conditions (`conditionedList`). */
  conditionedLists: WeakMap<Value[], Map<string, Value[]>>;
  /** The module calls from the entry to the template being read; undefined in the entry. */
  via: readonly DeploymentStep[] | undefined;
  /** The linked deployments followed (`readLinkedDeployment`), made at the first one. */
  links?: LinkedReading;
}

interface EvaluatorImages {
  text: string;
  cache: Map<string, CachedImage>;
}

/** Reads the image sites of a `.bicep` file, following its local modules. */
export function readBicepFile(file: string, text: string, host: FileHost, options: BicepReadOptions = {}): ReaderResult {
  try {
    if (!mayDeployAnImage(text)) return emptyResult();
    const reading = newReading(host, options);
    const parsed = parseBicep(text, reading.session.parseOptions);
    reading.session.parsed.set(file, parsed);
    reportSyntaxProblem(reading, file, parsed);
    readTemplate(reading, file, parsed.program, undefined, [file]);
    return finish(reading, file);
  } catch (error) {
    return internalErrorResult(file, error);
  }
}

/**
 * Reads a `.bicepparam` file through the template it uses: the template's sites, with the values
 * this file sets in place of the template's defaults (as in a deployment with this file). Values
 * written in this file have definitions of kind 'parameter-file' that point into it.
 */
export function readBicepParamFile(file: string, text: string, host: FileHost, options: BicepReadOptions = {}): ReaderResult {
  try {
    const reading = newReading(host, options);
    const parsed = parseBicep(text, reading.session.parseOptions);
    reading.session.parsed.set(file, parsed);
    reportSyntaxProblem(reading, file, parsed);
    const { templatePath, inputs, usingPath } = parameterFileInputs(reading.session, file, parsed.program);
    if (templatePath === undefined || usingPath === undefined) return finish(reading, file);
    reading.session.dependencies.add(templatePath);
    const templateText = host.readFile(templatePath);
    if (templateText === undefined) {
      reading.session.problems.push({
        file,
        message: withRefusal(`Cannot read the template '${usingPath.value}' that this parameters file uses`, host, templatePath),
        range: { start: usingPath.start, end: usingPath.end },
      });
      return finish(reading, file);
    }
    if (isJsonFile(templatePath)) {
      mergeArmResult(
        reading,
        readArmTemplate(templatePath, templateText, host, {
          parameterInputs: inputs,
          parameterFiles: [],
          shareRepeatedImages: reading.shareRepeatedImages,
          imageBudget: reading.images,
        }),
      );
    } else {
      const template = parseBicep(templateText, reading.session.parseOptions);
      reading.session.parsed.set(templatePath, template);
      readTemplate(reading, templatePath, template.program, inputs, [file, templatePath]);
    }
    return finish(reading, file);
  } catch (error) {
    return internalErrorResult(file, error);
  }
}

/**
 * The template a `.bicepparam` file uses and the values it sets, by parameter name. The template
 * path is undefined for `using none` and for registry or template spec references.
 */
export function bicepParamInputs(
  file: string,
  text: string,
  host: FileHost = emptyFileHost,
): { templatePath: string | undefined; inputs: Map<string, Value[]> } {
  const { templatePath, inputs } = parameterFileInputs(createSession(host), file, parseBicep(text).program);
  return { templatePath, inputs };
}

function parameterFileInputs(
  session: ReadSession,
  file: string,
  program: Program,
): {
  templatePath: string | undefined;
  usingPath: { value: string; start: number; end: number } | undefined;
  inputs: Map<string, Value[]>;
} {
  const inputs = new Map<string, Value[]>();
  // Values of the parameters file this one extends come first; this file's own values win.
  for (const statement of program.statements) {
    if (statement.kind !== 'extends' || statement.path.kind !== 'string') continue;
    const base = joinPath(folderOf(file), statement.path.value);
    const parsed = parseFileOnce(session, base);
    if (!parsed) continue;
    const baseEvaluator = new Evaluator(new TemplateScope(base, parsed.program, session, undefined, true));
    for (const name of baseEvaluator.scope.parameters.keys()) inputs.set(name, baseEvaluator.parameterValues(name));
  }
  const evaluator = new Evaluator(new TemplateScope(file, program, session, undefined, true));
  for (const name of evaluator.scope.parameters.keys()) inputs.set(name, evaluator.parameterValues(name));
  const using = program.statements.find((statement) => statement.kind === 'using');
  if (using?.kind !== 'using' || using.path?.kind !== 'string' || isRemoteModulePath(using.path.value)) {
    return { templatePath: undefined, usingPath: undefined, inputs };
  }
  const usingPath = { value: using.path.value, start: using.path.start, end: using.path.end };
  return { templatePath: joinPath(folderOf(file), using.path.value), usingPath, inputs };
}

function newReading(host: FileHost, options: BicepReadOptions): Reading {
  return {
    shareRepeatedImages: options.shareRepeatedImages !== false,
    session: createSession(host, options.keepWholeResourceBodies ? {} : readerParseOptions),
    accumulators: [],
    accumulatorsByStart: new Map(),
    armSites: [],
    reportedProblems: new Set(),
    moduleReads: new Set(),
    valueKeys: new ValueKeys(),
    lastImagesEvaluator: undefined,
    lastImages: null,
    images: new ImageBudget(),
    imagesRead: new Map(),
    distinctLists: new WeakSet(),
    conditionedLists: new WeakMap(),
    via: undefined,
  };
}

function emptyResult(): ReaderResult {
  return { sites: [], problems: [], dependencies: [] };
}

function finish(reading: Reading, entryFile: string): ReaderResult {
  const sites: ImageSite[] = [];
  for (const accumulator of reading.accumulators) {
    const parts =
      accumulator.parts.length > 1 && accumulator.moves.some((mover) => mover !== undefined)
        ? accumulator.parts.map((part, index) =>
            accumulator.moves[index] ? movedCopy(reading, accumulator.moves[index], part) : part,
          )
        : accumulator.parts;
    if (parts.length === 1 && reading.distinctLists.has(parts[0])) {
      // The same list serves many uses: build its candidates once and share them.
      const shape = sharedSiteShape(accumulator.use, accumulator.location, parts[0]);
      // A copy of an image evaluated elsewhere gets the original's site with the definitions in
      // the original's text moved to its own, which is what evaluating it would give.
      const mover = accumulator.moves[0];
      if (!shape) continue;
      // The list is shared by every copy (`sharedCandidates.ts`).
      const site: ImageSite = mover
        ? siteWithMovedCandidates(accumulator.use, shape, shape.candidates, mover)
        : { use: accumulator.use, ...shape };
      if (accumulator.os) site.os = accumulator.os;
      if (accumulator.via) site.via = accumulator.via;
      sites.push(site);
      continue;
    }
    const site = buildImageSite(accumulator.use, accumulator.location, distinctValues(parts.flat()));
    if (site && accumulator.os) site.os = accumulator.os;
    if (site && accumulator.via) site.via = accumulator.via;
    // Module calls that each lead here (two calls of one module): each candidate keeps its own.
    const candidateVia = site && candidateViaOf(site, accumulator.location, parts, accumulator.partVias);
    if (site && candidateVia) site.candidateVia = candidateVia;
    if (site) sites.push(site);
  }
  sites.push(...reading.armSites);
  const links = reading.links;
  if (links) {
    sites.push(...unfollowedLinkSites(links));
    reading.session.problems.push(...links.problems);
    for (const dependency of links.dependencies) reading.session.dependencies.add(dependency);
  }
  const dependencies = [...reading.session.dependencies].filter((dependency) => dependency !== entryFile);
  const unread = imageBudgetProblem(reading.images, entryFile);
  if (unread) reading.session.problems.push(unread);
  return { sites, problems: reading.session.problems, dependencies };
}

/**
 * One problem for a file with syntax errors: the Bicep extension shows them all already, and
 * here they only mean that some images may be missed.
 */
function reportSyntaxProblem(reading: Reading, file: string, parsed: ParseResult): void {
  const first = parsed.problems[0];
  if (!first) return;
  reading.session.problems.push({
    file,
    message: `Some images may be missed: the file has a syntax error (${first.message})`,
    range: first.range,
  });
}

/** A message about a file that was not read, with the reason when the host refused it. */
function withRefusal(message: string, host: FileHost, file: string): string {
  const refusal = host.refusalOf?.(file);
  return refusal === undefined ? `${message}.` : `${message}: ${refusal}.`;
}

function reportOnce(reading: Reading, file: string, message: string, start: number, end: number): void {
  const key = `${file}:${start}:${message}`;
  if (reading.reportedProblems.has(key)) return;
  reading.reportedProblems.add(key);
  reading.session.problems.push({ file, message, range: { start, end } });
}

function internalErrorResult(file: string, error: unknown): ReaderResult {
  const message = error instanceof Error ? error.message : String(error);
  return {
    sites: [],
    problems: [{ file, message: `Internal error while reading the Bicep file: ${message}` }],
    dependencies: [],
  };
}

/**
 * Words one of which any Bicep file that deploys an image must contain: the property holding the
 * image object, the resource type where that property is too common a word, or a module.
 */
const imageMarkers: readonly string[] = [
  ...new Set([
    ...imageLocations.map((location) => {
      const last = location.path[location.path.length - 1];
      return last === 'properties' || last === 'source' ? location.resourceType.split('/').pop()! : last;
    }),
    'module',
    // A linked deployment may deploy one too (`readLinkedDeployment`).
    'templateLink',
  ]),
];
const imageMarkerPattern = new RegExp(imageMarkers.join('|'), 'i');

function mayDeployAnImage(text: string): boolean {
  if (imageMarkers.some((marker) => text.includes(marker))) return true;
  return imageMarkerPattern.test(text);
}

function isJsonFile(file: string): boolean {
  return /\.jsonc?$/i.test(file);
}

// -----------------------------------------------------------------------------------------------
// Templates, resources and images

function readTemplate(
  reading: Reading,
  file: string,
  program: Program,
  inputs: ReadonlyMap<string, readonly Value[]> | undefined,
  stack: readonly string[],
): void {
  const evaluator = new Evaluator(new TemplateScope(file, program, reading.session, inputs));
  for (const statement of program.statements) {
    if (statement.kind === 'resource') walkResource(reading, statement, undefined, evaluator, noLocals);
    else if (statement.kind === 'module') readModule(reading, statement, evaluator, stack);
  }
}

/**
 * Types as written (`'Type@version'`) without their version, looked up before: a big file repeats
 * a few types thousands of times, and the same string of a type makes its location found at once.
 */
const typesWithoutVersion = new Map<string, string>();

/** The full resource type without API version; a nested child's short type follows its parent's. */
function resourceTypeOf(declaration: ResourceDeclaration, parentType: string | undefined): string | undefined {
  if (declaration.typeString.kind !== 'string') return undefined;
  const written = declaration.typeString.value;
  let type = typesWithoutVersion.get(written);
  if (type === undefined) {
    const at = written.indexOf('@');
    type = ownCopy(at < 0 ? written : written.slice(0, at));
    // Bounded, so that a stream of distinct types cannot grow it without end.
    if (typesWithoutVersion.size >= 1024) typesWithoutVersion.clear();
    typesWithoutVersion.set(ownCopy(written), type);
  }
  if (parentType === undefined) return type;
  return type.split('/')[0].includes('.') ? type : `${parentType}/${type}`;
}

interface Body {
  body: Expression;
  locals: Locals;
  /** What a deployer must choose for the body to be deployed (its `if`). */
  when?: Conditions;
}

/**
 * The bodies a resource or module declaration deploys: its object, unless its condition is known
 * to be false, and for a loop one body per item (or one with an unknown item). Nested loops share
 * one budget of enumerated items: past it, a loop gives one body with an unknown item, so loops
 * inside loops cannot multiply into millions of bodies.
 */
function declarationBodies(
  value: DeclarationValue,
  evaluator: Evaluator,
  locals: Locals,
  budget = { remaining: maximumAlternatives },
): Body[] {
  if (value.kind === 'if') {
    const condition = evaluator.evaluate(value.condition, literalOrigin, locals);
    const decided = conditionsToDeploy(condition);
    if (decided === null) return [];
    // Decided here: a link to the condition leads to `if (...)` (`Condition.at`).
    const when =
      decided && placedConditions(decided, { file: evaluator.scope.file, range: { start: value.start, end: value.headEnd } });
    const bodies = declarationBodies(value.body, evaluator, locals, budget);
    return when ? bodies.map((body) => ({ ...body, when: unionConditions(when, body.when) })) : bodies;
  }
  if (value.kind === 'for') {
    const bodies: Body[] = [];
    for (const iterable of evaluator.evaluate(value.iterable, literalOrigin, locals)) {
      if (iterable.kind === 'array' && iterable.items.length <= maximumLoopItems && iterable.items.length <= budget.remaining) {
        budget.remaining -= iterable.items.length;
        iterable.items.forEach((item, index) => {
          const itemLocals = bindLoopVariables(locals, value, [item], [{ kind: 'number', value: index }]);
          for (const body of declarationBodies(value.body, evaluator, itemLocals, budget)) bodies.push(body);
        });
      } else {
        const itemLocals = bindLoopVariables(locals, value, [unknownValue], [unknownValue]);
        for (const body of declarationBodies(value.body, evaluator, itemLocals, budget)) bodies.push(body);
      }
    }
    return bodies;
  }
  return [{ body: value, locals }];
}

/** Runs `read` with what a body requires added to what the declarations around it do. */
function whileDeployedWhen(reading: Reading, when: Conditions | undefined, read: () => void): void {
  if (!when) return read();
  const enclosing = reading.deployedWhen;
  reading.deployedWhen = unionConditions(enclosing, when);
  try {
    read();
  } finally {
    reading.deployedWhen = enclosing;
  }
}

function walkResource(
  reading: Reading,
  declaration: ResourceDeclaration,
  parentType: string | undefined,
  evaluator: Evaluator,
  locals: Locals,
): void {
  const type = resourceTypeOf(declaration, parentType);
  if (type === undefined) return;
  // An existing resource is only referenced, never deployed; its nested children are.
  const location = declaration.existing ? undefined : imageLocationOf(type);
  const value = declaration.value;
  const linked = !declaration.existing && equalsLowerCase(type, deploymentsType);
  // Most resources are neither conditional nor looped: their one body needs no list of bodies.
  if (value.kind !== 'if' && value.kind !== 'for') {
    readBody(reading, value, type, location, evaluator, locals);
    if (linked) readLinkedDeployment(reading, declaration, value, evaluator, locals);
  } else {
    for (const body of declarationBodies(value, evaluator, locals))
      whileDeployedWhen(reading, body.when, () => {
        readBody(reading, body.body, type, location, evaluator, body.locals);
        if (linked) readLinkedDeployment(reading, declaration, body.body, evaluator, body.locals);
      });
  }
}

const deploymentsType = 'microsoft.resources/deployments';

/**
 * Follows a linked deployment (`properties.templateLink`) to the templates of the repository it
 * names, as the ARM reader does (`arm/linkedTemplates.ts`: the same resolution, limits, problems
 * and reasons; `linkedDeployments.ts` reads the address in Bicep syntax), and reads each as an ARM
 * module: its parameters get the values of `properties.parameters` (or of the parameters file
 * `parametersLink` names), so that its images are checked at this file's values and fixed where
 * they are written here. A link that leads elsewhere is an inventory site saying why.
 */
function readLinkedDeployment(
  reading: Reading,
  declaration: ResourceDeclaration,
  body: Expression,
  evaluator: Evaluator,
  locals: Locals,
): void {
  const object = objectLiteralOf(body, evaluator);
  const properties = object && propertyValue(object, 'properties');
  const propertiesObject = properties && objectLiteralOf(properties, evaluator);
  const link = propertiesObject && propertyValue(propertiesObject, 'templateLink');
  if (!propertiesObject || !link) return;
  const file = evaluator.scope.file;
  const host = reading.session.host;
  const links = (reading.links ??= createLinkedReading(host, file));
  const linkObject = objectLiteralOf(link, evaluator);
  const resolution = linkObject
    ? resolveLinkTarget(bicepLinkTarget(linkObject, evaluator, locals), file)
    : { files: [], reasons: ['its templateLink cannot be computed statically'] };
  const { opened, followed } = openLinkedTemplates(resolution, file, { start: link.start, end: link.end }, links);
  const parameters = propertyValue(propertiesObject, 'parameters');
  const parametersObject = parameters && objectLiteralOf(parameters, evaluator);
  if (!followed) {
    // What it deploys is unknown, but an image object passed to it is checked (as in ARM).
    const written =
      linkObject &&
      (propertyValue(linkObject, 'uri') ?? propertyValue(linkObject, 'relativePath') ?? propertyValue(linkObject, 'id'));
    const target = written?.kind === 'deferred' ? expandDeferred(written) : written;
    if (parametersObject)
      readImagesPassed(
        reading,
        parametersObject,
        target?.kind === 'string' ? target.value : 'a linked deployment',
        evaluator,
        locals,
        true,
      );
    return;
  }
  const inputs = mergeInputs(moduleInputs(parametersObject ?? parameters, evaluator, locals, true));
  const passedLinkLocations = new Map<string, (string | undefined)[]>();
  for (const member of parametersObject?.members ?? []) {
    if (member.kind !== 'property' || member.name === undefined) continue;
    const wrapper = objectLiteralOf(member.value, evaluator);
    const value = wrapper && propertyValue(wrapper, 'value');
    if (!value) continue;
    const texts = bicepLinkTexts(value, evaluator, locals, 0);
    if (texts.some(holdsArtifactsLocation)) passedLinkLocations.set(member.name, texts);
  }
  // Values from a parameters file the link names beside the template, read as a parameter file.
  const parametersLink = parameters ? undefined : propertyValue(propertiesObject, 'parametersLink');
  const parametersLinkObject = parametersLink && objectLiteralOf(parametersLink, evaluator);
  let parameterFiles: { file: string; text: string }[] = [];
  let unknownParameters = false;
  if (parametersLink) {
    const parameterFile =
      parametersLinkObject && resolveLinkTarget(bicepLinkTarget(parametersLinkObject, evaluator, locals), file).files[0]?.file;
    const text = parameterFile === undefined ? undefined : host.readFile(parameterFile);
    if (parameterFile !== undefined) links.dependencies.add(parameterFile);
    if (parameterFile !== undefined && text !== undefined) parameterFiles = [{ file: parameterFile, text }];
    // What the deployment passes cannot be known: every parameter is unknown.
    else unknownParameters = true;
  }
  const step: DeploymentStep = deploymentStep(declaration, object, file);
  const via = reading.via ? [...reading.via, step] : [step];
  for (const linked of opened) {
    let parameterInputs: ReadonlyMap<string, Value[]> = inputs;
    if (unknownParameters) {
      const declared = linked.root.properties.find((property) => property.name.toLowerCase() === 'parameters')?.value;
      parameterInputs =
        declared?.type === 'object'
          ? new Map(declared.properties.map((parameter): [string, Value[]] => [parameter.name, [unknownValue]]))
          : new Map();
    }
    const result = readArmTemplate(linked.file, linked.text, host, {
      parameterInputs,
      parameterFiles,
      withoutParameterFileDeployment: parameterFiles.length === 0,
      shareRepeatedImages: reading.shareRepeatedImages,
      imageBudget: reading.images,
      passedLinkLocations,
    });
    for (const site of result.sites) site.via = site.via ? [...via, ...site.via] : via;
    mergeArmResult(reading, result);
  }
}

/** A linked deployment as a step of `ImageSite.via`: its name as written (as in ARM), where it is written. */
function deploymentStep(declaration: ResourceDeclaration, body: ObjectExpression | undefined, file: string): DeploymentStep {
  const written = body && propertyValue(body, 'name');
  const name = written?.kind === 'deferred' ? expandDeferred(written) : written;
  const at = name ?? declaration.name;
  return {
    kind: 'deployment',
    name: name?.kind === 'string' ? name.value : declaration.name.name,
    location: { file, range: { start: at.start, end: at.end } },
  };
}

/** Reads the image of one body a resource deploys, and its nested resources. */
function readBody(
  reading: Reading,
  body: Expression,
  type: string,
  location: ImageLocation | undefined,
  evaluator: Evaluator,
  locals: Locals,
): void {
  if (location) {
    const os = location.os ? declaredOs(location, (path) => writtenInBody(body, path)) : undefined;
    readImageAt(reading, body, location.path, location, evaluator, locals, os);
  }
  if (body.kind !== 'object') return;
  for (const member of body.members) {
    if (member.kind === 'resource') walkResource(reading, member, type, evaluator, locals);
  }
}

/** Lower-cased property names of image paths, built once rather than at every resource. */
const lowerCaseNames = new Map<string, string>();

function lowerCaseOf(name: string): string {
  let lower = lowerCaseNames.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    // Bounded: the names come from the image locations and module parameters, but stay safe.
    if (lowerCaseNames.size >= 1024) lowerCaseNames.clear();
    lowerCaseNames.set(name, lower);
  }
  return lower;
}

function findPropertyMember(object: ObjectExpression, name: string): ObjectProperty | undefined {
  const lower = lowerCaseOf(name);
  let found: ObjectProperty | undefined;
  // The last of duplicate properties wins, as in the deployed JSON.
  for (const member of object.members) {
    if (member.kind === 'property' && member.name !== undefined && equalsLowerCase(member.name, lower)) found = member;
  }
  return found;
}

/**
 * Follows `path` from `node` through object literals as far as the syntax goes, then through the
 * evaluated values; the image object's `use` is where the syntax walk stopped.
 */
function readImageAt(
  reading: Reading,
  node: Expression,
  path: readonly string[],
  location: ImageLocation,
  evaluator: Evaluator,
  locals: Locals,
  os?: OperatingSystem,
): void {
  let current = node;
  let index = 0;
  while (index < path.length) {
    if (current.kind === 'parenthesized') {
      current = current.expression;
      continue;
    }
    if (current.kind !== 'object') break;
    const property = findPropertyMember(current, path[index]);
    if (!property) {
      // A spread may bring the property in; otherwise the resource has no image here.
      if (current.members.some((member) => member.kind === 'spread')) break;
      return;
    }
    current = property.value;
    index++;
  }
  // A JSON-string image object written as string({...}) is read from the object itself.
  if (location.jsonString && current.kind === 'deferred') current = expandDeferred(current);
  if (
    location.jsonString &&
    index === path.length &&
    current.kind === 'call' &&
    current.name.name === 'string' &&
    current.arguments.length === 1
  ) {
    current = current.arguments[0];
  }
  const use: SourceLocation = { file: evaluator.scope.file, range: { start: current.start, end: current.end } };
  // The definitions of a copy are moved when its site is built, unless the values are read
  // further here (the rest of the path, a JSON string), which needs them moved first.
  const deferMove = index === path.length && !location.jsonString;
  const image = evaluateImageOnce(reading, evaluator, current, locals);
  let values = deferMove || !image.mover ? image.values : movedCopy(reading, image.mover, image.values);
  const mover = deferMove ? image.mover : undefined;
  for (let rest = index; rest < path.length; rest++) {
    const name = path[rest];
    values = values.flatMap((value): Value[] => {
      if (value.kind === 'unknown') return [value];
      if (value.kind !== 'object') return [];
      const property = getProperty(value, name);
      return property === undefined ? [] : [property];
    });
  }
  if (location.jsonString) values = values.map((value) => (value.kind === 'string' ? parseJsonValue(value.value) : value));
  if (values.length === 0) return;
  if (reading.deployedWhen) values = conditionedList(values, reading.deployedWhen, reading);
  accumulateSite(reading, use, location, values, mover, os);
}

/** Adds what one image object can be to the site at `use`, made on first use. */
function accumulateSite(
  reading: Reading,
  use: SourceLocation,
  location: ImageLocation,
  values: Value[],
  mover: TextMover | undefined,
  os: OperatingSystem | undefined,
): void {
  let inFile = reading.accumulatorsByStart.get(use.file);
  if (!inFile) reading.accumulatorsByStart.set(use.file, (inFile = new Map()));
  const lastAtStart = inFile.get(use.range.start);
  let accumulator = lastAtStart;
  // Images of two operating systems at one use (a registry module's Linux and Windows jump boxes)
  // are two sites: each is judged as its resource declares.
  while (
    accumulator &&
    (accumulator.use.range.end !== use.range.end ||
      accumulator.location.resourceType !== location.resourceType ||
      (os !== undefined && accumulator.os !== undefined && accumulator.os !== os))
  )
    accumulator = accumulator.previousAtStart;
  if (accumulator) {
    accumulator.parts.push(values);
    accumulator.moves.push(mover);
    accumulator.partVias.push(reading.via);
    accumulator.os ??= os;
  } else {
    const created: SiteAccumulator = {
      use,
      location,
      parts: [values],
      moves: [mover],
      previousAtStart: lastAtStart,
      partVias: [reading.via],
    };
    if (os) created.os = os;
    if (reading.via) created.via = reading.via;
    inFile.set(use.range.start, created);
    reading.accumulators.push(created);
  }
}

/** All pinned assignments of the parameters read with several values (capped: `cut` says so). */
function pinnedEvaluators(evaluator: Evaluator, reads: ReadonlySet<string>): { evaluators: Evaluator[]; cut: boolean } {
  const names = [...reads];
  const choices = names.map((name) => evaluator.parameterValues(name));
  const assignments = product(choices).slice(0, maximumPinnedAssignments);
  return {
    evaluators: assignments.map((assignment) =>
      evaluator.withPinned(new Map(names.map((name, index) => [name, assignment[index]]))),
    ),
    cut: productIsCut(choices, maximumPinnedAssignments),
  };
}

/**
 * Image objects passed to a module the reader cannot follow (a registry module it does not know,
 * a template spec, a file it cannot read): a parameter whose value is an object with `publisher`,
 * `offer` and `sku` is an image site of unknown resource type, with findings and fixes where its
 * values are written. Object literals are searched a few levels down (`profile: { imageReference:
 * {...} }`); nothing else of the module is assumed.
 */
function readImagesPassed(
  reading: Reading,
  params: Expression,
  modulePath: string,
  evaluator: Evaluator,
  locals: Locals,
  wrapped = false,
): void {
  // A deployment's parameter is named without the `value` that wraps it (`image`, not `image.value`).
  const parameterName = (path: readonly string[]) => (wrapped ? path.filter((_, index) => index !== 1) : path).join('.');
  const visit = (object: Expression, path: string[]): void => {
    if (object.kind !== 'object' || path.length > maximumPassedImageDepth) return;
    for (const member of object.members) {
      if (member.kind !== 'property' || member.name === undefined) continue;
      const value = member.value.kind === 'deferred' ? expandDeferred(member.value) : member.value;
      const memberPath = [...path, member.name];
      if (value.kind === 'object' && !hasImageProperties(value)) {
        visit(value, memberPath);
        continue;
      }
      const passed = evaluator.evaluate(value, literalOrigin, locals);
      if (
        !passed.some((item) => item.kind === 'object' && ['publisher', 'offer', 'sku'].every((name) => getProperty(item, name)))
      )
        continue;
      const location = passedImageLocation(memberPath, parameterName(memberPath), modulePath);
      readImageAt(reading, object, [member.name], location, evaluator, locals);
    }
  };
  visit(params, []);
}

/**
 * The images a registry module writes inside itself (`imagesInside` in `registryModules.json`):
 * the call deploys them though no file here names them, so each is a site at the module's path,
 * its values with the module as their one resolution step and no definition (nothing here to fix).
 * One the module deploys only under conditions on its parameters is read when the call's values
 * can meet them, under the conditions those values carry ("os is 'linux'"), or under the module's
 * own parameter when the call's value is not known ("vmJumpboxOSType is 'linux'").
 */
function readImagesInsideModule(
  reading: Reading,
  known: RegistryModuleImage,
  path: string,
  pathRange: OffsetRange,
  paramsNode: Expression | undefined,
  evaluator: Evaluator,
  locals: Locals,
): void {
  const use: SourceLocation = { file: evaluator.scope.file, range: pathRange };
  nextImage: for (const inside of known.imagesInside ?? []) {
    const location = imageLocationOf(inside.resourceType);
    if (!location) continue;
    let when: Conditions | undefined;
    for (const condition of inside.deployedWhen ?? []) {
      const met = conditionMetBy(condition, valuesAtCall(paramsNode, condition.path, evaluator, locals));
      if (met === null) continue nextImage;
      when = unionConditions(when, met);
    }
    const step = { kind: 'registry-module' as const, description: `registry module '${path}' (its ${inside.file})` };
    const properties = new Map<string, Value>();
    for (const [field, text] of Object.entries(inside.image)) {
      if (text !== undefined) properties.set(field, { kind: 'string', value: text, via: [step] });
    }
    const deployedWhen = unionConditions(reading.deployedWhen, when);
    const image: Value = { kind: 'object', properties };
    accumulateSite(reading, use, location, [deployedWhen ? withConditions(image, deployedWhen) : image], undefined, inside.os);
  }
}

/**
 * What a module call gives at a path into its parameters: each value it can be, `undefined` for
 * none given (a property an object literal does not write, or `null`), unknown where a spread or
 * an expression may hold anything.
 */
function valuesAtCall(
  params: Expression | undefined,
  path: readonly string[],
  evaluator: Evaluator,
  locals: Locals,
): (Value | undefined)[] {
  if (!params) return [undefined];
  let current: Expression = params;
  let index = 0;
  while (index < path.length) {
    if (current.kind === 'parenthesized') current = current.expression;
    else if (current.kind === 'deferred') current = expandDeferred(current);
    if (current.kind !== 'object') break;
    const member = findPropertyMember(current, path[index]);
    if (!member) return current.members.some((item) => item.kind === 'spread') ? [unknownValue] : [undefined];
    current = member.value;
    index++;
  }
  let values: (Value | undefined)[] = evaluator.evaluate(current, literalOrigin, locals);
  for (const name of path.slice(index)) {
    values = values.map((value) =>
      value === undefined || value.kind === 'unknown' ? value : value.kind === 'object' ? getProperty(value, name) : undefined,
    );
  }
  return values.map((value) => (value?.kind === 'null' ? undefined : value));
}

/**
 * Whether values a call gives meet a condition of a module on its parameters: null when none
 * can, else what a deployer must choose for one to (none when one always does).
 */
function conditionMetBy(condition: ParameterCondition, values: readonly (Value | undefined)[]): Conditions | undefined | null {
  const expected = condition.notGiven ? 'not given' : literalText(condition.equals ?? condition.notEquals!);
  const unknownWay: Conditions = [
    { subject: condition.path.join('.'), value: condition.notEquals === undefined ? expected : `not ${expected}` },
  ];
  const ways: (Conditions | undefined)[] = [];
  for (const given of values) {
    if (given?.kind === 'unknown') {
      ways.push(unknownWay);
      continue;
    }
    if (condition.notGiven) {
      if (given === undefined) ways.push(undefined);
      continue;
    }
    const value: Value | undefined = given ?? literalValue(condition.default);
    // Bicep's == and != compare strings with their case.
    const equal =
      value !== undefined &&
      (value.kind === 'string' || value.kind === 'boolean') &&
      value.value === (condition.equals ?? condition.notEquals);
    if (condition.equals !== undefined ? equal : !equal) ways.push(value ? reasonsOf(value) : undefined);
  }
  if (ways.length === 0) return null;
  return ways.reduce((common, way) => commonConditions(common, way));
}

function literalValue(literal: string | boolean | undefined): Value | undefined {
  if (literal === undefined) return undefined;
  return typeof literal === 'boolean' ? { kind: 'boolean', value: literal } : { kind: 'string', value: literal };
}

function literalText(literal: string | boolean): string {
  return typeof literal === 'boolean' ? String(literal) : `'${literal}'`;
}

/** How far into a module's parameters image objects are looked for. */
const maximumPassedImageDepth = 3;

function hasImageProperties(object: ObjectExpression): boolean {
  return ['publisher', 'offer', 'sku'].every((name) => findPropertyMember(object, name) !== undefined);
}

/** What a resource body writes at a path: nothing, an expression, or literal text (`declaredOs`). */
function writtenInBody(body: Expression, path: readonly string[]): WrittenProperty {
  let current = body;
  for (const segment of path) {
    while (current.kind === 'parenthesized') current = current.expression;
    // An object computed by an expression may or may not hold the path: nothing is declared.
    if (current.kind !== 'object') return undefined;
    const property = findPropertyMember(current, segment);
    if (!property) return undefined;
    current = property.value;
  }
  if (current.kind === 'deferred') current = expandDeferred(current);
  return current.kind === 'string' ? { text: current.value } : {};
}

/** An image evaluated once by an evaluator: its values and where its text was written then. */
interface CachedImage {
  values: Value[];
  start: number;
  end: number;
  /** Whether a value's definition lies inside the image's own text (and must move with it). */
  holdsOwnLiterals: boolean;
}

/**
 * The images an evaluator has read and the text of its file, or null when its images are not
 * shared (sharing is off, or its file has syntax errors or is not the file it parsed). Asked for
 * at every resource, so the last answer is kept on the reading.
 */
function imagesOf(reading: Reading, evaluator: Evaluator): EvaluatorImages | null {
  if (reading.lastImagesEvaluator === evaluator) return reading.lastImages;
  const parsed = evaluator.scope.session.parsed.get(evaluator.scope.file);
  let images: EvaluatorImages | null = null;
  if (reading.shareRepeatedImages && parsed && parsed.problems.length === 0 && parsed.program === evaluator.scope.program) {
    let cache = reading.imagesRead.get(evaluator);
    if (!cache) reading.imagesRead.set(evaluator, (cache = new Map()));
    images = { text: parsed.text, cache };
  }
  reading.lastImagesEvaluator = evaluator;
  reading.lastImages = images;
  return images;
}

/** Moves values; moving every definition by the same distance keeps distinct values distinct. */
function moveKeepingDistinct(reading: Reading, mover: TextMover, values: Value[]): Value[] {
  const moved = mover.values(values);
  if (reading.distinctLists.has(values)) reading.distinctLists.add(moved);
  return moved;
}

function evaluateImageOnce(
  reading: Reading,
  evaluator: Evaluator,
  node: Expression,
  locals: Locals,
): { values: Value[]; mover?: TextMover } {
  // A copy of an image evaluated before costs nothing: it shares that image's values. Past the
  // budget, an image not evaluated before is not evaluated at all (`readBudget.ts`).
  const budget = reading.images;
  const images = locals.size > 0 ? null : imagesOf(reading, evaluator);
  if (!images) {
    if (budget.spent) return { values: unreadImage(budget) };
    const values = evaluateImage(evaluator, node, literalOrigin, locals);
    budget.charge(values.length);
    return { values };
  }
  const cache = images.cache;
  const key = images.text.slice(node.start, node.end);
  const cached = cache.get(key);
  if (!cached) {
    if (budget.spent) return { values: unreadImage(budget) };
    const values = evaluateImage(evaluator, node, literalOrigin, locals);
    budget.charge(values.length);
    const file = evaluator.scope.file;
    const holdsOwnLiterals = values.some((value) => holdsDefinitionWithin(value, file, node.start, node.end));
    cache.set(key, { values, start: node.start, end: node.end, holdsOwnLiterals });
    markDistinct(reading, values);
    return { values };
  }
  if (!cached.holdsOwnLiterals || cached.start === node.start) return { values: cached.values };
  return {
    values: cached.values,
    mover: TextMover.copying(evaluator.scope.file, cached.start, cached.end, node.start - cached.start),
  };
}

/** The values of an image left unread because the read's budget is spent: unknown. */
function unreadImage(budget: ImageBudget): Value[] {
  budget.skipped++;
  return [unknownValue];
}

/** A copy of an image's values with its definitions moved: values of its own, charged as such. */
function movedCopy(reading: Reading, mover: TextMover, values: Value[]): Value[] {
  if (reading.images.spent) return unreadImage(reading.images);
  reading.images.charge(values.length);
  return moveKeepingDistinct(reading, mover, values);
}

/** Notes that a list holds no duplicates when it is short enough to check here. */
function markDistinct(reading: Reading, values: Value[]): void {
  if (distinctValues(values).length === values.length) reading.distinctLists.add(values);
}

function holdsDefinitionWithin(value: Value, file: string, start: number, end: number): boolean {
  switch (value.kind) {
    case 'string': {
      const location = value.definition?.location;
      if (location !== undefined && location.file === file && location.range.start >= start && location.range.start < end)
        return true;
      return value.when !== undefined && conditionWithin(value.when, file, start, end);
    }
    case 'object':
      for (const item of value.properties.values()) if (holdsDefinitionWithin(item, file, start, end)) return true;
      return value.when !== undefined && conditionWithin(value.when, file, start, end);
    case 'array':
      return value.items.some((item) => holdsDefinitionWithin(item, file, start, end));
    default:
      return false;
  }
}

/** Whether one of the conditions is written in `[start, end)` of `file` (a ternary in an image). */
function conditionWithin(when: Conditions, file: string, start: number, end: number): boolean {
  return when.some(({ at }) => at !== undefined && at.file === file && at.range.start >= start && at.range.start < end);
}

/**
 * Evaluates an image object. When it reads parameters with several values, it is evaluated once
 * per combination of their values, so that the fields of one candidate come from one choice.
 */
function evaluateImage(evaluator: Evaluator, node: Expression, origin: Origin, locals: Locals): Value[] {
  // Every value is bounded; should one still exhaust the stack or an array's length, this image
  // is unknown and the others are read as usual.
  try {
    return evaluateImageUnguarded(evaluator, node, origin, locals);
  } catch (error) {
    if (error instanceof RangeError) return [unknownValue];
    throw error;
  }
}

function evaluateImageUnguarded(evaluator: Evaluator, node: Expression, origin: Origin, locals: Locals): Value[] {
  const { result, reads } = evaluator.collectReads(() => evaluator.evaluate(node, origin, locals));
  if (reads.size === 0) return result;
  const pinned = pinnedEvaluators(evaluator, reads);
  const values = pinned.evaluators.flatMap((each) => each.evaluate(node, origin, locals));
  // Assignments past the cap are not read: the image may deploy more than these.
  if (pinned.cut) values.push(unknownValue);
  return distinctValues(values);
}

// -----------------------------------------------------------------------------------------------
// Modules

function readModule(reading: Reading, declaration: ModuleDeclaration, evaluator: Evaluator, stack: readonly string[]): void {
  if (declaration.path.kind !== 'string') return;
  const path = declaration.path.value;
  const file = evaluator.scope.file;
  const pathRange = { start: declaration.path.start, end: declaration.path.end };
  const enclosing = reading.deployedWhen;
  for (const { body, locals, when } of declarationBodies(declaration.value, evaluator, noLocals)) {
    // What the module deploys is deployed only when the module call's condition holds.
    reading.deployedWhen = unionConditions(enclosing, when);
    const paramsNode = body.kind === 'object' ? findPropertyMember(body, 'params')?.value : undefined;
    if (isRemoteModulePath(path)) {
      // Registry modules cannot be read offline; the known ones name their image parameter.
      const known = registryModuleImageOf(path);
      if (known?.imagesInside) readImagesInsideModule(reading, known, path, pathRange, paramsNode, evaluator, locals);
      // A row without a parameter path: those versions deploy no image passed to them.
      if (known && !known.parameterPath) continue;
      const location = known?.resourceType === undefined ? undefined : imageLocationOf(known.resourceType);
      if (known?.parameterPath && location && paramsNode) {
        const osText = known.osParameter ? writtenInBody(paramsNode, [known.osParameter])?.text?.toLowerCase() : undefined;
        const os = osText?.startsWith('linux') ? 'linux' : osText?.startsWith('windows') ? 'windows' : known.os;
        readImageAt(reading, paramsNode, known.parameterPath, location, evaluator, locals, os);
      } else if (paramsNode) readImagesPassed(reading, paramsNode, path, evaluator, locals);
      continue;
    }
    const target = joinPath(folderOf(file), path);
    if (stack.includes(target)) {
      reportOnce(
        reading,
        file,
        `The module '${path}' leads back to a file that uses it; it is not read again.`,
        pathRange.start,
        pathRange.end,
      );
      continue;
    }
    if (stack.length > maximumModuleDepth) {
      reportOnce(reading, file, `The module '${path}' is nested too deeply to be read.`, pathRange.start, pathRange.end);
      continue;
    }
    if (isJsonFile(target)) {
      reading.session.dependencies.add(target);
      const text = reading.session.host.readFile(target);
      if (text === undefined) {
        const message = withRefusal(`Cannot read the module '${path}'`, reading.session.host, target);
        reportOnce(reading, file, message, pathRange.start, pathRange.end);
        if (paramsNode) readImagesPassed(reading, paramsNode, path, evaluator, locals);
        continue;
      }
      // The ARM reader correlates its own parameters; give it every value each parameter may take.
      const inputs = mergeInputs(moduleInputs(paramsNode, evaluator, locals));
      const result = readArmTemplate(target, text, reading.session.host, {
        parameterInputs: inputs,
        parameterFiles: [],
        shareRepeatedImages: reading.shareRepeatedImages,
        imageBudget: reading.images,
      });
      const via = viaModule(reading, declaration, file);
      for (const site of result.sites) site.via = site.via ? [...via, ...site.via] : via;
      mergeArmResult(reading, result);
      continue;
    }
    // A module that can deploy no image is not parsed, read or charged to the budget of reads.
    if (!moduleMayHoldImages(reading.session, target)) continue;
    const parsed = parseFileOnce(reading.session, target);
    if (!parsed) {
      const message = withRefusal(`Cannot read the module '${path}'`, reading.session.host, target);
      reportOnce(reading, file, message, pathRange.start, pathRange.end);
      continue;
    }
    for (const inputs of moduleInputs(paramsNode, evaluator, locals)) {
      const key = [
        target,
        ...[...inputs]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([name, values]) => `${name}=${reading.valueKeys.keyOfList(values)}`),
        // An instance deployed under other conditions is read again: its sites say when.
        reading.deployedWhen ? conditionsKey(reading.deployedWhen) : '',
      ].join('\u0000');
      if (reading.moduleReads.has(key)) continue;
      if (reading.moduleReads.size >= maximumModuleReads) {
        reportOnce(
          reading,
          file,
          `The module '${path}' is deployed too many times over to read every instance; the rest are not read.`,
          pathRange.start,
          pathRange.end,
        );
        break;
      }
      reading.moduleReads.add(key);
      const caller = reading.via;
      reading.via = viaModule(reading, declaration, file);
      try {
        readTemplate(reading, target, parsed.program, inputs, [...stack, target]);
      } finally {
        reading.via = caller;
      }
    }
  }
  reading.deployedWhen = enclosing;
}

/** Per read session, whether each Bicep module file may deploy an image (`moduleMayHoldImages`). */
const imageMarkersByFile = new WeakMap<ReadSession, Map<string, boolean>>();

/**
 * Whether a Bicep module may deploy an image, from a scan of its text: only a file that names a
 * resource type with an image, declares a module of its own or links a template can. A file that cannot be read
 * may (its reading reports why). Big solutions call dozens of modules that deploy networks,
 * vaults and role assignments; parsing and evaluating each of them, per combination of inputs,
 * spent the module-read budget and most of the time on files without an image.
 */
function moduleMayHoldImages(session: ReadSession, file: string): boolean {
  let known = imageMarkersByFile.get(session);
  if (!known) imageMarkersByFile.set(session, (known = new Map()));
  const cached = known.get(file);
  if (cached !== undefined) return cached;
  session.dependencies.add(file);
  const text = session.host.readFile(file);
  const may =
    text === undefined || moduleDeclaration.test(text) || imageResourceTypeMarker.test(text) || /templateLink/i.test(text);
  known.set(file, may);
  return may;
}

/** A module declaration at the start of a line (after decorators on lines of their own). */
const moduleDeclaration = /^[ \t]*module[ \t]/m;

/** The module calls that lead into a module: the caller's, then this one. */
function viaModule(reading: Reading, declaration: ModuleDeclaration, file: string): readonly DeploymentStep[] {
  const step: DeploymentStep = {
    kind: 'module',
    name: declaration.name.name,
    location: { file, range: { start: declaration.name.start, end: declaration.name.end } },
  };
  return reading.via ? [...reading.via, step] : [step];
}

/**
 * The values a module call passes, by parameter name: one map per combination of the caller's
 * parameters that have several values, so that values passed together stay together.
 */
function moduleInputs(
  paramsNode: Expression | undefined,
  evaluator: Evaluator,
  locals: Locals,
  wrapped = false,
): Map<string, Value[]>[] {
  if (!paramsNode) return [new Map()];
  // A deployment's parameters are wrapped (`{ sku: { value: 'x' } }`); a module's are not.
  const unwrap = (value: Value): Value[] => {
    if (!wrapped) return [value];
    if (value.kind !== 'object') return [unknownValue];
    const inner = getProperty(value, 'value');
    return [inner ?? unknownValue];
  };
  const evaluateAll = (current: Evaluator): Map<string, Value[]> => {
    const inputs = new Map<string, Value[]>();
    const add = (name: string, values: readonly Value[]) => inputs.set(name, [...(inputs.get(name) ?? []), ...values]);
    if (paramsNode.kind === 'object') {
      for (const member of paramsNode.members) {
        if (member.kind === 'property' && member.name !== undefined) {
          const origin: Origin = { kind: 'module-parameter', description: `value passed to parameter '${member.name}'` };
          const wrapper = wrapped && member.value.kind === 'object' ? member.value : undefined;
          const written = wrapper ? findPropertyMember(wrapper, 'value')?.value : member.value;
          if (written) inputs.set(member.name, current.evaluateDeclared(written, origin, locals));
          else if (wrapped && !wrapper) inputs.set(member.name, current.evaluate(member.value, origin, locals).flatMap(unwrap));
          else inputs.set(member.name, [unknownValue]);
        } else if (member.kind === 'spread') {
          for (const value of current.evaluate(member.expression, literalOrigin, locals)) {
            if (value.kind === 'object') for (const [name, property] of value.properties) add(name, unwrap(property));
          }
        }
      }
    } else {
      for (const value of current.evaluate(paramsNode, literalOrigin, locals)) {
        if (value.kind === 'object') for (const [name, property] of value.properties) add(name, unwrap(property));
      }
    }
    return inputs;
  };
  const { result, reads } = evaluator.collectReads(() => evaluateAll(evaluator));
  if (reads.size === 0) return [result];
  const pinned = pinnedEvaluators(evaluator, reads);
  const inputSets = pinned.evaluators.map(evaluateAll);
  // Assignments past the cap are not read: each parameter may take other values too.
  if (pinned.cut) inputSets.push(new Map([...result.keys()].map((name): [string, Value[]] => [name, [unknownValue]])));
  return inputSets;
}

function mergeInputs(inputSets: readonly Map<string, Value[]>[]): Map<string, Value[]> {
  const merged = new Map<string, Value[]>();
  for (const inputs of inputSets) {
    for (const [name, values] of inputs) merged.set(name, distinctValues([...(merged.get(name) ?? []), ...values]));
  }
  return merged;
}

function mergeArmResult(reading: Reading, result: ReaderResult): void {
  const when = reading.deployedWhen;
  reading.armSites.push(...(when ? result.sites.map((site) => conditionedSite(site, when)) : result.sites));
  reading.session.problems.push(...result.problems);
  for (const dependency of result.dependencies) reading.session.dependencies.add(dependency);
}

/** The values deployed only under `when` too: one shared list per list and conditions. */
function conditionedList(values: Value[], when: Conditions, reading: Reading): Value[] {
  const { conditionedLists, distinctLists } = reading;
  let byConditions = conditionedLists.get(values);
  if (!byConditions) conditionedLists.set(values, (byConditions = new Map()));
  const key = conditionsKey(when);
  let list = byConditions.get(key);
  if (!list) {
    list = valuesWithConditions(values, when);
    if (distinctLists.has(values)) distinctLists.add(list);
    byConditions.set(key, list);
  }
  return list;
}

/** A site of an ARM module deployed only under `when`: each value of its candidates says so. */
function conditionedSite(site: ImageSite, when: Conditions): ImageSite {
  const candidates = site.candidates.map((candidate) => {
    const copy: ImageCandidate = {};
    for (const field of imageFields) {
      const value = candidate[field];
      if (value) copy[field] = { ...value, when: unionConditions(when, value.when) };
    }
    return copy;
  });
  const conditioned: ImageSite = {
    use: site.use,
    resourceType: site.resourceType,
    candidates,
    unresolved: site.unresolved,
    custom: site.custom,
  };
  if (site.os) conditioned.os = site.os;
  if (site.via) conditioned.via = site.via;
  return conditioned;
}
