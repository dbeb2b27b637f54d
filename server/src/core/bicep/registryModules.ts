/**
 * Registry modules whose images we know without reading them. A module from a Bicep registry
 * (`br:`, `br/public:`) or a template spec (`ts:`) cannot be read offline; for the Azure Verified
 * Modules in `registryModules.json`, the value at a known path of the call's `params` is read as
 * the image object of the resource type the module deploys, and the images a module writes inside
 * itself are images of the call. The row is picked by the version in the module's path. The table
 * is data: a new module, a version whose parameter moved or an image a module writes is a change
 * there.
 */
import table from './registryModules.json';

export interface RegistryModuleImage {
  /** The module path without registry prefix and version, as in `avm/res/compute/virtual-machine`. */
  module: string;
  /**
   * Property names from the call's `params` to the image object; absent when the versions of
   * the row deploy no image passed to them.
   */
  parameterPath?: string[];
  /** The resource type whose image location describes that object. */
  resourceType?: string;
  /** The module parameter that declares the operating system (`'Linux'` or `'Windows'`). */
  osParameter?: string;
  /** The operating system the module always deploys, when it declares no parameter for it. */
  os?: 'linux' | 'windows';
  /** Comparators (`>=0.7.0`, `<1.0.0`, `*`) that a version must all satisfy for the row to hold. */
  versions: string[];
  /** Images the module's own files write, which the caller cannot name. */
  imagesInside?: ImageInsideModule[];
  /** Where the row was read, for its range of versions. */
  source: string;
}

/** An image written inside a registry module: the caller deploys it without naming it. */
export interface ImageInsideModule {
  /** The file of the module that writes it, as in `modules/compute/linux-vm.bicep`. */
  file: string;
  resourceType: string;
  os?: 'linux' | 'windows';
  image: { publisher: string; offer: string; sku: string; version?: string };
  /** What the module's parameters must be for it to deploy the image: every condition holds. */
  deployedWhen?: ParameterCondition[];
  source: string;
}

/** A condition a module sets on one of its parameters (or a property inside one). */
export interface ParameterCondition {
  /** The parameter, then properties inside it: `['virtualMachineConfiguration', 'enabled']`. */
  path: string[];
  /** Holds when the value equals this (strings compare with their case, as Bicep's `==`). */
  equals?: string | boolean;
  /** Holds unless the value equals this. */
  notEquals?: string | boolean;
  /** Holds when the call gives no value there (the image is the module's fallback). */
  notGiven?: true;
  /** The value when the call gives none: the parameter's default. */
  default?: string | boolean;
}

/** A module read and found to pass no Marketplace image on, and why. */
export interface CheckedRegistryModule {
  module: string;
  reason: string;
}

export const registryModuleImages: readonly RegistryModuleImage[] = table.modules as RegistryModuleImage[];
export const checkedRegistryModules: readonly CheckedRegistryModule[] = table.checked;

/** Prefixes under which the public registry serves the Azure Verified Modules. */
const publicRegistryPrefixes = ['br/public:', 'br:mcr.microsoft.com/bicep/'];

/** Whether a module path names a registry module or a template spec (never a local file). */
export function isRemoteModulePath(path: string): boolean {
  return path.startsWith('br:') || path.startsWith('br/') || path.startsWith('ts:') || path.startsWith('ts/');
}

/**
 * The row for a public registry module path such as `br/public:avm/res/compute/virtual-machine:0.5.0`:
 * the first whose module is the path's and whose versions hold the path's version (`rows` are the
 * table's unless a test gives its own). A path without a version, or with one that is not
 * `major.minor.patch`, matches only a row for every version.
 */
export function registryModuleImageOf(
  path: string,
  rows: readonly RegistryModuleImage[] = registryModuleImages,
): RegistryModuleImage | undefined {
  const lower = path.toLowerCase();
  const prefix = publicRegistryPrefixes.find((candidate) => lower.startsWith(candidate));
  if (prefix === undefined) return undefined;
  const rest = lower.slice(prefix.length);
  const versionSeparator = rest.lastIndexOf(':');
  const module = versionSeparator < 0 ? rest : rest.slice(0, versionSeparator);
  const version = versionSeparator < 0 ? undefined : parseVersion(rest.slice(versionSeparator + 1));
  return rows.find((entry) => entry.module === module && entry.versions.every((comparator) => satisfies(version, comparator)));
}

type Version = [number, number, number];

function parseVersion(text: string): Version | undefined {
  const match = /^v?(\d{1,9})\.(\d{1,9})\.(\d{1,9})$/.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

function compareVersions(a: Version, b: Version): number {
  for (let index = 0; index < 3; index++) if (a[index] !== b[index]) return a[index] - b[index];
  return 0;
}

/** Whether a version satisfies one comparator; an unknown version satisfies only `*`. */
export function satisfies(version: Version | undefined, comparator: string): boolean {
  if (comparator === '*') return true;
  const match = /^(>=|<=|>|<|=)(.+)$/.exec(comparator);
  const bound = match ? parseVersion(match[2]) : undefined;
  if (!match || !bound || !version) return false;
  const order = compareVersions(version, bound);
  switch (match[1]) {
    case '>=':
      return order >= 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '<':
      return order < 0;
    default:
      return order === 0;
  }
}
