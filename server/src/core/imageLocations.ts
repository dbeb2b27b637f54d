/**
 * The table of where each resource type keeps its image (data in `imageLocations.json`) and the
 * one function both readers use to turn the evaluated image object into an image site. Keeping
 * this shared is what makes ARM and Bicep give the same findings for the same template.
 */
import table from './imageLocations.json';
import type { Conditions, DeploymentStep, ImageCandidate, ImageField, ImageSite, ResolvedValue, SourceLocation } from './model';
import { imageFields } from './model';
import { ownCopy } from './text';
import { distinctValues, getProperty, unionConditions, type ObjectValue, type StringValue, type Value } from './values';

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
  /** Where the resource declares its operating system, first written first. */
  os?: OsIndicator[];
}

export type OperatingSystem = 'linux' | 'windows';

/** The property names of an image object anywhere: the Compute `imageReference` shape. */
const imageReferenceFields: ImageLocation['fields'] = { publisher: 'publisher', offer: 'offer', sku: 'sku', version: 'version' };

/**
 * Where an image object passed to a deployment the reader cannot follow stands: the value of a
 * module parameter (`path` from the declaration, in Bicep the `params` object) or of a linked
 * deployment's parameter. Its resource type says where it went, since what it deploys is unknown.
 */
export function passedImageLocation(path: string[], parameter: string, target: string): ImageLocation {
  return {
    resourceType: `unknown (parameter '${parameter}' of '${target}')`,
    path,
    fields: imageReferenceFields,
    customImageProperties: ['id', 'sharedGalleryImageId', 'communityGalleryImageId'],
  };
}

/**
 * A property that declares a resource's operating system: by being there (`linuxConfiguration`),
 * or by a string value that starts with one of `prefixes`, lower-cased (`osType: 'Linux'`, a Batch
 * `nodeAgentSkuId` of `batch.node.ubuntu 22.04`).
 */
export interface OsIndicator {
  path: string[];
  present?: OperatingSystem;
  prefixes?: Record<string, OperatingSystem>;
}

/** What a reader finds at an indicator's path: nothing, a value that is no literal text, or text. */
export type WrittenProperty = { text?: string } | undefined;

/**
 * The operating system a resource declares, from what its reader finds at each indicator's path
 * (`lookUp`); undefined when it declares none in literal text. Both readers read only literal
 * text here, so that an ARM template and its Bicep twin declare the same.
 */
export function declaredOs(
  location: ImageLocation,
  lookUp: (path: readonly string[]) => WrittenProperty,
): OperatingSystem | undefined {
  for (const indicator of location.os ?? []) {
    const found = lookUp(indicator.path);
    if (found === undefined) continue;
    if (indicator.present) return indicator.present;
    const text = found.text?.toLowerCase();
    if (text === undefined || !indicator.prefixes) continue;
    for (const [prefix, os] of Object.entries(indicator.prefixes)) if (text.startsWith(prefix)) return os;
  }
  return undefined;
}

/**
 * The paths a Bicep resource body of a type as written is pruned to: the image's, then those of
 * its operating-system indicators (see `imagePathOfWrittenType`); a deployment's link. Undefined as
 * the image path is.
 */
export function keptPathsOfWrittenType(writtenType: string): readonly (readonly string[])[] | undefined {
  const known = keptPathsByWrittenType.get(writtenType);
  if (known !== undefined) return known ?? undefined;
  const path = imagePathOfWrittenType(writtenType);
  let paths: readonly (readonly string[])[] | undefined;
  if (/^microsoft\.resources\/deployments(@|$)/i.test(writtenType)) paths = linkedDeploymentPaths;
  else if (path === undefined) paths = undefined;
  else if (path.length === 0) paths = [];
  else {
    const at = writtenType.indexOf('@');
    const type = at < 0 ? writtenType : writtenType.slice(0, at);
    const osPaths = (imageLocationOf(type)?.os ?? []).map((indicator) => indicator.path);
    paths = [path, ...osPaths];
  }
  if (keptPathsByWrittenType.size >= 1024) keptPathsByWrittenType.clear();
  keptPathsByWrittenType.set(ownCopy(writtenType), paths ?? null);
  return paths;
}

const keptPathsByWrittenType = new Map<string, readonly (readonly string[])[] | null>();

/** What the Bicep reader reads of a deployment: its name and where its template link leads (`readBicep.ts`). */
const linkedDeploymentPaths: readonly (readonly string[])[] = [
  ['name'],
  ['properties', 'templateLink'],
  ['properties', 'parameters'],
  ['properties', 'parametersLink'],
];

export const imageLocations: readonly ImageLocation[] = table.locations as ImageLocation[];

const locationsByType = new Map(imageLocations.map((location) => [location.resourceType.toLowerCase(), location]));

/** Types as written, looked up before: big templates repeat a few types thousands of times. */
const locationsByWrittenType = new Map<string, ImageLocation | null>();

/** The image location of a resource type (matched case-insensitively), if it has one. */
export function imageLocationOf(resourceType: string): ImageLocation | undefined {
  const known = locationsByWrittenType.get(resourceType);
  if (known !== undefined) return known ?? undefined;
  const location = locationsByType.get(resourceType.toLowerCase());
  // Bounded, so that a stream of distinct types cannot grow it without end.
  if (locationsByWrittenType.size >= 1024) locationsByWrittenType.clear();
  locationsByWrittenType.set(ownCopy(resourceType), location ?? null);
  return location;
}

const pathsByLastSegment = new Map<string, string[][]>();
for (const location of imageLocations) {
  const last = location.resourceType.slice(location.resourceType.lastIndexOf('/') + 1).toLowerCase();
  pathsByLastSegment.set(last, [...(pathsByLastSegment.get(last) ?? []), location.path]);
}

/**
 * The path from a resource body to its image for a type as written in a Bicep declaration
 * (`'Type@version'`, or a nested child's short type): an empty path when the type has no image
 * (for a short type: no resource type ending in the same segment has one), and undefined when
 * the resource types a short type may stand for disagree on the path.
 * The Bicep reader keeps only this part of each resource body.
 */
export function imagePathOfWrittenType(writtenType: string): readonly string[] | undefined {
  const known = pathsByWrittenType.get(writtenType);
  if (known !== undefined) return known ?? undefined;
  const path = imagePathOfType(writtenType);
  if (pathsByWrittenType.size >= 1024) pathsByWrittenType.clear();
  pathsByWrittenType.set(ownCopy(writtenType), path ?? null);
  return path;
}

/** Paths by type as written, found before: a big template repeats a few types thousands of times. */
const pathsByWrittenType = new Map<string, readonly string[] | null>();

/** `imagePathOfWrittenType`, worked out. */
function imagePathOfType(writtenType: string): readonly string[] | undefined {
  const at = writtenType.indexOf('@');
  const type = at < 0 ? writtenType : writtenType.slice(0, at);
  // A full type (its first segment names a provider) is the resource's type, nested or not; a
  // nested child's short type is appended to its parent's, which is not known here.
  if (type.slice(0, type.indexOf('/')).includes('.')) return imageLocationOf(type)?.path ?? [];
  const paths = pathsByLastSegment.get(type.slice(type.lastIndexOf('/') + 1).toLowerCase());
  if (!paths) return [];
  return paths.every((path) => path.join('/') === paths[0].join('/')) ? paths[0] : undefined;
}

/** The last segment of every resource type with an image, lower-cased: a cheap pre-filter. */
export const imageResourceTypeNames: ReadonlySet<string> = new Set(
  imageLocations.map((location) => location.resourceType.toLowerCase()),
);

/**
 * Matches the text of a file that names a resource type with an image: its provider and first
 * type segment (`Microsoft.Batch/batchAccounts`, which a nested `pools` child is declared inside),
 * in any case. A file that matches nowhere declares no resource with an image. Literal
 * alternatives only: the scan is linear in the text.
 */
export const imageResourceTypeMarker: RegExp = new RegExp(
  [
    ...new Set(
      imageLocations.map((location) =>
        location.resourceType
          .split('/')
          .slice(0, 2)
          .join('/')
          .replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'),
      ),
    ),
  ].join('|'),
  'i',
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
      if (value?.kind === 'string') candidate[field] = resolvedOf(value, alternative.when);
      else if (value?.kind === 'number') {
        const resolved: ResolvedValue = { value: String(value.value) };
        if (value.loadedFrom !== undefined) resolved.loadedFrom = value.loadedFrom;
        if (alternative.when) resolved.when = alternative.when;
        candidate[field] = resolved;
      } else if (field !== 'version' || value !== undefined) unresolved.add(field);
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

/**
 * A field's value as a candidate holds it: the string itself (shared, not copied: big templates
 * have many), deployed under its own conditions and those of the image object.
 */
function resolvedOf(value: StringValue, objectWhen: Conditions | undefined): ResolvedValue {
  const when = unionConditions(objectWhen, value.when);
  return when === value.when || (value.when && when!.length === value.when.length) ? value : { ...value, when };
}

function isSet(value: Value | undefined): boolean {
  if (value === undefined) return false;
  if (value.kind === 'null') return false;
  if (value.kind === 'string') return value.value !== '';
  return true;
}

/** A site without its use: what a list of alternatives builds at one image location. */
export type SiteShape = Omit<ImageSite, 'use'>;

const siteShapes = new WeakMap<readonly Value[], Map<ImageLocation, SiteShape | null>>();

/**
 * The site a list of alternatives builds at a location, built once per list and location. The
 * readers share one list among every use of an image written the same way (a variable used by a
 * VM and by a scale set, say), so its candidates are built once; the location stays part of the
 * key because it decides the resource type and the image's property names.
 */
export function sharedSiteShape(use: SourceLocation, location: ImageLocation, alternatives: readonly Value[]): SiteShape | null {
  let byLocation = siteShapes.get(alternatives);
  if (!byLocation) {
    byLocation = new Map();
    siteShapes.set(alternatives, byLocation);
  }
  let shape = byLocation.get(location);
  if (shape === undefined) {
    const built = buildImageSite(use, location, alternatives);
    shape = built
      ? { resourceType: built.resourceType, candidates: built.candidates, unresolved: built.unresolved, custom: built.custom }
      : null;
    byLocation.set(location, shape);
  }
  return shape;
}

/**
 * For a site its reader reached through several chains of calls (two module calls of one file,
 * say), the chain each candidate came through (`ImageSite.candidateVia`): that of the first read
 * that gave the same candidate (the same names written in the same places). `parts` are the
 * values each read found and `vias` the chain of each; undefined when all came the same way.
 */
export function candidateViaOf(
  site: ImageSite,
  location: ImageLocation,
  parts: readonly (readonly Value[])[],
  vias: readonly (readonly DeploymentStep[] | undefined)[],
): (readonly DeploymentStep[])[] | undefined {
  const first = vias[0] ?? [];
  if (vias.every((via) => sameDeploymentSteps(via ?? [], first))) return undefined;
  const keyOf = (candidate: ImageCandidate) =>
    imageFields
      .map((field) => {
        const value = candidate[field];
        const at = value?.definition?.location;
        return value ? `${value.value}\u0001${at?.file ?? ''}\u0001${at?.range.start ?? ''}` : '';
      })
      .join('\u0000');
  const viaByCandidate = new Map<string, readonly DeploymentStep[]>();
  parts.forEach((part, index) => {
    const read = buildImageSite(site.use, location, distinctValues(part));
    for (const candidate of read?.candidates ?? []) {
      const key = keyOf(candidate);
      if (!viaByCandidate.has(key)) viaByCandidate.set(key, vias[index] ?? []);
    }
  });
  return site.candidates.map((candidate) => viaByCandidate.get(keyOf(candidate)) ?? first);
}

/** Whether two chains of calls are the same calls, written at the same places. */
export function sameDeploymentSteps(a: readonly DeploymentStep[], b: readonly DeploymentStep[]): boolean {
  if (a === b) return true;
  return (
    a.length === b.length &&
    a.every((step, index) => {
      const other = b[index];
      return (
        step.kind === other.kind &&
        step.name === other.name &&
        step.location.file === other.location.file &&
        step.location.range.start === other.location.range.start
      );
    })
  );
}
