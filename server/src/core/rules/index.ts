/**
 * The registry of every rule. A rule that is not listed here does not run; the meta-test checks
 * that every rule file is listed, documented and configurable.
 */
import { endOfSupportRule } from './end-of-support';
import { notAllowedRule } from './not-allowed';
import { notEndorsedRule } from './not-endorsed';
import { previewImageRule } from './preview-image';
import type { Rule } from './rule';
import { supportEndingRule } from './support-ending';
import { unknownImageRule } from './unknown-image';
import { untunedKernelRule } from './untuned-kernel';

export const allRules: readonly Rule[] = [
  endOfSupportRule,
  supportEndingRule,
  notEndorsedRule,
  untunedKernelRule,
  unknownImageRule,
  previewImageRule,
  notAllowedRule,
];

export function findRule(code: string): Rule | undefined {
  return allRules.find((rule) => rule.code === code);
}

/**
 * Every rule has a page, docs/rules/<code>.md, shipped with the extension and the package. Links
 * to it are made by the adapters from where the pages are installed (`node/ruleDocumentation.ts`):
 * `file:` URIs, which exist wherever the tool runs, offline, and describe the version that made
 * the finding. The project publishes no pages on the web; if it does one day, this one constant
 * (the address of the published docs/rules/ folder, ending in '/') makes every link point there.
 */
export const publishedRulesDocumentationBase: string | undefined = undefined;

/** The link to a rule's page: the published one if any, else the one under `installedBase`. */
export function ruleDocumentationUrl(code: string, installedBase: string | undefined): string | undefined {
  const base = publishedRulesDocumentationBase ?? installedBase;
  return base === undefined ? undefined : `${base}${code}.md`;
}
