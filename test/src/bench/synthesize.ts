/**
 * Deterministic inputs for the benchmarks: ARM templates and Bicep files of a requested size,
 * built from the shapes real templates have (a fleet of VMs whose images come from literals,
 * parameters with allowed values and a variable map of images; a compiled-from-Bicep template
 * with `metadata._generator`, inner-scoped module deployments and mostly non-image resources; a
 * big template with no image at all), and a folder of many small templates made from the corpus.
 * The same arguments always give the same text, so figures from different runs compare.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const images = [
  ['Canonical', 'UbuntuServer', '18.04-LTS'],
  ['Canonical', '0001-com-ubuntu-server-jammy', '22_04-lts-gen2'],
  ['Canonical', 'ubuntu-24_04-lts', 'server'],
  ['RedHat', 'RHEL', '8-lvm-gen2'],
  ['OpenLogic', 'CentOS', '7.5'],
  ['SUSE', 'sles-15-sp5', 'gen2'],
  ['Debian', 'debian-12', '12-gen2'],
];

/** A small deterministic pseudo-random sequence (so that sizes and choices vary but repeat). */
function sequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x100000000;
  };
}

function networkInterface(index: number): unknown {
  return {
    type: 'Microsoft.Network/networkInterfaces',
    apiVersion: '2023-09-01',
    name: `[concat(parameters('prefix'), '-nic-${index}')]`,
    location: "[parameters('location')]",
    properties: {
      ipConfigurations: [
        {
          name: 'ipconfig1',
          properties: {
            privateIPAllocationMethod: 'Dynamic',
            subnet: { id: "[resourceId('Microsoft.Network/virtualNetworks/subnets', variables('vnetName'), 'default')]" },
          },
        },
      ],
    },
  };
}

function virtualMachine(index: number, random: () => number): unknown {
  const style = index % 4;
  const literal = images[index % images.length];
  const imageReference =
    style === 0
      ? { publisher: literal[0], offer: literal[1], sku: literal[2], version: 'latest' }
      : style === 1
        ? "[variables('images')[parameters('operatingSystem')]]"
        : style === 2
          ? {
              publisher: "[parameters('imagePublisher')]",
              offer: "[parameters('imageOffer')]",
              sku: "[parameters('imageSku')]",
              version: "[variables('imageVersion')]",
            }
          : {
              publisher: "[variables('images')[parameters('operatingSystem')].publisher]",
              offer: "[variables('images')[parameters('operatingSystem')].offer]",
              sku: "[variables('images')[parameters('operatingSystem')].sku]",
              version: 'latest',
            };
  return {
    type: 'Microsoft.Compute/virtualMachines',
    apiVersion: '2024-03-01',
    name: `[concat(parameters('prefix'), '-vm-${index}')]`,
    location: "[parameters('location')]",
    dependsOn: [`[resourceId('Microsoft.Network/networkInterfaces', concat(parameters('prefix'), '-nic-${index}'))]`],
    tags: { owner: 'bench', index: String(index), tier: random() < 0.5 ? 'web' : 'data' },
    properties: {
      hardwareProfile: { vmSize: "[parameters('vmSize')]" },
      osProfile: {
        computerName: `vm${index}`,
        adminUsername: "[parameters('adminUsername')]",
        linuxConfiguration: {
          disablePasswordAuthentication: true,
          ssh: {
            publicKeys: [
              {
                path: "[format('/home/{0}/.ssh/authorized_keys', parameters('adminUsername'))]",
                keyData: "[parameters('sshPublicKey')]",
              },
            ],
          },
        },
      },
      storageProfile: {
        imageReference,
        osDisk: {
          createOption: 'FromImage',
          managedDisk: { storageAccountType: 'Premium_LRS' },
          diskSizeGB: 64 + (index % 8) * 32,
        },
        dataDisks: Array.from({ length: 1 + Math.floor(random() * 3) }, (_, lun) => ({
          lun,
          createOption: 'Empty',
          diskSizeGB: 128,
          managedDisk: { storageAccountType: 'StandardSSD_LRS' },
        })),
      },
      networkProfile: {
        networkInterfaces: [
          { id: `[resourceId('Microsoft.Network/networkInterfaces', concat(parameters('prefix'), '-nic-${index}'))]` },
        ],
      },
      diagnosticsProfile: { bootDiagnostics: { enabled: true } },
    },
  };
}

function fleetHeader(): Record<string, unknown> {
  const imageMap: Record<string, unknown> = {};
  for (const [publisher, offer, sku] of images) imageMap[`${offer}-${sku}`] = { publisher, offer, sku, version: 'latest' };
  return {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    parameters: {
      prefix: { type: 'string', defaultValue: 'bench' },
      location: { type: 'string', defaultValue: '[resourceGroup().location]' },
      adminUsername: { type: 'string', defaultValue: 'azureuser' },
      sshPublicKey: { type: 'securestring' },
      vmSize: { type: 'string', defaultValue: 'Standard_D2s_v5' },
      operatingSystem: { type: 'string', defaultValue: Object.keys(imageMap)[0], allowedValues: Object.keys(imageMap) },
      imagePublisher: { type: 'string', defaultValue: 'Canonical', allowedValues: ['Canonical', 'RedHat'] },
      imageOffer: { type: 'string', defaultValue: 'UbuntuServer' },
      imageSku: { type: 'string', defaultValue: '18.04-LTS', allowedValues: ['16.04-LTS', '18.04-LTS', '22_04-lts'] },
    },
    variables: { vnetName: "[concat(parameters('prefix'), '-vnet')]", imageVersion: 'latest', images: imageMap },
  };
}

/** Serialises a template the way people and tools write it: two-space indentation. */
function serialize(template: unknown): string {
  return `${JSON.stringify(template, undefined, 2)}\n`;
}

/** Adds resources until the serialised template reaches the requested size in characters. */
function fillToSize(header: Record<string, unknown>, size: number, makeResources: (index: number) => unknown[]): string {
  const headerText = serialize({ ...header, resources: [] });
  const resources: string[] = [];
  let length = headerText.length;
  for (let index = 0; length < size; index++) {
    for (const resource of makeResources(index)) {
      const text = JSON.stringify(resource, undefined, 2).replace(/\n/g, '\n    ');
      resources.push(`    ${text}`);
      length += text.length + 8;
    }
  }
  return headerText.replace('"resources": []', `"resources": [\n${resources.join(',\n')}\n  ]`);
}

/** A fleet of VMs (with a network interface each) whose images use every way of being written. */
export function virtualMachineFleetTemplate(size: number): string {
  const random = sequence(size);
  return fillToSize(fleetHeader(), size, (index) => [networkInterface(index), virtualMachine(index, random)]);
}

const nonImageTypes = [
  'Microsoft.Storage/storageAccounts',
  'Microsoft.Network/networkSecurityGroups',
  'Microsoft.KeyVault/vaults',
  'Microsoft.Web/sites',
  'Microsoft.Insights/components',
];

function nonImageResource(index: number): unknown {
  return {
    type: nonImageTypes[index % nonImageTypes.length],
    apiVersion: '2023-01-01',
    name: `[format('{0}-res-{1}', parameters('prefix'), ${index})]`,
    location: "[parameters('location')]",
    tags: { generatedBy: 'bench', index: String(index) },
    properties: {
      securityRules: [
        {
          name: 'allow-ssh',
          properties: { priority: 1000, protocol: 'Tcp', access: 'Allow', direction: 'Inbound', destinationPortRange: '22' },
        },
      ],
      siteConfig: { appSettings: [{ name: 'WEBSITE_RUN_FROM_PACKAGE', value: '1' }], minTlsVersion: '1.2' },
    },
  };
}

/** An inner-scoped module deployment as `bicep build` writes it, holding one VM. */
function moduleDeployment(index: number): unknown {
  return {
    type: 'Microsoft.Resources/deployments',
    apiVersion: '2022-09-01',
    name: `[format('vm-module-{0}', ${index})]`,
    properties: {
      expressionEvaluationOptions: { scope: 'inner' },
      mode: 'Incremental',
      parameters: {
        vmName: { value: `[format('{0}-vm-{1}', parameters('prefix'), ${index})]` },
        ubuntuOSVersion: { value: "[parameters('ubuntuOSVersion')]" },
      },
      template: {
        $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
        contentVersion: '1.0.0.0',
        metadata: { _generator: { name: 'bicep', version: '0.30.23.60470', templateHash: String(1000000 + index) } },
        parameters: {
          vmName: { type: 'string' },
          ubuntuOSVersion: { type: 'string', defaultValue: 'Ubuntu-2204', allowedValues: ['Ubuntu-2004', 'Ubuntu-2204'] },
        },
        variables: {
          imageReference: {
            'Ubuntu-2004': {
              publisher: 'Canonical',
              offer: '0001-com-ubuntu-server-focal',
              sku: '20_04-lts-gen2',
              version: 'latest',
            },
            'Ubuntu-2204': {
              publisher: 'Canonical',
              offer: '0001-com-ubuntu-server-jammy',
              sku: '22_04-lts-gen2',
              version: 'latest',
            },
          },
        },
        resources: [
          {
            type: 'Microsoft.Compute/virtualMachines',
            apiVersion: '2023-09-01',
            name: "[parameters('vmName')]",
            location: '[resourceGroup().location]',
            properties: {
              hardwareProfile: { vmSize: 'Standard_D2s_v5' },
              storageProfile: {
                osDisk: { createOption: 'FromImage', managedDisk: { storageAccountType: 'Premium_LRS' } },
                imageReference: "[variables('imageReference')[parameters('ubuntuOSVersion')]]",
              },
            },
          },
        ],
      },
    },
  };
}

/**
 * A compiled-from-Bicep template: `metadata._generator`, mostly resources that hold no image,
 * and one module deployment with a VM for every 25 of them.
 */
export function compiledBicepTemplate(size: number): string {
  const header = {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    metadata: { _generator: { name: 'bicep', version: '0.30.23.60470', templateHash: '1234567890' } },
    parameters: {
      prefix: { type: 'string', defaultValue: 'bench' },
      location: { type: 'string', defaultValue: '[resourceGroup().location]' },
      ubuntuOSVersion: { type: 'string', defaultValue: 'Ubuntu-2004', allowedValues: ['Ubuntu-2004', 'Ubuntu-2204'] },
    },
  };
  return fillToSize(header, size, (index) => (index % 25 === 24 ? [moduleDeployment(index)] : [nonImageResource(index)]));
}

/** A big template with no image anywhere: the reader must skip it for the price of a scan. */
export function templateWithoutImages(size: number): string {
  const header = {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    parameters: { prefix: { type: 'string', defaultValue: 'bench' }, location: { type: 'string', defaultValue: 'westeurope' } },
  };
  return fillToSize(header, size, (index) => [nonImageResource(index)]);
}

/** A Bicep file of the requested size: parameters, an image map, and VMs and NICs in turn. */
export function bicepFleet(size: number): string {
  const head = [
    "param prefix string = 'bench'",
    'param location string = resourceGroup().location',
    "@allowed(['ubuntu2204', 'ubuntu1804', 'rhel8'])",
    "param operatingSystem string = 'ubuntu2204'",
    "param imageSku string = '18.04-LTS'",
    '',
    'var images = {',
    "  ubuntu2204: { publisher: 'Canonical', offer: '0001-com-ubuntu-server-jammy', sku: '22_04-lts-gen2', version: 'latest' }",
    "  ubuntu1804: { publisher: 'Canonical', offer: 'UbuntuServer', sku: '18.04-LTS', version: 'latest' }",
    "  rhel8: { publisher: 'RedHat', offer: 'RHEL', sku: '8-lvm-gen2', version: 'latest' }",
    '}',
    '',
  ];
  const parts = [head.join('\n')];
  let length = parts[0].length;
  for (let index = 0; length < size; index++) {
    const literal = images[index % images.length];
    const image =
      index % 3 === 0
        ? `{\n        publisher: '${literal[0]}'\n        offer: '${literal[1]}'\n        sku: '${literal[2]}'\n        version: 'latest'\n      }`
        : index % 3 === 1
          ? 'images[operatingSystem]'
          : "{\n        publisher: 'Canonical'\n        offer: 'UbuntuServer'\n        sku: imageSku\n        version: 'latest'\n      }";
    const block = `
resource nic${index} 'Microsoft.Network/networkInterfaces@2023-09-01' = {
  name: '\${prefix}-nic-${index}'
  location: location
  properties: {
    ipConfigurations: [
      {
        name: 'ipconfig1'
        properties: {
          privateIPAllocationMethod: 'Dynamic'
        }
      }
    ]
  }
}

resource vm${index} 'Microsoft.Compute/virtualMachines@2024-03-01' = {
  name: '\${prefix}-vm-${index}'
  location: location
  properties: {
    hardwareProfile: {
      vmSize: 'Standard_D2s_v5'
    }
    storageProfile: {
      imageReference: ${image}
      osDisk: {
        createOption: 'FromImage'
      }
    }
    networkProfile: {
      networkInterfaces: [
        {
          id: nic${index}.id
        }
      ]
    }
  }
}
`;
    parts.push(block);
    length += block.length;
  }
  return parts.join('');
}

/** Corpus files, biggest first, that a predicate accepts. */
export function corpusFiles(corpus: string, accept: (file: string, text: string) => boolean): { file: string; text: string }[] {
  const found: { file: string; text: string }[] = [];
  const visit = (folder: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) visit(full);
      else {
        const text = fs.readFileSync(full, 'utf8');
        if (accept(full, text)) found.push({ file: full, text });
      }
    }
  };
  if (fs.existsSync(corpus)) visit(corpus);
  return found.sort((a, b) => b.text.length - a.text.length || (a.file < b.file ? -1 : 1));
}

/**
 * Writes `count` templates into `folder`, cycling through the given corpus templates; each copy
 * gets a distinct `contentVersion` so that no two files are byte-identical.
 */
export function writeTemplateFolder(folder: string, count: number, sources: readonly string[]): void {
  fs.rmSync(folder, { recursive: true, force: true });
  for (let index = 0; index < count; index++) {
    const sub = path.join(folder, String(Math.floor(index / 500)).padStart(3, '0'));
    if (index % 500 === 0) fs.mkdirSync(sub, { recursive: true });
    const source = sources[index % sources.length];
    const text = source.replace(/"contentVersion"\s*:\s*"[^"]*"/, `"contentVersion": "1.0.0.${index}"`);
    fs.writeFileSync(path.join(sub, `template-${String(index).padStart(5, '0')}.json`), text);
  }
}
