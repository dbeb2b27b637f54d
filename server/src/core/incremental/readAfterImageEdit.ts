/**
 * The sites of a template after typing inside one image, without walking the template again.
 *
 * When the memo's previous parse was reused (`parseJsonDocument`: the text changed inside one
 * string only), the containers are where they were, and the previous read says which of them it
 * read as a whole. If the first such container on the way down to the edit is the image of one
 * site (the text every image is keyed by, `templateImageSites.ts`), then only that site can
 * differ from the previous read: every other site was read from its own image and from
 * declarations outside the edited string, and the walk that found the resources read nothing in
 * it either. That site is read again alone in the same scopes (`readSiteAgain`), and every
 * other one keeps its candidates, with the definitions after the edit moved by its length once
 * something asks for them (`keptSites.ts`). What the previous read looked into stays marked in
 * the trace, with what this read looked into. `analyze.ts` then runs the rules over that one
 * site only, when the findings of the others cannot change (`findingsAfterSiteRead`).
 *
 * Anything else (an edit in a declaration, in a site read inside an inner-scoped nested
 * deployment, in an image that is not an object, a change of parameter files) is read in full.
 * `test/src/arm/imageReadMemo.test.ts` requires the same result as a read without a memo after
 * every edit of its chains.
 */
import { ContainerRead, type ImageSite } from '../model';
import { childHolding, type JsonDocument, type PreviousParse } from '../arm/jsonDocument';
import type { KeptSites } from './keptSites';
import { readSiteAgain } from '../arm/templateImageSites';
import type { TemplateScope } from '../arm/templateScope';
import type { TextShift } from '../textShift';

/** What a memo keeps of a read for the next one (with the parse of the same text). */
export interface PreviousRead {
  text: string;
  /** The deployments' signatures (template, parameter file and its text), in order. */
  signatures: readonly string[];
  /** The sites, with how to read each again. */
  sites: KeptSites;
  /** What the read looked into (`ContainerTrace.reads`), when it ended. */
  reads: Uint8Array;
  /**
   * At least what a read of the whole text would charge its image budget (`readBudget.ts`): what
   * the last whole read charged, plus what each read of one site since charged.
   */
  imageValues: number;
}

/** How a read of one site changed the sites of the read before it, with the edit that made it. */
export interface SiteReadAgain {
  /** The edit, inside the site's image. */
  shift: TextShift;
  /** The read before. */
  previous: PreviousRead;
  /** The site read again (its index in both reads), or gone when `reread` is undefined. */
  index: number;
  reread: ImageSite | undefined;
}

/**
 * The sites of `document` (the text of `previousParse` with `document.shift` applied), or
 * undefined when the edit is not inside the image of one site that can be read again alone.
 */
export function sitesAfterImageEdit(
  file: string,
  document: JsonDocument,
  previousParse: PreviousParse,
  previous: PreviousRead,
  scopes: readonly TemplateScope[],
): { sites: KeptSites; siteRead: SiteReadAgain } | undefined {
  const shift = document.shift;
  const trace = document.trace;
  if (!shift || !trace || !document.containerAt || previous.text !== previousParse.text || previous.sites.file !== file)
    return undefined;
  const { start, oldEnd } = shift;
  const { starts, ends, count } = previousParse;
  const reads = previous.reads;
  if (count === 0 || reads.length !== count || trace.count !== count) return undefined;

  // The first container read as a whole on the way down to the edit.
  let container = 0;
  if (!(starts[0] < start && oldEnd < ends[0])) return undefined;
  while (reads[container] !== ContainerRead.WholeText) {
    const inner = childHolding(previousParse, container, start, oldEnd);
    if (inner === undefined || inner < 0) return undefined;
    container = inner;
  }

  // The one site whose image that is, and how to read it again.
  const index = previous.sites.siteWithImage(starts[container], ends[container]);
  const recipe = index < 0 ? undefined : previous.sites.recipe(index);
  if (!recipe || recipe.resourceStart >= start) return undefined;
  const resource = document.containerAt(recipe.resourceStart);
  if (resource?.type !== 'object') return undefined;
  const reread = readSiteAgain(resource, recipe, scopes);

  const sites = previous.sites.withSiteReadAgain(index, reread, reread && recipe, shift);
  // What the previous read looked into, it would look into again.
  const current = trace.reads;
  for (let entry = 0; entry < count; entry++) if (reads[entry] > current[entry]) current[entry] = reads[entry];
  return { sites, siteRead: { shift, previous, index, reread } };
}
