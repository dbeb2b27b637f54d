/**
 * The ARM reader's entry points. `readArmFile` takes any .json or .jsonc file: a deployment
 * template is read with the values of its parameter files, a parameter file is read through its
 * template (its sites are the template's, and the caller keeps the findings that point into the
 * parameter file), and any other JSON gives an empty result. `readArmTemplate` reads one template,
 * optionally with values for its parameters, which is how the Bicep reader reads a local JSON
 * module. Both return what they found plus problems; neither ever throws.
 */
import { imageLocations } from '../imageLocations';
import type { FileHost, ImageSite, Problem, ReaderResult } from '../model';
import { ImageBudget, imageBudgetProblem } from '../readBudget';
import { loadedFileIn, type Value } from '../values';
import { collectTemplateImageSites, type SiteRecipe } from './templateImageSites';
import { parseJsonDocument } from './jsonDocument';
import { createLinkedReading, notePassedLinkTexts } from './linkedTemplates';
import type { ArmReadReuse } from './readReuse';
import {
  bicepTemplateOf,
  classifyJsonDocument,
  findParameterFilesOf,
  findTemplateFilesOf,
  readParameterFileValues,
  unpairedParameterFileMessage,
  type ParameterFileMap,
} from './parameterFiles';
import { createEvaluationContext, createTemplateScope, maximumEvaluationSteps, type ParameterFileValue } from './templateScope';

export { classifyJsonDocument, type JsonDocumentKind, type ParameterFileMap } from './parameterFiles';

export interface ArmReadOptions {
  /**
   * Template path to its parameter file paths: the ARM Tools `parameterFiles` setting and the
   * `parameterFiles` of the configuration. A mapped parameter file pairs with no other template.
   */
  parameterFileMap?: ParameterFileMap;
  /**
   * Read exactly these parameter files (name and text) instead of looking for them beside the
   * template; used when the entry is a parameter file whose text may be unsaved.
   */
  parameterFiles?: readonly { file: string; text: string }[];
  /**
   * Whether an image written the same way on many resources is read once per scope and shared
   * (the default). Tests turn it off to compare with reading every image afresh.
   */
  shareRepeatedImages?: boolean;
  /**
   * What the previous read of the same document left (`readReuse.ts`): the document session of
   * an open document implements it (`core/incremental/`). Reading with one gives the same result.
   */
  reuse?: ArmReadReuse;
}

export interface ArmTemplateReadOptions extends ArmReadOptions {
  /**
   * Whether to also read the deployment that uses no parameter file (defaults and allowed
   * values); true unless the entry is a parameter file.
   */
  withoutParameterFileDeployment?: boolean;
  /** Values the caller passes for parameters, by name; they replace the parameter's default. */
  parameterInputs?: ReadonlyMap<string, Value[]>;
  /**
   * The budget of the caller's read (a Bicep file reading this template as a module), which
   * then reports what was left unread; by default the template has a budget of its own.
   */
  imageBudget?: ImageBudget;
  /**
   * Of the values the caller passes, those that hold the caller's artifacts location, as link
   * text (`linkedTemplates.ts`): a Bicep file's linked deployment passes its own, so that the
   * links of the template it links keep it, as in an ARM caller.
   */
  passedLinkLocations?: ReadonlyMap<string, (string | undefined)[]>;
}

const emptyResult = (): ReaderResult => ({ sites: [], problems: [], dependencies: [] });

/** Reads any JSON file: a template, a parameter file (through its template) or other JSON. */
export function readArmFile(file: string, text: string, host: FileHost, options: ArmReadOptions = {}): ReaderResult {
  try {
    switch (classifyJsonDocument(file, text)) {
      case 'template':
        return readArmTemplate(file, text, host, options);
      case 'parameters':
        return readThroughTemplate(file, text, host, options);
      default:
        return emptyResult();
    }
  } catch (error) {
    return internalErrorResult(file, error);
  }
}

function readThroughTemplate(file: string, text: string, host: FileHost, options: ArmReadOptions): ReaderResult {
  const candidates = findTemplateFilesOf(file, host, options.parameterFileMap);
  for (const templateFile of candidates) {
    const templateText = host.readFile(templateFile);
    if (templateText === undefined) continue;
    if (classifyJsonDocument(templateFile, templateText) !== 'template') continue;
    // Only the deployment with this parameter file matters: the caller keeps the findings
    // that point into it.
    const result = readArmTemplate(templateFile, templateText, host, {
      ...options,
      parameterFiles: [{ file, text }],
      withoutParameterFileDeployment: false,
    });
    result.dependencies = [templateFile];
    delete result.entryTrace;
    return result;
  }
  // A JSON parameter file of a Bicep template is paired, but its values are not read yet.
  if (bicepTemplateOf(file, host) !== undefined) return emptyResult();
  // Whatever the host could have read is a dependency: the template may appear.
  return {
    sites: [],
    problems: [{ file, message: unpairedParameterFileMessage(file, host), range: { start: 0, end: 0 } }],
    dependencies: candidates,
  };
}

/** Reads one deployment template. */
export function readArmTemplate(file: string, text: string, host: FileHost, options: ArmTemplateReadOptions = {}): ReaderResult {
  try {
    if (!mayDeployAnImage(text)) return emptyResult();
    const reuse = options.reuse;
    const document = parseJsonDocument(text, reuse?.startRead());
    if (!document.root) {
      const error = document.error;
      return {
        sites: [],
        problems: [{ file, message: `Cannot read the template: ${error?.message}`, range: error?.range }],
        dependencies: [],
      };
    }
    const root = document.root;
    if (root.type !== 'object') return emptyResult();

    const problems: Problem[] = [];
    const dependencies: string[] = [];
    const parameterFiles =
      options.parameterFiles ??
      findParameterFilesOf(file, host, options.parameterFileMap).flatMap((parameterFile) => {
        dependencies.push(parameterFile);
        const parameterText = host.readFile(parameterFile);
        return parameterText === undefined ? [] : [{ file: parameterFile, text: parameterText }];
      });
    // A template is deployed either with its defaults or with one of its parameter files; each is
    // read in a scope of its own so that values from different deployments never mix.
    // Each deployment has a signature: what, besides the template, its values come from.
    const deployments: { fileValues: Map<string, ParameterFileValue[]>; signature: string }[] = [];
    if (options.withoutParameterFileDeployment !== false) deployments.push({ fileValues: new Map(), signature: file });
    for (const parameterFile of parameterFiles) {
      const read = readParameterFileValues(parameterFile.file, parameterFile.text);
      if (read.problem) problems.push(read.problem);
      else
        deployments.push({ fileValues: read.values, signature: `${file}\u0000${parameterFile.file}\u0000${parameterFile.text}` });
    }
    if (deployments.length === 0) deployments.push({ fileValues: new Map(), signature: file });

    // Values a caller passes are not part of any signature: such reads remember no image.
    const recall = reuse && !options.parameterInputs ? reuse.imageRecall() : undefined;
    const context = createEvaluationContext(options.shareRepeatedImages !== false, text, recall, options.imageBudget);
    if (options.parameterInputs && [...options.parameterInputs.values()].some((values) => loadedFileIn(values) !== undefined))
      context.tracksLoadedValues = true;
    const links = createLinkedReading(host, file);
    context.links = links;
    const scopes = deployments.map(({ fileValues, signature }) =>
      createTemplateScope(context, file, root, options.parameterInputs, fileValues, recall?.deploymentKey(signature)),
    );
    for (const [name, texts] of options.passedLinkLocations ?? [])
      for (const scope of scopes) notePassedLinkTexts(scope, name, texts);
    const reading = {
      file,
      document,
      scopes,
      signatures: deployments.map((deployment) => deployment.signature),
      images: context.images,
    };
    // After typing inside one image, the session may read that image alone again.
    const kept = recall ? reuse!.sitesAfterEdit(reading) : undefined;
    let sites: ImageSite[] | undefined;
    if (kept) reuse!.endRead({ ...reading, text });
    else {
      const recipes: (SiteRecipe | undefined)[] | undefined = recall ? [] : undefined;
      sites = collectTemplateImageSites(root, scopes, recipes);
      // A read that followed linked templates is not read again in part: they may change while
      // this text does not, and what following them reported is not read again with one image.
      reuse?.endRead({ ...reading, text, sites, recipes, followedLinks: links.followedAny() });
    }
    const images = context.images;
    problems.push(...links.problems);
    for (const dependency of links.dependencies) if (!dependencies.includes(dependency)) dependencies.push(dependency);
    // The caller that shares its budget reports it.
    const unread = options.imageBudget ? undefined : imageBudgetProblem(images, file);
    if (unread) problems.push(unread);
    if (context.budget < 0)
      problems.push({
        file,
        message: `This file takes more evaluation steps than one analysis takes (${maximumEvaluationSteps.toLocaleString('en-US')}): values computed after them are unknown.`,
      });
    if (sites) return { sites, problems, dependencies, entryTrace: document.trace };
    // After a read of one site, the others are moved when the caller asks for them (most never do).
    const keptSites = kept!;
    return {
      get sites() {
        return (sites ??= keptSites());
      },
      problems,
      dependencies,
      entryTrace: document.trace,
    };
  } catch (error) {
    return internalErrorResult(file, error);
  }
}

/**
 * Words one of which any template that deploys an image must contain: the property holding the
 * image object, or the resource type where that property is too common a word ('properties',
 * 'source', 'identifier'); and 'publisher', which an image object passed to a deployment the
 * reader cannot follow holds. Checked before any parse, so that templates without images cost
 * one scan.
 */
const imageMarkers: readonly string[] = [
  ...new Set([
    ...imageLocations.map((location) => {
      const last = location.path[location.path.length - 1];
      return last === 'properties' || last === 'source' || last === 'identifier' ? location.resourceType.split('/').pop()! : last;
    }),
    'publisher',
  ]),
];
// A linked template may deploy one too (`linkedTemplates.ts`). One case-insensitive scan: a
// search for each word in turn scanned a text without images once per word (six times slower).
const imageMarkerPattern = new RegExp([...imageMarkers, 'templateLink'].join('|'), 'i');

function mayDeployAnImage(text: string): boolean {
  return imageMarkerPattern.test(text);
}

function internalErrorResult(file: string, error: unknown): ReaderResult {
  const message = error instanceof Error ? error.message : String(error);
  return { sites: [], problems: [{ file, message: `Internal error while reading the template: ${message}` }], dependencies: [] };
}
