/**
 * The one entry point every adapter calls: read a document (ARM template or parameter file,
 * Bicep or .bicepparam) into image sites, run every enabled rule on every candidate, place each
 * finding where the offending value is defined, turn fix targets into edits at the definitions,
 * drop suppressed findings and merge duplicates. A pure function of its inputs: the host supplies
 * other files' text, the caller supplies the date, the catalog and the configuration.
 */
import { readArmFile, type ArmReadOptions, type ParameterFileMap } from './arm/readArm';
import type * as BicepReader from './bicep/readBicep';
import type { BicepReadOptions } from './bicep/readBicep';
import type { Catalog } from './catalog/catalogTypes';
import { matchImage } from './catalog/matchImage';
import type { LintConfig } from './config/config';
import { isIgnored } from './config/ignore';
import type { ArmReadReuse } from './arm/readReuse';
import type {
  Condition,
  Conditions,
  ContainerTrace,
  FileHost,
  Finding,
  Fix,
  ImageCandidate,
  ImageField,
  ImageNames,
  ImageSite,
  Problem,
  ReaderResult,
  RelatedLocation,
  Severity,
  SourceLocation,
} from './model';
import { imageFields } from './model';
import { allRules } from './rules';
import type { ImagePolicy, Rule, RuleContext, RuleReport } from './rules/rule';
import { type FindingsOf, editsOfChanges, fixChanges, type FixPlan, verifyFixes } from './fixes';
import { candidatesToVisit, type CandidatesToVisit } from './sharedCandidates';
import { writtenInsideModule } from './resolutionTrace';
import { commonConditions, conditionText, loadedValueLabel, unionConditions } from './values';
import { documentMayHoldSuppression, SuppressionComments } from './suppressions';
import { LineIndex } from './text';
import { type DocumentKind, detectDocumentKind } from './documentKind';

// Where a document's kind is decided; re-exported for the adapters that read documents through here.
export { type DocumentKind, detectDocumentKind };

export interface AnalysisSettings {
  catalog: Catalog;
  config: LintConfig;
  /** The analysis date, `YYYY-MM-DD`: the adapter decides (configuration, option or today). */
  asOf: string;
  arm?: ArmReadOptions;
  bicep?: BicepReadOptions;
  /** The rules to run (every registered rule by default); the configuration still sets their levels. */
  rules?: readonly Rule[];
  /**
   * What the previous analysis of the same document left (`AnalysisReuse`): the document session
   * of an open document (`core/incremental/`); the CLI has none. Analysing with one gives the same
   * result.
   */
  reuse?: AnalysisReuse;
  /** What the rules said of images, shared with other analyses (`CheckedImages`); else this analysis's own. */
  checkedImages?: CheckedImages;
}

/**
 * The one hook through which a document session (`core/incremental/documentSession.ts`) makes the
 * next analysis of its document cheaper. The pipeline knows nothing else of it: it starts the
 * analysis, reads with the ARM reader's hook, asks for findings made from the last analysis's (and
 * runs the rules over every site when there are none), and hands over what it found.
 */
export interface AnalysisReuse {
  /** The ARM reader's hook (`arm/readReuse.ts`). */
  readonly arm: ArmReadReuse;
  /** What the rules said of the document's images, unless the settings share one. */
  readonly checkedImages: CheckedImages;
  /** An analysis starts, before its read. */
  startAnalysis(): void;
  /**
   * An ARM template was read: whether its text may hold a suppression comment, when known without
   * scanning it all (undefined: scan).
   */
  entryMayHoldSuppression(text: string): boolean | undefined;
  /** The findings of an ARM template's read, made from the last analysis's; undefined to run the rules over every site. */
  findingsAfterRead(analysis: AnalysisInProgress): SourcedFindings | undefined;
  /** What an analysis of an ARM template found, for the next. */
  endAnalysis(analysis: AnalysisInProgress, found: SourcedFindings): void;
}

/** What an analysis in progress is: its inputs, and how it reads other files and looks for suppressions. */
export interface AnalysisInProgress {
  file: string;
  text: string;
  settings: AnalysisSettings;
  /** What the rules said of each image under these settings (`CheckedImages`). */
  checked: Map<string, CheckedImage>;
  readText: (file: string) => string | undefined;
  mayHold: (file: string, text: string) => boolean;
}

export interface AnalysisResult {
  kind: DocumentKind;
  sites: ImageSite[];
  findings: Finding[];
  problems: Problem[];
  dependencies: string[];
  /** ARM templates: what tells which edits cannot change this result (`editReuse.ts`). */
  entryTrace?: ContainerTrace;
}

let bicepReader: typeof BicepReader | undefined;

/** The Bicep reader, loaded on first use: a run over JSON files alone never pays for loading it. */
function bicep(): typeof BicepReader {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (bicepReader ??= require('./bicep/readBicep') as typeof BicepReader);
}

/**
 * The ARM read options with the configuration's parameter file map added to the one the adapter
 * gives (ARM Tools' setting): a template's parameter files are those of both.
 */
export function armOptionsOf(settings: Pick<AnalysisSettings, 'arm'> & { config?: LintConfig }): ArmReadOptions | undefined {
  const configured = settings.config?.parameterFiles;
  if (!configured) return settings.arm;
  const map: Record<string, string | readonly string[]> = { ...settings.arm?.parameterFileMap };
  for (const [template, files] of Object.entries(configured)) {
    const given = map[template];
    map[template] = given === undefined ? files : [...(typeof given === 'string' ? [given] : given), ...files];
  }
  return { ...settings.arm, parameterFileMap: map satisfies ParameterFileMap };
}

/** Reads a document into sites with the reader its kind calls for. */
export function readDocument(
  file: string,
  text: string,
  host: FileHost,
  settings: Pick<AnalysisSettings, 'arm' | 'bicep'> & { config?: LintConfig },
): ReaderResult & { kind: DocumentKind } {
  const kind = detectDocumentKind(file, text);
  switch (kind) {
    case 'arm-template':
    case 'arm-parameters':
      // Not spread: the sites of a read of one site are moved only when asked for (`keptSites.ts`).
      return Object.assign(readArmFile(file, text, host, armOptionsOf(settings)), { kind });
    case 'bicep':
      return { kind, ...bicep().readBicepFile(file, text, host, settings.bicep) };
    case 'bicepparam':
      return { kind, ...bicep().readBicepParamFile(file, text, host, settings.bicep) };
    case 'other':
      return { kind, sites: [], problems: [], dependencies: [] };
  }
}

/** Reads a document and reports every finding, wherever in the read files it is placed. */
export function analyzeDocument(file: string, text: string, host: FileHost, settings: AnalysisSettings): AnalysisResult {
  const reuse = settings.reuse;
  reuse?.startAnalysis();
  const read = readDocument(file, text, host, reuse ? { ...settings, arm: { ...settings.arm, reuse: reuse.arm } } : settings);
  const readText = (name: string) => (name === file ? text : host.readFile(name));
  // After typing inside one image, the rules run over that image alone when they can.
  const session = read.kind === 'arm-template' ? reuse : undefined;
  // The same map only for the same catalog, date and configuration: what the rules depend on.
  const checked = checkedImagesFor(settings);
  // Searching a large text for a suppression comment costs a scan: at most once per analysis,
  // and after typing in a text without one, only around the edit.
  // The session answers from the words around an edit; a JSON template holds a suppression only
  // with the whole marker (`documentMayHoldSuppression`), so its "may" is checked.
  let entryMayHoldSuppression = session?.entryMayHoldSuppression(text) === false ? false : undefined;
  const mayHold = (name: string, content: string) =>
    name === file
      ? (entryMayHoldSuppression ??= documentMayHoldSuppression(name, content))
      : documentMayHoldSuppression(name, content);
  const analysis: AnalysisInProgress = { file, text, settings, checked, readText, mayHold };
  let found = session?.findingsAfterRead(analysis);
  if (!found) {
    const placed = placeFindings(read.sites, settings, checked);
    const ruleFailures = placed.problems;
    // A fix must break no other candidate of the document, nor of a template it edits that is
    // read with other values (`fixes.ts`).
    const others = editedTemplateSites(file, placed.plans!, host, settings);
    verifyFixes(
      placed.findings,
      placed.plans!,
      others.length > 0 ? [...read.sites, ...others] : read.sites,
      findingsOfFor(settings, checked),
    );
    found = {
      ...keptFindings(placed, settings.config, readText, mayHold),
      // Only a session reads what the fixes watch (`findingsAfterEdit.ts`).
      watched: session ? watchedBy(placed.plans!) : undefined,
      problems: ruleFailures,
    };
  }
  session?.endAnalysis(analysis, found);
  const findings = found.findings;
  // Not spread from the read: a document session gives sites that are moved only when asked for.
  const result: AnalysisResult = {
    kind: read.kind,
    get sites() {
      return read.sites;
    },
    findings,
    // A rule that threw on an image is reported after what the reader found (`checkImage`).
    problems: found.problems?.length ? [...read.problems, ...found.problems] : read.problems,
    dependencies: read.dependencies,
  };
  // A suppression comment makes line breaks meaningful: edits are not checked against such a text.
  if (read.kind === 'arm-template' && read.entryTrace && !mayHold(file, text)) result.entryTrace = read.entryTrace;
  return result;
}

/** Findings, each with the indexes of the sites that placed it or were merged into it, in order. */
export interface SourcedFindings {
  findings: Finding[];
  sources: number[][];
  /** What each fix of a finding placed now does (`fixes.ts`), until it is verified. */
  plans?: Map<Fix, FixPlan>;
  /** Where the literals and lists the fixes edit start (`watchedBy`), by file. */
  watched?: Map<string, Set<number>>;
  /** An internal error for each rule that threw on an image, by file and image (`ruleFailureProblem`). */
  problems?: Problem[];
}

/**
 * The sites of every template other than the entry that a fix edits, read as entries of their
 * own: a parameter file (ARM or `.bicepparam`) is read through its template with its own values
 * alone, and a fix of one of those edits the template, whose defaults, allowed values and other
 * parameter files use the same literals. A module is read with its own defaults likewise.
 */
function editedTemplateSites(
  entry: string,
  plans: ReadonlyMap<Fix, FixPlan>,
  host: FileHost,
  settings: AnalysisSettings,
): ImageSite[] {
  const files = new Set<string>();
  for (const plan of plans.values()) {
    for (const change of plan.changes) if (change.definition.location.file !== entry) files.add(change.definition.location.file);
  }
  const sites: ImageSite[] = [];
  for (const name of files) {
    const content = host.readFile(name);
    if (content === undefined) continue;
    const kind = detectDocumentKind(name, content);
    if (kind !== 'arm-template' && kind !== 'bicep') continue;
    // Without the session's hook: it belongs to the entry's reads.
    sites.push(...readDocument(name, content, host, { arm: { ...settings.arm, reuse: undefined }, bicep: settings.bicep }).sites);
  }
  return sites;
}

/** Where the literals and allowed lists fixes edit start, by file. */
export function watchedBy(plans: ReadonlyMap<Fix, FixPlan>): Map<string, Set<number>> {
  const watched = new Map<string, Set<number>>();
  const add = (location: SourceLocation) => {
    let starts = watched.get(location.file);
    if (!starts) watched.set(location.file, (starts = new Set()));
    starts.add(location.range.start);
  };
  for (const plan of plans.values()) {
    for (const change of plan.changes) {
      add(change.definition.location);
      if (change.definition.allowedList) add(change.definition.allowedList.location);
    }
  }
  return watched;
}

/**
 * True when a candidate of the site uses a definition or an allowed list outside its own image
 * that `watched` says (what lies in its image, only its own fixes edit).
 */
export function usesAny(site: ImageSite, watched: (location: SourceLocation) => boolean): boolean {
  const visit = candidatesToVisit(site);
  const check = (listed: SourceLocation) => {
    const location = visit.locate(listed);
    return !within(location, site.use) && watched(location);
  };
  for (const candidate of visit.candidates) {
    for (const field of imageFields) {
      const definition = candidate[field]?.definition;
      if (!definition) continue;
      if (check(definition.location)) return true;
      if (definition.allowedList && check(definition.allowedList.location)) return true;
    }
  }
  return false;
}

export function within(location: SourceLocation, outer: SourceLocation): boolean {
  return location.file === outer.file && location.range.start >= outer.range.start && location.range.end <= outer.range.end;
}

/** What the enabled rules report on an image (code and message), through the same memory as the findings. */
export function findingsOfFor(settings: AnalysisSettings, reportsByNames: Map<string, CheckedImage>): FindingsOf {
  // Made at the first image not checked yet: most analyses verify no fix, or only known images.
  let enabled: EnabledRule[] | undefined;
  let policy: ImagePolicy | undefined;
  const codes = new Map<CheckedImage, ReadonlySet<string>>();
  return (names) => {
    // Keyed as `placeFindings` keys an image of a resource that declares no operating system.
    const key = `${imageNamesKey(names)}\u0000`;
    let checked = reportsByNames.get(key);
    if (!checked) {
      checked = checkImage(
        names,
        (enabled ??= enabledRules(settings)),
        settings,
        (policy ??= policyOf(settings.config)),
        undefined,
      );
      reportsByNames.set(key, checked);
    }
    let found = codes.get(checked);
    if (!found) codes.set(checked, (found = new Set(checked.reports.map((report) => report.key))));
    return found;
  };
}

/** What decides the order of two findings (`compareFindings`). */
export function findingPlace(finding: Finding): string {
  return `${finding.location.file}\u0000${finding.location.range.start}\u0000${finding.code}`;
}

/**
 * Runs the rules over sites and places what they report, merging duplicates; `reportsByNames`
 * holds what the rules said of images before (`checkedImagesFor`), `firstIndex` is the index of
 * the first site among the document's (for `sources`).
 */
export function placeFindings(
  sites: readonly ImageSite[],
  settings: AnalysisSettings,
  reportsByNames: Map<string, CheckedImage>,
  firstIndex = 0,
): SourcedFindings {
  const enabled = enabledRules(settings);
  const policy = policyOf(settings.config);
  // Findings in the order they were first placed (the final sort is stable, so this order
  // decides ties), and an index to find the one with the same code, message and location.
  const findings: Finding[] = [];
  const sources: number[][] = [];
  const plans = new Map<Fix, FixPlan>();
  // For each finding, what a deployer must choose for it to exist (what all its images share),
  // and the first image that placed it.
  const conditions: (Conditions | undefined)[] = [];
  const conditionUses: SourceLocation[] = [];
  const problems: Problem[] = [];
  const failuresReported = new Set<string>();
  const byLocation = new Map<string, Map<number, Map<number, Map<string, number>>>>();
  // Rules judge an image by its names alone (the rule context holds no site and no candidate),
  // and big templates repeat the same few images: each distinct image is checked once, and a
  // candidate object shared by many sites (readers share them) is keyed once.
  // The operating system a resource declares is part of what a rule sees (a Linux VM from an
  // unknown publisher is not endorsed; any other image from it is not judged), so it is part of
  // both keys.
  const reportsByCandidate = { linux: new Map<ImageCandidate, CheckedImage>(), windows: new Map(), none: new Map() };
  // The finding each report of a listed candidate was placed in, by the report's position, when
  // placed at the candidate's own definition: sites that share a list of candidates place them at
  // the same definitions (unless a site moved them), so the places need not be looked up again.
  const placedByCandidate = { linux: new Map<ImageCandidate, number[]>(), windows: new Map(), none: new Map() };
  sites.forEach((site, position) => {
    if (site.custom) return;
    const siteIndex = firstIndex + position;
    const byCandidate: Map<ImageCandidate, CheckedImage> = reportsByCandidate[site.os ?? 'none'];
    const placedOf: Map<ImageCandidate, number[]> = placedByCandidate[site.os ?? 'none'];
    // Sites may share one list of candidates (`sharedCandidates.ts`): each is visited as listed,
    // with its definitions placed where this site has them, and copied only to place a finding.
    const visit = candidatesToVisit(site);
    for (const candidate of visit.candidates) {
      let checked = byCandidate.get(candidate);
      if (!checked) {
        const namesKey = `${imageNamesKey(candidate)}\u0000${site.os ?? ''}`;
        checked = reportsByNames.get(namesKey);
        if (!checked) {
          checked = checkImage(checkedNamesOf(candidate), enabled, settings, policy, site.os);
          reportsByNames.set(namesKey, checked);
        }
        byCandidate.set(candidate, checked);
      }
      for (const failure of checked.failures) {
        // Once per rule, file and image: a template repeats its images many times.
        const key = `${failure.rule.code}\u0000${site.use.file}\u0000${imageNamesKey(candidate)}`;
        if (failuresReported.has(key)) continue;
        failuresReported.add(key);
        problems.push(ruleFailureProblem(failure, site, visit.localize(candidate)));
      }
      const reports = checked.reports;
      let placed = placedOf.get(candidate);
      for (let reportIndex = 0; reportIndex < reports.length; reportIndex++) {
        const { rule, severity, report, key } = reports[reportIndex];
        const listed = candidate[report.field]?.definition?.location;
        const start = listed ? visit.startOf(listed) : site.use.range.start;
        const unmoved = listed !== undefined && start === listed.range.start;
        let existing = unmoved ? placed?.[reportIndex] : undefined;
        if (existing === undefined) {
          const file = listed ? listed.file : site.use.file;
          const end = listed ? start + listed.range.end - listed.range.start : site.use.range.end;
          let byStart = byLocation.get(file);
          if (!byStart) byLocation.set(file, (byStart = new Map()));
          let byEnd = byStart.get(start);
          if (!byEnd) byStart.set(start, (byEnd = new Map()));
          let byReport = byEnd.get(end);
          if (!byReport) byEnd.set(end, (byReport = new Map()));
          existing = byReport.get(key);
          if (existing === undefined) byReport.set(key, findings.length);
          if (unmoved) {
            if (!placed) placedOf.set(candidate, (placed = []));
            placed[reportIndex] = existing ?? findings.length;
          }
          if (existing === undefined) {
            findings.push(placeFinding(rule, severity, report, site, visit.localize(candidate), checked.names, plans));
            sources.push([siteIndex]);
            conditions.push(localConditions(candidateConditions(candidate), visit));
            conditionUses.push(site.use);
            continue;
          }
        }
        if (conditions[existing])
          conditions[existing] = commonConditions(conditions[existing], localConditions(candidateConditions(candidate), visit));
        const placedBy = sources[existing];
        if (placedBy[placedBy.length - 1] !== siteIndex) placedBy.push(siteIndex);
        // A finding keeps at most `maximumRelated` uses; past that another use changes nothing.
        const finding = findings[existing];
        if (finding.related.length >= maximumRelated) continue;
        const related = relatedUse(report, site, candidate, listed ? visit.locate(listed) : site.use);
        if (related) mergeRelated(finding, related);
      }
    }
  });
  findings.forEach((finding, index) => {
    const when = conditions[index];
    if (when) {
      const conditionsText = when.map(conditionText).join(' and ');
      // At the outermost condition written in a template (the first: what encloses reads first),
      // where a deployer reads and changes what decides; at the image's use when none is.
      finding.related.push({
        location: when.find((condition) => condition.at)?.at ?? conditionUses[index],
        message: `This image is only deployed when ${conditionsText}.`,
        deployedWhen: conditionsText,
      });
    }
  });
  return { findings, sources, plans, problems };
}

/** Conditions with where they are written as this site has it (a site sharing another's candidates). */
function localConditions(when: Conditions | undefined, visit: CandidatesToVisit): Conditions | undefined {
  if (!when) return when;
  let local: Condition[] | undefined;
  for (let index = 0; index < when.length; index++) {
    const at = when[index].at;
    if (!at) continue;
    const location = visit.locate(at);
    if (location !== at) (local ??= [...when])[index] = { ...when[index], at: location };
  }
  return local ?? when;
}

/** What a deployer must choose for a candidate to be deployed: the conditions of all its values. */
export function candidateConditions(candidate: ImageCandidate): Conditions | undefined {
  let when: Conditions | undefined;
  for (const field of imageFields) when = unionConditions(when, candidate[field]?.when);
  return when;
}

/**
 * The internal error of a rule that threw on an image: it names the rule and the image (as
 * outputs show names: a value loaded from a file never appears, nor in the error's text) and sits
 * at the image's use in the file; the rule's findings on that image are all that is missing.
 */
function ruleFailureProblem(failure: RuleFailure, site: ImageSite, candidate: ImageCandidate): Problem {
  const names = namesOf(candidate);
  const image = imageFields
    .map((field) => names[field])
    .filter((name) => name !== undefined)
    .join(':');
  const thrown = failure.error instanceof Error ? `${failure.error.name}: ${failure.error.message}` : String(failure.error);
  const firstLine = thrown.split(/\r?\n/, 1)[0].slice(0, maximumErrorTextLength);
  const detail = hasLoadedValue(candidate) ? messageWithoutLoadedValues(firstLine, failure.rule, candidate) : firstLine;
  return {
    file: site.use.file,
    range: site.use.range,
    message: `Internal error: the rule '${failure.rule.code}' failed on the image ${image || '(no names known)'} (${detail}); its findings on this image are missing, the other rules and images were checked.`,
    internalError: true,
  };
}

/** The most characters of a thrown error's text a problem quotes. */
const maximumErrorTextLength = 200;

/** Drops suppressed and ignored findings and sorts the others, each with its sources. */
export function keptFindings(
  placed: SourcedFindings,
  config: LintConfig,
  readText: (file: string) => string | undefined,
  mayHold: (file: string, text: string) => boolean,
): SourcedFindings {
  const ignore = config.ignore ?? [];
  // The suppression comments of each file, found once: looking back from each finding must not
  // rescan the text. A file without any suppression comment needs no line index at all.
  const comments = new Map<string, SuppressionComments | undefined>();
  const commentsOf = (name: string) => {
    if (!comments.has(name)) {
      const content = readText(name);
      comments.set(
        name,
        content === undefined || !mayHold(name, content)
          ? undefined
          : new SuppressionComments(content, name, new LineIndex(content)),
      );
    }
    return comments.get(name);
  };
  const kept = placed.findings
    .map((finding, position) => ({ finding, sources: placed.sources[position] }))
    .filter(
      ({ finding }) =>
        !commentsOf(finding.location.file)?.suppresses(finding.location.range.start, finding.code) &&
        !(ignore.length > 0 && isIgnored(finding, ignore)),
    )
    .sort((a, b) => compareFindings(a.finding, b.finding));
  return { findings: kept.map((entry) => entry.finding), sources: kept.map((entry) => entry.sources) };
}

/** Past this many images (or configurations) the memory of what the rules said starts again. */
const maximumCheckedImages = 1024;
const maximumCheckedConfigurations = 4;

/**
 * What the rules said of each image, kept from one analysis to the next for the same catalog,
 * configuration and date: an editor analyses the same template again and again, and an edit
 * changes one image at most. Rules are pure functions of these inputs and the image's names, and
 * nothing downstream changes what they returned. Shared explicitly, and bounded: a document
 * session keeps one (`core/incremental/`), the CLI's scan one for the run; an analysis given none
 * keeps what the rules said for itself alone.
 */
export class CheckedImages {
  private catalog: Catalog | undefined;
  private rules: readonly Rule[] | undefined;
  private readonly byConfiguration = new Map<string, Map<string, CheckedImage>>();

  /** @internal What the rules said under these settings (the same map for the same inputs). */
  for(settings: AnalysisSettings): Map<string, CheckedImage> {
    const rules = settings.rules ?? allRules;
    if (this.catalog !== settings.catalog || this.rules !== rules) {
      this.catalog = settings.catalog;
      this.rules = rules;
      this.byConfiguration.clear();
    }
    const key = `${settings.asOf}\u0000${JSON.stringify(settings.config)}`;
    let byNames = this.byConfiguration.get(key);
    if (!byNames || byNames.size > maximumCheckedImages) {
      if (this.byConfiguration.size >= maximumCheckedConfigurations) this.byConfiguration.clear();
      this.byConfiguration.set(key, (byNames = new Map()));
    }
    return byNames;
  }
}

function checkedImagesFor(settings: AnalysisSettings): Map<string, CheckedImage> {
  return (settings.checkedImages ?? settings.reuse?.checkedImages ?? new CheckedImages()).for(settings);
}

/** What the enabled rules report on one image, each report with the key that merges its duplicates. */
export interface CheckedImage {
  names: ImageNames;
  reports: { rule: Rule; severity: Severity; report: RuleReport; key: string }[];
  /** The rules that threw on the image: none of their reports is kept, the other rules' are. */
  failures: RuleFailure[];
}

interface RuleFailure {
  rule: Rule;
  error: unknown;
}

function checkImage(
  names: ImageNames,
  enabled: readonly EnabledRule[],
  settings: AnalysisSettings,
  policy: ImagePolicy,
  os: 'linux' | 'windows' | undefined,
): CheckedImage {
  const match = matchImage(settings.catalog, names);
  const context: Omit<RuleContext, 'options'> = { catalog: settings.catalog, asOf: settings.asOf, policy, names, match, os };
  const reports: CheckedImage['reports'] = [];
  const failures: RuleFailure[] = [];
  for (const entry of enabled) {
    // Each rule is guarded on its own, as Bicep's `LinterRuleBase` does: a rule that throws on
    // one image costs its own findings on that image, never the other rules' or the document's.
    let found: RuleReport[];
    try {
      found = entry.rule.check({ ...context, options: entry.options });
    } catch (error) {
      failures.push({ rule: entry.rule, error });
      continue;
    }
    for (const report of found) {
      reports.push({ rule: entry.rule, severity: entry.severity, report, key: `${entry.rule.code}\u0000${report.message}` });
    }
  }
  return { names, reports, failures };
}

/** The key of a candidate's image (or of names) in the memory of what the rules said. */
function imageNamesKey(image: ImageCandidate | ImageNames): string {
  const value = (field: ImageField) => {
    const entry = image[field];
    return entry === undefined ? '\u0001' : typeof entry === 'string' ? entry : entry.value;
  };
  return `${value('publisher')}\u0000${value('offer')}\u0000${value('sku')}\u0000${value('version')}`;
}

function policyOf(config: LintConfig): ImagePolicy {
  return { allowed: config.allowed ?? [], denied: config.denied ?? [], source: config.source ?? 'the configuration' };
}

interface EnabledRule {
  rule: Rule;
  severity: Severity;
  options: Record<string, number>;
}

function enabledRules(settings: Pick<AnalysisSettings, 'config' | 'rules'>): EnabledRule[] {
  const config = settings.config;
  const result: EnabledRule[] = [];
  for (const rule of settings.rules ?? allRules) {
    const setting = config.rules[rule.code];
    const level = setting?.level ?? rule.defaultLevel;
    if (level === 'off') continue;
    const options: Record<string, number> = {};
    for (const [name, option] of Object.entries(rule.options)) {
      options[name] = setting?.options[name] ?? option.default;
    }
    result.push({ rule, severity: level, options });
  }
  return result;
}

// Where they were before: the adapters and tests import them from here.
export { loadedValueLabel };
export { literal } from './fixes';

/**
 * The names of a candidate as outputs show them (inventory, JSON, hover): a value loaded from a
 * file (`loadJsonContent`) is never shown, only where it came from (`loadedValueLabel`).
 */
export function namesOf(candidate: ImageCandidate): ImageNames {
  const names: ImageNames = {};
  for (const field of imageFields) {
    const value = candidate[field];
    if (value) names[field] = value.loadedFrom === undefined ? value.value : loadedValueLabel(value.loadedFrom);
  }
  return names;
}

/** The names the rules check: the values themselves, loaded ones included. */
function checkedNamesOf(candidate: ImageCandidate): ImageNames {
  const names: ImageNames = {};
  for (const field of imageFields) {
    const value = candidate[field];
    if (value) names[field] = value.value;
  }
  return names;
}

/** Values this short would be found inside ordinary words: a message with one is not rewritten. */
const minimumMaskedLength = 3;

/**
 * A rule's message about a candidate with values loaded from a file, with every occurrence of
 * those values (in any case) replaced by where they came from. A rule quotes the names it was
 * given; when a loaded value is too short to find reliably, the message says what the rule
 * checks and where the values came from instead.
 */
function messageWithoutLoadedValues(message: string, rule: Rule, candidate: ImageCandidate): string {
  const loaded = new Map<string, string>();
  for (const field of imageFields) {
    const value = candidate[field];
    if (value?.loadedFrom === undefined || value.value === '') continue;
    if (value.value.length < minimumMaskedLength) {
      const files = [
        ...new Set(
          imageFields.flatMap((name) => (candidate[name]?.loadedFrom !== undefined ? [candidate[name]!.loadedFrom] : [])),
        ),
      ];
      return `${rule.title}: the image is named with values loaded from ${files.join(', ')}, which are not shown.`;
    }
    loaded.set(value.value.toLowerCase(), loadedValueLabel(value.loadedFrom));
  }
  if (loaded.size === 0) return message;
  // One pass, longest first: a label written in never matches another value.
  const pattern = new RegExp(
    [...loaded.keys()]
      .sort((a, b) => b.length - a.length)
      .map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('|'),
    'gi',
  );
  return message.replace(pattern, (found) => loaded.get(found.toLowerCase()) ?? found);
}

/** True when a field of the candidate holds a value loaded from a file. */
function hasLoadedValue(candidate: ImageCandidate): boolean {
  return imageFields.some((field) => candidate[field]?.loadedFrom !== undefined);
}

function placeFinding(
  rule: Rule,
  severity: Severity,
  report: RuleReport,
  site: ImageSite,
  candidate: ImageCandidate,
  names: ImageNames,
  plans?: Map<Fix, FixPlan>,
): Finding {
  const location: SourceLocation = candidate[report.field]?.definition?.location ?? site.use;
  const related: RelatedLocation[] = [];
  const use = relatedUse(report, site, candidate, location);
  if (use) related.push(use);
  const fixes: Fix[] = [];
  report.fixes.forEach((target, index) => {
    const changes = fixChanges(candidate, target);
    if (!changes) return;
    const fix: Fix = {
      title: target.title,
      isPreferred: index === 0 && report.firstFixPreferred,
      edits: editsOfChanges(changes),
    };
    fixes.push(fix);
    plans?.set(fix, { target, changes });
  });
  const loaded = hasLoadedValue(candidate);
  const message = loaded ? messageWithoutLoadedValues(report.message, rule, candidate) : report.message;
  // An image written inside a registry module is reported at the call, which does not name it.
  const reported = candidate[report.field];
  const inside = reported ? writtenInsideModule(reported) : undefined;
  return {
    code: rule.code,
    severity,
    message: inside ? `${message} The image is written inside the ${inside.description}, not in this file.` : message,
    location,
    related,
    image: loaded ? namesOf(candidate) : names,
    fixes,
  };
}

/** The use of the image, as related information of a finding placed elsewhere (at a definition). */
function relatedUse(
  report: RuleReport,
  site: ImageSite,
  candidate: ImageCandidate,
  location: SourceLocation,
): RelatedLocation | undefined {
  if (sameLocation(location, site.use)) return undefined;
  const definition = candidate[report.field]?.definition;
  return {
    location: site.use,
    message: `The ${report.field} ${definition ? `from ${definition.description} ` : ''}is used by this ${shortType(site.resourceType)} image.`,
  };
}

/** The most related locations (other uses of the same definition) a finding lists. */
const maximumRelated = 20;

function mergeRelated(into: Finding, item: RelatedLocation): void {
  if (into.related.length >= maximumRelated) return;
  if (!into.related.some((existing) => sameLocation(existing.location, item.location))) into.related.push(item);
}

function sameLocation(a: SourceLocation, b: SourceLocation): boolean {
  return a.file === b.file && a.range.start === b.range.start && a.range.end === b.range.end;
}

function shortType(resourceType: string): string {
  return resourceType.slice(resourceType.indexOf('/') + 1);
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.location.file !== b.location.file) return a.location.file < b.location.file ? -1 : 1;
  return a.location.range.start - b.location.range.start || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}
