/**
 * Naming templates: the small pattern language in which the catalog writes how vendors name their
 * offers and SKUs (`ubuntu-{major}_{minor}[-lts]`, `{major:1}{minor}-gen2`). It is deliberately not
 * a regular expression: a template is a sequence of literal text, digit captures, choices of
 * literal words and optional groups, so that matching is bounded by construction. Captures take
 * every digit they can and never give one back; only optional groups and choices branch, and the
 * loader refuses a template whose branches multiply past `maximumTemplateBranches`. Matching a
 * name is therefore at most that many linear passes over it, whatever the catalog file says.
 *
 * Syntax (matched against the whole name, case-insensitively):
 * - literal text: letters, digits and `.`, `_`, `-`, `+`;
 * - `{name}`: one or more digits, captured under `name`; `{name:N}` exactly N digits;
 * - `(a|b|c)`: one of the literal words;
 * - `[…]`: an optional group of literal text, captures and choices (not nested).
 * A matched choice word, and a matched optional group that holds only literal text, is a *token*:
 * its text (lower-cased) is what the catalog's naming rules attach facts to.
 */

/** The most alternatives a template may branch into (each optional group doubles them). */
export const maximumTemplateBranches = 1024;
/** Longest template accepted, and longest name matched (longer names never match). */
export const maximumTemplateLength = 300;
export const maximumNameLength = 200;

type Element =
  | { kind: 'literal'; text: string }
  | { kind: 'digits'; name: string; width?: number }
  | { kind: 'choice'; words: string[] }
  | { kind: 'optional'; elements: Element[]; token?: string };

export interface NamingTemplate {
  source: string;
  elements: Element[];
}

/** What a match found: digit captures by name, and the tokens matched, in template order. */
export interface TemplateMatch {
  values: Record<string, string>;
  tokens: string[];
}

const literalCharacter = /[a-z0-9._+-]/;

/** Compiles a template, or returns why it cannot be used. */
export function compileTemplate(source: string): NamingTemplate | string {
  if (source.length === 0) return 'a template cannot be empty';
  if (source.length > maximumTemplateLength) {
    return `the template is ${source.length} characters long; at most ${maximumTemplateLength} are allowed`;
  }
  const text = source.toLowerCase();
  let position = 0;

  const parseSequence = (inOptional: boolean): Element[] | string => {
    const elements: Element[] = [];
    while (position < text.length) {
      const char = text[position];
      if (char === ']') {
        if (!inOptional) return `unexpected "]" at ${position}`;
        return elements;
      }
      if (char === '[') {
        if (inOptional) return `optional groups cannot be nested (at ${position})`;
        position++;
        const inner = parseSequence(true);
        if (typeof inner === 'string') return inner;
        if (text[position] !== ']') return `"[" at ${position} is not closed`;
        position++;
        if (inner.length === 0) return `an optional group cannot be empty (at ${position - 2})`;
        const literalOnly = inner.every((element) => element.kind === 'literal');
        elements.push({
          kind: 'optional',
          elements: inner,
          token: literalOnly ? inner.map((element) => (element as { text: string }).text).join('') : undefined,
        });
        continue;
      }
      if (char === '(') {
        const end = text.indexOf(')', position);
        if (end < 0) return `"(" at ${position} is not closed`;
        const words = text.slice(position + 1, end).split('|');
        for (const word of words) {
          if (word.length === 0 || ![...word].every((letter) => literalCharacter.test(letter))) {
            return `a choice holds literal words only, separated by "|" (at ${position})`;
          }
        }
        if (new Set(words).size !== words.length) return `a choice lists a word twice (at ${position})`;
        elements.push({ kind: 'choice', words });
        position = end + 1;
        continue;
      }
      if (char === '{') {
        const end = text.indexOf('}', position);
        if (end < 0) return `"{" at ${position} is not closed`;
        const capture = /^([a-z]+)(?::([1-9]))?$/.exec(text.slice(position + 1, end));
        if (!capture) return `a capture is {name} or {name:N}, with N from 1 to 9 (at ${position})`;
        elements.push({ kind: 'digits', name: capture[1], width: capture[2] === undefined ? undefined : Number(capture[2]) });
        position = end + 1;
        continue;
      }
      if (!literalCharacter.test(char))
        return `${JSON.stringify(source[position])} is not allowed in a template (at ${position})`;
      const last = elements[elements.length - 1];
      if (last?.kind === 'literal') last.text += char;
      else elements.push({ kind: 'literal', text: char });
      position++;
    }
    if (inOptional) return `"[" is not closed`;
    return elements;
  };

  const elements = parseSequence(false);
  if (typeof elements === 'string') return elements;
  if (branchesOf(elements) > maximumTemplateBranches) {
    return `the template branches into more than ${maximumTemplateBranches} alternatives; split it into several templates`;
  }
  return { source, elements };
}

function branchesOf(elements: readonly Element[]): number {
  let branches = 1;
  for (const element of elements) {
    if (element.kind === 'choice') branches *= element.words.length;
    else if (element.kind === 'optional') branches *= 1 + branchesOf(element.elements);
    if (branches > maximumTemplateBranches) return branches;
  }
  return branches;
}

/** The names a template captures, for checking that a version template only uses those. */
export function capturesOf(template: NamingTemplate): Set<string> {
  const names = new Set<string>();
  const visit = (elements: readonly Element[]): void => {
    for (const element of elements) {
      if (element.kind === 'digits') names.add(element.name);
      else if (element.kind === 'optional') visit(element.elements);
    }
  };
  visit(template.elements);
  return names;
}

/** Matches a whole name; undefined when it does not fit. */
export function matchTemplate(template: NamingTemplate, name: string): TemplateMatch | undefined {
  if (name.length > maximumNameLength) return undefined;
  const text = name.toLowerCase();
  const values: Record<string, string> = {};
  const tokens: string[] = [];
  const matched = matchFrom(template.elements, 0, text, 0, values, tokens, (end) => end === text.length);
  return matched ? { values, tokens } : undefined;
}

/**
 * Matches `elements[index…]` at `position`, then asks `rest` whether what follows matches too
 * (an optional group's elements continue into the template after it). Captures and tokens are
 * written as the match goes and undone when a branch fails.
 */
function matchFrom(
  elements: readonly Element[],
  index: number,
  text: string,
  position: number,
  values: Record<string, string>,
  tokens: string[],
  rest: (position: number) => boolean,
): boolean {
  if (index === elements.length) return rest(position);
  const element = elements[index];
  switch (element.kind) {
    case 'literal':
      return (
        text.startsWith(element.text, position) &&
        matchFrom(elements, index + 1, text, position + element.text.length, values, tokens, rest)
      );
    case 'digits': {
      let end = position;
      const limit = element.width === undefined ? text.length : Math.min(text.length, position + element.width);
      while (end < limit && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
      if (end === position || (element.width !== undefined && end - position !== element.width)) return false;
      const previous = values[element.name];
      values[element.name] = text.slice(position, end);
      if (matchFrom(elements, index + 1, text, end, values, tokens, rest)) return true;
      if (previous === undefined) delete values[element.name];
      else values[element.name] = previous;
      return false;
    }
    case 'choice':
      for (const word of element.words) {
        if (!text.startsWith(word, position)) continue;
        tokens.push(word);
        if (matchFrom(elements, index + 1, text, position + word.length, values, tokens, rest)) return true;
        tokens.pop();
      }
      return false;
    case 'optional': {
      const tokenCount = tokens.length;
      if (element.token !== undefined) tokens.push(element.token);
      const continueAfter = (after: number): boolean => matchFrom(elements, index + 1, text, after, values, tokens, rest);
      if (matchFrom(element.elements, 0, text, position, values, tokens, continueAfter)) return true;
      tokens.length = tokenCount;
      return matchFrom(elements, index + 1, text, position, values, tokens, rest);
    }
  }
}

/** Fills `{name}` placeholders of a plain text template (a version id, a release name). */
export function fillPlaceholders(template: string, values: Readonly<Record<string, string>>): string | undefined {
  let missing = false;
  const filled = template.replace(/\{([a-z]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) missing = true;
    return value ?? '';
  });
  return missing ? undefined : filled;
}
