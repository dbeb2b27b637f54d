/**
 * Fixes: the edits that make a candidate name a rule's target image, and the check that a fix
 * breaks nothing else. A fix edits the literals that define a candidate's values, and a literal
 * may define values of other candidates too: an offer literal combined with several SKUs, a
 * parameter default read by two VMs, an allowed value the default equals. Before a fix is
 * offered, every candidate of the analysis that uses an edited literal (or that a value added to
 * an allowed list would create) is looked at as the fix would leave it: it must become the target
 * image, or an image with no finding its old image did not have. A fix that fails is not offered,
 * and the finding says why in its related information, at the shared literal.
 *
 * A value given to a parameter that lists its allowed values stays one of them: a fix that
 * writes another value adds it to the list in the same fix.
 */
import type {
  Finding,
  Fix,
  ImageCandidate,
  ImageField,
  ImageNames,
  ImageSite,
  SourceLocation,
  TextEdit,
  ValueDefinition,
} from './model';
import { imageFields } from './model';
import type { FixTarget } from './rules/rule';
import { candidatesToVisit } from './sharedCandidates';
import { loadedValueLabel } from './values';

/** One value a fix changes: the literal that defines it, and what it becomes. */
export interface FixChange {
  field: ImageField;
  definition: ValueDefinition;
  from: string;
  to: string;
}

/** What a fix does, for its verification: the image it aims at and the values it changes. */
export interface FixPlan {
  target: Pick<FixTarget, 'publisher' | 'offer' | 'sku'>;
  changes: FixChange[];
}

/**
 * The values that make a candidate name the target image, each at its definition. Undefined when
 * a value that must change has no definition (it is computed), because a partial fix would deploy
 * a mix of two images. A pinned version cannot exist on another offer or SKU, so it becomes `latest`.
 */
export function fixChanges(candidate: ImageCandidate, target: FixTarget): FixChange[] | undefined {
  const changes: FixChange[] = [];
  const wanted: Record<Exclude<ImageField, 'version'>, string> = {
    publisher: target.publisher,
    offer: target.offer,
    sku: target.sku,
  };
  let imageChanges = false;
  for (const field of ['publisher', 'offer', 'sku'] as const) {
    const current = candidate[field];
    if (current && current.value.toLowerCase() === wanted[field].toLowerCase()) continue;
    if (field !== 'publisher' || current) imageChanges = true;
    if (!current?.definition) return undefined;
    changes.push({ field, definition: current.definition, from: current.value, to: wanted[field] });
  }
  const version = candidate.version;
  if (imageChanges && version && version.value.toLowerCase() !== 'latest') {
    if (!version.definition) return undefined;
    changes.push({ field: 'version', definition: version.definition, from: version.value, to: 'latest' });
  }
  return changes.length > 0 ? changes : undefined;
}

/**
 * The edits of some changes: each literal replaced, and each value a parameter does not allow yet
 * added to its allowed list (once per list and value).
 */
export function editsOfChanges(changes: readonly FixChange[]): TextEdit[] {
  const edits: TextEdit[] = changes.map(({ definition, to }) => ({
    file: definition.location.file,
    range: definition.location.range,
    newText: literal(to, definition.syntax),
  }));
  const added = new Set<string>();
  for (const { definition, to } of changes) {
    const list = definition.allowedList;
    // An allowed value replaced in place stays in its list; another value is added to it.
    if (!list || definition.kind === 'allowed-value' || list.values.includes(to)) continue;
    const key = `${list.location.file}\u0000${list.location.range.start}\u0000${to}`;
    if (added.has(key)) continue;
    added.add(key);
    const at = list.location.range.start + list.insertAt;
    edits.push({
      file: list.location.file,
      range: { start: at, end: at },
      newText: `${list.separator}${literal(to, list.syntax)}`,
    });
  }
  return edits;
}

/** A string literal in the syntax of the file it goes into. */
export function literal(value: string, syntax: 'json' | 'bicep'): string {
  if (syntax === 'json') return JSON.stringify(value);
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\$\{/g, '\\${')}'`;
}

/** What the enabled rules report on an image, each report as its code and message: a new one is a new finding. */
export type FindingsOf = (names: ImageNames) => ReadonlySet<string>;

/** Why a fix is not offered, and where: a related location of its finding. */
interface Rejection {
  location: SourceLocation;
  message: string;
}

interface PlanState {
  finding: Finding;
  fix: Fix;
  plan: FixPlan;
  /** Edited definitions by file and start, with their change. */
  edited: Map<string, Map<number, FixChange>>;
  /** Lists this fix adds a value to, by file and start (made for the first). */
  additions?: Map<string, Map<number, FixChange>>;
  /** Lists whose allowed value this fix replaces, by file and start: the old value leaves them. */
  replacedAllowed?: Map<string, Map<number, FixChange>>;
  rejection?: Rejection;
  /** Candidates found unharmed, by what of them the fix touched (`verifyFixes`); made for the first. */
  passed?: Map<ImageCandidate, Set<number>>;
}

function touch(touching: Map<PlanState, number> | undefined, state: PlanState, bit: number): Map<PlanState, number> {
  const map = touching ?? new Map<PlanState, number>();
  map.set(state, (map.get(state) ?? 0) | bit);
  return map;
}

function put<T>(map: Map<string, Map<number, T>>, location: SourceLocation, value: T): void {
  let byStart = map.get(location.file);
  if (!byStart) map.set(location.file, (byStart = new Map()));
  byStart.set(location.range.start, value);
}

/**
 * Removes from each finding the fixes that would break another candidate of `sites` or take a
 * value out of its allowed list, and says why in the finding's related information. `plans` holds
 * the plan of every fix to check (fixes without one are kept).
 */
export function verifyFixes(
  findings: readonly Finding[],
  plans: ReadonlyMap<Fix, FixPlan>,
  sites: readonly ImageSite[],
  findingsOf: FindingsOf,
): void {
  const states: PlanState[] = [];
  // Which plans watch a definition or a list, by file and start.
  const watchers = new Map<string, Map<number, PlanState[]>>();
  const watch = (location: SourceLocation, state: PlanState) => {
    let byStart = watchers.get(location.file);
    if (!byStart) watchers.set(location.file, (byStart = new Map()));
    const list = byStart.get(location.range.start);
    if (list) {
      if (list[list.length - 1] !== state) list.push(state);
    } else byStart.set(location.range.start, [state]);
  };
  for (const finding of findings) {
    for (const fix of finding.fixes) {
      const plan = plans.get(fix);
      if (!plan) continue;
      const state: PlanState = { finding, fix, plan, edited: new Map() };
      for (const change of plan.changes) {
        put(state.edited, change.definition.location, change);
        watch(change.definition.location, state);
        const list = change.definition.allowedList;
        if (!list) continue;
        if (change.definition.kind === 'allowed-value') put((state.replacedAllowed ??= new Map()), list.location, change);
        else if (!list.values.includes(change.to)) put((state.additions ??= new Map()), list.location, change);
        else continue;
        watch(list.location, state);
      }
      states.push(state);
    }
  }
  if (states.length === 0) return;

  const isWatched = (file: string, start: number) => watchers.get(file)?.has(start) === true;
  // Sites that share a list of candidates, and whose moved literals no fix touches, are the same
  // to the verification: big templates repeat an image on thousands of resources.
  const visitedLists = new Set<readonly ImageCandidate[]>();
  for (const site of sites) {
    if (site.custom) continue;
    const shared = site.shared;
    const list = shared ? shared.candidates : site.candidates;
    let movesMatter = false;
    if (shared) {
      for (const [from, to] of shared.moves) {
        if (isWatched(shared.file, from) || isWatched(shared.file, to)) {
          movesMatter = true;
          break;
        }
      }
    }
    if (!movesMatter) {
      if (visitedLists.has(list)) continue;
      visitedLists.add(list);
    }
    const visit = candidatesToVisit(site);
    for (const listed of visit.candidates) {
      // The plans that watch something this candidate uses, each with what it watches of it:
      // bit f for the definition of field f, bit 4 + f for its allowed list.
      let touching: Map<PlanState, number> | undefined;
      imageFields.forEach((field, bit) => {
        const definition = listed[field]?.definition;
        if (!definition) return;
        const found = watchers.get(definition.location.file)?.get(visit.startOf(definition.location));
        const list = definition.allowedList?.location;
        const foundList = list && watchers.get(list.file)?.get(visit.startOf(list));
        if (found) for (const state of found) touching = touch(touching, state, 1 << bit);
        if (foundList) for (const state of foundList) touching = touch(touching, state, 1 << (4 + bit));
      });
      if (!touching) continue;
      let candidate: ImageCandidate | undefined;
      for (const [state, watched] of touching) {
        if (state.rejection) continue;
        // The same candidate touched the same way gives the same answer: big templates repeat
        // an image (and so its shared candidates) on thousands of resources.
        let passed = state.passed?.get(listed);
        if (passed?.has(watched)) continue;
        candidate ??= visit.localize(listed);
        state.rejection = checkCandidate(state, candidate, findingsOf);
        if (state.rejection) continue;
        if (!passed) (state.passed ??= new Map()).set(listed, (passed = new Set()));
        passed.add(watched);
      }
    }
  }

  for (const state of states) {
    const rejection = state.rejection;
    if (!rejection) continue;
    state.finding.fixes = state.finding.fixes.filter((fix) => fix !== state.fix);
    if (
      !state.finding.related.some((item) => item.message === rejection.message && sameLocation(item.location, rejection.location))
    )
      state.finding.related.push(rejection);
  }
}

/** What is wrong with a candidate once the fix is applied, or undefined when nothing is. */
function checkCandidate(state: PlanState, candidate: ImageCandidate, findingsOf: FindingsOf): Rejection | undefined {
  const old: ImageNames = {};
  const changed: ImageNames = {};
  let shared: FixChange | undefined;
  for (const field of imageFields) {
    const value = candidate[field];
    if (!value) continue;
    old[field] = value.value;
    const definition = value.definition;
    const change = definition && state.edited.get(definition.location.file)?.get(definition.location.range.start);
    changed[field] = change ? change.to : value.value;
    if (change) shared ??= change;
  }
  // What a message may show, made only for a message: most candidates pass.
  const shownNames = () => shownOf(state, candidate, changed);
  const fixTitle = () => `The fix "${state.fix.title}" is not offered`;
  // The edited values, as the fix leaves them.
  if (shared && !acceptable(old, changed, state, findingsOf)) {
    const shown = shownNames();
    const shownBefore: ImageNames = { ...shown };
    for (const field of imageFields) {
      const value = candidate[field];
      if (value && value.loadedFrom === undefined) shownBefore[field] = value.value;
    }
    return {
      location: shared.definition.location,
      message: `${fixTitle()}: the ${shared.field} '${shared.from}' here (${shared.definition.description}) is also used by ${urn(shownBefore)}, which it would turn into ${urn(shown)}.`,
    };
  }
  // Nothing else to check when the fix neither adds to an allowed list nor replaces a value in one.
  if (!state.additions && !state.replacedAllowed) return undefined;
  for (const field of imageFields) {
    const definition = candidate[field]?.definition;
    const list = definition?.allowedList;
    if (!definition || !list) continue;
    const where = list.location;
    // A value added to an allowed list is one more value of the parameter for this candidate.
    const added = state.additions?.get(where.file)?.get(where.range.start);
    if (added && definition.kind === 'allowed-value') {
      const extra: ImageNames = { ...changed, [field]: added.to };
      if (!acceptable(old, extra, state, findingsOf))
        return {
          location: where,
          message: `${fixTitle()}: the value '${added.to}' it adds to the allowed values of ${definition.description} would also make ${urn({ ...shownNames(), [field]: added.to })}.`,
        };
    }
    // An allowed value replaced in place leaves its list: a default or a parameter file equal to it would be invalid.
    const replaced = state.replacedAllowed?.get(where.file)?.get(where.range.start);
    const edited = state.edited.get(definition.location.file)?.get(definition.location.range.start);
    if (replaced && !edited && definition.kind !== 'allowed-value' && candidate[field]!.value === replaced.from) {
      return {
        location: definition.location,
        message: `${fixTitle()}: it replaces the allowed value '${replaced.from}' of ${replaced.definition.description}, which this ${describeKind(definition)} still takes.`,
      };
    }
  }
  return undefined;
}

/** The names of a candidate after a fix as a message shows them: a value loaded from a file is named by where it came from. */
function shownOf(state: PlanState, candidate: ImageCandidate, changed: ImageNames): ImageNames {
  const shown: ImageNames = {};
  for (const field of imageFields) {
    const value = candidate[field];
    if (!value) continue;
    const definition = value.definition;
    const change = definition && state.edited.get(definition.location.file)?.get(definition.location.range.start);
    shown[field] = change || value.loadedFrom === undefined ? changed[field] : loadedValueLabel(value.loadedFrom);
  }
  return shown;
}

/**
 * True when a candidate's image after a fix is the fix's target, or brings no finding its old
 * image did not have (the same rule with the same message: another SKU in it is another finding).
 */
function acceptable(old: ImageNames, changed: ImageNames, state: PlanState, findingsOf: FindingsOf): boolean {
  const target = state.plan.target;
  const same = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();
  if (same(changed.publisher, target.publisher) && same(changed.offer, target.offer) && same(changed.sku, target.sku))
    return true;
  const before = findingsOf(old);
  for (const code of findingsOf(changed)) if (!before.has(code)) return false;
  return true;
}

function describeKind(definition: ValueDefinition): string {
  switch (definition.kind) {
    case 'parameter-default':
      return 'default';
    case 'parameter-file':
      return 'parameter file value';
    case 'module-parameter':
      return 'value passed to the module';
    default:
      return 'value';
  }
}

function urn(names: ImageNames): string {
  return [names.publisher, names.offer, names.sku].map((name) => name ?? '?').join('/');
}

function sameLocation(a: SourceLocation, b: SourceLocation): boolean {
  return a.file === b.file && a.range.start === b.range.start && a.range.end === b.range.end;
}
