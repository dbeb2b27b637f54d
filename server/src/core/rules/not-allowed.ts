/**
 * `not-allowed`: the organisation's allow or deny list (`allowed` / `denied` patterns of
 * `publisher:offer:sku` with `*` wildcards in the configuration) rejects the image. Silent unless
 * a list is configured. Applies to every image, Linux or not: it is the organisation's policy.
 */
import type { ImageNames } from '../model';
import type { Rule } from './rule';

export const notAllowedRule: Rule = {
  code: 'not-allowed',
  title: 'Image not allowed by policy',
  defaultLevel: 'error',
  description: [
    'Reports an image that the configured `allowed` list does not match, or that the `denied`',
    'list matches. Patterns are `publisher:offer:sku` with `*` wildcards, matched case-insensitively;',
    'a missing part matches anything (`Canonical:*` allows every Canonical image). The rule is',
    'silent unless the configuration sets a list.',
    '',
    'Fix: use an image the policy allows, or change the policy in `azure-image-lint.json`.',
  ].join('\n'),
  options: {},
  check(context) {
    const { policy, names } = context;
    if (policy.allowed.length === 0 && policy.denied.length === 0) return [];
    if (names.publisher === undefined || names.offer === undefined || names.sku === undefined) return [];
    const urn = `${names.publisher}:${names.offer}:${names.sku}`;
    const denied = policy.denied.find((pattern) => matchesImagePattern(pattern, names));
    if (denied !== undefined) {
      return [report(`The image ${urn} is denied by ${policy.source} (pattern '${denied}').`)];
    }
    if (policy.allowed.length > 0 && !policy.allowed.some((pattern) => matchesImagePattern(pattern, names))) {
      return [report(`The image ${urn} is not in the allowed list of ${policy.source}.`)];
    }
    return [];
  },
};

function report(message: string) {
  return { field: 'sku' as const, message, fixes: [], firstFixPreferred: false };
}

/** Matches `publisher:offer:sku` with `*` wildcards against names, case-insensitively. */
export function matchesImagePattern(pattern: string, names: ImageNames): boolean {
  const parts = pattern.split(':');
  const values = [names.publisher, names.offer, names.sku];
  for (let index = 0; index < 3; index++) {
    const part = parts[index] ?? '*';
    const value = values[index] ?? '';
    if (!wildcardMatch(part.toLowerCase(), value.toLowerCase())) return false;
  }
  return true;
}

/** `*` matches any run of characters; everything else is literal. Linear, no regular expression. */
export function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
