/**
 * `end-of-support`: the support the image's offer includes has ended as of the analysis date.
 * Standard support for most offers; extended support for offers that include it (Ubuntu Pro,
 * SLES for SAP, every Debian image through Debian LTS). Where paid extended support can still be
 * bought, the message says what it is and until when.
 */
import { includedSupport, purchasableSupport, supportStatus } from '../catalog/lifecycle';
import { successorsOf } from '../catalog/successors';
import { describeUsedImage, fixTargetsFrom, mostSpecificField, type Rule, switchSentence } from './rule';

export const endOfSupportRule: Rule = {
  code: 'end-of-support',
  title: 'Image is out of support',
  defaultLevel: 'error',
  description: [
    'Reports a Marketplace image whose vendor support has ended as of the analysis date.',
    '',
    'The support that counts is the support the offer includes: standard support for most images;',
    'extended support for offers that include it (Ubuntu Pro offers, SLES for SAP, and every Debian',
    'image, since Debian LTS is part of Debian). An image out of support gets no security updates',
    'from its vendor, and Marketplace images of such versions are deprecated and then removed, so',
    'new deployments start to fail.',
    '',
    'When paid extended support can still be bought (Ubuntu Pro, RHEL ELS, SUSE LTSS, Oracle',
    'Extended Support), the message says which and until when.',
    '',
    'Fix: switch to the endorsed, supported successor offered as a quick-fix. It keeps the',
    'architecture and Hyper-V generation, and sets `version` to `latest` when a pinned version',
    'cannot exist on the new SKU.',
  ].join('\n'),
  options: {},
  check(context) {
    if (context.match.kind !== 'image') return [];
    const entry = context.match.entry;
    if (supportStatus(entry, context.asOf) !== 'ended') return [];
    const support = includedSupport(entry);
    if (!support) return [];
    const purchasable = purchasableSupport(entry, context.asOf);
    const choices = successorsOf(context.catalog, entry, context.asOf);
    const what = support.kind === 'standard' ? 'end of standard support' : `end of ${support.name}`;
    const extension = purchasable ? `; ${purchasable.name} can extend it until ${purchasable.ends}` : '';
    return [
      {
        field: mostSpecificField(context.names),
        message:
          `${describeUsedImage(entry.version.name, context.names)} reached ${what} on ${support.ends}` +
          extension +
          switchSentence(choices),
        fixes: fixTargetsFrom(choices),
        firstFixPreferred: choices[0]?.changes.length === 0,
      },
    ];
  },
};
