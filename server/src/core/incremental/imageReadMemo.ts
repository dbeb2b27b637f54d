/**
 * Images remembered from one read of a template to the next. An editor reads a template again on
 * every keystroke, and when the keystroke is in an image, every other image is as it was: reading
 * them again is most of the work of a small template (the parameters with allowed values that an
 * image reads are pinned to each value in turn, a map variable is materialized...).
 *
 * Within one read, an image is already read once per scope and text (`templateImageSites.ts`).
 * Across reads, what else it depends on must be checked too. An image's alternatives are a
 * function of:
 * - its text and resource type (the key within one read);
 * - its scope's `memoKey`: the template file, the parameter file of the deployment (name and
 *   text) and the copy indexes; scopes whose parameters a caller passes have none and are never
 *   remembered;
 * - the parameters and variables the read looked up (`p:name`, `v:name`, recorded by the
 *   evaluator with everything they read in turn), each with its written name, where its
 *   declaration is and the declaration's text.
 * A remembered image is used only when all of them are unchanged. Its alternatives then hold the
 * same definitions, up to the image's own literals, which are moved to where the image now is as
 * a copy within one read is. The trace (`editReuse.ts`) must still say what the result depends on:
 * a reuse marks each declaration it checked as wholly read, so that an edit inside one is analysed
 * again. Reuse also takes the evaluation steps the first read took, so that the budget that stops
 * runaway templates runs out about where it would have.
 *
 * For texts of 64 KB and more the memo also keeps the last text read with where its containers
 * are (`parseJsonDocument` reuses them after typing inside a string), the sites that read found
 * (`readAfterImageEdit.ts` reads only the image typed in); `AnalysisMemo` (`analyze.ts`) keeps
 * with it the findings of the analysis that made that read (the rules then run over that image only).
 *
 * The caller owns one memo per document (the language server keeps one per open document); the
 * CLI, which reads each file once, passes none. A read of the whole template keeps only the
 * entries it used or made, a read of one site those and the previous ones (up to a bound), and
 * entries hold copies of their strings, never slices of the text they were read from.
 */
import { ownCopy } from '../text';
import type { Value } from '../values';
import { markWholeTextRead, previousParseOf, type JsonNode, type PreviousParse } from '../arm/jsonDocument';
import type { ArmReadReuse, DeploymentImageRecall, ReadEnd, ReadInProgress } from '../arm/readReuse';
import type { RecalledImage, TemplateScope } from '../arm/templateScope';
import type { ImageSite } from '../model';
import { KeptSites } from './keptSites';
import { type PreviousRead, type SiteReadAgain, sitesAfterImageEdit } from './readAfterImageEdit';

/** The most entries a memo keeps across reads of one site (`finishKeepingPrevious`). */
const maximumKeptEntries = 4096;

/** The shortest text whose containers a memo keeps for the next read (`parseJsonDocument`). */
const minimumRememberedParse = 65_536;

/** What one read took from the memo, from its start to its end. */
interface MemoReading {
  previousParse: PreviousParse | undefined;
  previousRead: PreviousRead | undefined;
  recall?: MemoRead;
  /** The sites after an edit inside one image, when the read took them (`sitesAfterImageEdit`). */
  again?: { sites: KeptSites; siteRead: SiteReadAgain };
}

/**
 * What a document session keeps between the ARM reads of its document: the reader's hook
 * (`ArmReadReuse`). Opaque: only the reader, through the hook, and the session look inside.
 */
export class ImageReadMemo implements ArmReadReuse {
  /** @internal Entries the last completed read used or made. */
  entries = new Map<string, RememberedImage>();
  /** @internal Short names of the deployment signatures (parameter file texts) seen last. */
  deployments = new Map<string, string>();
  /** @internal Never reused, so that an entry of a forgotten deployment is never taken for another. */
  nextDeployment = 1;
  /** @internal The last text read and where its containers are (see `parseJsonDocument`). */
  previousParse: PreviousParse | undefined;
  /** @internal What the read of that text found (see `readAfterImageEdit.ts`). */
  previousRead: PreviousRead | undefined;
  /**
   * How the last read changed the sites of the read before it, when it read one site again
   * (`readAfterImageEdit.ts`); the session runs the rules on that site alone.
   */
  siteRead: SiteReadAgain | undefined;
  /** The read in progress. */
  private reading: MemoReading | undefined;
  /** How many images were taken from the memo so far (tests and benchmarks read it). */
  recalls = 0;
  /** How many reads read one site again instead of the whole template (`readAfterImageEdit.ts`). */
  siteReads = 0;

  startRead(): PreviousParse | undefined {
    const previousParse = this.previousParse;
    this.reading = { previousParse, previousRead: this.previousRead };
    // Kept again when the read ends well; a small text is scanned in well under a millisecond and
    // is not worth keeping.
    this.previousParse = undefined;
    this.previousRead = undefined;
    this.siteRead = undefined;
    return previousParse;
  }

  imageRecall(): DeploymentImageRecall {
    const recall = new MemoRead(this);
    if (this.reading) this.reading.recall = recall;
    return recall;
  }

  sitesAfterEdit(read: ReadInProgress): (() => ImageSite[]) | undefined {
    const previousParse = this.reading?.previousParse;
    const previousRead = this.reading?.previousRead;
    if (!previousParse || !previousRead || !sameStrings(previousRead.signatures, read.signatures)) return undefined;
    const again = sitesAfterImageEdit(read.file, read.document, previousParse, previousRead, read.scopes);
    if (!again) return undefined;
    // A read of the whole template would charge at most what the previous one did plus what the
    // site read again took (`readBudget.ts`); when that could spend the budget, only a read of
    // the whole template knows which images it leaves unread.
    const images = read.images;
    if (previousRead.imageValues + images.used >= images.limit) {
      images.used = 0;
      images.skipped = 0;
      return undefined;
    }
    this.reading!.again = again;
    return () => again.sites.all();
  }

  endRead(read: ReadInProgress & ReadEnd): void {
    const reading = this.reading;
    this.reading = undefined;
    if (!reading) return;
    const { file, text, document, images } = read;
    const again = reading.again;
    let table = again?.sites;
    if (again) reading.recall?.finishKeepingPrevious();
    else {
      reading.recall?.finish();
      if (reading.recall && read.sites && read.recipes && text.length >= minimumRememberedParse)
        table = KeptSites.of(file, read.sites, read.recipes);
    }
    if (text.length >= minimumRememberedParse) {
      const parse = previousParseOf(text, document);
      this.previousParse = parse;
      // A read that left images unread is not read again in part: see `sitesAfterEdit`. Nor is
      // one that followed linked templates: they may change while this text does not.
      if (parse && table && document.trace && images.skipped === 0 && !read.followedLinks)
        this.previousRead = {
          text,
          signatures: read.signatures,
          sites: table,
          reads: document.trace.reads.slice(0, document.trace.count),
          imageValues: again ? reading.previousRead!.imageValues + images.used : images.used,
        };
    }
    this.siteRead = again?.siteRead;
  }
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

export interface RememberedImage extends RecalledImage {
  /** Each parameter or variable read, with how it was declared then (`describeDeclaration`). */
  dependencies: readonly (readonly [string, string])[];
  /** Evaluation steps the read took. */
  cost: number;
}

/** One read's use of a memo: it looks entries up, makes new ones, and on `finish` keeps those. */
export class MemoRead implements DeploymentImageRecall {
  private readonly used = new Map<string, RememberedImage>();
  private readonly deploymentsUsed = new Map<string, string>();

  constructor(private readonly memo: ImageReadMemo) {}

  /**
   * A short key for a deployment's signature (template file, parameter file and its text): the
   * prefix of every key read in its scopes.
   */
  deploymentKey(signature: string): string {
    let key = this.deploymentsUsed.get(signature) ?? this.memo.deployments.get(signature);
    if (key === undefined) key = `d${this.memo.nextDeployment++}`;
    if (!this.deploymentsUsed.has(signature)) this.deploymentsUsed.set(ownCopy(signature), key);
    return key;
  }

  /**
   * The image remembered under `key`, when every declaration it read is unchanged in `scope`
   * and the budget still holds what reading it took; undefined otherwise.
   */
  recall(key: string, scope: TemplateScope): RememberedImage | undefined {
    const entry = this.used.get(key) ?? this.memo.entries.get(key);
    if (!entry) return undefined;
    const nodes: JsonNode[] = [];
    for (const [symbol, declared] of entry.dependencies) {
      if (describeDeclaration(scope, symbol, nodes) !== declared) return undefined;
    }
    const context = scope.context;
    if (context.budget < entry.cost) return undefined;
    context.budget -= entry.cost;
    for (const node of nodes) markWholeTextRead(node);
    this.used.set(key, entry);
    this.memo.recalls++;
    return entry;
  }

  /**
   * Reads an image with `read`, recording the parameters and variables it looks up, and
   * remembers the result under `key` unless the budget ran out. Returns the alternatives (when
   * remembered, the remembered copy).
   */
  readAndRemember(key: string, scope: TemplateScope, start: number, end: number, read: () => Value[] | null): Value[] | null {
    const context = scope.context;
    const frames = context.symbolReads;
    if (!frames) return read();
    const symbols = new Set<string>();
    const budget = context.budget;
    frames.push(symbols);
    let alternatives: Value[] | null;
    try {
      alternatives = read();
    } finally {
      frames.pop();
    }
    if (context.budget < 0) return alternatives;
    const dependencies = [...symbols].map((symbol) => [ownCopy(symbol), ownCopy(describeDeclaration(scope, symbol))] as const);
    const entry: RememberedImage = {
      alternatives: alternatives && detached(alternatives),
      start,
      end,
      dependencies,
      cost: budget - context.budget,
    };
    this.used.set(ownCopy(key), entry);
    return entry.alternatives;
  }

  /**
   * Keeps the entries this read used or made and those the previous read kept: a read of one
   * site uses few of them, and the next full read will need the others. Past a bound, only this
   * read's.
   */
  finishKeepingPrevious(): void {
    this.memo.siteReads++;
    if (this.memo.entries.size + this.used.size <= maximumKeptEntries) {
      for (const [key, entry] of this.memo.entries) if (!this.used.has(key)) this.used.set(key, entry);
    }
    this.finish();
  }

  /** Keeps the entries this read used or made, and nothing else. */
  finish(): void {
    this.memo.entries = this.used;
    this.memo.deployments = this.deploymentsUsed;
  }
}

/**
 * How a parameter or variable is declared in a scope: its written name, and where and how its
 * declaration is written; `nodes` receives the declaration nodes.
 */
function describeDeclaration(scope: TemplateScope, symbol: string, nodes?: JsonNode[]): string {
  const text = scope.context.text ?? '';
  const written = (node: JsonNode | undefined): string => {
    if (!node) return '-';
    nodes?.push(node);
    return `${node.start}:${text.slice(node.start, node.end)}`;
  };
  const name = symbol.slice(2);
  if (symbol.startsWith('p:')) {
    const parameter = scope.parameters.get(name);
    if (!parameter) return '-';
    // A declaration that is not an object still makes the name a parameter: its value is then
    // the parameter file's, if any (part of the deployment key), else unknown.
    return `${parameter.name} ${parameter.declaration ? written(parameter.declaration) : 'not an object'}`;
  }
  const variable = scope.variables.get(name);
  const copyVariable = scope.copyVariables.get(name);
  const declared = variable ? `${variable.name} ${written(variable.node)}` : '-';
  const copied = copyVariable ? `${copyVariable.name} ${written(copyVariable.count)} ${written(copyVariable.input)}` : '-';
  return `${declared} | ${copied}`;
}

/**
 * A deep copy of plain data in which every string holds its own characters, so that a remembered
 * value never keeps the text it was read from alive. Shared objects stay shared.
 */
function detached<T>(value: T, seen = new Map<object, unknown>()): T {
  if (typeof value === 'string') return ownCopy(value) as T;
  if (typeof value !== 'object' || value === null) return value;
  const known = seen.get(value);
  if (known !== undefined) return known as T;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(detached(item, seen));
    return copy as T;
  }
  if (value instanceof Map) {
    const copy = new Map<unknown, unknown>();
    seen.set(value, copy);
    for (const [key, item] of value) copy.set(detached(key, seen), detached(item, seen));
    return copy as T;
  }
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const key of Object.keys(value)) copy[key] = detached((value as Record<string, unknown>)[key], seen);
  return copy as T;
}
