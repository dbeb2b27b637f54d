/**
 * A rule that throws, for the tests of guarded rules: it throws a `TypeError` on the one SKU
 * `throwingSku` names and reports one information finding on every other image, so a test sees
 * both that the other images still reach it and that its failure costs nothing else.
 */
import type { Rule } from '../../../server/out/core/rules/rule';

/** The SKU the rule throws on: Ubuntu 18.04's, which `end-of-support` reports too. */
export const throwingSku = '18.04-LTS';

export const throwingRuleCode = 'test-throwing-rule';

export const throwingRule: Rule = {
  code: throwingRuleCode,
  title: 'Throwing rule (tests only)',
  defaultLevel: 'information',
  description: 'Throws on one SKU; reports every other image. Registered by the tests alone.',
  options: {},
  check(context) {
    if (context.names.sku === throwingSku) throw new TypeError('the test rule cannot read this image');
    return [{ field: 'sku', message: `The test rule saw '${context.names.sku}'.`, fixes: [], firstFixPreferred: false }];
  },
};
