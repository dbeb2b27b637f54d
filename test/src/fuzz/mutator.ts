/**
 * A deterministic, seeded mutator for the fuzz harness. It owns a small PRNG (mulberry32), so a
 * seed printed by a failing run reproduces the exact same inputs on any machine, and it knows the
 * mutations the reliability issue asks for: truncation, byte flips, deleted and doubled braces and
 * quotes, invalid UTF-8, UTF-16 with a byte-order mark, CRLF line ends and NUL bytes. It also
 * generates the hostile inputs whose size grows with a parameter (deep nesting, many parameters,
 * long strings), which the linear-time checks use.
 */

/** mulberry32: a 32-bit state PRNG, small and good enough to spread mutations. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let value = this.state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, limit). */
  below(limit: number): number {
    return Math.floor(this.next() * limit);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }
}

/** A mutated input: the bytes to write or decode, and what was done to them (for reports). */
export interface Mutant {
  bytes: Buffer;
  description: string;
}

export type MutationName =
  | 'truncate'
  | 'flip-bytes'
  | 'delete-structure'
  | 'double-structure'
  | 'invalid-utf8'
  | 'utf16-bom'
  | 'crlf'
  | 'nul-bytes'
  | 'splice'
  | 'insert-token'
  | 'replace-value';

export const mutationNames: readonly MutationName[] = [
  'truncate',
  'flip-bytes',
  'delete-structure',
  'double-structure',
  'invalid-utf8',
  'utf16-bom',
  'crlf',
  'nul-bytes',
  'splice',
  'insert-token',
  'replace-value',
];

/**
 * Fragments of ARM expressions and Bicep syntax that reach deep into the evaluators: function
 * calls that build text, arrays and objects, references, loops and modules.
 */
const tokens = [
  "[concat(variables('v'), variables('v'))]",
  "[replace(parameters('p'), 'a', 'aa')]",
  "[format('{0}{0}{1}', parameters('p'), variables('v'))]",
  '[range(0, 100000)]',
  '[copyIndex()]',
  "[createArray(variables('v'), variables('v'))]",
  "[createObject('a', variables('v'), 'b', variables('v'))]",
  "[union(variables('v'), variables('v'))]",
  "[string(variables('v'))]",
  "[json(string(parameters('p')))]",
  "[if(equals(parameters('p'), 'x'), variables('v'), parameters('p'))]",
  "[reference(resourceId('Microsoft.Compute/virtualMachines', 'vm'))]",
  "[parameters(parameters('p'))]",
  "[variables(variables('v'))]",
  "[split(parameters('p'), '')]",
  '"copy": {"name": "c", "count": 100000, "input": "[parameters(\'p\')]"},',
  '"v": "[variables(\'v\')]",',
  '"p": {"type": "string", "defaultValue": "[parameters(\'p\')]", "allowedValues": ["a", "b"]},',
  '${v}${v}',
  'concat(v, v)',
  'string(v)',
  'union(v, { a: v })',
  '[for i in range(0, 100000): v]',
  "module m 'main.bicep' = { name: 'm' }\n",
  "module r 'br/public:avm/res/x:1.0' = { name: 'r' }\n",
  "import * as x from 'main.bicep'\n",
  'var v = v\n',
  'param p string = p\n',
  "@allowed(['a', 'b'])\n",
  '#disable-next-line end-of-support\n',
  '// azure-image-lint-disable-next-line\n',
  "loadJsonContent('main.json')",
  'v.a.b[0].c',
  '\\u0000\\ud800',
];

const structureBytes = new Set([0x7b, 0x7d, 0x5b, 0x5d, 0x22, 0x27, 0x28, 0x29, 0x2c, 0x3a]); // { } [ ] " ' ( ) , :

function structurePositions(bytes: Buffer): number[] {
  const positions: number[] = [];
  for (let index = 0; index < bytes.length; index++) if (structureBytes.has(bytes[index])) positions.push(index);
  return positions;
}

/** Applies one named mutation to a file's bytes. */
export function mutate(random: Random, original: Buffer, name: MutationName): Mutant {
  const bytes = Buffer.from(original);
  switch (name) {
    case 'truncate': {
      const at = random.below(bytes.length + 1);
      return { bytes: bytes.subarray(0, at), description: `truncated at byte ${at}` };
    }
    case 'flip-bytes': {
      const count = 1 + random.below(8);
      for (let index = 0; index < count && bytes.length > 0; index++) bytes[random.below(bytes.length)] = random.below(256);
      return { bytes, description: `${count} random byte(s) replaced` };
    }
    case 'delete-structure':
    case 'double-structure': {
      const positions = structurePositions(bytes);
      if (positions.length === 0) return { bytes, description: 'no structure to change' };
      const count = 1 + random.below(4);
      const chosen = new Set<number>();
      for (let index = 0; index < count; index++) chosen.add(random.pick(positions));
      const parts: Buffer[] = [];
      let from = 0;
      for (const at of [...chosen].sort((a, b) => a - b)) {
        parts.push(bytes.subarray(from, at));
        if (name === 'double-structure') parts.push(bytes.subarray(at, at + 1), bytes.subarray(at, at + 1));
        from = at + 1;
      }
      parts.push(bytes.subarray(from));
      const verb = name === 'delete-structure' ? 'deleted' : 'doubled';
      return { bytes: Buffer.concat(parts), description: `${verb} ${chosen.size} brace(s)/quote(s)` };
    }
    case 'invalid-utf8': {
      const sequences = [[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80, 0x80]];
      const at = random.below(bytes.length + 1);
      const inserted = Buffer.from(random.pick(sequences));
      return {
        bytes: Buffer.concat([bytes.subarray(0, at), inserted, bytes.subarray(at)]),
        description: `invalid UTF-8 inserted at byte ${at}`,
      };
    }
    case 'utf16-bom': {
      const bigEndian = random.below(2) === 1;
      const body = Buffer.from(original.toString('utf8'), 'utf16le');
      if (bigEndian) body.swap16();
      const bom = Buffer.from(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]);
      return { bytes: Buffer.concat([bom, body]), description: `UTF-16 ${bigEndian ? 'BE' : 'LE'} with BOM` };
    }
    case 'crlf': {
      const text = original.toString('latin1');
      const mode = random.below(3);
      const converted =
        mode === 0 ? text.replace(/\r?\n/g, '\r\n') : mode === 1 ? text.replace(/\r?\n/g, '\r') : text.replace(/\n/g, '\r\n\r\n');
      return {
        bytes: Buffer.from(converted, 'latin1'),
        description: ['CRLF line ends', 'CR line ends', 'doubled CRLF line ends'][mode],
      };
    }
    case 'nul-bytes': {
      const count = 1 + random.below(4);
      const parts: Buffer[] = [];
      let from = 0;
      const positions = Array.from({ length: count }, () => random.below(bytes.length + 1)).sort((a, b) => a - b);
      for (const at of positions) {
        parts.push(bytes.subarray(from, at), Buffer.from([0]));
        from = at;
      }
      parts.push(bytes.subarray(from));
      return { bytes: Buffer.concat(parts), description: `${count} NUL byte(s) inserted` };
    }
    case 'insert-token': {
      const at = random.below(bytes.length + 1);
      const token = Buffer.from(random.pick(tokens));
      return {
        bytes: Buffer.concat([bytes.subarray(0, at), token, bytes.subarray(at)]),
        description: `${JSON.stringify(token.toString())} inserted at byte ${at}`,
      };
    }
    case 'replace-value': {
      // A string value becomes an expression: in JSON the text between quotes, in Bicep the
      // quoted literal itself, so that the evaluators see the fragments where values go.
      const text = bytes.toString('latin1');
      const literals = [...text.matchAll(/"[^"\\\n]{0,80}"|'[^'\\\n]{0,80}'/g)];
      if (literals.length === 0) return { bytes, description: 'no value to replace' };
      const literal = random.pick(literals);
      const token = random.pick(tokens);
      const replacement = literal[0].startsWith('"') ? `"${token.replace(/"/g, "'")}"` : token;
      const start = literal.index ?? 0;
      const result = text.slice(0, start) + replacement + text.slice(start + literal[0].length);
      return {
        bytes: Buffer.from(result, 'latin1'),
        description: `${literal[0]} at byte ${start} replaced by ${JSON.stringify(replacement)}`,
      };
    }
    case 'splice': {
      // Copies a slice of the file to another place: duplicated keys, resources and expressions.
      if (bytes.length < 2) return { bytes, description: 'too short to splice' };
      const start = random.below(bytes.length);
      const end = Math.min(bytes.length, start + 1 + random.below(200));
      const at = random.below(bytes.length + 1);
      return {
        bytes: Buffer.concat([bytes.subarray(0, at), bytes.subarray(start, end), bytes.subarray(at)]),
        description: `bytes ${start}-${end} copied to ${at}`,
      };
    }
  }
}

/** Applies one to three random mutations in a row. */
export function mutateRandomly(random: Random, original: Buffer): Mutant {
  let current: Mutant = { bytes: original, description: '' };
  const rounds = 1 + random.below(3);
  const steps: string[] = [];
  for (let round = 0; round < rounds; round++) {
    current = mutate(random, current.bytes, random.pick(mutationNames));
    steps.push(current.description);
  }
  return { bytes: current.bytes, description: steps.join(', then ') };
}

/** Every prefix of a small file, the way an editor sees it while it is typed. */
export function* truncations(original: Buffer, step = 1): Generator<Mutant> {
  for (let at = 0; at <= original.length; at += step)
    yield { bytes: original.subarray(0, at), description: `truncated at byte ${at}` };
}

/** Decodes bytes the way the Node file host does (UTF-16 with BOM, otherwise UTF-8). */
export function decodeForCore(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const body = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
    return body.swap16().toString('utf16le');
  }
  return bytes.toString('utf8');
}

/** Generated hostile inputs whose size grows with `n`; each returns the file name and text. */
export interface GeneratedInput {
  name: string;
  file: string;
  /** The n of the full fuzz run: 4n reaches the sizes the issue names (10,000 deep, 100,000 parameters, 10 MB). */
  fullSize: number;
  make(n: number): string;
}

const schema = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const parameterSchema = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#';

function vmResource(imageReference: string): string {
  return `{"type":"Microsoft.Compute/virtualMachines","apiVersion":"2023-03-01","name":"vm","location":"westus","properties":{"storageProfile":{"imageReference":${imageReference}}}}`;
}

export const generatedInputs: readonly GeneratedInput[] = [
  {
    name: 'deep JSON nesting',
    file: 'deep.json',
    fullSize: 2_500,
    make: (n) =>
      `{"$schema":"${schema}","resources":[${vmResource('{"publisher":"Canonical","offer":"UbuntuServer","sku":"18.04-LTS","version":"latest"}')}],"x":${'['.repeat(n)}${']'.repeat(n)}}`,
  },
  {
    name: 'deep JSON nesting, unclosed',
    file: 'deep-open.json',
    fullSize: 2_500,
    make: (n) => `{"$schema":"${schema}","x":${'{"a":'.repeat(n)}`,
  },
  {
    name: 'deep expression nesting',
    file: 'deep-expression.json',
    fullSize: 2_500,
    make: (n) =>
      `{"$schema":"${schema}","resources":[${vmResource(`{"publisher":"Canonical","offer":"UbuntuServer","sku":"[${'concat('.repeat(n)}'18.04-LTS'${')'.repeat(n)}]","version":"latest"}`)}]}`,
  },
  {
    name: 'many parameters',
    file: 'parameters.json',
    fullSize: 25_000,
    make: (n) => {
      const parameters = Array.from({ length: n }, (_, index) => `"p${index}":{"type":"string","defaultValue":"v${index}"}`).join(
        ',',
      );
      return `{"$schema":"${schema}","parameters":{${parameters}},"resources":[${vmResource('{"publisher":"Canonical","offer":"UbuntuServer","sku":"[parameters(\'p0\')]","version":"latest"}')}]}`;
    },
  },
  {
    name: 'chained variables',
    file: 'variables.json',
    fullSize: 2_500,
    make: (n) => {
      const variables = Array.from(
        { length: n },
        (_, index) => `"v${index}":"${index === 0 ? '18.04-LTS' : `[variables('v${index - 1}')]`}"`,
      ).join(',');
      return `{"$schema":"${schema}","variables":{${variables}},"resources":[${vmResource(`{"publisher":"Canonical","offer":"UbuntuServer","sku":"[variables('v${n - 1}')]","version":"latest"}`)}]}`;
    },
  },
  {
    name: 'chained Bicep variables',
    file: 'variables.bicep',
    fullSize: 2_500,
    make: (n) =>
      `var v0 = '18.04-LTS'\n${Array.from({ length: n - 1 }, (_, index) => `var v${index + 1} = v${index}`).join('\n')}\nresource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {\n  name: 'vm'\n  properties: { storageProfile: { imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: v${n - 1}, version: 'latest' } } }\n}\n`,
  },
  {
    name: 'many resources',
    file: 'resources.json',
    fullSize: 2_500,
    make: (n) =>
      `{"$schema":"${schema}","resources":[${Array.from({ length: n }, () => vmResource('{"publisher":"Canonical","offer":"UbuntuServer","sku":"18.04-LTS","version":"latest"}')).join(',')}]}`,
  },
  {
    name: 'long string',
    file: 'long-string.json',
    fullSize: 2_500_000,
    make: (n) =>
      `{"$schema":"${schema}","resources":[${vmResource(`{"publisher":"Canonical","offer":"UbuntuServer","sku":"${'x'.repeat(n)}","version":"latest"}`)}]}`,
  },
  {
    name: 'long unterminated string',
    file: 'long-open-string.json',
    fullSize: 2_500_000,
    make: (n) =>
      `{"$schema":"${schema}","resources":[${vmResource(`{"publisher":"Canonical","offer":"UbuntuServer","sku":"${'x'.repeat(n)}`)}`,
  },
  {
    name: 'long expression string',
    file: 'long-expression.json',
    fullSize: 2_500_000,
    make: (n) =>
      `{"$schema":"${schema}","resources":[${vmResource(`{"publisher":"Canonical","offer":"UbuntuServer","sku":"[concat('${'x'.repeat(n)}')]","version":"latest"}`)}]}`,
  },
  {
    name: 'parameter file with many values',
    file: 'many.parameters.json',
    fullSize: 25_000,
    make: (n) =>
      `{"$schema":"${parameterSchema}","parameters":{${Array.from({ length: n }, (_, index) => `"p${index}":{"value":"v${index}"}`).join(',')}}}`,
  },
  {
    name: 'deep Bicep nesting',
    file: 'deep.bicep',
    fullSize: 2_500,
    make: (n) =>
      `param p object = ${'{ a: '.repeat(n)}1${' }'.repeat(n)}\nresource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {\n  name: 'vm'\n  properties: { storageProfile: { imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: '18.04-LTS', version: 'latest' } } }\n}\n`,
  },
  {
    // The parser goes back over a resource body with a spread to keep it whole; it once parsed
    // the resources nested in such bodies again at every level, 2^n times in all.
    name: 'nested Bicep resources with spreads',
    file: 'nested-spreads.bicep',
    fullSize: 500,
    make: (n) => {
      let body = "{ name: 'x' }";
      for (let level = 0; level < Math.min(n, 60); level++) {
        body = `{\n  name: 'n${level}'\n  resource r${level} 'Microsoft.Compute/virtualMachines@2024-03-01' = ${body}\n  ...spread\n}`;
      }
      const nested = `resource top 'Microsoft.Compute/virtualMachines@2024-03-01' = ${body}\n`;
      return `${nested}${Array.from({ length: Math.ceil(n / 60) }, (_, index) => nested.replace('top', `top${index}`)).join('')}`;
    },
  },
  {
    name: 'deep Bicep parentheses, unclosed',
    file: 'deep-open.bicep',
    fullSize: 2_500,
    make: (n) => `var v = ${'('.repeat(n)}\n`,
  },
  {
    name: 'many Bicep parameters',
    file: 'parameters.bicep',
    fullSize: 25_000,
    make: (n) =>
      `${Array.from({ length: n }, (_, index) => `param p${index} string = 'v${index}'`).join('\n')}\nresource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {\n  name: 'vm'\n  properties: { storageProfile: { imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: p0, version: 'latest' } } }\n}\n`,
  },
  {
    name: 'long Bicep string',
    file: 'long-string.bicep',
    fullSize: 2_500_000,
    make: (n) => `var v = '${'x'.repeat(n)}'\n`,
  },
  {
    name: 'long unterminated Bicep string',
    file: 'long-open-string.bicep',
    fullSize: 2_500_000,
    make: (n) => `var v = '${'x'.repeat(n)}`,
  },
  {
    name: 'many .bicepparam values',
    file: 'main.bicepparam',
    fullSize: 25_000,
    make: (n) => `using 'main.bicep'\n${Array.from({ length: n }, (_, index) => `param p${index} = 'v${index}'`).join('\n')}\n`,
  },
];
