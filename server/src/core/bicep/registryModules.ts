/**
 * Registry modules whose image parameter we know without reading them. A module from a Bicep
 * registry (`br:`, `br/public:`) or a template spec (`ts:`) cannot be read offline; for the
 * Azure Verified Modules listed here, the value passed to the image parameter is read as the
 * image object of the resource type the module deploys. A new module is a new row.
 */

export interface RegistryModuleImage {
  /** The module path without registry prefix and version, as in `avm/res/compute/virtual-machine`. */
  module: string;
  /** The module parameter that holds the image object. */
  parameter: string;
  /** The resource type whose image location describes that object. */
  resourceType: string;
  /** The module parameter that declares the operating system (`'Linux'` or `'Windows'`). */
  osParameter?: string;
}

export const registryModuleImages: readonly RegistryModuleImage[] = [
  {
    module: 'avm/res/compute/virtual-machine',
    parameter: 'imageReference',
    resourceType: 'Microsoft.Compute/virtualMachines',
    osParameter: 'osType',
  },
  {
    module: 'avm/res/compute/virtual-machine-scale-set',
    parameter: 'imageReference',
    resourceType: 'Microsoft.Compute/virtualMachineScaleSets',
    osParameter: 'osType',
  },
];

/** Prefixes under which the public registry serves the Azure Verified Modules. */
const publicRegistryPrefixes = ['br/public:', 'br:mcr.microsoft.com/bicep/'];

/** Whether a module path names a registry module or a template spec (never a local file). */
export function isRemoteModulePath(path: string): boolean {
  return path.startsWith('br:') || path.startsWith('br/') || path.startsWith('ts:') || path.startsWith('ts/');
}

/** The known image parameter of a public registry module path such as `br/public:avm/res/compute/virtual-machine:0.5.0`. */
export function registryModuleImageOf(path: string): RegistryModuleImage | undefined {
  const lower = path.toLowerCase();
  const prefix = publicRegistryPrefixes.find((candidate) => lower.startsWith(candidate));
  if (prefix === undefined) return undefined;
  const rest = lower.slice(prefix.length);
  const versionSeparator = rest.lastIndexOf(':');
  const module = versionSeparator < 0 ? rest : rest.slice(0, versionSeparator);
  return registryModuleImages.find((entry) => entry.module === module);
}
