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

/** Where each rule's documentation page lives; every diagnostic links to it. */
export const rulesDocumentationBase = 'https://github.com/azure-image-lint/azure-image-lint/blob/main/docs/rules/';

export function ruleDocumentationUrl(code: string): string {
  return `${rulesDocumentationBase}${code}.md`;
}
