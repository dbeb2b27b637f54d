/**
 * `support-ending`: the support the image's offer includes ends within a configurable number of
 * days (180 by default). The same dates as `end-of-support`, one step earlier, so that a team
 * can plan the move before deployments start to break.
 */
import { daysUntil, includedSupport, supportStatus } from '../catalog/lifecycle';
import { successorsOf } from '../catalog/successors';
import { describeUsedImage, fixTargetsFrom, mostSpecificField, type Rule, switchSentence } from './rule';

export const supportEndingRule: Rule = {
  code: 'support-ending',
  title: 'Image support ends soon',
  defaultLevel: 'warning',
  description: [
    'Reports a Marketplace image whose vendor support ends within the next `days` days (180 by',
    'default) as of the analysis date: the same support as `end-of-support` counts (standard',
    'support, or the extended support the offer includes).',
    '',
    'Fix: plan the move to the endorsed, supported successor offered as a quick-fix.',
  ].join('\n'),
  options: {
    days: {
      type: 'number',
      default: 180,
      minimum: 0,
      maximum: 3650,
      description: 'How many days before the end of support to start warning.',
    },
  },
  check(context) {
    if (context.match.kind !== 'image') return [];
    const entry = context.match.entry;
    if (supportStatus(entry, context.asOf) !== 'supported') return [];
    const support = includedSupport(entry);
    if (!support) return [];
    const days = daysUntil(context.asOf, support.ends);
    if (days === undefined || days > context.options.days) return [];
    const choices = successorsOf(context.catalog, entry, context.asOf);
    const what = support.kind === 'standard' ? 'standard support' : support.name;
    const when = days === 0 ? 'today' : days === 1 ? 'in 1 day' : `in ${days} days`;
    return [
      {
        field: mostSpecificField(context.names),
        message:
          `${describeUsedImage(entry.version.name, context.names)} reaches the end of ${what} on ${support.ends}, ${when}` +
          switchSentence(choices),
        fixes: fixTargetsFrom(choices),
        firstFixPreferred: choices[0]?.changes.length === 0,
      },
    ];
  },
};
