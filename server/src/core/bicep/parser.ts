/**
 * An error-tolerant recursive-descent parser for Bicep (`.bicep`) and Bicep parameters
 * (`.bicepparam`) files. It follows the official grammar and its newline rules (newlines end
 * statements and separate object properties and array items, but not function arguments), and
 * builds the tree of `syntax.ts` with UTF-16 offsets on every node.
 *
 * It never throws. A problem is reported once where it is found; the parser then skips to the
 * next property, item or closing bracket, and at the top level to the next line that starts a
 * declaration, so that one broken statement never hides the statements after it. A declaration
 * keyword in the first column inside an unclosed `{` or `[` ends that bracket, which keeps a
 * missing `}` from swallowing the rest of the file.
 */
import type { SyntaxProblem, TokenList } from './tokenizer';
import { decodeStringText, interpolatedFlag, tokenizeIntoScratch, TokenKind, unterminatedFlag } from './tokenizer';
import { ExpressionSkipper } from './expressionSkipper';
import { binaryPrecedence, isCloser, isNameToken, isOpener, isStringStart, maximumNesting } from './tokenCursor';
import type {
  ArrayExpression,
  BinaryOperator,
  Decorator,
  DeclarationValue,
  DeferredExpression,
  ErrorNode,
  Expression,
  ForExpression,
  Identifier,
  IfCondition,
  ImportDeclaration,
  ImportedSymbol,
  InterpolatedString,
  LambdaExpression,
  ObjectExpression,
  ObjectMember,
  ObjectType,
  ObjectTypeAdditionalProperties,
  ObjectTypeProperty,
  Program,
  ResourceDeclaration,
  SpreadExpression,
  Statement,
  StringLiteral,
  TupleType,
  TupleTypeItem,
  TypedParameter,
  TypeExpression,
} from './syntax';

export type { SyntaxProblem } from './tokenizer';

export interface ParseResult {
  program: Program;
  /** Lexical and syntax problems, in the order they were found. */
  problems: SyntaxProblem[];
  /** The text parsed, which every offset in the tree points into. */
  text: string;
}

export const parserMessages = {
  expected: (what: string, found: string) => `Expected ${what} but found ${found}.`,
  unclosed: (open: string, close: string) => `The '${open}' at this location is not closed. Add the matching '${close}'.`,
  nestedTooDeeply: 'The expression is nested too deeply to be read.',
  invalidInteger: 'Expected a valid 64-bit integer: this number is too large.',
  newLineAfterComma: 'Unexpected new line after a comma: separate the items with commas or with new lines, not both.',
  complexLiteralInHole: 'Array and object literals are not allowed in a string interpolation.',
  nothingDecorated: 'Expected a declaration after the decorator.',
  unknownDeclaration: (found: string) =>
    `Expected a declaration (metadata, targetScope, param, var, resource, module, output, type, func, import, extension, using) but found ${found}.`,
};

export interface ParseOptions {
  /**
   * For the type written on a resource declaration (`'Type@version'`), the property paths from its
   * body to the only parts of the body the caller will read (the image, and where the resource
   * declares its operating system), or undefined to keep the whole body.
   * The other members are left out of the tree (nested resources and objects with a spread are
   * always kept), and are read without building their nodes when they hold no syntax problem:
   * the image reader needs the image of a VM, not the rest of its body, and a big file then
   * costs the garbage collector little. The tree is the whole tree less those members, and the
   * problems are the same as without this option.
   */
  resourceBodyPaths?: (writtenType: string) => PrunePaths | undefined;
}

/** The paths a pruned resource body keeps (see `ParseOptions.resourceBodyPaths`). */
export type PrunePaths = readonly (readonly string[])[];

/**
 * The paths as a tree, built once per list: at each level the names kept, whether one of the
 * paths ends there (the value is kept whole), and the level below. A member is matched against a
 * level's few names without building a string or a list.
 */
interface PruneNode {
  name: string;
  keepWhole: boolean;
  next: PruneNode[];
}

type PruneTree = readonly PruneNode[];

const pruneTrees = new WeakMap<PrunePaths, PruneTree>();

function pruneTreeOf(paths: PrunePaths): PruneTree {
  let tree = pruneTrees.get(paths);
  if (!tree) {
    const root: PruneNode[] = [];
    for (const path of paths) {
      let level = root;
      path.forEach((name, depth) => {
        let node = level.find((candidate) => sameName(candidate.name, name));
        if (!node) level.push((node = { name, keepWhole: false, next: [] }));
        if (depth === path.length - 1) node.keepWhole = true;
        level = node.next;
      });
    }
    tree = root;
    pruneTrees.set(paths, tree);
  }
  return tree;
}

/** Expressions built from deferred ones, each once. */
const expandedExpressions = new WeakMap<DeferredExpression, Expression>();

/**
 * The expression a deferred one stands for, as `parseExpression` would have built it where the
 * parser met it: the same tokens, read in the same mode, with no problem to report.
 */
export function expandDeferred(deferred: DeferredExpression): Expression {
  let expression = expandedExpressions.get(deferred);
  if (!expression) {
    const { text, start, end } = deferred;
    const { tokens, problems } = tokenizeIntoScratch(text, start, end);
    expression = new Parser(text, tokens, problems).parseExpression();
    expandedExpressions.set(deferred, expression);
  }
  return expression;
}

/** Parses a Bicep or Bicep parameters file. Never throws. */
export function parseBicep(text: string, options: ParseOptions = {}): ParseResult {
  const { tokens, problems, directives } = tokenizeIntoScratch(text);
  const parser = new Parser(text, tokens, problems, options);
  const program = parser.parseProgram();
  program.directives = directives.map((directive) => ({
    kind: 'directive',
    name: directive.name,
    codes: directive.codes,
    start: directive.range.start,
    end: directive.range.end,
  }));
  // Lexical problems were found first but belong in text order with the syntax problems.
  problems.sort((a, b) => a.range.start - b.range.start);
  return { program, problems, text };
}

/** Shared by every declaration and property without decorators, so that they cost nothing. */
const noDecorators: readonly Decorator[] = Object.freeze([]);

const operatorTexts: Partial<Record<TokenKind, BinaryOperator>> = {
  [TokenKind.Asterisk]: '*',
  [TokenKind.Slash]: '/',
  [TokenKind.Modulo]: '%',
  [TokenKind.Plus]: '+',
  [TokenKind.Minus]: '-',
  [TokenKind.GreaterThan]: '>',
  [TokenKind.GreaterThanOrEqual]: '>=',
  [TokenKind.LessThan]: '<',
  [TokenKind.LessThanOrEqual]: '<=',
  [TokenKind.Equals]: '==',
  [TokenKind.NotEquals]: '!=',
  [TokenKind.EqualsInsensitive]: '=~',
  [TokenKind.NotEqualsInsensitive]: '!~',
  [TokenKind.LogicalAnd]: '&&',
  [TokenKind.LogicalOr]: '||',
  [TokenKind.DoubleQuestion]: '??',
};

/** A nested resource as parsed, with the problems it reported and where the parser was after it. */
interface ParsedResource {
  declaration: ResourceDeclaration;
  nesting: number;
  problems: SyntaxProblem[];
  index: number;
  lastEnd: number;
  recovering: boolean;
}

/** The kinds of bracketed, separated lists, each parsed by the one loop `parseSeparatedList`. */
const enum ListKind {
  ObjectMembers,
  /** The members of an object pruned to a path (see `parsePrunedObject`). */
  PrunedObjectMembers,
  ArrayItems,
  ObjectTypeMembers,
  TupleTypeItems,
  ImportedSymbols,
}

class Parser extends ExpressionSkipper {
  /** The paths and depth of the pruned object whose members are being parsed. */
  private pruneTree: PruneTree = [];
  private pruneDepth = 0;
  /**
   * The items of the lists and calls being parsed, innermost last, `itemCount` of them: a list's
   * items are copied out into an array of their exact length when it closes. An array pushed onto
   * from empty reserves room for 17 items, most lists hold one to four, and the garbage collector
   * copies that room with the tree.
   */
  private readonly itemStack: unknown[] = [];
  private itemCount = 0;
  /** Set when the pruned object being parsed has a spread, which keeps it whole. */
  private spreadInPrunedObject = false;
  /**
   * The resources nested in objects parsed so far, by the token of their keyword. Going back to
   * parse a body whole (see `parsePrunedValue`) meets its nested resources again: each is parsed
   * once and then read from here, or bodies nested in bodies would be parsed a number of times
   * that doubles with every level.
   */
  private readonly nestedResources = new Map<number, ParsedResource>();

  constructor(
    text: string,
    tokens: TokenList,
    problems: SyntaxProblem[],
    private readonly options: ParseOptions = {},
  ) {
    super(text, tokens, problems);
  }

  // -------------------------------------------------------------------------------------------
  // Problems and recovery

  private report(message: string, start: number, end: number): void {
    if (this.recovering) return;
    this.problems.push({ message, range: { start, end } });
    this.recovering = true;
  }

  /** Reports that `what` was expected at the current token. Unrecognized tokens were reported already. */
  private expected(what: string): void {
    const index = this.index;
    const kind = this.kinds[index];
    if (kind === TokenKind.Unrecognized) {
      this.recovering = true;
      return;
    }
    const start = this.starts[index];
    const end = kind === TokenKind.NewLine || kind === TokenKind.EndOfFile ? start : this.ends[index];
    this.report(parserMessages.expected(what, this.describe(index)), start, end);
  }

  private reportUnclosed(openIndex: number, open: string, close: string): void {
    this.problems.push({
      message: parserMessages.unclosed(open, close),
      range: { start: this.starts[openIndex], end: this.ends[openIndex] },
    });
    this.recovering = true;
  }

  /** Whether the token is a `$'''` string whose text holds a hole (`${`, `$${` for `$$'''`...). */
  private hasInterpolationHoles(index: number): boolean {
    if ((this.flags[index] & interpolatedFlag) === 0) return false;
    const start = this.starts[index];
    const dollars = this.dollarPrefixLength(start);
    return this.text.slice(start + dollars + 3, this.ends[index]).includes(`${'$'.repeat(dollars)}{`);
  }

  /** How many `$` prefix the multi-line string token starting at `start`. */
  private dollarPrefixLength(start: number): number {
    let position = start;
    while (this.text.charCodeAt(position) === 36) position++;
    return position - start;
  }

  private errorNode(): ErrorNode {
    const start = this.starts[this.index];
    return { kind: 'error', start, end: start };
  }

  /**
   * Skips to where the enclosing construct can go on: its closing token, or (when
   * `stopAtSeparator`) the next newline or comma at the same depth. Stops at a closing bracket
   * that belongs to an outer construct and at a declaration in the first column.
   */
  private skipTo(close: TokenKind, stopAtSeparator: boolean): void {
    let depth = 0;
    for (;;) {
      const kind = this.kinds[this.index];
      if (kind === TokenKind.EndOfFile) return;
      if (depth === 0) {
        if (kind === close) return;
        if (stopAtSeparator && (kind === TokenKind.NewLine || kind === TokenKind.Comma)) return;
        if (isCloser(kind)) return;
      }
      if (this.isColumnZeroDeclaration(this.index)) return;
      if (isOpener(kind)) depth++;
      else if (isCloser(kind)) depth--;
      this.advance();
    }
  }

  /** Consumes the closing token, or reports it missing. Returns the end of the construct. */
  private close(kind: TokenKind, text: string): number {
    if (this.peek() === kind) {
      this.advance();
      return this.lastEnd;
    }
    this.expected(`'${text}'`);
    return this.lastEnd;
  }

  private withNewlines<T>(insensitive: boolean, parse: () => T): T {
    const saved = this.newlinesInsensitive;
    this.newlinesInsensitive = insensitive;
    try {
      return parse();
    } finally {
      this.newlinesInsensitive = saved;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Statements

  parseProgram(): Program {
    const statements: Statement[] = [];
    for (;;) {
      this.skipNewLines();
      if (this.kinds[this.index] === TokenKind.EndOfFile) break;
      const before = this.index;
      this.recovering = false;
      const statement = this.parseStatement();
      if (statement) statements.push(statement);
      if (!this.recovering) {
        const kind = this.kinds[this.index];
        if (kind !== TokenKind.NewLine && kind !== TokenKind.EndOfFile) this.expected('a new line');
      }
      if (this.recovering) this.skipToNextDeclarationLine(before);
    }
    return { kind: 'program', statements, directives: [], start: 0, end: this.text.length };
  }

  /**
   * After a broken statement: on to the next line that starts with a declaration, or with
   * anything in the first column but a closing bracket (as Bicep, which reads each such line as a
   * declaration). Indented lines are skipped: they are most often the rest of the broken one.
   */
  private skipToNextDeclarationLine(statementStart: number): void {
    if (this.index === statementStart) this.advance();
    for (;;) {
      const index = this.index;
      const kind = this.kinds[index];
      if (kind === TokenKind.EndOfFile) return;
      if (
        kind !== TokenKind.NewLine &&
        this.kinds[index - 1] === TokenKind.NewLine &&
        ((this.isLineStart(index) && !isCloser(kind)) || this.startsDeclaration(index))
      )
        return;
      this.advance();
    }
  }

  private parseStatement(): Statement | undefined {
    const decorators = this.parseDecorators();
    if (this.recovering || this.reportedNothingDecorated(decorators)) return undefined;
    const index = this.index;
    if (this.kinds[index] === TokenKind.Unrecognized) {
      this.recovering = true;
      return undefined;
    }
    if (this.kinds[index] !== TokenKind.Identifier) {
      this.report(parserMessages.unknownDeclaration(this.describe(index)), this.starts[index], this.ends[index]);
      return undefined;
    }
    const start = decorators.length > 0 ? decorators[0].start : this.starts[index];
    // Resources are most statements of a big file: their keyword is read without a copy of it.
    const word = this.nameAt(this.starts[index], this.ends[index]);
    if (word === 'resource') return this.parseResource(decorators, start);
    const keyword = { start: this.starts[index], end: this.ends[index] };
    switch (word) {
      case 'targetScope': {
        this.advance();
        this.close(TokenKind.Assignment, '=');
        const value = this.parseExpression();
        return { kind: 'targetScope', decorators, keyword, value, start, end: this.lastEnd };
      }
      case 'metadata': {
        this.advance();
        const name = this.parseIdentifier('a metadata name');
        this.close(TokenKind.Assignment, '=');
        const value = this.parseExpression();
        return { kind: 'metadata', decorators, keyword, name, value, start, end: this.lastEnd };
      }
      case 'assert': {
        this.advance();
        const name = this.parseIdentifier('an assertion name');
        this.close(TokenKind.Assignment, '=');
        const value = this.parseExpression();
        return { kind: 'assert', decorators, keyword, name, value, start, end: this.lastEnd };
      }
      case 'param': {
        this.advance();
        const name = this.parseIdentifier('a parameter name');
        let type: TypeExpression | undefined;
        let value: Expression | undefined;
        if (this.kinds[this.index] !== TokenKind.Assignment) type = this.parseType();
        if (!this.recovering && this.kinds[this.index] === TokenKind.Assignment) {
          this.advance();
          value = this.parseExpression();
        }
        return { kind: 'param', decorators, keyword, name, type, value, start, end: this.lastEnd };
      }
      case 'var': {
        this.advance();
        const name = this.parseIdentifier('a variable name');
        let type: TypeExpression | undefined;
        if (this.kinds[this.index] !== TokenKind.Assignment && !this.recovering) type = this.parseType();
        this.close(TokenKind.Assignment, '=');
        const value = this.parseExpression();
        return { kind: 'var', decorators, keyword, name, type, value, start, end: this.lastEnd };
      }
      case 'output': {
        this.advance();
        const name = this.parseIdentifier('an output name');
        const type = this.parseType();
        this.close(TokenKind.Assignment, '=');
        const value = this.parseExpression();
        return { kind: 'output', decorators, keyword, name, type, value, start, end: this.lastEnd };
      }
      case 'module': {
        this.advance();
        const name = this.parseIdentifier('a module name');
        const path = this.parseStringOrError('a module path');
        this.close(TokenKind.Assignment, '=');
        this.skipNewLinesBeforeIf();
        const value = this.parseDeclarationValue();
        return { kind: 'module', decorators, keyword, name, path, value, start, end: this.lastEnd };
      }
      case 'test': {
        this.advance();
        const name = this.parseIdentifier('a test name');
        const path = this.parseStringOrError('a test path');
        this.close(TokenKind.Assignment, '=');
        const value = this.parseExpression();
        return { kind: 'test', decorators, keyword, name, path, value, start, end: this.lastEnd };
      }
      case 'type': {
        this.advance();
        const name = this.parseIdentifier('a type name');
        this.close(TokenKind.Assignment, '=');
        const value = this.parseType();
        return { kind: 'type', decorators, keyword, name, value, start, end: this.lastEnd };
      }
      case 'func':
        return this.parseFunction(decorators, start);
      case 'import':
        return this.parseImport(decorators, start);
      case 'extension':
      case 'extensionConfig':
      case 'provider': {
        this.advance();
        const kind = this.kinds[this.index];
        const specification =
          kind === TokenKind.Identifier ? this.parseIdentifier('') : this.parseStringOrError('an extension name');
        const config = this.parseOptionalWith();
        const alias = this.parseOptionalAlias();
        return { kind: 'extension', decorators, keyword, specification, config, alias, start, end: this.lastEnd };
      }
      case 'using': {
        this.advance();
        let path: UsingPath = undefined;
        if (this.isKeyword(this.index, 'none')) this.advance();
        else path = this.parseStringOrError('a template path');
        const config = this.parseOptionalWith();
        return { kind: 'using', decorators, keyword, path, config, start, end: this.lastEnd };
      }
      case 'extends': {
        this.advance();
        const path = this.parseStringOrError('a parameters file path');
        return { kind: 'extends', decorators, keyword, path, start, end: this.lastEnd };
      }
      default:
        this.report(parserMessages.unknownDeclaration(this.describe(index)), this.starts[index], this.ends[index]);
        return undefined;
    }
  }

  private parseDecorators(): readonly Decorator[] {
    if (this.kinds[this.index] !== TokenKind.At) return noDecorators;
    const decorators: Decorator[] = [];
    while (this.kinds[this.index] === TokenKind.At) {
      const start = this.starts[this.index];
      this.advance();
      if (this.kinds[this.index] !== TokenKind.Identifier) {
        this.expected('a decorator name');
        break;
      }
      const expression = this.parsePostfix(this.parsePrimary());
      decorators.push({ kind: 'decorator', expression, start, end: this.lastEnd });
      if (this.recovering) break;
      this.skipNewLines();
    }
    return decorators;
  }

  /**
   * Reports decorators followed by nothing they could apply to (the end of the file, or of the
   * object or list they are in), at the decorators, as Bicep does. True when it reported.
   */
  private reportedNothingDecorated(decorators: readonly Decorator[]): boolean {
    if (decorators.length === 0) return false;
    const kind = this.kinds[this.index];
    if (kind !== TokenKind.EndOfFile && !isCloser(kind)) return false;
    this.report(parserMessages.nothingDecorated, decorators[0].start, decorators[decorators.length - 1].end);
    return true;
  }

  private parseResource(decorators: readonly Decorator[], start: number): ResourceDeclaration {
    const keyword = { start: this.starts[this.index], end: this.ends[this.index] };
    this.advance();
    const name = this.parseIdentifier('a resource name');
    const typeString = this.parseStringOrError('a resource type string');
    let existing = false;
    if (this.isKeyword(this.index, 'existing')) {
      existing = true;
      this.advance();
    }
    this.close(TokenKind.Assignment, '=');
    this.skipNewLinesBeforeIf();
    const paths = typeString.kind === 'string' ? this.options.resourceBodyPaths?.(typeString.value) : undefined;
    const value = this.parseDeclarationValue(paths ? pruneTreeOf(paths) : undefined);
    return { kind: 'resource', decorators, keyword, name, typeString, existing, value, start, end: this.lastEnd };
  }

  /** `parseResource` for a resource nested in an object, parsed once (see `nestedResources`). */
  private parseNestedResource(decorators: readonly Decorator[], start: number): ResourceDeclaration {
    const keywordIndex = this.index;
    const known = this.nestedResources.get(keywordIndex);
    // The parser is in the same mode wherever an object member starts; only the nesting differs.
    if (known && known.nesting === this.nesting) {
      for (const problem of known.problems) this.problems.push(problem);
      this.index = known.index;
      this.lastEnd = known.lastEnd;
      this.recovering = known.recovering;
      return decorators === noDecorators && start === known.declaration.start
        ? known.declaration
        : { ...known.declaration, decorators, start };
    }
    const problemCount = this.problems.length;
    const declaration = this.parseResource(decorators, start);
    this.nestedResources.set(keywordIndex, {
      declaration,
      nesting: this.nesting,
      problems: this.problems.slice(problemCount),
      index: this.index,
      lastEnd: this.lastEnd,
      recovering: this.recovering,
    });
    return declaration;
  }

  private parseFunction(decorators: readonly Decorator[], start: number): Statement {
    const keyword = { start: this.starts[this.index], end: this.ends[this.index] };
    this.advance();
    const name = this.parseIdentifier('a function name');
    const parameters: TypedParameter[] = [];
    if (this.kinds[this.index] !== TokenKind.LeftParen) this.expected("'('");
    else {
      this.advance();
      this.withNewlines(true, () => {
        while (this.peek() !== TokenKind.RightParen && !this.recovering) {
          const parameterStart = this.starts[this.index];
          const parameterName = this.parseIdentifier('a parameter name');
          const type = this.parseType();
          parameters.push({ kind: 'typedParameter', name: parameterName, type, start: parameterStart, end: this.lastEnd });
          if (this.peek() === TokenKind.Comma) this.advance();
          else if (this.peek() !== TokenKind.RightParen) this.expected("',' or ')'");
        }
        if (this.recovering) this.skipTo(TokenKind.RightParen, false);
        this.close(TokenKind.RightParen, ')');
      });
    }
    const returnType = this.parseType();
    this.close(TokenKind.Arrow, '=>');
    const body = this.parseExpression();
    return { kind: 'func', decorators, keyword, name, parameters, returnType, body, start, end: this.lastEnd };
  }

  private parseImport(decorators: readonly Decorator[], start: number): ImportDeclaration {
    const keyword = { start: this.starts[this.index], end: this.ends[this.index] };
    this.advance();
    const declaration: ImportDeclaration = {
      kind: 'import',
      decorators,
      keyword,
      symbols: undefined,
      wildcardAlias: undefined,
      from: undefined,
      specification: undefined,
      config: undefined,
      alias: undefined,
      start,
      end: start,
    };
    const kind = this.kinds[this.index];
    if (kind === TokenKind.LeftBrace) {
      declaration.symbols = this.parseImportedSymbols();
      declaration.from = this.parseFrom();
    } else if (kind === TokenKind.Asterisk) {
      this.advance();
      if (this.isKeyword(this.index, 'as')) this.advance();
      else this.expected("'as'");
      declaration.wildcardAlias = this.parseIdentifier('a namespace name');
      declaration.from = this.parseFrom();
    } else if (kind === TokenKind.StringComplete || kind === TokenKind.Identifier) {
      // The older extension form: import 'az@1.0.0' with {...} as alias.
      declaration.specification = kind === TokenKind.Identifier ? this.parseIdentifier('') : this.parseStringLiteral();
      declaration.config = this.parseOptionalWith();
      declaration.alias = this.parseOptionalAlias();
      if (this.isKeyword(this.index, 'from')) declaration.from = this.parseFrom();
    } else {
      this.expected("'{', '*' or an extension name");
    }
    declaration.end = this.lastEnd;
    return declaration;
  }

  private parseImportedSymbols(): ImportedSymbol[] {
    const open = this.index;
    this.advance();
    return this.withNewlines(false, () => this.parseSeparatedList(open, ListKind.ImportedSymbols)) as ImportedSymbol[];
  }

  private parseFrom(): StringLiteral | InterpolatedString | ErrorNode {
    if (this.recovering) return this.errorNode();
    if (!this.isKeyword(this.index, 'from')) {
      this.expected("'from'");
      return this.errorNode();
    }
    this.advance();
    return this.parseStringOrError('a file path');
  }

  private parseOptionalWith(): Expression | undefined {
    if (this.recovering || !this.isKeyword(this.index, 'with')) return undefined;
    this.advance();
    return this.parseExpression();
  }

  private parseOptionalAlias(): Identifier | undefined {
    if (this.recovering || !this.isKeyword(this.index, 'as')) return undefined;
    this.advance();
    return this.parseIdentifier('an alias');
  }

  // -------------------------------------------------------------------------------------------
  // Pruned resource bodies (see `ParseOptions.resourceBodyPaths`)

  /**
   * A resource's value, of whose body (through `if` and `for`) only the members on `paths` and
   * nested resources are built. It is the tree that parsing the whole value and then dropping
   * the other members would give, with the same problems: a dropped member is still read, by
   * `skipExpression` when that is sure to find no problem, and otherwise parsed and thrown away.
   */

  /**
   * An expression that is a resource body pruned to `paths` (at `depth` 0: an object, or a loop
   * whose body is pruned) or the object value of a property on them (at a greater `depth`).
   * Anything else is kept whole, and so is an object with a spread (the spread may bring in the
   * path's next property) and a body the expression goes on after (`{...}.x`, `{...} ?? y`): the
   * parser then goes back to where the value starts and parses it again, unpruned.
   */
  private parsePrunedValue(paths: PruneTree, depth = 0): Expression {
    const kind = this.peek();
    const open = this.index;
    const isObject = kind === TokenKind.LeftBrace;
    let forIndex = open + 1;
    if (!isObject) {
      if (depth > 0 || kind !== TokenKind.LeftSquare) return this.parseWholeValue(depth);
      if (this.kinds[forIndex] === TokenKind.NewLine) forIndex++;
      if (!this.isKeyword(forIndex, 'for')) return this.parseWholeValue(depth);
    }
    // The nesting that `parsePrimary` adds for this primary expression.
    if (this.nesting >= maximumNesting) return this.parseWholeValue(depth);
    const lastEnd = this.lastEnd;
    const recovering = this.recovering;
    const problemCount = this.problems.length;
    this.nesting++;
    const value = isObject ? this.parsePrunedObject(paths, depth) : this.parseFor(open, forIndex, paths);
    this.nesting--;
    // A resource body is the whole value: what follows it is the parser's next problem.
    if (value !== undefined && (depth === 0 || !this.continuesExpression())) return value;
    // Back to the start; the new-line mode is the same there, as every construct restores it.
    this.index = open;
    this.lastEnd = lastEnd;
    this.recovering = recovering;
    this.problems.length = problemCount;
    return this.parseWholeValue(depth);
  }

  /** What `parsePrunedValue` reads when it prunes nothing: a resource body, or an expression. */
  private parseWholeValue(depth: number): Expression {
    return depth === 0 ? (this.parseDeclarationValue() as Expression) : this.parseExpression();
  }

  /**
   * Whether `parseExpression`, having read a primary expression, would read on (a member access,
   * an index, an operator, a `?`). Its look-ahead moves over new lines as `parseExpression` does.
   */
  private continuesExpression(): boolean {
    if (this.recovering) return false;
    const kind = this.peek();
    switch (kind) {
      case TokenKind.Dot:
      case TokenKind.LeftSquare:
      case TokenKind.DoubleColon:
      case TokenKind.Exclamation:
      case TokenKind.Question:
        return true;
      case TokenKind.NewLine: {
        const next = this.kindAt(this.index + 1);
        return (
          next === TokenKind.LogicalAnd ||
          next === TokenKind.LogicalOr ||
          next === TokenKind.DoubleQuestion ||
          next === TokenKind.Question
        );
      }
      default:
        return binaryPrecedence(kind) >= 0;
    }
  }

  /**
   * An object of which only the properties named `path[depth]` of one of `paths` (and nested
   * resources) are kept; a property on a path is pruned further down the paths it is on, and kept
   * whole where one of them ends.
   * Undefined when the object has a spread, and is to be parsed whole.
   */
  private parsePrunedObject(paths: PruneTree, depth: number): ObjectExpression | undefined {
    const open = this.index;
    const start = this.starts[open];
    this.advance();
    const savedNewlines = this.newlinesInsensitive;
    const savedPaths = this.pruneTree;
    const savedDepth = this.pruneDepth;
    const savedSpread = this.spreadInPrunedObject;
    this.newlinesInsensitive = false;
    this.pruneTree = paths;
    this.pruneDepth = depth;
    this.spreadInPrunedObject = false;
    const members = this.parseSeparatedList(open, ListKind.PrunedObjectMembers) as ObjectMember[];
    const spread = this.spreadInPrunedObject;
    this.newlinesInsensitive = savedNewlines;
    this.pruneTree = savedPaths;
    this.pruneDepth = savedDepth;
    this.spreadInPrunedObject = savedSpread;
    return spread ? undefined : { kind: 'object', members, start, end: this.lastEnd };
  }

  /** `parseObjectMember` in an object pruned to `pruneTree` (at `pruneDepth`): undefined when dropped. */
  private parsePrunedObjectMember(): ObjectMember | undefined {
    const paths = this.pruneTree;
    const depth = this.pruneDepth;
    const decorators = this.parseDecorators();
    if (this.recovering || this.reportedNothingDecorated(decorators)) return undefined;
    const index = this.index;
    const kind = this.kinds[index];
    const start = decorators.length > 0 ? decorators[0].start : this.starts[index];
    if (kind === TokenKind.Ellipsis) {
      this.spreadInPrunedObject = true;
      return this.parseSpread();
    }
    if (this.isKeyword(index, 'resource') && this.kindAt(index + 1) === TokenKind.Identifier) {
      return this.parseNestedResource(decorators, start);
    }
    let key: StringLiteral | InterpolatedString | undefined;
    let name: string | undefined;
    let on: PruneNode | undefined;
    if (isNameToken(kind)) {
      for (const node of paths) {
        if (this.nameIs(index, node.name)) {
          on = node;
          break;
        }
      }
      if (on === undefined) {
        this.advance();
        return this.dropPropertyValue();
      }
      name = this.nameAt(this.starts[index], this.ends[index]);
      this.advance();
    } else if (isStringStart(kind)) {
      key = this.parseString();
      name = key.kind === 'string' ? key.value : undefined;
      const written = name;
      on = written === undefined ? undefined : paths.find((node) => sameName(written, node.name));
      if (on === undefined) return this.dropPropertyValue();
    } else {
      this.expected('a property name');
      return undefined;
    }
    if (this.kinds[this.index] !== TokenKind.Colon) {
      this.expected("':'");
      return { kind: 'property', decorators, key, name, value: this.errorNode(), start, end: this.lastEnd };
    }
    this.advance();
    let value: Expression;
    if (on.keepWhole) value = this.parseImageValue();
    else if (this.peek() === TokenKind.LeftBrace) value = this.parsePrunedValue(on.next, depth + 1);
    else value = this.parseExpression();
    return { kind: 'property', decorators, key, name, value, start, end: this.lastEnd };
  }

  /**
   * The value at the end of a pruned body's path: read without building it when it holds no
   * problem (see `DeferredExpression`), parsed otherwise.
   */
  private parseImageValue(): Expression {
    const start = this.starts[this.index];
    if (this.recovering || !this.skipExpression()) return this.parseExpression();
    return { kind: 'deferred', text: this.text, start, end: this.lastEnd };
  }

  /** The rest of a dropped property after its key: read for its problems, never built if it has none. */
  private dropPropertyValue(): undefined {
    if (this.kinds[this.index] !== TokenKind.Colon) {
      this.expected("':'");
      return undefined;
    }
    this.advance();
    if (this.recovering || !this.skipExpression()) this.parseExpression();
    return undefined;
  }

  /** Whether the name token at `index` equals `name` ignoring case, without slicing it. */
  private nameIs(index: number, name: string): boolean {
    const start = this.starts[index];
    const length = this.ends[index] - start;
    if (length !== name.length) return false;
    const text = this.text;
    for (let offset = 0; offset < length; offset++) {
      let x = text.charCodeAt(start + offset);
      let y = name.charCodeAt(offset);
      if (x === y) continue;
      if (x > 127 || y > 127) return sameName(this.tokenText(index), name);
      if (x >= 65 && x <= 90) x += 32;
      if (y >= 65 && y <= 90) y += 32;
      if (x !== y) return false;
    }
    return true;
  }

  /**
   * After the `=` of a resource or module, line breaks before an `if`, which Bicep allows (and
   * `bicep format` writes for a long condition): `= \n  if (condition) {`.
   */
  private skipNewLinesBeforeIf(): void {
    if (this.recovering || this.kinds[this.index] !== TokenKind.NewLine) return;
    const next = this.index + 1;
    if (this.isKeyword(next, 'if') && this.kindAt(next + 1) === TokenKind.LeftParen) this.index = next;
  }

  /**
   * The value of a resource or module: an object, `if (condition) {...}` or a `[for ...]` loop
   * whose body is one of those two, as Bicep requires. With `bodyPaths`, the body is pruned to
   * those paths (see `parsePrunedValue`).
   */
  private parseDeclarationValue(bodyPaths?: PruneTree): DeclarationValue {
    const index = this.index;
    const kind = this.kinds[index];
    if (this.isKeyword(index, 'if')) return this.parseIfCondition(bodyPaths);
    if (kind === TokenKind.LeftSquare) {
      let forIndex = index + 1;
      if (this.kinds[forIndex] === TokenKind.NewLine) forIndex++;
      if (!this.isKeyword(forIndex, 'for')) {
        this.advance();
        this.skipNewLines();
        this.expected("'for'");
        return this.errorNode();
      }
      if (bodyPaths) return this.parsePrunedValue(bodyPaths);
      if (!this.enterNesting()) return this.errorNode();
      const loop = this.parseFor(index, forIndex, undefined, true);
      this.nesting--;
      return loop;
    }
    if (kind !== TokenKind.LeftBrace) {
      this.expected("'{', '[for' or 'if'");
      return this.errorNode();
    }
    return bodyPaths ? this.parsePrunedValue(bodyPaths) : this.parsePrimary();
  }

  /**
   * `if (condition) body`; with `bodyPaths`, its body is a resource body of which only those paths
   * are kept (see `parsePrunedValue`). The body of a resource or module (`resourceBody`) must be
   * an object; elsewhere (a filter in a variable's loop) any expression is read.
   */
  private parseIfCondition(bodyPaths?: PruneTree, resourceBody = true): IfCondition {
    const start = this.starts[this.index];
    this.advance();
    if (this.kinds[this.index] !== TokenKind.LeftParen) {
      this.expected("'('");
      return { kind: 'if', condition: this.errorNode(), body: this.errorNode(), start, end: this.lastEnd, headEnd: this.lastEnd };
    }
    this.advance();
    const condition = this.withNewlines(true, () => {
      const expression = this.parseExpression();
      if (this.recovering) this.skipTo(TokenKind.RightParen, false);
      this.close(TokenKind.RightParen, ')');
      return expression;
    });
    const headEnd = this.lastEnd;
    if (this.recovering) return { kind: 'if', condition, body: this.errorNode(), start, end: this.lastEnd, headEnd };
    // The body of a resource or module's condition is an object, as Bicep requires.
    if (resourceBody && this.kinds[this.index] !== TokenKind.LeftBrace) {
      this.expected("'{'");
      return { kind: 'if', condition, body: this.errorNode(), start, end: this.lastEnd, headEnd };
    }
    const body = bodyPaths ? this.parsePrunedValue(bodyPaths) : resourceBody ? this.parsePrimary() : this.parseExpression();
    return { kind: 'if', condition, body, start, end: this.lastEnd, headEnd };
  }

  /**
   * A name that declares something (a resource, a parameter, a loop variable...). Such names are
   * mostly written once, so they are not looked up among the shared texts, where they would only
   * push out the names a file repeats.
   */
  private parseIdentifier(what: string): Identifier {
    if (this.peek() === TokenKind.Identifier) {
      const start = this.starts[this.index];
      const end = this.ends[this.index];
      this.advance();
      return { kind: 'identifier', name: this.text.slice(start, end), start, end };
    }
    this.expected(what);
    const start = this.starts[this.index];
    return { kind: 'identifier', name: '', start, end: start };
  }

  private parseStringOrError(what: string): StringLiteral | InterpolatedString | ErrorNode {
    const kind = this.peek();
    if (isStringStart(kind)) return this.parseString();
    this.expected(what);
    return this.errorNode();
  }

  private parseStringLiteral(): StringLiteral {
    const string = this.parseString();
    return string.kind === 'string'
      ? string
      : { kind: 'string', value: '', multiline: false, start: string.start, end: string.end };
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

  parseExpression(): Expression {
    const condition = this.parseBinary(0);
    if (this.recovering || !this.peekContinued(TokenKind.Question)) return condition;
    if (!this.enterNesting()) return condition;
    this.advance();
    const whenTrue = this.parseExpression();
    let whenFalse: Expression;
    if (this.recovering) whenFalse = this.errorNode();
    else if (!this.peekContinued(TokenKind.Colon)) {
      this.expected("':'");
      whenFalse = this.errorNode();
    } else {
      this.advance();
      whenFalse = this.parseExpression();
    }
    this.nesting--;
    return { kind: 'ternary', condition, whenTrue, whenFalse, start: condition.start, end: this.lastEnd };
  }

  private parseBinary(minimumPrecedence: number): Expression {
    let left = this.parseUnary();
    for (;;) {
      if (this.recovering) return left;
      let kind = this.peek();
      if (kind === TokenKind.NewLine) {
        // A line may continue with a logical operator, as in `a\n  && b`.
        const next = this.kindAt(this.index + 1);
        if (next !== TokenKind.LogicalAnd && next !== TokenKind.LogicalOr && next !== TokenKind.DoubleQuestion) return left;
        if (binaryPrecedence(next) < minimumPrecedence) return left;
        this.index++;
        kind = next;
      }
      const precedence = binaryPrecedence(kind);
      if (precedence < 0 || precedence < minimumPrecedence) return left;
      this.advance();
      const right = this.parseBinary(precedence + 1);
      left = { kind: 'binary', operator: operatorTexts[kind]!, left, right, start: left.start, end: this.lastEnd };
    }
  }

  /** A unary operator applies to a member expression, never to another operator (`--1`), as in Bicep. */
  private parseUnary(): Expression {
    const kind = this.peek();
    if (kind === TokenKind.Exclamation || kind === TokenKind.Minus || kind === TokenKind.Plus) {
      const start = this.starts[this.index];
      if (!this.enterNesting()) return this.errorNode();
      this.advance();
      const operand = this.parsePostfix(this.parsePrimary());
      this.nesting--;
      const operator = kind === TokenKind.Exclamation ? '!' : kind === TokenKind.Minus ? '-' : '+';
      return { kind: 'unary', operator, operand, start, end: this.lastEnd };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePostfix(base: Expression): Expression {
    let expression = base;
    for (;;) {
      if (this.recovering) return expression;
      const kind = this.peek();
      const start = expression.start;
      if (kind === TokenKind.Dot) {
        this.advance();
        let safe = false;
        if (this.kinds[this.index] === TokenKind.Question) {
          safe = true;
          this.advance();
        }
        const property = this.parseMemberName();
        if (!safe && this.kinds[this.index] === TokenKind.LeftParen) {
          expression = this.parseCall(expression, property, start);
        } else {
          expression = { kind: 'propertyAccess', base: expression, property, safe, start, end: this.lastEnd };
        }
      } else if (kind === TokenKind.LeftSquare) {
        this.advance();
        let safe = false;
        if (this.kinds[this.index] === TokenKind.Question) {
          safe = true;
          this.advance();
        }
        let fromEnd = false;
        if (this.kinds[this.index] === TokenKind.Hat) {
          fromEnd = true;
          this.advance();
        }
        const index = this.withNewlines(true, () => {
          const inner = this.parseExpression();
          if (this.recovering) this.skipTo(TokenKind.RightSquare, false);
          this.close(TokenKind.RightSquare, ']');
          return inner;
        });
        expression = { kind: 'arrayAccess', base: expression, index, safe, fromEnd, start, end: this.lastEnd };
      } else if (kind === TokenKind.DoubleColon) {
        this.advance();
        const resourceName = this.parseIdentifier('a resource name');
        expression = { kind: 'resourceAccess', base: expression, resourceName, start, end: this.lastEnd };
      } else if (kind === TokenKind.Exclamation) {
        this.advance();
        expression = { kind: 'nonNull', expression, start, end: this.lastEnd };
      } else {
        return expression;
      }
    }
  }

  private parseMemberName(): Identifier {
    if (isNameToken(this.kinds[this.index])) {
      const start = this.starts[this.index];
      const end = this.ends[this.index];
      this.advance();
      return { kind: 'identifier', name: this.nameAt(start, end), start, end };
    }
    return this.parseIdentifier('a property name');
  }

  private parseCall(base: Expression | undefined, name: Identifier, start: number): Expression {
    const open = this.index;
    this.advance();
    const firstItem = this.itemCount;
    this.withNewlines(true, () => {
      while (this.peek() !== TokenKind.RightParen) {
        this.itemStack[this.itemCount++] = this.parseExpression();
        if (this.recovering) break;
        const kind = this.peek();
        if (kind === TokenKind.Comma) {
          this.advance();
          // Bicep takes no trailing comma: `f(a,)`.
          if (this.peek() === TokenKind.RightParen) {
            this.expected('an expression');
            break;
          }
        } else if (kind !== TokenKind.RightParen) {
          if (kind === TokenKind.EndOfFile || kind === TokenKind.NewLine) this.reportUnclosed(open, '(', ')');
          else this.expected("',' or ')'");
          break;
        }
      }
      if (this.recovering) this.skipTo(TokenKind.RightParen, false);
      this.close(TokenKind.RightParen, ')');
    });
    const argumentList = this.takeItems(firstItem) as Expression[];
    return { kind: 'call', base, name, arguments: argumentList, start, end: this.lastEnd };
  }

  private parsePrimary(): Expression {
    if (!this.enterNesting()) return this.errorNode();
    const expression = this.parsePrimaryUnnested();
    this.nesting--;
    return expression;
  }

  /** False (with a problem) when the input is nested deeper than `maximumNesting`. */
  private enterNesting(): boolean {
    if (this.nesting >= maximumNesting) {
      const start = this.starts[this.index];
      this.report(parserMessages.nestedTooDeeply, start, this.ends[this.index]);
      return false;
    }
    this.nesting++;
    return true;
  }

  private parsePrimaryUnnested(): Expression {
    const kind = this.peek();
    const start = this.starts[this.index];
    const end = this.ends[this.index];
    switch (kind) {
      case TokenKind.Identifier: {
        const name: Identifier = { kind: 'identifier', name: this.nameAt(start, end), start, end };
        const next = this.kindAt(this.index + 1);
        this.advance();
        if (next === TokenKind.LeftParen) return this.parseCall(undefined, name, start);
        if (next === TokenKind.Arrow) {
          this.advance();
          const body = this.parseLambdaBody();
          return { kind: 'lambda', parameters: [name], body, start, end: this.lastEnd };
        }
        return { kind: 'variableAccess', name, start, end };
      }
      case TokenKind.Integer:
        if (!this.integerFits(this.index)) this.report(parserMessages.invalidInteger, start, end);
        this.advance();
        return { kind: 'number', value: Number(this.text.slice(start, end)), start, end };
      case TokenKind.TrueKeyword:
      case TokenKind.FalseKeyword:
        this.advance();
        return { kind: 'boolean', value: kind === TokenKind.TrueKeyword, start, end };
      case TokenKind.NullKeyword:
        this.advance();
        return { kind: 'null', start, end };
      case TokenKind.MultilineString:
        // `$'''...${x}...'''`: the holes are not evaluated, so the value is computed and unknown
        // (an error node evaluates to unknown and reports nothing); without a hole it is plain text.
        if (this.hasInterpolationHoles(this.index)) {
          this.advance();
          return { kind: 'error', start, end };
        }
        return this.parseString();
      case TokenKind.StringComplete:
      case TokenKind.StringLeftPiece:
        return this.parseString();
      case TokenKind.LeftBrace:
      case TokenKind.LeftSquare:
        if (!this.complexLiteralsAllowed) {
          this.report(parserMessages.complexLiteralInHole, start, end);
          return this.errorNode();
        }
        return kind === TokenKind.LeftBrace ? this.parseObject() : this.parseArrayOrFor();
      case TokenKind.LeftParen:
        return this.isLambdaAhead() ? this.parseLambda() : this.parseParenthesized();
      default:
        this.expected('an expression');
        return this.errorNode();
    }
  }

  /** The string at the current token: plain, multi-line, or interpolated. */
  private parseString(): StringLiteral | InterpolatedString {
    const index = this.index;
    const kind = this.kinds[index];
    const start = this.starts[index];
    const end = this.ends[index];
    const terminated = (this.flags[index] & unterminatedFlag) === 0;
    this.advance();
    if (kind === TokenKind.StringComplete) {
      const value = this.stringValueAt(start + 1, terminated ? end - 1 : end);
      return { kind: 'string', value, multiline: false, start, end };
    }
    if (kind === TokenKind.MultilineString) {
      const dollars = (this.flags[index] & interpolatedFlag) === 0 ? 0 : this.dollarPrefixLength(start);
      let contentStart = start + dollars + 3;
      if (this.text.charCodeAt(contentStart) === 13) contentStart++;
      if (this.text.charCodeAt(contentStart) === 10) contentStart++;
      const contentEnd = terminated ? end - 3 : end;
      return {
        kind: 'string',
        value: this.text.slice(Math.min(contentStart, contentEnd), contentEnd),
        multiline: true,
        start,
        end,
      };
    }
    const segments = [decodeStringText(this.text, start + 1, end - 2)];
    const expressions: Expression[] = [];
    const complexLiteralsAllowed = this.complexLiteralsAllowed;
    this.complexLiteralsAllowed = false;
    for (;;) {
      expressions.push(this.withNewlines(false, () => this.parseExpression()));
      const pieceIndex = this.index;
      const pieceKind = this.kinds[pieceIndex];
      const pieceStart = this.starts[pieceIndex];
      const pieceEnd = this.ends[pieceIndex];
      if (pieceKind === TokenKind.StringMiddlePiece) {
        segments.push(decodeStringText(this.text, pieceStart + 1, pieceEnd - 2));
        this.advance();
        continue;
      }
      if (pieceKind === TokenKind.StringRightPiece) {
        const pieceTerminated = (this.flags[pieceIndex] & unterminatedFlag) === 0;
        segments.push(decodeStringText(this.text, pieceStart + 1, pieceTerminated ? pieceEnd - 1 : pieceEnd));
        this.advance();
        break;
      }
      segments.push('');
      if (!terminated) this.recovering = true;
      else this.expected("'}'");
      break;
    }
    this.complexLiteralsAllowed = complexLiteralsAllowed;
    return { kind: 'interpolatedString', segments, expressions, start, end: this.lastEnd };
  }

  private parseObject(): ObjectExpression {
    const open = this.index;
    const start = this.starts[open];
    this.advance();
    // Objects are the most frequent construct: the newline mode is set around a method call
    // rather than a closure, which would be allocated for every object.
    const saved = this.newlinesInsensitive;
    this.newlinesInsensitive = false;
    const members = this.parseSeparatedList(open, ListKind.ObjectMembers) as ObjectMember[];
    this.newlinesInsensitive = saved;
    return { kind: 'object', members, start, end: this.lastEnd };
  }

  /**
   * Parses the items of a bracketed list, from the token after its opening bracket (at `open`)
   * through its closing bracket; items are separated by commas or new lines. The end of the file,
   * a declaration in column zero or (except in an import list) the closing bracket of an outer
   * construct ends a list that was never closed, reported at its opening bracket. After a broken
   * item the parser skips to the closing bracket, so one bad item never swallows what follows.
   * One loop serves every kind of list; the kind picks the item parser without a closure, which
   * objects and arrays, the most frequent constructs, would otherwise allocate each time.
   */
  private parseSeparatedList(open: number, list: ListKind): unknown[] {
    const base = this.itemCount;
    const brace =
      list === ListKind.ObjectMembers ||
      list === ListKind.PrunedObjectMembers ||
      list === ListKind.ObjectTypeMembers ||
      list === ListKind.ImportedSymbols;
    const close = brace ? TokenKind.RightBrace : TokenKind.RightSquare;
    let separated = true;
    for (;;) {
      const kind = this.kinds[this.index];
      if (kind === TokenKind.NewLine) {
        separated = true;
        this.advance();
        continue;
      }
      if (kind === TokenKind.Comma) {
        // As in Bicep: one comma between two items (`[a,,b]`, `[,a]` miss one), on one line.
        const start = this.starts[this.index];
        if (separated) this.expected(listItemWhat(list));
        else if (this.kinds[this.index + 1] === TokenKind.NewLine)
          this.problems.push({ message: parserMessages.newLineAfterComma, range: { start: start + 1, end: start + 1 } });
        this.recovering = false;
        separated = true;
        this.advance();
        continue;
      }
      if (kind === close) {
        this.advance();
        return this.takeItems(base);
      }
      if (
        kind === TokenKind.EndOfFile ||
        this.isColumnZeroDeclaration(this.index) ||
        (list !== ListKind.ImportedSymbols &&
          (kind === TokenKind.RightParen || kind === TokenKind.RightBrace || kind === TokenKind.RightSquare))
      ) {
        this.reportUnclosed(open, brace ? '{' : '[', brace ? '}' : ']');
        return this.takeItems(base);
      }
      const before = this.index;
      if (!separated) this.expected(list === ListKind.ImportedSymbols ? "',' or '}'" : 'a new line or a comma');
      else {
        const item = this.parseListItem(list, kind);
        if (item !== undefined) this.itemStack[this.itemCount++] = item;
      }
      separated = false;
      if (this.recovering) {
        this.skipTo(close, true);
        this.recovering = false;
      }
      if (this.index === before) this.advance();
    }
  }

  /** Parses one item of a separated list at the current token (`kind`): undefined when there is none. */
  private parseListItem(list: ListKind, kind: TokenKind): unknown {
    switch (list) {
      case ListKind.ObjectMembers:
        return this.parseObjectMember();
      case ListKind.PrunedObjectMembers:
        return this.parsePrunedObjectMember();
      case ListKind.ArrayItems:
        return kind === TokenKind.Ellipsis ? this.parseSpread() : this.parseExpression();
      case ListKind.ObjectTypeMembers:
        return this.parseObjectTypeMember();
      case ListKind.TupleTypeItems: {
        const itemStart = this.starts[this.index];
        const decorators = this.parseDecorators();
        if (this.recovering || this.reportedNothingDecorated(decorators)) return undefined;
        const value = this.parseType();
        return { kind: 'tupleTypeItem', decorators, value, start: itemStart, end: this.lastEnd } satisfies TupleTypeItem;
      }
      case ListKind.ImportedSymbols: {
        if (kind !== TokenKind.Identifier && kind !== TokenKind.StringComplete) {
          this.expected('an imported name');
          return undefined;
        }
        const name = kind === TokenKind.Identifier ? this.parseIdentifier('') : this.parseStringLiteral();
        let alias: Identifier | undefined;
        if (this.isKeyword(this.index, 'as')) {
          this.advance();
          alias = this.parseIdentifier('an alias');
        }
        return { kind: 'importedSymbol', name, alias, start: name.start, end: this.lastEnd } satisfies ImportedSymbol;
      }
    }
  }

  /** The items pushed since `base`, in an array of their exact length (see `itemStack`). */
  private takeItems(base: number): unknown[] {
    const items = this.itemStack.slice(base, this.itemCount);
    this.itemCount = base;
    return items;
  }

  private parseObjectMember(): ObjectMember | undefined {
    const decorators = this.parseDecorators();
    if (this.recovering || this.reportedNothingDecorated(decorators)) return undefined;
    const index = this.index;
    const kind = this.kinds[index];
    const start = decorators.length > 0 ? decorators[0].start : this.starts[index];
    if (kind === TokenKind.Ellipsis) return this.parseSpread();
    if (this.isKeyword(index, 'resource') && this.kindAt(index + 1) === TokenKind.Identifier) {
      return this.parseNestedResource(decorators, start);
    }
    let key: StringLiteral | InterpolatedString | undefined;
    let name: string | undefined;
    if (isNameToken(kind)) {
      name = this.nameAt(this.starts[index], this.ends[index]);
      this.advance();
    } else if (isStringStart(kind)) {
      key = this.parseString();
      name = key.kind === 'string' ? key.value : undefined;
    } else {
      this.expected('a property name');
      return undefined;
    }
    if (this.kinds[this.index] !== TokenKind.Colon) {
      this.expected("':'");
      return { kind: 'property', decorators, key, name, value: this.errorNode(), start, end: this.lastEnd };
    }
    this.advance();
    const value = this.parseExpression();
    return { kind: 'property', decorators, key, name, value, start, end: this.lastEnd };
  }

  private parseSpread(): SpreadExpression {
    const start = this.starts[this.index];
    this.advance();
    const expression = this.parseExpression();
    return { kind: 'spread', expression, start, end: this.lastEnd };
  }

  private parseArrayOrFor(): ArrayExpression | ForExpression {
    const open = this.index;
    let next = open + 1;
    if (this.kinds[next] === TokenKind.NewLine) next++;
    if (this.isKeyword(next, 'for')) return this.parseFor(open, next);
    const start = this.starts[open];
    this.advance();
    const saved = this.newlinesInsensitive;
    this.newlinesInsensitive = false;
    const items = this.parseSeparatedList(open, ListKind.ArrayItems) as (Expression | SpreadExpression)[];
    this.newlinesInsensitive = saved;
    return { kind: 'array', items, start, end: this.lastEnd };
  }

  /**
   * `[for ...]`; with `bodyPaths`, its body is a resource body pruned to those paths. The body of
   * a resource or module loop (`resourceBody`) is an object or `if (...) {...}`, as Bicep requires.
   */
  private parseFor(open: number, forIndex: number, bodyPaths?: PruneTree, resourceBody = bodyPaths !== undefined): ForExpression {
    const start = this.starts[open];
    this.index = forIndex;
    this.advance();
    return this.withNewlines(true, () => {
      let item: Identifier | undefined;
      let index: Identifier | undefined;
      let iterable: Expression = this.errorNode();
      let body: Expression | IfCondition = this.errorNode();
      const kind = this.peek();
      if (kind === TokenKind.LeftParen) {
        this.advance();
        item = this.parseIdentifier('a loop item name');
        if (!this.recovering) {
          this.close(TokenKind.Comma, ',');
          index = this.parseIdentifier('a loop index name');
          this.close(TokenKind.RightParen, ')');
        }
      } else {
        item = this.parseIdentifier('a loop item name or (item, index)');
      }
      if (!this.recovering) {
        if (this.peek() === TokenKind.Identifier && this.isKeyword(this.index, 'in')) this.advance();
        else this.expected("'in'");
      }
      if (!this.recovering) iterable = this.parseExpression();
      if (!this.recovering) this.close(TokenKind.Colon, ':');
      if (!this.recovering) {
        this.peek();
        if (resourceBody && !this.isKeyword(this.index, 'if') && this.kinds[this.index] !== TokenKind.LeftBrace)
          this.expected("'{' or 'if'");
        else
          body =
            this.isKeyword(this.index, 'if') && (resourceBody || this.kindAt(this.index + 1) === TokenKind.LeftParen)
              ? this.parseIfCondition(bodyPaths, resourceBody)
              : bodyPaths
                ? this.parsePrunedValue(bodyPaths)
                : resourceBody
                  ? this.parsePrimary()
                  : this.parseExpression();
      }
      if (this.recovering) {
        this.skipTo(TokenKind.RightSquare, false);
        if (this.kinds[this.index] === TokenKind.RightSquare) this.advance();
        else if (!this.problemsMentionOpen(open)) this.reportUnclosed(open, '[', ']');
      } else this.close(TokenKind.RightSquare, ']');
      return { kind: 'for', item, index, iterable, body, start, end: this.lastEnd } satisfies ForExpression;
    });
  }

  private problemsMentionOpen(open: number): boolean {
    const start = this.starts[open];
    return this.problems.some((problem) => problem.range.start === start);
  }

  private parseLambda(): LambdaExpression {
    const start = this.starts[this.index];
    this.advance();
    const parameters: Identifier[] = [];
    this.withNewlines(true, () => {
      while (this.peek() === TokenKind.Identifier) {
        parameters.push(this.parseIdentifier(''));
        if (this.peek() === TokenKind.Comma) this.advance();
      }
      this.close(TokenKind.RightParen, ')');
      this.close(TokenKind.Arrow, '=>');
    });
    const body = this.parseLambdaBody();
    return { kind: 'lambda', parameters, body, start, end: this.lastEnd };
  }

  /** The body of a lambda, where array and object literals are allowed even in an interpolation. */
  private parseLambdaBody(): Expression {
    const complexLiteralsAllowed = this.complexLiteralsAllowed;
    this.complexLiteralsAllowed = true;
    const body = this.parseExpression();
    this.complexLiteralsAllowed = complexLiteralsAllowed;
    return body;
  }

  private parseParenthesized(): Expression {
    const open = this.index;
    const start = this.starts[open];
    this.advance();
    const expression = this.withNewlines(true, () => {
      const next = this.peek();
      if (next === TokenKind.NewLine || next === TokenKind.EndOfFile) {
        this.reportUnclosed(open, '(', ')');
        return this.errorNode();
      }
      const inner = this.parseExpression();
      if (this.recovering) this.skipTo(TokenKind.RightParen, false);
      this.close(TokenKind.RightParen, ')');
      return inner;
    });
    return { kind: 'parenthesized', expression, start, end: this.lastEnd };
  }

  // -------------------------------------------------------------------------------------------
  // Types

  private parseType(): TypeExpression {
    const start = this.starts[this.index];
    let leadingPipe = false;
    if (this.peekContinued(TokenKind.Pipe)) {
      leadingPipe = true;
      this.advance();
    }
    const first = this.parseTypeMember();
    if (this.recovering) return first;
    if (!this.peekContinued(TokenKind.Pipe)) {
      return leadingPipe ? { kind: 'unionType', members: [first], start, end: this.lastEnd } : first;
    }
    const members = [first];
    while (!this.recovering && this.peekContinued(TokenKind.Pipe)) {
      this.advance();
      members.push(this.parseTypeMember());
    }
    return { kind: 'unionType', members, start: leadingPipe ? start : first.start, end: this.lastEnd };
  }

  private parseTypeMember(): TypeExpression {
    let type = this.parsePrimaryType();
    for (;;) {
      if (this.recovering) return type;
      const kind = this.kinds[this.index];
      const start = type.start;
      if (kind === TokenKind.LeftSquare) {
        this.advance();
        const inner = this.kinds[this.index];
        if (inner === TokenKind.RightSquare) {
          this.advance();
          type = { kind: 'arrayType', item: type, start, end: this.lastEnd };
        } else if (inner === TokenKind.Asterisk) {
          this.advance();
          this.close(TokenKind.RightSquare, ']');
          type = { kind: 'typeIndexAccess', base: type, index: undefined, start, end: this.lastEnd };
        } else if (inner === TokenKind.Integer) {
          const indexStart = this.starts[this.index];
          const indexEnd = this.ends[this.index];
          this.advance();
          this.close(TokenKind.RightSquare, ']');
          const index = {
            kind: 'number' as const,
            value: Number(this.text.slice(indexStart, indexEnd)),
            start: indexStart,
            end: indexEnd,
          };
          type = { kind: 'typeIndexAccess', base: type, index, start, end: this.lastEnd };
        } else {
          this.expected("']', '*' or an index");
        }
      } else if (kind === TokenKind.Question) {
        this.advance();
        type = { kind: 'nullableType', base: type, start, end: this.lastEnd };
      } else if (kind === TokenKind.Exclamation) {
        this.advance();
        type = { kind: 'nonNullableType', base: type, start, end: this.lastEnd };
      } else if (kind === TokenKind.Dot) {
        this.advance();
        if (this.kinds[this.index] === TokenKind.Asterisk) {
          this.advance();
          type = { kind: 'typePropertyAccess', base: type, property: undefined, start, end: this.lastEnd };
        } else {
          const property = this.parseMemberName();
          if (!this.recovering && this.kinds[this.index] === TokenKind.LessThan) {
            const typeArguments = this.parseTypeArguments();
            type = { kind: 'parameterizedType', base: type, name: property, arguments: typeArguments, start, end: this.lastEnd };
          } else type = { kind: 'typePropertyAccess', base: type, property, start, end: this.lastEnd };
        }
      } else {
        return type;
      }
    }
  }

  private parsePrimaryType(): TypeExpression {
    if (!this.enterNesting()) return this.errorNode();
    const type = this.parsePrimaryTypeUnnested();
    this.nesting--;
    return type;
  }

  private parsePrimaryTypeUnnested(): TypeExpression {
    const kind = this.peek();
    const start = this.starts[this.index];
    const end = this.ends[this.index];
    switch (kind) {
      case TokenKind.Identifier: {
        const name: Identifier = { kind: 'identifier', name: this.nameAt(start, end), start, end };
        const next = this.kindAt(this.index + 1);
        this.advance();
        if (name.name === 'resource' && isStringStart(next)) {
          const typeString = this.parseString();
          return { kind: 'resourceType', typeString, start, end: this.lastEnd };
        }
        if (next === TokenKind.LessThan) {
          const typeArguments = this.parseTypeArguments();
          return { kind: 'parameterizedType', name, arguments: typeArguments, start, end: this.lastEnd };
        }
        return { kind: 'typeReference', name, start, end };
      }
      case TokenKind.StringComplete:
      case TokenKind.MultilineString:
      case TokenKind.StringLeftPiece:
        return this.parseStringLiteral();
      case TokenKind.Integer:
        if (!this.integerFits(this.index)) this.report(parserMessages.invalidInteger, start, end);
        this.advance();
        return { kind: 'number', value: Number(this.text.slice(start, end)), start, end };
      case TokenKind.Minus:
      case TokenKind.Exclamation: {
        this.advance();
        const operand = this.parsePrimaryType();
        const operator = kind === TokenKind.Minus ? '-' : '!';
        return { kind: 'unary', operator, operand: operand as Expression, start, end: this.lastEnd };
      }
      case TokenKind.TrueKeyword:
      case TokenKind.FalseKeyword:
        this.advance();
        return { kind: 'boolean', value: kind === TokenKind.TrueKeyword, start, end };
      case TokenKind.NullKeyword:
        this.advance();
        return { kind: 'null', start, end };
      case TokenKind.LeftBrace:
        return this.parseObjectType();
      case TokenKind.LeftSquare:
        return this.parseTupleType();
      case TokenKind.LeftParen: {
        this.advance();
        const type = this.withNewlines(true, () => {
          const inner = this.parseType();
          if (this.recovering) this.skipTo(TokenKind.RightParen, false);
          this.close(TokenKind.RightParen, ')');
          return inner;
        });
        return { kind: 'parenthesizedType', type, start, end: this.lastEnd };
      }
      default:
        this.expected('a type');
        return this.errorNode();
    }
  }

  /** `<type, ...>` after the name of a generic type, from its `<`. */
  private parseTypeArguments(): TypeExpression[] {
    this.advance();
    const typeArguments: TypeExpression[] = [];
    this.withNewlines(true, () => {
      while (!this.recovering && this.peek() !== TokenKind.GreaterThan) {
        typeArguments.push(this.parseType());
        if (this.peek() === TokenKind.Comma) this.advance();
        else if (this.peek() !== TokenKind.GreaterThan) this.expected("',' or '>'");
      }
      this.close(TokenKind.GreaterThan, '>');
    });
    return typeArguments;
  }

  private parseObjectType(): ObjectType {
    const open = this.index;
    const start = this.starts[open];
    this.advance();
    const members = this.withNewlines(false, () => this.parseSeparatedList(open, ListKind.ObjectTypeMembers)) as (
      ObjectTypeProperty | ObjectTypeAdditionalProperties
    )[];
    return { kind: 'objectType', members, start, end: this.lastEnd };
  }

  private parseObjectTypeMember(): ObjectTypeProperty | ObjectTypeAdditionalProperties | undefined {
    const decorators = this.parseDecorators();
    if (this.recovering || this.reportedNothingDecorated(decorators)) return undefined;
    const kind = this.kinds[this.index];
    const start = decorators.length > 0 ? decorators[0].start : this.starts[this.index];
    if (kind === TokenKind.Asterisk) {
      this.advance();
      this.close(TokenKind.Colon, ':');
      const value = this.recovering ? this.errorNode() : this.parseType();
      return { kind: 'objectTypeAdditionalProperties', decorators, value, start, end: this.lastEnd };
    }
    let key: Identifier | StringLiteral;
    if (isNameToken(kind)) key = this.parseMemberName();
    else if (isStringStart(kind)) key = this.parseStringLiteral();
    else {
      this.expected('a property name');
      return undefined;
    }
    const name = key.kind === 'identifier' ? key.name : key.value;
    let optional = false;
    if (this.kinds[this.index] === TokenKind.Question) {
      optional = true;
      this.advance();
    }
    this.close(TokenKind.Colon, ':');
    const value = this.recovering ? this.errorNode() : this.parseType();
    return { kind: 'objectTypeProperty', decorators, key, name, optional, value, start, end: this.lastEnd };
  }

  private parseTupleType(): TupleType {
    const open = this.index;
    const start = this.starts[open];
    this.advance();
    const items = this.withNewlines(false, () => this.parseSeparatedList(open, ListKind.TupleTypeItems)) as TupleTypeItem[];
    return { kind: 'tupleType', items, start, end: this.lastEnd };
  }
}

type UsingPath = StringLiteral | InterpolatedString | ErrorNode | undefined;

/** What a list of this kind expects where an item is missing, for problems. */
function listItemWhat(list: ListKind): string {
  switch (list) {
    case ListKind.ObjectMembers:
    case ListKind.PrunedObjectMembers:
    case ListKind.ObjectTypeMembers:
      return 'a property name';
    case ListKind.ArrayItems:
      return 'an expression';
    case ListKind.TupleTypeItems:
      return 'a type';
    case ListKind.ImportedSymbols:
      return 'an imported name';
  }
}

/** Whether two property names are equal ignoring case, without lower-cased copies for ASCII names. */
function sameName(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) {
    let x = a.charCodeAt(index);
    let y = b.charCodeAt(index);
    if (x === y) continue;
    if (x > 127 || y > 127) return a.toLowerCase() === b.toLowerCase();
    if (x >= 65 && x <= 90) x += 32;
    if (y >= 65 && y <= 90) y += 32;
    if (x !== y) return false;
  }
  return true;
}
