/**
 * The attack surface beyond one file, for the fuzz campaign (`campaign.ts`):
 *
 * - **workspaces**: generated folders of Bicep files that call each other as modules (cycles,
 *   self-calls, fan-out, registry and out-of-root paths), `.bicepparam` and ARM parameter files,
 *   `loadJsonContent` of files inside the root, outside it, by absolute path and through a link
 *   that leads out, and now and then an `azure-image-lint.json` and a catalog overlay with hostile
 *   values. The command line runs over each in every format: it must exit 0, 1 or 2 without a
 *   stack trace, and never print a byte of the secret kept beside the workspace.
 * - **fix application**: every preferred fix of a workspace applied across its files at once (as
 *   "fix all" would), then the workspace analysed again: it must not crash, every file that parsed
 *   must still parse, and no image may become unknown that was not.
 * - **catalog overlays and configurations** in process: hostile `skuPattern`s, naming rules,
 *   prototype keys, wrong types and huge values through the loader, then catalog lookups of
 *   long SKUs: no throw, no polluted prototype, no lookup that takes long.
 * - **message framing**: the real language server over stdio, sent well-formed messages split
 *   into random pieces and merged into one write, and malformed headers and bodies: it must answer
 *   every request of a well-formed stream, and after a malformed one either answer or close the
 *   connection, never go deaf, never print a stack trace.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundledCatalog } from '../../../server/out/core/catalog/bundledCatalog';
import { applyCatalogOverlay } from '../../../server/out/core/catalog/loadCatalog';
import { matchImage } from '../../../server/out/core/catalog/matchImage';
import { parseConfigObject } from '../../../server/out/core/config/config';
import { namesOf } from '../../../server/out/core/analyze';
import type { Finding, ImageNames, Problem, TextEdit } from '../../../server/out/core/model';
import { collectFiles, type ScanResult, scanFiles } from '../../../server/out/node/scan';
import { serverModule } from '../server/lspClient';
import { checkCliOutcome, elapsedMilliseconds, type Failure, fuzzDate, runCli } from './harness';
import type { Random } from './mutator';

/** Real images, most out of support: a workspace mostly deploys these, so that fixes are offered. */
const images = [
  ['Canonical', 'UbuntuServer', '18.04-LTS'],
  ['Canonical', 'UbuntuServer', '16.04-LTS'],
  ['Canonical', '0001-com-ubuntu-server-focal', '20_04-lts-gen2'],
  ['Canonical', '0001-com-ubuntu-server-jammy', '22_04-lts-gen2'],
  ['Canonical', 'ubuntu-24_04-lts', 'server'],
  ['OpenLogic', 'CentOS', '7_9-gen2'],
  ['OpenLogic', 'CentOS', '7.5'],
  ['SUSE', 'sles-15-sp4', 'gen2'],
  ['Debian', 'debian-10', '10-gen2'],
  ['RedHat', 'RHEL', '7-LVM'],
] as const;
/** What every generated file may use as an image value: good, bad, unknown and odd names. */
const skus = ['18.04-LTS', '16.04-LTS', 'server', 'server-gen1', '22_04-lts-gen2', '7_9-gen2', '7.5', 'gen2', 'nope-sku', ''];
const offers = ['UbuntuServer', 'ubuntu-24_04-lts', '0001-com-ubuntu-server-jammy', 'CentOS', 'sles-15-sp4', 'no-such-offer'];
const publishers = ['Canonical', 'OpenLogic', 'SUSE', 'MicrosoftWindowsServer', 'NoSuchPublisher'];

/** Patterns a catalog overlay may try: the catastrophic shapes, and odd syntax. */
const hostilePatterns = [
  '[^#]*'.repeat(20) + '#',
  '(a+)+b',
  '(a|ab)*c',
  'a?'.repeat(25) + 'a'.repeat(25),
  '.*'.repeat(40) + '=',
  '(?:.*a){20}',
  '\\d*'.repeat(30) + 'x',
  '7[._]\\d+',
  '^7$',
  '(?<n>x)\\k<n>',
  '[',
  'a{99999}',
  '.{0,999}.{0,999}',
  '\\u0041+',
  'x'.repeat(300),
];
/** Naming templates an overlay may try. */
const hostileTemplates = [
  'ubuntu-{major}_{minor}[-lts]',
  '[a][b][c][d][e][f][g][h][i][j][k][l]',
  '{major}{minor}{patch}{x}{y}{z}',
  '(a|b|c|d|e|f|g|h|i|j)(a|b|c|d|e|f|g|h|i|j)(a|b|c|d|e|f|g|h|i|j)(a|b|c|d|e|f|g|h|i|j)',
  '[[nested]]',
  '{',
  '',
  'x'.repeat(400),
];
/** Values of the wrong shape, for any field. */
const oddValues: unknown[] = [
  null,
  7,
  -1,
  1e308,
  true,
  [],
  {},
  'x'.repeat(5000),
  [[[[[[[[]]]]]]]],
  { __proto__: { polluted: 1 } },
];

/** A secret kept beside each workspace: no output may ever contain it. */
export const secretMarker = 'FUZZ-SECRET-5c1e';

export interface GeneratedWorkspace {
  /** The folder the command line runs in (its root). */
  root: string;
  /** The folder beside it, holding the secret. */
  outside: string;
  description: string;
}

function quoteBicep(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A Bicep expression for one image field. */
function bicepValue(random: Random, pool: readonly string[], parameter: string): string {
  switch (random.below(7)) {
    case 0:
      return parameter;
    case 1:
      return `loadJsonContent(${quoteBicep(random.pick(loadPaths))}).${random.pick(['publisher', 'offer', 'sku', 'password'])}`;
    case 2:
      return `'${random.pick(pool)}'`;
    case 3:
      return `concat('${random.pick(pool).slice(0, 3)}', '${random.pick(pool).slice(3)}')`;
    case 4:
      return `(${parameter} == 'x' ? '${random.pick(pool)}' : '${random.pick(pool)}')`;
    case 5:
      return `images[${random.below(3)}]`;
    default:
      return quoteBicep(random.pick(pool));
  }
}

/** Files a template may try to load: inside the root, beside it, absolute, through a link. */
const loadPaths = [
  'data/image.json',
  '../outside/secret.json',
  'secret-link.json',
  '/etc/passwd',
  'missing.json',
  'data/../../outside/secret.json',
];

function bicepFile(random: Random, index: number, count: number): string {
  const lines: string[] = [];
  // Mostly a real image, its fields written in different ways (and shared between two VMs).
  const [publisher, offer, sku] = random.pick(images);
  const coherent = random.below(4) !== 0;
  const field = (pool: readonly string[], real: string, parameter: string) =>
    coherent && random.below(3) !== 0 ? random.pick([parameter, `'${real}'`]) : bicepValue(random, pool, parameter);
  const allowed = [sku, ...Array.from({ length: random.below(3) }, () => random.pick(skus))];
  lines.push(`@allowed([\n${[...new Set(allowed)].map((value) => `  '${value}'`).join('\n')}\n])`);
  lines.push(`param sku string = '${coherent ? sku : random.pick(skus)}'`);
  lines.push(`param offer string = '${coherent ? offer : random.pick(offers)}'`);
  lines.push(`param publisher string = '${coherent ? publisher : random.pick(publishers)}'`);
  lines.push(`var images = [\n  '${random.pick(skus)}'\n  '${random.pick(skus)}'\n]`);
  const vms = random.below(3) === 0 ? 2 : 1;
  for (let vm = 0; vm < vms; vm++) {
    // A second VM shares the publisher and offer definitions, with another SKU.
    const skuValue = vm === 0 ? field(skus, sku, 'sku') : `'${random.pick(skus)}'`;
    lines.push(`resource vm${index}x${vm} 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: 'vm${index}x${vm}'
  location: 'westeurope'
  properties: {
    storageProfile: {
      imageReference: {
        publisher: ${vm === 0 ? field(publishers, publisher, 'publisher') : 'publisher'}
        offer: ${vm === 0 ? field(offers, offer, 'offer') : 'offer'}
        sku: ${skuValue}
        version: 'latest'
      }
    }
  }
}`);
  }
  // Calls to other files of the workspace (cycles and self-calls included), and to places a
  // module must never be read from.
  for (let call = 0; call < random.below(4); call++) {
    const target =
      random.below(6) === 0
        ? random.pick(['br:example.azurecr.io/vm:1', '../outside/secret.bicep', '/etc/passwd'])
        : `m${random.below(count)}.bicep`;
    lines.push(`module call${call} '${target}' = {
  name: 'call${call}'
  params: {
    sku: ${random.below(2) === 0 ? 'sku' : `'${random.pick(skus)}'`}
    offer: ${random.below(2) === 0 ? 'offer' : `'${random.pick(offers)}'`}
  }
}`);
  }
  if (random.below(3) === 0)
    lines.push(`module loop 'm${index}.bicep' = [for i in range(0, ${random.pick([2, 50, 100000])}): {\n  name: 'loop\${i}'\n}]`);
  return `${lines.join('\n')}\n`;
}

function armTemplate(random: Random): string {
  const value = () =>
    random.pick([
      `"[parameters('sku')]"`,
      `"[variables('sku')]"`,
      `"[concat('18.04', '-LTS')]"`,
      `"${random.pick(skus)}"`,
      `"[parameters('missing')]"`,
    ]);
  return JSON.stringify(
    {
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      parameters: {
        sku: { type: 'string', defaultValue: random.pick(skus), allowedValues: [random.pick(skus), random.pick(skus)] },
      },
      variables: { sku: random.pick(skus) },
      resources: [
        {
          type: 'Microsoft.Compute/virtualMachines',
          apiVersion: '2023-03-01',
          name: 'arm',
          properties: {
            storageProfile: {
              imageReference: {
                publisher: random.pick(publishers),
                offer: random.pick(offers),
                sku: '__SKU__',
                version: 'latest',
              },
            },
          },
        },
        {
          type: 'Microsoft.Resources/deployments',
          apiVersion: '2022-09-01',
          name: 'linked',
          properties: {
            mode: 'Incremental',
            // Linked templates of the workspace are read: also out of it, through a link, to itself.
            templateLink: random.pick<Record<string, string>>([
              { uri: 'https://example.com/t.json' },
              { uri: '../outside/secret.json' },
              { relativePath: '../outside/secret.json' },
              { relativePath: 'secret-link.json' },
              { relativePath: 'outside-link/secret.json' },
              { relativePath: 'azuredeploy.json' },
              { relativePath: 'data/image.json' },
              { uri: "[uri(deployment().properties.templateLink.uri, '../outside/secret.json')]" },
            ]),
          },
        },
      ],
    },
    null,
    2,
  ).replace('"__SKU__"', value());
}

/** A catalog overlay with hostile values in some of its fields. */
export function hostileOverlay(random: Random): unknown {
  const image: Record<string, unknown> = {
    offer: random.pick(['hostile-offer', 'UbuntuServer', 'ubuntu-24_04-lts']),
    architecture: 'x64',
    generation: 'V2',
    licensing: 'free',
    variant: 'server',
    sources: [],
    verified: false,
    note: 'generated by the fuzz run',
  };
  if (random.below(2) === 0) image.skuPattern = random.pick(hostilePatterns);
  else image.skus = [random.pick(skus.filter((sku) => sku !== '')), 'x'.repeat(random.pick([1, 1, 300, 5000]))];
  // A real naming rule of the bundled catalog, with hostile templates.
  const ubuntu = bundledCatalog.distributions.find((distribution) => distribution.id === 'ubuntu');
  const rule = JSON.parse(JSON.stringify(ubuntu?.namingRules?.[0] ?? {})) as Record<string, unknown>;
  if (random.below(2) === 0) rule.offer = random.pick(hostileTemplates);
  rule.skus = [random.pick(hostileTemplates), random.pick(hostileTemplates)];
  const overlay: Record<string, unknown> = {
    overlay: true,
    distributions: [
      {
        id: random.below(4) !== 0 ? 'ubuntu' : random.pick(['centos', 'new-distribution', '__proto__']),
        ...(random.below(2) === 0 ? { namingRules: [rule] } : {}),
        versions: [{ id: random.below(4) !== 0 ? 'ubuntu-24.04' : random.pick(['centos-7', 'x']), images: [image] }],
      },
    ],
  };
  // One field of the wrong shape, somewhere.
  const targets: Record<string, unknown>[] = [overlay, image, rule, (overlay.distributions as Record<string, unknown>[])[0]];
  const target = random.pick(targets);
  const keys = Object.keys(target);
  if (random.below(3) === 0) target[random.below(4) === 0 ? '__proto__' : random.pick(keys)] = random.pick(oddValues);
  return overlay;
}

/** A configuration with hostile values. */
function hostileConfiguration(random: Random, catalog: string): unknown {
  const pattern = () => random.pick(['*:*:*', `${'*a'.repeat(40)}:*:*`, 'Canonical:*', '::', '*'.repeat(500), ':'.repeat(100)]);
  const configuration: Record<string, unknown> = {
    catalog,
    asOf: random.pick([fuzzDate, '2026-02-30', 'tomorrow', 7]),
    rules: {
      'end-of-support': random.pick(['error', 'loud', { level: 'warning' }, null]),
      'support-ending': { days: random.pick([90, -1, 1e9, 'x']) },
    },
    allowed: Array.from({ length: random.below(4) }, pattern),
    denied: Array.from({ length: random.below(4) }, pattern),
  };
  if (random.below(4) === 0) configuration[random.pick(['rules', 'allowed', '__proto__', 'unknown'])] = random.pick(oddValues);
  return configuration;
}

/** Writes a generated workspace into a fresh temporary folder. */
export function generateWorkspace(random: Random): GeneratedWorkspace {
  const parent = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'azure-image-lint-fuzz-workspace-')));
  const root = path.join(parent, 'workspace');
  const outside = path.join(parent, 'outside');
  fs.mkdirSync(path.join(root, 'data'), { recursive: true });
  fs.mkdirSync(outside);
  const secret = JSON.stringify({ publisher: secretMarker, offer: secretMarker, sku: secretMarker, password: secretMarker });
  fs.writeFileSync(path.join(outside, 'secret.json'), secret);
  fs.writeFileSync(path.join(outside, 'secret.bicep'), `// ${secretMarker}\nparam sku string = '${secretMarker}'\n`);
  fs.writeFileSync(
    path.join(root, 'data', 'image.json'),
    JSON.stringify({ publisher: 'Canonical', offer: 'UbuntuServer', sku: '18.04-LTS', password: 'x' }),
  );
  fs.symlinkSync(path.join(outside, 'secret.json'), path.join(root, 'secret-link.json'));
  if (random.below(3) === 0) fs.symlinkSync(outside, path.join(root, 'outside-link'));
  const count = 2 + random.below(5);
  const parts = [`${count} Bicep modules`];
  for (let index = 0; index < count; index++)
    fs.writeFileSync(path.join(root, `m${index}.bicep`), bicepFile(random, index, count));
  if (random.below(2) === 0) {
    fs.writeFileSync(
      path.join(root, 'm0.bicepparam'),
      `using '${random.pick(['./m0.bicep', '../outside/secret.bicep', './m1.bicep'])}'\n\nparam sku = '${random.pick(skus)}'\nparam offer = ${random.below(2) === 0 ? `loadJsonContent('${random.pick(loadPaths)}').offer` : `'${random.pick(offers)}'`}\n`,
    );
    parts.push('a .bicepparam');
  }
  if (random.below(2) === 0) {
    fs.writeFileSync(path.join(root, 'azuredeploy.json'), armTemplate(random));
    fs.writeFileSync(
      path.join(root, 'azuredeploy.parameters.json'),
      JSON.stringify({
        $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#',
        contentVersion: '1.0.0.0',
        parameters: { sku: { value: random.pick(skus) } },
      }),
    );
    parts.push('an ARM template and parameter file');
  }
  if (random.below(3) === 0) {
    const catalog = random.pick(['our.catalog.json', '../outside/secret.json', '/etc/passwd', 'secret-link.json']);
    fs.writeFileSync(path.join(root, 'azure-image-lint.json'), JSON.stringify(hostileConfiguration(random, catalog)));
    fs.writeFileSync(path.join(root, 'our.catalog.json'), JSON.stringify(hostileOverlay(random)));
    parts.push(`a hostile configuration (catalog ${catalog})`);
  }
  return { root, outside, description: parts.join(', ') };
}

export function removeWorkspace(workspace: GeneratedWorkspace): void {
  fs.rmSync(path.dirname(workspace.root), { recursive: true, force: true });
}

/** Runs the command line over a workspace in one format and checks its outcome and output. */
export function checkWorkspaceCli(workspace: GeneratedWorkspace, format: string): Failure[] {
  const args = format === 'inventory' ? ['--inventory'] : ['--format', format];
  const outcome = runCli([...args, '--as-of', fuzzDate, '--root', workspace.root, workspace.root]);
  const input = `${format} over a workspace of ${workspace.description}`;
  const message = checkCliOutcome(outcome);
  if (message) return [{ target: 'cli', input, message }];
  if (outcome.stdout.includes(secretMarker) || outcome.stderr.includes(secretMarker)) {
    return [{ target: 'cli', input, message: 'the output holds content of a file outside the workspace' }];
  }
  return [];
}

/** The edits of every preferred fix that does not overlap one taken before, by file. */
function preferredEdits(findings: readonly Finding[]): Map<string, TextEdit[]> {
  const taken = new Map<string, TextEdit[]>();
  const overlaps = (edit: TextEdit) =>
    (taken.get(edit.file) ?? []).some((other) => edit.range.start < other.range.end && other.range.start < edit.range.end);
  const same = (edit: TextEdit) =>
    (taken.get(edit.file) ?? []).some(
      (other) => other.range.start === edit.range.start && other.range.end === edit.range.end && other.newText === edit.newText,
    );
  for (const finding of findings) {
    const fix = finding.fixes.find((candidate) => candidate.isPreferred);
    if (!fix) continue;
    const fresh = fix.edits.filter((edit) => !same(edit));
    if (fresh.some(overlaps)) continue;
    for (const edit of fresh) taken.set(edit.file, [...(taken.get(edit.file) ?? []), edit]);
  }
  return taken;
}

const urnOf = (names: ImageNames) => `${names.publisher}:${names.offer}:${names.sku}`.toLowerCase();

/**
 * How many candidates of each image site are unknown images, by where the site is once `edits`
 * are applied (the edits only replace string literals, so a site moves by what they add before it).
 */
function unknownCandidatesBySite(result: ScanResult, edits: ReadonlyMap<string, readonly TextEdit[]>): Map<string, number> {
  const unknown = new Set(
    result.findings.filter((finding) => finding.code === 'unknown-image').map((finding) => urnOf(finding.image)),
  );
  const counts = new Map<string, number>();
  for (const site of result.images) {
    let start = site.use.range.start;
    for (const edit of edits.get(site.use.file) ?? []) {
      if (edit.range.end <= site.use.range.start) start += edit.newText.length - (edit.range.end - edit.range.start);
    }
    const key = `${site.use.file}:${start}`;
    const count = site.candidates.filter((candidate) => unknown.has(urnOf(namesOf(candidate)))).length;
    counts.set(key, Math.max(counts.get(key) ?? 0, count));
  }
  return counts;
}

function parseProblemsByFile(problems: readonly Problem[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const problem of problems) if (problem.range) counts.set(problem.file, (counts.get(problem.file) ?? 0) + 1);
  return counts;
}

/**
 * Applies every preferred fix of a folder across its files at once, analyses it again and checks
 * the invariants. The folder is changed in place.
 */
export function checkFixApplication(folder: string, description: string, roots = [folder]): Failure[] {
  const input = `every preferred fix over ${description}`;
  const scan = () => scanFiles(collectFiles([folder], { roots }).files, { today: fuzzDate, asOf: fuzzDate, roots });
  try {
    const before = scan();
    const edits = preferredEdits(before.findings);
    if (edits.size === 0) return [];
    for (const [file, fileEdits] of edits) {
      let text = fs.readFileSync(file, 'utf8');
      for (const edit of [...fileEdits].sort((a, b) => b.range.start - a.range.start)) {
        text = text.slice(0, edit.range.start) + edit.newText + text.slice(edit.range.end);
      }
      fs.writeFileSync(file, text);
    }
    const after = scan();
    const internal = after.problems.find((problem) => /internal error/i.test(problem.message));
    if (internal) return [{ target: 'core', input, message: `after the fixes: ${internal.message}` }];
    const parsedBefore = parseProblemsByFile(before.problems);
    for (const [file, count] of parseProblemsByFile(after.problems)) {
      if (count > (parsedBefore.get(file) ?? 0)) {
        return [
          {
            target: 'core',
            input,
            message: `${path.relative(folder, file)} has ${count - (parsedBefore.get(file) ?? 0)} new parse problem(s) after the fixes`,
          },
        ];
      }
    }
    // An image site with more unknown candidates than before: a fix changed a value it shares.
    const unknownBefore = unknownCandidatesBySite(before, edits);
    const noEdits = new Map<string, TextEdit[]>();
    const fresh = [...unknownCandidatesBySite(after, noEdits)]
      .filter(([site, count]) => count > (unknownBefore.get(site) ?? 0))
      .map(([site]) => path.relative(folder, site));
    if (fresh.length > 0)
      return [{ target: 'core', input, message: `new unknown images after the fixes at ${fresh.join('; ')}` }];
  } catch (error) {
    return [
      { target: 'core', input, message: `threw ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` },
    ];
  }
  return [];
}

/** One hostile overlay and configuration through the loaders, then lookups of long SKUs. */
export function checkOverlay(random: Random): Failure[] {
  const overlay = hostileOverlay(random);
  const input = `catalog overlay ${JSON.stringify(overlay).slice(0, 300)}`;
  try {
    const start = process.hrtime.bigint();
    const applied = applyCatalogOverlay(bundledCatalog, overlay, 'fuzz.catalog.json');
    parseConfigObject(hostileConfiguration(random, 'fuzz.catalog.json'), 'azure-image-lint.json');
    for (const sku of ['a'.repeat(200), `${'a'.repeat(199)}#`, '7.9', 'x'.repeat(5000), 'server', `ubuntu-${'9'.repeat(150)}`]) {
      for (const offer of ['hostile-offer', 'UbuntuServer', 'ubuntu-24_04-lts', `ubuntu-${'1'.repeat(100)}_04-lts`]) {
        matchImage(applied.catalog, { publisher: 'Canonical', offer, sku, version: 'latest' });
      }
    }
    if (({} as Record<string, unknown>).polluted !== undefined)
      return [{ target: 'core', input, message: 'Object.prototype was polluted' }];
    const elapsed = elapsedMilliseconds(start);
    if (elapsed > 2000) return [{ target: 'time', input, message: `loading and 24 lookups took ${elapsed.toFixed(0)} ms` }];
  } catch (error) {
    return [
      { target: 'core', input, message: `threw ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` },
    ];
  }
  return [];
}

function frame(body: string): Buffer {
  const bytes = Buffer.from(body, 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`, 'latin1'), bytes]);
}

function request(id: number, method: string, params: unknown): Buffer {
  return frame(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
}

/** Malformed things a stream may carry. */
const malformedFrames: [string, () => Buffer][] = [
  ['a negative Content-Length', () => Buffer.from('Content-Length: -5\r\n\r\n{}')],
  ['a Content-Length that is not a number', () => Buffer.from('Content-Length: abc\r\n\r\n{}')],
  ['no Content-Length', () => Buffer.from('Content-Type: application/json\r\n\r\n{}')],
  ['a huge Content-Length', () => Buffer.from('Content-Length: 99999999999999\r\n\r\n{}')],
  ['a header of 10 KB', () => Buffer.from(`X-Long: ${'x'.repeat(10_000)}\r\nContent-Length: 2\r\n\r\n{}`)],
  ['random bytes', () => Buffer.from(Array.from({ length: 64 }, (_, index) => (index * 37 + 11) % 256))],
  ['a body that is not JSON', () => frame('{"jsonrpc":"2.0","id":')],
  ['a body that is JSON but no message', () => frame('[1,2,3]')],
  [
    'a Content-Length shorter than the body',
    () => Buffer.from('Content-Length: 3\r\n\r\n{"jsonrpc":"2.0","id":77,"method":"x"}'),
  ],
  ['a header line without a colon', () => Buffer.from('Content-Length 2\r\n\r\n{}')],
];

/**
 * One run of the real server over stdio: `initialize`, then requests framed well but written in
 * random pieces or merged, maybe one malformed frame, then a last request. Answers are read back
 * from stdout.
 */
export async function checkFraming(random: Random, timeout = 15_000): Promise<Failure[]> {
  const malformed = random.below(2) === 0 ? random.pick(malformedFrames) : undefined;
  const input = `message framing${malformed ? ` with ${malformed[0]}` : ''}`;
  const child = spawn(process.execPath, [serverModule, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = Buffer.alloc(0);
  let stderr = '';
  const answered = new Set<number>();
  const waiters: { id: number; resolve: () => void }[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout = Buffer.concat([stdout, chunk]);
    // Reads every whole frame the server wrote.
    for (;;) {
      const end = stdout.indexOf('\r\n\r\n');
      if (end < 0) break;
      const length = Number(/Content-Length: (\d+)/i.exec(stdout.subarray(0, end).toString('latin1'))?.[1] ?? -1);
      if (length < 0 || stdout.length < end + 4 + length) break;
      const body = JSON.parse(stdout.subarray(end + 4, end + 4 + length).toString('utf8')) as { id?: number; method?: string };
      stdout = stdout.subarray(end + 4 + length);
      if (typeof body.id === 'number' && body.method === undefined) {
        answered.add(body.id);
        for (const waiter of waiters.filter((candidate) => candidate.id === body.id)) waiter.resolve();
      } else if (typeof body.id === 'number' && body.method !== undefined) {
        // The server's own requests (configuration, progress): answer them.
        write(frame(JSON.stringify({ jsonrpc: '2.0', id: body.id, result: null })));
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin.on('error', () => undefined);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const write = (bytes: Buffer) => {
    if (!child.stdin.destroyed) child.stdin.write(bytes);
  };
  const answer = (id: number) =>
    new Promise<'answered'>((resolve) => {
      if (answered.has(id)) resolve('answered');
      else waiters.push({ id, resolve: () => resolve('answered') });
    });
  /** Writes frames merged into one buffer and cut into random pieces. */
  const send = (frames: Buffer[]) => {
    const bytes = Buffer.concat(frames);
    let offset = 0;
    while (offset < bytes.length) {
      const size = random.pick([1, 2, 3, 7, 64, 4096, bytes.length]);
      write(bytes.subarray(offset, offset + size));
      offset += size;
    }
  };
  const failures: Failure[] = [];
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeout)));
  try {
    send([request(1, 'initialize', { processId: null, rootUri: null, capabilities: {} })]);
    if ((await Promise.race([answer(1), timedOut])) === 'timeout') {
      return [{ target: 'server', input, message: `no answer to initialize; stderr: ${stderr.slice(0, 500)}` }];
    }
    const frames = [frame(JSON.stringify({ jsonrpc: '2.0', method: 'initialized', params: {} }))];
    const ids: number[] = [];
    for (let index = 0; index < 2 + random.below(6); index++) {
      const id = 10 + index;
      ids.push(id);
      frames.push(
        request(
          id,
          random.pick(['textDocument/hover', 'workspace/executeCommand', 'textDocument/completion', 'completionItem/resolve']),
          {
            textDocument: { uri: 'file:///nowhere/x.bicep' },
            position: { line: 0, character: 0 },
            command: 'azureImageLint.server.nope',
            arguments: [],
            // What a completion item's resolution would carry, from no list the server made.
            label: 'x',
            data: random.pick([{ list: 1, index: 0 }, { list: -1, index: 1e9 }, 'x', null]),
          },
        ),
      );
    }
    send(frames);
    if (malformed) send([malformed[1]()]);
    const lastId = 999;
    send([
      request(lastId, 'textDocument/hover', {
        textDocument: { uri: 'file:///nowhere/x.bicep' },
        position: { line: 0, character: 0 },
      }),
    ]);
    const outcome = await Promise.race([
      answer(lastId).then(() => 'answered' as const),
      exited.then(() => 'exited' as const),
      timedOut,
    ]);
    if (/^\s+at .+:\d+:\d+\)?$/m.test(stderr))
      failures.push({ target: 'server', input, message: `stack trace on stderr: ${stderr.slice(0, 1000)}` });
    if (outcome === 'timeout')
      failures.push({ target: 'server', input, message: `neither answered nor closed within ${timeout} ms (deaf)` });
    else if (!malformed) {
      const missing = ids.filter((id) => !answered.has(id));
      if (outcome !== 'answered' || missing.length > 0) {
        failures.push({
          target: 'server',
          input,
          message: `a well-formed stream was not answered (${outcome}; missing ${missing.join(', ')}); stderr: ${stderr.slice(0, 500)}`,
        });
      }
    } else if (outcome === 'exited' && !/the connection is closed/.test(stderr)) {
      failures.push({
        target: 'server',
        input,
        message: `the server stopped without saying why; stderr: ${stderr.slice(0, 500)}`,
      });
    }
  } finally {
    clearTimeout(timer);
    child.kill();
    await exited;
  }
  return failures;
}
