/**
 * The neutral model shared by every reader and every rule. The ARM reader and the Bicep reader
 * both turn a file into image sites: where an image is used, which values each of its fields can
 * take, and where each of those values is written. Rules only ever see this model, never a
 * jsonc-parser node or a Bicep syntax tree, which is what lets every rule work on both formats.
 *
 * Positions are UTF-16 offsets into the text of the file named next to them; only the adapters
 * (language server, CLI) turn them into lines and columns.
 */

/** A half-open range of UTF-16 offsets, `start` inclusive and `end` exclusive. */
export interface OffsetRange {
  start: number;
  end: number;
}

/** A range in a named file. `file` is whatever name the host used for that file (path or URI). */
export interface SourceLocation {
  file: string;
  range: OffsetRange;
}

export type ImageField = 'publisher' | 'offer' | 'sku' | 'version';
export const imageFields: readonly ImageField[] = ['publisher', 'offer', 'sku', 'version'];

/**
 * One thing a deployer chooses that a value depends on: a parameter and the value it takes
 * (`enableJumpbox` is `true`, `osType` is `'Linux'`). It reads "<subject> is <value>".
 */
export interface Condition {
  subject: string;
  value: string;
  /**
   * Where the condition that decides is written: a resource's `condition` value (ARM), the
   * `if (...)` of a Bicep resource or module, the string holding an ARM `if()` (an ARM expression
   * lies inside one JSON string), a Bicep ternary. Set where the choice is consumed, the first
   * time; absent for a choice not made by a condition in a template (a registry module's own).
   */
  at?: SourceLocation;
}

/** Conditions that all hold, each once, in the order first met. */
export type Conditions = readonly Condition[];

/** The four strings of a Marketplace image, any of which may be unknown. */
export type ImageNames = Partial<Record<ImageField, string>>;

/** How the text of a value is written, so that a fix can write a replacement the same way. */
export type LiteralSyntax = 'json' | 'bicep';

/**
 * What kind of declaration holds the text of a value. It decides the wording of related
 * information ("parameter 'os' default") and nothing else.
 */
export type DefinitionKind =
  'literal' | 'parameter-default' | 'allowed-value' | 'variable' | 'parameter-file' | 'module-parameter' | 'output';

/** Where the text of one value is written: a string literal that a fix may replace whole. */
export interface ValueDefinition {
  /** The string literal including its quotes. */
  location: SourceLocation;
  kind: DefinitionKind;
  syntax: LiteralSyntax;
  /** A short phrase naming the declaration, such as "parameter 'ubuntuOSVersion'". */
  description: string;
  /**
   * For a value given to a parameter that lists its allowed values (a default, an allowed value,
   * a parameter file's value, a value passed to a module): that list. A fix that writes another
   * value adds it there too, so that the template stays valid (`fixes.ts`).
   */
  allowedList?: AllowedList;
}

/**
 * What a resolution step went through: a declaration that referred to the value on its way (a
 * variable, a parameter's default or allowed value, a parameter file, a value passed to a
 * module or nested deployment), or a property or map entry read out of an object. A value
 * written inside a registry module, which no file here holds, has that module as its one step
 * (`registry-module`) and no definition.
 */
export type ResolutionStepKind = Exclude<DefinitionKind, 'literal'> | 'property' | 'map-entry' | 'registry-module';

/**
 * One step on the way from where a value is written to the image that uses it: "variable
 * 'imageReference'" when an expression inside that variable referred to it. Steps are shared:
 * readers make one per declaration or property they pass through, never one per value.
 */
export interface ResolutionStep {
  kind: ResolutionStepKind;
  /** A short phrase naming what it went through, such as "variable 'imageReference'". */
  description: string;
}

/**
 * A module call or nested deployment on the way from the analysed file to a site: the declaration
 * of the module (`module vm './vm.bicep'`) or the deployment resource, in the file that makes it.
 */
export interface DeploymentStep {
  kind: 'module' | 'deployment';
  /** The module's symbolic name, or the deployment's name as written. */
  name: string;
  location: SourceLocation;
}

/** The list of a parameter's allowed values (`allowedValues`, `@allowed`), as written. */
export interface AllowedList {
  /** The array literal, brackets included. */
  location: SourceLocation;
  /** The string values it lists. */
  values: readonly string[];
  /** Where a new value goes, from the start of the array, and what to write before its literal. */
  insertAt: number;
  separator: string;
  syntax: LiteralSyntax;
}

/**
 * One value a field can take. `definition` is absent when the value is computed (concatenated,
 * formatted, lower-cased...) so that no single literal holds it; such a value can be checked but
 * not fixed in place.
 */
export interface ResolvedValue {
  value: string;
  definition?: ValueDefinition;
  /**
   * What a deployer must choose for this value to be deployed: the branch of an `if()` or a
   * ternary, a resource's or module's `condition`. Absent when it is deployed whatever is chosen.
   */
  when?: Conditions;
  /**
   * The file the value was loaded from (`loadJsonContent`), as the template names it. The rules
   * check such a value, but messages and outputs never quote it (`displayNamesOf`): the file
   * may hold anything, secrets included.
   */
  loadedFrom?: string;
  /**
   * How the value came from its definition to the image, innermost first: each declaration that
   * referred to it and each property or map entry it was read from (`resolutionTrace.ts`).
   * Absent when nothing lies between (a literal of the image, a parameter the image reads).
   */
  via?: readonly ResolutionStep[];
}

/**
 * One combination of values that can be deployed together. Fields travel together: a map of
 * images indexed by a parameter yields one candidate per entry, never a cross product. A field
 * that is absent could not be resolved statically for this candidate.
 */
export type ImageCandidate = Partial<Record<ImageField, ResolvedValue>>;

/** Where the image specification of a resource lives and what it can deploy. */
export interface ImageSite {
  /** The image specification as written where it is used (the `imageReference` value, say). */
  use: SourceLocation;
  /** The Azure resource type, such as `Microsoft.Compute/virtualMachines`. */
  resourceType: string;
  /**
   * Every combination. Never modified: a list may serve many sites. For a site with `shared`
   * candidates, each access builds the list anew (see there).
   */
  candidates: ImageCandidate[];
  /** Fields that at least one candidate could not resolve. */
  unresolved: ImageField[];
  /** A custom image (`id`, shared or community gallery id): never a Linux finding. */
  custom: boolean;
  /**
   * The operating system the resource declares in literal text (`linuxConfiguration`,
   * `osDisk.osType`, a Batch node agent, an AVM module's `osType`), when it declares one.
   */
  os?: 'linux' | 'windows';
  /**
   * The module calls and nested deployments from the analysed file to the resource, outermost
   * first; absent when the resource is in the analysed file's own template. A module deployed
   * by several calls gives the first call that reaches it.
   */
  via?: readonly DeploymentStep[];
  /**
   * The calls that led to each candidate, by its index, when they differ between candidates: a
   * site merged from several analyses (a folder scan: every caller of a shared module,
   * `inventory.ts`), or read through several calls of one file (`candidateViaOf`).
   */
  candidateVia?: readonly (readonly DeploymentStep[])[];
  /**
   * Set when the site's candidates are those of another use of the same image text: big templates
   * write one image on thousands of resources, and an image read from a parameter with hundreds of
   * allowed values has hundreds of candidates, so a copy per site does not fit in memory. The
   * candidates differ only by where the literals written in the image's own text are, so the site
   * keeps the shared list and where those literals moved (`sharedCandidates.ts`); `candidates`
   * builds the moved list at each access, and code that visits every site reads this instead.
   */
  shared?: SharedCandidates;
  /**
   * Why the site is unresolved when the reason is not in its values: a linked deployment that
   * is not followed (a template elsewhere, a template spec), which may deploy any image.
   */
  unresolvedReason?: string;
}

/**
 * Candidates shared with other sites, and where this site has the definitions that differ: plain
 * data, so that a site crosses to another thread (`restoreSharedSite` gives it its getter back).
 */
export interface SharedCandidates {
  /** The list as the site it was read for has it. */
  candidates: readonly ImageCandidate[];
  /** The file whose definitions move. */
  file: string;
  /** Where each definition of `file` that moves starts at this site, by where it starts in the list. */
  moves: ReadonlyMap<number, number>;
}

/** Something a reader could not read. Never thrown: returned next to what was found. */
export interface Problem {
  file: string;
  message: string;
  range?: OffsetRange;
  /** Set when the tool failed, not the input: a rule threw on an image (`analyze.ts`). */
  internalError?: true;
}

/** What a reader returns for one entry file, including what it read from other files. */
export interface ReaderResult {
  sites: ImageSite[];
  problems: Problem[];
  /** Every other file whose content this result depends on (parameter files, modules...). */
  dependencies: string[];
  /**
   * ARM templates: the containers of the entry's text and which of them the reader looked into,
   * to tell which edits cannot change the result (`editReuse.ts`).
   */
  entryTrace?: ContainerTrace;
}

/** What a reader did with an object or array: nothing, read its own entries, or its whole text. */
export const enum ContainerRead {
  Unread = 0,
  Entries = 1,
  WholeText = 2,
}

/**
 * The objects and arrays of a text in document order (where each starts, where it ends, and the
 * index of the first container after it and its descendants) and what the reader did with each:
 * plain data, so that it can cross to another thread. A result depends only on the entries of
 * the containers the reader looked into, so a change inside a container nobody looked into
 * cannot change it (`editReuse.ts`).
 */
export interface ContainerTrace {
  count: number;
  starts: Int32Array;
  ends: Int32Array;
  next: Int32Array;
  reads: Uint8Array;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type RuleLevel = Severity | 'off';

export interface TextEdit {
  file: string;
  range: OffsetRange;
  newText: string;
}

export interface Fix {
  title: string;
  isPreferred: boolean;
  edits: TextEdit[];
}

export interface RelatedLocation {
  location: SourceLocation;
  message: string;
  /**
   * Set on the related information that says what a deployer must choose for the finding's
   * image to be deployed: those conditions as text ("enableJumpbox is true"), for outputs that
   * show no related information (the CLI's text report).
   */
  deployedWhen?: string;
}

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  location: SourceLocation;
  related: RelatedLocation[];
  image: ImageNames;
  fixes: Fix[];
}

/** Reads other files for cross-file analysis. The adapters implement it; the core never does I/O. */
export interface FileHost {
  /** The text of a file, or undefined when it does not exist or cannot be read. */
  readFile(file: string): string | undefined;
  /** Names of the files directly inside a folder (not paths), or an empty list. */
  listFolder?(folder: string): readonly string[];
  /**
   * The absolute name of a file, to compare names written differently (a file named relative to
   * the current folder, a configured absolute path). Hosts whose names are absolute omit it.
   */
  absolutePath?(file: string): string;
  /**
   * Why the host refuses to read a file that exists ("it is outside the workspace"), for
   * messages; undefined when it does not refuse it. Hosts without a file-access policy omit it.
   */
  refusalOf?(file: string): string | undefined;
}

export const emptyFileHost: FileHost = { readFile: () => undefined };
