/**
 * What a rule is: a stable kebab-case code, a default level, the user-facing explanation (which
 * feeds the hover, the CLI's `--explain` and the docs page), its options, and a check that looks at
 * one candidate image of one site with its catalog match and reports findings on one of the
 * image's fields. Rules never see syntax trees, positions or files: the pipeline places findings
 * where the reported field is defined and turns fix targets into edits.
 */
import type { Catalog } from '../catalog/catalogTypes';
import type { ImageMatch } from '../catalog/matchImage';
import type { SuccessorChoice } from '../catalog/successors';
import type { ImageField, ImageNames, RuleLevel } from '../model';

export interface RuleOption {
  type: 'number';
  default: number;
  description: string;
  minimum: number;
  maximum: number;
}

/** The organisation's allow and deny lists, and where they came from (for messages). */
export interface ImagePolicy {
  allowed: string[];
  denied: string[];
  source: string;
}

export interface RuleContext {
  catalog: Catalog;
  /** The analysis date, `YYYY-MM-DD`. */
  asOf: string;
  /** This rule's options, with defaults filled in. */
  options: Record<string, number>;
  policy: ImagePolicy;
  /**
   * The image's names. A rule judges an image by its names, catalog match and the operating
   * system its resource declares alone, never by where it is used or written: the pipeline checks
   * each distinct image once and places the reports at every candidate that names it.
   */
  names: ImageNames;
  match: ImageMatch;
  /** The operating system the resource declares in literal text, when it declares one. */
  os?: 'linux' | 'windows';
}

/** An image a fix switches to: names to write, and a title. */
export interface FixTarget {
  title: string;
  publisher: string;
  offer: string;
  sku: string;
}

export interface RuleReport {
  /** The field whose definition carries the finding. */
  field: ImageField;
  message: string;
  /** Fix targets, the preferred one first. */
  fixes: FixTarget[];
  /** Whether the first fix is preferred (safe to apply in a "fix all"). */
  firstFixPreferred: boolean;
}

export interface Rule {
  code: string;
  title: string;
  defaultLevel: RuleLevel;
  /** Markdown: what the rule checks, why it matters and how to fix it. */
  description: string;
  options: Record<string, RuleOption>;
  check(context: RuleContext): RuleReport[];
}

/** "Ubuntu 18.04 LTS (UbuntuServer/18.04-LTS)", with the names as the user wrote them. */
export function describeUsedImage(versionName: string, names: ImageNames): string {
  return `${versionName} (${names.offer ?? '?'}/${names.sku ?? '?'})`;
}

/** "Ubuntu 24.04 LTS (ubuntu-24_04-lts/server-gen1)". */
export function describeChoice(choice: SuccessorChoice): string {
  return `${choice.entry.version.name} (${choice.entry.image.offer}/${choice.sku})`;
}

/** Turns successor choices into fix targets; a choice with changes says them in its title. */
export function fixTargetsFrom(choices: readonly SuccessorChoice[]): FixTarget[] {
  return choices.map((choice) => ({
    title: `Switch to ${describeChoice(choice)}` + (choice.changes.length ? ` (changes ${choice.changes.join(', ')})` : ''),
    publisher: choice.entry.publisher,
    offer: choice.entry.image.offer,
    sku: choice.sku,
  }));
}

/** "; switch to X." or "." when there is nowhere to go. */
export function switchSentence(choices: readonly SuccessorChoice[]): string {
  const preferred = choices.find((choice) => choice.changes.length === 0);
  return preferred ? `; switch to ${describeChoice(preferred)}.` : '.';
}

/** The field that names the image most precisely among those that were resolved. */
export function mostSpecificField(names: ImageNames): ImageField {
  if (names.sku !== undefined) return 'sku';
  if (names.offer !== undefined) return 'offer';
  return 'publisher';
}
