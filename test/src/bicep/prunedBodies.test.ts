/**
 * The parser builds of each resource body only the path to the image and nested resources
 * (`ParseOptions.resourceBodyPaths`: the image's and the operating-system indicators'), reads the members it drops without building them when it
 * can tell they hold no problem, and leaves the image value itself unbuilt until it is asked for
 * (`DeferredExpression`). These tests check that this gives exactly what parsing the whole file
 * and then dropping those members gives: the same tree once deferred values are expanded, and the
 * same problems, on purpose-written bodies full of syntax errors, on every corpus and fixture
 * file, and on deterministic mutations of them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { keptPathsOfWrittenType } from '../../../server/out/core/imageLocations';
import { expandDeferred, parseBicep } from '../../../server/out/core/bicep/parser';
import type { DeclarationValue, DeferredExpression, ObjectExpression, ObjectMember } from '../../../server/out/core/bicep/syntax';
import { bicepFleet } from '../bench/synthesize';
import { Random } from '../fuzz/mutator';
import { corpusFolder, filesUnder, fixturesFolder } from '../harness/sharedReading';

const options = { resourceBodyPaths: keptPathsOfWrittenType };

type Paths = readonly (readonly string[])[];

/** The straightforward pruning: a resource body (through `if` and `for`) less the members off `paths`. */
function keepOnlyPaths(value: DeclarationValue, paths: Paths): DeclarationValue {
  switch (value.kind) {
    case 'if':
    case 'for':
      return { ...value, body: keepOnlyPaths(value.body, paths) } as DeclarationValue;
    case 'object':
      return keepOnlyPathsInObject(value, paths, 0);
    default:
      return value;
  }
}

function keepOnlyPathsInObject(object: ObjectExpression, paths: Paths, index: number): ObjectExpression {
  // A spread may bring in the next property of a path: such an object is kept whole.
  if (object.members.some((member) => member.kind === 'spread')) return object;
  const members: ObjectMember[] = [];
  for (const member of object.members) {
    if (member.kind === 'resource') {
      members.push(member);
      continue;
    }
    if (member.kind !== 'property' || member.name === undefined) continue;
    const name = member.name.toLowerCase();
    const on = paths.filter((path) => index < path.length && path[index].toLowerCase() === name);
    if (on.length === 0) continue;
    const inner = member.value;
    const ends = on.some((path) => index + 1 === path.length);
    members.push(!ends && inner.kind === 'object' ? { ...member, value: keepOnlyPathsInObject(inner, on, index + 1) } : member);
  }
  return { ...object, members };
}

/** A copy of a whole tree with every resource body pruned, innermost resources first. */
function pruneEveryResource(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(pruneEveryResource);
  if (node === null || typeof node !== 'object') return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) copy[key] = pruneEveryResource(value);
  if (copy.kind === 'resource') {
    const typeString = copy.typeString as { kind: string; value?: string };
    const paths = typeString.kind === 'string' ? keptPathsOfWrittenType(typeString.value!) : undefined;
    if (paths) copy.value = keepOnlyPaths(copy.value as DeclarationValue, paths);
  }
  return copy;
}

/** A copy of a tree with every deferred expression expanded; `deferred` collects them. */
function expandEveryDeferred(node: unknown, deferred: DeferredExpression[]): unknown {
  if (Array.isArray(node)) return node.map((item) => expandEveryDeferred(item, deferred));
  if (node === null || typeof node !== 'object') return node;
  if ((node as { kind?: string }).kind === 'deferred') {
    deferred.push(node as DeferredExpression);
    return expandDeferred(node as DeferredExpression);
  }
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) copy[key] = expandEveryDeferred(value, deferred);
  return copy;
}

/** Asserts the pruned parse is the whole parse pruned; returns how many values it deferred. */
function assertSameAsWholeThenPruned(text: string, label: string): number {
  const whole = parseBicep(text);
  const pruned = parseBicep(text, options);
  assert.deepEqual(pruned.problems, whole.problems, `${label}: problems`);
  const deferred: DeferredExpression[] = [];
  assert.deepEqual(expandEveryDeferred(pruned.program, deferred), pruneEveryResource(whole.program), `${label}: tree`);
  for (const node of deferred) {
    const expanded = expandDeferred(node);
    assert.deepEqual([expanded.start, expanded.end], [node.start, node.end], `${label}: the span of a deferred value`);
  }
  return deferred.length;
}

const vm = (body: string) => `resource vm 'Microsoft.Compute/virtualMachines@2024-03-01' = ${body}\n`;
const storageProfile =
  "storageProfile: {\n      imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: sku }\n    }";

/** Resource bodies with something broken, or unusual, in the members the parser drops. */
const purposeWritten: string[] = [
  // Syntax errors inside dropped members.
  vm(`{\n  name: 'a' 'b'\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  name 'a'\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  location: resourceGroup(.location\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  tags: { a: 1 b: 2 }\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  tags: { a: 1, b: }\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  tags: { a: [1, 2\n  }\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  name: 'unterminated\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  name: '\${prefix-vm'\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  name: '\${prefix}\${'\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  name: "double"\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  name: a ? b\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  name: a ?\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  name: a &&\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  name: a.\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  name: a::\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  name: a[0\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  name: (a\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  name: (\n  a)\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  name: f(a b)\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  name: f(a,\n    b\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  name: ~\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  name: \n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  name: [for i in range(0, 3) i]\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  hardwareProfile: {\n    vmSize: 'Standard_D2s_v5'\n`),
  vm(`{\n  hardwareProfile: {\n    vmSize: 'Standard_D2s_v5'\nparam sku string\n  }\n}`),
  vm(`{\n  hardwareProfile: [\n    'a'\nvar x = 1\n  ]\n}`),
  vm(`{\n  hardwareProfile: f(\nvar x = 1\n  )\n}`),
  vm(`{\n  ${'a: '.repeat(1)}${'['.repeat(230)}${']'.repeat(230)}\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  a: ${'{ b: '.repeat(230)}1${' }'.repeat(230)}\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  a: ${'!'.repeat(230)}true\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  a: ${'f('.repeat(230)}${')'.repeat(230)}\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  a: ${'x ? '.repeat(120)}1${' : 2'.repeat(120)}\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  a: { @description('x')\n b: 1 }\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  a: { '\${k}': 1 }\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  '\${k}': 1\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  '\${k': 1\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  a: x => x\n  b: (x, y) => x\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  a: { resource x 'y' = {} }\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  a: $'''\${x}'''\n  b: '''\n  c'''\n  d: '''open\n`),
  vm(`{\n  @description('x')\n  name: 'a'\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  @description('x'\n  name: 'a'\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  123: 'a'\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  name: 'a',, location: 'b'\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  properties: {\n    osProfile: { computerName: 'a' 'b' }\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  properties: {\n    storageProfile: {\n      osDisk: { name: }\n      imageReference: images[os]\n    }\n  }\n}`),
  // Valid but unusual members the parser drops.
  vm(
    `{\n  name: '\${a}-\${b[0].c}-\${f(x, y)}'\n  location: a.?b[?0]!::c\n  tags: union(a, { b: -1, c: !d, e: (f) })\n  zones: [\n    1\n    ...z\n  ]\n  properties: {\n    ${storageProfile}\n  }\n}`,
  ),
  vm(
    `{\n  a: x\n    && y\n    || z\n    ?? w\n  b: c\n    ? d\n    : e\n  c: f(\n    g,\n    h\n  ).i()\n  properties: {\n    ${storageProfile}\n  }\n}`,
  ),
  vm(
    `{\n  a: { ...x, b: 1 }\n  c: true ? null : false\n  d: 1 + 2 * 3 == 7 =~ 'a'\n  properties: {\n    ${storageProfile}\n  }\n}`,
  ),
  // Bodies kept whole or in part for their shape: spreads, expressions that go on, case, string keys.
  vm(`{\n  name: 'a'\n  ...base\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  name: 'a'\n  properties: {\n    hardwareProfile: {}\n    ...more\n    ${storageProfile}\n  }\n}`),
  vm(`{\n  name: 'a'\n  properties: {\n    ${storageProfile}\n  }\n}.properties`),
  vm(`{\n  name: 'a'\n  properties: {\n    ${storageProfile}\n  }\n} ?? other`),
  vm(`{\n  name: 'a'\n  properties: {\n    ${storageProfile}\n  }\n}\n  ?? other`),
  vm(`{\n  name: 'a'\n  properties: {\n    ${storageProfile}\n  }.x\n}`),
  vm(`{\n  name: 'a'\n  Properties: {\n    StorageProfile: {\n      ImageReference: {}\n    }\n  }\n}`),
  vm(`{\n  'properties': {\n    'storageProfile': { imageReference: {}, osDisk: {} }\n  }\n}`),
  vm(`{\n  properties: {\n    storageProfile: [for i in range(0, 2): { imageReference: {} }]\n  }\n}`),
  vm(`if (deploy) {\n  name: 'a' 'b'\n  properties: {\n    ${storageProfile}\n  }\n}`),
  vm(`if (deploy {\n  name: 'a'\n}`),
  vm(`[for i in range(0, 2): {\n  name: 'a\${i}'\n  properties: {\n    ${storageProfile}\n  }\n}]`),
  vm(`[for i in range(0, 2): if (i > 0) {\n  name: 'a' 'b'\n  properties: {\n    ${storageProfile}\n  }\n}]`),
  vm(`[for i in range(0, 2): {\n  name: 'a'\n}][0]`),
  vm(`[\nfor i in list: {\n  name: 'a'\n  properties: {}\n}\n]`),
  vm(`[for i in list: {\n  name: 'a'\n  properties: {}\n}`),
  vm(`({\n  name: 'a'\n})`),
  vm(`images[os]`),
  // Image values themselves, deferred when they are free of problems and parsed when not.
  vm(`{\n  properties: {\n    storageProfile: {\n      imageReference: { publisher: 'a' 'b' }\n    }\n  }\n}`),
  vm(`{\n  properties: {\n    storageProfile: {\n      imageReference: { publisher: 'a', offer: }\n    }\n  }\n}`),
  vm(`{\n  properties: {\n    storageProfile: {\n      imageReference: images[os\n    }\n  }\n}`),
  vm(`{\n  properties: {\n    storageProfile: {\n      imageReference: \n    }\n  }\n}`),
  vm(`{\n  properties: {\n    storageProfile: {\n      imageReference: x => x\n    }\n  }\n}`),
  vm(`{\n  properties: {\n    storageProfile: {\n      imageReference: { ...base, sku: sku }\n    }\n  }\n}`),
  vm(
    `{\n  properties: {\n    storageProfile: {\n      imageReference: cond ? images.a : {\n        publisher: 'p'\n      }\n    }\n  }\n}`,
  ),
  vm(`{\n  properties: {\n    storageProfile: {\n      imageReference: a\n        ?? b\n    }\n  }\n}`),
  vm(
    `{\n  properties: {\n    storageProfile: {\n      imageReference: '\${a}-\${b}' // comment\n      /* more */ osDisk: {}\n    }\n  }\n}`,
  ),
  vm(
    `{\n  properties: {\n    storageProfile: {\n      imageReference: { publisher: 'p' }, imageReference: { publisher: 'q' }\n    }\n  }\n}`,
  ),
  "resource pool 'Microsoft.DesktopVirtualization/hostPools@2023-09-05' = {\n  properties: {\n    vmTemplate: string({ galleryImagePublisher: 'Canonical', galleryImageOffer: 'UbuntuServer' })\n  }\n}\n",
  'resource pool \'Microsoft.DesktopVirtualization/hostPools@2023-09-05\' = {\n  properties: {\n    vmTemplate: \'{"galleryImagePublisher": "Canonical"}\'\n  }\n}\n',
  // Nested resources stay, in kept and dropped members alike.
  [
    "resource lab 'Microsoft.DevTestLab/labs@2018-09-15' = {",
    "  name: 'lab' 'x'",
    "  resource vm 'virtualmachines' = {",
    "    name: 'vm'",
    "    properties: { galleryImageReference: { publisher: 'Canonical' }, notes: 'a' 'b' }",
    '  }',
    "  properties: { a: { resource inner 'virtualmachines' = { properties: {} } } }",
    '}',
  ].join('\n'),
  "resource nic 'Microsoft.Network/networkInterfaces@2023-09-01' = {\n  name: 'nic'\n  properties: { a: [ { b: c } ] }\n}\n",
  "resource nic 'Microsoft.Network/networkInterfaces@2023-09-01' = {\n  name: 'nic'\n  properties: { a: [ { b: c } }\n}\n",
  "resource nic 'Microsoft.Network/networkInterfaces@2023-09-01' existing = {\n  name: 'nic'\n}\nresource '' = {}\n",
  "resource x 'Unknown' = {\n  properties: {\n    a: 1\n  }\n}\nresource y '${t}' = {\n  a: 1 2\n}\n",
  "resource vm 'Microsoft.Compute/virtualMachines@2024-03-01' = {\n  name: f(\n",
];

/**
 * Resources nested `depth` deep, each body wrapped by `wrap` (given the nested body and the level):
 * bodies the parser must go back over and parse whole, with resources inside them.
 */
function nestedResources(depth: number, wrap: (inner: string, level: number) => string): string {
  let body = "{ name: 'x' }";
  for (let level = 0; level < depth; level++) body = wrap(body, level);
  return `resource top 'Microsoft.Compute/virtualMachines@2024-03-01' = ${body}\n`;
}

const nestedVm = (level: number, inner: string) => `resource r${level} 'Microsoft.Compute/virtualMachines@2024-03-01' = ${inner}`;

/** Bodies kept whole around nested resources, some with problems, nested 8 deep. */
const nestedBodies: string[] = [
  nestedResources(8, (inner, level) => `{\n  name: 'n${level}'\n  ${nestedVm(level, inner)}\n  ...spread\n}`),
  nestedResources(8, (inner, level) => `{\n  name: 'n${level}'\n  ${nestedVm(level, inner)}\n}.x`),
  nestedResources(
    8,
    (inner, level) =>
      `{\n  properties: {\n    storageProfile: {\n      ${nestedVm(level, inner)}\n      ...s\n    }\n    ...t\n  }\n  ...u\n}`,
  ),
  nestedResources(8, (inner, level) => `[for x in y: {\n  name: 'n${level}'\n  ${nestedVm(level, inner)}\n  ...spread\n}]`),
  nestedResources(8, (inner, level) => `if (c) {\n  ${nestedVm(level, inner)}\n  ...spread\n} ?? z`),
  nestedResources(
    8,
    (inner, level) => `{\n  name: 'n${level}' 'x'\n  @description('d')\n  ${nestedVm(level, inner)}\n  ...spread\n}`,
  ),
  nestedResources(8, (inner, level) => `{\n  ${nestedVm(level, inner)}\n  tags: { a: 1 b: 2 }\n  ...spread\n}`),
];

/** A few deterministic edits that break or reshape Bicep syntax. */
const edits = [
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  "'",
  '\n',
  ',',
  ':',
  '?',
  '${',
  '@',
  '...',
  '!',
  '=>',
  '::',
  "'''",
  'for i in ',
  'if (',
  'resource x ',
  'param p ',
  '.',
];

function mutants(text: string, seed: number, count: number): string[] {
  const random = new Random(seed);
  const result: string[] = [];
  for (let index = 0; index < count; index++) {
    let mutant = text;
    const changes = 1 + random.below(3);
    for (let change = 0; change < changes; change++) {
      const at = random.below(mutant.length + 1);
      mutant =
        random.next() < 0.4
          ? mutant.slice(0, at) + mutant.slice(at + 1 + random.below(3))
          : mutant.slice(0, at) + random.pick(edits) + mutant.slice(at);
    }
    result.push(mutant);
  }
  return result;
}

describe('Bicep resource bodies pruned while parsing', () => {
  it('give the tree and problems of the whole parse, pruned afterwards, on purpose-written bodies', () => {
    purposeWritten.forEach((text, index) => assertSameAsWholeThenPruned(text, `input ${index}`));
  });

  it(
    'give the same on bodies parsed again whole around nested resources, in time linear in their depth',
    { timeout: 30_000 },
    () => {
      nestedBodies.forEach((text, index) => {
        assertSameAsWholeThenPruned(text, `nested bodies ${index}`);
        for (const mutant of mutants(text, 500 + index, 20))
          assertSameAsWholeThenPruned(mutant, `mutant of nested bodies ${index}`);
      });
      // Each level once parsed its nested resources twice: 2^22 parses, over ten seconds, for 22 levels.
      const start = performance.now();
      parseBicep(
        nestedResources(22, (inner, level) => `{\n  ${nestedVm(level, inner)}\n  ...spread\n}`),
        options,
      );
      assert.ok(performance.now() - start < 2000);
    },
  );

  it('give the same on mutations of the purpose-written bodies', () => {
    purposeWritten.forEach((text, index) => {
      for (const mutant of mutants(text, index + 1, 40)) assertSameAsWholeThenPruned(mutant, `mutant of input ${index}`);
    });
  });

  it('defer the images of the benchmark file, and expand them to what the whole parse builds', () => {
    const text = bicepFleet(60_000);
    const deferred = assertSameAsWholeThenPruned(text, 'benchmark file');
    assert.equal(deferred, text.match(/imageReference:/g)!.length);
  });

  it('give the same on every corpus and fixture file, and on mutations of them', () => {
    const files = [...filesUnder(corpusFolder, /\.bicep(param)?$/i), ...filesUnder(fixturesFolder, /\.bicep(param)?$/i)];
    assert.ok(files.length > 0);
    files.forEach((file, index) => {
      const text = fs.readFileSync(file, 'utf8');
      assertSameAsWholeThenPruned(text, file);
      for (const mutant of mutants(text, 1000 + index, 5)) assertSameAsWholeThenPruned(mutant, `mutant of ${file}`);
    });
  });
});
