/**
 * The configuration: `azure-image-lint.json` files, VS Code settings and CLI options all become a
 * `LintConfig`. Parsing never throws: a bad file yields problems with their positions (the server
 * shows them as diagnostics in the config file) and whatever valid parts it had, so analysis goes
 * on with the bundled defaults for the rest.
 */
import type * as JsoncParser from 'jsonc-parser';
import type { Node, ParseError } from 'jsonc-parser';
import { SyntaxKind } from 'jsonc-parser';
import { isCalendarDate } from '../catalog/lifecycle';
import type { Problem, RuleLevel } from '../model';
import { folderOf, joinPath, relativePath } from '../paths';
import { allRules, findRule } from '../rules';

export interface RuleSetting {
  level?: RuleLevel;
  options: Record<string, number>;
}

/**
 * One entry of `ignore`: findings of `rule` in the files `files` matches (a glob relative to
 * `folder`, the configuration file's folder), on images `image` matches (`publisher:offer:sku`
 * with `*` wildcards; every image when absent), are not reported.
 */
export interface IgnoreEntry {
  files: string;
  rule: string;
  image?: string;
  /** The folder `files` is relative to; set when the configuration is layered (`mergeConfigs`). */
  folder?: string;
}

export interface LintConfig {
  /** The analysis date, `YYYY-MM-DD`; today when absent. */
  asOf?: string;
  rules: Record<string, RuleSetting>;
  /** A catalog file merged over the bundled catalog, resolved against `baseFolder`. */
  catalog?: string;
  allowed?: string[];
  denied?: string[];
  /**
   * Template path to the parameter files deployed with it. As read from a file, relative to
   * `baseFolder`; once merged (`mergeConfigs`), the template resolved and each parameter file
   * relative to the template's folder (as in ARM Tools' map), the maps of every layer combined.
   */
  parameterFiles?: Record<string, string[]>;
  /** Findings not to report (`ignore` in azure-image-lint.json), from every layer. */
  ignore?: IgnoreEntry[];
  /** The folder relative paths in this configuration are resolved against. */
  baseFolder?: string;
  /** Where this configuration came from, for messages ("azure-image-lint.json", "settings"). */
  source?: string;
}

export const configFileName = 'azure-image-lint.json';

/** The largest configuration file read; larger files are a problem, not a freeze. */
export const maximumConfigSize = 1_000_000;

let jsoncParser: typeof JsoncParser | undefined;

/** jsonc-parser, loaded on first use: a command-line run without a configuration file never pays for it. */
function jsonc(): typeof JsoncParser {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (jsoncParser ??= require('jsonc-parser') as typeof JsoncParser);
}

export function emptyConfig(): LintConfig {
  return { rules: {} };
}

const levelNames: Record<string, RuleLevel> = {
  off: 'off',
  info: 'information',
  information: 'information',
  hint: 'hint',
  warning: 'warning',
  error: 'error',
};

/** Parses a level as written in configuration (`info` is `information`). */
export function parseLevel(text: unknown): RuleLevel | undefined {
  return typeof text === 'string' ? levelNames[text.toLowerCase()] : undefined;
}

/** The deepest nesting of objects and arrays a configuration file may have. */
const maximumConfigDepth = 64;

/**
 * The offset of the first `{` or `[` that opens a level deeper than `limit`, or undefined. Scans
 * tokens without recursion (strings and comments are skipped as the parser would).
 */
function nestingDepthBeyond(text: string, limit: number): number | undefined {
  const scanner = jsonc().createScanner(text, false);
  let depth = 0;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) {
      if (++depth > limit) return scanner.getTokenOffset();
    } else if (token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

/** Parses the text of a configuration file. */
export function parseConfigText(text: string, file: string): { config: LintConfig; problems: Problem[] } {
  const config = emptyConfig();
  config.source = file;
  const problems: Problem[] = [];
  if (text.length > maximumConfigSize) {
    problems.push({
      file,
      message: `${file}: the configuration file is larger than ${maximumConfigSize} bytes and was ignored.`,
    });
    return { config, problems };
  }
  // The parser recurses once per level: a file nested thousands deep would exhaust the stack.
  // No configuration needs more than a few levels.
  const depth = nestingDepthBeyond(text, maximumConfigDepth);
  if (depth !== undefined) {
    problems.push({
      file,
      message: `${file}: the configuration is nested more than ${maximumConfigDepth} levels deep and was ignored.`,
      range: { start: depth, end: depth + 1 },
    });
    return { config, problems };
  }
  const errors: ParseError[] = [];
  const root = jsonc().parseTree(text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text, errors, {
    allowTrailingComma: true,
    disallowComments: false,
  });
  for (const error of errors.slice(0, 20)) {
    problems.push({
      file,
      message: `${file}: invalid JSON (${jsonc().printParseErrorCode(error.error)}).`,
      range: { start: error.offset, end: error.offset + Math.max(1, error.length) },
    });
  }
  if (!root || root.type !== 'object') {
    if (errors.length === 0) {
      problems.push({ file, message: `${file}: the configuration must be a JSON object.`, range: rangeOf(root) });
    }
    return { config, problems };
  }
  readConfigObject(root, file, config, problems);
  return { config, problems };
}

/** Reads a configuration from a plain object (VS Code settings, CLI). */
export function parseConfigObject(value: unknown, source: string): { config: LintConfig; problems: Problem[] } {
  const text = JSON.stringify(value ?? {});
  const result = parseConfigText(text, source);
  for (const problem of result.problems) delete problem.range;
  return result;
}

function readConfigObject(root: Node, file: string, config: LintConfig, problems: Problem[]): void {
  const report = (node: Node | undefined, message: string) =>
    problems.push({ file, message: `${file}: ${message}`, range: rangeOf(node) });
  for (const property of root.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (!keyNode || !valueNode) continue;
    const key = String(keyNode.value);
    switch (key) {
      case '$schema':
        break;
      case 'asOf':
        if (typeof valueNode.value === 'string' && isCalendarDate(valueNode.value)) config.asOf = valueNode.value;
        else report(valueNode, `'asOf' must be a date written YYYY-MM-DD.`);
        break;
      case 'catalog':
        if (typeof valueNode.value === 'string' && valueNode.value !== '') config.catalog = valueNode.value;
        else report(valueNode, `'catalog' must be the path of a catalog file.`);
        break;
      case 'allowed':
      case 'denied': {
        const patterns = readPatterns(valueNode, key, report);
        if (patterns) config[key] = patterns;
        break;
      }
      case 'rules':
        readRules(valueNode, config, report);
        break;
      case 'parameterFiles': {
        const map = readParameterFiles(valueNode, report);
        if (map) config.parameterFiles = map;
        break;
      }
      case 'ignore': {
        const entries = readIgnore(valueNode, report);
        if (entries) config.ignore = entries;
        break;
      }
      default:
        report(keyNode, `unknown property '${key}'; expected asOf, rules, catalog, allowed, denied, parameterFiles or ignore.`);
    }
  }
}

function readPatterns(node: Node, key: string, report: (node: Node | undefined, message: string) => void): string[] | undefined {
  if (node.type !== 'array') {
    report(node, `'${key}' must be an array of 'publisher:offer:sku' patterns.`);
    return undefined;
  }
  const patterns: string[] = [];
  for (const item of node.children ?? []) {
    if (
      typeof item.value === 'string' &&
      item.value.length > 0 &&
      item.value.length <= 500 &&
      item.value.split(':').length <= 3
    ) {
      patterns.push(item.value);
    } else {
      report(item, `each '${key}' entry must be a 'publisher:offer:sku' pattern with '*' wildcards.`);
    }
  }
  return patterns;
}

/** `"parameterFiles": { "template.json": "params.json" | ["dev.json", "prod.json"] }`. */
function readParameterFiles(
  node: Node,
  report: (node: Node | undefined, message: string) => void,
): Record<string, string[]> | undefined {
  if (node.type !== 'object') {
    report(node, `'parameterFiles' must be an object mapping template paths to parameter file paths.`);
    return undefined;
  }
  const map: Record<string, string[]> = {};
  for (const property of node.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (!keyNode || !valueNode) continue;
    const template = String(keyNode.value);
    const items = valueNode.type === 'array' ? (valueNode.children ?? []) : [valueNode];
    const files: string[] = [];
    for (const item of items) {
      if (typeof item.value === 'string' && item.value !== '' && item.value.length <= 1000) files.push(item.value);
      else report(item, `the parameter files of '${template}' must be paths (a string or an array of strings).`);
    }
    if (template === '') report(keyNode, `'parameterFiles' keys must be template paths.`);
    else if (files.length > 0) map[template] = files;
  }
  return map;
}

/** The longest glob or pattern of an `ignore` entry. */
const maximumPatternLength = 500;

function readIgnore(node: Node, report: (node: Node | undefined, message: string) => void): IgnoreEntry[] | undefined {
  const shape = `each 'ignore' entry must be an object with 'files' (a glob), 'rule' (a rule code) and optionally 'image' (a 'publisher:offer:sku' pattern).`;
  if (node.type !== 'array') {
    report(node, `'ignore' must be an array of entries with 'files', 'rule' and optionally 'image'.`);
    return undefined;
  }
  const entries: IgnoreEntry[] = [];
  for (const item of node.children ?? []) {
    if (item.type !== 'object') {
      report(item, shape);
      continue;
    }
    const entry: Partial<IgnoreEntry> = {};
    let valid = true;
    for (const property of item.children ?? []) {
      const [keyNode, valueNode] = property.children ?? [];
      if (!keyNode || !valueNode) continue;
      const key = String(keyNode.value);
      const text = typeof valueNode.value === 'string' ? valueNode.value : undefined;
      if (key === 'files') {
        if (text !== undefined && text.length > 0 && text.length <= maximumPatternLength) entry.files = text;
        else {
          report(valueNode, `'files' of an 'ignore' entry must be a glob relative to this file's folder.`);
          valid = false;
        }
      } else if (key === 'rule') {
        if (text !== undefined && findRule(text)) entry.rule = text;
        else {
          report(valueNode, `'rule' of an 'ignore' entry must be a rule code: ${allRules.map((r) => r.code).join(', ')}.`);
          valid = false;
        }
      } else if (key === 'image') {
        if (text !== undefined && text.length > 0 && text.length <= maximumPatternLength && text.split(':').length <= 3)
          entry.image = text;
        else {
          report(valueNode, `'image' of an 'ignore' entry must be a 'publisher:offer:sku' pattern with '*' wildcards.`);
          valid = false;
        }
      } else {
        report(keyNode, `unknown property '${key}' of an 'ignore' entry; expected files, rule or image.`);
      }
    }
    if (!valid) continue;
    if (entry.files === undefined || entry.rule === undefined) {
      report(item, shape);
      continue;
    }
    entries.push(entry as IgnoreEntry);
  }
  return entries;
}

function readRules(node: Node, config: LintConfig, report: (node: Node | undefined, message: string) => void): void {
  if (node.type !== 'object') {
    report(node, `'rules' must be an object mapping rule codes to settings.`);
    return;
  }
  for (const property of node.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (!keyNode || !valueNode) continue;
    const code = String(keyNode.value);
    const rule = findRule(code);
    if (!rule) {
      report(keyNode, `unknown rule '${code}'; known rules: ${allRules.map((r) => r.code).join(', ')}.`);
      continue;
    }
    const setting: RuleSetting = { options: {} };
    if (valueNode.type === 'string') {
      const level = parseLevel(valueNode.value);
      if (level) setting.level = level;
      else report(valueNode, `the level of '${code}' must be off, info, warning or error.`);
    } else if (valueNode.type === 'object') {
      for (const option of valueNode.children ?? []) {
        const [optionKey, optionValue] = option.children ?? [];
        if (!optionKey || !optionValue) continue;
        const name = String(optionKey.value);
        if (name === 'level') {
          const level = parseLevel(optionValue.value);
          if (level) setting.level = level;
          else report(optionValue, `the level of '${code}' must be off, info, warning or error.`);
          continue;
        }
        const definition = rule.options[name];
        if (!definition) {
          const known = ['level', ...Object.keys(rule.options)].join(', ');
          report(optionKey, `unknown option '${name}' of rule '${code}'; expected ${known}.`);
        } else if (
          typeof optionValue.value !== 'number' ||
          !Number.isInteger(optionValue.value) ||
          optionValue.value < definition.minimum ||
          optionValue.value > definition.maximum
        ) {
          report(optionValue, `'${code}.${name}' must be a whole number from ${definition.minimum} to ${definition.maximum}.`);
        } else {
          setting.options[name] = optionValue.value;
        }
      }
    } else {
      report(valueNode, `the setting of '${code}' must be a level or an object with 'level' and options.`);
      continue;
    }
    config.rules[code] = setting;
  }
}

function rangeOf(node: Node | undefined) {
  return node ? { start: node.offset, end: node.offset + node.length } : undefined;
}

/** Layers configurations: later ones win, rule by rule and option by option. */
export function mergeConfigs(...layers: (LintConfig | undefined)[]): LintConfig {
  const merged = emptyConfig();
  for (const layer of layers) {
    if (!layer) continue;
    if (layer.asOf !== undefined) merged.asOf = layer.asOf;
    if (layer.catalog !== undefined) {
      merged.catalog = layer.catalog;
      merged.baseFolder = layer.baseFolder;
    }
    if (layer.allowed !== undefined) merged.allowed = layer.allowed;
    if (layer.denied !== undefined) merged.denied = layer.denied;
    if (layer.parameterFiles !== undefined) {
      // Every layer's pairs count; paths are resolved where they were written.
      const base = (layer.baseFolder ?? '').replace(/\\/g, '/');
      const combined: Record<string, string[]> = { ...merged.parameterFiles };
      for (const [template, files] of Object.entries(layer.parameterFiles)) {
        const key = joinPath(base, template);
        const fromTemplate = files.map((file) =>
          /^([a-zA-Z][a-zA-Z0-9+.-]*:|\/)/.test(file) ? file : relativePath(folderOf(key), joinPath(base, file)),
        );
        combined[key] = [...(combined[key] ?? []), ...fromTemplate];
      }
      merged.parameterFiles = combined;
    }
    if (layer.source !== undefined) merged.source = layer.source;
    // Every layer's entries apply, each relative to the folder of the file that holds it.
    if (layer.ignore !== undefined && layer.ignore.length > 0) {
      merged.ignore = [
        ...(merged.ignore ?? []),
        ...layer.ignore.map((entry) =>
          entry.folder !== undefined || layer.baseFolder === undefined ? entry : { ...entry, folder: layer.baseFolder },
        ),
      ];
    }
    for (const [code, setting] of Object.entries(layer.rules)) {
      const previous = merged.rules[code] ?? { options: {} };
      merged.rules[code] = {
        level: setting.level ?? previous.level,
        options: { ...previous.options, ...setting.options },
      };
    }
  }
  return merged;
}
