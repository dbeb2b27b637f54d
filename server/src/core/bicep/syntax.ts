/**
 * The syntax tree of a Bicep or Bicep parameters file, as built by `parser.ts`. Every node carries
 * its UTF-16 offset span `[start, end)` in the text it was parsed from and a `kind` that tells the
 * node types apart. Nodes are plain objects so that a reader can walk them with a `switch`.
 *
 * The parser is error tolerant: where it expected something and found nothing usable, the tree
 * holds an `ErrorNode` (with the problem reported separately), so consumers never meet `undefined`
 * in a required position.
 */

export interface Span {
  start: number;
  end: number;
}

export interface Identifier extends Span {
  kind: 'identifier';
  name: string;
}

/** Stands for what could not be parsed; the problem is in the parse result. */
export interface ErrorNode extends Span {
  kind: 'error';
}

// ---------------------------------------------------------------------------------------------
// Expressions

/** A string without interpolation, `'...'` or `'''...'''`. The span includes the quotes. */
export interface StringLiteral extends Span {
  kind: 'string';
  /** The decoded text (escapes resolved, a multi-line string's first newline dropped). */
  value: string;
  multiline: boolean;
}

/** `'a${x}b'`: `segments` has one more entry than `expressions` (decoded text around holes). */
export interface InterpolatedString extends Span {
  kind: 'interpolatedString';
  segments: string[];
  expressions: Expression[];
}

export interface NumberLiteral extends Span {
  kind: 'number';
  value: number;
}

export interface BooleanLiteral extends Span {
  kind: 'boolean';
  value: boolean;
}

export interface NullLiteral extends Span {
  kind: 'null';
}

/** A reference to a parameter, variable, resource, module, loop variable or namespace. */
export interface VariableAccess extends Span {
  kind: 'variableAccess';
  name: Identifier;
}

export interface ObjectProperty extends Span {
  kind: 'property';
  decorators: readonly Decorator[];
  /**
   * A key written as a string; undefined for a key written as a name, which `name` holds and
   * which starts the property after its decorators. Big files have hundreds of thousands of
   * properties: a node per name key would double what the garbage collector copies of them.
   */
  key: StringLiteral | InterpolatedString | undefined;
  /** The property name when it is known statically (a name or a plain string key). */
  name: string | undefined;
  value: Expression;
}

/** `...expression` inside an object or an array. */
export interface SpreadExpression extends Span {
  kind: 'spread';
  expression: Expression;
}

export type ObjectMember = ObjectProperty | SpreadExpression | ResourceDeclaration;

export interface ObjectExpression extends Span {
  kind: 'object';
  /** Properties, spreads and (in a resource body) nested child resources, in source order. */
  members: ObjectMember[];
}

export interface ArrayExpression extends Span {
  kind: 'array';
  items: (Expression | SpreadExpression)[];
}

/** `[for item in iterable: body]` or `[for (item, index) in iterable: body]`. */
export interface ForExpression extends Span {
  kind: 'for';
  item: Identifier | undefined;
  index: Identifier | undefined;
  iterable: Expression;
  body: Expression | IfCondition;
}

/** `if (condition) body`: the value of a conditional resource or module, or a filtered loop body. */
export interface IfCondition extends Span {
  kind: 'if';
  condition: Expression;
  body: Expression;
  /** Where `if (condition)` ends: its `)` (what a link to the condition shows). */
  headEnd: number;
}

export interface TernaryExpression extends Span {
  kind: 'ternary';
  condition: Expression;
  whenTrue: Expression;
  whenFalse: Expression;
}

export type BinaryOperator =
  '||' | '&&' | '??' | '==' | '!=' | '=~' | '!~' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

export interface BinaryExpression extends Span {
  kind: 'binary';
  operator: BinaryOperator;
  left: Expression;
  right: Expression;
}

export interface UnaryExpression extends Span {
  kind: 'unary';
  operator: '!' | '-' | '+';
  operand: Expression;
}

/** Postfix `expression!`. */
export interface NonNullAssertion extends Span {
  kind: 'nonNull';
  expression: Expression;
}

/** `base.name` or the safe `base.?name`. */
export interface PropertyAccess extends Span {
  kind: 'propertyAccess';
  base: Expression;
  property: Identifier;
  safe: boolean;
}

/** `base[index]` or the safe `base[?index]`. */
export interface ArrayAccess extends Span {
  kind: 'arrayAccess';
  base: Expression;
  index: Expression;
  safe: boolean;
  /** `base[^index]`: the index counts from the end, `^1` being the last item. */
  fromEnd: boolean;
}

/** `parent::child`. */
export interface ResourceAccess extends Span {
  kind: 'resourceAccess';
  base: Expression;
  resourceName: Identifier;
}

/** `name(arguments)`, or `base.name(arguments)` for a namespace (`az.`, `sys.`) or an instance. */
export interface FunctionCall extends Span {
  kind: 'call';
  base: Expression | undefined;
  name: Identifier;
  arguments: Expression[];
}

/** `x => body` or `(a, b) => body`. */
export interface LambdaExpression extends Span {
  kind: 'lambda';
  parameters: Identifier[];
  body: Expression;
}

export interface ParenthesizedExpression extends Span {
  kind: 'parenthesized';
  expression: Expression;
}

/**
 * An expression the parser read, found free of problems, and left unbuilt: the image value of a
 * resource body pruned to its image (see `ParseOptions.resourceBodyPath`). A big template repeats
 * one image on thousands of resources and the reader evaluates it once, so most copies are never
 * needed as a tree. `expandDeferred` in `parser.ts` builds the expression on first use.
 */
export interface DeferredExpression extends Span {
  kind: 'deferred';
  /** The text the expression is in, which `start` and `end` point into. */
  text: string;
}

export type Expression =
  | StringLiteral
  | InterpolatedString
  | NumberLiteral
  | BooleanLiteral
  | NullLiteral
  | VariableAccess
  | ObjectExpression
  | ArrayExpression
  | ForExpression
  | TernaryExpression
  | BinaryExpression
  | UnaryExpression
  | NonNullAssertion
  | PropertyAccess
  | ArrayAccess
  | ResourceAccess
  | FunctionCall
  | LambdaExpression
  | ParenthesizedExpression
  | DeferredExpression
  | ErrorNode;

// ---------------------------------------------------------------------------------------------
// Types

/** A named type: `string`, `myType`, `sys.string` is a `TypePropertyAccess` over `sys`. */
export interface TypeReference extends Span {
  kind: 'typeReference';
  name: Identifier;
}

/** `resource 'Microsoft.X/y@2023-01-01'` (a resource-typed parameter or output). */
export interface ResourceTypeReference extends Span {
  kind: 'resourceType';
  typeString: StringLiteral | InterpolatedString | ErrorNode;
}

/**
 * `resource<'...'>`, `resourceInput<'...'>.properties` and other generic types; with a `base`, a
 * generic type of a namespace: `sys.resourceInput<'...'>`.
 */
export interface ParameterizedType extends Span {
  kind: 'parameterizedType';
  base?: TypeExpression;
  name: Identifier;
  arguments: TypeExpression[];
}

export interface ObjectTypeProperty extends Span {
  kind: 'objectTypeProperty';
  decorators: readonly Decorator[];
  key: Identifier | StringLiteral | ErrorNode;
  name: string | undefined;
  optional: boolean;
  value: TypeExpression;
}

/** `*: type` inside an object type. */
export interface ObjectTypeAdditionalProperties extends Span {
  kind: 'objectTypeAdditionalProperties';
  decorators: readonly Decorator[];
  value: TypeExpression;
}

export interface ObjectType extends Span {
  kind: 'objectType';
  members: (ObjectTypeProperty | ObjectTypeAdditionalProperties)[];
}

export interface TupleTypeItem extends Span {
  kind: 'tupleTypeItem';
  decorators: readonly Decorator[];
  value: TypeExpression;
}

export interface TupleType extends Span {
  kind: 'tupleType';
  items: TupleTypeItem[];
}

/** `type[]` */
export interface ArrayType extends Span {
  kind: 'arrayType';
  item: TypeExpression;
}

/** `type?` */
export interface NullableType extends Span {
  kind: 'nullableType';
  base: TypeExpression;
}

/** `type!`: the type without null. */
export interface NonNullableType extends Span {
  kind: 'nonNullableType';
  base: TypeExpression;
}

/** `a | b | c` */
export interface UnionType extends Span {
  kind: 'unionType';
  members: TypeExpression[];
}

/** `type.property` (or `type.*` with `property` undefined: the additional properties type). */
export interface TypePropertyAccess extends Span {
  kind: 'typePropertyAccess';
  base: TypeExpression;
  property: Identifier | undefined;
}

/** `type[0]` or `type[*]` (with `index` undefined: the item type). */
export interface TypeIndexAccess extends Span {
  kind: 'typeIndexAccess';
  base: TypeExpression;
  index: NumberLiteral | undefined;
}

export interface ParenthesizedType extends Span {
  kind: 'parenthesizedType';
  type: TypeExpression;
}

export type TypeExpression =
  | TypeReference
  | ResourceTypeReference
  | ParameterizedType
  | ObjectType
  | TupleType
  | ArrayType
  | NullableType
  | NonNullableType
  | UnionType
  | TypePropertyAccess
  | TypeIndexAccess
  | ParenthesizedType
  | StringLiteral
  | NumberLiteral
  | BooleanLiteral
  | NullLiteral
  | UnaryExpression
  | ErrorNode;

// ---------------------------------------------------------------------------------------------
// Statements

/** `@expression` before a declaration, an object type property or a tuple item. */
export interface Decorator extends Span {
  kind: 'decorator';
  expression: Expression;
}

interface DeclarationBase extends Span {
  decorators: readonly Decorator[];
  /** The keyword that starts the declaration (after its decorators). */
  keyword: Span;
}

export interface TargetScopeDeclaration extends DeclarationBase {
  kind: 'targetScope';
  value: Expression;
}

export interface MetadataDeclaration extends DeclarationBase {
  kind: 'metadata';
  name: Identifier;
  value: Expression;
}

/** `param name type = default` in a template, `param name = value` in a parameters file. */
export interface ParameterDeclaration extends DeclarationBase {
  kind: 'param';
  name: Identifier;
  type: TypeExpression | undefined;
  value: Expression | undefined;
}

export interface VariableDeclaration extends DeclarationBase {
  kind: 'var';
  name: Identifier;
  type: TypeExpression | undefined;
  value: Expression;
}

export interface OutputDeclaration extends DeclarationBase {
  kind: 'output';
  name: Identifier;
  type: TypeExpression;
  value: Expression;
}

export type DeclarationValue = Expression | IfCondition;

export interface ResourceDeclaration extends DeclarationBase {
  kind: 'resource';
  name: Identifier;
  /** The `'Type@version'` string (a bare child type such as `'subnets'` when nested). */
  typeString: StringLiteral | InterpolatedString | ErrorNode;
  existing: boolean;
  value: DeclarationValue;
}

export interface ModuleDeclaration extends DeclarationBase {
  kind: 'module';
  name: Identifier;
  path: StringLiteral | InterpolatedString | ErrorNode;
  value: DeclarationValue;
}

export interface TypeDeclaration extends DeclarationBase {
  kind: 'type';
  name: Identifier;
  value: TypeExpression;
}

export interface TypedParameter extends Span {
  kind: 'typedParameter';
  name: Identifier;
  type: TypeExpression;
}

export interface FunctionDeclaration extends DeclarationBase {
  kind: 'func';
  name: Identifier;
  parameters: TypedParameter[];
  returnType: TypeExpression;
  body: Expression;
}

export interface ImportedSymbol extends Span {
  kind: 'importedSymbol';
  /** The exported name: an identifier, or a string for names that are not identifiers. */
  name: Identifier | StringLiteral;
  alias: Identifier | undefined;
}

/**
 * `import {a, b as c} from 'path'`, `import * as ns from 'path'`, or the older extension form
 * `import 'az@1.0.0' with {...} as alias`.
 */
export interface ImportDeclaration extends DeclarationBase {
  kind: 'import';
  symbols: ImportedSymbol[] | undefined;
  wildcardAlias: Identifier | undefined;
  from: StringLiteral | InterpolatedString | ErrorNode | undefined;
  /** The extension specification of the older form. */
  specification: StringLiteral | Identifier | undefined;
  config: Expression | undefined;
  alias: Identifier | undefined;
}

/**
 * `extension name`, `extension 'registry/spec:1.0' with {...} as alias` (`provider` is the old
 * keyword), and in a parameters file `extensionConfig alias with {...}`.
 */
export interface ExtensionDeclaration extends DeclarationBase {
  kind: 'extension';
  specification: StringLiteral | InterpolatedString | Identifier | ErrorNode;
  config: Expression | undefined;
  alias: Identifier | undefined;
}

/** `using './main.bicep'` or `using none` in a parameters file. */
export interface UsingDeclaration extends DeclarationBase {
  kind: 'using';
  path: StringLiteral | InterpolatedString | ErrorNode | undefined;
  config: Expression | undefined;
}

export interface ExtendsDeclaration extends DeclarationBase {
  kind: 'extends';
  path: StringLiteral | InterpolatedString | ErrorNode;
}

/** `test name 'path' = {...}`, a test of the template at `path` (Bicep's test framework). */
export interface TestDeclaration extends DeclarationBase {
  kind: 'test';
  name: Identifier;
  path: StringLiteral | InterpolatedString | ErrorNode;
  value: Expression;
}

export interface AssertDeclaration extends DeclarationBase {
  kind: 'assert';
  name: Identifier;
  value: Expression;
}

export type Statement =
  | TargetScopeDeclaration
  | MetadataDeclaration
  | ParameterDeclaration
  | VariableDeclaration
  | OutputDeclaration
  | ResourceDeclaration
  | ModuleDeclaration
  | TypeDeclaration
  | FunctionDeclaration
  | ImportDeclaration
  | ExtensionDeclaration
  | UsingDeclaration
  | ExtendsDeclaration
  | TestDeclaration
  | AssertDeclaration;

/** A `#disable-next-line code ...` directive. */
export interface DirectiveNode extends Span {
  kind: 'directive';
  name: string;
  codes: string[];
}

export interface Program extends Span {
  kind: 'program';
  statements: Statement[];
  directives: DirectiveNode[];
}
