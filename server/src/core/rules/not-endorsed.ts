/**
 * `not-endorsed`: a Linux distribution that Microsoft does not endorse on Azure (CentOS, the
 * community Rocky Linux images, openSUSE, Kali, CoreOS...), and an image from a publisher the
 * catalog does not know on a resource that declares Linux (`linuxConfiguration`, `osType`, a Batch
 * Linux node agent, an AVM module's `osType`). Endorsement belongs to a distribution, that is a
 * publisher and product, not to a version: a version out of support is `end-of-support`'s.
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
    'vendor; others (CentOS, community Rocky Linux images, openSUSE, Kali, CoreOS...) are not.',
    '',
    'An image from a publisher the catalog does not know is reported too when the resource declares',
    'that it runs Linux (`osProfile.linuxConfiguration`, `storageProfile.osDisk.osType: Linux`, a',
    'Batch pool with a Linux node agent, an AVM module with `osType: Linux`): it is a Linux',
    'distribution that none of the endorsed partners publishes. Windows and custom images are not.',
    '',
    "Fix: switch to an endorsed distribution; the quick-fix offers the catalog's successor, which",
    'keeps architecture, Hyper-V generation and licensing.',
  ].join('\n'),
  options: {},
  check(context) {
    const match = context.match;
    if (match.kind === 'unknown-publisher' && context.os === 'linux' && context.names.publisher !== undefined) {
      // The resource says it runs Linux, and no endorsed partner publishes it.
      const names = context.names;
      return [
        {
          field: 'publisher',
          message:
            `Publisher '${names.publisher}' (${names.publisher}/${names.offer ?? '?'}) is not one of the endorsed Linux ` +
            `distributions' publishers, and the resource declares Linux: a Linux distribution not endorsed on Azure.`,
          fixes: [],
          firstFixPreferred: false,
        },
      ];
    }
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
