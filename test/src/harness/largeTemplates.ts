/**
 * Templates too large to commit, made when a test needs them: a fleet of VMs whose SKU comes from
 * one parameter with hundreds of allowed values. Every VM then has as many candidates as the
 * parameter has values, which is what once exhausted the memory of the CLI and of the server's
 * analysis worker (issue 18): 20,000 VMs and 253 allowed values are five million candidates.
 */

const armSchema = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

/** The allowed SKUs: Ubuntu 18.04 (end of support) first, then SKUs the catalog does not know. */
export function allowedSkus(count: number): string[] {
  return Array.from({ length: count }, (_unused, index) => (index === 0 ? '18.04-LTS' : `sku-${index}`));
}

export interface FleetOptions {
  /** How many VMs. */
  vms: number;
  /** How many allowed values the SKU parameter has. */
  skus: number;
  /**
   * Whether every VM writes its image differently (its own version literal), so that no image
   * can be shared with another: each is evaluated, and the read's budget runs out.
   */
  distinctImages?: boolean;
}

/** An ARM template (compact JSON): `vms` VMs reading their SKU from one parameter. */
export function sharedSkuFleetTemplate(options: FleetOptions): string {
  const resources = Array.from({ length: options.vms }, (_unused, index) => ({
    type: 'Microsoft.Compute/virtualMachines',
    apiVersion: '2023-03-01',
    name: `vm${index}`,
    location: 'westeurope',
    properties: {
      storageProfile: {
        imageReference: {
          publisher: 'Canonical',
          offer: 'UbuntuServer',
          sku: "[parameters('sku')]",
          version: options.distinctImages ? `18.04.${index}` : 'latest',
        },
      },
    },
  }));
  return JSON.stringify({
    $schema: armSchema,
    contentVersion: '1.0.0.0',
    parameters: { sku: { type: 'string', defaultValue: '18.04-LTS', allowedValues: allowedSkus(options.skus) } },
    resources,
  });
}

/** The Bicep twin of `sharedSkuFleetTemplate`. */
export function sharedSkuFleetBicep(options: FleetOptions): string {
  const lines = [
    `@allowed([${allowedSkus(options.skus)
      .map((sku) => `'${sku}'`)
      .join(', ')}])`,
    "param sku string = '18.04-LTS'",
  ];
  for (let index = 0; index < options.vms; index++) {
    const version = options.distinctImages ? `18.04.${index}` : 'latest';
    lines.push(
      `resource vm${index} 'Microsoft.Compute/virtualMachines@2023-03-01' = {`,
      `  name: 'vm${index}'`,
      "  location: 'westeurope'",
      `  properties: { storageProfile: { imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: sku, version: '${version}' } } }`,
      '}',
    );
  }
  return `${lines.join('\n')}\n`;
}
