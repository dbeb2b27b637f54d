/**
 * SARIF 2.1.0 output for GitHub code scanning and other SARIF consumers: one run, the rules with
 * their metadata and help links, one result per finding with its fixes as artifact changes.
 * Regions are 1-based, columns counted in UTF-16 code units (declared by `columnKind`).
 */
import type { Finding, Severity } from '../core/model';
import { allRules, ruleDocumentationUrl } from '../core/rules';
import type { PositionConverter } from './formats';

const sarifLevels: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

export function formatSarif(findings: readonly Finding[], toolVersion: string, positions: PositionConverter): string {
  const ruleIndex = new Map(allRules.map((rule, index) => [rule.code, index]));
  const region = (file: string, range: Finding['location']['range']) => {
    const { start, end } = positions.range(file, range);
    return { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
  };
  const artifact = (file: string) => ({ uri: toUri(file) });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'azure-image-lint',
            version: toolVersion,
            informationUri: 'https://github.com/azure-image-lint/azure-image-lint',
            rules: allRules.map((rule) => ({
              id: rule.code,
              name: rule.code,
              shortDescription: { text: rule.title },
              fullDescription: { text: rule.description },
              helpUri: ruleDocumentationUrl(rule.code),
              help: { text: rule.description, markdown: rule.description },
              defaultConfiguration: { level: rule.defaultLevel === 'off' ? 'none' : sarifLevels[rule.defaultLevel] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: findings.map((finding) => ({
          ruleId: finding.code,
          ruleIndex: ruleIndex.get(finding.code) ?? -1,
          level: sarifLevels[finding.severity],
          message: { text: finding.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifact(finding.location.file),
                region: region(finding.location.file, finding.location.range),
              },
            },
          ],
          relatedLocations: finding.related.map((item, index) => ({
            id: index + 1,
            message: { text: item.message },
            physicalLocation: {
              artifactLocation: artifact(item.location.file),
              region: region(item.location.file, item.location.range),
            },
          })),
          fixes: finding.fixes.map((fix) => ({
            description: { text: fix.title },
            artifactChanges: groupByFile(fix.edits).map(([file, edits]) => ({
              artifactLocation: artifact(file),
              replacements: edits.map((edit) => ({
                deletedRegion: region(file, edit.range),
                insertedContent: { text: edit.newText },
              })),
            })),
          })),
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function groupByFile<T extends { file: string }>(edits: readonly T[]): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const edit of edits) groups.set(edit.file, [...(groups.get(edit.file) ?? []), edit]);
  return [...groups];
}

/** A relative path stays a relative URI reference; an absolute one becomes a file URI. */
function toUri(file: string): string {
  const slashed = file.replace(/\\/g, '/');
  const encoded = slashed.split('/').map(encodeURIComponent).join('/');
  return slashed.startsWith('/') ? `file://${encoded}` : encoded;
}
