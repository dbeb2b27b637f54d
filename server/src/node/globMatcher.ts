/**
 * The glob language of gitignore patterns (`*`, `?`, `[...]`, `**`), matched in linear time. A
 * pattern is compiled to a list of steps and run as a set of positions over the path, one
 * character at a time (Thompson's construction), so a path of n characters costs at most n times
 * the pattern's length, whatever the pattern: a `RegExp` built from `*a*a*a...` backtracked for
 * seconds on a 28-character name. Nothing here ever backtracks.
 */

/** One step of a compiled glob. */
type GlobStep =
  | { kind: 'literal'; character: string }
  /** `?`: one character other than `/`. */
  | { kind: 'one' }
  /** `[...]`: one character other than `/`, in (or, negated, outside) the ranges. */
  | { kind: 'class'; negated: boolean; ranges: Array<[number, number]> }
  /** `*`: any run of characters other than `/`. */
  | { kind: 'name' }
  // A `**` segment followed by a slash (and an unanchored pattern's start): zero or more folders.
  | { kind: 'folders' }
  /** `**` at the end: everything. */
  | { kind: 'rest' };

export interface GlobMatcher {
  readonly steps: readonly GlobStep[];
}

/** Counts the work of matches, for tests that bound it. */
export interface MatchCounter {
  steps: number;
}

/**
 * Compiles a glob (no leading `/`, no trailing `/`, as `compileIgnorePattern` leaves it). An
 * unanchored pattern matches its name at any depth: it starts with zero or more folders.
 */
export function compileGlob(glob: string, anchored: boolean): GlobMatcher {
  const steps: GlobStep[] = anchored ? [] : [{ kind: 'folders' }];
  let index = 0;
  while (index < glob.length) {
    const character = glob[index];
    if (character === '\\') {
      // An escaped character stands for itself; a lone trailing backslash too.
      steps.push({ kind: 'literal', character: glob[index + 1] ?? '\\' });
      index += 2;
    } else if (character === '*') {
      let end = index;
      while (glob[end] === '*') end++;
      const startsSegment = index === 0 || glob[index - 1] === '/';
      const endsSegment = end === glob.length || glob[end] === '/';
      if (end - index >= 2 && startsSegment && endsSegment) {
        if (end === glob.length) {
          steps.push({ kind: 'rest' });
          index = end;
        } else {
          steps.push({ kind: 'folders' });
          index = end + 1;
        }
      } else {
        // Other runs of asterisks are one asterisk.
        steps.push({ kind: 'name' });
        index = end;
      }
    } else if (character === '?') {
      steps.push({ kind: 'one' });
      index++;
    } else if (character === '[') {
      const parsed = parseBracket(glob, index);
      if (parsed) {
        steps.push(parsed.step);
        index = parsed.end;
      } else {
        steps.push({ kind: 'literal', character: '[' });
        index++;
      }
    } else {
      steps.push({ kind: 'literal', character });
      index++;
    }
  }
  return { steps: collapseRepeats(steps) };
}

/** Adjacent `*` or folder steps match what one of them matches: keep one, so the set stays small. */
function collapseRepeats(steps: GlobStep[]): GlobStep[] {
  const kept: GlobStep[] = [];
  for (const step of steps) {
    const previous = kept[kept.length - 1];
    if (previous && previous.kind === step.kind && (step.kind === 'name' || step.kind === 'folders' || step.kind === 'rest'))
      continue;
    kept.push(step);
  }
  return kept;
}

/** A bracket expression `[...]`, `[!...]` or `[^...]` from `start`, or undefined if unclosed. */
function parseBracket(glob: string, start: number): { step: GlobStep; end: number } | undefined {
  let index = start + 1;
  let negated = false;
  if (glob[index] === '!' || glob[index] === '^') {
    negated = true;
    index++;
  }
  const members: Array<{ character: string; escaped: boolean }> = [];
  let first = true;
  while (index < glob.length) {
    const character = glob[index];
    if (character === ']' && !first) return { step: { kind: 'class', negated, ranges: rangesOf(members) }, end: index + 1 };
    first = false;
    if (character === '\\' && index + 1 < glob.length) {
      // An escaped character is itself, even `]` or `-`.
      members.push({ character: glob[index + 1], escaped: true });
      index += 2;
    } else {
      members.push({ character, escaped: false });
      index++;
    }
  }
  return undefined;
}

/** The members of a class as ranges: `a-z` is a range, a `-` first or last is itself. */
function rangesOf(members: Array<{ character: string; escaped: boolean }>): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let index = 0;
  while (index < members.length) {
    const low = members[index].character.charCodeAt(0);
    const dash = members[index + 1];
    if (dash && !dash.escaped && dash.character === '-' && index + 2 < members.length) {
      // A reversed range matches nothing.
      ranges.push([low, members[index + 2].character.charCodeAt(0)]);
      index += 3;
    } else {
      ranges.push([low, low]);
      index++;
    }
  }
  return ranges;
}

function inClass(step: Extract<GlobStep, { kind: 'class' }>, code: number): boolean {
  let member = false;
  for (const [low, high] of step.ranges) {
    if (code >= low && code <= high) {
      member = true;
      break;
    }
  }
  return member !== step.negated;
}

const slash = 47;

/**
 * Whether `text` (a path written with `/`) matches the whole glob. Every character advances a
 * set of positions in the steps; each position is visited at most once per character.
 */
export function matchesGlob(matcher: GlobMatcher, text: string, counter?: MatchCounter): boolean {
  const steps = matcher.steps;
  const size = steps.length + 1;
  let current = new Uint8Array(size);
  let next = new Uint8Array(size);
  let work = 0;
  current[0] = 1;
  closeOver(steps, current);
  for (let offset = 0; offset < text.length; offset++) {
    const code = text.charCodeAt(offset);
    next.fill(0);
    let any = false;
    for (let position = 0; position < steps.length; position++) {
      if (current[position] === 0) continue;
      work++;
      const step = steps[position];
      switch (step.kind) {
        case 'literal':
          if (step.character.charCodeAt(0) === code) next[position + 1] = 1;
          break;
        case 'one':
          if (code !== slash) next[position + 1] = 1;
          break;
        case 'class':
          if (code !== slash && inClass(step, code)) next[position + 1] = 1;
          break;
        case 'name':
          if (code !== slash) next[position] = 1;
          break;
        case 'folders':
          next[position] = 1;
          if (code === slash) next[position + 1] = 1;
          break;
        case 'rest':
          next[position] = 1;
          break;
      }
    }
    for (let position = 0; position < size; position++) if (next[position] === 1) any = true;
    if (counter) counter.steps += work;
    work = 0;
    if (!any) return false;
    closeOver(steps, next);
    [current, next] = [next, current];
  }
  return current[steps.length] === 1;
}

/** Adds the positions reachable without a character: past `*`, folders and `**` steps. */
function closeOver(steps: readonly GlobStep[], positions: Uint8Array): void {
  for (let position = 0; position < steps.length; position++) {
    if (positions[position] === 0) continue;
    const kind = steps[position].kind;
    if (kind === 'name' || kind === 'folders' || kind === 'rest') positions[position + 1] = 1;
  }
}
