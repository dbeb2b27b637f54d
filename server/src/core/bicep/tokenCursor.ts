/**
 * The token cursor the Bicep parser reads with: the tokens of one text, the position in them and
 * the parser's mode (new lines meaningful or not, recovering from a problem, nesting), the
 * look-ahead that tells where a declaration starts, and the table that shares the texts of names
 * and short strings. `ExpressionSkipper` and `Parser` build on it; nothing here builds a node.
 */
import type { SyntaxProblem, TokenList } from './tokenizer';
import { decodeStringText, TokenKind } from './tokenizer';

const declarationKeywords = new Set([
  'targetScope',
  'metadata',
  'param',
  'var',
  'output',
  'resource',
  'module',
  'type',
  'func',
  'import',
  'extension',
  'extensionConfig',
  'provider',
  'using',
  'extends',
  'assert',
  'test',
]);

export function binaryPrecedence(kind: TokenKind): number {
  switch (kind) {
    case TokenKind.Asterisk:
    case TokenKind.Slash:
    case TokenKind.Modulo:
      return 100;
    case TokenKind.Plus:
    case TokenKind.Minus:
      return 90;
    case TokenKind.GreaterThan:
    case TokenKind.GreaterThanOrEqual:
    case TokenKind.LessThan:
    case TokenKind.LessThanOrEqual:
      return 80;
    case TokenKind.Equals:
    case TokenKind.NotEquals:
    case TokenKind.EqualsInsensitive:
    case TokenKind.NotEqualsInsensitive:
      return 70;
    case TokenKind.LogicalAnd:
      return 50;
    case TokenKind.LogicalOr:
      return 40;
    case TokenKind.DoubleQuestion:
      return 30;
    default:
      return -1;
  }
}

export function isStringStart(kind: TokenKind): boolean {
  return kind === TokenKind.StringComplete || kind === TokenKind.StringLeftPiece || kind === TokenKind.MultilineString;
}

export function isOpener(kind: TokenKind): boolean {
  return kind === TokenKind.LeftBrace || kind === TokenKind.LeftParen || kind === TokenKind.LeftSquare;
}

export function isCloser(kind: TokenKind): boolean {
  return kind === TokenKind.RightBrace || kind === TokenKind.RightParen || kind === TokenKind.RightSquare;
}

/** Tokens that may name a property or a member although they are keywords. */
export function isNameToken(kind: TokenKind): boolean {
  return (
    kind === TokenKind.Identifier ||
    kind === TokenKind.TrueKeyword ||
    kind === TokenKind.FalseKeyword ||
    kind === TokenKind.NullKeyword
  );
}

/**
 * The most entries of the parser's table of shared texts (a power of two). A small file gets a
 * smaller table: filling a big one would cost more than parsing it.
 */
const maximumInternedTableSize = 1024;
/** Longer names and strings are not shared: they rarely repeat, and hashing them costs. */
const maximumInternedLength = 64;

/** Deeper nesting is reported instead of parsed, so that no input can exhaust the call stack. */
export const maximumNesting = 200;

export abstract class TokenCursor {
  protected readonly kinds: Uint8Array;
  protected readonly starts: Int32Array;
  protected readonly ends: Int32Array;
  protected readonly flags: Uint8Array;
  protected readonly last: number;
  protected index = 0;
  /** End offset of the last token consumed: the end of the node being built. */
  protected lastEnd = 0;
  /** Inside parentheses newlines mean nothing; inside braces and brackets they separate. */
  protected newlinesInsensitive = false;
  /** Set when a problem was reported and not yet recovered from: suppresses follow-up noise. */
  protected recovering = false;
  /** How many expressions and types are open around the current one. */
  protected nesting = 0;
  /** False inside a string's interpolation hole, where Bicep takes no array or object literal. */
  protected complexLiteralsAllowed = true;
  /** Texts of names and short strings, by hash (see `internedText`). */
  private readonly interned: string[];

  constructor(
    protected readonly text: string,
    tokens: TokenList,
    protected readonly problems: SyntaxProblem[],
  ) {
    this.kinds = tokens.kinds;
    this.starts = tokens.starts;
    this.ends = tokens.ends;
    this.flags = tokens.flags;
    this.last = tokens.count - 1;
    // About one entry per 32 tokens, from 16 to the most.
    let tableSize = 16;
    while (tableSize < maximumInternedTableSize && tableSize * 32 < tokens.count) tableSize *= 2;
    this.interned = new Array<string>(tableSize).fill('');
  }

  protected peek(): TokenKind {
    if (this.newlinesInsensitive && !this.recovering) {
      // A declaration in the first column ends an unclosed parenthesis: stop before it. After a
      // problem the statement ends at its line, and the next line is read afresh.
      while (this.kinds[this.index] === TokenKind.NewLine && !this.isColumnZeroDeclaration(this.index + 1)) this.index++;
    }
    return this.kinds[this.index];
  }

  protected kindAt(index: number): TokenKind {
    return this.kinds[index < this.last ? index : this.last];
  }

  protected advance(): void {
    if (this.index < this.last) {
      this.lastEnd = this.ends[this.index];
      this.index++;
    }
  }

  protected skipNewLines(): void {
    while (this.kinds[this.index] === TokenKind.NewLine) this.index++;
  }

  /** True when the current token (or, across a line break, the next one) has this kind. */
  protected peekContinued(kind: TokenKind): boolean {
    const current = this.peek();
    if (current === kind) return true;
    if (current === TokenKind.NewLine && this.kindAt(this.index + 1) === kind) {
      this.index++;
      return true;
    }
    return false;
  }

  protected isKeyword(index: number, word: string): boolean {
    return (
      this.kinds[index] === TokenKind.Identifier &&
      this.ends[index] - this.starts[index] === word.length &&
      this.text.startsWith(word, this.starts[index])
    );
  }

  protected tokenText(index: number): string {
    return this.text.slice(this.starts[index], this.ends[index]);
  }

  /**
   * The text of an identifier, shared between its occurrences: a file repeats few names many
   * times, and one string per name keeps the tree small for the garbage collector.
   */
  protected nameAt(start: number, end: number): string {
    return this.internedText(start, end, false) ?? this.text.slice(start, end);
  }

  /**
   * The decoded value of the string text between `start` and `end`: shared between the copies
   * of a short string without escapes (resource types, image names), as names are.
   */
  protected stringValueAt(start: number, end: number): string {
    return this.internedText(start, end, true) ?? decodeStringText(this.text, start, end);
  }

  /**
   * The text between `start` and `end`, taken from a small table of texts seen before when it is
   * there (found without slicing the text), undefined when it is longer than
   * `maximumInternedLength` or (`mayHoldEscapes`) holds a backslash. The table keeps the last
   * text of each hash value: a text whose entry another took is sliced again, which costs only
   * the sharing. The hash reads the length and five characters, which tell apart the names and
   * strings a file repeats (and the numbered names it does not) at the cost of a few collisions.
   */
  private internedText(start: number, end: number, mayHoldEscapes: boolean): string | undefined {
    const length = end - start;
    if (length > maximumInternedLength || length === 0) return undefined;
    const text = this.text;
    const last = end - 1;
    let hash = Math.imul(length, 31) + text.charCodeAt(start);
    hash = Math.imul(hash, 31) + text.charCodeAt(start + (length >> 2));
    hash = Math.imul(hash, 31) + text.charCodeAt(start + (length >> 1));
    hash = Math.imul(hash, 31) + text.charCodeAt(last - 1 < start ? start : last - 1);
    hash = Math.imul(hash, 31) + text.charCodeAt(last);
    const slot = (hash ^ (hash >>> 15)) & (this.interned.length - 1);
    const known = this.interned[slot];
    // A text found in the table was checked for escapes when it went in.
    if (known.length === length && text.startsWith(known, start)) return known;
    if (mayHoldEscapes) {
      for (let position = start; position < end; position++) if (text.charCodeAt(position) === 92 /* \\ */) return undefined;
    }
    const fresh = text.slice(start, end);
    this.interned[slot] = fresh;
    return fresh;
  }

  protected describe(index: number): string {
    switch (this.kinds[index]) {
      case TokenKind.NewLine:
        return 'the end of the line';
      case TokenKind.EndOfFile:
        return 'the end of the file';
      default: {
        const text = this.tokenText(index);
        return `'${text.length > 40 ? `${text.slice(0, 40)}...` : text}'`;
      }
    }
  }

  /** Whether the integer token at `index` fits in 64 bits, as Bicep requires of a literal. */
  protected integerFits(index: number): boolean {
    let start = this.starts[index];
    const end = this.ends[index];
    if (end - start < 20) return true;
    while (start < end - 1 && this.text.charCodeAt(start) === 48 /* 0 */) start++;
    const digits = end - start;
    return digits < 20 || (digits === 20 && this.text.slice(start, end) <= '18446744073709551615');
  }

  protected isLineStart(index: number): boolean {
    const start = this.starts[index];
    if (start === 0) return true;
    const previous = this.text.charCodeAt(start - 1);
    return previous === 10 || previous === 13;
  }

  /** Whether the token starts a top-level declaration (keyword plus what must follow it). */
  protected startsDeclaration(index: number): boolean {
    const kind = this.kinds[index];
    const next = this.kindAt(index + 1);
    if (kind === TokenKind.At) return next === TokenKind.Identifier;
    if (kind !== TokenKind.Identifier || this.ends[index] - this.starts[index] > 15) return false;
    const word = this.tokenText(index);
    if (!declarationKeywords.has(word)) return false;
    // A keyword alone on its line starts a declaration too, one whose name is missing.
    if (next === TokenKind.NewLine || next === TokenKind.EndOfFile) return true;
    switch (word) {
      case 'targetScope':
        return next === TokenKind.Assignment;
      case 'import':
        return (
          next === TokenKind.LeftBrace ||
          next === TokenKind.Asterisk ||
          next === TokenKind.StringComplete ||
          next === TokenKind.Identifier
        );
      case 'extension':
      case 'provider':
      case 'using':
      case 'extends':
        return next === TokenKind.Identifier || next === TokenKind.StringComplete;
      case 'module':
      case 'resource':
      case 'test':
        // `module './path.bicep' = ...` misses its name but is a declaration all the same.
        return next === TokenKind.Identifier || isStringStart(next);
      default:
        return next === TokenKind.Identifier;
    }
  }

  protected isColumnZeroDeclaration(index: number): boolean {
    return this.isLineStart(index) && this.startsDeclaration(index);
  }

  /** Whether the `(` at the current token starts a lambda's parameters: `(a, b) =>`. */
  protected isLambdaAhead(): boolean {
    let index = this.index + 1;
    const skip = () => {
      while (this.kinds[index] === TokenKind.NewLine) index++;
    };
    skip();
    if (this.kinds[index] !== TokenKind.RightParen) {
      for (;;) {
        if (this.kinds[index] !== TokenKind.Identifier) return false;
        index++;
        skip();
        if (this.kinds[index] === TokenKind.Comma) {
          index++;
          skip();
          continue;
        }
        if (this.kinds[index] === TokenKind.RightParen) break;
        return false;
      }
    }
    index++;
    skip();
    return this.kinds[index] === TokenKind.Arrow;
  }
}
