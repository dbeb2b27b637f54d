/**
 * Completion of image names: publishers, the offers of the chosen publisher, the SKUs of the
 * chosen offer and `latest` for the version. It works inside image objects (the field comes from
 * the property name before the cursor) and in the literals that feed them (a parameter default,
 * an allowed value, a variable). Half-typed text rarely parses, so the cursor's surroundings are
 * read from the raw text; the reader's sites only add what they know about the other fields
 * (`completionsAt` reads them; `completionsOfSites` takes those of an analysis already made).
 * Endorsed, supported images sort first; ended ones are marked deprecated.
 */
import { literal, readDocument } from './analyze';
import type { Catalog } from './catalog/catalogTypes';
import { supportStatus } from './catalog/lifecycle';
import { type CatalogEntry, entriesOf, knownPublishers, matchImage, offersOf, skusOf } from './catalog/matchImage';
import { describeImage, imageValuesAt, type ImageInfoSettings } from './hover';
import { imageLocations } from './imageLocations';
import {
  type FileHost,
  type ImageField,
  imageFields,
  type ImageNames,
  type ImageSite,
  type LiteralSyntax,
  type OffsetRange,
} from './model';

/** One completion proposal, in no protocol's terms; the server maps it to LSP. */
export interface ImageCompletion {
  label: string;
  kind: ImageField;
  detail?: string;
  /** Markdown: the hover text of the image the proposal names. */
  documentation?: string;
  sortText: string;
  deprecated: boolean;
  /** The text to replace: the whole literal under the cursor, or what was typed of it. */
  range: OffsetRange;
  /** The replacement, quoted for the file's syntax. */
  insertText: string;
  /** What the editor filters on: the insert text when the range starts at a quote. */
  filterText: string;
}

/** The literal (or the start of one) under the cursor, read from the raw text. */
interface CursorValue {
  /** The range to replace. */
  range: OffsetRange;
  /** True when the range starts at an opening quote. */
  quoted: boolean;
  /** The property name the value belongs to, when it is a property value. */
  property?: string;
}

/** The property names that hold each field, from the table of image locations, lower-cased. */
const fieldsByProperty: ReadonlyMap<string, ImageField> = (() => {
  const map = new Map<string, ImageField>();
  for (const location of imageLocations) {
    for (const [field, property] of Object.entries(location.fields)) {
      if (property) map.set(property.toLowerCase(), field as ImageField);
    }
  }
  return map;
})();

/** Completion proposals at an offset; empty when the cursor is on no image value. */
export function completionsAt(
  file: string,
  text: string,
  offset: number,
  host: FileHost,
  settings: ImageInfoSettings,
  proposals: ImageProposals = new ImageProposals(settings.catalog, settings.asOf),
): ImageCompletion[] {
  return completionsOfSites(file, text, offset, () => readDocument(file, text, host, settings).sites, settings, proposals);
}

/**
 * Completion proposals at an offset, with the sites of a read of this very text (`sitesOf` is
 * asked only when the cursor is on a value): what the language server answers from its latest
 * analysis, without reading the document again.
 */
export function completionsOfSites(
  file: string,
  text: string,
  offset: number,
  sitesOf: () => readonly ImageSite[],
  settings: Pick<ImageInfoSettings, 'catalog' | 'asOf'>,
  proposals: ImageProposals = new ImageProposals(settings.catalog, settings.asOf),
): ImageCompletion[] {
  const query = completionQuery(file, text, offset, () => completionSitesAt(sitesOf(), file, offset));
  return query ? completionsOfQuery(query, proposals) : [];
}

/**
 * What completion at an offset asks of the catalog: the field under the cursor, the names of the
 * other fields it is completed with, and the text the proposals replace. Everything that depends
 * on the document and its sites, and nothing that depends on the catalog: small, so that the
 * analysis worker sends it to the server's thread instead of the proposals themselves.
 */
export interface CompletionQuery {
  field: ImageField;
  /**
   * The names the proposals are chosen with, reduced to what the field's proposals read: the
   * distinct publishers for an offer, the distinct publisher and offer pairs for a SKU, none for
   * a publisher or a version.
   */
  known: ImageNames[];
  /** The text to replace, and whether it starts at an opening quote. */
  range: OffsetRange;
  quoted: boolean;
  syntax: LiteralSyntax;
}

/**
 * What the sites of a read say about a cursor inside a literal (`completionSitesAt`): the field
 * whose definition the literal is, and for each field the cursor may be completing (the literal's
 * own, or the one its property names) the names of the other fields its proposals read
 * (`CompletionQuery.known`); a field whose candidates name no other field is absent, and is
 * completed with the names written around the cursor instead.
 */
export interface CompletionSites {
  field?: ImageField;
  known: Partial<Record<ImageField, ImageNames[]>>;
}

/** What the sites say at an offset for completion; undefined when no image value holds it. */
export function completionSitesAt(sites: readonly ImageSite[], file: string, offset: number): CompletionSites | undefined {
  const found = imageValuesAt(sites, file, offset, 'inside');
  if (!found) return undefined;
  const known: CompletionSites['known'] = {};
  for (const field of imageFields) {
    const names = found.candidates.map((candidate) => {
      const names: ImageNames = {};
      for (const name of ['publisher', 'offer', 'sku'] as const) {
        if (name !== field && candidate[name]) names[name] = candidate[name]?.value;
      }
      return names;
    });
    if (names.some((named) => Object.keys(named).length > 0)) known[field] = knownFor(field, names);
  }
  return { field: found.field, known };
}

/**
 * The completion query at an offset, with what the sites say there (`sitesAt` is asked only when
 * the cursor is on a value).
 */
export function completionQuery(
  file: string,
  text: string,
  offset: number,
  sitesAt: () => CompletionSites | undefined,
): CompletionQuery | undefined {
  const syntax = completionSyntaxOf(file);
  const cursor = cursorValueAt(text, offset, syntax);
  if (!cursor) return undefined;
  let field = cursor.property ? fieldsByProperty.get(cursor.property.toLowerCase()) : undefined;
  // The reader knows which literals feed which field, and the values of the other fields.
  let found: CompletionSites | undefined;
  try {
    found = sitesAt();
  } catch {
    // A reader that throws on half-typed text must not cost the user the textual completion.
  }
  field ??= found?.field;
  if (!field) return undefined;
  const known = found?.known[field] ?? knownFor(field, [siblingValues(text, offset, syntax)]);
  return { field, known, range: cursor.range, quoted: cursor.quoted, syntax };
}

/** Whether the cursor of a completion at an offset is on a value at all: when not, there is nothing to propose. */
export function completesAt(file: string, text: string, offset: number): boolean {
  return cursorValueAt(text, offset, completionSyntaxOf(file)) !== undefined;
}

/** The completion items of a query, from the catalog's proposals. */
export function completionsOfQuery(query: CompletionQuery, proposals: ImageProposals): ImageCompletion[] {
  return proposals.proposalsFor(query.field, query.known).map((proposal, index) => {
    const insertText = literal(proposal.value, query.syntax);
    return {
      label: proposal.value,
      kind: query.field,
      detail: proposal.detail,
      documentation: proposal.documentation,
      sortText: `${proposal.rank}${String(index).padStart(5, '0')}`,
      deprecated: proposal.deprecated,
      range: query.range,
      insertText,
      filterText: query.quoted ? insertText : proposal.value,
    };
  });
}

function completionSyntaxOf(file: string): LiteralSyntax {
  return /\.bicep(param)?$/i.test(file) ? 'bicep' : 'json';
}

/** The names the proposals of a field read (`CompletionQuery.known`), in the order they read them. */
function knownFor(field: ImageField, known: readonly ImageNames[]): ImageNames[] {
  switch (field) {
    case 'offer':
      return uniqueValues(known.map((names) => names.publisher)).map((publisher) => ({ publisher }));
    case 'sku':
      return [...skuPairs(known).values()];
    case 'publisher':
    case 'version':
      return [];
  }
}

/** The most proposal lists an `ImageProposals` keeps; past it, it starts again. */
const maximumKeptProposalLists = 64;

/**
 * The proposals the catalog makes for each query, as of one day: the same for every document and
 * every keystroke, and each made with the hover text of every image it proposes, so each list is
 * made once. One per catalog and day, kept by whoever keeps the catalog (the language server, the
 * analysis worker); bounded.
 */
export class ImageProposals {
  private readonly lists = new Map<string, readonly Proposal[]>();

  constructor(
    readonly catalog: Catalog,
    readonly asOf: string,
  ) {}

  /** The proposals for a field with the names of the others (as `knownFor` reduces them), best first. */
  proposalsFor(field: ImageField, known: readonly ImageNames[]): readonly Proposal[] {
    const key = `${field}\n${JSON.stringify(known)}`;
    let list = this.lists.get(key);
    if (!list) {
      if (this.lists.size >= maximumKeptProposalLists) this.lists.clear();
      list = proposalsFor(field, known, this.catalog, this.asOf);
      this.lists.set(key, list);
    }
    return list;
  }
}

interface Proposal {
  value: string;
  detail?: string;
  documentation?: string;
  /** The release date of the SKU's version, for ordering newest first. */
  released?: string;
  /** 0 endorsed and supported, 1 other Linux, 2 not Linux, 3 ended. */
  rank: number;
  deprecated: boolean;
}

function proposalsFor(field: ImageField, known: readonly ImageNames[], catalog: Catalog, asOf: string): Proposal[] {
  switch (field) {
    case 'publisher':
      return publisherProposals(catalog, asOf);
    case 'offer':
      return offerProposals(catalog, known, asOf);
    case 'sku':
      return skuProposals(catalog, known, asOf);
    case 'version':
      return [{ value: 'latest', detail: 'The newest version of the SKU at deployment time', rank: 0, deprecated: false }];
  }
}

function publisherProposals(catalog: Catalog, asOf: string): Proposal[] {
  const proposals: Proposal[] = [];
  for (const publisher of knownPublishers(catalog)) {
    const match = matchImage(catalog, { publisher });
    if (match.kind === 'other') {
      proposals.push({
        value: publisher,
        detail: `${match.publisher.name} (not Linux)`,
        documentation: describeImage(catalog, { publisher }, asOf),
        rank: 2,
        deprecated: false,
      });
    } else if (match.kind === 'partial') {
      const endorsed = match.distributions.some((distribution) => distribution.endorsed.value);
      const offers = offersOf(catalog, publisher);
      const entries = offers.flatMap((offer) => entriesOf(catalog, publisher, offer));
      const ended = entries.length > 0 && entries.every((entry) => supportStatus(entry, asOf) === 'ended');
      proposals.push({
        value: publisher,
        detail: `${match.distributions.map((distribution) => distribution.name).join(', ')}${endorsed ? '' : ' (not endorsed)'}`,
        rank: ended ? 3 : endorsed ? 0 : 1,
        deprecated: ended,
      });
    }
  }
  return stableSort(proposals);
}

function offerProposals(catalog: Catalog, known: readonly ImageNames[], asOf: string): Proposal[] {
  const publishers = uniqueValues(known.map((names) => names.publisher));
  const from = publishers.length
    ? publishers
    : knownPublishers(catalog).filter((publisher) => matchImage(catalog, { publisher }).kind === 'partial');
  const proposals: Proposal[] = [];
  const seen = new Set<string>();
  for (const publisher of from) {
    for (const offer of offersOf(catalog, publisher)) {
      if (seen.has(offer.toLowerCase())) continue;
      seen.add(offer.toLowerCase());
      const entries = entriesOf(catalog, publisher, offer);
      const versions = [...new Set(entries.map((entry) => entry.version.name))];
      proposals.push({
        value: offer,
        detail: `${versions.join(', ')}${publishers.length === 1 ? '' : ` · ${entries[0]?.publisher ?? publisher}`}`,
        documentation: describeImage(catalog, { publisher, offer }, asOf),
        ...rankOf(entries, asOf),
      });
    }
  }
  return stableSort(proposals);
}

function skuProposals(catalog: Catalog, known: readonly ImageNames[], asOf: string): Proposal[] {
  const proposals: Proposal[] = [];
  const seen = new Set<string>();
  for (const { publisher, offer } of skuPairs(known).values()) {
    for (const entry of entriesOf(catalog, publisher, offer)) {
      for (const sku of skusOf(entry.image)) {
        if (seen.has(sku.toLowerCase())) continue;
        seen.add(sku.toLowerCase());
        const image = entry.image;
        const status = supportStatus(entry, asOf);
        proposals.push({
          value: sku,
          detail: `${entry.version.name} · ${image.architecture} ${image.generation} · ${image.licensing}${status === 'ended' ? ' · out of support' : ''}${image.preview ? ' · preview' : ''}`,
          documentation: describeImage(catalog, { publisher, offer, sku }, asOf),
          ...rankOf([entry], asOf),
          released: entry.version.released?.date,
        });
      }
    }
  }
  // Newest release first within a rank (supported before retired): the SKU a user most likely wants.
  return stableSort(
    proposals
      .map((proposal, index) => ({ proposal, index }))
      .sort(byReleaseDescending)
      .map((item) => item.proposal),
  );
}

/** The distinct publisher and offer pairs of the names, the last spelling of each. */
function skuPairs(known: readonly ImageNames[]): Map<string, { publisher: string; offer: string }> {
  const pairs = new Map<string, { publisher: string; offer: string }>();
  for (const names of known) {
    if (names.publisher === undefined || names.offer === undefined) continue;
    pairs.set(`${names.publisher}:${names.offer}`.toLowerCase(), { publisher: names.publisher, offer: names.offer });
  }
  return pairs;
}

function byReleaseDescending(a: { proposal: Proposal; index: number }, b: { proposal: Proposal; index: number }): number {
  const left = a.proposal.released ?? '';
  const right = b.proposal.released ?? '';
  return left === right ? a.index - b.index : left < right ? 1 : -1;
}

function rankOf(entries: readonly CatalogEntry[], asOf: string): { rank: number; deprecated: boolean } {
  const live = entries.filter((entry) => supportStatus(entry, asOf) !== 'ended');
  if (entries.length > 0 && live.length === 0) return { rank: 3, deprecated: true };
  const good = live.some((entry) => entry.distribution.endorsed.value && !entry.image.preview);
  return { rank: good ? 0 : 1, deprecated: false };
}

function stableSort(proposals: Proposal[]): Proposal[] {
  return proposals
    .map((proposal, index) => ({ proposal, index }))
    .sort((a, b) => a.proposal.rank - b.proposal.rank || a.index - b.index)
    .map(({ proposal }) => proposal);
}

function uniqueValues(values: readonly (string | undefined)[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const value of values) {
    if (value === undefined || seen.has(value.toLowerCase())) continue;
    seen.add(value.toLowerCase());
    result.push(value);
  }
  return result;
}

/**
 * Reads the value under the cursor from the raw text of its line: inside a string literal (the
 * whole literal is replaced, closing quote included when there is one), or right after a colon
 * or an equals sign with part of a bare word typed. Expressions (`[...]` in JSON, interpolation
 * in Bicep) and multi-line strings are left alone.
 */
function cursorValueAt(text: string, offset: number, syntax: LiteralSyntax): CursorValue | undefined {
  if (offset < 0 || offset > text.length) return undefined;
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1) + 1, 0);
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  const quote = syntax === 'json' ? '"' : "'";
  // Find the string literal holding the cursor, tokenizing the line from its start.
  let index = lineStart;
  while (index < offset) {
    const character = text[index];
    if (character === '/' && text[index + 1] === '/') return undefined;
    if (syntax === 'bicep' && character === '#' && index === firstNonSpace(text, lineStart)) return undefined;
    if (character === quote) {
      if (syntax === 'bicep' && text.startsWith("'''", index)) return undefined;
      const start = index;
      index++;
      while (index < lineEnd && text[index] !== quote) index += text[index] === '\\' ? 2 : 1;
      if (index >= offset) {
        const closed = index < lineEnd && text[index] === quote;
        const end = closed ? index + 1 : offset;
        const content = text.slice(start + 1, closed ? index : offset);
        if (syntax === 'json' && content.startsWith('[')) return undefined;
        if (syntax === 'bicep' && content.includes('${')) return undefined;
        return { range: { start, end }, quoted: true, property: propertyBefore(text, start, lineStart, syntax) };
      }
    }
    index++;
  }
  // Not in a string: a bare word being typed after `name:`.
  let start = offset;
  while (start > lineStart && /[\w.-]/.test(text[start - 1])) start--;
  const property = propertyBefore(text, start, lineStart, syntax);
  if (property === undefined) return undefined;
  let end = offset;
  while (end < lineEnd && /[\w.-]/.test(text[end])) end++;
  return { range: { start, end }, quoted: false, property };
}

/** The property name before `name:` that ends right before `valueStart`, on the same line. */
function propertyBefore(text: string, valueStart: number, lineStart: number, syntax: LiteralSyntax): string | undefined {
  // A property name and its colon are short: look at most this far back (a minified template is
  // one long line, and a regular expression over all of it would cost time on every keystroke).
  const before = text.slice(Math.max(lineStart, valueStart - 1000), valueStart);
  const pattern = syntax === 'json' ? /"((?:[^"\\]|\\.)*)"\s*:\s*$/ : /(?:'((?:[^'\\]|\\.)*)'|([A-Za-z_][\w]*))\s*:\s*$/;
  const match = pattern.exec(before);
  if (!match) return undefined;
  return match[1] ?? match[2];
}

function firstNonSpace(text: string, from: number): number {
  let index = from;
  while (index < text.length && (text[index] === ' ' || text[index] === '\t')) index++;
  return index;
}

/**
 * The publisher and offer written as literals in the object around the cursor: what the user
 * chose while the document does not parse. Scans outwards for the enclosing braces, skipping
 * strings, and reads `name: 'value'` pairs from that object's own level only.
 */
function siblingValues(text: string, offset: number, syntax: LiteralSyntax): ImageNames {
  const quote = syntax === 'json' ? '"' : "'";
  const limit = 20_000;
  // Backwards to the unmatched opening brace; strings are skipped approximately (line-local).
  let depth = 0;
  let open = -1;
  for (let index = offset - 1; index >= Math.max(0, offset - limit); index--) {
    const character = text[index];
    if (character === '}') depth++;
    else if (character === '{') {
      if (depth === 0) {
        open = index;
        break;
      }
      depth--;
    }
  }
  if (open < 0) return {};
  depth = 0;
  let close = Math.min(text.length, open + limit);
  for (let index = open + 1; index < Math.min(text.length, open + limit); index++) {
    const character = text[index];
    if (character === '{') depth++;
    else if (character === '}') {
      if (depth === 0) {
        close = index;
        break;
      }
      depth--;
    }
  }
  const body = flattenNested(text.slice(open + 1, close));
  const names: ImageNames = {};
  const escapedQuote = quote === '"' ? '"' : "'";
  const pattern =
    syntax === 'json'
      ? new RegExp(`"([A-Za-z]+)"\\s*:\\s*${escapedQuote}((?:[^${escapedQuote}\\\\\\n]|\\\\.)*)${escapedQuote}`, 'g')
      : new RegExp(`'?([A-Za-z]+)'?\\s*:\\s*${escapedQuote}((?:[^${escapedQuote}\\\\\\n]|\\\\.)*)${escapedQuote}`, 'g');
  for (const match of body.matchAll(pattern)) {
    const field = fieldsByProperty.get(match[1].toLowerCase());
    if (!field || names[field] !== undefined) continue;
    const value = match[2];
    if (syntax === 'json' && value.startsWith('[')) continue;
    if (syntax === 'bicep' && value.includes('${')) continue;
    names[field] = value;
  }
  return names;
}

/** Blanks nested objects so that only the enclosing object's own properties are read. */
function flattenNested(body: string): string {
  let depth = 0;
  let result = '';
  for (const character of body) {
    if (character === '{') depth++;
    if (depth === 0) result += character;
    else result += character === '\n' ? '\n' : ' ';
    if (character === '}') depth = Math.max(0, depth - 1);
  }
  return result;
}
