/**
 * `preview-image`: a preview offer, SKU or version. What Bicep's `use-stable-vm-image` checks for
 * literal VM images, here for every resource type with an image, for resolved values and for ARM
 * JSON too, plus images the catalog marks as preview.
 */
import type { ImageField } from '../model';
import type { Rule } from './rule';

const previewFields: readonly ImageField[] = ['offer', 'sku', 'version'];

export const previewImageRule: Rule = {
  code: 'preview-image',
  title: 'Preview image',
  defaultLevel: 'warning',
  description: [
    'Reports an image whose offer, SKU or version is a preview (its name contains "preview", or',
    'the catalog marks it as one). Preview images are not covered by the usual SLA and can change',
    "or disappear without the notice that generally available images get. This is what Bicep's",
    '`use-stable-vm-image` linter rule checks for literal VM images; this rule checks every',
    'resource type with an image, values that come from parameters and variables, and ARM JSON.',
    '',
    'Fix: use a generally available offer and SKU.',
  ].join('\n'),
  options: {},
  check(context) {
    const { names, match } = context;
    const field = previewFields.find((name) => names[name]?.toLowerCase().includes('preview'));
    if (field) {
      return [
        {
          field,
          message: `The image ${field} '${names[field]}' is a preview; use a generally available image.`,
          fixes: [],
          firstFixPreferred: false,
        },
      ];
    }
    if (match.kind === 'image' && match.entry.image.preview) {
      return [
        {
          field: 'sku',
          message: `${match.entry.version.name} (${names.offer}/${names.sku}) is a preview image; use a generally available image.`,
          fixes: [],
          firstFixPreferred: false,
        },
      ];
    }
    return [];
  },
};
