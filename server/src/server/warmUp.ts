/**
 * Prepares the analysis worker for typing in a large template. The worker analyses a document
 * per keystroke, and until V8 has optimised that path (some twenty analyses) each of a megabyte
 * template's first keystrokes takes 20-45 ms instead of 5: longer than the time between two
 * keystrokes, so their results are already stale when they arrive and none is published until
 * the typing slows down. The worker therefore runs, once when it starts, the analyses an editor
 * makes of a template of its own (opening it, typing in an image's SKU, in a parameter's
 * default value, in a variable), and discards them. That costs some 150 ms of the worker's time
 * before its first analysis, bounded by `budgetMilliseconds`; nothing of it is kept but what V8
 * learned (the rules' results for its images stay in their bounded cache, `analyze.ts`).
 */
import { bundledCatalog } from '../core/catalog/bundledCatalog';
import { formatDay } from '../core/catalog/lifecycle';
import { emptyConfig } from '../core/config/config';
import { emptyFileHost } from '../core/model';
import { DocumentSession } from '../core/incremental/documentSession';
import { diagnoseDocument } from './documentAnalysis';
import { defaultSettings } from './settings';

/** A template in the ways people write images: literals, parameters, variables, a copy loop, nested deployments. */
export function warmUpTemplate(groups: number): string {
  const resources: unknown[] = [];
  for (let group = 0; group < groups; group++) {
    const vm = (name: string, imageReference: unknown, extra: Record<string, unknown> = {}) => ({
      type: 'Microsoft.Compute/virtualMachines',
      apiVersion: '2024-07-01',
      name,
      location: "[parameters('location')]",
      tags: { group: String(group), role: 'application' },
      ...extra,
      properties: {
        hardwareProfile: { vmSize: "[parameters('vmSize')]" },
        osProfile: { computerName: `app${group}`, adminUsername: "[parameters('adminUsername')]" },
        storageProfile: {
          imageReference,
          osDisk: { createOption: 'FromImage', managedDisk: { storageAccountType: 'Premium_LRS' } },
        },
        networkProfile: { networkInterfaces: [{ id: `[resourceId('Microsoft.Network/networkInterfaces', 'nic-${group}')]` }] },
      },
    });
    resources.push(
      {
        type: 'Microsoft.Network/networkInterfaces',
        apiVersion: '2024-05-01',
        name: `nic-${group}`,
        location: "[parameters('location')]",
        properties: { ipConfigurations: [{ name: 'ipconfig1', properties: { privateIPAllocationMethod: 'Dynamic' } }] },
      },
      vm(`app-${group}`, { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' }),
      vm(`worker-${group}`, "[variables('workerImage')]", {
        copy: { name: `workers${group}`, count: "[parameters('workerCount')]" },
      }),
      vm(`db-${group}`, {
        publisher: "[parameters('imagePublisher')]",
        offer: "[parameters('imageOffer')]",
        sku: "[parameters('imageSku')]",
        version: "[variables('imageVersion')]",
      }),
      {
        type: 'Microsoft.Compute/virtualMachineScaleSets',
        apiVersion: '2024-07-01',
        name: `scale-${group}`,
        location: "[parameters('location')]",
        sku: { name: "[parameters('vmSize')]", capacity: 2 },
        properties: {
          virtualMachineProfile: {
            storageProfile: { imageReference: "[variables('images')[parameters('operatingSystem')]]" },
          },
        },
      },
      {
        type: 'Microsoft.Resources/deployments',
        apiVersion: '2022-09-01',
        name: `nested-${group}`,
        properties: {
          mode: 'Incremental',
          expressionEvaluationOptions: { scope: group % 2 === 0 ? 'inner' : 'outer' },
          parameters: group % 2 === 0 ? { sku: { value: "[parameters('imageSku')]" } } : undefined,
          template: {
            $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
            contentVersion: '1.0.0.0',
            parameters: group % 2 === 0 ? { sku: { type: 'string' } } : {},
            resources: [
              vm(`inner-${group}`, {
                publisher: 'RedHat',
                offer: 'RHEL',
                sku: group % 2 === 0 ? "[parameters('sku')]" : '9_4',
                version: 'latest',
              }),
            ],
          },
        },
      },
    );
  }
  const template = {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    parameters: {
      location: { type: 'string', defaultValue: '[resourceGroup().location]' },
      adminUsername: { type: 'string', defaultValue: 'azureuser' },
      vmSize: { type: 'string', defaultValue: 'Standard_D2s_v5' },
      workerCount: { type: 'int', defaultValue: 2 },
      operatingSystem: { type: 'string', defaultValue: 'ubuntu', allowedValues: ['ubuntu', 'rhel', 'debian'] },
      imagePublisher: { type: 'string', defaultValue: 'Canonical' },
      imageOffer: { type: 'string', defaultValue: '0001-com-ubuntu-server-jammy' },
      imageSku: { type: 'string', defaultValue: '22_04-lts-gen2', allowedValues: ['20_04-lts-gen2', '22_04-lts-gen2'] },
    },
    variables: {
      imageVersion: 'latest',
      workerImage: { publisher: 'Debian', offer: 'debian-12', sku: '12-gen2', version: 'latest' },
      images: {
        ubuntu: { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' },
        rhel: { publisher: 'RedHat', offer: 'RHEL', sku: '8-lvm-gen2', version: 'latest' },
        debian: { publisher: 'Debian', offer: 'debian-11', sku: '11-gen2', version: 'latest' },
      },
    },
    resources,
  };
  return `${JSON.stringify(template, undefined, 2)}\n`;
}

/** Where the warm-up types: right after the first `at` that follows `after` (or the start), `characters` times. */
const typingPlaces: { after?: string; at: string; characters: number }[] = [
  // An image's SKU: the one site is read again (`readAfterImageEdit.ts`).
  { after: '"resources"', at: '"sku": "serv', characters: 12 },
  // A parameter's default and a variable: the template is read again, with what the memo kept.
  { at: '"defaultValue": "Standard_D2s', characters: 4 },
  { after: '"workerImage"', at: '"sku": "12-gen', characters: 4 },
];

/** What a warm-up did: its analyses, and how many sites its image memo recalled or read again alone. */
export interface WarmUp {
  analyses: number;
  recalls: number;
  siteReads: number;
}

/** Runs the warm-up analyses; stops early once `budgetMilliseconds` have passed. */
export function warmUpAnalyses(budgetMilliseconds: number, now: () => number = () => performance.now()): WarmUp {
  const end = now() + budgetMilliseconds;
  const uri = 'file:///azure-image-lint/warm-up/azuredeploy.json';
  const session = new DocumentSession();
  const inputs = {
    settings: defaultSettings,
    config: emptyConfig(),
    catalog: bundledCatalog,
    asOf: formatDay(new Date()),
    host: emptyFileHost,
    configurationProblems: [],
    configurationFiles: [],
    session,
  };
  const open = { versionOf: () => undefined, uriOf: (file: string) => `file://${file}` };
  // Past 64 KB, so that the reader reuses the previous text's containers as it does for the
  // documents the worker is for.
  let text = warmUpTemplate(14);
  let version = 1;
  const done = (): WarmUp => ({
    analyses: version,
    recalls: session.arm.recalls,
    siteReads: session.arm.siteReads,
  });
  diagnoseDocument(uri, version, text, inputs, open);
  for (const place of typingPlaces) {
    const from = place.after === undefined ? 0 : text.indexOf(place.after);
    const at = text.indexOf(place.at, from) + place.at.length;
    for (let typed = 0; typed < place.characters; typed++) {
      if (now() >= end) return done();
      text = `${text.slice(0, at + typed)}x${text.slice(at + typed)}`;
      diagnoseDocument(uri, ++version, text, inputs, open);
    }
  }
  return done();
}
