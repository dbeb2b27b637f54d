/**
 * Reading an expression without building it, for the members of resource bodies the reader never
 * looks at (see `ParseOptions.resourceBodyPath`). `skipExpression` follows `parseExpression` token
 * for token over the usual constructs and gives up, back where it started, wherever parsing would
 * report a problem or the construct is unusual; the parser then parses the expression, so the
 * problems are always those of `parseExpression`.
 */
import { TokenKind } from './tokenizer';
import { binaryPrecedence, isCloser, isNameToken, maximumNesting, TokenCursor } from './tokenCursor';

/**
 * `skipExpression` gives up on expressions nested this deep, well before `maximumNesting`, so
 * that it never skips what the parser would report as nested too deeply.
 */
const skipNestingLimit = maximumNesting - 10;

export abstract class ExpressionSkipper extends TokenCursor {
  /**
   * Reads over the expression at the current token exactly as `parseExpression` would, without
   * building it, when reading it reports no problem and the expression is made of the usual
   * constructs (literals, strings with holes, names, member and index access, calls, operators,
   * objects, arrays, parentheses). Returns false, back where it started, at anything else (a
   * problem, a lambda, a loop, a decorator, a nested resource, deep nesting): the caller then
   * parses the expression, so problems are always those of `parseExpression`.
   */
  protected skipExpression(): boolean {
    const index = this.index;
    const lastEnd = this.lastEnd;
    const newlinesInsensitive = this.newlinesInsensitive;
    if (this.skipTernary(0)) return true;
    this.index = index;
    this.lastEnd = lastEnd;
    this.newlinesInsensitive = newlinesInsensitive;
    return false;
  }

  /**
   * `parseExpression` without a tree. `depth` counts the nesting `parseExpression` would add (at
   * least as much), so that nothing the parser would report as nested too deeply is skipped.
   */
  private skipTernary(depth: number): boolean {
    if (this.skipSingleToken(depth)) return true;
    if (!this.skipBinary(depth)) return false;
    if (!this.peekContinued(TokenKind.Question)) return true;
    if (this.nesting + depth + 1 >= skipNestingLimit) return false;
    this.advance();
    if (!this.skipTernary(depth + 1) || !this.peekContinued(TokenKind.Colon)) return false;
    this.advance();
    return this.skipTernary(depth + 1);
  }

  /**
   * Most values are one token (a string, a name, a number) that ends the item, the hole of a
   * string or the file: that token is then the whole expression, read without the steps below.
   */
  private skipSingleToken(depth: number): boolean {
    if (this.newlinesInsensitive || this.nesting + depth + 1 >= skipNestingLimit) return false;
    const index = this.index;
    switch (this.kinds[index]) {
      case TokenKind.Integer:
        if (!this.integerFits(index)) return false;
        break;
      case TokenKind.Identifier:
      case TokenKind.TrueKeyword:
      case TokenKind.FalseKeyword:
      case TokenKind.NullKeyword:
      case TokenKind.StringComplete:
      case TokenKind.MultilineString:
        break;
      default:
        return false;
    }
    switch (this.kinds[index + 1]) {
      case TokenKind.Comma:
      case TokenKind.RightBrace:
      case TokenKind.RightSquare:
      case TokenKind.RightParen:
      case TokenKind.StringMiddlePiece:
      case TokenKind.StringRightPiece:
      case TokenKind.EndOfFile:
        break;
      case TokenKind.NewLine: {
        // A line that starts with one of these continues the expression.
        const after = this.kindAt(index + 2);
        if (
          after === TokenKind.LogicalAnd ||
          after === TokenKind.LogicalOr ||
          after === TokenKind.DoubleQuestion ||
          after === TokenKind.Question
        )
          return false;
        break;
      }
      default:
        return false;
    }
    this.advance();
    return true;
  }

  /** `parseBinary(0)`: however its operators nest, it reads operands separated by operators. */
  private skipBinary(depth: number): boolean {
    if (!this.skipUnary(depth)) return false;
    for (;;) {
      let kind = this.peek();
      if (kind === TokenKind.NewLine) {
        const next = this.kindAt(this.index + 1);
        if (next !== TokenKind.LogicalAnd && next !== TokenKind.LogicalOr && next !== TokenKind.DoubleQuestion) return true;
        this.index++;
        kind = next;
      }
      if (binaryPrecedence(kind) < 0) return true;
      this.advance();
      if (!this.skipUnary(depth)) return false;
    }
  }

  private skipUnary(depth: number): boolean {
    const kind = this.peek();
    if (kind === TokenKind.Exclamation || kind === TokenKind.Minus || kind === TokenKind.Plus) {
      if (this.nesting + depth + 1 >= skipNestingLimit) return false;
      this.advance();
      depth++;
    }
    return this.skipPrimary(depth + 1) && this.skipPostfix(depth + 1);
  }

  private skipPostfix(depth: number): boolean {
    for (;;) {
      const kind = this.peek();
      if (kind === TokenKind.Dot) {
        this.advance();
        let safe = false;
        if (this.kinds[this.index] === TokenKind.Question) {
          safe = true;
          this.advance();
        }
        if (!isNameToken(this.kinds[this.index])) return false;
        this.advance();
        if (!safe && this.kinds[this.index] === TokenKind.LeftParen && !this.skipArguments(depth)) return false;
      } else if (kind === TokenKind.LeftSquare) {
        this.advance();
        if (this.kinds[this.index] === TokenKind.Question) this.advance();
        if (this.kinds[this.index] === TokenKind.Hat) this.advance();
        const saved = this.newlinesInsensitive;
        this.newlinesInsensitive = true;
        const closed = this.skipTernary(depth) && this.peek() === TokenKind.RightSquare;
        if (closed) this.advance();
        this.newlinesInsensitive = saved;
        if (!closed) return false;
      } else if (kind === TokenKind.DoubleColon) {
        this.advance();
        if (this.peek() !== TokenKind.Identifier) return false;
        this.advance();
      } else if (kind === TokenKind.Exclamation) {
        this.advance();
      } else {
        return true;
      }
    }
  }

  /** `parsePrimaryUnnested` without a tree; `depth` already counts this primary. */
  private skipPrimary(depth: number): boolean {
    if (this.nesting + depth >= skipNestingLimit) return false;
    const kind = this.peek();
    switch (kind) {
      case TokenKind.Identifier: {
        const next = this.kindAt(this.index + 1);
        this.advance();
        if (next === TokenKind.LeftParen) return this.skipArguments(depth);
        return next !== TokenKind.Arrow;
      }
      case TokenKind.Integer:
        if (!this.integerFits(this.index)) return false;
        this.advance();
        return true;
      case TokenKind.TrueKeyword:
      case TokenKind.FalseKeyword:
      case TokenKind.NullKeyword:
      case TokenKind.StringComplete:
      case TokenKind.MultilineString:
        this.advance();
        return true;
      case TokenKind.StringLeftPiece:
        return this.skipInterpolatedString(depth);
      case TokenKind.LeftBrace:
        return this.complexLiteralsAllowed && this.skipList(TokenKind.RightBrace, depth);
      case TokenKind.LeftSquare: {
        if (!this.complexLiteralsAllowed) return false;
        let next = this.index + 1;
        if (this.kinds[next] === TokenKind.NewLine) next++;
        return !this.isKeyword(next, 'for') && this.skipList(TokenKind.RightSquare, depth);
      }
      case TokenKind.LeftParen: {
        if (this.isLambdaAhead()) return false;
        this.advance();
        const saved = this.newlinesInsensitive;
        this.newlinesInsensitive = true;
        const next = this.peek();
        const closed =
          next !== TokenKind.NewLine &&
          next !== TokenKind.EndOfFile &&
          this.skipTernary(depth) &&
          this.peek() === TokenKind.RightParen;
        if (closed) this.advance();
        this.newlinesInsensitive = saved;
        return closed;
      }
      default:
        return false;
    }
  }

  /** The arguments of a call, from its `(`, as `parseCall` reads them. */
  private skipArguments(depth: number): boolean {
    this.advance();
    const saved = this.newlinesInsensitive;
    this.newlinesInsensitive = true;
    let closed = false;
    for (;;) {
      if (this.peek() === TokenKind.RightParen) {
        this.advance();
        closed = true;
        break;
      }
      if (!this.skipTernary(depth)) break;
      const kind = this.peek();
      if (kind === TokenKind.Comma) {
        this.advance();
        if (this.peek() === TokenKind.RightParen) break;
      } else if (kind !== TokenKind.RightParen) break;
    }
    this.newlinesInsensitive = saved;
    return closed;
  }

  /** A string with holes, as `parseString` reads it when every hole is closed. */
  private skipInterpolatedString(depth: number): boolean {
    this.advance();
    const saved = this.newlinesInsensitive;
    const complexLiteralsAllowed = this.complexLiteralsAllowed;
    this.newlinesInsensitive = false;
    this.complexLiteralsAllowed = false;
    let closed = false;
    for (;;) {
      if (!this.skipTernary(depth)) break;
      const kind = this.kinds[this.index];
      if (kind === TokenKind.StringMiddlePiece) {
        this.advance();
        continue;
      }
      if (kind === TokenKind.StringRightPiece) {
        this.advance();
        closed = true;
      }
      break;
    }
    this.newlinesInsensitive = saved;
    this.complexLiteralsAllowed = complexLiteralsAllowed;
    return closed;
  }

  /**
   * An object (`close` is `}`) or an array (`]`) from its opening bracket, as `parseSeparatedList`
   * reads it when no item is broken. Object members are plain properties and spreads.
   */
  private skipList(close: TokenKind, depth: number): boolean {
    this.advance();
    const saved = this.newlinesInsensitive;
    this.newlinesInsensitive = false;
    const isObject = close === TokenKind.RightBrace;
    let separated = true;
    let closed = false;
    for (;;) {
      const index = this.index;
      const kind = this.kinds[index];
      if (kind === TokenKind.NewLine) {
        separated = true;
        this.advance();
        continue;
      }
      // A missing item (`[a,,b]`) or a comma before a new line is a problem for the parser.
      if (kind === TokenKind.Comma) {
        if (separated || this.kinds[index + 1] === TokenKind.NewLine) break;
        separated = true;
        this.advance();
        continue;
      }
      if (kind === close) {
        this.advance();
        closed = true;
        break;
      }
      if (!separated || kind === TokenKind.EndOfFile || isCloser(kind) || this.isColumnZeroDeclaration(index)) break;
      separated = false;
      if (kind === TokenKind.Ellipsis) this.advance();
      else if (isObject) {
        if (kind === TokenKind.StringComplete || kind === TokenKind.MultilineString) this.advance();
        else if (isNameToken(kind) && !(this.isKeyword(index, 'resource') && this.kindAt(index + 1) === TokenKind.Identifier))
          this.advance();
        else break;
        if (this.kinds[this.index] !== TokenKind.Colon) break;
        this.advance();
      }
      if (!this.skipTernary(depth)) break;
    }
    this.newlinesInsensitive = saved;
    return closed;
  }
}
