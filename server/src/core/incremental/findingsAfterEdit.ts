/**
 * The findings of an ARM template after typing inside one image, made from those of the analysis
 * before without running the rules over every site: the read of one site
 * (`readAfterImageEdit.ts`) says which site was read again and how the text moved; the findings of
 * every other site move with the text, and the rules run over that site alone, through the
 * pipeline's own steps (`analyze.ts`). Whenever another site could change what that site's
 * findings or fixes are, there is no answer and the pipeline runs over every site.
 */
import {
  compareFindings,
  findingPlace,
  findingsOfFor,
  keptFindings,
  placeFindings,
  type AnalysisSettings,
  type CheckedImage,
  type SourcedFindings,
  usesAny,
  watchedBy,
  within,
} from '../analyze';
import { verifyFixes } from '../fixes';
import type { SourceLocation } from '../model';
import { TextMover } from '../textShift';
import type { PreviousRead, SiteReadAgain } from './readAfterImageEdit';

/** The findings of the last analysis of a document, for the next one (`DocumentSession`). */
export interface RememberedFindings extends SourcedFindings {
  /** The read they come from (identity: the next read of one site names it). */
  read: PreviousRead;
  /** What the rules said of each image under the settings they ran with (`checkedImagesFor`). */
  checked: Map<string, CheckedImage>;
  /**
   * Where the literals and allowed lists every fix verified with the findings edits (offered or
   * not) start, by file: a site that uses one takes part in the verification of a fix.
   */
  watched: Map<string, Set<number>>;
  /** Whether the text read may hold a suppression comment (`mayHoldSuppression`). */
  entryMayHoldSuppression: boolean;
}

/**
 * The findings after a read of one site (`readAfterImageEdit.ts`), from those of the read before:
 * the findings of every other site moved with the text, and the rules run over that site alone.
 * Undefined when the site shared a finding with others before or would now (then which site
 * places it first, and what it lists, depends on them), or the site is gone.
 */
export function findingsAfterSiteRead(
  previous: RememberedFindings,
  siteRead: SiteReadAgain,
  file: string,
  settings: AnalysisSettings,
  checked: Map<string, CheckedImage>,
  readText: (file: string) => string | undefined,
  mayHold: (file: string, text: string) => boolean,
): SourcedFindings | undefined {
  const { index, reread, shift } = siteRead;
  const mover = TextMover.across([shift], file);
  // A rule that threw is reported once per file and image, whichever site placed it first: the
  // analysis of all sites decides that.
  if (!reread || previous.problems?.length) return undefined;
  const kept: SourcedFindings = { findings: [], sources: [] };
  for (let position = 0; position < previous.findings.length; position++) {
    const sources = previous.sources[position];
    if (sources.includes(index)) {
      if (sources.length > 1) return undefined;
      continue;
    }
    const finding = previous.findings[position];
    kept.findings.push(shift.delta === 0 ? finding : mover.finding(finding));
    kept.sources.push(sources);
  }
  // A fix is verified against every site that uses what it edits (`fixes.ts`). Here only the site
  // read again is at hand: its fixes must edit its own image alone, and no fix of the others may
  // edit anything it uses, before or after the edit; otherwise all sites are checked again.
  const image = reread.use;
  const ownImage = (location: SourceLocation) => within(location, image);
  const placed = placeFindings([reread], settings, checked, index);
  if (placed.problems?.length) return undefined;
  for (const plan of placed.plans!.values()) {
    if (plan.changes.some((change) => !ownImage(change.definition.location) || change.definition.allowedList)) return undefined;
  }
  const before = previous.read.sites.site(index);
  const watchedBefore = (location: SourceLocation) => previous.watched.get(location.file)?.has(location.range.start) === true;
  const watchedNow = (location: SourceLocation) =>
    previous.watched
      .get(location.file)
      ?.has(
        location.file === file && location.range.start >= shift.oldEnd + shift.delta
          ? location.range.start - shift.delta
          : location.range.start,
      ) === true;
  if (usesAny(before, watchedBefore) || usesAny(reread, watchedNow)) return undefined;
  verifyFixes(placed.findings, placed.plans!, [reread], findingsOfFor(settings, checked));
  const fresh = keptFindings(placed, settings.config, readText, mayHold);
  // A finding of the site at the same place as another's: which comes first is decided by them.
  const places = new Set(kept.findings.map(findingPlace));
  if (fresh.findings.some((finding) => places.has(findingPlace(finding)))) return undefined;
  // Both are sorted: merged.
  const merged: SourcedFindings = { findings: [], sources: [] };
  let next = 0;
  fresh.findings.forEach((finding, position) => {
    while (next < kept.findings.length && compareFindings(kept.findings[next], finding) < 0) {
      merged.findings.push(kept.findings[next]);
      merged.sources.push(kept.sources[next++]);
    }
    merged.findings.push(finding);
    merged.sources.push(fresh.sources[position]);
  });
  for (; next < kept.findings.length; next++) {
    merged.findings.push(kept.findings[next]);
    merged.sources.push(kept.sources[next]);
  }
  // What the fixes edit, moved with the text, and what the site's own fixes edit now.
  merged.watched = new Map();
  for (const [name, starts] of previous.watched) {
    if (name !== file || shift.delta === 0) merged.watched.set(name, starts);
    else merged.watched.set(name, new Set([...starts].map((start) => mover.offset(start))));
  }
  for (const [name, starts] of watchedBy(placed.plans!)) {
    const known = merged.watched.get(name);
    merged.watched.set(name, known ? new Set([...known, ...starts]) : starts);
  }
  return merged;
}
