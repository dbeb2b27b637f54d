/**
 * The Bicep tokenizer: turns the text of a `.bicep` or `.bicepparam` file into a flat list of
 * tokens kept in typed arrays (kind, start, end, flags), plus the lexical problems it met and the
 * `#disable-next-line` directives. Newlines are tokens because Bicep separates statements, object
 * properties and array items with them; whitespace and comments are not.
 *
 * It never throws and never stops early: an unterminated string ends at its line, an unterminated
 * comment at the end of the file, and characters Bicep does not know become one `Unrecognized`
 * token per run, each with a problem. It reads the text with `charCodeAt` only, so that the cost
 * is linear in the length of the file.
 */
import type { OffsetRange } from '../model';

export const enum TokenKind {
  EndOfFile,
  NewLine,
  Identifier,
  Integer,
  TrueKeyword,
  FalseKeyword,
  NullKeyword,
  /** `'text'` without interpolation. */
  StringComplete,
  /** `'text${` */
  StringLeftPiece,
  /** `}text${` */
  StringMiddlePiece,
  /** `}text'` */
  StringRightPiece,
  /** `'''text'''` */
  MultilineString,
  At,
  LeftBrace,
  RightBrace,
  LeftParen,
  RightParen,
  LeftSquare,
  RightSquare,
  Comma,
  Dot,
  Question,
  Colon,
  DoubleColon,
  Semicolon,
  Assignment,
  Plus,
  Minus,
  Asterisk,
  Slash,
  Modulo,
  Exclamation,
  LessThan,
  GreaterThan,
  LessThanOrEqual,
  GreaterThanOrEqual,
  Equals,
  NotEquals,
  EqualsInsensitive,
  NotEqualsInsensitive,
  LogicalAnd,
  LogicalOr,
  DoubleQuestion,
  Arrow,
  Pipe,
  Ellipsis,
  /** `^`, which only marks an index counted from the end: `items[^1]`. */
  Hat,
  Unrecognized,
}

/** Set on a string token whose closing quote (or interpolation hole) is missing. */
export const unterminatedFlag = 1;
/**
 * Set on a multi-line string written `$'''...'''` (or `$$'''...'''`...): its text may hold
 * interpolation holes opened by as many `$` as prefix it, followed by `{`.
 */
export const interpolatedFlag = 2;

/** A problem found in the text, with its range. */
export interface SyntaxProblem {
  message: string;
  range: OffsetRange;
}

/** A `#disable-next-line code1 code2` directive (or `#disable-diagnostics`, `#restore-diagnostics`). */
export interface Directive {
  name: string;
  codes: string[];
  range: OffsetRange;
}

/** The tokens of a file. Entry `count - 1` is always the end-of-file token. */
export interface TokenList {
  kinds: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  flags: Uint8Array;
  count: number;
}

export interface TokenizeResult {
  tokens: TokenList;
  problems: SyntaxProblem[];
  directives: Directive[];
}

export const messages = {
  unterminatedStringAtNewLine: 'The string at this location is not terminated due to an unexpected new line character.',
  unterminatedStringAtEnd: 'The string at this location is not terminated. Terminate the string with a single quote character.',
  unterminatedMultilineString: "The multi-line string at this location is not terminated. Terminate it with \"'''\".",
  unterminatedComment: 'The multi-line comment at this location is not terminated. Terminate it with the */ character sequence.',
  invalidEscape:
    "The specified escape sequence is not recognized. Only the following escape sequences are allowed: \\$, \\', \\\\, \\n, \\r, \\t, \\u{...}.",
  doubleQuote: 'Bicep strings use single quotes (\'), not double quotes (").',
  unrecognized: (text: string) => `The following token is not recognized: "${text}".`,
  missingDiagnosticCodes: 'The #disable-next-line directive must name at least one diagnostic code.',
};

const enum CharacterClass {
  Other = 0,
  IdentifierStart = 1,
  Digit = 2,
}

// ASCII classification table: identifiers are [A-Za-z_][A-Za-z0-9_]*, as in the official lexer.
const characterClasses = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95) {
    characterClasses[code] = CharacterClass.IdentifierStart;
  } else if (code >= 48 && code <= 57) characterClasses[code] = CharacterClass.Digit;
}

function isIdentifierPart(code: number): boolean {
  return code < 128 && characterClasses[code] !== CharacterClass.Other;
}

function isHexDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/** The directives Bicep knows, each written `#name` at the start of a line. */
const directiveNames = ['disable-next-line', 'disable-diagnostics', 'restore-diagnostics'];

/** Characters that separate tokens without meaning anything (Bicep also accepts these spaces). */
function isWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 0xa0 || code === 0xfeff || code === 0x0b || code === 0x0c;
}

/**
 * Whether a character (followed by `next`) is one Bicep has no token for, such as a control
 * character, `$`, `\\`, `~` or any non-ASCII character outside a string.
 */
function cannotStartToken(code: number, next: number): boolean {
  if (code >= 128) return !isWhitespace(code);
  if (code < 32) return code !== 9 && code !== 10 && code !== 13 && code !== 11 && code !== 12;
  switch (code) {
    case 36 /* $ */:
    case 92 /* \\ */:
    case 126 /* ~ */:
    case 96 /* ` */:
    case 127:
      return true;
    case 35 /* # */:
      return !(next < 128 && characterClasses[next] === CharacterClass.IdentifierStart);
    case 38 /* & */:
      return next !== 38;
    default:
      return false;
  }
}

/**
 * The kinds of the characters that are always a token of one character, whatever follows them
 * (`{` and `}` only outside interpolation holes); 0 for the others.
 */
const singleCharacterKinds = new Uint8Array(128);
singleCharacterKinds[40] = TokenKind.LeftParen;
singleCharacterKinds[41] = TokenKind.RightParen;
singleCharacterKinds[91] = TokenKind.LeftSquare;
singleCharacterKinds[93] = TokenKind.RightSquare;
singleCharacterKinds[123] = TokenKind.LeftBrace;
singleCharacterKinds[125] = TokenKind.RightBrace;
singleCharacterKinds[44] = TokenKind.Comma;
singleCharacterKinds[64] = TokenKind.At;
singleCharacterKinds[59] = TokenKind.Semicolon;
singleCharacterKinds[43] = TokenKind.Plus;
singleCharacterKinds[45] = TokenKind.Minus;
singleCharacterKinds[42] = TokenKind.Asterisk;
singleCharacterKinds[37] = TokenKind.Modulo;

/** Tokenizes the whole text. */
export function tokenize(text: string): TokenizeResult {
  return new Tokenizer(text, undefined).run();
}

/** Tokenizes the whole text without the shortcuts for frequent characters, for the tests. */
export function tokenizeWithoutShortcuts(text: string): TokenizeResult {
  return new Tokenizer(text, undefined).runWithoutShortcuts();
}

/**
 * Typed arrays are costly to allocate (each is an external buffer that the garbage collector
 * tracks), and the parser only needs the tokens while it runs, so it lends the tokenizer these
 * shared buffers. Parsing is synchronous, so two parses never use them at the same time.
 */
let scratch: TokenList | undefined;

/**
 * Tokenizes into shared buffers that the next call overwrites: for the parser only. With `start`
 * and `end`, only that part of the text, which the parser has read before as an expression.
 */
export function tokenizeIntoScratch(text: string, start = 0, end = text.length): TokenizeResult {
  const result = new Tokenizer(text, scratch, start, end).run();
  scratch = result.tokens;
  return result;
}

class Tokenizer {
  private kinds: Uint8Array;
  private starts: Int32Array;
  private ends: Int32Array;
  private flags: Uint8Array;
  private count = 0;
  private position: number;
  /** Where tokenizing stops: the end of the text, or of the part of it tokenized. */
  private readonly length: number;
  private readonly problems: SyntaxProblem[] = [];
  private readonly directives: Directive[] = [];
  /**
   * One entry per interpolation hole we are inside: how many `{` are open inside the hole, and
   * the token and offset of the string that opened it, to report and flag it if never closed.
   */
  private readonly holeBraceDepths: number[] = [];
  private readonly holeStringTokens: number[] = [];
  private readonly holeStringStarts: number[] = [];

  constructor(
    private readonly text: string,
    buffers: TokenList | undefined,
    start = 0,
    end = text.length,
  ) {
    this.position = start;
    this.length = end;
    if (buffers) {
      this.kinds = buffers.kinds;
      this.starts = buffers.starts;
      this.ends = buffers.ends;
      this.flags = buffers.flags;
    } else {
      const capacity = Math.max(64, this.length >> 3);
      this.kinds = new Uint8Array(capacity);
      this.starts = new Int32Array(capacity);
      this.ends = new Int32Array(capacity);
      this.flags = new Uint8Array(capacity);
    }
  }

  /** Tokenizes up to `length`. */
  run(): TokenizeResult {
    this.position = this.scanAll();
    return this.finish();
  }

  /**
   * Scans every token and returns where it stopped. The most frequent characters (spaces, new
   * lines, names, one-character tokens, strings without escapes or holes) are read in this loop
   * with the position in a local; anything else goes to `skipTrivia` and `scanToken`, which keep
   * it in `this.position`. The loop is a method of its own: the engine optimizes it while it runs,
   * and code after the loop in the same method would be left without type feedback and undo that
   * optimization at the end of every run.
   */
  private scanAll(): number {
    const text = this.text;
    const length = this.length;
    let position = this.position;
    for (;;) {
      let code = 0;
      while (position < length) {
        code = text.charCodeAt(position);
        if (code === 32 || code === 9) position++;
        else if (code === 10 || code === 13) {
          const start = position;
          position += code === 13 && text.charCodeAt(start + 1) === 10 ? 2 : 1;
          // A hole cannot span lines: the string around it is unterminated.
          this.abandonHoles(start);
          const last = this.count - 1;
          if (last >= 0 && this.kinds[last] === TokenKind.NewLine) this.ends[last] = position;
          else this.push(TokenKind.NewLine, start, position);
        } else break;
      }
      if (position >= length) break;
      const start = position;
      if (code < 128) {
        const characterClass = characterClasses[code];
        if (characterClass === CharacterClass.IdentifierStart) {
          position++;
          while (position < length) {
            const part = text.charCodeAt(position);
            if (part >= 128 || characterClasses[part] === CharacterClass.Other) break;
            position++;
          }
          this.push(this.keywordKind(start, position), start, position);
          continue;
        }
        const kind = singleCharacterKinds[code];
        if (
          kind !== 0 &&
          (this.holeBraceDepths.length === 0 || (kind !== TokenKind.LeftBrace && kind !== TokenKind.RightBrace))
        ) {
          position++;
          this.push(kind, start, position);
          continue;
        }
        if (code === 58 /* : */) {
          const double = text.charCodeAt(start + 1) === 58;
          position += double ? 2 : 1;
          this.push(double ? TokenKind.DoubleColon : TokenKind.Colon, start, position);
          continue;
        }
        if (code === 61 /* = */) {
          const next = text.charCodeAt(start + 1);
          const kind =
            next === 61
              ? TokenKind.Equals
              : next === 126
                ? TokenKind.EqualsInsensitive
                : next === 62
                  ? TokenKind.Arrow
                  : TokenKind.Assignment;
          position += kind === TokenKind.Assignment ? 1 : 2;
          this.push(kind, start, position);
          continue;
        }
        if (code === 46 /* . */ && text.charCodeAt(start + 1) !== 46) {
          position++;
          this.push(TokenKind.Dot, start, position);
          continue;
        }
        if (code === 39 /* ' */ && text.charCodeAt(start + 1) !== 39) {
          let end = start + 1;
          let next = 0;
          while (end < length) {
            next = text.charCodeAt(end);
            if (next === 39 || next === 92 || next === 36 || next === 10 || next === 13) break;
            end++;
          }
          if (end < length && next === 39) {
            position = end + 1;
            this.push(TokenKind.StringComplete, start, position);
            continue;
          }
        }
      }
      this.position = position;
      this.skipTrivia();
      if (this.position < length) this.scanToken();
      position = this.position;
    }
    return position;
  }

  /** `run` without its shortcuts for frequent characters: what the tests compare it with. */
  runWithoutShortcuts(): TokenizeResult {
    for (;;) {
      this.skipTrivia();
      if (this.position >= this.length) break;
      this.scanToken();
    }
    return this.finish();
  }

  private finish(): TokenizeResult {
    this.abandonHoles(this.length);
    this.push(TokenKind.EndOfFile, this.length, this.length);
    return {
      tokens: { kinds: this.kinds, starts: this.starts, ends: this.ends, flags: this.flags, count: this.count },
      problems: this.problems,
      directives: this.directives,
    };
  }

  private push(kind: TokenKind, start: number, end: number, flag = 0): number {
    if (this.count === this.kinds.length) this.grow();
    const index = this.count++;
    this.kinds[index] = kind;
    this.starts[index] = start;
    this.ends[index] = end;
    this.flags[index] = flag;
    return index;
  }

  private grow(): void {
    const capacity = this.kinds.length * 2;
    const kinds = new Uint8Array(capacity);
    kinds.set(this.kinds);
    const starts = new Int32Array(capacity);
    starts.set(this.starts);
    const ends = new Int32Array(capacity);
    ends.set(this.ends);
    const flags = new Uint8Array(capacity);
    flags.set(this.flags);
    this.kinds = kinds;
    this.starts = starts;
    this.ends = ends;
    this.flags = flags;
  }

  private report(message: string, start: number, end: number): void {
    this.problems.push({ message, range: { start, end } });
  }

  /** Skips whitespace, comments and directives; newlines become (merged) NewLine tokens. */
  private skipTrivia(): void {
    const text = this.text;
    while (this.position < this.length) {
      const code = text.charCodeAt(this.position);
      if (isWhitespace(code)) {
        this.position++;
      } else if (code === 10 || code === 13) {
        const start = this.position;
        this.position += code === 13 && text.charCodeAt(start + 1) === 10 ? 2 : 1;
        // A hole cannot span lines: the string around it is unterminated.
        this.abandonHoles(start);
        if (this.count > 0 && this.kinds[this.count - 1] === TokenKind.NewLine) this.ends[this.count - 1] = this.position;
        else this.push(TokenKind.NewLine, start, this.position);
      } else if (code === 47 /* / */ && text.charCodeAt(this.position + 1) === 47) {
        this.position += 2;
        while (this.position < this.length) {
          const next = text.charCodeAt(this.position);
          if (next === 10 || next === 13) break;
          this.position++;
        }
      } else if (code === 47 && text.charCodeAt(this.position + 1) === 42 /* * */) {
        const start = this.position;
        this.position += 2;
        let closed = false;
        while (this.position < this.length) {
          if (text.charCodeAt(this.position) === 42 && text.charCodeAt(this.position + 1) === 47) {
            this.position += 2;
            closed = true;
            break;
          }
          this.position++;
        }
        if (!closed) this.report(messages.unterminatedComment, start, start + 2);
      } else if (code === 35 /* # */ && this.directiveNameAt(this.position) !== undefined) {
        this.scanDirective();
      } else {
        return;
      }
    }
  }

  /**
   * The name of the directive whose `#` is at `position`, or undefined when there is none there:
   * as in Bicep, a directive is one of the names it knows, alone on its line but for the codes
   * after it and white space before it. Any other `#` is a character Bicep has no token for.
   */
  private directiveNameAt(position: number): string | undefined {
    const text = this.text;
    for (let before = position - 1; before >= 0; before--) {
      const code = text.charCodeAt(before);
      if (code === 10 || code === 13) break;
      if (!isWhitespace(code)) return undefined;
    }
    for (const name of directiveNames) {
      if (!text.startsWith(name, position + 1)) continue;
      const after = text.charCodeAt(position + 1 + name.length);
      if (!isIdentifierPart(after) && after !== 45) return name;
    }
    return undefined;
  }

  /**
   * `#disable-next-line code1 code2`: the name, then codes (letters, digits, `_` and `-`)
   * separated by white space. Anything else ends the directive and is read as usual, so that a
   * comment after the codes is a comment (`// it's` opens no string). A code directly followed
   * by such a character still counts, as in Bicep.
   */
  private scanDirective(): void {
    const text = this.text;
    const start = this.position;
    const name = this.directiveNameAt(start)!;
    let position = start + 1 + name.length;
    let end = position;
    const codes: string[] = [];
    for (;;) {
      while (position < this.length && isWhitespace(text.charCodeAt(position))) position++;
      // A comment after the codes is trivia, not a code (`#disable-next-line a b // why`).
      if (text.charCodeAt(position) === 47 && (text.charCodeAt(position + 1) === 47 || text.charCodeAt(position + 1) === 42))
        break;
      const codeStart = position;
      while (position < this.length) {
        const code = text.charCodeAt(position);
        if (!isIdentifierPart(code) && code !== 45) break;
        position++;
      }
      if (position === codeStart) break;
      codes.push(text.slice(codeStart, position));
      end = position;
      if (position < this.length && !isWhitespace(text.charCodeAt(position))) break;
    }
    this.position = end;
    if (name === 'disable-next-line' && codes.length === 0) this.report(messages.missingDiagnosticCodes, start, end);
    this.directives.push({ name, codes, range: { start, end } });
  }

  private scanToken(): void {
    const text = this.text;
    const start = this.position;
    const code = text.charCodeAt(start);
    const next = text.charCodeAt(start + 1);
    if (code < 128) {
      const characterClass = characterClasses[code];
      if (characterClass === CharacterClass.IdentifierStart) {
        let position = start + 1;
        while (position < this.length && isIdentifierPart(text.charCodeAt(position))) position++;
        this.position = position;
        this.push(this.keywordKind(start, position), start, position);
        return;
      }
      if (characterClass === CharacterClass.Digit) {
        let position = start + 1;
        while (position < this.length) {
          const digit = text.charCodeAt(position);
          if (digit < 48 || digit > 57) break;
          position++;
        }
        this.position = position;
        this.push(TokenKind.Integer, start, position);
        return;
      }
    }
    if (code === 36 /* $ */) {
      let quote = start + 1;
      while (quote < this.length && text.charCodeAt(quote) === 36) quote++;
      if (text.charCodeAt(quote) === 39 && text.charCodeAt(quote + 1) === 39 && text.charCodeAt(quote + 2) === 39) {
        this.scanMultilineString(start, quote);
        return;
      }
    }
    switch (code) {
      case 39 /* ' */:
        if (next === 39 && text.charCodeAt(start + 2) === 39) this.scanMultilineString(start, start);
        else {
          this.position = start + 1;
          this.scanStringBody(start, false);
        }
        return;
      case 123 /* { */:
        if (this.holeBraceDepths.length > 0) this.holeBraceDepths[this.holeBraceDepths.length - 1]++;
        return this.single(TokenKind.LeftBrace);
      case 125 /* } */:
        if (this.holeBraceDepths.length > 0) {
          const top = this.holeBraceDepths.length - 1;
          if (this.holeBraceDepths[top] === 0) {
            this.holeBraceDepths.pop();
            this.holeStringTokens.pop();
            this.holeStringStarts.pop();
            this.position = start + 1;
            this.scanStringBody(start, true);
            return;
          }
          this.holeBraceDepths[top]--;
        }
        return this.single(TokenKind.RightBrace);
      case 40:
        return this.single(TokenKind.LeftParen);
      case 41:
        return this.single(TokenKind.RightParen);
      case 91:
        return this.single(TokenKind.LeftSquare);
      case 93:
        return this.single(TokenKind.RightSquare);
      case 44:
        return this.single(TokenKind.Comma);
      case 64:
        return this.single(TokenKind.At);
      case 59:
        return this.single(TokenKind.Semicolon);
      case 43:
        return this.single(TokenKind.Plus);
      case 45:
        return this.single(TokenKind.Minus);
      case 42:
        return this.single(TokenKind.Asterisk);
      case 47:
        return this.single(TokenKind.Slash);
      case 37:
        return this.single(TokenKind.Modulo);
      case 46 /* . */:
        if (next === 46 && text.charCodeAt(start + 2) === 46) return this.multiple(TokenKind.Ellipsis, 3);
        return this.single(TokenKind.Dot);
      case 63 /* ? */:
        if (next === 63) return this.multiple(TokenKind.DoubleQuestion, 2);
        return this.single(TokenKind.Question);
      case 58 /* : */:
        if (next === 58) return this.multiple(TokenKind.DoubleColon, 2);
        return this.single(TokenKind.Colon);
      case 61 /* = */:
        if (next === 61) return this.multiple(TokenKind.Equals, 2);
        if (next === 126) return this.multiple(TokenKind.EqualsInsensitive, 2);
        if (next === 62) return this.multiple(TokenKind.Arrow, 2);
        return this.single(TokenKind.Assignment);
      case 33 /* ! */:
        if (next === 61) return this.multiple(TokenKind.NotEquals, 2);
        if (next === 126) return this.multiple(TokenKind.NotEqualsInsensitive, 2);
        return this.single(TokenKind.Exclamation);
      case 60 /* < */:
        if (next === 61) return this.multiple(TokenKind.LessThanOrEqual, 2);
        return this.single(TokenKind.LessThan);
      case 62 /* > */:
        if (next === 61) return this.multiple(TokenKind.GreaterThanOrEqual, 2);
        return this.single(TokenKind.GreaterThan);
      case 38 /* & */:
        if (next === 38) return this.multiple(TokenKind.LogicalAnd, 2);
        break;
      case 124 /* | */:
        if (next === 124) return this.multiple(TokenKind.LogicalOr, 2);
        return this.single(TokenKind.Pipe);
      case 94 /* ^ */:
        return this.single(TokenKind.Hat);
      case 34 /* " */:
        this.position = start + 1;
        this.push(TokenKind.Unrecognized, start, start + 1);
        this.report(messages.doubleQuote, start, start + 1);
        return;
    }
    this.scanUnrecognized(start);
  }

  private single(kind: TokenKind): void {
    const start = this.position;
    this.position = start + 1;
    this.push(kind, start, start + 1);
  }

  private multiple(kind: TokenKind, length: number): void {
    const start = this.position;
    this.position = start + length;
    this.push(kind, start, start + length);
  }

  private keywordKind(start: number, end: number): TokenKind {
    const length = end - start;
    const text = this.text;
    if (length === 4) {
      if (text.startsWith('true', start)) return TokenKind.TrueKeyword;
      if (text.startsWith('null', start)) return TokenKind.NullKeyword;
    } else if (length === 5 && text.startsWith('false', start)) return TokenKind.FalseKeyword;
    return TokenKind.Identifier;
  }

  /** One token and one problem for a run of characters that cannot start any token. */
  private scanUnrecognized(start: number): void {
    const text = this.text;
    let position = start + 1;
    while (position < this.length && cannotStartToken(text.charCodeAt(position), text.charCodeAt(position + 1))) position++;
    this.position = position;
    this.push(TokenKind.Unrecognized, start, position);
    this.report(messages.unrecognized(text.slice(start, position)), start, position);
  }

  /**
   * Scans string text from `this.position` (just after the opening quote, or after the `}` that
   * closes a hole) up to the closing quote, the next `${`, or the end of the line.
   */
  private scanStringBody(start: number, continuation: boolean): void {
    const text = this.text;
    let position = this.position;
    while (position < this.length) {
      const code = text.charCodeAt(position);
      if (code === 39) {
        this.position = position + 1;
        this.push(continuation ? TokenKind.StringRightPiece : TokenKind.StringComplete, start, position + 1);
        return;
      }
      if (code === 92 /* \ */) {
        const escaped = text.charCodeAt(position + 1);
        if (escaped === 110 || escaped === 114 || escaped === 116 || escaped === 92 || escaped === 39 || escaped === 36) {
          position += 2;
        } else if (escaped === 117 /* u */ && text.charCodeAt(position + 2) === 123) {
          let end = position + 3;
          while (end < this.length && isHexDigit(text.charCodeAt(end))) end++;
          const digits = end - position - 3;
          const valid = digits > 0 && text.charCodeAt(end) === 125 && parseInt(text.slice(position + 3, end), 16) <= 0x10ffff;
          if (valid) position = end + 1;
          else {
            this.report(messages.invalidEscape, position, Math.min(end, position + 2));
            position += 2;
          }
        } else if (escaped === 10 || escaped === 13 || position + 1 >= this.length) {
          position++;
        } else {
          this.report(messages.invalidEscape, position, position + 2);
          position += 2;
        }
        continue;
      }
      if (code === 36 /* $ */ && text.charCodeAt(position + 1) === 123) {
        this.position = position + 2;
        const token = this.push(continuation ? TokenKind.StringMiddlePiece : TokenKind.StringLeftPiece, start, position + 2);
        this.holeBraceDepths.push(0);
        this.holeStringTokens.push(token);
        this.holeStringStarts.push(start);
        return;
      }
      if (code === 10 || code === 13) {
        this.position = position;
        this.push(continuation ? TokenKind.StringRightPiece : TokenKind.StringComplete, start, position, unterminatedFlag);
        this.report(messages.unterminatedStringAtNewLine, start, position);
        return;
      }
      position++;
    }
    this.position = this.length;
    this.push(continuation ? TokenKind.StringRightPiece : TokenKind.StringComplete, start, this.length, unterminatedFlag);
    this.report(messages.unterminatedStringAtEnd, start, this.length);
  }

  /** A `'''` string starting at `start`; `quote` is where its quotes are (after any `$` prefix). */
  private scanMultilineString(start: number, quote: number): void {
    const text = this.text;
    const flag = quote > start ? interpolatedFlag : 0;
    let position = quote + 3;
    while (position < this.length) {
      if (text.charCodeAt(position) === 39 && text.charCodeAt(position + 1) === 39 && text.charCodeAt(position + 2) === 39) {
        // A run of more than three quotes ends with the last three: the others belong to the text.
        let end = position + 3;
        while (end < this.length && text.charCodeAt(end) === 39) end++;
        this.position = end;
        this.push(TokenKind.MultilineString, start, end, flag);
        return;
      }
      position++;
    }
    this.position = this.length;
    this.push(TokenKind.MultilineString, start, this.length, unterminatedFlag | flag);
    this.report(messages.unterminatedMultilineString, start, quote + 3);
  }

  /** Closes every open interpolation hole: the strings that opened them are unterminated. */
  private abandonHoles(at: number): void {
    if (this.holeBraceDepths.length === 0) return;
    const outermost = this.holeStringStarts[0];
    for (const token of this.holeStringTokens) this.flags[token] |= unterminatedFlag;
    this.holeBraceDepths.length = 0;
    this.holeStringTokens.length = 0;
    this.holeStringStarts.length = 0;
    this.report(at >= this.length ? messages.unterminatedStringAtEnd : messages.unterminatedStringAtNewLine, outermost, at);
  }
}

/**
 * The value of the text between `start` and `end` (quotes and hole delimiters excluded) with its
 * escapes decoded. Invalid escapes keep their character, as the tokenizer has reported them.
 */
export function decodeStringText(text: string, start: number, end: number): string {
  let position = start;
  while (position < end && text.charCodeAt(position) !== 92) position++;
  if (position === end) return text.slice(start, end);
  const parts: string[] = [text.slice(start, position)];
  while (position < end) {
    const code = text.charCodeAt(position);
    if (code !== 92) {
      const runStart = position;
      while (position < end && text.charCodeAt(position) !== 92) position++;
      parts.push(text.slice(runStart, position));
      continue;
    }
    const escaped = text.charCodeAt(position + 1);
    switch (escaped) {
      case 110:
        parts.push('\n');
        break;
      case 114:
        parts.push('\r');
        break;
      case 116:
        parts.push('\t');
        break;
      case 117: {
        let close = position + 3;
        while (close < end && isHexDigit(text.charCodeAt(close))) close++;
        const codePoint = parseInt(text.slice(position + 3, close), 16);
        if (text.charCodeAt(position + 2) === 123 && text.charCodeAt(close) === 125 && codePoint <= 0x10ffff) {
          parts.push(String.fromCodePoint(codePoint));
          position = close + 1;
          continue;
        }
        parts.push('u');
        break;
      }
      default:
        if (position + 1 < end) parts.push(text[position + 1]);
    }
    position += 2;
  }
  return parts.join('');
}
