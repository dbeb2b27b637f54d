/**
 * `untuned-kernel`: the image runs a stock kernel while another image of the same distribution
 * version ships the Azure-tuned kernel (SLES BYOS or for SAP next to SLES pay-as-you-go, the
 * Debian 9 image next to 9-backports...). Distributions with no tuned kernel at all are not
 * reported: there is nothing better to switch to.
 */
import { kernelOf, tunedVariantsOf } from '../catalog/successors';
import { describeChoice, describeUsedImage, fixTargetsFrom, mostSpecificField, type Rule } from './rule';

export const untunedKernelRule: Rule = {
  code: 'untuned-kernel',
  title: 'Kernel is not tuned for Azure',
  defaultLevel: 'information',
  description: [
    "Reports an image that runs the distribution's stock kernel while a variant of the same",
    'distribution version ships the Azure-tuned kernel (Ubuntu `linux-azure`, SUSE `kernel-azure`,',
    'the Debian cloud kernel). Tuned kernels boot faster, carry the Hyper-V and accelerated',
    'networking drivers Azure needs and get Azure-specific fixes first.',
    '',
    'The hover states the kernel flavour of every image. Fix: switch to the variant named in the',
    'message; when that changes licensing (BYOS to pay-as-you-go, say) the fix says so.',
  ].join('\n'),
  options: {},
  check(context) {
    if (context.match.kind !== 'image') return [];
    const entry = context.match.entry;
    const kernel = kernelOf(entry);
    if (kernel.tuned) return [];
    const variants = tunedVariantsOf(entry, context.asOf);
    if (variants.length === 0) return [];
    const variant = variants[0];
    return [
      {
        field: mostSpecificField(context.names),
        message:
          `${describeUsedImage(entry.version.name, context.names)} runs the stock kernel (${kernel.name}); ` +
          `${describeChoice(variant)} ships the Azure-tuned kernel (${kernelOf(variant.entry).name}).`,
        fixes: fixTargetsFrom(variants),
        firstFixPreferred: variant.changes.length === 0,
      },
    ];
  },
};
