/**
 * Baselines (`--baseline`, `--write-baseline`) and the fingerprints SARIF gives GitHub: the
 * identity of a finding that survives edits elsewhere in its file. Findings change with the date
 * (an image's support ends while nobody touches the template), so a team records what it has
 * accepted and the run reports only what is new.
 *
 * A finding is identified by its file (relative to the repository's root, so that the baseline
 * works from any folder), its rule code, its image, and a fingerprint: a hash of the code, the
 * image, the text of the value it is placed at (white space collapsed), and how many findings of
 * that file with the same three came before it. Lines and columns are not part of it, so a
 * finding still matches when lines are inserted above it or the template is reformatted.
 */
import { createHash } from 'node:crypto';
import type { Finding, ImageNames } from '../core/model';
import { imageFields } from '../core/model';
import type { RepositoryPaths } from './repositoryPaths';

export interface BaselineEntry {
  file: string;
  code: string;
  /** `publisher:offer:sku:version`, `?` for what could not be resolved. */
  image: string;
  fingerprint: string;
}

/** The version of the baseline file format, and of the fingerprint. */
const baselineVersion = 1;

export function imageUrn(names: ImageNames): string {
  return imageFields.map((field) => names[field] ?? '?').join(':');
}

/**
 * The identity of each finding, in the order of `findings`. `readText` gives the text of the
 * files findings are placed in, by the names the findings use.
 */
export function identifyFindings(
  findings: readonly Finding[],
  readText: (file: string) => string | undefined,
  paths: RepositoryPaths,
): BaselineEntry[] {
  const described = findings.map((finding, index) => {
    const text = readText(finding.location.file);
    const value = text === undefined ? '' : text.slice(finding.location.range.start, finding.location.range.end);
    const image = imageUrn(finding.image);
    const file = paths.key(finding.location.file);
    return { index, finding, file, image, value: value.replace(/\s+/g, ' ').trim(), group: '' };
  });
  // The occurrence of a finding among those of its file with the same code, image and value, in
  // the order of the text.
  const groups = new Map<string, typeof described>();
  for (const item of described) {
    item.group = [item.file, item.finding.code, item.image, item.value].join('\u0000');
    const group = groups.get(item.group);
    if (group) group.push(item);
    else groups.set(item.group, [item]);
  }
  const entries = new Array<BaselineEntry>(findings.length);
  for (const group of groups.values()) {
    group.sort(
      (a, b) =>
        a.finding.location.range.start - b.finding.location.range.start ||
        a.finding.location.range.end - b.finding.location.range.end,
    );
    group.forEach((item, occurrence) => {
      const hash = createHash('sha256')
        .update([`v${baselineVersion}`, item.finding.code, item.image, item.value, String(occurrence)].join('\u0000'))
        .digest('hex');
      entries[item.index] = { file: item.file, code: item.finding.code, image: item.image, fingerprint: hash.slice(0, 32) };
    });
  }
  return entries;
}

/** The text of a baseline file: entries sorted, so that a rewrite changes only what changed. */
export function formatBaseline(entries: readonly BaselineEntry[]): string {
  const sorted = [...entries].sort((a, b) => compareText(entryKey(a), entryKey(b)));
  return `${JSON.stringify({ version: baselineVersion, findings: sorted }, null, 2)}\n`;
}

/** Reads a baseline file's text; a message names what is wrong with it. */
export function parseBaseline(text: string, file: string): { entries: BaselineEntry[] } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { error: `${file}: invalid JSON (${error instanceof Error ? error.message : String(error)}).` };
  }
  const document = json as { version?: unknown; findings?: unknown };
  if (typeof json !== 'object' || json === null || document.version !== baselineVersion || !Array.isArray(document.findings))
    return { error: `${file}: not a baseline file (expected {"version": ${baselineVersion}, "findings": [...]}).` };
  const entries: BaselineEntry[] = [];
  for (const [index, item] of document.findings.entries()) {
    const entry = item as Partial<Record<keyof BaselineEntry, unknown>>;
    if (
      typeof item !== 'object' ||
      item === null ||
      typeof entry.file !== 'string' ||
      typeof entry.code !== 'string' ||
      typeof entry.image !== 'string' ||
      typeof entry.fingerprint !== 'string'
    )
      return { error: `${file}: findings[${index}] needs the strings "file", "code", "image" and "fingerprint".` };
    entries.push({ file: entry.file, code: entry.code, image: entry.image, fingerprint: entry.fingerprint });
  }
  return { entries };
}

/**
 * Which findings the baseline holds (`suppressed`, in the order of `current`) and which of its
 * entries no finding matches any more (`fixed`). Each entry suppresses one finding.
 */
export function compareWithBaseline(
  current: readonly BaselineEntry[],
  baseline: readonly BaselineEntry[],
): { suppressed: boolean[]; fixed: BaselineEntry[] } {
  const remaining = new Map<string, BaselineEntry[]>();
  for (const entry of baseline) {
    const key = entryKey(entry);
    const list = remaining.get(key);
    if (list) list.push(entry);
    else remaining.set(key, [entry]);
  }
  const suppressed = current.map((entry) => {
    const list = remaining.get(entryKey(entry));
    if (!list || list.length === 0) return false;
    list.pop();
    return true;
  });
  const fixed = [...remaining.values()].flat().sort((a, b) => compareText(entryKey(a), entryKey(b)));
  return { suppressed, fixed };
}

function entryKey(entry: BaselineEntry): string {
  return [entry.file, entry.code, entry.image, entry.fingerprint].join('\u0000');
}

/** Ordinal comparison: the same order on every system and locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
