/**
 * Where a linked deployment (`Microsoft.Resources/deployments` with a `templateLink`) leads, when
 * that is a file of the same repository. Nothing is ever fetched: a link is followed only when it
 * names a file beside the calling one, written as
 *
 * - `templateLink.relativePath` (relative to the calling file's folder), or
 * - a `uri` built from an artifacts location: a parameter named `_artifactsLocation`, one whose
 *   default is `[deployment().properties.templateLink.uri]`, one marked with the Marketplace's
 *   `metadata.artifactsBaseUrl`, or `deployment().properties.templateLink.uri` itself, joined to a
 *   relative tail by `uri()`, `concat()` or `format()` (directly or through variables).
 *
 * An artifacts location stands for the folder of the template that declares it (that is where a
 * deployment from the repository takes it from): it is evaluated to a marked string, the folder
 * between two `\u0001`, followed by the URL path after it, so that the functions that build
 * links carry it along. A value passed to a linked template keeps the caller's folder, as Azure
 * passes the caller's URL. Any other link (an absolute URL, a template spec, an address that
 * cannot be computed) stays unfollowed, with a reason the inventory shows.
 */
import { buildImageSite, type ImageLocation } from '../imageLocations';
import type { FileHost, ImageSite, OffsetRange } from '../model';
import { baseNameOf, folderOf, joinPath, relativePath } from '../paths';
import { unknownValue } from '../values';
import { evaluateExpression, parameterValues } from './armEvaluator';
import { isArmExpression, literalTextOf, parseArmExpression, type ArmExpression } from './armExpression';
import { findProperty, parseJsonDocument, type JsonNode, type JsonObjectNode } from './jsonDocument';
import type { LinkedReading, ParameterSymbol, TemplateScope } from './templateScope';

/** Linked templates that link further than this are not read. */
export const maximumLinkDepth = 8;
/** The most linked templates one read follows (each time one is read counts). */
export const maximumLinkedReads = 256;
/** The most addresses one link is followed to (a file name built from an allowed value, say). */
const maximumLinkAlternatives = 16;
/** Variables that build a link from each other deeper than this are not followed. */
const maximumLinkEvaluationDepth = 32;

// Declared with the evaluation context that holds them, which must not import this file.
export type { LinkedReading, UnfollowedLink } from './templateScope';

export function createLinkedReading(host: FileHost, entryFile: string): LinkedReading {
  return {
    host,
    stack: [entryFile],
    problems: [],
    dependencies: new Set(),
    unfollowed: new Map(),
    reads: 0,
    reported: new Set(),
    followedAny() {
      return this.reads > 0 || this.dependencies.size > 0 || this.problems.length > 0;
    },
  };
}

/** Where a link leads: local files to read, and why the rest cannot be. */
export interface LinkResolution {
  files: LinkedFile[];
  reasons: string[];
}

export interface LinkedFile {
  file: string;
  /**
   * Whether the folder is only taken to be where the link leads: an artifacts location known by
   * its name or metadata, whose deployments may take the files from anywhere. Such a file that is
   * not there is no problem of the template.
   */
  assumed: boolean;
  /**
   * For an assumed location, where else the file may be: the same path from each parent folder,
   * nearest first (a template in `nested/` read alone, whose artifacts location is the sample's
   * folder above it).
   */
  elsewhere?: string[];
}

/** Resolves a `templateLink` object written in `scope`. */
export function resolveTemplateLink(link: JsonNode, scope: TemplateScope): LinkResolution {
  if (link.type !== 'object') return { files: [], reasons: ['its templateLink cannot be computed statically'] };
  const relative = findProperty(link, 'relativePath');
  const uri = findProperty(link, 'uri');
  const id = findProperty(link, 'id');
  const property = relative ? 'relativePath' : uri ? 'uri' : id ? 'id' : undefined;
  const node = relative ?? uri ?? id;
  return resolveLinkTarget(property && node ? { property, texts: evaluateLinkNode(node, scope, 0) } : undefined, scope.file);
}

/**
 * What a `templateLink` names: the property that says where (`relativePath` first, as Azure
 * reads it) and the alternatives of its address as link text (undefined for unknown). Both
 * readers evaluate the address in their own syntax, with the functions of this file.
 */
export interface LinkTarget {
  property: 'relativePath' | 'uri' | 'id';
  texts: readonly (string | undefined)[];
}

/** Where a link written in `callerFile` leads: local files, and why the rest is not followed. */
export function resolveLinkTarget(target: LinkTarget | undefined, callerFile: string): LinkResolution {
  const resolution: LinkResolution = { files: [], reasons: [] };
  const addReason = (reason: string) => {
    if (!resolution.reasons.includes(reason)) resolution.reasons.push(reason);
  };
  const addFile = (file: string, assumed = false, elsewhere?: string[]) => {
    const known = resolution.files.find((linked) => linked.file === file);
    if (!known) resolution.files.push(elsewhere ? { file, assumed, elsewhere } : { file, assumed });
    else known.assumed &&= assumed;
  };
  if (target?.property === 'relativePath') {
    for (const text of target.texts) {
      if (text === undefined) addReason('its relativePath cannot be computed statically');
      else if (isRooted(text) || hasScheme(text)) resolveAddress(text, addFile, addReason);
      else addFile(joinPath(folderOf(callerFile), withoutQuery(text)));
    }
  } else if (target?.property === 'uri') {
    for (const text of target.texts) resolveAddress(text, addFile, addReason);
  } else if (target?.property === 'id') {
    const ids = target.texts;
    const known = ids.length === 1 && ids[0] !== undefined ? ids[0] : undefined;
    addReason(
      known === undefined
        ? 'it deploys a template spec, which is not fetched'
        : `it deploys the template spec '${known}', which is not fetched`,
    );
  } else addReason('its templateLink names no template');
  return resolution;
}

/** A linked template of the repository, read and parsed, to be read with the caller's values. */
export interface OpenedLinkedTemplate {
  file: string;
  text: string;
  root: JsonObjectNode;
}

/**
 * Reads the files a link written in `callerFile` at `at` resolves to, as far as the read's limits
 * allow (cycles, depth, number of reads): the templates to read, and whether any was followed (a
 * link back to a template being read counts: what it deploys is read already). Problems and the
 * reasons a file is not followed are noted in `links`, once per link.
 */
export function openLinkedTemplates(
  resolution: LinkResolution,
  callerFile: string,
  at: OffsetRange,
  links: LinkedReading,
): { opened: OpenedLinkedTemplate[]; followed: boolean } {
  const reasons = [...resolution.reasons];
  const report = (message: string) => {
    const key = `${callerFile}\u0000${at.start}\u0000${message}`;
    if (links.reported.has(key)) return;
    links.reported.add(key);
    links.problems.push({ file: callerFile, message, range: at });
  };
  const opened: OpenedLinkedTemplate[] = [];
  let followed = false;
  for (const linked of resolution.files) {
    const { assumed } = linked;
    let file = linked.file;
    // An assumed location may be a parent folder's: the first that holds the file.
    if (linked.elsewhere && links.host.readFile(file) === undefined && links.host.refusalOf?.(file) === undefined) {
      links.dependencies.add(file);
      file = linked.elsewhere.find((other) => links.host.readFile(other) !== undefined) ?? file;
    }
    const written = relativePath(folderOf(callerFile), file);
    if (links.stack.includes(file)) {
      report(`The linked template '${written}' leads back to a template that links it; it is not read again.`);
      followed = true;
      continue;
    }
    if (links.stack.length > maximumLinkDepth) {
      report(`The linked template '${written}' is linked too deeply to be read.`);
      reasons.push(`the linked template '${written}' is linked too deeply`);
      continue;
    }
    if (links.reads >= maximumLinkedReads) {
      report(`The linked template '${written}' is one linked template too many to read; it is not read.`);
      reasons.push(`the read had followed ${maximumLinkedReads} linked templates already`);
      continue;
    }
    links.dependencies.add(file);
    const text = links.host.readFile(file);
    if (text === undefined) {
      const refusal = links.host.refusalOf?.(file);
      if (assumed && refusal === undefined) {
        // The artifacts may come from anywhere: a file that is not here is no mistake.
        reasons.push(`the linked template '${written}' is not in the repository`);
        continue;
      }
      report(`Cannot read the linked template '${written}'${refusal === undefined ? '' : `: ${refusal}`}.`);
      reasons.push(`the linked template '${written}' cannot be read`);
      continue;
    }
    const root = parseJsonDocument(text).root;
    if (root?.type !== 'object') {
      report(`The linked template '${written}' is not a template that can be read.`);
      reasons.push(`the linked template '${written}' cannot be read`);
      continue;
    }
    links.reads++;
    followed = true;
    opened.push({ file, text, root });
  }
  if (reasons.length > 0) {
    const key = `${callerFile}\u0000${at.start}`;
    const unfollowed = links.unfollowed.get(key);
    if (unfollowed) for (const reason of reasons) if (!unfollowed.reasons.includes(reason)) unfollowed.reasons.push(reason);
    if (!unfollowed) links.unfollowed.set(key, { use: { file: callerFile, range: at }, reasons });
  }
  return { opened, followed };
}

/**
 * Where a linked deployment that is not followed stands in the inventory: what it deploys is
 * unknown, and the site says why (`unresolvedReason`).
 */
const unfollowedLocation: ImageLocation = {
  resourceType: 'Microsoft.Resources/deployments',
  path: ['properties', 'templateLink'],
  fields: { publisher: 'publisher', offer: 'offer', sku: 'sku', version: 'version' },
  customImageProperties: [],
};

/** A site for each link of the read not followed, in the order found, saying why. */
export function unfollowedLinkSites(links: LinkedReading): ImageSite[] {
  const sites: ImageSite[] = [];
  for (const unfollowed of links.unfollowed.values()) {
    const site = buildImageSite(unfollowed.use, unfollowedLocation, [unknownValue]);
    if (!site) continue;
    site.unresolvedReason = `Not followed: ${unfollowed.reasons.join('; ')}.`;
    sites.push(site);
  }
  return sites;
}

/** Sorts an address a link evaluates to into a local file or the reason it is not followed. */
function resolveAddress(
  text: string | undefined,
  addFile: (file: string, assumed: boolean, elsewhere?: string[]) => void,
  addReason: (reason: string) => void,
): void {
  if (text === undefined) {
    addReason('its address cannot be computed statically');
    return;
  }
  const rooted = parseRooted(text);
  if (rooted) {
    let tail = withoutQuery(rooted.tail);
    try {
      tail = decodeURI(tail);
    } catch {
      // A malformed escape stays as written: the file will simply not be found.
    }
    const relative = tail.replace(/^\/+/, '');
    if (relative === '' || relative.endsWith('/')) addReason('its address names a folder, not a template');
    else if (!rooted.assumed) addFile(joinPath(rooted.folder, relative), false);
    else {
      const elsewhere: string[] = [];
      for (let folder = rooted.folder, level = 0; level < maximumParentLevels; level++) {
        const parent = folderOf(folder);
        if (parent === folder || parent === '') break;
        elsewhere.push(joinPath(parent, relative));
        folder = parent;
      }
      addFile(joinPath(rooted.folder, relative), true, elsewhere);
    }
    return;
  }
  if (text.includes(rootMark)) addReason('its address cannot be computed statically');
  // The query of a URL may hold a SAS token: it is never quoted.
  else if (hasScheme(text)) addReason(`it links to ${withoutQuery(text)}, which is not fetched`);
  else addReason(`its address '${withoutQuery(text)}' is not an absolute URL`);
}

// -----------------------------------------------------------------------------------------------
// The evaluation of link addresses

/** Marks the folder an artifacts location stands for (see the file's comment). */
const rootMark = '\u0001';

/** Marks, before the folder, a location that is only assumed (`LinkedFile.assumed`). */
const assumedMark = '\u0002';

function rooted(folder: string, tail: string, assumed = false): string {
  return `${rootMark}${assumed ? assumedMark : ''}${folder}${rootMark}${tail}`;
}

function isRooted(text: string): boolean {
  return text.startsWith(rootMark);
}

function parseRooted(text: string): { folder: string; tail: string; assumed: boolean } | undefined {
  if (!text.startsWith(rootMark)) return undefined;
  const end = text.indexOf(rootMark, 1);
  if (end < 0) return undefined;
  const tail = text.slice(end + 1);
  if (tail.includes(rootMark)) return undefined;
  const assumed = text.startsWith(assumedMark, 1);
  return { folder: text.slice(assumed ? 2 : 1, end), tail, assumed };
}

function hasScheme(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(text);
}

function withoutQuery(text: string): string {
  const at = text.search(/[?#]/);
  return at < 0 ? text : text.slice(0, at);
}

/**
 * Values given to the parameters of a linked template that hold a caller's artifacts location,
 * by the linked template's parameter table (shared by every scope derived from its scope).
 */
const passedLocations = new WeakMap<ReadonlyMap<string, ParameterSymbol>, Map<string, (string | undefined)[]>>();

/**
 * Notes what a caller passes to a linked template's parameter when it holds the caller's
 * artifacts location, so that links in the linked template keep it.
 */
export function notePassedLocation(callee: TemplateScope, name: string, value: JsonNode, caller: TemplateScope): void {
  if (value.type !== 'string' || !isArmExpression(value.value)) return;
  notePassedLinkTexts(callee, name, evaluateLinkNode(value, caller, 0));
}

/** `notePassedLocation` with the value already evaluated as link text (by the Bicep reader). */
export function notePassedLinkTexts(callee: TemplateScope, name: string, texts: (string | undefined)[]): void {
  if (!texts.some(holdsArtifactsLocation)) return;
  let table = passedLocations.get(callee.parameters);
  if (!table) passedLocations.set(callee.parameters, (table = new Map()));
  table.set(name.toLowerCase(), texts);
}

/** The alternatives of a JSON value as link text; undefined stands for unknown. */
function evaluateLinkNode(node: JsonNode, scope: TemplateScope, depth: number): (string | undefined)[] {
  if (node.type !== 'string') return [undefined];
  if (!isArmExpression(node.value)) return [literalTextOf(node.value)];
  if (depth > maximumLinkEvaluationDepth) return [undefined];
  const expression = parseArmExpression(node.value);
  return expression ? evaluateLink(expression, scope, depth + 1) : [undefined];
}

function evaluateLink(expression: ArmExpression, scope: TemplateScope, depth: number): (string | undefined)[] {
  if (depth > maximumLinkEvaluationDepth) return [undefined];
  if (expression.kind === 'string') return [expression.value];
  if (expression.kind === 'member' && isTemplateLinkUri(expression)) return [templateLinkUriText(scope.file)];
  if (expression.kind === 'member') {
    const node = variableNodeOf(expression, scope, depth);
    if (node) return evaluateLinkNode(node, scope, depth + 1);
  }
  if (expression.kind !== 'call') return generalTexts(expression, scope);
  const args = expression.args;
  switch (expression.name.toLowerCase()) {
    case 'concat':
    case 'uri':
    case 'format':
      return callLinkFunction(
        expression.name.toLowerCase() as LinkFunction,
        args.map((argument) => evaluateLink(argument, scope, depth + 1)),
      );
    case 'parameters':
    case 'variables': {
      if (args.length !== 1) return [undefined];
      const result: (string | undefined)[] = [];
      for (const name of evaluateLink(args[0], scope, depth + 1)) {
        if (name === undefined) result.push(undefined);
        else if (expression.name.toLowerCase() === 'parameters') result.push(...linkParameter(scope, name, depth));
        else {
          const variable = scope.variables.get(name.toLowerCase());
          result.push(...(variable ? evaluateLinkNode(variable.node, scope, depth + 1) : [undefined]));
        }
      }
      return capped(result);
    }
    default:
      return generalTexts(expression, scope);
  }
}

/** The functions that build link addresses. */
export type LinkFunction = 'concat' | 'uri' | 'format';

/** `concat()`, `uri()` or `format()` over link texts (an interpolation is a `concat`). */
export function callLinkFunction(name: LinkFunction, args: readonly (string | undefined)[][]): (string | undefined)[] {
  switch (name) {
    case 'concat':
      return combine(args, (texts) => (texts.slice(1).some(isRooted) ? undefined : texts.join('')));
    case 'uri':
      return args.length === 2 ? combine(args, ([base, relative]) => joinUri(base, relative)) : [undefined];
    case 'format':
      return args.length >= 1 ? combine(args, ([format, ...values]) => formatLink(format, values)) : [undefined];
  }
}

/** `deployment().properties.templateLink.uri` in a template: the template's own address. */
export function templateLinkUriText(file: string): string {
  return rooted(folderOf(file), `/${baseNameOf(file)}`);
}

/**
 * An artifacts location known by its name or metadata, whose default is not the template's own
 * address: the folder it is taken to stand for (`assumedFolder`), assumed.
 */
export function assumedArtifactsLocationText(file: string, defaultText: string | undefined): string {
  return rooted(assumedFolder(file, defaultText), '/', true);
}

/** Whether link text holds an artifacts location (and so may lead to a file of the repository). */
export function holdsArtifactsLocation(text: string | undefined): boolean {
  return text !== undefined && text.includes(rootMark);
}

/** A parameter named for a SAS token is the query of an address, whatever its value. */
export function isSasTokenName(name: string): boolean {
  return name.toLowerCase().endsWith('sastoken');
}

/** The quickstart convention's name of an artifacts location parameter. */
export function isArtifactsLocationName(name: string): boolean {
  return name.toLowerCase() === '_artifactslocation';
}

/** `deployment().properties.templateLink.uri`, any case. */
function isTemplateLinkUri(expression: ArmExpression): boolean {
  const names: string[] = [];
  let current = expression;
  while (current.kind === 'member') {
    names.unshift(current.name.toLowerCase());
    current = current.object;
  }
  return (
    current.kind === 'call' &&
    current.name.toLowerCase() === 'deployment' &&
    current.args.length === 0 &&
    names.join('.') === 'properties.templatelink.uri'
  );
}

/** The JSON node a member chain over a variable names (`variables('templates').vm`), if written. */
function variableNodeOf(expression: ArmExpression, scope: TemplateScope, depth: number): JsonNode | undefined {
  const names: string[] = [];
  let current = expression;
  while (current.kind === 'member') {
    names.unshift(current.name);
    current = current.object;
  }
  if (current.kind !== 'call' || current.name.toLowerCase() !== 'variables' || current.args.length !== 1) return undefined;
  const [name, ...others] = evaluateLink(current.args[0], scope, depth + 1);
  if (name === undefined || others.length > 0) return undefined;
  let node: JsonNode | undefined = scope.variables.get(name.toLowerCase())?.node;
  for (const member of names) node = node?.type === 'object' ? findProperty(node, member) : undefined;
  return node;
}

/** A parameter's value as link text: an artifacts location is its template's folder. */
function linkParameter(scope: TemplateScope, name: string, depth: number): (string | undefined)[] {
  const key = name.toLowerCase();
  const passed = passedLocations.get(scope.parameters)?.get(key);
  if (passed) return passed;
  const symbol = scope.parameters.get(key);
  if (!symbol) return [undefined];
  // A SAS token is the query of the address, whatever its value: what follows '?' is not a path.
  if (isSasTokenName(key)) return ['?'];
  if (symbol.inputs === undefined && isArtifactsLocation(symbol)) {
    const defaultNode = symbol.declaration && findProperty(symbol.declaration, 'defaultValue');
    if (defaultNode?.type === 'string' && isArmExpression(defaultNode.value)) {
      const texts = evaluateLinkNode(defaultNode, scope, depth + 1);
      if (texts.some((text) => text !== undefined && isRooted(text))) return texts;
    }
    return [assumedArtifactsLocationText(scope.file, defaultNode?.type === 'string' ? defaultNode.value : undefined)];
  }
  return linkTextsOf(parameterValues(scope, name));
}

/**
 * The folder an artifacts location known by its name or metadata stands for: the template's own,
 * or, when its default is an address whose last folder is named as one of the template's parent
 * folders (a Marketplace package's `mainTemplate.json` one folder below the sample it deploys, with
 * `.../master/sample` as its default), that parent.
 */
function assumedFolder(file: string, defaultText: string | undefined): string {
  const own = folderOf(file);
  if (defaultText === undefined || !hasScheme(defaultText)) return own;
  const name = withoutQuery(defaultText).replace(/\/+$/, '').split('/').pop()?.toLowerCase();
  let folder = own;
  for (let level = 0; level <= maximumParentLevels && name; level++) {
    if (baseNameOf(folder).toLowerCase() === name) return folder;
    const parent = folderOf(folder);
    if (parent === folder || parent === '') break;
    folder = parent;
  }
  return own;
}

/** How many folders up an artifacts location's default may name. */
const maximumParentLevels = 3;

/**
 * Whether a parameter holds where the template's own files are: `_artifactsLocation` (the
 * quickstart convention), a default of `deployment().properties.templateLink.uri`, or the
 * Marketplace's `metadata.artifactsBaseUrl`.
 */
function isArtifactsLocation(symbol: ParameterSymbol): boolean {
  if (isArtifactsLocationName(symbol.name)) return true;
  const declaration = symbol.declaration;
  if (!declaration) return false;
  const defaultNode = findProperty(declaration, 'defaultValue');
  if (
    defaultNode?.type === 'string' &&
    defaultNode.value.replace(/\s+/g, '').toLowerCase().includes('deployment().properties.templatelink.uri')
  )
    return true;
  const metadata = findProperty(declaration, 'metadata');
  return metadata?.type === 'object' && findProperty(metadata, 'artifactsBaseUrl') !== undefined;
}

/** What the ordinary evaluator gives, as texts. */
function generalTexts(expression: ArmExpression, scope: TemplateScope): (string | undefined)[] {
  // Not an image's reads: what a link reads is not pinned with the image's fields.
  scope.context.parameterReads.push(new Set());
  try {
    return linkTextsOf(evaluateExpression(expression, scope));
  } finally {
    scope.context.parameterReads.pop();
  }
}

/** Evaluated values as link text: a string's text, anything else unknown (capped). */
export function linkTextsOf(values: readonly { kind: string; value?: unknown }[]): (string | undefined)[] {
  return capped(values.map((value) => (value.kind === 'string' && typeof value.value === 'string' ? value.value : undefined)));
}

function capped(values: (string | undefined)[]): (string | undefined)[] {
  const distinct = [...new Set(values)];
  if (distinct.length <= maximumLinkAlternatives) return distinct;
  return [...distinct.slice(0, maximumLinkAlternatives - 1), undefined];
}

/** Each combination of the arguments' alternatives through `build`, capped; unknown stays unknown. */
function combine(
  args: readonly (string | undefined)[][],
  build: (texts: string[]) => string | undefined,
): (string | undefined)[] {
  let combinations: (string | undefined)[][] = [[]];
  for (const alternatives of args) {
    const next: (string | undefined)[][] = [];
    for (const combination of combinations)
      for (const alternative of alternatives) {
        if (next.length > maximumLinkAlternatives) break;
        next.push([...combination, alternative]);
      }
    combinations = next;
  }
  return capped(
    combinations.map((combination) =>
      combination.some((text) => text === undefined) ? undefined : build(combination as string[]),
    ),
  );
}

/** `uri(base, relative)` as Azure resolves it (RFC 3986), on plain or marked text. */
function joinUri(base: string, relative: string): string | undefined {
  if (isRooted(relative) || hasScheme(relative)) return relative;
  const root = parseRooted(base);
  if (root) {
    if (relative.startsWith('/')) return undefined;
    const tail = withoutQuery(root.tail);
    return rooted(root.folder, tail.slice(0, tail.lastIndexOf('/') + 1) + relative, root.assumed);
  }
  if (base.includes(rootMark)) return undefined;
  const authority = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(base);
  if (!authority) return undefined;
  if (relative.startsWith('/')) return authority[0] + relative;
  const path = withoutQuery(base.slice(authority[0].length));
  return authority[0] + path.slice(0, path.lastIndexOf('/') + 1) + (path.includes('/') ? '' : '/') + relative;
}

/** `format()` with plain `{n}` items; anything else is unknown. */
function formatLink(format: string, values: readonly string[]): string | undefined {
  let failed = false;
  const result = format.replace(/\{\{|\}\}|\{(\d+)\}|\{[^}]*\}/g, (item: string, index: string | undefined) => {
    if (item === '{{') return '{';
    if (item === '}}') return '}';
    const value = index === undefined ? undefined : values[Number(index)];
    if (value === undefined) failed = true;
    return value ?? '';
  });
  if (failed) return undefined;
  // A marked location is only meaningful at the start of the address.
  return result.includes(rootMark) && !parseRooted(result) ? undefined : result;
}
