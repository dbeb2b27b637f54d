/**
 * A tolerant JSON reader that keeps positions. ARM templates arrive as people write them: with a
 * byte order mark, `//` and `/* *\/` comments, trailing commas, CRLF line ends and even raw line
 * breaks inside strings, which jsonc-parser's tree builder does not survive. This reader accepts
 * all of those and returns a small tree of nodes with UTF-16 offsets into the text exactly as
 * given (a leading byte order mark counts as one character at offset 0 and is skipped, so offsets
 * stay valid for the host's string). It never throws: the first syntax error ends the read and is
 * returned as a problem.
 *
 * The read is lazy, because the analysis looks at a small part of a big template (parameters,
 * variables, each resource's type and its image path). A first pass checks the whole syntax in
 * one loop over the characters and records, for every object and array, where it starts and ends
 * (a "tape" of three integer arrays, no object per token). Nodes are then built one level at a
 * time when the evaluator first asks for an object's properties or an array's items, jumping over
 * nested containers with the tape, so a subtree nobody looks at costs only its share of the scan.
 */
import { ContainerRead, type ContainerTrace, type OffsetRange } from '../model';
import { equalsLowerCase } from '../text';
import { shiftBetween, TextMover, type TextShift } from '../textShift';

export type JsonNode = JsonObjectNode | JsonArrayNode | JsonStringNode | JsonNumberNode | JsonLiteralNode;

export interface JsonObjectNode {
  type: 'object';
  start: number;
  end: number;
  properties: JsonPropertyNode[];
}

export interface JsonPropertyNode {
  name: string;
  /** The property name token including its quotes. */
  nameStart: number;
  nameEnd: number;
  value: JsonNode;
}

export interface JsonArrayNode {
  type: 'array';
  start: number;
  end: number;
  items: JsonNode[];
}

export interface JsonStringNode {
  type: 'string';
  /** `start` and `end` include the quotes. */
  start: number;
  end: number;
  value: string;
}

export interface JsonNumberNode {
  type: 'number';
  start: number;
  end: number;
  value: number;
}

export interface JsonLiteralNode {
  type: 'boolean' | 'null';
  start: number;
  end: number;
  value: boolean | null;
}

export interface JsonSyntaxError {
  message: string;
  range: OffsetRange;
}

export interface JsonDocument {
  /** Undefined when the text is not valid (tolerant) JSON. */
  root?: JsonNode;
  error?: JsonSyntaxError;
  /** The text's objects and arrays, and which of them a reader has looked into so far. */
  trace?: ContainerTrace;
  /** Where the root value starts. */
  rootStart?: number;
  /** Set when the containers were taken from a previous parse instead of scanned: what changed. */
  shift?: TextShift;
  /** The object or array that starts at `start`, if one does. */
  containerAt?(start: number): JsonNode | undefined;
}

/** Documents nested deeper than this are refused rather than read. */
const maximumNestingDepth = 4096;

/**
 * Where the objects and arrays of a text that was read without error are: kept by a caller that
 * reads the same document again (`imageReadMemo.ts`), so that a read after typing inside a string
 * need not scan the whole text. Its arrays are its own: nobody else changes them.
 */
export interface PreviousParse {
  text: string;
  rootStart: number;
  count: number;
  starts: Int32Array;
  ends: Int32Array;
  next: Int32Array;
}

/**
 * Reads a whole document. Never throws; a syntax error leaves `root` undefined. With the parse
 * of an earlier text of the same document, an edit that only changes characters inside one
 * string (no quote, no backslash) is not scanned again: the containers are where they were, moved
 * by the edit's length, and the text is as valid as it was.
 */
export function parseJsonDocument(text: string, previous?: PreviousParse): JsonDocument {
  const reused = previous && boundariesAfterChangeInString(previous, text);
  if (reused) {
    const { shift, ...boundaries } = reused;
    const trace: ContainerTrace = { ...boundaries, reads: new Uint8Array(reused.count) };
    const tape = new NodeTape(text, trace);
    const root = tape.valueAt(previous.rootStart, 0);
    return { root, trace, rootStart: previous.rootStart, shift, containerAt: (start) => tape.containerAt(start) };
  }
  const scanner = new SyntaxScanner(text);
  let rootStart: number;
  try {
    rootStart = scanner.scanDocument();
  } catch (error) {
    if (error instanceof JsonReadFailure) return { error: { message: error.message, range: error.range } };
    throw error;
  }
  const trace: ContainerTrace = {
    count: scanner.count,
    starts: scanner.starts,
    ends: scanner.ends,
    next: scanner.next,
    reads: new Uint8Array(scanner.count),
  };
  const tape = new NodeTape(text, trace);
  return { root: tape.valueAt(rootStart, 0), trace, rootStart, containerAt: (start) => tape.containerAt(start) };
}

/** What a later read of the same document needs from this one (copies, so that the trace may change). */
export function previousParseOf(text: string, document: JsonDocument): PreviousParse | undefined {
  const { trace, rootStart } = document;
  if (!trace || rootStart === undefined || !document.root) return undefined;
  return {
    text,
    rootStart,
    count: trace.count,
    starts: trace.starts.slice(0, trace.count),
    ends: trace.ends.slice(0, trace.count),
    next: trace.next.slice(0, trace.count),
  };
}

/** The longest stretch of changed text that is checked as a change inside a string. */
const maximumChangeInString = 1024;

/**
 * The container boundaries of `text` when it is `previous.text` with characters changed inside
 * one string only; undefined when that is not so (or cannot be told cheaply).
 */
function boundariesAfterChangeInString(
  previous: PreviousParse,
  text: string,
): (Pick<ContainerTrace, 'count' | 'starts' | 'ends' | 'next'> & { shift: TextShift }) | undefined {
  const old = previous.text;
  const shift = shiftBetween(old, text);
  const { start: prefix, oldEnd } = shift;
  const newEnd = oldEnd + shift.delta;
  const { count, starts, ends, next } = previous;
  if (oldEnd - prefix > maximumChangeInString || newEnd - prefix > maximumChangeInString || count === 0) return undefined;
  // Neither side may hold a quote or a backslash, nor follow a backslash closely (an escape).
  const removed = old.slice(prefix, oldEnd);
  const added = text.slice(prefix, newEnd);
  if (removed.includes('"') || added.includes('"') || added.includes('\\')) return undefined;
  if (old.slice(Math.max(0, prefix - 6), oldEnd).includes('\\')) return undefined;
  if (prefix === oldEnd && prefix === newEnd)
    return { count, starts: starts.slice(), ends: ends.slice(), next: next.slice(), shift };
  // The innermost container holding the change, then the token of its own that holds it.
  if (!(starts[0] < prefix && oldEnd < ends[0])) return undefined;
  let container = 0;
  for (;;) {
    const inner = childHolding(previous, container, prefix, oldEnd);
    if (inner === undefined) return undefined;
    if (inner < 0) break;
    container = inner;
  }
  if (!insideOwnString(old, previous, container, prefix, oldEnd)) return undefined;
  const shiftedStarts = starts.slice();
  const shiftedEnds = ends.slice();
  TextMover.across([shift]).moveBoundaries(shiftedStarts, shiftedEnds, count);
  return { count, starts: shiftedStarts, ends: shiftedEnds, next: next.slice(), shift };
}

/**
 * The child of `container` whose brackets hold `start`-`end` (strictly inside them); -1 when no
 * child overlaps that stretch, undefined when one overlaps it without holding it.
 */
export function childHolding(
  containers: Pick<ContainerTrace, 'starts' | 'ends' | 'next'>,
  container: number,
  start: number,
  end: number,
): number | undefined {
  const { starts, ends, next } = containers;
  for (let child = container + 1; child < next[container]; child = next[child]) {
    if (starts[child] >= end) return -1;
    if (ends[child] <= start) continue;
    return starts[child] < start && end < ends[child] ? child : undefined;
  }
  return -1;
}

/** True when `start`-`end` lies inside one string (between its quotes) written directly in `container`. */
function insideOwnString(text: string, parse: PreviousParse, container: number, start: number, end: number): boolean {
  const close = parse.ends[container] - 1;
  let child = container + 1;
  let position = parse.starts[container] + 1;
  while (position < close) {
    const tokenStart = skipTrivia(text, position);
    if (tokenStart >= start) return false;
    const code = text.charCodeAt(tokenStart);
    let tokenEnd: number;
    if (code === Char.OpenBrace || code === Char.OpenBracket) {
      tokenEnd = parse.ends[child];
      child = parse.next[child];
    } else if (code === Char.Quote) {
      tokenEnd = stringEnd(text, tokenStart);
      if (tokenEnd > start) return end < tokenEnd;
    } else if (code === Char.Comma || code === Char.Colon) tokenEnd = tokenStart + 1;
    else if (isNumberStart(code)) tokenEnd = numberEnd(text, tokenStart);
    else tokenEnd = tokenStart + (code === 102 /* f */ ? 5 : 4);
    if (tokenEnd > start || tokenEnd <= tokenStart) return false;
    position = tokenEnd;
  }
  return false;
}

/**
 * Where the JSON value starting at `start` ends, or undefined when the text from there is not one
 * valid value, or nests deeper than the reader accepts once the `enclosing` containers around it
 * are counted. Checks a changed container without reading the rest of the text.
 */
export function scanValueEnd(text: string, start: number, enclosing: number): number | undefined {
  const scanner = new SyntaxScanner(text, maximumNestingDepth - enclosing);
  try {
    return scanner.scanValue(start);
  } catch (error) {
    if (error instanceof JsonReadFailure) return undefined;
    throw error;
  }
}

/**
 * True when `start`-`end` lies in the white space between two entries (or their separators) of
 * container `index`, with no comment in that stretch: white space changed there moves the
 * entries but cannot change one of them.
 */
export function isBetweenEntries(text: string, trace: ContainerTrace, index: number, start: number, end: number): boolean {
  const close = trace.ends[index] - 1;
  let child = index + 1;
  let position = trace.starts[index] + 1;
  while (position <= close) {
    let tokenStart: number;
    try {
      tokenStart = skipTrivia(text, position);
    } catch {
      return false;
    }
    if (start >= position && end <= tokenStart) return !text.slice(position, tokenStart).includes('/');
    if (start < tokenStart || tokenStart >= close) return false;
    const code = text.charCodeAt(tokenStart);
    let tokenEnd: number;
    if (code === Char.OpenBrace || code === Char.OpenBracket) {
      tokenEnd = trace.ends[child];
      child = trace.next[child];
    } else if (code === Char.Quote) tokenEnd = stringEnd(text, tokenStart);
    else if (code === Char.Comma || code === Char.Colon) tokenEnd = tokenStart + 1;
    else if (isNumberStart(code)) tokenEnd = numberEnd(text, tokenStart);
    else tokenEnd = tokenStart + (code === 102 /* f */ ? 5 : 4);
    if (start < tokenEnd) return false;
    position = tokenEnd;
  }
  return false;
}

/** Where the string starting at `start` (its opening quote) ends, after its closing quote. */
function stringEnd(text: string, start: number): number {
  let position = start + 1;
  while (position < text.length) {
    const code = text.charCodeAt(position);
    if (code === Char.Quote) return position + 1;
    position += code === Char.Backslash ? 2 : 1;
  }
  return text.length;
}

/**
 * Records that a reader depends on the whole text of `node` (for instance as a cache key), not
 * only on the entries it reads: any change inside it may change the result.
 */
export function markWholeTextRead(node: JsonNode): void {
  if (node instanceof LazyObjectNode || node instanceof LazyArrayNode) node.markWholeTextRead();
}

/** Finds a property by name, ignoring case as Azure Resource Manager does. */
export function findProperty(object: JsonObjectNode, name: string): JsonNode | undefined {
  const properties = object.properties;
  for (const property of properties) {
    if (property.name === name) return property.value;
  }
  const lower = name.toLowerCase();
  for (const property of properties) {
    if (equalsLowerCase(property.name, lower)) return property.value;
  }
  return undefined;
}

/** The value of a string property, if the property exists and is a string. */
export function findStringProperty(object: JsonObjectNode, name: string): string | undefined {
  const value = findProperty(object, name);
  return value?.type === 'string' ? value.value : undefined;
}

/** Turns a node into the plain value JSON.parse would give (used for small, position-free data). */
export function toPlainJson(node: JsonNode): unknown {
  switch (node.type) {
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const property of node.properties) result[property.name] = toPlainJson(property.value);
      return result;
    }
    case 'array':
      return node.items.map(toPlainJson);
    default:
      return node.value;
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
  LineSeparator = 0x2028,
  ParagraphSeparator = 0x2029,
}

/** Skips white space and comments from `position`; returns where the next token starts. */
function skipTrivia(text: string, position: number): number {
  const length = text.length;
  while (position < length) {
    const code = text.charCodeAt(position);
    // Most calls start at a token, and most trivia is indentation: both decided in one test.
    if (code <= Char.Space) {
      if (code === Char.Space || code === Char.LineFeed || code === Char.CarriageReturn || code === Char.Tab) {
        position++;
        continue;
      }
      break;
    }
    if (code === Char.Slash) {
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
        if (close < 0) throw new JsonReadFailure('Unterminated block comment', { start: position, end: position + 2 });
        position = close + 2;
      } else {
        break;
      }
    } else if (
      code === Char.NoBreakSpace ||
      code === Char.ByteOrderMark ||
      code === Char.LineSeparator ||
      code === Char.ParagraphSeparator
    ) {
      position++;
    } else {
      break;
    }
  }
  return position;
}

function isNumberStart(code: number): boolean {
  return (code >= Char.Digit0 && code <= Char.Digit9) || code === Char.Minus || code === Char.Plus || code === Char.Dot;
}

function numberEnd(text: string, position: number): number {
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
  return position;
}

const hexDigits = /^[0-9a-fA-F]{4}$/;

/**
 * The first pass: checks the syntax of the whole text without building anything, and records
 * each object and array in document order (where it starts, where it ends, and the index of the
 * first container after it, so that a reader of its children can hop from one child container to
 * the next). It keeps an explicit stack rather than recursing, so deep nesting cannot overflow.
 */
class SyntaxScanner {
  starts: Int32Array = new Int32Array(1024);
  ends: Int32Array = new Int32Array(1024);
  next: Int32Array = new Int32Array(1024);
  count = 0;

  constructor(
    private readonly text: string,
    private readonly maximumDepth = maximumNestingDepth,
  ) {}

  private fail(message: string, start: number, end = Math.min(start + 1, this.text.length)): never {
    throw new JsonReadFailure(message, { start, end });
  }

  /** Returns where the root value starts. */
  scanDocument(): number {
    const text = this.text;
    const rootStart = skipTrivia(text, text.charCodeAt(0) === Char.ByteOrderMark ? 1 : 0);
    const end = this.scanValue(rootStart);
    const after = skipTrivia(text, end);
    if (after < text.length) this.fail('Unexpected content after the end of the JSON value', after);
    return rootStart;
  }

  /** Checks the value starting at `position`; returns where it ends. */
  scanValue(position: number): number {
    const text = this.text;
    const length = text.length;
    // Containers open at this moment: their tape index and, for the errors, where they start.
    const open: number[] = [];
    const openIsObject: boolean[] = [];
    // Whether a value is expected next (after '[', ',' or ':'), as opposed to a separator.
    let expectValue = true;
    for (;;) {
      if (expectValue) {
        const code = text.charCodeAt(position);
        if (code === Char.OpenBrace || code === Char.OpenBracket) {
          if (open.length >= this.maximumDepth) this.fail('The JSON is nested too deeply to read', 0, 0);
          const index = this.openContainer(position);
          open.push(index);
          const isObject = code === Char.OpenBrace;
          openIsObject.push(isObject);
          position = skipTrivia(text, position + 1);
          const first = text.charCodeAt(position);
          if (isObject) {
            if (first === Char.CloseBrace) {
              position = this.closeContainer(open, openIsObject, position);
              expectValue = false;
              continue;
            }
            position = this.scanPropertyName(position, this.starts[index]);
            continue;
          }
          if (first === Char.CloseBracket) {
            position = this.closeContainer(open, openIsObject, position);
            expectValue = false;
            continue;
          }
          if (position >= length) this.fail('Expected "]" before the end of the text', this.starts[index]);
          continue;
        }
        if (code === Char.Quote) position = this.scanString(position);
        else if (isNumberStart(code)) {
          const end = numberEnd(text, position);
          if (Number.isNaN(Number(text.slice(position, end)))) this.fail('Invalid number', position, end);
          position = end;
        } else if (text.startsWith('true', position) || text.startsWith('null', position)) position += 4;
        else if (text.startsWith('false', position)) position += 5;
        else if (position >= length)
          this.fail('Expected a value before the end of the text', Math.max(0, position - 1), position);
        else this.fail('Expected a value', position);
        expectValue = false;
        continue;
      }
      // After a value: a separator, the end of the enclosing container, or the end of the value.
      if (open.length === 0) return position;
      position = skipTrivia(text, position);
      const depth = open.length - 1;
      const isObject = openIsObject[depth];
      const containerStart = this.starts[open[depth]];
      const separator = text.charCodeAt(position);
      if (separator === Char.Comma) {
        position = skipTrivia(text, position + 1);
        const code = text.charCodeAt(position);
        if (isObject) {
          if (code === Char.CloseBrace) {
            position = this.closeContainer(open, openIsObject, position);
            continue;
          }
          position = this.scanPropertyName(position, containerStart);
          expectValue = true;
          continue;
        }
        if (code === Char.CloseBracket) {
          position = this.closeContainer(open, openIsObject, position);
          continue;
        }
        if (position >= length) this.fail('Expected "]" before the end of the text', containerStart);
        expectValue = true;
        continue;
      }
      if (separator === (isObject ? Char.CloseBrace : Char.CloseBracket)) {
        position = this.closeContainer(open, openIsObject, position);
        continue;
      }
      if (position >= length)
        this.fail(
          isObject ? 'Expected "}" before the end of the text' : 'Expected "]" before the end of the text',
          containerStart,
        );
      this.fail(isObject ? 'Expected "," or "}" after a property value' : 'Expected "," or "]" after an array item', position);
    }
  }

  /** Reads `"name" :` and the trivia after it; returns where the value starts. */
  private scanPropertyName(position: number, objectStart: number): number {
    const text = this.text;
    if (text.charCodeAt(position) !== Char.Quote) {
      if (position >= text.length) this.fail('Expected "}" before the end of the text', objectStart);
      this.fail('Expected a property name in double quotes or "}"', position);
    }
    position = skipTrivia(text, this.scanString(position));
    if (text.charCodeAt(position) !== Char.Colon) this.fail('Expected ":" after the property name', position);
    position = skipTrivia(text, position + 1);
    if (position >= text.length) this.fail('Expected a value before the end of the text', objectStart);
    return position;
  }

  private openContainer(position: number): number {
    if (this.count === this.starts.length) {
      const grow = (array: Int32Array): Int32Array => {
        const grown = new Int32Array(array.length * 2);
        grown.set(array);
        return grown;
      };
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
      this.next = grow(this.next);
    }
    const index = this.count++;
    this.starts[index] = position;
    return index;
  }

  private closeContainer(open: number[], openIsObject: boolean[], position: number): number {
    const index = open.pop()!;
    openIsObject.pop();
    this.ends[index] = position + 1;
    this.next[index] = this.count;
    return position + 1;
  }

  /**
   * Where the next backslash is at or after the last string scanned (the text's length when there
   * is none): a string that closes before it has no escape, and is checked with one search.
   */
  private nextBackslash = -1;

  /** Checks a string starting at its opening quote; returns the position after its closing quote. */
  private scanString(start: number): number {
    const text = this.text;
    const length = text.length;
    let position = start + 1;
    const close = text.indexOf('"', position);
    if (close >= 0) {
      if (this.nextBackslash < position) {
        const backslash = text.indexOf('\\', position);
        this.nextBackslash = backslash < 0 ? length : backslash;
      }
      if (this.nextBackslash > close) return close + 1;
    }
    for (;;) {
      if (position >= length) this.fail('Unterminated string', start, length);
      const code = text.charCodeAt(position);
      if (code === Char.Quote) return position + 1;
      if (code !== Char.Backslash) {
        position++;
        continue;
      }
      const escaped = text.charCodeAt(position + 1);
      if (escaped === 117 /* u */) {
        if (!hexDigits.test(text.slice(position + 2, position + 6))) {
          this.fail('Invalid unicode escape in a string', position, position + 6);
        }
        position += 6;
      } else if (
        escaped === Char.Quote ||
        escaped === Char.Backslash ||
        escaped === Char.Slash ||
        escaped === 98 /* b */ ||
        escaped === 102 /* f */ ||
        escaped === 110 /* n */ ||
        escaped === 114 /* r */ ||
        escaped === 116 /* t */
      ) {
        position += 2;
      } else {
        this.fail('Invalid escape in a string', position, Math.min(position + 2, length));
      }
    }
  }
}

const escapes: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * Builds nodes over text the scanner has accepted, one container at a time. Nothing here can
 * fail: every token was checked by the scanner.
 */
class NodeTape {
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly next: Int32Array;
  private readonly reads: Uint8Array;

  constructor(
    readonly text: string,
    trace: ContainerTrace,
  ) {
    this.starts = trace.starts;
    this.ends = trace.ends;
    this.next = trace.next;
    this.reads = trace.reads;
  }

  markWholeTextRead(container: number): void {
    this.reads[container] = ContainerRead.WholeText;
  }

  /** The object or array that starts at `start` (containers are in document order). */
  containerAt(start: number): JsonNode | undefined {
    const starts = this.starts;
    let low = 0;
    let high = this.reads.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (starts[middle] < start) low = middle + 1;
      else if (starts[middle] > start) high = middle - 1;
      else return this.valueAt(start, middle);
    }
    return undefined;
  }

  /**
   * Set by `valueAt`: where the value it read ends, and the tape index of the next container.
   * Fields rather than a returned tuple, since a walk over a large template reads every resource's
   * properties and a tuple per value was a good share of what it allocated.
   */
  private valueEnd = 0;
  private valueContainer = 0;

  /**
   * The value starting at `position`; `container` is the tape index the next object or array
   * would have. Sets `valueEnd` and `valueContainer`.
   */
  valueAt(position: number, container: number): JsonNode {
    const text = this.text;
    const code = text.charCodeAt(position);
    if (code === Char.OpenBrace || code === Char.OpenBracket) {
      const end = this.ends[container];
      this.valueEnd = end;
      this.valueContainer = this.next[container];
      return code === Char.OpenBrace
        ? new LazyObjectNode(this, container, position, end)
        : new LazyArrayNode(this, container, position, end);
    }
    this.valueContainer = container;
    let node: JsonNode;
    if (code === Char.Quote) node = this.stringAt(position);
    else if (isNumberStart(code)) {
      const end = numberEnd(text, position);
      node = { type: 'number', start: position, end, value: Number(text.slice(position, end)) };
    } else if (code === 116 /* t */) node = { type: 'boolean', start: position, end: position + 4, value: true };
    else if (code === 102 /* f */) node = { type: 'boolean', start: position, end: position + 5, value: false };
    else node = { type: 'null', start: position, end: position + 4, value: null };
    this.valueEnd = node.end;
    return node;
  }

  private stringAt(start: number): JsonStringNode {
    const value = this.stringValueAt(start);
    return { type: 'string', start, end: this.valueEnd, value };
  }

  /** The value of the string starting at `start` (its opening quote); sets `valueEnd`. */
  private stringValueAt(start: number): string {
    const text = this.text;
    let position = start + 1;
    // The common case has no escapes: find the closing quote and slice.
    for (;;) {
      const code = text.charCodeAt(position);
      if (code === Char.Quote) {
        this.valueEnd = position + 1;
        return text.slice(start + 1, position);
      }
      if (code === Char.Backslash || position >= text.length) break;
      position++;
    }
    let value = '';
    let chunkStart = start + 1;
    for (;;) {
      if (position >= text.length) throw lostPlace(start);
      const code = text.charCodeAt(position);
      if (code === Char.Quote) break;
      if (code !== Char.Backslash) {
        position++;
        continue;
      }
      value += text.slice(chunkStart, position);
      const escaped = text.charAt(position + 1);
      if (escaped === 'u') {
        value += String.fromCharCode(parseInt(text.slice(position + 2, position + 6), 16));
        position += 6;
      } else {
        value += escapes[escaped];
        position += 2;
      }
      chunkStart = position;
    }
    value += text.slice(chunkStart, position);
    this.valueEnd = position + 1;
    return value;
  }

  readProperties(container: number): JsonPropertyNode[] {
    if (this.reads[container] === ContainerRead.Unread) this.reads[container] = ContainerRead.Entries;
    const text = this.text;
    const end = this.ends[container] - 1;
    let child = container + 1;
    let position = skipTrivia(text, this.starts[container] + 1);
    const properties: JsonPropertyNode[] = [];
    while (position < end) {
      const nameStart = position;
      const name = this.stringValueAt(nameStart);
      const nameEnd = this.valueEnd;
      position = skipTrivia(text, skipTrivia(text, nameEnd) + 1);
      const value = this.valueAt(position, child);
      if (this.valueEnd <= position) throw lostPlace(position);
      child = this.valueContainer;
      properties.push({ name, nameStart, nameEnd, value });
      position = skipTrivia(text, this.valueEnd);
      if (text.charCodeAt(position) === Char.Comma) position = skipTrivia(text, position + 1);
    }
    return properties;
  }

  readItems(container: number): JsonNode[] {
    const items: JsonNode[] = [];
    this.visitItems(container, (item) => items.push(item));
    return items;
  }

  /** Reads the items of an array one after the other, holding none of them. */
  visitItems(container: number, visit: (item: JsonNode) => void): void {
    if (this.reads[container] === ContainerRead.Unread) this.reads[container] = ContainerRead.Entries;
    const text = this.text;
    const end = this.ends[container] - 1;
    let child = container + 1;
    let position = skipTrivia(text, this.starts[container] + 1);
    while (position < end) {
      const item = this.valueAt(position, child);
      const itemEnd = this.valueEnd;
      if (itemEnd <= position) throw lostPlace(position);
      child = this.valueContainer;
      visit(item);
      position = skipTrivia(text, itemEnd);
      if (text.charCodeAt(position) === Char.Comma) position = skipTrivia(text, position + 1);
    }
  }
}

/**
 * Visits the items of an array without keeping them in the array's node. A walk over the
 * resources of a large template reads each resource's properties, and an array that kept its
 * items would keep all of them until the walk ends: every node would survive the young
 * generation's collections, which then copy them all, instead of dying with its resource.
 */
export function visitItems(array: JsonArrayNode, visit: (item: JsonNode) => void): void {
  if (array instanceof LazyArrayNode) array.visitItems(visit);
  else for (const item of array.items) visit(item);
}

/**
 * A value that ends where it starts means the containers do not describe the text: a bug, which
 * must fail the read (the reader reports it) rather than loop forever.
 */
function lostPlace(position: number): Error {
  return new Error(`The JSON reader lost its place at offset ${position}`);
}

/** An object whose properties are read from the tape the first time someone asks for them. */
class LazyObjectNode implements JsonObjectNode {
  readonly type = 'object';
  private read: JsonPropertyNode[] | undefined;

  constructor(
    private readonly tape: NodeTape,
    private readonly container: number,
    readonly start: number,
    readonly end: number,
  ) {}

  get properties(): JsonPropertyNode[] {
    return (this.read ??= this.tape.readProperties(this.container));
  }

  markWholeTextRead(): void {
    this.tape.markWholeTextRead(this.container);
  }
}

/** An array whose items are read from the tape the first time someone asks for them. */
class LazyArrayNode implements JsonArrayNode {
  readonly type = 'array';
  private read: JsonNode[] | undefined;

  constructor(
    private readonly tape: NodeTape,
    private readonly container: number,
    readonly start: number,
    readonly end: number,
  ) {}

  get items(): JsonNode[] {
    return (this.read ??= this.tape.readItems(this.container));
  }

  /** The items, read again from the tape (and not kept) unless they were kept already. */
  visitItems(visit: (item: JsonNode) => void): void {
    if (this.read) for (const item of this.read) visit(item);
    else this.tape.visitItems(this.container, visit);
  }

  markWholeTextRead(): void {
    this.tape.markWholeTextRead(this.container);
  }
}
