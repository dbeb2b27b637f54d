/**
 * The ARM template expression language: a string that starts with `[` and ends with `]` is an
 * expression such as `[variables('images')[parameters('os')].sku]`; one that starts with `[[` is
 * a literal whose first bracket is an escape. This file tokenizes and parses the expression into a
 * small syntax tree for the evaluator. Like every reader it never throws: text it cannot parse
 * gives undefined, which the evaluator treats as an unknown value.
 */

export type ArmExpression =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'call'; name: string; args: ArmExpression[] }
  | { kind: 'member'; object: ArmExpression; name: string }
  | { kind: 'index'; object: ArmExpression; index: ArmExpression };

/** True when a JSON string is an expression rather than a literal. */
export function isArmExpression(text: string): boolean {
  return text.length >= 2 && text.charCodeAt(0) === 91 && text.charCodeAt(1) !== 91 && text.endsWith(']');
}

/** The literal text of a JSON string that is not an expression: `[[x]` stands for `[x]`. */
export function literalTextOf(text: string): string {
  return text.startsWith('[[') ? text.slice(1) : text;
}

const parsedExpressions = new Map<string, ArmExpression | null>();
const maximumCachedExpressions = 20_000;

/**
 * Parses the text of an expression string (with its outer brackets). Returns undefined for text
 * that is not a well-formed expression. Results are cached because templates repeat the same
 * expressions many times.
 */
export function parseArmExpression(text: string): ArmExpression | undefined {
  const cached = parsedExpressions.get(text);
  if (cached !== undefined) return cached ?? undefined;
  let result: ArmExpression | undefined;
  try {
    const parser = new ExpressionParser(text.slice(1, -1));
    result = parser.parseWhole();
  } catch {
    result = undefined;
  }
  if (parsedExpressions.size >= maximumCachedExpressions) parsedExpressions.clear();
  parsedExpressions.set(text, result ?? null);
  return result;
}

type Token =
  | { kind: 'identifier'; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'punctuation'; text: '(' | ')' | '[' | ']' | '.' | ',' | '?' }
  | { kind: 'end' };

class ExpressionSyntaxError extends Error {}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < source.length) {
    const character = source[position];
    if (/\s/.test(character)) {
      position++;
    } else if (character === "'") {
      // A quote inside a string literal is written twice.
      let value = '';
      position++;
      for (;;) {
        if (position >= source.length) throw new ExpressionSyntaxError('Unterminated string');
        if (source[position] === "'") {
          if (source[position + 1] === "'") {
            value += "'";
            position += 2;
            continue;
          }
          position++;
          break;
        }
        value += source[position++];
      }
      tokens.push({ kind: 'string', value });
    } else if (/[0-9]/.test(character) || (character === '-' && /[0-9]/.test(source[position + 1] ?? ''))) {
      const match = /^-?[0-9]+(\.[0-9]+)?/.exec(source.slice(position));
      const text = match ? match[0] : character;
      tokens.push({ kind: 'number', value: Number(text) });
      position += text.length;
    } else if (/[A-Za-z_$]/.test(character)) {
      const match = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(source.slice(position));
      const text = match ? match[0] : character;
      tokens.push({ kind: 'identifier', text });
      position += text.length;
    } else if ('()[].,?'.includes(character)) {
      tokens.push({ kind: 'punctuation', text: character as '(' });
      position++;
    } else {
      throw new ExpressionSyntaxError(`Unexpected character '${character}'`);
    }
  }
  tokens.push({ kind: 'end' });
  return tokens;
}

class ExpressionParser {
  private readonly tokens: Token[];
  private index = 0;
  private depth = 0;

  constructor(source: string) {
    this.tokens = tokenize(source);
  }

  parseWhole(): ArmExpression {
    const expression = this.parseExpression();
    if (this.peek().kind !== 'end') throw new ExpressionSyntaxError('Unexpected content after the expression');
    return expression;
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private isPunctuation(text: string): boolean {
    const token = this.peek();
    return token.kind === 'punctuation' && token.text === text;
  }

  private expectPunctuation(text: string): void {
    if (!this.isPunctuation(text)) throw new ExpressionSyntaxError(`Expected '${text}'`);
    this.index++;
  }

  private parseExpression(): ArmExpression {
    if (++this.depth > 200) throw new ExpressionSyntaxError('Expression nested too deeply');
    let expression = this.parsePrimary();
    for (;;) {
      // `?` before `.` or `[` is the safe dereference that newer templates use; for a static
      // reading it is the same as plain access.
      if (this.isPunctuation('?')) {
        this.index++;
        continue;
      }
      if (this.isPunctuation('.')) {
        this.index++;
        const name = this.peek();
        if (name.kind !== 'identifier') throw new ExpressionSyntaxError('Expected a property name');
        this.index++;
        expression = { kind: 'member', object: expression, name: name.text };
      } else if (this.isPunctuation('[')) {
        this.index++;
        const index = this.parseExpression();
        this.expectPunctuation(']');
        expression = { kind: 'index', object: expression, index };
      } else {
        break;
      }
    }
    this.depth--;
    return expression;
  }

  private parsePrimary(): ArmExpression {
    const token = this.peek();
    this.index++;
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.value };
      case 'number':
        return { kind: 'number', value: token.value };
      case 'identifier': {
        // A user-defined function is called as `namespace.name(...)`.
        let name = token.text;
        while (this.isPunctuation('.') && this.tokens[this.index + 1]?.kind === 'identifier' && this.isCallAfterName()) {
          name += '.' + (this.tokens[this.index + 1] as { text: string }).text;
          this.index += 2;
        }
        if (this.isPunctuation('(')) {
          this.index++;
          const args: ArmExpression[] = [];
          if (!this.isPunctuation(')')) {
            for (;;) {
              args.push(this.parseExpression());
              if (this.isPunctuation(',')) {
                this.index++;
                continue;
              }
              break;
            }
          }
          this.expectPunctuation(')');
          return { kind: 'call', name, args };
        }
        const lower = name.toLowerCase();
        if (lower === 'true' || lower === 'false') return { kind: 'boolean', value: lower === 'true' };
        if (lower === 'null') return { kind: 'null' };
        throw new ExpressionSyntaxError(`Unexpected name '${name}'`);
      }
      default:
        throw new ExpressionSyntaxError('Expected a value');
    }
  }

  /** True when `.name(` follows, so the dot belongs to a namespaced function name. */
  private isCallAfterName(): boolean {
    const afterName = this.tokens[this.index + 2];
    return afterName?.kind === 'punctuation' && afterName.text === '(';
  }
}
