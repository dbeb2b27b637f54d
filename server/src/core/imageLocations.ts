/**
 * The table of where each resource type keeps its image (data in `imageLocations.json`) and the
 * one function both readers use to turn the evaluated image object into an image site. Keeping
 * this shared is what makes ARM and Bicep give the same findings for the same template.
 */
import table from './imageLocations.json';
import type { ImageCandidate, ImageField, ImageSite, SourceLocation } from './model';
import { imageFields } from './model';
import { getProperty, type ObjectValue, type Value } from './values';

export interface ImageLocation {
  resourceType: string;
  /** Property names from the resource body to the image object. */
  path: string[];
  /** Our field name to the image object's property name. */
  fields: Partial<Record<ImageField, string>>;
  customImageProperties: string[];
  when?: { property: string; value: string };
  /** The image object may be written as a JSON string (hostPools `vmTemplate`). */
  jsonString?: boolean;
}

export const imageLocations: readonly ImageLocation[] = table.locations as ImageLocation[];

const locationsByType = new Map(imageLocations.map((location) => [location.resourceType.toLowerCase(), location]));

/** The image location of a resource type (matched case-insensitively), if it has one. */
export function imageLocationOf(resourceType: string): ImageLocation | undefined {
  return locationsByType.get(resourceType.toLowerCase());
}

/** The last segment of every resource type with an image, lower-cased: a cheap pre-filter. */
export const imageResourceTypeNames: ReadonlySet<string> = new Set(
  imageLocations.map((location) => location.resourceType.toLowerCase()),
);

/** True when an object looks like an image reference: it has a publisher, offer or SKU property. */
export function looksLikeImageObject(object: ObjectValue, location: ImageLocation): boolean {
  return (['publisher', 'offer', 'sku'] as const).some((field) => {
    const property = location.fields[field];
    return property !== undefined && getProperty(object, property) !== undefined;
  });
}

/**
 * Builds the site for one image use from the alternatives of the image object. An alternative
 * that is not an object contributes an all-unknown candidate; a custom image marks the site custom.
 * Alternatives that fail the location's `when` condition (an image template whose source is not a
 * platform image) are dropped; a site with no alternatives left returns undefined.
 */
export function buildImageSite(
  use: SourceLocation,
  location: ImageLocation,
  alternatives: readonly Value[],
): ImageSite | undefined {
  const candidates: ImageCandidate[] = [];
  const unresolved = new Set<ImageField>();
  let custom = false;
  let considered = 0;
  for (const alternative of alternatives) {
    if (alternative.kind !== 'object') {
      if (alternative.kind === 'unknown') {
        considered++;
        for (const field of imageFields) if (location.fields[field]) unresolved.add(field);
      }
      continue;
    }
    if (location.when) {
      const condition = getProperty(alternative, location.when.property);
      if (condition?.kind === 'string' && condition.value.toLowerCase() !== location.when.value.toLowerCase()) {
        continue;
      }
    }
    considered++;
    if (location.customImageProperties.some((name) => isSet(getProperty(alternative, name)))) {
      if (!looksLikeImageObject(alternative, location)) {
        custom = true;
        continue;
      }
    }
    const candidate: ImageCandidate = {};
    for (const field of imageFields) {
      const property = location.fields[field];
      if (!property) continue;
      const value = getProperty(alternative, property);
      if (value?.kind === 'string') candidate[field] = value;
      else if (value?.kind === 'number') candidate[field] = { value: String(value.value) };
      else if (field !== 'version' || value !== undefined) unresolved.add(field);
    }
    candidates.push(candidate);
  }
  if (considered === 0) return undefined;
  return {
    use,
    resourceType: location.resourceType,
    candidates,
    unresolved: imageFields.filter((field) => unresolved.has(field)),
    custom: custom && candidates.length === 0,
  };
}

function isSet(value: Value | undefined): boolean {
  if (value === undefined) return false;
  if (value.kind === 'null') return false;
  if (value.kind === 'string') return value.value !== '';
  return true;
}
