/**
 * `not-endorsed`: a Linux distribution that Microsoft does not endorse on Azure (CentOS, the
 * community Rocky Linux images, openSUSE, CoreOS...). Endorsement belongs to a distribution, that
 * is a publisher and product, not to a version: a version out of support is `end-of-support`'s.
 */
import { successorsOf } from '../catalog/successors';
import { fixTargetsFrom, type Rule, switchSentence } from './rule';

export const notEndorsedRule: Rule = {
  code: 'not-endorsed',
  title: 'Linux distribution not endorsed on Azure',
  defaultLevel: 'warning',
  description: [
    'Reports an image of a Linux distribution that is not on Microsoft\'s "Endorsed Linux',
    'distributions on Azure" list. Endorsed distributions are built and tested with Azure by',
    'their vendors, carry the Azure agent, and are covered by Microsoft support together with the',
    'vendor; others (CentOS, community Rocky Linux images, openSUSE, CoreOS...) are not.',
    '',
    "Fix: switch to an endorsed distribution; the quick-fix offers the catalog's successor, which",
    'keeps architecture, Hyper-V generation and licensing.',
  ].join('\n'),
  options: {},
  check(context) {
    const match = context.match;
    const distribution =
      match.kind === 'image'
        ? match.entry.distribution
        : match.kind === 'partial' && match.offerKnown && match.distributions.length === 1
          ? match.distributions[0]
          : undefined;
    if (!distribution || distribution.endorsed.value) return [];
    const choices = match.kind === 'image' ? successorsOf(context.catalog, match.entry, context.asOf) : [];
    const names = context.names;
    return [
      {
        field: 'publisher',
        message:
          `${distribution.name} (${names.publisher}/${names.offer ?? '?'}) is not endorsed on Azure` + switchSentence(choices),
        fixes: fixTargetsFrom(choices),
        firstFixPreferred: choices[0]?.changes.length === 0,
      },
    ];
  },
};
