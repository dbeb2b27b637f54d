/**
 * Reads catalog documents (the bundled `data/catalog.json`, or a user's catalog file) into the
 * typed shape of `catalogTypes.ts`, and merges an overlay over a base catalog. Input is hostile:
 * nothing here throws, work is bounded by a value budget and by size limits, and every problem
 * names the file and the JSON path of the value at fault, so a bad catalog file is reported, never
 * fatal. The checks mirror `catalog.schema.json` and add what a schema cannot say: source ids and
 * successor ids that exist, dates that exist, SKU patterns that compile and cannot backtrack
 * catastrophically, and SKUs that two image groups both claim.
 */
import type { Problem } from '../model';
import type {
  Architecture,
  Catalog,
  CatalogImage,
  ImageFacts,
  CatalogOverlay,
  CatalogSource,
  DatedFact,
  Distribution,
  DistributionOverlay,
  DistributionVersion,
  DistributionVersionOverlay,
  ExtendedSupport,
  Generation,
  KernelFact,
  Licensing,
  NamingRule,
  NamingToken,
  OtherPublisher,
  Sourced,
} from './catalogTypes';
import { capturesOf, compileTemplate } from './namingTemplate';
import { compileSkuPattern, skuMatcherOf, type SkuMatcher } from './skuPattern';

export type CatalogProblem = Problem;

/** Longest `skuPattern` accepted; longer patterns are refused rather than compiled. */
export const maximumPatternLength = 200;
/** Most values (objects, arrays, strings...) read from one document before giving up. */
export const maximumValues = 200_000;
/** Most problems reported for one document; the rest are summarised in one last problem. */
export const maximumProblems = 50;
const maximumStringLength = 4_000;
const maximumListLength = 10_000;

const architectures: readonly Architecture[] = ['x64', 'Arm64'];
const generations: readonly Generation[] = ['V1', 'V2'];
const licensings: readonly Licensing[] = ['free', 'payg', 'byos'];
const idPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const variantPattern = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const datePattern = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;

type Mode = 'catalog' | 'overlay';
type JsonObject = Record<string, unknown>;

/** What a check needs to know about the catalog an overlay goes over. */
interface KnownIds {
  sources: Set<string>;
  versions: Set<string>;
  distributions: Set<string>;
  versionsByDistribution: Map<string, Set<string>>;
}

class Reader {
  readonly problems: CatalogProblem[] = [];
  private budget = maximumValues;
  private exhausted = false;
  private dropped = 0;

  constructor(
    readonly file: string,
    readonly mode: Mode,
  ) {}

  report(path: string, message: string): void {
    if (this.problems.length >= maximumProblems) {
      this.dropped++;
      return;
    }
    this.problems.push({ file: this.file, message: `${path}: ${message}` });
  }

  /** Counts one value read; false (and one problem) once the document is too large. */
  spend(path: string): boolean {
    if (this.exhausted) return false;
    if (--this.budget >= 0) return true;
    this.exhausted = true;
    this.report(path, `the document is too large (more than ${maximumValues} values); the rest was not read`);
    return false;
  }

  get tooLarge(): boolean {
    return this.exhausted;
  }

  finish(): CatalogProblem[] {
    if (this.dropped > 0) {
      this.problems.push({ file: this.file, message: `$: ${this.dropped} more problems not shown` });
    }
    return this.problems;
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a string';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/** Reports properties the shape does not know; reads none of them. */
function checkKeys(reader: Reader, object: JsonObject, path: string, allowed: readonly string[]): void {
  const keys = Object.keys(object);
  if (keys.length > allowed.length + 20) {
    reader.report(path, `has ${keys.length} properties; only ${allowed.map((key) => `"${key}"`).join(', ')} are allowed`);
    return;
  }
  for (const key of keys) {
    if (!allowed.includes(key)) reader.report(path, `unknown property ${quote(key)}`);
  }
}

function readObject(reader: Reader, value: unknown, path: string): JsonObject | undefined {
  if (!reader.spend(path)) return undefined;
  if (!isObject(value)) {
    reader.report(path, `expected an object, found ${describe(value)}`);
    return undefined;
  }
  return value;
}

function readArray(reader: Reader, value: unknown, path: string): unknown[] | undefined {
  if (!reader.spend(path)) return undefined;
  if (!Array.isArray(value)) {
    reader.report(path, `expected an array, found ${describe(value)}`);
    return undefined;
  }
  if (value.length > maximumListLength) {
    reader.report(path, `has ${value.length} entries; at most ${maximumListLength} are allowed`);
    return undefined;
  }
  return value;
}

function readString(reader: Reader, value: unknown, path: string, maximumLength = maximumStringLength): string | undefined {
  if (!reader.spend(path)) return undefined;
  if (typeof value !== 'string') {
    reader.report(path, `expected a string, found ${describe(value)}`);
    return undefined;
  }
  if (value.length === 0) {
    reader.report(path, 'expected a non-empty string');
    return undefined;
  }
  if (value.length > maximumLength) {
    reader.report(path, `is ${value.length} characters long; at most ${maximumLength} are allowed`);
    return undefined;
  }
  return value;
}

/**
 * Reads a list of entries with `readEntry`, stopping once the document is too large. Undefined
 * when the value is no list; `complete` is false when any entry could not be read.
 */
function readEntries<T>(
  reader: Reader,
  value: unknown,
  path: string,
  readEntry: (item: unknown, itemPath: string) => T | undefined,
): { entries: T[]; complete: boolean } | undefined {
  const list = readArray(reader, value, path);
  if (!list) return undefined;
  const entries: T[] = [];
  let complete = true;
  list.forEach((item, index) => {
    if (reader.tooLarge) return;
    const entry = readEntry(item, `${path}[${index}]`);
    if (entry) entries.push(entry);
    else complete = false;
  });
  return { entries, complete };
}

function readBoolean(reader: Reader, value: unknown, path: string): boolean | undefined {
  if (!reader.spend(path)) return undefined;
  if (typeof value !== 'boolean') {
    reader.report(path, `expected true or false, found ${describe(value)}`);
    return undefined;
  }
  return value;
}

function readChoice<T extends string>(reader: Reader, value: unknown, path: string, choices: readonly T[]): T | undefined {
  const text = readString(reader, value, path);
  if (text === undefined) return undefined;
  if (!(choices as readonly string[]).includes(text)) {
    reader.report(path, `${quote(text)} is not one of ${choices.map((choice) => `"${choice}"`).join(', ')}`);
    return undefined;
  }
  return text as T;
}

function readId(reader: Reader, value: unknown, path: string): string | undefined {
  const text = readString(reader, value, path, 100);
  if (text === undefined) return undefined;
  if (!idPattern.test(text)) {
    reader.report(path, `${quote(text)} is not an id (letters, digits, ".", "_" and "-", starting with a letter or digit)`);
    return undefined;
  }
  return text;
}

/** True for `YYYY-MM-DD` or `YYYY-MM` naming a day or month that exists. */
export function isCatalogDate(text: string): boolean {
  const match = datePattern.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (year < 1900 || month < 1 || month > 12) return false;
  if (match[3] === undefined) return true;
  const day = Number(match[3]);
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day >= 1 && day <= lastDay;
}

function readDate(reader: Reader, value: unknown, path: string): string | undefined {
  const text = readString(reader, value, path, 20);
  if (text === undefined) return undefined;
  if (!isCatalogDate(text)) {
    reader.report(path, `${quote(text)} is not a date (YYYY-MM-DD, or YYYY-MM for a month)`);
    return undefined;
  }
  return text;
}

/**
 * Why a SKU pattern cannot be used, or undefined when it can. Patterns match whole SKU names
 * (as if wrapped in `^(?:…)$`, case-insensitive), and are matched by the automaton of
 * `skuPattern.ts`, never by `RegExp`, so no pattern can make matching backtrack; the pattern must
 * be in the syntax it supports. A group repeated with `*`, `+` or `{…}` that itself contains a
 * repetition or an alternation, such as `(a+)+` or `(a|ab)+`, is still refused, as it was when
 * patterns ran on `RegExp`: an overlay written for this version must not hang an older one.
 */
export function skuPatternProblem(pattern: string): string | undefined {
  if (pattern.length > maximumPatternLength) {
    return `the pattern is ${pattern.length} characters long; at most ${maximumPatternLength} are allowed`;
  }
  try {
    new RegExp(`^(?:${pattern})$`, 'i');
  } catch (error) {
    return `${quote(pattern)} is not a valid regular expression (${error instanceof Error ? error.message : String(error)})`;
  }
  if (/\\[1-9]|\\k</.test(pattern)) return `${quote(pattern)} uses a back-reference; SKU patterns may not`;
  if (hasNestedQuantifier(pattern)) {
    return `${quote(pattern)} repeats a group that itself contains a repetition or an alternation (like (a+)+ or (a|ab)+), which can take exponential time; rewrite it without the nesting`;
  }
  const compiled = compileSkuPattern(pattern);
  if (typeof compiled === 'string') return `${quote(pattern)} cannot be used as a SKU pattern: ${compiled}`;
  return undefined;
}

function hasNestedQuantifier(pattern: string): boolean {
  // One flag per open group: whether its body contains a repetition or an alternation.
  const groups: boolean[] = [];
  let inClass = false;
  const markParent = (): void => {
    if (groups.length > 0) groups[groups.length - 1] = true;
  };
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index];
    if (char === '\\') {
      index++;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      continue;
    }
    if (char === '[') {
      inClass = true;
    } else if (char === '(') {
      groups.push(false);
    } else if (char === ')') {
      const riskyInside = groups.pop() ?? false;
      const next = pattern[index + 1];
      const repeated = next === '*' || next === '+' || next === '{';
      if (riskyInside && repeated) return true;
      // A group that is risky inside, or repeated, makes its parent's body risky too.
      if (riskyInside || repeated) markParent();
    } else if (char === '*' || char === '+' || char === '{' || char === '|') {
      markParent();
    }
  }
  return false;
}

/** Reads `sources`, `verified` and `note` into `target`; other keys are the caller's. */
function readSourced(reader: Reader, object: JsonObject, path: string, target: Sourced): void {
  const list = readArray(reader, object.sources, `${path}.sources`);
  const sources: string[] = [];
  if (list) {
    list.forEach((item, index) => {
      const id = readId(reader, item, `${path}.sources[${index}]`);
      if (id !== undefined) sources.push(id);
    });
  }
  target.sources = sources;
  if (object.verified !== undefined) {
    const verified = readBoolean(reader, object.verified, `${path}.verified`);
    if (verified !== undefined) target.verified = verified;
  }
  if (object.note !== undefined) {
    const note = readString(reader, object.note, `${path}.note`);
    if (note !== undefined) target.note = note;
  }
  if (list && list.length === 0 && !(target.verified === false && target.note !== undefined)) {
    reader.report(`${path}.sources`, 'a fact without sources must say "verified": false and explain itself in "note"');
  }
}

const sourcedKeys = ['sources', 'verified', 'note'] as const;

function requireKeys(reader: Reader, object: JsonObject, path: string, keys: readonly string[]): boolean {
  let complete = true;
  for (const key of keys) {
    if (object[key] === undefined) {
      reader.report(path, `missing required property "${key}"`);
      complete = false;
    }
  }
  return complete;
}

function readDatedFact(reader: Reader, value: unknown, path: string): DatedFact | undefined {
  const object = readObject(reader, value, path);
  if (!object) return undefined;
  checkKeys(reader, object, path, ['date', ...sourcedKeys, 'importOverride']);
  if (!requireKeys(reader, object, path, ['date', 'sources'])) return undefined;
  const date = readDate(reader, object.date, `${path}.date`);
  const fact = { date: date ?? '' } as DatedFact;
  readSourced(reader, object, path, fact);
  readImportOverride(reader, object, path, fact);
  return date === undefined ? undefined : fact;
}

/** Reads `importOverride`: why a fact differs from the imported lifecycle data, in words. */
function readImportOverride(reader: Reader, object: JsonObject, path: string, target: DatedFact | ExtendedSupport): void {
  if (object.importOverride === undefined) return;
  const reason = readString(reader, object.importOverride, `${path}.importOverride`);
  if (reason !== undefined) target.importOverride = reason;
}

function readKernel(reader: Reader, value: unknown, path: string): KernelFact | undefined {
  const object = readObject(reader, value, path);
  if (!object) return undefined;
  checkKeys(reader, object, path, ['tuned', 'name', ...sourcedKeys]);
  if (!requireKeys(reader, object, path, ['tuned', 'name', 'sources'])) return undefined;
  const tuned = readBoolean(reader, object.tuned, `${path}.tuned`);
  const name = readString(reader, object.name, `${path}.name`);
  if (tuned === undefined || name === undefined) return undefined;
  const fact = { tuned, name } as KernelFact;
  readSourced(reader, object, path, fact);
  return fact;
}

function readExtendedSupport(reader: Reader, value: unknown, path: string): ExtendedSupport | undefined {
  const object = readObject(reader, value, path);
  if (!object) return undefined;
  checkKeys(reader, object, path, ['name', 'ends', 'includedInAll', ...sourcedKeys, 'importOverride']);
  if (!requireKeys(reader, object, path, ['name', 'ends', 'sources'])) return undefined;
  const name = readString(reader, object.name, `${path}.name`);
  const ends = readDate(reader, object.ends, `${path}.ends`);
  if (name === undefined || ends === undefined) return undefined;
  const fact = { name, ends } as ExtendedSupport;
  if (object.includedInAll !== undefined) {
    const included = readBoolean(reader, object.includedInAll, `${path}.includedInAll`);
    if (included !== undefined) fact.includedInAll = included;
  }
  readSourced(reader, object, path, fact);
  readImportOverride(reader, object, path, fact);
  return fact;
}

function readSource(reader: Reader, value: unknown, path: string): CatalogSource | undefined {
  const object = readObject(reader, value, path);
  if (!object) return undefined;
  checkKeys(reader, object, path, ['title', 'url', 'reference', 'date', 'note']);
  if (!requireKeys(reader, object, path, ['title', 'date'])) return undefined;
  const title = readString(reader, object.title, `${path}.title`);
  const date = readDate(reader, object.date, `${path}.date`);
  if (title === undefined || date === undefined) return undefined;
  const source: CatalogSource = { title, date };
  if (object.url !== undefined) {
    const url = readString(reader, object.url, `${path}.url`);
    if (url !== undefined && !/^https?:\/\/\S+$/.test(url)) reader.report(`${path}.url`, `${quote(url)} is not an http(s) URL`);
    else if (url !== undefined) source.url = url;
  }
  if (object.reference !== undefined) {
    const reference = readString(reader, object.reference, `${path}.reference`);
    if (reference !== undefined) source.reference = reference;
  }
  if (object.note !== undefined) {
    const note = readString(reader, object.note, `${path}.note`);
    if (note !== undefined) source.note = note;
  }
  if (object.url === undefined && object.reference === undefined) {
    reader.report(path, 'a source needs "url" or "reference"');
    return undefined;
  }
  return source;
}

function readSources(reader: Reader, value: unknown, path: string): Record<string, CatalogSource> | undefined {
  const object = readObject(reader, value, path);
  if (!object) return undefined;
  const keys = Object.keys(object);
  if (keys.length > maximumListLength) {
    reader.report(path, `has ${keys.length} sources; at most ${maximumListLength} are allowed`);
    return undefined;
  }
  const entries: [string, CatalogSource][] = [];
  for (const key of keys) {
    const keyPath = `${path}[${quote(key)}]`;
    if (!idPattern.test(key) || key.length > 100) {
      reader.report(
        keyPath,
        `${quote(key)} is not a source id (letters, digits, ".", "_" and "-", starting with a letter or digit)`,
      );
      continue;
    }
    const source = readSource(reader, object[key], keyPath);
    if (source) entries.push([key, source]);
  }
  // fromEntries defines own properties, so an id such as "constructor" cannot reach a prototype.
  return Object.fromEntries(entries);
}

const imageKeys = [
  'publisher',
  'offer',
  'skus',
  'skuPattern',
  'architecture',
  'generation',
  'licensing',
  'variant',
  'includesExtendedSupport',
  'kernel',
  'preview',
  ...sourcedKeys,
];

function readImage(reader: Reader, value: unknown, path: string): CatalogImage | undefined {
  const object = readObject(reader, value, path);
  if (!object) return undefined;
  checkKeys(reader, object, path, imageKeys);
  if (!requireKeys(reader, object, path, ['offer', 'architecture', 'generation', 'licensing', 'variant', 'sources']))
    return undefined;
  const offer = readString(reader, object.offer, `${path}.offer`, 200);
  const facts = readImageFacts(reader, object, path);
  let valid = offer !== undefined && facts !== undefined;
  const image = { ...facts, offer } as CatalogImage;
  if (object.skus !== undefined) {
    const list = readArray(reader, object.skus, `${path}.skus`);
    if (!list) valid = false;
    else if (list.length === 0) reader.report(`${path}.skus`, 'expected at least one SKU');
    else {
      const skus: string[] = [];
      const seen = new Set<string>();
      list.forEach((item, index) => {
        const sku = readString(reader, item, `${path}.skus[${index}]`, 200);
        if (sku === undefined) return;
        if (seen.has(sku.toLowerCase())) reader.report(`${path}.skus[${index}]`, `${quote(sku)} is listed twice`);
        seen.add(sku.toLowerCase());
        skus.push(sku);
      });
      image.skus = skus;
    }
  }
  if (object.skuPattern !== undefined) {
    const pattern = readString(reader, object.skuPattern, `${path}.skuPattern`, Number.MAX_SAFE_INTEGER);
    const problem = pattern === undefined ? undefined : skuPatternProblem(pattern);
    if (problem) reader.report(`${path}.skuPattern`, problem);
    if (pattern === undefined || problem) valid = false;
    else image.skuPattern = pattern;
  }
  if (object.skus === undefined && object.skuPattern === undefined) {
    reader.report(path, 'an image needs "skus" or "skuPattern"');
    valid = false;
  }
  readSourced(reader, object, path, image);
  return valid ? image : undefined;
}

/**
 * What an image and a naming rule both say of the images they describe: the publisher, the
 * architecture, generation, licensing and variant (required), and the optional facts. Undefined
 * when any of them is invalid (each problem is reported).
 */
function readImageFacts(
  reader: Reader,
  object: Record<string, unknown>,
  path: string,
): (ImageFacts & { publisher?: string }) | undefined {
  const architecture = readChoice(reader, object.architecture, `${path}.architecture`, architectures);
  const generation = readChoice(reader, object.generation, `${path}.generation`, generations);
  const licensing = readChoice(reader, object.licensing, `${path}.licensing`, licensings);
  const variant = readVariant(reader, object.variant, `${path}.variant`);
  let valid = architecture !== undefined && generation !== undefined && licensing !== undefined && variant !== undefined;
  const facts = { architecture, generation, licensing, variant } as ImageFacts & { publisher?: string };
  if (object.publisher !== undefined) {
    const publisher = readString(reader, object.publisher, `${path}.publisher`, 200);
    if (publisher === undefined) valid = false;
    else facts.publisher = publisher;
  }
  for (const key of ['includesExtendedSupport', 'preview'] as const) {
    if (object[key] === undefined) continue;
    const flag = readBoolean(reader, object[key], `${path}.${key}`);
    if (flag === undefined) valid = false;
    else facts[key] = flag;
  }
  if (object.kernel !== undefined) {
    const kernel = readKernel(reader, object.kernel, `${path}.kernel`);
    if (kernel) facts.kernel = kernel;
    else valid = false;
  }
  return valid ? facts : undefined;
}

const versionKeys = [
  'id',
  'aliases',
  'name',
  'released',
  'standardSupportEnds',
  'extendedSupport',
  'successors',
  'kernel',
  'images',
];

function readVersion(reader: Reader, value: unknown, path: string, complete: boolean): DistributionVersionOverlay | undefined {
  const object = readObject(reader, value, path);
  if (!object) return undefined;
  checkKeys(reader, object, path, versionKeys);
  if (!requireKeys(reader, object, path, complete ? ['id', 'name', 'images'] : ['id'])) return undefined;
  const id = readId(reader, object.id, `${path}.id`);
  if (id === undefined) return undefined;
  const version: DistributionVersionOverlay = { id };
  let valid = true;
  if (object.aliases !== undefined) {
    const list = readArray(reader, object.aliases, `${path}.aliases`);
    if (!list) valid = false;
    else {
      const aliases: string[] = [];
      list.forEach((item, index) => {
        const alias = readId(reader, item, `${path}.aliases[${index}]`);
        if (alias === undefined) valid = false;
        else aliases.push(alias);
      });
      version.aliases = aliases;
    }
  }
  if (object.name !== undefined) {
    const name = readString(reader, object.name, `${path}.name`, 200);
    if (name === undefined) valid = false;
    else version.name = name;
  }
  const dated = ['released', 'standardSupportEnds'] as const;
  for (const key of dated) {
    if (object[key] === undefined) continue;
    const fact = readDatedFact(reader, object[key], `${path}.${key}`);
    if (fact) version[key] = fact;
    else valid = false;
  }
  if (object.extendedSupport !== undefined) {
    const extended = readExtendedSupport(reader, object.extendedSupport, `${path}.extendedSupport`);
    if (extended) version.extendedSupport = extended;
    else valid = false;
  }
  if (object.successors !== undefined) {
    const list = readArray(reader, object.successors, `${path}.successors`);
    if (!list) valid = false;
    else {
      const successors: string[] = [];
      list.forEach((item, index) => {
        const successor = readId(reader, item, `${path}.successors[${index}]`);
        if (successor === undefined) return;
        if (successor === id) reader.report(`${path}.successors[${index}]`, `a version cannot succeed itself`);
        else successors.push(successor);
      });
      version.successors = successors;
    }
  }
  if (object.kernel !== undefined) {
    const kernel = readKernel(reader, object.kernel, `${path}.kernel`);
    if (kernel) version.kernel = kernel;
    else valid = false;
  }
  if (object.images !== undefined) {
    const read = readEntries(reader, object.images, `${path}.images`, (item, itemPath) => readImage(reader, item, itemPath));
    if (!read?.complete) valid = false;
    if (read) version.images = read.entries;
  }
  return valid ? version : undefined;
}

const distributionKeys = ['id', 'name', 'vendor', 'publishers', 'endorsed', 'kernel', 'versions'];
/** Keys a distribution may have beyond the required ones. */
const optionalDistributionKeys = ['namingRules'];

const namingTokenKeys = [
  'architecture',
  'generation',
  'licensing',
  'variant',
  'includesExtendedSupport',
  'kernel',
  'preview',
  'values',
];

function readNamingToken(reader: Reader, value: unknown, path: string): NamingToken | undefined {
  const object = readObject(reader, value, path);
  if (!object) return undefined;
  checkKeys(reader, object, path, namingTokenKeys);
  const token: NamingToken = {};
  let valid = true;
  if (object.architecture !== undefined) {
    token.architecture = readChoice(reader, object.architecture, `${path}.architecture`, architectures);
    valid &&= token.architecture !== undefined;
  }
  if (object.generation !== undefined) {
    token.generation = readChoice(reader, object.generation, `${path}.generation`, generations);
    valid &&= token.generation !== undefined;
  }
  if (object.licensing !== undefined) {
    token.licensing = readChoice(reader, object.licensing, `${path}.licensing`, licensings);
    valid &&= token.licensing !== undefined;
  }
  if (object.variant !== undefined) {
    token.variant = readVariant(reader, object.variant, `${path}.variant`);
    valid &&= token.variant !== undefined;
  }
  for (const key of ['includesExtendedSupport', 'preview'] as const) {
    if (object[key] === undefined) continue;
    token[key] = readBoolean(reader, object[key], `${path}.${key}`);
    valid &&= token[key] !== undefined;
  }
  if (object.kernel !== undefined) {
    token.kernel = readKernel(reader, object.kernel, `${path}.kernel`);
    valid &&= token.kernel !== undefined;
  }
  if (object.values !== undefined) {
    const values = readObject(reader, object.values, `${path}.values`);
    if (!values) valid = false;
    else {
      const entries: [string, string][] = [];
      for (const [name, item] of Object.entries(values)) {
        if (!/^[a-z]+$/.test(name)) {
          reader.report(`${path}.values`, `${quote(name)} is not a placeholder name (lower-case letters)`);
          valid = false;
          continue;
        }
        const text = readString(reader, item, `${path}.values.${name}`, 100);
        if (text === undefined) valid = false;
        else entries.push([name, text]);
      }
      token.values = Object.fromEntries(entries);
    }
  }
  return valid ? token : undefined;
}

function readVariant(reader: Reader, value: unknown, path: string): string | undefined {
  const variant = readString(reader, value, path, 100);
  if (variant !== undefined && !variantPattern.test(variant)) {
    reader.report(path, `${quote(variant)} is not a lower-case, dash-separated variant name`);
    return undefined;
  }
  return variant;
}

const namingRuleKeys = [
  'id',
  'publisher',
  'offer',
  'skus',
  'version',
  'release',
  'architecture',
  'generation',
  'licensing',
  'variant',
  'includesExtendedSupport',
  'kernel',
  'preview',
  'tokens',
  ...sourcedKeys,
];

function readTemplate(reader: Reader, value: unknown, path: string): Set<string> | undefined {
  const text = readString(reader, value, path, Number.MAX_SAFE_INTEGER);
  if (text === undefined) return undefined;
  const template = compileTemplate(text);
  if (typeof template === 'string') {
    reader.report(path, `${quote(text)} is not a naming template: ${template}`);
    return undefined;
  }
  return capturesOf(template);
}

function readNamingRule(reader: Reader, value: unknown, path: string): NamingRule | undefined {
  const object = readObject(reader, value, path);
  if (!object) return undefined;
  checkKeys(reader, object, path, namingRuleKeys);
  const required = ['id', 'offer', 'skus', 'version', 'architecture', 'generation', 'licensing', 'variant', 'sources'];
  if (!requireKeys(reader, object, path, required)) return undefined;
  const id = readId(reader, object.id, `${path}.id`);
  const captures = new Set<string>();
  const offerCaptures = readTemplate(reader, object.offer, `${path}.offer`);
  offerCaptures?.forEach((name) => captures.add(name));
  let valid = id !== undefined && offerCaptures !== undefined;
  const skus: string[] = [];
  const list = readArray(reader, object.skus, `${path}.skus`);
  if (!list || list.length === 0) {
    if (list) reader.report(`${path}.skus`, 'expected at least one SKU template');
    valid = false;
  } else {
    list.forEach((item, index) => {
      const skuCaptures = readTemplate(reader, item, `${path}.skus[${index}]`);
      if (!skuCaptures) valid = false;
      else {
        skuCaptures.forEach((name) => captures.add(name));
        skus.push(item as string);
      }
    });
  }
  const facts = readImageFacts(reader, object, path);
  valid &&= facts !== undefined;
  const rule = { ...facts, id, offer: object.offer, skus } as NamingRule;
  if (object.tokens !== undefined) {
    const tokens = readObject(reader, object.tokens, `${path}.tokens`);
    if (!tokens) valid = false;
    else {
      const entries: [string, NamingToken][] = [];
      for (const [word, item] of Object.entries(tokens)) {
        const token = readNamingToken(reader, item, `${path}.tokens[${quote(word)}]`);
        if (!token) valid = false;
        else {
          entries.push([word.toLowerCase(), token]);
          Object.keys(token.values ?? {}).forEach((name) => captures.add(name));
        }
      }
      rule.tokens = Object.fromEntries(entries);
    }
  }
  // Placeholders are checked against the captures only when every template could be read.
  const templatesRead = valid;
  for (const key of ['version', 'release'] as const) {
    if (object[key] === undefined) continue;
    const text = readString(reader, object[key], `${path}.${key}`, 200);
    if (text === undefined) {
      valid = false;
      continue;
    }
    for (const [, name] of text.matchAll(/\{([a-z]+)\}/g)) {
      if (templatesRead && !captures.has(name)) {
        reader.report(`${path}.${key}`, `{${name}} is neither captured by a template nor set by a token's values`);
        valid = false;
      }
    }
    rule[key] = text;
  }
  readSourced(reader, object, path, rule);
  return valid ? rule : undefined;
}

function readDistribution(reader: Reader, value: unknown, path: string, complete: boolean): DistributionOverlay | undefined {
  const object = readObject(reader, value, path);
  if (!object) return undefined;
  checkKeys(reader, object, path, [...distributionKeys, ...optionalDistributionKeys]);
  const required = complete ? distributionKeys : ['id'];
  if (!requireKeys(reader, object, path, required)) return undefined;
  const id = readId(reader, object.id, `${path}.id`);
  if (id === undefined) return undefined;
  const distribution: DistributionOverlay = { id };
  let valid = true;
  for (const key of ['name', 'vendor'] as const) {
    if (object[key] === undefined) continue;
    const text = readString(reader, object[key], `${path}.${key}`, 200);
    if (text === undefined) valid = false;
    else distribution[key] = text;
  }
  if (object.publishers !== undefined) {
    const list = readArray(reader, object.publishers, `${path}.publishers`);
    if (!list || list.length === 0) {
      if (list) reader.report(`${path}.publishers`, 'expected at least one publisher');
      valid = false;
    } else {
      const publishers: string[] = [];
      list.forEach((item, index) => {
        const publisher = readString(reader, item, `${path}.publishers[${index}]`, 200);
        if (publisher === undefined) valid = false;
        else publishers.push(publisher);
      });
      distribution.publishers = publishers;
    }
  }
  if (object.endorsed !== undefined) {
    const endorsedPath = `${path}.endorsed`;
    const endorsed = readObject(reader, object.endorsed, endorsedPath);
    if (!endorsed) valid = false;
    else {
      checkKeys(reader, endorsed, endorsedPath, ['value', ...sourcedKeys]);
      if (!requireKeys(reader, endorsed, endorsedPath, ['value', 'sources'])) valid = false;
      else {
        const endorsedValue = readBoolean(reader, endorsed.value, `${endorsedPath}.value`);
        const fact = { value: endorsedValue ?? false } as Sourced & { value: boolean };
        readSourced(reader, endorsed, endorsedPath, fact);
        if (endorsedValue === undefined) valid = false;
        else distribution.endorsed = fact;
      }
    }
  }
  if (object.kernel !== undefined) {
    const kernel = readKernel(reader, object.kernel, `${path}.kernel`);
    if (kernel) distribution.kernel = kernel;
    else valid = false;
  }
  if (object.versions !== undefined) {
    const read = readEntries(reader, object.versions, `${path}.versions`, (item, itemPath) =>
      readVersion(reader, item, itemPath, complete),
    );
    if (!read?.complete) valid = false;
    if (read) distribution.versions = read.entries;
  }
  if (object.namingRules !== undefined) {
    const read = readEntries(reader, object.namingRules, `${path}.namingRules`, (item, itemPath) =>
      readNamingRule(reader, item, itemPath),
    );
    if (!read?.complete) valid = false;
    if (read) distribution.namingRules = read.entries;
  }
  return valid ? distribution : undefined;
}

function readOtherPublisher(reader: Reader, value: unknown, path: string): OtherPublisher | undefined {
  const object = readObject(reader, value, path);
  if (!object) return undefined;
  checkKeys(reader, object, path, ['publisher', 'name', ...sourcedKeys]);
  if (!requireKeys(reader, object, path, ['publisher', 'name', 'sources'])) return undefined;
  const publisher = readString(reader, object.publisher, `${path}.publisher`, 200);
  const name = readString(reader, object.name, `${path}.name`, 200);
  if (publisher === undefined || name === undefined) return undefined;
  const other = { publisher, name } as OtherPublisher;
  readSourced(reader, object, path, other);
  return other;
}

/** Reads a whole document; `undefined` when anything in it was unusable. */
function readDocument(reader: Reader, json: unknown): CatalogOverlay | undefined {
  const root = readObject(reader, json, '$');
  if (!root) return undefined;
  const overlay = reader.mode === 'overlay';
  checkKeys(reader, root, '$', ['$schema', 'overlay', 'asOf', 'sources', 'distributions', 'otherPublishers']);
  if (!overlay && root.overlay !== undefined) {
    reader.report('$.overlay', 'this file is a catalog overlay; it can only be merged over a catalog');
    return undefined;
  }
  if (!overlay && !requireKeys(reader, root, '$', ['asOf', 'sources', 'distributions', 'otherPublishers'])) return undefined;
  let valid = true;
  const document: CatalogOverlay = {};
  if (root.$schema !== undefined && readString(reader, root.$schema, '$.$schema') === undefined) valid = false;
  if (root.overlay !== undefined && root.overlay !== true) {
    reader.report('$.overlay', `expected true, found ${describe(root.overlay)}`);
    valid = false;
  }
  if (root.asOf !== undefined) {
    const asOf = readDate(reader, root.asOf, '$.asOf');
    if (asOf === undefined) valid = false;
    else document.asOf = asOf;
  }
  if (root.sources !== undefined) {
    const sources = readSources(reader, root.sources, '$.sources');
    if (!sources || Object.keys(sources).length !== Object.keys(root.sources as object).length) valid = false;
    if (sources) document.sources = sources;
  }
  if (root.distributions !== undefined) {
    const list = readArray(reader, root.distributions, '$.distributions');
    if (!list) valid = false;
    else {
      const distributions: DistributionOverlay[] = [];
      list.forEach((item, index) => {
        if (reader.tooLarge) return;
        const distribution = readDistribution(reader, item, `$.distributions[${index}]`, !overlay);
        if (distribution) distributions.push(distribution);
        else valid = false;
      });
      document.distributions = distributions;
    }
  }
  if (root.otherPublishers !== undefined) {
    const list = readArray(reader, root.otherPublishers, '$.otherPublishers');
    if (!list) valid = false;
    else {
      const others: OtherPublisher[] = [];
      list.forEach((item, index) => {
        if (reader.tooLarge) return;
        const other = readOtherPublisher(reader, item, `$.otherPublishers[${index}]`);
        if (other) others.push(other);
        else valid = false;
      });
      document.otherPublishers = others;
    }
  }
  return valid && !reader.tooLarge ? document : undefined;
}

/**
 * Checks what spans the document: unique ids, source ids and successor ids that exist (in the
 * document or in the catalog it goes over), new distributions and versions that are complete, and
 * SKUs that two image groups of the same publisher and offer both claim.
 */
function checkReferences(reader: Reader, document: CatalogOverlay, base: KnownIds | undefined): void {
  const sourceIds = new Set([...(base?.sources ?? []), ...Object.keys(document.sources ?? {})]);
  const versionIds = new Set(base?.versions ?? []);
  const distributionPaths = new Map<string, string>();
  const versionPaths = new Map<string, string>();
  (document.distributions ?? []).forEach((distribution, distributionIndex) => {
    const distributionPath = `$.distributions[${distributionIndex}]`;
    const first = distributionPaths.get(distribution.id);
    if (first) reader.report(`${distributionPath}.id`, `duplicate distribution id ${quote(distribution.id)} (first at ${first})`);
    distributionPaths.set(distribution.id, distributionPath);
    const isNew = base !== undefined && !base.distributions.has(distribution.id);
    if (isNew) {
      for (const key of distributionKeys) {
        if (distribution[key as keyof DistributionOverlay] === undefined) {
          reader.report(
            distributionPath,
            `missing required property "${key}" (the distribution is new, not in the catalog it is merged over)`,
          );
        }
      }
    }
    const knownVersions = base?.versionsByDistribution.get(distribution.id);
    (distribution.versions ?? []).forEach((version, versionIndex) => {
      const versionPath = `${distributionPath}.versions[${versionIndex}]`;
      const firstVersion = versionPaths.get(version.id);
      if (firstVersion)
        reader.report(`${versionPath}.id`, `duplicate version id ${quote(version.id)} (first at ${firstVersion})`);
      versionPaths.set(version.id, versionPath);
      versionIds.add(version.id);
      if (base !== undefined && !(knownVersions?.has(version.id) ?? false)) {
        if (base.versions.has(version.id)) {
          reader.report(
            `${versionPath}.id`,
            `version id ${quote(version.id)} belongs to another distribution in the catalog it is merged over`,
          );
        }
        for (const key of ['name', 'images'] as const) {
          if (version[key] === undefined) {
            reader.report(
              versionPath,
              `missing required property "${key}" (the version is new, not in the catalog it is merged over)`,
            );
          }
        }
      }
    });
  });

  const checkSources = (fact: Sourced | undefined, path: string): void => {
    fact?.sources.forEach((id, index) => {
      if (!sourceIds.has(id)) reader.report(`${path}.sources[${index}]`, `unknown source ${quote(id)}; add it to $.sources`);
    });
  };
  (document.distributions ?? []).forEach((distribution, distributionIndex) => {
    const distributionPath = `$.distributions[${distributionIndex}]`;
    checkSources(distribution.endorsed, `${distributionPath}.endorsed`);
    checkSources(distribution.kernel, `${distributionPath}.kernel`);
    (distribution.versions ?? []).forEach((version, versionIndex) => {
      const versionPath = `${distributionPath}.versions[${versionIndex}]`;
      checkSources(version.released, `${versionPath}.released`);
      checkSources(version.standardSupportEnds, `${versionPath}.standardSupportEnds`);
      checkSources(version.extendedSupport, `${versionPath}.extendedSupport`);
      checkSources(version.kernel, `${versionPath}.kernel`);
      (version.successors ?? []).forEach((successor, index) => {
        if (!versionIds.has(successor)) {
          reader.report(
            `${versionPath}.successors[${index}]`,
            `successor ${quote(successor)} is not a version id in the catalog`,
          );
        }
      });
      (version.images ?? []).forEach((image, imageIndex) => {
        checkSources(image, `${versionPath}.images[${imageIndex}]`);
        checkSources(image.kernel, `${versionPath}.images[${imageIndex}].kernel`);
      });
    });
  });
  const rulePaths = new Map<string, string>();
  (document.distributions ?? []).forEach((distribution, distributionIndex) => {
    (distribution.namingRules ?? []).forEach((rule, ruleIndex) => {
      const rulePath = `$.distributions[${distributionIndex}].namingRules[${ruleIndex}]`;
      const first = rulePaths.get(rule.id);
      if (first) reader.report(`${rulePath}.id`, `duplicate naming rule id ${quote(rule.id)} (first at ${first})`);
      rulePaths.set(rule.id, rulePath);
      checkSources(rule, rulePath);
      checkSources(rule.kernel, `${rulePath}.kernel`);
      for (const [word, token] of Object.entries(rule.tokens ?? {})) {
        checkSources(token.kernel, `${rulePath}.tokens[${quote(word)}].kernel`);
      }
    });
  });
  (document.otherPublishers ?? []).forEach((other, index) => checkSources(other, `$.otherPublishers[${index}]`));
  checkSkuClaims(reader, document);
}

/** Reports a SKU that two image groups of the same publisher and offer both match. */
function checkSkuClaims(reader: Reader, document: CatalogOverlay): void {
  interface Claim {
    path: string;
    skus: string[];
    pattern?: SkuMatcher;
  }
  const claimsByOffer = new Map<string, Claim[]>();
  (document.distributions ?? []).forEach((distribution, distributionIndex) => {
    (distribution.versions ?? []).forEach((version, versionIndex) => {
      (version.images ?? []).forEach((image, imageIndex) => {
        const publisher = image.publisher ?? distribution.publishers?.[0] ?? '';
        const key = `${publisher}/${image.offer}`.toLowerCase();
        const claims = claimsByOffer.get(key) ?? [];
        claims.push({
          path: `$.distributions[${distributionIndex}].versions[${versionIndex}].images[${imageIndex}]`,
          skus: image.skus ?? [],
          pattern: image.skuPattern === undefined ? undefined : skuMatcherOf(image.skuPattern),
        });
        claimsByOffer.set(key, claims);
      });
    });
  });
  for (const [offer, claims] of claimsByOffer) {
    // Bounded: claims of one offer are few in practice; refuse to compare very large groups.
    if (claims.length > 500) continue;
    const owners = new Map<string, string>();
    for (const claim of claims) {
      for (const sku of claim.skus) {
        const skuKey = sku.toLowerCase();
        const owner = owners.get(skuKey);
        if (owner && owner !== claim.path) reader.report(claim.path, `SKU ${quote(sku)} of ${offer} is also listed by ${owner}`);
        owners.set(skuKey, claim.path);
        for (const other of claims) {
          if (other !== claim && other.pattern?.test(sku)) {
            reader.report(claim.path, `SKU ${quote(sku)} of ${offer} also matches the skuPattern of ${other.path}`);
          }
        }
      }
    }
  }
}

function knownIdsOf(catalog: Catalog): KnownIds {
  const known: KnownIds = {
    sources: new Set(Object.keys(catalog.sources)),
    versions: new Set(),
    distributions: new Set(),
    versionsByDistribution: new Map(),
  };
  for (const distribution of catalog.distributions) {
    known.distributions.add(distribution.id);
    const versions = new Set(distribution.versions.map((version) => version.id));
    known.versionsByDistribution.set(distribution.id, versions);
    for (const id of versions) known.versions.add(id);
  }
  return known;
}

function guarded<T>(file: string, work: () => T, fallback: (problem: CatalogProblem) => T): T {
  try {
    return work();
  } catch (error) {
    // Only an exotic input (a throwing getter or proxy, not JSON) can get here.
    return fallback({
      file,
      message: `$: the document could not be read (${error instanceof Error ? error.message : String(error)})`,
    });
  }
}

/**
 * Reads a complete catalog document (such as the bundled one). The catalog is returned only when
 * the document has no problem at all; otherwise the problems say what to fix.
 */
export function parseCatalog(json: unknown, fileName: string): { catalog?: Catalog; problems: CatalogProblem[] } {
  return guarded(
    fileName,
    () => {
      const reader = new Reader(fileName, 'catalog');
      const document = readDocument(reader, json);
      if (document) checkReferences(reader, document, undefined);
      const problems = reader.finish();
      return problems.length === 0 && document ? { catalog: document as Catalog, problems } : { problems };
    },
    (problem) => ({ problems: [problem] }),
  );
}

/**
 * Reads a catalog overlay: the same shape as a catalog, with only ids required for distributions
 * and versions that `base` already has. With `base`, source and successor ids are checked against
 * the overlay and the base together, and new distributions and versions must be complete.
 */
export function parseCatalogOverlay(
  json: unknown,
  fileName: string,
  base?: Catalog,
): { overlay?: CatalogOverlay; problems: CatalogProblem[] } {
  return guarded(
    fileName,
    () => {
      const reader = new Reader(fileName, 'overlay');
      const document = readDocument(reader, json);
      if (document && base) checkReferences(reader, document, knownIdsOf(base));
      const problems = reader.finish();
      return problems.length === 0 && document ? { overlay: document, problems } : { problems };
    },
    (problem) => ({ problems: [problem] }),
  );
}

/**
 * Reads a user's catalog file and merges it over `base`. On any problem the base catalog is
 * returned unchanged, with the problems.
 */
export function applyCatalogOverlay(
  base: Catalog,
  json: unknown,
  fileName: string,
): { catalog: Catalog; problems: CatalogProblem[] } {
  const { overlay, problems } = parseCatalogOverlay(json, fileName, base);
  return overlay ? { catalog: mergeCatalogs(base, overlay), problems } : { catalog: base, problems };
}

function imageKey(publisher: string, image: CatalogImage): string {
  return `${publisher}/${image.offer}`.toLowerCase();
}

/**
 * Merges an overlay over a base catalog without changing either. Distributions are matched by id,
 * versions by id within their distribution; the fields an overlay gives replace the base's, new
 * distributions and versions are appended. An overlay image takes over the SKUs it lists from the
 * base images of the same publisher and offer (anywhere in the catalog), and replaces a base image
 * of that offer with the same `skuPattern`; it takes the place of the first image it replaces, or
 * is appended to its version. Sources merge by id, other publishers by name (case-insensitive),
 * and `asOf` is the overlay's when it gives one.
 */
export function mergeCatalogs(base: Catalog, overlay: CatalogOverlay): Catalog {
  const overlayImages: { publisher: string; image: CatalogImage }[] = [];
  for (const distribution of overlay.distributions ?? []) {
    const baseDistribution = base.distributions.find((candidate) => candidate.id === distribution.id);
    const publishers = distribution.publishers ?? baseDistribution?.publishers ?? [];
    for (const version of distribution.versions ?? []) {
      for (const image of version.images ?? []) overlayImages.push({ publisher: image.publisher ?? publishers[0] ?? '', image });
    }
  }
  const takenSkus = new Map<string, Set<string>>();
  const takenPatterns = new Map<string, Set<string>>();
  for (const { publisher, image } of overlayImages) {
    const key = imageKey(publisher, image);
    const skus = takenSkus.get(key) ?? new Set<string>();
    for (const sku of image.skus ?? []) skus.add(sku.toLowerCase());
    takenSkus.set(key, skus);
    if (image.skuPattern !== undefined) {
      const patterns = takenPatterns.get(key) ?? new Set<string>();
      patterns.add(image.skuPattern);
      takenPatterns.set(key, patterns);
    }
  }

  /** The base image with the overlay's SKUs removed, or undefined when nothing is left of it. */
  const remainderOf = (publisher: string, image: CatalogImage): CatalogImage | undefined => {
    const key = imageKey(publisher, image);
    if (image.skuPattern !== undefined && takenPatterns.get(key)?.has(image.skuPattern)) return undefined;
    const taken = takenSkus.get(key);
    if (!taken || !image.skus) return image;
    const skus = image.skus.filter((sku) => !taken.has(sku.toLowerCase()));
    if (skus.length === image.skus.length) return image;
    if (skus.length === 0 && image.skuPattern === undefined) return undefined;
    const rest = { ...image };
    if (skus.length > 0) rest.skus = skus;
    else delete rest.skus;
    return rest;
  };

  const mergeImages = (publishers: string[], baseImages: CatalogImage[], added: CatalogImage[]): CatalogImage[] => {
    const result: CatalogImage[] = [];
    const pending = [...added];
    for (const image of baseImages) {
      const publisher = image.publisher ?? publishers[0] ?? '';
      const rest = remainderOf(publisher, image);
      if (rest !== image) {
        // The first overlay image of the same offer takes the replaced image's place.
        const index = pending.findIndex(
          (candidate) => imageKey(candidate.publisher ?? publishers[0] ?? '', candidate) === imageKey(publisher, image),
        );
        if (index >= 0) result.push(...pending.splice(index, 1));
      }
      if (rest) result.push(rest);
    }
    return [...result, ...pending];
  };

  const overlayDistributions = new Map((overlay.distributions ?? []).map((distribution) => [distribution.id, distribution]));
  const distributions: Distribution[] = base.distributions.map((baseDistribution) => {
    const changes = overlayDistributions.get(baseDistribution.id);
    const publishers = changes?.publishers ?? baseDistribution.publishers;
    const overlayVersions = new Map((changes?.versions ?? []).map((version) => [version.id, version]));
    const versions = baseDistribution.versions.map((baseVersion) => {
      const versionChanges = overlayVersions.get(baseVersion.id);
      const merged: DistributionVersion = { ...baseVersion, ...definedFields(versionChanges ?? { id: baseVersion.id }) };
      merged.images = mergeImages(publishers, baseVersion.images, versionChanges?.images ?? []);
      return merged;
    });
    for (const version of changes?.versions ?? []) {
      if (!baseDistribution.versions.some((candidate) => candidate.id === version.id)) {
        versions.push({ ...version, images: mergeImages(publishers, [], version.images ?? []) } as DistributionVersion);
      }
    }
    const namingRules = mergeNamingRules(baseDistribution.namingRules, changes?.namingRules);
    const merged: Distribution = {
      ...baseDistribution,
      ...definedFields(changes ?? { id: baseDistribution.id }),
      publishers,
      versions,
    };
    if (namingRules) merged.namingRules = namingRules;
    return merged;
  });
  for (const distribution of overlay.distributions ?? []) {
    if (!base.distributions.some((candidate) => candidate.id === distribution.id)) {
      distributions.push({ ...distribution, versions: [...(distribution.versions ?? [])] } as Distribution);
    }
  }

  const otherPublishers = [...base.otherPublishers];
  for (const other of overlay.otherPublishers ?? []) {
    const index = otherPublishers.findIndex((candidate) => candidate.publisher.toLowerCase() === other.publisher.toLowerCase());
    if (index >= 0) otherPublishers[index] = other;
    else otherPublishers.push(other);
  }

  return {
    asOf: overlay.asOf ?? base.asOf,
    sources: Object.fromEntries([...Object.entries(base.sources), ...Object.entries(overlay.sources ?? {})]),
    distributions,
    otherPublishers,
  };
}

/** Naming rules merged by id: an overlay rule replaces the base rule with its id, or is added. */
function mergeNamingRules(base: NamingRule[] | undefined, added: NamingRule[] | undefined): NamingRule[] | undefined {
  if (!added) return base;
  const replaced = new Set(added.map((rule) => rule.id));
  return [...(base ?? []).filter((rule) => !replaced.has(rule.id)), ...added];
}

/** The fields of an overlay entry that are set, without its nested lists (merged separately). */
function definedFields<T extends object>(entry: T): Partial<T> {
  const fields: Partial<T> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (value !== undefined && key !== 'versions' && key !== 'images' && key !== 'namingRules')
      (fields as Record<string, unknown>)[key] = value;
  }
  return fields;
}
