/**
 * `unknown-image`: a known Linux publisher with an offer or SKU that the catalog neither lists nor
 * recognises by the vendor's naming rules. Often a typo that fails only at deployment time,
 * sometimes an image newer than the catalog. Near misses get "did you mean" fixes, only towards an
 * image that is supported as of the analysis date and of the same major release; the edit
 * distance is measured case-insensitively, as Azure matches.
 */
import { supportStatus } from '../catalog/lifecycle';
import { entriesOf, matchImage, offersOf, skusOf } from '../catalog/matchImage';
import type { RuleContext } from './rule';
import type { FixTarget, Rule } from './rule';

/** The largest edit distance still offered as a "did you mean". */
function nearMissLimit(text: string): number {
  return Math.min(3, Math.max(1, Math.floor(text.length / 4)));
}

export const unknownImageRule: Rule = {
  code: 'unknown-image',
  title: 'Unknown offer or SKU of a known Linux publisher',
  defaultLevel: 'information',
  description: [
    'Reports an offer or SKU of a known Linux publisher that is not in the catalog: the catalog',
    "neither lists it by name nor recognises it by the vendor's naming rules (how the vendor names",
    'offers and SKUs: `ubuntu-NN_NN-lts` with `server`, `minimal-gen1`..., RHEL `N_m` and',
    '`Nm-gen2`, SUSE `sles-NN-spN-byos`...). A SKU that follows the naming rules is judged as an',
    'image of the release it names even when it is not listed, so a retired release is',
    '`end-of-support`, not unknown. What is left is often a typo that only fails when the template',
    'is deployed; it can also be an image newer than the catalog (add it with a catalog file, see',
    'the README). The message gives the catalog\'s "as of" date.',
    '',
    'Fix: the quick-fixes offer the nearest known names ("did you mean"), only towards an image',
    'that is supported as of the analysis date and of the same major release.',
  ].join('\n'),
  options: {},
  check(context) {
    const { match, names } = context;
    if (match.kind !== 'partial' || names.publisher === undefined) return [];
    const asOf = ` (catalog as of ${context.catalog.asOf})`;
    if (!match.offerKnown) {
      if (names.offer === undefined) return [];
      const suggestions = nearMisses(names.offer, offersOf(context.catalog, names.publisher));
      return [
        {
          field: 'offer',
          message: `Offer '${names.offer}' is not in the catalog for publisher '${names.publisher}'${asOf}${didYouMean(suggestions)}`,
          fixes: suggestions.map((offer) =>
            target(`Change offer to '${offer}'`, names.publisher as string, offer, names.sku ?? ''),
          ),
          firstFixPreferred: false,
        },
      ];
    }
    if (names.sku === undefined || names.offer === undefined) return [];
    const known = entriesOf(context.catalog, names.publisher, names.offer).flatMap((entry) => skusOf(entry.image));
    const suggestions = nearMisses(names.sku, known).filter((sku) => isWorthSuggesting(context, names.sku as string, sku));
    const recognition = match.recognition;
    const release = recognition
      ? `; its name reads as release ${recognition.release ?? recognition.versionId}, which the catalog does not know`
      : '';
    return [
      {
        field: 'sku',
        message: `SKU '${names.sku}' of ${names.publisher}/${names.offer} is not in the catalog${asOf}${release}${didYouMean(suggestions)}`,
        fixes: suggestions.map((sku) => target(`Change SKU to '${sku}'`, names.publisher as string, names.offer as string, sku)),
        firstFixPreferred: false,
      },
    ];
  },
};

/**
 * A "did you mean" must not send anyone backwards: the suggested image is supported as of the
 * analysis date, and when both names carry a release number, it is the same major release.
 */
function isWorthSuggesting(context: RuleContext, typed: string, suggested: string): boolean {
  const suggestion = matchImage(context.catalog, { ...context.names, sku: suggested });
  if (suggestion.kind !== 'image' || supportStatus(suggestion.entry, context.asOf) === 'ended') return false;
  const typedMajor = /\d+/.exec(typed)?.[0];
  const suggestedMajor = /\d+/.exec(suggested)?.[0];
  return typedMajor === undefined || suggestedMajor === undefined || typedMajor === suggestedMajor;
}

function target(title: string, publisher: string, offer: string, sku: string): FixTarget {
  return { title, publisher, offer, sku };
}

function didYouMean(suggestions: string[]): string {
  if (suggestions.length === 0) return '.';
  return `; did you mean ${suggestions.map((s) => `'${s}'`).join(' or ')}?`;
}

/** Up to three known names within the near-miss distance, nearest first. */
export function nearMisses(text: string, known: readonly string[]): string[] {
  const limit = nearMissLimit(text);
  const lower = text.toLowerCase();
  const scored: { name: string; distance: number }[] = [];
  const seen = new Set<string>();
  for (const name of known) {
    const key = name.toLowerCase();
    if (seen.has(key) || key === lower) continue;
    seen.add(key);
    const distance = editDistance(lower, key, limit);
    if (distance <= limit) scored.push({ name, distance });
  }
  scored.sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name));
  return scored.slice(0, 3).map((item) => item.name);
}

/** Levenshtein distance, giving up (returning limit + 1) once it must exceed the limit. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      current.push(value);
      if (value < rowMinimum) rowMinimum = value;
    }
    if (rowMinimum > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}
