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
 * other one keeps its candidates, with the definitions after the edit moved by its length. What
 * the previous read looked into stays marked in the trace, with what this read looked into.
 *
 * Anything else (an edit in a declaration, in a site read inside an inner-scoped nested
 * deployment, in an image that is not an object, a change of parameter files) is read in full.
 * `test/src/arm/imageReadMemo.test.ts` requires the same result as a read without a memo after
 * every edit of its chains.
 */
import { DefinitionMover } from '../definitionMover';
import { ContainerRead, type ImageSite } from '../model';
import { childHolding, type JsonDocument, type PreviousParse } from './jsonDocument';
import { readSiteAgain, type SiteRecipe } from './templateImageSites';
import type { TemplateScope } from './templateScope';

/** What a memo keeps of a read for the next one (with the parse of the same text). */
export interface PreviousRead {
  text: string;
  /** The deployments' signatures (template, parameter file and its text), in order. */
  signatures: readonly string[];
  sites: readonly ImageSite[];
  recipes: readonly (SiteRecipe | undefined)[];
  /** What the read looked into (`ContainerTrace.reads`), when it ended. */
  reads: Uint8Array;
}

/**
 * The sites of `document` (the text of `previousParse` with `document.edit` applied), or
 * undefined when the edit is not inside the image of one site that can be read again alone.
 */
export function sitesAfterImageEdit(
  file: string,
  document: JsonDocument,
  previousParse: PreviousParse,
  previous: PreviousRead,
  scopes: readonly TemplateScope[],
): { sites: ImageSite[]; recipes: (SiteRecipe | undefined)[] } | undefined {
  const edit = document.edit;
  const trace = document.trace;
  if (!edit || !trace || !document.containerAt || previous.text !== previousParse.text) return undefined;
  const { start, oldEnd, newEnd } = edit;
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
  let index = -1;
  for (let site = 0; site < previous.sites.length; site++) {
    const use = previous.sites[site].use;
    if (use.file !== file || use.range.start !== starts[container] || use.range.end !== ends[container]) continue;
    if (index >= 0) return undefined;
    index = site;
  }
  const recipe = index < 0 ? undefined : previous.recipes[index];
  if (!recipe || recipe.resourceStart >= start) return undefined;
  const resource = document.containerAt(recipe.resourceStart);
  if (resource?.type !== 'object') return undefined;
  const reread = readSiteAgain(resource, recipe, scopes);

  const delta = newEnd - oldEnd;
  const mover = delta === 0 ? undefined : new DefinitionMover(file, oldEnd, Number.MAX_SAFE_INTEGER, delta);
  const sites: ImageSite[] = [];
  const recipes: (SiteRecipe | undefined)[] = [];
  previous.sites.forEach((site, position) => {
    if (position === index) {
      if (reread) {
        sites.push(reread);
        recipes.push(recipe);
      }
      return;
    }
    const kept = previous.recipes[position];
    sites.push(mover ? movedSite(site, file, mover, oldEnd, delta) : site);
    recipes.push(kept && kept.resourceStart >= oldEnd ? { ...kept, resourceStart: kept.resourceStart + delta } : kept);
  });
  // What the previous read looked into, it would look into again.
  const current = trace.reads;
  for (let entry = 0; entry < count; entry++) if (reads[entry] > current[entry]) current[entry] = reads[entry];
  return { sites, recipes };
}

/** A site with every place at or after the edit's end moved by the edit's length. */
function movedSite(site: ImageSite, file: string, mover: DefinitionMover, oldEnd: number, delta: number): ImageSite {
  const candidates = mover.moveCandidates(site.candidates);
  const range = site.use.range;
  const use =
    site.use.file === file && range.start >= oldEnd
      ? { file, range: { start: range.start + delta, end: range.end + delta } }
      : site.use;
  if (use === site.use && candidates.every((candidate, position) => candidate === site.candidates[position])) return site;
  return { ...site, use, candidates };
}
