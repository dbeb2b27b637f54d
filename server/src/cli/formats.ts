/**
 * The text and JSON outputs of the CLI, and `--explain`. Lines and characters are 0-based UTF-16
 * in JSON (like LSP) and 1-based in text (like Bicep's and MSBuild's `file(line,col)` messages).
 */
import type {
  DeploymentStep,
  Finding,
  ImageField,
  ImageSite,
  OffsetRange,
  Problem,
  Severity,
  SourceLocation,
} from '../core/model';
import { imageFields } from '../core/model';
import { candidateTrace, inventoryEntries, type InventoryEntry } from '../core/inventory';
import { allRules, findRule } from '../core/rules';
import { ruleDocumentationLink } from '../node/ruleDocumentation';
import { LineIndex, type Position } from '../core/text';

/** Converts offsets of a named file to positions, reading each file's text once. */
export class PositionConverter {
  private readonly indexes = new Map<string, LineIndex | undefined>();

  constructor(private readonly readText: (file: string) => string | undefined) {}

  range(file: string, range: OffsetRange | undefined): { start: Position; end: Position } {
    if (!range) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    if (!this.indexes.has(file)) {
      const text = this.readText(file);
      this.indexes.set(file, text === undefined ? undefined : new LineIndex(text));
    }
    const index = this.indexes.get(file);
    if (!index) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return { start: index.positionAt(range.start), end: index.positionAt(range.end) };
  }
}

const textLevels: Record<Severity, string> = { error: 'Error', warning: 'Warning', information: 'Info', hint: 'Hint' };

/** How a report names a file: as the findings name it (as given), or relative to `--root`. */
export type FileNamer = (file: string) => string;

const asGiven: FileNamer = (file) => file;

export function formatText(
  findings: readonly Finding[],
  problems: readonly Problem[],
  positions: PositionConverter,
  name: FileNamer = asGiven,
  problemLevel: ProblemLevel = 'Warning',
): string {
  const lines: string[] = [];
  for (const finding of findings) {
    const { start } = positions.range(finding.location.file, finding.location.range);
    // The one related information a line of text keeps: when the image is deployed at all.
    const deployedWhen = finding.related.find((item) => item.deployedWhen !== undefined)?.deployedWhen;
    const when = deployedWhen === undefined ? '' : ` (only deployed when ${deployedWhen})`;
    lines.push(
      `${name(finding.location.file)}(${start.line + 1},${start.character + 1}) : ${textLevels[finding.severity]} ${finding.code}: ${finding.message}${when}`,
    );
  }
  for (const problem of problems) lines.push(formatProblem(problem, positions, name, problemLevel));
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** A problem is a warning, or an error when it fails the run (`--fail-on-problems`). */
export type ProblemLevel = 'Warning' | 'Error';

/** A problem as a line of the text report: `file(line,col) : Warning problem: message`. */
export function formatProblem(
  problem: Problem,
  positions: PositionConverter,
  name: FileNamer = asGiven,
  level: ProblemLevel = 'Warning',
): string {
  if (!problem.range) return `${name(problem.file)} : ${level} problem: ${problem.message}`;
  const { start } = positions.range(problem.file, problem.range);
  return `${name(problem.file)}(${start.line + 1},${start.character + 1}) : ${level} problem: ${problem.message}`;
}

export function formatInventory(images: readonly ImageSite[], positions: PositionConverter, name: FileNamer = asGiven): string {
  return [...inventoryChunks(images, positions, name)].join('');
}

/**
 * The inventory in pieces, one per site, for a writer that writes each as it comes: a template
 * can list millions of candidates (each of 20,000 VMs with the 254 SKUs of one parameter), more
 * than one string holds. The columns are measured in a first pass over the sites.
 */
export function* inventoryChunks(
  images: readonly ImageSite[],
  positions: PositionConverter,
  name: FileNamer = asGiven,
): Generator<string> {
  const header = ['location', 'resource type', 'publisher:offer:sku:version', 'unresolved', 'defined at', 'via'];
  const rowsOf = (site: ImageSite): string[][] => {
    const { start } = positions.range(site.use.file, site.use.range);
    const where = `${name(site.use.file)}(${start.line + 1},${start.character + 1})`;
    const unresolved = (site.unresolved.join(', ') || '-') + (site.unresolvedReason ? ` (${site.unresolvedReason})` : '');
    if (site.custom)
      return [[where, site.resourceType, '(custom image)', unresolved, '-', viaText(site.via ?? [], positions, name)]];
    const entries = inventoryEntries(site);
    const rows = entries.map((entry, index) => {
      const image = urnOf(entry.names);
      const details = [definedAtText(entry, positions, name), viasText(entry.vias, positions, name)];
      return index === 0 ? [where, site.resourceType, image, unresolved, ...details] : ['', '', image, '', ...details];
    });
    if (entries.length === 0)
      rows.push([where, site.resourceType, '?', unresolved, '-', viaText(site.via ?? [], positions, name)]);
    return rows;
  };
  const widths = header.map((cell) => cell.length);
  for (const site of images) {
    for (const row of rowsOf(site)) row.forEach((cell, column) => (widths[column] = Math.max(widths[column], cell.length)));
  }
  const line = (row: readonly string[]) =>
    row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ');
  yield `${line(header)}\n`;
  for (const site of images)
    yield rowsOf(site)
      .map((row) => `${line(row)}\n`)
      .join('');
}

function urnOf(names: InventoryEntry['names']): string {
  return imageFields.map((field) => names[field] ?? '?').join(':');
}

/** Where an entry's fields are written, by file: `main.json publisher:9, offer:9; params.json sku:4`. */
function definedAtText(entry: InventoryEntry, positions: PositionConverter, name: FileNamer): string {
  const byFile = new Map<string, string[]>();
  for (const field of imageFields) {
    const location = entry.definedAt[field];
    if (!location) continue;
    const { start } = positions.range(location.file, location.range);
    const file = name(location.file);
    const fields = byFile.get(file);
    const written = `${field}:${start.line + 1}`;
    if (fields) fields.push(written);
    else byFile.set(file, [written]);
  }
  return [...byFile].map(([file, fields]) => `${file} ${fields.join(', ')}`).join('; ') || '-';
}

/** The module calls and deployments to a resource: `vm (main.bicep:12) > disk (vm.bicep:3)`. */
function viaText(via: readonly DeploymentStep[], positions: PositionConverter, name: FileNamer): string {
  const steps = via.map((step) => {
    const { start } = positions.range(step.location.file, step.location.range);
    return `${step.name} (${name(step.location.file)}:${start.line + 1})`;
  });
  return steps.join(' > ') || '-';
}

/** Every chain of calls to an image, when callers give the same one: `db (db.bicep:1); web (web.bicep:1)`. */
function viasText(vias: readonly (readonly DeploymentStep[])[], positions: PositionConverter, name: FileNamer): string {
  return vias.map((via) => viaText(via, positions, name)).join('; ');
}

/** A location as the JSON report writes one. */
function jsonLocation(location: SourceLocation, positions: PositionConverter, name: FileNamer) {
  return { file: name(location.file), range: positions.range(location.file, location.range) };
}

/**
 * How each distinct candidate of a site was resolved, as the JSON report's `resolution` lists it
 * (one item per item of `candidates`).
 */
function jsonResolution(entry: InventoryEntry, positions: PositionConverter, name: FileNamer) {
  const definedAt: Partial<Record<ImageField, ReturnType<typeof jsonLocation>>> = {};
  for (const field of imageFields) {
    const location = entry.definedAt[field];
    if (location) definedAt[field] = jsonLocation(location, positions, name);
  }
  const steps = (via: readonly DeploymentStep[]) =>
    via.map((step) => ({ kind: step.kind, name: step.name, ...jsonLocation(step.location, positions, name) }));
  return {
    definedAt,
    trace: candidateTrace(entry.candidate),
    via: steps(entry.via),
    // Every chain of calls that gives this image (the first is `via`): two callers may pass the same one.
    vias: entry.vias.map(steps),
  };
}

export interface JsonReport {
  version: 1;
  asOf: string;
  findings: unknown[];
  problems: { file: string; message: string }[];
  images: unknown[];
  /** With `--baseline`: the file, how many findings it suppressed, and its entries no finding matched. */
  baseline?: JsonBaseline;
}

export interface JsonBaseline {
  file: string;
  suppressed: number;
  fixed: { file: string; code: string; image: string; fingerprint: string }[];
}

export function formatJson(
  asOf: string,
  findings: readonly Finding[],
  problems: readonly Problem[],
  images: readonly ImageSite[],
  positions: PositionConverter,
  options: { name?: FileNamer; baseline?: JsonBaseline } = {},
): string {
  return [...jsonReportChunks(asOf, findings, problems, images, positions, options)].join('');
}

/** Stands for the list of images while the rest of the report is written (`jsonReportChunks`). */
const imagesPlaceholder = '\u0000images\u0000';

/**
 * The JSON report in pieces, the images one at a time, for a writer that writes each as it comes:
 * the text is that of `JSON.stringify(report, null, 2)`, but the list of images can be larger
 * than one string holds (millions of candidates), so it is written item by item.
 */
export function* jsonReportChunks(
  asOf: string,
  findings: readonly Finding[],
  problems: readonly Problem[],
  images: readonly ImageSite[],
  positions: PositionConverter,
  options: { name?: FileNamer; baseline?: JsonBaseline } = {},
): Generator<string> {
  const name = options.name ?? asGiven;
  const report: Omit<JsonReport, 'images'> & { images: unknown } = {
    version: 1,
    asOf,
    findings: findings.map((finding) => ({
      file: name(finding.location.file),
      range: positions.range(finding.location.file, finding.location.range),
      code: finding.code,
      severity: finding.severity,
      message: finding.message,
      image: finding.image,
      fixes: finding.fixes.map((fix) => ({
        title: fix.title,
        isPreferred: fix.isPreferred,
        edits: fix.edits.map((edit) => ({
          file: name(edit.file),
          range: positions.range(edit.file, edit.range),
          newText: edit.newText,
        })),
      })),
      related: finding.related.map((item) => ({
        file: name(item.location.file),
        range: positions.range(item.location.file, item.location.range),
        message: item.message,
      })),
      helpUri: ruleDocumentationLink(finding.code),
    })),
    problems: problems.map((problem) => ({ file: name(problem.file), message: problem.message })),
    images: imagesPlaceholder,
  };
  if (options.baseline) report.baseline = options.baseline;
  const text = `${JSON.stringify(report, null, 2)}\n`;
  const placeholder = JSON.stringify(imagesPlaceholder);
  const at = text.indexOf(placeholder);
  yield text.slice(0, at);
  if (images.length === 0) yield '[]';
  else {
    // As `JSON.stringify(..., null, 2)` writes an item of a list that is a property of the report.
    const indentation = '    ';
    let separator = '[\n';
    for (const site of images) {
      const entries = inventoryEntries(site);
      const item = {
        file: name(site.use.file),
        range: positions.range(site.use.file, site.use.range),
        resourceType: site.resourceType,
        custom: site.custom,
        candidates: entries.map((entry) => entry.names),
        unresolved: site.unresolved,
        resolution: entries.map((entry) => jsonResolution(entry, positions, name)),
        via: (site.via ?? []).map((step) => ({
          kind: step.kind,
          name: step.name,
          ...jsonLocation(step.location, positions, name),
        })),
        // Only on sites whose values do not say why they are unresolved (a linked template not followed).
        ...(site.unresolvedReason === undefined ? {} : { reason: site.unresolvedReason }),
      };
      yield `${separator}${indentation}${JSON.stringify(item, null, 2).replace(/\n/g, `\n${indentation}`)}`;
      separator = ',\n';
    }
    yield '\n  ]';
  }
  yield text.slice(at + placeholder.length);
}

/** The text of `--explain CODE`, or undefined for an unknown code. */
export function explainRule(code: string): string | undefined {
  const rule = findRule(code);
  if (!rule) return undefined;
  const lines = [`${rule.code}: ${rule.title}`, `Default level: ${rule.defaultLevel}`, '', rule.description, ''];
  const options = Object.entries(rule.options);
  if (options.length) {
    lines.push('Options:');
    for (const [name, option] of options) lines.push(`  ${name} (default ${option.default}): ${option.description}`);
    lines.push('');
  }
  const link = ruleDocumentationLink(rule.code);
  if (link !== undefined) lines.push(`Documentation: ${link}`);
  return `${lines.join('\n')}\n`;
}

export function unknownRuleMessage(code: string): string {
  return `unknown rule '${code}'; known rules: ${allRules.map((rule) => rule.code).join(', ')}.`;
}
