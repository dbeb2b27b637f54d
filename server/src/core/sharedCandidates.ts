/**
 * Sites that share one list of candidates. Both readers read an image written the same way on
 * many resources once; each copy's candidates differ from the original's only by where the
 * literals written in the image's own text are. Copying the list for every copy costs sites times
 * candidates objects (20,000 VMs whose SKU comes from a parameter with 253 allowed values: five
 * million), so a copy keeps the original's list and a small map of where its literals moved
 * (`SharedCandidates` in the model), and builds its own list only when asked for it.
 */
import type {
  Condition,
  Conditions,
  ImageCandidate,
  ImageField,
  ImageSite,
  ResolvedValue,
  SharedCandidates,
  SourceLocation,
} from './model';
import { imageFields } from './model';
import type { TextMover } from './textShift';

/** What a site is besides its use and candidates (a shape read once and used by many sites). */
export interface SiteParts {
  resourceType: string;
  unresolved: ImageField[];
  custom: boolean;
  /** The operating system the resource declares (`ImageSite.os`). */
  os?: ImageSite['os'];
  /** The module calls and deployments that lead to it (`ImageSite.via`). */
  via?: ImageSite['via'];
  /** Why the site is unresolved, when its values do not say (`ImageSite.unresolvedReason`). */
  unresolvedReason?: string;
}

/**
 * The site's declared operating system, the deployments that lead to it and the reason it is
 * unresolved, as properties to spread: none that it does not have.
 */
function optionalSiteFields(parts: SiteParts): Pick<ImageSite, 'os' | 'via' | 'unresolvedReason'> {
  const optional: Pick<ImageSite, 'os' | 'via' | 'unresolvedReason'> = parts.os ? { os: parts.os } : {};
  if (parts.via) optional.via = parts.via;
  if (parts.unresolvedReason !== undefined) optional.unresolvedReason = parts.unresolvedReason;
  return optional;
}

/**
 * A site with shared candidates. `candidates` is an own enumerable getter, so that whatever copies
 * the site (a spread, a message to another thread) copies the moved list: correct, if not cheap.
 * Code that visits every site reads `shared` instead (`candidatesToVisit`).
 */
export function sharedCandidateSite(use: SourceLocation, parts: SiteParts, shared: SharedCandidates): ImageSite {
  return {
    use,
    resourceType: parts.resourceType,
    unresolved: parts.unresolved,
    custom: parts.custom,
    ...optionalSiteFields(parts),
    shared,
    get candidates(): ImageCandidate[] {
      return localizedCandidates(shared);
    },
  };
}

/**
 * A site whose candidates are `candidates` with the definitions of `mover.file` moved as it says
 * (from where a definition starts to where it starts at this site): the list itself when nothing
 * moves, shared otherwise.
 */
export function siteWithMovedCandidates(
  use: SourceLocation,
  parts: SiteParts,
  candidates: readonly ImageCandidate[],
  mover: TextMover,
): ImageSite {
  const file = mover.file;
  const moves = new Map<number, number>();
  for (const start of definitionStarts(candidates, file)) {
    const moved = mover.offset(start);
    if (moved !== start) moves.set(start, moved);
  }
  if (moves.size === 0)
    return {
      use,
      resourceType: parts.resourceType,
      candidates: candidates as ImageCandidate[],
      unresolved: parts.unresolved,
      custom: parts.custom,
      ...optionalSiteFields(parts),
    };
  return sharedCandidateSite(use, parts, { candidates, file, moves });
}

/**
 * A site moved further: its definitions of `mover.file` (where they are at this site now) moved as
 * `mover` says. The list stays shared; the map of moves grows at most to one entry per literal.
 */
export function siteMovedAgain(site: ImageSite, use: SourceLocation, mover: TextMover): ImageSite {
  const shared = site.shared;
  const file = mover.file;
  if (!shared) return siteWithMovedCandidates(use, site, site.candidates, mover);
  if (shared.file !== file) {
    // Definitions of two files would move: the site's own list, moved in this file.
    return siteWithMovedCandidates(use, site, site.candidates, mover);
  }
  const moves = new Map<number, number>();
  for (const start of definitionStarts(shared.candidates, file)) {
    const moved = mover.offset(shared.moves.get(start) ?? start);
    if (moved !== start) moves.set(start, moved);
  }
  if (moves.size === 0)
    return {
      use,
      resourceType: site.resourceType,
      candidates: shared.candidates as ImageCandidate[],
      unresolved: site.unresolved,
      custom: site.custom,
      ...optionalSiteFields(site),
    };
  return sharedCandidateSite(use, site, { candidates: shared.candidates, file, moves });
}

/**
 * The site as another thread received it (`postMessage` copies data, not getters): a site sent
 * as `portableSite` made it gets its getter back. Any other site is returned as it is.
 */
export function restoreSharedSite(site: ImageSite): ImageSite {
  if (!site.shared || Object.getOwnPropertyDescriptor(site, 'candidates')?.get) return site;
  return sharedCandidateSite(site.use, site, site.shared);
}

/** The site as data to send to another thread: without the moved list, which the receiver builds. */
export function portableSite(site: ImageSite): ImageSite {
  if (!site.shared) return site;
  // The getter is left out on purpose: `restoreSharedSite` puts it back.
  return {
    use: site.use,
    resourceType: site.resourceType,
    unresolved: site.unresolved,
    custom: site.custom,
    ...optionalSiteFields(site),
    shared: site.shared,
  } as ImageSite;
}

/**
 * What to visit for each candidate of a site: the shared list and where the site has each
 * definition, without building the moved list. `localize` gives the candidate as the site has it.
 */
export interface CandidatesToVisit {
  candidates: readonly ImageCandidate[];
  /** Where a definition of the listed candidates lies at this site (the same object when it stays). */
  locate(location: SourceLocation): SourceLocation;
  /** The start of a definition at this site, without building a location. */
  startOf(location: SourceLocation): number;
  localize(candidate: ImageCandidate): ImageCandidate;
}

const unmoved: Omit<CandidatesToVisit, 'candidates'> = {
  locate: (location) => location,
  startOf: (location) => location.range.start,
  localize: (candidate) => candidate,
};

export function candidatesToVisit(site: ImageSite): CandidatesToVisit {
  const shared = site.shared;
  if (!shared) return { candidates: site.candidates, ...unmoved };
  const localized = new Map<ResolvedValue, ResolvedValue>();
  return {
    candidates: shared.candidates,
    locate: (location) => movedLocation(location, shared),
    startOf: (location) =>
      location.file === shared.file ? (shared.moves.get(location.range.start) ?? location.range.start) : location.range.start,
    localize: (candidate) => localizedCandidate(candidate, shared, localized),
  };
}

function localizedCandidates(shared: SharedCandidates): ImageCandidate[] {
  // One moved copy of each value per list: the candidates share a handful of literals.
  const localized = new Map<ResolvedValue, ResolvedValue>();
  return shared.candidates.map((candidate) => localizedCandidate(candidate, shared, localized));
}

function localizedCandidate(
  candidate: ImageCandidate,
  shared: SharedCandidates,
  localized: Map<ResolvedValue, ResolvedValue>,
): ImageCandidate {
  let copy: ImageCandidate | undefined;
  for (const field of imageFields) {
    const value = candidate[field];
    const definition = value?.definition;
    if (!value || (!definition && !value.when)) continue;
    let moved = localized.get(value);
    if (!moved) {
      const when = value.when && movedConditions(value.when, shared);
      if (!definition) moved = when === value.when ? value : { ...value, when };
      else {
        const location = movedLocation(definition.location, shared);
        const list = definition.allowedList;
        const listLocation = list && movedLocation(list.location, shared);
        if (location === definition.location && listLocation === list?.location) moved = value;
        else {
          const copy = { ...definition, location };
          if (list && listLocation !== list.location) copy.allowedList = { ...list, location: listLocation! };
          moved = { ...value, definition: copy };
        }
        if (when !== value.when) moved = { ...moved, when };
      }
      localized.set(value, moved);
    }
    if (moved === value) continue;
    copy ??= { ...candidate };
    copy[field] = moved;
  }
  return copy ?? candidate;
}

/** Where the conditions of a value are written at this site (the same list when none moves). */
function movedConditions(when: Conditions, shared: SharedCandidates): Conditions {
  let moved: Condition[] | undefined;
  for (let index = 0; index < when.length; index++) {
    const at = when[index].at;
    if (!at) continue;
    const location = movedLocation(at, shared);
    if (location !== at) (moved ??= [...when])[index] = { ...when[index], at: location };
  }
  return moved ?? when;
}

function movedLocation(location: SourceLocation, shared: SharedCandidates): SourceLocation {
  if (location.file !== shared.file) return location;
  const start = shared.moves.get(location.range.start);
  if (start === undefined) return location;
  return { file: location.file, range: { start, end: start + location.range.end - location.range.start } };
}

/** Where the definitions of a file start in a list, each once, found once per list and file. */
const startsByList = new WeakMap<readonly ImageCandidate[], Map<string, readonly number[]>>();

function definitionStarts(candidates: readonly ImageCandidate[], file: string): readonly number[] {
  let byFile = startsByList.get(candidates);
  if (!byFile) startsByList.set(candidates, (byFile = new Map()));
  let starts = byFile.get(file);
  if (!starts) {
    const found = new Set<number>();
    for (const candidate of candidates) {
      for (const field of imageFields) {
        const definition = candidate[field]?.definition;
        if (definition?.location.file === file) found.add(definition.location.range.start);
        // An allowed list moves with the text too: a fix adds values to it.
        const list = definition?.allowedList?.location;
        if (list?.file === file) found.add(list.range.start);
        // A condition written in the image's text (an `if()`, a ternary) moves with it too.
        const when = candidate[field]?.when;
        if (when) for (const { at } of when) if (at?.file === file) found.add(at.range.start);
      }
    }
    starts = [...found];
    byFile.set(file, starts);
  }
  return starts;
}
