/**
 * The hover over an image: what the catalog knows about the image a value deploys. It answers on
 * any part of an image specification (the whole object or one of its publisher/offer/SKU/version
 * values) and on every literal that feeds one (a parameter default, an allowed value, a variable,
 * a parameter file value). A value that can take several images gets one table row per image.
 * Like the rest of the core it is a pure function: of the text (`hoverAt`, which reads it), or of
 * the sites an analysis already read (`hoverOfSites`, which the language server answers from).
 */
import { candidateConditions, namesOf, readDocument, type AnalysisSettings } from './analyze';
import type { Catalog, Licensing, Sourced } from './catalog/catalogTypes';
import { daysUntil, includedSupport, supportStatus } from './catalog/lifecycle';
import { type CatalogEntry, matchImage, offersOf, skusOf } from './catalog/matchImage';
import { kernelOf, successorsOf } from './catalog/successors';
import type {
  Conditions,
  FileHost,
  ImageCandidate,
  ImageField,
  ImageNames,
  ImageSite,
  OffsetRange,
  ValueDefinition,
} from './model';
import { imageFields } from './model';
import { describeResolution } from './resolutionTrace';
import { candidatesToVisit } from './sharedCandidates';
import { commonConditions, conditionText, maximumAlternatives } from './values';

export interface HoverResult {
  markdown: string;
  range: OffsetRange;
}

/** What hover and completion read with; `config` adds its parameter file map to `arm`'s. */
export type ImageInfoSettings = Pick<AnalysisSettings, 'catalog' | 'asOf' | 'arm'> & Partial<Pick<AnalysisSettings, 'config'>>;

/** The image values found at an offset: the candidates they can deploy and the range they span. */
export interface ImageValuesAt {
  candidates: ImageCandidate[];
  range: OffsetRange;
  /** The field whose definition holds the offset; absent when the offset is on the whole object. */
  field?: ImageField;
  definition?: ValueDefinition;
  sites: ImageSite[];
}

/** The hover at an offset of a document, or undefined when the offset is on no image value. */
export function hoverAt(
  file: string,
  text: string,
  offset: number,
  host: FileHost,
  settings: ImageInfoSettings,
): HoverResult | undefined {
  return hoverOfSites(readDocument(file, text, host, settings).sites, file, offset, settings);
}

/**
 * The hover at an offset from the sites a read of the document found: what the language server
 * answers from its latest analysis, without reading the document again.
 */
export function hoverOfSites(
  sites: readonly ImageSite[],
  file: string,
  offset: number,
  settings: Pick<ImageInfoSettings, 'catalog' | 'asOf'>,
): HoverResult | undefined {
  const found = imageValuesAt(sites, file, offset, 'hover');
  if (!found) return undefined;
  const names = uniqueNames(found.candidates.map(namesOf));
  if (names.length === 0) return undefined;
  const resolution = describeCandidatesResolution(found.candidates, found.field);
  const markdown =
    describeImages(settings.catalog, names, settings.asOf) + deploymentNotes(found.candidates) + unresolvedNote(found.sites);
  return { markdown: resolution ? `${markdown}\n\n${resolution}` : markdown, range: found.range };
}

/**
 * What a deployer must choose for each image to be deployed, for the images that need a choice
 * (an `if()` branch, a resource's or module's condition); empty when none does.
 */
function deploymentNotes(candidates: readonly ImageCandidate[]): string {
  const byImage = new Map<string, { urn: string; when: Conditions | undefined }>();
  for (const candidate of candidates) {
    const urn = urnOf(namesOf(candidate));
    const key = urn.toLowerCase();
    const when = candidateConditions(candidate);
    const known = byImage.get(key);
    byImage.set(key, { urn, when: known ? commonConditions(known.when, when) : when });
  }
  const notes = [...byImage.values()]
    .filter((image) => image.when)
    .map((image) => `${code(image.urn)} is only deployed when ${image.when!.map(conditionText).join(' and ')}.`);
  return notes.length === 0 ? '' : `\n\n${notes.join('\n\n')}`;
}

/**
 * What the hover adds when the images listed are not all the image can be: a value known only at
 * deployment, or alternatives past the analysis's cap (a list that is cut always ends unknown).
 */
function unresolvedNote(sites: readonly ImageSite[]): string {
  const fields = new Set(sites.flatMap((site) => site.unresolved));
  if (fields.size === 0) return '';
  const named = imageFields.filter((field) => fields.has(field));
  return (
    `\n\nNot every image is known: the ${named.join(', ')} may also take a value known only at deployment, ` +
    `or one past the ${maximumAlternatives} alternatives the analysis follows. Those images are not checked.`
  );
}

/** The most lines the hover gives to how the values were resolved; the rest are counted. */
const maximumResolutionLines = 8;

/**
 * How the values under the cursor were resolved, one line per field and way (`resolutionTrace.ts`):
 * "sku: from parameter `ubuntuOSVersion` default, via variable `imageReference`". Over one
 * literal, only its field; over the whole image, every field.
 */
export function describeCandidatesResolution(candidates: readonly ImageCandidate[], field?: ImageField): string | undefined {
  const lines: string[] = [];
  const seen = new Set<string>();
  let more = 0;
  for (const shown of field ? [field] : imageFields) {
    for (const candidate of candidates) {
      const value = candidate[shown];
      if (!value) continue;
      const line = `- ${shown}: ${describeResolution(value)}`;
      if (seen.has(line)) continue;
      seen.add(line);
      if (lines.length < maximumResolutionLines) lines.push(line);
      else more++;
    }
  }
  if (lines.length === 0) return undefined;
  if (more > 0) lines.push(`- and ${more} more`);
  return ['How the values were resolved:', '', ...lines].join('\n');
}

/**
 * Finds the image values at an offset. A definition literal holding the offset wins over the
 * image object around it, so that hovering one allowed value shows only the images that value
 * takes part in. `hover` counts the character under the cursor (start ≤ offset < end);
 * `inside` counts a cursor strictly between the quotes of a literal, as completion needs.
 */
export function imageValuesAt(
  sites: readonly ImageSite[],
  file: string,
  offset: number,
  mode: 'hover' | 'inside',
): ImageValuesAt | undefined {
  const holds = (range: OffsetRange) =>
    mode === 'hover' ? range.start <= offset && offset < range.end : range.start < offset && offset < range.end;
  let best: ImageValuesAt | undefined;
  for (const site of sites) {
    if (site.custom) continue;
    // Without building the moved list of a site that shares its candidates (`sharedCandidates.ts`).
    const visit = candidatesToVisit(site);
    for (const listed of visit.candidates) {
      for (const field of imageFields) {
        const listedDefinition = listed[field]?.definition;
        if (!listedDefinition || listedDefinition.location.file !== file) continue;
        const start = visit.startOf(listedDefinition.location);
        const range = { start, end: start + length(listedDefinition.location.range) };
        if (!holds(range)) continue;
        const candidate = visit.localize(listed);
        const definition = candidate[field]!.definition!;
        if (!best || best.field === undefined || length(range) < length(best.range)) {
          best = { candidates: [candidate], range: definition.location.range, field, definition, sites: [site] };
        } else if (sameRange(range, best.range)) {
          best.candidates.push(candidate);
          // Sites are visited one after the other: the last one listed is the only one to check.
          if (best.sites[best.sites.length - 1] !== site) best.sites.push(site);
        }
      }
    }
  }
  if (best) return best;
  for (const site of sites) {
    if (site.custom || site.use.file !== file || !holds(site.use.range)) continue;
    if (!best || length(site.use.range) < length(best.range)) {
      best = { candidates: [...site.candidates], range: site.use.range, sites: [site] };
    } else if (sameRange(site.use.range, best.range)) {
      best.candidates.push(...site.candidates);
      best.sites.push(site);
    }
  }
  return best;
}

/** Ranges longer than this are kept apart by `imageValueIndex`, and looked at one by one. */
const longestIndexedRange = 4096;

/** Offsets `from` (included) to `to` (excluded). */
export interface OffsetSpan {
  from: number;
  to: number;
}

/** What the language server answers questions about a read with, made once per read (`imageValueIndex`). */
export interface ImageValueIndex {
  /** The sites `imageValuesAt` can find something of at an offset, in their order. */
  sitesAt(offset: number): ImageSite[];
  /** The span around an offset over which `imageValuesAt` finds the same. */
  spanAt(offset: number, mode: 'hover' | 'inside'): OffsetSpan;
}

/**
 * The index of the sites by where their values are written in `file`, made in one walk of the
 * sites, once per read:
 * - `sitesAt` gives, for an offset, the sites `imageValuesAt` can find there, in their order;
 *   `imageValuesAt` over those gives exactly what it gives over all of them, in time that does
 *   not grow with the template.
 * - `spanAt` gives where the answer at an offset holds: what `imageValuesAt` finds depends only
 *   on which ranges hold the offset (start <= offset < end for the hover, start < offset < end
 *   inside a literal), which changes only where a range starts or ends; the span runs from the
 *   last such boundary at or before the offset to the next one after it (between values, the
 *   whole gap).
 */
export function imageValueIndex(sites: readonly ImageSite[], file: string): ImageValueIndex {
  // Each range with the site it belongs to; short ones sorted by start, long ones apart.
  const starts: number[] = [];
  const ends: number[] = [];
  const owners: number[] = [];
  const long: { start: number; end: number; owner: number }[] = [];
  // Where the set of ranges holding an offset changes, for the hover and inside a literal.
  const hoverBoundaries = new Set<number>();
  const insideBoundaries = new Set<number>();
  const add = (start: number, end: number, owner: number) => {
    hoverBoundaries.add(start).add(end);
    insideBoundaries.add(start + 1).add(end);
    if (end - start > longestIndexedRange) long.push({ start, end, owner });
    else {
      starts.push(start);
      ends.push(end);
      owners.push(owner);
    }
  };
  sites.forEach((site, owner) => {
    if (site.custom) return;
    if (site.use.file === file) add(site.use.range.start, site.use.range.end, owner);
    const visit = candidatesToVisit(site);
    const seen = new Set<number>();
    for (const listed of visit.candidates) {
      for (const field of imageFields) {
        const location = listed[field]?.definition?.location;
        if (!location || location.file !== file) continue;
        const start = visit.startOf(location);
        // One literal per start: the same literal again adds nothing.
        if (seen.has(start)) continue;
        seen.add(start);
        add(start, start + length(location.range), owner);
      }
    }
  });
  const order = starts.map((_start, index) => index).sort((a, b) => starts[a] - starts[b]);
  const sortedStarts = order.map((index) => starts[index]);
  const boundaries = {
    hover: Float64Array.from(hoverBoundaries).sort(),
    inside: Float64Array.from(insideBoundaries).sort(),
  };
  return {
    sitesAt: (offset) => {
      const found = new Set<number>();
      // The last range starting at or before the offset, then back while a range can still reach it.
      const low = firstAfter(sortedStarts, offset);
      for (let position = low - 1; position >= 0 && sortedStarts[position] >= offset - longestIndexedRange; position--) {
        const index = order[position];
        if (ends[index] >= offset) found.add(owners[index]);
      }
      for (const range of long) if (range.start <= offset && offset <= range.end) found.add(range.owner);
      return [...found].sort((a, b) => a - b).map((owner) => sites[owner]);
    },
    spanAt: (offset, mode) => {
      const sorted = boundaries[mode];
      const next = firstAfter(sorted, offset);
      return {
        from: next > 0 ? sorted[next - 1] : Number.MIN_SAFE_INTEGER,
        to: next < sorted.length ? sorted[next] : Number.MAX_SAFE_INTEGER,
      };
    },
  };
}

/** The position of the first of the sorted numbers greater than `value` (their length when none is). */
function firstAfter(sorted: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The markdown for one image (in detail) or several (one table row each). */
export function describeImages(catalog: Catalog, names: readonly ImageNames[], asOf: string): string {
  if (names.length === 1) return describeImage(catalog, names[0], asOf);
  const rows = ['| Image | Distribution | Endorsed | Support | Kernel | Successor |', '|---|---|---|---|---|---|'];
  const sources = new Set<string>();
  for (const image of names) {
    const match = matchImage(catalog, image);
    const urn = code(urnOf(image));
    switch (match.kind) {
      case 'image': {
        const entry = match.entry;
        rows.push(
          row([
            urn,
            entry.version.name,
            entry.distribution.endorsed.value ? 'yes' : 'no',
            supportSummary(entry, asOf),
            kernelSummary(entry),
            successorSummary(catalog, entry, asOf),
          ]),
        );
        for (const id of sourcesOfEntry(entry)) sources.add(id);
        break;
      }
      case 'other':
        rows.push(row([urn, `${match.publisher.name} (not Linux)`, '', '', '', '']));
        break;
      case 'partial':
        rows.push(row([urn, `${match.distributions.map((d) => d.name).join(', ')}: not in the catalog`, '', '', '', '']));
        break;
      case 'unknown-publisher':
        rows.push(row([urn, 'unknown publisher', '', '', '', '']));
        break;
      case 'unresolved':
        rows.push(row([urn, 'publisher not known before deployment', '', '', '', '']));
        break;
    }
  }
  const lines = [`This value can deploy ${names.length} images (as of ${asOf}):`, '', ...rows];
  const links = sourceLinks(catalog, sources);
  if (links) lines.push('', links);
  return lines.join('\n');
}

/** The markdown for one image: everything the catalog says about it, with its sources. */
export function describeImage(catalog: Catalog, names: ImageNames, asOf: string): string {
  const match = matchImage(catalog, names);
  const urn = code(urnOf(names));
  switch (match.kind) {
    case 'unresolved':
      return `${urn}: the publisher is only known at deployment time, so the image cannot be looked up.`;
    case 'unknown-publisher':
      return `${urn}: the publisher ${code(names.publisher ?? '')} is not in the catalog (a third-party image, or a typo); nothing is known about its support.`;
    case 'other':
      return `${urn}: ${match.publisher.name}, a known non-Linux image; the Linux rules do not apply.${sourceSuffix(catalog, match.publisher)}`;
    case 'partial': {
      const distributions = match.distributions.map((distribution) => distribution.name).join(', ');
      const publisher = names.publisher ?? '';
      if (!match.offerKnown) {
        const what =
          names.offer === undefined
            ? 'the offer is only known at deployment time'
            : `the offer ${code(names.offer)} is not in the catalog`;
        const offers = offersOf(catalog, publisher);
        const known = offers.length
          ? ` Known offers: ${offers.slice(0, 12).map(code).join(', ')}${offers.length > 12 ? ', …' : ''}.`
          : '';
        return `${urn}: ${code(publisher)} publishes ${distributions}, but ${what}.${known}`;
      }
      const versions = [...new Set(match.entries.map((entry) => entry.version.name))].join(', ') || distributions;
      const recognition = match.recognition;
      const what =
        names.sku === undefined
          ? 'the SKU is only known at deployment time'
          : recognition
            ? `the SKU ${code(names.sku)} reads as release ${code(recognition.release ?? recognition.versionId)}, which is not in the catalog (as of ${catalog.asOf})`
            : `the SKU ${code(names.sku)} is not in the catalog (as of ${catalog.asOf}): it is neither listed nor follows the vendor's naming rules`;
      const skus = [...new Set(match.entries.flatMap((entry) => skusOf(entry.image)))];
      const known = skus.length ? ` Known SKUs: ${skus.slice(0, 12).map(code).join(', ')}${skus.length > 12 ? ', …' : ''}.` : '';
      return `${urn}: the offer ${code(names.offer ?? '')} carries ${versions}, but ${what}.${known}`;
    }
    case 'image':
      return describeEntry(catalog, match.entry, names, asOf);
  }
}

/** The detailed description of an image the catalog knows. */
export function describeEntry(catalog: Catalog, entry: CatalogEntry, names: ImageNames, asOf: string): string {
  const { distribution, version, image } = entry;
  const rows: [string, string][] = [];
  rows.push(['Distribution', `${version.name} (${distribution.vendor})`]);
  const release = entry.recognition?.release;
  if (release !== undefined) rows.push(['Release', `${release}, as the SKU names it`]);
  rows.push([
    'Publisher',
    `${entry.publisher} — ${distribution.endorsed.value ? 'endorsed' : 'not endorsed'} by Microsoft on Azure`,
  ]);
  rows.push([
    'Image',
    `${image.architecture}, Hyper-V generation ${image.generation}, ${image.variant}${image.preview ? ', preview' : ''}`,
  ]);
  rows.push(['Licensing', licensingNames[image.licensing]]);
  rows.push(['In the catalog', catalogStanding(catalog, entry)]);
  if (version.released) rows.push(['Released', version.released.date]);
  if (version.standardSupportEnds) {
    rows.push(['End of standard support', dateState(version.standardSupportEnds.date, asOf)]);
  } else {
    rows.push(['End of standard support', 'none (rolling release)']);
  }
  if (version.extendedSupport) {
    const extended = version.extendedSupport;
    const included = image.includesExtendedSupport || extended.includedInAll;
    rows.push([
      `End of extended support (${extended.name})`,
      `${dateState(extended.ends, asOf)}${included ? ' — included in this image' : ' — not included in this image'}`,
    ]);
  }
  const kernel = kernelOf(entry);
  rows.push(['Kernel', `${kernel.tuned ? 'Azure-tuned' : 'stock'} (${code(kernel.name)})`]);
  const successors = successorsOf(catalog, entry, asOf);
  rows.push(['Successor', successorSummary(catalog, entry, asOf, successors)]);
  const lines = [
    `**${escapeMarkdown(version.name)}** · ${code(urnOf(names))}`,
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([name, value]) => row([escapeCell(name), value])),
  ];
  const status = supportStatus(entry, asOf);
  if (status === 'ended') lines.splice(1, 0, '', `Out of support as of ${asOf}.`);
  const links = sourceLinks(catalog, new Set(sourcesOfEntry(entry)));
  if (links) lines.push('', links);
  return lines.join('\n');
}

/**
 * Whether the catalog lists the SKU by name or recognises it by the vendor's naming rules: a
 * recognised image is judged as an image of its release, with the facts the rule gives its name.
 */
function catalogStanding(catalog: Catalog, entry: CatalogEntry): string {
  const rule = entry.recognition?.rule;
  if (!rule) return `listed by name (catalog as of ${catalog.asOf})`;
  return `recognised by the naming rule ${code(rule.id)} (${code(rule.offer)}), not listed by name (catalog as of ${catalog.asOf})`;
}

const licensingNames: Record<Licensing, string> = {
  free: 'free (no software charge)',
  payg: 'pay-as-you-go (software billed per hour)',
  byos: 'bring your own subscription',
};

/** "ended 2023-05-31", "ends 2027-04-30, in 159 days", "ends today (2026-11-22)". */
export function dateState(date: string, asOf: string): string {
  const days = daysUntil(asOf, date);
  if (days === undefined) return date;
  if (days < 0) return `ended ${date}`;
  if (days === 0) return `ends ${date}, today`;
  return `ends ${date}, in ${days} ${days === 1 ? 'day' : 'days'}`;
}

function supportSummary(entry: CatalogEntry, asOf: string): string {
  const support = includedSupport(entry);
  if (!support) return 'no end date';
  const name = support.kind === 'standard' ? 'standard' : support.name;
  return `${name} ${dateState(support.ends, asOf)}`;
}

function kernelSummary(entry: CatalogEntry): string {
  const kernel = kernelOf(entry);
  return `${kernel.tuned ? 'Azure-tuned' : 'stock'} (${code(kernel.name)})`;
}

function successorSummary(
  catalog: Catalog,
  entry: CatalogEntry,
  asOf: string,
  successors = successorsOf(catalog, entry, asOf),
): string {
  if (successors.length === 0) return 'none';
  return successors
    .map((choice) => {
      const target = `${choice.entry.version.name} (${code(`${choice.entry.image.offer}/${choice.sku}`)})`;
      return choice.changes.length ? `${target}, changes ${choice.changes.join(', ')}` : target;
    })
    .join('; ');
}

/** Every source id the facts of an entry name. */
function sourcesOfEntry(entry: CatalogEntry): string[] {
  const facts: (Sourced | undefined)[] = [
    entry.distribution.endorsed,
    entry.version.released,
    entry.version.standardSupportEnds,
    entry.version.extendedSupport,
    kernelOf(entry),
    entry.image,
  ];
  return facts.flatMap((fact) => fact?.sources ?? []);
}

function sourceSuffix(catalog: Catalog, fact: Sourced): string {
  const links = sourceLinks(catalog, new Set(fact.sources));
  return links ? `\n\n${links}` : '';
}

/** The most sources a hover lists; linked sources come first, the rest are counted. */
const maximumSources = 6;

function sourceLinks(catalog: Catalog, ids: ReadonlySet<string>): string | undefined {
  const linked: string[] = [];
  const unlinked: string[] = [];
  for (const id of ids) {
    const source = catalog.sources[id];
    if (!source) continue;
    const title = escapeMarkdown(source.title);
    if (source.url) linked.push(`[${title}](${source.url})`);
    else unlinked.push(title);
  }
  const all = [...linked, ...unlinked];
  if (all.length === 0) return undefined;
  const shown = all.slice(0, maximumSources);
  const more = all.length - shown.length;
  return `Sources: ${shown.join(' · ')}${more > 0 ? ` and ${more} more in the catalog` : ''}`;
}

/** `publisher:offer:sku:version`, with `?` for what is not known statically. */
export function urnOf(names: ImageNames): string {
  const parts = imageFields.map((field) => names[field]);
  while (parts.length > 3 && parts[parts.length - 1] === undefined) parts.pop();
  return parts.map((part) => part ?? '?').join(':');
}

/** Removes images that differ only in case. */
export function uniqueNames(list: readonly ImageNames[]): ImageNames[] {
  const seen = new Set<string>();
  return list.filter((names) => {
    const key = urnOf(names).toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function code(text: string): string {
  const clean = text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
  return clean.includes('`') ? `\`\` ${clean} \`\`` : `\`${clean}\``;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|]/g, (character) => `\\${character}`);
}

function escapeCell(text: string): string {
  return escapeMarkdown(text);
}

function length(range: OffsetRange): number {
  return range.end - range.start;
}

function sameRange(a: OffsetRange, b: OffsetRange): boolean {
  return a.start === b.start && a.end === b.end;
}
