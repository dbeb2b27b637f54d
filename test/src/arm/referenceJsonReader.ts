/**
 * The position-keeping JSON reader as it was before the lazy two-pass reader replaced it: one
 * recursive descent that builds every node. Kept only as the reference the lazy reader is tested
 * against (same trees, same errors), never used by the product.
 */
import type {
  JsonArrayNode,
  JsonDocument,
  JsonLiteralNode,
  JsonNode,
  JsonNumberNode,
  JsonObjectNode,
  JsonPropertyNode,
  JsonStringNode,
} from '../../../server/out/core/arm/jsonDocument';
import type { OffsetRange } from '../../../server/out/core/model';

/** Reads a whole document. Never throws; a syntax error leaves `root` undefined. */
export function parseJsonDocumentReference(text: string): JsonDocument {
  const reader = new TolerantJsonReader(text);
  try {
    reader.skipTrivia();
    const root = reader.readValue();
    reader.skipTrivia();
    if (reader.position < text.length) reader.fail('Unexpected content after the end of the JSON value');
    return { root };
  } catch (error) {
    if (error instanceof JsonReadFailure) return { error: { message: error.message, range: error.range } };
    // A stack overflow on absurdly deep nesting is the only other way to get here.
    return { error: { message: 'The JSON is nested too deeply to read', range: { start: 0, end: 0 } } };
  }
}

class JsonReadFailure extends Error {
  constructor(
    message: string,
    readonly range: OffsetRange,
  ) {
    super(message);
  }
}

const enum Char {
  Tab = 9,
  LineFeed = 10,
  CarriageReturn = 13,
  Space = 32,
  Quote = 34,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Digit0 = 48,
  Digit9 = 57,
  Colon = 58,
  OpenBracket = 91,
  Backslash = 92,
  CloseBracket = 93,
  LowerE = 101,
  UpperE = 69,
  OpenBrace = 123,
  CloseBrace = 125,
  Star = 42,
  ByteOrderMark = 0xfeff,
  NoBreakSpace = 0xa0,
}

class TolerantJsonReader {
  position = 0;

  constructor(private readonly text: string) {
    if (text.charCodeAt(0) === Char.ByteOrderMark) this.position = 1;
  }

  fail(message: string, start = this.position, end = Math.min(start + 1, this.text.length)): never {
    throw new JsonReadFailure(message, { start, end });
  }

  skipTrivia(): void {
    const text = this.text;
    const length = text.length;
    let position = this.position;
    while (position < length) {
      const code = text.charCodeAt(position);
      if (code === Char.Space || code === Char.LineFeed || code === Char.CarriageReturn || code === Char.Tab) {
        position++;
      } else if (code === Char.Slash) {
        const next = text.charCodeAt(position + 1);
        if (next === Char.Slash) {
          position += 2;
          while (position < length) {
            const commentCode = text.charCodeAt(position);
            if (commentCode === Char.LineFeed || commentCode === Char.CarriageReturn) break;
            position++;
          }
        } else if (next === Char.Star) {
          const close = text.indexOf('*/', position + 2);
          if (close < 0) {
            this.position = position;
            this.fail('Unterminated block comment', position, position + 2);
          }
          position = close + 2;
        } else {
          break;
        }
      } else if (code === Char.NoBreakSpace || code === Char.ByteOrderMark || code === 0x2028 || code === 0x2029) {
        position++;
      } else {
        break;
      }
    }
    this.position = position;
  }

  readValue(): JsonNode {
    const code = this.text.charCodeAt(this.position);
    switch (code) {
      case Char.OpenBrace:
        return this.readObject();
      case Char.OpenBracket:
        return this.readArray();
      case Char.Quote:
        return this.readString();
      default:
        if ((code >= Char.Digit0 && code <= Char.Digit9) || code === Char.Minus || code === Char.Plus || code === Char.Dot) {
          return this.readNumber();
        }
        return this.readKeyword();
    }
  }

  private readObject(): JsonObjectNode {
    const text = this.text;
    const start = this.position;
    this.position++;
    const properties: JsonPropertyNode[] = [];
    for (;;) {
      this.skipTrivia();
      const code = text.charCodeAt(this.position);
      if (code === Char.CloseBrace) {
        this.position++;
        return { type: 'object', start, end: this.position, properties };
      }
      if (code !== Char.Quote) {
        if (this.position >= text.length) this.fail('Expected "}" before the end of the text', start, start + 1);
        this.fail('Expected a property name in double quotes or "}"');
      }
      const name = this.readString();
      this.skipTrivia();
      if (text.charCodeAt(this.position) !== Char.Colon) this.fail('Expected ":" after the property name');
      this.position++;
      this.skipTrivia();
      if (this.position >= text.length) this.fail('Expected a value before the end of the text', start, start + 1);
      const value = this.readValue();
      properties.push({ name: name.value, nameStart: name.start, nameEnd: name.end, value });
      this.skipTrivia();
      const separator = text.charCodeAt(this.position);
      if (separator === Char.Comma) {
        this.position++;
      } else if (separator !== Char.CloseBrace) {
        if (this.position >= text.length) this.fail('Expected "}" before the end of the text', start, start + 1);
        this.fail('Expected "," or "}" after a property value');
      }
    }
  }

  private readArray(): JsonArrayNode {
    const text = this.text;
    const start = this.position;
    this.position++;
    const items: JsonNode[] = [];
    for (;;) {
      this.skipTrivia();
      const code = text.charCodeAt(this.position);
      if (code === Char.CloseBracket) {
        this.position++;
        return { type: 'array', start, end: this.position, items };
      }
      if (this.position >= text.length) this.fail('Expected "]" before the end of the text', start, start + 1);
      items.push(this.readValue());
      this.skipTrivia();
      const separator = text.charCodeAt(this.position);
      if (separator === Char.Comma) {
        this.position++;
      } else if (separator !== Char.CloseBracket) {
        if (this.position >= text.length) this.fail('Expected "]" before the end of the text', start, start + 1);
        this.fail('Expected "," or "]" after an array item');
      }
    }
  }

  /** Reads a string; raw line breaks inside it are kept as they are rather than rejected. */
  private readString(): JsonStringNode {
    const text = this.text;
    const start = this.position;
    let position = start + 1;
    // The common case has no escapes: find the closing quote and slice. (Searching with indexOf for
    // a backslash would scan far past the string and make the read quadratic.)
    for (; position < text.length; position++) {
      const code = text.charCodeAt(position);
      if (code === Char.Quote) {
        this.position = position + 1;
        return { type: 'string', start, end: position + 1, value: text.slice(start + 1, position) };
      }
      if (code === Char.Backslash) break;
    }
    let value = '';
    let chunkStart = start + 1;
    for (;;) {
      if (position >= text.length) this.fail('Unterminated string', start, text.length);
      const code = text.charCodeAt(position);
      if (code === Char.Quote) break;
      if (code !== Char.Backslash) {
        position++;
        continue;
      }
      value += text.slice(chunkStart, position);
      const escaped = text.charAt(position + 1);
      position += 2;
      switch (escaped) {
        case '"':
        case '\\':
        case '/':
          value += escaped;
          break;
        case 'b':
          value += '\b';
          break;
        case 'f':
          value += '\f';
          break;
        case 'n':
          value += '\n';
          break;
        case 'r':
          value += '\r';
          break;
        case 't':
          value += '\t';
          break;
        case 'u': {
          const hex = text.slice(position, position + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Invalid unicode escape in a string', position - 2, position + 4);
          value += String.fromCharCode(parseInt(hex, 16));
          position += 4;
          break;
        }
        default:
          this.fail('Invalid escape in a string', position - 2, Math.min(position, text.length));
      }
      chunkStart = position;
    }
    value += text.slice(chunkStart, position);
    this.position = position + 1;
    return { type: 'string', start, end: position + 1, value };
  }

  private readNumber(): JsonNumberNode {
    const text = this.text;
    const start = this.position;
    let position = start;
    for (; position < text.length; position++) {
      const code = text.charCodeAt(position);
      const isNumberCharacter =
        (code >= Char.Digit0 && code <= Char.Digit9) ||
        code === Char.Minus ||
        code === Char.Plus ||
        code === Char.Dot ||
        code === Char.LowerE ||
        code === Char.UpperE;
      if (!isNumberCharacter) break;
    }
    const value = Number(text.slice(start, position));
    if (Number.isNaN(value)) this.fail('Invalid number', start, position);
    this.position = position;
    return { type: 'number', start, end: position, value };
  }

  private readKeyword(): JsonLiteralNode {
    const text = this.text;
    const start = this.position;
    if (text.startsWith('true', start)) {
      this.position += 4;
      return { type: 'boolean', start, end: this.position, value: true };
    }
    if (text.startsWith('false', start)) {
      this.position += 5;
      return { type: 'boolean', start, end: this.position, value: false };
    }
    if (text.startsWith('null', start)) {
      this.position += 4;
      return { type: 'null', start, end: this.position, value: null };
    }
    if (start >= text.length) this.fail('Expected a value before the end of the text', Math.max(0, start - 1), start);
    return this.fail('Expected a value');
  }
}
