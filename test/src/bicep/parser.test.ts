/**
 * Tests of the Bicep tokenizer and parser: every construct of the language parses without
 * problems into the expected tree, string literals expose their value and their whole span,
 * invalid input gives exact problems and the parser recovers at the next declaration, and every
 * Bicep file of the real-world corpus (test/fixtures/corpus) parses cleanly.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parseBicep } from '../../../server/out/core/bicep/parser';
import type {
  Expression,
  IfCondition,
  ObjectMember,
  SpreadExpression,
  Statement,
  TypeExpression,
} from '../../../server/out/core/bicep/syntax';
import { corpusRoot } from '../harness/fixtures';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/bicep/parser');
const corpus = corpusRoot;

/** Renders an expression with explicit grouping, so that a test can assert the tree shape. */
function render(node: Expression | IfCondition | SpreadExpression | ObjectMember): string {
  switch (node.kind) {
    case 'string':
      return `'${node.value}'`;
    case 'interpolatedString':
      return `interp(${node.segments.map((segment, index) => (index < node.expressions.length ? `'${segment}', ${render(node.expressions[index])}` : `'${segment}'`)).join(', ')})`;
    case 'number':
    case 'boolean':
      return String(node.value);
    case 'null':
      return 'null';
    case 'variableAccess':
      return node.name.name;
    case 'binary':
      return `(${render(node.left)} ${node.operator} ${render(node.right)})`;
    case 'unary':
      return `(${node.operator}${render(node.operand)})`;
    case 'ternary':
      return `(${render(node.condition)} ? ${render(node.whenTrue)} : ${render(node.whenFalse)})`;
    case 'nonNull':
      return `${render(node.expression)}!`;
    case 'propertyAccess':
      return `${render(node.base)}.${node.safe ? '?' : ''}${node.property.name}`;
    case 'arrayAccess':
      return `${render(node.base)}[${node.safe ? '?' : ''}${node.fromEnd ? '^' : ''}${render(node.index)}]`;
    case 'resourceAccess':
      return `${render(node.base)}::${node.resourceName.name}`;
    case 'call':
      return `${node.base ? `${render(node.base)}.` : ''}${node.name.name}(${node.arguments.map(render).join(', ')})`;
    case 'lambda':
      return `(${node.parameters.map((parameter) => parameter.name).join(', ')}) => ${render(node.body)}`;
    case 'parenthesized':
      return `paren(${render(node.expression)})`;
    case 'object':
      return `{${node.members.map(render).join(', ')}}`;
    case 'property':
      return `${node.name ?? '?'}: ${render(node.value)}`;
    case 'resource':
      return `resource ${node.name.name}`;
    case 'spread':
      return `...${render(node.expression)}`;
    case 'array':
      return `[${node.items.map(render).join(', ')}]`;
    case 'for':
      return `[for ${node.item?.name}${node.index ? `, ${node.index.name}` : ''} in ${render(node.iterable)}: ${render(node.body)}]`;
    case 'if':
      return `if (${render(node.condition)}) ${render(node.body)}`;
    case 'error':
      return '<error>';
    case 'deferred':
      return '<deferred>';
  }
}

function renderType(node: TypeExpression): string {
  switch (node.kind) {
    case 'typeReference':
      return node.name.name;
    case 'resourceType':
      return `resource ${node.typeString.kind === 'string' ? node.typeString.value : '?'}`;
    case 'parameterizedType':
      return `${node.base ? `${renderType(node.base)}.` : ''}${node.name.name}<${node.arguments.map(renderType).join(', ')}>`;
    case 'objectType':
      return `{${node.members
        .map((member) =>
          member.kind === 'objectTypeProperty'
            ? `${member.decorators.length > 0 ? '@ ' : ''}${member.name}${member.optional ? '?' : ''}: ${renderType(member.value)}`
            : `*: ${renderType(member.value)}`,
        )
        .join(', ')}}`;
    case 'tupleType':
      return `[${node.items.map((item) => renderType(item.value)).join(', ')}]`;
    case 'arrayType':
      return `${renderType(node.item)}[]`;
    case 'nullableType':
      return `${renderType(node.base)}?`;
    case 'nonNullableType':
      return `${renderType(node.base)}!`;
    case 'unionType':
      return `(${node.members.map(renderType).join(' | ')})`;
    case 'typePropertyAccess':
      return `${renderType(node.base)}.${node.property?.name ?? '*'}`;
    case 'typeIndexAccess':
      return `${renderType(node.base)}[${node.index?.value ?? '*'}]`;
    case 'parenthesizedType':
      return `paren(${renderType(node.type)})`;
    default:
      return render(node as Expression);
  }
}

function parseClean(text: string): Statement[] {
  const { program, problems } = parseBicep(text);
  assert.deepEqual(problems, []);
  return program.statements;
}

/** The rendered value of `var x = <expression>`. */
function expression(source: string): string {
  const [statement] = parseClean(`var x = ${source}\n`);
  assert.equal(statement.kind, 'var');
  return render(statement.value);
}

function typeOf(source: string): string {
  const [statement] = parseClean(`type t = ${source}\n`);
  assert.equal(statement.kind, 'type');
  return renderType(statement.value);
}

function problemsOf(text: string): string[] {
  return parseBicep(text).problems.map((problem) => `${problem.range.start}-${problem.range.end} ${problem.message}`);
}

describe('bicep parser: declarations', () => {
  test('a file with every construct parses without problems', () => {
    const text = fs.readFileSync(path.join(fixtures, 'allConstructs.bicep'), 'utf8');
    const { program, problems } = parseBicep(text);
    assert.deepEqual(problems, []);
    const summary = program.statements.map((statement) =>
      'name' in statement && statement.name ? `${statement.kind} ${statement.name.name}` : statement.kind,
    );
    assert.deepEqual(summary, [
      'targetScope',
      'metadata description',
      'import',
      'import',
      'import',
      'extension',
      'extension',
      'param location',
      'param secret',
      'param count',
      'param obj',
      'param arr',
      'param res',
      'var interp',
      'var multi',
      'var ternary',
      'var coalesce',
      'var precedence',
      'var nonNull',
      'var lambda',
      'var lambda2',
      'var lambda0',
      'var spread',
      'var spreadArr',
      'var loop',
      'var filtered',
      'var nsCall',
      'var insensitive',
      'var multiLineCall',
      'var typed',
      'var x',
      'type union',
      'type aType',
      'type bType',
      'type literalUnion',
      'type rt',
      'type ri',
      'type elem',
      'type first',
      'type multiUnion',
      'func greet',
      'resource vnet',
      'resource existingSa',
      'resource cond',
      'resource loopRes',
      'module mod',
      'output out',
      'output outRes',
      'assert positive',
    ]);
    assert.deepEqual(
      program.directives.map((directive) => [directive.name, directive.codes]),
      [['disable-next-line', ['no-unused-vars', 'BCP081']]],
    );
  });

  test('a comment after the codes of a directive is no code and no statement', () => {
    const text = [
      '#disable-next-line no-unused-vars BCP081 // kept for the old fleet, retired in 2027',
      "var a = 'x'",
      '#disable-diagnostics   no-unused-vars /* until the restore */',
      "var b = 'y'",
      '#restore-diagnostics no-unused-vars',
      '',
    ].join('\n');
    const { program, problems } = parseBicep(text);
    assert.deepEqual(problems, []);
    assert.deepEqual(program.statements.length, 2);
    assert.deepEqual(
      program.directives.map((directive) => [directive.name, directive.codes]),
      [
        ['disable-next-line', ['no-unused-vars', 'BCP081']],
        ['disable-diagnostics', ['no-unused-vars']],
        ['restore-diagnostics', ['no-unused-vars']],
      ],
    );
  });

  test('a parameters file: using and untyped params', () => {
    const text = fs.readFileSync(path.join(fixtures, 'parameters.bicepparam'), 'utf8');
    const statements = parseClean(text);
    assert.equal(statements[0].kind, 'using');
    assert.ok(statements[0].kind === 'using' && statements[0].path?.kind === 'string');
    assert.equal(
      statements[0].kind === 'using' && statements[0].path?.kind === 'string' && statements[0].path.value,
      './main.bicep',
    );
    const location = statements[1];
    assert.ok(location.kind === 'param');
    assert.equal(location.type, undefined);
    assert.equal(location.value && render(location.value), "'westus'");
    assert.deepEqual(
      parseClean('using none\n').map((statement) => statement.kind === 'using' && statement.path),
      [undefined],
    );
  });

  test('params: decorators (also namespaced), types, defaults, nullable and resource types', () => {
    const [location, secret, res] = parseClean(
      "@sys.description('Where')\n@allowed([\n  'a'\n  'b'\n])\nparam location string = 'a'\n@secure()\nparam secret string?\nparam res resource 'Microsoft.Storage/storageAccounts@2023-01-01'\n",
    );
    assert.ok(location.kind === 'param' && secret.kind === 'param' && res.kind === 'param');
    assert.deepEqual(
      location.decorators.map((decorator) => render(decorator.expression)),
      ["sys.description('Where')", "allowed(['a', 'b'])"],
    );
    assert.equal(location.start, 0);
    assert.equal(location.keyword.start, 52);
    assert.equal(renderType(location.type!), 'string');
    assert.equal(renderType(secret.type!), 'string?');
    assert.equal(renderType(res.type!), 'resource Microsoft.Storage/storageAccounts@2023-01-01');
  });

  test('resources: existing, nested children, conditions, loops with filters', () => {
    const statements = parseClean(fs.readFileSync(path.join(fixtures, 'allConstructs.bicep'), 'utf8'));
    const resources = statements.filter((statement) => statement.kind === 'resource');
    const [vnet, existingSa, cond, loopRes] = resources;
    assert.ok(vnet.kind === 'resource' && vnet.value.kind === 'object');
    const child = vnet.value.members.find((member) => member.kind === 'resource');
    assert.ok(child?.kind === 'resource');
    assert.equal(child.name.name, 'subnet');
    assert.equal(child.typeString.kind === 'string' && child.typeString.value, 'subnets');
    assert.ok(existingSa.kind === 'resource' && existingSa.existing);
    assert.ok(cond.kind === 'resource' && cond.value.kind === 'if');
    assert.equal(render(cond.value), "if ((count > 0)) {name: 'cond', dependsOn: [vnet::subnet]}");
    assert.ok(loopRes.kind === 'resource');
    assert.equal(render(loopRes.value), "[for i in range(0, 3): if ((i > 0)) {name: interp('sa', i, '')}]");
    assert.deepEqual(
      loopRes.decorators.map((decorator) => render(decorator.expression)),
      ['batchSize(2)'],
    );
  });

  test('modules, outputs, functions, imports and extensions', () => {
    const [module, output, func, named, wildcard, legacy, extension] = parseClean(
      [
        "module vm './vm.bicep' = {",
        "  name: 'vm'",
        '  params: {',
        "    image: { publisher: 'Canonical' }",
        '  }',
        '}',
        'output id string = vm.outputs.id',
        'func add(a int, b int) int => a + b',
        "import {a, b as c, 'd-e' as d} from './types.bicep'",
        "import * as types from './types.bicep'",
        "import 'kubernetes@1.0.0' with { namespace: 'x' } as k8s",
        "extension 'br:mcr.microsoft.com/bicep/extensions/microsoftgraph/v1.0:0.1.8-preview' as graph",
        '',
      ].join('\n'),
    );
    assert.ok(module.kind === 'module');
    assert.equal(module.path.kind === 'string' && module.path.value, './vm.bicep');
    assert.equal(render(module.value as Expression), "{name: 'vm', params: {image: {publisher: 'Canonical'}}}");
    assert.ok(output.kind === 'output');
    assert.equal(renderType(output.type), 'string');
    assert.equal(render(output.value), 'vm.outputs.id');
    assert.ok(func.kind === 'func');
    assert.deepEqual(
      func.parameters.map((parameter) => `${parameter.name.name} ${renderType(parameter.type)}`),
      ['a int', 'b int'],
    );
    assert.equal(renderType(func.returnType), 'int');
    assert.equal(render(func.body), '(a + b)');
    assert.ok(named.kind === 'import');
    assert.deepEqual(
      named.symbols?.map(
        (symbol) => `${symbol.name.kind === 'identifier' ? symbol.name.name : symbol.name.value}>${symbol.alias?.name ?? ''}`,
      ),
      ['a>', 'b>c', 'd-e>d'],
    );
    assert.equal(named.from?.kind === 'string' && named.from.value, './types.bicep');
    assert.ok(wildcard.kind === 'import');
    assert.equal(wildcard.wildcardAlias?.name, 'types');
    assert.ok(legacy.kind === 'import');
    assert.equal(legacy.alias?.name, 'k8s');
    assert.equal(legacy.config && render(legacy.config), "{namespace: 'x'}");
    assert.ok(extension.kind === 'extension');
    assert.equal(extension.alias?.name, 'graph');
  });
});

describe('bicep parser: expressions', () => {
  test('binary operators follow the official precedence', () => {
    assert.equal(expression('1 + 2 * 3 - 4 % 5'), '((1 + (2 * 3)) - (4 % 5))');
    assert.equal(expression('a < b == c > d'), '((a < b) == (c > d))');
    assert.equal(expression('a || b && c'), '(a || (b && c))');
    assert.equal(expression('a ?? b || c'), '(a ?? (b || c))');
    assert.equal(expression("a =~ 'x' && b !~ 'y'"), "((a =~ 'x') && (b !~ 'y'))");
    assert.equal(expression('!a && -b < +c'), '((!a) && ((-b) < (+c)))');
    assert.equal(expression('a - b - c'), '((a - b) - c)');
  });

  test('ternaries nest to the right and take the lowest precedence', () => {
    assert.equal(expression("a > 0 ? 'p' : a == 0 ? 'z' : 'n'"), "((a > 0) ? 'p' : ((a == 0) ? 'z' : 'n'))");
    assert.equal(expression('a ?? b ? c : d'), '((a ?? b) ? c : d)');
    assert.equal(expression('a\n  ? b\n  : c'), '(a ? b : c)');
  });

  test('member access, safe access, indexers, non-null assertions and resource access', () => {
    assert.equal(expression('a.b.c[0].d'), 'a.b.c[0].d');
    assert.equal(expression("a.?b[?'c'].d"), "a.?b[?'c'].d");
    assert.equal(expression('a.b!.c!'), 'a.b!.c!');
    assert.equal(expression('vnet::subnet.id'), 'vnet::subnet.id');
    assert.equal(expression('!a!'), '(!a!)');
  });

  test('function calls: plain, namespaced, instance, multi-line, decorator-like', () => {
    assert.equal(expression("concat('a', 'b')"), "concat('a', 'b')");
    assert.equal(expression('az.resourceGroup().location'), 'az.resourceGroup().location');
    assert.equal(expression("sys.toLower('A')"), "sys.toLower('A')");
    assert.equal(expression("format(\n  '{0}',\n  a\n)"), "format('{0}', a)");
    assert.equal(expression('utcNow()'), 'utcNow()');
  });

  test('lambdas with one, several and no parameters', () => {
    assert.equal(expression('map(items, x => x.name)'), 'map(items, (x) => x.name)');
    assert.equal(expression('reduce(items, 0, (acc, next) => acc + next)'), 'reduce(items, 0, (acc, next) => (acc + next))');
    assert.equal(expression('() => 1'), '() => 1');
    assert.equal(expression('(a + b)'), 'paren((a + b))');
  });

  test('objects and arrays, multi-line or on one line with commas, with spreads', () => {
    assert.equal(expression("{\n  a: 1\n  'b c': true\n  d: [\n    1\n    2\n  ]\n}"), '{a: 1, b c: true, d: [1, 2]}');
    assert.equal(expression("{ a: 1, b: 'x' }"), "{a: 1, b: 'x'}");
    assert.equal(expression('[1, 2, 3]'), '[1, 2, 3]');
    assert.equal(expression('{}'), '{}');
    assert.equal(expression('[]'), '[]');
    assert.equal(expression('{ ...a, b: 1 }'), '{...a, b: 1}');
    assert.equal(expression('[\n  ...a\n  1\n]'), '[...a, 1]');
    assert.equal(expression('{ if: 1, true: 2, resource: 3, null: 4 }'), '{if: 1, true: 2, resource: 3, null: 4}');
  });

  test('for expressions with an item, an (item, index) pair and a filter', () => {
    assert.equal(expression('[for x in items: x.name]'), '[for x in items: x.name]');
    assert.equal(expression('[for (x, i) in items: { n: x, i: i }]'), '[for x, i in items: {n: x, i: i}]');
    assert.equal(expression('[for x in items: if (x.enabled) x]'), '[for x in items: if (x.enabled) x]');
    assert.equal(expression('[for i in range(0, 2): {\n  n: i\n}]'), '[for i in range(0, 2): {n: i}]');
  });

  test('numbers, booleans, null', () => {
    assert.equal(expression('[0, 42, -7, true, false, null]'), '[0, 42, (-7), true, false, null]');
  });
});

describe('bicep parser: strings', () => {
  test('a string literal exposes its decoded value and the span of the whole literal', () => {
    const text = "var s = 'it\\'s \\${not} \\u{1F600}\\n\\t\\\\'\n";
    const [statement] = parseClean(text);
    assert.ok(statement.kind === 'var' && statement.value.kind === 'string');
    assert.equal(statement.value.value, "it's ${not} \u{1F600}\n\t\\");
    assert.equal(statement.value.start, 8);
    assert.equal(statement.value.end, text.length - 1);
    assert.equal(text.slice(statement.value.start, statement.value.end), "'it\\'s \\${not} \\u{1F600}\\n\\t\\\\'");
  });

  test('interpolated strings keep decoded segments around their holes', () => {
    assert.equal(expression("'a${b}c${d.e}f'"), "interp('a', b, 'c', d.e, 'f')");
    assert.equal(expression("'${a}'"), "interp('', a, '')");
    assert.equal(expression("'x${'in${n}ner'}y'"), "interp('x', interp('in', n, 'ner'), 'y')");
    assert.equal(expression("'${ f(x => { a: 1 }.a) }'"), "interp('', f((x) => {a: 1}.a), '')");
  });

  test('a string interpolation takes no array or object literal, as in Bicep', () => {
    assert.deepEqual(problemsOf("var x = '${ { a: 1 }.a }'\n"), [
      '12-13 Array and object literals are not allowed in a string interpolation.',
    ]);
    assert.deepEqual(problemsOf("var x = '${f([1])}'\n"), [
      '13-14 Array and object literals are not allowed in a string interpolation.',
    ]);
  });

  test('multi-line strings drop their first newline and keep everything else verbatim', () => {
    const text = "var s = '''\nline 1\n  'quoted' ${x} \\n\n'''\n";
    const [statement] = parseClean(text);
    assert.ok(statement.kind === 'var' && statement.value.kind === 'string');
    assert.equal(statement.value.value, "line 1\n  'quoted' ${x} \\n\n");
    assert.equal(statement.value.multiline, true);
    assert.equal(statement.value.start, 8);
    assert.equal(statement.value.end, text.length - 1);
  });

  test("interpolated multi-line strings ($''' and $$''') parse; with a hole their value is unknown", () => {
    const text =
      "var a = $'''\nhello ${name}\n'''\nvar b = $'''\nplain {braces} $ alone\n'''\nvar c = $$'''\n{ $${x} }\n'''\nparam p string\n";
    const statements = parseClean(text);
    assert.deepEqual(
      statements.map((statement) => statement.kind),
      ['var', 'var', 'var', 'param'],
    );
    const [a, b, c] = statements;
    assert.ok(a.kind === 'var' && a.value.kind === 'error');
    assert.equal(a.value.start, 8);
    assert.ok(b.kind === 'var' && b.value.kind === 'string');
    assert.equal(b.value.value, 'plain {braces} $ alone\n');
    assert.ok(c.kind === 'var' && c.value.kind === 'error');
  });

  test("an unterminated $''' string is reported at its quotes", () => {
    const { problems } = parseBicep("var x = $'''abc");
    assert.deepEqual(problems, [
      {
        message: "The multi-line string at this location is not terminated. Terminate it with \"'''\".",
        range: { start: 8, end: 12 },
      },
    ]);
  });
});

describe('bicep parser: types', () => {
  test('type expressions', () => {
    assert.equal(typeOf('string'), 'string');
    assert.equal(typeOf('string[]'), 'string[]');
    assert.equal(typeOf("'a' | 'b' | 1 | true"), "('a' | 'b' | 1 | true)");
    assert.equal(typeOf('{ a: string, b?: int, *: bool }'), '{a: string, b?: int, *: bool}');
    assert.equal(typeOf("{\n  @description('d')\n  a: string\n  'b-c': int[]\n}"), '{@ a: string, b-c: int[]}');
    assert.equal(typeOf('[string, int]'), '[string, int]');
    assert.equal(typeOf('(string | int)[]'), 'paren((string | int))[]');
    assert.equal(typeOf('sys.string'), 'sys.string');
    assert.equal(
      typeOf("resource<'Microsoft.Compute/virtualMachines@2024-03-01'>.properties"),
      "resource<'Microsoft.Compute/virtualMachines@2024-03-01'>.properties",
    );
    assert.equal(typeOf('other.items[*]'), 'other.items[*]');
    assert.equal(typeOf('other.tuple[1]'), 'other.tuple[1]');
    assert.equal(typeOf('other.*'), 'other.*');
    assert.equal(typeOf("\n  | 'x'\n  | 'y'"), "('x' | 'y')");
    assert.equal(typeOf('-1 | 2'), '((-1) | 2)');
  });

  test('discriminated unions keep their decorator', () => {
    const [statement] = parseClean("@discriminator('kind')\ntype u = a | b\n");
    assert.ok(statement.kind === 'type');
    assert.equal(render(statement.decorators[0].expression), "discriminator('kind')");
    assert.equal(renderType(statement.value), '(a | b)');
  });
});

describe('bicep parser: invalid input', () => {
  test('an unterminated string ends at its line, and the next statement still parses', () => {
    const text = "var a = 'abc\nvar b = 'ok'\n";
    assert.deepEqual(problemsOf(text), [
      '8-12 The string at this location is not terminated due to an unexpected new line character.',
    ]);
    const { program } = parseBicep(text);
    assert.deepEqual(
      program.statements.map((statement) => statement.kind === 'var' && `${statement.name.name}=${render(statement.value)}`),
      ["a='abc'", "b='ok'"],
    );
  });

  test('an unterminated string at the end of the file', () => {
    assert.deepEqual(problemsOf("var a = 'abc"), [
      '8-12 The string at this location is not terminated. Terminate the string with a single quote character.',
    ]);
  });

  test('an unterminated interpolation', () => {
    assert.deepEqual(problemsOf("var a = 'x${b\nvar c = 1\n"), [
      '8-13 The string at this location is not terminated due to an unexpected new line character.',
    ]);
  });

  test('unterminated comments and multi-line strings', () => {
    assert.deepEqual(problemsOf('var a = 1\n/* never closed\nvar b = 2\n'), [
      '10-12 The multi-line comment at this location is not terminated. Terminate it with the */ character sequence.',
    ]);
    assert.deepEqual(problemsOf("var a = '''\nnever closed\n"), [
      "8-11 The multi-line string at this location is not terminated. Terminate it with \"'''\".",
    ]);
  });

  test('invalid escapes and double quotes', () => {
    assert.deepEqual(problemsOf("var a = 'a\\qb'\n"), [
      "10-12 The specified escape sequence is not recognized. Only the following escape sequences are allowed: \\$, \\', \\\\, \\n, \\r, \\t, \\u{...}.",
    ]);
    assert.deepEqual(problemsOf('var a = "x"\nvar b = 1\n'), [
      `8-9 Bicep strings use single quotes ('), not double quotes (").`,
      `10-11 Bicep strings use single quotes ('), not double quotes (").`,
    ]);
  });

  test('garbage bytes give one problem per run and the next declaration still parses', () => {
    const text = 'var a = 1\n\u0000\u0001 ¤¤¤ $\nparam b string\n';
    assert.deepEqual(problemsOf(text), [
      '10-12 The following token is not recognized: "\u0000\u0001".',
      '13-16 The following token is not recognized: "¤¤¤".',
      '17-18 The following token is not recognized: "$".',
    ]);
    assert.deepEqual(
      parseBicep(text).program.statements.map((statement) => statement.kind),
      ['var', 'param'],
    );
  });

  test('a broken statement does not swallow the statements after it', () => {
    const text = 'var a = \nvar b = 1 +\n\n  garbage here\nparam c string\nfoo bar\noutput d int = 1\n';
    assert.deepEqual(problemsOf(text), [
      '8-8 Expected an expression but found the end of the line.',
      '20-20 Expected an expression but found the end of the line.',
      "52-55 Expected a declaration (metadata, targetScope, param, var, resource, module, output, type, func, import, extension, using) but found 'foo'.",
    ]);
    assert.deepEqual(
      parseBicep(text).program.statements.map((statement) => 'name' in statement && statement.name?.name),
      ['a', 'b', 'c', 'd'],
    );
  });

  test('a missing closing brace is reported at the opening brace; the next declaration parses', () => {
    const text = "resource a 'T@1' = {\n  name: 'a'\n  properties: {\n    x: 1\n}\nresource b 'T@1' = {\n  name: 'b'\n}\n";
    assert.deepEqual(problemsOf(text), ["19-20 The '{' at this location is not closed. Add the matching '}'."]);
    const { program } = parseBicep(text);
    assert.deepEqual(
      program.statements.map((statement) => statement.kind === 'resource' && render(statement.value as Expression)),
      ["{name: 'a', properties: {x: 1}}", "{name: 'b'}"],
    );
  });

  test('an extra closing brace', () => {
    assert.deepEqual(problemsOf('var a = {\n}\n}\nvar b = 1\n'), [
      "12-13 Expected a declaration (metadata, targetScope, param, var, resource, module, output, type, func, import, extension, using) but found '}'.",
    ]);
  });

  test('a broken property does not lose the properties after it', () => {
    const text = "var a = {\n  b: 1 2\n  c: = 3\n  'd': 4\n}\n";
    assert.deepEqual(problemsOf(text), [
      "17-18 Expected a new line or a comma but found '2'.",
      "24-25 Expected an expression but found '='.",
    ]);
    const [statement] = parseBicep(text).program.statements;
    assert.ok(statement.kind === 'var');
    assert.equal(render(statement.value), '{b: 1, c: <error>, d: 4}');
  });

  test('missing pieces in declarations', () => {
    assert.deepEqual(problemsOf('param\n'), ['5-5 Expected a parameter name but found the end of the line.']);
    assert.deepEqual(problemsOf('var a 1\n'), ["7-7 Expected '=' but found the end of the line."]);
    assert.deepEqual(problemsOf('resource a = {}\n'), ["11-12 Expected a resource type string but found '='."]);
    assert.deepEqual(problemsOf("module m './m.bicep' {}\n"), ["21-22 Expected '=' but found '{'."]);
    assert.deepEqual(problemsOf('var a = f(1, 2\nvar b = 1\n'), [
      "9-10 The '(' at this location is not closed. Add the matching ')'.",
    ]);
    assert.deepEqual(problemsOf('var a = [for x items: x]\n'), ["15-20 Expected 'in' but found 'items'."]);
    assert.deepEqual(problemsOf('var a = b ? c\n'), ["13-13 Expected ':' but found the end of the line."]);
    assert.deepEqual(problemsOf('var a = 1 var b = 2\n'), ["10-13 Expected a new line but found 'var'."]);
  });

  test('deep nesting is a problem, never a stack overflow', () => {
    const deep = (unit: string) => `var a = ${unit.repeat(20000)}1`;
    for (const text of [
      deep('('),
      deep('['),
      deep('{a:'),
      deep('!'),
      deep('f('),
      deep('x => '),
      deep('a ? '),
      `type t = ${'('.repeat(20000)}`,
    ]) {
      const { problems } = parseBicep(text);
      assert.ok(problems.length > 0, text.slice(0, 20));
    }
    assert.deepEqual(problemsOf(`var a = ${'('.repeat(300)}1`).slice(0, 1), [
      '208-209 The expression is nested too deeply to be read.',
    ]);
  });

  test('any input whatever: never throws, problems stay inside the text', () => {
    const samples = [
      '',
      '{',
      '}',
      '[[[',
      "'",
      "'${",
      "'${'${",
      '@',
      '@@@',
      'resource',
      "resource a 'T' = [for",
      'var a = (((',
      'var a = )))',
      'type t = {',
      "import {a, b from 'x'",
      'func f(a',
      '#disable-next-line',
      '/*',
      "'''",
      'var a = x => ',
      '\u0000\uffff\ud800',
    ];
    let seed = 7;
    const alphabet = "abc {}[]()'$:,.?!=<>|&@*/\n#-+ 0\\";
    for (let sample = 0; sample < 300; sample++) {
      let text = '';
      const length = sample % 60;
      for (let index = 0; index < length; index++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        text += alphabet[seed % alphabet.length];
      }
      samples.push(text);
    }
    for (const text of samples) {
      const { problems } = parseBicep(text);
      for (const problem of problems) {
        assert.ok(problem.range.start >= 0 && problem.range.start <= problem.range.end && problem.range.end <= text.length, text);
      }
    }
  });
});

/** Corpus files that are not valid Bicep, with the reason. */
const invalidCorpusFiles = new Map([
  ['azure-docs-bicep-samples/syntax-samples/modules/conditional-definition.bicep', 'syntax placeholder <symbolic-name>'],
  ['azure-docs-bicep-samples/syntax-samples/modules/dependsOn-definition.bicep', 'syntax placeholder <symbolic-name>'],
  ['azure-docs-bicep-samples/syntax-samples/modules/iterative-definition.bicep', 'syntax placeholder <symbolic-name>'],
  ['azure-docs-bicep-samples/syntax-samples/modules/scope-definition.bicep', 'syntax placeholder <symbolic-name>'],
]);

function bicepFilesUnder(folder: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) files.push(...bicepFilesUnder(full));
    else if (entry.name.endsWith('.bicep') || entry.name.endsWith('.bicepparam')) files.push(full);
  }
  return files;
}

describe('bicep parser: syntax Bicep accepts (AVM modules, bicep format, previews)', () => {
  test('a line break between = and if, as bicep format writes a long condition', () => {
    const statements = parseClean(
      [
        "resource vm 'Microsoft.Compute/virtualMachines@2024-03-01' =",
        '  if (deployVm) {',
        "    name: 'vm'",
        '  }',
        "module jumpbox 'jumpbox.bicep' =",
        '',
        '  if (enableJumpbox) {',
        "    name: 'jumpbox'",
        '  }',
        '',
      ].join('\n'),
    );
    assert.deepEqual(
      statements.map((statement) => (statement.kind === 'resource' || statement.kind === 'module') && render(statement.value)),
      ["if (deployVm) {name: 'vm'}", "if (enableJumpbox) {name: 'jumpbox'}"],
    );
  });

  test('the same with a pruned resource body', () => {
    const text = "resource vm 'Microsoft.Compute/virtualMachines@2024-03-01' =\n  if (deployVm) {\n    name: 'vm'\n  }\n";
    const { program, problems } = parseBicep(text, { resourceBodyPaths: () => [['properties']] });
    assert.deepEqual(problems, []);
    assert.equal(program.statements[0].kind === 'resource' && program.statements[0].value.kind, 'if');
  });

  test('a comment after the codes of a directive is a comment, whatever it holds', () => {
    const { program } = parseBicep(
      [
        "#disable-next-line no-unused-vars // It's a comment",
        'var a = 1',
        '#disable-next-line BCP081 /* a comment */',
        'var b = 2',
        "  #disable-next-line no-hardcoded-env-urls BCP037 // isn't it",
        'var c = 3',
        '',
      ].join('\n'),
    );
    assert.deepEqual(
      program.statements.map((statement) => statement.kind),
      ['var', 'var', 'var'],
    );
    assert.deepEqual(problemsOf("#disable-next-line no-unused-vars // It's a comment\nvar a = 1\n"), []);
    assert.deepEqual(
      program.directives.map((directive) => [directive.name, directive.codes]),
      [
        ['disable-next-line', ['no-unused-vars']],
        ['disable-next-line', ['BCP081']],
        ['disable-next-line', ['no-hardcoded-env-urls', 'BCP037']],
      ],
    );
  });

  test('#disable-diagnostics and #restore-diagnostics are directives; another # is not', () => {
    const { program, problems } = parseBicep(
      '#disable-diagnostics no-unused-vars BCP081\nvar a = 1\n#restore-diagnostics BCP081\n',
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(
      program.directives.map((directive) => [directive.name, directive.codes]),
      [
        ['disable-diagnostics', ['no-unused-vars', 'BCP081']],
        ['restore-diagnostics', ['BCP081']],
      ],
    );
    assert.deepEqual(problemsOf('#madeup-directive\nvar a = 1\n'), ['0-1 The following token is not recognized: "#".']);
    assert.deepEqual(problemsOf("var a = 'x' #disable-next-line no-unused-vars\n"), [
      '12-13 The following token is not recognized: "#".',
    ]);
  });

  test('resource-derived types of the sys namespace, and non-null types', () => {
    assert.equal(
      typeOf("{ name: sys.resourceInput<'Microsoft.Storage/storageAccounts@2022-09-01'>.name }"),
      "{name: sys.resourceInput<'Microsoft.Storage/storageAccounts@2022-09-01'>.name}",
    );
    assert.equal(typeOf('nullable!'), 'nullable!');
    assert.equal(typeOf('(typeA | typeB)!'), 'paren((typeA | typeB))!');
  });

  test('an index counted from the end: items[^1]', () => {
    assert.equal(expression('items[^1]'), 'items[^1]');
    assert.equal(expression('a.?b[?^2]'), 'a.?b[?^2]');
  });

  test('test declarations and extension configurations', () => {
    const statements = parseClean(
      "test sample 'samples/sample1.bicep' = {\n  params: {\n    location: 'westus'\n  }\n}\nextensionConfig k8s with {\n  namespace: 'default'\n}\n",
    );
    assert.deepEqual(
      statements.map((statement) => statement.kind),
      ['test', 'extension'],
    );
  });
});

describe('bicep parser: syntax Bicep rejects', () => {
  test('one unary operator per operand', () => {
    assert.deepEqual(problemsOf('var a = --33\n'), ["9-10 Expected an expression but found '-'."]);
    assert.deepEqual(problemsOf('var a = !!true\n'), ["9-10 Expected an expression but found '!'."]);
    assert.deepEqual(problemsOf('var a = -(-1)\nvar b = !(!true)\n'), []);
  });

  test('an integer that does not fit in 64 bits', () => {
    assert.deepEqual(problemsOf('var a = 222222222222222222222 * 4\n'), [
      '8-29 Expected a valid 64-bit integer: this number is too large.',
    ]);
    assert.deepEqual(problemsOf('var a = 18446744073709551615\n'), []);
  });

  test('a trailing comma in a call, an empty item and a comma before a new line in a list', () => {
    assert.deepEqual(problemsOf("var a = format('s',)\n"), ["19-20 Expected an expression but found ')'."]);
    assert.deepEqual(problemsOf("var a = ['a',, 'b']\n"), ["13-14 Expected an expression but found ','."]);
    assert.deepEqual(problemsOf('var a = {\n  b: 1,\n  c: 2\n}\n'), [
      '17-17 Unexpected new line after a comma: separate the items with commas or with new lines, not both.',
    ]);
    assert.deepEqual(problemsOf("var a = ['a', 'b',]\nvar b = f(a,\n  b)\n"), []);
  });

  test('the value of a resource or module is an object, a condition or a loop of them', () => {
    const type = "'Microsoft.Storage/storageAccounts@2023-01-01'";
    assert.deepEqual(problemsOf(`resource a ${type} = if\n`), ["62-62 Expected '(' but found the end of the line."]);
    assert.deepEqual(problemsOf(`resource a ${type} = if (true) 'x'\n`), ["70-73 Expected '{' but found ''x''."]);
    assert.deepEqual(problemsOf(`resource a ${type} = []\n`), ["61-62 Expected 'for' but found ']'."]);
    assert.deepEqual(problemsOf(`resource a ${type} = [for x in y: 4]\n`), ["73-74 Expected '{' or 'if' but found '4'."]);
    assert.deepEqual(problemsOf(`module m 'm.bicep' = 'x'\n`), ["21-24 Expected '{', '[for' or 'if' but found ''x''."]);
    assert.deepEqual(problemsOf(`resource a ${type} = {\n}.properties\n`), ["63-64 Expected a new line but found '.'."]);
  });

  test('a declaration keyword alone or without its name starts a declaration', () => {
    assert.deepEqual(problemsOf("var\nmetadata 2\nmodule './m.bicep' = if (\nvar b = 1\n"), [
      '3-3 Expected a variable name but found the end of the line.',
      "13-14 Expected a metadata name but found '2'.",
      "22-33 Expected a module name but found ''./m.bicep''.",
    ]);
  });

  test('a decorator followed by nothing is reported at the decorator', () => {
    assert.deepEqual(problemsOf('var a = 1\n@minLength(1)\n\n'), ['10-23 Expected a declaration after the decorator.']);
    assert.deepEqual(problemsOf("var a = {\n  @description('x')\n}\n"), ['12-29 Expected a declaration after the decorator.']);
  });
});

describe('bicep parser: real-world corpus', () => {
  test('every corpus Bicep file parses without problems', () => {
    const files = bicepFilesUnder(corpus);
    assert.ok(files.length > 50, `found only ${files.length} corpus files`);
    for (const file of files) {
      const relative = path.relative(corpus, file).split(path.sep).join('/');
      const { problems } = parseBicep(fs.readFileSync(file, 'utf8'));
      if (invalidCorpusFiles.has(relative)) assert.notDeepEqual(problems, [], relative);
      else assert.deepEqual(problems, [], relative);
    }
  });
});
