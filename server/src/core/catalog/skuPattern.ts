/**
 * SKU patterns without backtracking. A catalog's `skuPattern` is written as a regular expression
 * (matched against the whole SKU, case-insensitively), but it comes from files a pull request can
 * change (catalog overlays), and JavaScript's engine backtracks: `[^#]*` twenty times then `#`
 * took 30 seconds on a 14-character SKU. So patterns are never given to `RegExp` for matching.
 * They are parsed here, in a restricted syntax, into a small automaton (Thompson's construction)
 * that is run on all its states at once: each character of the SKU is looked at once per state,
 * so matching takes at most `maximumPatternStates` × `maximumSkuLength` steps, whatever the
 * pattern says.
 *
 * The syntax is the part of JavaScript's regular expressions that SKU families need, with the
 * same meaning: literal characters; `.`; escapes `\d \D \w \W \s \S \t \n \r \f \v` and an
 * escaped punctuation character (`\.`, `\-`); classes `[...]` and `[^...]` with ranges and those
 * escapes; groups `(...)` and `(?:...)`; alternation `|`; quantifiers `* + ? {n} {n,} {n,m}`,
 * lazy or not (a whole-name match does not care). Anything else (anchors, look-around, named
 * groups, back-references, `\b`, `\u` and other letter escapes, a `{` or `}` that is not a
 * quantifier) is refused with the reason, so that a pattern means here what it means to a reader
 * who knows regular expressions.
 */

/** Most automaton states a pattern may compile to (counted repetitions multiply them). */
export const maximumPatternStates = 2_000;
/** Longest pattern compiled at all (the loader refuses more than 200 characters). */
const maximumPatternSourceLength = 1_000;
/** Longest SKU a pattern is matched against; a longer one never matches a pattern. */
export const maximumSkuLength = 200;

export interface SkuMatcher {
  readonly source: string;
  /** Whether the whole of `sku` matches, case-insensitively. */
  test(sku: string): boolean;
}

type CharacterTest = (code: number) => boolean;

type Node =
  | { kind: 'char'; test: CharacterTest }
  | { kind: 'sequence'; items: Node[] }
  | { kind: 'alternation'; options: Node[] }
  | { kind: 'repeat'; item: Node; minimum: number; maximum: number | undefined };

type Instruction =
  | { op: 'char'; test: CharacterTest }
  | { op: 'split'; first: number; second: number }
  | { op: 'jump'; target: number }
  | { op: 'match' };

class PatternError extends Error {}

const lineTerminators = new Set([0x0a, 0x0d, 0x2028, 0x2029]);
const isDigit: CharacterTest = (code) => code >= 0x30 && code <= 0x39;
const isWord: CharacterTest = (code) =>
  isDigit(code) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
// A one-character expression with no quantifier: testing one character cannot backtrack.
const whiteSpace = /^\s$/;
const isSpace: CharacterTest = (code) => whiteSpace.test(String.fromCharCode(code));
const not =
  (test: CharacterTest): CharacterTest =>
  (code) =>
    !test(code);
const controlEscapes: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13 };
const classEscapes: Record<string, CharacterTest> = {
  d: isDigit,
  D: not(isDigit),
  w: isWord,
  W: not(isWord),
  s: isSpace,
  S: not(isSpace),
};

/** Compiles a pattern, or returns why it cannot be used (a sentence without the pattern). */
export function compileSkuPattern(source: string): SkuMatcher | string {
  let automaton: Automaton;
  try {
    automaton = flatten(emit(new Parser(source).parseWhole()));
  } catch (error) {
    if (error instanceof PatternError) return error.message;
    throw error;
  }
  return { source, test: (sku) => run(automaton, sku) };
}

/**
 * The matcher of a pattern, or undefined when it cannot be used (the loader refuses such a
 * pattern with the reason; a catalog object made by hand may still hold one, and it matches
 * nothing).
 */
export function skuMatcherOf(source: string): SkuMatcher | undefined {
  if (source.length > maximumPatternSourceLength) return undefined;
  const compiled = compileSkuPattern(source);
  return typeof compiled === 'string' ? undefined : compiled;
}

/**
 * A matcher compiled at its first use. A catalog's index holds one per pattern, and most runs
 * test few of them (a SKU listed by name is found without any): compiling every pattern of the
 * bundled catalog up front cost a few milliseconds of each command line start.
 */
export function lazySkuMatcher(source: string): SkuMatcher {
  let compiled: SkuMatcher | undefined | null = null;
  return {
    source,
    test(sku) {
      if (compiled === null) compiled = skuMatcherOf(source);
      return compiled?.test(sku) ?? false;
    },
  };
}

class Parser {
  private position = 0;
  constructor(private readonly text: string) {}

  parseWhole(): Node {
    const node = this.parseAlternation();
    if (this.position < this.text.length) this.fail(`an unmatched ")" at ${this.position}`);
    return node;
  }

  private fail(reason: string): never {
    throw new PatternError(reason);
  }

  private parseAlternation(): Node {
    const options = [this.parseSequence()];
    while (this.text[this.position] === '|') {
      this.position++;
      options.push(this.parseSequence());
    }
    return options.length === 1 ? options[0] : { kind: 'alternation', options };
  }

  private parseSequence(): Node {
    const items: Node[] = [];
    while (this.position < this.text.length) {
      const char = this.text[this.position];
      if (char === '|' || char === ')') break;
      const atom = this.parseAtom();
      items.push(this.parseQuantifier(atom));
    }
    return items.length === 1 ? items[0] : { kind: 'sequence', items };
  }

  private parseAtom(): Node {
    const at = this.position;
    const char = this.text[this.position++];
    switch (char) {
      case '(': {
        if (this.text[this.position] === '?') {
          if (this.text[this.position + 1] !== ':') {
            this.fail(`look-around and named groups are not supported (at ${at}); use (...) or (?:...)`);
          }
          this.position += 2;
        }
        const inner = this.parseAlternation();
        if (this.text[this.position] !== ')') this.fail(`the "(" at ${at} is not closed`);
        this.position++;
        return inner;
      }
      case '[':
        return { kind: 'char', test: this.parseClass(at) };
      case '.':
        return { kind: 'char', test: (code) => !lineTerminators.has(code) };
      case '\\':
        return { kind: 'char', test: this.parseEscape(at, false) };
      case '^':
      case '$':
        return this.fail(`anchors are not supported (the "${char}" at ${at}); a pattern always matches the whole SKU`);
      case '*':
      case '+':
      case '?':
        return this.fail(`the "${char}" at ${at} repeats nothing`);
      case '{':
      case '}':
      case ']':
        return this.fail(`a literal "${char}" must be escaped (at ${at})`);
      default:
        return { kind: 'char', test: literal(char.charCodeAt(0)) };
    }
  }

  private parseEscape(at: number, inClass: boolean): CharacterTest {
    const char = this.text[this.position++];
    if (char === undefined) this.fail(`the pattern ends with a lone "\\"`);
    if (classEscapes[char]) return classEscapes[char];
    if (controlEscapes[char] !== undefined) return literal(controlEscapes[char]);
    if (/[A-Za-z0-9]/.test(char)) {
      this.fail(`the escape "\\${char}" at ${at} is not supported${inClass ? ' in a class' : ''}`);
    }
    return literal(char.charCodeAt(0));
  }

  private parseClass(at: number): CharacterTest {
    let negated = false;
    if (this.text[this.position] === '^') {
      negated = true;
      this.position++;
    }
    const tests: CharacterTest[] = [];
    for (;;) {
      const char = this.text[this.position];
      if (char === undefined) this.fail(`the "[" at ${at} is not closed`);
      if (char === ']') {
        this.position++;
        break;
      }
      const low = this.parseClassMember();
      if (this.text[this.position] === '-' && this.text[this.position + 1] !== ']' && this.position + 1 < this.text.length) {
        this.position++;
        const high = this.parseClassMember();
        if (low.code === undefined || high.code === undefined) {
          this.fail(`a range in the class at ${at} must be between two characters`);
        }
        // JavaScript refuses reversed ranges before this parser runs; kept for direct callers.
        if (low.code > high.code) this.fail(`the range in the class at ${at} is out of order`);
        tests.push(caseInsensitive(rangeTest(low.code, high.code)));
      } else {
        tests.push(low.code === undefined ? low.test : literal(low.code));
      }
    }
    const member: CharacterTest = (code) => tests.some((test) => test(code));
    return negated ? not(member) : member;
  }

  /** One class member: a character (with its code) or a class escape such as `\d`. */
  private parseClassMember(): { code?: number; test: CharacterTest } {
    const at = this.position;
    const char = this.text[this.position++];
    if (char !== '\\') return { code: char.charCodeAt(0), test: literal(char.charCodeAt(0)) };
    const next = this.text[this.position];
    if (next !== undefined && classEscapes[next]) {
      this.position++;
      return { test: classEscapes[next] };
    }
    if (next !== undefined && controlEscapes[next] !== undefined) {
      this.position++;
      return { code: controlEscapes[next], test: literal(controlEscapes[next]) };
    }
    const test = this.parseEscape(at, true);
    return { code: this.text.charCodeAt(this.position - 1), test };
  }

  private parseQuantifier(atom: Node): Node {
    const at = this.position;
    const char = this.text[this.position];
    let minimum: number;
    let maximum: number | undefined;
    if (char === '*') {
      minimum = 0;
      maximum = undefined;
    } else if (char === '+') {
      minimum = 1;
      maximum = undefined;
    } else if (char === '?') {
      minimum = 0;
      maximum = 1;
    } else if (char === '{') {
      const counted = /^\{(\d+)(,(\d*))?\}/.exec(this.text.slice(this.position));
      if (!counted) this.fail(`the "{" at ${at} is not a repetition count like {2} or {1,3} (escape a literal one)`);
      minimum = Number(counted[1]);
      maximum = counted[2] === undefined ? minimum : counted[3] === '' ? undefined : Number(counted[3]);
      if (maximum !== undefined && maximum < minimum) this.fail(`the count at ${at} is out of order`);
      // Each counted repetition is a copy in the automaton (even an empty one costs a loop).
      if (minimum > maximumPatternStates || (maximum ?? 0) > maximumPatternStates) {
        this.fail(`the count at ${at} is too large (at most ${maximumPatternStates})`);
      }
      this.position += counted[0].length - 1;
    } else {
      return atom;
    }
    this.position++;
    // A lazy quantifier finds the same whole-name matches as a greedy one.
    if (this.text[this.position] === '?') this.position++;
    const next = this.text[this.position];
    if (next === '*' || next === '+' || next === '?' || next === '{')
      this.fail(`the "${next}" at ${this.position} repeats a repetition`);
    return { kind: 'repeat', item: atom, minimum, maximum };
  }
}

function literal(code: number): CharacterTest {
  const lower = String.fromCharCode(code).toLowerCase();
  const upper = String.fromCharCode(code).toUpperCase();
  if (lower.length !== 1 || upper.length !== 1) return (other) => other === code;
  const lowerCode = lower.charCodeAt(0);
  const upperCode = upper.charCodeAt(0);
  return (other) => other === lowerCode || other === upperCode || other === code;
}

function rangeTest(low: number, high: number): CharacterTest {
  return (code) => code >= low && code <= high;
}

/** A range matches a character when it holds the character or its other case. */
function caseInsensitive(test: CharacterTest): CharacterTest {
  return (code) => {
    if (test(code)) return true;
    const char = String.fromCharCode(code);
    const lower = char.toLowerCase();
    const upper = char.toUpperCase();
    return (lower.length === 1 && test(lower.charCodeAt(0))) || (upper.length === 1 && test(upper.charCodeAt(0)));
  };
}

/** Thompson's construction into a program of at most `maximumPatternStates` instructions. */
function emit(root: Node): Instruction[] {
  const program: Instruction[] = [];
  const push = (instruction: Instruction): number => {
    if (program.length >= maximumPatternStates) {
      throw new PatternError(
        `the pattern is too complex (more than ${maximumPatternStates} states; lower its repetition counts)`,
      );
    }
    program.push(instruction);
    return program.length - 1;
  };
  const emitNode = (node: Node): void => {
    switch (node.kind) {
      case 'char':
        push({ op: 'char', test: node.test });
        return;
      case 'sequence':
        for (const item of node.items) emitNode(item);
        return;
      case 'alternation': {
        const jumps: number[] = [];
        node.options.forEach((option, index) => {
          if (index < node.options.length - 1) {
            const split = push({ op: 'split', first: 0, second: 0 });
            (program[split] as { first: number }).first = program.length;
            emitNode(option);
            jumps.push(push({ op: 'jump', target: 0 }));
            (program[split] as { second: number }).second = program.length;
          } else {
            emitNode(option);
          }
        });
        for (const jump of jumps) (program[jump] as { target: number }).target = program.length;
        return;
      }
      case 'repeat': {
        for (let count = 0; count < node.minimum; count++) emitNode(node.item);
        if (node.maximum === undefined) {
          const split = push({ op: 'split', first: 0, second: 0 });
          (program[split] as { first: number }).first = program.length;
          emitNode(node.item);
          push({ op: 'jump', target: split });
          (program[split] as { second: number }).second = program.length;
        } else {
          const splits: number[] = [];
          for (let count = node.minimum; count < node.maximum; count++) {
            const split = push({ op: 'split', first: 0, second: 0 });
            (program[split] as { first: number }).first = program.length;
            splits.push(split);
            emitNode(node.item);
          }
          for (const split of splits) (program[split] as { second: number }).second = program.length;
        }
        return;
      }
    }
  };
  emitNode(root);
  push({ op: 'match' });
  return program;
}

/** The program in flat arrays, so that the loop over states stays on one shape. */
interface Automaton {
  /** 0 character, 1 split, 2 jump, 3 match. */
  operations: Uint8Array;
  first: Int32Array;
  second: Int32Array;
  tests: (CharacterTest | undefined)[];
}

function flatten(program: Instruction[]): Automaton {
  const automaton: Automaton = {
    operations: new Uint8Array(program.length),
    first: new Int32Array(program.length),
    second: new Int32Array(program.length),
    tests: [],
  };
  program.forEach((instruction, state) => {
    automaton.tests.push(instruction.op === 'char' ? instruction.test : undefined);
    if (instruction.op === 'char') automaton.operations[state] = 0;
    else if (instruction.op === 'split') {
      automaton.operations[state] = 1;
      automaton.first[state] = instruction.first;
      automaton.second[state] = instruction.second;
    } else if (instruction.op === 'jump') {
      automaton.operations[state] = 2;
      automaton.first[state] = instruction.target;
    } else automaton.operations[state] = 3;
  });
  return automaton;
}

/** Runs every state of the automaton at once over the SKU (no backtracking). */
function run(automaton: Automaton, sku: string): boolean {
  if (sku.length > maximumSkuLength) return false;
  const { operations, first, second, tests } = automaton;
  const size = operations.length;
  // `seen[state] === step + 1` marks a state already added for this step of the input.
  const seen = new Int32Array(size);
  let current = new Int32Array(size);
  let next = new Int32Array(size);
  let currentCount = 0;
  const stack = new Int32Array(size * 2 + 2);
  const add = (list: Int32Array, count: number, start: number, mark: number): number => {
    let top = 0;
    stack[top++] = start;
    while (top > 0) {
      const state = stack[--top];
      if (seen[state] === mark) continue;
      seen[state] = mark;
      const operation = operations[state];
      if (operation === 2) stack[top++] = first[state];
      else if (operation === 1) {
        stack[top++] = second[state];
        stack[top++] = first[state];
      } else list[count++] = state;
    }
    return count;
  };
  currentCount = add(current, 0, 0, 1);
  for (let index = 0; index < sku.length; index++) {
    const code = sku.charCodeAt(index);
    let nextCount = 0;
    for (let item = 0; item < currentCount; item++) {
      const state = current[item];
      if (operations[state] === 0 && (tests[state] as CharacterTest)(code))
        nextCount = add(next, nextCount, state + 1, index + 2);
    }
    if (nextCount === 0) return false;
    const swap = current;
    current = next;
    next = swap;
    currentCount = nextCount;
  }
  for (let item = 0; item < currentCount; item++) if (operations[current[item]] === 3) return true;
  return false;
}
